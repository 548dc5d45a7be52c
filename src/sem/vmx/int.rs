//! Vector integer instructions (Power ISA 3.0B Book I ch. 6,
//! "Vector Integer Instructions"): add, subtract,
//! multiply, multiply-add and -sum, average, absolute difference, maximum,
//! minimum, compare, logical, rotate, shift and the quadword arithmetic.
//!
//! Each family is one function generic over the element width `W` (bits)
//! and a small operation code `OP`, so that, for example, all sixteen
//! `vadd{u,s}{b,h,w,d}{m,s}`/`vsub...` forms are `bin::<W, OP>` and the
//! compiler folds the choice away. Saturating forms set VSCR[SAT].

use super::elem::*;
use super::{sat, set_vrt, vr, vra, vrb, vrc, vrt_val};
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;

pub const ADDM: u8 = 0;
pub const SUBM: u8 = 1;
pub const ADDUS: u8 = 2;
pub const ADDSS: u8 = 3;
pub const SUBUS: u8 = 4;
pub const SUBSS: u8 = 5;
/// Carry out (vaddcuw).
pub const ADDC: u8 = 6;
/// Carry out of a + ~b + 1 (vsubcuw).
pub const SUBC: u8 = 7;
pub const MAXU: u8 = 8;
pub const MAXS: u8 = 9;
pub const MINU: u8 = 10;
pub const MINS: u8 = 11;
pub const AVGU: u8 = 12;
pub const AVGS: u8 = 13;
pub const ABSDU: u8 = 14;
pub const CMPEQ: u8 = 15;
pub const CMPGTU: u8 = 16;
pub const CMPGTS: u8 = 17;
pub const CMPNE: u8 = 18;
pub const CMPNEZ: u8 = 19;
pub const RL: u8 = 20;
pub const SL: u8 = 21;
pub const SR: u8 = 22;
pub const SRA: u8 = 23;
/// Modulo multiply (vmuluwm).
pub const MULM: u8 = 24;
/// Rotate then mask insert (vrlwmi, vrldmi).
pub const RLMI: u8 = 25;
/// Rotate then AND with mask (vrlwnm, vrldnm).
pub const RLNM: u8 = 26;

/// MASK(mb, me) within a `w`-bit element, bit 0 most significant, wrapping
/// when mb > me (as for rlwinm, Book I §3.3.14).
fn mask_w(mb: u32, me: u32, w: u32) -> u64 {
    let a = ones(w) >> mb;
    let b = (ones(w) << (w - 1 - me)) & ones(w);
    if mb <= me {
        a & b
    } else {
        a | b
    }
}

fn rotl(x: u64, s: u32, w: u32) -> u64 {
    let s = s & (w - 1);
    if s == 0 {
        x
    } else {
        ((x << s) | (x >> (w - s))) & ones(w)
    }
}

/// One element of a two-operand operation; `t` is the old target element
/// (for the insert forms). Returns the result and whether it saturated.
#[inline(always)]
fn op2<const W: u32, const OP: u8>(x: u64, y: u64, t: u64) -> (u64, bool) {
    let (sx, sy) = (sext(x, W) as i128, sext(y, W) as i128);
    let (ux, uy) = (x as i128, y as i128);
    let all = ones(W);
    let flag = |c: bool| (if c { all } else { 0 }, false);
    let sh = (y as u32) & (W - 1);
    match OP {
        ADDM => (x.wrapping_add(y) & all, false),
        SUBM => (x.wrapping_sub(y) & all, false),
        ADDUS => sat_u(ux + uy, W),
        ADDSS => sat_s(sx + sy, W),
        SUBUS => sat_u(ux - uy, W),
        SUBSS => sat_s(sx - sy, W),
        ADDC => (((ux + uy) >> W) as u64, false),
        SUBC => ((x >= y) as u64, false),
        MAXU => (x.max(y), false),
        MAXS => (if sx >= sy { x } else { y }, false),
        MINU => (x.min(y), false),
        MINS => (if sx <= sy { x } else { y }, false),
        AVGU => (((ux + uy + 1) >> 1) as u64, false),
        AVGS => (((sx + sy + 1) >> 1) as u64 & all, false),
        ABSDU => (x.abs_diff(y), false),
        CMPEQ => flag(x == y),
        CMPGTU => flag(x > y),
        CMPGTS => flag(sx > sy),
        CMPNE => flag(x != y),
        CMPNEZ => flag(x != y || x == 0 || y == 0),
        RL => (rotl(x, sh, W), false),
        SL => ((x << sh) & all, false),
        SR => (x >> sh, false),
        SRA => ((sext(x, W) >> sh) as u64 & all, false),
        MULM => (x.wrapping_mul(y) & all, false),
        _ => {
            // vrlwmi/vrldmi/vrlwnm/vrldnm ("Vector Integer Rotate and Shift"): the shift is in the low
            // bits of each VRB element, ME in the next byte, MB in the one
            // above it.
            let k = W.trailing_zeros();
            let f = |v: u64| (v as u32) & ((1 << k) - 1);
            let (me, mb) = (f(y >> 8), f(y >> 16));
            let m = mask_w(mb, me, W);
            let r = rotl(x, sh, W);
            if OP == RLMI {
                ((r & m) | (t & !m), false)
            } else {
                (r & m, false)
            }
        }
    }
}

