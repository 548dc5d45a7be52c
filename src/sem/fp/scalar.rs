//! Chapter 4 instructions on FPRs (Power ISA 3.0B Book I §4.6.4-4.6.9):
//! moves, the A-form arithmetic (double and single precision), rounding
//! and integer conversions, compare, test and select. Every instruction
//! is a helper; the per-opcode choices come from `aop` and `conv` tables.

use super::arith;
use super::fpscr::{self, fprf_of, Ctx, FPCC, FPRF_SHIFT, VE, VXCVI, VXSNAN, VXVC, XX};
use super::soft::{self, Class, Fmt, Rm, DOUBLE, SINGLE};
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode, F_SINGLE};
use crate::sem::{Backend, Ops};

/// The A-form arithmetic operations.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AOp {
    Add,
    Sub,
    Mul,
    Div,
    Sqrt,
    Re,
    Rsqrte,
    /// Fused multiply-add: (negate addend, negate result).
    Fma(bool, bool),
}

pub fn aop(op: Opcode) -> Option<AOp> {
    use Opcode::*;
    Some(match op {
        Fadd | Fadds => AOp::Add,
        Fsub | Fsubs => AOp::Sub,
        Fmul | Fmuls => AOp::Mul,
        Fdiv | Fdivs => AOp::Div,
        Fsqrt | Fsqrts => AOp::Sqrt,
        Fre | Fres => AOp::Re,
        Frsqrte | Frsqrtes => AOp::Rsqrte,
        Fmadd | Fmadds => AOp::Fma(false, false),
        Fmsub | Fmsubs => AOp::Fma(true, false),
        Fnmadd | Fnmadds => AOp::Fma(false, true),
        Fnmsub | Fnmsubs => AOp::Fma(true, true),
        _ => return None,
    })
}

/// Compute one A-form operation on operands in `inf`, rounding to `outf`.
/// `a`, `b`, `c` are frA, frB, frC (the VSX forms map their operands).
pub fn compute(ctx: &mut Ctx, op: AOp, inf: Fmt, outf: Fmt, a: u64, b: u64, c: u64) -> u64 {
    match op {
        AOp::Add => arith::add(ctx, inf, outf, a, b, false),
        AOp::Sub => arith::add(ctx, inf, outf, a, b, true),
        AOp::Mul => arith::mul(ctx, inf, outf, a, c),
        AOp::Div => arith::div(ctx, inf, outf, a, b),
        AOp::Sqrt => arith::sqrt(ctx, inf, outf, b),
        AOp::Re => estimate_re(ctx, inf, outf, b),
        AOp::Rsqrte => estimate_rsqrte(ctx, inf, outf, b),
        AOp::Fma(nb, nr) => arith::fma(ctx, inf, outf, a, c, b, nb, nr),
    }
}

/// fre/xsredp: the ISA allows any estimate within 1/256 (1/16384 for
/// the VSX forms); like QEMU we return 1/x correctly rounded.
fn estimate_re(ctx: &mut Ctx, inf: Fmt, outf: Fmt, b: u64) -> u64 {
    let one = soft::pack(inf, false, 1, 0);
    arith::div(ctx, inf, outf, one, b)
}

/// frsqrte/xsrsqrtedp: like QEMU, 1/sqrt(x) as a rounded square root
/// followed by a rounded division.
/// FI is set when either step is inexact (QEMU accumulates the flags of
/// both operations).
fn estimate_rsqrte(ctx: &mut Ctx, inf: Fmt, outf: Fmt, b: u64) -> u64 {
    let s = arith::sqrt(ctx, inf, inf, b);
    if soft::unpack(inf, s).is_nan() {
        return arith::quiet_to(inf, outf, s);
    }
    let fi = ctx.fi;
    let one = soft::pack(inf, false, 1, 0);
    let r = arith::div(ctx, inf, outf, one, s);
    ctx.fi |= fi;
    r
}

fn finish(cpu: &mut CpuState, i: Insn, ctx: &Ctx, rt: usize, r: u64) -> Result<(), Exc> {
    if !ctx.suppressed() {
        cpu.set_fpr(rt, r);
    }
    let res = fpscr::commit(cpu, ctx, true, Some(fprf_of(DOUBLE, r)));
    if i.record() {
        fpscr::set_cr1(cpu);
    }
    res
}

