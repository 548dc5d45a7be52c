//! Address translation for system mode (Power ISA 3.0B Book III chapter 5):
//! real mode, and radix process-scoped translation for a pseries guest
//! (partition-scoped translation is the hypervisor's, i.e. ours: guest real
//! addresses are offsets into guest RAM).
//!
//! `Mmu` is owned by the machine, one per vCPU, and reached from
//! `GuestMem::mmu` so every guest access (interpreter, JIT slow paths,
//! helpers) goes through `translate`. It mirrors the MSR bits that matter
//! (IR, DR, PR, LE) and holds the registered process table, PIDR and a
//! software TLB.

pub mod radix;

use crate::cpu::Exc;

/// Kind of access, for permission checks and fault reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Exec,
}

/// DSISR bits (Book III §6.5.3).
pub const DSISR_NOPTE: u64 = 0x4000_0000;
pub const DSISR_PROTFAULT: u64 = 0x0800_0000;
pub const DSISR_STORE: u64 = 0x0200_0000;
pub const DSISR_BADACCESS: u64 = 0x0008_0000;
/// SRR1 bits for ISI (Book III §6.5.4).
pub const SRR1_ISI_NOPTE: u64 = 0x4000_0000;
pub const SRR1_ISI_PROT: u64 = 0x0800_0000;

/// Mask applied to EAs in real mode with MSR[HV]=0 (Book III §5.7.3.1: the
/// high-order 4 bits of the EA are ignored).
pub const REAL_MODE_MASK: u64 = 0x0fff_ffff_ffff_ffff;

/// The exception for a failed translation: DSI with DSISR `bits` (plus the
/// store bit) or ISI with the matching SRR1 bits.
pub fn fault(ea: u64, access: Access, bits: u64) -> Exc {
    match access {
        Access::Exec => Exc::InstStorage {
            ea,
            srr1: bits as u32,
        },
        Access::Write => Exc::Storage {
            ea,
            dsisr: (bits | DSISR_STORE) as u32,
        },
        Access::Read => Exc::Storage {
            ea,
            dsisr: bits as u32,
        },
    }
}

/// One software TLB entry: EA page (tagged with the privilege) to RA page.
/// `repr(C)`: the JIT reads entries inline.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TlbEntry {
    /// EA >> 12 | valid marker; u64::MAX when empty.
    pub tag: u64,
    /// Real address of the 4K page.
    pub ra: u64,
    /// Permissions granted: bit 0 read, 1 write, 2 exec (for this privilege).
    pub perm: u8,
}

pub const TLB_SIZE: usize = 1024;
/// `Mmu::live` entries with this bit name an `itlb` slot.
const ITLB_SLOT: u16 = 0x8000;

