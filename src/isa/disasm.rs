//! The disassembler: `Insn` → objdump-style text.
//!
//! Output follows `powerpc64le-linux-gnu-objdump -d -M power9`: extended
//! mnemonics from the alias table first (Power ISA 3.0B Book I appendix C),
//! then the base mnemonic with its `o`/`.`/`l`/`a` suffixes, operands in
//! objdump's syntax (`r3`, `f1`, `v2`, `vs34`, `cr7`, `4*cr7+eq`, branch
//! targets as `0x`-prefixed absolute addresses). An alias whose mnemonic is
//! `.long` marks a form objdump refuses to decode (an invalid form such as
//! `lwzu r3,8(r3)`); those words print as `.long 0x...`. Conditional
//! branches are formatted by `bcond`.

mod bcond;

use super::{Alias, FieldKind, Insn, Opcode, Opnd, ALIASES, FIELDS, F_AA, F_LK, F_OE, F_RC};
use std::fmt::Write;
use std::sync::OnceLock;

/// Aliases grouped by base opcode, in table order.
fn aliases_for(op: Opcode) -> &'static [&'static Alias] {
    static T: OnceLock<Vec<Vec<&'static Alias>>> = OnceLock::new();
    let t = T.get_or_init(|| {
        let mut v: Vec<Vec<&'static Alias>> = vec![Vec::new(); super::NUM_OPCODES];
        for a in ALIASES {
            v[a.base as usize].push(a);
        }
        v
    });
    &t[op as usize]
}

const CRBITS: [&str; 4] = ["lt", "gt", "eq", "so"];

/// A CR bit as objdump prints it: `eq` in CR0, `4*cr7+eq` elsewhere.
fn fmt_crbit(out: &mut String, bit: i64) {
    let (cr, b) = (bit / 4, (bit % 4) as usize);
    if cr == 0 {
        out.push_str(CRBITS[b]);
    } else {
        let _ = write!(out, "4*cr{cr}+{}", CRBITS[b]);
    }
}

fn fmt_opnd(out: &mut String, o: &Opnd, insn: Insn, addr: u64) {
    let w = insn.word;
    match *o {
        Opnd::Expr(f) => {
            let _ = write!(out, "{}", f(w));
        }
        Opnd::Mem(d, b) => {
            fmt_opnd(out, d, insn, addr);
            out.push('(');
            fmt_opnd(out, b, insn, addr);
            out.push(')');
        }
        Opnd::Field(_, idx) => {
            let f = &FIELDS[idx];
            let v = (f.get)(w);
            let _ = match f.kind {
                FieldKind::U | FieldKind::S | FieldKind::Spr => write!(out, "{v}"),
                FieldKind::Gpr => write!(out, "r{v}"),
                FieldKind::Gpr0 if v == 0 => write!(out, "0"),
                FieldKind::Gpr0 => write!(out, "r{v}"),
                FieldKind::Fpr => write!(out, "f{v}"),
                FieldKind::Vr => write!(out, "v{v}"),
                FieldKind::Vsr => write!(out, "vs{v}"),
                FieldKind::Cr => write!(out, "cr{v}"),
                FieldKind::CrBit => {
                    fmt_crbit(out, v);
                    Ok(())
                }
                FieldKind::Target => {
                    let absolute = insn.op.has(F_AA) && w & 2 != 0;
                    out.push_str(&bcond::target(v, absolute, addr));
                    Ok(())
                }
            };
        }
    }
}

fn suffixes(insn: Insn) -> String {
    let mut s = String::new();
    let w = insn.word;
    if insn.op.has(F_OE) && w & 0x400 != 0 {
        s.push('o');
    }
    if insn.op.has(F_RC) && w & 1 != 0 {
        s.push('.');
    }
    if insn.op.has(F_LK) && w & 1 != 0 {
        s.push('l');
    }
    if insn.op.has(F_AA) && w & 2 != 0 {
        s.push('a');
    }
    s
}

fn render(mnemonic: &str, sfx: &str, ops: &[Opnd], insn: Insn, addr: u64) -> String {
    let mut out = format!("{mnemonic}{sfx}");
    if !ops.is_empty() {
        let pad = 8usize.saturating_sub(out.len()).max(1);
        out.extend(std::iter::repeat_n(' ', pad));
        for (n, o) in ops.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            fmt_opnd(&mut out, o, insn, addr);
        }
    }
    out
}

fn long(word: u32) -> String {
    format!(".long 0x{word:x}")
}

/// Disassemble one word at `addr`: `mnemonic operands`, or `.long 0x...`.
pub fn disasm(word: u32, addr: u64) -> String {
    let insn = Insn::new(word);
    if insn.op == Opcode::Invalid {
        return long(word);
    }
    let sfx = suffixes(insn);
    for a in aliases_for(insn.op) {
        if a.cond.is_none_or(|c| c(word)) {
            if a.mnemonic == ".long" {
                return long(word);
            }
            if let Some(f) = a.fmt {
                if let Some(s) = special(f, insn, addr) {
                    return s;
                }
                continue;
            }
            return render(a.mnemonic, &sfx, a.operands, insn, addr);
        }
    }
    match insn.op {
        Opcode::Bc | Opcode::Bclr | Opcode::Bcctr | Opcode::Bctar => bcond::bcond(insn, addr),
        _ => render(insn.info().mnemonic, &sfx, insn.info().operands, insn, addr),
    }
}

/// Hand-written formatters an alias line can name with `fmt=NAME`.
fn special(name: &str, insn: Insn, addr: u64) -> Option<String> {
    match name {
        "bcond" => Some(bcond::bcond(insn, addr)),
        _ => None,
    }
}
