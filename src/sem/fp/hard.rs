//! Host floating point for the common case of the double-precision A-form
//! arithmetic (Power ISA 3.0B Book I §4.6.6): when the FPSCR rounds to
//! nearest and every operand and the result are ordinary finite numbers,
//! the host's IEEE double operation gives the same bits as `soft`, and
//! FPSCR[FI] (inexact) and FPSCR[FR] (the rounding increased the
//! magnitude, §4.3.6) follow from the sign of the exact rounding error,
//! which error-free transformations give exactly:
//!
//! * add: `a + b = s + t` (TwoSum), so the error is `t`;
//! * multiply: `a × c = p + fma(a, c, −p)`;
//! * divide: the remainder `a − q × b = fma(−q, b, a)` is exact;
//! * square root: `a − s² = fma(−s, s, a)` is exact;
//! * fused multiply-add: `a × c + b − r` is a sum of four doubles whose
//!   sign a Shewchuk expansion gives exactly.
//!
//! Anything else (NaN, infinity, denormal or out-of-range operands or
//! results, zero FMA results, other rounding modes, single precision)
//! returns `None` and takes the exact software path, so no result or
//! FPSCR bit differs from it. The ranges keep every transformation free
//! of overflow and underflow.

use super::scalar::AOp;

/// The result bits, FI and FR of a double-precision operation done on
/// the host, or `None` where only `soft` can answer.
pub struct Hard {
    pub bits: u64,
    pub inexact: bool,
    pub rounded_up: bool,
}

/// Biased exponents of operands and results the fast path accepts (about
/// 2^-830 to 2^800): far from underflow, where the error terms would stop
/// being representable, and from overflow.
pub const EXP_MIN: u64 = 0x0c0;
pub const EXP_MAX: u64 = 0x720;

/// A finite number in the accepted range, or a zero.
#[inline]
fn ordinary(x: u64) -> bool {
    let e = (x >> 52) & 0x7ff;
    (EXP_MIN..=EXP_MAX).contains(&e) || x << 1 == 0
}

/// A non-zero number in the accepted range.
#[inline]
fn in_range(x: u64) -> bool {
    let e = (x >> 52) & 0x7ff;
    (EXP_MIN..=EXP_MAX).contains(&e)
}

/// `a + b = s + t` exactly (Knuth's TwoSum; exact barring overflow).
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let t = (a - (s - bb)) + (b - bb);
    (s, t)
}

/// The sign (-1, 0, 1) of the exact sum of four doubles (Shewchuk's
/// Grow-Expansion: adding each term through TwoSum keeps the expansion
/// non-overlapping, so its largest non-zero component carries the sign of
/// the whole).
#[inline]
fn sign_of_sum4(x0: f64, x1: f64, x2: f64, x3: f64) -> i32 {
    // Expansion after two terms: [e0, q1].
    let (q1, e0) = two_sum(x1, x0);
    // Third term.
    let (q, e0b) = two_sum(x2, e0);
    let (q2, e1) = two_sum(q, q1);
    // Fourth term.
    let (q, f0) = two_sum(x3, e0b);
    let (q, f1) = two_sum(q, e1);
    let (q3, f2) = two_sum(q, q2);
    let top = [q3, f2, f1, f0].into_iter().find(|&c| c != 0.0);
    match top {
        Some(c) if c > 0.0 => 1,
        Some(_) => -1,
        None => 0,
    }
}

/// FI/FR from the result and the sign of (exact − result).
#[inline]
fn finish(r: f64, err: i32) -> Option<Hard> {
    Some(Hard {
        bits: r.to_bits(),
        inexact: err != 0,
        // The magnitude went up: the exact value lies on the zero side.
        rounded_up: err != 0 && (err > 0) != (r > 0.0),
    })
}

/// The FPSCR after an operation answered here, as `fpscr::commit` would
/// leave it: FR, FI and FPRF replaced, XX raised when inexact (with FX if
/// XX was clear), the summaries recomputed. (`usable` has checked XE = 0,
/// so no interrupt can follow.)
#[inline]
pub fn fpscr_after(fpscr: u64, h: &Hard) -> u64 {
    use super::fpscr::{summarize, FI, FPRF, FPRF_SHIFT, FR, FX, XX};
    let mut f = fpscr & !(FR | FI | FPRF);
    if h.inexact {
        f |= FI;
        if f & XX == 0 {
            f |= XX | FX;
        }
    }
    if h.rounded_up {
        f |= FR;
    }
    // Results here are zero or normal (Book I figure "Floating-Point
    // Result Flags": +normal 0b00100, -normal 0b01000, ±zero 0b00010 and
    // 0b10010).
    let neg = h.bits >> 63 != 0;
    let class: u64 = match (h.bits << 1 == 0, neg) {
        (true, false) => 0b00010,
        (true, true) => 0b10010,
        (false, false) => 0b00100,
        (false, true) => 0b01000,
    };
    summarize(f | class << FPRF_SHIFT)
}

