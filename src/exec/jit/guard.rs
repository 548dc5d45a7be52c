//! Guest accesses checked by the host MMU: user mode on x86-64 Linux hosts,
//! while the guest has no SIGSEGV handler (`GuestMem::guarded`).
//!
//! The guest space's host protections mirror the guest's
//! (`memory::host_prot`) and PROT_NONE guards surround it, so compiled
//! code accesses `base + EA` with no check but a clamp of the base
//! register into the guards (`Emitter::guarded_addr`): no permission-table
//! load, no page-crossing test, no branch. A host SIGSEGV raised by compiled code is then one of two things:
//! - a store into a page holding decoded code (read-only on the host): the
//!   handler makes the page writable again, bumps the code generation (the
//!   dispatcher flushes before it runs another region), ends the slice
//!   (`stop_at`, which region exits test before they tail-call another
//!   region) and lets the store run again. Until the region exits it may run the code it was compiled
//!   from; Power ISA Book II §1.8 only promises the new instructions after
//!   a context-synchronizing instruction, and guarded regions end at
//!   `isync` for that reason.
//! - a real guest fault: guest register values may live in host registers
//!   of the region, so the state is not precise. With no guest SIGSEGV
//!   handler the only outcome is the process's death, which needs none:
//!   the handler abandons the region chain and returns `FAULT` from
//!   `run`, whose caller reports a data storage fault at the faulting
//!   address. A guest that installs a SIGSEGV handler turns `guarded` off,
//!   which flushes compiled code and recompiles it with inline checks.
//!
//! The abandon is a jump back into `run`'s own frame (`powerlift_guard_enter`
//! saves the stack pointer and every callee-saved register before it calls
//! the chain), like QEMU's `siglongjmp` out of a TB; the frames skipped are
//! compiled regions and `Jit::exec_chain`, which own nothing that needs
//! dropping.

use std::cell::Cell;

/// What `run` returns when the chain was abandoned on a guest fault.
pub const FAULT: u64 = u64::MAX - 1;

/// Per-JIT state the fault handler reads: where compiled code and guest
/// memory lie, and where to resume.
#[repr(C)]
pub struct Active {
    /// Stack pointer saved by `powerlift_guard_enter` before the call.
    saved_sp: u64,
    /// The code arena: faults elsewhere are host bugs.
    pub code: (u64, u64),
    pub base: u64,
    pub size: u64,
    pub perms: *mut u8,
    pub code_gen: *mut u64,
    /// The vCPU's `stop_at`, zeroed with a code change so that the chain
    /// returns to the dispatcher at the next region exit (`chain`).
    pub stop_at: *mut u64,
    /// Guest address of the last real fault.
    pub fault_ea: u64,
}

impl Default for Active {
    fn default() -> Active {
        Active {
            saved_sp: 0,
            code: (0, 0),
            base: 0,
            size: 0,
            perms: std::ptr::null_mut(),
            code_gen: std::ptr::null_mut(),
            stop_at: std::ptr::null_mut(),
            fault_ea: 0,
        }
    }
}

thread_local! {
    /// The `Active` of the chain running on this thread (null outside
    /// `run`). A const-initialised `Cell` of a pointer: reading it from the
    /// signal handler allocates nothing and takes no lock.
    static CURRENT: Cell<*mut Active> = const { Cell::new(std::ptr::null_mut()) };
}

