//! Code generation for one region, independent of any vCPU: a `Compiler`
//! owns the Cranelift contexts and target ISAs and turns an owned
//! `Request` (the region's decoded instructions, its memory model and the
//! compile level) into an `Output` (position-independent machine code and
//! the region's static exception table). It touches no guest state, so the
//! same code runs on the execution thread (synchronous compiles) and on the
//! background workers (`worker`).
//!
//! The function built has the signature `fn(cpu, table) -> u64` in the
//! `tail` convention (`chain`): guest blocks become Cranelift blocks, so
//! branches inside the region (loops included) stay in compiled code;
//! every other exit stores the written registers, sets `cpu.pc` and
//! returns an exit code (0 normal, 1 exception in `cpu.pending`, 2+k the
//! region's k-th static exception, `CHAIN`+k its k-th chainable exit: a
//! constant guest target that `Jit::exec` may follow straight into the
//! region compiled there, `chain::ICACHE`+j a computed branch from site j),
//! or in user mode tail-calls the region linked in its table (`chain`).

use super::backend::{self, Emitter, MemModel, Next};
use super::region;
use crate::cpu::{CpuState, Exc};
use crate::exec::fxhash::FxHashMap;
use crate::isa::Insn;
use crate::sem::{self, Handler};
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{types, Function, InstBuilder, UserFuncName};
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

/// Everything needed to compile one region, owned. It holds no pointer
/// into the vCPU: the host addresses inside `mm` (RAM base, page tables,
/// the vCPU's TLB) are plain integers that the code generator only embeds
/// as constants and never dereferences, so a `Request` is `Send` without
/// any `unsafe impl`. Whether those addresses are still right when the
/// code is installed is the requesting `Jit`'s business (its epoch).
pub struct Request {
    pub region: region::Region,
    pub mm: MemModel,
    /// Cheap or optimising settings, and for the latter whether guest
    /// registers live in variables.
    pub level: super::Level,
    /// Produce the `-d op` / `-d out_asm` texts.
    pub log_op: bool,
    pub log_out_asm: bool,
}

/// A compiled region, not yet installed anywhere.
pub struct Output {
    /// Position-independent host code (helpers are called through pointer
    /// constants), to be copied into an arena.
    pub bytes: Vec<u8>,
    /// Static exceptions: exit code 2 + k raises `excs[k]`.
    pub excs: Vec<Exc>,
    /// Targets of the chainable exits: exit code `CHAIN + k` left for
    /// `exits[k]`.
    pub exits: Vec<u64>,
    /// Computed-branch sites with an inline cache (`chain::ICACHE` + j).
    pub sites: usize,
    pub op_text: Option<String>,
    pub asm_text: Option<String>,
    /// Time spent translating and compiling.
    pub time: Duration,
}

/// Cranelift settings chosen by measurement (see ARCHITECTURE.md, "JIT
/// settings"): a region is first compiled cheaply (opt_level none) and
/// recompiled with opt_level speed once it is hot; both use the
/// backtracking register allocator, except the cheap level in user mode.
/// (Single-pass allocation compiled in ~0.6 of the time but spilled nearly
/// every value, even the CpuState pointer, between guest instructions:
/// twice the host code, and the Debian boot's execution thread took 1.75 s
/// against 1.49 s. In user mode, where cheap code runs only until the
/// region has retired 20 K instructions, it pays: bzip2's compile time fell
/// from 0.33 s to 0.25 s and its interpreted instructions from 13.6 M to
/// 6.4 M, as compiled code arrives sooner; bzip2, gzip and md5sum ran
/// 0.5-3% faster.) `POWERLIFT_REGALLOC` and
/// `POWERLIFT_OPT` force one setting for both, for experiments.
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
    // Cranelift's tail calls (`chain`) need frame pointers.
    b.set("preserve_frame_pointers", "true").unwrap();
    b.set("is_pic", "false").unwrap();
    let flags = settings::Flags::new(b);
    cranelift_native::builder()
        .expect("host ISA supported by Cranelift")
        .finish(flags)
        .expect("Cranelift ISA")
}

/// Cranelift state for compiling regions one at a time.
pub struct Compiler {
    isa: OwnedTargetIsa,
    /// The cheap level for user mode, with single-pass allocation.
    isa_quick: OwnedTargetIsa,
    isa_opt: OwnedTargetIsa,
    ctx: Context,
    fctx: FunctionBuilderContext,
}

impl Default for Compiler {
    fn default() -> Self {
        Self::new()
    }
}

impl Compiler {
    pub fn new() -> Compiler {
        Compiler {
            isa: make_isa("none", "backtracking"),
            isa_quick: make_isa("none", "single_pass"),
            isa_opt: make_isa("speed", "backtracking"),
            ctx: Context::new(),
            fctx: FunctionBuilderContext::new(),
        }
    }

