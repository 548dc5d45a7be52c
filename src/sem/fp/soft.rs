//! A small exact soft-float for the Power ISA binary formats (half, single,
//! double): every operation first builds the exact result (or the exact
//! result truncated with a sticky bit) in a `u128`, then rounds it once with
//! `round`, which knows all of FPSCR[RN]'s modes plus round-to-nearest-away
//! (frin, xsrdpi), the Power ISA's tininess-before-rounding rule (Book I
//! §4.4.4: "Tiny" is judged on the result with unbounded exponent range and
//! precision) and reports what the FPSCR needs: inexact (FI/XX), fraction
//! rounded (FR), overflow, underflow.
//!
//! Host floating point is never used for results: it only rounds to nearest.
//! NaN and special-operand handling is the callers' job (`arith`), since the
//! Power ISA's NaN rules depend on the instruction.

use std::cmp::Ordering;

/// Rounding modes: FPSCR[RN] 0..3, plus nearest-ties-away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rm {
    Nearest,
    Zero,
    Up,
    Down,
    NearAway,
}

impl Rm {
    pub fn from_rn(rn: u64) -> Rm {
        [Rm::Nearest, Rm::Zero, Rm::Up, Rm::Down][(rn & 3) as usize]
    }
}

/// An IEEE binary interchange format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fmt {
    /// Fraction bits (without the implicit bit).
    pub frac: u32,
    /// Exponent bits.
    pub ebits: u32,
}

pub const HALF: Fmt = Fmt { frac: 10, ebits: 5 };
pub const SINGLE: Fmt = Fmt { frac: 23, ebits: 8 };
pub const DOUBLE: Fmt = Fmt {
    frac: 52,
    ebits: 11,
};

impl Fmt {
    pub const fn bias(self) -> i32 {
        (1 << (self.ebits - 1)) - 1
    }
    pub const fn emax(self) -> i32 {
        self.bias()
    }
    pub const fn emin(self) -> i32 {
        1 - self.bias()
    }
    /// Precision in bits.
    pub const fn prec(self) -> u32 {
        self.frac + 1
    }
    const fn emask(self) -> u64 {
        (1 << self.ebits) - 1
    }
    pub const fn sign_bit(self) -> u64 {
        1 << (self.frac + self.ebits)
    }
    pub const fn inf(self, neg: bool) -> u64 {
        (neg as u64) << (self.frac + self.ebits) | self.emask() << self.frac
    }
    pub const fn quiet_bit(self) -> u64 {
        1 << (self.frac - 1)
    }
    pub const fn default_nan(self) -> u64 {
        self.inf(false) | self.quiet_bit()
    }
    pub const fn max_finite(self, neg: bool) -> u64 {
        self.inf(neg) - 1
    }
}

/// The class of an encoded value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Zero,
    Denormal,
    Normal,
    Inf,
    QNaN,
    SNaN,
}

/// A decoded value: class, sign, and for finite nonzero values
/// `sig × 2^exp` exactly.
#[derive(Clone, Copy, Debug)]
pub struct Unpacked {
    pub class: Class,
    pub sign: bool,
    pub sig: u128,
    pub exp: i32,
}

impl Unpacked {
    pub fn is_nan(&self) -> bool {
        matches!(self.class, Class::QNaN | Class::SNaN)
    }
    pub fn is_zero(&self) -> bool {
        self.class == Class::Zero
    }
    pub fn is_inf(&self) -> bool {
        self.class == Class::Inf
    }
    pub fn finite_nonzero(&self) -> bool {
        matches!(self.class, Class::Normal | Class::Denormal)
    }
    /// Exponent of the leading one bit (for finite nonzero values).
    pub fn top_exp(&self) -> i32 {
        self.exp + 127 - self.sig.leading_zeros() as i32
    }
}

pub fn unpack(f: Fmt, bits: u64) -> Unpacked {
    let sign = bits & f.sign_bit() != 0;
    let e = ((bits >> f.frac) & f.emask()) as i32;
    let m = bits & ((1u64 << f.frac) - 1);
    let (class, sig, exp) = if e == f.emask() as i32 {
        if m == 0 {
            (Class::Inf, 0, 0)
        } else if m & f.quiet_bit() != 0 {
            (Class::QNaN, m as u128, 0)
        } else {
            (Class::SNaN, m as u128, 0)
        }
    } else if e == 0 {
        if m == 0 {
            (Class::Zero, 0, 0)
        } else {
            (Class::Denormal, m as u128, f.emin() - f.frac as i32)
        }
    } else {
        (
            Class::Normal,
            (m | 1 << f.frac) as u128,
            e - f.bias() - f.frac as i32,
        )
    };
    Unpacked {
        class,
        sign,
        sig,
        exp,
    }
}

