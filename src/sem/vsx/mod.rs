//! Vector-scalar facility (VSX) semantics, Power ISA 3.0B Book I chapter 7:
//! the non-floating-point part. This file has the loads and stores ("VSX
//! Storage Access Instructions") and the moves between GPRs and VSRs
//! ("VSX Move Instructions"); `perm` has the logical, permute, merge,
//! splat, extract/insert and byte-reverse instructions.
//!
//! Storage byte order: an element of E bytes is read in the current byte
//! order (MSR[LE]) and placed as element k of the register, so in
//! little-endian mode `lxvd2x` gives doubleword 0 from EA (not EA+8) while
//! `lxvx`/`lxv` treat the whole quadword as one element (doubleword 0 from
//! EA+8). `lxvb16x`, `lxvll` and `stxvll` are byte-ordered whatever the
//! mode.

pub mod perm;

use super::vmx::little;
use super::{Backend, Handler};
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode, F_INDEXED};

#[inline(always)]
pub fn vsr(cpu: &CpuState, n: u32) -> u128 {
    cpu.vsr[(n & 63) as usize]
}
#[inline(always)]
pub fn set_vsr(cpu: &mut CpuState, n: u32, v: u128) {
    cpu.vsr[(n & 63) as usize] = v;
}

/// Effective address: (RA|0) + RB for X-forms, + DS for lxsd/lxssp/stxsd/
/// stxssp, + DQ for lxv/stxv.
fn ea(cpu: &CpuState, i: Insn) -> u64 {
    let base = if i.ra() == 0 {
        0
    } else {
        cpu.gpr[i.ra() as usize]
    };
    let off = if i.op.has(F_INDEXED) {
        cpu.gpr[i.rb() as usize]
    } else if matches!(i.op, Opcode::Lxv | Opcode::Stxv) {
        i.dq() as u64
    } else {
        i.ds() as u64
    };
    base.wrapping_add(off)
}

/// The VSR named by a load's target field (VRT+32 for the DS-forms).
fn target(i: Insn) -> u32 {
    match i.op {
        Opcode::Lxsd | Opcode::Lxssp | Opcode::Stxsd | Opcode::Stxssp => 32 + i.vrt(),
        Opcode::Lxv | Opcode::Stxv => i.xtdq(),
        _ => i.xt(),
    }
}

/// Load `size` (1, 2, 4, 8) bytes in the current byte order. Bytes are
/// read as bytes and ordered here, so this holds in system mode with a
/// big-endian MSR too.
fn ld(cpu: &CpuState, size: u8, ea: u64) -> Result<u64, Exc> {
    let m = &cpu.mem;
    let mut b = [0u8; 8];
    let n = size as usize;
    match size {
        1 => b[..1].copy_from_slice(&m.read::<1>(ea)?),
        2 => b[..2].copy_from_slice(&m.read::<2>(ea)?),
        4 => b[..4].copy_from_slice(&m.read::<4>(ea)?),
        _ => b.copy_from_slice(&m.read::<8>(ea)?),
    }
    if !little(cpu) {
        b[..n].reverse();
    }
    Ok(u64::from_le_bytes(b))
}

/// Store the low `size` bytes of `v` in the current byte order.
fn st(cpu: &CpuState, size: u8, ea: u64, v: u64) -> Result<(), Exc> {
    let m = &cpu.mem;
    let mut b = v.to_le_bytes();
    let n = size as usize;
    if !little(cpu) {
        b[..n].reverse();
    }
    match size {
        1 => m.write::<1>(ea, [b[0]]),
        2 => m.write::<2>(ea, [b[0], b[1]]),
        4 => m.write::<4>(ea, [b[0], b[1], b[2], b[3]]),
        _ => m.write::<8>(ea, b),
    }
}

/// Reorder 16 storage bytes into the register's big-endian image, as
/// elements of `e` bytes each read in the current byte order. The mapping
/// is its own inverse, so stores use it too.
fn arrange(b: [u8; 16], e: usize, le: bool) -> [u8; 16] {
    if !le {
        return b;
    }
    let mut o = [0u8; 16];
    for k in (0..16).step_by(e) {
        for j in 0..e {
            o[k + j] = b[k + e - 1 - j];
        }
    }
    o
}

/// Element size of a full-vector load or store.
fn elem_bytes(op: Opcode) -> usize {
    use Opcode::*;
    match op {
        Lxvd2x | Stxvd2x => 8,
        Lxvw4x | Stxvw4x => 4,
        Lxvh8x | Stxvh8x => 2,
        Lxvb16x | Stxvb16x => 1,
        _ => 16,
    }
}

