//! Vector permute and formatting instructions (Power ISA 3.0B Book I ch. 6,
//! "Vector Permute and Formatting Instructions"):
//! pack, unpack, merge, splat, permute, shifts by bit and by octet, and the
//! v3.0 extract/insert forms; plus the bit gathers (vgbbd, vbpermq/d) and
//! the byte-count forms that return to a GPR.
//!
//! All of these are defined on the ISA's big-endian element numbering, so
//! they do not depend on the storage byte order: `u128` bit 127 is byte 0.

use super::elem::*;
use super::{sat, set_vrt, vra, vrb, vrc, vrt_val};
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;

/// Modulo pack: keep the low half of each element.
pub const PK_MOD: u8 = 0;
/// Saturate to the unsigned range.
pub const PK_USAT: u8 = 1;
/// Saturate to the signed range.
pub const PK_SSAT: u8 = 2;

/// vpk{u,s}{h,w,d}{u,s}{m,s} ("Vector Pack and Unpack"): the elements of VRA then VRB, each
/// narrowed from `W` to `W/2` bits; `SRC_SIGNED` tells how to read them.
pub fn pack<const W: u32, const SRC_SIGNED: bool, const DST: u8>(
    cpu: &mut CpuState,
    i: Insn,
) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let n = lanes(W);
    let h = W / 2;
    let mut s = false;
    let r = build(h, |k| {
        let (src, k) = if k < n { (a, k) } else { (b, k - n) };
        let x = if SRC_SIGNED {
            gets(src, W, k) as i128
        } else {
            get(src, W, k) as i128
        };
        let (v, c) = match DST {
            PK_MOD => (x as u64, false),
            PK_USAT => sat_u(x, h),
            _ => sat_s(x, h),
        };
        s |= c;
        v
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

/// vpkpx ("Vector Pack and Unpack"): 32-bit pixels 1/8/8/8 to 16-bit pixels 1/5/5/5.
pub fn vpkpx(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = build(16, |k| {
        let w = if k < 4 {
            get(a, 32, k)
        } else {
            get(b, 32, k - 4)
        };
        (w >> 24 & 1) << 15 | (w >> 19 & 0x1f) << 10 | (w >> 11 & 0x1f) << 5 | (w >> 3 & 0x1f)
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vupk{h,l}s{b,h,w} ("Vector Pack and Unpack"): sign-extend the high or low half of VRB's
/// `W`-bit elements to `2W` bits.
pub fn unpack<const W: u32, const LOW: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let off = if LOW { lanes(W) / 2 } else { 0 };
    let r = build(2 * W, |k| gets(b, W, k + off) as u64);
    set_vrt(cpu, i, r);
    Ok(())
}

/// vupkhpx, vupklpx ("Vector Pack and Unpack"): 1/5/5/5 pixels to 8/8/8/8 (the 1-bit field
/// sign-extended to a byte, the 5-bit fields zero-extended).
pub fn unpack_px<const LOW: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let off = if LOW { 4 } else { 0 };
    let r = build(32, |k| {
        let p = get(b, 16, k + off);
        let s = if p & 0x8000 != 0 { 0xff } else { 0 };
        s << 24 | (p >> 10 & 0x1f) << 16 | (p >> 5 & 0x1f) << 8 | (p & 0x1f)
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vmrgh*, vmrgl* ("Vector Merge"): interleave the high (or low) halves of VRA
/// and VRB, VRA's element first.
pub fn merge<const W: u32, const LOW: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let off = if LOW { lanes(W) / 2 } else { 0 };
    let r = build(W, |k| get(if k % 2 == 0 { a } else { b }, W, k / 2 + off));
    set_vrt(cpu, i, r);
    Ok(())
}

/// vmrgew, vmrgow ("Vector Merge"): the even (odd) words of VRA and VRB,
/// interleaved.
pub fn merge_eo<const ODD: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let o = ODD as u32;
    let r = build(32, |k| get(if k % 2 == 0 { a } else { b }, 32, (k & 2) + o));
    set_vrt(cpu, i, r);
    Ok(())
}

/// vspltb, vsplth, vspltw ("Vector Splat"): replicate element UIM of VRB. The
/// table gives UIM as many bits as there are elements.
pub fn splat<const W: u32>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let x = get(b, W, i.uim4() & (lanes(W) - 1));
    set_vrt(cpu, i, build(W, |_| x));
    Ok(())
}

/// vspltisb, vspltish, vspltisw ("Vector Splat"): replicate the sign-extended SIM.
pub fn splat_imm<const W: u32>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let x = i.sim() as u64;
    set_vrt(cpu, i, build(W, |_| x));
    Ok(())
}

/// Byte `k` (0..32) of the 256-bit concatenation hi || lo.
#[inline(always)]
pub fn byte2(hi: u128, lo: u128, k: u32) -> u8 {
    if k < 16 {
        byte(hi, k)
    } else {
        byte(lo, k - 16)
    }
}

/// The permute at the heart of vperm/vpermr and xxperm/xxpermr ("Vector Permute",
/// and the VSX permutes): result byte k is byte (sel.byte[k] & 31) of hi || lo, or byte
/// 31 minus that for the "right-indexed" forms.
pub fn permute(hi: u128, lo: u128, sel: u128, right: bool) -> u128 {
    build(8, |k| {
        let s = byte(sel, k) as u32 & 31;
        byte2(hi, lo, if right { 31 - s } else { s }) as u64
    })
}

/// vperm, vpermr ("Vector Permute").
pub fn vperm<const RIGHT: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = permute(vra(cpu, i), vrb(cpu, i), vrc(cpu, i), RIGHT);
    set_vrt(cpu, i, r);
    Ok(())
}

/// vpermxor (v2.07): byte k = VRA.byte[VRC.byte[k] >> 4] XOR
/// VRB.byte[VRC.byte[k] & 15].
pub fn vpermxor(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b, c) = (vra(cpu, i), vrb(cpu, i), vrc(cpu, i));
    let r = build(8, |k| {
        let s = byte(c, k) as u32;
        (byte(a, s >> 4) ^ byte(b, s & 15)) as u64
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// 128 bits of hi || lo starting at byte `sh` (0..=16).
pub fn shift_pair(hi: u128, lo: u128, sh: u32) -> u128 {
    match sh {
        0 => hi,
        16 => lo,
        s => hi << (8 * s) | lo >> (128 - 8 * s),
    }
}

/// vsldoi ("Vector Shift"): bytes SHB..SHB+15 of VRA || VRB.
pub fn vsldoi(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = shift_pair(vra(cpu, i), vrb(cpu, i), i.shb());
    set_vrt(cpu, i, r);
    Ok(())
}

pub const SH_L: u8 = 0;
pub const SH_R: u8 = 1;
pub const SH_LO: u8 = 2;
pub const SH_RO: u8 = 3;

/// vsl, vsr (bits, amount in VRB bits 125:127) and vslo, vsro (octets,
/// amount in VRB bits 121:124), "Vector Shift". The ISA asks for every byte of VRB
/// to hold the same count for vsl/vsr; like POWER9 and QEMU we use the
/// last byte's.
pub fn shift<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = match OP {
        SH_L => a << (b & 7),
        SH_R => a >> (b & 7),
        SH_LO => a.checked_shl(8 * ((b as u32 >> 3) & 15)).unwrap_or(0),
        _ => a.checked_shr(8 * ((b as u32 >> 3) & 15)).unwrap_or(0),
    };
    set_vrt(cpu, i, r);
    Ok(())
}

/// vslv, vsrv ("Vector Shift", v3.0): each byte shifted by its own count (low 3
/// bits of the VRB byte), pulling bits in from the neighbouring byte.
pub fn shift_var<const RIGHT: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = build(8, |k| {
        let s = byte(b, k) & 7;
        if RIGHT {
            let prev = if k == 0 { 0 } else { byte(a, k - 1) as u16 };
            ((prev << 8 | byte(a, k) as u16) >> s) as u8 as u64
        } else {
            let next = if k == 15 { 0 } else { byte(a, k + 1) as u16 };
            ((((byte(a, k) as u16) << 8 | next) << s) >> 8) as u64
        }
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vextractub/uh/uw/d (v3.0 extract/insert): the `W`-bit field of VRB starting
/// at byte UIM, zero-extended into doubleword 0; doubleword 1 is cleared.
/// Fields that would run past byte 15 take zeros (QEMU and POWER9 agree).
pub fn extract<const W: u32>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let u = i.uim4();
    let x = (b << (8 * u)) >> (128 - W);
    set_vrt(cpu, i, x << 64);
    Ok(())
}

/// vinsertb/h/w/d (v3.0 extract/insert): the `W`-bit element at the right of
/// doubleword 0 of VRB is written at byte UIM of VRT; the rest of VRT is
/// kept. Bytes that would fall past byte 15 are dropped.
pub fn insert<const W: u32>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let t = vrt_val(cpu, i);
    let x = ((b >> 64) as u64 & ones(W)) as u128;
    let u = i.uim4();
    let pos = 128i32 - W as i32 - 8 * u as i32;
    let (m, v) = if pos >= 0 {
        ((ones(W) as u128) << pos, x << pos)
    } else {
        ((ones(W) as u128) >> -pos, x >> -pos)
    };
    set_vrt(cpu, i, (t & !m) | v);
    Ok(())
}

/// vextu{b,h,w}{l,r}x (v3.0 extract/insert): GPR RT = the `W`-bit element of VRB
/// at the byte index in RA (bits 60:63), counted from the left (byte 0)
/// or from the right (byte 15).
pub fn extract_gpr<const W: u32, const RIGHT: bool>(
    cpu: &mut CpuState,
    i: Insn,
) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let idx = (cpu.gpr[i.ra() as usize] & 15) as u32;
    let x = if RIGHT {
        // Field ends at byte 15 - idx: shift it down to the bottom.
        (b >> (8 * idx)) as u64 & ones(W)
    } else {
        ((b << (8 * idx)) >> (128 - W)) as u64
    };
    cpu.gpr[i.rt() as usize] = x;
    Ok(())
}

/// vclzlsbb, vctzlsbb (v3.0 extract/insert): number of leading (trailing) bytes
/// of VRB whose least significant bit is 0, into RT.
pub fn count_lsbb<const TRAIL: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let mut lsb = 0u16; // bit 15 = byte 0
    for k in 0..16 {
        lsb |= ((byte(b, k) & 1) as u16) << (15 - k);
    }
    let n = if TRAIL {
        lsb.trailing_zeros()
    } else {
        lsb.leading_zeros()
    };
    cpu.gpr[i.rt() as usize] = n as u64;
    Ok(())
}

