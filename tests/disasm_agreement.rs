//! `powerlift disas` against `powerpc64le-linux-gnu-objdump -d -M power9`.
//!
//! Both tools disassemble the same ELF; their lines are joined by address
//! (per section, objdump skips runs of zero words with `...`) and compared
//! after normalisation: whitespace removed from the operands, objdump's
//! `<symbol>` annotations dropped and `0x` prefixes removed on both sides
//! (objdump writes a branch target as `0x1234` without a symbol and as
//! `1234 <sym>` with one). Agreement is reported per file and per ISA
//! chapter (the `isa/*.isa` table of the opcode we decode; for words we do
//! not decode, the table that owns objdump's mnemonic), so each table's
//! owner can see their own disagreements. Full disagreement lists go to
//! `target/disasm_agreement/`.
//!
//! Tests: Debian's ppc64el busybox (100% mnemonic and operand agreement),
//! its vmlinux (at least 99.9% mnemonic agreement), and random words over
//! the primary opcodes of the integer, branch, load/store and privileged
//! tables (100% for those chapters).

mod common;

use powerlift::isa::{decode::decode, Opcode, ALIASES, OPINFO};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Examples kept per disagreement kind in the report.
const EXAMPLES: usize = 3;
/// Disagreement kinds printed to stdout (the file under target/ has all).
const SHOWN: usize = 40;

/// One disassembled line: address, word, text.
struct Line {
    addr: u64,
    word: u32,
    text: String,
}

/// An event from one tool's output stream.
enum Item {
    Section(String),
    Insn(Line),
}

/// Parse one line of `objdump -d`: `  addr:\tb0 b1 b2 b3 \ttext`.
fn parse_objdump(line: &str) -> Option<Item> {
    if let Some(s) = line.strip_prefix("Disassembly of section ") {
        return Some(Item::Section(s.trim_end_matches(':').to_string()));
    }
    let mut cols = line.split('\t');
    let addr = cols.next()?.trim().strip_suffix(':')?;
    let addr = u64::from_str_radix(addr, 16).ok()?;
    let bytes: Vec<u8> = cols
        .next()?
        .split_whitespace()
        .map(|b| u8::from_str_radix(b, 16))
        .collect::<Result<_, _>>()
        .ok()?;
    // Only whole words: objdump may print a short tail as `.byte`/`.short`.
    let b: [u8; 4] = bytes.try_into().ok()?;
    let text = cols.next().unwrap_or("").to_string();
    Some(Item::Insn(Line {
        addr,
        word: u32::from_le_bytes(b),
        text,
    }))
}

/// Parse one line of `powerlift disas`: `addr: wwwwwwww  text`.
fn parse_ours(line: &str) -> Option<Item> {
    if let Some(s) = line.strip_prefix("Disassembly of section ") {
        return Some(Item::Section(s.trim_end_matches(':').to_string()));
    }
    let (addr, rest) = line.split_once(": ")?;
    let addr = u64::from_str_radix(addr, 16).ok()?;
    let (word, text) = rest.split_at_checked(8)?;
    Some(Item::Insn(Line {
        addr,
        word: u32::from_str_radix(word, 16).ok()?,
        text: text.trim_start().to_string(),
    }))
}

/// Mnemonic and operands with `<...>`, `0x` and whitespace removed.
fn normalise(text: &str) -> (String, String) {
    let mut s = String::with_capacity(text.len());
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let s = s.replace("0x", "");
    let s = s.trim();
    let (mn, ops) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
    let ops: String = ops.chars().filter(|c| !c.is_whitespace()).collect();
    (mn.to_string(), ops)
}

/// The table a mnemonic belongs to, for words we do not decode.
fn chapter_of_mnemonic(mn: &str) -> &'static str {
    static MAP: std::sync::OnceLock<HashMap<String, &'static str>> = std::sync::OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for i in OPINFO.iter().skip(1) {
            m.insert(i.mnemonic.to_string(), i.chapter);
        }
        for a in ALIASES {
            if a.mnemonic != ".long" {
                m.entry(a.mnemonic.to_string())
                    .or_insert(OPINFO[a.base as usize].chapter);
            }
        }
        m
    });
    if mn == ".long" {
        return "invalid";
    }
    // Strip branch hints and the o/./l/a suffixes until something matches.
    let mut s = mn.trim_end_matches(['+', '-']);
    loop {
        if let Some(c) = map.get(s) {
            return c;
        }
        match s.strip_suffix(['.', 'o', 'l', 'a']) {
            Some(t) if !t.is_empty() => s = t,
            _ => break,
        }
    }
    // Mnemonics no table has yet, by the chapter's naming convention.
    let starts = |ps: &[&str]| ps.iter().any(|p| mn.starts_with(p));
    if starts(&[
        "lxv", "stxv", "lxs", "stxs", "mfvsr", "mtvsr", "mffpr", "mtfpr", "mfvr", "mtvr", "x",
    ]) {
        "vsx"
    } else if starts(&["lv", "stv", "mfvscr", "mtvscr", "bcd", "dss", "dst", "v"]) {
        "vmx"
    } else if starts(&["lf", "stf", "mffs", "mtfs", "mcrfs", "f"]) {
        "fp"
    } else if starts(&["d"]) && !starts(&["dcb", "darn", "div"]) {
        "dfp (no table)"
    } else {
        "unknown"
    }
}