/// Whether this host can run guarded regions.
pub const fn supported() -> bool {
    cfg!(all(target_arch = "x86_64", target_os = "linux"))
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod host {
    use super::{Active, CURRENT, FAULT};
    use crate::memory::{GUARD_HI, GUARD_LO, PAGE_CODE, PAGE_SHIFT, PROT_W};

    // powerlift_guard_enter(data, f, saved_sp): save the callee-saved
    // registers, store the stack pointer in *saved_sp, call f(data) and
    // return its result. The fault handler resumes at
    // powerlift_guard_resume with rsp = *saved_sp and rax = FAULT, which
    // unwinds exactly what the prologue did. (System V AMD64 ABI: rbx,
    // rbp, r12-r15 are callee-saved; the stack is 16-byte aligned at the
    // call.)
    std::arch::global_asm!(
        ".text",
        ".globl powerlift_guard_enter",
        ".type powerlift_guard_enter,@function",
        "powerlift_guard_enter:",
        "push rbp",
        "mov rbp, rsp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "sub rsp, 8",
        "mov [rdx], rsp",
        "call rsi",
        ".globl powerlift_guard_resume",
        "powerlift_guard_resume:",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
        ".size powerlift_guard_enter, . - powerlift_guard_enter",
    );

    unsafe extern "C" {
        fn powerlift_guard_enter(
            data: *mut u8,
            f: unsafe extern "C" fn(*mut u8) -> u64,
            saved_sp: *mut u64,
        ) -> u64;
        fn powerlift_guard_resume();
    }

    unsafe extern "C" fn call_closure(data: *mut u8) -> u64 {
        // SAFETY: `run` passes a pointer to a live `&mut dyn FnMut`.
        unsafe { (*(data as *mut &mut dyn FnMut() -> u64))() }
    }

    pub fn run(active: &mut Active, f: &mut dyn FnMut() -> u64) -> u64 {
        let mut f = f;
        let prev = CURRENT.with(|c| c.replace(active));
        // SAFETY: the trampoline calls call_closure(&mut f) and returns
        // its result, or FAULT when the handler abandons the call (only
        // from compiled code, whose frames and `exec_chain`'s own nothing
        // to drop).
        let r = unsafe {
            powerlift_guard_enter(
                &mut f as *mut &mut dyn FnMut() -> u64 as *mut u8,
                call_closure,
                &mut active.saved_sp,
            )
        };
        CURRENT.with(|c| c.set(prev));
        r
    }

    /// The SIGSEGV handler (see the module comment).
    extern "C" fn on_fault(_sig: i32, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo and ucontext; `Active`
        // outlives the `run` that published it; everything done here is
        // async-signal-safe (plain loads and stores, mprotect).
        unsafe {
            let a = CURRENT.with(|c| c.get());
            let uc = ctx as *mut libc::ucontext_t;
            let regs = &mut (*uc).uc_mcontext.gregs;
            let rip = regs[libc::REG_RIP as usize] as u64;
            let addr = (*info).si_addr() as u64;
            // (Compiled code reaches the guards around the space too.)
            let ours = !a.is_null()
                && (*a).code.0 <= rip
                && rip < (*a).code.1
                && addr.wrapping_sub((*a).base.wrapping_sub(GUARD_LO))
                    < GUARD_LO + (*a).size + GUARD_HI;
            if !ours {
                // Not a guest access from compiled code: a host bug. Let
                // it kill the process the default way.
                libc::signal(libc::SIGSEGV, libc::SIG_DFL);
                return;
            }
            let a = &mut *a;
            let ea = addr.wrapping_sub(a.base);
            let page = ea >> PAGE_SHIFT;
            let p = a.perms.add(page as usize);
            if ea < a.size && *p & PROT_W != 0 && *p & PAGE_CODE != 0 {
                // A store into decoded code (a read of such a page cannot
                // fault: it is readable).
                *p &= !PAGE_CODE;
                libc::mprotect(
                    (a.base + (page << PAGE_SHIFT)) as *mut libc::c_void,
                    1 << PAGE_SHIFT,
                    libc::PROT_READ | libc::PROT_WRITE,
                );
                *a.code_gen += 1;
                *a.stop_at = 0;
                return;
            }
            a.fault_ea = ea;
            regs[libc::REG_RSP as usize] = a.saved_sp as i64;
            regs[libc::REG_RIP as usize] = powerlift_guard_resume as *const () as i64;
            regs[libc::REG_RAX as usize] = FAULT as i64;
        }
    }

    pub fn install() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: installing a handler for a synchronous signal; the
            // handler only does what its comment says.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_fault as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(libc::SIGSEGV, &sa, std::ptr::null_mut());
            }
        });
    }
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
mod host {
    use super::Active;
    pub fn run(_active: &mut Active, f: &mut dyn FnMut() -> u64) -> u64 {
        f()
    }
    pub fn install() {}
}

/// Run `f` (a chain of guarded regions) so that a guest fault in compiled
/// code abandons it and returns `FAULT` (with `active.fault_ea` set).
pub fn run(active: &mut Active, f: &mut dyn FnMut() -> u64) -> u64 {
    host::run(active, f)
}

/// Install the host SIGSEGV handler (once per process).
pub fn install() {
    host::install()
}