pub fn classify(f: Fmt, bits: u64) -> Class {
    unpack(f, bits).class
}

/// Encode `(-1)^sign × sig × 2^exp`, which must be exactly representable
/// in `f` (zero allowed).
pub fn pack(f: Fmt, sign: bool, sig: u128, exp: i32) -> u64 {
    let s = (sign as u64) << (f.frac + f.ebits);
    if sig == 0 {
        return s;
    }
    let top = exp + 127 - sig.leading_zeros() as i32;
    if top < f.emin() {
        // Denormal: fraction = sig × 2^(exp - (emin - frac)).
        let sh = exp - (f.emin() - f.frac as i32);
        let m = if sh >= 0 { sig << sh } else { sig >> -sh };
        return s | m as u64;
    }
    let sh = exp - (top - f.frac as i32);
    let m = if sh >= 0 { sig << sh } else { sig >> -sh };
    let be = (top + f.bias()) as u64;
    s | be << f.frac | (m as u64 & ((1u64 << f.frac) - 1))
}

/// An exact (or sticky-truncated) intermediate result:
/// `(-1)^sign × (sig + δ) × 2^exp` with δ = 0 when `!sticky`, else
/// 0 < δ < 1.
#[derive(Clone, Copy, Debug)]
pub struct Exact {
    pub sign: bool,
    pub sig: u128,
    pub exp: i32,
    pub sticky: bool,
}

impl Exact {
    pub fn of(u: &Unpacked) -> Exact {
        Exact {
            sign: u.sign,
            sig: u.sig,
            exp: u.exp,
            sticky: false,
        }
    }
    pub fn is_zero(&self) -> bool {
        self.sig == 0 && !self.sticky
    }
    /// Shift `sig` left so its leading one is at bit `pos`, or right with
    /// sticky collection.
    fn normalize_to(mut self, pos: u32) -> Exact {
        if self.sig == 0 {
            return self;
        }
        let top = 127 - self.sig.leading_zeros();
        if top < pos {
            self.sig <<= pos - top;
            self.exp -= (pos - top) as i32;
        } else if top > pos {
            let sh = top - pos;
            self.sticky |= self.sig & ((1u128 << sh) - 1) != 0;
            self.sig >>= sh;
            self.exp += sh as i32;
        }
        self
    }
}

/// Flags of one rounding step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub inexact: bool,
    /// The fraction was incremented (FPSCR[FR]).
    pub rounded_up: bool,
    pub overflow: bool,
    /// Tiny before rounding and inexact (the disabled-underflow condition).
    pub underflow: bool,
    /// Tiny before rounding (the enabled-underflow condition).
    pub tiny: bool,
}

/// A rounded result, encoded in `fmt` (or, for results wider than the
/// format's range with `unbounded`, exponent-adjusted by the caller).
#[derive(Clone, Copy, Debug)]
pub struct Rounded {
    pub sign: bool,
    /// The rounded value is `sig × 2^exp` exactly (sig may be 0).
    pub sig: u128,
    pub exp: i32,
    pub flags: Flags,
}

fn decide(rm: Rm, sign: bool, odd: bool, half: Ordering, inexact: bool) -> bool {
    match rm {
        Rm::Nearest => half == Ordering::Greater || (half == Ordering::Equal && odd),
        Rm::NearAway => half != Ordering::Less,
        Rm::Zero => false,
        Rm::Up => inexact && !sign,
        Rm::Down => inexact && sign,
    }
}

/// Round `x` to a multiple of 2^`lsb`: the kept significand (value
/// `sig × 2^lsb`), whether it was inexact and whether it was incremented.
pub fn round_at(x: Exact, lsb: i32, rm: Rm) -> (u128, bool, bool) {
    if x.sig == 0 {
        return (
            0,
            x.sticky,
            x.sticky && decide(rm, x.sign, false, Ordering::Less, true),
        );
    }
    let sh = lsb as i64 - x.exp as i64;
    let (kept, rem_cmp, inexact) = if sh <= 0 {
        (x.sig << (-sh) as u32, Ordering::Less, x.sticky)
    } else if sh > 128 {
        // sig < 2^128, so the value is below 2^(lsb-1): under half an ulp.
        (0u128, Ordering::Less, true)
    } else if sh == 128 {
        // The whole significand is the remainder; a product of two 64-bit
        // significands can reach bit 127, i.e. half an ulp or more.
        let c = match x.sig.cmp(&(1u128 << 127)) {
            Ordering::Equal if x.sticky => Ordering::Greater,
            c => c,
        };
        (0u128, c, true)
    } else {
        let sh = sh as u32;
        let k = x.sig >> sh;
        let rem = x.sig & (u128::MAX >> (128 - sh));
        let half = 1u128 << (sh - 1);
        let c = match rem.cmp(&half) {
            Ordering::Equal if x.sticky => Ordering::Greater,
            c => c,
        };
        (k, c, rem != 0 || x.sticky)
    };
    let up = inexact && decide(rm, x.sign, kept & 1 != 0, rem_cmp, inexact);
    (kept + up as u128, inexact, up)
}

