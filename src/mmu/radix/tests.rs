//! Unit tests for the radix walk: a guest RAM image with a process table and
//! Linux-style 64K-base-page trees (52-bit EA: 13/9/9/5 index bits), 4K,
//! 64K, 2M and 1G leaves, R/C recording, protection and malformed trees.

use super::*;
use crate::mmu::{DSISR_STORE, TLB_SIZE};

const RAM: usize = 8 << 20;
const PRTB: u64 = 0x1_0000;
const K_PGD: u64 = 0x2_0000;
const K_PUD: u64 = 0x3_0000;
const K_PMD: u64 = 0x3_1000;
const K_PTE: u64 = 0x3_2000;
const U_PGD: u64 = 0x4_0000;
const U_PUD: u64 = 0x5_0000;
const U_PMD: u64 = 0x5_1000;
const U_PTE: u64 = 0x5_2000;
const U_PTE4K: u64 = 0x5_3000;
const USER_PID: u64 = 5;

const KRW: u64 = PTE_EAA_PRIV | PTE_EAA_R | PTE_EAA_RW;
const KRO: u64 = PTE_EAA_PRIV | PTE_EAA_R;
const KRX: u64 = PTE_EAA_PRIV | PTE_EAA_R | PTE_EAA_X;
const URW: u64 = PTE_EAA_R | PTE_EAA_RW;
const URX: u64 = PTE_EAA_R | PTE_EAA_X;

/// Kernel 64K page (read/write), its RPN and expected 4K real page.
const K_EA: u64 = 0xc000_0000_0123_4567;
const K_RPN: u64 = 0x70_0000;
/// Kernel read-only, read/execute and absent 64K pages in the same PTE page.
const K_RO: u64 = 0xc000_0000_0121_0000;
const K_RX: u64 = 0xc000_0000_0122_0000;
const K_ABSENT: u64 = 0xc000_0000_0125_0000;
/// 2M and 1G kernel leaves.
const K_2M: u64 = 0xc000_0000_4020_0000;
const K_1G: u64 = 0xc000_0000_8000_0000;
/// User pages (PID 5): 64K read/write, 64K read/execute, 4K read/write.
const U_RW: u64 = 0x1000_3000;
const U_RX: u64 = 0x1001_0000;
const U_4K: u64 = 0x1020_5000;

fn put(ram: &mut [u8], addr: u64, v: u64) {
    ram[addr as usize..addr as usize + 8].copy_from_slice(&v.to_be_bytes());
}

fn get(ram: &[u8], addr: u64) -> u64 {
    u64::from_be_bytes(ram[addr as usize..addr as usize + 8].try_into().unwrap())
}

/// Process table entry doubleword 0 for a 52-bit tree (RTS = 21).
fn prte(root: u64, rpds: u64) -> u64 {
    let rts = 52 - 31u64;
    ((rts >> 3) << 61) | ((rts & 7) << 5) | root | rpds
}

fn pde(next: u64, nls: u64) -> u64 {
    PTE_V | next | nls
}

fn leaf(rpn: u64, flags: u64) -> u64 {
    PTE_V | PTE_L | rpn | flags
}

fn pgd_i(ea: u64) -> u64 {
    (ea >> 39) & 0x1fff
}
fn pud_i(ea: u64) -> u64 {
    (ea >> 30) & 0x1ff
}
fn pmd_i(ea: u64) -> u64 {
    (ea >> 21) & 0x1ff
}
fn pte_i(ea: u64) -> u64 {
    (ea >> 16) & 0x1f
}

/// Address of the 64K-page PTE for `ea` in the given tables.
fn pte_slot(pte: u64, ea: u64) -> u64 {
    pte + 8 * pte_i(ea)
}

struct Env {
    ram: Vec<u8>,
    mmu: Mmu,
}

