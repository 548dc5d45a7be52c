//! The JIT's guest-facing listings: the `-d in_asm` text of a region and
//! the `POWERLIFT_PERFMAP` symbol map that lets `perf` name compiled code.

/// With `POWERLIFT_PERFMAP=1`, name each region in `/tmp/perf-PID.map`
/// (the format `perf report` reads for JIT code; QEMU's `-perfmap` does the
/// same), so host profiles show which guest code the time went to. Each
/// region's bytes also go to `/tmp/perf-PID-code/HOST.bin`, for
/// `objdump -D -b binary -m i386:x86-64 --adjust-vma=0xHOST` to line up
/// with `perf script`'s addresses.
pub(super) fn perf_map(code: &[u8], host: u64, entry: u64, mode: u8, optimized: bool) {
    let len = code.len();
    static MAP: std::sync::OnceLock<Option<std::sync::Mutex<std::fs::File>>> =
        std::sync::OnceLock::new();
    let map = MAP.get_or_init(|| {
        if std::env::var("POWERLIFT_PERFMAP").as_deref() != Ok("1") {
            return None;
        }
        let path = format!("/tmp/perf-{}.map", std::process::id());
        match std::fs::File::create(&path) {
            Ok(f) => Some(std::sync::Mutex::new(f)),
            Err(e) => {
                log::warn!("POWERLIFT_PERFMAP: cannot create {path}: {e}");
                None
            }
        }
    });
    if let Some(f) = map {
        use std::io::Write;
        let tier = if optimized { "opt" } else { "cheap" };
        if let Ok(mut f) = f.lock() {
            let _ = writeln!(f, "{host:x} {len:x} guest_{entry:016x}_m{mode}_{tier}");
        }
        let dir = format!("/tmp/perf-{}-code", std::process::id());
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(format!("{dir}/{host:x}.bin"), code);
    }
}

/// The `-d in_asm` listing of a region.
pub(super) fn in_asm_text(region: &super::region::Region) -> String {
    let mut s = String::new();
    for b in region.blocks.values() {
        for (k, i) in b.insns.iter().enumerate() {
            let a = b.start + 4 * k as u64;
            s.push_str(&format!(
                "0x{a:016x}:  {:08x}  {}\n",
                i.word,
                crate::isa::disasm::disasm(i.word, a)
            ));
        }
        s.push('\n');
    }
    s
}
