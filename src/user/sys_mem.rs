//! Address-space system calls on the flat guest space: brk, mmap (anonymous
//! and private file mappings, which are copied in), munmap, mprotect,
//! mremap and madvise. Pages are 64 KiB (AT_PAGESZ), as on ppc64 Linux.

use super::syscall::{host, EINVAL, ENOMEM, R};
use super::{Process, MMAP_BASE, STACK_SIZE, STACK_TOP};
use crate::memory::{PAGE_SIZE, PROT_R, PROT_W, PROT_X};

// mmap flags: powerpc shares MAP_SHARED/PRIVATE/FIXED/ANONYMOUS with the
// generic values (asm/mman.h differs only in MAP_NORESERVE, MAP_LOCKED).
const MAP_SHARED: u64 = 0x01;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;
const MAP_FIXED_NOREPLACE: u64 = 0x10_0000;
const MREMAP_MAYMOVE: u64 = 1;
const MREMAP_FIXED: u64 = 2;
const MADV_DONTNEED: u64 = 4;

fn prot_of(p: u64) -> u8 {
    let mut r = 0;
    if p & 1 != 0 {
        r |= PROT_R;
    }
    if p & 2 != 0 {
        r |= PROT_W;
    }
    if p & 4 != 0 {
        r |= PROT_X | PROT_R;
    }
    r
}

/// The lowest address the guest may map at (below it: the executable and
/// its heap).
fn limit() -> u64 {
    STACK_TOP - STACK_SIZE - PAGE_SIZE
}

impl Process {
    fn range_free(&self, addr: u64, len: u64) -> bool {
        let mut a = addr;
        while a < addr + len {
            if a >= limit() || self.space.perm_of(a) != 0 {
                return false;
            }
            a += PAGE_SIZE;
        }
        true
    }

