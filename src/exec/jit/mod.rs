//! Tier 1: hot guest regions compiled to host code with Cranelift.
//!
//! The execution thread forms a region (see `region`: it reads guest code
//! and decides the instruction list), then either compiles it at once
//! (`compiler`) or hands an owned description of it to the background
//! workers (`worker`) and keeps interpreting. Finished code is copied into
//! our own arena (`arena`) by the execution thread, at a safe point of the
//! dispatcher loop (`Jit::poll`), and only if nothing invalidated it while
//! it was compiling: every flush of the code cache (address space changed,
//! arena full, guest code modified in user mode) bumps the `Jit`'s epoch,
//! and results requested in an older epoch are discarded; in system mode a
//! store to a 4K page of code drops only the regions and pending jobs whose
//! code lies on that page (`Jit::invalidate_pages`). Compiles are
//! synchronous when run-to-run reproducibility matters: see
//! `Jit::background_for`.

pub mod access;
pub mod arena;
pub mod backend;
pub mod chain;
pub mod compiler;
mod dispatch;
mod fp;
pub mod guard;
mod logs;
pub mod memmodel;
pub mod region;
pub mod regscan;
pub mod rt;
pub mod stats;
pub mod worker;

use crate::cpu::{CpuState, Exc};
use crate::exec::fxhash::FxHashMap;
use compiler::{Compiler, Output, Request};
pub use stats::JitStats;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Instant;

/// Instructions a cheaply compiled region must retire before it is
/// recompiled with the optimising settings: in system mode, and in user
/// mode, where only optimised regions link to each other in compiled code
/// (`chain`), so a lower bar pays. (gzip of 16 MiB with in-code links:
/// 1.90 s at 20 M, 1.70 s at 2 M, 1.74 s at 0.5 M; bzip2 1.42, 1.36,
/// 1.43 s. Later, with cheaper compiled code: md5sum of 64 MiB went
/// through the dispatcher's loop 1.6 M times at 2 M, between cheap and
/// optimised regions, 0.26 M times at 20 K; 0.209 s against 0.196 s
/// (medians of 7, interleaved), the others unchanged within noise.)
const HOT_RETIRED: u64 = 20_000_000;
const HOT_RETIRED_USER: u64 = 20_000;

/// The hot bar for the vCPU's mode. `POWERLIFT_HOT=N` sets it for both
/// (0: recompile every region the second time the dispatcher enters it;
/// the tests use that to run optimised, linked code everywhere).
#[inline]
fn hot_retired(cpu: &CpuState) -> u64 {
    static FORCED: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    let forced = *FORCED.get_or_init(|| std::env::var("POWERLIFT_HOT").ok()?.parse().ok());
    match forced {
        Some(n) => n,
        None if cpu.mem.mmu.is_null() => HOT_RETIRED_USER,
        None => HOT_RETIRED,
    }
}

/// Instructions per entry from which the optimised recompile keeps guest
/// registers in variables (see `Jit::exec`).
const LONG_ENTRY: u64 = 200;

/// Which compile a request asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    /// The first, cheap compile (registers in variables for user-mode
    /// regions with a loop).
    Cheap,
    /// The optimising recompile of a hot region, with registers in
    /// variables or not as its entries have run long or short.
    Optimized { vars: bool },
}

/// Jobs waiting in the queue beyond which the execution thread compiles
/// a new request itself (`POWERLIFT_COMPILE_BACKLOG` overrides).
static BACKLOG: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    std::env::var("POWERLIFT_COMPILE_BACKLOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
});

/// Whether user mode (`powerlift run`) compiles in the background too.
/// See ARCHITECTURE.md, "Background compilation".
const USER_BACKGROUND: bool = true;

struct Compiled {
    code: *const u8,
    entry: u64,
    /// Code key (real address in system mode) of the entry.
    key: u64,
    /// Compiled with the optimising settings, or already queued for that.
    optimized: bool,
    /// Instructions retired inside this region so far.
    retired: u64,
    /// Times it was entered (from the dispatcher or chained).
    entries: u64,
    /// Facilities (interp::FAC_*) the region's instructions need.
    needs: u8,
    excs: Vec<Exc>,
    /// One per chainable exit (`backend::CHAIN` + k).
    slots: Vec<Slot>,
    /// Still the region for its entry: false once its page was written or
    /// another copy replaced it, which unlinks every slot into it.
    alive: bool,
    /// Compiled at the optimising level (final code: compiled code may
    /// link to it and from it, see `chain`).
    opt_code: bool,
    /// The region's link table (`chain::table`), passed to its code.
    table: Box<[u64]>,
}

