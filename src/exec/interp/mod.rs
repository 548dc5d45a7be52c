//! Tier 0: the pre-decoding interpreter.
//!
//! Guest code is decoded once into blocks (straight-line runs ending at an
//! instruction marked `end` in `isa/`, a page boundary or 64 instructions),
//! each instruction paired with its monomorphised semantics function
//! (`sem::handler::<Interp>`). Blocks are found through a direct-mapped
//! jump cache in front of a hash map. When guest memory holding decoded
//! code is written (self-modifying code, mmap), system mode drops only the
//! blocks and compiled regions on the written 4K real pages (see
//! `memory::GuestMem::code_writes_since`); user mode, and system mode when
//! the log of written pages has been overrun, drop everything.

use crate::cpu::{CpuState, Exc, ProgramKind};

pub mod debug;
use crate::exec::fxhash::FxHashMap;
use crate::exec::jit::Compile;
use crate::isa::{Insn, Opcode, F_END};
use crate::memory::{CodeWrites, GuestMem};
use crate::sem::{self, Backend, Bin, Handler, Helper, Reg, Un};

/// The interpreter's backend: values are plain `u64`s.
pub struct Interp<'a> {
    pub cpu: &'a mut CpuState,
    /// Next instruction address, set by branches.
    pub next: u64,
}

impl Backend for Interp<'_> {
    type V = u64;
    #[inline(always)]
    fn imm(&mut self, v: u64) -> u64 {
        v
    }
    #[inline(always)]
    fn gpr(&mut self, r: u32) -> u64 {
        self.cpu.gpr[r as usize & 31]
    }
    #[inline(always)]
    fn set_gpr(&mut self, r: u32, v: u64) {
        self.cpu.gpr[r as usize & 31] = v;
    }
    #[inline(always)]
    fn crf(&mut self, f: u32) -> u64 {
        self.cpu.crf[f as usize & 7] as u64
    }
    #[inline(always)]
    fn set_crf(&mut self, f: u32, v: u64) {
        self.cpu.crf[f as usize & 7] = (v & 0xf) as u8;
    }
    #[inline(always)]
    fn reg(&mut self, r: Reg) -> u64 {
        let c = &self.cpu;
        match r {
            Reg::Lr => c.lr,
            Reg::Ctr => c.ctr,
            Reg::Tar => c.tar,
            Reg::So => c.so as u64,
            Reg::Ov => c.ov as u64,
            Reg::Ca => c.ca as u64,
            Reg::Ov32 => c.ov32 as u64,
            Reg::Ca32 => c.ca32 as u64,
            Reg::Npc => c.npc,
        }
    }
    #[inline(always)]
    fn set_reg(&mut self, r: Reg, v: u64) {
        let c = &mut self.cpu;
        match r {
            Reg::Lr => c.lr = v,
            Reg::Ctr => c.ctr = v,
            Reg::Tar => c.tar = v,
            Reg::So => c.so = v as u8 & 1,
            Reg::Ov => c.ov = v as u8 & 1,
            Reg::Ca => c.ca = v as u8 & 1,
            Reg::Ov32 => c.ov32 = v as u8 & 1,
            Reg::Ca32 => c.ca32 = v as u8 & 1,
            Reg::Npc => c.npc = v,
        }
    }
    #[inline(always)]
    fn bin(&mut self, op: Bin, a: u64, b: u64) -> u64 {
        eval_bin(op, a, b)
    }
    #[inline(always)]
    fn un(&mut self, op: Un, a: u64) -> u64 {
        eval_un(op, a)
    }
    #[inline(always)]
    fn select(&mut self, c: u64, a: u64, b: u64) -> u64 {
        if c != 0 {
            a
        } else {
            b
        }
    }
    #[inline(always)]
    fn fpr(&mut self, n: u32) -> u64 {
        self.cpu.fpr(n as usize & 31)
    }
    #[inline(always)]
    fn set_fpr(&mut self, n: u32, v: u64) {
        self.cpu.set_fpr(n as usize & 31, v);
    }
    #[inline(always)]
    fn load(&mut self, size: u8, ea: u64) -> Result<u64, Exc> {
        self.cpu.mem.load(size, ea)
    }
    #[inline(always)]
    fn store(&mut self, size: u8, ea: u64, v: u64) -> Result<(), Exc> {
        self.cpu.mem.store(size, ea, v)
    }
    #[inline(always)]
    fn cia(&self) -> u64 {
        self.cpu.pc
    }
    #[inline(always)]
    fn branch(&mut self, target: u64) {
        self.next = target;
    }
    #[inline(always)]
    fn branch_if(&mut self, c: u64, target: u64) {
        if c != 0 {
            self.next = target;
        }
    }
    #[inline(always)]
    fn raise_if(&mut self, c: u64, e: Exc) -> Result<(), Exc> {
        if c != 0 {
            Err(e)
        } else {
            Ok(())
        }
    }
    #[inline(always)]
    fn helper(&mut self, f: Helper, i: Insn) -> Result<(), Exc> {
        f(self.cpu, i)
    }
}