    fn find_free(&self, len: u64) -> Option<u64> {
        let mut a = self.mmap_next.max(MMAP_BASE);
        'outer: while a + len <= limit() {
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

    fn unmap(&mut self, addr: u64, len: u64) {
        self.space.discard(addr, len);
        self.space.protect(addr, len, 0);
    }
}

pub fn call(p: &mut Process, nr: u64, a: [u64; 6]) -> Option<R> {
    Some(match nr {
        45 => Ok(brk(p, a[0])),
        90 => mmap(p, a),
        91 => munmap(p, a[0], a[1]),
        125 => mprotect(p, a[0], a[1], a[2]),
        163 => mremap(p, a),
        205 => {
            if a[2] == MADV_DONTNEED && a[0] % PAGE_SIZE == 0 {
                p.space.discard(a[0], a[1].next_multiple_of(PAGE_SIZE));
            }
            Ok(0)
        }
        // msync, mlock, munlock, mlockall, munlockall: nothing to do.
        144 | 150 | 151 | 152 | 153 => Ok(0),
        _ => return None,
    })
}

fn brk(p: &mut Process, want: u64) -> u64 {
    if want < p.brk_start || want >= MMAP_BASE {
        return p.brk;
    }
    let old_top = p.brk.next_multiple_of(PAGE_SIZE);
    let new_top = want.next_multiple_of(PAGE_SIZE);
    if new_top > old_top {
        // Refuse to grow over an existing mapping.
        if !p.range_free(old_top, new_top - old_top) {
            return p.brk;
        }
        p.space.protect(old_top, new_top - old_top, PROT_R | PROT_W);
    } else if new_top < old_top {
        p.unmap(new_top, old_top - new_top);
    }
    p.brk = want;
    want
}

fn mmap(p: &mut Process, a: [u64; 6]) -> R {
    let (addr, len, prot, flags, fd, off) = (a[0], a[1], a[2], a[3], a[4] as i32, a[5]);
    if len == 0 || off % PAGE_SIZE != 0 {
        return Err(EINVAL);
    }
    let len_r = len.checked_next_multiple_of(PAGE_SIZE).ok_or(ENOMEM)?;
    let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
    let at = if fixed {
        if addr % PAGE_SIZE != 0 {
            return Err(EINVAL);
        }
        if addr.checked_add(len_r).is_none_or(|e| e > STACK_TOP) {
            return Err(ENOMEM);
        }
        if flags & MAP_FIXED_NOREPLACE != 0 && flags & MAP_FIXED == 0 && !p.range_free(addr, len_r)
        {
            return Err(libc::EEXIST);
        }
        addr
    } else if addr != 0 && addr % PAGE_SIZE == 0 && addr >= MMAP_BASE && p.range_free(addr, len_r) {
        addr
    } else {
        p.find_free(len_r).ok_or(ENOMEM)?
    };
    if flags & MAP_ANONYMOUS == 0 && flags & MAP_SHARED != 0 && prot & 2 != 0 {
        log::warn!("mmap: shared writable file mapping treated as private (fd {fd})");
    }
    p.space.discard(at, len_r);
    p.space.protect(at, len_r, PROT_R | PROT_W);
    if flags & MAP_ANONYMOUS == 0 {
        // File mapping: copy the contents in (private semantics).
        let b = p.buf(at, len, PROT_W)?;
        let mut done = 0u64;
        while done < len {
            // SAFETY: b..b+len is checked guest memory.
            let n = unsafe {
                libc::pread(
                    fd,
                    b.add(done as usize) as *mut _,
                    (len - done) as usize,
                    (off + done) as i64,
                )
            };
            if n < 0 {
                p.unmap(at, len_r);
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

fn munmap(p: &mut Process, addr: u64, len: u64) -> R {
    if addr % PAGE_SIZE != 0 || len == 0 || addr.checked_add(len).is_none_or(|e| e > STACK_TOP) {
        return Err(EINVAL);
    }
    let len = len.next_multiple_of(PAGE_SIZE);
    p.unmap(addr, len);
    if addr < p.mmap_next {
        p.mmap_next = addr.max(MMAP_BASE);
    }
    Ok(0)
}

fn mprotect(p: &mut Process, addr: u64, len: u64, prot: u64) -> R {
    if addr % PAGE_SIZE != 0 || addr.checked_add(len).is_none_or(|e| e > STACK_TOP) {
        return Err(EINVAL);
    }
    let len = len.next_multiple_of(PAGE_SIZE);
    let mut a = addr;
    while a < addr + len {
        if p.space.perm_of(a) == 0 {
            return Err(ENOMEM);
        }
        a += PAGE_SIZE;
    }
    p.space.protect(addr, len, prot_of(prot));
    Ok(0)
}

/// mremap(old, old_size, new_size, flags, new_addr).
fn mremap(p: &mut Process, a: [u64; 6]) -> R {
    let (old, old_len, new_len, flags) = (a[0], a[1], a[2], a[3]);
    if old % PAGE_SIZE != 0 || new_len == 0 || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | 4) != 0 {
        return Err(EINVAL);
    }
    let old_len = old_len.next_multiple_of(PAGE_SIZE);
    let new_len = new_len.checked_next_multiple_of(PAGE_SIZE).ok_or(ENOMEM)?;
    let prot = p.space.perm_of(old);
    if prot == 0 {
        return Err(libc::EFAULT);
    }
    if flags & MREMAP_FIXED == 0 {
        if new_len <= old_len {
            p.unmap(old + new_len, old_len - new_len);
            return Ok(old);
        }
        if p.range_free(old + old_len, new_len - old_len) {
            p.space.protect(old + old_len, new_len - old_len, prot);
            return Ok(old);
        }
        if flags & MREMAP_MAYMOVE == 0 {
            return Err(ENOMEM);
        }
    }
    let to = if flags & MREMAP_FIXED != 0 {
        let t = a[4];
        if t % PAGE_SIZE != 0 || t.checked_add(new_len).is_none_or(|e| e > STACK_TOP) {
            return Err(EINVAL);
        }
        p.unmap(t, new_len);
        t
    } else {
        p.find_free(new_len).ok_or(ENOMEM)?
    };
    p.space.protect(to, new_len, PROT_R | PROT_W);
    let keep = old_len.min(new_len);
    let mem = p.cpu.mem;
    let src = mem.slice(old, keep, 0).map_err(|_| libc::EFAULT)?.as_ptr();
    let dst = mem
        .slice(to, keep, PROT_W)
        .map_err(|_| libc::EFAULT)?
        .as_mut_ptr();
    // SAFETY: both ranges are inside the guest space and do not overlap
    // (the destination was free or just unmapped).
    unsafe { std::ptr::copy(src, dst, keep as usize) };
    p.space.protect(to, new_len, prot);
    p.unmap(old, old_len);
    if to >= p.mmap_next {
        p.mmap_next = to + new_len;
    }
    Ok(to)
}
