//! Floating-point and vector instructions the JIT does inline instead of
//! calling their helper (the `Backend::fp_arith`, `fp_compare` and
//! `vsx_access` hooks):
//! - double-precision A-form arithmetic (Power ISA 3.0B Book I §4.6.6:
//!   fadd, fsub, fmul, fdiv, fsqrt and the four multiply-adds, Rc=0): the
//!   host operation and the exact error terms of `sem::fp::hard`, so
//!   FPSCR[FI], FPSCR[FR], FPSCR[FPRF] and the sticky XX/FX come out exactly
//!   as the helper sets them. Where `hard` would decline (another rounding
//!   mode or XE set, an operand or result outside its range, a zero
//!   product) the region calls the helper (`scalar::h_arith`) instead,
//!   which decides everything afresh: nothing is written before the fast
//!   path knows it applies;
//! - fcmpu/fcmpo with ordered operands (§4.6.8), the helper for NaNs;
//! - lxv/lxvx/stxv/stxvx in guarded user-mode regions (§7.3.2).

use super::backend::{flags, Emitter};
use super::region::RegId;
use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, F_SINGLE};
use crate::sem::fp::fpscr::{FI, FPCC, FPRF, FPRF_SHIFT, FR, FX, RN, XE, XX};
use crate::sem::fp::hard::{EXP_MAX, EXP_MIN};
use crate::sem::fp::scalar::{self, AOp};
use crate::sem::Backend;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, Block, BlockArg, InstBuilder, MemFlagsData, Value};
use std::mem::offset_of;

const I64: types::Type = types::I64;

/// What an inline floating-point instruction writes besides the FPSCR.
#[derive(Clone, Copy)]
enum Writes {
    Fpr(u32),
    Crf(u32),
}

/// What the emitter knows of the registers at a point: the write-through
/// cache, the writes not yet stored, the cached FPRs.
type Known = (
    [Option<Value>; super::region::NUM_REGS],
    u64,
    [Option<Value>; 32],
);
const F64: types::Type = types::F64;

/// Whether the host has a fused multiply-add (the error terms need it).
fn host_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        cfg!(target_arch = "aarch64")
    }
}

