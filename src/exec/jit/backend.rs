//! The JIT's `Backend`: the same semantics that drive the interpreter, here
//! emitting Cranelift IR. Guest registers either live in Cranelift
//! `Variable`s for the whole region (loaded at entry, stored at exits and
//! around helper calls) or are written through to `CpuState` with a
//! per-block cache (`compiler::translate` chooses). Memory accesses are in
//! `access`, the inline floating-point forms in `fp`.

pub use super::memmodel::MemModel;
use super::region::{RegId, NUM_REGS};
use super::rt;
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;

use crate::sem::{Backend, Bin, Helper, Ops, Reg, Un};
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{types, AbiParam, BlockArg, InstBuilder, MemFlagsData, SigRef, Value};
use cranelift_codegen::ir::{Block, Signature};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, Variable};

use crate::exec::fxhash::FxHashMap;

const I64: types::Type = types::I64;

/// Exit codes from `CHAIN` up name the region's chainable exits.
pub const CHAIN: u64 = 1 << 32;
/// Exit code: an access missed the inline fast path; the interpreter must
/// run the instruction at `cpu.pc` (even if a region is entered there).
pub const SLOW: u64 = CHAIN - 1;

/// What the current instruction did to control flow.
#[derive(Clone, Copy)]
pub enum Next {
    Fall,
    Jump(Value),
    Cond(Value, Value),
}

pub struct Emitter<'a, 'b> {
    pub fb: &'b mut FunctionBuilder<'a>,
    pub cpu: Value,
    /// Guest registers as Cranelift variables for the whole region (the
    /// registers `regscan` found in it). `CpuState` is not kept current:
    /// the region's entry loads every register used, and each exit stores
    /// every written one; around a helper call (which works on `CpuState`)
    /// the written registers are stored and all of them reloaded.
    pub vars: [Option<Variable>; NUM_REGS],
    /// Registers written anywhere in the region (bit `RegId::index`).
    pub written: u64,
    /// Write-through mode instead of variables (see `Compiler::translate`):
    /// every register write is stored at once, and `cache` holds the
    /// values known in the current guest block (dropped at block starts
    /// and after helpers), so exits store nothing.
    pub through: bool,
    pub cache: [Option<Value>; NUM_REGS],
    /// Write-through mode: registers written in this guest block and not
    /// yet stored (bit `RegId::index`; their values are in `cache`).
    pub pending: u64,
    /// What is known at a forward jump to a block with no other way in
    /// (`region::predecessors`), by block, so the block starts with it
    /// (its values are in scope there: the jump's block dominates it).
    pub carry: FxHashMap<u64, Carried>,
    pub icount: Variable,
    /// Set when a store hit a page holding decoded code.
    pub smc: Variable,
    pub consts: FxHashMap<Value, u64>,
    pub cia: u64,
    pub next: Next,
    pub exit: Block,
    /// The region's link table (its second parameter).
    pub table: Value,
    /// Loads of computed-branch sites' table words, whose offsets depend
    /// on the number of exits (`chain::patch_sites`).
    pub patches: Vec<(cranelift_codegen::ir::Inst, usize)>,
    /// Static exceptions raised by this region: exit code 2 + index.
    pub excs: Vec<Exc>,
    /// Guest targets of the region's chainable exits: exit code
    /// `CHAIN + k` leaves for `exits[k]` (see `Jit::exec`).
    pub exits: Vec<u64>,
    pub mem: MemModel,
    pub sig_helper: SigRef,
    pub sig_load: SigRef,
    pub sig_store: SigRef,
    pub had_store: bool,
    /// Instructions of the current guest block retired before the current
    /// one and not yet added to `icount`.
    pub retired: u64,
    /// The current instruction has written a register already (so leaving
    /// the region to run it again in the interpreter would be wrong).
    pub wrote: bool,
    /// Guarded memory: base values already clamped in the current guest
    /// block or carried into it (value → host pointer of a clamped root
    /// and the constant added to it; see `guarded_addr`).
    pub clamped: FxHashMap<Value, (Value, i64)>,
    /// Results of `Bin::Rotl32` → the zero-extended 32-bit rotate they
    /// were made from.
    pub rotl32_low: FxHashMap<Value, Value>,
    /// CR field values set by a comparison → (a, b, signed), for
    /// `crf_bit` (see `Backend::set_crf_compare`).
    pub crf_cmp: FxHashMap<Value, (Value, Value, bool)>,
    /// 0/1 values made from a host comparison → (condition, a, b), so
    /// that testing them against 0 or 1 is that comparison again.
    pub bools: FxHashMap<Value, (IntCC, Value, Value)>,
    /// Computed-branch sites so far (`exit_computed`).
    pub sites: usize,
    /// FPR values and the FPSCR known in the current guest block (the
    /// state in `CpuState` is always written too); dropped at block starts
    /// and by `load_all`, as helpers may change them.
    pub fprs: [Option<Value>; 32],
    pub fpscr: Option<Value>,
}

