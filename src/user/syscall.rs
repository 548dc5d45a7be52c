//! Linux system calls for ppc64le guests (numbers from the kernel's
//! `arch/powerpc/kernel/syscalls/syscall.tbl`).
//!
//! Calling convention (Linux powerpc ABI): `sc` with the number in r0 and
//! arguments in r3..r8; the result returns in r3. After `sc`, a failure sets
//! CR0[SO] and returns the positive errno; after `scv 0`, r3 holds -errno.
//! Most calls pass straight through to the host with guest pointers turned
//! into host pointers (the guest space is flat and every range is checked);
//! calls whose structures differ between guest and host are converted.

use super::signal::{self, Action};
use super::Process;
use crate::memory::{PAGE_SIZE, PROT_R, PROT_W, PROT_X};
use std::ffi::CString;

pub enum Outcome {
    Continue,
    Exit(i32),
}

type R = Result<u64, i32>;

const EFAULT: i32 = libc::EFAULT;
const EINVAL: i32 = libc::EINVAL;
const ENOMEM: i32 = libc::ENOMEM;

fn host(r: libc::c_long) -> R {
    if r < 0 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(EINVAL))
    } else {
        Ok(r as u64)
    }
}

impl Process {
    fn buf(&self, addr: u64, len: u64, need: u8) -> Result<*mut u8, i32> {
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
    fn cstr(&self, addr: u64) -> Result<CString, i32> {
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

    fn put<T: Copy>(&self, addr: u64, v: &T) -> Result<(), i32> {
        let n = std::mem::size_of::<T>() as u64;
        let p = self.buf(addr, n, PROT_W)?;
        // SAFETY: p is n writable bytes of guest memory.
        unsafe { std::ptr::copy_nonoverlapping(v as *const T as *const u8, p, n as usize) };
        Ok(())
    }

    fn put_u64s(&self, addr: u64, vals: &[u64]) -> Result<(), i32> {
        for (k, v) in vals.iter().enumerate() {
            self.cpu
                .mem
                .store(8, addr + 8 * k as u64, *v)
                .map_err(|_| EFAULT)?;
        }
        Ok(())
    }

    fn find_free(&self, len: u64) -> Option<u64> {
        let mut a = self.mmap_next.max(super::MMAP_BASE);
        let limit = super::STACK_TOP - super::STACK_SIZE - PAGE_SIZE;
        'outer: while a + len <= limit {
            let mut p = a;
            while p < a + len {
                if self.space.perm_of(p) != 0 {
                    a = p + PAGE_SIZE;
                    continue 'outer;
                }
                p += PAGE_SIZE;
            }
            return Some(a);
        }
        None
    }
}

fn prot_of(p: u64) -> u8 {
    let mut r = 0;
    if p & libc::PROT_READ as u64 != 0 {
        r |= PROT_R;
    }
    if p & libc::PROT_WRITE as u64 != 0 {
        r |= PROT_W;
    }
    if p & libc::PROT_EXEC as u64 != 0 {
        r |= PROT_X | PROT_R;
    }
    r
}

/// Write a guest `struct stat` (powerpc64 `asm/stat.h`, 144 bytes).
fn put_stat(p: &Process, addr: u64, st: &libc::stat) -> Result<(), i32> {
    let w = [
        st.st_dev,
        st.st_ino,
        st.st_nlink,
        (st.st_mode as u64) | (st.st_uid as u64) << 32,
        st.st_gid as u64,
        st.st_rdev,
        st.st_size as u64,
        st.st_blksize as u64,
        st.st_blocks as u64,
        st.st_atime as u64,
        st.st_atime_nsec as u64,
        st.st_mtime as u64,
        st.st_mtime_nsec as u64,
        st.st_ctime as u64,
        st.st_ctime_nsec as u64,
        0,
        0,
        0,
    ];
    p.put_u64s(addr, &w)
}

fn dirfd(v: u64) -> i32 {
    v as i32
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
        Ok(o) => o,
        Err(Stop(code)) => return Outcome::Exit(code),
    };
    log::trace!("syscall {nr}({:#x}, {:#x}, {:#x}) = {r:?}", a[0], a[1], a[2]);
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
    Outcome::Continue
}

