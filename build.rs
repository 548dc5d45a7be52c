//! Build step: turns the ISA tables in `isa/` into Rust (see `isa/README.md`).
//!
//! Generates `OUT_DIR/isa_gen.rs` with the `Opcode` enum, `OPINFO`, the field
//! accessors on `Insn`, the decoder entries and the disassembler alias table.
//! A malformed table line stops the build with the file and line number.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

struct Field {
    name: String,
    ranges: Vec<(u32, u32)>,
    shift: u32,
    kind: String,
}

impl Field {
    fn width(&self) -> u32 {
        self.ranges.iter().map(|(a, b)| b - a + 1).sum::<u32>() + self.shift
    }
    fn mask_value(&self, v: u64) -> Result<(u32, u32), String> {
        if self.shift != 0 {
            return Err(format!("cannot match on shifted field {}", self.name));
        }
        let total: u32 = self.ranges.iter().map(|(a, b)| b - a + 1).sum();
        if total < 64 && v >> total != 0 {
            return Err(format!("value {v} too wide for field {}", self.name));
        }
        let (mut mask, mut value) = (0u32, 0u32);
        let mut rem = total;
        for &(a, b) in &self.ranges {
            let w = b - a + 1;
            rem -= w;
            let part = ((v >> rem) & ((1u64 << w) - 1)) as u32;
            let sh = 31 - b;
            mask |= (((1u64 << w) - 1) as u32) << sh;
            value |= part << sh;
        }
        Ok((mask, value))
    }
    fn signed(&self) -> bool {
        self.kind == "s" || self.kind == "target"
    }
    /// Rust expression extracting the field from `w: u32`.
    fn extract_expr(&self) -> String {
        let mut parts = Vec::new();
        let total: u32 = self.ranges.iter().map(|(a, b)| b - a + 1).sum();
        let mut rem = total;
        for &(a, b) in &self.ranges {
            let width = b - a + 1;
            rem -= width;
            parts.push(format!(
                "(((w >> {}) & 0x{:x}) << {})",
                31 - b,
                (1u64 << width) - 1,
                rem
            ));
        }
        let raw = format!("({})", parts.join(" | "));
        let shifted = if self.shift > 0 {
            format!("({raw} << {})", self.shift)
        } else {
            raw
        };
        if self.signed() {
            let width = self.width();
            format!("((({shifted} as i64) << {0}) >> {0})", 64 - width)
        } else {
            shifted
        }
    }
}

struct Inst {
    mnemonic: String,
    ident: String,
    mask: u32,
    value: u32,
    operands: String,
    attrs: Vec<String>,
    chapter: String,
    file: String,
    line: usize,
}

struct Alias {
    mnemonic: String,
    base: String,
    cond: String,
    operands: String,
    fmt: Option<String>,
}

fn parse_fields(text: &str, path: &str) -> Vec<Field> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 3 {
            panic!("{path}:{}: field line needs NAME BITS KIND", n + 1);
        }
        let (bits, shift) = match cols[1].split_once("<<") {
            Some((b, s)) => (b, s.parse().expect("shift")),
            None => (cols[1], 0),
        };
        let ranges = bits
            .split(',')
            .map(|r| {
                let (a, b) = r
                    .split_once(':')
                    .unwrap_or_else(|| panic!("{path}:{}: bad range {r}", n + 1));
                (a.parse().unwrap(), b.parse().unwrap())
            })
            .collect();
        out.push(Field {
            name: cols[0].to_string(),
            ranges,
            shift,
            kind: cols[2].to_string(),
        });
    }
    out
}

/// Accessor name: the field in lower case; single-bit fields written in
/// mixed case (`Rc`) get a `_bit` suffix so they cannot clash with a
/// register field of the same letters (`RC`).
fn method_name(field: &str) -> String {
    if field.chars().any(|c| c.is_ascii_lowercase()) {
        format!("{}_bit", field.to_lowercase())
    } else {
        field.to_lowercase()
    }
}

fn ident_of(mn: &str) -> String {
    let mut s = String::new();
    let mut up = true;
    for c in mn.chars() {
        match c {
            '.' => s.push_str("Rc"),
            '_' | '-' => up = true,
            c if up => {
                s.extend(c.to_uppercase());
                up = false
            }
            c => s.push(c),
        }
    }
    s
}

/// Split a table line into columns at each `|` that is not half of a `||`
/// (so alias conditions can use Rust's `||`).
fn split_columns(line: &str) -> Vec<&str> {
    let b = line.as_bytes();
    let mut cols = Vec::new();
    let mut start = 0;
    for i in 0..b.len() {
        let pipe = |j: usize| b.get(j) == Some(&b'|');
        if b[i] == b'|' && !pipe(i + 1) && (i == 0 || !pipe(i - 1)) {
            cols.push(&line[start..i]);
            start = i + 1;
        }
    }
    cols.push(&line[start..]);
    cols
}