/// Whether the FPSCR lets the host answer at all: round to nearest (the
/// host's mode) and inexact exceptions disabled (an inexact result would
/// need the exact path's trap handling).
#[inline]
pub fn usable(fpscr: u64) -> bool {
    fpscr & (super::fpscr::RN | super::fpscr::XE) == 0
}

/// `op` on double operands (frA `a`, frB `b`, frC `c` as in
/// `scalar::compute`), rounded to nearest double.
pub fn double(op: AOp, a: u64, b: u64, c: u64) -> Option<Hard> {
    let (fa, fb, fc) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(c));
    match op {
        AOp::Add | AOp::Sub => {
            if !ordinary(a) || !ordinary(b) {
                return None;
            }
            let fb = if op == AOp::Sub { -fb } else { fb };
            let (s, t) = two_sum(fa, fb);
            // A sum that rounds to zero is exactly zero (sums of doubles
            // are multiples of the smallest denormal), with the IEEE sign.
            if !ordinary(s.to_bits()) {
                return None;
            }
            finish(s, sign(t))
        }
        AOp::Mul => {
            if !ordinary(a) || !ordinary(c) {
                return None;
            }
            let p = fa * fc;
            if p == 0.0 {
                // Only an exact zero operand is accepted here.
                return if fa == 0.0 || fc == 0.0 {
                    finish(p, 0)
                } else {
                    None
                };
            }
            if !in_range(p.to_bits()) {
                return None;
            }
            finish(p, sign(fa.mul_add(fc, -p)))
        }
        AOp::Div => {
            if !ordinary(a) || !in_range(b) {
                return None;
            }
            let q = fa / fb;
            if q == 0.0 {
                return if fa == 0.0 { finish(q, 0) } else { None };
            }
            if !in_range(q.to_bits()) {
                return None;
            }
            // exact − q = (a − q·b) / b.
            let r = (-q).mul_add(fb, fa);
            finish(q, sign(r) * sign(fb))
        }
        AOp::Sqrt => {
            if !ordinary(b) || fb < 0.0 || (fb == 0.0 && b >> 63 != 0) {
                return None;
            }
            let s = fb.sqrt();
            if s == 0.0 {
                return finish(s, 0);
            }
            // exact − s has the sign of b − s².
            finish(s, sign((-s).mul_add(s, fb)))
        }
        AOp::Fma(neg_b, neg_r) => {
            if !ordinary(a) || !ordinary(b) || !ordinary(c) {
                return None;
            }
            let fb = if neg_b { -fb } else { fb };
            let r = fa.mul_add(fc, fb);
            let p = fa * fc;
            if !in_range(r.to_bits()) || !(p == 0.0 || in_range(p.to_bits())) {
                return None;
            }
            if p == 0.0 && fa != 0.0 && fc != 0.0 {
                return None;
            }
            let e1 = fa.mul_add(fc, -p);
            // exact − r = p + e1 + b − r.
            let err = sign_of_sum4(e1, -r, fb, p);
            if neg_r {
                // −(x) rounds to −(round(x)): same FI and FR.
                finish(-r, -err)
            } else {
                finish(r, err)
            }
        }
        AOp::Re | AOp::Rsqrte => None,
    }
}

