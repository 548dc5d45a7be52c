//! Vector decimal integer instructions (Power ISA 3.0B Book I chapter 6,
//! "Decimal Integer Arithmetic/Format/Shift Instructions"): bcdadd.,
//! bcdsub., bcdcpsgn., bcdsetsgn., bcds., bcdus., bcdsr., bcdtrunc.,
//! bcdutrunc., bcdcfsq., bcdctsq.
//!
//! A signed decimal is 31 BCD digits and a sign nibble (the last nibble):
//! 0xA/0xC/0xE/0xF are plus, 0xB/0xD minus; results use 0xC (or 0xF when
//! PS = 1) for plus and 0xD for minus. An unsigned decimal is 32 digits.
//! Every form sets CR6 to LT/GT/EQ for a negative/positive/zero result and
//! SO for overflow; an invalid operand gives CR6 = SO only and leaves VRT
//! alone (its value is undefined). The zoned and national conversions
//! decode but are not implemented.

use super::{set_vrt, vra, vrb};
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;

const TEN31: u128 = 10u128.pow(31);

const LT: u8 = 8;
const GT: u8 = 4;
const EQ: u8 = 2;
const SO: u8 = 1;

/// Digits of a `n`-digit BCD field (the low `4n` bits of `v`), or None if a
/// nibble is not a decimal digit.
fn digits(v: u128, n: u32) -> Option<u128> {
    let mut m = 0u128;
    for k in (0..n).rev() {
        let d = (v >> (4 * k)) & 0xf;
        if d > 9 {
            return None;
        }
        m = m * 10 + d;
    }
    Some(m)
}

/// `m` (< 10^n) as `n` BCD digits.
fn to_bcd(mut m: u128, n: u32) -> u128 {
    let mut v = 0u128;
    for k in 0..n {
        v |= (m % 10) << (4 * k);
        m /= 10;
    }
    v
}

/// A signed decimal: magnitude and sign, or None if invalid.
fn signed(v: u128) -> Option<(u128, bool)> {
    let s = (v & 0xf) as u8;
    if s < 0xa {
        return None;
    }
    Some((digits(v >> 4, 31)?, s == 0xb || s == 0xd))
}

fn sign_code(neg: bool, ps: bool) -> u128 {
    if neg {
        0xd
    } else if ps {
        0xf
    } else {
        0xc
    }
}

/// Encode a signed result, truncating the magnitude to 31 digits, and
/// the CR6 value for it: LT/GT/EQ describe the (truncated) result, so an
/// overflow to zero is EQ|SO. A negative zero keeps the minus sign code.
fn result(mag: u128, neg: bool, ps: bool, ov: bool) -> (u128, u8) {
    let m = mag % TEN31;
    let cr = if m == 0 {
        EQ
    } else if neg {
        LT
    } else {
        GT
    };
    (
        to_bcd(m, 31) << 4 | sign_code(neg, ps),
        cr | if ov { SO } else { 0 },
    )
}

/// CR6 for an unsigned result.
fn ucr(v: u128, ov: bool) -> u8 {
    (if v == 0 { EQ } else { GT }) | if ov { SO } else { 0 }
}

fn finish(cpu: &mut CpuState, i: Insn, r: Option<(u128, u8)>) -> Result<(), Exc> {
    match r {
        Some((v, cr)) => {
            set_vrt(cpu, i, v);
            cpu.crf[6] = cr;
        }
        None => cpu.crf[6] = SO,
    }
    Ok(())
}

fn ps(i: Insn) -> bool {
    i.ps() != 0
}

/// bcdadd., bcdsub.
pub fn add<const SUB: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = (|| {
        let (a, an) = signed(vra(cpu, i))?;
        let (b, bn) = signed(vrb(cpu, i))?;
        let bn = bn ^ SUB;
        let sa = if an { -(a as i128) } else { a as i128 };
        let sb = if bn { -(b as i128) } else { b as i128 };
        let s = sa + sb;
        let mag = s.unsigned_abs();
        Some(result(mag, s < 0, ps(i), mag >= TEN31))
    })();
    finish(cpu, i, r)
}

/// bcdcpsgn.: the digits of VRA with the sign of VRB.
pub fn cpsgn(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = (|| {
        let (m, _) = signed(a)?;
        let (_, neg) = signed(b)?;
        let v = (a & !0xf) | (b & 0xf);
        let cr = if m == 0 {
            EQ
        } else if neg {
            LT
        } else {
            GT
        };
        Some((v, cr))
    })();
    finish(cpu, i, r)
}

/// bcdsetsgn.: VRB with its sign nibble made the preferred code.
pub fn setsgn(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = vrb(cpu, i);
    let r = signed(b).map(|(m, neg)| {
        let cr = if m == 0 {
            EQ
        } else if neg {
            LT
        } else {
            GT
        };
        ((b & !0xf) | sign_code(neg, ps(i)), cr)
    });
    finish(cpu, i, r)
}