fn parse_int(s: &str) -> u64 {
    if let Some(h) = s.strip_prefix("0x") {
        u64::from_str_radix(h, 16).unwrap_or_else(|_| panic!("bad hex {s}"))
    } else {
        s.parse().unwrap_or_else(|_| panic!("bad number {s}"))
    }
}

/// Rewrite field names in a Rust expression to extractor calls on `w`.
fn rewrite_expr(expr: &str, fields: &BTreeMap<String, usize>) -> String {
    let mut out = String::new();
    let mut tok = String::new();
    let flush = |tok: &mut String, out: &mut String| {
        if !tok.is_empty() {
            if fields.contains_key(tok.as_str()) {
                let _ = write!(out, "(fld_{}(w) as i64)", tok);
            } else {
                out.push_str(tok);
            }
            tok.clear();
        }
    };
    for c in expr.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            tok.push(c);
        } else {
            flush(&mut tok, &mut out);
            out.push(c);
        }
    }
    flush(&mut tok, &mut out);
    out
}

/// Operand template → Rust array of `Opnd`.
fn gen_operands(
    ops: &str,
    fields: &BTreeMap<String, usize>,
    exprs: &mut Vec<String>,
    ctx: &str,
) -> String {
    let ops = ops.trim();
    if ops.is_empty() {
        return "&[]".into();
    }
    let mut items = Vec::new();
    // split on commas not inside braces or parens
    let mut depth = 0;
    let mut cur = String::new();
    let mut parts = Vec::new();
    for c in ops.chars() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let one = |s: &str, exprs: &mut Vec<String>| -> String {
        let s = s.trim();
        if let Some(e) = s.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            exprs.push(rewrite_expr(e, fields));
            format!("Opnd::Expr(expr_{})", exprs.len() - 1)
        } else if let Some(&i) = fields.get(s) {
            format!("Opnd::Field(Fld::{s}, {i})")
        } else {
            panic!("{ctx}: unknown operand {s}")
        }
    };
    for p in parts {
        let p = p.trim();
        if let Some((disp, base)) = p.strip_suffix(')').and_then(|p| p.split_once('(')) {
            let d = one(disp, exprs);
            let b = one(base, exprs);
            items.push(format!("Opnd::Mem(&{d}, &{b})"));
        } else {
            items.push(one(p, exprs));
        }
    }
    format!("&[{}]", items.join(", "))
}

const FLAG_NAMES: &[&str] = &[
    "rc", "oe", "lk", "aa", "load", "store", "update", "signed", "rev", "cond", "resv", "fpmem",
    "vecmem", "end", "priv", "hv", "v3.0", "v2.07", "v2.06", "indexed", "single", "nofp",
];

