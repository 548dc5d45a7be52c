//! Floating-point semantics: Power ISA 3.0B Book I chapter 4 (the FPR
//! instructions and the FPSCR) and the floating-point instructions of the
//! VSX facility (chapter 7). Every instruction is a helper on `CpuState`
//! (`Backend::helper`), so the interpreter and the JIT share one
//! implementation.
//!
//! * `soft` — exact arithmetic and rounding in all modes (no host FP);
//! * `hard` — the host's double arithmetic where it provably agrees with
//!   `soft` (round to nearest, ordinary operands and results);
//! * `arith` — IEEE operations with the Power NaN/invalid rules;
//! * `fpscr` — FPSCR bits, exception recording, the FPSCR instructions;
//! * `scalar` — the chapter 4 instructions on FPRs;
//! * `ldst` — FP loads and stores;
//! * `vsx` — the VSX scalar and vector floating-point instructions.

pub mod arith;
pub mod fpscr;
pub mod hard;
pub mod ldst;
pub mod scalar;
pub mod soft;
pub mod vsx;

use super::{Backend, Handler};
use crate::isa::{Insn, Opcode, F_FPMEM};

/// A handler that calls helper `$h` (a non-capturing closure, so it is a
/// plain `fn`).
macro_rules! via {
    ($t:ty, $h:path) => {
        Some((|b: &mut $t, i: Insn| b.helper($h, i)) as Handler<$t>)
    };
}
pub(crate) use via;

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    use Opcode::*;
    if op.info().chapter != "fp" {
        return vsx::handler::<T>(op);
    }
    if op.has(F_FPMEM) {
        return if ldst::is_plain(op) {
            Some(ldst::plain::<T>)
        } else {
            via!(T, ldst::h_ldst)
        };
    }
    if scalar::aop(op).is_some() {
        return Some(|b: &mut T, i: Insn| b.fp_arith(i));
    }
    match op {
        Fmr | Fneg | Fabs | Fnabs | Fcpsgn | Fmrgew | Fmrgow => Some(scalar::moves::<T>),
        Fsel => via!(T, scalar::h_fsel),
        Frsp => via!(T, scalar::h_frsp),
        Fctid | Fctidz | Fctidu | Fctiduz | Fctiw | Fctiwz | Fctiwu | Fctiwuz => {
            via!(T, scalar::h_fcti)
        }
        Fcfid | Fcfidu | Fcfids | Fcfidus => {
            via!(T, scalar::h_fcfid)
        }
        Frin | Friz | Frip | Frim => via!(T, scalar::h_fri),
        Fcmpu | Fcmpo => Some(|b: &mut T, i: Insn| b.fp_compare(i)),
        Ftdiv | Ftsqrt => via!(T, scalar::h_ftest),
        Mffs | Mffsce | Mffscdrn | Mffscdrni | Mffscrn | Mffscrni | Mffsl => {
            via!(T, fpscr::h_mffs)
        }
        Mcrfs => via!(T, fpscr::h_mcrfs),
        Mtfsfi | Mtfsf | Mtfsb0 | Mtfsb1 => {
            via!(T, fpscr::h_mtfs)
        }
        _ => None,
    }
}
