//! Process, signal, time and identity system calls: exit, fork/vfork/clone
//! (a host fork: the emulator is single-threaded, so the child is a full
//! copy), execve (re-executes powerlift on the new guest program), wait4,
//! kill/tgkill to ourselves, rt_sigaction/rt_sigprocmask/rt_sigreturn/
//! sigaltstack/rt_sigsuspend, futex for a single thread, prctl (including
//! powerpc's PR_SET_FPEXC, which sets MSR[FE0,FE1]), uname, sysinfo,
//! rlimits and clocks. Structures here (timespec, timeval, rusage, tms,
//! sysinfo, rlimit, itimerval) have the same layout on powerpc64 and the
//! 64-bit host.

use super::signal::{self, Action, Info};
use super::syscall::{host, Sys, EFAULT, EINVAL, R};
use super::Process;
use crate::memory::{PROT_R, PROT_W};

/// Calls glibc probes and copes without: ENOSYS, no log line.
const QUIET_ENOSYS: &[u64] = &[
    299, // get_robust_list
    300, // set_robust_list
    387, // rseq
    435, // clone3 (glibc falls back to clone)
    183, // capget
    184, // capset
];

const CLONE_VM: u64 = 0x100;
const CLONE_THREAD: u64 = 0x1_0000;
const CLONE_SETTLS: u64 = 0x8_0000;
const CLONE_PARENT_SETTID: u64 = 0x10_0000;
const CLONE_CHILD_SETTID: u64 = 0x100_0000;
const CLONE_VFORK: u64 = 0x4000;

/// MSR[FE0] and MSR[FE1] (Book III §4.2.1): the floating-point exception
/// mode, which PR_SET_FPEXC sets (arch/powerpc/kernel/process.c).
const MSR_FE0: u64 = 1 << 11;
const MSR_FE1: u64 = 1 << 8;

