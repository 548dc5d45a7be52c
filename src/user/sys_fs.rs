//! File system calls: open flags (powerpc's O_DIRECTORY, O_NOFOLLOW,
//! O_LARGEFILE and O_DIRECT differ from the generic values,
//! arch/powerpc/include/uapi/asm/fcntl.h), stat (powerpc64 `struct stat`
//! and x86-64's have the same 144-byte layout), directories, links, fcntl,
//! ioctl with the powerpc ioctl numbers and `struct termios`, and the
//! `/proc/self` files that must describe the guest, not the emulator
//! (`exe`, `cmdline`), plus `-L` sysroot path lookup.

use super::syscall::{host, EINVAL, R};
use super::Process;
use crate::memory::{PROT_R, PROT_W};
use std::ffi::CString;

/// (powerpc, host) open(2) flag pairs; the access mode (bits 0-1) is
/// common.
fn open_flag_pairs() -> [(i32, i32); 16] {
    [
        (0o100, libc::O_CREAT),
        (0o200, libc::O_EXCL),
        (0o400, libc::O_NOCTTY),
        (0o1000, libc::O_TRUNC),
        (0o2000, libc::O_APPEND),
        (0o4000, libc::O_NONBLOCK),
        (0o10000, libc::O_DSYNC),
        (0o20000, libc::O_ASYNC),
        (0o40000, libc::O_DIRECTORY),
        (0o100000, libc::O_NOFOLLOW),
        (0o200000, libc::O_LARGEFILE),
        (0o400000, libc::O_DIRECT),
        (0o1000000, libc::O_NOATIME),
        (0o2000000, libc::O_CLOEXEC),
        (0o4000000, libc::O_SYNC & !libc::O_DSYNC),
        (0o10000000, libc::O_PATH),
    ]
}

pub fn open_flags_to_host(g: u64) -> i32 {
    let g = g as i32;
    let mut h = g & 3;
    for (pg, ph) in open_flag_pairs() {
        if g & pg != 0 {
            h |= ph;
        }
    }
    // __O_TMPFILE (0o20000000 on both) comes with O_DIRECTORY.
    if g & 0o20000000 != 0 {
        h |= libc::O_TMPFILE;
    }
    h
}

pub fn open_flags_to_guest(h: i32) -> u64 {
    let mut g = h & 3;
    for (pg, ph) in open_flag_pairs() {
        if ph != 0 && h & ph == ph {
            g |= pg;
        }
    }
    g as u64
}

fn at(fd: u64) -> i32 {
    fd as i32
}

impl Process {
    /// A guest path as the host should see it: `-L` sysroot first for
    /// absolute paths that exist there, `/proc/self/exe` and friends for
    /// the guest.
    pub fn path(&self, addr: u64) -> Result<CString, i32> {
        let s = self.cstr(addr)?;
        Ok(self.map_path(s))
    }

    pub fn map_path(&self, s: CString) -> CString {
        let b = s.as_bytes();
        let pid = std::process::id().to_string();
        let self_exe = b == b"/proc/self/exe" || b == format!("/proc/{pid}/exe").as_bytes();
        if self_exe {
            return CString::new(self.exe_path.clone()).unwrap();
        }
        if let Some(root) = &self.sysroot {
            if b.starts_with(b"/") {
                let mut p = root.as_os_str().as_encoded_bytes().to_vec();
                p.extend_from_slice(b);
                let c = CString::new(p).unwrap();
                // SAFETY: access on a valid C string.
                if unsafe { libc::access(c.as_ptr(), libc::F_OK) } == 0 {
                    return c;
                }
            }
        }
        s
    }

    /// For /proc/self/cmdline (and /proc/<pid>/cmdline): a memfd with the
    /// guest's argv, NUL-separated, as Linux shows it.
    fn fake_proc(&self, s: &CString) -> Option<R> {
        let b = s.as_bytes();
        let pid = std::process::id().to_string();
        let cmdline = b == b"/proc/self/cmdline" || b == format!("/proc/{pid}/cmdline").as_bytes();
        if !cmdline {
            return None;
        }
        let mut data = Vec::new();
        for a in &self.argv {
            data.extend_from_slice(a.as_bytes());
            data.push(0);
        }
        // SAFETY: plain fd operations on a fresh memfd.
        unsafe {
            let fd = libc::memfd_create(c"cmdline".as_ptr(), 0);
            if fd < 0 {
                return Some(host(-1));
            }
            libc::write(fd, data.as_ptr() as *const _, data.len());
            libc::lseek(fd, 0, libc::SEEK_SET);
            Some(Ok(fd as u64))
        }
    }