fn chapter(word: u32, objdump_mn: &str) -> &'static str {
    match decode(word) {
        Opcode::Invalid => chapter_of_mnemonic(objdump_mn),
        op => op.info().chapter,
    }
}

#[derive(Default)]
struct Tally {
    total: u64,
    mn_ok: u64,
    all_ok: u64,
}

impl Tally {
    fn add(&mut self, mn_ok: bool, all_ok: bool) {
        self.total += 1;
        self.mn_ok += mn_ok as u64;
        self.all_ok += all_ok as u64;
    }
    fn mn_rate(&self) -> f64 {
        100.0 * self.mn_ok as f64 / self.total.max(1) as f64
    }
    fn op_rate(&self) -> f64 {
        100.0 * self.all_ok as f64 / self.total.max(1) as f64
    }
}

/// Disagreements of one kind: (chapter, what, objdump mnemonic, ours).
type Kind = (&'static str, &'static str, String, String);

#[derive(Default)]
struct Report {
    overall: Tally,
    chapters: BTreeMap<&'static str, Tally>,
    kinds: HashMap<Kind, (u64, Vec<String>)>,
    only_ours: u64,
    only_objdump: u64,
}

impl Report {
    fn compare(&mut self, o: &Line, u: &Line) {
        let (omn, oops) = normalise(&o.text);
        let (umn, uops) = normalise(&u.text);
        let mn_ok = omn == umn;
        let all_ok = mn_ok && oops == uops;
        let ch = chapter(o.word, &omn);
        self.overall.add(mn_ok, all_ok);
        self.chapters.entry(ch).or_default().add(mn_ok, all_ok);
        if !all_ok {
            let what = if mn_ok { "operands" } else { "mnemonic" };
            let e = self.kinds.entry((ch, what, omn, umn)).or_default();
            e.0 += 1;
            if e.1.len() < EXAMPLES {
                e.1.push(format!(
                    "{:x}: {:08x}  objdump `{}`  ours `{}`",
                    o.addr,
                    o.word,
                    o.text.trim(),
                    u.text.trim()
                ));
            }
        }
        if o.word != u.word {
            // A different word at the same address means the join is wrong.
            panic!(
                "word mismatch at {:x}: objdump {:08x}, ours {:08x}",
                o.addr, o.word, u.word
            );
        }
    }

    /// Print the summary and the first `SHOWN` kinds; write everything to `out`.
    fn print(&self, name: &str, out: &Path) {
        let mut text = String::new();
        let t = &self.overall;
        text += &format!(
            "== {name}: {} words compared; mnemonic {:.4}%, operands {:.4}% \
             ({} lines only in ours, {} only in objdump)\n",
            t.total,
            t.mn_rate(),
            t.op_rate(),
            self.only_ours,
            self.only_objdump
        );
        for (ch, t) in &self.chapters {
            text += &format!(
                "   {ch:16} {:9} words  mnemonic {:9.4}%  operands {:9.4}%  ({} disagree)\n",
                t.total,
                t.mn_rate(),
                t.op_rate(),
                t.total - t.all_ok
            );
        }
        let mut kinds: Vec<_> = self.kinds.iter().collect();
        kinds.sort_by(|a, b| {
            a.0 .0
                .cmp(b.0 .0)
                .then(b.1 .0.cmp(&a.1 .0))
                .then(a.0.cmp(b.0))
        });
        let mut full = text.clone();
        let mut shown = 0;
        for ((ch, what, omn, umn), (n, ex)) in kinds {
            let head = format!("  [{ch}] {n} x {what}: objdump `{omn}` ours `{umn}`\n");
            let body: String = ex.iter().map(|e| format!("      {e}\n")).collect();
            full += &head;
            full += &body;
            if shown < SHOWN {
                text += &head;
                text += &body;
                shown += 1;
            }
        }
        if shown < self.kinds.len() {
            text += &format!(
                "  ... {} more kinds in {}\n",
                self.kinds.len() - shown,
                out.display()
            );
        }
        print!("{text}");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(out, full).unwrap();
    }
}