    /// Compile `req`; `None` if Cranelift refused the function (logged).
    pub fn compile(&mut self, req: &Request) -> Option<Output> {
        let t0 = Instant::now();
        let entry = req.region.entry;
        let (excs, exits, sites) = self.translate(&req.region, req.mm, req.level);
        let level = match req.level {
            super::Level::Cheap => "cheap",
            super::Level::Optimized { vars: true } => "optimised, registers in variables",
            super::Level::Optimized { vars: false } => "optimised, write-through",
        };
        let op_text = req
            .log_op
            .then(|| format!("region {entry:#x} ({level}):\n{}", self.ctx.func.display()));
        let t1 = Instant::now();
        self.ctx.set_disasm(req.log_out_asm);
        let isa = match req.level {
            super::Level::Optimized { .. } => &*self.isa_opt,
            _ if matches!(req.mm, MemModel::Flat { .. }) => &*self.isa_quick,
            _ => &*self.isa,
        };
        let code = match self.ctx.compile(isa, &mut ControlPlane::default()) {
            Ok(c) => c,
            Err(e) => {
                log::warn!("JIT: region {entry:#x} failed to compile: {:?}", e.inner);
                self.ctx.clear();
                return None;
            }
        };
        let asm_text = if req.log_out_asm {
            code.vcode
                .as_ref()
                .map(|v| format!("region {entry:#x} ({level}):\n{v}"))
        } else {
            None
        };
        let bytes = code.code_buffer().to_vec();
        log::debug!(
            "JIT: region {entry:#x}: {} insns, translate {:?}, compile {:?}, {} bytes",
            req.region.ninsns,
            t1 - t0,
            t1.elapsed(),
            bytes.len()
        );
        self.ctx.clear();
        Some(Output {
            bytes,
            excs,
            exits,
            sites,
            op_text,
            asm_text,
            time: t0.elapsed(),
        })
    }

    /// The System V trampoline that enters regions (`chain::trampoline`).
    pub fn trampoline(&self) -> Vec<u8> {
        super::chain::trampoline(&*self.isa)
    }