/// The digit shift count in byte 7 of VRA (signed: left if positive).
fn shift_count(cpu: &CpuState, i: Insn) -> i32 {
    (vra(cpu, i) >> 64) as u8 as i8 as i32
}

/// Shift an `n`-digit magnitude by `sh` digits (left if positive); the
/// flag says whether nonzero digits were shifted out on the left.
fn shift_digits(m: u128, sh: i32, n: u32, round: bool) -> (u128, bool) {
    if sh >= 0 {
        if sh >= n as i32 {
            return (0, m != 0);
        }
        let room = 10u128.pow(n - sh as u32);
        ((m % room) * 10u128.pow(sh as u32), m >= room)
    } else {
        let s = (-sh) as u32;
        if s > n {
            return (0, false);
        }
        let p = 10u128.pow(s);
        let mut q = m / p;
        if round && (m / (p / 10)) % 10 >= 5 {
            q += 1;
        }
        (q, false)
    }
}

/// bcds., bcdsr. (signed, 31 digits) and bcdus. (unsigned, 32 digits).
pub fn shift<const UNSIGNED: bool, const ROUND: bool>(
    cpu: &mut CpuState,
    i: Insn,
) -> Result<(), Exc> {
    let sh = shift_count(cpu, i);
    let b = vrb(cpu, i);
    let r = if UNSIGNED {
        digits(b, 32).map(|m| {
            let (v, ov) = shift_digits(m, sh, 32, false);
            (to_bcd(v, 32), ucr(v, ov))
        })
    } else {
        signed(b).map(|(m, neg)| {
            let (v, ov) = shift_digits(m, if ROUND && sh > 0 { sh.min(31) } else { sh }, 31, ROUND);
            result(v, neg, ps(i), ov)
        })
    };
    finish(cpu, i, r)
}

/// bcdtrunc. (signed) and bcdutrunc. (unsigned): keep the low N digits,
/// N from halfword 3 of VRA.
pub fn trunc<const UNSIGNED: bool>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let n = ((vra(cpu, i) >> 64) as u16) as u32;
    let b = vrb(cpu, i);
    let r = if UNSIGNED {
        digits(b, 32).map(|m| {
            let keep = if n >= 32 { m } else { m % 10u128.pow(n) };
            (to_bcd(keep, 32), ucr(keep, keep != m))
        })
    } else {
        signed(b).map(|(m, neg)| {
            let keep = if n >= 31 { m } else { m % 10u128.pow(n) };
            result(keep, neg, ps(i), keep != m)
        })
    };
    finish(cpu, i, r)
}

/// bcdcfsq.: signed quadword integer to signed decimal.
pub fn cfsq(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let x = vrb(cpu, i) as i128;
    let mag = x.unsigned_abs();
    let r = result(mag, x < 0, ps(i), mag >= TEN31);
    finish(cpu, i, Some(r))
}

/// bcdctsq.: signed decimal to signed quadword integer.
pub fn ctsq(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let r = signed(vrb(cpu, i)).map(|(m, neg)| {
        let v = if neg {
            (m as i128).wrapping_neg()
        } else {
            m as i128
        };
        let cr = if m == 0 {
            EQ
        } else if neg {
            LT
        } else {
            GT
        };
        (v as u128, cr)
    });
    finish(cpu, i, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode() {
        assert_eq!(signed(0x123c), Some((123, false)));
        assert_eq!(signed(0x123d), Some((123, true)));
        assert_eq!(signed(0x12ac), None);
        assert_eq!(signed(0x1239), None);
        assert_eq!(result(5, true, false, false), (0x5d, LT));
        assert_eq!(result(TEN31, false, true, true), (0xf, EQ | SO));
        assert_eq!(shift_digits(123, -1, 31, true), (12, false));
        assert_eq!(shift_digits(125, -1, 31, true), (13, false));
        assert_eq!(shift_digits(TEN31 - 1, 1, 31, false), (TEN31 - 10, true));
    }

    #[test]
    fn invalid_operand_sets_only_so() {
        let mut c = CpuState::new(crate::memory::GuestMem::empty());
        c.vsr[32] = 0x1234;
        c.vsr[33] = 0x1a1c; // bad digit
        c.vsr[34] = 0x5c;
        // bcdadd. v0,v1,v2,0
        let i = Insn::new(4 << 26 | 1 << 16 | 2 << 11 | 1 << 10 | 1);
        add::<false>(&mut c, i).unwrap();
        assert_eq!(c.crf[6], SO);
        assert_eq!(c.vsr[32], 0x1234);
        c.vsr[33] = 0x7d;
        add::<false>(&mut c, i).unwrap();
        assert_eq!((c.vsr[32], c.crf[6]), (0x2d, LT));
    }
}
