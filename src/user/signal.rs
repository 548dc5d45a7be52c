//! Signals in user mode: the guest's dispositions (rt_sigaction), its
//! blocked mask (rt_sigprocmask), and what happens when an instruction
//! faults. A synchronous fault maps to the signal Linux would send
//! (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP); with the default
//! disposition the process dies the way a real one would: QEMU's one-line
//! message on stderr, then the host process kills itself with the same
//! signal, so the shell sees the same status (e.g. 139).

use super::Process;
use crate::cpu::{Exc, ProgramKind};

pub const SIGILL: i32 = 4;
pub const SIGTRAP: i32 = 5;
pub const SIGBUS: i32 = 7;
pub const SIGFPE: i32 = 8;
pub const SIGSEGV: i32 = 11;

/// Guest `struct sigaction` as stored (kernel layout for powerpc64:
/// handler, flags, restorer, mask).
#[derive(Clone, Copy, Default, Debug)]
pub struct Action {
    pub handler: u64,
    pub flags: u64,
    pub restorer: u64,
    pub mask: u64,
}

pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;

pub struct SignalState {
    pub actions: [Action; 65],
    pub blocked: u64,
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState {
            actions: [Action::default(); 65],
            blocked: 0,
        }
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        SIGILL => "Illegal instruction",
        SIGTRAP => "Trace/breakpoint trap",
        SIGBUS => "Bus error",
        SIGFPE => "Floating point exception",
        SIGSEGV => "Segmentation fault",
        _ => "Unknown signal",
    }
}

/// The signal Linux sends for an instruction's exception.
pub fn signal_for(e: Exc) -> i32 {
    match e {
        Exc::Dsi { .. } | Exc::Isi { .. } => SIGSEGV,
        Exc::Alignment { .. } => SIGBUS,
        Exc::Program(ProgramKind::Trap) => SIGTRAP,
        Exc::Program(ProgramKind::FloatingPoint) => SIGFPE,
        _ => SIGILL,
    }
}

/// Kill the host process with `sig` after QEMU's style of message, so the
/// parent sees the same wait status a native process would give.
pub fn die_by_signal(sig: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    eprintln!(
        "powerlift: uncaught target signal {sig} ({}) - core dumped",
        signal_name(sig)
    );
    // SAFETY: restoring the default action and raising a signal on
    // ourselves; disable core dumps so the host does not write one.
    unsafe {
        let rl = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &rl);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
    std::process::exit(128 + sig)
}

/// Handle an exception raised by the guest. Returns `Some(status)` when the
/// process ends. Handlers installed by the guest are not yet invoked: a
/// fault with a handler installed is reported and the process dies as if
/// the handler were SIG_DFL (logged), which is what glibc-based programs
/// without custom fault handlers see anyway.
pub fn deliver_fault(p: &mut Process, e: Exc) -> Option<i32> {
    let sig = signal_for(e);
    if matches!(e, Exc::Unimplemented) {
        let w = p.cpu.mem.fetch(p.cpu.pc).unwrap_or(0);
        log::warn!(
            "unimplemented instruction at {:#x}: {:08x} {}",
            p.cpu.pc,
            w,
            crate::isa::disasm::disasm(w, p.cpu.pc)
        );
    } else {
        log::info!("guest exception {e:?} at {:#x}", p.cpu.pc);
    }
    if p.signals.actions[sig as usize].handler > SIG_IGN {
        log::warn!("signal {sig} has a guest handler; handler delivery is not implemented");
    }
    die_by_signal(sig)
}