impl Emitter<'_, '_> {
    /// An A-form arithmetic instruction: inline when it is one of the
    /// forms above, else the helper.
    pub fn fp_arith_inline(&mut self, i: Insn) -> Result<(), Exc> {
        let op =
            match scalar::aop(i.op) {
                Some(
                    op @ (AOp::Add | AOp::Sub | AOp::Mul | AOp::Div | AOp::Sqrt | AOp::Fma(..)),
                ) if !i.op.has(F_SINGLE) && !i.record() && host_fma() => op,
                _ => return self.helper(scalar::h_arith, i),
            };
        let writes = Writes::Fpr(i.frt());
        let (fast, slow, join, known) = self.fp_paths(writes);
        let off = offset_of!(CpuState, fpscr) as i32;
        let fpscr = self.fpscr_now();
        let (a, b, c) = (self.fpr(i.fra()), self.fpr(i.frb()), self.fpr(i.frc()));

        // The conditions `hard::double` checks before computing.
        let mut bad = self.fb.ins().band_imm_u(fpscr, (RN | XE) as i64);
        let operands: &[(Value, bool)] = match op {
            AOp::Add | AOp::Sub => &[(a, false), (b, false)],
            AOp::Mul => &[(a, false), (c, false)],
            AOp::Div => &[(a, false), (b, true)],
            AOp::Sqrt => &[(b, true)],
            _ => &[(a, false), (b, false), (c, false)],
        };
        if op == AOp::Sqrt {
            // (a positive operand only)
            let neg = self.fb.ins().ushr_imm_u(b, 63);
            bad = self.fb.ins().bor(bad, neg);
        }
        for &(x, nonzero) in operands {
            let ok = if nonzero {
                self.in_range(x)
            } else {
                self.ordinary(x)
            };
            let not_ok = self.fb.ins().bxor_imm_u(ok, 1);
            bad = self.fb.ins().bor(bad, not_ok);
        }
        self.fb.ins().brif(bad, slow, &[], fast, &[]);

        self.fb.switch_to_block(fast);
        let (fa, fb, fc) = (self.f64_of(a), self.f64_of(b), self.f64_of(c));
        // (result, error, whether the result is in range, err's sign is
        // that of `err_sign_of` times this) as `hard::double` computes them.
        let (r, err_pos, err_nz, r_ok) = match op {
            AOp::Add | AOp::Sub => {
                let fb = if op == AOp::Sub {
                    self.fb.ins().fneg(fb)
                } else {
                    fb
                };
                let (s, t) = self.two_sum(fa, fb);
                let sb = self.bits(s);
                let ok = self.ordinary(sb);
                let (pos, nz) = self.sign_bits(t);
                (s, pos, nz, ok)
            }
            AOp::Mul => {
                let p = self.fb.ins().fmul(fa, fc);
                let e = self.fma_minus(fa, fc, p);
                let (pos, nz, ok) = self.judge(p, e);
                (p, pos, nz, ok)
            }
            AOp::Div => {
                let q = self.fb.ins().fdiv(fa, fb);
                // q × b − a = −remainder, exact; sign(error) =
                // sign(remainder) × sign(b).
                let nrem = self.fma_minus(q, fb, fa);
                let (npos, nz, ok) = self.judge(q, nrem);
                let bneg = self.fb.ins().ushr_imm_u(b, 63);
                let rpos = self.fb.ins().bxor(npos, nz);
                (q, self.fb.ins().bxor(rpos, bneg), nz, ok)
            }
            AOp::Sqrt => {
                // s² − b = −(b − s²), exact: the error has the opposite
                // sign.
                let r = self.fb.ins().sqrt(fb);
                let e = self.fma_minus(r, r, fb);
                let (npos, nz, ok) = self.judge(r, e);
                (r, self.fb.ins().bxor(npos, nz), nz, ok)
            }
            AOp::Fma(neg_b, neg_r) => {
                let fb = if neg_b { self.fb.ins().fneg(fb) } else { fb };
                let r = self.fb.ins().fma(fa, fc, fb);
                let p = self.fb.ins().fmul(fa, fc);
                let r_in = self.in_range_f(r);
                let p_in = self.in_range_f(p);
                let ok = self.fb.ins().band(r_in, p_in);
                let e1 = self.fma_minus(fa, fc, p);
                let nr = self.fb.ins().fneg(r);
                let top = self.sum4_top(e1, nr, fb, p);
                let (pos, nz) = self.sign_bits(top);
                if neg_r {
                    let r = self.fb.ins().fneg(r);
                    let neg = self.fb.ins().bxor(pos, nz);
                    (r, neg, nz, ok)
                } else {
                    (r, pos, nz, ok)
                }
            }
            _ => unreachable!(),
        };
        let done = self.fb.create_block();
        self.fb.ins().brif(r_ok, done, &[], slow, &[]);

        // hard::fpscr_after with FI, FR, FPRF and the sticky XX/FX (with
        // XE clear, FEX and VX cannot change).
        self.fb.switch_to_block(done);
        let rbits = self.bits(r);
        let neg = self.fb.ins().ushr_imm_u(rbits, 63);
        let fr = {
            // rounded up: inexact and sign(err) differs from sign(r)
            let differs = self.fb.ins().bxor(err_pos, neg);
            let differs = self.fb.ins().bxor_imm_u(differs, 1);
            self.fb.ins().band(differs, err_nz)
        };
        let shifted = self.fb.ins().ishl_imm_u(rbits, 1);
        let zero = self.fb.ins().icmp_imm_u(IntCC::Equal, shifted, 0);
        let zero = self.fb.ins().uextend(I64, zero);
        // class: zero 0b00010 (+0x10 if negative), else 0b00100 / 0b01000
        let nz_class = self.fb.ins().ishl_imm_u(neg, 1);
        let nz_class = self.fb.ins().iadd_imm_u(nz_class, 2);
        let nz_class = self.fb.ins().ishl_imm_u(nz_class, 1);
        let z_class = self.fb.ins().ishl_imm_u(neg, 4);
        let z_class = self.fb.ins().bor_imm_u(z_class, 2);
        let class = self.fb.ins().select(zero, z_class, nz_class);
        let mut f = self.fb.ins().band_imm_u(fpscr, !(FR | FI | FPRF) as i64);
        let class = self.fb.ins().ishl_imm_u(class, FPRF_SHIFT as i64);
        f = self.fb.ins().bor(f, class);
        let fi = self.fb.ins().ishl_imm_u(err_nz, 17);
        f = self.fb.ins().bor(f, fi);
        let frb = self.fb.ins().ishl_imm_u(fr, 18);
        f = self.fb.ins().bor(f, frb);
        // XX and FX when XX was clear and the result is inexact.
        let xx = self.fb.ins().ushr_imm_u(fpscr, 25);
        let xx = self.fb.ins().band_imm_u(xx, 1);
        let fresh = self.fb.ins().bxor_imm_u(xx, 1);
        let fresh = self.fb.ins().band(fresh, err_nz);
        let k = self.fb.ins().iconst(I64, (XX | FX) as i64);
        let z = self.fb.ins().iconst(I64, 0);
        let add = self.fb.ins().select(fresh, k, z);
        f = self.fb.ins().bor(f, add);
        self.fb.ins().store(flags(), f, self.cpu, off);
        self.set_fpr(i.frt(), rbits);
        self.fb
            .ins()
            .jump(join, &[BlockArg::Value(f), BlockArg::Value(rbits)]);
        self.helper_path(scalar::h_arith, i, slow, join, known, writes)
    }

