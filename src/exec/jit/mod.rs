//! Tier 1: hot guest regions compiled to host code with Cranelift.
//!
//! A region (see `region`) is compiled into one Cranelift function
//! `fn(*mut CpuState) -> u64` by running the ordinary semantics over the
//! `backend::Emitter` backend. Guest blocks become Cranelift blocks, so
//! branches inside the region (loops included) stay in compiled code; every
//! other exit stores the written registers, sets `cpu.pc` and returns an
//! exit code (0 normal, 1 exception in `cpu.pending`, 2+k the region's k-th
//! static exception). The bytes are copied into our own arena (`arena`),
//! flushed whole when full or when guest code is modified.

pub mod arena;
pub mod backend;
pub mod region;
pub mod rt;

use crate::cpu::{CpuState, Exc};
use crate::exec::fxhash::FxHashMap;
use crate::isa::Insn;
use crate::sem::{self, Handler};
use backend::{Emitter, Next};
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{types, AbiParam, Function, InstBuilder, Signature, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::mem::offset_of;
use std::time::{Duration, Instant};

const I64: types::Type = types::I64;

/// Instructions a region may run before returning to the dispatcher (checked
/// on back-edges), so budgets and exit requests are honoured.
const SLICE: i64 = 1 << 20;

/// Instructions a cheaply compiled region must retire before it is
/// recompiled with the optimising settings.
const HOT_RETIRED: u64 = 20_000_000;

#[derive(Default, Debug, Clone)]
pub struct JitStats {
    pub regions: u64,
    pub guest_insns_compiled: u64,
    pub compile_time: Duration,
    pub code_bytes: u64,
    pub flushes: u64,
    pub entries: u64,
    pub failures: u64,
    /// Regions recompiled with the optimising settings.
    pub recompiled: u64,
}

struct Compiled {
    code: *const u8,
    entry: u64,
    /// Code key (real address in system mode) of the entry.
    key: u64,
    optimized: bool,
    /// Instructions retired inside this region so far.
    retired: u64,
    /// Facilities (interp::FAC_*) the region's instructions need.
    needs: u8,
    excs: Vec<Exc>,
}

/// Cranelift settings chosen by measurement (see ARCHITECTURE.md, "JIT
/// settings"): a region is first compiled cheaply (opt_level none,
/// single-pass register allocation) and recompiled with opt_level speed and
/// the backtracking allocator once it has retired `HOT_RETIRED`
/// instructions. `POWERLIFT_REGALLOC` and `POWERLIFT_OPT` force one
/// setting for both, for experiments.
fn make_isa(opt: &str, ra: &str) -> OwnedTargetIsa {
    let mut b = settings::builder();
    let opt = std::env::var("POWERLIFT_OPT").unwrap_or_else(|_| opt.into());
    let ra = std::env::var("POWERLIFT_REGALLOC").unwrap_or_else(|_| ra.into());
    b.set("opt_level", &opt).expect("opt_level");
    b.set("regalloc_algorithm", &ra)
        .expect("regalloc_algorithm");
    b.set(
        "enable_verifier",
        if cfg!(debug_assertions) {
            "true"
        } else {
            "false"
        },
    )
    .unwrap();
    b.set("unwind_info", "false").unwrap();
    b.set("is_pic", "false").unwrap();
    let flags = settings::Flags::new(b);
    cranelift_native::builder()
        .expect("host ISA supported by Cranelift")
        .finish(flags)
        .expect("Cranelift ISA")
}

pub struct Jit {
    isa: OwnedTargetIsa,
    isa_opt: OwnedTargetIsa,
    ctx: Context,
    fctx: FunctionBuilderContext,
    arena: arena::Arena,
    regions: Vec<Compiled>,
    /// Regions by (entry address, translation mode key).
    map: FxHashMap<(u64, u8), u32>,
    pub stats: JitStats,
    /// `-d in_asm,op,out_asm` style logging of each compiled region.
    pub log_in_asm: bool,
    pub log_op: bool,
    pub log_out_asm: bool,
    /// The address space (RAM base, MMU) the cached code was compiled for.
    space: Option<(u64, u64)>,
}

impl Jit {
    pub fn new() -> std::io::Result<Jit> {
        Ok(Jit {
            isa: make_isa("none", "single_pass"),
            isa_opt: make_isa("speed", "backtracking"),
            ctx: Context::new(),
            fctx: FunctionBuilderContext::new(),
            arena: arena::Arena::new(256 << 20)?,
            regions: Vec::new(),
            map: FxHashMap::default(),
            stats: JitStats::default(),
            log_in_asm: false,
            log_op: false,
            log_out_asm: false,
            space: None,
        })
    }

    /// Changes whenever compiled regions are discarded (ids become void).
    pub fn generation(&self) -> u64 {
        // Recompiling a region replaces its id too.
        self.stats.flushes + self.stats.recompiled
    }

    pub fn flush(&mut self) {
        self.stats.flushes += 1;
        self.regions.clear();
        self.map.clear();
        self.arena.flush();
    }

    #[inline]
    /// The region entered at `pc` in translation mode `mode`, if it was
    /// compiled from the code now at `key` (its real address in system
    /// mode: a region compiled for another process's page is stale).
    pub fn lookup(&self, pc: u64, mode: u8, key: u64) -> Option<u32> {
        self.map
            .get(&(pc, mode))
            .copied()
            .filter(|&id| self.regions[id as usize].key == key)
    }

    /// Facilities the region needs enabled (checked by the dispatcher in
    /// system mode; the interpreter raises the unavailable interrupts).
    pub fn needs(&self, id: u32) -> u8 {
        self.regions[id as usize].needs
    }

    /// Run compiled region `id` (whose entry is `cpu.pc`).
    #[inline]
    pub fn exec(&mut self, mut id: u32, cpu: &mut CpuState) -> Result<(), Exc> {
        let r = &self.regions[id as usize];
        if !r.optimized && r.retired > HOT_RETIRED {
            // Hot: recompile with the optimising settings (we are at the
            // region's entry in its own translation mode).
            let entry = r.entry;
            // Never again for this copy, whatever happens below.
            self.regions[id as usize].optimized = true;
            if self.compile_with(cpu, entry, true) {
                self.stats.recompiled += 1;
                let key = cpu.mem.code_key(entry).unwrap_or(u64::MAX);
                if let Some(n) = self.lookup(entry, cpu.mem.mode_key(cpu.msr), key) {
                    id = n;
                }
            }
        }
        let before = cpu.icount;
        let r = &self.regions[id as usize];
        self.stats.entries += 1;
        // SAFETY: `code` points at a function compiled for the host with the
        // signature `extern "C" fn(*mut CpuState) -> u64`, living in the
        // arena until the next flush (which also clears `regions`).
        let f: extern "C" fn(*mut CpuState) -> u64 = unsafe { std::mem::transmute(r.code) };
        let code = f(cpu);
        let r = &mut self.regions[id as usize];
        r.retired += cpu.icount - before;
        match rt::exit_exception(cpu, code, &r.excs) {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    /// Compile the region entered at `entry`. Returns false if nothing could
    /// be compiled (the interpreter keeps running it).
    pub fn compile(&mut self, cpu: &CpuState, entry: u64) -> bool {
        self.compile_with(cpu, entry, false)
    }

    fn compile_with(&mut self, cpu: &CpuState, entry: u64, optimized: bool) -> bool {
        let t0 = Instant::now();
        let mm = backend::MemModel::of(&cpu.mem, cpu.msr);
        // Regions embed host addresses: a different address space or TLB
        // means everything compiled so far is void.
        let key = (cpu.mem.base as u64, cpu.mem.mmu as u64);
        if self.space != Some(key) {
            self.flush();
            self.space = Some(key);
        }
        let mode = cpu.mem.mode_key(cpu.msr);
        let Ok(ckey) = cpu.mem.code_key(entry) else {
            return false;
        };
        let Some(region) = region::form(cpu, entry) else {
            return false;
        };
        let t1 = Instant::now();
        let excs = match self.translate(&region, mm) {
            Some(e) => e,
            None => {
                self.stats.failures += 1;
                return false;
            }
        };
        if self.log_op {
            log::info!(target: "op", "region {entry:#x}:\n{}", self.ctx.func.display());
        }
        let t2 = Instant::now();
        self.ctx.set_disasm(self.log_out_asm);
        let isa = if optimized {
            &*self.isa_opt
        } else {
            &*self.isa
        };
        let code = match self.ctx.compile(isa, &mut ControlPlane::default()) {
            Ok(c) => c,
            Err(e) => {
                log::warn!("JIT: region {entry:#x} failed to compile: {:?}", e.inner);
                self.stats.failures += 1;
                self.ctx.clear();
                return false;
            }
        };
        if self.log_out_asm {
            if let Some(v) = &code.vcode {
                log::info!(target: "out_asm", "region {entry:#x}:\n{v}");
            }
        }
        let bytes = code.code_buffer().to_vec();
        log::debug!(
            "JIT: region {entry:#x}: {} insns, form {:?}, translate {:?}, compile {:?}, {} bytes",
            region.ninsns,
            t1 - t0,
            t2 - t1,
            t2.elapsed(),
            bytes.len()
        );
        self.ctx.clear();
        let ptr = match self.arena.push(&bytes) {
            Some(p) => p,
            None => {
                self.flush();
                match self.arena.push(&bytes) {
                    Some(p) => p,
                    None => return false,
                }
            }
        };
        if self.log_in_asm {
            let mut s = String::new();
            for b in region.blocks.values() {
                for (k, i) in b.insns.iter().enumerate() {
                    let a = b.start + 4 * k as u64;
                    s.push_str(&format!(
                        "0x{a:016x}:  {:08x}  {}\n",
                        i.word,
                        crate::isa::disasm::disasm(i.word, a)
                    ));
                }
                s.push('\n');
            }
            log::info!(target: "in_asm", "IN: region {entry:#x}\n{s}");
        }
        self.stats.regions += 1;
        self.stats.guest_insns_compiled += region.ninsns as u64;
        self.stats.code_bytes += bytes.len() as u64;
        self.stats.compile_time += t0.elapsed();
        let id = self.regions.len() as u32;
        let needs = region
            .blocks
            .values()
            .flat_map(|b| b.insns.iter())
            .fold(0, |a, i| a | crate::exec::interp::facility(i.op));
        self.regions.push(Compiled {
            code: ptr,
            entry,
            key: ckey,
            optimized,
            retired: 0,
            needs,
            excs,
        });
        self.map.insert((entry, mode), id);
        true
    }

    fn translate(&mut self, region: &region::Region, mm: backend::MemModel) -> Option<Vec<Exc>> {
        let cc = self.isa.default_call_conv();
        let mut sig = Signature::new(cc);
        sig.params.push(AbiParam::new(I64));
        sig.returns.push(AbiParam::new(I64));
        self.ctx.func = Function::with_name_signature(UserFuncName::default(), sig);
        let (sh, sl, ss) = backend::signatures(cc);
        let fcfg = self.isa.frontend_config();
        let mut fb = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
        let sig_helper = fb.import_signature(sh);
        let sig_load = fb.import_signature(sl);
        let sig_store = fb.import_signature(ss);

        let start = fb.create_block();
        fb.append_block_params_for_function_params(start);
        let exit = fb.create_block();
        fb.append_block_param(exit, I64);
        fb.append_block_param(exit, I64);
        let mut blocks = FxHashMap::default();
        for &pc in region.blocks.keys() {
            blocks.insert(pc, fb.create_block());
        }
        fb.switch_to_block(start);
        let cpu = fb.block_params(start)[0];
        let icount = fb.declare_var(I64);
        let smc = fb.declare_var(I64);
        let zero = fb.ins().iconst(I64, 0);
        fb.def_var(icount, zero);
        fb.def_var(smc, zero);
        let mut em = Emitter {
            fb: &mut fb,
            cpu,
            cache: [None; region::NUM_REGS],
            icount,
            smc,
            consts: Default::default(),
            cia: region.entry,
            next: Next::Fall,
            exit,
            excs: Vec::new(),
            mem: mm,
            sig_helper,
            sig_load,
            sig_store,
            had_store: false,
            retired: 0,
        };
        em.fb.ins().jump(blocks[&region.entry], &[]);

        for (&pc, gb) in &region.blocks {
            em.fb.switch_to_block(blocks[&pc]);
            em.consts.clear();
            em.drop_cache();
            em.retired = 0;
            let mut terminated = false;
            for (k, &insn) in gb.insns.iter().enumerate() {
                let cia = pc + 4 * k as u64;
                em.cia = cia;
                em.next = Next::Fall;
                em.had_store = false;
                let h: Handler<Emitter> =
                    sem::handler(insn.op).unwrap_or(if insn.op == crate::isa::Opcode::Invalid {
                        illegal
                    } else {
                        sem::unimplemented
                    });
                if let Err(e) = h(&mut em, insn) {
                    let code = em.static_exc(e);
                    let p = em.iconst(cia);
                    em.exit_with(p, code);
                    terminated = true;
                    break;
                }
                em.retired += 1;
                if em.had_store {
                    // A store into translated code: leave after this
                    // instruction so the dispatcher can flush.
                    let s = em.fb.use_var(em.smc);
                    let out = em.fb.create_block();
                    let cont = em.fb.create_block();
                    em.fb.ins().brif(s, out, &[], cont, &[]);
                    em.fb.switch_to_block(out);
                    let p = em.iconst(cia + 4);
                    em.exit_with(p, 0);
                    em.fb.switch_to_block(cont);
                }
                let last = k + 1 == gb.insns.len();
                match em.next {
                    Next::Fall if !last => {}
                    Next::Fall => {
                        goto(&mut em, &blocks, pc, cia + 4);
                        terminated = true;
                    }
                    Next::Jump(t) => {
                        match em.consts.get(&t).copied() {
                            Some(k) => goto(&mut em, &blocks, pc, k),
                            None => em.exit_with(t, 0),
                        }
                        terminated = true;
                        break;
                    }
                    Next::Cond(c, t) => {
                        let taken = em.fb.create_block();
                        let fall = em.fb.create_block();
                        em.fb.ins().brif(c, taken, &[], fall, &[]);
                        em.fb.switch_to_block(taken);
                        match em.consts.get(&t).copied() {
                            Some(k) => goto(&mut em, &blocks, pc, k),
                            None => em.exit_with(t, 0),
                        }
                        em.fb.switch_to_block(fall);
                        goto(&mut em, &blocks, pc, cia + 4);
                        terminated = true;
                        break;
                    }
                }
            }
            if !terminated {
                let end = pc + 4 * gb.insns.len() as u64;
                goto(&mut em, &blocks, pc, end);
            }
        }

        // The shared exit: write back, set pc, count, return the code.
        em.fb.switch_to_block(exit);
        let pc = em.fb.block_params(exit)[0];
        let code = em.fb.block_params(exit)[1];
        let f = backend::flags();
        em.fb
            .ins()
            .store(f, pc, cpu, offset_of!(CpuState, pc) as i32);
        let ic = em
            .fb
            .ins()
            .load(I64, f, cpu, offset_of!(CpuState, icount) as i32);
        let n = em.fb.use_var(icount);
        let ic = em.fb.ins().iadd(ic, n);
        em.fb
            .ins()
            .store(f, ic, cpu, offset_of!(CpuState, icount) as i32);
        em.fb.ins().return_(&[code]);
        let excs = std::mem::take(&mut em.excs);
        drop(em);
        fb.seal_all_blocks();
        fb.finalize(fcfg);
        Some(excs)
    }

    pub fn code_size(&self) -> usize {
        self.arena.used()
    }
}

fn illegal(_b: &mut Emitter, _i: Insn) -> Result<(), Exc> {
    Err(Exc::Program(crate::cpu::ProgramKind::IllegalInstruction))
}

/// Continue at guest address `target`: a jump inside the region (with a
/// slice check on back-edges) or an exit to the dispatcher.
fn goto(
    em: &mut Emitter,
    blocks: &FxHashMap<u64, cranelift_codegen::ir::Block>,
    from: u64,
    target: u64,
) {
    let retired = em.retired;
    match blocks.get(&target) {
        Some(&b) if target > from => {
            em.flush_icount(retired);
            em.fb.ins().jump(b, &[]);
        }
        Some(&b) => {
            em.flush_icount(retired);
            em.retired = 0;
            let n = em.fb.use_var(em.icount);
            let over = em.fb.ins().icmp_imm_s(
                cranelift_codegen::ir::condcodes::IntCC::SignedGreaterThanOrEqual,
                n,
                SLICE,
            );
            let out = em.fb.create_block();
            em.fb.ins().brif(over, out, &[], b, &[]);
            em.fb.switch_to_block(out);
            let p = em.iconst(target);
            em.exit_with(p, 0);
            em.retired = retired;
        }
        None => {
            let p = em.iconst(target);
            em.exit_with(p, 0);
        }
    }
}
