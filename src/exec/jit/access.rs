//! Guest memory accesses in compiled code: the inline check of each
//! memory model (`MemModel`) with its slow path or region exit, and the
//! guarded user-mode form that leaves permissions to the host MMU
//! (`jit::guard`), clamping the base register into the guard pages.

use super::backend::{flags, guest_flags, Emitter, MemModel, SLOW};
use super::rt;
use crate::cpu::{CpuState, Exc};
use crate::memory::{PAGE_CODE, PAGE_SHIFT, PROT_R, PROT_W};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, BlockArg, InstBuilder, MemFlagsData, Value};
use std::mem::offset_of;

const I64: types::Type = types::I64;

/// The flags of a guest access: one that may fault (guarded memory, where
/// the host MMU checks it) must stay where it is.
fn access_flags(may_fault: bool) -> MemFlagsData {
    if may_fault {
        MemFlagsData::new()
    } else {
        guest_flags()
    }
}

impl Emitter<'_, '_> {
    /// Whether an access of `size` bytes at offset `off` into a page of
    /// `page` bytes stays inside it; `None` for a byte, which always does.
    fn fits(&mut self, off: Value, page: i64, size: u8) -> Option<Value> {
        (size > 1).then(|| {
            self.fb
                .ins()
                .icmp_imm_u(IntCC::UnsignedLessThanOrEqual, off, page - size as i64)
        })
    }

    /// `a & b`, or `a` where there is no `b`.
    fn and_maybe(&mut self, a: Value, b: Option<Value>) -> Value {
        match b {
            Some(b) => self.fb.ins().band(a, b),
            None => a,
        }
    }

    /// Whether guest accesses are guarded by the host MMU (`jit::guard`).
    pub fn guarded(&self) -> bool {
        matches!(self.mem, MemModel::Flat { guarded: true, .. })
    }

