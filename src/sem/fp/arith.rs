//! IEEE operations on encoded values with the Power ISA's special-operand
//! rules (Book I §4.3.2 "Floating-Point Exceptions"/§4.4.1 and the VSX
//! pseudocode of §7.6): NaN propagation by operand priority (an SNaN is
//! returned quieted and raises VXSNAN), the default QNaN for invalid
//! operations (VXISI, VXIMZ, VXZDZ, VXIDI, VXSQRT), zero divide (ZX), the
//! sign of exact zero sums. Shared by the FPR (chapter 4) and VSX
//! (chapter 7) instructions; operands are in format `inf`, the result is
//! rounded to and encoded in `outf`.

use super::fpscr::{Ctx, VXIDI, VXIMZ, VXISI, VXSNAN, VXSQRT, VXZDZ, ZX};
use super::soft::{self, Exact, Fmt, Rm, Unpacked};

/// Quiet `nan` (format `inf`) and re-encode it in `outf`, keeping the
/// high fraction bits (§4.3.2: the propagated NaN is the operand with its
/// quiet bit set; a single-precision result keeps the leading 23 bits).
pub fn quiet_to(inf: Fmt, outf: Fmt, nan: u64) -> u64 {
    let sign = nan & inf.sign_bit() != 0;
    let frac = nan & ((1u64 << inf.frac) - 1);
    let frac = if outf.frac >= inf.frac {
        frac << (outf.frac - inf.frac)
    } else {
        frac >> (inf.frac - outf.frac)
    };
    outf.inf(sign) | frac | outf.quiet_bit()
}

/// The NaN result for operands in priority order, if any is a NaN; any
/// SNaN operand raises VXSNAN.
pub fn pick_nan(ctx: &mut Ctx, inf: Fmt, outf: Fmt, ops: &[(u64, &Unpacked)]) -> Option<u64> {
    if ops.iter().any(|(_, u)| u.class == soft::Class::SNaN) {
        ctx.raise(VXSNAN);
    }
    ops.iter()
        .find(|(_, u)| u.is_nan())
        .map(|(b, _)| quiet_to(inf, outf, *b))
}

fn zero_sign(rm: Rm, a: bool, b: bool) -> bool {
    if a == b {
        a
    } else {
        rm == Rm::Down
    }
}

/// a + b (b negated first when `sub`).
pub fn add(ctx: &mut Ctx, inf: Fmt, outf: Fmt, a: u64, b: u64, sub: bool) -> u64 {
    let ua = soft::unpack(inf, a);
    let mut ub = soft::unpack(inf, b);
    if let Some(n) = pick_nan(ctx, inf, outf, &[(a, &ua), (b, &ub)]) {
        return n;
    }
    ub.sign ^= sub;
    if ua.is_inf() || ub.is_inf() {
        if ua.is_inf() && ub.is_inf() && ua.sign != ub.sign {
            ctx.raise(VXISI);
            return outf.default_nan();
        }
        return outf.inf(if ua.is_inf() { ua.sign } else { ub.sign });
    }
    let zs = zero_sign(ctx.rm, ua.sign, ub.sign);
    let x = soft::add(Exact::of(&ua), Exact::of(&ub), zs);
    if x.is_zero() {
        return outf.sign_bit() * x.sign as u64;
    }
    ctx.round(outf, x)
}

pub fn mul(ctx: &mut Ctx, inf: Fmt, outf: Fmt, a: u64, c: u64) -> u64 {
    let ua = soft::unpack(inf, a);
    let uc = soft::unpack(inf, c);
    if let Some(n) = pick_nan(ctx, inf, outf, &[(a, &ua), (c, &uc)]) {
        return n;
    }
    let sign = ua.sign ^ uc.sign;
    if ua.is_inf() || uc.is_inf() {
        if ua.is_zero() || uc.is_zero() {
            ctx.raise(VXIMZ);
            return outf.default_nan();
        }
        return outf.inf(sign);
    }
    let x = soft::mul(Exact::of(&ua), Exact::of(&uc));
    if x.is_zero() {
        return outf.sign_bit() * sign as u64;
    }
    ctx.round(outf, x)
}

pub fn div(ctx: &mut Ctx, inf: Fmt, outf: Fmt, a: u64, b: u64) -> u64 {
    let ua = soft::unpack(inf, a);
    let ub = soft::unpack(inf, b);
    if let Some(n) = pick_nan(ctx, inf, outf, &[(a, &ua), (b, &ub)]) {
        return n;
    }
    let sign = ua.sign ^ ub.sign;
    if ua.is_inf() {
        if ub.is_inf() {
            ctx.raise(VXIDI);
            return outf.default_nan();
        }
        return outf.inf(sign);
    }
    if ub.is_inf() {
        return outf.sign_bit() * sign as u64;
    }
    if ub.is_zero() {
        if ua.is_zero() {
            ctx.raise(VXZDZ);
            return outf.default_nan();
        }
        ctx.raise(ZX);
        return outf.inf(sign);
    }
    if ua.is_zero() {
        return outf.sign_bit() * sign as u64;
    }
    ctx.round(outf, soft::div(Exact::of(&ua), Exact::of(&ub)))
}

