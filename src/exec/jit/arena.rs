//! The code cache's memory: one executable arena that compiled regions are
//! copied into with a bump pointer and that is flushed whole (QEMU's model;
//! Cranelift's JITModule cannot free single functions, see
//! ../shared/reference/jit.md §1.4).
//!
//! The arena is mapped read-write-execute once. Cranelift's output is
//! position-independent here because helpers are called through pointer
//! constants, so the bytes can be copied anywhere 16-byte aligned.

pub struct Arena {
    base: *mut u8,
    size: usize,
    used: usize,
}

// SAFETY: the arena is only touched by the thread that owns the JIT.
unsafe impl Send for Arena {}

impl Arena {
    pub fn new(size: usize) -> std::io::Result<Arena> {
        // SAFETY: a fresh anonymous mapping owned by this Arena.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Arena {
            base: p as *mut u8,
            size,
            used: 0,
        })
    }

    /// Copy `code` in; `None` when the arena is full (flush and retry).
    pub fn push(&mut self, code: &[u8]) -> Option<*const u8> {
        let start = self.used.next_multiple_of(16);
        if start + code.len() > self.size {
            return None;
        }
        // SAFETY: [start, start+len) is inside our writable mapping.
        unsafe {
            let dst = self.base.add(start);
            std::ptr::copy_nonoverlapping(code.as_ptr(), dst, code.len());
            self.used = start + code.len();
            clear_icache(dst, code.len());
            Some(dst)
        }
    }

    /// The host address range of the arena.
    pub fn range(&self) -> (u64, u64) {
        (self.base as u64, self.base as u64 + self.size as u64)
    }

    pub fn used(&self) -> usize {
        self.used
    }

    /// Forget every region. The caller must have dropped all pointers into
    /// the arena (the dispatcher's tables).
    pub fn flush(&mut self) {
        self.used = 0;
    }
}

#[cfg(target_arch = "aarch64")]
unsafe fn clear_icache(p: *mut u8, len: usize) {
    // AArch64 needs the data cache cleaned and the instruction cache
    // invalidated for freshly written code.
    unsafe extern "C" {
        fn __clear_cache(start: *mut libc::c_char, end: *mut libc::c_char);
    }
    // SAFETY: the range was just written by us.
    unsafe { __clear_cache(p as *mut libc::c_char, p.add(len) as *mut libc::c_char) };
}

#[cfg(not(target_arch = "aarch64"))]
unsafe fn clear_icache(_p: *mut u8, _len: usize) {}

impl Drop for Arena {
    fn drop(&mut self) {
        // SAFETY: unmapping what new() mapped.
        unsafe { libc::munmap(self.base as *mut libc::c_void, self.size) };
    }
}
