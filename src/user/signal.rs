//! Signals in user mode: the guest's dispositions (rt_sigaction), blocked
//! mask (rt_sigprocmask), alternate stack, and delivery.
//!
//! A synchronous fault maps to the signal Linux would send (SIGSEGV,
//! SIGBUS, SIGILL, SIGFPE, SIGTRAP). Asynchronous signals (kill/tgkill to
//! ourselves, or host signals the guest installed a handler for) are queued
//! and delivered between instruction chunks and after system calls.
//! Delivery to a guest handler builds the powerpc64 `struct rt_sigframe`
//! exactly as Linux's `setup_rt_frame` (arch/powerpc/kernel/signal_64.c)
//! lays it out: `ucontext` with the `sigcontext` (48 `pt_regs` words, 32
//! FPRs + FPSCR, the VMX area at a 16-byte aligned `v_regs`: VR0-31, VSCR,
//! VRSAVE, then the VSX doubleword 1 of VSR0-31), the `li r0,172; sc`
//! trampoline, pointers to siginfo and ucontext, siginfo, and the 512-byte
//! ABI red zone; r1 points 128 bytes below the frame with a back chain.
//! `rt_sigreturn` (172) restores from `r1 + 128`.
//!
//! With the default disposition the process dies the way a real one would:
//! QEMU's one-line message on stderr, then the host process kills itself
//! with the same signal, so the shell sees the same status (e.g. 139).

use super::Process;
use crate::cpu::{Exc, ProgramKind};
use crate::memory::{GuestMem, PROT_W};
use std::sync::atomic::{AtomicU64, Ordering};

pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGQUIT: i32 = 3;
pub const SIGILL: i32 = 4;
pub const SIGTRAP: i32 = 5;
pub const SIGABRT: i32 = 6;
pub const SIGBUS: i32 = 7;
pub const SIGFPE: i32 = 8;
pub const SIGKILL: i32 = 9;
pub const SIGSEGV: i32 = 11;
pub const SIGPIPE: i32 = 13;
pub const SIGALRM: i32 = 14;
pub const SIGTERM: i32 = 15;
pub const SIGCHLD: i32 = 17;
pub const SIGCONT: i32 = 18;
pub const SIGSTOP: i32 = 19;
pub const SIGTSTP: i32 = 20;
pub const SIGURG: i32 = 23;
pub const SIGWINCH: i32 = 28;

/// sa_flags (asm-generic/signal-defs.h; powerpc uses the generic values).
pub const SA_SIGINFO: u64 = 4;
pub const SA_ONSTACK: u64 = 0x0800_0000;
pub const SA_RESTART: u64 = 0x1000_0000;
pub const SA_NODEFER: u64 = 0x4000_0000;
pub const SA_RESETHAND: u64 = 0x8000_0000;

pub const SS_ONSTACK: u64 = 1;
pub const SS_DISABLE: u64 = 2;

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

/// What the kernel fills into siginfo for one signal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Info {
    pub signo: i32,
    pub code: i32,
    /// si_addr for faults; (pid | uid << 32) for kill.
    pub word: u64,
}

pub struct SignalState {
    pub actions: [Action; 65],
    pub blocked: u64,
    /// Queued, not yet delivered (one per signal, like Linux's standard
    /// signals).
    pub pending: Vec<Info>,
    /// sigaltstack: sp, flags, size.
    pub altstack: (u64, u64, u64),
    /// The mask to save in the next frame instead of `blocked`
    /// (rt_sigsuspend's caller mask).
    pub saved_mask: Option<u64>,
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState {
            actions: [Action::default(); 65],
            blocked: 0,
            pending: Vec::new(),
            altstack: (0, SS_DISABLE, 0),
            saved_mask: None,
        }
    }
}

fn bit(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

/// Host signals caught on the guest's behalf (bit sig-1), set by the host
/// handler and drained by `poll_host`.
static HOST_PENDING: AtomicU64 = AtomicU64::new(0);

extern "C" fn host_handler(sig: libc::c_int) {
    HOST_PENDING.fetch_or(1u64 << (sig - 1), Ordering::SeqCst);
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        SIGHUP => "Hangup",
        SIGINT => "Interrupt",
        SIGQUIT => "Quit",
        SIGILL => "Illegal instruction",
        SIGTRAP => "Trace/breakpoint trap",
        SIGABRT => "Aborted",
        SIGBUS => "Bus error",
        SIGFPE => "Floating point exception",
        SIGKILL => "Killed",
        SIGSEGV => "Segmentation fault",
        SIGPIPE => "Broken pipe",
        SIGALRM => "Alarm clock",
        SIGTERM => "Terminated",
        _ => "Unknown signal",
    }
}