struct Stop(i32);

fn call(p: &mut Process, nr: u64, a: [u64; 6]) -> Result<R, Stop> {
    let c = |x: u64| x as libc::c_long;
    // SAFETY (for every libc::syscall below): guest pointers were turned into
    // host pointers by `buf`/`cstr`, which checked the whole range.
    let r: R = unsafe {
        match nr {
            1 | 234 => {
                use std::io::Write;
                let _ = std::io::stdout().flush();
                return Err(Stop(a[0] as i32 & 0xff));
            }
            3 => p
                .buf(a[1], a[2], PROT_W)
                .and_then(|b| host(libc::read(a[0] as i32, b as *mut _, a[2] as usize) as _)),
            4 => p
                .buf(a[1], a[2], PROT_R)
                .and_then(|b| host(libc::write(a[0] as i32, b as *const _, a[2] as usize) as _)),
            179 | 180 => p
                .buf(a[1], a[2], if nr == 179 { PROT_W } else { PROT_R })
                .and_then(|b| {
                    let sys = if nr == 179 { libc::SYS_pread64 } else { libc::SYS_pwrite64 };
                    host(libc::syscall(sys, c(a[0]), b, c(a[2]), c(a[3])))
                }),
            145 | 146 => iov(p, nr == 145, a),
            5 => p.cstr(a[0]).and_then(|s| {
                host(libc::openat(libc::AT_FDCWD, s.as_ptr(), a[1] as i32, a[2] as u32) as _)
            }),
            286 => p.cstr(a[1]).and_then(|s| {
                host(libc::openat(dirfd(a[0]), s.as_ptr(), a[2] as i32, a[3] as u32) as _)
            }),
            6 => {
                if a[0] <= 2 {
                    // Keep the emulator's own stdio usable for messages.
                    host(libc::close(libc::dup(a[0] as i32)) as _).map(|_| 0)
                } else {
                    host(libc::close(a[0] as i32) as _)
                }
            }
            19 => host(libc::lseek(a[0] as i32, a[1] as i64, a[2] as i32) as _),
            41 => host(libc::dup(a[0] as i32) as _),
            63 => host(libc::dup2(a[0] as i32, a[1] as i32) as _),
            316 => host(libc::dup3(a[0] as i32, a[1] as i32, a[2] as i32) as _),
            55 => fcntl(a),
            54 => ioctl(p, a),
            42 | 317 => {
                let mut fds = [0i32; 2];
                host(libc::pipe2(fds.as_mut_ptr(), if nr == 42 { 0 } else { a[1] as i32 }) as _)
                    .and_then(|_| p.put(a[0], &fds).map(|_| 0))
            }
            106 | 107 | 108 | 291 => {
                let mut st: libc::stat = std::mem::zeroed();
                let res = match nr {
                    108 => host(libc::fstat(a[0] as i32, &mut st) as _),
                    291 => p.cstr(a[1]).and_then(|s| {
                        host(libc::fstatat(dirfd(a[0]), s.as_ptr(), &mut st, a[3] as i32) as _)
                    }),
                    106 => p.cstr(a[0]).and_then(|s| host(libc::stat(s.as_ptr(), &mut st) as _)),
                    _ => p.cstr(a[0]).and_then(|s| host(libc::lstat(s.as_ptr(), &mut st) as _)),
                };
                let out = if nr == 291 { a[2] } else { a[1] };
                res.and_then(|_| put_stat(p, out, &st).map(|_| 0))
            }
            383 => p.cstr(a[1]).and_then(|s| {
                // struct statx has the same layout on every architecture.
                p.buf(a[4], 256, PROT_W).and_then(|b| {
                    host(libc::syscall(
                        libc::SYS_statx,
                        c(a[0]),
                        s.as_ptr(),
                        c(a[2]),
                        c(a[3]),
                        b,
                    ))
                })
            }),
            202 => p.buf(a[1], a[2], PROT_W).and_then(|b| {
                // linux_dirent64 is architecture-independent.
                host(libc::syscall(libc::SYS_getdents64, c(a[0]), b, c(a[2])))
            }),
            33 => p
                .cstr(a[0])
                .and_then(|s| host(libc::access(s.as_ptr(), a[1] as i32) as _)),
            298 | 439 => p.cstr(a[1]).and_then(|s| {
                host(libc::syscall(
                    libc::SYS_faccessat2,
                    c(a[0]),
                    s.as_ptr(),
                    c(a[2]),
                    if nr == 439 { c(a[3]) } else { 0 },
                ))
            }),
            85 | 296 => {
                let (d, path, buf, len) = if nr == 85 {
                    (libc::AT_FDCWD as u64, a[0], a[1], a[2])
                } else {
                    (a[0], a[1], a[2], a[3])
                };
                p.cstr(path).and_then(|s| {
                    if s.as_bytes() == b"/proc/self/exe" {
                        let e = p.exe_path.as_bytes();
                        let n = e.len().min(len as usize);
                        p.buf(buf, n as u64, PROT_W).map(|b| {
                            std::ptr::copy_nonoverlapping(e.as_ptr(), b, n);
                            n as u64
                        })
                    } else {
                        p.buf(buf, len, PROT_W).and_then(|b| {
                            host(libc::readlinkat(dirfd(d), s.as_ptr(), b as *mut _, len as usize) as _)
                        })
                    }
                })
            }
            182 => p.buf(a[0], a[1], PROT_W).and_then(|b| {
                if libc::getcwd(b as *mut _, a[1] as usize).is_null() {
                    host(-1)
                } else {
                    Ok(libc::strlen(b as *const _) as u64 + 1)
                }
            }),
            12 => p.cstr(a[0]).and_then(|s| host(libc::chdir(s.as_ptr()) as _)),
            133 => host(libc::fchdir(a[0] as i32) as _),
            10 => p.cstr(a[0]).and_then(|s| host(libc::unlink(s.as_ptr()) as _)),
            292 => p
                .cstr(a[1])
                .and_then(|s| host(libc::unlinkat(dirfd(a[0]), s.as_ptr(), a[2] as i32) as _)),
            39 => p
                .cstr(a[0])
                .and_then(|s| host(libc::mkdir(s.as_ptr(), a[1] as u32) as _)),
            287 => p
                .cstr(a[1])
                .and_then(|s| host(libc::mkdirat(dirfd(a[0]), s.as_ptr(), a[2] as u32) as _)),
            40 => p.cstr(a[0]).and_then(|s| host(libc::rmdir(s.as_ptr()) as _)),
            38 => p.cstr(a[0]).and_then(|x| {
                p.cstr(a[1])
                    .and_then(|y| host(libc::rename(x.as_ptr(), y.as_ptr()) as _))
            }),
            293 | 357 => p.cstr(a[1]).and_then(|x| {
                p.cstr(a[3]).and_then(|y| {
                    host(libc::syscall(
                        libc::SYS_renameat2,
                        c(a[0]),
                        x.as_ptr(),
                        c(a[2]),
                        y.as_ptr(),
                        if nr == 357 { c(a[4]) } else { 0 },
                    ))
                })
            }),
            15 => p
                .cstr(a[0])
                .and_then(|s| host(libc::chmod(s.as_ptr(), a[1] as u32) as _)),
            94 => host(libc::fchmod(a[0] as i32, a[1] as u32) as _),
            297 => p.cstr(a[1]).and_then(|s| {
                host(libc::fchmodat(dirfd(a[0]), s.as_ptr(), a[2] as u32, 0) as _)
            }),
            95 => host(libc::fchown(a[0] as i32, a[1] as u32, a[2] as u32) as _),
            289 => p.cstr(a[1]).and_then(|s| {
                host(libc::fchownat(dirfd(a[0]), s.as_ptr(), a[2] as u32, a[3] as u32, a[4] as i32) as _)
            }),
            304 => {
                let path = if a[1] == 0 { None } else { Some(p.cstr(a[1])) };
                let times = if a[2] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[2], 32, PROT_R)
                };
                match (path, times) {
                    (Some(Err(e)), _) | (_, Err(e)) => Err(e),
                    (Some(Ok(s)), Ok(t)) => host(libc::syscall(
                        libc::SYS_utimensat,
                        c(a[0]),
                        s.as_ptr(),
                        t,
                        c(a[3]),
                    )),
                    (None, Ok(t)) => host(libc::syscall(
                        libc::SYS_utimensat,
                        c(a[0]),
                        std::ptr::null::<u8>(),
                        t,
                        c(a[3]),
                    )),
                }
            }
            295 => p.cstr(a[0]).and_then(|x| {
                p.cstr(a[2])
                    .and_then(|y| host(libc::symlinkat(x.as_ptr(), dirfd(a[1]), y.as_ptr()) as _))
            }),
            294 => p.cstr(a[1]).and_then(|x| {
                p.cstr(a[3]).and_then(|y| {
                    host(libc::linkat(dirfd(a[0]), x.as_ptr(), dirfd(a[2]), y.as_ptr(), a[4] as i32) as _)
                })
            }),
            93 => host(libc::ftruncate(a[0] as i32, a[1] as i64) as _),
            118 => host(libc::fsync(a[0] as i32) as _),
            233 => Ok(0),
            60 => Ok(libc::umask(a[0] as u32) as u64),
            99 | 100 => Err(libc::ENOSYS),
            45 => Ok(brk(p, a[0])),
            90 => mmap(p, a),
            91 => munmap(p, a[0], a[1]),
            125 => {
                if a[0] % PAGE_SIZE != 0 {
                    Err(EINVAL)
                } else {
                    p.space.protect(a[0], a[1], prot_of(a[2]));
                    Ok(0)
                }
            }
            163 => Err(ENOMEM),
            205 => Ok(0),
            122 => uname(p, a[0]),
            232 => Ok(std::process::id() as u64),
            300 | 387 => Err(libc::ENOSYS),
            20 | 207 => Ok(libc::getpid() as u64),
            64 => Ok(libc::getppid() as u64),
            65 => Ok(libc::getpgrp() as u64),
            57 => host(libc::setpgid(a[0] as i32, a[1] as i32) as _),
            24 => Ok(libc::getuid() as u64),
            49 => Ok(libc::geteuid() as u64),
            47 => Ok(libc::getgid() as u64),
            50 => Ok(libc::getegid() as u64),
            246 | 247 => {
                let mut ts: libc::timespec = std::mem::zeroed();
                let f = if nr == 246 { libc::clock_gettime } else { libc::clock_getres };
                host(f(a[0] as i32, &mut ts) as _)
                    .and_then(|_| if a[1] == 0 { Ok(()) } else { p.put_u64s(a[1], &[ts.tv_sec as u64, ts.tv_nsec as u64]) })
                    .map(|_| 0)
            }
            78 => {
                let mut ts: libc::timespec = std::mem::zeroed();
                libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts);
                if a[0] != 0 {
                    p.put_u64s(a[0], &[ts.tv_sec as u64, ts.tv_nsec as u64 / 1000])
                        .map(|_| 0)
                } else {
                    Ok(0)
                }
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
                    p.put_u64s(a[0], &[t.tms_utime as u64, t.tms_stime as u64, t.tms_cutime as u64, t.tms_cstime as u64])
                        .map(|_| r)
                } else {
                    Ok(r)
                }
            }
            162 | 248 => {
                let (req, rem) = if nr == 162 { (a[0], a[1]) } else { (a[2], a[3]) };
                let ts = p
                    .cpu
                    .mem
                    .load(8, req)
                    .and_then(|s| p.cpu.mem.load(8, req + 8).map(|n| (s, n)));
                match ts {
                    Err(_) => Err(EFAULT),
                    Ok((s, n)) => {
                        let t = libc::timespec {
                            tv_sec: s as _,
                            tv_nsec: n as _,
                        };
                        let _ = rem;
                        host(libc::nanosleep(&t, std::ptr::null_mut()) as _)
                    }
                }
            }
            359 => p
                .buf(a[0], a[1], PROT_W)
                .and_then(|b| host(libc::getrandom(b as *mut _, a[1] as usize, a[2] as u32) as _)),
            173 => sigaction(p, a),
            174 => sigprocmask(p, a),
            185 => Ok(0),
            37 | 250 | 208 => {
                let sig = if nr == 37 { a[1] } else if nr == 250 { a[2] } else { a[1] } as i32;
                if sig == 0 {
                    Ok(0)
                } else {
                    let act = p.signals.actions.get(sig as usize).copied().unwrap_or_default();
                    if act.handler == signal::SIG_IGN {
                        Ok(0)
                    } else {
                        signal::die_by_signal(sig)
                    }
                }
            }
            190 | 76 | 325 => rlimit(p, nr, a),
            221 => Err(libc::ENOSYS),
            223 => {
                // One CPU: a mask with bit 0 set.
                let n = a[1].min(128);
                p.buf(a[2], n, PROT_W).map(|b| {
                    std::ptr::write_bytes(b, 0, n as usize);
                    if n > 0 {
                        *b = 1;
                    }
                    n.max(8)
                })
            }
            116 => {
                let mut si: libc::sysinfo = std::mem::zeroed();
                host(libc::sysinfo(&mut si) as _).and_then(|_| {
                    p.put_u64s(
                        a[0],
                        &[
                            si.uptime as u64,
                            si.loads[0],
                            si.loads[1],
                            si.loads[2],
                            si.totalram,
                            si.freeram,
                            si.sharedram,
                            si.bufferram,
                            si.totalswap,
                            si.freeswap,
                            si.procs as u64 | (si.totalhigh) << 32,
                        ],
                    )
                    .map(|_| 0)
                })
            }
            167 => p.buf(a[0], a[1] * 8, PROT_W).and_then(|b| {
                host(libc::poll(b as *mut libc::pollfd, a[1] as _, a[2] as i32) as _)
            }),
            158 => Ok(0),
            114 => Err(libc::ECHILD),
            120 | 189 | 11 => Err(libc::ENOSYS),
            _ => {
                log::warn!("unknown syscall {nr} ({:#x}, {:#x}, {:#x}) -> ENOSYS", a[0], a[1], a[2]);
                eprintln!("powerlift: unsupported syscall: {nr}");
                Err(libc::ENOSYS)
            }
        }
    };
    Ok(r)
}

