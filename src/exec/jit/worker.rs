//! Background compilation: one process-wide pool of compile threads, each
//! with its own `Compiler` and at a low priority, fed from one FIFO queue
//! (a job whose block stays hot while it waits can be moved to the front,
//! `hurry`). Every `Jit` (one per vCPU or user process) submits `Job`s
//! carrying an owned `Request` and a `Sender` for its own reply channel, so
//! finished code always goes back to the `Jit` whose address space and TLB
//! it was compiled against. Workers
//! never touch guest state or the code arena: installing is done by the
//! execution thread at a safe point (`Jit::poll`), which also decides
//! whether the result is still valid.
//!
//! A job carries the requesting `Jit`'s epoch and a shared view of its
//! current epoch; a worker skips a job that went stale while queued (the
//! `Jit` was flushed) instead of compiling it. Every job gets exactly one
//! `Done` reply, so the `Jit` can count what is still outstanding.
//!
//! Thread safety needs no `unsafe impl`: a `Job` is `Send` because all it
//! holds is owned data (`Request`: decoded instructions and host addresses
//! as plain integers, never dereferenced here), a `Sender` and an `Arc` of
//! atomics; the queue is a `Mutex`, and each worker's Cranelift state is
//! created on, and never leaves, its own thread. The compiled bytes are
//! inert until the requesting `Jit` copies them into its arena.

use super::compiler::{Compiler, Output, Request};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What a `Jit` shares with the workers: two counters, so neither side
/// has to lock or touch the channel to learn something changed.
#[derive(Default)]
pub struct Shared {
    /// The `Jit`'s current epoch (bumped by every flush).
    pub epoch: AtomicU64,
    /// Replies sent to the `Jit` so far; the dispatcher compares it with
    /// the replies it has received before touching the channel.
    pub answered: AtomicU64,
}

/// One region to compile for one `Jit`.
pub struct Job {
    pub ticket: u64,
    /// The requesting `Jit`'s epoch when the job was made.
    pub epoch: u64,
    pub shared: Arc<Shared>,
    pub req: Request,
    pub reply: Sender<Done>,
    pub submitted: Instant,
}

pub enum Outcome {
    Compiled(Output),
    /// Cranelift refused the region (or panicked on it).
    Failed,
    /// Stale before a worker picked it up; not compiled.
    Skipped,
}

pub struct Done {
    pub ticket: u64,
    pub outcome: Outcome,
    /// Time the job spent in the queue before a worker took it.
    pub queued: Duration,
}

struct Pool {
    queue: Mutex<VecDeque<Job>>,
    ready: Condvar,
}

/// Number of compile threads: `POWERLIFT_COMPILE_THREADS`, else one less
/// than the host's cores (the execution thread keeps one), at most 4. On
/// a single core a compile thread would only take turns with the
/// execution thread, adding latency and saving nothing: 0, so compiles
/// stay synchronous.
fn thread_count() -> usize {
    if let Some(n) = std::env::var("POWERLIFT_COMPILE_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        return n.min(64);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).min(4)
}

/// The pool, started on first use; `None` if it has no thread (one core,
/// `POWERLIFT_COMPILE_THREADS=0`, or spawning failed): callers then
/// compile synchronously.
fn pool() -> Option<&'static Pool> {
    static POOL: OnceLock<Option<&'static Pool>> = OnceLock::new();
    *POOL.get_or_init(|| {
        let n = thread_count();
        let pool: &'static Pool = Box::leak(Box::new(Pool {
            queue: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
        }));
        let mut started = 0;
        for k in 0..n {
            let ok = std::thread::Builder::new()
                .name(format!("jit-compile-{k}"))
                .spawn(move || work(pool))
                .is_ok();
            started += ok as usize;
        }
        STARTED.store(started, Ordering::Relaxed);
        if started == 0 {
            if n > 0 {
                log::warn!("JIT: no compile thread could be started; compiling synchronously");
            }
            None
        } else {
            Some(pool)
        }
    })
}

