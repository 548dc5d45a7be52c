//! Register-block layout shared with `harness.S`, random initial states,
//! and the comparison of two dumps.
//!
//! A blob (input) is `REGS` bytes of registers followed by `MEM` bytes of
//! memory; a record (output, one per snippet) is the memory area followed
//! by `REGS` bytes of registers. Register block offsets: GPRs at 0, CR 256,
//! XER 264, LR 272, CTR 280, FPSCR 288, TAR 296, VSCR 304 (low word of a quadword),
//! VSRs at 320 (16 bytes each; FPR n is VSR n's doubleword 0).

use super::gen::Features;
use super::rng::Rng;
use std::fmt::Write;

pub const REGS: usize = 1408;
pub const MEM: usize = 512;
pub const BLOB: usize = REGS + MEM;
pub const O_CR: usize = 256;
pub const O_XER: usize = 264;
pub const O_LR: usize = 272;
pub const O_CTR: usize = 280;
pub const O_FPSCR: usize = 288;
pub const O_TAR: usize = 296;
pub const O_VSCR: usize = 304;
pub const O_VSR: usize = 320;

fn rd64(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap())
}
fn wr64(b: &mut [u8], o: usize, v: u64) {
    b[o..o + 8].copy_from_slice(&v.to_le_bytes());
}

/// Interesting 64-bit integers: edges of the signed/unsigned 32- and
/// 64-bit ranges, small shift counts, sign-extended words.
fn gpr_value(r: &mut Rng) -> u64 {
    const EDGES: [u64; 12] = [
        0,
        1,
        u64::MAX,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_ffff,
        0xffff_ffff_8000_0000,
        0x8000_0000_0000_0000,
        0x7fff_ffff_ffff_ffff,
        0x1_0000_0000,
        2,
        0xffff_ffff_ffff_fffe,
    ];
    match r.below(10) {
        0 | 1 => r.below(130),
        2 => *r.pick(&EDGES),
        3 => r.next() as u32 as i32 as i64 as u64,
        4 => r.next() as u32 as u64,
        5 => r.below(1 << 16).wrapping_sub(1 << 15),
        _ => r.next(),
    }
}

/// Doubles that exercise FP corner cases.
pub fn fp_value(r: &mut Rng) -> u64 {
    const SPECIAL: [u64; 16] = [
        0,
        0x8000_0000_0000_0000,
        0x7ff0_0000_0000_0000,
        0xfff0_0000_0000_0000,
        0x7ff8_0000_0000_0000, // QNaN
        0x7ff4_0000_0000_0001, // SNaN
        0xfff8_0000_0000_1234,
        0x0000_0000_0000_0001, // smallest denormal
        0x000f_ffff_ffff_ffff,
        0x0010_0000_0000_0000, // smallest normal
        0x7fef_ffff_ffff_ffff, // largest
        0x3ff0_0000_0000_0000, // 1.0
        0xbff0_0000_0000_0000,
        0x41e0_0000_0000_0000, // 2^31
        0x43e0_0000_0000_0000, // 2^63
        0x3fe0_0000_0000_0000, // 0.5
    ];
    match r.below(8) {
        0 | 1 => *r.pick(&SPECIAL),
        2 => {
            // A value exactly representable in single precision.
            let f = f32::from_bits(r.next() as u32);
            (f as f64).to_bits()
        }
        3 => {
            // A small integer or half-integer, either sign.
            let v = r.range(-1000, 1000) as f64 / if r.one_in(2) { 1.0 } else { 2.0 };
            v.to_bits()
        }
        4 => {
            // Near 1: exponent around 0, random mantissa (rounding cases).
            (0x3ff0_0000_0000_0000 + (r.next() & 0x000f_ffff_ffff_ffff)) ^ (r.below(2) << 63)
        }
        _ => r.next(),
    }
}

fn f32_lane(r: &mut Rng) -> u32 {
    const SPECIAL: [u32; 10] = [
        0,
        0x8000_0000,
        0x7f80_0000,
        0xff80_0000,
        0x7fc0_0000,
        0x7fa0_0001,
        1,
        0x0080_0000,
        0x3f80_0000,
        0x7f7f_ffff,
    ];
    match r.below(6) {
        0 => *r.pick(&SPECIAL),
        1 => (r.range(-300, 300) as f32).to_bits(),
        2 => r.below(300) as u32,
        _ => r.next() as u32,
    }
}

/// A random blob: registers then memory.
pub fn random_blob(r: &mut Rng) -> Vec<u8> {
    let mut b = vec![0u8; BLOB];
    for g in 0..32 {
        wr64(&mut b, 8 * g, gpr_value(r));
    }
    wr64(&mut b, O_CR, r.next() & 0xffff_ffff);
    // XER: SO OV CA (bits 32:34), OV32 CA32 (44:45), byte count (57:63).
    let xer = (r.next() & 0xe000_0000) | (r.next() & 0xc_0000) | r.below(128);
    wr64(&mut b, O_XER, xer);
    wr64(&mut b, O_LR, r.next());
    let ctr = if r.one_in(2) { r.below(8) } else { r.next() };
    wr64(&mut b, O_CTR, ctr);
    wr64(&mut b, O_TAR, r.next());
    // FPSCR: random rounding mode and occasional sticky bits;
    // NI (bit 61), the reserved bit 52 and the summaries FEX/VX stay 0.
    // The enable bits stay clear too, and FX is always set (see the mtfsf
    // notes in gen.rs).
    let mut fpscr = r.below(4) | 1 << 31;
    for bit in [
        8u32, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
    ] {
        if r.one_in(8) {
            fpscr |= 1 << bit;
        }
    }
    wr64(&mut b, O_FPSCR, fpscr);
    // VSCR: NJ (bit 16 of the word) and SAT (bit 0).
    let vscr = (r.below(2) << 16) | r.below(2);
    wr64(&mut b, O_VSCR, vscr);
    for v in 0..64 {
        let o = O_VSR + 16 * v;
        if v < 32 {
            wr64(&mut b, o, fp_value(r));
            let lo = if r.one_in(2) { fp_value(r) } else { r.next() };
            wr64(&mut b, o + 8, lo);
        } else {
            for lane in 0..4 {
                let x = f32_lane(r);
                b[o + 4 * lane..o + 4 * lane + 4].copy_from_slice(&x.to_le_bytes());
            }
            if r.one_in(3) {
                wr64(&mut b, o, fp_value(r));
                wr64(&mut b, o + 8, fp_value(r));
            }
        }
    }
    for k in 0..MEM / 8 {
        let v = if r.one_in(4) { gpr_value(r) } else { r.next() };
        wr64(&mut b, REGS + 8 * k, v);
    }
    b
}