impl Env {
    fn new() -> Env {
        let mut ram = vec![0u8; RAM];
        put(&mut ram, PRTB, prte(K_PGD, 13));
        put(&mut ram, PRTB + 16 * USER_PID, prte(U_PGD, 13));

        let mut map64k = |pgd, pud, pmd, pte, ea, rpn, flags| {
            put(&mut ram, pgd + 8 * pgd_i(ea), pde(pud, 9));
            put(&mut ram, pud + 8 * pud_i(ea), pde(pmd, 9));
            put(&mut ram, pmd + 8 * pmd_i(ea), pde(pte, 5));
            put(&mut ram, pte_slot(pte, ea), leaf(rpn, flags));
        };
        map64k(K_PGD, K_PUD, K_PMD, K_PTE, K_EA, K_RPN, KRW);
        map64k(K_PGD, K_PUD, K_PMD, K_PTE, K_RO, 0x71_0000, KRO);
        map64k(K_PGD, K_PUD, K_PMD, K_PTE, K_RX, 0x72_0000, KRX);
        map64k(U_PGD, U_PUD, U_PMD, U_PTE, U_RW, 0x80_0000, URW);
        map64k(U_PGD, U_PUD, U_PMD, U_PTE, U_RX, 0x81_0000, URX);

        // 2M leaf at PMD level, RPN with stray low bits (ignored).
        put(&mut ram, K_PUD + 8 * pud_i(K_2M), pde(0x3_3000, 9));
        put(&mut ram, 0x3_3000 + 8 * pmd_i(K_2M), leaf(0x60_5000, KRW));
        // 1G leaf at PUD level.
        put(&mut ram, K_PUD + 8 * pud_i(K_1G), leaf(0x4000_0000, KRX));
        // 4K base pages (13/9/9/9) under another user PMD entry.
        put(&mut ram, U_PMD + 8 * pmd_i(U_4K), pde(U_PTE4K, 9));
        put(
            &mut ram,
            U_PTE4K + 8 * ((U_4K >> 12) & 0x1ff),
            leaf(0x90_0000, URW),
        );

        let mut mmu = Mmu::new(ram.as_mut_ptr(), RAM as u64);
        mmu.prtb_base = PRTB;
        mmu.prtb_size = 0;
        mmu.radix = true;
        mmu.ir = true;
        mmu.dr = true;
        mmu.narrow = false;
        Env { ram, mmu }
    }

    fn walk(&mut self, ea: u64, access: Access) -> Result<(u64, u8), Exc> {
        walk(&mut self.mmu, ea, access)
    }
}

fn dsi(ea: u64, dsisr: u64) -> Exc {
    Exc::Storage {
        ea,
        dsisr: dsisr as u32,
    }
}

fn isi(ea: u64, srr1: u64) -> Exc {
    Exc::InstStorage {
        ea,
        srr1: srr1 as u32,
    }
}

#[test]
fn kernel_64k_page() {
    let mut e = Env::new();
    // A load grants read but not write until C is set.
    assert_eq!(e.walk(K_EA, Access::Read), Ok((0x70_4000, PERM_R)));
    assert_eq!(
        e.walk(K_EA, Access::Write),
        Ok((0x70_4000, PERM_R | PERM_W))
    );
    assert_eq!(
        e.walk(K_EA | 0xf000, Access::Read),
        Ok((0x70_f000, PERM_R | PERM_W))
    );
    assert_eq!(e.walk(K_RX, Access::Exec), Ok((0x72_0000, PERM_R | PERM_X)));
}

#[test]
fn large_pages() {
    let mut e = Env::new();
    let ea = K_2M + 0x1_2345;
    assert_eq!(e.walk(ea, Access::Read), Ok((0x61_2000, PERM_R)));
    let ea = K_1G + 0x0abc_d123;
    assert_eq!(e.walk(ea, Access::Exec), Ok((0x4abc_d000, PERM_R | PERM_X)));
    assert_eq!(
        e.walk(ea, Access::Write),
        Err(dsi(ea, DSISR_PROTFAULT | DSISR_STORE))
    );
}

#[test]
fn user_quadrant_uses_pidr() {
    let mut e = Env::new();
    e.mmu.pidr = USER_PID;
    assert_eq!(e.walk(U_RW, Access::Read), Ok((0x80_3000, PERM_R)));
    assert_eq!(
        e.walk(U_4K + 0x123, Access::Write),
        Ok((0x90_0000, PERM_R | PERM_W))
    );
    assert_eq!(
        e.walk(U_4K + 0x1000, Access::Read),
        Err(dsi(U_4K + 0x1000, DSISR_NOPTE))
    );
    // The kernel quadrant still uses PID 0.
    assert_eq!(e.walk(K_EA, Access::Read), Ok((0x70_4000, PERM_R)));
    // PID 0's tree does not map the user address.
    e.mmu.pidr = 0;
    assert_eq!(e.walk(U_RW, Access::Read), Err(dsi(U_RW, DSISR_NOPTE)));
    // A PID beyond the 4K process table (256 entries) has no entry.
    e.mmu.pidr = 256;
    assert_eq!(e.walk(U_RW, Access::Read), Err(dsi(U_RW, DSISR_NOPTE)));
    // An empty entry inside the table is a malformed descriptor.
    e.mmu.pidr = 6;
    assert_eq!(
        e.walk(U_RW, Access::Read),
        Err(dsi(U_RW, DSISR_R_BADCONFIG))
    );
    // A larger table (prtb_size 1: 8K) holds PID 256.
    e.mmu.prtb_size = 1;
    put(&mut e.ram, PRTB + 16 * 256, prte(U_PGD, 13));
    e.mmu.pidr = 256;
    assert_eq!(e.walk(U_RW, Access::Read), Ok((0x80_3000, PERM_R)));
}