    /// The host address of an access at `ea` if memory is guarded, as a
    /// pointer and a displacement for the host instruction.
    pub fn guarded_host(&mut self, ea: Value) -> Option<(Value, i32)> {
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

    /// `v` as `x + c` when it was computed as an add of a constant with
    /// |c| < `max` (D-form displacements and addi).
    fn split_const(&self, v: Value, max: i64) -> Option<(Value, i64)> {
        use cranelift_codegen::ir::{InstructionData, Opcode, ValueDef};
        let ValueDef::Result(inst, 0) = self.fb.func.dfg.value_def(v) else {
            return None;
        };
        let InstructionData::Binary {
            opcode: Opcode::Iadd,
            args,
        } = self.fb.func.dfg.insts[inst]
        else {
            return None;
        };
        let c = self.known(args[1])? as i64;
        (-max < c && c < max).then_some((args[0], c))
    }

    /// The host address of a guarded access at `ea` (`jit::guard`), as a
    /// pointer and a displacement.
    ///
    /// EA is split into a base value and a displacement `d` (|d| < 32 KiB,
    /// as D-form accesses compute it). The base is clamped to
    /// `size + GUARD_LO` and the space's host address added, once per base
    /// value while it is in scope; a base computed as another clamped base
    /// plus a constant (`addi rX,rX,16` in a loop) reuses that pointer
    /// with the constant folded into the displacement, as long as the
    /// constants added to the clamped root stay within ±`DERIVE`.
    ///
    /// An address in the space is left alone, and every other address
    /// ends in the PROT_NONE guards around it, where the host faults: a
    /// root beyond the clamp plus at most 48 KiB either way lands in the
    /// high guard; a small root minus 48 KiB, in the low guard; and a root
    /// near 2^64 plus a little (which wraps to the first 48 KiB, never
    /// mapped: the lowest mapping is at 64 KiB, as Linux's mmap_min_addr)
    /// is clamped into the high guard too. (`memory::GUARD_LO`/`GUARD_HI`
    /// are sized for this.)
    fn guarded_addr(&mut self, ea: Value, base: u64, msize: u64) -> (Value, i32) {
        const DERIVE: i64 = 0x4000;
        let lim = msize + crate::memory::GUARD_LO;
        if let Some(k) = self.known(ea) {
            return (self.iconst(base.wrapping_add(k.min(lim))), 0);
        }
        let (x, d) = self.split_const(ea, 0x8000).unwrap_or((ea, 0));
        let (h, o) = match self.clamped.get(&x) {
            Some(&p) => p,
            None => {
                let derived = self
                    .split_const(x, DERIVE)
                    .and_then(|(y, c)| Some((self.clamped.get(&y)?, c)))
                    .map(|(&(h, o), c)| (h, o + c))
                    .filter(|&(_, o)| o.abs() <= DERIVE);
                let p = derived.unwrap_or_else(|| {
                    let l = self.fb.ins().iconst(I64, lim as i64);
                    let c = self.fb.ins().umin(x, l);
                    let b = self.fb.ins().iconst(I64, base as i64);
                    (self.fb.ins().iadd(c, b), 0)
                });
                self.clamped.insert(x, p);
                p
            }
        };
        (h, (o + d) as i32)
    }

    /// The inline fast path of a guest access: `(ok, host)` where `ok`
    /// (i8) says whether `host` may be used directly. Computed in the
    /// current block; the slow path handles everything else (faults, page
    /// crossings, code pages for stores, big-endian mode).
    fn fast_path(&mut self, ea: Value, size: u8, store: bool) -> (Value, Value) {
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
                // (One byte of permissions per page of `PAGE_SHIFT`.)
                let (mask, want) = if store {
                    (PROT_W | PAGE_CODE, PROT_W)
                } else {
                    (PROT_R, PROT_R)
                };
                let ok = self.page_ok(ea, size, msize, perms, PAGE_SHIFT, mask, want);
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
                let inpage = self.fits(off, 0x1000, size);
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
                let b2 = self.and_maybe(rok, inpage);
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
        if !store {
            return self.fb.ins().icmp_imm_u(
                IntCC::UnsignedLessThanOrEqual,
                ra,
                (msize - size as u64) as i64,
            );
        }
        // `perms` is the 4K decoded-code map here (one byte per page,
        // nonzero where code was decoded).
        self.page_ok(ra, size, msize, perms, 12, 0xff, 0)
    }

    /// Whether an access of `size` bytes at `a` lies inside a space of
    /// `msize` bytes and inside one page of `1 << shift` bytes, and the
    /// page's byte in the table at `table` (one per page) has
    /// `byte & mask == want`. A byte cannot cross into the next page: no
    /// page check then (lbz/stb are a good part of all accesses). The
    /// index is masked into the table so its load is always in bounds;
    /// the range check decides if it counts.
    #[allow(clippy::too_many_arguments)]
    fn page_ok(
        &mut self,
        a: Value,
        size: u8,
        msize: u64,
        table: u64,
        shift: u32,
        mask: u8,
        want: u8,
    ) -> Value {
        let in_range = self.fb.ins().icmp_imm_u(
            IntCC::UnsignedLessThanOrEqual,
            a,
            (msize - size as u64) as i64,
        );
        let off = self.fb.ins().band_imm_u(a, (1i64 << shift) - 1);
        let same = self.fits(off, 1 << shift, size);
        let page = self.fb.ins().ushr_imm_u(a, shift as i64);
        let idx = self
            .fb
            .ins()
            .band_imm_u(page, ((msize >> shift) - 1) as i64);
        let t = self.fb.ins().iconst(I64, table as i64);
        let paddr = self.fb.ins().iadd(t, idx);
        let byte = self.fb.ins().uload8(I64, flags(), paddr, 0);
        let m = self.fb.ins().band_imm_u(byte, mask as i64);
        let pok = self.fb.ins().icmp_imm_u(IntCC::Equal, m, want as i64);
        let a = self.and_maybe(in_range, same);
        self.fb.ins().band(a, pok)
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
    fn host_load(&mut self, size: u8, host: Value, off: i32, may_fault: bool) -> Value {
        let f = access_flags(may_fault);
        match size {
            1 => self.fb.ins().uload8(I64, f, host, off),
            2 => self.fb.ins().uload16(I64, f, host, off),
            4 => self.fb.ins().uload32(f, host, off),
            _ => self.fb.ins().load(I64, f, host, off),
        }
    }

    fn host_store(&mut self, size: u8, host: Value, off: i32, v: Value, may_fault: bool) {
        let f = access_flags(may_fault);
        match size {
            1 => self.fb.ins().istore8(f, v, host, off),
            2 => self.fb.ins().istore16(f, v, host, off),
            4 => self.fb.ins().istore32(f, v, host, off),
            _ => self.fb.ins().store(f, v, host, off),
        };
    }

    /// `Backend::load`.
    pub fn emit_load(&mut self, size: u8, ea: Value) -> Result<Value, Exc> {
        if let Some((host, off)) = self.guarded_host(ea) {
            return Ok(self.host_load(size, host, off, true));
        }
        let (ok, host) = self.fast_path(ea, size, false);
        if self.leave_on_slow_path() {
            self.exit_on(ok, false, SLOW);
            return Ok(self.host_load(size, host, 0, false));
        }
        let fast = self.fb.create_block();
        let slow = self.fb.create_block();
        let join = self.fb.create_block();
        self.fb.append_block_param(join, I64);
        self.fb.ins().brif(ok, fast, &[], slow, &[]);

        self.fb.switch_to_block(fast);
        let v = self.host_load(size, host, 0, false);
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

    /// `Backend::store`.
    pub fn emit_store(&mut self, size: u8, ea: Value, v: Value) -> Result<(), Exc> {
        if let Some((host, off)) = self.guarded_host(ea) {
            self.host_store(size, host, off, v, true);
            return Ok(());
        }
        let (ok, host) = self.fast_path(ea, size, true);
        if self.leave_on_slow_path() {
            // (a store into translated code takes the slow path too)
            self.exit_on(ok, false, SLOW);
            self.host_store(size, host, 0, v, false);
            return Ok(());
        }
        self.had_store = true;
        let fast = self.fb.create_block();
        let slow = self.fb.create_block();
        let join = self.fb.create_block();
        self.fb.ins().brif(ok, fast, &[], slow, &[]);

        self.fb.switch_to_block(fast);
        self.host_store(size, host, 0, v, false);
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
}
