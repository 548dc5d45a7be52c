//! Linux system calls for ppc64le guests: the entry point, the guest-memory
//! helpers every call uses, and the table from number (the kernel's
//! `arch/powerpc/kernel/syscalls/syscall.tbl`) to implementation in
//! `sys_fs` (files), `sys_mem` (address space), `sys_net` (sockets) and
//! `sys_proc` (processes, signals, time, identity).
//!
//! Calling convention (Linux powerpc ABI): `sc` with the number in r0 and
//! arguments in r3..r8; the result returns in r3. After `sc`, a failure sets
//! CR0[SO] and returns the positive errno; after `scv 0`, r3 holds -errno.
//! Most calls pass straight through to the host with guest pointers turned
//! into host pointers (the guest space is flat and every range is checked);
//! calls whose structures or constants differ between powerpc64 and the
//! host are converted. An unknown call returns ENOSYS and logs one line.

use super::signal;
use super::{sys_fs, sys_mem, sys_net, sys_proc, Process};
use crate::memory::PROT_W;
use std::ffi::CString;

pub enum Outcome {
    Continue,
    Exit(i32),
}

/// A call's result: a value or a positive errno.
pub type R = Result<u64, i32>;

/// What a call did besides returning a value.
pub enum Sys {
    Ret(R),
    /// The registers are already what the guest must see (rt_sigreturn).
    NoReturn,
    /// End the process with this status.
    Exit(i32),
}

pub const EFAULT: i32 = libc::EFAULT;
pub const EINVAL: i32 = libc::EINVAL;
pub const ENOMEM: i32 = libc::ENOMEM;

/// A host call's result: the value, or the host errno (Linux errno numbers
/// are the same on powerpc, but for EDEADLOCK which nobody returns).
pub fn host(r: i64) -> R {
    if r < 0 {
        Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(EINVAL))
    } else {
        Ok(r as u64)
    }
}

impl Process {
    /// Host pointer to `len` bytes of guest memory with permission `need`.
    pub fn buf(&self, addr: u64, len: u64, need: u8) -> Result<*mut u8, i32> {
        if len == 0 {
            return Ok(std::ptr::NonNull::dangling().as_ptr());
        }
        self.cpu
            .mem
            .slice(addr, len, need)
            .map(|s| s.as_mut_ptr())
            .map_err(|_| EFAULT)
    }

    /// A NUL-terminated guest string.
    pub fn cstr(&self, addr: u64) -> Result<CString, i32> {
        let mut v = Vec::new();
        let mut a = addr;
        loop {
            let b = self.cpu.mem.load(1, a).map_err(|_| EFAULT)? as u8;
            if b == 0 {
                break;
            }
            v.push(b);
            a += 1;
            if v.len() > 4096 {
                return Err(libc::ENAMETOOLONG);
            }
        }
        Ok(CString::new(v).unwrap())
    }

    /// Copy raw bytes into guest memory.
    pub fn put_bytes(&self, addr: u64, b: &[u8]) -> Result<(), i32> {
        let p = self.buf(addr, b.len() as u64, PROT_W)?;
        // SAFETY: p is b.len() writable bytes of guest memory.
        unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), p, b.len()) };
        Ok(())
    }

    /// Copy a plain host value (same layout on powerpc64) into the guest.
    pub fn put<T: Copy>(&self, addr: u64, v: &T) -> Result<(), i32> {
        let n = std::mem::size_of::<T>();
        // SAFETY: viewing a Copy value as bytes.
        let b = unsafe { std::slice::from_raw_parts(v as *const T as *const u8, n) };
        self.put_bytes(addr, b)
    }

    pub fn put_u64s(&self, addr: u64, vals: &[u64]) -> Result<(), i32> {
        for (k, v) in vals.iter().enumerate() {
            self.cpu
                .mem
                .store(8, addr + 8 * k as u64, *v)
                .map_err(|_| EFAULT)?;
        }
        Ok(())
    }

    pub fn get_u64(&self, addr: u64) -> Result<u64, i32> {
        self.cpu.mem.load(8, addr).map_err(|_| EFAULT)
    }

    pub fn get_u32(&self, addr: u64) -> Result<u32, i32> {
        self.cpu
            .mem
            .load(4, addr)
            .map(|v| v as u32)
            .map_err(|_| EFAULT)
    }
}

