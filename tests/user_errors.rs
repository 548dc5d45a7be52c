//! `powerlift run` refuses what it cannot run with one line on stderr and
//! exit status 1, like `qemu-ppc64le` does: a missing file, a file that is
//! not ELF, a truncated ELF, an ELF for another machine. The oracle for
//! "this is an error" is qemu-ppc64le failing on the same file.

mod common;

use std::path::Path;
use std::process::Command;

fn check_refused(file: &Path, what: &str) {
    if let Some(qemu) = common::oracle("qemu-ppc64le") {
        let q = Command::new(qemu).arg(file).output().unwrap();
        assert!(!q.status.success(), "qemu-ppc64le accepted the {what}");
    }
    let out = Command::new(common::powerlift())
        .arg("run")
        .arg(file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what}: status {:?}, stderr {err}",
        out.status
    );
    assert_eq!(err.lines().count(), 1, "{what}: want one line, got:\n{err}");
    assert!(err.starts_with("powerlift: "), "{what}: {err}");
    assert!(out.stdout.is_empty(), "{what}: wrote to stdout");
}

#[test]
fn missing_file() {
    let d = common::scratch("user_errors_missing");
    check_refused(&d.join("no-such-file"), "missing file");
}

#[test]
fn not_an_elf() {
    let d = common::scratch("user_errors_text");
    let f = d.join("script.txt");
    std::fs::write(&f, "this is not an executable\n").unwrap();
    check_refused(&f, "text file");
}

#[test]
fn empty_file() {
    let d = common::scratch("user_errors_empty");
    let f = d.join("empty");
    std::fs::write(&f, b"").unwrap();
    check_refused(&f, "empty file");
}

#[test]
fn truncated_elf() {
    let Some(bb) = common::guest_file("busybox") else {
        return;
    };
    let d = common::scratch("user_errors_trunc");
    let data = std::fs::read(bb).unwrap();
    for (n, len) in [("hdr", 40), ("phdrs", 200), ("half", data.len() / 2)] {
        let f = d.join(format!("busybox-{n}"));
        std::fs::write(&f, &data[..len]).unwrap();
        check_refused(&f, &format!("ELF truncated to {len} bytes"));
    }
}

#[test]
fn wrong_machine() {
    // The host's own executables are ELF for another machine (or at least
    // not ppc64le); so is a big-endian ppc64 header.
    let d = common::scratch("user_errors_arch");
    let host = std::env::current_exe().unwrap();
    check_refused(&host, "host executable");
    let Some(bb) = common::guest_file("busybox") else {
        return;
    };
    let mut data = std::fs::read(bb).unwrap();
    data[5] = 2; // EI_DATA = ELFDATA2MSB
    let f = d.join("busybox-be");
    std::fs::write(&f, &data).unwrap();
    check_refused(&f, "big-endian header");
    let mut data = std::fs::read(common::guest_file("busybox").unwrap()).unwrap();
    data[4] = 1; // EI_CLASS = ELFCLASS32
    let f = d.join("busybox-32");
    std::fs::write(&f, &data).unwrap();
    check_refused(&f, "32-bit header");
}

#[test]
fn directory() {
    let d = common::scratch("user_errors_dir");
    check_refused(&d, "directory");
}
