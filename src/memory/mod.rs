//! Guest memory for user mode: one flat, emulator-chosen range of host
//! memory (`base + EA`) with a per-64K-page permission table, so a wild guest
//! address is a precise fault and never a host crash.
//!
//! `GuestMem` is the small `Copy` view that lives inside `CpuState` and that
//! compiled code reads; `AddressSpace` owns the reservation.

use crate::cpu::Exc;

pub const PAGE_SHIFT: u32 = 16;
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;

pub const PROT_R: u8 = 1;
pub const PROT_W: u8 = 2;
pub const PROT_X: u8 = 4;
/// The page holds code the interpreter has pre-decoded.
pub const PAGE_CODE: u8 = 8;

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
        }
    }

    #[inline(always)]
    fn check(&self, ea: u64, len: u64, need: u8, store: bool) -> Result<*mut u8, Exc> {
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
                *self.code_gen += 1;
            }
            Ok(self.base.add(ea as usize))
        }
    }

    /// Read `N` bytes at `ea` (guest byte order = host little-endian).
    #[inline(always)]
    pub fn read<const N: usize>(&self, ea: u64) -> Result<[u8; N], Exc> {
        let p = self.check(ea, N as u64, PROT_R, false)?;
        // SAFETY: check() proved [ea, ea+N) is inside the mapping.
        Ok(unsafe { std::ptr::read_unaligned(p as *const [u8; N]) })
    }

    #[inline(always)]
    pub fn write<const N: usize>(&self, ea: u64, v: [u8; N]) -> Result<(), Exc> {
        let p = self.check(ea, N as u64, PROT_W, true)?;
        // SAFETY: as in read().
        unsafe { std::ptr::write_unaligned(p as *mut [u8; N], v) };
        Ok(())
    }

    /// Load `size` (1, 2, 4, 8) bytes, little-endian, zero-extended.
    #[inline(always)]
    pub fn load(&self, size: u8, ea: u64) -> Result<u64, Exc> {
        Ok(match size {
            1 => self.read::<1>(ea)?[0] as u64,
            2 => u16::from_le_bytes(self.read(ea)?) as u64,
            4 => u32::from_le_bytes(self.read(ea)?) as u64,
            _ => u64::from_le_bytes(self.read(ea)?),
        })
    }

    #[inline(always)]
    pub fn store(&self, size: u8, ea: u64, v: u64) -> Result<(), Exc> {
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
        match self.check(ea, 4, PROT_X, false) {
            // SAFETY: checked above.
            Ok(p) => Ok(u32::from_le(unsafe { std::ptr::read_unaligned(p as *const u32) })),
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
        if ea < self.size {
            // SAFETY: ea < size.
            unsafe { *self.perms.add((ea >> PAGE_SHIFT) as usize) |= PAGE_CODE };
        }
    }

    pub fn code_generation(&self) -> u64 {
        // SAFETY: code_gen points into the owning AddressSpace.
        unsafe { *self.code_gen }
    }

    /// Host slice for `[ea, ea+len)` if it is mapped with `need`.
    pub fn slice(&self, ea: u64, len: u64, need: u8) -> Result<&mut [u8], Exc> {
        if len == 0 {
            return Ok(&mut []);
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
                // SAFETY: see code_generation().
                unsafe { *self.code_gen += 1 };
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
}

impl AddressSpace {
    pub fn new(size: u64) -> std::io::Result<AddressSpace> {
        let map = Reservation::new(size as usize)?;
        Ok(AddressSpace {
            map,
            perms: vec![0; (size >> PAGE_SHIFT) as usize],
            code_gen: Box::new(0),
        })
    }

    pub fn view(&mut self) -> GuestMem {
        GuestMem {
            base: self.map.as_mut_ptr(),
            size: self.map.len() as u64,
            perms: self.perms.as_mut_ptr(),
            code_gen: &mut *self.code_gen,
        }
    }

    pub fn size(&self) -> u64 {
        self.map.len() as u64
    }

    /// Set permissions on the pages covering `[ea, ea+len)`.
    pub fn protect(&mut self, ea: u64, len: u64, prot: u8) {
        if len == 0 {
            return;
        }
        let first = ea >> PAGE_SHIFT;
        let last = (ea + len - 1) >> PAGE_SHIFT;
        for p in first..=last.min(self.perms.len() as u64 - 1) {
            let old = self.perms[p as usize];
            self.perms[p as usize] = prot | (old & PAGE_CODE);
        }
        *self.code_gen += 1;
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

/// A large private anonymous mapping with MAP_NORESERVE, so reserving a
/// 64 GiB guest space costs nothing until pages are touched. (memmap2
/// cannot ask for MAP_NORESERVE.)
struct Reservation {
    ptr: *mut u8,
    len: usize,
}

impl Reservation {
    fn new(len: usize) -> std::io::Result<Reservation> {
        // SAFETY: a fresh anonymous mapping; we own it until Drop.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Reservation {
            ptr: p as *mut u8,
            len,
        })
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
        unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.len) };
    }
}