pub fn sqrt(ctx: &mut Ctx, inf: Fmt, outf: Fmt, b: u64) -> u64 {
    let ub = soft::unpack(inf, b);
    if let Some(n) = pick_nan(ctx, inf, outf, &[(b, &ub)]) {
        return n;
    }
    if ub.is_zero() {
        return outf.sign_bit() * ub.sign as u64;
    }
    if ub.sign {
        ctx.raise(VXSQRT);
        return outf.default_nan();
    }
    if ub.is_inf() {
        return outf.inf(false);
    }
    ctx.round(outf, soft::sqrt(Exact::of(&ub)))
}

/// Fused multiply-add `±(a × c ± b)`: `neg_b` subtracts b, `neg_r`
/// negates the result (not a NaN result). NaN priority a, b, c (§4.6.6.2
/// for fmadd with frA, frB, frC; the VSX forms pass multiplicand, addend,
/// multiplier in the same roles).
#[allow(clippy::too_many_arguments)]
pub fn fma(
    ctx: &mut Ctx,
    inf: Fmt,
    outf: Fmt,
    a: u64,
    c: u64,
    b: u64,
    neg_b: bool,
    neg_r: bool,
) -> u64 {
    let ua = soft::unpack(inf, a);
    let uc = soft::unpack(inf, c);
    let mut ub = soft::unpack(inf, b);
    let imz = (ua.is_inf() && uc.is_zero()) || (ua.is_zero() && uc.is_inf());
    if let Some(n) = pick_nan(ctx, inf, outf, &[(a, &ua), (b, &ub), (c, &uc)]) {
        // ∞ × 0 is invalid even when the addend is a QNaN (QEMU and
        // POWER9 signal VXIMZ and return the NaN addend).
        if imz && !ua.is_nan() && !uc.is_nan() {
            ctx.raise(VXIMZ);
        }
        return n;
    }
    ub.sign ^= neg_b;
    let psign = ua.sign ^ uc.sign;
    if imz {
        ctx.raise(VXIMZ);
        return outf.default_nan();
    }
    let r = if ua.is_inf() || uc.is_inf() {
        if ub.is_inf() && ub.sign != psign {
            ctx.raise(VXISI);
            return outf.default_nan();
        }
        outf.inf(psign)
    } else if ub.is_inf() {
        outf.inf(ub.sign)
    } else {
        let p = soft::mul(Exact::of(&ua), Exact::of(&uc));
        let zs = zero_sign(ctx.rm, psign, ub.sign);
        let x = soft::add(p, Exact::of(&ub), zs);
        if x.is_zero() {
            outf.sign_bit() * x.sign as u64
        } else {
            ctx.round(outf, x)
        }
    };
    // §4.6.6.2 fnmadd/fnmsub: "the same result as would be obtained by
    // using fmadd [fmsub] and then negating the result": the rounding
    // sees the un-negated value.
    if neg_r {
        r ^ outf.sign_bit()
    } else {
        r
    }
}

/// Round a value of format `inf` to `outf` (frsp, xsrsp, xscvdpsp,
/// xvcvdpsp, xscvdphp...): SNaN quieted with VXSNAN.
pub fn convert(ctx: &mut Ctx, inf: Fmt, outf: Fmt, b: u64) -> u64 {
    let ub = soft::unpack(inf, b);
    if let Some(n) = pick_nan(ctx, inf, outf, &[(b, &ub)]) {
        return n;
    }
    match ub.class {
        soft::Class::Zero => outf.sign_bit() * ub.sign as u64,
        soft::Class::Inf => outf.inf(ub.sign),
        _ => ctx.round(outf, Exact::of(&ub)),
    }
}

/// Integer → floating point, rounded with the current mode.
pub fn from_int(ctx: &mut Ctx, outf: Fmt, v: u64, signed: bool) -> u64 {
    let x = soft::from_int(v, signed);
    if x.is_zero() {
        return 0;
    }
    ctx.round(outf, x)
}

/// IEEE comparison result for the compare instructions: None when
/// unordered.
pub fn compare(inf: Fmt, a: u64, b: u64) -> Option<std::cmp::Ordering> {
    let ua = soft::unpack(inf, a);
    let ub = soft::unpack(inf, b);
    if ua.is_nan() || ub.is_nan() {
        return None;
    }
    Some(total_key(&ua).cmp(&total_key(&ub)))
}

