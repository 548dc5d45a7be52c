//! Socket system calls (powerpc64 has the direct calls 326-345 as well as
//! socketcall). `struct sockaddr`, `struct msghdr`, `struct iovec` and
//! `struct cmsghdr` have the same layout on powerpc64 and the 64-bit host;
//! only the pointers inside a msghdr need translating, and six SOL_SOCKET
//! option numbers differ (arch/powerpc/include/uapi/asm/socket.h).

use super::syscall::{host, EINVAL, R};
use super::Process;
use crate::memory::{PROT_R, PROT_W};

const SOL_SOCKET: u64 = 1;

/// powerpc SO_RCVLOWAT..SO_PEERCRED are 16..21, in a different order from
/// the generic numbers.
fn sockopt_to_host(level: u64, opt: u64) -> i32 {
    if level != SOL_SOCKET {
        return opt as i32;
    }
    match opt {
        16 => libc::SO_RCVLOWAT,
        17 => libc::SO_SNDLOWAT,
        18 => libc::SO_RCVTIMEO,
        19 => libc::SO_SNDTIMEO,
        20 => libc::SO_PASSCRED,
        21 => libc::SO_PEERCRED,
        o => o as i32,
    }
}

/// A guest (pointer, length) pair as a host pointer, NULL for a NULL
/// guest pointer.
fn opt_buf(p: &Process, addr: u64, len: u64, need: u8) -> Result<*mut u8, i32> {
    if addr == 0 {
        Ok(std::ptr::null_mut())
    } else {
        p.buf(addr, len, need)
    }
}

/// A guest `socklen_t *` and the buffer it sizes.
fn len_buf(p: &Process, addr: u64, lenp: u64) -> Result<(*mut u8, *mut libc::socklen_t), i32> {
    if lenp == 0 {
        return Ok((std::ptr::null_mut(), std::ptr::null_mut()));
    }
    let len = p.get_u32(lenp)? as u64;
    let l = p.buf(lenp, 4, PROT_W)? as *mut libc::socklen_t;
    Ok((opt_buf(p, addr, len, PROT_W)?, l))
}

/// sendmsg/recvmsg: rebuild the msghdr with host pointers.
fn msg(p: &Process, fd: u64, m: u64, flags: u64, send: bool) -> R {
    let need = if send { PROT_R } else { PROT_W };
    let name = p.get_u64(m)?;
    let namelen = p.get_u32(m + 8)? as u64;
    let iov = p.get_u64(m + 16)?;
    let iovlen = p.get_u64(m + 24)?.min(1024);
    let ctl = p.get_u64(m + 32)?;
    let ctllen = p.get_u64(m + 40)?;
    let mut v = Vec::with_capacity(iovlen as usize);
    for k in 0..iovlen {
        let base = p.get_u64(iov + 16 * k)?;
        let len = p.get_u64(iov + 16 * k + 8)?;
        v.push(libc::iovec {
            iov_base: p.buf(base, len, need)? as *mut _,
            iov_len: len as usize,
        });
    }
    // SAFETY: a zeroed msghdr filled with checked host pointers.
    let mut h: libc::msghdr = unsafe { std::mem::zeroed() };
    h.msg_name = opt_buf(p, name, namelen, PROT_W)? as *mut _;
    h.msg_namelen = namelen as u32;
    h.msg_iov = v.as_mut_ptr();
    h.msg_iovlen = iovlen as _;
    h.msg_control = opt_buf(p, ctl, ctllen, PROT_W)? as *mut _;
    h.msg_controllen = ctllen as _;
    // SAFETY: every pointer in h refers to checked guest memory.
    let r = host(unsafe {
        if send {
            libc::sendmsg(fd as i32, &h, flags as i32)
        } else {
            libc::recvmsg(fd as i32, &mut h, flags as i32)
        }
    } as i64)?;
    if !send {
        p.put(m + 8, &h.msg_namelen)?;
        p.put_u64s(m + 40, &[h.msg_controllen as u64])?;
        p.put(m + 48, &h.msg_flags)?;
    }
    Ok(r)
}

pub fn call(p: &mut Process, nr: u64, a: [u64; 6]) -> Option<R> {
    let fd = a[0] as i32;
    // SAFETY (every libc call): pointers come from `buf`/`opt_buf`, which
    // checked the guest ranges.
    let r = unsafe {
        match nr {
            326 => host(libc::socket(a[0] as i32, a[1] as i32, a[2] as i32) as i64),
            327 | 328 => p.buf(a[1], a[2], PROT_R).and_then(|b| {
                let f = if nr == 327 { libc::bind } else { libc::connect };
                host(f(fd, b as *const libc::sockaddr, a[2] as u32) as i64)
            }),
            329 => host(libc::listen(fd, a[1] as i32) as i64),
            330 | 344 => len_buf(p, a[1], a[2]).and_then(|(b, l)| {
                let fl = if nr == 344 { a[3] as i32 } else { 0 };
                host(libc::accept4(fd, b as *mut libc::sockaddr, l, fl) as i64)
            }),
            331 | 332 => len_buf(p, a[1], a[2]).and_then(|(b, l)| {
                let f = if nr == 331 {
                    libc::getsockname
                } else {
                    libc::getpeername
                };
                host(f(fd, b as *mut libc::sockaddr, l) as i64)
            }),
            333 => {
                let mut sv = [0i32; 2];
                host(
                    libc::socketpair(a[0] as i32, a[1] as i32, a[2] as i32, sv.as_mut_ptr()) as i64,
                )
                .and_then(|_| p.put(a[3], &sv).map(|_| 0))
            }
            334 | 335 => p.buf(a[1], a[2], PROT_R).and_then(|b| {
                let (to, tolen) = if nr == 335 { (a[4], a[5]) } else { (0, 0) };
                opt_buf(p, to, tolen, PROT_R).and_then(|t| {
                    host(libc::sendto(
                        fd,
                        b as *const _,
                        a[2] as usize,
                        a[3] as i32,
                        t as *const _,
                        tolen as u32,
                    ) as i64)
                })
            }),
            336 | 337 => p.buf(a[1], a[2], PROT_W).and_then(|b| {
                let (from, lenp) = if nr == 337 { (a[4], a[5]) } else { (0, 0) };
                len_buf(p, from, lenp).and_then(|(f, l)| {
                    host(
                        libc::recvfrom(fd, b as *mut _, a[2] as usize, a[3] as i32, f as *mut _, l)
                            as i64,
                    )
                })
            }),
            338 => host(libc::shutdown(fd, a[1] as i32) as i64),
            339 => p.buf(a[3], a[4], PROT_R).and_then(|b| {
                host(libc::setsockopt(
                    fd,
                    a[1] as i32,
                    sockopt_to_host(a[1], a[2]),
                    b as *const _,
                    a[4] as u32,
                ) as i64)
            }),
            340 => len_buf(p, a[3], a[4]).and_then(|(b, l)| {
                host(
                    libc::getsockopt(fd, a[1] as i32, sockopt_to_host(a[1], a[2]), b as *mut _, l)
                        as i64,
                )
            }),
            341 | 342 => msg(p, a[0], a[1], a[2], nr == 341),
            102 => Err(EINVAL), // socketcall: glibc uses the direct calls
            _ => return None,
        }
    };
    Some(r)
}
