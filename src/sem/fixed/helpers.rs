//! Fixed-point instructions done as helpers on `CpuState` (Power ISA 3.0B
//! Book I chapter 3): the divides and modulo with their undefined cases
//! (we return what QEMU 7.2 returns), multiply-add high, the byte-wise
//! bit operations, CR and XER moves, problem-state SPRs and darn. Both
//! tiers call them through `Backend::helper`.

use crate::cpu::{CpuState, Exc, ProgramKind};
use crate::isa::{Insn, Opcode};

fn rec(cpu: &mut CpuState, r: u64) {
    let r = r as i64;
    let v = if r < 0 {
        8
    } else if r > 0 {
        4
    } else {
        2
    };
    cpu.crf[0] = v | cpu.so;
}

fn set_ov_cpu(cpu: &mut CpuState, ov: bool) {
    cpu.ov = ov as u8;
    cpu.ov32 = ov as u8;
    cpu.so |= ov as u8;
}

/// divw, divwu, divd, divdu, divwe, divweu, divde, divdeu (§3.3.9).
///
/// "If an attempt is made to perform [an invalid division] ... the contents
/// of register RT are undefined" (and so are CR0[LT GT EQ] when Rc=1). We
/// return what QEMU returns, so the differential test (tests/difftest.rs)
/// can compare: divw/divwu/divd/divdu divide by 1 instead (RT = the
/// dividend, the word forms zero-extended); the extended forms give 0.
/// The word forms' RT[0:31] are undefined too: divw, divwu zero-extend the
/// quotient, divwe sign-extends it.
pub(super) fn h_div(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = cpu.gpr[i.ra() as usize];
    let c = cpu.gpr[i.rb() as usize];
    let (r, ov) = match i.op {
        Opcode::Divw => {
            let (x, y) = (a as i32, c as i32);
            if y == 0 || (x == i32::MIN && y == -1) {
                (x as u32 as u64, true)
            } else {
                ((x / y) as u32 as u64, false)
            }
        }
        Opcode::Divwu => {
            let (x, y) = (a as u32, c as u32);
            match x.checked_div(y) {
                Some(q) => (q as u64, false),
                None => (x as u64, true),
            }
        }
        Opcode::Divd => {
            let (x, y) = (a as i64, c as i64);
            if y == 0 || (x == i64::MIN && y == -1) {
                (a, true)
            } else {
                ((x / y) as u64, false)
            }
        }
        Opcode::Divdu => match a.checked_div(c) {
            Some(q) => (q, false),
            None => (a, true),
        },
        Opcode::Divwe => {
            let x = ((a as i32 as i64) << 32) as i128;
            let y = c as i32 as i128;
            match x.checked_div(y) {
                Some(q) if q >= i32::MIN as i128 && q <= i32::MAX as i128 => {
                    (q as i64 as u64, false)
                }
                _ => (0, true),
            }
        }
        Opcode::Divweu => {
            let x = ((a as u32 as u64) << 32) as u128;
            let y = c as u32 as u128;
            match x.checked_div(y) {
                Some(q) if q <= u32::MAX as u128 => (q as u64, false),
                _ => (0, true),
            }
        }
        Opcode::Divde => {
            let x = (a as i64 as i128) << 64;
            let y = c as i64 as i128;
            match x.checked_div(y) {
                Some(q) if q >= i64::MIN as i128 && q <= i64::MAX as i128 => (q as u64, false),
                _ => (0, true),
            }
        }
        _ => {
            let x = (a as u128) << 64;
            let y = c as u128;
            match x.checked_div(y) {
                Some(q) if q <= u64::MAX as u128 => (q as u64, false),
                _ => (0, true),
            }
        }
    };
    cpu.gpr[i.rt() as usize] = r;
    if i.overflow_enable() {
        set_ov_cpu(cpu, ov);
    }
    if i.record() {
        rec(cpu, r);
    }
    Ok(())
}

pub(super) fn h_mod(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = cpu.gpr[i.ra() as usize];
    let c = cpu.gpr[i.rb() as usize];
    let r = match i.op {
        Opcode::Modsw => {
            let (x, y) = (a as i32, c as i32);
            if y == 0 || (x == i32::MIN && y == -1) {
                0
            } else {
                (x % y) as i64 as u64
            }
        }
        Opcode::Moduw => (a as u32).checked_rem(c as u32).unwrap_or(0) as u64,
        Opcode::Modsd => {
            let (x, y) = (a as i64, c as i64);
            if y == 0 || (x == i64::MIN && y == -1) {
                0
            } else {
                (x % y) as u64
            }
        }
        _ => a.checked_rem(c).unwrap_or(0),
    };
    cpu.gpr[i.rt() as usize] = r;
    Ok(())
}

pub(super) fn h_maddh(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (a, c, d) = (
        cpu.gpr[i.ra() as usize],
        cpu.gpr[i.rb() as usize],
        cpu.gpr[i.rc() as usize],
    );
    let r = if i.op == Opcode::Maddhd {
        ((a as i64 as i128) * (c as i64 as i128) + d as i64 as i128) >> 64
    } else {
        (((a as u128) * (c as u128) + d as u128) >> 64) as i128
    };
    cpu.gpr[i.rt() as usize] = r as u64;
    Ok(())
}

