//! Vector exclusive-OR-based instructions (Power ISA 3.0B Book I ch. 6,
//! "Vector Exclusive-OR-based Instructions", v2.07): the AES round primitives (vcipher, vcipherlast, vncipher,
//! vncipherlast, vsbox), the SHA-2 sigma functions (vshasigmaw/d) and
//! the polynomial (carry-less) multiply-sums vpmsum{b,h,w,d}.
//!
//! The AES state is VRA with byte k (ISA numbering) as FIPS-197 input byte
//! k, i.e. column-major: row r, column c is byte r + 4c. The S-box is
//! computed at compile time from its definition (multiplicative inverse in
//! GF(2^8) followed by the affine map), not tabulated by hand.

use super::elem::*;
use super::{set_vrt, vra, vrb};
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;

/// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
const fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        let hi = a & 0x80;
        a <<= 1;
        if hi != 0 {
            a ^= 0x1b;
        }
        b >>= 1;
    }
    p
}

const fn sboxes() -> ([u8; 256], [u8; 256]) {
    // Powers of the generator 3 give log/antilog tables, and with them
    // the multiplicative inverse x^-1 = 3^(255 - log x).
    let mut exp = [0u8; 255];
    let mut log = [0u8; 256];
    let mut p = 1u8;
    let mut k = 0;
    while k < 255 {
        exp[k] = p;
        log[p as usize] = k as u8;
        p = gmul(p, 3);
        k += 1;
    }
    let mut fwd = [0u8; 256];
    let mut inv = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        let y = if x == 0 {
            0
        } else {
            exp[(255 - log[x] as usize) % 255]
        };
        let s =
            y ^ y.rotate_left(1) ^ y.rotate_left(2) ^ y.rotate_left(3) ^ y.rotate_left(4) ^ 0x63;
        fwd[x] = s;
        inv[s as usize] = x as u8;
        x += 1;
    }
    (fwd, inv)
}

static SBOX: ([u8; 256], [u8; 256]) = sboxes();

type State = [u8; 16];

fn to_state(v: u128) -> State {
    v.to_be_bytes()
}
fn from_state(s: State) -> u128 {
    u128::from_be_bytes(s)
}

fn sub_bytes(s: State, inverse: bool) -> State {
    let t = if inverse { &SBOX.1 } else { &SBOX.0 };
    s.map(|b| t[b as usize])
}

/// ShiftRows: row r rotates left by r columns (right for the inverse).
fn shift_rows(s: State, inverse: bool) -> State {
    let mut o = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let src = if inverse {
                (c + 4 - r) % 4
            } else {
                (c + r) % 4
            };
            o[r + 4 * c] = s[r + 4 * src];
        }
    }
    o
}

fn mix_columns(s: State, inverse: bool) -> State {
    let m: [u8; 4] = if inverse {
        [14, 11, 13, 9]
    } else {
        [2, 3, 1, 1]
    };
    let mut o = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let mut acc = 0;
            for k in 0..4 {
                acc ^= gmul(m[(k + 4 - r) % 4], s[k + 4 * c]);
            }
            o[r + 4 * c] = acc;
        }
    }
    o
}

pub const CIPHER: u8 = 0;
pub const CIPHER_LAST: u8 = 1;
pub const NCIPHER: u8 = 2;
pub const NCIPHER_LAST: u8 = 3;
pub const SBOX_ONLY: u8 = 4;

/// One AES round on VRA with round key VRB (AES instructions).
pub fn aes<const OP: u8>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let s = to_state(vra(cpu, i));
    let key = vrb(cpu, i);
    let r = match OP {
        SBOX_ONLY => from_state(sub_bytes(s, false)),
        CIPHER => from_state(mix_columns(shift_rows(sub_bytes(s, false), false), false)) ^ key,
        CIPHER_LAST => from_state(shift_rows(sub_bytes(s, false), false)) ^ key,
        NCIPHER => {
            let t = from_state(sub_bytes(shift_rows(s, true), true)) ^ key;
            from_state(mix_columns(to_state(t), true))
        }
        _ => from_state(sub_bytes(shift_rows(s, true), true)) ^ key,
    };
    set_vrt(cpu, i, r);
    Ok(())
}