fn spawn(cmd: &mut Command) -> std::process::Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"))
}

/// Run both disassemblers on `elf` and compare them line by line.
fn compare_file(objdump: &Path, elf: &Path) -> Report {
    let mut od = spawn(Command::new(objdump).args(["-d", "-M", "power9"]).arg(elf));
    let mut pl = spawn(Command::new(common::powerlift()).arg("disas").arg(elf));
    let od_lines = BufReader::with_capacity(1 << 20, od.stdout.take().unwrap()).lines();
    let pl_lines = BufReader::with_capacity(1 << 20, pl.stdout.take().unwrap()).lines();
    let mut od_items = od_lines
        .map_while(Result::ok)
        .filter_map(|l| parse_objdump(&l));
    let mut pl_items = pl_lines
        .map_while(Result::ok)
        .filter_map(|l| parse_ours(&l))
        .peekable();
    let mut r = Report::default();
    // Both tools walk the executable sections in header order; within a
    // section addresses increase, and objdump may skip zero words.
    for item in od_items.by_ref() {
        match item {
            Item::Section(name) => {
                // Drain ours up to the same section header.
                loop {
                    match pl_items.next() {
                        Some(Item::Section(n)) if n == name => break,
                        Some(Item::Section(n)) => {
                            panic!("section order differs: objdump {name}, ours {n}")
                        }
                        Some(Item::Insn(_)) => r.only_ours += 1,
                        None => panic!("powerlift has no section {name}"),
                    }
                }
            }
            Item::Insn(o) => loop {
                match pl_items.peek() {
                    Some(Item::Insn(u)) if u.addr < o.addr => {
                        r.only_ours += 1;
                        pl_items.next();
                    }
                    Some(Item::Insn(u)) if u.addr == o.addr => {
                        if let Some(Item::Insn(u)) = pl_items.next() {
                            r.compare(&o, &u);
                        }
                        break;
                    }
                    _ => {
                        r.only_objdump += 1;
                        break;
                    }
                }
            },
        }
    }
    for item in pl_items {
        if let Item::Insn(_) = item {
            r.only_ours += 1;
        }
    }
    assert!(
        od.wait().unwrap().success(),
        "objdump failed on {}",
        elf.display()
    );
    assert!(
        pl.wait().unwrap().success(),
        "powerlift disas failed on {}",
        elf.display()
    );
    r
}

fn report_path(name: &str) -> PathBuf {
    common::root()
        .join("target/disasm_agreement")
        .join(format!("{name}.txt"))
}

fn guest_report(name: &str) -> Option<Report> {
    let objdump = common::oracle("powerpc64le-linux-gnu-objdump")?;
    let elf = common::guest_file(name)?;
    let r = compare_file(&objdump, &elf);
    r.print(name, &report_path(name));
    assert!(r.overall.total > 0, "no lines compared for {name}");
    assert_eq!(
        r.only_objdump, 0,
        "{name}: objdump lines with no counterpart in ours"
    );
    Some(r)
}

#[test]
fn busybox_agrees_with_objdump() {
    let Some(r) = guest_report("busybox") else {
        return;
    };
    let t = &r.overall;
    assert_eq!(
        t.mn_ok,
        t.total,
        "busybox: mnemonic agreement {:.4}% (see above)",
        t.mn_rate()
    );
    assert_eq!(
        t.all_ok,
        t.total,
        "busybox: operand agreement {:.4}% (see above)",
        t.op_rate()
    );
}

#[test]
fn vmlinux_agrees_with_objdump() {
    let Some(r) = guest_report("vmlinux") else {
        return;
    };
    let t = &r.overall;
    assert!(
        t.mn_rate() >= 99.9,
        "vmlinux: mnemonic agreement {:.4}% < 99.9%",
        t.mn_rate()
    );
}

/// The tables this test holds to 100% on random words.
const FUZZ_CHAPTERS: [&str; 4] = ["branch", "fixed", "loadstore", "privileged"];

/// Deterministic xorshift64 generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }
}