/// See `Emitter::carry`.
pub struct Carried {
    /// Write-through mode: the register values known (so a three-way
    /// compare, `cmpw; blt; bgt`, tests the host comparison twice instead
    /// of reloading the CR field).
    pub cache: [Option<Value>; NUM_REGS],
    /// `Emitter::clamped`.
    pub clamped: FxHashMap<Value, (Value, i64)>,
}

pub fn flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap().with_aligned()
}

pub fn guest_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// Signatures of the runtime trampolines (SystemV on the host).
pub fn signatures(cc: CallConv) -> (Signature, Signature, Signature) {
    let mut helper = Signature::new(cc);
    helper.params.extend([AbiParam::new(I64); 4]);
    helper.returns.push(AbiParam::new(I64));
    let mut load = Signature::new(cc);
    load.params.extend([AbiParam::new(I64); 4]);
    load.returns.push(AbiParam::new(I64));
    let mut store = Signature::new(cc);
    store.params.extend([AbiParam::new(I64); 5]);
    store.returns.push(AbiParam::new(I64));
    (helper, load, store)
}

impl Emitter<'_, '_> {
    pub fn iconst(&mut self, v: u64) -> Value {
        let x = self.fb.ins().iconst(I64, v as i64);
        self.consts.insert(x, v);
        x
    }

    pub(super) fn known(&self, v: Value) -> Option<u64> {
        self.consts.get(&v).copied()
    }

    fn bool_to_i64(&mut self, b: Value) -> Value {
        self.fb.ins().uextend(I64, b)
    }

    pub fn load_reg(&mut self, r: RegId) -> Value {
        let (off, w) = r.slot();
        if w == 8 {
            self.fb.ins().load(I64, flags(), self.cpu, off)
        } else {
            self.fb.ins().uload8(I64, flags(), self.cpu, off)
        }
    }

    pub fn store_reg(&mut self, r: RegId, v: Value) {
        let (off, w) = r.slot();
        if w == 8 {
            self.fb.ins().store(flags(), v, self.cpu, off);
        } else {
            self.fb.ins().istore8(flags(), v, self.cpu, off);
        }
    }

    fn var(&mut self, id: RegId) -> Variable {
        self.vars[id.index()].expect("register found by the region scan")
    }

    fn read(&mut self, id: RegId) -> Value {
        if self.through {
            return match self.cache[id.index()] {
                Some(v) => v,
                None => {
                    let v = self.load_reg(id);
                    self.cache[id.index()] = Some(v);
                    v
                }
            };
        }
        let v = self.var(id);
        self.fb.use_var(v)
    }

    fn write(&mut self, id: RegId, v: Value) {
        self.wrote = true;
        if self.through {
            // Stored at the end of the guest block (or before an exit or
            // a helper), so a register written twice is stored once.
            self.cache[id.index()] = Some(v);
            self.pending |= 1 << id.index();
            return;
        }
        let var = self.var(id);
        self.written |= 1 << id.index();
        self.fb.def_var(var, v);
    }

    /// Store every written register variable to `CpuState` (nothing in
    /// write-through mode, where `written` is empty).
    pub fn store_written(&mut self) {
        let pending = self.pending;
        self.flush_pending();
        self.pending = pending;
        for i in 0..NUM_REGS {
            if self.written & (1 << i) != 0 {
                let var = self.vars[i].expect("written register has a variable");
                let v = self.fb.use_var(var);
                self.store_reg(RegId::from_index(i), v);
            }
        }
    }

    /// Define every register variable from `CpuState` (write-through mode:
    /// forget the values cached for this guest block).
    /// Write-through mode: store the registers written in this guest
    /// block (done before it branches anywhere).
    /// Store the pending registers in `live` (`RegScan::live_out`); the
    /// others stay pending, for the exits from the end of the block.
    pub fn flush_live(&mut self, live: u64) {
        let dead = self.pending & !live;
        self.pending &= live;
        self.flush_pending();
        self.pending = dead;
    }

