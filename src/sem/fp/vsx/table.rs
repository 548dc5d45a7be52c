//! Per-opcode tables of the VSX floating-point instructions: which helper
//! runs each opcode, the arithmetic table (operation, lanes, single
//! rounding, A/M fma form) and the conversion table (source and target
//! kinds, lanes), with the one conversion routine they drive.

use super::super::super::{Backend, Handler};
use super::super::fpscr::{self, fprf_of, Ctx};
use super::super::scalar::{self, AOp};
use super::super::soft::{Fmt, Rm, DOUBLE, HALF, SINGLE};
use super::super::{arith, via};
use super::{dw, from_dws, from_words, word, Lanes};
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode};

/// (operation, lanes, round scalar to single, M-type fma).
pub fn arith(op: Opcode) -> Option<(AOp, Lanes, bool, bool)> {
    use AOp::*;
    use Lanes::{Dp, Scalar as S, Sp};
    use Opcode::*;
    const F: AOp = Fma(false, false);
    const FS: AOp = Fma(true, false);
    const FN: AOp = Fma(false, true);
    const FNS: AOp = Fma(true, true);
    Some(match op {
        Xsadddp => (AOp::Add, S, false, false),
        Xsaddsp => (AOp::Add, S, true, false),
        Xssubdp => (Sub, S, false, false),
        Xssubsp => (Sub, S, true, false),
        Xsmuldp => (Mul, S, false, false),
        Xsmulsp => (Mul, S, true, false),
        Xsdivdp => (Div, S, false, false),
        Xsdivsp => (Div, S, true, false),
        Xssqrtdp => (Sqrt, S, false, false),
        Xssqrtsp => (Sqrt, S, true, false),
        Xsredp => (Re, S, false, false),
        Xsresp => (Re, S, true, false),
        Xsrsqrtedp => (Rsqrte, S, false, false),
        Xsrsqrtesp => (Rsqrte, S, true, false),
        Xsmaddadp => (F, S, false, false),
        Xsmaddmdp => (F, S, false, true),
        Xsmaddasp => (F, S, true, false),
        Xsmaddmsp => (F, S, true, true),
        Xsmsubadp => (FS, S, false, false),
        Xsmsubmdp => (FS, S, false, true),
        Xsmsubasp => (FS, S, true, false),
        Xsmsubmsp => (FS, S, true, true),
        Xsnmaddadp => (FN, S, false, false),
        Xsnmaddmdp => (FN, S, false, true),
        Xsnmaddasp => (FN, S, true, false),
        Xsnmaddmsp => (FN, S, true, true),
        Xsnmsubadp => (FNS, S, false, false),
        Xsnmsubmdp => (FNS, S, false, true),
        Xsnmsubasp => (FNS, S, true, false),
        Xsnmsubmsp => (FNS, S, true, true),
        Xvadddp => (AOp::Add, Dp, false, false),
        Xvaddsp => (AOp::Add, Sp, false, false),
        Xvsubdp => (Sub, Dp, false, false),
        Xvsubsp => (Sub, Sp, false, false),
        Xvmuldp => (Mul, Dp, false, false),
        Xvmulsp => (Mul, Sp, false, false),
        Xvdivdp => (Div, Dp, false, false),
        Xvdivsp => (Div, Sp, false, false),
        Xvsqrtdp => (Sqrt, Dp, false, false),
        Xvsqrtsp => (Sqrt, Sp, false, false),
        Xvredp => (Re, Dp, false, false),
        Xvresp => (Re, Sp, false, false),
        Xvrsqrtedp => (Rsqrte, Dp, false, false),
        Xvrsqrtesp => (Rsqrte, Sp, false, false),
        Xvmaddadp => (F, Dp, false, false),
        Xvmaddmdp => (F, Dp, false, true),
        Xvmaddasp => (F, Sp, false, false),
        Xvmaddmsp => (F, Sp, false, true),
        Xvmsubadp => (FS, Dp, false, false),
        Xvmsubmdp => (FS, Dp, false, true),
        Xvmsubasp => (FS, Sp, false, false),
        Xvmsubmsp => (FS, Sp, false, true),
        Xvnmaddadp => (FN, Dp, false, false),
        Xvnmaddmdp => (FN, Dp, false, true),
        Xvnmaddasp => (FN, Sp, false, false),
        Xvnmaddmsp => (FN, Sp, false, true),
        Xvnmsubadp => (FNS, Dp, false, false),
        Xvnmsubmdp => (FNS, Dp, false, true),
        Xvnmsubasp => (FNS, Sp, false, false),
        Xvnmsubmsp => (FNS, Sp, false, true),
        _ => return None,
    })
}