    fn openat(&self, dirfd: i32, path: u64, flags: u64, mode: u64) -> R {
        let s = self.cstr(path)?;
        if let Some(r) = self.fake_proc(&s) {
            return r;
        }
        let s = self.map_path(s);
        // SAFETY: valid C string; flags translated.
        host(unsafe {
            libc::openat(
                dirfd,
                s.as_ptr(),
                open_flags_to_host(flags),
                mode as libc::c_uint,
            )
        } as i64)
    }
}

/// Write a guest `struct stat` (powerpc64 `asm/stat.h`, 144 bytes: dev,
/// ino, nlink, mode/uid, gid, rdev, size, blksize, blocks, 3 timespecs,
/// 3 unused words).
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

/// The file system calls; None if `nr` is not one of them.
pub fn call(p: &mut Process, nr: u64, a: [u64; 6]) -> Option<R> {
    let c = |x: u64| x as libc::c_long;
    // SAFETY (every libc call below): guest pointers were turned into host
    // pointers by `buf`/`cstr`, which checked the whole range.
    let r: R = unsafe {
        match nr {
            3 => p
                .buf(a[1], a[2], PROT_W)
                .and_then(|b| host(libc::read(a[0] as i32, b as *mut _, a[2] as usize) as i64)),
            4 => p
                .buf(a[1], a[2], PROT_R)
                .and_then(|b| host(libc::write(a[0] as i32, b as *const _, a[2] as usize) as i64)),
            179 | 180 => p
                .buf(a[1], a[2], if nr == 179 { PROT_W } else { PROT_R })
                .and_then(|b| {
                    let sys = if nr == 179 {
                        libc::SYS_pread64
                    } else {
                        libc::SYS_pwrite64
                    };
                    host(libc::syscall(sys, c(a[0]), b, c(a[2]), c(a[3])))
                }),
            145 | 146 | 320 | 321 => iov(p, nr, a),
            5 => p.openat(libc::AT_FDCWD, a[0], a[1], a[2]),
            286 => p.openat(at(a[0]), a[1], a[2], a[3]),
            8 => p.openat(libc::AT_FDCWD, a[0], 0o1101, a[1]), // creat
            6 => host(libc::close(a[0] as i32) as i64),
            19 => host(libc::lseek(a[0] as i32, a[1] as i64, a[2] as i32)),
            140 => {
                // _llseek(fd, offset_high, offset_low, loff_t *result, whence)
                let off = ((a[1] as u32 as u64) << 32 | a[2] as u32 as u64) as i64;
                host(libc::lseek(a[0] as i32, off, a[4] as i32))
                    .and_then(|r| p.put_u64s(a[3], &[r]).map(|_| 0))
            }
            41 => host(libc::dup(a[0] as i32) as i64),
            63 => host(libc::dup2(a[0] as i32, a[1] as i32) as i64),
            316 => host(libc::dup3(a[0] as i32, a[1] as i32, open_flags_to_host(a[2])) as i64),
            55 => fcntl(p, a),
            54 => ioctl(p, a),
            42 | 317 => {
                let mut fds = [0i32; 2];
                let fl = if nr == 42 {
                    0
                } else {
                    open_flags_to_host(a[1])
                };
                host(libc::pipe2(fds.as_mut_ptr(), fl) as i64)
                    .and_then(|_| p.put(a[0], &fds).map(|_| 0))
            }
            106 | 107 | 108 | 291 => {
                let mut st: libc::stat = std::mem::zeroed();
                let res = match nr {
                    108 => host(libc::fstat(a[0] as i32, &mut st) as i64),
                    291 => p.path(a[1]).and_then(|s| {
                        host(libc::fstatat(at(a[0]), s.as_ptr(), &mut st, a[3] as i32) as i64)
                    }),
                    106 => p
                        .path(a[0])
                        .and_then(|s| host(libc::stat(s.as_ptr(), &mut st) as i64)),
                    _ => p
                        .path(a[0])
                        .and_then(|s| host(libc::lstat(s.as_ptr(), &mut st) as i64)),
                };
                let out = if nr == 291 { a[2] } else { a[1] };
                res.and_then(|_| put_stat(p, out, &st).map(|_| 0))
            }
            383 => p.path(a[1]).and_then(|s| {
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
            99 | 100 | 252 | 253 => {
                // struct statfs: the generic 64-bit layout on both; the
                // 64 variants (statfs64, fstatfs64) take the size first.
                let mut sf: libc::statfs = std::mem::zeroed();
                let res = if nr == 99 || nr == 252 {
                    p.path(a[0])
                        .and_then(|s| host(libc::statfs(s.as_ptr(), &mut sf) as i64))
                } else {
                    host(libc::fstatfs(a[0] as i32, &mut sf) as i64)
                };
                let out = if nr >= 252 { a[2] } else { a[1] };
                res.and_then(|_| p.put(out, &sf).map(|_| 0))
            }
            202 => p.buf(a[1], a[2], PROT_W).and_then(|b| {
                // linux_dirent64 is architecture-independent.
                host(libc::syscall(libc::SYS_getdents64, c(a[0]), b, c(a[2])))
            }),
            33 => p
                .path(a[0])
                .and_then(|s| host(libc::access(s.as_ptr(), a[1] as i32) as i64)),
            298 | 439 => p.path(a[1]).and_then(|s| {
                let fl = if nr == 439 { c(a[3]) } else { 0 };
                host(libc::syscall(
                    libc::SYS_faccessat2,
                    c(a[0]),
                    s.as_ptr(),
                    c(a[2]),
                    fl,
                ))
            }),
            85 | 296 => {
                let (d, path, buf, len) = if nr == 85 {
                    (libc::AT_FDCWD as u64, a[0], a[1], a[2])
                } else {
                    (a[0], a[1], a[2], a[3])
                };
                p.cstr(path).and_then(|raw| {
                    let mapped = p.map_path(raw.clone());
                    if mapped.as_bytes() != raw.as_bytes() && raw.as_bytes().ends_with(b"/exe") {
                        // /proc/self/exe: the guest executable's path.
                        let e = p.exe_path.as_bytes();
                        let n = e.len().min(len as usize);
                        p.put_bytes(buf, &e[..n]).map(|_| n as u64)
                    } else {
                        p.buf(buf, len, PROT_W).and_then(|b| {
                            host(
                                libc::readlinkat(at(d), mapped.as_ptr(), b as *mut _, len as usize)
                                    as i64,
                            )
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
            12 => p
                .path(a[0])
                .and_then(|s| host(libc::chdir(s.as_ptr()) as i64)),
            133 => host(libc::fchdir(a[0] as i32) as i64),
            10 => p
                .path(a[0])
                .and_then(|s| host(libc::unlink(s.as_ptr()) as i64)),
            292 => p
                .path(a[1])
                .and_then(|s| host(libc::unlinkat(at(a[0]), s.as_ptr(), a[2] as i32) as i64)),
            39 => p
                .path(a[0])
                .and_then(|s| host(libc::mkdir(s.as_ptr(), a[1] as u32) as i64)),
            287 => p
                .path(a[1])
                .and_then(|s| host(libc::mkdirat(at(a[0]), s.as_ptr(), a[2] as u32) as i64)),
            14 | 288 => {
                let (d, path, mode, dev) = if nr == 14 {
                    (libc::AT_FDCWD as u64, a[0], a[1], a[2])
                } else {
                    (a[0], a[1], a[2], a[3])
                };
                p.path(path)
                    .and_then(|s| host(libc::mknodat(at(d), s.as_ptr(), mode as u32, dev) as i64))
            }
            40 => p
                .path(a[0])
                .and_then(|s| host(libc::rmdir(s.as_ptr()) as i64)),
            38 => p.path(a[0]).and_then(|x| {
                p.path(a[1])
                    .and_then(|y| host(libc::rename(x.as_ptr(), y.as_ptr()) as i64))
            }),
            293 | 357 => p.path(a[1]).and_then(|x| {
                p.path(a[3]).and_then(|y| {
                    let fl = if nr == 357 { c(a[4]) } else { 0 };
                    host(libc::syscall(
                        libc::SYS_renameat2,
                        c(a[0]),
                        x.as_ptr(),
                        c(a[2]),
                        y.as_ptr(),
                        fl,
                    ))
                })
            }),
            15 => p
                .path(a[0])
                .and_then(|s| host(libc::chmod(s.as_ptr(), a[1] as u32) as i64)),
            94 => host(libc::fchmod(a[0] as i32, a[1] as u32) as i64),
            297 => p
                .path(a[1])
                .and_then(|s| host(libc::fchmodat(at(a[0]), s.as_ptr(), a[2] as u32, 0) as i64)),
            181 | 16 => p.path(a[0]).and_then(|s| {
                let f = if nr == 16 { libc::lchown } else { libc::chown };
                host(f(s.as_ptr(), a[1] as u32, a[2] as u32) as i64)
            }),
            95 => host(libc::fchown(a[0] as i32, a[1] as u32, a[2] as u32) as i64),
            289 => p.path(a[1]).and_then(|s| {
                host(
                    libc::fchownat(at(a[0]), s.as_ptr(), a[2] as u32, a[3] as u32, a[4] as i32)
                        as i64,
                )
            }),
            304 => {
                let times = if a[2] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[2], 32, PROT_R)
                };
                match times {
                    Err(e) => Err(e),
                    Ok(t) if a[1] == 0 => host(libc::syscall(
                        libc::SYS_utimensat,
                        c(a[0]),
                        std::ptr::null::<u8>(),
                        t,
                        c(a[3]),
                    )),
                    Ok(t) => p.path(a[1]).and_then(|s| {
                        host(libc::syscall(
                            libc::SYS_utimensat,
                            c(a[0]),
                            s.as_ptr(),
                            t,
                            c(a[3]),
                        ))
                    }),
                }
            }
            83 => p.cstr(a[0]).and_then(|x| {
                p.path(a[1])
                    .and_then(|y| host(libc::symlink(x.as_ptr(), y.as_ptr()) as i64))
            }),
            295 => p.cstr(a[0]).and_then(|x| {
                p.path(a[2])
                    .and_then(|y| host(libc::symlinkat(x.as_ptr(), at(a[1]), y.as_ptr()) as i64))
            }),
            9 => p.path(a[0]).and_then(|x| {
                p.path(a[1])
                    .and_then(|y| host(libc::link(x.as_ptr(), y.as_ptr()) as i64))
            }),
            294 => p.path(a[1]).and_then(|x| {
                p.path(a[3]).and_then(|y| {
                    host(
                        libc::linkat(at(a[0]), x.as_ptr(), at(a[2]), y.as_ptr(), a[4] as i32)
                            as i64,
                    )
                })
            }),
            92 => p
                .path(a[0])
                .and_then(|s| host(libc::truncate(s.as_ptr(), a[1] as i64) as i64)),
            93 => host(libc::ftruncate(a[0] as i32, a[1] as i64) as i64),
            118 => host(libc::fsync(a[0] as i32) as i64),
            148 => host(libc::fdatasync(a[0] as i32) as i64),
            36 => {
                libc::sync();
                Ok(0)
            }
            60 => Ok(libc::umask(a[0] as u32) as u64),
            186 => {
                // sendfile(out, in, loff_t *off, count)
                let off = if a[2] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[2], 8, PROT_W)
                };
                off.and_then(|o| {
                    host(
                        libc::sendfile(a[0] as i32, a[1] as i32, o as *mut i64, a[3] as usize)
                            as i64,
                    )
                })
            }
            379 => {
                let oi = if a[1] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[1], 8, PROT_W)
                };
                let oo = if a[3] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[3], 8, PROT_W)
                };
                match (oi, oo) {
                    (Ok(x), Ok(y)) => host(libc::syscall(
                        libc::SYS_copy_file_range,
                        c(a[0]),
                        x,
                        c(a[2]),
                        y,
                        c(a[4]),
                        c(a[5]),
                    )),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            167 => p.buf(a[0], a[1] * 8, PROT_W).and_then(|b| {
                host(libc::poll(b as *mut libc::pollfd, a[1] as _, a[2] as i32) as i64)
            }),
            281 => {
                // ppoll(fds, n, timespec *, sigset *, size): the mask is
                // ignored (signals are delivered between calls anyway).
                let ts = if a[2] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[2], 16, PROT_R)
                };
                p.buf(a[0], a[1] * 8, PROT_W).and_then(|b| {
                    ts.and_then(|t| {
                        host(libc::ppoll(
                            b as *mut libc::pollfd,
                            a[1] as _,
                            t as *const libc::timespec,
                            std::ptr::null(),
                        ) as i64)
                    })
                })
            }
            142 | 280 => select(p, nr, a),
            // fadvise64, readahead, sync_file_range2: hints.
            233 | 191 | 308 => Ok(0),
            143 => host(libc::flock(a[0] as i32, a[1] as i32) as i64),
            309 => host(libc::fallocate(a[0] as i32, a[1] as i32, a[2] as i64, a[3] as i64) as i64),
            251 => p.path(a[0]).and_then(|s| {
                // utimes(path, struct timeval[2]): same layout on both.
                let t = if a[1] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[1], 32, PROT_R)
                };
                t.and_then(|t| host(libc::utimes(s.as_ptr(), t as *const libc::timeval) as i64))
            }),
            307 | 314 => {
                let fl = if nr == 314 {
                    open_flags_to_host(a[1])
                } else {
                    0
                };
                host(libc::eventfd(a[0] as u32, fl) as i64)
            }
            306 => host(libc::timerfd_create(a[0] as i32, open_flags_to_host(a[1])) as i64),
            311 => {
                // timerfd_settime(fd, flags, new, old): itimerspec is the
                // same on both.
                let new = p.buf(a[2], 32, PROT_R);
                let old = if a[3] == 0 {
                    Ok(std::ptr::null_mut())
                } else {
                    p.buf(a[3], 32, PROT_W)
                };
                match (new, old) {
                    (Ok(n), Ok(o)) => host(libc::timerfd_settime(
                        a[0] as i32,
                        a[1] as i32,
                        n as *const libc::itimerspec,
                        o as *mut libc::itimerspec,
                    ) as i64),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            312 => p.buf(a[1], 32, PROT_W).and_then(|b| {
                host(libc::timerfd_gettime(a[0] as i32, b as *mut libc::itimerspec) as i64)
            }),
            236 | 315 => {
                let fl = if nr == 315 {
                    open_flags_to_host(a[0])
                } else {
                    0
                };
                host(libc::epoll_create1(fl) as i64)
            }
            237 => epoll_ctl(p, a),
            238 | 303 => epoll_wait(p, a),
            _ => return None,
        }
    };
    Some(r)
}