pub fn call(p: &mut Process, nr: u64, a: [u64; 6]) -> Option<Sys> {
    let c = |x: u64| x as libc::c_long;
    // SAFETY (every libc call below): pointers come from `buf`, which
    // checked the guest range, or are locals of the right type.
    let r: R = unsafe {
        match nr {
            1 | 234 => {
                use std::io::Write;
                let _ = std::io::stdout().flush();
                return Some(Sys::Exit(a[0] as i32 & 0xff));
            }
            172 => {
                return Some(match signal::sigreturn(p) {
                    Ok(()) => Sys::NoReturn,
                    Err(_) => signal::die_by_signal(signal::SIGSEGV),
                })
            }
            2 | 189 => fork(p, 0, 0, 0, 0, 0),
            120 => clone(p, a),
            11 => execve(p, a[0], a[1], a[2]),
            114 | 7 => {
                let mut st: libc::c_int = 0;
                let mut ru: libc::rusage = std::mem::zeroed();
                let opts = a[2] as i32;
                let r = host(libc::wait4(a[0] as i32, &mut st, opts, &mut ru) as i64);
                r.and_then(|pid| {
                    if a[1] != 0 && pid != 0 {
                        p.put(a[1], &st)?;
                    }
                    if nr == 114 && a[3] != 0 {
                        p.put(a[3], &ru)?;
                    }
                    Ok(pid)
                })
            }
            37 | 250 | 208 => {
                let (target, sig) = match nr {
                    37 => (a[0] as i32, a[1] as i32),
                    250 => (a[1] as i32, a[2] as i32),
                    _ => (a[0] as i32, a[1] as i32),
                };
                let me = std::process::id() as i32;
                let to_self = target == me || (nr == 37 && (target == 0 || target == -me));
                if !(0..=64).contains(&sig) {
                    Err(EINVAL)
                } else if to_self {
                    if sig != 0 {
                        let uid = libc::getuid() as u64;
                        signal::queue(
                            p,
                            Info {
                                signo: sig,
                                code: if nr == 37 { 0 } else { -6 }, // SI_USER, SI_TKILL
                                word: me as u32 as u64 | uid << 32,
                            },
                        );
                    }
                    Ok(0)
                } else {
                    host(libc::kill(target, sig) as i64)
                }
            }
            173 => sigaction(p, a),
            174 => sigprocmask(p, a),
            175 => {
                let mut set = 0u64;
                for i in &p.signals.pending {
                    set |= 1 << (i.signo - 1);
                }
                p.put_u64s(a[0], &[set & p.signals.blocked]).map(|_| 0)
            }
            178 | 29 => suspend(p, if nr == 178 { Some(a[0]) } else { None }),
            185 => sigaltstack(p, a),
            27 => Ok(libc::alarm(a[0] as u32) as u64),
            104 => {
                let new = p.buf(a[1], 32, PROT_R);
                let old = if a[2] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[2], 32, PROT_W)
                };
                match (new, old) {
                    (Ok(n), Ok(o)) => host(libc::syscall(libc::SYS_setitimer, c(a[0]), n, o)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            105 => p
                .buf(a[1], 32, PROT_W)
                .and_then(|b| host(libc::syscall(libc::SYS_getitimer, c(a[0]), b))),
            221 => futex(p, a),
            232 => Ok(libc::getpid() as u64),
            20 | 207 => Ok(libc::getpid() as u64),
            64 => Ok(libc::getppid() as u64),
            65 => Ok(libc::getpgrp() as u64),
            57 => host(libc::setpgid(a[0] as i32, a[1] as i32) as i64),
            132 => host(libc::getpgid(a[0] as i32) as i64),
            66 => host(libc::setsid() as i64),
            147 => host(libc::getsid(a[0] as i32) as i64),
            24 => Ok(libc::getuid() as u64),
            49 => Ok(libc::geteuid() as u64),
            47 => Ok(libc::getgid() as u64),
            50 => Ok(libc::getegid() as u64),
            23 => host(libc::setuid(a[0] as u32) as i64),
            46 => host(libc::setgid(a[0] as u32) as i64),
            70 => host(libc::setreuid(a[0] as u32, a[1] as u32) as i64),
            71 => host(libc::setregid(a[0] as u32, a[1] as u32) as i64),
            164 => host(libc::setresuid(a[0] as u32, a[1] as u32, a[2] as u32) as i64),
            169 => host(libc::setresgid(a[0] as u32, a[1] as u32, a[2] as u32) as i64),
            138 | 139 => Ok(if nr == 138 {
                libc::geteuid()
            } else {
                libc::getegid()
            } as u64),
            80 => {
                let n = a[0].min(65536);
                p.buf(a[1], 4 * n, PROT_W)
                    .and_then(|b| host(libc::getgroups(n as i32, b as *mut libc::gid_t) as i64))
            }
            81 => p
                .buf(a[1], 4 * a[0].min(65536), PROT_R)
                .and_then(|b| host(libc::setgroups(a[0] as usize, b as *const libc::gid_t) as i64)),
            165 | 170 => {
                let bufs = [
                    p.buf(a[0], 4, PROT_W),
                    p.buf(a[1], 4, PROT_W),
                    p.buf(a[2], 4, PROT_W),
                ];
                match bufs {
                    [Ok(x), Ok(y), Ok(z)] => host(libc::syscall(
                        if nr == 165 {
                            libc::SYS_getresuid
                        } else {
                            libc::SYS_getresgid
                        },
                        x,
                        y,
                        z,
                    )),
                    _ => Err(EFAULT),
                }
            }
            122 => uname(p, a[0]),
            116 => {
                let mut si: libc::sysinfo = std::mem::zeroed();
                host(libc::sysinfo(&mut si) as i64).and_then(|_| p.put(a[0], &si).map(|_| 0))
            }
            171 => prctl(p, a),
            136 => Ok(0), // personality: PER_LINUX
            76 | 190 | 75 | 325 => rlimit(p, nr, a),
            77 => {
                let mut ru: libc::rusage = std::mem::zeroed();
                host(libc::getrusage(a[0] as i32, &mut ru) as i64)
                    .and_then(|_| p.put(a[1], &ru).map(|_| 0))
            }
            96 => host(libc::syscall(libc::SYS_getpriority, c(a[0]), c(a[1]))),
            97 => host(libc::setpriority(a[0] as u32, a[1] as u32, a[2] as i32) as i64),
            246 | 247 => {
                let mut ts: libc::timespec = std::mem::zeroed();
                let f = if nr == 246 {
                    libc::clock_gettime
                } else {
                    libc::clock_getres
                };
                host(f(a[0] as i32, &mut ts) as i64)
                    .and_then(|_| if a[1] == 0 { Ok(()) } else { p.put(a[1], &ts) })
                    .map(|_| 0)
            }
            78 => {
                let mut tv: libc::timeval = std::mem::zeroed();
                libc::gettimeofday(&mut tv, std::ptr::null_mut());
                let r = if a[0] != 0 { p.put(a[0], &tv) } else { Ok(()) };
                r.and_then(|_| {
                    if a[1] != 0 {
                        p.put_u64s(a[1], &[0])
                    } else {
                        Ok(())
                    }
                })
                .map(|_| 0)
            }
            13 => {
                let t = libc::time(std::ptr::null_mut()) as u64;
                if a[0] != 0 {
                    p.put_u64s(a[0], &[t]).map(|_| t)
                } else {
                    Ok(t)
                }
            }
            43 => {
                let mut t: libc::tms = std::mem::zeroed();
                let r = libc::times(&mut t) as u64;
                if a[0] != 0 {
                    p.put(a[0], &t).map(|_| r)
                } else {
                    Ok(r)
                }
            }
            162 | 248 => {
                let (clk, flags, req, rem) = if nr == 162 {
                    (libc::CLOCK_REALTIME as u64, 0, a[0], a[1])
                } else {
                    (a[0], a[1], a[2], a[3])
                };
                let q = p.buf(req, 16, PROT_R);
                let m = if rem == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(rem, 16, PROT_W)
                };
                match (q, m) {
                    (Ok(q), Ok(m)) => {
                        // clock_nanosleep returns the error number itself.
                        let e = libc::clock_nanosleep(
                            clk as i32,
                            flags as i32,
                            q as *const libc::timespec,
                            m as *mut libc::timespec,
                        );
                        if e == 0 {
                            Ok(0)
                        } else {
                            Err(e)
                        }
                    }
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            158 => Ok(0),
            159 | 160 => Ok(0),
            222 => Ok(0),
            223 => p.buf(a[2], a[1], PROT_W).and_then(|b| {
                host(libc::syscall(
                    libc::SYS_sched_getaffinity,
                    c(a[0]),
                    c(a[1]),
                    b,
                ))
            }),
            302 => {
                let x = if a[0] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[0], 4, PROT_W)
                };
                let y = if a[1] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[1], 4, PROT_W)
                };
                match (x, y) {
                    (Ok(x), Ok(y)) => host(libc::syscall(libc::SYS_getcpu, x, y, 0)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            359 => p.buf(a[0], a[1], PROT_W).and_then(|b| {
                host(libc::getrandom(b as *mut _, a[1] as usize, a[2] as u32) as i64)
            }),
            0 => Err(libc::EINTR),
            _ if QUIET_ENOSYS.contains(&nr) => Err(libc::ENOSYS),
            _ => return None,
        }
    };
    Some(Sys::Ret(r))
}

fn sigaction(p: &mut Process, a: [u64; 6]) -> R {
    let sig = a[0] as usize;
    if sig == 0 || sig > 64 {
        return Err(EINVAL);
    }
    let old = p.signals.actions[sig];
    if a[1] != 0 && (sig == 9 || sig == 19) {
        return Err(EINVAL);
    }
    let new = if a[1] != 0 {
        Some(Action {
            handler: p.get_u64(a[1])?,
            flags: p.get_u64(a[1] + 8)?,
            restorer: p.get_u64(a[1] + 16)?,
            mask: p.get_u64(a[1] + 24)?,
        })
    } else {
        None
    };
    if a[2] != 0 {
        p.put_u64s(a[2], &[old.handler, old.flags, old.restorer, old.mask])?;
    }
    if let Some(act) = new {
        p.signals.actions[sig] = act;
        signal::mirror(sig as i32, &act);
        if sig == signal::SIGSEGV as usize {
            p.update_guard();
        }
        if act.handler == signal::SIG_IGN {
            p.signals.pending.retain(|i| i.signo != sig as i32);
        }
    }
    Ok(0)
}

fn sigprocmask(p: &mut Process, a: [u64; 6]) -> R {
    let old = p.signals.blocked;
    if a[1] != 0 {
        let set = p.get_u64(a[1])?;
        let new = match a[0] {
            0 => old | set,
            1 => old & !set,
            2 => set,
            _ => return Err(EINVAL),
        };
        p.signals.blocked = new & !(1 << 8 | 1 << 18); // never SIGKILL/SIGSTOP
    }
    if a[2] != 0 {
        p.put_u64s(a[2], &[old])?;
    }
    Ok(0)
}

/// rt_sigsuspend (with a mask) or pause: wait until a signal is delivered
/// to a handler, then fail with EINTR. The frame saves the mask from
/// before the call, so sigreturn restores it.
fn suspend(p: &mut Process, mask: Option<u64>) -> R {
    let old = p.signals.blocked;
    if let Some(m) = mask {
        p.signals.blocked = p.get_u64(m)? & !(1 << 8 | 1 << 18);
    }
    loop {
        signal::poll_host(p);
        let blocked = p.signals.blocked;
        if p.signals
            .pending
            .iter()
            .any(|i| blocked & 1 << (i.signo - 1) == 0)
        {
            break;
        }
        // SAFETY: waits for any host signal.
        unsafe { libc::pause() };
    }
    p.signals.saved_mask = Some(old);
    Err(libc::EINTR)
}

fn sigaltstack(p: &mut Process, a: [u64; 6]) -> R {
    let (sp, flags, size) = p.signals.altstack;
    let on = flags & signal::SS_DISABLE == 0 && p.cpu.gpr[1].wrapping_sub(sp) < size;
    if a[1] != 0 {
        let cur = if on {
            signal::SS_ONSTACK
        } else {
            flags & signal::SS_DISABLE
        };
        p.put_u64s(a[1], &[sp, cur, size])?;
    }
    if a[0] != 0 {
        if on {
            return Err(libc::EPERM);
        }
        let nsp = p.get_u64(a[0])?;
        let nfl = p.get_u32(a[0] + 8)? as u64;
        let nsz = p.get_u64(a[0] + 16)?;
        if nfl & !signal::SS_DISABLE != 0 && nfl != signal::SS_ONSTACK {
            return Err(EINVAL);
        }
        if nfl & signal::SS_DISABLE == 0 && nsz < 2048 {
            return Err(libc::ENOMEM);
        }
        p.signals.altstack = (nsp, nfl & signal::SS_DISABLE, nsz);
    }
    Ok(0)
}

/// futex for a single thread: a wait whose value still matches would
/// sleep forever, so it fails with EAGAIN only when the value differs and
/// times out otherwise; wakes find nobody.
fn futex(p: &Process, a: [u64; 6]) -> R {
    match a[1] & 0x7f {
        0 | 9 => {
            let v = p.get_u32(a[0])?;
            if v != a[2] as u32 {
                Err(libc::EAGAIN)
            } else {
                Err(libc::ETIMEDOUT)
            }
        }
        1 | 10 => Ok(0),
        _ => Err(libc::ENOSYS),
    }
}

fn prctl(p: &mut Process, a: [u64; 6]) -> R {
    match a[0] {
        1 | 4 | 36 | 38 => Ok(0), // PDEATHSIG, DUMPABLE, CHILD_SUBREAPER, NO_NEW_PRIVS
        2 => p.put(a[1], &0i32).map(|_| 0),
        3 => Ok(1),
        15 => {
            let mut name = [0u8; 16];
            for (k, b) in name.iter_mut().take(15).enumerate() {
                *b = p.cpu.mem.load(1, a[1] + k as u64).map_err(|_| EFAULT)? as u8;
                if *b == 0 {
                    break;
                }
            }
            p.comm = name;
            Ok(0)
        }
        16 => p.put_bytes(a[1], &p.comm).map(|_| 0),
        11 => {
            // PR_GET_FPEXC: the mode from MSR[FE0,FE1].
            let m = p.cpu.msr;
            let mode = (m & MSR_FE0 != 0) as u32 * 2 + (m & MSR_FE1 != 0) as u32;
            p.put(a[1], &mode).map(|_| 0)
        }
        12 => {
            // PR_SET_FPEXC: DISABLED 0, NONRECOV 1, ASYNC 2, PRECISE 3
            // (plus software-only bits that powerpc ignores).
            let mode = a[1] & 3;
            let m = p.cpu.msr & !(MSR_FE0 | MSR_FE1);
            p.cpu.msr = m
                | if mode & 2 != 0 { MSR_FE0 } else { 0 }
                | if mode & 1 != 0 { MSR_FE1 } else { 0 };
            Ok(0)
        }
        _ => Err(EINVAL),
    }
}

fn uname(p: &Process, addr: u64) -> R {
    // SAFETY: uname fills a local utsname.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    unsafe { libc::uname(&mut u) };
    let mut out = [0u8; 65 * 6];
    let fields: [&[libc::c_char]; 6] = [
        &u.sysname,
        &u.nodename,
        &u.release,
        &u.version,
        &u.machine,
        &u.domainname,
    ];
    for (k, f) in fields.iter().enumerate() {
        for (j, &ch) in f.iter().take(64).enumerate() {
            out[65 * k + j] = ch as u8;
        }
    }
    let m = b"ppc64le\0";
    out[65 * 4..65 * 5].fill(0);
    out[65 * 4..65 * 4 + m.len()].copy_from_slice(m);
    p.put_bytes(addr, &out).map(|_| 0)
}

fn rlimit(p: &Process, nr: u64, a: [u64; 6]) -> R {
    let (res, new, old) = match nr {
        325 => {
            if a[0] != 0 && a[0] as i32 != std::process::id() as i32 {
                return Err(libc::ESRCH);
            }
            (a[1], a[2], a[3])
        }
        75 => (a[0], a[1], 0),
        _ => (a[0], 0, a[1]),
    };
    if res >= 16 {
        return Err(EINVAL);
    }
    if old != 0 {
        let mut rl = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit fills a local struct.
        host(unsafe { libc::getrlimit(res as _, &mut rl) } as i64)?;
        let (mut cur, mut max) = (rl.rlim_cur, rl.rlim_max);
        if res == libc::RLIMIT_STACK as u64 {
            cur = cur.min(super::STACK_SIZE);
            max = max.max(cur);
        }
        p.put_u64s(old, &[cur, max])?;
    }
    if new != 0 && res == libc::RLIMIT_NOFILE as u64 {
        let rl = libc::rlimit {
            rlim_cur: p.get_u64(new)?,
            rlim_max: p.get_u64(new + 8)?,
        };
        // SAFETY: setrlimit reads a local struct.
        host(unsafe { libc::setrlimit(res as _, &rl) } as i64)?;
    }
    Ok(0)
}

/// fork, vfork and fork-like clone: a host fork. `ptid`/`ctid` get the
/// child's id when the clone flags ask for it; `newsp`/`tls` set the
/// child's r1/r13.
fn fork(p: &mut Process, flags: u64, newsp: u64, ptid: u64, tls: u64, ctid: u64) -> R {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // SAFETY: the emulator is single-threaded, so the child is a complete
    // copy of a consistent process.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return host(-1);
    }
    let me = if pid == 0 {
        unsafe { libc::getpid() }
    } else {
        pid
    };
    if pid == 0 {
        if newsp != 0 {
            p.cpu.gpr[1] = newsp;
        }
        if flags & CLONE_SETTLS != 0 {
            p.cpu.gpr[13] = tls;
        }
        if flags & CLONE_CHILD_SETTID != 0 {
            let _ = p.put(ctid, &me);
        }
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        let _ = p.put(ptid, &me);
    }
    Ok(if pid == 0 { 0 } else { pid as u64 })
}

