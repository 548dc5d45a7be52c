//! Building a batch executable from `harness.S` and running it under a
//! time limit.
//!
//! Each snippet becomes one code slot: a prologue that loads CR, XER, LR,
//! CTR and the GPRs (all but r1) from the input block at `r1 - REGS`, the
//! random words, and an epilogue that stores them to the output block at
//! `r1 + MEM` and returns to the harness through the address saved at
//! `r1 + MEM + REGS` (see harness.S).

use super::encode as enc;
use super::gen::{Features, Snippet};
use super::state::{MEM, O_CR, O_CTR, O_LR, O_TAR, O_XER, REGS};
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const IN: i64 = -(REGS as i64);
const OUT: i64 = MEM as i64;
const RET: i64 = (MEM + REGS) as i64;

pub fn prologue() -> Vec<u32> {
    let mut v = vec![
        enc::ld(0, IN + O_CR as i64, 1),
        enc::mtcrf(0xff, 0),
        enc::ld(0, IN + O_XER as i64, 1),
        enc::mtspr(1, 0),
        enc::ld(0, IN + O_LR as i64, 1),
        enc::mtspr(8, 0),
        enc::ld(0, IN + O_CTR as i64, 1),
        enc::mtspr(9, 0),
        enc::ld(0, IN + O_TAR as i64, 1),
        enc::mtspr(815, 0),
    ];
    for r in (0..32).filter(|&r| r != 1) {
        v.push(enc::ld(r, IN + 8 * r as i64, 1));
    }
    v
}

pub fn epilogue() -> Vec<u32> {
    let mut v: Vec<u32> = (0..32)
        .filter(|&r| r != 1)
        .map(|r| enc::std_(r, OUT + 8 * r as i64, 1))
        .collect();
    v.extend([
        enc::mfcr(0),
        enc::std_(0, OUT + O_CR as i64, 1),
        enc::mfspr(0, 1),
        enc::std_(0, OUT + O_XER as i64, 1),
        enc::mfspr(0, 8),
        enc::std_(0, OUT + O_LR as i64, 1),
        enc::mfspr(0, 9),
        enc::std_(0, OUT + O_CTR as i64, 1),
        enc::mfspr(0, 815),
        enc::std_(0, OUT + O_TAR as i64, 1),
        enc::ld(0, RET, 1),
        enc::mtspr(9, 0),
        enc::BCTR,
    ]);
    v
}

/// Write slots.bin and blobs.bin into `dir` and build `dir/t.elf`.
pub fn build(
    cc: &Path,
    dir: &Path,
    snippets: &[Snippet],
    blobs: &[Vec<u8>],
    feat: &Features,
) -> PathBuf {
    let pro = prologue();
    let epi = epilogue();
    let longest = snippets.iter().map(|s| s.words.len()).max().unwrap_or(0);
    let slot_words = (pro.len() + longest + epi.len() + 1).next_power_of_two();
    let shift = (slot_words * 4).trailing_zeros();
    let mut code = Vec::with_capacity(slot_words * 4 * snippets.len());
    for s in snippets {
        let start = code.len();
        for w in pro.iter().chain(&s.words).chain(&epi) {
            code.extend_from_slice(&w.to_le_bytes());
        }
        while code.len() < start + slot_words * 4 {
            code.extend_from_slice(&enc::TRAP.to_le_bytes());
        }
    }
    std::fs::write(dir.join("slots.bin"), &code).unwrap();
    std::fs::write(dir.join("blobs.bin"), blobs.concat()).unwrap();
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/difftest/harness.S");
    let elf = dir.join("t.elf");
    let mut cmd = Command::new(cc);
    cmd.args(["-nostdlib", "-static", "-no-pie", "-Wa,-mregnames"])
        .arg(format!("-Wa,-I{}", dir.display()))
        .arg(format!("-DNSNIP={}", snippets.len()))
        .arg(format!("-DSLOT_SHIFT={shift}"));
    if feat.fp {
        cmd.arg("-DHAVE_FP");
    }
    if feat.vmx {
        cmd.arg("-DHAVE_VMX");
    }
    if feat.vsx {
        cmd.arg("-DHAVE_VSX");
    }
    let out = cmd
        .arg("-o")
        .arg(&elf)
        .arg(&harness)
        .output()
        .expect("run cross gcc");
    assert!(
        out.status.success(),
        "building the difftest harness failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    elf
}

pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub status: String,
}

/// Run a command with a time limit (a runaway guest is killed), capturing
/// stdout and stderr. `status` is "exit N" or "signal N".
pub fn run(argv: &[&OsStr]) -> Output {
    run_limit(argv, Duration::from_secs(300))
}

pub fn run_limit(argv: &[&OsStr], limit: Duration) -> Output {
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {:?}: {e}", argv[0]));
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let st = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = t_out.join().unwrap();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap()).into_owned();
    let status = match (st.code(), st.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => "unknown".into(),
    };
    Output {
        stdout,
        stderr,
        status,
    }
}
