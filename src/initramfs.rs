//! Building the test guest's initramfs: a gzip-compressed newc cpio archive
//! (the format Linux unpacks at boot, Documentation/filesystems/
//! ramfs-rootfs-initramfs.rst) holding Debian's static busybox, the
//! directories it needs and powerlift's own `/init`.
//!
//! The `/init` script mounts proc/sys/dev, prints a marker and the online
//! CPUs, then either powers off (kernel argument `powerlift.poweroff`, used
//! by the boot tests) or starts an interactive shell on the console.

use std::io::Write;
use std::path::Path;

/// The guest's `/init`.
pub const INIT_SCRIPT: &str = r#"#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "POWERLIFT-INIT: up; cpus online $(cat /sys/devices/system/cpu/online)"
if grep -q powerlift.poweroff /proc/cmdline; then
    echo "POWERLIFT-INIT: memtotal $(grep MemTotal /proc/meminfo)"
    poweroff -f
fi
echo "POWERLIFT-INIT: starting shell"
exec setsid cttyhack sh -l
"#;

fn entry<W: Write>(
    out: W,
    ino: &mut u32,
    name: &str,
    mode: u32,
    data: &[u8],
) -> std::io::Result<W> {
    *ino += 1;
    let mut w = cpio::newc::Builder::new(name)
        .ino(*ino)
        .mode(mode)
        .nlink(1)
        .write(out, data.len() as u32);
    w.write_all(data)?;
    w.finish()
}

/// Write `out` (gzip'd newc cpio) with `busybox` as /bin/busybox and
/// `init` as /init.
pub fn build(busybox: &Path, init: &str, out: &Path) -> std::io::Result<u64> {
    let bb = std::fs::read(busybox)?;
    let file = std::fs::File::create(out)?;
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut ino = 0;
    let mut w = gz;
    for d in [
        "bin", "sbin", "dev", "proc", "sys", "tmp", "root", "etc", "usr", "usr/bin", "usr/sbin",
    ] {
        w = entry(w, &mut ino, d, 0o040755, &[])?;
    }
    w = entry(w, &mut ino, "bin/busybox", 0o100755, &bb)?;
    w = entry(w, &mut ino, "bin/sh", 0o120777, b"busybox")?;
    w = entry(w, &mut ino, "init", 0o100755, init.as_bytes())?;
    w = entry(
        w,
        &mut ino,
        "etc/profile",
        0o100644,
        b"export PS1='powerlift# '\n",
    )?;
    let w = cpio::newc::trailer(w)?;
    let f = w.finish()?;
    Ok(f.metadata()?.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn archive_round_trips() {
        let dir = std::env::temp_dir().join(format!("pl-initramfs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bb = dir.join("bb");
        std::fs::write(&bb, b"\x7fELF fake busybox").unwrap();
        let out = dir.join("i.gz");
        super::build(&bb, "#!/bin/sh\n", &out).unwrap();
        let gz = std::fs::File::open(&out).unwrap();
        let mut r = flate2::read::GzDecoder::new(gz);
        let mut names = Vec::new();
        loop {
            let rd = cpio::NewcReader::new(r).unwrap();
            if rd.entry().is_trailer() {
                break;
            }
            names.push((rd.entry().name().to_string(), rd.entry().file_size()));
            r = rd.finish().unwrap();
        }
        assert!(names.contains(&("bin/busybox".to_string(), 17)));
        assert!(names.contains(&("init".to_string(), 10)));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