/// Round `x` to precision `prec` with minimum normal exponent `emin`
/// (`i32::MIN / 2` for unbounded) and no maximum: overflow is `round`'s
/// check.
pub fn round_prec(x: Exact, prec: u32, emin: i32, rm: Rm) -> Rounded {
    if x.is_zero() {
        return Rounded {
            sign: x.sign,
            sig: 0,
            exp: 0,
            flags: Flags::default(),
        };
    }
    // A sticky-only value is below half an ulp of anything we keep.
    let top = if x.sig == 0 {
        x.exp - 1
    } else {
        x.exp + 127 - x.sig.leading_zeros() as i32
    };
    let tiny = top < emin;
    let lsb = top.max(emin) - (prec as i32 - 1);
    let (mut sig, inexact, up) = round_at(x, lsb, rm);
    let mut exp = lsb;
    if sig >> prec != 0 {
        sig >>= 1;
        exp += 1;
    }
    Rounded {
        sign: x.sign,
        sig,
        exp,
        flags: Flags {
            inexact,
            rounded_up: up,
            overflow: false,
            underflow: tiny && inexact,
            tiny,
        },
    }
}

/// Round to format `f` (IEEE default handling of overflow: infinity or
/// the largest finite number by mode) and encode. `bias_adjust` is the
/// Power ISA's exponent adjustment for enabled overflow/underflow
/// (Book I §4.4.3-4.4.4): when `Some(k)`, an overflowing result is scaled
/// by 2^-k and a tiny one by 2^k instead of being clamped or denormalized.
pub fn round(f: Fmt, x: Exact, rm: Rm, adjust: Adjust) -> (u64, Flags) {
    let tiny_unb = !x.is_zero() && {
        let t = if x.sig == 0 {
            x.exp - 1
        } else {
            x.exp + 127 - x.sig.leading_zeros() as i32
        };
        t < f.emin()
    };
    if adjust.underflow && tiny_unb {
        // Enabled underflow: round with unbounded exponent, then scale up.
        let r = round_prec(x, f.prec(), i32::MIN / 2, rm);
        let mut fl = r.flags;
        fl.tiny = true;
        fl.underflow = true;
        return (pack(f, r.sign, r.sig, r.exp + adjust.k), fl);
    }
    let r = round_prec(x, f.prec(), f.emin(), rm);
    let top = if r.sig == 0 {
        i32::MIN
    } else {
        r.exp + 127 - r.sig.leading_zeros() as i32
    };
    if top > f.emax() {
        let mut fl = r.flags;
        fl.overflow = true;
        fl.inexact = true;
        if adjust.overflow {
            return (pack(f, r.sign, r.sig, r.exp - adjust.k), fl);
        }
        let to_inf = match rm {
            Rm::Nearest | Rm::NearAway => true,
            Rm::Zero => false,
            Rm::Up => !r.sign,
            Rm::Down => r.sign,
        };
        fl.rounded_up = to_inf;
        let bits = if to_inf {
            f.inf(r.sign)
        } else {
            f.max_finite(r.sign)
        };
        return (bits, fl);
    }
    (pack(f, r.sign, r.sig, r.exp), r.flags)
}

/// Exponent adjustment for enabled overflow/underflow exceptions.
#[derive(Clone, Copy, Debug, Default)]
pub struct Adjust {
    pub overflow: bool,
    pub underflow: bool,
    /// 1536 for double, 192 for single results (Book I §4.4.3).
    pub k: i32,
}

