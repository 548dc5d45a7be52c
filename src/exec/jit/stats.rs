//! The JIT's counters and their one-paragraph report for `--stats` /
//! `POWERLIFT_STATS=1`: regions and code produced, where the compile time
//! went (the execution thread or the background workers), and what became
//! of background jobs (installed, discarded as stale, time spent queued).

use std::time::Duration;

#[derive(Default, Debug, Clone)]
pub struct JitStats {
    /// Regions installed (either compile level).
    pub regions: u64,
    pub guest_insns_compiled: u64,
    /// Cranelift time for installed regions, wherever it ran (for a
    /// synchronous compile, the whole request including region formation).
    pub compile_time: Duration,
    /// Time the execution thread spent in the JIT: forming regions,
    /// compiling synchronously, installing finished code.
    pub exec_thread_time: Duration,
    pub code_bytes: u64,
    pub flushes: u64,
    pub entries: u64,
    /// Region-to-region transitions through linked exits (no dispatcher).
    pub chained: u64,
    /// Exits linked to a target region.
    pub links: u64,
    /// Computed branches followed to a region without the dispatcher.
    pub indirect: u64,
    /// Transfers compiled code made itself, through a region's link table
    /// (`chain`), counted apart from `chained` and `indirect`.
    pub chained_in_code: u64,
    pub failures: u64,
    /// Regions dropped because guest code on their page was written
    /// (system mode; the rest of the cache stays).
    pub invalidated: u64,
    /// Regions recompiled with the optimising settings.
    pub recompiled: u64,
    /// Compiles done synchronously on the execution thread...
    pub sync_compiles: u64,
    /// ...of which because the background queue was too long.
    pub backlog_compiles: u64,
    /// Jobs handed to the background workers.
    pub bg_queued: u64,
    /// Background results installed.
    pub bg_installed: u64,
    /// Background results thrown away because the code cache was flushed
    /// (code modified, address space changed, arena full) after the job
    /// was queued...
    pub bg_discarded: u64,
    /// ...of which a worker saw it was stale and never compiled it.
    pub bg_skipped: u64,
    /// Worker time spent on results that were then discarded.
    pub bg_wasted: Duration,
    /// Requests for an entry that was already queued (not queued again).
    pub bg_duplicates: u64,
    /// Requests put off because the block lies inside a queued region.
    pub bg_deferred: u64,
    /// Jobs moved to the front of the queue because their block stayed hot.
    pub bg_hurried: u64,
    /// Time jobs waited in the queue before a worker took them.
    pub bg_queue_wait: Duration,
    pub bg_queue_wait_max: Duration,
    /// Time from request to installation (the region ran interpreted, or
    /// in its cheap version, meanwhile).
    pub bg_latency: Duration,
    pub bg_latency_max: Duration,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mean_ms(d: Duration, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        ms(d) / n as f64
    }
}

impl JitStats {
    /// The JIT's lines of the statistics report. `share` is the percentage
    /// of instructions that ran compiled; `outstanding` the background jobs
    /// still unanswered.
    pub fn report(
        &self,
        threshold: u32,
        code_size: usize,
        share: f64,
        background: bool,
        outstanding: u64,
    ) -> String {
        let per = if self.regions > 0 {
            self.compile_time.as_secs_f64() * 1e6 / self.regions as f64
        } else {
            0.0
        };
        let mut s = format!(
            "jit: threshold {}, {} regions ({} recompiled hot), {} guest insns, compile {:.3} s ({:.0} us/region), \
             {:.3} s on the execution thread, {} bytes of code, {} region entries from the dispatcher, \
             {} chained (exit to region without the dispatcher, {} exits linked), \
             {} computed branches to a region without the dispatcher, \
             {} transfers made by compiled code itself, {} flushes, \
             {} regions dropped with their written page, {} failures; {:.1}% of instructions ran compiled",
            threshold,
            self.regions,
            self.recompiled,
            self.guest_insns_compiled,
            self.compile_time.as_secs_f64(),
            per,
            self.exec_thread_time.as_secs_f64(),
            code_size,
            self.entries,
            self.chained,
            self.links,
            self.indirect,
            self.chained_in_code,
            self.flushes,
            self.invalidated,
            self.failures,
            share
        );
        if background {
            let taken = self.bg_queued.saturating_sub(outstanding);
            s.push_str(&format!(
                "\njit background: {} compile threads, {} queued ({} duplicate requests not queued, {} deferred as inside a queued region, {} moved up as still hot), {} installed, \
                 {} discarded as stale ({} skipped before compiling, {:.3} s of compile wasted), {} in flight at exit; \
                 queue wait mean {:.2} ms, max {:.1} ms; request to install mean {:.2} ms, max {:.1} ms; \
                 {} compiles done on the execution thread as the queue was long",
                super::worker::threads(),
                self.bg_queued,
                self.bg_duplicates,
                self.bg_deferred,
                self.bg_hurried,
                self.bg_installed,
                self.bg_discarded,
                self.bg_skipped,
                self.bg_wasted.as_secs_f64(),
                outstanding,
                mean_ms(self.bg_queue_wait, taken),
                ms(self.bg_queue_wait_max),
                mean_ms(self.bg_latency, self.bg_installed),
                ms(self.bg_latency_max),
                self.backlog_compiles,
            ));
        } else {
            s.push_str("\njit background: off (synchronous compiles)");
        }
        s
    }
}

/// CPU time the calling thread has used so far, and how long it has waited
/// for a CPU while runnable, from /proc/thread-self/schedstat (`None`
/// where there is no such file). On a busy host this shows what the
/// execution thread itself cost, which wall time does not.
pub fn thread_sched() -> Option<(Duration, Duration)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut f = s.split_whitespace().map(|x| x.parse::<u64>().ok());
    let run = f.next()??;
    let wait = f.next()??;
    Some((Duration::from_nanos(run), Duration::from_nanos(wait)))
}
