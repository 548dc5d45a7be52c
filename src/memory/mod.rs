//! Guest memory for user mode: one flat, emulator-chosen range of host
//! memory (`base + EA`) with a per-64K-page permission table, so a wild guest
//! address is a precise fault and never a host crash.
//!
//! `GuestMem` is the small `Copy` view that lives inside `CpuState` and that
//! compiled code reads; `AddressSpace` owns the reservation.
//!
//! In user mode the host protections of the reservation mirror the guest's
//! (`host_prot`): unmapped pages are PROT_NONE, and pages holding decoded
//! code are read-only even when the guest may write them. So compiled code
//! may access guest memory with no permission check at all and let the host
//! MMU fault (`exec::jit::guard`); the software checks below stay the
//! reference and every other path uses them.
//!
//! Stores to memory holding decoded code bump a code generation. In system
//! mode each bump also records which 4K real page was written in a small
//! ring (`GuestMem::code_log`) that every vCPU's code caches read from
//! their own cursor, so they drop only the blocks and regions on that page
//! (Power ISA Book II §1.8: a program that modifies instruction storage
//! must make the change visible with dcbst/sync/icbi/isync; we are
//! stricter and see every store, so no guest sequence can run stale code).

use crate::cpu::Exc;

pub const PAGE_SHIFT: u32 = 16;
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;

pub const PROT_R: u8 = 1;
pub const PROT_W: u8 = 2;
pub const PROT_X: u8 = 4;
/// The page holds code the interpreter has pre-decoded.
pub const PAGE_CODE: u8 = 8;

/// `GuestMem::code4k` marks (system mode, one byte per 4K real page). A
/// store to a marked page takes the slow path, which clears the byte and
/// acts on each mark.
/// Code on the page has been decoded: the store is self-modifying code.
pub const MARK_CODE: u8 = 1;
/// A radix walk for an instruction fetch read a table entry on the page:
/// the store may change a translation code was fetched through (see
/// `Mmu::invalidate_pid`).
pub const MARK_TABLE: u8 = 2;

/// A view of the flat guest space: host base, size and page permissions.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct GuestMem {
    pub base: *mut u8,
    pub size: u64,
    pub perms: *mut u8,
    /// Bumped whenever a store hits a `PAGE_CODE` page or mappings change,
    /// so caches of decoded code can drop stale entries.
    pub code_gen: *mut u64,
    /// System mode: the vCPU's MMU. EAs are translated through it to real
    /// addresses, which index `base`/`perms` (guest RAM). Null in user mode,
    /// where EA = offset.
    pub mmu: *mut crate::mmu::Mmu,
    /// System mode: one byte per 4K page of RAM, non-zero when code on the
    /// page has been decoded (finer than the 64K `perms`, so data sharing a
    /// 64K page with code does not look like self-modifying code).
    pub code4k: *mut u8,
    /// System mode: the ring of written code pages, `CODE_LOG_LEN` entries,
    /// entry `g % CODE_LOG_LEN` describing the bump from generation `g` to
    /// `g + 1`. Null in user mode, where every bump means "flush all".
    pub code_log: *mut u64,
    /// User mode: compiled code may leave permission checks and stores into
    /// code pages to the host MMU (see the module comment and
    /// `exec::jit::guard`). Set by the process while the guest has no
    /// SIGSEGV handler, so a fault only has to end the process.
    pub guarded: bool,
}

/// Entries of the written-code-page ring: a cache more than this many
/// bumps behind flushes whole.
pub const CODE_LOG_LEN: usize = 4096;
/// A ring entry meaning "anything may have changed" (a mapping change).
const LOG_ALL: u64 = u64::MAX;

/// What changed in guest code since a cache's cursor (`GuestMem::code_writes_since`).
#[derive(Debug, PartialEq, Eq)]
pub enum CodeWrites {
    /// Only code on the 4K real pages left in the caller's vector (sorted,
    /// deduplicated).
    Pages,
    /// Anything: flush every cache.
    All,
}

