//! Debian's static busybox (work/guest/busybox) under `powerlift run`
//! against qemu-ppc64le: the same applets on the same generated inputs
//! must print byte-identical output and end with the same status. Covers
//! hashing, compression round trips (gzip -n, bzip2), sort, awk (floating
//! point), sed, expr, dc, od/xxd, wc, ls, shell pipelines (fork), and
//! signal deaths (a real segfault and `kill -SEGV $$` give status 139).

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Out {
    stdout: Vec<u8>,
    status: String,
}

fn status_of(st: std::process::ExitStatus) -> String {
    match (st.code(), st.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => "?".into(),
    }
}

fn run(mut cmd: Command, dir: &Path, stdin: Option<&[u8]>) -> Out {
    use std::io::Write;
    cmd.current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("spawn");
    if let Some(data) = stdin {
        let mut si = child.stdin.take().unwrap();
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = si.write_all(&data);
        });
    }
    let o = child.wait_with_output().unwrap();
    Out {
        stdout: o.stdout,
        status: status_of(o.status),
    }
}

/// Deterministic text: words and numbers, lines of varying length.
fn text(seed: u64, lines: usize) -> String {
    let mut s = seed;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    const WORDS: [&str; 12] = [
        "alpha", "beta", "gamma", "delta", "Echo", "fox", "golf", "hotel", "india", "42", "-7",
        "3.5",
    ];
    let mut out = String::new();
    for _ in 0..lines {
        let n = 1 + next() % 8;
        for k in 0..n {
            if k > 0 {
                out.push(' ');
            }
            match next() % 3 {
                0 => out.push_str(WORDS[(next() % 12) as usize]),
                1 => out.push_str(&(next() % 100000).to_string()),
                _ => out.push_str(&format!("{:.3}", (next() % 1_000_000) as f64 / 997.0)),
            }
        }
        out.push('\n');
    }
    out
}

struct Env {
    qemu: PathBuf,
    bb: PathBuf,
    dir: PathBuf,
    bad: Vec<String>,
    ran: usize,
}

impl Env {
    fn new(test: &str) -> Option<Env> {
        let qemu = common::oracle("qemu-ppc64le")?;
        let bb = common::guest_file("busybox")?;
        let dir = common::scratch(test);
        std::fs::write(dir.join("words.txt"), text(1, 3000)).unwrap();
        std::fs::write(dir.join("small.txt"), text(2, 20)).unwrap();
        let bin: Vec<u8> = (0u32..70000)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        std::fs::write(dir.join("data.bin"), bin).unwrap();
        let nums: String = (0..2000)
            .map(|i| format!("{}\n", (i * 7919) % 10007 - 5000))
            .collect();
        std::fs::write(dir.join("nums.txt"), nums).unwrap();
        std::fs::create_dir_all(dir.join("tree/sub")).unwrap();
        for (k, n) in ["b.txt", "a.dat", "c", "sub/d.txt"].iter().enumerate() {
            std::fs::write(dir.join("tree").join(n), "x".repeat(k * 100 + 1)).unwrap();
        }
        Some(Env {
            qemu,
            bb,
            dir,
            bad: Vec::new(),
            ran: 0,
        })
    }