#[inline]
fn sign(x: f64) -> i32 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::super::fpscr::Ctx;
    use super::super::scalar::compute;
    use super::super::soft::DOUBLE;
    use super::*;
    use proptest::prelude::*;

    /// The soft path's bits, FI, FR, raised bits and final FPSCR for the
    /// same operation from FPSCR `fpscr`.
    fn soft(op: AOp, a: u64, b: u64, c: u64, fpscr: u64) -> (u64, bool, bool, u64, u64) {
        let mut cpu = crate::cpu::CpuState::new(crate::memory::GuestMem::empty());
        cpu.fpscr = fpscr;
        let mut ctx = Ctx::new(&cpu);
        let r = compute(&mut ctx, op, DOUBLE, DOUBLE, a, b, c);
        let fprf = super::super::fpscr::fprf_of(DOUBLE, r);
        super::super::fpscr::commit(&mut cpu, &ctx, true, Some(fprf)).unwrap();
        (r, ctx.fi, ctx.fr, ctx.raised, cpu.fpscr)
    }

    /// Initial FPSCR states: round to nearest, XE clear, anything else.
    const FPSCRS: [u64; 4] = [0, 0x8200_0000, 0x0004_0f70, 0xfffd_fff4];

    fn check_from(op: AOp, a: f64, b: f64, c: f64, fpscr: u64) {
        let (a, b, c) = (a.to_bits(), b.to_bits(), c.to_bits());
        if let Some(h) = double(op, a, b, c) {
            let (bits, fi, fr, raised, after) = soft(op, a, b, c, fpscr);
            assert_eq!(
                (h.bits, h.inexact, h.rounded_up),
                (bits, fi, fr),
                "{op:?} {a:#x} {b:#x} {c:#x}"
            );
            // Nothing but XX may be raised where the fast path answers.
            assert_eq!(raised & !super::super::fpscr::XX, 0);
            assert_eq!(fpscr_after(fpscr, &h), after, "FPSCR from {fpscr:#x}");
        }
    }

    fn check(op: AOp, a: f64, b: f64, c: f64) {
        for f in FPSCRS {
            check_from(op, a, b, c, f);
        }
    }

    const OPS: [AOp; 9] = [
        AOp::Add,
        AOp::Sub,
        AOp::Mul,
        AOp::Div,
        AOp::Sqrt,
        AOp::Fma(false, false),
        AOp::Fma(true, false),
        AOp::Fma(false, true),
        AOp::Fma(true, true),
    ];

    fn operand() -> impl Strategy<Value = f64> {
        prop_oneof![
            // Any bit pattern (mostly out of range: exercises the refusals).
            any::<u64>().prop_map(f64::from_bits),
            // Ordinary magnitudes with random fractions.
            (any::<u64>(), -60i32..60).prop_map(|(m, e)| {
                let x = f64::from_bits((m & 0x800f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
                x * 2f64.powi(e)
            }),
            // Small integers and simple fractions: exact results and
            // cancellations.
            (-64i32..64).prop_map(|k| k as f64 / 4.0),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]
        #[test]
        fn agrees_with_soft(k in 0usize..OPS.len(), a in operand(), b in operand(), c in operand()) {
            check(OPS[k], a, b, c);
        }
    }

    /// Ordinary operands are nearly always taken by the fast path, and
    /// agree with `soft` (a deterministic sweep besides the proptest).
    #[test]
    fn ordinary_operands_take_the_fast_path() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let e = (x >> 56) % 80;
            f64::from_bits((x & 0x800f_ffff_ffff_ffff) | (0x3d8 + e) << 52)
        };
        let mut taken = 0;
        let n = 20_000;
        for k in 0..n {
            let op = OPS[k % OPS.len()];
            let (a, b, c) = (next(), next(), next());
            let b = if op == AOp::Sqrt { b.abs() } else { b };
            if double(op, a.to_bits(), b.to_bits(), c.to_bits()).is_some() {
                taken += 1;
            }
            check(op, a, b, c);
        }
        assert!(taken > n * 95 / 100, "{taken} of {n}");
    }

    #[test]
    fn known_roundings() {
        // 1 + 2^-53 ties to even (down): inexact, not rounded up.
        let h = double(AOp::Add, 1f64.to_bits(), 2f64.powi(-53).to_bits(), 0).unwrap();
        assert_eq!(
            (h.bits, h.inexact, h.rounded_up),
            (1f64.to_bits(), true, false)
        );
        // 1 + 3·2^-54 rounds up to 1 + 2^-52.
        let h = double(
            AOp::Add,
            1f64.to_bits(),
            (3.0 * 2f64.powi(-54)).to_bits(),
            0,
        )
        .unwrap();
        assert!(h.inexact && h.rounded_up);
        // 1/3 rounds down (0.33333333333333331483...), 1/10 up
        // (0.10000000000000000555...).
        let h = double(AOp::Div, 1f64.to_bits(), 3f64.to_bits(), 0).unwrap();
        assert!(h.inexact && !h.rounded_up);
        let h = double(AOp::Div, 1f64.to_bits(), 10f64.to_bits(), 0).unwrap();
        assert!(h.inexact && h.rounded_up);
        for (op, a, b, c) in [
            (AOp::Div, 1.0, 3.0, 0.0),
            (AOp::Sqrt, 0.0, 2.0, 0.0),
            (AOp::Fma(false, false), 0.1, 0.3, 0.7),
            (AOp::Fma(true, true), 1.0 / 3.0, 1.0, 3.0),
            (AOp::Sub, 1.0, 1.0, 0.0),
        ] {
            check(op, a, b, c);
        }
    }
}
