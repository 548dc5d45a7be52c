//! The gdb stub (`-S -gdb tcp:HOST:PORT`) against Debian's gdb-multiarch,
//! with binutils as the oracle for addresses and code: gdb attaches to the
//! held machine and finds vCPU 0 at the kernel's entry (the ELF entry
//! loaded at 0x400000, as QEMU loads it), single-steps, stops at a
//! hardware breakpoint on start_kernel's local entry point after letting
//! the kernel run, reads the code there as objdump shows it, steps again
//! and kills the machine. Also: a `-gdb` device we do not support is
//! refused in QEMU's style.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().expect("run oracle");
    assert!(o.status.success(), "{cmd:?} failed: {o:?}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The first instruction word at `addr` and its mnemonic, per objdump.
fn objdump_at(kernel: &std::path::Path, addr: u64) -> (u32, String) {
    let objdump = common::oracle("powerpc64le-linux-gnu-objdump").unwrap();
    let out = run(Command::new(objdump)
        .arg("-d")
        .arg(format!("--start-address={addr:#x}"))
        .arg(format!("--stop-address={:#x}", addr + 4))
        .arg(kernel));
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{addr:x}:")))
        .unwrap_or_else(|| panic!("objdump has no instruction at {addr:#x}:\n{out}"));
    let cols: Vec<&str> = line.split('\t').collect();
    let bytes: Vec<u8> = cols[1]
        .split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect();
    let word = u32::from_le_bytes(bytes[..4].try_into().unwrap());
    (word, cols[2].trim().to_string())
}

/// The values gdb printed for `info registers pc` (in order).
fn pcs(out: &str) -> Vec<u64> {
    out.lines()
        .filter_map(|l| l.strip_prefix("pc "))
        .map(|l| {
            let v = l.split_whitespace().next().unwrap();
            u64::from_str_radix(v.trim_start_matches("0x"), 16).unwrap()
        })
        .collect()
}

#[test]
fn gdb_attaches_steps_breaks_and_reads_code() {
    let (Some(gdb), Some(readelf)) = (
        common::oracle("gdb-multiarch"),
        common::oracle("powerpc64le-linux-gnu-readelf"),
    ) else {
        return;
    };
    let (Some(kernel), Some(initrd)) = (common::guest_file("vmlinux"), common::initramfs("gdb"))
    else {
        return;
    };
    // Entry: the ELF entry's offset in the image plus the load address.
    let hdr = run(Command::new(&readelf).arg("-h").arg(&kernel));
    let e = hdr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Entry point address:"))
        .unwrap()
        .trim();
    let entry =
        (u64::from_str_radix(e.trim_start_matches("0x"), 16).unwrap() & 0x0fff_ffff) + 0x40_0000;
    // start_kernel's local entry point (ELFv2: callers in the kernel branch
    // past the TOC setup).
    let syms = run(Command::new(&readelf).arg("-sW").arg(&kernel));
    let sym = syms
        .lines()
        .find(|l| l.trim_end().ends_with(" start_kernel"))
        .unwrap();
    let base = u64::from_str_radix(sym.split_whitespace().nth(1).unwrap(), 16).unwrap();
    let local = sym
        .split("localentry>: ")
        .nth(1)
        .map_or(0, |s| s[..s.find(']').unwrap()].parse::<u64>().unwrap());
    let bp = base + local;
    let (word, mnemonic) = objdump_at(&kernel, bp);
    assert!(
        !mnemonic.starts_with('b'),
        "test needs a non-branch at {bp:#x}"
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut pl = Command::new(common::powerlift())
        .args([
            "-M",
            "pseries",
            "-m",
            "1G",
            "-nographic",
            "-serial",
            "mon:stdio",
        ])
        .arg("-kernel")
        .arg(&kernel)
        .arg("-initrd")
        .arg(&initrd)
        .args(["-append", "console=hvc0 powerlift.poweroff", "-S"])
        .args(["-gdb", &format!("tcp:127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = Command::new(gdb)
        .args(["-batch", "-nx"])
        .args(["-ex", "set architecture powerpc:common64"])
        .args(["-ex", "set endian little"])
        .args(["-ex", "set tcp connect-timeout 30"])
        .args(["-ex", &format!("target remote 127.0.0.1:{port}")])
        .args(["-ex", "info registers pc"])
        .args(["-ex", "stepi"])
        .args(["-ex", "info registers pc"])
        .args(["-ex", &format!("hbreak *{bp:#x}")])
        .args(["-ex", "continue"])
        .args(["-ex", "info registers pc"])
        .args(["-ex", &format!("x/1wx {bp:#x}")])
        .args(["-ex", "stepi"])
        .args(["-ex", "info registers pc"])
        .args(["-ex", "kill"])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    // `kill` quits the machine, as QEMU's stub does.
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = pl.try_wait().unwrap() {
            break Some(s);
        }
        if t0.elapsed() > Duration::from_secs(20) {
            let _ = pl.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let p = pcs(&text);
    assert_eq!(p.len(), 4, "gdb output:\n{text}");
    assert_eq!(p[0], entry, "attached at the entry\n{text}");
    let (_, first) = objdump_at(&kernel, 0xc000_0000_0000_0000 | (entry - 0x40_0000));
    if !first.starts_with('b') {
        assert_eq!(p[1], entry + 4, "one step\n{text}");
    }
    assert!(
        text.contains("Breakpoint 1,"),
        "breakpoint reported\n{text}"
    );
    assert_eq!(p[2], bp, "stopped at start_kernel\n{text}");
    assert!(
        text.contains(&format!("{bp:#x}:\t{word:#010x}")),
        "code at the breakpoint as objdump shows it ({word:#010x})\n{text}"
    );
    assert_eq!(p[3], bp + 4, "step past the breakpoint\n{text}");
    assert!(
        status.is_some(),
        "powerlift still running after kill\n{text}"
    );
}

#[test]
fn unsupported_gdb_device_is_refused() {
    let o = Command::new(common::powerlift())
        .args(["-M", "pseries", "-gdb", "unix:/tmp/gdb.sock"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("-gdb unix:/tmp/gdb.sock") && err.lines().count() == 1,
        "{err}"
    );
}