/// vshasigmaw, vshasigmad (SHA-2 instructions): per element, SHA-256 or SHA-512
/// σ0/σ1 (ST=0) or Σ0/Σ1 (ST=1), the choice of 0/1 taken from the SIX bit
/// of the element (word i uses SIX bit i, doubleword i uses SIX bit 2i).
pub fn shasigma<const W: u32>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = vra(cpu, i);
    let st = i.st() != 0;
    let six = i.six();
    let r = build(W, |k| {
        let x = get(a, W, k);
        let bit = if W == 32 { k } else { 2 * k };
        let one = (six >> (3 - bit)) & 1 != 0;
        if W == 32 {
            let x = x as u32;
            (match (st, one) {
                (false, false) => x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3),
                (false, true) => x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10),
                (true, false) => x.rotate_right(2) ^ x.rotate_right(13) ^ x.rotate_right(22),
                (true, true) => x.rotate_right(6) ^ x.rotate_right(11) ^ x.rotate_right(25),
            }) as u64
        } else {
            match (st, one) {
                (false, false) => x.rotate_right(1) ^ x.rotate_right(8) ^ (x >> 7),
                (false, true) => x.rotate_right(19) ^ x.rotate_right(61) ^ (x >> 6),
                (true, false) => x.rotate_right(28) ^ x.rotate_right(34) ^ x.rotate_right(39),
                (true, true) => x.rotate_right(14) ^ x.rotate_right(18) ^ x.rotate_right(41),
            }
        }
    });
    set_vrt(cpu, i, r);
    Ok(())
}

/// Carry-less product of two 64-bit values.
pub fn clmul(a: u64, b: u64) -> u128 {
    let mut r = 0u128;
    for k in 0..64 {
        if b >> k & 1 != 0 {
            r ^= (a as u128) << k;
        }
    }
    r
}

/// vpmsumb/h/w/d ("Vector Binary Polynomial Multiplication"): for each pair of adjacent `W`-bit elements,
/// the XOR of their two carry-less products, as a `2W`-bit element.
pub fn pmsum<const W: u32>(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, b) = (vra(cpu, i), vrb(cpu, i));
    let r = if W == 64 {
        clmul(dw0(a), dw0(b)) ^ clmul(dw1(a), dw1(b))
    } else {
        build(2 * W, |j| {
            let p = clmul(get(a, W, 2 * j), get(b, W, 2 * j))
                ^ clmul(get(a, W, 2 * j + 1), get(b, W, 2 * j + 1));
            p as u64
        })
    };
    set_vrt(cpu, i, r);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbox_known_values() {
        assert_eq!(SBOX.0[0x00], 0x63);
        assert_eq!(SBOX.0[0x53], 0xed);
        assert_eq!(SBOX.1[0x63], 0x00);
    }

    #[test]
    fn fips197_round() {
        // FIPS-197 appendix B, round 1: start of round and round key.
        let start: u128 = 0x193de3be_a0f4e22b_9ac68d2a_e9f84808;
        let key: u128 = 0xa0fafe17_88542cb1_23a33939_2a6c7605;
        let s = to_state(start);
        let r = from_state(mix_columns(shift_rows(sub_bytes(s, false), false), false)) ^ key;
        assert_eq!(r, 0xa49c7ff2_689f352b_6b5bea43_026a5049);
        // and the inverse round undoes it (up to the key placement)
        let back = mix_columns(to_state(r ^ key), true);
        let back = sub_bytes(shift_rows(back, true), true);
        assert_eq!(from_state(back), start);
    }

    #[test]
    fn carryless() {
        assert_eq!(clmul(3, 3), 5);
        assert_eq!(clmul(u64::MAX, 2), (u64::MAX as u128) << 1);
    }
}
