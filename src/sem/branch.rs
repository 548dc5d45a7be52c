//! Branch facility semantics (Power ISA 3.0B Book I chapter 2): b, bc,
//! bclr, bcctr, bctar, the CR logical instructions, mcrf, sc and scv.

use super::{Backend, Bin, Handler, Ops, Reg};
use crate::cpu::Exc;
use crate::isa::{Insn, Opcode};

/// CR bit `n` (ISA numbering 0..31) as 0/1.
pub fn cr_bit<B: Backend>(b: &mut B, n: u32) -> B::V {
    let f = b.crf(n / 4);
    b.crf_bit(f, 3 - n % 4)
}

fn set_cr_bit<B: Backend>(b: &mut B, n: u32, v: B::V) {
    let f = b.crf(n / 4);
    let sh = 3 - n % 4;
    let cleared = b.andi(f, !(1u64 << sh) & 0xf);
    let k = b.imm(sh as u64);
    let bit = b.bin(Bin::Shl, v, k);
    let r = b.or(cleared, bit);
    b.set_crf(n / 4, r);
}

fn b_imm<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let li = i.li() as u64;
    let target = if i.aa() != 0 {
        li
    } else {
        b.cia().wrapping_add(li)
    };
    if i.lk() != 0 {
        let r = b.imm(b.cia() + 4);
        b.set_reg(Reg::Lr, r);
    }
    let t = b.imm(target);
    b.branch(t);
    Ok(())
}

/// bc, bclr, bcctr, bctar (§2.4): decrement CTR if BO says so, test CTR and
/// the CR bit, branch, and link.
fn bcond<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let bo = i.bo();
    let target = match i.op {
        Opcode::Bc => {
            let d = i.bd() as u64;
            let t = if i.aa() != 0 {
                d
            } else {
                b.cia().wrapping_add(d)
            };
            b.imm(t)
        }
        Opcode::Bclr => {
            let lr = b.reg(Reg::Lr);
            b.andi(lr, !3)
        }
        Opcode::Bcctr => {
            let ctr = b.reg(Reg::Ctr);
            b.andi(ctr, !3)
        }
        _ => {
            let tar = b.reg(Reg::Tar);
            b.andi(tar, !3)
        }
    };
    let mut ok = b.imm(1);
    if bo & 4 == 0 && i.op != Opcode::Bcctr {
        let ctr = b.reg(Reg::Ctr);
        let ctr = b.addi(ctr, u64::MAX);
        b.set_reg(Reg::Ctr, ctr);
        let z = b.eqi(ctr, 0);
        // BO[3] (value 2) set: branch if CTR == 0.
        ok = if bo & 2 != 0 { z } else { b.eqi(z, 0) };
    }
    if bo & 16 == 0 {
        let c = cr_bit(b, i.bi());
        let want = (bo >> 3) & 1;
        let m = b.eqi(c, want as u64);
        ok = b.and(ok, m);
    }
    if i.lk() != 0 {
        let r = b.imm(b.cia() + 4);
        b.set_reg(Reg::Lr, r);
    }
    if bo & 0x14 == 0x14 {
        b.branch(target);
    } else {
        b.branch_if(ok, target);
    }
    Ok(())
}

/// CR logical (§2.5.1): BT = f(BA, BB).
fn crlogical<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let x = cr_bit(b, i.ba());
    let y = cr_bit(b, i.bb());
    let one = b.imm(1);
    let r = match i.op {
        Opcode::Crand => b.and(x, y),
        Opcode::Cror => b.or(x, y),
        Opcode::Crxor => b.xor(x, y),
        Opcode::Crnand => {
            let t = b.and(x, y);
            b.xor(t, one)
        }
        Opcode::Crnor => {
            let t = b.or(x, y);
            b.xor(t, one)
        }
        Opcode::Creqv => {
            let t = b.xor(x, y);
            b.xor(t, one)
        }
        Opcode::Crandc => {
            let ny = b.xor(y, one);
            b.and(x, ny)
        }
        _ => {
            let ny = b.xor(y, one);
            b.or(x, ny)
        }
    };
    set_cr_bit(b, i.bt(), r);
    Ok(())
}

fn mcrf<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let f = b.crf(i.bfa());
    b.set_crf(i.bf(), f);
    Ok(())
}

fn sc<B: Backend>(_b: &mut B, i: Insn) -> Result<(), Exc> {
    Err(Exc::Syscall {
        scv: i.op == Opcode::Scv,
        lev: i.lev(),
    })
}

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    Some(match op {
        Opcode::B => b_imm::<T>,
        Opcode::Bc | Opcode::Bclr | Opcode::Bcctr | Opcode::Bctar => bcond::<T>,
        Opcode::Crand
        | Opcode::Cror
        | Opcode::Crxor
        | Opcode::Crnand
        | Opcode::Crnor
        | Opcode::Creqv
        | Opcode::Crandc
        | Opcode::Crorc => crlogical::<T>,
        Opcode::Mcrf => mcrf::<T>,
        Opcode::Sc | Opcode::Scv => sc::<T>,
        _ => return None,
    })
}
