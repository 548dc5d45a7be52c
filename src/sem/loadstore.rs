//! Fixed-point load/store semantics (Power ISA 3.0B Book I §3.3.2-3.3.7)
//! and storage control (Book II chapter 4: larx/stcx., cache management,
//! sync).
//!
//! Every plain load and store is one function driven by the opcode's table
//! metadata (`mem=` size, `signed`, `update`, `indexed`, `rev`), so the
//! 40-odd forms share one implementation.

use super::{Backend, Handler, Ops, Un};
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode, F_INDEXED, F_REV, F_SIGNED, F_STORE, F_UPDATE};

/// Effective address: (RA|0) + D, DS, DQ or RB.
pub fn ea<B: Backend>(b: &mut B, i: Insn) -> B::V {
    let off = if i.op.has(F_INDEXED) {
        b.gpr(i.rb())
    } else {
        let d = match i.word >> 26 {
            58 | 62 => i.ds(),
            56 => i.dq(),
            _ => i.d(),
        };
        b.imm(d as u64)
    };
    if i.ra() == 0 && !i.op.has(F_UPDATE) {
        off
    } else {
        let a = b.gpr(i.ra());
        b.add(a, off)
    }
}

fn swap<B: Backend>(b: &mut B, size: u8, v: B::V) -> B::V {
    match size {
        2 => b.un(Un::Bswap16, v),
        4 => b.un(Un::Bswap32, v),
        8 => b.un(Un::Bswap64, v),
        _ => v,
    }
}

fn load<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let info = i.info();
    let size = info.mem;
    let ea = ea(b, i);
    let mut v = b.load(size, ea)?;
    if i.op.has(F_REV) {
        v = swap(b, size, v);
    }
    if i.op.has(F_SIGNED) {
        v = b.un(if size == 2 { Un::Sext16 } else { Un::Sext32 }, v);
    }
    // Book I §3.3.2: an update form with RA = 0 or RA = RT is invalid;
    // POWER9 and QEMU write EA then RT, so RT wins.
    if i.op.has(F_UPDATE) {
        b.set_gpr(i.ra(), ea);
    }
    b.set_gpr(i.rt(), v);
    Ok(())
}

fn store<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    let size = i.info().mem;
    let ea = ea(b, i);
    let mut v = b.gpr(i.rs());
    if i.op.has(F_REV) {
        v = swap(b, size, v);
    }
    b.store(size, ea, v)?;
    if i.op.has(F_UPDATE) {
        b.set_gpr(i.ra(), ea);
    }
    Ok(())
}

fn nop<B: Backend>(_b: &mut B, _i: Insn) -> Result<(), Exc> {
    Ok(())
}

// ---- helpers ----

fn ea_cpu(cpu: &CpuState, i: Insn) -> u64 {
    let base = if i.ra() == 0 {
        0
    } else {
        cpu.gpr[i.ra() as usize]
    };
    // Primary opcode 31 is X-form: (RA|0) + RB, whether or not the table
    // line says `indexed` (dcbz, dcbf, ... have no memory attributes).
    let off = if i.op.has(F_INDEXED) || i.word >> 26 == 31 {
        cpu.gpr[i.rb() as usize]
    } else {
        match i.word >> 26 {
            58 | 62 => i.ds() as u64,
            56 => i.dq() as u64,
            _ => i.d() as u64,
        }
    };
    base.wrapping_add(off)
}

/// lmw/stmw (§3.3.7): registers RT..31 from/to consecutive words.
fn h_multiple(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let mut ea = ea_cpu(cpu, i);
    let mem = cpu.mem;
    for r in i.rt()..32 {
        if i.op == Opcode::Lmw {
            cpu.gpr[r as usize] = mem.load(4, ea)?;
        } else {
            mem.store(4, ea, cpu.gpr[r as usize] & 0xffff_ffff)?;
        }
        ea = ea.wrapping_add(4);
    }
    Ok(())
}

/// lq/stq (§3.3.5): RTp even/odd pair; in little-endian mode the
/// doublewords are swapped (RT gets the high-addressed doubleword).
/// An unaligned EA takes an alignment interrupt on hardware, which Linux
/// emulates (`fix_alignment`), so the program sees the access performed;
/// QEMU performs it too.
fn h_quad(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let ea = ea_cpu(cpu, i);
    let r = (i.rt() & !1) as usize;
    let mem = cpu.mem;
    if i.op == Opcode::Lq {
        let lo = mem.load(8, ea)?;
        let hi = mem.load(8, ea + 8)?;
        cpu.gpr[r] = hi;
        cpu.gpr[r + 1] = lo;
    } else {
        let (hi, lo) = (cpu.gpr[r], cpu.gpr[r + 1]);
        mem.store(8, ea, lo)?;
        mem.store(8, ea + 8, hi)?;
    }
    Ok(())
}

