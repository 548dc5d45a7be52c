//! The JIT's `Backend`: the same semantics that drive the interpreter, here
//! emitting Cranelift IR. Guest registers either live in Cranelift
//! `Variable`s for the whole region (loaded at entry, stored at exits and
//! around helper calls) or are written through to `CpuState` with a
//! per-block cache (`compiler::translate` chooses); memory accesses get an
//! inline bounds-and-permission check
//! with an out-of-line slow path, so a wild guest address is a precise
//! fault at the right guest PC.

pub use super::memmodel::MemModel;
use super::region::{RegId, NUM_REGS};
use super::rt;
use crate::cpu::{CpuState, Exc};
use crate::isa::Insn;
use crate::memory::{PAGE_CODE, PAGE_SHIFT, PROT_R, PROT_W};

use crate::sem::{Backend, Bin, Helper, Reg, Un};
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{types, AbiParam, BlockArg, InstBuilder, MemFlagsData, SigRef, Value};
use cranelift_codegen::ir::{Block, Signature};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, Variable};

use crate::exec::fxhash::FxHashMap;
use std::mem::offset_of;

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
    /// Write-through mode: `cache` at a forward jump to a block with no
    /// other way in (`region::predecessors`), by block, so the block starts
    /// with the values known there instead of reloading them. (A three-way
    /// compare, `cmpw; blt; bgt`, then tests the host comparison twice.)
    pub carry: FxHashMap<u64, [Option<Value>; NUM_REGS]>,
    pub icount: Variable,
    /// Set when a store hit a page holding decoded code.
    pub smc: Variable,
    pub consts: FxHashMap<Value, u64>,
    pub cia: u64,
    pub next: Next,
    pub exit: Block,
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
    /// block (value → clamped value; see `guarded_addr`).
    pub clamped: FxHashMap<Value, Value>,
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

    fn known(&self, v: Value) -> Option<u64> {
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
            self.cache[id.index()] = Some(v);
            self.store_reg(id, v);
            return;
        }
        let var = self.var(id);
        self.written |= 1 << id.index();
        self.fb.def_var(var, v);
    }

    /// Store every written register variable to `CpuState` (nothing in
    /// write-through mode, where `written` is empty).
    pub fn store_written(&mut self) {
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
    pub fn load_all(&mut self) {
        self.fprs = [None; 32];
        self.fpscr = None;
        if self.through {
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
        self.exit_with(p, CHAIN + k as u64);
    }

    /// Leave the region for a computed guest address `target` (blr, bctr,
    /// ...): in user mode through an inline-cache site (`chain`).
    pub fn exit_computed(&mut self, target: Value) {
        if matches!(self.mem, MemModel::Flat { .. }) {
            let j = self.sites as u64;
            self.sites += 1;
            self.exit_with(target, super::chain::ICACHE + j);
        } else {
            self.exit_with(target, 0);
        }
    }

    /// Branch to the exit with an exception when `c` (i8) is true.
    fn exit_if(&mut self, c: Value, code: u64) {
        self.exit_on(c, true, code);
    }

    /// Leave the region at the current instruction (not retired) with exit
    /// code `code` when `c` (i8) equals `when`; else continue in a new block.
    fn exit_on(&mut self, c: Value, when: bool, code: u64) {
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

    /// Whether guest accesses are guarded by the host MMU (`jit::guard`).
    pub fn guarded(&self) -> bool {
        matches!(self.mem, MemModel::Flat { guarded: true, .. })
    }

    /// The host address of an access at `ea` if memory is guarded.
    pub fn guarded_host(&mut self, ea: Value) -> Option<Value> {
        match self.mem {
            MemModel::Flat {
                base,
                size,
                guarded: true,
                ..
            } => Some(self.guarded_addr(ea, base, size)),
            _ => None,
        }
    }

    /// The host address of a guarded access at `ea` (`jit::guard`). EA is
    /// split into a base value and a displacement `d` (|d| < 32 KiB, as
    /// D-form accesses compute it); the base is clamped to
    /// `size + GUARD_LO`, once per base value and guest block. An address
    /// in the space is left alone, and every other address ends in the
    /// PROT_NONE guards around it, where the host faults: a base beyond
    /// the clamp plus d lands in the high guard; a small base minus d, in
    /// the low guard; and a base near 2^64 plus d (which wraps to the first
    /// 32 KiB, never mapped: the lowest mapping is at 64 KiB, as Linux's
    /// mmap_min_addr) is clamped into the high guard too.
    fn guarded_addr(&mut self, ea: Value, base: u64, msize: u64) -> Value {
        use cranelift_codegen::ir::{InstructionData, Opcode, ValueDef};
        let lim = msize + crate::memory::GUARD_LO;
        if let Some(k) = self.known(ea) {
            return self.iconst(base.wrapping_add(k.min(lim)));
        }
        let mut split = (ea, 0i64);
        if let ValueDef::Result(inst, 0) = self.fb.func.dfg.value_def(ea) {
            if let InstructionData::Binary {
                opcode: Opcode::Iadd,
                args,
            } = self.fb.func.dfg.insts[inst]
            {
                if let Some(d) = self.known(args[1]).map(|d| d as i64) {
                    if (-0x8000..0x8000).contains(&d) {
                        split = (args[0], d);
                    }
                }
            }
        }
        let (x, d) = split;
        let xc = match self.clamped.get(&x) {
            Some(&c) => c,
            None => {
                let l = self.fb.ins().iconst(I64, lim as i64);
                let c = self.fb.ins().umin(x, l);
                self.clamped.insert(x, c);
                c
            }
        };
        let b = self
            .fb
            .ins()
            .iconst(I64, base.wrapping_add(d as u64) as i64);
        self.fb.ins().iadd(xc, b)
    }

    /// The inline fast path of a guest access: `(ok, host)` where `ok`
    /// (i8) says whether `host` may be used directly. Computed in the
    /// current block; the slow path handles everything else (faults, page
    /// crossings, code pages for stores, big-endian mode).
    fn fast_path(&mut self, ea: Value, size: u8, store: bool) -> (Value, Value) {
        let sz = size as i64;
        match self.mem {
            MemModel::Flat { guarded: true, .. } => {
                unreachable!("guarded accesses take Emitter::guarded_addr")
            }
            MemModel::Flat {
                base,
                size: msize,
                perms,
                guarded: false,
            } => {
                let page = self.fb.ins().ushr_imm_u(ea, PAGE_SHIFT as i64);
                let in_range = self.fb.ins().icmp_imm_u(
                    IntCC::UnsignedLessThanOrEqual,
                    ea,
                    (msize - size as u64) as i64,
                );
                // A byte cannot cross into the next page: no check then
                // (lbz/stb are a good part of all accesses).
                let same = if size == 1 {
                    None
                } else {
                    let off = self.fb.ins().band_imm_u(ea, (1i64 << PAGE_SHIFT) - 1);
                    Some(self.fb.ins().icmp_imm_u(
                        IntCC::UnsignedLessThanOrEqual,
                        off,
                        (1i64 << PAGE_SHIFT) - sz,
                    ))
                };
                // Index masked into the table so the load is always in
                // bounds; the range check above decides if it counts.
                let npages = msize >> PAGE_SHIFT;
                let idx = self.fb.ins().band_imm_u(page, (npages - 1) as i64);
                let table = self.fb.ins().iconst(I64, perms as i64);
                let paddr = self.fb.ins().iadd(table, idx);
                let perm = self.fb.ins().uload8(I64, flags(), paddr, 0);
                let (mask, want) = if store {
                    (PROT_W | PAGE_CODE, PROT_W)
                } else {
                    (PROT_R, PROT_R)
                };
                let pm = self.fb.ins().band_imm_u(perm, mask as i64);
                let pok = self.fb.ins().icmp_imm_u(IntCC::Equal, pm, want as i64);
                let a = match same {
                    Some(same) => self.fb.ins().band(in_range, same),
                    None => in_range,
                };
                let ok = self.fb.ins().band(a, pok);
                let b = self.fb.ins().iconst(I64, base as i64);
                let host = self.fb.ins().iadd(b, ea);
                (ok, host)
            }
            MemModel::Real {
                base,
                size: msize,
                perms,
            } => {
                // Real mode: RA = EA with bits 0:3 ignored (Book III
                // §5.7.3.1); RAM is flat.
                let ra = self
                    .fb
                    .ins()
                    .band_imm_u(ea, crate::mmu::REAL_MODE_MASK as i64);
                let ok = self.ram_ok(ra, size, store, msize, perms);
                let b = self.fb.ins().iconst(I64, base as i64);
                let host = self.fb.ins().iadd(b, ra);
                (ok, host)
            }
            MemModel::Tlb {
                base,
                size: msize,
                perms,
                dtlb,
                pr,
            } => {
                // Software TLB lookup (mmu::Mmu::translate's hit path):
                // entry = dtlb[(ea >> 12) & (TLB_SIZE-1)], tag must equal
                // (ea >> 12) | pr << 62 and grant the access.
                let page = self.fb.ins().ushr_imm_u(ea, 12);
                let slot = self
                    .fb
                    .ins()
                    .band_imm_u(page, (crate::mmu::TLB_SIZE - 1) as i64);
                let esz = std::mem::size_of::<crate::mmu::TlbEntry>() as i64;
                let eoff = self.fb.ins().imul_imm_u(slot, esz);
                let tb = self.fb.ins().iconst(I64, dtlb as i64);
                let e = self.fb.ins().iadd(tb, eoff);
                let tag = self.fb.ins().load(
                    I64,
                    flags(),
                    e,
                    offset_of!(crate::mmu::TlbEntry, tag) as i32,
                );
                let want = if pr {
                    let k = self.fb.ins().iconst(I64, 1i64 << 62);
                    self.fb.ins().bor(page, k)
                } else {
                    page
                };
                let hit = self.fb.ins().icmp(IntCC::Equal, tag, want);
                let perm = self.fb.ins().uload8(
                    I64,
                    flags(),
                    e,
                    offset_of!(crate::mmu::TlbEntry, perm) as i32,
                );
                let need = if store { 2 } else { 1 };
                let pm = self.fb.ins().band_imm_u(perm, need);
                let pok = self.fb.ins().icmp_imm_u(IntCC::NotEqual, pm, 0);
                let off = self.fb.ins().band_imm_u(ea, 0xfff);
                // (A byte is always inside its page.)
                let inpage = (size > 1).then(|| {
                    self.fb
                        .ins()
                        .icmp_imm_u(IntCC::UnsignedLessThanOrEqual, off, 0x1000 - sz)
                });
                let rapage = self.fb.ins().load(
                    I64,
                    flags(),
                    e,
                    offset_of!(crate::mmu::TlbEntry, ra) as i32,
                );
                let ra = self.fb.ins().iadd(rapage, off);
                // The TLB only holds pages inside RAM (Mmu::translate), but
                // an empty or stale slot may hold anything: the RAM check
                // keeps the host access in bounds regardless.
                let rok = self.ram_ok(ra, size, store, msize, perms);
                let a = self.fb.ins().band(hit, pok);
                let b2 = match inpage {
                    Some(inpage) => self.fb.ins().band(inpage, rok),
                    None => rok,
                };
                let ok = self.fb.ins().band(a, b2);
                let b = self.fb.ins().iconst(I64, base as i64);
                let host = self.fb.ins().iadd(b, ra);
                (ok, host)
            }
            MemModel::Slow => {
                let ok = self.fb.ins().iconst(types::I8, 0);
                (ok, ea)
            }
        }
    }

    /// `ra .. ra+size` is inside RAM (and, for stores, not on a page of
    /// decoded code); the perms index is clamped so its load is in bounds.
    fn ram_ok(&mut self, ra: Value, size: u8, store: bool, msize: u64, perms: u64) -> Value {
        let in_ram = self.fb.ins().icmp_imm_u(
            IntCC::UnsignedLessThanOrEqual,
            ra,
            (msize - size as u64) as i64,
        );
        if !store {
            return in_ram;
        }
        // `perms` is the 4K decoded-code map here (one byte per page).
        let same = (size > 1).then(|| {
            let off = self.fb.ins().band_imm_u(ra, 0xfff);
            self.fb
                .ins()
                .icmp_imm_u(IntCC::UnsignedLessThanOrEqual, off, 0x1000 - size as i64)
        });
        let page = self.fb.ins().ushr_imm_u(ra, 12);
        let idx = self.fb.ins().band_imm_u(page, ((msize >> 12) - 1) as i64);
        let table = self.fb.ins().iconst(I64, perms as i64);
        let paddr = self.fb.ins().iadd(table, idx);
        let code = self.fb.ins().uload8(I64, flags(), paddr, 0);
        let clean = self.fb.ins().icmp_imm_u(IntCC::Equal, code, 0);
        let a = match same {
            Some(same) => self.fb.ins().band(in_ram, same),
            None => in_ram,
        };
        self.fb.ins().band(a, clean)
    }

    /// Whether an access that misses the inline fast path leaves the region
    /// (to run the instruction again in the interpreter, which handles
    /// faults, MMIO, page crossings, TLB misses and stores into translated
    /// code) instead of calling the slow path in place. Leaving keeps calls
    /// out of the region's hot code, so guest register variables are not
    /// forced into callee-saved registers or the stack around every
    /// access. It is only right while the instruction has not written a
    /// register yet (update forms write RA after their access), and not
    /// for regions that always take the slow path (big-endian code).
    fn leave_on_slow_path(&self) -> bool {
        !self.wrote && !self.through && !matches!(self.mem, MemModel::Slow)
    }

    /// A guest access at host address `host`; `may_fault` for guarded
    /// memory, where the host MMU checks it (so Cranelift must keep it
    /// where it is).
    fn host_load(&mut self, size: u8, host: Value, may_fault: bool) -> Value {
        let f = if may_fault {
            MemFlagsData::new()
        } else {
            guest_flags()
        };
        match size {
            1 => self.fb.ins().uload8(I64, f, host, 0),
            2 => self.fb.ins().uload16(I64, f, host, 0),
            4 => self.fb.ins().uload32(f, host, 0),
            _ => self.fb.ins().load(I64, f, host, 0),
        }
    }

    fn host_store(&mut self, size: u8, host: Value, v: Value, may_fault: bool) {
        let f = if may_fault {
            MemFlagsData::new()
        } else {
            guest_flags()
        };
        match size {
            1 => self.fb.ins().istore8(f, v, host, 0),
            2 => self.fb.ins().istore16(f, v, host, 0),
            4 => self.fb.ins().istore32(f, v, host, 0),
            _ => self.fb.ins().store(f, v, host, 0),
        };
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
        if let Some(host) = self.guarded_host(ea) {
            return Ok(self.host_load(size, host, true));
        }
        let (ok, host) = self.fast_path(ea, size, false);
        if self.leave_on_slow_path() {
            self.exit_on(ok, false, SLOW);
            return Ok(self.host_load(size, host, false));
        }
        let fast = self.fb.create_block();
        let slow = self.fb.create_block();
        let join = self.fb.create_block();
        self.fb.append_block_param(join, I64);
        self.fb.ins().brif(ok, fast, &[], slow, &[]);

        self.fb.switch_to_block(fast);
        let v = self.host_load(size, host, false);
        self.fb.ins().jump(join, &[BlockArg::Value(v)]);

        self.fb.switch_to_block(slow);
        let callee = self.fb.ins().iconst(I64, rt::jit_load as *const () as i64);
        let sz = self.fb.ins().iconst(I64, size as i64);
        let pc = self.fb.ins().iconst(I64, self.cia as i64);
        let call = self
            .fb
            .ins()
            .call_indirect(self.sig_load, callee, &[self.cpu, ea, sz, pc]);
        let v = self.fb.inst_results(call)[0];
        let off = offset_of!(CpuState, jit_fault) as i32;
        let fault = self.fb.ins().uload8(I64, flags(), self.cpu, off);
        let pending = self.fb.create_block();
        let good = self.fb.create_block();
        self.fb.ins().brif(fault, pending, &[], good, &[]);
        self.fb.switch_to_block(pending);
        let pcv = self.fb.ins().iconst(I64, self.cia as i64);
        self.exit_with(pcv, 1);
        self.fb.switch_to_block(good);
        self.fb.ins().jump(join, &[BlockArg::Value(v)]);

        self.fb.switch_to_block(join);
        Ok(self.fb.block_params(join)[0])
    }

    fn store(&mut self, size: u8, ea: Value, v: Value) -> Result<(), Exc> {
        if let Some(host) = self.guarded_host(ea) {
            self.host_store(size, host, v, true);
            return Ok(());
        }
        let (ok, host) = self.fast_path(ea, size, true);
        if self.leave_on_slow_path() {
            // (a store into translated code takes the slow path too)
            self.exit_on(ok, false, SLOW);
            self.host_store(size, host, v, false);
            return Ok(());
        }
        self.had_store = true;
        let fast = self.fb.create_block();
        let slow = self.fb.create_block();
        let join = self.fb.create_block();
        self.fb.ins().brif(ok, fast, &[], slow, &[]);

        self.fb.switch_to_block(fast);
        self.host_store(size, host, v, false);
        self.fb.ins().jump(join, &[]);

        self.fb.switch_to_block(slow);
        let callee = self.fb.ins().iconst(I64, rt::jit_store as *const () as i64);
        let sz = self.fb.ins().iconst(I64, size as i64);
        let pc = self.fb.ins().iconst(I64, self.cia as i64);
        let call = self
            .fb
            .ins()
            .call_indirect(self.sig_store, callee, &[self.cpu, ea, sz, v, pc]);
        let st = self.fb.inst_results(call)[0];
        // 0: stored; 1: fault; 2: stored into a code page.
        let is_fault = self.fb.ins().icmp_imm_u(IntCC::Equal, st, 1);
        self.exit_if(is_fault, 1);
        let code = self.fb.ins().icmp_imm_u(IntCC::Equal, st, 2);
        let code = self.fb.ins().uextend(I64, code);
        let old = self.fb.use_var(self.smc);
        let now = self.fb.ins().bor(old, code);
        self.fb.def_var(self.smc, now);
        self.fb.ins().jump(join, &[]);

        self.fb.switch_to_block(join);
        Ok(())
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
            let k = self.iconst(n as u64);
            let s = self.bin(Bin::Shr, v, k);
            let one = self.iconst(1);
            return self.bin(Bin::And, s, one);
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