/// The A-form arithmetic instructions (§4.6.6).
pub fn h_arith(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let op = aop(i.op).ok_or(Exc::Unimplemented)?;
    let (a, b, c) = (
        cpu.fpr(i.fra() as usize),
        cpu.fpr(i.frb() as usize),
        cpu.fpr(i.frc() as usize),
    );
    // Round to nearest, double precision, inexact exceptions disabled:
    // the host's answer where it is the same as the exact path's (`hard`).
    if super::hard::usable(cpu.fpscr) && !i.op.has(F_SINGLE) {
        if let Some(h) = super::hard::double(op, a, b, c) {
            cpu.set_fpr(i.frt() as usize, h.bits);
            cpu.fpscr = super::hard::fpscr_after(cpu.fpscr, &h);
            if i.record() {
                fpscr::set_cr1(cpu);
            }
            return Ok(());
        }
    }
    let mut ctx = Ctx::new(cpu);
    let r = if i.op.has(F_SINGLE) {
        let s = compute(&mut ctx, op, DOUBLE, SINGLE, a, b, c);
        fpscr::single_to_double(s)
    } else {
        compute(&mut ctx, op, DOUBLE, DOUBLE, a, b, c)
    };
    finish(cpu, i, &ctx, i.frt() as usize, r)
}

/// fsel (§4.6.9): frC if frA ≥ 0 (not a NaN), else frB. No exceptions.
pub fn h_fsel(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = cpu.fpr(i.fra() as usize);
    let ua = soft::unpack(DOUBLE, a);
    let ge = !ua.is_nan() && (!ua.sign || ua.is_zero());
    let r = if ge {
        cpu.fpr(i.frc() as usize)
    } else {
        cpu.fpr(i.frb() as usize)
    };
    cpu.set_fpr(i.frt() as usize, r);
    if i.record() {
        fpscr::set_cr1(cpu);
    }
    Ok(())
}

/// fmr, fneg, fabs, fnabs, fcpsgn, fmrgew, fmrgow (§4.6.5): bit moves,
/// no FPSCR change, inline semantics; the record forms then copy FPSCR
/// bits into CR1 (`h_cr1`).
pub fn moves<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    const S: u64 = 1 << 63;
    let x = b.fpr(i.frb());
    let r = match i.op {
        Fmr => x,
        Fneg => {
            let k = b.imm(S);
            b.xor(x, k)
        }
        Fabs => b.andi(x, !S),
        Fnabs => b.ori(x, S),
        _ => {
            let a = b.fpr(i.fra());
            let (hi, lo) = match i.op {
                Fcpsgn => (b.andi(a, S), b.andi(x, !S)),
                Fmrgew => (b.andi(a, 0xffff_ffff_0000_0000), b.shri(x, 32)),
                _ => (b.shli(a, 32), b.andi(x, 0xffff_ffff)),
            };
            b.or(hi, lo)
        }
    };
    b.set_fpr(i.frt(), r);
    if i.record() {
        b.helper(h_cr1, i)?;
    }
    Ok(())
}

/// CR1 ← FPSCR[FX, FEX, VX, OX] for a record form that changes nothing
/// else in the FPSCR (§4.3.1).
fn h_cr1(cpu: &mut CpuState, _i: Insn) -> Result<(), Exc> {
    fpscr::set_cr1(cpu);
    Ok(())
}

/// frsp (§4.6.7.1).
pub fn h_frsp(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = cpu.fpr(i.frb() as usize);
    let mut ctx = Ctx::new(cpu);
    let s = arith::convert(&mut ctx, DOUBLE, SINGLE, b);
    let r = fpscr::single_to_double(s);
    finish(cpu, i, &ctx, i.frt() as usize, r)
}

