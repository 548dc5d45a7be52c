//! Process-scoped radix tree translation for a pseries guest (Power ISA 3.0B
//! Book III §5.7.6 "Radix Tree Translation", §5.7.10.2 and §5.7.12-13 for
//! reference/change recording and storage protection). The guest registers
//! its process table with H_REGISTER_PROC_TBL; partition-scoped translation
//! is ours (guest real address = RAM offset), so a walk reads the process
//! table entry for the effective PID, descends the big-endian radix tree in
//! guest RAM, checks the leaf's Encoded Access Authority against MSR[PR],
//! records R/C in the leaf and returns the real address of the 4K page. Every
//! table read is bounds-checked: a corrupt tree is a guest fault, never a
//! host crash.

use super::{Access, Mmu, DSISR_NOPTE, DSISR_PROTFAULT, SRR1_ISI_NOPTE};
use crate::cpu::Exc;

#[cfg(test)]
mod tests;

/// DSISR[44] / SRR1[44]: "unsupported radix tree configuration" (ISA 3.0B
/// §6.5.3/§6.5.5; POWER9 UM). Used for malformed descriptors (bad RTS/RPDS/
/// NLS) and for table pointers outside guest RAM. On hardware the latter
/// would be a machine check; a storage interrupt with this bit is what Linux
/// classifies as a "bad fault" (SIGBUS / kernel oops) instead of retrying,
/// and it never touches host memory. Same bit as `super::DSISR_BADACCESS`.
pub const DSISR_R_BADCONFIG: u64 = 0x0008_0000;
/// SRR1[35] for ISI: fetch from no-execute or guarded storage. A radix
/// execute denial (EAA, privilege, non-idempotent I/O attribute) reports this
/// bit, as QEMU's radix MMU does (ISA 3.0B §6.5.5).
pub const SRR1_ISI_NOEXEC_GUARD: u64 = 0x1000_0000;

/// Permission bits returned by `walk` (same encoding as the TLB).
pub const PERM_R: u8 = 1;
pub const PERM_W: u8 = 2;
pub const PERM_X: u8 = 4;

// Process table entry doubleword 0 (ISA 3.0B §5.7.6.2, Figure "Process Table
// Entry"), big-endian bit numbers in comments.
/// RTS1, bits 1:2: high two bits of the radix tree size.
const PRTE_RTS1_SHIFT: u32 = 61;
/// RTS2, bits 56:58: low three bits of the radix tree size.
const PRTE_RTS2_SHIFT: u32 = 5;
/// RPDB, bits 4:55: root page directory base (real address).
const PRTE_RPDB: u64 = 0x0fff_ffff_ffff_ff00;
/// RPDS, bits 59:63: log2 of the number of root directory entries.
const PRTE_RPDS: u64 = 0x1f;
/// The tree maps 2^(RTS + 31) bytes.
const RTS_BIAS: u32 = 31;

// Page directory / page table entries (ISA 3.0B §5.7.10.2, Figures "Radix
// Page Directory Entry" and "Radix Page Table Entry").
/// V, bit 0.
const PTE_V: u64 = 1 << 63;
/// L, bit 1: leaf (page table entry) rather than directory entry.
const PTE_L: u64 = 1 << 62;
/// NLB, bits 4:55: next level base (real address).
const PDE_NLB: u64 = 0x0fff_ffff_ffff_ff00;
/// NLS, bits 59:63: log2 of the number of next-level entries.
const PDE_NLS: u64 = 0x1f;
/// RPN, bits 7:51.
const PTE_RPN: u64 = 0x01ff_ffff_ffff_f000;
/// R, bit 55: reference.
pub const PTE_R: u64 = 1 << 8;
/// C, bit 56: change.
pub const PTE_C: u64 = 1 << 7;
/// ATT, bits 58:59: 0b00 normal, 0b01 SAO, 0b10 non-idempotent I/O,
/// 0b11 tolerant I/O.
const PTE_ATT: u64 = 0x30;
const PTE_ATT_NI_IO: u64 = 0x20;
/// EAA bit 0 (bit 60): privileged-only page.
pub const PTE_EAA_PRIV: u64 = 0x8;
/// EAA bit 1 (bit 61): read.
pub const PTE_EAA_R: u64 = 0x4;
/// EAA bit 2 (bit 62): read/write.
pub const PTE_EAA_RW: u64 = 0x2;
/// EAA bit 3 (bit 63): execute.
pub const PTE_EAA_X: u64 = 0x1;