/// Random words over the primary opcodes of `FUZZ_CHAPTERS`: every
/// extended-opcode value of the X/XL/XO-form groups (op 19, 30, 31), with
/// random register fields biased towards 0 (many reserved-field and
/// invalid-form checks hinge on zero), and random D/DS-form words; plus
/// every BO/BI/BH/AA/LK combination of the conditional branches.
fn fuzz_words() -> Vec<u32> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut words = Vec::new();
    for bo in 0..32u32 {
        for bi in 0..32u32 {
            for low in 0..4u32 {
                // bc with a forward and a backward displacement.
                words.push(16 << 26 | bo << 21 | bi << 16 | 0x1230 | low);
                words.push(16 << 26 | bo << 21 | bi << 16 | 0xf000 | low);
                for xo in [16u32, 528, 560] {
                    for lk in 0..2 {
                        words.push(19 << 26 | bo << 21 | bi << 16 | low << 11 | xo << 1 | lk);
                    }
                }
            }
        }
    }
    let extended = [0u32, 17, 19, 30, 31, 58, 62];
    let dform = [
        2u32, 3, 7, 8, 10, 11, 12, 13, 14, 15, 16, 18, 20, 21, 23, 24, 25, 26, 27, 28, 29,
    ];
    let memform = [
        32u32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 56,
    ];
    for &op in &extended {
        for low in 0..2048u32 {
            for k in 0..8 {
                let mut hi = rng.next() & 0x7fff;
                match k {
                    0 => hi &= 0x7c00, // RA = RB = 0
                    1 => hi &= 0x7fe0, // RB = 0
                    2 => hi &= 0x03ff, // RT = 0
                    3 => hi = 0,
                    4 => hi &= 0x001f, // RB only
                    5 => hi &= 0x03e0, // RA only
                    _ => {}
                }
                words.push(op << 26 | hi << 11 | low);
            }
        }
    }
    for &op in dform.iter().chain(&memform) {
        for k in 0..2048 {
            let mut w = rng.next() & 0x03ff_ffff;
            if k % 4 == 0 {
                w &= !0x001f_0000; // RA = 0
            } else if k % 4 == 1 {
                // RA = RT (update and lmw/lq checks).
                w = (w & !0x001f_0000) | ((w >> 5) & 0x001f_0000);
            }
            words.push(op << 26 | w);
        }
    }
    words
}

/// A minimal little-endian ELF64 executable with one `.text` section.
fn write_elf(path: &Path, words: &[u32], vaddr: u64) {
    let text: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let shstr = b"\0.text\0.shstrtab\0";
    let text_off = 64u64;
    let shstr_off = text_off + text.len() as u64;
    let sh_off = (shstr_off + shstr.len() as u64 + 7) & !7;
    let mut f = Vec::new();
    f.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    f.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    f.extend_from_slice(&21u16.to_le_bytes()); // EM_PPC64
    f.extend_from_slice(&1u32.to_le_bytes());
    f.extend_from_slice(&vaddr.to_le_bytes()); // entry
    f.extend_from_slice(&0u64.to_le_bytes()); // phoff
    f.extend_from_slice(&sh_off.to_le_bytes());
    f.extend_from_slice(&2u32.to_le_bytes()); // ELFv2 ABI
    for v in [64u16, 56, 0, 64, 3, 2] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f.extend_from_slice(&text);
    f.extend_from_slice(shstr);
    f.resize(sh_off as usize, 0);
    let mut sh = |name: u32, ty: u32, flags: u64, addr: u64, off: u64, size: u64, align: u64| {
        f.extend_from_slice(&name.to_le_bytes());
        f.extend_from_slice(&ty.to_le_bytes());
        for v in [flags, addr, off, size] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(&0u32.to_le_bytes()); // link
        f.extend_from_slice(&0u32.to_le_bytes()); // info
        f.extend_from_slice(&align.to_le_bytes());
        f.extend_from_slice(&0u64.to_le_bytes()); // entsize
    };
    sh(0, 0, 0, 0, 0, 0, 0);
    sh(1, 1, 6, vaddr, text_off, text.len() as u64, 4); // .text: ALLOC|EXECINSTR
    sh(7, 3, 0, 0, shstr_off, shstr.len() as u64, 1); // .shstrtab
    std::fs::File::create(path).unwrap().write_all(&f).unwrap();
}

#[test]
fn random_words_agree_with_objdump() {
    let Some(objdump) = common::oracle("powerpc64le-linux-gnu-objdump") else {
        return;
    };
    let dir = common::scratch("disasm_agreement_fuzz");
    let elf = dir.join("fuzz.elf");
    write_elf(&elf, &fuzz_words(), 0x1000_0000);
    let r = compare_file(&objdump, &elf);
    r.print("random words", &report_path("random_words"));
    let bad: Vec<String> = FUZZ_CHAPTERS
        .iter()
        .filter_map(|c| r.chapters.get(c).map(|t| (c, t)))
        .filter(|(_, t)| t.all_ok != t.total)
        .map(|(c, t)| format!("{c}: {} of {} words disagree", t.total - t.all_ok, t.total))
        .collect();
    assert!(bad.is_empty(), "random words: {}", bad.join("; "));
}