/// A region exit chained to the region compiled for its target: taken
/// while the translation it was linked under still holds (same mode key
/// and MMU translation generation, as the dispatcher's region cache
/// checks) and the target is alive.
#[derive(Clone, Copy)]
struct Slot {
    /// Target region id, or `UNLINKED`.
    target: u32,
    mode: u8,
    xgen: u32,
}

const UNLINKED: u32 = u32::MAX;

/// What `install` needs to know about a region besides its code; kept on
/// the execution thread while a background job runs.
struct Meta {
    entry: u64,
    mode: u8,
    /// Code key of the entry when the region was formed.
    ckey: u64,
    optimized: bool,
    needs: u8,
    ninsns: usize,
    /// The `-d in_asm` text, when logging.
    in_asm: Option<String>,
    /// Start addresses of the region's guest blocks (for `covered`; empty
    /// for synchronous and optimising compiles).
    starts: Vec<u64>,
    requested: Instant,
}

impl Meta {
    fn job_key(&self) -> (u64, u8, u64, bool) {
        (self.entry, self.mode, self.ckey, self.optimized)
    }
}

/// What became of a compile request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compile {
    /// Compiled and installed; the dispatcher can enter it now.
    Ready,
    /// Queued for (or already being compiled by) a background worker.
    Queued,
    /// Not now: the block lies inside a region already queued, so once
    /// that is installed the block will mostly run inside it (as it would
    /// have, had the region been compiled at once). The dispatcher counts
    /// it again from zero.
    Deferred,
    /// Nothing could be compiled; the interpreter keeps running it.
    Failed,
}

/// Code cache size per vCPU. When it is full the whole cache is flushed
/// and hot code recompiles (QEMU's `tb-size` does the same). Code compiled
/// for one effective address cannot serve another, so every new process of
/// an address-space-randomised program adds regions for the same real code;
/// the bound keeps a long session's memory flat. The Debian boot needs
/// about 3 MiB.
const CODE_CACHE_BYTES: usize = 16 << 20;

pub struct Jit {
    /// For synchronous compiles on the execution thread.
    compiler: Compiler,
    arena: arena::Arena,
    regions: Vec<Compiled>,
    /// Regions by (entry address, translation mode key).
    map: FxHashMap<(u64, u8), u32>,
    /// The `map` keys installed for code on each 4K page of code keys (some
    /// may since point at another page's region: check `Compiled::key`).
    by_page: FxHashMap<u64, Vec<(u64, u8)>>,
    pub stats: JitStats,
    /// `-d in_asm,op,out_asm` style logging of each compiled region.
    pub log_in_asm: bool,
    pub log_op: bool,
    pub log_out_asm: bool,
    /// The address space (RAM base, MMU) the cached code was compiled for.
    space: Option<(u64, u64)>,
    /// Background compiles allowed by the configuration (tier, threshold,
    /// POWERLIFT_SYNC_COMPILE); `background_for` adds per-vCPU conditions.
    background: bool,
    /// Bumped by every flush; results of jobs from older epochs are void.
    /// `shared.epoch` mirrors it for the workers, which skip stale jobs.
    epoch: u64,
    shared: Arc<worker::Shared>,
    /// Background jobs of the current epoch, by ticket.
    pending: FxHashMap<u64, Meta>,
    /// Tickets of `pending` by (entry, mode, code key, level), so an entry
    /// is never queued twice.
    queued: FxHashMap<(u64, u8, u64, bool), u64>,
    /// Guest block starts (address, mode) inside the regions of `pending`,
    /// with how many of them contain each.
    covered: FxHashMap<(u64, u8), u32>,
    next_ticket: u64,
    /// Jobs submitted and not yet answered (any epoch).
    outstanding: u64,
    /// Replies taken from the channel (compared with `shared.answered`).
    received: u64,
    tx: Sender<worker::Done>,
    rx: Receiver<worker::Done>,
    /// The chainable exit the last `exec` left through unlinked (region,
    /// slot), for `link` to fill in once the dispatcher finds the target.
    unlinked: Option<(u32, u32)>,
    /// The last `exec` left for the interpreter to run one instruction.
    slow: bool,
    /// Region cache for `find`: (pc, mode key, translation generation,
    /// region id) by address, used by the dispatcher and by `exec` for
    /// computed branches.
    rcache: Box<[(u64, u8, u32, u32)]>,
    /// What the host fault handler needs while guarded regions run.
    guard: Box<guard::Active>,
    /// The trampoline that enters regions (`chain::trampoline`): its code,
    /// copied to the start of the arena after every flush, and where.
    tramp_code: Vec<u8>,
    tramp: *const u8,
}