    /// Run `busybox args...` (with `stdin`) under both; record a mismatch.
    fn check(&mut self, args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
        let mut q = Command::new(&self.qemu);
        q.arg(&self.bb).args(args);
        let mut p = Command::new(common::powerlift());
        p.arg("run").arg(&self.bb).args(args);
        let (q, p) = (run(q, &self.dir, stdin), run(p, &self.dir, stdin));
        self.ran += 1;
        let name = args.join(" ");
        if q.stdout != p.stdout || q.status != p.status {
            let qs = String::from_utf8_lossy(&q.stdout);
            let ps = String::from_utf8_lossy(&p.stdout);
            let k = qs
                .lines()
                .zip(ps.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            self.bad.push(format!(
                "busybox {name}: qemu {} ({} bytes) / powerlift {} ({} bytes); line {}:\n  qemu:      {}\n  powerlift: {}",
                q.status,
                q.stdout.len(),
                p.status,
                p.stdout.len(),
                k + 1,
                qs.lines().nth(k).unwrap_or(""),
                ps.lines().nth(k).unwrap_or("")
            ));
        } else {
            eprintln!(
                "busybox: {name:<60} ok ({}, {} bytes)",
                q.status,
                q.stdout.len()
            );
        }
        q.stdout
    }

    fn finish(self) {
        for b in &self.bad {
            eprintln!("MISMATCH {b}");
        }
        eprintln!(
            "busybox: {} passed, {} failed",
            self.ran - self.bad.len(),
            self.bad.len()
        );
        assert!(
            self.bad.is_empty(),
            "{} busybox runs differ from qemu-ppc64le",
            self.bad.len()
        );
    }
}

#[test]
fn busybox_text_tools() {
    let Some(mut e) = Env::new("busybox_text") else {
        return;
    };
    for h in ["sha256sum", "md5sum", "sha1sum", "sha512sum"] {
        e.check(&[h, "words.txt", "data.bin", "nums.txt"], None);
    }
    e.check(&["wc", "words.txt", "data.bin", "nums.txt"], None);
    e.check(&["sort", "words.txt"], None);
    e.check(&["sort", "-n", "nums.txt"], None);
    e.check(&["sort", "-r", "-u", "-k2", "words.txt"], None);
    e.check(&["sort", "-g", "-t", " ", "-k3", "words.txt"], None);
    e.check(&["uniq", "-c"], Some(b"a\na\nb\nc\nc\nc\n"));
    e.check(
        &["awk", "{ s += $1; n++; if ($1 > m) m = $1 } END { printf \"%d %.6f %g %d\\n\", s, s / n, m, n }", "nums.txt"],
        None,
    );
    e.check(
        &["awk", "{ for (i = 1; i <= NF; i++) w[$i]++ } END { for (k in w) if (w[k] > 40) print k, w[k] | \"sort\" }", "words.txt"],
        None,
    );
    e.check(
        &["awk", "BEGIN { x = 1; for (i = 0; i < 50; i++) { x = x * 1.1 + sin(i) / 3; printf \"%.10g %s\\n\", x, substr(\"abcdef\", i % 6 + 1, 2) } print exp(1), log(10), sqrt(2), int(-3.7), 2^0.5, toupper(\"q\") }"],
        None,
    );
    e.check(
        &[
            "sed",
            "-e",
            "s/alpha/ALPHA/g",
            "-e",
            "/beta/d",
            "-e",
            "3,10y/abc/xyz/",
            "words.txt",
        ],
        None,
    );
    e.check(
        &[
            "sed",
            "-n",
            "-E",
            "s/^([0-9]+) (.*)$/\\2 <\\1>/p",
            "words.txt",
        ],
        None,
    );
    e.check(&["expr", "123456789", "*", "987", "+", "5", "%", "3"], None);
    e.check(&["expr", "substr", "powerlift", "3", "4"], None);
    e.check(&["expr", "abcdef", ":", "a\\(b.*\\)e"], None);
    e.check(
        &["dc", "-e", "20k 2 v p 1 3 / p 355 113 / p 2 64 ^ p 7 2 % p"],
        None,
    );
    e.check(
        &["od", "-A", "x", "-t", "x1z", "-N", "300", "data.bin"],
        None,
    );
    e.check(
        &["od", "-t", "d4", "-t", "o2", "-N", "64", "data.bin"],
        None,
    );
    e.check(&["xxd", "-l", "512", "data.bin"], None);
    e.check(&["cut", "-d", " ", "-f", "2,3", "small.txt"], None);
    e.check(&["tr", "a-z", "A-Z"], Some(text(3, 50).as_bytes()));
    e.check(&["head", "-c", "1000", "words.txt"], None);
    e.check(&["tail", "-n", "7", "words.txt"], None);
    e.check(&["seq", "-s", ",", "1", "3", "100"], None);
    e.check(
        &[
            "printf",
            "%08.3f|%x|%s|%e\\n",
            "3.14159",
            "255",
            "str",
            "12345.678",
        ],
        None,
    );
    e.finish();
}

#[test]
fn busybox_compression() {
    let Some(mut e) = Env::new("busybox_comp") else {
        return;
    };
    let orig = std::fs::read(e.dir.join("words.txt")).unwrap();
    for level in ["-1", "-6", "-9"] {
        let gz = e.check(&["gzip", "-n", "-c", level, "words.txt"], None);
        let back = e.check(&["gunzip", "-c"], Some(&gz));
        assert_eq!(back, orig, "gzip {level} round trip under qemu");
    }
    let gz = e.check(&["gzip", "-n", "-c", "data.bin"], None);
    e.check(&["zcat"], Some(&gz));
    let bz = e.check(&["bzip2", "-c", "words.txt"], None);
    let back = e.check(&["bunzip2", "-c"], Some(&bz));
    assert_eq!(back, orig, "bzip2 round trip under qemu");
    e.check(&["bzip2", "-c", "-1", "data.bin"], None);
    e.finish();
}

#[test]
fn busybox_files_and_shell() {
    let Some(mut e) = Env::new("busybox_shell") else {
        return;
    };
    e.check(&["ls", "tree"], None);
    e.check(&["ls", "-la", "tree"], None);
    e.check(&["ls", "-lR", "tree"], None);
    e.check(&["find", "tree", "-type", "f"], None);
    e.check(&["du", "-a", "tree"], None);
    e.check(&["cat", "tree/b.txt", "tree/sub/d.txt"], None);
    e.check(
        &[
            "sh",
            "-c",
            "ls tree | wc -l; echo $((6 * 7)); x=$(seq 5 | tail -1); echo $x",
        ],
        None,
    );
    e.check(
        &[
            "sh",
            "-c",
            "for f in tree/*; do [ -f $f ] && echo file $f || echo dir $f; done",
        ],
        None,
    );
    e.check(
        &[
            "sh",
            "-c",
            "trap 'echo got USR1' USR1; kill -USR1 $$; echo after",
        ],
        None,
    );
    e.check(
        &["sh", "-c", "read a b; echo \"$b $a\""],
        Some(b"one two\n"),
    );
    e.check(&["sh", "-c", "exit 42"], None);
    e.check(&["false"], None);
    e.check(&["sh", "-c", "cd tree && pwd -P | sed 's|.*/||'"], None);
    e.check(&["readlink", "/proc/self/exe"], None);
    e.check(&["basename", "/a/b/c.txt", ".txt"], None);
    e.finish();
}

#[test]
fn busybox_signal_deaths() {
    let Some(mut e) = Env::new("busybox_signals") else {
        return;
    };
    // The shell dies by its own SIGSEGV: wait status "signal 11", which
    // a parent shell reports as 139.
    e.check(&["sh", "-c", "kill -SEGV $$"], None);
    e.check(&["sh", "-c", "sh -c 'kill -SEGV $$'; echo status $?"], None);
    e.check(&["sh", "-c", "kill -TERM $$; echo not reached"], None);
    e.finish();
}

#[test]
fn segfault_exit_status() {
    let Some(qemu) = common::oracle("qemu-ppc64le") else {
        return;
    };
    let Some(cc) = common::oracle("powerpc64le-linux-gnu-gcc") else {
        return;
    };
    let dir = common::scratch("segfault");
    let src = dir.join("segv.c");
    std::fs::write(&src, "#include <stdio.h>\nint main(void) { puts(\"before\"); fflush(stdout); return *(volatile int *)8; }\n").unwrap();
    let exe = dir.join("segv");
    let st = Command::new(cc)
        .args(["-O2", "-static", "-o"])
        .arg(&exe)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st.success());
    // Through a shell, as a user sees it: 139 = 128 + SIGSEGV.
    let q = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} {} 2>/dev/null; echo $?",
            qemu.display(),
            exe.display()
        ))
        .output()
        .unwrap();
    let p = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} run {} 2>/dev/null; echo $?",
            common::powerlift().display(),
            exe.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&q.stdout), "before\n139\n");
    assert_eq!(
        String::from_utf8_lossy(&p.stdout),
        String::from_utf8_lossy(&q.stdout)
    );
    let p = Command::new(common::powerlift())
        .arg("run")
        .arg(&exe)
        .output()
        .unwrap();
    assert_eq!(p.status.signal(), Some(11));
    let err = String::from_utf8_lossy(&p.stderr);
    assert!(
        err.contains("uncaught target signal 11 (Segmentation fault)"),
        "stderr: {err}"
    );
}