/// SP to DP as the loads do it (Book I ch. 4, "Floating-Point Load Instructions"): exact, NaNs keep their
/// payload and signalling bit.
pub fn sp_to_dp(w: u32) -> u64 {
    if w & 0x7f80_0000 == 0x7f80_0000 {
        (w as u64 & 0x8000_0000) << 32 | 0x7ff0_0000_0000_0000 | (w as u64 & 0x7f_ffff) << 29
    } else {
        (f32::from_bits(w) as f64).to_bits()
    }
}

/// DP to SP as the stores do it (Book I ch. 4, "Floating-Point Store Instructions"): values with an
/// exponent above the single-precision denormal range (and infinities and
/// NaNs) keep bits 0:1 and 5:34 with no rounding. Smaller values, for
/// which the ISA's denormalizing shift is only partly defined, are
/// converted with rounding in FPSCR[RN], as QEMU and POWER9 do.
pub fn dp_to_sp(x: u64, rn: u64) -> u32 {
    let exp = (x >> 52 & 0x7ff) as u32;
    if exp > 896 {
        return ((x >> 62) as u32) << 30 | (x >> 29 & 0x3fff_ffff) as u32;
    }
    let v = f64::from_bits(x);
    let r = v as f32; // nearest-even
    let back = r as f64;
    if back == v || rn == 0 {
        return r.to_bits();
    }
    // Directed modes: step one ulp if nearest went the wrong way.
    let bits = r.to_bits();
    let neg = bits & 0x8000_0000 != 0;
    let mag0 = bits & 0x7fff_ffff == 0;
    let up = |b: u32| {
        if !neg {
            b + 1
        } else if mag0 {
            1
        } else {
            b - 1
        }
    };
    let down = |b: u32| {
        if neg {
            b + 1
        } else if mag0 {
            0x8000_0001
        } else {
            b - 1
        }
    };
    match rn {
        1 if back.abs() > v.abs() => bits - 1,
        2 if back < v => up(bits),
        3 if back > v => down(bits),
        _ => bits,
    }
}

/// Full-vector loads: lxvx, lxv, lxvd2x, lxvw4x, lxvh8x, lxvb16x.
fn h_lxv(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = cpu.mem.read::<16>(ea(cpu, i))?;
    let v = u128::from_be_bytes(arrange(b, elem_bytes(i.op), little(cpu)));
    set_vsr(cpu, target(i), v);
    Ok(())
}

/// Full-vector stores: stxvx, stxv, stxvd2x, stxvw4x, stxvh8x, stxvb16x.
fn h_stxv(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let v = vsr(cpu, target(i));
    let b = arrange(v.to_be_bytes(), elem_bytes(i.op), little(cpu));
    cpu.mem.write::<16>(ea(cpu, i), b)
}

/// lxvdsx, lxvwsx: load one element and replicate it.
fn h_lxvsplat(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let size = i.info().mem;
    let x = ld(cpu, size, ea(cpu, i))?;
    let v = super::vmx::elem::build(8 * size as u32, |_| x);
    set_vsr(cpu, i.xt(), v);
    Ok(())
}

/// Scalar loads into doubleword 0: lxsdx, lxsd, lxsiwax, lxsiwzx,
/// lxsibzx, lxsihzx, lxsspx, lxssp. Doubleword 1 is cleared by the
/// DS-forms lxsd/lxssp and undefined for the X-forms, where, like QEMU,
/// we leave it unchanged.
fn h_lxs(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let size = i.info().mem;
    let x = ld(cpu, size, ea(cpu, i))?;
    let d = match i.op {
        Lxsiwax => x as u32 as i32 as i64 as u64,
        Lxsspx | Lxssp => sp_to_dp(x as u32),
        _ => x,
    };
    let t = target(i);
    let keep = if matches!(i.op, Lxsd | Lxssp) {
        0
    } else {
        vsr(cpu, t) as u64 as u128
    };
    set_vsr(cpu, t, (d as u128) << 64 | keep);
    Ok(())
}

/// Scalar stores from doubleword 0: stxsdx, stxsd, stxsiwx (bits 32:63),
/// stxsibx, stxsihx, stxsspx and stxssp (converted to single).
fn h_stxs(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let size = i.info().mem;
    let d = (vsr(cpu, target(i)) >> 64) as u64;
    let x = match i.op {
        Stxsspx | Stxssp => dp_to_sp(d, cpu.fpscr & 3) as u64,
        _ => d,
    };
    st(cpu, size, ea(cpu, i), x)
}