// SAFETY: GuestMem is a view of memory owned by an AddressSpace that
// outlives every vCPU using it; vCPUs run on one thread.
unsafe impl Send for GuestMem {}

impl GuestMem {
    pub const fn empty() -> GuestMem {
        GuestMem {
            base: std::ptr::null_mut(),
            size: 0,
            perms: std::ptr::null_mut(),
            code_gen: std::ptr::null_mut(),
            mmu: std::ptr::null_mut(),
            code4k: std::ptr::null_mut(),
            code_log: std::ptr::null_mut(),
            guarded: false,
        }
    }

    /// Record a store into decoded code on 4K real page `page` (system
    /// mode) and bump the code generation.
    ///
    /// # Safety
    /// `code_gen` (and `code_log` if not null) point into the owning
    /// AddressSpace; one thread at a time runs the vCPUs.
    #[inline]
    unsafe fn note_code_write(&self, page: u64) {
        // SAFETY: per the contract above.
        unsafe {
            let g = *self.code_gen;
            if !self.code_log.is_null() {
                *self.code_log.add(g as usize % CODE_LOG_LEN) = page;
            }
            *self.code_gen = g + 1;
        }
    }

    /// The code changes between generation `from` and the current one:
    /// `Pages` with the written 4K real pages left in `pages`, or `All`
    /// (user mode, a mapping change, or `from` too far behind the ring).
    pub fn code_writes_since(&self, from: u64, pages: &mut Vec<u64>) -> CodeWrites {
        pages.clear();
        let now = self.code_generation();
        if self.code_log.is_null() || now.wrapping_sub(from) > CODE_LOG_LEN as u64 {
            return CodeWrites::All;
        }
        for g in from..now {
            // SAFETY: the index is below CODE_LOG_LEN, the ring's length.
            let p = unsafe { *self.code_log.add(g as usize % CODE_LOG_LEN) };
            if p == LOG_ALL {
                return CodeWrites::All;
            }
            pages.push(p);
        }
        pages.sort_unstable();
        pages.dedup();
        CodeWrites::Pages
    }

    /// System mode: translate and check `[ea, ea+len)`, which must lie in
    /// one 4K page (callers split larger or crossing accesses).
    fn check_sys(&self, ea: u64, len: u64, need: u8, store: bool) -> Result<*mut u8, Exc> {
        use crate::mmu::Access;
        let access = if store {
            Access::Write
        } else if need == PROT_X {
            Access::Exec
        } else {
            Access::Read
        };
        // SAFETY: mmu points at the vCPU's Mmu, owned by the machine for as
        // long as this view exists; one thread runs the vCPU.
        let mmu = unsafe { &mut *self.mmu };
        let ra = mmu.translate(ea, access)?;
        let end = ra.wrapping_add(len);
        if end > self.size || end < ra {
            // Real address outside RAM: no MMIO is modelled, so this is a
            // storage fault (the kernel reports it as a bad access).
            return Err(crate::mmu::fault(ea, access, crate::mmu::DSISR_BADACCESS));
        }
        // SAFETY: [ra, end) is inside RAM; perms has one entry per 64K page.
        unsafe {
            // A store to a page holding decoded code: unmark the page (it is
            // re-marked when decoded again) and tell the code caches.
            let c = self.code4k.add((ra >> 12) as usize);
            if store && *c != 0 {
                let marks = *c;
                *c = 0;
                if marks & MARK_CODE != 0 {
                    self.note_code_write(ra >> 12);
                }
                if marks & MARK_TABLE != 0 {
                    mmu.table_written();
                }
            }
            Ok(self.base.add(ra as usize))
        }
    }

    /// True when an access of `len` bytes at `ea` must be split because it
    /// crosses a 4K translation boundary in system mode.
    #[inline(always)]
    fn crosses(&self, ea: u64, len: u64) -> bool {
        !self.mmu.is_null() && (ea & 0xfff) + len > 0x1000
    }

