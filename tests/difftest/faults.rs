//! Instructions that must end the process with a signal: each case is a
//! one-snippet harness executable, run under both emulators; the way the
//! process ends (signal number, or exit status) and the dumps written
//! before must agree. This covers what the random generator avoids
//! (alignment interrupts, traps that fire, illegal and privileged
//! instructions, storage faults).

use super::encode as enc;
use super::gen::{Features, Snippet};
use super::rng::Rng;
use super::{run, state};
use std::path::Path;

/// (name, words). r1 points at the (writable, 128-byte aligned) memory
/// area; r5 is free.
fn cases() -> Vec<(&'static str, Vec<u32>)> {
    let li5 = |v: i64| enc::addi(5, 0, v);
    let at5 = |off: i64| enc::addi(5, 1, off);
    vec![
        ("lq unaligned", vec![at5(8), 0xe0c5_0000]), // lq r6,0(r5)
        ("lwarx unaligned", vec![at5(2), 0x7cc0_2828]), // lwarx r6,0,r5
        ("stdcx. unaligned", vec![at5(4), 0x7cc0_29ad]), // stdcx. r6,0,r5
        ("lqarx unaligned", vec![at5(8), 0x7cc0_2a28]), // lqarx r6,0,r5
        ("load from 0", vec![li5(0), 0xe8c5_0000]),  // ld r6,0(r5)
        ("store to 0x10", vec![li5(0x10), 0xf8c5_0000]), // std r6,0(r5)
        // Addresses that wrap or leave the space, through a base register
        // plus a displacement (compiled code clamps the base register
        // into guard pages: exec/jit/backend.rs, guarded_addr).
        ("load at -8 + 16", vec![li5(-8), enc::ld(6, 16, 5)]),
        ("load at -1 - 8", vec![li5(-1), enc::ld(6, -8, 5)]),
        (
            "store at 2^63 - 8",
            vec![li5(1), enc::rldicr(5, 5, 63, 0), enc::std_(6, -8, 5)],
        ),
        (
            "load at 2^36 + 8",
            vec![li5(1), enc::rldicr(5, 5, 36, 27), enc::ld(6, 8, 5)],
        ),
        // A base moved by addi after an access through it: compiled code
        // reuses the clamped pointer of the first access with the
        // constants folded in (exec/jit/access.rs, guarded_addr).
        (
            "accesses through a moved base",
            vec![
                at5(0),
                enc::ld(6, 0, 5),
                enc::addi(5, 5, 16000),
                enc::ld(7, -15992, 5),
                enc::addi(5, 5, -16000),
                enc::std_(7, 16, 5),
            ],
        ),
        (
            "store to text through a moved base",
            vec![
                enc::bc(20, 31, 4, true),
                enc::mfspr(5, 8),
                enc::ld(6, 0, 5),
                enc::addi(5, 5, 8),
                enc::std_(6, -8, 5),
            ],
        ),
        // Store into the text segment (mapped read/execute).
        (
            "store to text",
            vec![enc::bc(20, 31, 4, true), enc::mfspr(5, 8), 0xf8c5_0000],
        ),
        (
            "dcbz on text",
            vec![enc::bc(20, 31, 4, true), enc::mfspr(5, 8), 0x7c00_2fec],
        ),
        // Jump into the (non-executable) data area.
        ("execute data", vec![at5(0), enc::mtspr(9, 5), enc::BCTR]),
        ("trap (tw 31)", vec![enc::TRAP]),
        ("tdi that fires", vec![li5(7), 0x0885_0007]), // tdeqi r5,7
        ("twi that does not fire", vec![li5(7), 0x0f05_0007]), // twnei r5,7
        ("illegal word 0", vec![0]),
        ("mfmsr (privileged)", vec![0x7ca0_00a6]),
        ("mtmsrd (privileged)", vec![0x7ca0_0164]),
        ("mfspr SRR0 (privileged)", vec![enc::mfspr(5, 26)]),
        ("mtspr SPRG0 (privileged)", vec![enc::mtspr(272, 5)]),
        ("rfid (privileged)", vec![0x4c00_0024]),
    ]
}