pub struct Mmu {
    /// Guest RAM size: real addresses must be below it.
    pub ram_size: u64,
    /// Host pointer to guest RAM, for page-table walks.
    pub ram: *mut u8,
    pub ir: bool,
    pub dr: bool,
    pub pr: bool,
    /// MSR[LE]: data and instructions are little-endian.
    pub le: bool,
    /// MSR[SF]=0: 32-bit mode, EAs are truncated to 32 bits.
    pub narrow: bool,
    /// Process table registered with H_REGISTER_PROC_TBL: real base and
    /// size field (log2(bytes) - 12), radix when `radix` is set.
    pub prtb_base: u64,
    pub prtb_size: u64,
    pub radix: bool,
    pub pidr: u64,
    /// Separate TLBs for data and instruction fetches, direct-mapped by EA
    /// page; each entry remembers the PID space (quadrant) through the tag.
    pub dtlb: Box<[TlbEntry; TLB_SIZE]>,
    pub itlb: Box<[TlbEntry; TLB_SIZE]>,
    /// The slots filled since they were last known empty (`ITLB_SLOT`
    /// marks the instruction TLB), so flushes and PID invalidations visit
    /// only those: Linux flushes PID 0 tens of thousands of times per
    /// boot while a few hundred entries are live. May hold duplicates and
    /// slots emptied since; `sweep` rebuilds it when it grows too long.
    live: Vec<u16>,
    /// Bumped whenever a translation that code may have been fetched
    /// through can have changed: decoded-code caches keyed by EA (the
    /// dispatcher's, the JIT's region cache and exit slots) compare it.
    pub generation: u64,
    /// EA pages (hashed into 64K bits) translated for instruction fetch
    /// since the last whole flush: a single-page invalidation bumps
    /// `generation` only when it may touch one of them.
    code_pages: Box<[u64; CODE_PAGE_WORDS]>,
    /// EA quadrants (bit per EA bits 0:1) translated for instruction fetch
    /// since `generation` last changed: a PID invalidation bumps it only
    /// if code may have been fetched through the quadrants it drops.
    code_quadrants: u8,
    /// Whole flushes and single-page invalidations (for the statistics).
    pub flushes: u64,
    pub page_invalidations: u64,
    pub pid_invalidations: u64,
    /// Page-table tracking, shared by every vCPU: the RAM-wide 4K page
    /// marks (`memory::MARK_TABLE` set by walks for instruction fetch) and
    /// the count of stores to marked pages. Null when not tracked (then
    /// every invalidation that may touch code changes `generation`).
    marks: *mut u8,
    table_writes: *mut u64,
    /// `*table_writes` when this TLB last dropped every entry of the
    /// kernel quadrant (index 0) or of the user quadrants (index 1): if it
    /// has not changed since, every cached translation of that class was
    /// walked through tables nobody has written since.
    tables_seen: [u64; 2],
    /// Invalidations by `tlbie` on this vCPU, which reach every vCPU's
    /// TLB (Book III §6.10.1): the machine applies them to the others
    /// after this vCPU's slice (they run on one host thread, so none of
    /// them runs before it catches up).
    pub posted: Vec<Inval>,
}

/// One TLB invalidation, to apply to an `Mmu`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inval {
    /// The page of this size (bytes) containing this EA.
    Page(u64, u64),
    /// The process-scoped entries of this PID.
    Pid(u64),
    All,
}

/// Size of `Mmu::code_pages` in 64-bit words (64K bits).
const CODE_PAGE_WORDS: usize = 1024;

