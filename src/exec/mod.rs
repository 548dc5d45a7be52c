//! Execution tiers. `interp` is tier 0: a pre-decoding interpreter that runs
//! the generic semantics on concrete values; `jit` is tier 1: hot regions
//! compiled with Cranelift from the same semantics. The interpreter's run
//! loop is the dispatcher for both: it counts block executions and hands
//! regions to the JIT once they pass the threshold.

pub mod fxhash;
pub mod interp;
pub mod jit;

use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};

/// Which tiers run guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Interpreter only.
    Interp,
    /// Compile every block on its first execution (threshold 0 unless set).
    Jit,
    /// Interpret, and compile regions once they are hot.
    Auto,
}

/// Default hotness threshold (block executions before a region is
/// compiled), chosen by measurement: see ARCHITECTURE.md, "Tiering".
pub const DEFAULT_THRESHOLD: u32 = 1000;

static TIER: AtomicU8 = AtomicU8::new(2);
static THRESHOLD: AtomicU32 = AtomicU32::new(DEFAULT_THRESHOLD);
static LOG_FLAGS: AtomicU32 = AtomicU32::new(0);

pub const LOG_IN_ASM: u32 = 1;
pub const LOG_OP: u32 = 2;
pub const LOG_OUT_ASM: u32 = 4;
pub const LOG_EXEC: u32 = 8;

/// Set the tier and threshold used by executors created afterwards.
pub fn configure(tier: Tier, threshold: Option<u32>) {
    TIER.store(
        match tier {
            Tier::Interp => 0,
            Tier::Jit => 1,
            Tier::Auto => 2,
        },
        Ordering::Relaxed,
    );
    let t = threshold.unwrap_or(if tier == Tier::Jit {
        0
    } else {
        DEFAULT_THRESHOLD
    });
    THRESHOLD.store(t, Ordering::Relaxed);
}

pub fn set_log_flags(f: u32) {
    LOG_FLAGS.store(f, Ordering::Relaxed);
}

pub fn log_flags() -> u32 {
    LOG_FLAGS.load(Ordering::Relaxed)
}

pub fn tier() -> Tier {
    match TIER.load(Ordering::Relaxed) {
        0 => Tier::Interp,
        1 => Tier::Jit,
        _ => Tier::Auto,
    }
}

pub fn threshold() -> u32 {
    THRESHOLD.load(Ordering::Relaxed)
}
