//! Vector floating-point instructions (Power ISA 3.0B Book I ch. 6,
//! "Vector Floating-Point Instructions"):
//! single-precision arithmetic, multiply-add, maximum/minimum, estimates,
//! round to integer, conversions to and from fixed point, and compares.
//!
//! VMX floating point always rounds to nearest-even and raises no
//! exceptions. A NaN operand gives that NaN made quiet (VRA before VRB
//! before VRC); an invalid operation gives the default NaN 0x7FC0_0000.
//! In non-Java mode (VSCR[NJ] = 1, the Linux default) denormal operands
//! are read as zero and denormal results are written as zero, sign kept
//! ("Vector Floating-Point Operations"). The conversions to integer saturate and set VSCR[SAT].

use super::elem::*;
use super::int::cr6;
use super::{sat, set_vrt, vra, vrb, vrc};
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;
use crate::sem::fp::soft::{self, Exact, SINGLE};

const QNAN: u32 = 0x7fc0_0000;
const VSCR_NJ: u32 = 0x0001_0000;

fn is_nan(x: u32) -> bool {
    x & 0x7fff_ffff > 0x7f80_0000
}
fn is_denorm(x: u32) -> bool {
    x & 0x7f80_0000 == 0 && x & 0x007f_ffff != 0
}

/// Operand/result flushing for non-Java mode.
#[derive(Clone, Copy)]
struct Mode {
    nj: bool,
}
impl Mode {
    fn of(cpu: &CpuState) -> Mode {
        Mode {
            nj: cpu.vscr & VSCR_NJ != 0,
        }
    }
    fn inp(self, x: u32) -> f32 {
        if self.nj && is_denorm(x) {
            f32::from_bits(x & 0x8000_0000)
        } else {
            f32::from_bits(x)
        }
    }
    /// The rounded result `r` of `p × q + b` (`q` = None: `p + b`): in
    /// non-Java mode a result that is tiny before rounding flushes to
    /// zero even when it rounds up to the smallest normal number (QEMU's
    /// softfloat flushes before rounding).
    fn out_exact(self, r: f32, p: f32, q: Option<f32>, b: f32) -> u32 {
        if self.nj && r.abs() == f32::MIN_POSITIVE && tiny_exact(p, q, b) {
            r.to_bits() & 0x8000_0000
        } else {
            self.out(r)
        }
    }
    /// A computed result: host NaNs become the default NaN; denormals
    /// flush in non-Java mode.
    fn out(self, r: f32) -> u32 {
        let x = r.to_bits();
        if r.is_nan() {
            QNAN
        } else if self.nj && is_denorm(x) {
            x & 0x8000_0000
        } else {
            x
        }
    }
}

/// Whether the exact value of `p × q + b` (or `p + b`) of finite
/// operands is nonzero and below 2^-126 in magnitude.
fn tiny_exact(p: f32, q: Option<f32>, b: f32) -> bool {
    let ex = |x: f32| Exact::of(&soft::unpack(SINGLE, x.to_bits() as u64));
    if !(p.is_finite() && b.is_finite() && q.is_none_or(|q| q.is_finite())) {
        return false;
    }
    let first = match q {
        Some(q) => soft::mul(ex(p), ex(q)),
        None => ex(p),
    };
    let x = soft::add(first, ex(b), false);
    if x.is_zero() {
        return false;
    }
    x.sig == 0 || x.exp + 127 - (x.sig.leading_zeros() as i32) < SINGLE.emin()
}

/// The first NaN among the operands, quieted.
fn nan_of(ops: &[u32]) -> Option<u32> {
    ops.iter().find(|&&x| is_nan(x)).map(|&x| x | 0x0040_0000)
}

pub const ADD: u8 = 0;
pub const SUB: u8 = 1;
pub const MAX: u8 = 2;
pub const MIN: u8 = 3;