/// The `code_pages` bit of EA page `page`: a multiplicative hash of all of
/// its bits (the kernel's linear map, vmalloc space, user pages and the
/// out-of-the-way address Linux's POWER9 tlbie workaround invalidates must
/// not share bits by construction).
#[inline]
fn code_page_bit(page: u64) -> usize {
    (page.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize & (CODE_PAGE_WORDS * 64 - 1)
}

impl Mmu {
    pub fn new(ram: *mut u8, ram_size: u64) -> Mmu {
        let empty = TlbEntry {
            tag: u64::MAX,
            ra: 0,
            perm: 0,
        };
        Mmu {
            ram_size,
            ram,
            ir: false,
            dr: false,
            pr: false,
            le: false,
            narrow: true,
            prtb_base: 0,
            prtb_size: 0,
            radix: false,
            pidr: 0,
            dtlb: Box::new([empty; TLB_SIZE]),
            itlb: Box::new([empty; TLB_SIZE]),
            live: Vec::with_capacity(4 * TLB_SIZE),
            generation: 0,
            code_pages: Box::new([0; CODE_PAGE_WORDS]),
            code_quadrants: 0,
            flushes: 0,
            page_invalidations: 0,
            pid_invalidations: 0,
            marks: std::ptr::null_mut(),
            table_writes: std::ptr::null_mut(),
            tables_seen: [0; 2],
            posted: Vec::new(),
        }
    }

    /// Track writes to the page tables code is fetched through: `marks`
    /// has one byte per 4K page of RAM, `table_writes` is the shared
    /// counter (both owned by the RAM's `AddressSpace`, which outlives
    /// every vCPU).
    pub fn track_tables(&mut self, marks: *mut u8, table_writes: *mut u64) {
        self.marks = marks;
        self.table_writes = table_writes;
    }

    /// A walk for an instruction fetch read a table entry at real address
    /// `ra` (in RAM, already bounds-checked).
    #[inline]
    pub(crate) fn mark_table(&mut self, ra: u64) {
        if !self.marks.is_null() {
            // SAFETY: `marks` has one byte per 4K page of RAM and `ra` is
            // inside RAM.
            unsafe { *self.marks.add((ra >> 12) as usize) |= crate::memory::MARK_TABLE };
        }
    }

    /// A store hit a page marked by `mark_table` (any vCPU's; the mark is
    /// cleared by the caller).
    pub fn table_written(&mut self) {
        if !self.table_writes.is_null() {
            // SAFETY: see `track_tables`; vCPUs run on one thread.
            unsafe { *self.table_writes += 1 };
        }
    }

    /// Whether tables walked for translations of class `class` (0 kernel,
    /// 1 user) may have been written since that class was last dropped
    /// whole. Untracked: always.
    fn tables_changed(&self, class: usize) -> bool {
        // SAFETY: see `track_tables`.
        self.table_writes.is_null() || unsafe { *self.table_writes } != self.tables_seen[class]
    }

    /// Every translation of `class` has just been dropped.
    fn tables_resync(&mut self, class: usize) {
        if !self.table_writes.is_null() {
            // SAFETY: see `track_tables`.
            self.tables_seen[class] = unsafe { *self.table_writes };
        }
    }

    /// Update the mirrored MSR bits (call on every MSR change).
    pub fn set_msr(&mut self, msr: u64) {
        use crate::cpu::msr::*;
        // TLB entries are tagged with the privilege they were filled for,
        // so MSR changes (every interrupt and return) need no flush.
        let (ir, dr, pr) = (msr & IR != 0, msr & DR != 0, msr & PR != 0);
        self.ir = ir;
        self.dr = dr;
        self.pr = pr;
        self.le = msr & LE != 0;
        self.narrow = msr & SF == 0;
    }

    /// Drop every cached translation (tlbie, tlbiel, slbia, PIDR change,
    /// process-table change).
    pub fn flush(&mut self) {
        self.sweep(|_| true);
        self.code_pages.fill(0);
        self.flushes += 1;
        self.code_changed();
        self.tables_resync(0);
        self.tables_resync(1);
    }

    /// Empty every live TLB entry whose tag `drop` selects, and forget
    /// the slots left empty.
    fn sweep(&mut self, drop: impl Fn(u64) -> bool) {
        let (dtlb, itlb) = (&mut self.dtlb, &mut self.itlb);
        self.live.retain(|&s| {
            let e = if s & ITLB_SLOT != 0 {
                &mut itlb[(s & !ITLB_SLOT) as usize]
            } else {
                &mut dtlb[s as usize]
            };
            if e.tag != u64::MAX && drop(e.tag) {
                e.tag = u64::MAX;
            }
            e.tag != u64::MAX
        });
        if self.live.len() > 2 * TLB_SIZE {
            // Duplicates piled up (slots emptied by page invalidations and
            // filled again): list each live slot once.
            self.live.clear();
            for (i, e) in self.dtlb.iter().enumerate() {
                if e.tag != u64::MAX {
                    self.live.push(i as u16);
                }
            }
            for (i, e) in self.itlb.iter().enumerate() {
                if e.tag != u64::MAX {
                    self.live.push(i as u16 | ITLB_SLOT);
                }
            }
        }
    }

    /// Apply invalidation `inv` to this TLB.
    pub fn apply(&mut self, inv: Inval) {
        match inv {
            Inval::Page(ea, size) => self.invalidate_page(ea, size),
            Inval::Pid(pid) => self.invalidate_pid(pid),
            Inval::All => self.flush(),
        }
    }

    /// Translations code may have been fetched through changed.
    fn code_changed(&mut self) {
        self.generation += 1;
        self.code_quadrants = 0;
    }

    /// Drop the cached process-scoped translations of PID `pid`: tlbie and
    /// tlbiel with IS=1 (Book III §6.10.1). Quadrant 3 (EA bits 0:1 = 0b11,
    /// the kernel) translates through PID 0 and the other quadrants through
    /// PIDR (§5.7.5.1), so only those entries can belong to `pid`.
    ///
    /// Dropping translations changes what code an EA means only if the
    /// tables behind them changed. Linux flushes PID 0 after every kernel
    /// mapping change (each text patch at boot, for one), nearly always
    /// for mappings no code runs through; so `generation` changes only if
    /// a table page some instruction-fetch walk read has been stored to
    /// since this class of translations was last dropped whole. (A store
    /// there takes the slow path: `memory::MARK_TABLE`.)
    pub fn invalidate_pid(&mut self, pid: u64) {
        self.pid_invalidations += 1;
        let user = pid == self.pidr;
        let kernel = pid == 0;
        let hit = |q: u64| if q == 3 { kernel } else { user };
        self.sweep(|tag| hit((tag >> 50) & 3));
        let dropped = (0..4).filter(|&q| hit(q)).fold(0u8, |m, q| m | 1 << q);
        let changed = (kernel && self.tables_changed(0)) || (user && self.tables_changed(1));
        if self.code_quadrants & dropped != 0 && changed {
            self.code_changed();
        }
        if kernel {
            self.tables_resync(0);
        }
        if user {
            self.tables_resync(1);
        }
    }

    /// Drop the cached translations of the page of `size` bytes (a power
    /// of two, at least 4K) containing `ea`, for either privilege: tlbie
    /// and tlbiel with IS=0 (Book III §6.10.1, "TLB Management
    /// Instructions"). Pages of 1 GiB and more flush everything.
    pub fn invalidate_page(&mut self, ea: u64, size: u64) {
        if size >= 1 << 30 {
            return self.flush();
        }
        self.page_invalidations += 1;
        let first = (ea & !(size - 1)) >> 12;
        let mut code = false;
        for page in first..first + (size >> 12) {
            let slot = (page as usize) & (TLB_SIZE - 1);
            for tlb in [&mut self.dtlb, &mut self.itlb] {
                let e = &mut tlb[slot];
                if e.tag != u64::MAX && e.tag & !(1 << 62) == page {
                    e.tag = u64::MAX;
                }
            }
            let bit = code_page_bit(page);
            code |= self.code_pages[bit / 64] & (1 << (bit % 64)) != 0;
        }
        if code {
            self.code_changed();
        }
    }

    /// Translate `ea` for `access`: the real address, or the DSI/ISI the
    /// access raises (with DAR/DSISR or SRR1 details in the `Exc`).
    #[inline]
    pub fn translate(&mut self, ea: u64, access: Access) -> Result<u64, Exc> {
        let ea = if self.narrow { ea & 0xffff_ffff } else { ea };
        let on = if access == Access::Exec {
            self.ir
        } else {
            self.dr
        };
        if !on {
            let ra = ea & REAL_MODE_MASK;
            return Ok(ra);
        }
        let need: u8 = match access {
            Access::Read => 1,
            Access::Write => 2,
            Access::Exec => 4,
        };
        let page = ea >> 12;
        if access == Access::Exec {
            let bit = code_page_bit(page);
            self.code_pages[bit / 64] |= 1 << (bit % 64);
            self.code_quadrants |= 1 << (ea >> 62);
        }
        let slot = (page as usize) & (TLB_SIZE - 1);
        let page = page | (self.pr as u64) << 62;
        let tlb = if access == Access::Exec {
            &mut self.itlb
        } else {
            &mut self.dtlb
        };
        let e = tlb[slot];
        if e.tag == page && e.perm & need != 0 {
            return Ok(e.ra | (ea & 0xfff));
        }
        let (ra_page, perm) = radix::walk(self, ea, access)?;
        if ra_page
            .checked_add(0x1000)
            .is_none_or(|e| e > self.ram_size)
        {
            // Outside RAM: not cached, so the fast paths (which trust the
            // TLB) never see it; the access faults in GuestMem.
            return Ok(ra_page | (ea & 0xfff));
        }
        let tlb = if access == Access::Exec {
            &mut self.itlb
        } else {
            &mut self.dtlb
        };
        if tlb[slot].tag == u64::MAX {
            let mark = if access == Access::Exec { ITLB_SLOT } else { 0 };
            self.live.push(slot as u16 | mark);
            if self.live.len() > 4 * TLB_SIZE {
                self.sweep(|_| false);
            }
        }
        let tlb = if access == Access::Exec {
            &mut self.itlb
        } else {
            &mut self.dtlb
        };
        tlb[slot] = TlbEntry {
            tag: page,
            ra: ra_page,
            perm,
        };
        Ok(ra_page | (ea & 0xfff))
    }
}