/// clone(flags, newsp, parent_tid, tls, child_tid) — powerpc's argument
/// order (CONFIG_CLONE_BACKWARDS). Threads are not supported.
fn clone(p: &mut Process, a: [u64; 6]) -> R {
    let flags = a[0];
    if flags & CLONE_THREAD != 0 || (flags & CLONE_VM != 0 && flags & CLONE_VFORK == 0) {
        log::warn!("clone: threads are not supported (flags {flags:#x})");
        return Err(libc::EAGAIN);
    }
    fork(p, flags, a[1], a[2], a[3], a[4])
}

fn read_strings(p: &Process, mut addr: u64) -> Result<Vec<std::ffi::CString>, i32> {
    let mut v = Vec::new();
    if addr == 0 {
        return Ok(v);
    }
    loop {
        let s = p.get_u64(addr)?;
        if s == 0 {
            break;
        }
        v.push(p.cstr(s)?);
        addr += 8;
        if v.len() > 65536 {
            return Err(libc::E2BIG);
        }
    }
    Ok(v)
}

/// execve: check the file the way the kernel would (exists, executable),
/// then replace this process with a new `powerlift run` of it, keeping the
/// guest's argv[0] and environment; a host program runs natively.
fn execve(p: &mut Process, path: u64, argv: u64, envp: u64) -> R {
    let file = p.path(path)?;
    let args = read_strings(p, argv)?;
    let env = read_strings(p, envp)?;
    // SAFETY: access on a valid C string.
    if unsafe { libc::access(file.as_ptr(), libc::X_OK) } != 0 {
        return host(-1);
    }
    let fpath = std::path::Path::new(
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(file.as_bytes()),
    );
    if !super::elf::is_guest_program(fpath, p.sysroot.as_deref()) {
        // A host program (e.g. /bin/sh for popen without a sysroot): the
        // host kernel runs it natively, as under qemu-ppc64le.
        let mut av: Vec<*const libc::c_char> = args.iter().map(|s| s.as_ptr()).collect();
        av.push(std::ptr::null());
        let mut ev: Vec<*const libc::c_char> = env.iter().map(|s| s.as_ptr()).collect();
        ev.push(std::ptr::null());
        {
            use std::io::Write;
            let _ = std::io::stdout().flush();
        }
        // SAFETY: NUL-terminated arrays of valid C strings.
        unsafe { libc::execve(file.as_ptr(), av.as_ptr(), ev.as_ptr()) };
        return host(-1);
    }
    let me = std::fs::read_link("/proc/self/exe").map_err(|_| libc::ENOEXEC)?;
    let mut hargs: Vec<std::ffi::CString> = vec![std::ffi::CString::new("powerlift").unwrap()];
    hargs.push(std::ffi::CString::new("run").unwrap());
    if let Some(root) = &p.sysroot {
        hargs.push(std::ffi::CString::new("-L").unwrap());
        hargs.push(std::ffi::CString::new(root.as_os_str().as_encoded_bytes()).unwrap());
    }
    if let Some(a0) = args.first() {
        hargs.push(std::ffi::CString::new("--argv0").unwrap());
        hargs.push(a0.clone());
    }
    hargs.push(file.clone());
    hargs.extend(args.iter().skip(1).cloned());
    // The emulator's own settings ride along with the guest environment.
    let mut henv = env.clone();
    for (k, v) in std::env::vars() {
        if k.starts_with("POWERLIFT_") || k == "RUST_LOG" {
            henv.push(std::ffi::CString::new(format!("{k}={v}")).unwrap());
        }
    }
    let mut av: Vec<*const libc::c_char> = hargs.iter().map(|s| s.as_ptr()).collect();
    av.push(std::ptr::null());
    let mut ev: Vec<*const libc::c_char> = henv.iter().map(|s| s.as_ptr()).collect();
    ev.push(std::ptr::null());
    let me = std::ffi::CString::new(me.as_os_str().as_encoded_bytes()).unwrap();
    {
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }
    // Restore default dispositions for signals we caught on the guest's
    // behalf (a real exec resets handlers; ignored signals stay ignored,
    // and the new guest inherits them through the host).
    for sig in 1..=64 {
        if p.signals.actions[sig as usize].handler > signal::SIG_IGN {
            signal::mirror(sig, &Action::default());
        }
    }
    // SAFETY: argv/envp are NUL-terminated arrays of valid C strings.
    unsafe { libc::execve(me.as_ptr(), av.as_ptr(), ev.as_ptr()) };
    host(-1)
}
