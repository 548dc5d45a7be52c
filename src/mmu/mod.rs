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
    /// Bumped on every flush: decoded-code caches keyed by EA compare it.
    pub generation: u64,
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
            generation: 0,
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
        for e in self.dtlb.iter_mut().chain(self.itlb.iter_mut()) {
            e.tag = u64::MAX;
        }
        self.generation += 1;
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
        tlb[slot] = TlbEntry {
            tag: page,
            ra: ra_page,
            perm,
        };
        Ok(ra_page | (ea & 0xfff))
    }
}
