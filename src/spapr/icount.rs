//! Deterministic virtual time for `-icount shift=N` (QEMU's spelling): the
//! rules that decide when host input reaches the guest and when an idle
//! guest's clock may jump, so that the same command line and the same
//! monitor script give the same console output and event order every run.
//!
//! Virtual time is `retired instructions << shift` ns per vCPU
//! (`cpu::timebase`). Host timing can still leak in at two places, and
//! both are closed here:
//! 1. *When input arrives.* Console bytes and monitor commands are taken
//!    only at idle points (every vCPU ceded or stopped), so a command always
//!    meets the guest after it has finished the work the previous input
//!    caused; a guest that stays busy for [`BUSY_WAIT`] of host time is
//!    served anyway so that it stays controllable (only then can host
//!    timing decide where input lands).
//! 2. *How far an idle guest's clock runs while the host waits.* A guest
//!    waiting on a near timer (at most [`NEAR_NS`] of virtual time away:
//!    msleep, RCU, the DLPAR paths' short polls) has its clock jumped to it
//!    at once, as QEMU's `sleep=off`. A far timer (vmstat, watchdogs, a
//!    shell's `sleep 5`) is only reached if no host input arrives for
//!    [`FAR_WAIT`] of host time; a script that synchronises on console
//!    output or QMP events answers well within that, so the clock never
//!    runs on host time. Only a script that itself sleeps longer than
//!    [`FAR_WAIT`] without talking to the machine lets host time in.
//!
//! The guest's other host-dependent inputs become functions of the
//! command line: entropy (`/chosen/rng-seed`, H_RANDOM) comes from a
//! seeded generator, and the real-time clock (RTAS get-time-of-day, the
//! event logs' stamps) starts at [`RTC_BASE`] and runs on virtual time,
//! like QEMU's `-rtc base=...,clock=vm`.

use std::time::{Duration, Instant};

/// Virtual ns within which an idle guest's next timer is reached at once.
pub const NEAR_NS: u64 = 100_000_000;
/// Host time an idle guest with only far timers waits for input before
/// its clock jumps to the next one.
pub const FAR_WAIT: Duration = Duration::from_secs(3);
/// A guest busy this long (host time) is served input anyway. Counting
/// instructions instead would be deterministic in itself, but whether the
/// script's next command is already waiting at that count is not.
pub const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Unix time at virtual time 0 under `-icount`: 2026-01-01 00:00:00 UTC.
pub const RTC_BASE: i64 = 1_767_225_600;

/// Per-machine state of the deterministic clock.
#[derive(Debug, Default)]
pub struct Icount {
    /// SplitMix64 state for the guest's entropy.
    rng: u64,
    /// Host instant the machine last became idle with only far timers.
    idle_since: Option<Instant>,
    /// Host instant input was last serviced.
    last_service: Option<Instant>,
    /// Far-timer jumps taken after waiting for input (host time leaked in).
    pub far_jumps: u64,
    /// Times input was taken from a guest that had been busy for
    /// [`BUSY_WAIT`] (host time leaked in).
    pub busy_services: u64,
}

impl Icount {
    /// Fill `buf` with entropy for the guest: the host's without
    /// `-icount`, a fixed-seed sequence with it.
    pub fn entropy(&mut self, deterministic: bool, buf: &mut [u8]) {
        if !deterministic {
            // SAFETY: getrandom writes at most buf.len() bytes into buf.
            unsafe { libc::getrandom(buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0) };
            return;
        }
        for chunk in buf.chunks_mut(8) {
            // SplitMix64 (Steele, Lea, Flood 2014).
            self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.rng;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }

    /// Whether host input may be taken now.
    pub fn may_service(&mut self, quiescent: bool) -> bool {
        let last = *self.last_service.get_or_insert_with(Instant::now);
        if quiescent || last.elapsed() >= BUSY_WAIT {
            if !quiescent {
                self.busy_services += 1;
            }
            self.last_service = Some(Instant::now());
            true
        } else {
            false
        }
    }

    /// A vCPU ran: the idle wait starts again next time.
    pub fn ran(&mut self) {
        self.idle_since = None;
    }

    /// Every vCPU is idle and the nearest timer is `next_ns` of virtual
    /// time away: whether the clock may jump to it now.
    pub fn may_warp(&mut self, next_ns: u64) -> bool {
        if next_ns <= NEAR_NS {
            return true;
        }
        let since = *self.idle_since.get_or_insert_with(Instant::now);
        if since.elapsed() >= FAR_WAIT {
            self.idle_since = None;
            self.far_jumps += 1;
            log::info!(target: "icount", "no input for {FAR_WAIT:?}: jumping {next_ns} ns to a far timer");
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_entropy_repeats_across_machines() {
        let (mut a, mut b) = (Icount::default(), Icount::default());
        let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
        a.entropy(true, &mut x);
        b.entropy(true, &mut y);
        assert_eq!(x, y);
        a.entropy(true, &mut y);
        assert_ne!(x, y, "the sequence moves on");
    }

    #[test]
    fn near_timers_warp_far_ones_wait_for_host_time() {
        let mut ic = Icount::default();
        assert!(ic.may_warp(NEAR_NS));
        assert!(!ic.may_warp(NEAR_NS + 1));
        ic.idle_since = Some(Instant::now() - FAR_WAIT);
        assert!(ic.may_warp(NEAR_NS + 1));
        assert!(ic.idle_since.is_none());
    }

    #[test]
    fn input_waits_for_idle_unless_the_guest_stays_busy() {
        let mut ic = Icount::default();
        assert!(!ic.may_service(false));
        assert!(ic.may_service(true));
        assert!(!ic.may_service(false));
        ic.last_service = Some(Instant::now() - BUSY_WAIT);
        assert!(ic.may_service(false));
    }
}
