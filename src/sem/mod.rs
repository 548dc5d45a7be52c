//! Instruction semantics, written once and generic over `Backend`.
//!
//! The interpreter (`exec::interp`) implements `Backend` on concrete `u64`s;
//! the JIT implements it by emitting Cranelift IR. Each chapter module
//! (`branch`, `fixed`, `loadstore`, `fp`, `vmx`, `vsx`) exposes
//! `handler::<B>(Opcode) -> Option<Handler<B>>`; `handler` here chains them.
//! Work that is large or rare (FP with FPSCR, vector permutes, string
//! loads) is an ordinary Rust helper on `CpuState`, which both tiers call
//! through `Backend::helper`.

pub mod branch;
pub mod fixed;
pub mod fp;
pub mod loadstore;
pub mod system;
pub mod vmx;
pub mod vsx;

use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode};

/// Binary operations on 64-bit values. Comparisons produce 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    Add,
    Sub,
    And,
    Or,
    Xor,
    /// Shift left; amounts >= 64 give 0.
    Shl,
    /// Logical shift right; amounts >= 64 give 0.
    Shr,
    /// Arithmetic shift right; amounts >= 64 give the sign.
    Sar,
    Rotl,
    /// 32-bit rotate of the low word, result replicated into both halves
    /// (Book I §3.3.14: ROTL32 uses x || x).
    Rotl32,
    Mul,
    MulHs,
    MulHu,
    Eq,
    Ne,
    Ltu,
    Lts,
    Gtu,
    Gts,
}

/// Unary operations on 64-bit values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Un {
    Not,
    Neg,
    Clz,
    Ctz,
    Popcnt,
    Sext8,
    Sext16,
    Sext32,
    Zext8,
    Zext16,
    Zext32,
    Bswap16,
    Bswap32,
    Bswap64,
}

/// Architected registers other than GPRs and CR fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reg {
    Lr,
    Ctr,
    Tar,
    So,
    Ov,
    Ca,
    Ov32,
    Ca32,
    /// Next-instruction scratch (`CpuState::npc`) a helper sets for rfid.
    Npc,
}

/// A helper: work done directly on the CPU state, called by both tiers.
pub type Helper = fn(&mut CpuState, Insn) -> Result<(), Exc>;

/// What an instruction's semantics need from an execution tier.
pub trait Backend {
    type V: Copy;
    fn imm(&mut self, v: u64) -> Self::V;
    fn gpr(&mut self, r: u32) -> Self::V;
    fn set_gpr(&mut self, r: u32, v: Self::V);
    /// CR field `f` as a 4-bit value.
    fn crf(&mut self, f: u32) -> Self::V;
    fn set_crf(&mut self, f: u32, v: Self::V);
    fn reg(&mut self, r: Reg) -> Self::V;
    fn set_reg(&mut self, r: Reg, v: Self::V);
    /// FPR `n` (Book I §4.2.1; doubleword 0 of VSR `n`). Writing zeroes
    /// doubleword 1 (`CpuState::set_fpr`) and always reaches the CPU state
    /// at once, as helpers read and write FPRs too (the JIT keeps the
    /// values known in a guest block until a helper runs).
    fn fpr(&mut self, n: u32) -> Self::V;
    fn set_fpr(&mut self, n: u32, v: Self::V);
    fn bin(&mut self, op: Bin, a: Self::V, b: Self::V) -> Self::V;
    fn un(&mut self, op: Un, a: Self::V) -> Self::V;
    /// `c != 0 ? a : b`.
    fn select(&mut self, c: Self::V, a: Self::V, b: Self::V) -> Self::V;
    /// Load `size` bytes (1, 2, 4, 8), zero-extended, guest byte order.
    fn load(&mut self, size: u8, ea: Self::V) -> Result<Self::V, Exc>;
    fn store(&mut self, size: u8, ea: Self::V, v: Self::V) -> Result<(), Exc>;
    /// Address of the instruction being executed (a constant to the JIT).
    fn cia(&self) -> u64;
    /// Set the next instruction address.
    fn branch(&mut self, target: Self::V);
    /// Branch to `target` when `c != 0`, else fall through.
    fn branch_if(&mut self, c: Self::V, target: Self::V);
    /// Raise `e` when `c != 0`.
    fn raise_if(&mut self, c: Self::V, e: Exc) -> Result<(), Exc>;
    /// Call a helper that works on the whole CPU state. The backend makes
    /// sure the state is current before and reloads it after.
    fn helper(&mut self, f: Helper, i: Insn) -> Result<(), Exc>;