/// Whether background compilation is possible (starts the pool).
pub fn available() -> bool {
    pool().is_some()
}

/// Compile threads in the pool (0 if it has not been started).
pub fn threads() -> usize {
    STARTED.load(Ordering::Relaxed)
}

static STARTED: AtomicUsize = AtomicUsize::new(0);

/// Jobs in the queue, not yet taken by a worker (all `Jit`s together).
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// Jobs waiting for a compile thread (a hint: read without the lock).
pub fn backlog() -> usize {
    WAITING.load(Ordering::Relaxed)
}

/// Queue `job`; false (and the job dropped) if there is no pool, which
/// callers avoid by asking `available` first.
pub fn submit(job: Job) -> bool {
    let Some(p) = pool() else {
        return false;
    };
    p.queue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push_back(job);
    WAITING.fetch_add(1, Ordering::Relaxed);
    p.ready.notify_one();
    true
}

/// Move the job `ticket` of the `Jit` owning `shared` to the front of the
/// queue (its block stayed hot while it waited). False if a worker has
/// already taken it.
pub fn hurry(shared: &Arc<Shared>, ticket: u64) -> bool {
    let Some(p) = pool() else {
        return false;
    };
    let mut q = p.queue.lock().unwrap_or_else(|e| e.into_inner());
    let Some(k) = q
        .iter()
        .position(|j| j.ticket == ticket && Arc::ptr_eq(&j.shared, shared))
    else {
        return false;
    };
    if let Some(j) = q.remove(k) {
        q.push_front(j);
    }
    true
}

/// Lower the calling compile thread's priority to nice 19
/// (`POWERLIFT_COMPILE_NICE` overrides). On a host with a core to spare
/// this changes nothing; on a busy one it stops the compile thread from
/// taking the execution thread's CPU (measured on a 2-core host with one
/// other busy process: the execution thread waited 0.9 s for a CPU during
/// a boot at nice 0, under 0.2 s at nice 19). Compiles that then wait too
/// long in the queue are done by the execution thread itself (the
/// `BACKLOG` rule in `Jit`), so a starved pool degrades to synchronous
/// compilation rather than to interpretation.
fn lower_priority() {
    let nice: i32 = std::env::var("POWERLIFT_COMPILE_NICE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(19);
    // SAFETY: setpriority takes no pointers. On Linux the nice value is a
    // per-thread attribute and `who == 0` names the calling thread, so only
    // this compile thread is affected; raising one's own nice value needs
    // no privilege, and a failure just leaves the priority as it was.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, nice);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}

fn work(pool: &'static Pool) {
    lower_priority();
    let mut compiler = Compiler::new();
    loop {
        let job = {
            let mut q = pool.queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(j) = q.pop_front() {
                    WAITING.fetch_sub(1, Ordering::Relaxed);
                    break j;
                }
                q = pool.ready.wait(q).unwrap_or_else(|e| e.into_inner());
            }
        };
        let queued = job.submitted.elapsed();
        let outcome = if job.shared.epoch.load(Ordering::Acquire) != job.epoch {
            Outcome::Skipped
        } else {
            // A panic inside Cranelift must not take the pool down (every
            // vCPU would then wait forever for its code): report a failure
            // and start again with fresh Cranelift state.
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                compiler.compile(&job.req)
            }));
            match r {
                Ok(Some(out)) => Outcome::Compiled(out),
                Ok(None) => Outcome::Failed,
                Err(_) => {
                    log::warn!(
                        "JIT: compile thread panicked on region {:#x}",
                        job.req.region.entry
                    );
                    compiler = Compiler::new();
                    Outcome::Failed
                }
            }
        };
        // The Jit may be gone (its vCPU was unplugged or the process is
        // ending); then the result is simply dropped.
        if job
            .reply
            .send(Done {
                ticket: job.ticket,
                outcome,
                queued,
            })
            .is_ok()
        {
            // After the send, so a `Jit` that sees the count has the reply.
            job.shared.answered.fetch_add(1, Ordering::Release);
        }
    }
}