fn iov(p: &Process, nr: u64, a: [u64; 6]) -> R {
    let read = nr == 145 || nr == 320;
    let n = a[2].min(1024);
    let mut v: Vec<libc::iovec> = Vec::with_capacity(n as usize);
    for k in 0..n {
        let base = p.get_u64(a[1] + 16 * k)?;
        let len = p.get_u64(a[1] + 16 * k + 8)?;
        let b = p.buf(base, len, if read { PROT_W } else { PROT_R })?;
        v.push(libc::iovec {
            iov_base: b as *mut _,
            iov_len: len as usize,
        });
    }
    // SAFETY: every iovec points into checked guest memory.
    host(unsafe {
        match nr {
            145 => libc::readv(a[0] as i32, v.as_ptr(), n as i32),
            146 => libc::writev(a[0] as i32, v.as_ptr(), n as i32),
            320 => libc::preadv(a[0] as i32, v.as_ptr(), n as i32, a[3] as i64),
            _ => libc::pwritev(a[0] as i32, v.as_ptr(), n as i32, a[3] as i64),
        }
    } as i64)
}

/// select/_newselect (142) and pselect6 (280): fd_set is an array of
/// unsigned longs on both sides; timeval/timespec have the same layout.
fn select(p: &Process, nr: u64, a: [u64; 6]) -> R {
    let n = (a[0] as usize).min(1024);
    let bytes = n.div_ceil(64) as u64 * 8;
    let set = |addr: u64| -> Result<*mut libc::fd_set, i32> {
        if addr == 0 {
            Ok(std::ptr::null_mut())
        } else {
            p.buf(addr, bytes, PROT_W).map(|b| b as *mut libc::fd_set)
        }
    };
    let (r, w, e) = (set(a[1])?, set(a[2])?, set(a[3])?);
    let t = if a[4] == 0 {
        std::ptr::null_mut()
    } else {
        p.buf(a[4], 16, PROT_W)?
    };
    // SAFETY: the sets and the time value point into checked guest memory
    // of at least the size the kernel reads for `n` descriptors.
    host(unsafe {
        if nr == 142 {
            libc::syscall(libc::SYS_select, n as i64, r, w, e, t)
        } else {
            libc::syscall(
                libc::SYS_pselect6,
                n as i64,
                r,
                w,
                e,
                t,
                std::ptr::null::<u8>(),
            )
        }
    })
}