fn iov(p: &Process, read: bool, a: [u64; 6]) -> R {
    let n = a[2].min(1024);
    let mut v: Vec<libc::iovec> = Vec::with_capacity(n as usize);
    for k in 0..n {
        let base = p.cpu.mem.load(8, a[1] + 16 * k).map_err(|_| EFAULT)?;
        let len = p.cpu.mem.load(8, a[1] + 16 * k + 8).map_err(|_| EFAULT)?;
        let b = p.buf(base, len, if read { PROT_W } else { PROT_R })?;
        v.push(libc::iovec {
            iov_base: b as *mut _,
            iov_len: len as usize,
        });
    }
    // SAFETY: every iovec points into checked guest memory.
    host(unsafe {
        if read {
            libc::readv(a[0] as i32, v.as_ptr(), n as i32)
        } else {
            libc::writev(a[0] as i32, v.as_ptr(), n as i32)
        }
    } as _)
}

fn fcntl(a: [u64; 6]) -> R {
    let cmd = a[1] as i32;
    // F_GETLK/SETLK use struct flock, whose layout matches on 64-bit hosts;
    // refuse them rather than guess.
    match cmd {
        libc::F_DUPFD | libc::F_GETFD | libc::F_SETFD | libc::F_GETFL | libc::F_SETFL
        | libc::F_DUPFD_CLOEXEC => {
            // SAFETY: integer-argument fcntl commands.
            host(unsafe { libc::fcntl(a[0] as i32, cmd, a[2] as libc::c_long) } as _)
        }
        _ => Err(EINVAL),
    }
}