    /// Build the region's Cranelift function in `self.ctx.func`; returns
    /// its static exception table, its chainable exits and its number of
    /// computed-branch sites.
    fn translate(
        &mut self,
        region: &region::Region,
        mm: MemModel,
        level: super::Level,
    ) -> (Vec<Exc>, Vec<u64>, usize) {
        let cc = self.isa.default_call_conv();
        let sig = super::chain::region_signature();
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
        let table = fb.block_params(start)[1];
        let icount = fb.declare_var(I64);
        let smc = fb.declare_var(I64);
        let zero = fb.ins().iconst(I64, 0);
        fb.def_var(icount, zero);
        fb.def_var(smc, zero);
        // Guest registers live in variables across the region only where
        // that pays: user-mode regions with a loop (md5sum of 64 MiB: 0.56 s
        // against 0.61 s writing through). Elsewhere loading every register
        // at entry and storing the written ones at each exit and around
        // each helper costs more than writing through: on the Debian boot
        // (regions entered ~15 M times for ~66 instructions each, helpers
        // for SPRs and TLB work) variables in loop regions gave 2.08 s and
        // 0.77 s of compile, writing through 1.87 s and 0.56 s.
        // The optimising recompile of a user-mode region decides by how
        // long its entries ran (`Jit::exec`): gzip's hottest regions retire
        // 5-86 instructions per entry and write through faster (3.22 s
        // against 3.43 s for all of gzip), md5's and sha256's loops run
        // 785-3400 per entry and want variables.
        // POWERLIFT_REGVARS=always|never overrides, for measurement.
        let flat = matches!(mm, MemModel::Flat { .. });
        let through = match std::env::var("POWERLIFT_REGVARS").as_deref() {
            Ok("always") => false,
            Ok("never") => true,
            _ => match level {
                super::Level::Optimized { vars } if flat => !vars,
                _ => !flat || !has_loop(region),
            },
        };
        let scan = super::regscan::RegScan::of(region);
        let guarded = matches!(mm, MemModel::Flat { guarded: true, .. });
        let (live_out, written_in) = if through {
            (
                super::regscan::RegScan::live_out(region, guarded),
                FxHashMap::default(),
            )
        } else {
            (
                FxHashMap::default(),
                super::regscan::RegScan::written_in(region, guarded),
            )
        };
        let mut vars = [None; region::NUM_REGS];
        for (i, v) in vars.iter_mut().enumerate() {
            if !through && scan.used & (1 << i) != 0 {
                *v = Some(fb.declare_var(I64));
            }
        }
        let mut em = Emitter {
            fb: &mut fb,
            cpu,
            vars,
            written: if through { 0 } else { scan.written },
            through,
            cache: [None; region::NUM_REGS],
            pending: 0,
            carry: FxHashMap::default(),
            icount,
            smc,
            consts: Default::default(),
            cia: region.entry,
            next: Next::Fall,
            exit,
            table,
            patches: Vec::new(),
            excs: Vec::new(),
            exits: Vec::new(),
            mem: mm,
            sig_helper,
            sig_load,
            sig_store,
            had_store: false,
            retired: 0,
            wrote: false,
            clamped: FxHashMap::default(),
            rotl32_low: FxHashMap::default(),
            crf_cmp: FxHashMap::default(),
            bools: FxHashMap::default(),
            sites: 0,
            fprs: [None; 32],
            fpscr: None,
        };
        em.load_entry(scan.written);
        em.fb.ins().jump(blocks[&region.entry], &[]);

        let preds = region::predecessors(region);
        for (&pc, gb) in &region.blocks {
            let flow = Flow {
                from: pc,
                targets: region::targets(gb, true),
                preds: &preds,
            };
            em.fb.switch_to_block(blocks[&pc]);
            em.consts.clear();
            em.fprs = [None; 32];
            em.fpscr = None;
            (em.cache, em.clamped) = match em.carry.remove(&pc) {
                Some(c) => (c.cache, c.clamped),
                None => ([None; region::NUM_REGS], FxHashMap::default()),
            };
            // (Every way out of the block before stored its writes.)
            em.pending = 0;
            if !em.through {
                // (Exits in the block store what may have been written.)
                em.written = written_in.get(&pc).copied().unwrap_or(!0) & scan.written;
            }
            em.retired = 0;
            let mut terminated = false;
            for (k, &insn) in gb.insns.iter().enumerate() {
                let cia = pc + 4 * k as u64;
                em.cia = cia;
                em.next = Next::Fall;
                em.had_store = false;
                em.wrote = false;
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
                let last = k + 1 == gb.insns.len();
                if last || !matches!(em.next, Next::Fall) {
                    // The block ends here: its register writes that a
                    // block it continues into in the region may need go
                    // to `CpuState` now; the rest only on the ways out of
                    // the region from its end (`exit_with` stores every
                    // pending register).
                    em.flush_live(live_out.get(&pc).copied().unwrap_or(!0));
                }
                if insn.op == crate::isa::Opcode::Isync
                    && matches!(em.mem, MemModel::Flat { guarded: true, .. })
                {
                    // Stores into code are seen only at region exits when
                    // guarded (jit::guard): end the region at the context
                    // synchronization that makes them visible (Power ISA
                    // Book II §1.8).
                    em.exit_chain(cia + 4);
                    terminated = true;
                    break;
                }
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
                match em.next {
                    Next::Fall if !last => {}
                    Next::Fall => {
                        goto(&mut em, &blocks, &flow, cia + 4);
                        terminated = true;
                    }
                    Next::Jump(t) => {
                        match em.consts.get(&t).copied() {
                            Some(k) => goto(&mut em, &blocks, &flow, k),
                            None => em.exit_computed(t),
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
                            Some(k) => goto(&mut em, &blocks, &flow, k),
                            None => em.exit_computed(t),
                        }
                        em.fb.switch_to_block(fall);
                        goto(&mut em, &blocks, &flow, cia + 4);
                        terminated = true;
                        break;
                    }
                }
            }
            if !terminated {
                let end = pc + 4 * gb.insns.len() as u64;
                goto(&mut em, &blocks, &flow, end);
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
        let excs = std::mem::take(&mut em.excs);
        let exits = std::mem::take(&mut em.exits);
        super::chain::patch_sites(em.fb, &em.patches, exits.len());
        let sites = em.sites;
        super::chain::emit_return(em.fb, cpu, table, code);
        drop(em);
        fb.seal_all_blocks();
        fb.finalize(fcfg);
        (excs, exits, sites)
    }
}

/// Whether some block of the region branches back to a block of the
/// region at or before it (a loop inside the region).
fn has_loop(region: &region::Region) -> bool {
    region.blocks.values().any(|b| {
        region::successors(b)
            .iter()
            .any(|&t| t <= b.start && region.blocks.contains_key(&t))
    })
}

fn illegal(_b: &mut Emitter, _i: Insn) -> Result<(), Exc> {
    Err(Exc::Program(crate::cpu::ProgramKind::IllegalInstruction))
}

/// Continue at guest address `target`: a jump inside the region (with a
/// slice check on back-edges) or an exit to the dispatcher.
/// The control flow of the guest block being emitted: its start, the
/// in-region continuations `region::predecessors` counted for it, and
/// those counts.
struct Flow<'a> {
    from: u64,
    targets: Vec<u64>,
    preds: &'a std::collections::HashMap<u64, u32>,
}

fn goto(
    em: &mut Emitter,
    blocks: &FxHashMap<u64, cranelift_codegen::ir::Block>,
    flow: &Flow,
    target: u64,
) {
    let retired = em.retired;
    let from = flow.from;
    // A jump the predecessor counts do not know about (a computed branch
    // whose target the emitter knows) leaves the region instead, so that
    // the counts stay right for `Emitter::carry`.
    let block = blocks
        .get(&target)
        .filter(|_| flow.targets.contains(&target));
    match block {
        Some(&b) if target > from => {
            em.flush_icount(retired);
            if flow.preds.get(&target) == Some(&1) {
                let carried = super::backend::Carried {
                    cache: em.cache,
                    clamped: em.clamped.clone(),
                };
                em.carry.insert(target, carried);
            }
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
            em.exit_chain(target);
            em.retired = retired;
        }
        None => em.exit_chain(target),
    }
}