/// Smallest directory: 2^5 entries (ISA: NLS/RPDS values below 5 are an
/// unsupported configuration).
const MIN_INDEX_BITS: u32 = 5;
/// Smallest page: 4K.
const MIN_PAGE_SHIFT: u32 = 12;

/// Walk the process-scoped radix tree for `ea`. Returns the real address of
/// the 4K page containing `ea` and the permissions (bit 0 read, 1 write,
/// 2 execute) the current privilege has on it, or the fault to raise.
///
/// The write permission is only granted once the leaf's C bit is set, so a
/// TLB entry filled by a load makes the first store walk again and record
/// the change (ISA 3.0B §5.7.12: C must be set before a store is performed).
pub fn walk(mmu: &mut Mmu, ea: u64, access: Access) -> Result<(u64, u8), Exc> {
    let nopte = || super::fault(ea, access, nopte_bits(access));
    let bad = || super::fault(ea, access, DSISR_R_BADCONFIG);
    if !mmu.radix {
        // No process table registered and no hash MMU: nothing translates.
        return Err(nopte());
    }

    // Quadrant, EA bits 0:1 (ISA 3.0B §5.7.6, Table "Radix quadrants"): with
    // MSR[HV]=0 only quadrant 0 (PID = PIDR) and 3 (PID = 0) are usable by
    // the guest. Quadrants 1 and 2 are hypervisor-only and, like the EA
    // range check below, architecturally raise a Data/Instruction Segment
    // interrupt; `Exc` has no segment variant, so they are reported as a
    // "no translation" storage interrupt, which Linux handles the same way
    // (bad address -> SIGSEGV / fixup / oops).
    let pid = match ea >> 62 {
        0 => mmu.pidr & 0xffff_ffff,
        3 => 0,
        _ => return Err(nopte()),
    };

    // Process table entry, 16 bytes per PID (§5.7.6.2). The table holds
    // 2^(PRTS+12) bytes; a PID beyond it has no entry.
    let offset = pid * 16;
    let table_bytes = 1u64 << (mmu.prtb_size.min(51) + 12);
    if offset >= table_bytes {
        return Err(nopte());
    }
    // An instruction fetch's walk marks every table page it reads, so a
    // later store there is seen (`Mmu::invalidate_pid`).
    let fetch = access == Access::Exec;
    let prte_addr = mmu.prtb_base.checked_add(offset).ok_or_else(bad)?;
    let prte0 = read_be64(mmu, prte_addr).ok_or_else(bad)?;
    if fetch {
        mmu.mark_table(prte_addr);
    }

    // Radix tree size: RTS = RTS1 || RTS2, the tree maps N = RTS + 31 bits.
    let rts = (((prte0 >> PRTE_RTS1_SHIFT) & 3) << 3) | ((prte0 >> PRTE_RTS2_SHIFT) & 7);
    let tree_bits = rts as u32 + RTS_BIAS;
    let root_bits = (prte0 & PRTE_RPDS) as u32;
    if root_bits < MIN_INDEX_BITS || tree_bits < MIN_PAGE_SHIFT + root_bits {
        return Err(bad());
    }

    // EA range check (§5.7.6): EA bits 2:(63-N) must be zero, i.e. the EA
    // without its quadrant must fit in the tree. For quadrant 3 this is the
    // rule that 0xc00f_ffff_ffff_ffff is the top of a 52-bit kernel tree and
    // 0xc010_0000_0000_0000 is outside it. Architecturally a segment
    // interrupt; reported as "no translation" (see above).
    let in_quadrant = ea & ((1u64 << 62) - 1);
    if in_quadrant >> tree_bits != 0 {
        return Err(nopte());
    }

    // Descend (§5.7.10.2). `shift` is the number of EA bits not yet used as
    // an index: the size of what one entry at the current level maps.
    let mut table = prte0 & PRTE_RPDB;
    let mut bits = root_bits;
    let mut shift = tree_bits;
    let (entry_addr, entry) = loop {
        if bits < MIN_INDEX_BITS || shift < MIN_PAGE_SHIFT + bits {
            return Err(bad());
        }
        // A directory of 2^bits entries is naturally aligned; ignore low
        // base bits a guest leaves set rather than straddle a boundary.
        table &= !((8u64 << bits) - 1);
        shift -= bits;
        let index = (in_quadrant >> shift) & ((1u64 << bits) - 1);
        let addr = table + index * 8;
        let e = read_be64(mmu, addr).ok_or_else(bad)?;
        if fetch {
            mmu.mark_table(addr);
        }
        if e & PTE_V == 0 {
            return Err(nopte());
        }
        if e & PTE_L != 0 {
            break (addr, e);
        }
        table = e & PDE_NLB;
        bits = (e & PDE_NLS) as u32;
    };

    // Leaf at any level: it maps 2^shift bytes (4K, 64K, 2M, 1G, ...). The
    // RPN's bits below the page size are ignored and taken from the EA.
    let page_mask = (1u64 << shift) - 1;
    let ra_page = ((entry & PTE_RPN) & !page_mask) | (in_quadrant & page_mask & !0xfff);

    let mut perm = leaf_perms(entry, mmu.pr);
    let need = match access {
        Access::Read => PERM_R,
        Access::Write => PERM_W,
        Access::Exec => PERM_X,
    };
    if perm & need == 0 {
        let bits = if access == Access::Exec {
            SRR1_ISI_NOEXEC_GUARD
        } else {
            DSISR_PROTFAULT
        };
        return Err(super::fault(ea, access, bits));
    }

    // Reference and change recording (§5.7.12): instead of a DSI/ISI with
    // the "R/C update" cause, set R on any access and C on a store, writing
    // the leaf back (one vCPU thread, so this is atomic for the guest).
    let mut updated = entry | PTE_R;
    if access == Access::Write {
        updated |= PTE_C;
    }
    if updated != entry {
        write_be64(mmu, entry_addr, updated);
    }
    if updated & PTE_C == 0 {
        perm &= !PERM_W;
    }
    Ok((ra_page, perm))
}