/// A key ordering non-NaN values by numeric value (±0 equal).
fn total_key(u: &Unpacked) -> (i8, i64, u128) {
    use soft::Class::*;
    let mag: (i64, u128) = match u.class {
        Zero => return (0, 0, 0),
        Inf => (i64::MAX, 0),
        _ => {
            let top = u.top_exp() as i64;
            let norm = u.sig << (u.sig.leading_zeros());
            (top, norm)
        }
    };
    if u.sign {
        (-1, -mag.0, u128::MAX - mag.1)
    } else {
        (1, mag.0, mag.1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fpscr::{self, Ctx, FI, FX, OX, UX, VXIMZ, VXISI, VXSNAN, XX};
    use super::super::soft::{Rm, DOUBLE, SINGLE};
    use super::*;

    fn ctx(rm: Rm) -> Ctx {
        Ctx {
            fpscr: 0,
            rm,
            raised: 0,
            fr: false,
            fi: false,
        }
    }
    fn d(x: f64) -> u64 {
        x.to_bits()
    }

    #[test]
    fn nan_priority_and_quieting() {
        let snan_b = 0x7ff0_0000_0000_0001;
        let qnan_a = 0x7ff8_0000_0000_0002;
        let mut c = ctx(Rm::Nearest);
        // frA's QNaN wins over frB's SNaN, but VXSNAN is still raised.
        assert_eq!(add(&mut c, DOUBLE, DOUBLE, qnan_a, snan_b, false), qnan_a);
        assert_eq!(c.raised, VXSNAN);
        let mut c = ctx(Rm::Nearest);
        assert_eq!(
            mul(&mut c, DOUBLE, DOUBLE, d(1.0), snan_b),
            0x7ff8_0000_0000_0001
        );
        // A NaN rounded to single keeps its leading fraction bits.
        let mut c = ctx(Rm::Nearest);
        let n = add(
            &mut c,
            DOUBLE,
            SINGLE,
            0x7ff8_0000_2000_0000 | 0x1234_5678 << 29 >> 29 << 29,
            d(1.0),
            false,
        );
        assert_eq!(n & 0x7fc0_0000, 0x7fc0_0000);
    }

    #[test]
    fn invalid_operations() {
        let mut c = ctx(Rm::Nearest);
        let inf = d(f64::INFINITY);
        assert_eq!(
            add(&mut c, DOUBLE, DOUBLE, inf, inf, true),
            DOUBLE.default_nan()
        );
        assert_eq!(c.raised, VXISI);
        let mut c = ctx(Rm::Nearest);
        assert_eq!(
            fma(&mut c, DOUBLE, DOUBLE, inf, 0, d(1.0), false, false),
            DOUBLE.default_nan()
        );
        assert_eq!(c.raised, VXIMZ);
    }

    #[test]
    fn zero_signs() {
        let mut c = ctx(Rm::Down);
        assert_eq!(add(&mut c, DOUBLE, DOUBLE, d(1.0), d(1.0), true), d(-0.0));
        let mut c = ctx(Rm::Nearest);
        assert_eq!(add(&mut c, DOUBLE, DOUBLE, d(1.0), d(1.0), true), d(0.0));
        assert_eq!(
            add(&mut c, DOUBLE, DOUBLE, d(-0.0), d(-0.0), false),
            d(-0.0)
        );
    }

    #[test]
    fn fnmadd_rounds_before_negating() {
        // 1 + 2^-60 rounded up is 1 + 2^-52; fnmadd negates that.
        let mut c = ctx(Rm::Up);
        let r = fma(
            &mut c,
            DOUBLE,
            DOUBLE,
            d(1.0),
            d(1.0),
            d(2f64.powi(-60)),
            false,
            true,
        );
        assert_eq!(r, d(-(1.0 + f64::EPSILON)));
        assert!(c.fr && c.fi);
    }

    #[test]
    fn overflow_underflow_flags() {
        let mut c = ctx(Rm::Nearest);
        assert_eq!(
            mul(&mut c, DOUBLE, DOUBLE, d(1e300), d(1e300)),
            d(f64::INFINITY)
        );
        assert_eq!(c.raised, OX | XX);
        let mut c = ctx(Rm::Zero);
        let r = mul(&mut c, DOUBLE, SINGLE, d(1e30), d(1e30));
        assert_eq!(r, 0x7f7f_ffff);
        // Tiny and inexact: underflow; tiny but exact: no underflow.
        let mut c = ctx(Rm::Nearest);
        mul(&mut c, DOUBLE, DOUBLE, d(1e-300), d(1e-20));
        assert_eq!(c.raised, UX | XX);
        let mut c = ctx(Rm::Nearest);
        mul(
            &mut c,
            DOUBLE,
            DOUBLE,
            d(2f64.powi(-1000)),
            d(2f64.powi(-40)),
        );
        assert_eq!(c.raised, 0);
    }

    #[test]
    fn fx_only_on_new_exceptions() {
        let f = fpscr::raise(XX, XX);
        assert_eq!(f & FX, 0);
        let f = fpscr::raise(0, XX | FI);
        assert_eq!(f & FX, FX);
        let f = fpscr::raise(0, VXSNAN);
        assert_eq!(f & fpscr::VX, fpscr::VX);
    }
}