/// lxvl, lxvll, stxvl, stxvll (v3.0): access min(RB[0:7], 16)
/// bytes. The plain forms place them as the first bytes of a full-vector
/// access in the current byte order; the "ll" forms are left-justified
/// byte arrays. Bytes not loaded are zero.
fn h_len(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let nb = (cpu.gpr[i.rb() as usize] >> 56).min(16) as usize;
    let base = if i.ra() == 0 {
        0
    } else {
        cpu.gpr[i.ra() as usize]
    };
    let left = matches!(i.op, Lxvll | Stxvll);
    let le = little(cpu) && !left;
    // Byte accesses: the range may cross a page (or, in system mode, a
    // translation) boundary anywhere.
    match i.op {
        Lxvl | Lxvll => {
            let mut b = [0u8; 16];
            for (k, x) in b.iter_mut().enumerate().take(nb) {
                *x = cpu.mem.read::<1>(base.wrapping_add(k as u64))?[0];
            }
            let v = if le {
                u128::from_le_bytes(b)
            } else {
                u128::from_be_bytes(b)
            };
            set_vsr(cpu, i.xt(), v);
        }
        _ => {
            let v = vsr(cpu, i.xs());
            let b = if le { v.to_le_bytes() } else { v.to_be_bytes() };
            if nb > 0 {
                // fault before writing anything if the last byte is bad
                let last = base.wrapping_add(nb as u64 - 1);
                cpu.mem.write::<1>(last, cpu.mem.read::<1>(last)?)?;
            }
            for (k, x) in b.iter().enumerate().take(nb) {
                cpu.mem.write::<1>(base.wrapping_add(k as u64), [*x])?;
            }
        }
    }
    Ok(())
}

/// Moves between GPRs and VSRs: mfvsrd/mfvsrwz/mfvsrld read
/// doubleword 0, its low word, or doubleword 1; mtvsrd/mtvsrwa/mtvsrwz
/// write doubleword 0 (doubleword 1 is undefined; like QEMU we keep it),
/// mtvsrdd both doublewords and mtvsrws every word.
fn h_move(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let ra = cpu.gpr[i.ra() as usize];
    let keep = |cpu: &CpuState| vsr(cpu, i.xt()) as u64 as u128;
    match i.op {
        Mfvsrd | Mfvsrwz | Mfvsrld => {
            let v = vsr(cpu, i.xs());
            cpu.gpr[i.ra() as usize] = match i.op {
                Mfvsrd => (v >> 64) as u64,
                Mfvsrwz => (v >> 64) as u32 as u64,
                _ => v as u64,
            };
        }
        Mtvsrd => set_vsr(cpu, i.xt(), (ra as u128) << 64 | keep(cpu)),
        Mtvsrwa => set_vsr(
            cpu,
            i.xt(),
            (ra as i32 as i64 as u64 as u128) << 64 | keep(cpu),
        ),
        Mtvsrwz => set_vsr(cpu, i.xt(), (ra as u32 as u128) << 64 | keep(cpu)),
        Mtvsrdd => {
            let hi = if i.ra() == 0 { 0 } else { ra };
            let lo = cpu.gpr[i.rb() as usize];
            set_vsr(cpu, i.xt(), (hi as u128) << 64 | lo as u128);
        }
        _ => {
            let w = ra as u32 as u128;
            set_vsr(cpu, i.xt(), w << 96 | w << 64 | w << 32 | w);
        }
    }
    Ok(())
}