    /// The FPSCR as known in the current guest block.
    fn fpscr_now(&mut self) -> Value {
        match self.fpscr {
            Some(v) => v,
            None => {
                let off = offset_of!(CpuState, fpscr) as i32;
                self.fb.ins().load(I64, flags(), self.cpu, off)
            }
        }
    }

    /// The blocks of an inline instruction with a helper fallback: the
    /// fast path, the helper path and their join, whose parameters are the
    /// FPSCR and, for an FPR result, its value; and what is known now.
    fn fp_paths(&mut self, writes: Writes) -> (Block, Block, Block, Known) {
        let (fast, slow, join) = (
            self.fb.create_block(),
            self.fb.create_block(),
            self.fb.create_block(),
        );
        self.fb.append_block_param(join, I64);
        if let Writes::Fpr(_) = writes {
            self.fb.append_block_param(join, I64);
        }
        (fast, slow, join, (self.cache, self.pending, self.fprs))
    }

    /// Emit the helper path in `slow` and continue in `join`. The helpers
    /// used here change only the FPSCR and `writes` (FRT of an Rc=0 A-form
    /// instruction, or CR[BF] of a compare, which both paths store): what
    /// was `known` of everything else still holds after the join, including
    /// the register writes not yet stored (the helper's path stored them).
    fn helper_path(
        &mut self,
        h: crate::sem::Helper,
        i: Insn,
        slow: Block,
        join: Block,
        known: Known,
        writes: Writes,
    ) -> Result<(), Exc> {
        self.fb.switch_to_block(slow);
        self.helper(h, i)?;
        let off = offset_of!(CpuState, fpscr) as i32;
        let mut args = vec![BlockArg::Value(self.fb.ins().load(
            I64,
            flags(),
            self.cpu,
            off,
        ))];
        if let Writes::Fpr(t) = writes {
            args.push(BlockArg::Value(self.fpr(t)));
        }
        self.fb.ins().jump(join, &args);
        self.fb.switch_to_block(join);
        let p = self.fb.block_params(join).to_vec();
        (self.cache, self.pending, self.fprs) = known;
        self.fpscr = Some(p[0]);
        match writes {
            Writes::Fpr(t) => self.fprs[t as usize & 31] = Some(p[1]),
            Writes::Crf(f) => {
                let k = RegId::Crf(f as u8 & 7).index();
                self.cache[k] = None;
                self.pending &= !(1 << k);
            }
        }
        Ok(())
    }