/// Signals whose default action is to do nothing.
fn default_ignored(sig: i32) -> bool {
    matches!(sig, SIGCHLD | SIGCONT | SIGURG | SIGWINCH)
}

/// Synchronous fault signals: never mirrored to host handlers.
fn is_fault(sig: i32) -> bool {
    matches!(sig, SIGILL | SIGTRAP | SIGBUS | SIGFPE | SIGSEGV)
}

/// si_code for an enabled FP exception, from the FPSCR as Linux's
/// `parse_fpe` (arch/powerpc/kernel/traps.c) decides it: the first of
/// invalid, overflow, underflow, zero-divide, inexact that is both
/// enabled and recorded.
fn fpe_code(fpscr: u64) -> i32 {
    let (vx, ox, ux, zx, xx) = (
        fpscr >> 29 & 1,
        fpscr >> 28 & 1,
        fpscr >> 27 & 1,
        fpscr >> 26 & 1,
        fpscr >> 25 & 1,
    );
    let (ve, oe, ue, ze, xe) = (
        fpscr >> 7 & 1,
        fpscr >> 6 & 1,
        fpscr >> 5 & 1,
        fpscr >> 4 & 1,
        fpscr >> 3 & 1,
    );
    if ve & vx != 0 {
        7 // FPE_FLTINV
    } else if oe & ox != 0 {
        4 // FPE_FLTOVF
    } else if ue & ux != 0 {
        5 // FPE_FLTUND
    } else if ze & zx != 0 {
        3 // FPE_FLTDIV
    } else if xe & xx != 0 {
        6 // FPE_FLTRES
    } else {
        0
    }
}

/// The signal, si_code and si_addr Linux sends for an instruction's
/// exception at `pc` (FPSCR `fpscr`).
pub fn info_for(e: Exc, pc: u64, fpscr: u64) -> Info {
    let (signo, code, word) = match e {
        // SEGV_MAPERR 1 (nothing mapped), SEGV_ACCERR 2 is not
        // distinguished: the flat space has no notion of "mapped but
        // protected" beyond permissions, report MAPERR like an unmapped
        // access.
        Exc::Dsi { ea, .. } => (SIGSEGV, 1, ea),
        Exc::Isi { ea } => (SIGSEGV, 1, ea),
        Exc::Alignment { ea } => (SIGBUS, 1, ea), // BUS_ADRALN
        Exc::Program(ProgramKind::Trap) => (SIGTRAP, 1, pc), // TRAP_BRKPT
        Exc::Program(ProgramKind::FloatingPoint) => (SIGFPE, fpe_code(fpscr), pc),
        Exc::Program(ProgramKind::PrivilegedInstruction) => (SIGILL, 5, pc), // ILL_PRVOPC
        _ => (SIGILL, 1, pc),                                                // ILL_ILLOPC
    };
    Info { signo, code, word }
}