    /// Big-endian data access (system mode with MSR[LE]=0).
    #[inline(always)]
    fn big_endian(&self) -> bool {
        // SAFETY: see check_sys.
        !self.mmu.is_null() && unsafe { !(*self.mmu).le }
    }

    #[inline(always)]
    fn check(&self, ea: u64, len: u64, need: u8, store: bool) -> Result<*mut u8, Exc> {
        if !self.mmu.is_null() {
            return self.check_sys(ea, len, need, store);
        }
        let end = ea.wrapping_add(len);
        if end > self.size || end < ea {
            return Err(Exc::Dsi { ea, store });
        }
        // SAFETY: ea and end-1 are below size, and perms has size/PAGE_SIZE
        // entries.
        unsafe {
            let p0 = *self.perms.add((ea >> PAGE_SHIFT) as usize);
            let last = (end - 1) >> PAGE_SHIFT;
            let p1 = *self.perms.add(last as usize);
            if p0 & need == 0 {
                return Err(Exc::Dsi { ea, store });
            }
            if p1 & need == 0 {
                return Err(Exc::Dsi {
                    ea: last << PAGE_SHIFT,
                    store,
                });
            }
            if store && (p0 | p1) & PAGE_CODE != 0 {
                self.uncode(ea >> PAGE_SHIFT);
                self.uncode(last);
                self.note_code_write(LOG_ALL);
            }
            Ok(self.base.add(ea as usize))
        }
    }

    /// Read `N` bytes at `ea` (guest byte order = host little-endian).
    #[inline(always)]
    pub fn read<const N: usize>(&self, ea: u64) -> Result<[u8; N], Exc> {
        if self.crosses(ea, N as u64) {
            let mut out = [0u8; N];
            for (k, b) in out.iter_mut().enumerate() {
                *b = self.read::<1>(ea.wrapping_add(k as u64))?[0];
            }
            return Ok(out);
        }
        let p = self.check(ea, N as u64, PROT_R, false)?;
        // SAFETY: check() proved [ea, ea+N) is inside the mapping.
        Ok(unsafe { std::ptr::read_unaligned(p as *const [u8; N]) })
    }

    #[inline(always)]
    pub fn write<const N: usize>(&self, ea: u64, v: [u8; N]) -> Result<(), Exc> {
        if self.crosses(ea, N as u64) {
            // Translate both pages first so a fault leaves memory untouched.
            self.check(ea, 1, PROT_W, true)?;
            self.check(ea.wrapping_add(N as u64 - 1), 1, PROT_W, true)?;
            for (k, b) in v.iter().enumerate() {
                self.write::<1>(ea.wrapping_add(k as u64), [*b])?;
            }
            return Ok(());
        }
        let p = self.check(ea, N as u64, PROT_W, true)?;
        // SAFETY: as in read().
        unsafe { std::ptr::write_unaligned(p as *mut [u8; N], v) };
        Ok(())
    }

    /// Load `size` (1, 2, 4, 8) bytes, little-endian, zero-extended.
    #[inline(always)]
    pub fn load(&self, size: u8, ea: u64) -> Result<u64, Exc> {
        if self.big_endian() {
            return Ok(match size {
                1 => self.read::<1>(ea)?[0] as u64,
                2 => u16::from_be_bytes(self.read(ea)?) as u64,
                4 => u32::from_be_bytes(self.read(ea)?) as u64,
                _ => u64::from_be_bytes(self.read(ea)?),
            });
        }
        Ok(match size {
            1 => self.read::<1>(ea)?[0] as u64,
            2 => u16::from_le_bytes(self.read(ea)?) as u64,
            4 => u32::from_le_bytes(self.read(ea)?) as u64,
            _ => u64::from_le_bytes(self.read(ea)?),
        })
    }