/// A conversion operand kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    D,
    S,
    H,
    S64,
    U64,
    S32,
    U32,
}

impl K {
    fn fmt(self) -> Option<Fmt> {
        match self {
            K::D => Some(DOUBLE),
            K::S => Some(SINGLE),
            K::H => Some(HALF),
            _ => None,
        }
    }
    fn wide(self) -> bool {
        matches!(self, K::D | K::S64 | K::U64)
    }
}

/// (source, target, element count, signalling). Element count 1 is the
/// scalar form; 2 uses doublewords (a narrow element sits in the high
/// word of its doubleword); 4 uses words (a half in the low half-word).
fn conv(op: Opcode) -> Option<(K, K, usize, bool)> {
    use Opcode::*;
    use K::*;
    Some(match op {
        Xscvdpsp => (D, S, 1, true),
        Xscvdpspn => (D, S, 1, false),
        Xscvspdp => (S, D, 1, true),
        Xscvspdpn => (S, D, 1, false),
        Xsrsp => (D, S, 1, true),
        Xscvdphp => (D, H, 1, true),
        Xscvhpdp => (H, D, 1, true),
        Xscvdpsxds => (D, S64, 1, true),
        Xscvdpsxws => (D, S32, 1, true),
        Xscvdpuxds => (D, U64, 1, true),
        Xscvdpuxws => (D, U32, 1, true),
        Xscvsxddp => (S64, D, 1, true),
        Xscvuxddp => (U64, D, 1, true),
        Xscvsxdsp => (S64, S, 1, true),
        Xscvuxdsp => (U64, S, 1, true),
        Xvcvdpsp => (D, S, 2, true),
        Xvcvspdp => (S, D, 2, true),
        Xvcvdpsxds => (D, S64, 2, true),
        Xvcvdpsxws => (D, S32, 2, true),
        Xvcvdpuxds => (D, U64, 2, true),
        Xvcvdpuxws => (D, U32, 2, true),
        Xvcvspsxds => (S, S64, 2, true),
        Xvcvspuxds => (S, U64, 2, true),
        Xvcvsxddp => (S64, D, 2, true),
        Xvcvuxddp => (U64, D, 2, true),
        Xvcvsxdsp => (S64, S, 2, true),
        Xvcvuxdsp => (U64, S, 2, true),
        Xvcvsxwdp => (S32, D, 2, true),
        Xvcvuxwdp => (U32, D, 2, true),
        Xvcvspsxws => (S, S32, 4, true),
        Xvcvspuxws => (S, U32, 4, true),
        Xvcvsxwsp => (S32, S, 4, true),
        Xvcvuxwsp => (U32, S, 4, true),
        Xvcvhpsp => (H, S, 4, true),
        Xvcvsphp => (S, H, 4, true),
        _ => return None,
    })
}

/// Convert one element.
fn cv1(ctx: &mut Ctx, src: K, dst: K, x: u64) -> u64 {
    match (src.fmt(), dst.fmt()) {
        (Some(sf), Some(df)) => arith::convert(ctx, sf, df, x),
        (Some(sf), None) => {
            let (signed, width) = match dst {
                K::S64 => (true, 64),
                K::U64 => (false, 64),
                K::S32 => (true, 32),
                _ => (false, 32),
            };
            scalar::to_int(ctx, sf, x, Rm::Zero, signed, width)
        }
        (None, Some(df)) => {
            let (signed, v) = match src {
                K::S64 => (true, x),
                K::U64 => (false, x),
                K::S32 => (true, x as u32 as i32 as i64 as u64),
                _ => (false, x & 0xffff_ffff),
            };
            arith::from_int(ctx, df, v, signed)
        }
        (None, None) => x,
    }
}