// powerpc ioctl numbers (asm/ioctls.h): the _IOR/_IOW encodings differ
// from x86's.
const PPC_TCGETS: u64 = 0x402c_7413;
const PPC_TIOCGWINSZ: u64 = 0x4008_7468;
const PPC_TIOCGPGRP: u64 = 0x4004_7477;
const PPC_TIOCSPGRP: u64 = 0x8004_7476;

fn ioctl(p: &Process, a: [u64; 6]) -> R {
    let fd = a[0] as i32;
    match a[1] {
        PPC_TCGETS => {
            // SAFETY: tcgetattr fills a local termios.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            host(unsafe { libc::tcgetattr(fd, &mut t) } as _)?;
            // powerpc struct termios: iflag, oflag, cflag, lflag, cc[19], line.
            let mut out = [0u8; 44];
            out[0..4].copy_from_slice(&t.c_iflag.to_le_bytes());
            out[4..8].copy_from_slice(&t.c_oflag.to_le_bytes());
            out[8..12].copy_from_slice(&t.c_cflag.to_le_bytes());
            out[12..16].copy_from_slice(&t.c_lflag.to_le_bytes());
            out[16..35].copy_from_slice(&t.c_cc[..19]);
            out[35] = t.c_line;
            p.put(a[2], &out).map(|_| 0)
        }
        PPC_TIOCGWINSZ => {
            // SAFETY: TIOCGWINSZ fills a local winsize.
            let mut w: libc::winsize = unsafe { std::mem::zeroed() };
            host(unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) } as _)?;
            p.put(a[2], &w).map(|_| 0)
        }
        PPC_TIOCGPGRP => {
            // SAFETY: plain libc call.
            let g = host(unsafe { libc::tcgetpgrp(fd) } as _)?;
            p.put(a[2], &(g as i32)).map(|_| 0)
        }
        PPC_TIOCSPGRP => Ok(0),
        _ => Err(libc::ENOTTY),
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
    out[65 * 4..65 * 4 + 65].fill(0);
    out[65 * 4..65 * 4 + m.len()].copy_from_slice(m);
    p.put(addr, &out).map(|_| 0)
}