/// Service the system call the guest just made; advances the PC past `sc`.
pub fn dispatch(p: &mut Process, scv: bool) -> Outcome {
    let nr = p.cpu.gpr[0];
    let a = [
        p.cpu.gpr[3],
        p.cpu.gpr[4],
        p.cpu.gpr[5],
        p.cpu.gpr[6],
        p.cpu.gpr[7],
        p.cpu.gpr[8],
    ];
    p.cpu.pc += 4;
    let r = match call(p, nr, a) {
        Sys::Ret(r) => r,
        Sys::NoReturn => {
            log::trace!("syscall {nr} ({}) -> (registers restored)", name(nr));
            signal::deliver_pending(p);
            return Outcome::Continue;
        }
        Sys::Exit(code) => return Outcome::Exit(code),
    };
    log::trace!(
        "syscall {nr} {}({:#x}, {:#x}, {:#x}, {:#x}) = {r:?}",
        name(nr),
        a[0],
        a[1],
        a[2],
        a[3]
    );
    // An interrupted call whose signal has an SA_RESTART handler runs
    // again after the handler returns: back up to the sc, keep r3.
    if r == Err(libc::EINTR) {
        signal::poll_host(p);
        if signal::pending_restart(p) == Some(true) {
            p.cpu.pc -= 4;
            signal::deliver_pending(p);
            return Outcome::Continue;
        }
    }
    // Linux returns to userspace with r0/r4..r12 and CTR/XER clobbered as
    // volatile; glibc relies only on r3 and CR0.SO.
    match r {
        Ok(v) => {
            p.cpu.gpr[3] = v;
            if !scv {
                p.cpu.crf[0] &= !1;
            }
        }
        Err(e) => {
            if scv {
                p.cpu.gpr[3] = (-(e as i64)) as u64;
            } else {
                p.cpu.gpr[3] = e as u64;
                p.cpu.crf[0] |= 1;
            }
        }
    }
    signal::deliver_pending(p);
    Outcome::Continue
}

/// Names for the trace log (the calls busybox and glibc make).
fn name(nr: u64) -> &'static str {
    match nr {
        1 => "exit",
        2 => "fork",
        3 => "read",
        4 => "write",
        5 => "open",
        6 => "close",
        11 => "execve",
        45 => "brk",
        54 => "ioctl",
        55 => "fcntl",
        90 => "mmap",
        91 => "munmap",
        106 => "stat",
        108 => "fstat",
        114 => "wait4",
        120 => "clone",
        122 => "uname",
        125 => "mprotect",
        163 => "mremap",
        171 => "prctl",
        172 => "rt_sigreturn",
        173 => "rt_sigaction",
        174 => "rt_sigprocmask",
        186 => "sendfile",
        202 => "getdents64",
        221 => "futex",
        234 => "exit_group",
        246 => "clock_gettime",
        286 => "openat",
        291 => "newfstatat",
        383 => "statx",
        _ => "",
    }
}

fn call(p: &mut Process, nr: u64, a: [u64; 6]) -> Sys {
    if let Some(r) = sys_fs::call(p, nr, a) {
        return Sys::Ret(r);
    }
    if let Some(r) = sys_mem::call(p, nr, a) {
        return Sys::Ret(r);
    }
    if let Some(r) = sys_net::call(p, nr, a) {
        return Sys::Ret(r);
    }
    if let Some(s) = sys_proc::call(p, nr, a) {
        return s;
    }
    log::warn!(
        "unsupported syscall {nr} ({:#x}, {:#x}, {:#x}) -> ENOSYS",
        a[0],
        a[1],
        a[2]
    );
    Sys::Ret(Err(libc::ENOSYS))
}