    #[inline(always)]
    pub fn store(&self, size: u8, ea: u64, v: u64) -> Result<(), Exc> {
        if self.big_endian() {
            return match size {
                1 => self.write(ea, [v as u8]),
                2 => self.write(ea, (v as u16).to_be_bytes()),
                4 => self.write(ea, (v as u32).to_be_bytes()),
                _ => self.write(ea, v.to_be_bytes()),
            };
        }
        match size {
            1 => self.write(ea, [v as u8]),
            2 => self.write(ea, (v as u16).to_le_bytes()),
            4 => self.write(ea, (v as u32).to_le_bytes()),
            _ => self.write(ea, v.to_le_bytes()),
        }
    }

    /// Fetch an instruction word (needs execute permission).
    pub fn fetch(&self, ea: u64) -> Result<u32, Exc> {
        if ea & 3 != 0 {
            return Err(Exc::Isi { ea });
        }
        if !self.mmu.is_null() {
            let p = self.check_sys(ea, 4, PROT_X, false)?;
            // SAFETY: checked by check_sys.
            let raw = unsafe { std::ptr::read_unaligned(p as *const u32) };
            return Ok(if self.big_endian() {
                u32::from_be(raw)
            } else {
                u32::from_le(raw)
            });
        }
        match self.check(ea, 4, PROT_X, false) {
            // SAFETY: checked above.
            Ok(p) => Ok(u32::from_le(unsafe {
                std::ptr::read_unaligned(p as *const u32)
            })),
            Err(_) => Err(Exc::Isi { ea }),
        }
    }

    pub fn perm(&self, ea: u64) -> u8 {
        if ea >= self.size {
            0
        } else {
            // SAFETY: ea < size.
            unsafe { *self.perms.add((ea >> PAGE_SHIFT) as usize) }
        }
    }

    pub fn mark_code(&self, ea: u64) {
        let ea = if self.mmu.is_null() {
            ea
        } else {
            // SAFETY: see check_sys.
            match unsafe { (*self.mmu).translate(ea, crate::mmu::Access::Exec) } {
                Ok(ra) => ra,
                Err(_) => return,
            }
        };
        if ea < self.size {
            // SAFETY: ea < size; code4k (system mode) has size/4K entries.
            unsafe {
                if self.code4k.is_null() {
                    let page = ea >> PAGE_SHIFT;
                    let p = self.perms.add(page as usize);
                    if *p & PAGE_CODE == 0 {
                        *p |= PAGE_CODE;
                        // Writable code turns read-only on the host, so
                        // that a store from compiled code faults into
                        // `exec::jit::guard` (user mode).
                        if *p & PROT_W != 0 {
                            set_host_prot(self.base, page, 1, *p);
                        }
                    }
                } else {
                    *self.code4k.add((ea >> 12) as usize) |= MARK_CODE;
                }
            }
        }
    }

    /// User mode: page `page` no longer holds decoded code; it is writable
    /// on the host again if the guest may write it.
    ///
    /// # Safety
    /// `page` is below size / PAGE_SIZE; one thread runs the guest.
    pub unsafe fn uncode(&self, page: u64) {
        // SAFETY: per the contract above.
        unsafe {
            let p = self.perms.add(page as usize);
            if *p & PAGE_CODE != 0 {
                *p &= !PAGE_CODE;
                if *p & PROT_W != 0 {
                    set_host_prot(self.base, page, 1, *p);
                }
            }
        }
    }

    /// Changes whenever decoded guest code may be stale: a store to a
    /// page holding decoded code, or a mapping change in user mode. (Code
    /// caches in system mode are keyed by real address, so TLB changes do
    /// not count here; see `exec::interp`.)
    pub fn code_generation(&self) -> u64 {
        // SAFETY: code_gen points into the owning AddressSpace.
        unsafe { *self.code_gen }
    }

    /// The MMU's translation generation (0 in user mode): changes on every
    /// TLB invalidation, PIDR switch or process-table change.
    #[inline]
    pub fn xlate_generation(&self) -> u64 {
        if self.mmu.is_null() {
            0
        } else {
            // SAFETY: see check_sys.
            unsafe { (*self.mmu).generation }
        }
    }