/// lbarx..lqarx (Book II §4.4.2): load and set the reservation.
fn h_larx(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let ea = ea_cpu(cpu, i);
    let size = i.info().mem as u64;
    if ea & (size - 1) != 0 {
        return Err(Exc::Alignment { ea });
    }
    let mem = cpu.mem;
    let v = if size == 16 {
        let lo = mem.load(8, ea)?;
        let hi = mem.load(8, ea + 8)?;
        let r = (i.rt() & !1) as usize;
        cpu.gpr[r] = hi;
        cpu.gpr[r + 1] = lo;
        (hi as u128) << 64 | lo as u128
    } else {
        let v = mem.load(size as u8, ea)?;
        cpu.gpr[i.rt() as usize] = v;
        v as u128
    };
    cpu.resv_addr = ea;
    cpu.resv_size = size;
    cpu.resv_val = v;
    Ok(())
}

/// stbcx...stqcx.: store if the reservation is ours and the memory still
/// holds the reserved value (as QEMU does); CR0 = 00 || n || SO.
///
/// Book II §4.4.2 leaves a store conditional to an address other than the
/// reserved one free to fail without touching storage, and an unaligned EA
/// "either invokes the alignment error handler or gives boundedly undefined
/// results". Like QEMU, a store to another address simply fails (no access,
/// so no alignment or storage fault); only a store to the reserved address
/// checks alignment and writability and compares the current contents with
/// the value the larx saw.
fn h_stcx(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let ea = ea_cpu(cpu, i);
    let size = i.info().mem as u64;
    let mem = cpu.mem;
    let mut ok = cpu.resv_addr == ea;
    if ok {
        if ea & (size - 1) != 0 {
            return Err(Exc::Alignment { ea });
        }
        mem.slice(ea, size, crate::memory::PROT_W)?;
        let cur = if size == 16 {
            let lo = mem.load(8, ea)?;
            let hi = mem.load(8, ea + 8)?;
            (hi as u128) << 64 | lo as u128
        } else {
            mem.load(size as u8, ea)? as u128
        };
        ok = cur == cpu.resv_val;
    }
    if ok {
        if size == 16 {
            let r = (i.rs() & !1) as usize;
            mem.store(8, ea, cpu.gpr[r + 1])?;
            mem.store(8, ea + 8, cpu.gpr[r])?;
        } else {
            mem.store(size as u8, ea, cpu.gpr[i.rs() as usize])?;
        }
    }
    cpu.resv_addr = u64::MAX;
    cpu.crf[0] = if ok { 2 } else { 0 } | cpu.so;
    Ok(())
}

/// Cache block size reported to the guest (AT_DCACHEBSIZE) and used by dcbz.
pub const CACHE_BLOCK: u64 = 128;

/// dcbz (Book II §4.3.2): zero the aligned cache block. A reservation in
/// the block is lost, as QEMU does it (Book II §4.4.2 allows a store by the
/// reserving processor to clear its own reservation).
fn h_dcbz(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let ea = ea_cpu(cpu, i) & !(CACHE_BLOCK - 1);
    let s = cpu.mem.slice(ea, CACHE_BLOCK, crate::memory::PROT_W)?;
    s.fill(0);
    if cpu.resv_addr.wrapping_sub(ea) < CACHE_BLOCK {
        cpu.resv_addr = u64::MAX;
    }
    Ok(())
}

fn multiple<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_multiple, i)
}
fn quad<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_quad, i)
}
fn larx<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_larx, i)
}
fn stcx<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_stcx, i)
}
fn dcbz<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_dcbz, i)
}

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    use Opcode::*;
    Some(match op {
        Lmw | Stmw => multiple::<T>,
        Lq | Stq => quad::<T>,
        Lbarx | Lharx | Lwarx | Ldarx | Lqarx => larx::<T>,
        StbcxRc | SthcxRc | StwcxRc | StdcxRc | StqcxRc => stcx::<T>,
        Dcbz => dcbz::<T>,
        Sync | Eieio | Isync | Dcbt | Dcbtst | Dcbf | Dcbst | Icbi | Icbt => nop::<T>,
        _ if op.info().chapter == "loadstore" && op.has(crate::isa::F_LOAD) => load::<T>,
        _ if op.info().chapter == "loadstore" && op.has(F_STORE) => store::<T>,
        _ => return None,
    })
}