const RCACHE_SIZE: usize = 4096;
const RCACHE_EMPTY: (u64, u8, u32, u32) = (u64::MAX, 0, 0, 0);

impl Jit {
    pub fn new() -> std::io::Result<Jit> {
        let (tx, rx) = mpsc::channel();
        let compiler = Compiler::new();
        let tramp_code = compiler.trampoline();
        let mut arena = arena::Arena::new(CODE_CACHE_BYTES)?;
        let tramp = arena
            .push(&tramp_code)
            .expect("an empty arena holds the trampoline");
        let sync_env = std::env::var("POWERLIFT_SYNC_COMPILE").is_ok_and(|v| v == "1");
        let background = !sync_env
            && crate::exec::tier() == crate::exec::Tier::Auto
            && crate::exec::threshold() > 0;
        Ok(Jit {
            compiler,
            arena,
            regions: Vec::new(),
            map: FxHashMap::default(),
            by_page: FxHashMap::default(),
            stats: JitStats::default(),
            log_in_asm: false,
            log_op: false,
            log_out_asm: false,
            space: None,
            background,
            epoch: 0,
            shared: Arc::default(),
            pending: FxHashMap::default(),
            queued: FxHashMap::default(),
            covered: FxHashMap::default(),
            next_ticket: 0,
            outstanding: 0,
            received: 0,
            tx,
            rx,
            unlinked: None,
            slow: false,
            rcache: vec![RCACHE_EMPTY; RCACHE_SIZE].into_boxed_slice(),
            guard: Box::default(),
            tramp_code,
            tramp,
        })
    }

    /// Whether compiles for `cpu` go to the background workers. Never
    /// when virtual time comes from retired instructions (`-icount`): when
    /// a region starts running compiled changes how far a slice runs, so
    /// it must depend on the guest alone, not on host thread timing; nor
    /// with `--tier jit` / threshold 0 (tests) or POWERLIFT_SYNC_COMPILE=1.
    fn background_for(&self, cpu: &CpuState) -> bool {
        self.background
            && cpu.sup.icount_shift.is_none()
            && (USER_BACKGROUND || !cpu.mem.mmu.is_null())
    }

    /// Whether compiles may go to the background at all (for the report).
    pub fn background_enabled(&self) -> bool {
        self.background
    }

    /// Drop every compiled region and void every background job in flight.
    pub fn flush(&mut self) {
        self.stats.flushes += 1;
        self.unlinked = None;
        self.rcache.fill(RCACHE_EMPTY);
        self.regions.clear();
        self.map.clear();
        self.by_page.clear();
        self.arena.flush();
        self.tramp = self
            .arena
            .push(&self.tramp_code)
            .expect("an empty arena holds the trampoline");
        self.epoch += 1;
        self.shared.epoch.store(self.epoch, Ordering::Release);
        self.pending.clear();
        self.queued.clear();
        self.covered.clear();
    }

    /// System mode: guest code on the 4K real pages `pages` (sorted) was
    /// written. Drop the regions compiled from it (a region lies within its
    /// entry's 4K page, whose real address is its `key`) and void the
    /// background jobs formed from it, whose results `accept` will then
    /// discard. Their arena space is reclaimed by the next whole flush.
    pub fn invalidate_pages(&mut self, pages: &[u64]) {
        let hit = |key: u64| pages.binary_search(&(key >> 12)).is_ok();
        for p in pages {
            let Some(keys) = self.by_page.remove(p) else {
                continue;
            };
            for k in keys {
                if let Some(&id) = self.map.get(&k) {
                    if hit(self.regions[id as usize].key) {
                        self.map.remove(&k);
                        self.regions[id as usize].alive = false;
                        self.stats.invalidated += 1;
                    }
                }
            }
        }
        if self.pending.is_empty() {
            return;
        }
        let stale: Vec<u64> = self
            .pending
            .iter()
            .filter(|(_, m)| hit(m.ckey))
            .map(|(&t, _)| t)
            .collect();
        for t in stale {
            if let Some(meta) = self.pending.remove(&t) {
                self.forget_job(&meta);
            }
        }
    }

