//! Booting Debian's ppc64le 6.1 kernel (work/guest/vmlinux) on `-M pseries`
//! to powerlift's initramfs (`powerlift initramfs`, src/initramfs.rs) with
//! the `powerlift.poweroff` marker, and checking what the guest saw: exit
//! status 0, the kernel's SMP bring-up line, the CPUs online from /init,
//! the RAM size the kernel found and MemTotal, and a clean power-down.
//!
//! Each case runs under `POWERLIFT_TIER=interp` and under the default tier
//! (system mode currently forces the interpreter; both stay covered for
//! when the JIT runs there). Every boot is killed after a timeout
//! (`POWERLIFT_BOOT_TIMEOUT` seconds, default 180) and fails with the
//! console tail.
//!
//! Also: self-modifying code in system mode (a bare-metal guest,
//! tests/boot/smc.S, under every tier), and QEMU-style one-line refusals of options the machine does not
//! support (`-device virtio-blk-pci`, `-M q35`, `-m 100M`, unknown options).

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn initramfs() -> Option<PathBuf> {
    common::initramfs("boot")
}

fn boot_timeout() -> Duration {
    let s = std::env::var("POWERLIFT_BOOT_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(180);
    Duration::from_secs(s)
}

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    secs: f64,
}

impl Run {
    /// The last lines of the console and everything on stderr, for
    /// failure messages.
    fn tail(&self) -> String {
        let lines: Vec<&str> = self.stdout.lines().collect();
        let from = lines.len().saturating_sub(40);
        format!(
            "--- console (last {} of {} lines) ---\n{}\n--- stderr ---\n{}",
            lines.len() - from,
            lines.len(),
            lines[from..].join("\n"),
            self.stderr
        )
    }
}

/// Run `cmd` with stdin closed, capturing stdout and stderr; kill it and
/// fail with what it printed if it outlives `timeout`.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Run {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let t0 = Instant::now();
    let mut child = cmd.spawn().expect("spawn powerlift");
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let out = reader(Box::new(child.stdout.take().unwrap()));
    let err = reader(Box::new(child.stderr.take().unwrap()));
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait for powerlift") {
            break st;
        }
        if t0.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed powerlift");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let r = Run {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        secs: t0.elapsed().as_secs_f64(),
    };
    if timed_out {
        panic!(
            "timeout: killed after {:.0} s: {:?}\n{}",
            r.secs,
            cmd,
            r.tail()
        );
    }
    r
}

#[derive(Clone, Copy, Debug)]
enum Tier {
    Interp,
    Default,
}

