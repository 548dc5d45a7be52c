//! Element access on 128-bit vector registers, shared by the VMX and VSX
//! semantics.
//!
//! A register is a `u128` whose most significant bits are the ISA's byte 0
//! (Power ISA 3.0B Book I ch. 6 "Vector Registers" and ch. 7 "VSX Registers": elements are numbered from the
//! left, big-endian, whatever the storage byte order). Element `i` of width
//! `w` bits therefore sits at bits `128 - w*(i+1) ..` of the integer. Every
//! element-wise instruction is written once over the width with these
//! helpers.

/// Mask of the low `w` bits (1..=64).
#[inline(always)]
pub const fn ones(w: u32) -> u64 {
    if w >= 64 {
        u64::MAX
    } else {
        (1u64 << w) - 1
    }
}

/// Number of `w`-bit elements in a register.
#[inline(always)]
pub const fn lanes(w: u32) -> u32 {
    128 / w
}

/// Element `i` (ISA numbering) of width `w` (<= 64), zero-extended.
#[inline(always)]
pub const fn get(v: u128, w: u32, i: u32) -> u64 {
    (v >> (128 - w * (i + 1))) as u64 & ones(w)
}

/// Element `i` of width `w`, sign-extended.
#[inline(always)]
pub const fn gets(v: u128, w: u32, i: u32) -> i64 {
    sext(get(v, w, i), w)
}

/// `v` with element `i` of width `w` replaced by the low bits of `x`.
#[inline(always)]
pub const fn set(v: u128, w: u32, i: u32, x: u64) -> u128 {
    let sh = 128 - w * (i + 1);
    let m = (ones(w) as u128) << sh;
    (v & !m) | (((x & ones(w)) as u128) << sh)
}

/// Sign-extend the low `w` bits of `x`.
#[inline(always)]
pub const fn sext(x: u64, w: u32) -> i64 {
    ((x << (64 - w)) as i64) >> (64 - w)
}

/// Build a register from its elements, element 0 first.
#[inline(always)]
pub fn build(w: u32, mut f: impl FnMut(u32) -> u64) -> u128 {
    let mut r = 0u128;
    for i in 0..lanes(w) {
        r = if w == 128 { 0 } else { r << w } | (f(i) & ones(w)) as u128;
    }
    r
}

/// Apply `f` to each pair of corresponding elements.
#[inline(always)]
pub fn map2(a: u128, b: u128, w: u32, mut f: impl FnMut(u64, u64) -> u64) -> u128 {
    build(w, |i| f(get(a, w, i), get(b, w, i)))
}

/// Apply `f` to each element.
#[inline(always)]
pub fn map1(a: u128, w: u32, mut f: impl FnMut(u64) -> u64) -> u128 {
    build(w, |i| f(get(a, w, i)))
}

/// Byte `i` (ISA numbering, 0 = most significant).
#[inline(always)]
pub const fn byte(v: u128, i: u32) -> u8 {
    (v >> (120 - 8 * i)) as u8
}

/// Doubleword 0 (the high half).
#[inline(always)]
pub const fn dw0(v: u128) -> u64 {
    (v >> 64) as u64
}

/// Doubleword 1 (the low half).
#[inline(always)]
pub const fn dw1(v: u128) -> u64 {
    v as u64
}

/// A register from its two doublewords.
#[inline(always)]
pub const fn from_dw(d0: u64, d1: u64) -> u128 {
    (d0 as u128) << 64 | d1 as u128
}

/// Saturate a signed value to `w` bits; the flag says whether it clipped.
#[inline(always)]
pub fn sat_s(x: i128, w: u32) -> (u64, bool) {
    let max = (1i128 << (w - 1)) - 1;
    let min = -(1i128 << (w - 1));
    if x > max {
        (max as u64, true)
    } else if x < min {
        (min as u64 & ones(w), true)
    } else {
        (x as u64 & ones(w), false)
    }
}

/// Saturate a signed value to an unsigned `w`-bit range.
#[inline(always)]
pub fn sat_u(x: i128, w: u32) -> (u64, bool) {
    let max = ones(w) as i128;
    if x > max {
        (ones(w), true)
    } else if x < 0 {
        (0, true)
    } else {
        (x as u64, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_numbering_is_big_endian() {
        let v: u128 = 0x0001_0203_0405_0607_0809_0a0b_0c0d_0e0f;
        assert_eq!(byte(v, 0), 0);
        assert_eq!(byte(v, 15), 15);
        assert_eq!(get(v, 16, 1), 0x0203);
        assert_eq!(get(v, 32, 3), 0x0c0d_0e0f);
        assert_eq!(get(v, 64, 0), 0x0001_0203_0405_0607);
        assert_eq!(set(0, 8, 15, 0xff), 0xff);
        assert_eq!(map1(v, 32, |x| x), v);
        assert_eq!(gets(set(0, 16, 7, 0xfffe), 16, 7), -2);
    }

    #[test]
    fn saturation() {
        assert_eq!(sat_s(200, 8), (127, true));
        assert_eq!(sat_s(-200, 8), (0x80, true));
        assert_eq!(sat_u(-1, 16), (0, true));
        assert_eq!(sat_u(70000, 16), (0xffff, true));
        assert_eq!(sat_u(7, 16), (7, false));
    }
}
