//! Shared helpers for integration tests: where the oracles and the fetched
//! guest files are, and the CI rule that a missing oracle fails the test
//! (outside CI it skips, saying so in one line).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Root of the repository.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built `powerlift` binary.
pub fn powerlift() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_powerlift"))
}

/// Find an oracle program on PATH. `None` means "skip this test" (outside
/// CI only); in CI a missing oracle panics.
pub fn oracle(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        missing(&format!(
            "oracle `{name}` is not installed (run scripts/setup.sh)"
        ));
    }
    found
}

/// A file fetched by `scripts/fetch-guest.sh` (`busybox`, `vmlinux`).
pub fn guest_file(name: &str) -> Option<PathBuf> {
    let p = root().join("work/guest").join(name);
    if p.is_file() {
        Some(p)
    } else {
        missing(&format!(
            "{} is missing (run scripts/fetch-guest.sh)",
            p.display()
        ));
        None
    }
}

fn missing(what: &str) {
    if in_ci() {
        panic!("{what}; in CI a missing oracle is a failure");
    }
    eprintln!("SKIP: {what}");
}

/// A scratch directory unique to one test.
pub fn scratch(test: &str) -> PathBuf {
    let d = root().join("target/test-scratch").join(test);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Compile a C file with the ppc64le cross compiler into `out`.
pub fn cross_cc(src: &Path, out: &Path, flags: &[&str]) -> Option<PathBuf> {
    let cc = oracle("powerpc64le-linux-gnu-gcc")?;
    let st = Command::new(cc)
        .args(flags)
        .arg("-static")
        .arg("-o")
        .arg(out)
        .arg(src)
        .arg("-lm")
        .status()
        .expect("run cross gcc");
    assert!(st.success(), "cross compile of {} failed", src.display());
    Some(out.to_path_buf())
}

/// The test guest's initramfs (Debian's busybox + powerlift's /init), built
/// once per test binary with the binary under test. Written to a temporary
/// name and renamed, so a concurrent build from another test binary never
/// leaves a half-written archive in place. `None` means skip (outside CI).
pub fn initramfs(name: &str) -> Option<PathBuf> {
    static INITRAMFS: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    INITRAMFS
        .get_or_init(|| {
            let bb = guest_file("busybox")?;
            let dir = root().join("target/boot-test");
            std::fs::create_dir_all(&dir).unwrap();
            let out = dir.join(format!("initramfs-{name}.gz"));
            let tmp = dir.join(format!("initramfs-{name}.gz.{}.tmp", std::process::id()));
            let o = Command::new(powerlift())
                .arg("initramfs")
                .arg("--busybox")
                .arg(&bb)
                .arg("-o")
                .arg(&tmp)
                .output()
                .expect("run powerlift initramfs");
            assert!(
                o.status.success(),
                "powerlift initramfs failed ({}): {}",
                o.status,
                String::from_utf8_lossy(&o.stderr)
            );
            std::fs::rename(&tmp, &out).unwrap();
            Some(out)
        })
        .clone()
}