/// Permissions granted by a leaf's EAA (§5.7.13, radix storage protection),
/// for problem state (`pr`) or privileged state. AMR/IAMR (virtual page
/// class keys, Linux KUAP/KUEP) are not modelled.
///
/// - Problem state: a privileged page (EAA0=1) allows nothing; otherwise
///   EAA1 read, EAA2 read/write, EAA3 execute.
/// - Privileged state, privileged page: EAA1:3 as above.
/// - Privileged state, non-privileged (user) page: loads and stores per
///   EAA1:2, but never instruction fetch. That is the ISA outcome with
///   IAMR key 0 execute-disabled, which Linux's KUEP keeps set in the
///   kernel; a kernel never executes user pages legitimately, and faulting
///   them is the safe choice when IAMR is ignored.
///
/// A page with the non-idempotent I/O attribute is treated as guarded:
/// never executable.
fn leaf_perms(pte: u64, pr: bool) -> u8 {
    let mut p = 0;
    if pte & PTE_EAA_R != 0 {
        p |= PERM_R;
    }
    if pte & PTE_EAA_RW != 0 {
        p |= PERM_R | PERM_W;
    }
    if pte & PTE_EAA_X != 0 {
        p |= PERM_X;
    }
    if pte & PTE_ATT == PTE_ATT_NI_IO {
        p &= !PERM_X;
    }
    let privileged_page = pte & PTE_EAA_PRIV != 0;
    match (pr, privileged_page) {
        (true, true) => 0,
        (true, false) | (false, true) => p,
        (false, false) => p & !PERM_X,
    }
}

/// "Not found" cause: DSISR[33] or SRR1[33].
fn nopte_bits(access: Access) -> u64 {
    if access == Access::Exec {
        SRR1_ISI_NOPTE
    } else {
        DSISR_NOPTE
    }
}

/// Read a big-endian doubleword of guest RAM at real address `ra`, or None
/// if it is not entirely inside RAM (or misaligned, which table addresses
/// never are once masked).
fn read_be64(mmu: &Mmu, ra: u64) -> Option<u64> {
    if mmu.ram.is_null() || ra & 7 != 0 || ra.checked_add(8)? > mmu.ram_size {
        return None;
    }
    let mut b = [0u8; 8];
    // SAFETY: [ra, ra+8) lies inside the guest RAM that `mmu.ram` points at
    // (`ram_size` bytes, owned by the machine for the Mmu's lifetime).
    unsafe { std::ptr::copy_nonoverlapping(mmu.ram.add(ra as usize), b.as_mut_ptr(), 8) };
    Some(u64::from_be_bytes(b))
}

/// Store a big-endian doubleword at `ra`, which `read_be64` already checked.
fn write_be64(mmu: &mut Mmu, ra: u64, v: u64) {
    debug_assert!(ra + 8 <= mmu.ram_size);
    let b = v.to_be_bytes();
    // SAFETY: as in read_be64; the address was validated by the read of the
    // same entry.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), mmu.ram.add(ra as usize), 8) };
}