/// Exact sum of two finite values (either may be zero). A zero result
/// gets the sign `zero_sign`.
pub fn add(a: Exact, b: Exact, zero_sign: bool) -> Exact {
    if a.is_zero() {
        return if b.is_zero() {
            Exact {
                sign: zero_sign,
                ..b
            }
        } else {
            b
        };
    }
    if b.is_zero() {
        return a;
    }
    let a = a.normalize_to(124);
    let b = b.normalize_to(124);
    let (mut hi, lo) = if a.exp >= b.exp { (a, b) } else { (b, a) };
    let d = (hi.exp - lo.exp) as u32;
    // Close exponents: shift the larger operand left (exact, no sticky);
    // far apart: shift the smaller right, collecting a sticky bit. With
    // d >= 3 the smaller is below 2^122 and the larger at least 2^124, so
    // the sticky never decides a sign or a cancellation.
    let (lsig, lsticky) = if d <= 2 {
        hi.sig <<= d;
        hi.exp -= d as i32;
        (lo.sig, lo.sticky)
    } else if d >= 127 {
        (0, true)
    } else {
        (lo.sig >> d, lo.sticky || lo.sig & ((1u128 << d) - 1) != 0)
    };
    // Both operands carry at most one sticky (the smaller one, or an
    // input that was already inexact; inputs here are exact or the
    // product of an fma, which is exact).
    let sticky = lsticky || hi.sticky;
    if hi.sign == lo.sign {
        return Exact {
            sign: hi.sign,
            sig: hi.sig + lsig,
            exp: hi.exp,
            sticky,
        };
    }
    match hi.sig.cmp(&lsig) {
        Ordering::Greater => Exact {
            sign: hi.sign,
            sig: hi.sig - lsig - lsticky as u128,
            exp: hi.exp,
            sticky,
        },
        Ordering::Less => Exact {
            sign: lo.sign,
            sig: lsig - hi.sig,
            exp: hi.exp,
            sticky,
        },
        Ordering::Equal if !sticky => Exact {
            sign: zero_sign,
            sig: 0,
            exp: 0,
            sticky: false,
        },
        Ordering::Equal => Exact {
            // Only lo can be sticky here (d > 0), so |lo| > |hi|.
            sign: lo.sign,
            sig: 0,
            exp: hi.exp,
            sticky: true,
        },
    }
}

/// Exact product of two finite values of at most 64 significant bits.
pub fn mul(a: Exact, b: Exact) -> Exact {
    let sign = a.sign ^ b.sign;
    if a.is_zero() || b.is_zero() {
        return Exact {
            sign,
            sig: 0,
            exp: 0,
            sticky: false,
        };
    }
    let a = a.normalize_to(63);
    let b = b.normalize_to(63);
    Exact {
        sign,
        sig: a.sig * b.sig,
        exp: a.exp + b.exp,
        sticky: a.sticky || b.sticky,
    }
}

/// Quotient of two finite nonzero values, with at least 66 significant
/// bits and a sticky remainder.
pub fn div(a: Exact, b: Exact) -> Exact {
    let a = a.normalize_to(126);
    let b = b.normalize_to(60);
    let q = a.sig / b.sig;
    let r = a.sig % b.sig;
    Exact {
        sign: a.sign ^ b.sign,
        sig: q,
        exp: a.exp - b.exp,
        sticky: r != 0,
    }
}

/// Square root of a finite positive value, with 63 significant bits and a
/// sticky remainder.
pub fn sqrt(a: Exact) -> Exact {
    let mut a = a.normalize_to(125);
    if a.exp & 1 != 0 {
        a.sig >>= 1;
        a.exp += 1;
    }
    let r = a.sig.isqrt();
    Exact {
        sign: false,
        sig: r,
        exp: a.exp / 2,
        sticky: r * r != a.sig,
    }
}

/// Round a finite value to an integral value in the same format
/// (frin/friz/frip/frim, xsrdpi*): returns the bits and whether it was
/// inexact.
pub fn round_to_int(f: Fmt, bits: u64, rm: Rm) -> (u64, bool) {
    let u = unpack(f, bits);
    if !u.finite_nonzero() || u.exp >= 0 {
        return (bits, false);
    }
    let (sig, inexact, _) = round_at(Exact::of(&u), 0, rm);
    (pack(f, u.sign, sig, 0), inexact)
}

/// Result of a conversion to an integer.
pub struct IntConv {
    pub value: u64,
    pub inexact: bool,
    /// The value was out of range or NaN (VXCVI).
    pub invalid: bool,
}