    pub fn flush_pending(&mut self) {
        for i in 0..NUM_REGS {
            if self.pending & (1 << i) != 0 {
                let v = self.cache[i].expect("a pending register is cached");
                self.store_reg(RegId::from_index(i), v);
            }
        }
        self.pending = 0;
    }

    /// Define every register variable from `CpuState` at the region's
    /// entry. Registers the region never writes get loads Cranelift may
    /// move (`readonly`, `can_move`): pure values to it, placed where first
    /// used, so a path that reads few of them loads few. Their slots are
    /// not stored while the region runs (helpers may change them, but
    /// `load_all` defines every variable again after a helper). Written
    /// registers keep ordinary loads: an exit stores them in register
    /// order, and a moved load placed after the store of its own slot
    /// would read the new value (`mr r5,r4; li r4,0`: r4's slot is stored
    /// before r5's value, the old r4, would be loaded).
    pub fn load_entry(&mut self, written: u64) {
        let movable = flags().with_readonly().with_can_move();
        for i in 0..NUM_REGS {
            if let Some(var) = self.vars[i] {
                let f = if written & (1 << i) == 0 {
                    movable
                } else {
                    flags()
                };
                let (off, w) = RegId::from_index(i).slot();
                let v = if w == 8 {
                    self.fb.ins().load(I64, f, self.cpu, off)
                } else {
                    let b = self.fb.ins().load(types::I8, f, self.cpu, off);
                    self.fb.ins().uextend(I64, b)
                };
                self.fb.def_var(var, v);
            }
        }
    }

    pub fn load_all(&mut self) {
        self.fprs = [None; 32];
        self.fpscr = None;
        if self.through {
            // (Callers stored the pending registers first.)
            self.pending = 0;
            self.cache = [None; NUM_REGS];
            return;
        }
        for i in 0..NUM_REGS {
            if let Some(var) = self.vars[i] {
                let v = self.load_reg(RegId::from_index(i));
                self.fb.def_var(var, v);
            }
        }
    }

    /// Jump to the region exit with `pc` and exit code `code`.
    pub fn exit_with(&mut self, pc: Value, code: u64) {
        self.flush_icount(self.retired);
        self.store_written();
        let c = self.fb.ins().iconst(I64, code as i64);
        self.fb
            .ins()
            .jump(self.exit, &[BlockArg::Value(pc), BlockArg::Value(c)]);
    }

    /// Leave the region for the constant guest address `target` through
    /// a chainable exit: the dispatcher may link it straight to the region
    /// compiled for `target` (one exit slot per distinct target).
    pub fn exit_chain(&mut self, target: u64) {
        let k = match self.exits.iter().position(|&t| t == target) {
            Some(k) => k,
            None => {
                self.exits.push(target);
                self.exits.len() - 1
            }
        };
        let p = self.iconst(target);
        if matches!(self.mem, MemModel::Flat { .. }) {
            self.exit_linked(p, CHAIN + k as u64, super::chain::Link::Exit(k));
        } else {
            self.exit_with(p, CHAIN + k as u64);
        }
    }

    /// Leave the region for a computed guest address `target` (blr, bctr,
    /// ...): in user mode through an inline-cache site (`chain`).
    pub fn exit_computed(&mut self, target: Value) {
        if matches!(self.mem, MemModel::Flat { .. }) {
            let j = self.sites;
            self.sites += 1;
            let code = super::chain::ICACHE + j as u64;
            self.exit_linked(target, code, super::chain::Link::Site(j));
        } else {
            self.exit_with(target, 0);
        }
    }

    /// Leave for `pc` with exit code `code` through the link `link` of the
    /// region's table: tail-call the region linked there right here when
    /// the slice goes on (`chain::emit_link`), else return to the
    /// dispatcher through the shared exit.
    fn exit_linked(&mut self, pc: Value, code: u64, link: super::chain::Link) {
        self.flush_icount(self.retired);
        self.store_written();
        let n = self.fb.use_var(self.icount);
        let leave = self.fb.create_block();
        let patch = super::chain::emit_link(self.fb, self.cpu, self.table, pc, n, link, leave);
        self.patches.extend(patch);
        self.fb.switch_to_block(leave);
        let c = self.fb.ins().iconst(I64, code as i64);
        self.fb
            .ins()
            .jump(self.exit, &[BlockArg::Value(pc), BlockArg::Value(c)]);
    }

    /// Branch to the exit with an exception when `c` (i8) is true.
    pub(super) fn exit_if(&mut self, c: Value, code: u64) {
        self.exit_on(c, true, code);
    }