fn brk(p: &mut Process, want: u64) -> u64 {
    if want < p.brk_start || want > super::MMAP_BASE {
        return p.brk;
    }
    let old_top = p.brk.next_multiple_of(PAGE_SIZE);
    let new_top = want.next_multiple_of(PAGE_SIZE);
    if new_top > old_top {
        // Refuse to grow over an existing mapping.
        let mut a = old_top;
        while a < new_top {
            if p.space.perm_of(a) != 0 {
                return p.brk;
            }
            a += PAGE_SIZE;
        }
        p.space.protect(old_top, new_top - old_top, PROT_R | PROT_W);
    } else if new_top < old_top {
        p.space.discard(new_top, old_top - new_top);
        p.space.protect(new_top, old_top - new_top, 0);
    }
    p.brk = want;
    want
}

fn mmap(p: &mut Process, a: [u64; 6]) -> R {
    let (addr, len, prot, flags, fd, off) = (a[0], a[1], a[2], a[3] as i32, a[4] as i32, a[5]);
    if len == 0 || off % PAGE_SIZE != 0 {
        return Err(EINVAL);
    }
    let len_r = len.checked_next_multiple_of(PAGE_SIZE).ok_or(ENOMEM)?;
    let fixed = flags & (libc::MAP_FIXED | libc::MAP_FIXED_NOREPLACE) != 0;
    let at = if fixed || (addr != 0 && addr % PAGE_SIZE == 0 && p.find_free_at(addr, len_r)) {
        if addr % PAGE_SIZE != 0 || addr.checked_add(len_r).is_none_or(|e| e > super::STACK_TOP) {
            return Err(EINVAL);
        }
        addr
    } else {
        p.find_free(len_r).ok_or(ENOMEM)?
    };
    p.space.discard(at, len_r);
    p.space.protect(at, len_r, PROT_R | PROT_W);
    if flags & libc::MAP_ANONYMOUS == 0 {
        // File mapping: copy the contents (private semantics; shared
        // writable file mappings are not supported).
        let b = p.buf(at, len, PROT_W)?;
        let mut done = 0u64;
        while done < len {
            // SAFETY: b..b+len is checked guest memory.
            let n = unsafe {
                libc::pread(fd, b.add(done as usize) as *mut _, (len - done) as usize, (off + done) as i64)
            };
            if n < 0 {
                p.space.protect(at, len_r, 0);
                return host(-1);
            }
            if n == 0 {
                break;
            }
            done += n as u64;
        }
    }
    p.space.protect(at, len_r, prot_of(prot));
    if !fixed && at >= p.mmap_next {
        p.mmap_next = at + len_r;
    }
    Ok(at)
}

