//! C programs (tests/cprogs/*.c) built with the ppc64le cross gcc at `-O2`
//! and at `-O3 -mcpu=power9`, static, run under qemu-ppc64le and under
//! `powerlift run`: stdout and the exit status must be byte-identical.
//! Also: the same program as static-pie, and dynamically linked against
//! the cross toolchain's sysroot with `-L` (as `qemu-ppc64le -L`).

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const SYSROOT: &str = "/usr/powerpc64le-linux-gnu";

struct Out {
    stdout: Vec<u8>,
    status: String,
}

fn run(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("run guest");
    let status = match (o.status.code(), o.status.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => "?".into(),
    };
    Out {
        stdout: o.stdout,
        status,
    }
}

fn compile(cc: &Path, src: &Path, out: &Path, flags: &[&str]) {
    let o = Command::new(cc)
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg(src)
        .arg("-lm")
        .output()
        .expect("run cross gcc");
    assert!(
        o.status.success(),
        "compiling {} {flags:?}: {}",
        src.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Run `exe` under both emulators (extra args for each: `pre_q`, `pre_p`)
/// and describe any difference.
fn compare(qemu: &Path, exe: &Path, pre_q: &[&str], pre_p: &[&str], name: &str) -> Option<String> {
    let q = run(Command::new(qemu).args(pre_q).arg(exe));
    let p = run(Command::new(common::powerlift())
        .arg("run")
        .args(pre_p)
        .arg(exe));
    if q.stdout == p.stdout && q.status == p.status {
        eprintln!(
            "cprogs: {name:<32} ok ({}, {} bytes)",
            q.status,
            q.stdout.len()
        );
        return None;
    }
    let qs = String::from_utf8_lossy(&q.stdout);
    let ps = String::from_utf8_lossy(&p.stdout);
    let first = qs
        .lines()
        .zip(ps.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(qs.lines().count().min(ps.lines().count()));
    Some(format!(
        "{name}: qemu {} / powerlift {}; first differing line {}:\n  qemu:      {}\n  powerlift: {}",
        q.status,
        p.status,
        first + 1,
        qs.lines().nth(first).unwrap_or("<none>"),
        ps.lines().nth(first).unwrap_or("<none>")
    ))
}

fn sources() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::root().join("tests/cprogs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        // bench_*.c are the user-mode benchmark's programs (benches/
        // user_mode.py compares their output between the engines).
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("bench_")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn cprogs_static() {
    let Some(qemu) = common::oracle("qemu-ppc64le") else {
        return;
    };
    let Some(cc) = common::oracle("powerpc64le-linux-gnu-gcc") else {
        return;
    };
    let dir = common::scratch("cprogs");
    let variants: [(&str, &[&str]); 2] = [
        ("O2", &["-O2", "-static"]),
        ("O3-p9", &["-O3", "-mcpu=power9", "-static"]),
    ];
    let mut jobs = Vec::new();
    // Under POWERLIFT_TIER=jit every region is compiled on first use, which
    // is slow: one variant (the vectorised one) is enough there.
    let jit = std::env::var("POWERLIFT_TIER").is_ok_and(|t| t == "jit");
    for src in sources() {
        for (tag, flags) in variants {
            if jit && tag == "O2" {
                continue;
            }
            let stem = src.file_stem().unwrap().to_string_lossy().to_string();
            jobs.push((src.clone(), format!("{stem}-{tag}"), flags));
        }
    }
    // Build on two threads; run as soon as built.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let bad = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((src, name, flags)) = jobs.get(k) else {
                    break;
                };
                let exe = dir.join(name);
                compile(&cc, src, &exe, flags);
                if let Some(d) = compare(&qemu, &exe, &[], &[], name) {
                    bad.lock().unwrap().push(d);
                }
            });
        }
    });
    let bad = bad.into_inner().unwrap();
    for b in &bad {
        eprintln!("MISMATCH {b}");
    }
    eprintln!(
        "cprogs: {} passed, {} failed",
        jobs.len() - bad.len(),
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "{} C programs differ from qemu-ppc64le",
        bad.len()
    );
}

#[test]
fn cprogs_static_pie() {
    // Debian's cross toolchain has no rcrt1.o, so glibc programs cannot be
    // linked -static-pie; tests/cprogs/pie/hello.c is freestanding.
    let Some(qemu) = common::oracle("qemu-ppc64le") else {
        return;
    };
    let Some(cc) = common::oracle("powerpc64le-linux-gnu-gcc") else {
        return;
    };
    let dir = common::scratch("cprogs_pie");
    let src = common::root().join("tests/cprogs/pie/hello.c");
    let exe = dir.join("hello-pie");
    let o = Command::new(&cc)
        .args([
            "-O2",
            "-nostdlib",
            "-static-pie",
            "-fPIE",
            "-ffreestanding",
            "-fno-stack-protector",
            "-o",
        ])
        .arg(&exe)
        .arg(&src)
        .output()
        .expect("run cross gcc");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let q = run(Command::new(&qemu).arg(&exe).args(["x", "y"]));
    let p = run(Command::new(common::powerlift())
        .arg("run")
        .arg(&exe)
        .args(["x", "y"]));
    assert_eq!(q.status, "exit 0");
    assert_eq!(
        (String::from_utf8_lossy(&p.stdout), p.status),
        (String::from_utf8_lossy(&q.stdout), q.status),
        "static-pie output differs from qemu-ppc64le"
    );
}

#[test]
fn cprogs_dynamic_sysroot() {
    let Some(qemu) = common::oracle("qemu-ppc64le") else {
        return;
    };
    let Some(cc) = common::oracle("powerpc64le-linux-gnu-gcc") else {
        return;
    };
    if !Path::new(SYSROOT).join("lib/ld64.so.2").exists() {
        eprintln!("SKIP: no {SYSROOT}/lib/ld64.so.2");
        return;
    }
    let dir = common::scratch("cprogs_dyn");
    let mut bad = Vec::new();
    for name in ["strings", "fp_math", "sorting"] {
        let src = common::root().join(format!("tests/cprogs/{name}.c"));
        let exe = dir.join(format!("{name}-dyn"));
        compile(&cc, &src, &exe, &["-O2"]);
        bad.extend(compare(
            &qemu,
            &exe,
            &["-L", SYSROOT],
            &["-L", SYSROOT],
            &format!("{name}-dynamic"),
        ));
    }
    assert!(bad.is_empty(), "dynamic: {bad:#?}");
}