/// vaddfp, vsubfp, vmaxfp, vminfp.
pub fn arith<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let m = Mode::of(cpu);
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = map2(a, b, 32, |x, y| {
        let (x, y) = (x as u32, y as u32);
        if let Some(n) = nan_of(&[x, y]) {
            return n as u64;
        }
        let (fx, fy) = (m.inp(x), m.inp(y));
        let r = match OP {
            ADD => return m.out_exact(fx + fy, fx, None, fy) as u64,
            SUB => return m.out_exact(fx - fy, fx, None, -fy) as u64,
            // max(+0, -0) = +0 and min(+0, -0) = -0 (maximum/minimum)
            MAX => {
                if fx == fy {
                    f32::from_bits(fx.to_bits() & fy.to_bits())
                } else {
                    fx.max(fy)
                }
            }
            _ => {
                if fx == fy {
                    f32::from_bits(fx.to_bits() | fy.to_bits())
                } else {
                    fx.min(fy)
                }
            }
        };
        m.out(r) as u64
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vmaddfp (VRA×VRC + VRB) and vnmsubfp (−(VRA×VRC − VRB)), fused, with
/// one rounding ("Vector Floating-Point Arithmetic").
pub fn madd<const NEG: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let m = Mode::of(cpu);
    let (a, b, c) = (vra(cpu, i), vrb(cpu, i), vrc(cpu, i));
    let r = build(32, |k| {
        let (x, y, z) = (
            get(a, 32, k) as u32,
            get(b, 32, k) as u32,
            get(c, 32, k) as u32,
        );
        if let Some(n) = nan_of(&[x, y, z]) {
            return n as u64;
        }
        let (fa, fb, fc) = (m.inp(x), m.inp(y), m.inp(z));
        if NEG {
            let r = fa.mul_add(fc, -fb);
            if r.is_nan() {
                QNAN as u64
            } else {
                m.out_exact(-r, fa, Some(fc), -fb) as u64
            }
        } else {
            m.out_exact(fa.mul_add(fc, fb), fa, Some(fc), fb) as u64
        }
    });
    set_vrt(cpu, i, r);
    Ok(())
}

pub const RE: u8 = 0;
pub const RSQRTE: u8 = 1;
pub const EXPTE: u8 = 2;
pub const LOGE: u8 = 3;
pub const RFIN: u8 = 4;
pub const RFIZ: u8 = 5;
pub const RFIP: u8 = 6;
pub const RFIM: u8 = 7;

/// The one-operand forms on VRB: estimates (estimate instructions; computed exactly, as
/// QEMU does, which is within the architected error) and round to
/// floating-point integer (rounding and conversion).
pub fn unary<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let m = Mode::of(cpu);
    let b = vrb(cpu, i);
    let r = map1(b, 32, |x| {
        let x = x as u32;
        if let Some(n) = nan_of(&[x]) {
            return n as u64;
        }
        let f = m.inp(x);
        let r = match OP {
            RE => 1.0 / f,
            // rounded square root, then rounded reciprocal
            RSQRTE => 1.0 / f.sqrt(),
            EXPTE => (f as f64).exp2() as f32,
            LOGE => (f as f64).log2() as f32,
            RFIN => f.round_ties_even(),
            RFIZ => f.trunc(),
            RFIP => f.ceil(),
            _ => f.floor(),
        };
        m.out(r) as u64
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vcfux, vcfsx ("Vector Floating-Point Rounding and Conversion"): word integers to single precision, divided by
/// 2^UIM. The quotient is exact in double precision, so converting it
/// gives the single rounding the ISA asks for.
pub fn cvt_from<const SIGNED: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let scale = 1.0 / (1u64 << i.uim5()) as f64;
    let r = map1(b, 32, |x| {
        let v = if SIGNED { sext(x, 32) as f64 } else { x as f64 };
        ((v * scale) as f32).to_bits() as u64
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// vctuxs, vctsxs ("Vector Floating-Point Rounding and Conversion"): single precision × 2^UIM to word integers,
/// truncating toward zero and saturating (VSCR[SAT]); NaN gives 0.
pub fn cvt_to<const SIGNED: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let m = Mode::of(cpu);
    let b = vrb(cpu, i);
    let scale = (1u64 << i.uim5()) as f64;
    let mut s = false;
    let r = map1(b, 32, |x| {
        let x = x as u32;
        if is_nan(x) {
            return 0;
        }
        let v = (m.inp(x) as f64 * scale).trunc();
        let (r, c) = if SIGNED {
            if v.is_finite() {
                sat_s(v as i128, 32)
            } else {
                sat_s(if v > 0.0 { i64::MAX } else { i64::MIN } as i128, 32)
            }
        } else if v.is_finite() {
            sat_u(v as i128, 32)
        } else {
            sat_u(if v > 0.0 { i64::MAX } else { -1 } as i128, 32)
        };
        s |= c;
        r
    });
    if s {
        sat(cpu);
    }
    set_vrt(cpu, i, r);
    Ok(())
}

pub const CEQ: u8 = 0;
pub const CGE: u8 = 1;
pub const CGT: u8 = 2;
pub const CB: u8 = 3;

/// vcmpeqfp, vcmpgefp, vcmpgtfp, vcmpbfp and their Rc forms ("Vector Floating-Point Compare").
/// NaNs compare false (for vcmpbfp they are out of both bounds).
pub fn cmp<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let m = Mode::of(cpu);
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = map2(a, b, 32, |x, y| {
        let (fx, fy) = (m.inp(x as u32), m.inp(y as u32));
        let t = |c: bool| if c { 0xffff_ffff } else { 0 };
        match OP {
            CEQ => t(fx == fy),
            CGE => t(fx >= fy),
            CGT => t(fx > fy),
            _ => {
                let le = fx <= fy;
                let ge = fx >= -fy;
                ((!le as u64) << 31) | ((!ge as u64) << 30)
            }
        }
    });
    if i.rc21_bit() != 0 {
        if OP == CB {
            cpu.crf[6] = if r == 0 { 2 } else { 0 };
        } else {
            cr6(cpu, r, u128::MAX);
        }
    }
    set_vrt(cpu, i, r);
    Ok(())
}