    /// The code-cache key of instruction address `ea`: the EA itself in
    /// user mode, its real address in system mode.
    #[inline]
    pub fn code_key(&self, ea: u64) -> Result<u64, Exc> {
        if self.mmu.is_null() {
            Ok(ea)
        } else {
            // SAFETY: see check_sys.
            unsafe { (*self.mmu).translate(ea, crate::mmu::Access::Exec) }
        }
    }

    /// Largest run a decoded block may cover: one translation page.
    #[inline]
    pub fn code_page_size(&self) -> u64 {
        if self.mmu.is_null() {
            PAGE_SIZE
        } else {
            0x1000
        }
    }

    /// Translation mode bits that change what an EA means or how code
    /// decodes and accesses memory (system mode only; 0 in user mode): IR,
    /// PR, LE, SF, DR.
    #[inline]
    pub fn mode_key(&self, msr: u64) -> u8 {
        if self.mmu.is_null() {
            0
        } else {
            use crate::cpu::msr::*;
            ((msr & IR != 0) as u8)
                | ((msr & PR != 0) as u8) << 1
                | ((msr & LE != 0) as u8) << 2
                | ((msr & SF != 0) as u8) << 3
                | ((msr & DR != 0) as u8) << 4
        }
    }

    /// Host slice for `[ea, ea+len)` if it is mapped with `need`.
    // GuestMem is a view of guest memory shared by design (one vCPU thread
    // at a time); the returned slice aliases it like any guest access.
    #[allow(clippy::mut_from_ref)]
    pub fn slice(&self, ea: u64, len: u64, need: u8) -> Result<&mut [u8], Exc> {
        if len == 0 {
            return Ok(&mut []);
        }
        if !self.mmu.is_null() {
            // System mode: one translation, so the range must stay in a 4K
            // page (dcbz and the other users work on aligned blocks).
            if (ea & 0xfff) + len > 0x1000 {
                return Err(Exc::Alignment { ea });
            }
            let p = self.check_sys(ea, len, need, need & PROT_W != 0)?;
            // SAFETY: check_sys proved the range is inside guest RAM.
            return Ok(unsafe { std::slice::from_raw_parts_mut(p, len as usize) });
        }
        let end = ea.checked_add(len).ok_or(Exc::Dsi { ea, store: false })?;
        if end > self.size {
            return Err(Exc::Dsi { ea, store: false });
        }
        let mut p = ea >> PAGE_SHIFT;
        while p <= (end - 1) >> PAGE_SHIFT {
            // SAFETY: p < size / PAGE_SIZE.
            let perm = unsafe { *self.perms.add(p as usize) };
            if perm & need != need {
                return Err(Exc::Dsi {
                    ea: (p << PAGE_SHIFT).max(ea),
                    store: need & PROT_W != 0,
                });
            }
            if need & PROT_W != 0 && perm & PAGE_CODE != 0 {
                // SAFETY: see code_generation(); p < size / PAGE_SIZE.
                unsafe {
                    self.uncode(p);
                    self.note_code_write(LOG_ALL);
                }
            }
            p += 1;
        }
        // SAFETY: the whole range is inside the mapping.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.base.add(ea as usize), len as usize) })
    }
}

/// Owns a flat guest reservation (anonymous, lazily committed host memory).
pub struct AddressSpace {
    map: Reservation,
    perms: Vec<u8>,
    code_gen: Box<u64>,
    /// 4K-granular decoded-code map (system mode RAM only).
    code4k: Vec<u8>,
    /// The written-code-page ring (system mode RAM only; see GuestMem).
    code_log: Vec<u64>,
    /// Stores to `MARK_TABLE` pages by any vCPU (system mode; see
    /// `Mmu::table_written`).
    table_writes: Box<u64>,
    /// Copied into every view (`GuestMem::guarded`).
    guarded: bool,
}

impl AddressSpace {
    /// A user-mode space: nothing is mapped, on the host either, and the
    /// space has guards on both sides (`GUARD_LO`, `GUARD_HI`).
    pub fn new(size: u64) -> std::io::Result<AddressSpace> {
        AddressSpace::with_prot(size, libc::PROT_NONE, (GUARD_LO, GUARD_HI))
    }