/// The meaning of each `Bin` on concrete values (shared with tests and the
/// JIT's constant folding).
#[inline(always)]
pub fn eval_bin(op: Bin, a: u64, b: u64) -> u64 {
    match op {
        Bin::Add => a.wrapping_add(b),
        Bin::Sub => a.wrapping_sub(b),
        Bin::And => a & b,
        Bin::Or => a | b,
        Bin::Xor => a ^ b,
        Bin::Shl => {
            if b >= 64 {
                0
            } else {
                a << b
            }
        }
        Bin::Shr => {
            if b >= 64 {
                0
            } else {
                a >> b
            }
        }
        Bin::Sar => ((a as i64) >> b.min(63)) as u64,
        Bin::Rotl => a.rotate_left((b & 63) as u32),
        Bin::Rotl32 => {
            let r = (a as u32).rotate_left((b & 31) as u32) as u64;
            r << 32 | r
        }
        Bin::Mul => a.wrapping_mul(b),
        Bin::MulHs => (((a as i64 as i128) * (b as i64 as i128)) >> 64) as u64,
        Bin::MulHu => (((a as u128) * (b as u128)) >> 64) as u64,
        Bin::Eq => (a == b) as u64,
        Bin::Ne => (a != b) as u64,
        Bin::Ltu => (a < b) as u64,
        Bin::Lts => ((a as i64) < (b as i64)) as u64,
        Bin::Gtu => (a > b) as u64,
        Bin::Gts => ((a as i64) > (b as i64)) as u64,
    }
}

#[inline(always)]
pub fn eval_un(op: Un, a: u64) -> u64 {
    match op {
        Un::Not => !a,
        Un::Neg => a.wrapping_neg(),
        Un::Clz => a.leading_zeros() as u64,
        Un::Ctz => a.trailing_zeros() as u64,
        Un::Popcnt => a.count_ones() as u64,
        Un::Sext8 => a as i8 as i64 as u64,
        Un::Sext16 => a as i16 as i64 as u64,
        Un::Sext32 => a as i32 as i64 as u64,
        Un::Zext8 => a as u8 as u64,
        Un::Zext16 => a as u16 as u64,
        Un::Zext32 => a as u32 as u64,
        Un::Bswap16 => (a as u16).swap_bytes() as u64,
        Un::Bswap32 => (a as u32).swap_bytes() as u64,
        Un::Bswap64 => a.swap_bytes(),
    }
}

type IHandler = Handler<Interp<'static>>;

/// Facilities an instruction needs enabled in the MSR (Book III §4.2.1,
/// FP, VEC, VSX): when one is off, the instruction takes the matching
/// "unavailable" interrupt instead of executing (system mode only; Linux
/// enables them lazily this way).
pub const FAC_FP: u8 = 1;
pub const FAC_VEC: u8 = 2;
pub const FAC_VSX: u8 = 4;

pub fn facility(op: Opcode) -> u8 {
    // The data-stream hints are no-ops that the kernel issues with
    // MSR[VEC]=0 (switch_mm's dssall); they never trap.
    if matches!(
        op,
        Opcode::Dss | Opcode::Dssall | Opcode::Dst | Opcode::Dstt | Opcode::Dstst | Opcode::Dststt
    ) {
        return 0;
    }
    match op.info().chapter {
        "fp" => FAC_FP,
        "vmx" => FAC_VEC,
        "vsx" | "vsx_fp" => FAC_VSX,
        _ => 0,
    }
}