/// Kill the host process with `sig` after QEMU's style of message, so the
/// parent sees the same wait status a native process would give.
pub fn die_by_signal(sig: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // Like QEMU, only for the signals whose default action dumps core
    // (signal(7): SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGSEGV
    // SIGXCPU SIGXFSZ SIGSYS).
    if matches!(
        sig,
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | 24 | 25 | 31
    ) {
        eprintln!(
            "powerlift: uncaught target signal {sig} ({}) - core dumped",
            signal_name(sig)
        );
    }
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

/// Mirror a guest disposition on the host for signals that arrive from
/// outside: SIG_IGN and SIG_DFL natively, a guest handler through
/// `host_handler` (so blocking host calls return EINTR and the signal is
/// delivered to the guest).
pub fn mirror(sig: i32, act: &Action) {
    if is_fault(sig) || sig == SIGKILL || sig == SIGSTOP || sig > 64 {
        return;
    }
    // SAFETY: installing a handler that only touches an atomic.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = match act.handler {
            SIG_DFL => libc::SIG_DFL,
            SIG_IGN => libc::SIG_IGN,
            _ => host_handler as extern "C" fn(libc::c_int) as usize,
        };
        if act.flags & SA_RESTART != 0 {
            sa.sa_flags = libc::SA_RESTART;
        }
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

/// Move host-caught signals into the guest's pending queue.
pub fn poll_host(p: &mut Process) {
    let bits = HOST_PENDING.swap(0, Ordering::SeqCst);
    if bits == 0 {
        return;
    }
    for sig in 1..=64 {
        if bits & bit(sig) != 0 {
            queue(
                p,
                Info {
                    signo: sig,
                    code: 0x80, // SI_KERNEL
                    word: 0,
                },
            );
        }
    }
}

/// Queue an asynchronous signal (kill, tgkill, host signal).
pub fn queue(p: &mut Process, info: Info) {
    if !p.signals.pending.iter().any(|i| i.signo == info.signo) {
        p.signals.pending.push(info);
    }
}

/// Whether a signal is pending that the guest will handle with a handler
/// whose flags include SA_RESTART (for restarting interrupted calls).
pub fn pending_restart(p: &Process) -> Option<bool> {
    let s = &p.signals;
    s.pending
        .iter()
        .find(|i| s.blocked & bit(i.signo) == 0)
        .map(|i| s.actions[i.signo as usize].flags & SA_RESTART != 0)
}

/// Deliver pending, unblocked signals (a fatal default action ends the
/// process here).
pub fn deliver_pending(p: &mut Process) {
    poll_host(p);
    while let Some(k) = p
        .signals
        .pending
        .iter()
        .position(|i| p.signals.blocked & bit(i.signo) == 0)
    {
        let info = p.signals.pending.remove(k);
        let act = p.signals.actions[info.signo as usize];
        match act.handler {
            SIG_IGN => {}
            SIG_DFL => {
                if !default_ignored(info.signo) {
                    die_by_signal(info.signo);
                }
            }
            _ => {
                if setup_frame(p, &info, &act).is_err() {
                    die_by_signal(SIGSEGV);
                }
            }
        }
    }
}

/// Handle an exception raised by the guest: deliver the signal to its
/// handler, or die. A blocked or ignored fault signal kills the process,
/// as Linux's `force_sig_fault` does.
pub fn deliver_fault(p: &mut Process, e: Exc) {
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
    let info = info_for(e, p.cpu.pc, p.cpu.fpscr);
    let act = p.signals.actions[info.signo as usize];
    if act.handler <= SIG_IGN || p.signals.blocked & bit(info.signo) != 0 {
        die_by_signal(info.signo);
    }
    if setup_frame(p, &info, &act).is_err() {
        // No room for a frame: Linux kills with SIGSEGV.
        die_by_signal(SIGSEGV);
    }
}

// struct rt_sigframe offsets (see the module comment).
const FRAME_SIZE: u64 = 2400;
const UC_MCONTEXT: u64 = 168;
const F_TRAMP: u64 = 1712;
const F_PINFO: u64 = 1744;
const F_PUC: u64 = 1752;
const F_INFO: u64 = 1760;
// struct sigcontext offsets.
const SC_SIGNAL: u64 = 32;
const SC_HANDLER: u64 = 40;
const SC_OLDMASK: u64 = 48;
const SC_REGS: u64 = 56;
const SC_GP: u64 = 64;
const SC_FP: u64 = 448;
const SC_VREGS: u64 = 712;
const SC_VMX: u64 = 720;
/// __SIGNAL_FRAMESIZE: the dummy caller frame below the signal frame.
const SIGNAL_FRAMESIZE: u64 = 128;
// pt_regs indices.
const PT_NIP: u64 = 32;
const PT_MSR: u64 = 33;
const PT_ORIG_R3: u64 = 34;
const PT_CTR: u64 = 35;
const PT_LNK: u64 = 36;
const PT_XER: u64 = 37;
const PT_CCR: u64 = 38;
const PT_TRAP: u64 = 40;
const PT_DAR: u64 = 41;
const MSR_VEC: u64 = 1 << 25;
const MSR_VSX: u64 = 1 << 23;

struct W<'a>(&'a GuestMem);
impl W<'_> {
    fn q(&self, a: u64, v: u64) -> Result<(), Exc> {
        self.0.store(8, a, v)
    }
    fn w(&self, a: u64, v: u64) -> Result<(), Exc> {
        self.0.store(4, a, v)
    }
    fn v(&self, a: u64, v: u128) -> Result<(), Exc> {
        self.0.store(8, a, v as u64)?;
        self.0.store(8, a + 8, (v >> 64) as u64)
    }
}