pub fn convert(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    let (src, dst, n, signalling) = conv(i.op).ok_or(Exc::Unimplemented)?;
    let xb = cpu.vsr[i.xb() as usize];
    if !signalling {
        // §7.6 xscvdpspn / xscvspdpn: a change of format without rounding,
        // quieting or status ("The low-order 29 bits of the significand
        // of x are discarded ... Finite values of x having an unbiased
        // exponent less than -150 will return a result of Zero ... No
        // status is set").
        cpu.vsr[i.xt() as usize] = if src == K::D {
            let w = fpscr::double_to_single_ns(dw(xb, 0)) as u64;
            from_dws(w << 32 | w, 0)
        } else {
            from_dws(fpscr::single_to_double(word(xb, 0)), 0)
        };
        return Ok(());
    }
    let mut ctx = Ctx::new(cpu);
    let c = &mut ctx;
    let out = match n {
        1 => {
            let x = match src {
                K::S => word(xb, 0),
                K::H => dw(xb, 0) & 0xffff,
                _ => dw(xb, 0),
            };
            let r = cv1(c, src, dst, x);
            if matches!(i.op, Opcode::Xsrsp | Opcode::Xscvsxdsp | Opcode::Xscvuxdsp) {
                from_dws(fpscr::single_to_double(r), 0)
            } else {
                match dst {
                    K::S => from_dws(r << 32 | r, 0),
                    K::H => from_dws(r, 0),
                    // QEMU writes the word to both words of doubleword 0
                    // (the ISA leaves word 0 undefined).
                    K::S32 | K::U32 => from_dws((r & 0xffff_ffff) * 0x1_0000_0001, 0),
                    _ => from_dws(r, 0),
                }
            }
        }
        2 => {
            let mut e = [0u64; 2];
            for (k, o) in e.iter_mut().enumerate() {
                let x = if src.wide() {
                    dw(xb, k)
                } else {
                    word(xb, 2 * k)
                };
                let r = cv1(c, src, dst, x);
                *o = if dst.wide() {
                    r
                } else {
                    (r & 0xffff_ffff) << 32 | r & 0xffff_ffff
                };
            }
            from_dws(e[0], e[1])
        }
        _ => {
            let mut e = [0u64; 4];
            for (k, o) in e.iter_mut().enumerate() {
                let x = word(xb, k);
                let x = if src == K::H { x & 0xffff } else { x };
                *o = cv1(c, src, dst, x) & 0xffff_ffff;
            }
            from_words(e)
        }
    };
    if !ctx.suppressed() {
        cpu.vsr[i.xt() as usize] = out;
    }
    if n == 1 {
        // Scalar conversions set FR, FI and (for FP targets) FPRF from the
        // result in its own format.
        let fprf = match dst.fmt() {
            Some(f) if !matches!(i.op, Opcode::Xsrsp | Opcode::Xscvsxdsp | Opcode::Xscvuxdsp) => {
                let bits = if f == DOUBLE {
                    dw(out, 0)
                } else if f == SINGLE {
                    word(out, 0)
                } else {
                    dw(out, 0) & 0xffff
                };
                Some(fprf_of(f, bits))
            }
            Some(_) => Some(fprf_of(DOUBLE, dw(out, 0))),
            // Integer targets: FPRF is undefined; QEMU leaves it.
            None => None,
        };
        fpscr::commit(cpu, &ctx, true, fprf)
    } else {
        super::commit_vector(cpu, &ctx, super::CLEARS_FRFI)
    }
}

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    use Opcode::*;
    if op.info().chapter != "vsx_fp" {
        return None;
    }
    if arith(op).is_some() {
        return via!(T, super::h_arith);
    }
    if conv(op).is_some() {
        return via!(T, super::h_convert);
    }
    match op {
        Xsabsdp | Xsnabsdp | Xsnegdp | Xscpsgndp | Xvabsdp | Xvnabsdp | Xvnegdp | Xvcpsgndp
        | Xvabssp | Xvnabssp | Xvnegsp | Xvcpsgnsp => via!(T, super::h_sign),
        Xsmaxdp | Xsmindp | Xsmaxcdp | Xsmincdp | Xsmaxjdp | Xsminjdp | Xvmaxdp | Xvmindp
        | Xvmaxsp | Xvminsp => via!(T, super::h_maxmin),
        Xscmpudp | Xscmpodp | Xscmpexpdp => via!(T, super::h_cmp_cr),
        Xscmpeqdp | Xscmpgtdp | Xscmpgedp | Xvcmpeqdp | XvcmpeqdpRc | Xvcmpgtdp | XvcmpgtdpRc
        | Xvcmpgedp | XvcmpgedpRc | Xvcmpeqsp | XvcmpeqspRc | Xvcmpgtsp | XvcmpgtspRc
        | Xvcmpgesp | XvcmpgespRc => via!(T, super::h_cmp_mask),
        Xstdivdp | Xstsqrtdp | Xvtdivdp | Xvtdivsp | Xvtsqrtdp | Xvtsqrtsp | Xststdcdp
        | Xststdcsp | Xvtstdcdp | Xvtstdcsp => via!(T, super::h_test),
        Xsrdpi | Xsrdpic | Xsrdpim | Xsrdpip | Xsrdpiz | Xvrdpi | Xvrdpic | Xvrdpim | Xvrdpip
        | Xvrdpiz | Xvrspi | Xvrspic | Xvrspim | Xvrspip | Xvrspiz => via!(T, super::h_round),
        Xsxexpdp | Xsxsigdp | Xsiexpdp | Xvxexpdp | Xvxexpsp | Xvxsigdp | Xvxsigsp | Xviexpdp
        | Xviexpsp => via!(T, super::h_exp),
        _ => None,
    }
}