/// Conversion to an integer, recording VXCVI/VXSNAN/XX/FI/FR as the
/// fcti* instructions do (§4.6.7.2). Returns the integer in the low
/// `width` bits; `None` result means "suppressed by VE".
pub fn to_int(ctx: &mut Ctx, f: Fmt, b: u64, rm: Rm, signed: bool, width: u32) -> u64 {
    let c = soft::to_int(f, b, rm, signed, width);
    let cls = soft::classify(f, b);
    if cls == Class::SNaN {
        ctx.raise(VXSNAN);
    }
    if c.invalid {
        ctx.raise(VXCVI);
    } else if c.inexact {
        ctx.raise(XX);
        ctx.fi = true;
        // FR: the magnitude was increased by the rounding.
        let u = soft::unpack(f, b);
        let (sig, _, up) = soft::round_at(soft::Exact::of(&u), 0, rm);
        let _ = sig;
        ctx.fr = up;
    }
    c.value
}

/// fctid[u][z], fctiw[u][z] (§4.6.7.2).
pub fn h_fcti(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let (signed, width, trunc) = match i.op {
        Fctid => (true, 64, false),
        Fctidz => (true, 64, true),
        Fctidu => (false, 64, false),
        Fctiduz => (false, 64, true),
        Fctiw => (true, 32, false),
        Fctiwz => (true, 32, true),
        Fctiwu => (false, 32, false),
        _ => (false, 32, true),
    };
    let b = cpu.fpr(i.frb() as usize);
    let mut ctx = Ctx::new(cpu);
    let rm = if trunc { Rm::Zero } else { ctx.rm };
    let v = to_int(&mut ctx, DOUBLE, b, rm, signed, width);
    // The word forms leave bits 0:31 undefined; like QEMU we give the
    // sign extension for fctiw[z] on numbers, zeros for a NaN operand and
    // for the unsigned forms.
    let nan = soft::unpack(DOUBLE, b).is_nan();
    let v = if width == 32 && signed && !nan {
        v as u32 as i32 as i64 as u64
    } else {
        v
    };
    if !ctx.suppressed() {
        cpu.set_fpr(i.frt() as usize, v);
    }
    // FPRF is undefined (§4.6.7.2); like QEMU we leave it, except that an
    // invalid conversion sets the QNaN class as other invalid operations.
    let fprf = ctx
        .invalid()
        .then_some(fprf_of(DOUBLE, DOUBLE.default_nan()));
    let res = fpscr::commit(cpu, &ctx, true, fprf);
    if i.record() {
        fpscr::set_cr1(cpu);
    }
    res
}

/// fcfid[u][s] (§4.6.7.2).
pub fn h_fcfid(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let signed = matches!(i.op, Fcfid | Fcfids);
    let b = cpu.fpr(i.frb() as usize);
    let mut ctx = Ctx::new(cpu);
    let r = if i.op.has(F_SINGLE) {
        fpscr::single_to_double(arith::from_int(&mut ctx, SINGLE, b, signed))
    } else {
        arith::from_int(&mut ctx, DOUBLE, b, signed)
    };
    finish(cpu, i, &ctx, i.frt() as usize, r)
}

/// frin, friz, frip, frim (§4.6.7.3): round to an integral value. XX is
/// not set by these instructions (FR and FI are cleared).
pub fn h_fri(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    use Opcode::*;
    let rm = match i.op {
        Frin => Rm::NearAway,
        Friz => Rm::Zero,
        Frip => Rm::Up,
        _ => Rm::Down,
    };
    let b = cpu.fpr(i.frb() as usize);
    let mut ctx = Ctx::new(cpu);
    let r = round_int(&mut ctx, DOUBLE, b, rm);
    finish(cpu, i, &ctx, i.frt() as usize, r)
}

/// Round to integral value in format `f`, quieting SNaNs.
pub fn round_int(ctx: &mut Ctx, f: Fmt, b: u64, rm: Rm) -> u64 {
    let u = soft::unpack(f, b);
    if u.is_nan() {
        if u.class == Class::SNaN {
            ctx.raise(VXSNAN);
        }
        return b | f.quiet_bit();
    }
    soft::round_to_int(f, b, rm).0
}