    /// Leave the region at the current instruction (not retired) with exit
    /// code `code` when `c` (i8) equals `when`; else continue in a new block.
    pub(super) fn exit_on(&mut self, c: Value, when: bool, code: u64) {
        let cont = self.fb.create_block();
        let out = self.fb.create_block();
        let (t, f) = if when { (out, cont) } else { (cont, out) };
        self.fb.ins().brif(c, t, &[], f, &[]);
        self.fb.switch_to_block(out);
        let pc = self.fb.ins().iconst(I64, self.cia as i64);
        self.exit_with(pc, code);
        self.fb.switch_to_block(cont);
    }

    pub fn static_exc(&mut self, e: Exc) -> u64 {
        self.excs.push(e);
        1 + self.excs.len() as u64
    }

    /// Count `pending` retired instructions into the icount variable
    /// (done once per guest block and before every exit, not per insn).
    pub fn flush_icount(&mut self, n: u64) {
        if n > 0 {
            let c = self.fb.use_var(self.icount);
            let c = self.fb.ins().iadd_imm_s(c, n as i64);
            self.fb.def_var(self.icount, c);
        }
    }

    /// `a cc b` as a 0/1 value (remembered in `bools`).
    fn compare_bool(&mut self, cc: IntCC, a: Value, b: Value) -> Value {
        let c = self.fb.ins().icmp(cc, a, b);
        let v = self.bool_to_i64(c);
        self.bools.insert(v, (cc, a, b));
        v
    }

    fn call_helper(&mut self, f: Helper, i: Insn) -> Value {
        let callee = self
            .fb
            .ins()
            .iconst(I64, rt::jit_helper as *const () as i64);
        let fp = self.fb.ins().iconst(I64, f as *const () as i64);
        let w = self.fb.ins().iconst(I64, i.word as i64);
        let op = self.fb.ins().iconst(I64, i.op as u16 as i64);
        let call = self
            .fb
            .ins()
            .call_indirect(self.sig_helper, callee, &[self.cpu, fp, w, op]);
        self.fb.inst_results(call)[0]
    }
}

/// Offset in `CpuState` of FPR `n`: the high (first, in ISA terms)
/// doubleword of the host `u128` holding VSR `n`.
fn fpr_offset(n: u32) -> i32 {
    let vsr = std::mem::offset_of!(CpuState, vsr) + 16 * (n as usize & 31);
    (if cfg!(target_endian = "little") {
        vsr + 8
    } else {
        vsr
    }) as i32
}

impl Backend for Emitter<'_, '_> {
    type V = Value;
    fn imm(&mut self, v: u64) -> Value {
        self.iconst(v)
    }
    fn gpr(&mut self, r: u32) -> Value {
        self.read(RegId::Gpr(r as u8 & 31))
    }
    fn set_gpr(&mut self, r: u32, v: Value) {
        self.write(RegId::Gpr(r as u8 & 31), v);
    }
    fn crf(&mut self, f: u32) -> Value {
        self.read(RegId::Crf(f as u8 & 7))
    }
    fn set_crf(&mut self, f: u32, v: Value) {
        let v = match self.known(v) {
            Some(k) if k <= 15 => v,
            _ => self.fb.ins().band_imm_u(v, 15),
        };
        self.write(RegId::Crf(f as u8 & 7), v);
    }
    fn reg(&mut self, r: Reg) -> Value {
        self.read(RegId::from_reg(r))
    }
    fn set_reg(&mut self, r: Reg, v: Value) {
        let v = match r {
            Reg::Lr | Reg::Ctr | Reg::Tar | Reg::Npc => v,
            _ => match self.known(v) {
                Some(k) if k <= 1 => v,
                _ => self.fb.ins().band_imm_u(v, 1),
            },
        };
        self.write(RegId::from_reg(r), v);
    }

    fn fpr(&mut self, n: u32) -> Value {
        if let Some(v) = self.fprs[n as usize & 31] {
            return v;
        }
        let v = self.fb.ins().load(I64, flags(), self.cpu, fpr_offset(n));
        self.fprs[n as usize & 31] = Some(v);
        v
    }
    fn set_fpr(&mut self, n: u32, v: Value) {
        self.wrote = true;
        self.fprs[n as usize & 31] = Some(v);
        let zero = self.fb.ins().iconst(I64, 0);
        let hi = fpr_offset(n);
        let lo = if cfg!(target_endian = "little") {
            hi - 8
        } else {
            hi + 8
        };
        self.fb.ins().store(flags(), v, self.cpu, hi);
        self.fb.ins().store(flags(), zero, self.cpu, lo);
    }