pub(crate) fn enabled_facilities(msr: u64) -> u8 {
    use crate::cpu::msr::{FP, VEC, VSX};
    ((msr & FP != 0) as u8 * FAC_FP)
        | ((msr & VEC != 0) as u8 * FAC_VEC)
        | ((msr & VSX != 0) as u8 * FAC_VSX)
}

fn illegal(_b: &mut Interp<'static>, _i: Insn) -> Result<(), Exc> {
    Err(Exc::Program(ProgramKind::IllegalInstruction))
}

/// Per-opcode handler table for the interpreter, built once.
fn handlers() -> &'static [IHandler] {
    static T: std::sync::OnceLock<Vec<IHandler>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        Opcode::ALL
            .iter()
            .map(|&op| {
                if op == Opcode::Invalid {
                    illegal as IHandler
                } else {
                    sem::handler::<Interp<'static>>(op).unwrap_or(sem::unimplemented)
                }
            })
            .collect()
    })
}

/// Whether the interpreter has semantics for `op`.
pub fn implemented(op: Opcode) -> bool {
    op != Opcode::Invalid && sem::handler::<Interp<'static>>(op).is_some()
}

struct Block {
    /// The block's instructions: `ops[start..end]` of the interpreter's
    /// pool. One pool instead of a Vec per block: a flush frees nothing
    /// piecemeal, so thousands of blocks decoded and dropped per hotplug
    /// cycle cannot fragment the host heap (RSS stays flat).
    start: u32,
    end: u32,
    /// Facilities (FAC_*) some instruction of the block needs.
    needs: u8,
    /// Executions so far, for the JIT's hotness threshold.
    count: u32,
    /// Its key in `index` (code key, translation mode).
    key: u64,
    mode: u8,
    /// Dropped because its page was written: unreachable, its ops wait in
    /// the pool for the next whole flush.
    dead: bool,
}

/// Why `run` returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The instruction at `cpu.pc` raised this exception; nothing of it
    /// was committed except what the architecture allows.
    Exception(Exc),
    /// The instruction budget ran out.
    Budget,
    /// The debugger's breakpoint or single step (`debug`): `cpu.pc` is
    /// the next instruction to run.
    Debug,
}

/// The facility-unavailable interrupt for running `op` under `msr`, if
/// its facility is disabled (Book III §7.5.12-7.5.16).
fn unavailable(op: Opcode, msr: u64) -> Option<Exc> {
    let missing = facility(op) & !enabled_facilities(msr);
    if missing == 0 {
        None
    } else if missing & FAC_FP != 0 {
        Some(Exc::FpUnavailable)
    } else if missing & FAC_VEC != 0 {
        Some(Exc::VecUnavailable)
    } else {
        Some(Exc::VsxUnavailable)
    }
}

const JC_SIZE: usize = 32768;
const JC_EMPTY: (u64, u8, u32, u32) = (u64::MAX, 0, 0, 0);

/// Pool entries of dropped blocks beyond which (and beyond the live ones)
/// the next invalidation flushes everything, so the pool stays bounded.
const DEAD_OPS_MAX: usize = 1 << 20;
/// Pool entries (16 bytes each) beyond which decoding a new block flushes
/// everything first: with page-granular invalidation nothing else bounds
/// the pool in a long session (the JIT's arena has its own bound).
const OPS_MAX: usize = 1 << 22;

/// Block count while its region waits in the background queue: after
/// `u32::MAX - 1 - QUEUED` more executions the job is hurried.
const QUEUED: u32 = u32::MAX - 1 - HURRY_AFTER;
const HURRY_AFTER: u32 = 4000;