/// VRT.elem[i] = op(VRA.elem[i], VRB.elem[i]) for every element.
pub fn bin<const W: u32, const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b, t) = (vra(cpu, i), vrb(cpu, i), vrt_val(cpu, i));
    let mut s = false;
    let r = build(W, |k| {
        let (v, c) = op2::<W, OP>(get(a, W, k), get(b, W, k), get(t, W, k));
        s |= c;
        v
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

/// CR6 after a vector compare with Rc = 1 ("Vector Integer Compare"): LT = all elements
/// true, EQ = all false.
pub fn cr6(cpu: &mut CpuState, r: u128, all_true: u128) {
    let t = if r == all_true { 8 } else { 0 };
    let f = if r == 0 { 2 } else { 0 };
    cpu.crf[6] = t | f;
}

/// vcmpequ*, vcmpgt[us]*, vcmpne*, vcmpnez* with and without Rc.
pub fn cmp<const W: u32, const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = map2(a, b, W, |x, y| op2::<W, OP>(x, y, 0).0);
    if i.rc21_bit() != 0 {
        cr6(cpu, r, u128::MAX);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

pub const AND: u8 = 0;
pub const ANDC: u8 = 1;
pub const OR: u8 = 2;
pub const XOR: u8 = 3;
pub const NOR: u8 = 4;
pub const ORC: u8 = 5;
pub const NAND: u8 = 6;
pub const EQV: u8 = 7;

/// The bitwise logical function `OP` on whole registers ("Vector Logical"; also
/// the VSX xxl* forms).
#[inline(always)]
pub fn logic_op<const OP: u8>(a: u128, b: u128) -> u128 {
    match OP {
        AND => a & b,
        ANDC => a & !b,
        OR => a | b,
        XOR => a ^ b,
        NOR => !(a | b),
        ORC => a | !b,
        NAND => !(a & b),
        _ => !(a ^ b),
    }
}

pub fn logic<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = logic_op::<OP>(vra(cpu, i), vrb(cpu, i));
    set_vrt(cpu, i, r);
    Ok(())
}

/// vsel ("Vector Select Instruction"): bits of VRB where VRC is 1, of VRA where it is 0.
pub fn vsel(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b, c) = (vra(cpu, i), vrb(cpu, i), vrc(cpu, i));
    set_vrt(cpu, i, (a & !c) | (b & c));
    Ok(())
}

pub const NEG: u8 = 0;
pub const CLZ: u8 = 1;
pub const CTZ: u8 = 2;
pub const POPCNT: u8 = 3;
pub const EXTS8: u8 = 4;
pub const EXTS16: u8 = 5;
pub const EXTS32: u8 = 6;
/// Parity of the least significant bit of each byte (vprtyb*).
pub const PRTY: u8 = 7;

/// One-operand element-wise operations on VRB: vneg*, vclz*, vctz*,
/// vpopcnt*, vexts*2*, vprtyb* (integer arithmetic, bit counts).
pub fn un<const W: u32, const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let r = if W == 128 {
        // vprtybq: only the parity form exists at quadword width.
        ((b & 0x0101_0101_0101_0101_0101_0101_0101_0101).count_ones() & 1) as u128
    } else {
        map1(b, W, |x| {
            let r = match OP {
                NEG => x.wrapping_neg(),
                CLZ => (x.leading_zeros() - (64 - W)) as u64,
                CTZ => x.trailing_zeros().min(W) as u64,
                POPCNT => x.count_ones() as u64,
                EXTS8 => sext(x, 8) as u64,
                EXTS16 => sext(x, 16) as u64,
                EXTS32 => sext(x, 32) as u64,
                _ => ((x & 0x0101_0101_0101_0101).count_ones() & 1) as u64,
            };
            r & ones(W)
        })
    };
    set_vrt(cpu, i, r);
    Ok(())
}