fn v_regs_of(sc: u64) -> u64 {
    (sc + SC_VMX + 15) & !15
}

/// Build the frame for `info` and point the CPU at the handler.
fn setup_frame(p: &mut Process, info: &Info, act: &Action) -> Result<(), Exc> {
    let c = &p.cpu;
    let mem = c.mem;
    let (ss_sp, ss_flags, ss_size) = p.signals.altstack;
    let sp = c.gpr[1];
    let on_alt = ss_flags & SS_DISABLE == 0 && sp.wrapping_sub(ss_sp) < ss_size;
    let base = if act.flags & SA_ONSTACK != 0 && ss_flags & SS_DISABLE == 0 && !on_alt {
        ss_sp + ss_size
    } else {
        sp
    };
    let frame = (base - FRAME_SIZE) & !15;
    let saved = p.signals.saved_mask.take().unwrap_or(p.signals.blocked);
    mem.slice(
        frame - SIGNAL_FRAMESIZE,
        FRAME_SIZE + SIGNAL_FRAMESIZE,
        PROT_W,
    )?;
    let m = W(&mem);
    // siginfo
    let inf = frame + F_INFO;
    for k in 0..16 {
        m.q(inf + 8 * k, 0)?;
    }
    m.w(inf, info.signo as u64)?;
    m.w(inf + 8, info.code as u32 as u64)?;
    m.q(inf + 16, info.word)?;
    m.q(frame + F_PINFO, inf)?;
    m.q(frame + F_PUC, frame)?;
    // ucontext header
    let alt_flags = if ss_flags & SS_DISABLE != 0 {
        SS_DISABLE
    } else if on_alt || act.flags & SA_ONSTACK != 0 {
        SS_ONSTACK
    } else {
        0
    };
    m.q(frame, 0)?;
    m.q(frame + 8, 0)?;
    m.q(frame + 16, ss_sp)?;
    m.q(frame + 24, alt_flags)?;
    m.q(frame + 32, ss_size)?;
    m.q(frame + 40, saved)?;
    for k in 0..15 {
        m.q(frame + 48 + 8 * k, 0)?;
    }
    // sigcontext
    let sc = frame + UC_MCONTEXT;
    for k in 0..4 {
        m.q(sc + 8 * k, 0)?;
    }
    m.w(sc + SC_SIGNAL, info.signo as u64)?;
    m.w(sc + SC_SIGNAL + 4, 0)?;
    m.q(sc + SC_HANDLER, act.handler)?;
    m.q(sc + SC_OLDMASK, saved)?;
    m.q(sc + SC_REGS, sc + SC_GP)?;
    let gp = sc + SC_GP;
    for r in 0..32 {
        m.q(gp + 8 * r, c.gpr[r as usize])?;
    }
    let msr = (c.msr & !(MSR_VEC | MSR_VSX)) | MSR_VEC | MSR_VSX;
    let trap = match info.signo {
        SIGSEGV => 0x300,
        SIGBUS => 0x600,
        SIGILL | SIGTRAP | SIGFPE => 0x700,
        _ => 0xc00,
    };
    let regs = [
        (PT_NIP, c.pc),
        (PT_MSR, msr),
        (PT_ORIG_R3, c.gpr[3]),
        (PT_CTR, c.ctr),
        (PT_LNK, c.lr),
        (PT_XER, c.xer()),
        (PT_CCR, c.cr() as u64),
        (39, 1),
        (PT_TRAP, trap),
        (
            PT_DAR,
            if info.signo == SIGSEGV || info.signo == SIGBUS {
                info.word
            } else {
                0
            },
        ),
        (42, 0),
        (43, 0),
    ];
    for (i, v) in regs {
        m.q(gp + 8 * i, v)?;
    }
    for i in 44..48 {
        m.q(gp + 8 * i, 0)?;
    }
    let fp = sc + SC_FP;
    for r in 0..32 {
        m.q(fp + 8 * r, c.fpr(r as usize))?;
    }
    m.q(fp + 8 * 32, c.fpscr)?;
    let vr = v_regs_of(sc);
    m.q(sc + SC_VREGS, vr)?;
    for r in 0..32 {
        m.v(vr + 16 * r, c.vr(r as usize))?;
    }
    m.v(vr + 16 * 32, c.vscr as u128)?;
    m.v(vr + 16 * 33, c.vrsave as u128)?;
    for r in 0..32 {
        m.q(vr + 16 * 34 + 8 * r, c.vsr[r as usize] as u64)?;
    }
    // Trampoline in the frame (as Linux writes it), though we return
    // through the executable copy at SIGTRAMP.
    m.w(frame + F_TRAMP, 0x3800_00ac)?; // li r0,172
    m.w(frame + F_TRAMP + 4, 0x4400_0002)?; // sc
    let newsp = frame - SIGNAL_FRAMESIZE;
    m.q(newsp, sp)?;
    let c = &mut p.cpu;
    c.lr = super::SIGTRAMP;
    c.ctr = act.handler;
    c.gpr[12] = act.handler;
    c.gpr[1] = newsp;
    c.gpr[3] = info.signo as u64;
    if act.flags & SA_SIGINFO != 0 {
        c.gpr[4] = inf;
        c.gpr[5] = frame;
        c.gpr[6] = frame;
    } else {
        c.gpr[4] = sc;
    }
    c.pc = act.handler & !3;
    // "Make sure signal handler doesn't get spurious FP exceptions."
    c.fpscr = 0;
    let s = &mut p.signals;
    if act.flags & SA_NODEFER == 0 {
        s.blocked |= bit(info.signo);
    }
    s.blocked |= act.mask;
    s.blocked &= !(bit(SIGKILL) | bit(SIGSTOP));
    if act.flags & SA_RESETHAND != 0 {
        s.actions[info.signo as usize] = Action::default();
        mirror(info.signo, &Action::default());
        p.update_guard();
    }
    log::debug!("signal {} delivered to {:#x}", info.signo, act.handler);
    Ok(())
}