    /// Set CR field `f` to `v`, the result of comparing `a` with `b`
    /// (`Ops::compare`). A backend may remember the comparison so that
    /// `crf_bit` of `v` can use it directly (the JIT branches on the host
    /// comparison instead of on bits extracted from the field).
    fn set_crf_compare(&mut self, f: u32, v: Self::V, _a: Self::V, _b: Self::V, _signed: bool) {
        self.set_crf(f, v);
    }
    /// An A-form floating-point arithmetic instruction (§4.6.6). The
    /// helper, unless the backend has something faster that gives the
    /// same result and FPSCR (the JIT: `exec::jit::fp`).
    fn fp_arith(&mut self, i: Insn) -> Result<(), Exc> {
        self.helper(fp::scalar::h_arith, i)
    }
    /// fcmpu/fcmpo (§4.6.8); a backend may do the ordered case inline.
    fn fp_compare(&mut self, i: Insn) -> Result<(), Exc> {
        self.helper(fp::scalar::h_fcmp, i)
    }
    /// A full-vector VSX load or store done by helper `f` (Book I §7.3.2);
    /// a backend may do the simple forms inline (the JIT: `exec::jit::fp`).
    fn vsx_access(&mut self, f: Helper, i: Insn) -> Result<(), Exc> {
        self.helper(f, i)
    }
    /// Bit `n` (3 = LT ... 0 = SO) of CR field value `v`, as 0/1.
    fn crf_bit(&mut self, v: Self::V, n: u32) -> Self::V {
        self.bit(v, n)
    }
}

/// Convenience wrappers so semantics read like arithmetic.
pub trait Ops: Backend {
    fn add(&mut self, a: Self::V, b: Self::V) -> Self::V {
        self.bin(Bin::Add, a, b)
    }
    fn sub(&mut self, a: Self::V, b: Self::V) -> Self::V {
        self.bin(Bin::Sub, a, b)
    }
    fn and(&mut self, a: Self::V, b: Self::V) -> Self::V {
        self.bin(Bin::And, a, b)
    }
    fn or(&mut self, a: Self::V, b: Self::V) -> Self::V {
        self.bin(Bin::Or, a, b)
    }
    fn xor(&mut self, a: Self::V, b: Self::V) -> Self::V {
        self.bin(Bin::Xor, a, b)
    }
    fn andi(&mut self, a: Self::V, k: u64) -> Self::V {
        let k = self.imm(k);
        self.bin(Bin::And, a, k)
    }
    fn ori(&mut self, a: Self::V, k: u64) -> Self::V {
        let k = self.imm(k);
        self.bin(Bin::Or, a, k)
    }
    fn addi(&mut self, a: Self::V, k: u64) -> Self::V {
        let k = self.imm(k);
        self.bin(Bin::Add, a, k)
    }
    fn shli(&mut self, a: Self::V, k: u64) -> Self::V {
        let k = self.imm(k);
        self.bin(Bin::Shl, a, k)
    }
    fn shri(&mut self, a: Self::V, k: u64) -> Self::V {
        let k = self.imm(k);
        self.bin(Bin::Shr, a, k)
    }
    fn eqi(&mut self, a: Self::V, k: u64) -> Self::V {
        let k = self.imm(k);
        self.bin(Bin::Eq, a, k)
    }
    fn not(&mut self, a: Self::V) -> Self::V {
        self.un(Un::Not, a)
    }
    /// Bit `n` (0 = least significant) of `a`, as 0/1.
    fn bit(&mut self, a: Self::V, n: u32) -> Self::V {
        let s = self.shri(a, n as u64);
        self.andi(s, 1)
    }
    /// Set CR field `f` from a signed or unsigned comparison of a and b,
    /// with SO copied from XER (Book I §3.3.10).
    fn compare(&mut self, f: u32, a: Self::V, b: Self::V, signed: bool) {
        let (lt, gt) = if signed {
            (Bin::Lts, Bin::Gts)
        } else {
            (Bin::Ltu, Bin::Gtu)
        };
        let l = self.bin(lt, a, b);
        let g = self.bin(gt, a, b);
        let c8 = self.imm(8);
        let c4 = self.imm(4);
        let c2 = self.imm(2);
        let t = self.select(g, c4, c2);
        let t = self.select(l, c8, t);
        let so = self.reg(Reg::So);
        let v = self.or(t, so);
        self.set_crf_compare(f, v, a, b, signed);
    }
    /// CR0 from a result (Rc=1): signed comparison of the 64-bit value with 0.
    fn record(&mut self, r: Self::V) {
        let z = self.imm(0);
        self.compare(0, r, z, true);
    }
}
impl<B: Backend + ?Sized> Ops for B {}

/// One instruction's semantics, monomorphised for a backend.
pub type Handler<B> = fn(&mut B, Insn) -> Result<(), Exc>;

/// The semantics of `op` for backend `B`, or `None` if not implemented.
pub fn handler<B: Backend>(op: Opcode) -> Option<Handler<B>> {
    branch::handler::<B>(op)
        .or_else(|| fixed::handler::<B>(op))
        .or_else(|| loadstore::handler::<B>(op))
        .or_else(|| system::handler::<B>(op))
        .or_else(|| fp::handler::<B>(op))
        .or_else(|| vmx::handler::<B>(op))
        .or_else(|| vsx::handler::<B>(op))
}

/// Raised for opcodes that decode but have no semantics yet.
pub fn unimplemented<B: Backend>(_b: &mut B, _i: Insn) -> Result<(), Exc> {
    Err(Exc::Unimplemented)
}

/// Mask with ones from bit `mb` through bit `me` (ISA numbering, 64-bit,
/// wrapping when mb > me), Book I §3.3.14 MASK(mb, me).
pub const fn mask64(mb: u32, me: u32) -> u64 {
    let a = u64::MAX >> mb;
    let b = u64::MAX << (63 - me);
    if mb <= me {
        a & b
    } else {
        a | b
    }
}