/// vmule*/vmulo* ("Vector Integer Arithmetic"): products of the even (or odd) elements, each
/// into a double-width result element.
pub fn mul_eo<const W: u32, const SIGNED: bool, const ODD: bool>(
    cpu: &mut CpuState,
    i: Insn,
) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let k = ODD as u32;
    let r = if W == 64 {
        0
    } else {
        build(2 * W, |j| {
            let (x, y) = (get(a, W, 2 * j + k), get(b, W, 2 * j + k));
            if SIGNED {
                (sext(x, W) * sext(y, W)) as u64
            } else {
                x * y
            }
        })
    };
    set_vrt(cpu, i, r);
    Ok(())
}

/// Saturation of a multiply-sum or sum-across result: none, unsigned
/// word, signed word.
pub const SAT_NONE: u8 = 0;
pub const SAT_U: u8 = 1;
pub const SAT_S: u8 = 2;

fn sat_word<const SAT: u8>(x: i128, s: &mut bool) -> u64 {
    let (v, c) = match SAT {
        SAT_NONE => (x as u64 & 0xffff_ffff, false),
        SAT_U => sat_u(x, 32),
        _ => sat_s(x, 32),
    };
    *s |= c;
    v
}

/// vmsum{u,m}bm, vmsum{u,s}hm, vmsum{u,s}hs ("Vector Integer Arithmetic"): for each word, the
/// sum of the products of the `W`-bit elements of VRA and VRB inside it,
/// plus the word of VRC. `AS`/`BS` say whether VRA/VRB elements are signed.
pub fn msum<const W: u32, const AS: bool, const BS: bool, const SAT: u8>(
    cpu: &mut CpuState,
    i: Insn,
) -> Result<(), Exc> {
    let (a, b, c) = (vra(cpu, i), vrb(cpu, i), vrc(cpu, i));
    let n = 32 / W;
    let mut s = false;
    let r = build(32, |j| {
        let mut acc = if SAT == SAT_U {
            get(c, 32, j) as i128
        } else {
            gets(c, 32, j) as i128
        };
        for k in j * n..(j + 1) * n {
            let x = if AS {
                gets(a, W, k)
            } else {
                get(a, W, k) as i64
            };
            let y = if BS {
                gets(b, W, k)
            } else {
                get(b, W, k) as i64
            };
            acc += (x * y) as i128;
        }
        sat_word::<SAT>(acc, &mut s)
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

/// vmsumudm (v3.0B): both doubleword products plus VRC, modulo 2^128.
pub fn vmsumudm(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b, c) = (vra(cpu, i), vrb(cpu, i), vrc(cpu, i));
    let p0 = dw0(a) as u128 * dw0(b) as u128;
    let p1 = dw1(a) as u128 * dw1(b) as u128;
    set_vrt(cpu, i, p0.wrapping_add(p1).wrapping_add(c));
    Ok(())
}

pub const MHADD: u8 = 0;
pub const MHRADD: u8 = 1;
pub const MLADD: u8 = 2;

/// vmhaddshs, vmhraddshs, vmladduhm ("Vector Integer Arithmetic"): halfword multiply-high-add
/// with signed saturation (optionally rounded), or multiply-low-add modulo.
pub fn mhadd<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b, c) = (vra(cpu, i), vrb(cpu, i), vrc(cpu, i));
    let mut s = false;
    let r = build(16, |k| {
        if OP == MLADD {
            return get(a, 16, k)
                .wrapping_mul(get(b, 16, k))
                .wrapping_add(get(c, 16, k));
        }
        let p = gets(a, 16, k) * gets(b, 16, k) + if OP == MHRADD { 0x4000 } else { 0 };
        let (v, f) = sat_s(((p >> 15) + gets(c, 16, k)) as i128, 16);
        s |= f;
        v
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

/// vsum4ubs, vsum4sbs, vsum4shs ("Vector Integer Arithmetic"): per word, the sum of the `W`-bit
/// elements of VRA in that word plus the word of VRB, saturated.
pub fn sum4<const W: u32, const SIGNED: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let n = 32 / W;
    let mut s = false;
    let r = build(32, |j| {
        let mut acc: i128 = if SIGNED {
            gets(b, 32, j) as i128
        } else {
            get(b, 32, j) as i128
        };
        for k in j * n..(j + 1) * n {
            acc += if SIGNED {
                gets(a, W, k) as i128
            } else {
                get(a, W, k) as i128
            };
        }
        if SIGNED {
            sat_word::<SAT_S>(acc, &mut s)
        } else {
            sat_word::<SAT_U>(acc, &mut s)
        }
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

/// vsum2sws (pairs of words into words 1 and 3) and vsumsws (all four
/// words into word 3), integer arithmetic; the other words become 0.
pub fn sumsws<const PAIRS: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let group = if PAIRS { 2 } else { 4 };
    let mut s = false;
    let r = build(32, |j| {
        if j % group != group - 1 {
            return 0;
        }
        let acc: i128 = (j + 1 - group..=j)
            .map(|k| gets(a, 32, k) as i128)
            .sum::<i128>()
            + gets(b, 32, j) as i128;
        sat_word::<SAT_S>(acc, &mut s)
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

pub const Q_ADD: u8 = 0;
pub const Q_ADDC: u8 = 1;
pub const Q_ADDE: u8 = 2;
pub const Q_ADDEC: u8 = 3;
pub const Q_SUB: u8 = 4;
pub const Q_SUBC: u8 = 5;
pub const Q_SUBE: u8 = 6;
pub const Q_SUBEC: u8 = 7;

/// Quadword add/subtract, with carry-out and extended (carry-in from
/// VRC bit 127) forms ("Vector Integer Arithmetic"): every form is VRA + (VRB or ~VRB) + cin.
pub fn quad<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = vra(cpu, i);
    let sub = OP >= Q_SUB;
    let b = if sub { !vrb(cpu, i) } else { vrb(cpu, i) };
    let cin = match OP & 3 {
        2 | 3 => vrc(cpu, i) & 1,
        _ => sub as u128,
    };
    let (t, c1) = a.overflowing_add(b);
    let (r, c2) = t.overflowing_add(cin);
    let carry_form = OP & 1 == 1;
    set_vrt(cpu, i, if carry_form { (c1 | c2) as u128 } else { r });
    Ok(())
}

/// vmul10uq, vmul10cuq, vmul10euq, vmul10ecuq (v3.0): VRA × 10,
/// plus the low nibble of VRB for the extended forms; the carry forms give
/// the part above bit 0 of the 132-bit product.
pub fn mul10<const EXT: bool, const CARRY: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = vra(cpu, i);
    let add = if EXT { vr(cpu, i.vrb()) & 0xf } else { 0 };
    // 10a + add = 8a + 2a + add, with the bits above 128 tracked apart.
    let lo = (a & ((1 << 124) - 1)) * 10 + add;
    let hi = (a >> 124) * 10 + (lo >> 124);
    let r = (lo & ((1 << 124) - 1)) | (hi << 124);
    set_vrt(cpu, i, if CARRY { hi >> 4 } else { r });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_ops() {
        assert_eq!(op2::<8, ADDUS>(200, 100, 0), (255, true));
        assert_eq!(op2::<8, ADDSS>(0x70, 0x70, 0), (0x7f, true));
        assert_eq!(op2::<16, SUBSS>(0x8000, 1, 0), (0x8000, true));
        assert_eq!(op2::<32, AVGS>(0xffff_ffff, 0, 0), (0, false));
        assert_eq!(op2::<8, SRA>(0x80, 9, 0), (0xc0, false));
        assert_eq!(op2::<32, RLNM>(0x8000_0001, 0x0000_1f01, 0), (3, false));
        assert_eq!(op2::<32, ADDC>(0xffff_ffff, 1, 0), (1, false));
        assert_eq!(op2::<8, CMPNEZ>(0, 0, 0), (0xff, false));
    }

    #[test]
    fn mask() {
        assert_eq!(mask_w(0, 31, 32), 0xffff_ffff);
        assert_eq!(mask_w(31, 0, 32), 0x8000_0001);
        assert_eq!(mask_w(60, 63, 64), 0xf);
    }
}