/// The number after `key` in `text` (first occurrence), e.g. the kB of
/// "MemTotal:  987840 kB".
fn number_after(text: &str, key: &str) -> Option<u64> {
    let at = text.find(key)? + key.len();
    let digits: String = text[at..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn boot(tier: Tier, smp: u32, mem: &str) {
    let (Some(kernel), Some(initrd)) = (common::guest_file("vmlinux"), initramfs()) else {
        return;
    };
    let ram_kib = (mem.trim_end_matches(['M', 'G']).parse::<u64>().unwrap())
        * if mem.ends_with('G') { 1 << 20 } else { 1 << 10 };
    let mut cmd = Command::new(common::powerlift());
    cmd.args([
        "-M",
        "pseries",
        "-m",
        mem,
        "-smp",
        &smp.to_string(),
        "-kernel",
    ])
    .arg(&kernel)
    .arg("-initrd")
    .arg(&initrd)
    .args([
        "-append",
        "console=hvc0 powerlift.poweroff",
        "-nographic",
        "-serial",
        "stdio",
    ]);
    cmd.env_remove("POWERLIFT_THRESHOLD");
    match tier {
        Tier::Interp => cmd.env("POWERLIFT_TIER", "interp"),
        Tier::Default => cmd.env_remove("POWERLIFT_TIER"),
    };
    let r = run_with_timeout(cmd, boot_timeout());
    eprintln!("boot -smp {smp} -m {mem} ({tier:?} tier): {:.1} s", r.secs);
    // The hvc console ends lines with CR LF.
    let con = &r.stdout.replace("\r\n", "\n");
    let ctx = || format!("-smp {smp} -m {mem}, {tier:?} tier\n{}", r.tail());

    assert_eq!(
        r.status.code(),
        Some(0),
        "exit status {}; {}",
        r.status,
        ctx()
    );
    for bad in [
        "Kernel panic",
        "Oops:",
        "BUG:",
        "WARNING: CPU",
        "Unable to handle kernel",
    ] {
        assert!(!con.contains(bad), "console shows `{bad}`; {}", ctx());
    }

    // The kernel saw every CPU and all of RAM.
    let plural = if smp == 1 { "" } else { "s" };
    let smp_line = format!("smp: Brought up 1 node, {smp} CPU{plural}\n");
    assert!(
        con.contains(&smp_line),
        "no `{}`; {}",
        smp_line.trim(),
        ctx()
    );
    let mem_line = format!("K/{ram_kib}K available");
    assert!(
        con.lines()
            .any(|l| l.contains("Memory: ") && l.contains(&mem_line)),
        "kernel's `Memory:` line does not show {ram_kib}K; {}",
        ctx()
    );

    // Userspace ran and agrees.
    let online = if smp == 1 {
        "0".to_string()
    } else {
        format!("0-{}", smp - 1)
    };
    let up = format!("POWERLIFT-INIT: up; cpus online {online}\n");
    assert!(con.contains(&up), "no `{}`; {}", up.trim(), ctx());
    let total = number_after(con, "POWERLIFT-INIT: memtotal MemTotal:")
        .unwrap_or_else(|| panic!("no MemTotal from /init; {}", ctx()));
    // MemTotal is RAM less what the kernel keeps for itself: its image
    // (~40 MiB for this kernel), the reserved regions and the page
    // structures, about 60 MiB on QEMU for 512M..2G. Allow 64 MiB plus 2%
    // of RAM: losing a 256 MiB memory block, or seeing more RAM than -m,
    // fails.
    let floor = ram_kib - (64 << 10) - ram_kib / 50;
    assert!(
        total <= ram_kib && total >= floor,
        "MemTotal {total} kB not in [{floor}, {ram_kib}] kB for -m {mem}; {}",
        ctx()
    );

    // And powered off cleanly, after the marker.
    let off = con
        .find("reboot: Power down")
        .unwrap_or_else(|| panic!("no `reboot: Power down`; {}", ctx()));
    assert!(
        off > con.find(&up).unwrap(),
        "power-down before /init ran; {}",
        ctx()
    );
}

macro_rules! boot_cases {
    ($($name:ident: $smp:expr, $mem:expr;)*) => {
        mod interp {
            $( #[test] fn $name() { super::boot(super::Tier::Interp, $smp, $mem) } )*
        }
        mod default_tier {
            $( #[test] fn $name() { super::boot(super::Tier::Default, $smp, $mem) } )*
        }
    };
}

boot_cases! {
    smp1_1g: 1, "1G";
    smp4_1g: 4, "1G";
    smp2_512m: 2, "512M";
    smp2_2g: 2, "2G";
}

/// Run powerlift with system-mode `args` that must be refused: exit status
/// 1, nothing on stdout, and stderr exactly `expect` (QEMU's style:
/// `powerlift: -opt value: message`).
fn refused(args: &str, expect: &str) {
    let kernel = common::root().join("work/guest/vmlinux");
    let argv: Vec<String> = args
        .split_whitespace()
        .map(|a| {
            if a == "KERNEL" {
                kernel.display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    let mut cmd = Command::new(common::powerlift());
    cmd.args(&argv);
    let r = run_with_timeout(cmd, Duration::from_secs(30));
    assert_eq!(
        r.status.code(),
        Some(1),
        "`{args}`: status {}; {}",
        r.status,
        r.tail()
    );
    assert_eq!(r.stdout, "", "`{args}` printed on stdout");
    assert_eq!(r.stderr, format!("{expect}\n"), "`{args}`");
}

#[test]
fn refuses_virtio_blk_pci() {
    refused(
        "-M pseries -m 1G -kernel KERNEL -nographic -device virtio-blk-pci",
        "powerlift: -device virtio-blk-pci: 'virtio-blk-pci' is not a valid device model name",
    );
}

#[test]
fn refuses_other_machines() {
    // QEMU prints the hint on a second line; so do we.
    refused(
        "-M q35 -m 1G -kernel KERNEL",
        "powerlift: -M q35: unsupported machine type\nUse -machine help to list supported machines",
    );
}

#[test]
fn refuses_bad_ram_size() {
    refused(
        "-M pseries -m 100M -kernel KERNEL",
        "powerlift: -m 100M: invalid RAM size (must be a multiple of 256 MiB, at least 256 MiB)",
    );
}

#[test]
fn refuses_unknown_option() {
    refused(
        "-M pseries -kernel KERNEL -frobnicate",
        "powerlift: -frobnicate: invalid option",
    );
}

#[test]
fn refuses_missing_kernel() {
    refused(
        "-M pseries -m 1G -kernel /nonexistent/vmlinux",
        "powerlift: could not load kernel '/nonexistent/vmlinux': No such file or directory (os error 2)",
    );
}

/// A guest that rewrites code it has run (and, past the threshold, had
/// compiled) must run the new code: page-granular invalidation in system
/// mode drops the interpreter blocks and JIT regions of the written page.
#[test]
fn self_modifying_code() {
    let Some(cc) = common::oracle("powerpc64le-linux-gnu-gcc") else {
        return;
    };
    let dir = common::scratch("boot-smc");
    let elf = dir.join("smc.elf");
    let st = Command::new(cc)
        .args([
            "-nostdlib",
            "-static",
            "-Wl,-Ttext=0",
            "-Wl,--build-id=none",
            "-o",
        ])
        .arg(&elf)
        .arg(common::root().join("tests/boot/smc.S"))
        .status()
        .expect("run cross gcc");
    assert!(st.success(), "assembling tests/boot/smc.S failed");
    // (tier, synchronous compiles): "auto" synchronous compiles the hot
    // functions before they are rewritten; in the background they may not
    // be installed in time, which must be just as correct.
    for (tier, sync) in [("interp", "0"), ("jit", "0"), ("auto", "1"), ("auto", "0")] {
        let mut cmd = Command::new(common::powerlift());
        cmd.args(["-M", "pseries", "-m", "256M", "-nographic"])
            .args(["-serial", "mon:stdio", "-kernel"])
            .arg(&elf)
            .env("POWERLIFT_TIER", tier)
            .env("POWERLIFT_SYNC_COMPILE", sync);
        let r = run_with_timeout(cmd, Duration::from_secs(60));
        assert!(
            r.status.success() && r.stdout.contains("SMC-OK"),
            "tier {tier} (sync {sync}): stale code ran or the guest failed ({:.1} s)\n{}",
            r.secs,
            r.tail()
        );
    }
}