/// Run every case; returns the descriptions of the ones that differ.
pub fn check(cc: &Path, qemu: &Path, dir: &Path, feat: &Features) -> (usize, Vec<String>) {
    let mut bad = Vec::new();
    let cs = cases();
    let mut rng = Rng::new(0xfa017);
    for (n, (name, words)) in cs.iter().enumerate() {
        let d = dir.join(format!("fault{n}"));
        std::fs::create_dir_all(&d).unwrap();
        // Run the case twice in one executable: the dump before the fault
        // must match too (a snippet of no-ops first).
        let sn = vec![
            Snippet::fixed(vec![0x6000_0000]),
            Snippet::fixed(words.clone()),
        ];
        let blobs = vec![state::random_blob(&mut rng), state::random_blob(&mut rng)];
        let elf = run::build(cc, &d, &sn, &blobs, feat);
        let q = run::run(&[
            qemu.as_os_str(),
            "-cpu".as_ref(),
            "power9".as_ref(),
            elf.as_os_str(),
        ]);
        let pl = super::common::powerlift();
        let p = run::run(&[pl.as_os_str(), "run".as_ref(), elf.as_os_str()]);
        let recs_equal = q.stdout == p.stdout;
        eprintln!(
            "difftest_faults: {name:<26} qemu {:<10} powerlift {:<10}{}",
            q.status,
            p.status,
            if recs_equal { "" } else { " (dumps differ)" }
        );
        if q.status != p.status || !recs_equal {
            bad.push(format!(
                "{name}: qemu {} / powerlift {}, dumps {}\n  qemu stderr: {}  powerlift stderr: {}",
                q.status,
                p.status,
                if recs_equal { "equal" } else { "differ" },
                q.stderr,
                p.stderr
            ));
        }
    }
    (cs.len(), bad)
}

/// lmw/stmw against the equivalent lwz/stw sequences under QEMU (whose
/// user mode aborts on lmw/stmw in little-endian mode, see gen.rs).
/// Returns (cases, mismatch descriptions).
pub fn load_store_multiple(
    cc: &Path,
    qemu: &Path,
    dir: &Path,
    feat: &Features,
) -> (usize, Vec<String>) {
    let mut rng = Rng::new(0x1a3b);
    let (mut ours, mut theirs, mut blobs) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..64 {
        let store = k % 2 == 1;
        let rt = rng.range(2, 31) as u32;
        let n = 32 - rt as i64;
        let d = 4 * rng.range(0, (state::MEM as i64 - 4 * n) / 4);
        // lmw/stmw RT,D(r1): r1 (the memory area) is outside RT..31.
        let op = if store { 47u32 } else { 46 };
        ours.push(Snippet::fixed(vec![
            op << 26 | rt << 21 | 1 << 16 | d as u32,
        ]));
        let single = if store { 36u32 } else { 32 }; // stw / lwz
        theirs.push(Snippet::fixed(
            (0..n)
                .map(|i| single << 26 | (rt + i as u32) << 21 | 1 << 16 | (d + 4 * i) as u32)
                .collect(),
        ));
        blobs.push(state::random_blob(&mut rng));
    }
    let d1 = dir.join("lmw-ours");
    let d2 = dir.join("lmw-theirs");
    std::fs::create_dir_all(&d1).unwrap();
    std::fs::create_dir_all(&d2).unwrap();
    let e1 = run::build(cc, &d1, &ours, &blobs, feat);
    let e2 = run::build(cc, &d2, &theirs, &blobs, feat);
    let pl = super::common::powerlift();
    let p = run::run(&[pl.as_os_str(), "run".as_ref(), e1.as_os_str()]);
    let q = run::run(&[
        qemu.as_os_str(),
        "-cpu".as_ref(),
        "power9".as_ref(),
        e2.as_os_str(),
    ]);
    let rec = state::MEM + state::REGS;
    let mut bad = Vec::new();
    if p.status != q.status {
        bad.push(format!(
            "lmw/stmw: powerlift {} / qemu (lwz/stw) {}: {}",
            p.status, q.status, p.stderr
        ));
    }
    for (k, s) in ours.iter().enumerate() {
        let (a, b) = (
            q.stdout.get(k * rec..(k + 1) * rec),
            p.stdout.get(k * rec..(k + 1) * rec),
        );
        if a != b {
            let mut m = format!("{}:\n", powerlift::isa::disasm::disasm(s.words[0], 0));
            if let (Some(a), Some(b)) = (a, b) {
                for l in state::diff(a, b, feat) {
                    m.push_str(&format!("  {l}\n"));
                }
            }
            bad.push(m);
        }
    }
    (ours.len(), bad)
}