fn fcntl(p: &Process, a: [u64; 6]) -> R {
    let fd = a[0] as i32;
    let cmd = a[1] as i32;
    // SAFETY: integer-argument fcntl commands, or a checked flock pointer
    // (struct flock has the same layout on both 64-bit ABIs).
    unsafe {
        match cmd {
            libc::F_GETFL => {
                host(libc::fcntl(fd, cmd) as i64).map(|f| open_flags_to_guest(f as i32))
            }
            libc::F_SETFL => host(libc::fcntl(fd, cmd, open_flags_to_host(a[2])) as i64),
            libc::F_DUPFD
            | libc::F_GETFD
            | libc::F_SETFD
            | libc::F_DUPFD_CLOEXEC
            | libc::F_SETOWN
            | libc::F_GETOWN
            | libc::F_SETPIPE_SZ
            | libc::F_GETPIPE_SZ => host(libc::fcntl(fd, cmd, a[2] as libc::c_long) as i64),
            libc::F_GETLK
            | libc::F_SETLK
            | libc::F_SETLKW
            | libc::F_OFD_GETLK
            | libc::F_OFD_SETLK
            | libc::F_OFD_SETLKW => p
                .buf(a[2], std::mem::size_of::<libc::flock>() as u64, PROT_W)
                .and_then(|b| host(libc::fcntl(fd, cmd, b) as i64)),
            _ => Err(EINVAL),
        }
    }
}