/// popcntb, popcntw, prtyw, prtyd, cmpb, bpermd.
pub(super) fn h_bits(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let s = cpu.gpr[i.rs() as usize];
    let y = cpu.gpr[i.rb() as usize];
    let per_lane = |bytes: usize, f: &dyn Fn(u64) -> u64| -> u64 {
        let bits = bytes * 8;
        let m = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        (0..64 / bits).fold(0, |acc, k| acc | f((s >> (k * bits)) & m) << (k * bits))
    };
    let r = match i.op {
        Opcode::Popcntb => per_lane(1, &|x| x.count_ones() as u64),
        Opcode::Popcntw => per_lane(4, &|x| x.count_ones() as u64),
        Opcode::Prtyw => per_lane(4, &|x| (0..4).fold(0, |p, k| p ^ ((x >> (8 * k)) & 1))),
        Opcode::Prtyd => (0..8).fold(0, |p, k| p ^ ((s >> (8 * k)) & 1)),
        Opcode::Cmpb => (0..8).fold(0, |acc, k| {
            let eq = (s >> (8 * k)) & 0xff == (y >> (8 * k)) & 0xff;
            acc | if eq { 0xffu64 << (8 * k) } else { 0 }
        }),
        _ => {
            // bpermd: byte k of RS selects bit (ISA numbering) of RB.
            (0..8).fold(0, |acc, k| {
                let idx = (s >> (8 * (7 - k))) & 0xff;
                let bit = if idx < 64 { (y >> (63 - idx)) & 1 } else { 0 };
                acc | bit << (7 - k)
            })
        }
    };
    cpu.gpr[i.ra() as usize] = r;
    Ok(())
}

/// cmprb, cmpeqb, setb, mcrxrx, mcrxr (§3.3.10, §3.3.16).
pub(super) fn h_crmisc(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    match i.op {
        Opcode::Cmprb => {
            let x = cpu.gpr[i.ra() as usize] as u8;
            let y = cpu.gpr[i.rb() as usize];
            let in_range = |lo: u64, hi: u64| (lo as u8) <= x && x <= (hi as u8);
            let mut hit = in_range(y & 0xff, (y >> 8) & 0xff);
            if i.l1() != 0 {
                hit |= in_range((y >> 16) & 0xff, (y >> 24) & 0xff);
            }
            cpu.crf[i.bf() as usize] = if hit { 4 } else { 0 };
        }
        Opcode::Cmpeqb => {
            let x = cpu.gpr[i.ra() as usize] as u8;
            let y = cpu.gpr[i.rb() as usize];
            let hit = (0..8).any(|k| (y >> (8 * k)) as u8 == x);
            cpu.crf[i.bf() as usize] = if hit { 4 } else { 0 };
        }
        Opcode::Setb => {
            let f = cpu.crf[i.bfa() as usize];
            cpu.gpr[i.rt() as usize] = if f & 8 != 0 {
                u64::MAX
            } else if f & 4 != 0 {
                1
            } else {
                0
            };
        }
        Opcode::Mcrxrx => {
            cpu.crf[i.bf() as usize] = cpu.ov << 3 | cpu.ov32 << 2 | cpu.ca << 1 | cpu.ca32;
        }
        _ => {
            // mcrxr is not in ISA 3.0 server processors: illegal.
            return Err(Exc::Program(ProgramKind::IllegalInstruction));
        }
    }
    Ok(())
}

/// mfspr/mtspr/mftb for the problem-state SPRs (Book I §3.3.17, Book II
/// §5). Anything else is privileged: a program interrupt.
pub(super) fn h_spr(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let n = if i.op == Opcode::Mftb {
        i.tbr()
    } else {
        i.spr()
    };
    let priv_err = Err(Exc::Program(ProgramKind::PrivilegedInstruction));
    if i.op == Opcode::Mtspr {
        let v = cpu.gpr[i.rs() as usize];
        match n {
            1 => cpu.set_xer(v),
            8 => cpu.lr = v,
            9 => cpu.ctr = v,
            256 => cpu.vrsave = v as u32,
            815 => cpu.tar = v,
            3 => cpu.dscr = v,
            896 => cpu.ppr = v,
            898 => cpu.ppr = (cpu.ppr & !(7 << 50)) | (v & 7) << 50,
            _ => {
                if !crate::sem::system::mtspr_other(cpu, n, v) {
                    return priv_err;
                }
            }
        }
        return Ok(());
    }
    let v = match n {
        1 => cpu.xer(),
        8 => cpu.lr,
        9 => cpu.ctr,
        256 => cpu.vrsave as u64,
        815 => cpu.tar,
        3 => cpu.dscr,
        896 => cpu.ppr,
        898 => (cpu.ppr >> 50) & 7,
        268 => crate::cpu::timebase(cpu),
        269 => crate::cpu::timebase(cpu) >> 32,
        _ => match crate::sem::system::mfspr_other(cpu, n) {
            Some(v) => v,
            None => return priv_err,
        },
    };
    cpu.gpr[i.rt() as usize] = v;
    Ok(())
}

pub(super) fn h_darn(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let mut buf = [0u8; 8];
    // SAFETY: getrandom writes at most buf.len() bytes into buf.
    let n = unsafe { libc::getrandom(buf.as_mut_ptr() as *mut libc::c_void, 8, 0) };
    let v = u64::from_le_bytes(buf);
    cpu.gpr[i.rt() as usize] = if n != 8 {
        u64::MAX
    } else {
        match (i.word >> 16) & 3 {
            0 => v & 0xffff_ffff,
            _ => v.min(u64::MAX - 1),
        }
    };
    Ok(())
}