#[test]
fn not_present() {
    let mut e = Env::new();
    assert_eq!(
        e.walk(K_ABSENT, Access::Read),
        Err(dsi(K_ABSENT, DSISR_NOPTE))
    );
    assert_eq!(
        e.walk(K_ABSENT, Access::Write),
        Err(dsi(K_ABSENT, DSISR_NOPTE | DSISR_STORE))
    );
    assert_eq!(
        e.walk(K_ABSENT, Access::Exec),
        Err(isi(K_ABSENT, SRR1_ISI_NOPTE))
    );
    // Invalid at the root and at an intermediate level.
    let ea = 0xc000_1000_0000_0000;
    assert_eq!(e.walk(ea, Access::Read), Err(dsi(ea, DSISR_NOPTE)));
    let ea = 0xc000_0001_0000_0000;
    assert_eq!(e.walk(ea, Access::Read), Err(dsi(ea, DSISR_NOPTE)));
}

#[test]
fn store_to_read_only() {
    let mut e = Env::new();
    assert_eq!(
        e.walk(K_RO + 8, Access::Write),
        Err(dsi(K_RO + 8, DSISR_PROTFAULT | DSISR_STORE))
    );
    // A failed access records nothing.
    assert_eq!(get(&e.ram, pte_slot(K_PTE, K_RO)) & (PTE_R | PTE_C), 0);
    assert_eq!(e.walk(K_RO + 8, Access::Read), Ok((0x71_0000, PERM_R)));
}

#[test]
fn problem_state_privilege() {
    let mut e = Env::new();
    e.mmu.pr = true;
    e.mmu.pidr = USER_PID;
    for (ea, a) in [
        (K_EA, Access::Read),
        (K_EA, Access::Write),
        (K_RX, Access::Exec),
    ] {
        let bits = if a == Access::Exec {
            SRR1_ISI_NOEXEC_GUARD
        } else {
            DSISR_PROTFAULT
        };
        assert_eq!(e.walk(ea, a), Err(super::super::fault(ea, a, bits)));
    }
    assert_eq!(
        e.walk(U_RW, Access::Write),
        Ok((0x80_3000, PERM_R | PERM_W))
    );
    assert_eq!(e.walk(U_RX, Access::Exec), Ok((0x81_0000, PERM_R | PERM_X)));
    assert_eq!(
        e.walk(U_RX, Access::Write),
        Err(dsi(U_RX, DSISR_PROTFAULT | DSISR_STORE))
    );
}

#[test]
fn execute_protection() {
    let mut e = Env::new();
    e.mmu.pidr = USER_PID;
    // No-execute kernel page.
    assert_eq!(
        e.walk(K_EA, Access::Exec),
        Err(isi(K_EA, SRR1_ISI_NOEXEC_GUARD))
    );
    // Privileged state may load/store user pages but never execute them.
    assert_eq!(
        e.walk(U_RW, Access::Write),
        Ok((0x80_3000, PERM_R | PERM_W))
    );
    assert_eq!(e.walk(U_RX, Access::Read), Ok((0x81_0000, PERM_R)));
    assert_eq!(
        e.walk(U_RX, Access::Exec),
        Err(isi(U_RX, SRR1_ISI_NOEXEC_GUARD))
    );
    // Non-idempotent I/O is guarded: not executable even with EAA[X].
    let slot = pte_slot(K_PTE, K_RX);
    let v = get(&e.ram, slot);
    put(&mut e.ram, slot, v | 0x20);
    assert_eq!(
        e.walk(K_RX, Access::Exec),
        Err(isi(K_RX, SRR1_ISI_NOEXEC_GUARD))
    );
    assert_eq!(e.walk(K_RX, Access::Read), Ok((0x72_0000, PERM_R)));
}

#[test]
fn reference_and_change_bits() {
    let mut e = Env::new();
    let slot = pte_slot(K_PTE, K_EA);
    assert_eq!(get(&e.ram, slot) & (PTE_R | PTE_C), 0);
    e.walk(K_EA, Access::Read).unwrap();
    assert_eq!(get(&e.ram, slot) & (PTE_R | PTE_C), PTE_R);
    e.walk(K_EA, Access::Write).unwrap();
    assert_eq!(get(&e.ram, slot), leaf(K_RPN, KRW) | PTE_R | PTE_C);
    // Fetches set R too, on a leaf at any level.
    e.walk(K_1G, Access::Exec).unwrap();
    assert_eq!(
        get(&e.ram, K_PUD + 8 * pud_i(K_1G)) & (PTE_R | PTE_C),
        PTE_R
    );
}