/// The interpreter with its decoded-block cache; also the dispatcher that
/// enters JIT-compiled regions when a JIT is attached.
pub struct Interpreter {
    /// A debugger's breakpoints and single step (gdb, system mode): while
    /// set, `run` goes one instruction at a time through `debug::run`.
    pub debug: Option<debug::Debug>,
    blocks: Vec<Block>,
    jit: Option<Box<crate::exec::jit::Jit>>,
    threshold: u32,
    /// Instructions retired by the interpreter (the rest ran compiled).
    pub interp_insns: u64,
    /// Blocks by (address, translation mode key).
    index: FxHashMap<(u64, u8), u32>,
    /// Every decoded block's instructions, back to back (see `Block`).
    ops: Vec<(IHandler, Insn)>,
    jcache: Box<[(u64, u8, u32, u32)]>,
    /// The JIT's flush count as of the last flush the dispatcher knows of.
    jit_flushes: u64,
    code_gen: u64,
    /// System mode: ids of the blocks decoded from each 4K real page.
    page_blocks: FxHashMap<u64, Vec<u32>>,
    /// Pool entries (`ops`) that belong to dead blocks.
    dead_ops: usize,
    /// Scratch list of written pages (kept to reuse its allocation).
    dirty: Vec<u64>,
    pub blocks_decoded: u64,
    pub flushes: u64,
    /// 4K pages whose code was dropped without a whole flush.
    pub page_invalidations: u64,
}

impl Default for Interpreter {
    fn default() -> Self {
        Self::new()
    }
}

impl Interpreter {
    pub fn new() -> Interpreter {
        let tier = crate::exec::tier();
        let jit = if tier == crate::exec::Tier::Interp {
            None
        } else {
            match crate::exec::jit::Jit::new() {
                Ok(mut j) => {
                    let f = crate::exec::log_flags();
                    j.log_in_asm = f & crate::exec::LOG_IN_ASM != 0;
                    j.log_op = f & crate::exec::LOG_OP != 0;
                    j.log_out_asm = f & crate::exec::LOG_OUT_ASM != 0;
                    Some(Box::new(j))
                }
                Err(e) => {
                    log::warn!("JIT unavailable ({e}); interpreting only");
                    None
                }
            }
        };
        Interpreter {
            blocks: Vec::new(),
            jit,
            threshold: crate::exec::threshold().min(QUEUED - 1),
            interp_insns: 0,
            index: FxHashMap::default(),
            ops: Vec::new(),
            jcache: vec![JC_EMPTY; JC_SIZE].into_boxed_slice(),
            jit_flushes: 0,
            debug: None,
            code_gen: 0,
            page_blocks: FxHashMap::default(),
            dead_ops: 0,
            dirty: Vec::new(),
            blocks_decoded: 0,
            flushes: 0,
            page_invalidations: 0,
        }
    }

    pub fn flush(&mut self) {
        if let Some(j) = self.jit.as_mut() {
            j.flush();
            self.jit_flushes = j.stats.flushes;
        }
        self.blocks.clear();
        self.ops.clear();
        self.index.clear();
        self.page_blocks.clear();
        self.dead_ops = 0;
        self.jcache.fill(JC_EMPTY);
        self.flushes += 1;
    }

    /// Guest code changed since `self.code_gen`: drop what it concerns.
    fn code_changed(&mut self, mem: &GuestMem) {
        let mut pages = std::mem::take(&mut self.dirty);
        match mem.code_writes_since(self.code_gen, &mut pages) {
            CodeWrites::All => self.flush(),
            CodeWrites::Pages => self.invalidate_pages(&pages),
        }
        self.dirty = pages;
        self.code_gen = mem.code_generation();
    }

    /// Drop the blocks decoded from the 4K real pages `pages` (sorted) and
    /// the compiled regions there. Blocks and regions never span two 4K
    /// pages in system mode, so nothing else can hold the old code.
    fn invalidate_pages(&mut self, pages: &[u64]) {
        for p in pages {
            let Some(ids) = self.page_blocks.remove(p) else {
                continue;
            };
            for id in ids {
                let b = &mut self.blocks[id as usize];
                if b.dead {
                    continue;
                }
                b.dead = true;
                self.dead_ops += (b.end - b.start) as usize;
                if self.index.get(&(b.key, b.mode)) == Some(&id) {
                    self.index.remove(&(b.key, b.mode));
                }
            }
        }
        // (The EA-indexed jump cache checks `dead` on every hit.)
        // The JIT's region cache follows `Jit::generation`, which changes
        // when this drops a region.
        if let Some(j) = self.jit.as_mut() {
            j.invalidate_pages(pages);
        }
        self.page_invalidations += pages.len() as u64;
        if self.dead_ops > DEAD_OPS_MAX && self.dead_ops > self.ops.len() / 2 {
            self.flush();
        }
    }