    fn f64_of(&mut self, x: Value) -> Value {
        self.fb.ins().bitcast(F64, MemFlagsData::new(), x)
    }

    fn bits(&mut self, x: Value) -> Value {
        self.fb.ins().bitcast(I64, MemFlagsData::new(), x)
    }

    /// `in_range` of a double value.
    fn in_range_f(&mut self, x: Value) -> Value {
        let b = self.bits(x);
        self.in_range(b)
    }

    /// (error > 0, error ≠ 0, result in range) of a result and its exact
    /// error term.
    fn judge(&mut self, r: Value, e: Value) -> (Value, Value, Value) {
        let ok = self.in_range_f(r);
        let (pos, nz) = self.sign_bits(e);
        (pos, nz, ok)
    }

    /// x × y − z with one rounding (exact for the error terms used here).
    fn fma_minus(&mut self, x: Value, y: Value, z: Value) -> Value {
        let nz = self.fb.ins().fneg(z);
        self.fb.ins().fma(x, y, nz)
    }

    /// 1 if the biased exponent of `x` is in `hard`'s range (a non-zero
    /// finite number far from overflow and underflow).
    fn in_range(&mut self, x: Value) -> Value {
        let e = self.fb.ins().ushr_imm_u(x, 52);
        let e = self.fb.ins().band_imm_u(e, 0x7ff);
        let d = self.fb.ins().iadd_imm_s(e, -(EXP_MIN as i64));
        let c = self.fb.ins().icmp_imm_u(
            IntCC::UnsignedLessThanOrEqual,
            d,
            (EXP_MAX - EXP_MIN) as i64,
        );
        self.fb.ins().uextend(I64, c)
    }

    /// `in_range`, or a zero.
    fn ordinary(&mut self, x: Value) -> Value {
        let r = self.in_range(x);
        let s = self.fb.ins().ishl_imm_u(x, 1);
        let z = self.fb.ins().icmp_imm_u(IntCC::Equal, s, 0);
        let z = self.fb.ins().uextend(I64, z);
        self.fb.ins().bor(r, z)
    }

    /// TwoSum: (s, t) with a + b = s + t exactly.
    fn two_sum(&mut self, a: Value, b: Value) -> (Value, Value) {
        let s = self.fb.ins().fadd(a, b);
        let bb = self.fb.ins().fsub(s, a);
        let sb = self.fb.ins().fsub(s, bb);
        let x = self.fb.ins().fsub(a, sb);
        let y = self.fb.ins().fsub(b, bb);
        let t = self.fb.ins().fadd(x, y);
        (s, t)
    }

    /// (x > 0, x ≠ 0) as 0/1 values.
    fn sign_bits(&mut self, x: Value) -> (Value, Value) {
        let zero = self.fb.ins().f64const(0.0);
        let pos = self.fb.ins().fcmp(FloatCC::GreaterThan, x, zero);
        let nz = self.fb.ins().fcmp(FloatCC::NotEqual, x, zero);
        (
            self.fb.ins().uextend(I64, pos),
            self.fb.ins().uextend(I64, nz),
        )
    }

    /// The largest non-zero component of the expansion of x0+x1+x2+x3
    /// (`hard::sign_of_sum4`): it has the sign of the exact sum.
    fn sum4_top(&mut self, x0: Value, x1: Value, x2: Value, x3: Value) -> Value {
        let (q1, e0) = self.two_sum(x1, x0);
        let (q, e0b) = self.two_sum(x2, e0);
        let (q2, e1) = self.two_sum(q, q1);
        let (q, f0) = self.two_sum(x3, e0b);
        let (q, f1) = self.two_sum(q, e1);
        let (q3, f2) = self.two_sum(q, q2);
        let zero = self.fb.ins().f64const(0.0);
        let mut top = f0;
        for c in [f1, f2, q3] {
            let nz = self.fb.ins().fcmp(FloatCC::NotEqual, c, zero);
            top = self.fb.ins().select(nz, c, top);
        }
        top
    }
}