// powerpc ioctl numbers (arch/powerpc/include/uapi/asm/ioctls.h): the
// _IOR/_IOW direction bits and sizes differ from the generic encoding.
const TCGETS: u64 = 0x402c_7413;
const TCSETS: u64 = 0x802c_7414;
const TCSETSW: u64 = 0x802c_7415;
const TCSETSF: u64 = 0x802c_7416;
const TIOCGWINSZ: u64 = 0x4008_7468;
const TIOCSWINSZ: u64 = 0x8008_7467;
const TIOCGPGRP: u64 = 0x4004_7477;
const TIOCSPGRP: u64 = 0x8004_7476;
const FIONREAD: u64 = 0x4004_667f;
const FIONBIO: u64 = 0x8004_667e;
const FIOCLEX: u64 = 0x2000_6601;
const FIONCLEX: u64 = 0x2000_6602;
const TCFLSH: u64 = 0x2000_741f;

fn ioctl(p: &Process, a: [u64; 6]) -> R {
    let fd = a[0] as i32;
    // SAFETY: each host ioctl gets a pointer to a local of the right type.
    unsafe {
        match a[1] {
            TCGETS => {
                let mut t: libc::termios = std::mem::zeroed();
                host(libc::tcgetattr(fd, &mut t) as i64)?;
                p.put_bytes(a[2], &super::termios::to_guest(&t)).map(|_| 0)
            }
            TCSETS | TCSETSW | TCSETSF => {
                let b = p.buf(a[2], 44, PROT_R)?;
                let g = std::slice::from_raw_parts(b, 44);
                let mut t: libc::termios = std::mem::zeroed();
                host(libc::tcgetattr(fd, &mut t) as i64)?;
                super::termios::to_host(g, &mut t);
                let act = match a[1] {
                    TCSETS => libc::TCSANOW,
                    TCSETSW => libc::TCSADRAIN,
                    _ => libc::TCSAFLUSH,
                };
                host(libc::tcsetattr(fd, act, &t) as i64)
            }
            TIOCGWINSZ => {
                let mut w: libc::winsize = std::mem::zeroed();
                host(libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) as i64)?;
                p.put(a[2], &w).map(|_| 0)
            }
            TIOCSWINSZ => {
                let b = p.buf(a[2], 8, PROT_R)?;
                host(libc::ioctl(fd, libc::TIOCSWINSZ, b) as i64)
            }
            TIOCGPGRP => {
                let g = host(libc::tcgetpgrp(fd) as i64)?;
                p.put(a[2], &(g as i32)).map(|_| 0)
            }
            TIOCSPGRP => {
                let g = p.get_u32(a[2])?;
                host(libc::tcsetpgrp(fd, g as i32) as i64)
            }
            FIONREAD => {
                let mut n: libc::c_int = 0;
                host(libc::ioctl(fd, libc::FIONREAD, &mut n) as i64)?;
                p.put(a[2], &n).map(|_| 0)
            }
            FIONBIO => {
                let mut n = p.get_u32(a[2])? as libc::c_int;
                host(libc::ioctl(fd, libc::FIONBIO, &mut n) as i64)
            }
            FIOCLEX => host(libc::ioctl(fd, libc::FIOCLEX) as i64),
            FIONCLEX => host(libc::ioctl(fd, libc::FIONCLEX) as i64),
            TCFLSH => host(libc::tcflush(fd, a[2] as i32) as i64),
            // TIOCSCTTY, TIOCNOTTY, TIOCGSID: generic numbers on powerpc.
            0x540e | 0x5422 => host(libc::ioctl(fd, a[1] as _, a[2]) as i64),
            0x5429 => {
                let s = host(libc::tcgetsid(fd) as i64)?;
                p.put(a[2], &(s as i32)).map(|_| 0)
            }
            _ => {
                log::debug!("ioctl {:#x} on fd {fd}: ENOTTY", a[1]);
                Err(libc::ENOTTY)
            }
        }
    }
}