/// Split a record into (memory, registers).
fn split_rec(rec: &[u8]) -> (&[u8], &[u8]) {
    rec.split_at(MEM)
}

fn vsr_text(regs: &[u8], v: usize, feat: &Features) -> String {
    let o = O_VSR + 16 * v;
    let a = rd64(regs, o);
    let c = rd64(regs, o + 8);
    if feat.vsx || v < 32 {
        // lxvd2x/stxvd2x (and lfd/stfd): doubleword 0 first.
        format!("{a:016x}_{c:016x}")
    } else {
        // lvx/stvx in little-endian mode: the quadword as a LE integer.
        format!("{c:016x}_{a:016x}")
    }
}

fn reg_lines(regs: &[u8], feat: &Features) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for g in 0..32 {
        if g != 1 {
            v.push((format!("r{g}"), format!("{:016x}", rd64(regs, 8 * g))));
        }
    }
    v.push(("cr".into(), format!("{:08x}", rd64(regs, O_CR))));
    v.push(("xer".into(), format!("{:016x}", rd64(regs, O_XER))));
    v.push(("lr".into(), format!("{:016x}", rd64(regs, O_LR))));
    v.push(("ctr".into(), format!("{:016x}", rd64(regs, O_CTR))));
    v.push(("tar".into(), format!("{:016x}", rd64(regs, O_TAR))));
    if feat.fp {
        v.push(("fpscr".into(), format!("{:016x}", rd64(regs, O_FPSCR))));
    }
    if feat.vmx {
        v.push(("vscr".into(), format!("{:08x}", rd64(regs, O_VSCR) as u32)));
    }
    for r in 0..64 {
        let shown = if r < 32 {
            feat.fp || feat.vsx
        } else {
            feat.vmx || feat.vsx
        };
        if shown {
            let name = if feat.vsx {
                format!("vs{r}")
            } else if r < 32 {
                format!("f{r}")
            } else {
                format!("v{}", r - 32)
            };
            let mut t = vsr_text(regs, r, feat);
            if !feat.vsx && r < 32 {
                t.truncate(16);
            }
            v.push((name, t));
        }
    }
    v
}

/// The initial state, for a mismatch report.
pub fn describe_blob(blob: &[u8], feat: &Features) -> String {
    let (regs, mem) = blob.split_at(REGS);
    let mut s = String::new();
    for (k, (n, v)) in reg_lines(regs, feat).iter().enumerate() {
        let _ = write!(s, "{n:>6}={v}");
        s.push(if k % 4 == 3 { '\n' } else { ' ' });
    }
    s.push('\n');
    for (k, ch) in mem.chunks(32).enumerate() {
        let _ = write!(s, "  mem+{:03x}:", 32 * k);
        for w in ch.chunks(8) {
            let _ = write!(s, " {:016x}", u64::from_le_bytes(w.try_into().unwrap()));
        }
        s.push('\n');
    }
    s
}

/// FPSCR[FX] and FPSCR[FR]: QEMU 7.2 never sets FR and sets FX even for
/// an exception already recorded (tests/fp.rs, `known_divergence` 1 and
/// 2, quotes §4.2.2); records are compared without them.
const FPSCR_IGNORED: u64 = 1 << 31 | 1 << 18;

/// Clear the bits no comparison looks at (see `FPSCR_IGNORED`).
pub fn normalize(rec: &mut [u8]) {
    let o = MEM + O_FPSCR;
    let v = rd64(rec, o) & !FPSCR_IGNORED;
    wr64(rec, o, v);
    // VSCR: only NJ and SAT are defined (Book I §6.3); QEMU keeps the
    // reserved bits mtvscr writes, we do not.
    let o = MEM + O_VSCR;
    let v = rd64(rec, o) & 0x1_0001;
    wr64(rec, o, v);
}

/// Differences between QEMU's record and ours, one line each.
pub fn diff(want: &[u8], got: &[u8], feat: &Features) -> Vec<String> {
    let (wm, wr) = split_rec(want);
    let (gm, gr) = split_rec(got);
    let mut out = Vec::new();
    for ((n, a), (_, b)) in reg_lines(wr, feat).iter().zip(reg_lines(gr, feat).iter()) {
        if a != b {
            out.push(format!("{n:>6}: qemu {a}  powerlift {b}"));
        }
    }
    for k in 0..MEM / 8 {
        let a = rd64(wm, 8 * k);
        let b = rd64(gm, 8 * k);
        if a != b {
            out.push(format!(
                "mem+{:03x}: qemu {a:016x}  powerlift {b:016x}",
                8 * k
            ));
        }
    }
    out
}