/// The 4-bit compare result (FL FG FE FU) of two values, raising VXSNAN
/// and, for ordered compares, VXVC (§4.6.8).
pub fn compare_cc(ctx: &mut Ctx, f: Fmt, a: u64, b: u64, ordered: bool) -> u8 {
    use std::cmp::Ordering::*;
    let ca = soft::classify(f, a);
    let cb = soft::classify(f, b);
    let snan = ca == Class::SNaN || cb == Class::SNaN;
    let qnan = ca == Class::QNaN || cb == Class::QNaN;
    if snan {
        ctx.raise(VXSNAN);
        if ordered && ctx.fpscr & VE == 0 {
            ctx.raise(VXVC);
        }
    } else if qnan && ordered {
        ctx.raise(VXVC);
    }
    match arith::compare(f, a, b) {
        Some(Less) => 8,
        Some(Greater) => 4,
        Some(Equal) => 2,
        None => 1,
    }
}

/// fcmpu, fcmpo (§4.6.8): CR[BF] and FPCC.
pub fn h_fcmp(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let a = cpu.fpr(i.fra() as usize);
    let b = cpu.fpr(i.frb() as usize);
    let mut ctx = Ctx::new(cpu);
    let cc = compare_cc(&mut ctx, DOUBLE, a, b, i.op == Opcode::Fcmpo);
    set_cc(cpu, i.bf(), cc, &ctx)
}

/// CR[bf] ← cc and FPSCR[FPCC] ← cc, then the exceptions.
pub fn set_cc(cpu: &mut CpuState, bf: u32, cc: u8, ctx: &Ctx) -> Result<(), Exc> {
    cpu.crf[bf as usize] = cc;
    let mut c = Ctx { ..*ctx };
    c.fpscr = c.fpscr & !FPCC | (cc as u64) << FPRF_SHIFT;
    fpscr::commit(cpu, &c, false, None)
}

/// Unbiased exponent as QEMU and the ISA pseudocode compute it (the
/// biased exponent minus the bias; denormals give emin - 1).
fn uexp(f: Fmt, x: u64) -> i32 {
    ((x >> f.frac) & ((1 << f.ebits) - 1)) as i32 - f.bias()
}

/// ftdiv/xstdivdp test (§4.6.6.1): (fg, fe).
pub fn tdiv_flags(f: Fmt, a: u64, b: u64) -> (bool, bool) {
    let ua = soft::unpack(f, a);
    let ub = soft::unpack(f, b);
    let (ea, eb) = (uexp(f, a), uexp(f, b));
    let mut fe = false;
    let mut fg = false;
    if ua.is_nan() || ub.is_nan() || ua.is_inf() || ub.is_inf() || ub.is_zero() {
        fe = true;
    }
    if ua.is_inf() || ub.is_inf() || ub.is_zero() || ub.class == Class::Denormal {
        fg = true;
    }
    if !fe {
        let emin = f.emin();
        let emax = f.emax();
        fe = eb <= emin
            || eb >= emax - 2
            || (!ua.is_zero()
                && (ea - eb >= emax || ea - eb <= emin + 1 || ea <= emin + f.frac as i32));
    }
    (fg, fe)
}

/// ftsqrt/xstsqrtdp test (§4.6.6.1): (fg, fe).
pub fn tsqrt_flags(f: Fmt, b: u64) -> (bool, bool) {
    let ub = soft::unpack(f, b);
    let fg = ub.is_inf() || ub.is_zero() || ub.class == Class::Denormal;
    let fe = ub.is_nan()
        || ub.is_inf()
        || ub.is_zero()
        || ub.sign
        || uexp(f, b) <= f.emin() + f.frac as i32;
    (fg, fe)
}

/// ftdiv, ftsqrt: CR[BF] ← 0b1 || fg || fe || 0b0, FPSCR unchanged.
pub fn h_ftest(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let b = cpu.fpr(i.frb() as usize);
    let (fg, fe) = if i.op == Opcode::Ftdiv {
        tdiv_flags(DOUBLE, cpu.fpr(i.fra() as usize), b)
    } else {
        tsqrt_flags(DOUBLE, b)
    };
    cpu.crf[i.bf() as usize] = 8 | (fg as u8) << 2 | (fe as u8) << 1;
    Ok(())
}