/// rt_sigreturn: restore everything from the ucontext at r1 + 128.
pub fn sigreturn(p: &mut Process) -> Result<(), Exc> {
    let mem = p.cpu.mem;
    let uc = p.cpu.gpr[1] + SIGNAL_FRAMESIZE;
    let rq = |a: u64| mem.load(8, a);
    let mask = rq(uc + 40)?;
    let sc = uc + UC_MCONTEXT;
    let gp = sc + SC_GP;
    let msr = rq(gp + 8 * PT_MSR)?;
    let c = &mut p.cpu;
    for r in 0..32 {
        c.gpr[r] = rq(gp + 8 * r as u64)?;
    }
    c.pc = rq(gp + 8 * PT_NIP)?;
    c.ctr = rq(gp + 8 * PT_CTR)?;
    c.lr = rq(gp + 8 * PT_LNK)?;
    let xer = rq(gp + 8 * PT_XER)?;
    c.set_xer(xer);
    let ccr = rq(gp + 8 * PT_CCR)?;
    c.set_cr(ccr as u32);
    let fp = sc + SC_FP;
    let mut fprs = [0u64; 32];
    for (r, f) in fprs.iter_mut().enumerate() {
        *f = rq(fp + 8 * r as u64)?;
    }
    c.fpscr = rq(fp + 8 * 32)?;
    let vr = rq(sc + SC_VREGS)?;
    if vr != 0 && msr & MSR_VEC != 0 {
        for r in 0..32 {
            let lo = rq(vr + 16 * r)?;
            let hi = rq(vr + 16 * r + 8)?;
            c.set_vr(r as usize, (hi as u128) << 64 | lo as u128);
        }
        c.vscr = mem.load(4, vr + 16 * 32)? as u32;
    }
    if vr != 0 {
        c.vrsave = mem.load(4, vr + 16 * 33)? as u32;
    }
    for (r, f) in fprs.iter().enumerate() {
        let low = if vr != 0 && msr & MSR_VSX != 0 {
            rq(vr + 16 * 34 + 8 * r as u64)?
        } else {
            c.vsr[r] as u64
        };
        c.vsr[r] = (*f as u128) << 64 | low as u128;
    }
    p.signals.blocked = mask & !(bit(SIGKILL) | bit(SIGSTOP));
    Ok(())
}