    /// Remove a job that is no longer pending from `queued` and `covered`.
    fn forget_job(&mut self, meta: &Meta) {
        self.queued.remove(&meta.job_key());
        for &a in &meta.starts {
            if let Some(n) = self.covered.get_mut(&(a, meta.mode)) {
                *n -= 1;
                if *n == 0 {
                    self.covered.remove(&(a, meta.mode));
                }
            }
        }
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

    /// Compile the region entered at `entry` (cheap level), now or in the
    /// background.
    pub fn compile(&mut self, cpu: &CpuState, entry: u64) -> Compile {
        self.request(cpu, entry, Level::Cheap)
    }

    fn request(&mut self, cpu: &CpuState, entry: u64, level: Level) -> Compile {
        let t0 = Instant::now();
        let r = self.request_inner(cpu, entry, level, t0);
        self.stats.exec_thread_time += t0.elapsed();
        r
    }

    fn request_inner(&mut self, cpu: &CpuState, entry: u64, level: Level, t0: Instant) -> Compile {
        let optimized = level != Level::Cheap;
        let mm = backend::MemModel::of(&cpu.mem, cpu.msr);
        // Regions embed host addresses: a different address space or TLB
        // means everything compiled so far is void.
        let space = (cpu.mem.base as u64, cpu.mem.mmu as u64);
        if self.space != Some(space) {
            self.flush();
            self.space = Some(space);
        }
        let mode = cpu.mem.mode_key(cpu.msr);
        let Ok(ckey) = cpu.mem.code_key(entry) else {
            return Compile::Failed;
        };
        let background = self.background_for(cpu);
        if background && self.queued.contains_key(&(entry, mode, ckey, optimized)) {
            self.stats.bg_duplicates += 1;
            return Compile::Queued;
        }
        if background && !optimized && self.covered.contains_key(&(entry, mode)) {
            self.stats.bg_deferred += 1;
            return Compile::Deferred;
        }
        let Some(region) = region::form(cpu, entry) else {
            return Compile::Failed;
        };
        let needs = region
            .blocks
            .values()
            .flat_map(|b| b.insns.iter())
            .fold(0, |a, i| a | crate::exec::interp::facility(i.op));
        let meta = Meta {
            entry,
            mode,
            ckey,
            optimized,
            needs,
            ninsns: region.ninsns,
            in_asm: self.log_in_asm.then(|| logs::in_asm_text(&region)),
            // Only first compiles defer the blocks inside them: a block
            // inside a region queued for its optimised recompile is a side
            // entry that the cheap copy does not cover either.
            starts: if background && !optimized {
                region.blocks.keys().copied().collect()
            } else {
                Vec::new()
            },
            requested: t0,
        };
        let req = Request {
            region,
            mm,
            level,
            log_op: self.log_op,
            log_out_asm: self.log_out_asm,
        };
        if background && worker::available() && worker::backlog() < *BACKLOG {
            let ticket = self.next_ticket;
            let job = worker::Job {
                ticket,
                epoch: self.epoch,
                shared: self.shared.clone(),
                req,
                reply: self.tx.clone(),
                submitted: t0,
            };
            if worker::submit(job) {
                self.next_ticket += 1;
                self.outstanding += 1;
                self.stats.bg_queued += 1;
                self.queued.insert(meta.job_key(), ticket);
                for &a in &meta.starts {
                    *self.covered.entry((a, mode)).or_insert(0) += 1;
                }
                self.pending.insert(ticket, meta);
                return Compile::Queued;
            }
            return Compile::Failed;
        }
        if background && worker::available() {
            // The workers are behind (a burst of new hot code, or a host
            // too busy to run them): waiting in the queue would cost more
            // interpreted time than compiling here.
            self.stats.backlog_compiles += 1;
        } else if background {
            // No compile thread (one core, POWERLIFT_COMPILE_THREADS=0, or
            // spawning failed): compile here from now on.
            self.background = false;
        }
        self.stats.sync_compiles += 1;
        match self.compiler.compile(&req) {
            Some(mut out) => {
                // The whole request, formation included, as before there
                // were background compiles.
                out.time = t0.elapsed();
                self.install(meta, out);
                Compile::Ready
            }
            None => {
                self.stats.failures += 1;
                Compile::Failed
            }
        }
    }

    /// The cheap-level job for the block at `cpu.pc` is still queued and
    /// the block has kept running interpreted meanwhile: put the job at
    /// the front of the queue.
    pub fn hurry(&mut self, cpu: &CpuState) {
        let pc = cpu.pc;
        let mode = cpu.mem.mode_key(cpu.msr);
        let Ok(ckey) = cpu.mem.code_key(pc) else {
            return;
        };
        if let Some(&t) = self.queued.get(&(pc, mode, ckey, false)) {
            if worker::hurry(&self.shared, t) {
                self.stats.bg_hurried += 1;
            }
        }
    }

    /// Whether background results are waiting: one relaxed load, cheap
    /// enough for every dispatch (the channel's `try_recv` is not).
    #[inline]
    pub fn has_results(&self) -> bool {
        self.outstanding > 0 && self.shared.answered.load(Ordering::Relaxed) != self.received
    }

    /// Install the background results that have arrived, discarding those
    /// from an older epoch. Call only where no compiled code is running and
    /// no region id is held across the call (the dispatcher loop's top).
    pub fn poll(&mut self) {
        let Ok(first) = self.rx.try_recv() else {
            return;
        };
        let t0 = Instant::now();
        let mut next = Some(first);
        while let Some(d) = next {
            self.received += 1;
            self.accept(d);
            next = self.rx.try_recv().ok();
        }
        self.stats.exec_thread_time += t0.elapsed();
    }

    /// Install (or discard) one background result.
    fn accept(&mut self, d: worker::Done) {
        self.outstanding -= 1;
        if !matches!(d.outcome, worker::Outcome::Skipped) {
            self.stats.bg_queue_wait += d.queued;
            self.stats.bg_queue_wait_max = self.stats.bg_queue_wait_max.max(d.queued);
        }
        let Some(meta) = self.pending.remove(&d.ticket) else {
            // Requested before a flush or an invalidation of its page:
            // the guest code, the address space or the arena it was meant
            // for is gone.
            self.stats.bg_discarded += 1;
            match d.outcome {
                worker::Outcome::Compiled(o) => self.stats.bg_wasted += o.time,
                worker::Outcome::Skipped => self.stats.bg_skipped += 1,
                worker::Outcome::Failed => {}
            }
            return;
        };
        self.forget_job(&meta);
        match d.outcome {
            worker::Outcome::Compiled(o) => {
                let lat = meta.requested.elapsed();
                self.stats.bg_latency += lat;
                self.stats.bg_latency_max = self.stats.bg_latency_max.max(lat);
                self.stats.bg_installed += 1;
                self.install(meta, o);
            }
            _ => self.stats.failures += 1,
        }
    }

    /// Copy finished code into the arena and make it reachable.
    fn install(&mut self, meta: Meta, out: Output) {
        let entry = meta.entry;
        if let Some(t) = &out.op_text {
            log::info!(target: "op", "{t}");
        }
        if let Some(t) = &out.asm_text {
            log::info!(target: "out_asm", "{t}");
        }
        let ptr = match self.arena.push(&out.bytes) {
            Some(p) => p,
            None => {
                // Full: start over. This voids the other jobs in flight,
                // but not this one, whose code depends on the guest code
                // and address space only.
                self.flush();
                match self.arena.push(&out.bytes) {
                    Some(p) => p,
                    None => {
                        self.stats.failures += 1;
                        return;
                    }
                }
            }
        };
        if let Some(s) = &meta.in_asm {
            log::info!(target: "in_asm", "IN: region {entry:#x}\n{s}");
        }
        self.stats.regions += 1;
        self.stats.guest_insns_compiled += meta.ninsns as u64;
        self.stats.code_bytes += out.bytes.len() as u64;
        self.stats.compile_time += out.time;
        let id = self.regions.len() as u32;
        self.regions.push(Compiled {
            code: ptr,
            entry,
            key: meta.ckey,
            optimized: meta.optimized,
            retired: 0,
            entries: 0,
            needs: meta.needs,
            excs: out.excs,
            slots: vec![
                Slot {
                    target: UNLINKED,
                    mode: 0,
                    xgen: 0
                };
                out.exits.len()
            ],
            alive: true,
            opt_code: meta.optimized,
            table: chain::table(id, out.exits.len(), out.sites),
        });
        logs::perf_map(&out.bytes, ptr as u64, entry, meta.mode, meta.optimized);
        self.by_page
            .entry(meta.ckey >> 12)
            .or_default()
            .push((entry, meta.mode));
        if let Some(old) = self.map.insert((entry, meta.mode), id) {
            // Replaces the cheap copy: the dispatcher's region cache must
            // forget the old id (`generation`), and exits chained to it
            // must find the new one.
            self.regions[old as usize].alive = false;
            if meta.optimized {
                self.stats.recompiled += 1;
            }
        }
    }

    pub fn code_size(&self) -> usize {
        self.arena.used()
    }

    /// Background jobs not yet answered.
    pub fn outstanding(&self) -> u64 {
        self.outstanding
    }
}

impl Drop for Jit {
    fn drop(&mut self) {
        // Its vCPU is gone (unplugged) or the process is ending: let the
        // workers skip whatever is still queued for it.
        self.shared.epoch.fetch_add(1, Ordering::Release);
    }
}
