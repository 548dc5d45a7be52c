//! Conditional-branch mnemonics: `bc`, `bclr`, `bcctr` and `bctar` printed
//! the way `objdump -M power9` prints them.
//!
//! The BO field (Power ISA 3.0B Book I §2.4, figure 40) falls into four
//! groups. Bit values below are BO as a 5-bit number (BO0 = 16 ... BO4 = 1):
//!
//! * decrement CTR and test a CR bit (`0000z`/`0001z`/`0100z`/`0101z`):
//!   `bdnzf`, `bdzf`, `bdnzt`, `bdzt`; the `z` bit must be 0 except in `bc`,
//!   where objdump ignores it;
//! * test a CR bit only (`001at`/`011at`): `bge`, `bne`, ... with the `at`
//!   hint (§2.4 figure 41: `00` none, `10` unlikely `-`, `11` likely `+`,
//!   `01` reserved: accepted by `bc` without a hint, rejected by the XL-forms);
//! * decrement CTR only (`1a00t`/`1a01t`): `bdnz`, `bdz`, written as aliases
//!   only when BI = 0, and never for `bcctr` (which cannot decrement CTR);
//! * branch always (`1z1zz`): only `10100` is valid; `blr`, `bctr`, `btar`
//!   when BI = 0 (`bc` has no "always" alias).
//!
//! Whatever has no extended mnemonic is printed raw (`bc 16,eq,target`),
//! with `-`/`+` for the `at` hint of the decrement-only group, or as `.long`
//! when BO is invalid. XL-forms print a non-zero BH as a last operand, and
//! then always name the CR field (`bgelr cr0,1`).

use super::fmt_crbit;
use crate::isa::{Insn, Opcode};

/// Branch-target text: relative targets wrap in 64 bits; absolute ones are
/// printed as 32-bit values, as objdump does.
pub(super) fn target(d: i64, absolute: bool, addr: u64) -> String {
    if absolute {
        format!("0x{:x}", d as u32)
    } else {
        format!("0x{:x}", addr.wrapping_add(d as u64))
    }
}

const TRUE_CONDS: [&str; 4] = ["lt", "gt", "eq", "so"];
const FALSE_CONDS: [&str; 4] = ["ge", "le", "ne", "ns"];

/// Is BO a valid value for the raw (non-alias) form? (§2.4 figure 40.)
fn valid_bo(bo: u32) -> bool {
    match bo & 0b10100 {
        0b00000 => bo & 1 == 0,
        0b00100 => bo & 3 != 1,
        0b10000 => bo & 0b01001 != 1,
        _ => bo == 0b10100,
    }
}

fn hint(a: bool, t: bool) -> &'static str {
    match (a, t) {
        (true, false) => "-",
        (true, true) => "+",
        _ => "",
    }
}

/// Format `bc`/`bclr`/`bcctr`/`bctar` at `addr`.
pub(super) fn bcond(insn: Insn, addr: u64) -> String {
    let w = insn.word;
    let bo = insn.bo();
    let bi = insn.bi();
    let lk = if w & 1 != 0 { "l" } else { "" };
    let is_bc = insn.op == Opcode::Bc;
    let aa = is_bc && w & 2 != 0;
    let tail = match insn.op {
        Opcode::Bc => "",
        Opcode::Bclr => "lr",
        Opcode::Bcctr => "ctr",
        _ => "tar",
    };
    let bh = if is_bc { 0 } else { insn.bh() };
    let crbit = || {
        let mut s = String::new();
        fmt_crbit(&mut s, bi as i64);
        s
    };
    let mut ops: Vec<String> = Vec::new();
    let stem: String;
    let mut sfx = "";
    match bo & 0b10100 {
        // Decrement CTR and test a CR bit.
        0b00000 if is_bc || (bo & 1 == 0 && insn.op != Opcode::Bcctr) => {
            let z = if bo & 2 != 0 { "bdz" } else { "bdnz" };
            let t = if bo & 8 != 0 { "t" } else { "f" };
            stem = format!("{z}{t}");
            ops.push(crbit());
        }
        // Test a CR bit only.
        0b00100 if is_bc || bo & 3 != 1 => {
            let names = if bo & 8 != 0 { TRUE_CONDS } else { FALSE_CONDS };
            stem = format!("b{}", names[(bi % 4) as usize]);
            sfx = hint(bo & 2 != 0, bo & 1 != 0);
            if bi / 4 != 0 || bh != 0 {
                ops.push(format!("cr{}", bi / 4));
            }
        }
        // Decrement CTR only, written as bdnz/bdz when BI = 0.
        0b10000 if bi == 0 && insn.op != Opcode::Bcctr && (is_bc || bo & 0b01001 != 1) => {
            stem = if bo & 2 != 0 { "bdz" } else { "bdnz" }.to_string();
            sfx = hint(bo & 8 != 0, bo & 1 != 0);
        }
        // Branch always, as blr/bctr/btar.
        0b10100 if !is_bc && bo == 0b10100 && bi == 0 => {
            stem = "b".to_string();
        }
        _ => {
            if !valid_bo(bo) {
                return format!(".long 0x{w:x}");
            }
            stem = insn.info().mnemonic.to_string();
            if bo & 0b10100 == 0b10000 {
                sfx = hint(bo & 8 != 0, bo & 1 != 0);
            }
            ops.push(bo.to_string());
            ops.push(crbit());
            let mnemonic = format!("{stem}{lk}{}{sfx}", if aa { "a" } else { "" });
            return finish(mnemonic, ops, insn, bh, aa, addr);
        }
    }
    let mnemonic = format!("{stem}{tail}{lk}{}{sfx}", if aa { "a" } else { "" });
    finish(mnemonic, ops, insn, bh, aa, addr)
}

fn finish(
    mnemonic: String,
    mut ops: Vec<String>,
    insn: Insn,
    bh: u32,
    aa: bool,
    addr: u64,
) -> String {
    if insn.op == Opcode::Bc {
        ops.push(target(insn.bd(), aa, addr));
    } else if bh != 0 {
        ops.push(bh.to_string());
    }
    if ops.is_empty() {
        mnemonic
    } else {
        let pad = 8usize.saturating_sub(mnemonic.len()).max(1);
        format!("{mnemonic}{}{}", " ".repeat(pad), ops.join(","))
    }
}
