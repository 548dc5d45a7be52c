//! The disassembler: `Insn` → objdump-style text.
//!
//! Output follows `powerpc64le-linux-gnu-objdump -d -M power9`: extended
//! mnemonics from the alias table first, then the base mnemonic with its
//! `o`/`.`/`l`/`a` suffixes, operands in objdump's syntax (`r3`, `f1`, `v2`,
//! `vs34`, `cr7`, `4*cr7+eq`, branch targets as absolute hex addresses).
//! Conditional-branch mnemonics (Power ISA 3.0B Book I §2.5 and appendix C,
//! "Extended mnemonics for branch conditional") are built by `bcond`.

use super::{Alias, FieldKind, Insn, Opcode, Opnd, ALIASES, F_AA, F_LK, F_OE, F_RC, FIELDS};
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
                    let t = if insn.op.has(F_AA) && w & 2 != 0 {
                        v as u64
                    } else {
                        addr.wrapping_add(v as u64)
                    };
                    write!(out, "{t:x}")
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

/// Disassemble one word at `addr`: `mnemonic operands`, or `.long 0x...`.
pub fn disasm(word: u32, addr: u64) -> String {
    let insn = Insn::new(word);
    if insn.op == Opcode::Invalid {
        return format!(".long 0x{word:x}");
    }
    let sfx = suffixes(insn);
    for a in aliases_for(insn.op) {
        if a.cond.is_none_or(|c| c(word)) {
            if let Some(f) = a.fmt {
                if let Some(s) = special(f, insn, addr) {
                    return s;
                }
                continue;
            }
            return render(a.mnemonic, &sfx, a.operands, insn, addr);
        }
    }
    if let Some(s) = insn_fmt(insn, addr) {
        return s;
    }
    render(insn.info().mnemonic, &sfx, insn.info().operands, insn, addr)
}

fn insn_fmt(insn: Insn, addr: u64) -> Option<String> {
    match insn.op {
        Opcode::Bc | Opcode::Bclr | Opcode::Bcctr | Opcode::Bctar => bcond(insn, addr),
        _ => None,
    }
}

fn special(name: &str, insn: Insn, addr: u64) -> Option<String> {
    match name {
        "bcond" => bcond(insn, addr),
        _ => None,
    }
}

/// Extended mnemonics for bc, bclr, bcctr and bctar (Book I appendix C.2).
fn bcond(insn: Insn, addr: u64) -> Option<String> {
    let w = insn.word;
    let bo = insn.bo();
    let bi = insn.bi();
    let lk = w & 1 != 0;
    let aa = insn.op == Opcode::Bc && w & 2 != 0;
    let (tail, has_target) = match insn.op {
        Opcode::Bc => ("", true),
        Opcode::Bclr => ("lr", false),
        Opcode::Bcctr => ("ctr", false),
        _ => ("tar", false),
    };
    if !has_target && insn.bh() != 0 {
        return None;
    }
    let ctr = bo & 4 == 0;
    let cond = bo & 16 == 0;
    // Hint bits: for conditions, BO = 0b0c1at or 0b0c0at with ctr; the
    // "at" pair 0b11 means likely (+), 0b10 unlikely (-).
    let (stem, hint_bits, uses_bi) = match (ctr, cond) {
        (false, false) => {
            // branch always: BO = 1z1zz
            if insn.op == Opcode::Bc {
                return None;
            }
            if bo != 20 || bi != 0 {
                return None;
            }
            (String::from("b"), 0, false)
        }
        (true, false) => {
            let z = if bo & 2 != 0 { "bdz" } else { "bdnz" };
            (z.to_string(), ((bo >> 3) & 1) << 1 | (bo & 1), false)
        }
        (false, true) => {
            let t = bo & 8 != 0;
            let names = if t {
                ["lt", "gt", "eq", "so"]
            } else {
                ["ge", "le", "ne", "ns"]
            };
            (format!("b{}", names[(bi % 4) as usize]), bo & 3, true)
        }
        (true, true) => {
            let z = if bo & 2 != 0 { "bdz" } else { "bdnz" };
            let t = if bo & 8 != 0 { "t" } else { "f" };
            (format!("{z}{t}"), 0, false)
        }
    };
    if ctr && !cond && bo & 0b01000 == 0 && bo & 1 != 0 {
        return None;
    }
    let hint = match hint_bits {
        0 => "",
        2 => "-",
        3 => "+",
        _ => return None,
    };
    let mut m = stem;
    m.push_str(tail);
    if lk {
        m.push('l');
    }
    if aa {
        m.push('a');
    }
    m.push_str(hint);
    let mut ops = Vec::new();
    if uses_bi {
        if bi / 4 != 0 {
            ops.push(format!("cr{}", bi / 4));
        }
    } else if ctr && cond {
        let mut s = String::new();
        fmt_crbit(&mut s, bi as i64);
        ops.push(s);
    }
    if has_target {
        let d = insn.bd();
        let t = if aa {
            d as u64
        } else {
            addr.wrapping_add(d as u64)
        };
        ops.push(format!("{t:x}"));
    }
    if ops.is_empty() {
        Some(m)
    } else {
        let pad = 8usize.saturating_sub(m.len()).max(1);
        Some(format!("{m}{}{}", " ".repeat(pad), ops.join(",")))
    }
}