impl Process {
    fn find_free_at(&self, addr: u64, len: u64) -> bool {
        let mut a = addr;
        while a < addr + len {
            if a >= super::STACK_TOP || self.space.perm_of(a) != 0 {
                return false;
            }
            a += PAGE_SIZE;
        }
        true
    }
}

fn munmap(p: &mut Process, addr: u64, len: u64) -> R {
    if addr % PAGE_SIZE != 0 || len == 0 || addr.checked_add(len).is_none_or(|e| e > super::GUEST_SIZE) {
        return Err(EINVAL);
    }
    let len = len.next_multiple_of(PAGE_SIZE);
    p.space.discard(addr, len);
    p.space.protect(addr, len, 0);
    if addr < p.mmap_next {
        p.mmap_next = addr.max(super::MMAP_BASE);
    }
    Ok(0)
}

fn sigaction(p: &mut Process, a: [u64; 6]) -> R {
    let sig = a[0] as usize;
    if sig == 0 || sig > 64 || sig == 9 || sig == 19 {
        return Err(EINVAL);
    }
    let old = p.signals.actions[sig];
    if a[2] != 0 {
        p.put_u64s(a[2], &[old.handler, old.flags, old.restorer, old.mask])?;
    }
    if a[1] != 0 {
        let m = &p.cpu.mem;
        let rd = |o: u64| m.load(8, a[1] + o).map_err(|_| EFAULT);
        let act = Action {
            handler: rd(0)?,
            flags: rd(8)?,
            restorer: rd(16)?,
            mask: rd(24)?,
        };
        p.signals.actions[sig] = act;
    }
    Ok(0)
}