/// powerpc64's `struct epoll_event` is { u32 events; u64 data } with natural
/// alignment (16 bytes); x86-64's is packed (12 bytes): convert.
fn epoll_ctl(p: &Process, a: [u64; 6]) -> R {
    let mut ev = libc::epoll_event { events: 0, u64: 0 };
    if a[3] != 0 {
        ev.events = p.get_u32(a[3])?;
        ev.u64 = p.get_u64(a[3] + 8)?;
    }
    let evp = if a[3] == 0 {
        std::ptr::null_mut()
    } else {
        &mut ev as *mut _
    };
    // SAFETY: evp is null or a local epoll_event.
    host(unsafe { libc::epoll_ctl(a[0] as i32, a[1] as i32, a[2] as i32, evp) } as i64)
}

fn epoll_wait(p: &Process, a: [u64; 6]) -> R {
    let n = (a[2] as i32).clamp(0, 1024) as usize;
    let mut evs = vec![libc::epoll_event { events: 0, u64: 0 }; n.max(1)];
    // SAFETY: evs has room for n events.
    let r = host(
        unsafe { libc::epoll_wait(a[0] as i32, evs.as_mut_ptr(), n as i32, a[3] as i32) } as i64,
    )?;
    for (k, e) in evs.iter().take(r as usize).enumerate() {
        let (events, data) = (e.events, e.u64);
        p.put(a[1] + 16 * k as u64, &events)?;
        p.put_u64s(a[1] + 16 * k as u64 + 8, &[data])?;
    }
    Ok(r)
}