    fn decode_block(&mut self, cpu: &CpuState, pc: u64, key: u64) -> Result<u32, Exc> {
        if self.ops.len() >= OPS_MAX {
            // No block id is held here (`lookup` is about to return a new
            // one), so the whole cache may go.
            self.flush();
        }
        let h = handlers();
        let start = self.ops.len();
        let ops = &mut self.ops;
        let mut a = pc;
        loop {
            let w = match cpu.mem.fetch(a) {
                Ok(w) => w,
                Err(e) if ops.len() == start => return Err(e),
                Err(_) => break,
            };
            cpu.mem.mark_code(a);
            let insn = Insn::new(w);
            ops.push((h[insn.op as usize], insn));
            a += 4;
            if insn.op.has(F_END)
                || insn.op == Opcode::Invalid
                || ops.len() - start >= 64
                || a % cpu.mem.code_page_size() == 0
            {
                break;
            }
        }
        self.blocks_decoded += 1;
        let id = self.blocks.len() as u32;
        let needs = ops[start..].iter().fold(0, |a, (_, i)| a | facility(i.op));
        let end = ops.len();
        let mode = cpu.mem.mode_key(cpu.msr);
        self.blocks.push(Block {
            start: start as u32,
            end: end as u32,
            needs,
            count: 0,
            key,
            mode,
            dead: false,
        });
        self.index.insert((key, mode), id);
        if !cpu.mem.mmu.is_null() {
            self.page_blocks.entry(key >> 12).or_default().push(id);
        }
        Ok(id)
    }

    /// Find (or decode) the block at `pc`. Blocks are keyed by the code
    /// key (real address in system mode) and the translation mode; the jump
    /// cache in front is keyed by EA and revalidated against the MMU's
    /// translation generation.
    #[inline]
    fn lookup(&mut self, cpu: &CpuState, pc: u64) -> Result<u32, Exc> {
        let slot = ((pc >> 2) as usize) & (JC_SIZE - 1);
        let mode = cpu.mem.mode_key(cpu.msr);
        let gen = cpu.mem.xlate_generation() as u32;
        let (tag, tmode, tgen, id) = self.jcache[slot];
        if tag == pc && tmode == mode && tgen == gen && !self.blocks[id as usize].dead {
            return Ok(id);
        }
        let key = cpu.mem.code_key(pc)?;
        let id = match self.index.get(&(key, mode)) {
            Some(&id) => id,
            None => self.decode_block(cpu, pc, key)?,
        };
        self.jcache[slot] = (pc, mode, gen, id);
        Ok(id)
    }