    fn with_prot(size: u64, prot: i32, guards: (u64, u64)) -> std::io::Result<AddressSpace> {
        let map = Reservation::new(size as usize, prot, (guards.0 as usize, guards.1 as usize))?;
        Ok(AddressSpace {
            map,
            perms: vec![0; (size >> PAGE_SHIFT) as usize],
            code_gen: Box::new(0),
            code4k: Vec::new(),
            code_log: Vec::new(),
            table_writes: Box::new(0),
            guarded: false,
        })
    }

    /// Guest RAM for system mode: all of it host-writable (code stores are
    /// caught by `code4k`, not by host protections); also track decoded
    /// code per 4K page.
    pub fn new_ram(size: u64) -> std::io::Result<AddressSpace> {
        let mut a = AddressSpace::with_prot(size, libc::PROT_READ | libc::PROT_WRITE, (0, 0))?;
        a.code4k = vec![0; (size >> 12) as usize];
        a.code_log = vec![LOG_ALL; CODE_LOG_LEN];
        Ok(a)
    }

    /// Set whether compiled code may rely on the host MMU (`GuestMem::guarded`)
    /// in views made from now on. A change also counts as a code change,
    /// so regions compiled under the other setting are flushed.
    pub fn set_guarded(&mut self, on: bool) {
        if self.guarded != on {
            self.guarded = on;
            // SAFETY: the view's pointers are into self.
            unsafe { self.view().note_code_write(LOG_ALL) };
        }
    }

    pub fn view(&mut self) -> GuestMem {
        GuestMem {
            base: self.map.as_mut_ptr(),
            size: self.map.len() as u64,
            perms: self.perms.as_mut_ptr(),
            code_gen: &mut *self.code_gen,
            mmu: std::ptr::null_mut(),
            code4k: if self.code4k.is_empty() {
                std::ptr::null_mut()
            } else {
                self.code4k.as_mut_ptr()
            },
            code_log: if self.code_log.is_empty() {
                std::ptr::null_mut()
            } else {
                self.code_log.as_mut_ptr()
            },
            guarded: self.guarded,
        }
    }

    pub fn size(&self) -> u64 {
        self.map.len() as u64
    }

    /// The counter of stores to page-table pages walked for code, shared
    /// by every vCPU's MMU.
    pub fn table_writes(&mut self) -> *mut u64 {
        &mut *self.table_writes
    }

    /// Set permissions on the pages covering `[ea, ea+len)`.
    pub fn protect(&mut self, ea: u64, len: u64, prot: u8) {
        if len == 0 {
            return;
        }
        let first = ea >> PAGE_SHIFT;
        let last = (ea + len - 1) >> PAGE_SHIFT;
        let last = last.min(self.perms.len() as u64 - 1);
        let mut had_code = false;
        for p in first..=last {
            let old = self.perms[p as usize];
            self.perms[p as usize] = prot | (old & PAGE_CODE);
            had_code |= old & PAGE_CODE != 0;
        }
        // The host follows, one mprotect per run of pages that end up with
        // the same host protection.
        let mut run = first;
        for p in first..=last + 1 {
            let split = p > last
                || host_prot(self.perms[p as usize]) != host_prot(self.perms[run as usize]);
            if split {
                let perm = self.perms[run as usize];
                set_host_prot(self.map.as_mut_ptr(), run, p - run, perm);
                run = p;
            }
        }
        // Decoded code can only be stale where some was decoded (a page
        // keeps its PAGE_CODE mark through munmap and mmap, so code mapped
        // again over old code is seen here too). (bzip2's mmap and munmap of
        // its buffers used to flush all compiled code each time.)
        if had_code {
            // SAFETY: the view's pointers are into self.
            unsafe { self.view().note_code_write(LOG_ALL) };
        }
    }

