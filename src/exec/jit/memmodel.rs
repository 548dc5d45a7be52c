//! The memory model a region is compiled for: which inline check guards a
//! guest access (flat user space, real mode, the software TLB, or always
//! the slow path), chosen from the vCPU's state when the region is formed.

use crate::memory::GuestMem;

/// How guest accesses are checked inline, fixed per region (the region
/// key includes the translation mode). Host addresses are fixed for the
/// life of the address space, so they are baked into the code as constants;
/// the JIT is flushed if they ever change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MemModel {
    /// User mode: flat space with a page-permission table; `guarded`: the
    /// host MMU checks permissions and stores into code (`jit::guard`), so
    /// only the bounds are checked inline.
    Flat {
        base: u64,
        size: u64,
        perms: u64,
        guarded: bool,
    },
    /// System mode, data translation off: RA = EA & REAL_MODE_MASK.
    Real { base: u64, size: u64, perms: u64 },
    // (for Real and Tlb, `perms` is the 4K decoded-code map)
    /// System mode, data translation on: the vCPU's software TLB.
    Tlb {
        base: u64,
        size: u64,
        perms: u64,
        dtlb: u64,
        pr: bool,
    },
    /// Always the slow path (big-endian or 32-bit system mode).
    Slow,
}

impl MemModel {
    pub fn of(m: &GuestMem, msr: u64) -> MemModel {
        use crate::cpu::msr::{DR, LE, PR, SF};
        let (base, size, perms) = (m.base as u64, m.size, m.perms as u64);
        if m.mmu.is_null() {
            return MemModel::Flat {
                base,
                size,
                perms,
                guarded: m.guarded && super::guard::supported(),
            };
        }
        let perms = m.code4k as u64;
        if msr & LE == 0 || msr & SF == 0 {
            return MemModel::Slow;
        }
        if msr & DR == 0 {
            return MemModel::Real { base, size, perms };
        }
        // SAFETY: mmu is the vCPU's Mmu, alive as long as this view.
        let dtlb = unsafe { (*m.mmu).dtlb.as_ptr() as u64 };
        MemModel::Tlb {
            base,
            size,
            perms,
            dtlb,
            pr: msr & PR != 0,
        }
    }
}