#[test]
fn ea_outside_tree() {
    let mut e = Env::new();
    // EA bits 2:11 must be zero for a 52-bit tree, in both quadrants.
    for ea in [
        0xc010_0000_0000_0000u64,
        0xe000_0000_0123_4567,
        0x0010_0000_0000_0000,
        0x2000_0000_0000_0000,
    ] {
        assert_eq!(e.walk(ea, Access::Read), Err(dsi(ea, DSISR_NOPTE)));
        assert_eq!(e.walk(ea, Access::Exec), Err(isi(ea, SRR1_ISI_NOPTE)));
    }
    // Top of the kernel quadrant is inside (and unmapped).
    let top = 0xc00f_ffff_ffff_f000;
    assert_eq!(e.walk(top, Access::Read), Err(dsi(top, DSISR_NOPTE)));
    // Quadrants 1 and 2 are not usable by a guest.
    for ea in [0x4000_0000_0123_4567u64, 0x8000_0000_0123_4567] {
        assert_eq!(e.walk(ea, Access::Read), Err(dsi(ea, DSISR_NOPTE)));
    }
    // No process table registered yet.
    e.mmu.radix = false;
    assert_eq!(e.walk(K_EA, Access::Read), Err(dsi(K_EA, DSISR_NOPTE)));
}

#[test]
fn garbage_tables_fault() {
    let bad = |e: &mut Env, ea: u64, what: &str| {
        assert_eq!(
            e.walk(ea, Access::Read),
            Err(dsi(ea, DSISR_R_BADCONFIG)),
            "{what}"
        );
        assert_eq!(
            e.walk(ea, Access::Exec),
            Err(isi(ea, DSISR_R_BADCONFIG)),
            "{what}"
        );
    };
    let pmd_slot = K_PMD + 8 * pmd_i(K_EA);
    // Next-level base outside RAM, including the largest encodable one.
    for nlb in [RAM as u64, 0x0fff_ffff_ffff_ff00] {
        let mut e = Env::new();
        put(&mut e.ram, pmd_slot, pde(nlb, 5));
        bad(&mut e, K_EA, &format!("nlb {nlb:#x}"));
    }
    // Next-level size too small, or larger than the remaining EA bits.
    for nls in [0, 4, 10] {
        let mut e = Env::new();
        put(&mut e.ram, pmd_slot, pde(K_PTE, nls));
        bad(&mut e, K_EA, &format!("nls {nls}"));
    }
    // Directory entry below a 4K-page level (no EA bits left to index).
    let mut e = Env::new();
    e.mmu.pidr = USER_PID;
    put(
        &mut e.ram,
        U_PTE4K + 8 * ((U_4K >> 12) & 0x1ff),
        pde(0x6_0000, 5),
    );
    bad(&mut e, U_4K, "directory below 4K");
    // Process table outside RAM, or at an address that wraps.
    for base in [RAM as u64 - 8, u64::MAX - 7] {
        let mut e = Env::new();
        e.mmu.prtb_base = base;
        bad(&mut e, K_EA, &format!("prtb {base:#x}"));
    }
    // Root index bits out of range, tree smaller than a page.
    for dw0 in [prte(K_PGD, 3), prte(K_PGD, 4), K_PGD | 20] {
        let mut e = Env::new();
        put(&mut e.ram, PRTB, dw0);
        bad(&mut e, K_EA, &format!("prte {dw0:#x}"));
    }
    // Garbage everywhere: every walk faults cleanly or succeeds.
    let mut e = Env::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for a in (K_PGD..K_PTE + 0x100).step_by(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        put(&mut e.ram, a, x | PTE_V);
    }
    for i in 0..4096u64 {
        let ea = 0xc000_0000_0000_0000 | (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 12);
        let _ = e.walk(ea, Access::Write);
    }
}

#[test]
fn misaligned_bases_are_aligned_down() {
    let mut e = Env::new();
    let pmd_slot = K_PMD + 8 * pmd_i(K_EA);
    put(&mut e.ram, pmd_slot, pde(K_PTE | 0x80, 5));
    assert_eq!(e.walk(K_EA, Access::Read), Ok((0x70_4000, PERM_R)));
}