    /// Zero `[ea, ea+len)` and release the host pages behind it.
    pub fn discard(&mut self, ea: u64, len: u64) {
        let start = ea as usize;
        let end = ((ea + len) as usize).min(self.map.len());
        if start >= end {
            return;
        }
        // SAFETY: the range is inside our mapping; MADV_DONTNEED on a private
        // anonymous mapping makes the pages read back as zero.
        unsafe {
            libc::madvise(
                self.map.as_mut_ptr().add(start) as *mut libc::c_void,
                end - start,
                libc::MADV_DONTNEED,
            );
        }
    }

    pub fn perm_of(&self, ea: u64) -> u8 {
        self.perms
            .get((ea >> PAGE_SHIFT) as usize)
            .copied()
            .unwrap_or(0)
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.map.as_mut_slice()
    }
}

/// The host protection mirroring guest permissions `perm` (user mode):
/// readable if the guest may read or execute (the interpreter fetches
/// through the host mapping), writable if the guest may write and the page
/// holds no decoded code. (So an access the guest may not make but the
/// host allows is possible only on execute-only pages, which compiled code
/// reads without a fault; the software path refuses it.)
pub fn host_prot(perm: u8) -> i32 {
    let mut h = libc::PROT_NONE;
    if perm & (PROT_R | PROT_X | PROT_W) != 0 {
        h |= libc::PROT_READ;
    }
    if perm & PROT_W != 0 && perm & PAGE_CODE == 0 {
        h |= libc::PROT_WRITE;
    }
    h
}

/// mprotect guest pages `[page, page+n)` of the space at `base` to
/// `host_prot(perm)`. (Also used from the fault handler: a system call.)
fn set_host_prot(base: *mut u8, page: u64, n: u64, perm: u8) {
    // SAFETY: the range is inside the reservation at base (callers pass
    // pages below its size); mprotect does not touch memory contents.
    let r = unsafe {
        libc::mprotect(
            base.add((page << PAGE_SHIFT) as usize) as *mut libc::c_void,
            (n << PAGE_SHIFT) as usize,
            host_prot(perm),
        )
    };
    debug_assert_eq!(r, 0, "mprotect of guest pages failed");
}

/// PROT_NONE host memory below the guest space (user mode).
pub const GUARD_LO: u64 = 64 << 10;
/// PROT_NONE host memory above the guest space (user mode). Compiled code
/// clamps a base register to `size + GUARD_LO` and adds constants of at
/// most 48 KiB either way (a displacement and an addi; `exec::jit::access`),
/// so every address it forms for an out-of-range access falls into a guard.
pub const GUARD_HI: u64 = 128 << 10;

/// A large private anonymous mapping with MAP_NORESERVE, so reserving a
/// 64 GiB guest space costs nothing until pages are touched, with optional
/// PROT_NONE guards on either side. (memmap2 cannot ask for MAP_NORESERVE.)
struct Reservation {
    /// The start of the guest space (after the low guard).
    ptr: *mut u8,
    len: usize,
    guards: (usize, usize),
}

impl Reservation {
    fn new(len: usize, prot: i32, guards: (usize, usize)) -> std::io::Result<Reservation> {
        let total = guards.0 + len + guards.1;
        // SAFETY: a fresh anonymous mapping; we own it until Drop.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                total,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: inside the mapping just made.
        let ptr = unsafe { (p as *mut u8).add(guards.0) };
        // SAFETY: the guest part of our own mapping.
        if prot != libc::PROT_NONE && unsafe { libc::mprotect(ptr as *mut _, len, prot) } != 0 {
            let e = std::io::Error::last_os_error();
            // SAFETY: unmapping what we mapped above.
            unsafe { libc::munmap(p, total) };
            return Err(e);
        }
        Ok(Reservation { ptr, len, guards })
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }
    fn len(&self) -> usize {
        self.len
    }
    fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: ptr..ptr+len is our live mapping.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what new() mapped.
        unsafe {
            libc::munmap(
                self.ptr.sub(self.guards.0) as *mut libc::c_void,
                self.guards.0 + self.len + self.guards.1,
            )
        };
    }
}
