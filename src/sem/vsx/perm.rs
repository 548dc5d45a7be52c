//! VSX logical and permute instructions (Power ISA 3.0B Book I ch. 7,
//! "VSX Logical Instructions" and "VSX Permute Instructions"): xxl*,
//! xxsel, xxpermdi, xxsldwi, xxmrghw/xxmrglw, xxspltw, xxspltib,
//! xxperm/xxpermr, xxbr{h,w,d,q}, xxextractuw and xxinsertw.
//!
//! They share the VMX element helpers; only the register file (all 64
//! VSRs) and field names differ.

use super::{set_vsr, vsr};
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;
use crate::sem::vmx::elem::*;
use crate::sem::vmx::int::logic_op;
use crate::sem::vmx::perm::{permute, shift_pair};

fn xa(cpu: &CpuState, i: Insn) -> u128 {
    vsr(cpu, i.xa())
}
fn xb(cpu: &CpuState, i: Insn) -> u128 {
    vsr(cpu, i.xb())
}

/// xxland, xxlandc, xxlor, xxlxor, xxlnor, xxlorc, xxlnand, xxleqv.
pub fn logic<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = logic_op::<OP>(xa(cpu, i), xb(cpu, i));
    set_vsr(cpu, i.xt(), r);
    Ok(())
}

/// xxsel: bits of XB where XC is 1, of XA where it is 0.
pub fn xxsel(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let c = vsr(cpu, i.xc());
    let r = (xa(cpu, i) & !c) | (xb(cpu, i) & c);
    set_vsr(cpu, i.xt(), r);
    Ok(())
}

/// xxpermdi: doubleword DM[0] of XA, then doubleword DM[1] of XB.
pub fn xxpermdi(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (xa(cpu, i), xb(cpu, i));
    let dm = i.dm();
    let hi = if dm & 2 != 0 { dw1(a) } else { dw0(a) };
    let lo = if dm & 1 != 0 { dw1(b) } else { dw0(b) };
    set_vsr(cpu, i.xt(), from_dw(hi, lo));
    Ok(())
}

/// xxsldwi: words SHW..SHW+3 of XA || XB.
pub fn xxsldwi(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = shift_pair(xa(cpu, i), xb(cpu, i), 4 * i.shw());
    set_vsr(cpu, i.xt(), r);
    Ok(())
}

/// xxmrghw, xxmrglw: interleave words 0-1 (2-3) of XA and XB.
pub fn xxmrg<const LOW: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (xa(cpu, i), xb(cpu, i));
    let off = if LOW { 2 } else { 0 };
    let r = build(32, |k| get(if k % 2 == 0 { a } else { b }, 32, k / 2 + off));
    set_vsr(cpu, i.xt(), r);
    Ok(())
}

/// xxspltw: replicate word UIM of XB.
pub fn xxspltw(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let x = get(xb(cpu, i), 32, i.uim2());
    set_vsr(cpu, i.xt(), build(32, |_| x));
    Ok(())
}

/// xxspltib (v3.0): replicate the 8-bit immediate.
pub fn xxspltib(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let x = i.imm8x() as u64;
    set_vsr(cpu, i.xt(), build(8, |_| x));
    Ok(())
}

/// xxperm, xxpermr (v3.0): like vperm/vpermr on XA || XT with the
/// selector in XB.
pub fn xxperm<const RIGHT: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = permute(xa(cpu, i), vsr(cpu, i.xt()), xb(cpu, i), RIGHT);
    set_vsr(cpu, i.xt(), r);
    Ok(())
}

/// xxbrh, xxbrw, xxbrd, xxbrq (v3.0): reverse the bytes of each `E`-byte
/// element.
pub fn xxbr<const E: usize>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let mut b = xb(cpu, i).to_be_bytes();
    for c in b.chunks_mut(E) {
        c.reverse();
    }
    set_vsr(cpu, i.xt(), u128::from_be_bytes(b));
    Ok(())
}

/// xxextractuw (v3.0): the word at byte UIM of XB, zero-extended into
/// doubleword 0; doubleword 1 is cleared. Bytes past 15 read as zero.
pub fn xxextractuw(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = xb(cpu, i);
    let w = (b << (8 * i.uim4())) >> 96;
    set_vsr(cpu, i.xt(), w << 64);
    Ok(())
}

/// xxinsertw (v3.0): word 1 of XB written at byte UIM of XT, the rest of
/// XT kept; bytes past 15 are dropped.
pub fn xxinsertw(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let w = get(xb(cpu, i), 32, 1) as u128;
    let t = vsr(cpu, i.xt());
    let pos = 96 - 8 * i.uim4() as i32;
    let (m, v) = if pos >= 0 {
        (0xffff_ffffu128 << pos, w << pos)
    } else {
        (0xffff_ffffu128 >> -pos, w >> -pos)
    };
    set_vsr(cpu, i.xt(), (t & !m) | v);
    Ok(())
}
