//! Floating-point loads and stores (Power ISA 3.0B Book I §4.6.2-4.6.3),
//! driven by the table metadata (`mem=`, `single`, `signed`, `update`,
//! `indexed`, `store`): the forms that move bits unchanged (lfd, stfd,
//! lfiwax, lfiwzx, stfiwx and their update/indexed variants) are generic
//! semantics, so the JIT compiles them inline; the single-precision
//! conversions and the register pairs are one helper.

use super::fpscr::{double_to_single_bits, single_to_double};
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode, F_INDEXED, F_SIGNED, F_SINGLE, F_STORE, F_UPDATE};
use crate::sem::{Backend, Ops, Un};

/// The forms `plain` implements: no format conversion, one access.
pub fn is_plain(op: Opcode) -> bool {
    let mem = op.info().mem;
    !op.has(F_SINGLE) && (mem == 8 || mem == 4)
}

/// lfd, lfiwax, lfiwzx, stfd, stfiwx and their update and indexed forms.
pub fn plain<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let size = i.info().mem;
    let ea = crate::sem::loadstore::ea(b, i);
    let t = i.frt();
    if i.op.has(F_STORE) {
        let mut v = b.fpr(t);
        if size == 4 {
            v = b.andi(v, 0xffff_ffff);
        }
        b.store(size, ea, v)?;
    } else {
        let mut v = b.load(size, ea)?;
        if size == 4 && i.op.has(F_SIGNED) {
            v = b.un(Un::Sext32, v);
        }
        b.set_fpr(t, v);
    }
    if i.op.has(F_UPDATE) {
        b.set_gpr(i.ra(), ea);
    }
    Ok(())
}

/// EA = (RA|0) + D, DS or RB (update forms always use RA).
fn ea(cpu: &CpuState, i: Insn) -> u64 {
    let base = if i.ra() == 0 && !i.op.has(F_UPDATE) {
        0
    } else {
        cpu.gpr[i.ra() as usize]
    };
    let off = if i.op.has(F_INDEXED) {
        cpu.gpr[i.rb() as usize]
    } else if matches!(i.op, Opcode::Lfdp | Opcode::Stfdp) {
        i.ds() as u64
    } else {
        i.d() as u64
    };
    base.wrapping_add(off)
}

/// Every FP load and store.
pub fn h_ldst(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let info = i.info();
    let ea = ea(cpu, i);
    let t = i.frt() as usize;
    let mem = cpu.mem;
    let le = cpu.msr & 1 != 0;
    if info.mem == 16 {
        // lfdp/stfdp: FRTp is an even/odd pair; in little-endian mode the
        // doubleword at EA belongs to the odd register (as lq, §3.3.5).
        let t = t & !1;
        let (lo_reg, hi_reg) = if le { (t + 1, t) } else { (t, t + 1) };
        if i.op.has(F_STORE) {
            mem.store(8, ea, cpu.fpr(lo_reg))?;
            mem.store(8, ea.wrapping_add(8), cpu.fpr(hi_reg))?;
        } else {
            let a = mem.load(8, ea)?;
            let b = mem.load(8, ea.wrapping_add(8))?;
            cpu.set_fpr(lo_reg, a);
            cpu.set_fpr(hi_reg, b);
        }
    } else if i.op.has(F_STORE) {
        let v = cpu.fpr(t);
        match (info.mem, i.op.has(F_SINGLE)) {
            (4, true) => mem.store(4, ea, double_to_single_bits(v) as u64)?,
            (4, false) => mem.store(4, ea, v & 0xffff_ffff)?,
            _ => mem.store(8, ea, v)?,
        }
    } else {
        let v = mem.load(info.mem, ea)?;
        let v = match (info.mem, i.op.has(F_SINGLE), i.op.has(F_SIGNED)) {
            (4, true, _) => single_to_double(v),
            (4, false, true) => v as u32 as i32 as i64 as u64,
            _ => v,
        };
        cpu.set_fpr(t, v);
    }
    if i.op.has(F_UPDATE) {
        cpu.gpr[i.ra() as usize] = ea;
    }
    Ok(())
}