    /// Run from `cpu.pc` for about `budget` instructions.
    pub fn run(&mut self, cpu: &mut CpuState, budget: u64) -> Exit {
        if self.debug.is_some() {
            return self.run_debug(cpu, budget);
        }
        cpu.stop_at = cpu.icount.saturating_add(budget);
        let cpu_p: *mut CpuState = cpu;
        let exec_log = crate::exec::log_flags() & crate::exec::LOG_EXEC != 0;
        if let Some(j) = self.jit.as_mut() {
            // An exit left unlinked in an earlier slice: the vCPU may have
            // taken an interrupt since, so `cpu.pc` is not its target.
            j.unlink_pending();
            j.take_slow();
        }
        loop {
            // SAFETY: the handlers are monomorphised for Interp<'static>
            // because fn pointers cannot be generic over lifetimes; this
            // reborrow of `cpu` lives only for one block and never escapes.
            let mut b = Interp {
                cpu: unsafe { &mut *cpu_p },
                next: 0,
            };
            let g = b.cpu.mem.code_generation();
            if g != self.code_gen {
                self.code_changed(&b.cpu.mem);
            }
            let pc = b.cpu.pc;
            // The block first: its count says whether a region can exist
            // here, so the cold code that runs before any region is
            // compiled does not also pay for a region-cache miss.
            let id = match self.lookup(b.cpu, pc) {
                Ok(id) => id,
                Err(e) => return Exit::Exception(e),
            };
            if let Some(jit) = self.jit.as_mut() {
                // The safe point for installing background compiles: no
                // compiled code is running and no region id is held, and
                // a flush for modified code (just above) has already voided
                // the jobs it concerns.
                if jit.has_results() {
                    jit.poll();
                }
                if jit.stats.flushes != self.jit_flushes {
                    // The JIT flushed on its own (arena full, new address
                    // space), voiding its queued jobs: let their blocks
                    // ask again.
                    self.jit_flushes = jit.stats.flushes;
                    for blk in &mut self.blocks {
                        if (QUEUED..u32::MAX).contains(&blk.count) {
                            blk.count = 0;
                        }
                    }
                }
                // A region is entered only where a block asked for one
                // (its count passed the threshold; see below). After a SLOW
                // exit the region left at an access it could not do
                // inline: interpret from here.
                let requested = self.blocks[id as usize].count > self.threshold;
                let found = if jit.take_slow() || !requested {
                    None
                } else {
                    jit.find(b.cpu).filter(|&r| jit.usable(r, b.cpu))
                };
                if let Some(rid) = found {
                    if exec_log {
                        log::info!(target: "exec", "Trace region {pc:#018x}");
                    }
                    jit.link(rid, b.cpu);
                    if let Err(e) = jit.exec(rid, b.cpu) {
                        return Exit::Exception(e);
                    }
                    if b.cpu.icount >= b.cpu.stop_at {
                        return Exit::Budget;
                    }
                    continue;
                }
                jit.unlink_pending();
            }
            let block = &mut self.blocks[id as usize];
            if let Some(jit) = self.jit.as_mut() {
                // Counts up to the threshold, then: u32::MAX once compiled
                // (or given up), or QUEUED counting up to u32::MAX - 1 while
                // queued for a background compile, the point where the
                // job is moved to the front of the queue.
                let c = block.count.saturating_add(1);
                block.count = c;
                if c > self.threshold && c < QUEUED {
                    block.count = u32::MAX;
                    if jit.find(b.cpu).is_some() {
                        // Compiled before this block was (re)decoded.
                        continue;
                    }
                    match jit.compile(b.cpu, pc) {
                        Compile::Ready => continue,
                        Compile::Queued => block.count = QUEUED,
                        Compile::Deferred => block.count = 0,
                        Compile::Failed => {}
                    }
                } else if c == u32::MAX - 1 {
                    jit.hurry(b.cpu);
                }
            }
            if exec_log {
                log::info!(target: "exec", "Trace block {pc:#018x}");
            }
            let before = b.cpu.icount;
            let block = &self.blocks[id as usize];
            let check =
                block.needs & !enabled_facilities(b.cpu.msr) != 0 && !b.cpu.mem.mmu.is_null();
            for &(h, insn) in &self.ops[block.start as usize..block.end as usize] {
                let cia = b.cpu.pc;
                if check {
                    if let Some(e) = unavailable(insn.op, b.cpu.msr) {
                        self.interp_insns += b.cpu.icount - before;
                        return Exit::Exception(e);
                    }
                }
                b.next = cia.wrapping_add(4);
                if let Err(e) = h(&mut b, insn) {
                    self.interp_insns += b.cpu.icount - before;
                    return Exit::Exception(e);
                }
                b.cpu.pc = b.next;
                b.cpu.icount += 1;
                if b.next != cia.wrapping_add(4) || b.cpu.mem.code_generation() != g {
                    break;
                }
            }
            self.interp_insns += b.cpu.icount - before;
            if b.cpu.icount >= b.cpu.stop_at {
                return Exit::Budget;
            }
        }
    }

    /// One paragraph of execution statistics (for `--stats`).
    pub fn stats_report(&self, total_insns: u64) -> String {
        let mut s = format!(
            "interpreter: {} blocks decoded, {} flushes, {} code pages invalidated, \
             {} instructions interpreted",
            self.blocks_decoded, self.flushes, self.page_invalidations, self.interp_insns
        );
        if let Some((run, wait)) = crate::exec::jit::stats::thread_sched() {
            s.push_str(&format!(
                "; execution thread: CPU time {:.2} s, waited {:.2} s for a CPU",
                run.as_secs_f64(),
                wait.as_secs_f64()
            ));
        }
        if let Some(j) = &self.jit {
            let compiled = total_insns.saturating_sub(self.interp_insns);
            let share = if total_insns > 0 {
                100.0 * compiled as f64 / total_insns as f64
            } else {
                0.0
            };
            s.push('\n');
            s.push_str(&j.stats.report(
                self.threshold,
                j.code_size(),
                share,
                j.background_enabled(),
                j.outstanding(),
            ));
        }
        s
    }
}