fn sigprocmask(p: &mut Process, a: [u64; 6]) -> R {
    let old = p.signals.blocked;
    if a[1] != 0 {
        let set = p.cpu.mem.load(8, a[1]).map_err(|_| EFAULT)?;
        p.signals.blocked = match a[0] {
            0 => old | set,
            1 => old & !set,
            2 => set,
            _ => return Err(EINVAL),
        };
    }
    if a[2] != 0 {
        p.put_u64s(a[2], &[old])?;
    }
    Ok(0)
}

fn rlimit(p: &Process, nr: u64, a: [u64; 6]) -> R {
    let (res, new, old) = if nr == 325 {
        if a[0] != 0 && a[0] as i32 != std::process::id() as i32 {
            return Err(libc::ESRCH);
        }
        (a[1], a[2], a[3])
    } else {
        (a[0], 0, a[1])
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
        host(unsafe { libc::getrlimit(res as _, &mut rl) } as _)?;
        let (mut cur, mut max) = (rl.rlim_cur, rl.rlim_max);
        if res == libc::RLIMIT_STACK as u64 {
            cur = cur.min(super::STACK_SIZE);
            max = max.max(cur);
        }
        p.put_u64s(old, &[cur, max])?;
    }
    let _ = new;
    Ok(0)
}