impl Emitter<'_, '_> {
    /// A full-vector VSX load or store (`Backend::vsx_access`): lxv,
    /// lxvx, stxv and stxvx inline in guarded user-mode regions (little-
    /// endian, where the register's host image is the 16 storage bytes as
    /// they are, Book I §7.3.2: element size 16); the helper otherwise.
    pub fn vsx_access_inline(&mut self, f: crate::sem::Helper, i: Insn) -> Result<(), Exc> {
        use crate::isa::Opcode::*;
        let (store, t, ea) = match i.op {
            Lxv | Stxv => {
                let d = self.imm(i.dq() as u64);
                (i.op == Stxv, i.xtdq(), d)
            }
            Lxvx | Stxvx => {
                let x = self.gpr(i.rb());
                (i.op == Stxvx, i.xt(), x)
            }
            _ => return self.helper(f, i),
        };
        if !self.guarded() {
            return self.helper(f, i);
        }
        let ea = if i.ra() == 0 {
            ea
        } else {
            let a = self.gpr(i.ra());
            self.fb.ins().iadd(a, ea)
        };
        let (host, off) = self.guarded_host(ea).expect("guarded");
        let v = (offset_of!(CpuState, vsr) + 16 * (t as usize & 63)) as i32;
        let g = MemFlagsData::new();
        for k in [0, 8] {
            if store {
                let x = self.fb.ins().load(I64, flags(), self.cpu, v + k);
                self.fb.ins().store(g, x, host, off + k);
            } else {
                let x = self.fb.ins().load(I64, g, host, off + k);
                self.fb.ins().store(flags(), x, self.cpu, v + k);
            }
        }
        if !store && t < 32 {
            self.fprs[t as usize] = None;
        }
        Ok(())
    }
}

impl Emitter<'_, '_> {
    /// fcmpu/fcmpo (§4.6.8) inline when neither operand is a NaN: CR[BF]
    /// and FPSCR[FPCC] get 8, 4 or 2 and nothing else changes; the helper
    /// for NaNs (FU, and the invalid-operation exceptions).
    pub fn fp_compare_inline(&mut self, i: Insn) -> Result<(), Exc> {
        use crate::isa::Opcode::{Fcmpo, Fcmpu};
        if !matches!(i.op, Fcmpu | Fcmpo) {
            return self.helper(scalar::h_fcmp, i);
        }
        let off = offset_of!(CpuState, fpscr) as i32;
        let (a, b) = (self.fpr(i.fra()), self.fpr(i.frb()));
        let (fa, fb) = (self.f64_of(a), self.f64_of(b));
        let writes = Writes::Crf(i.bf());
        let (fast, slow, join, known) = self.fp_paths(writes);
        let fpscr = self.fpscr_now();
        let nan = self.fb.ins().fcmp(FloatCC::Unordered, fa, fb);
        self.fb.ins().brif(nan, slow, &[], fast, &[]);

        self.fb.switch_to_block(fast);
        let lt = self.fb.ins().fcmp(FloatCC::LessThan, fa, fb);
        let gt = self.fb.ins().fcmp(FloatCC::GreaterThan, fa, fb);
        let (k8, k4, k2) = (self.iconst(8), self.iconst(4), self.iconst(2));
        let c = self.fb.ins().select(gt, k4, k2);
        let c = self.fb.ins().select(lt, k8, c);
        let f = self.fb.ins().band_imm_u(fpscr, !FPCC as i64);
        let cc = self.fb.ins().ishl_imm_u(c, FPRF_SHIFT as i64);
        let f = self.fb.ins().bor(f, cc);
        self.fb.ins().store(flags(), f, self.cpu, off);
        if self.through {
            // Stored now: after the join CR[BF] is read back from CpuState.
            self.wrote = true;
            self.store_reg(RegId::Crf(i.bf() as u8 & 7), c);
        } else {
            self.set_crf(i.bf(), c);
        }
        self.fb.ins().jump(join, &[BlockArg::Value(f)]);
        self.helper_path(scalar::h_fcmp, i, slow, join, known, writes)
    }
}