macro_rules! h {
    ($f:expr) => {{
        fn w<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
            b.helper($f, i)
        }
        w::<T> as Handler<T>
    }};
}

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    use super::vmx::int::{AND, ANDC, EQV, NAND, NOR, OR, ORC, XOR};
    use perm::*;
    use Opcode::*;
    Some(match op {
        Lxvx | Lxv | Lxvd2x | Lxvw4x | Lxvh8x | Lxvb16x => |b: &mut T, i| b.vsx_access(h_lxv, i),
        Stxvx | Stxv | Stxvd2x | Stxvw4x | Stxvh8x | Stxvb16x => {
            |b: &mut T, i| b.vsx_access(h_stxv, i)
        }
        Lxvdsx | Lxvwsx => h!(h_lxvsplat),
        Lxsdx | Lxsd | Lxsiwax | Lxsiwzx | Lxsibzx | Lxsihzx | Lxsspx | Lxssp => h!(h_lxs),
        Stxsdx | Stxsd | Stxsiwx | Stxsibx | Stxsihx | Stxsspx | Stxssp => h!(h_stxs),
        Lxvl | Lxvll | Stxvl | Stxvll => h!(h_len),
        Mfvsrd | Mfvsrwz | Mfvsrld | Mtvsrd | Mtvsrwa | Mtvsrwz | Mtvsrdd | Mtvsrws => h!(h_move),
        Xxland => h!(logic::<AND>),
        Xxlandc => h!(logic::<ANDC>),
        Xxlor => h!(logic::<OR>),
        Xxlxor => h!(logic::<XOR>),
        Xxlnor => h!(logic::<NOR>),
        Xxlorc => h!(logic::<ORC>),
        Xxlnand => h!(logic::<NAND>),
        Xxleqv => h!(logic::<EQV>),
        Xxsel => h!(xxsel),
        Xxpermdi => h!(xxpermdi),
        Xxsldwi => h!(xxsldwi),
        Xxmrghw => h!(xxmrg::<false>),
        Xxmrglw => h!(xxmrg::<true>),
        Xxspltw => h!(xxspltw),
        Xxspltib => h!(xxspltib),
        Xxperm => h!(xxperm::<false>),
        Xxpermr => h!(xxperm::<true>),
        Xxbrh => h!(xxbr::<2>),
        Xxbrw => h!(xxbr::<4>),
        Xxbrd => h!(xxbr::<8>),
        Xxbrq => h!(xxbr::<16>),
        Xxextractuw => h!(xxextractuw),
        Xxinsertw => h!(xxinsertw),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_element_order() {
        let mem: [u8; 16] = core::array::from_fn(|k| k as u8);
        // lxvd2x in LE: doubleword 0 is the 8 bytes at EA, read LE.
        let v = u128::from_be_bytes(arrange(mem, 8, true));
        assert_eq!(v >> 64, 0x0706_0504_0302_0100);
        assert_eq!(v as u64, 0x0f0e_0d0c_0b0a_0908);
        // lxvw4x: word 0 from EA.
        let v = u128::from_be_bytes(arrange(mem, 4, true));
        assert_eq!(v >> 96, 0x0302_0100);
        // lxvx/lxv: the whole quadword LE, so doubleword 0 is from EA+8.
        let v = u128::from_be_bytes(arrange(mem, 16, true));
        assert_eq!(v, u128::from_le_bytes(mem));
        // lxvb16x: byte order.
        assert_eq!(arrange(mem, 1, true), mem);
        // big-endian mode: everything is byte order.
        assert_eq!(arrange(mem, 8, false), mem);
    }

    #[test]
    fn single_conversions() {
        assert_eq!(sp_to_dp(0x3f80_0000), 1.0f64.to_bits());
        assert_eq!(sp_to_dp(0x7f80_0001), 0x7ff0_0000_2000_0000); // SNaN kept
        assert_eq!(sp_to_dp(0x0000_0001), (f32::from_bits(1) as f64).to_bits());
        assert_eq!(dp_to_sp(1.5f64.to_bits(), 0), 1.5f32.to_bits());
        assert_eq!(dp_to_sp((f32::from_bits(3) as f64).to_bits(), 0), 3);
        assert_eq!(dp_to_sp(0x7ff8_0000_0000_0000, 0), 0x7fc0_0000);
        // an SNaN keeps its truncated bits (here: infinity), as on QEMU
        assert_eq!(dp_to_sp(0x7ff0_0000_0000_0001, 0), 0x7f80_0000);
        // below the denormal range: rounded
        // 0.75 * 2^-149 in each rounding mode
        assert_eq!(dp_to_sp(0x3698_0000_0000_0000, 0), 1);
        assert_eq!(dp_to_sp(0x3698_0000_0000_0000, 1), 0);
        assert_eq!(dp_to_sp(0x3698_0000_0000_0000, 2), 1);
        assert_eq!(dp_to_sp(0x3698_0000_0000_0000, 3), 0);
        assert_eq!(dp_to_sp(0xb698_0000_0000_0000, 3), 0x8000_0001);
        assert_eq!(dp_to_sp(0xb698_0000_0000_0000, 2), 0x8000_0000);
    }

    #[test]
    fn xxpermdi_selects_doublewords() {
        use crate::memory::GuestMem;
        let mut c = CpuState::new(GuestMem::empty());
        c.vsr[1] = from_dw_test(0xa0, 0xa1);
        c.vsr[2] = from_dw_test(0xb0, 0xb1);
        for (dm, want) in [
            (0, (0xa0, 0xb0)),
            (1, (0xa0, 0xb1)),
            (2, (0xa1, 0xb0)),
            (3, (0xa1, 0xb1)),
        ] {
            // xxpermdi vs0,vs1,vs2,dm
            let w = 60 << 26 | 1 << 16 | 2 << 11 | dm << 8 | 10 << 3;
            perm::xxpermdi(&mut c, Insn::new(w)).unwrap();
            assert_eq!(c.vsr[0], from_dw_test(want.0, want.1), "dm={dm}");
        }
    }

    fn from_dw_test(a: u64, b: u64) -> u128 {
        (a as u128) << 64 | b as u128
    }
}