/// vgbbd (v2.07 bit gather): within each doubleword, transpose the 8×8 bit
/// matrix formed by its bytes.
pub fn vgbbd(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let r = build(64, |d| {
        let x = get(b, 64, d);
        let mut t = 0u64;
        for j in 0..8 {
            for k in 0..8 {
                // bit k of byte j (MSB-first numbering) -> bit j of byte k
                let bit = x >> (63 - (8 * j + k)) & 1;
                t |= bit << (63 - (8 * k + j));
            }
        }
        t
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vbpermq (v2.07 bit gather): for each byte k of VRB, bit VRB.byte[k] of VRA
/// (0 if the index is 128 or more) goes to bit 48+k of doubleword 0.
pub fn vbpermq(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let mut r = 0u64;
    for k in 0..16 {
        let idx = byte(b, k) as u32;
        let bit = if idx < 128 {
            (a >> (127 - idx)) as u64 & 1
        } else {
            0
        };
        r |= bit << (15 - k);
    }
    set_vrt(cpu, i, (r as u128) << 64);
    Ok(())
}

/// vbpermd (v3.0 bit gather): per doubleword, an 8-bit gather of bits of the
/// VRA doubleword selected by the bytes of the VRB doubleword.
pub fn vbpermd(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = build(64, |d| {
        let (x, sel) = (get(a, 64, d), get(b, 64, d));
        let mut t = 0;
        for k in 0..8 {
            let idx = (sel >> (56 - 8 * k)) & 0xff;
            let bit = if idx < 64 { x >> (63 - idx) & 1 } else { 0 };
            t |= bit << (7 - k);
        }
        t
    });
    set_vrt(cpu, i, r);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_selects_bytes() {
        let a: u128 = 0x0001_0203_0405_0607_0809_0a0b_0c0d_0e0f;
        let b: u128 = 0x1011_1213_1415_1617_1819_1a1b_1c1d_1e1f;
        // identity and reversed selectors
        assert_eq!(permute(a, b, a, false), a);
        assert_eq!(permute(a, b, b, false), b);
        let rev: u128 = 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110;
        assert_eq!(
            permute(a, b, rev, false),
            0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110
        );
        // vpermr with the same selector counts from the other end
        assert_eq!(
            permute(a, b, a, true),
            0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110
        );
        // upper selector bits are ignored
        assert_eq!(
            permute(a, b, a | 0xe0e0_e0e0_e0e0_e0e0_e0e0_e0e0_e0e0_e0e0, false),
            a
        );
    }

    #[test]
    fn sldoi() {
        let a: u128 = 0x0001_0203_0405_0607_0809_0a0b_0c0d_0e0f;
        let b: u128 = 0x1011_1213_1415_1617_1819_1a1b_1c1d_1e1f;
        assert_eq!(shift_pair(a, b, 0), a);
        assert_eq!(
            shift_pair(a, b, 3),
            0x0304_0506_0708_090a_0b0c_0d0e_0f10_1112
        );
        assert_eq!(
            shift_pair(a, b, 15),
            0x0f10_1112_1314_1516_1718_191a_1b1c_1d1e
        );
    }
}