/// Convert a value in format `f` to a signed or unsigned integer of `width`
/// bits with rounding mode `rm`, saturating on overflow (Book I §4.6.7:
/// the fctid/fctiw family and the VSX xscvdp*x* conversions).
pub fn to_int(f: Fmt, bits: u64, rm: Rm, signed: bool, width: u32) -> IntConv {
    let u = unpack(f, bits);
    let (min, max): (i128, i128) = if signed {
        (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
    } else {
        (0, (1i128 << width) - 1)
    };
    let sat = |neg: bool| {
        let v = if neg { min } else { max };
        IntConv {
            value: v as u64 & mask(width),
            inexact: false,
            invalid: true,
        }
    };
    match u.class {
        Class::QNaN | Class::SNaN => return sat(true),
        Class::Inf => return sat(u.sign),
        Class::Zero => {
            return IntConv {
                value: 0,
                inexact: false,
                invalid: false,
            }
        }
        _ => {}
    }
    if u.top_exp() > 70 {
        return sat(u.sign);
    }
    let (sig, inexact, _) = round_at(Exact::of(&u), 0, rm);
    let v = if u.sign { -(sig as i128) } else { sig as i128 };
    if v < min || v > max {
        return sat(u.sign);
    }
    IntConv {
        value: v as u64 & mask(width),
        inexact,
        invalid: false,
    }
}

fn mask(width: u32) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

/// An integer as an exact value.
pub fn from_int(v: u64, signed: bool) -> Exact {
    let neg = signed && (v as i64) < 0;
    let mag = if neg { (v as i64).unsigned_abs() } else { v };
    Exact {
        sign: neg,
        sig: mag as u128,
        exp: 0,
        sticky: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd(v: f64) -> Exact {
        Exact::of(&unpack(DOUBLE, v.to_bits()))
    }

    #[test]
    fn add_nearest_matches_host() {
        let vals = [
            1.0, 1e-300, 3.5e300, -2.25, 0.1, 1e-310, -7e-320, 123456.789,
        ];
        for &a in &vals {
            for &b in &vals {
                let (r, _) = round(
                    DOUBLE,
                    add(rd(a), rd(b), false),
                    Rm::Nearest,
                    Adjust::default(),
                );
                assert_eq!(f64::from_bits(r), a + b, "{a} + {b}");
                let (r, _) = round(DOUBLE, mul(rd(a), rd(b)), Rm::Nearest, Adjust::default());
                assert_eq!(f64::from_bits(r), a * b, "{a} * {b}");
                let (r, _) = round(DOUBLE, div(rd(a), rd(b)), Rm::Nearest, Adjust::default());
                assert_eq!(f64::from_bits(r), a / b, "{a} / {b}");
            }
            if a > 0.0 {
                let (r, _) = round(DOUBLE, sqrt(rd(a)), Rm::Nearest, Adjust::default());
                assert_eq!(f64::from_bits(r), a.sqrt());
            }
        }
    }

    #[test]
    fn directed_rounding() {
        let third = div(rd(1.0), rd(3.0));
        let (dn, f) = round(DOUBLE, third, Rm::Down, Adjust::default());
        let (up, _) = round(DOUBLE, third, Rm::Up, Adjust::default());
        assert!(f.inexact && !f.rounded_up);
        assert_eq!(up, dn + 1);
        let (z, _) = round(
            DOUBLE,
            add(rd(1.0), rd(-1.0), false),
            Rm::Down,
            Adjust::default(),
        );
        assert_eq!(z, 0);
        let (o, f) = round(
            DOUBLE,
            mul(rd(1e300), rd(1e300)),
            Rm::Zero,
            Adjust::default(),
        );
        assert_eq!(f64::from_bits(o), f64::MAX);
        assert!(f.overflow);
    }

    #[test]
    fn product_below_half_the_smallest_denormal() {
        // -3.78 × 1.28·2^-152 = 0.61·2^-149: a product whose 128-bit
        // significand reaches bit 127 and lies 128 bits below the last
        // kept place rounds (once, to single) up to the smallest denormal.
        let p = mul(
            Exact::of(&unpack(DOUBLE, 0xc00e_4000_a000_0000)),
            Exact::of(&unpack(DOUBLE, 0xb674_8800_0000_0000)),
        );
        let (r, f) = round(SINGLE, p, Rm::Nearest, Adjust::default());
        assert_eq!(r, 1);
        assert!(f.inexact && f.rounded_up && f.underflow);
        let (r, _) = round(SINGLE, p, Rm::Zero, Adjust::default());
        assert_eq!(r, 0);
    }

    #[test]
    fn to_int_saturates() {
        let c = to_int(DOUBLE, (-3.5f64).to_bits(), Rm::Nearest, true, 32);
        assert_eq!(c.value as u32 as i32, -4);
        let c = to_int(DOUBLE, 3e10f64.to_bits(), Rm::Zero, true, 32);
        assert!(c.invalid);
        assert_eq!(c.value, 0x7fff_ffff);
        let c = to_int(DOUBLE, (-1.0f64).to_bits(), Rm::Zero, false, 64);
        assert!(c.invalid && c.value == 0);
    }
}