#[test]
fn through_translate_and_tlb() {
    let mut e = Env::new();
    assert_eq!(e.mmu.translate(K_EA, Access::Read), Ok(0x70_4567));
    // The TLB entry from the load lacks W: the store walks again and sets C.
    let slot = pte_slot(K_PTE, K_EA);
    assert_eq!(get(&e.ram, slot) & PTE_C, 0);
    assert_eq!(e.mmu.translate(K_EA + 1, Access::Write), Ok(0x70_4568));
    assert_eq!(get(&e.ram, slot) & PTE_C, PTE_C);
    assert_eq!(e.mmu.translate(K_RX + 4, Access::Exec), Ok(0x72_0004));
    assert!(e.mmu.dtlb.len() == TLB_SIZE);
}

#[test]
fn pid_invalidation_drops_only_that_pid() {
    let mut e = Env::new();
    e.mmu.pidr = USER_PID;
    // (Real pages inside RAM: translations outside it are never cached.)
    put(&mut e.ram, pte_slot(U_PTE, U_RW), leaf(0x45_0000, URW));
    assert_eq!(e.mmu.translate(K_EA, Access::Read), Ok(0x70_4567));
    assert_eq!(e.mmu.translate(U_RW, Access::Read), Ok(0x45_3000));
    // Both remapped in RAM: the TLB keeps the old translations until told.
    put(
        &mut e.ram,
        pte_slot(K_PTE, K_EA),
        leaf(0x74_0000, KRW | PTE_R),
    );
    put(
        &mut e.ram,
        pte_slot(U_PTE, U_RW),
        leaf(0x46_0000, URW | PTE_R),
    );
    assert_eq!(e.mmu.translate(K_EA, Access::Read), Ok(0x70_4567));
    e.mmu.invalidate_pid(0);
    assert_eq!(e.mmu.translate(K_EA, Access::Read), Ok(0x74_4567));
    assert_eq!(e.mmu.translate(U_RW, Access::Read), Ok(0x45_3000));
    e.mmu.invalidate_pid(USER_PID);
    assert_eq!(e.mmu.translate(U_RW, Access::Read), Ok(0x46_3000));
}

#[test]
fn flush_after_many_fills_and_page_invalidations_empties_the_tlb() {
    let mut e = Env::new();
    // One 64K page seen through many 4K EAs: every slot gets filled,
    // dropped by page and filled again, which piles up `live` entries.
    for round in 0..6u64 {
        for i in 0..(TLB_SIZE as u64) {
            let ea = (K_EA & !0xffff) | (i & 0xf) << 12;
            assert!(e.mmu.translate(ea, Access::Read).is_ok());
            if (i + round) % 3 == 0 {
                e.mmu.invalidate_page(ea, 0x1000);
            }
        }
        assert!(e.mmu.translate(K_RX, Access::Exec).is_ok());
    }
    e.mmu.flush();
    assert!(e
        .mmu
        .dtlb
        .iter()
        .chain(e.mmu.itlb.iter())
        .all(|t| t.tag == u64::MAX));
}

#[test]
fn code_generation_follows_writes_to_walked_tables() {
    let mut e = Env::new();
    let mut marks = vec![0u8; RAM >> 12];
    let mut writes = 0u64;
    e.mmu.track_tables(marks.as_mut_ptr(), &mut writes);
    assert_eq!(e.mmu.translate(K_RX + 4, Access::Exec), Ok(0x72_0004));
    // The fetch's walk marked the process table and every level it read.
    for t in [PRTB, K_PGD, K_PUD, K_PMD, K_PTE] {
        assert_eq!(
            marks[(t >> 12) as usize],
            crate::memory::MARK_TABLE,
            "{t:#x}"
        );
    }
    // A data walk marks nothing.
    marks.fill(0);
    assert!(e.mmu.translate(K_RO, Access::Read).is_ok());
    assert!(marks.iter().all(|&m| m == 0));
    marks[(K_PTE >> 12) as usize] = crate::memory::MARK_TABLE;
    // Nothing written: dropping the kernel's translations cannot change
    // what code an address means.
    let g = e.mmu.generation;
    e.mmu.invalidate_pid(0);
    assert_eq!(e.mmu.generation, g);
    // Fetch again (re-marking), then a store to a walked table page (what
    // `GuestMem::check_sys` reports): the next PID-0 flush changes it.
    assert!(e.mmu.translate(K_RX + 4, Access::Exec).is_ok());
    e.mmu.table_written();
    e.mmu.invalidate_pid(0);
    assert_eq!(e.mmu.generation, g + 1);
    // ... and only once: the flush dropped everything walked before.
    assert!(e.mmu.translate(K_RX + 4, Access::Exec).is_ok());
    e.mmu.invalidate_pid(0);
    assert_eq!(e.mmu.generation, g + 1);
}