    fn bin(&mut self, op: Bin, a: Value, b: Value) -> Value {
        if let (Some(x), Some(y)) = (self.known(a), self.known(b)) {
            return self.iconst(crate::exec::interp::eval_bin(op, x, y));
        }
        let kb = self.known(b);
        // A 0/1 comparison result tested against 0 or 1 (bc's CR bit test)
        // is the comparison itself or its inverse; and-ing it with 1 is
        // itself.
        if let (Some(k @ (0 | 1)), Some(&(cc, x, y))) = (kb, self.bools.get(&a)) {
            match (op, k) {
                (Bin::Eq, 1) | (Bin::Ne, 0) | (Bin::And, 1) => return a,
                (Bin::Eq, 0) | (Bin::Ne, 1) => return self.compare_bool(cc.complement(), x, y),
                _ => {}
            }
        }
        if op == Bin::And && self.known(a) == Some(1) && self.bools.contains_key(&b) {
            return b;
        }
        // rlwinm's rotate copies the word into both halves (Power ISA
        // §3.3.14 ROTL32); a mask inside the low word only needs the
        // zero-extended rotate.
        if let (Bin::And, Some(k), Some(&lo)) = (op, kb, self.rotl32_low.get(&a)) {
            if k >> 32 == 0 {
                return if k == 0xffff_ffff {
                    lo
                } else {
                    self.fb.ins().band_imm_u(lo, k as i64)
                };
            }
        }
        let ins = self.fb.ins();
        match op {
            Bin::Add => ins.iadd(a, b),
            Bin::Sub => ins.isub(a, b),
            // (clrldi 32 and friends: a 32-bit move on the host rather
            // than an and with a 64-bit constant.)
            Bin::And if kb == Some(0xffff_ffff) => {
                let lo = ins.ireduce(types::I32, a);
                self.fb.ins().uextend(I64, lo)
            }
            Bin::And => ins.band(a, b),
            Bin::Or => ins.bor(a, b),
            Bin::Xor => ins.bxor(a, b),
            Bin::Shl | Bin::Shr => {
                if let Some(k) = kb {
                    if k >= 64 {
                        return self.iconst(0);
                    }
                    return if op == Bin::Shl {
                        self.fb.ins().ishl_imm_u(a, k as i64)
                    } else {
                        self.fb.ins().ushr_imm_u(a, k as i64)
                    };
                }
                let r = if op == Bin::Shl {
                    ins.ishl(a, b)
                } else {
                    ins.ushr(a, b)
                };
                let big = self
                    .fb
                    .ins()
                    .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, b, 64);
                let z = self.fb.ins().iconst(I64, 0);
                self.fb.ins().select(big, z, r)
            }
            Bin::Sar => {
                if let Some(k) = kb {
                    return self.fb.ins().sshr_imm_u(a, k.min(63) as i64);
                }
                let k63 = ins.iconst(I64, 63);
                let n = self.fb.ins().umin(b, k63);
                self.fb.ins().sshr(a, n)
            }
            Bin::Rotl => ins.rotl(a, b),
            Bin::Rotl32 => {
                let lo = ins.ireduce(types::I32, a);
                let r = self.fb.ins().rotl(lo, b);
                let r = self.fb.ins().uextend(I64, r);
                let hi = self.fb.ins().ishl_imm_u(r, 32);
                let dup = self.fb.ins().bor(hi, r);
                self.rotl32_low.insert(dup, r);
                dup
            }
            Bin::Mul => ins.imul(a, b),
            Bin::MulHs => ins.smulhi(a, b),
            Bin::MulHu => ins.umulhi(a, b),
            Bin::Eq | Bin::Ne | Bin::Ltu | Bin::Lts | Bin::Gtu | Bin::Gts => {
                let cc = match op {
                    Bin::Eq => IntCC::Equal,
                    Bin::Ne => IntCC::NotEqual,
                    Bin::Ltu => IntCC::UnsignedLessThan,
                    Bin::Lts => IntCC::SignedLessThan,
                    Bin::Gtu => IntCC::UnsignedGreaterThan,
                    _ => IntCC::SignedGreaterThan,
                };
                self.compare_bool(cc, a, b)
            }
        }
    }

    fn un(&mut self, op: Un, a: Value) -> Value {
        if let Some(x) = self.known(a) {
            return self.iconst(crate::exec::interp::eval_un(op, x));
        }
        let ins = self.fb.ins();
        match op {
            Un::Not => ins.bnot(a),
            Un::Neg => ins.ineg(a),
            Un::Clz => ins.clz(a),
            Un::Ctz => ins.ctz(a),
            Un::Popcnt => ins.popcnt(a),
            Un::Sext8 | Un::Sext16 | Un::Sext32 => {
                let t = match op {
                    Un::Sext8 => types::I8,
                    Un::Sext16 => types::I16,
                    _ => types::I32,
                };
                let n = ins.ireduce(t, a);
                self.fb.ins().sextend(I64, n)
            }
            Un::Zext8 => ins.band_imm_u(a, 0xff),
            Un::Zext16 => ins.band_imm_u(a, 0xffff),
            Un::Zext32 => {
                let n = ins.ireduce(types::I32, a);
                self.fb.ins().uextend(I64, n)
            }
            Un::Bswap16 | Un::Bswap32 => {
                let t = if op == Un::Bswap16 {
                    types::I16
                } else {
                    types::I32
                };
                let n = ins.ireduce(t, a);
                let s = self.fb.ins().bswap(n);
                self.fb.ins().uextend(I64, s)
            }
            Un::Bswap64 => ins.bswap(a),
        }
    }

    fn select(&mut self, c: Value, a: Value, b: Value) -> Value {
        if let Some(k) = self.known(c) {
            return if k != 0 { a } else { b };
        }
        let t = self.fb.ins().icmp_imm_u(IntCC::NotEqual, c, 0);
        self.fb.ins().select(t, a, b)
    }

    fn load(&mut self, size: u8, ea: Value) -> Result<Value, Exc> {
        self.emit_load(size, ea)
    }

    fn store(&mut self, size: u8, ea: Value, v: Value) -> Result<(), Exc> {
        self.emit_store(size, ea, v)
    }

    fn cia(&self) -> u64 {
        self.cia
    }
    fn branch(&mut self, target: Value) {
        self.next = Next::Jump(target);
    }
    fn set_crf_compare(&mut self, f: u32, v: Value, a: Value, b: Value, signed: bool) {
        // (v is at most 15: one of 8, 4, 2 or'd with SO.)
        self.write(RegId::Crf(f as u8 & 7), v);
        self.crf_cmp.insert(v, (a, b, signed));
    }

    fn crf_bit(&mut self, v: Value, n: u32) -> Value {
        // (SO is the copy taken when the field was set: read it from v.)
        let Some(&(a, b, signed)) = self.crf_cmp.get(&v).filter(|_| n != 0) else {
            return self.bit(v, n);
        };
        let cc = match (n, signed) {
            (3, true) => IntCC::SignedLessThan,
            (3, false) => IntCC::UnsignedLessThan,
            (2, true) => IntCC::SignedGreaterThan,
            (2, false) => IntCC::UnsignedGreaterThan,
            _ => IntCC::Equal,
        };
        self.compare_bool(cc, a, b)
    }

    fn fp_arith(&mut self, i: Insn) -> Result<(), Exc> {
        self.fp_arith_inline(i)
    }

    fn fp_compare(&mut self, i: Insn) -> Result<(), Exc> {
        self.fp_compare_inline(i)
    }

    fn vsx_access(&mut self, f: Helper, i: Insn) -> Result<(), Exc> {
        self.vsx_access_inline(f, i)
    }

    fn branch_if(&mut self, c: Value, target: Value) {
        match self.known(c) {
            Some(0) => {}
            Some(_) => self.next = Next::Jump(target),
            None => self.next = Next::Cond(c, target),
        }
    }
    fn raise_if(&mut self, c: Value, e: Exc) -> Result<(), Exc> {
        match self.known(c) {
            Some(0) => Ok(()),
            Some(_) => Err(e),
            None => {
                let code = self.static_exc(e);
                let t = self.fb.ins().icmp_imm_u(IntCC::NotEqual, c, 0);
                self.exit_if(t, code);
                Ok(())
            }
        }
    }
    fn helper(&mut self, f: Helper, i: Insn) -> Result<(), Exc> {
        // The helper works on `CpuState`: make it current first...
        self.store_written();
        let r = self.call_helper(f, i);
        // ...and take back whatever it changed (on failure too: the exit
        // stores the registers again).
        self.load_all();
        let bad = self.fb.ins().icmp_imm_u(IntCC::NotEqual, r, 0);
        self.exit_if(bad, 1);
        Ok(())
    }
}