fn main() {
    let dir = Path::new("isa");
    println!("cargo:rerun-if-changed=isa");
    let ftext = std::fs::read_to_string(dir.join("fields.isa")).unwrap();
    let fields = parse_fields(&ftext, "isa/fields.isa");
    let fidx: BTreeMap<String, usize> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.clone(), i))
        .collect();

    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "isa") && !p.ends_with("fields.isa"))
        .collect();
    files.sort();

    let mut insts: Vec<Inst> = Vec::new();
    let mut aliases: Vec<Alias> = Vec::new();
    let mut errors = Vec::new();
    for path in &files {
        let chapter = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let pname = path.display().to_string();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap().trim();
            if line.is_empty() {
                continue;
            }
            let ctx = format!("{pname}:{}", n + 1);
            let cols: Vec<&str> = split_columns(line).into_iter().map(str::trim).collect();
            if cols.len() < 3 {
                errors.push(format!(
                    "{ctx}: expected 'mnemonic | match | operands | attrs'"
                ));
                continue;
            }
            let attrs: Vec<String> = cols
                .get(3)
                .map(|a| a.split_whitespace().map(String::from).collect())
                .unwrap_or_default();
            if let Some(mn) = cols[0].strip_prefix('=') {
                let mut it = cols[1].splitn(2, char::is_whitespace);
                let base = it.next().unwrap_or("").to_string();
                let cond = it.next().unwrap_or("").trim().to_string();
                let fmt = attrs
                    .iter()
                    .find_map(|a| a.strip_prefix("fmt=").map(String::from));
                aliases.push(Alias {
                    mnemonic: mn.trim().to_string(),
                    base,
                    cond,
                    operands: cols[2].to_string(),
                    fmt,
                });
                continue;
            }
            let (mut mask, mut value) = (0u32, 0u32);
            let mut has_op = false;
            for term in cols[1].split_whitespace() {
                let Some((name, v)) = term.split_once('=') else {
                    errors.push(format!("{ctx}: bad match term {term}"));
                    continue;
                };
                let v = parse_int(v);
                let (m, val) = if let Some(r) = name.strip_prefix('@') {
                    let (a, b) = r.split_once(':').expect("range");
                    let f = Field {
                        name: name.into(),
                        ranges: vec![(a.parse().unwrap(), b.parse().unwrap())],
                        shift: 0,
                        kind: "u".into(),
                    };
                    f.mask_value(v).unwrap_or_else(|e| panic!("{ctx}: {e}"))
                } else if let Some(&i) = fidx.get(name) {
                    has_op |= name == "op";
                    fields[i]
                        .mask_value(v)
                        .unwrap_or_else(|e| panic!("{ctx}: {e}"))
                } else {
                    errors.push(format!("{ctx}: unknown field {name}"));
                    continue;
                };
                if mask & m & (value ^ val) != 0 {
                    errors.push(format!("{ctx}: contradictory match terms"));
                }
                mask |= m;
                value |= val;
            }
            if !has_op {
                errors.push(format!("{ctx}: every instruction must fix op"));
            }
            for a in &attrs {
                let known = FLAG_NAMES.contains(&a.as_str())
                    || a.starts_with("mem=")
                    || a.starts_with("sem=")
                    || a.starts_with("fmt=");
                if !known {
                    errors.push(format!("{ctx}: unknown attribute {a}"));
                }
            }
            let mnemonic = cols[0].to_string();
            insts.push(Inst {
                ident: ident_of(&mnemonic),
                mnemonic,
                mask,
                value,
                operands: cols[2].to_string(),
                attrs,
                chapter: chapter.clone(),
                file: pname.clone(),
                line: n + 1,
            });
        }
    }
    // Duplicate identifiers and identical encodings are table bugs.
    let mut seen = HashSet::new();
    let mut enc = BTreeMap::new();
    for i in &insts {
        if !seen.insert(i.ident.clone()) {
            errors.push(format!(
                "{}:{}: duplicate mnemonic {}",
                i.file, i.line, i.mnemonic
            ));
        }
        if let Some(prev) = enc.insert((i.mask, i.value), i.mnemonic.clone()) {
            errors.push(format!(
                "{}:{}: {} has the same encoding as {}",
                i.file, i.line, i.mnemonic, prev
            ));
        }
    }
    if !errors.is_empty() {
        panic!("ISA table errors:\n{}", errors.join("\n"));
    }

    let mut out = String::new();
    out.push_str("// @generated by build.rs from isa/*.isa; do not edit.\n\n");
    // Fields
    out.push_str("#[allow(non_camel_case_types, clippy::upper_case_acronyms)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Fld {\n");
    for f in &fields {
        let _ = writeln!(out, "    {},", f.name);
    }
    out.push_str("}\n\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum FieldKind { U, S, Gpr, Gpr0, Fpr, Vr, Vsr, Cr, CrBit, Spr, Target }\n\n");
    out.push_str("pub struct FieldInfo { pub name: &'static str, pub kind: FieldKind, pub get: fn(u32) -> i64 }\n\n");
    for f in &fields {
        let ty = if f.signed() { "i64" } else { "u32" };
        let _ = writeln!(
            out,
            "#[inline(always)]\n#[allow(non_snake_case, clippy::double_parens, clippy::unnecessary_cast, clippy::identity_op, clippy::precedence)]\npub const fn fld_{}(w: u32) -> {ty} {{ ({}) as {ty} }}",
            f.name,
            f.extract_expr()
        );
    }
    out.push_str("\npub static FIELDS: &[FieldInfo] = &[\n");
    for f in &fields {
        let kind = match f.kind.as_str() {
            "u" => "U",
            "s" => "S",
            "gpr" => "Gpr",
            "gpr0" => "Gpr0",
            "fpr" => "Fpr",
            "vr" => "Vr",
            "vsr" => "Vsr",
            "cr" => "Cr",
            "crbit" => "CrBit",
            "spr" => "Spr",
            "target" => "Target",
            k => panic!("unknown field kind {k}"),
        };
        let cast = if f.signed() { "" } else { " as i64" };
        let _ = writeln!(
            out,
            "    FieldInfo {{ name: \"{0}\", kind: FieldKind::{kind}, get: |w| fld_{0}(w){cast} }},",
            f.name
        );
    }
    out.push_str("];\n\nimpl Insn {\n");
    for f in &fields {
        let ty = if f.signed() { "i64" } else { "u32" };
        let _ = writeln!(
            out,
            "    #[inline(always)]\n    pub const fn {}(self) -> {ty} {{ fld_{}(self.word) }}",
            method_name(&f.name),
            f.name
        );
    }
    out.push_str("}\n\n");

    // Opcodes
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[repr(u16)]\npub enum Opcode {\n    Invalid,\n");
    for i in &insts {
        let _ = writeln!(out, "    {},", i.ident);
    }
    out.push_str("}\n\n");
    let _ = writeln!(out, "pub const NUM_OPCODES: usize = {};\n", insts.len() + 1);
    out.push_str("impl Opcode {\n    pub const ALL: &'static [Opcode] = &[Opcode::Invalid");
    for i in &insts {
        let _ = write!(out, ", Opcode::{}", i.ident);
    }
    out.push_str("];\n}\n\n");

    let mut exprs: Vec<String> = Vec::new();
    let mut opinfo = String::from("pub static OPINFO: [OpInfo; NUM_OPCODES] = [\n    OpInfo { mnemonic: \".long\", mask: 0, value: 0, flags: 0, mem: 0, chapter: \"\", operands: &[], sem: \"\" },\n");
    for i in &insts {
        let mut flags = Vec::new();
        let mut mem = 0u8;
        let mut sem = String::new();
        for a in &i.attrs {
            if let Some(m) = a.strip_prefix("mem=") {
                mem = m.parse().unwrap();
            } else if let Some(s) = a.strip_prefix("sem=") {
                sem = s.to_string();
            } else if a.starts_with("fmt=") {
            } else {
                flags.push(format!("F_{}", a.replace('.', "_").to_uppercase()));
            }
        }
        let flags = if flags.is_empty() {
            "0".to_string()
        } else {
            flags.join(" | ")
        };
        let ops = gen_operands(
            &i.operands,
            &fidx,
            &mut exprs,
            &format!("{}:{}", i.file, i.line),
        );
        let _ = writeln!(
            opinfo,
            "    OpInfo {{ mnemonic: \"{}\", mask: 0x{:08x}, value: 0x{:08x}, flags: {flags}, mem: {mem}, chapter: \"{}\", operands: {ops}, sem: \"{sem}\" }},",
            i.mnemonic, i.mask, i.value, i.chapter
        );
    }
    opinfo.push_str("];\n\n");
    for (n, f) in FLAG_NAMES.iter().enumerate() {
        let _ = writeln!(
            out,
            "pub const F_{}: u64 = 1 << {n};",
            f.replace('.', "_").to_uppercase()
        );
    }
    out.push_str(&opinfo);

    // Aliases
    let by_mn: BTreeMap<&str, &Inst> = insts.iter().map(|i| (i.mnemonic.as_str(), i)).collect();
    let mut conds: Vec<String> = Vec::new();
    let mut alias_rows = String::from("pub static ALIASES: &[Alias] = &[\n");
    for a in &aliases {
        let Some(base) = by_mn.get(a.base.as_str()) else {
            panic!("alias {} names unknown base {}", a.mnemonic, a.base);
        };
        let cond = if a.cond.is_empty() {
            "None".to_string()
        } else {
            conds.push(rewrite_expr(&a.cond, &fidx));
            format!("Some(cond_{})", conds.len() - 1)
        };
        let ops = gen_operands(&a.operands, &fidx, &mut exprs, &a.mnemonic);
        let fmt = match &a.fmt {
            Some(f) => format!("Some(\"{f}\")"),
            None => "None".into(),
        };
        let _ = writeln!(
            alias_rows,
            "    Alias {{ mnemonic: \"{}\", base: Opcode::{}, cond: {cond}, operands: {ops}, fmt: {fmt} }},",
            a.mnemonic, base.ident
        );
    }
    alias_rows.push_str("];\n\n");
    for (n, c) in conds.iter().enumerate() {
        let _ = writeln!(
            out,
            "#[allow(clippy::all, unused_parens)]\nfn cond_{n}(w: u32) -> bool {{ {c} }}"
        );
    }
    for (n, e) in exprs.iter().enumerate() {
        let _ = writeln!(
            out,
            "#[allow(clippy::all, unused_parens)]\nfn expr_{n}(w: u32) -> i64 {{ ({e}) as i64 }}"
        );
    }
    out.push_str(&alias_rows);

    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("isa_gen.rs");
    std::fs::write(dest, out).unwrap();
}
