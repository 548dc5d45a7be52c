//! QEMU-style command line for system emulation (`powerlift -M pseries
//! -m 1G -smp 2 -kernel K -initrd I -append A -nographic ...`), so existing
//! QEMU command lines and scripts work. Options we do not support are
//! refused in QEMU's error style (`powerlift: -opt value: message`) with
//! exit status 1; nothing is silently ignored.

use crate::spapr::machine::MachineConfig;
use crate::spapr::vty::SerialMode;
use std::path::PathBuf;

/// Everything the system-mode command line selects.
#[derive(Debug, Clone)]
pub struct SystemArgs {
    pub machine: MachineConfig,
    /// `-d` items and `-D` file.
    pub log_items: Vec<String>,
    pub log_file: Option<PathBuf>,
    pub name: Option<String>,
    /// QMP/HMP monitors (`-qmp`, `-monitor`, `-chardev` + `-mon`).
    pub monitor: crate::monitor::MonitorConfig,
}

/// A command-line error, printed as one line.
#[derive(Debug, PartialEq, Eq)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "powerlift: {}", self.0)
    }
}

/// Parse a QEMU size ("512M", "1G", "1073741824", "2048" = MiB).
pub fn parse_size(s: &str, default_mib: bool) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => {
            let m = match &s[i..] {
                "k" | "K" => 1u64 << 10,
                "M" | "m" => 1 << 20,
                "G" | "g" => 1 << 30,
                "T" | "t" => 1 << 40,
                "B" | "b" => 1,
                _ => return None,
            };
            (&s[..i], m)
        }
        None => (s, if default_mib { 1 << 20 } else { 1 }),
    };
    let v: f64 = num.parse().ok()?;
    if v < 0.0 {
        return None;
    }
    Some((v * mult as f64) as u64)
}

/// Split "a,b=c,d" (QEMU's option syntax, ",," escaping a comma) into
/// (key, value) pairs using the monitor's parser; a leading element without
/// '=' comes back as `(element, None)`.
fn split_opts(s: &str) -> Vec<(String, Option<String>)> {
    const FIRST: &str = "\0first";
    let v: Vec<_> = crate::monitor::split_opts(s, FIRST)
        .into_iter()
        .map(|(k, v)| if k == FIRST { (v, None) } else { (k, Some(v)) })
        .collect();
    if v.is_empty() {
        // Callers read element 0: an empty value is an empty first element.
        return vec![(String::new(), None)];
    }
    v
}

fn on_off(opt: &str, full: &str, v: Option<&str>) -> Result<bool, CliError> {
    match v {
        None | Some("on") | Some("yes") | Some("true") => Ok(true),
        Some("off") | Some("no") | Some("false") => Ok(false),
        Some(x) => Err(CliError(format!(
            "{opt} {full}: Parameter expects 'on' or 'off', got '{x}'"
        ))),
    }
}

const MACHINES: &[&str] = &["pseries", "pseries-7.2"];

pub fn parse(args: &[String]) -> Result<SystemArgs, CliError> {
    let mut m = MachineConfig::default();
    let mut log_items = Vec::new();
    let mut log_file = None;
    let mut name = None;
    let mut machine_seen = false;
    let mut nographic = false;
    let mut serial: Option<SerialMode> = None;
    let mut mon = crate::monitor::MonitorArgs::default();
    let mut i = 0;
    let take = |i: &mut usize, opt: &str| -> Result<String, CliError> {
        *i += 1;
        args.get(*i)
            .cloned()
            .ok_or_else(|| CliError(format!("{opt}: requires an argument")))
    };
    while i < args.len() {
        let raw = args[i].as_str();
        // QEMU accepts both -opt and --opt.
        let opt = if raw.starts_with("--") {
            &raw[1..]
        } else {
            raw
        };
        match opt {
            "-M" | "-machine" => {
                let v = take(&mut i, opt)?;
                let parts = split_opts(&v);
                let (ty, _) = &parts[0];
                let ty = ty.strip_prefix("type=").unwrap_or(ty);
                if ty == "help" || ty == "?" {
                    println!("Supported machines are:\npseries              pSeries Logical Partition (PAPR compliant) (alias of pseries-7.2)\npseries-7.2          pSeries Logical Partition (PAPR compliant) (default)");
                    std::process::exit(0);
                }
                if !MACHINES.contains(&ty) {
                    return Err(CliError(format!(
                        "{opt} {v}: unsupported machine type\nUse -machine help to list supported machines"
                    )));
                }
                machine_seen = true;
                for (k, val) in &parts[1..] {
                    match k.as_str() {
                        "x-vof" => m.vof = on_off(opt, &v, val.as_deref())?,
                        "dumpdtb" => m.dumpdtb = val.clone().map(PathBuf::from),
                        "accel" if val.as_deref() == Some("tcg") => {}
                        "hotunplug" => {
                            let b = val.clone().unwrap_or_default();
                            if !matches!(b.as_str(), "qemu-5.2" | "qemu-6.0-dev" | "qemu-7.2") {
                                return Err(CliError(format!(
                                    "{opt} {v}: hotunplug must be qemu-5.2, qemu-6.0-dev or qemu-7.2"
                                )));
                            }
                            m.hotunplug = b;
                        }
                        "ic-mode" if val.as_deref() == Some("xics") => {}
                        "ic-mode" => {
                            return Err(CliError(format!(
                                "{opt} {v}: ic-mode '{}' is not supported (only xics)",
                                val.as_deref().unwrap_or("")
                            )))
                        }
                        _ => {
                            return Err(CliError(format!(
                                "{opt} {v}: Property 'pseries-7.2-machine.{k}' not found"
                            )))
                        }
                    }
                }
            }
            "-m" => {
                let v = take(&mut i, opt)?;
                for (n, (k, val)) in split_opts(&v).into_iter().enumerate() {
                    let (key, value) = match (n, val) {
                        (0, None) => ("size".to_string(), k),
                        (_, Some(x)) => (k, x),
                        (_, None) => {
                            return Err(CliError(format!("-m {v}: Invalid parameter '{k}'")))
                        }
                    };
                    match key.as_str() {
                        "size" => {
                            m.ram_size = parse_size(&value, true)
                                .filter(|&s| s >= 256 << 20 && s % (256 << 20) == 0)
                                .ok_or_else(|| {
                                    CliError(format!(
                                        "-m {v}: invalid RAM size (must be a multiple of 256 MiB, at least 256 MiB)"
                                    ))
                                })?;
                        }
                        "slots" => {
                            m.mem_slots = value.parse().map_err(|_| {
                                CliError(format!("-m {v}: Parameter 'slots' expects a number"))
                            })?;
                        }
                        "maxmem" => {
                            m.max_mem = parse_size(&value, true)
                                .filter(|&s| s % (256 << 20) == 0)
                                .ok_or_else(|| {
                                    CliError(format!(
                                        "-m {v}: invalid maxmem (a multiple of 256 MiB)"
                                    ))
                                })?;
                        }
                        _ => return Err(CliError(format!("-m {v}: Invalid parameter '{key}'"))),
                    }
                }
            }
            "-smp" => {
                let v = take(&mut i, opt)?;
                let mut cpus = None;
                let mut maxcpus = None;
                for (n, (k, val)) in split_opts(&v).into_iter().enumerate() {
                    let (key, value) = match (n, val) {
                        (0, None) => ("cpus".to_string(), k),
                        (_, Some(x)) => (k, x),
                        (_, None) => {
                            return Err(CliError(format!("-smp {v}: Invalid parameter '{k}'")))
                        }
                    };
                    let num: u32 = value.parse().map_err(|_| {
                        CliError(format!("-smp {v}: Parameter '{key}' expects a number"))
                    })?;
                    match key.as_str() {
                        "cpus" => cpus = Some(num),
                        "maxcpus" => maxcpus = Some(num),
                        "cores" | "sockets" => {}
                        "threads" if num == 1 => {}
                        "threads" => {
                            return Err(CliError(format!(
                                "-smp {v}: TCG cannot support more than 1 thread/core on a pseries machine"
                            )))
                        }
                        _ => return Err(CliError(format!("-smp {v}: Invalid parameter '{key}'"))),
                    }
                }
                let c = cpus.unwrap_or(1).max(1);
                let mx = maxcpus.unwrap_or(c);
                if mx < c {
                    return Err(CliError(format!(
                        "-smp {v}: maxcpus must be equal to or greater than smp"
                    )));
                }
                if mx > 64 {
                    return Err(CliError(format!("-smp {v}: at most 64 CPUs are supported")));
                }
                m.smp = c;
                m.max_cpus = mx;
            }
            "-cpu" => {
                let v = take(&mut i, opt)?;
                match v.as_str() {
                    "power9" | "power9_v2.0" | "POWER9" | "max" => {}
                    _ => {
                        return Err(CliError(format!(
                        "-cpu {v}: unable to find CPU model '{v}' (supported: power9, power9_v2.0)"
                    )))
                    }
                }
            }
            "-kernel" => m.kernel = Some(PathBuf::from(take(&mut i, opt)?)),
            "-initrd" => m.initrd = Some(PathBuf::from(take(&mut i, opt)?)),
            "-append" => m.append = take(&mut i, opt)?,
            "-nographic" => nographic = true,
            "-serial" => {
                let v = take(&mut i, opt)?;
                serial = Some(match v.as_str() {
                    "mon:stdio" => SerialMode::MonStdio,
                    "stdio" => SerialMode::Stdio,
                    "null" | "none" => SerialMode::Null,
                    _ => {
                        return Err(CliError(format!(
                            "-serial {v}: only mon:stdio, stdio and null are supported"
                        )))
                    }
                });
            }
            "-display" => {
                let v = take(&mut i, opt)?;
                if v != "none" {
                    return Err(CliError(format!("-display {v}: only 'none' is supported")));
                }
            }
            "-vga" => {
                let v = take(&mut i, opt)?;
                if v != "none" {
                    return Err(CliError(format!("-vga {v}: only 'none' is supported")));
                }
            }
            "-nodefaults" | "-no-user-config" => {}
            "-no-reboot" => m.no_reboot = true,
            "-S" => m.start_paused = true,
            "-name" => {
                let v = take(&mut i, opt)?;
                name = Some(split_opts(&v)[0].0.trim_start_matches("guest=").to_string());
            }
            "-accel" => {
                let v = take(&mut i, opt)?;
                if split_opts(&v)[0].0 != "tcg" {
                    return Err(CliError(format!(
                        "-accel {v}: invalid accelerator (only tcg)"
                    )));
                }
            }
            "-enable-kvm" => {
                return Err(CliError(
                    "-enable-kvm: KVM is not available in powerlift".into(),
                ))
            }
            "-icount" => {
                let v = take(&mut i, opt)?;
                let mut shift = None;
                for (n, (k, val)) in split_opts(&v).into_iter().enumerate() {
                    match (n, k.as_str(), val) {
                        (0, s, None) => shift = s.parse().ok(),
                        (_, "shift", Some(x)) => shift = x.parse().ok(),
                        (_, "align" | "sleep", Some(_)) => {}
                        _ => return Err(CliError(format!("-icount {v}: Invalid parameter '{k}'"))),
                    }
                }
                let s: u8 = shift.filter(|&s: &u8| s <= 10).ok_or_else(|| {
                    CliError(format!("-icount {v}: shift must be a number 0..10"))
                })?;
                m.icount_shift = Some(s);
            }
            "-d" => log_items.extend(take(&mut i, opt)?.split(',').map(String::from)),
            "-D" => log_file = Some(PathBuf::from(take(&mut i, opt)?)),
            "-device" => {
                let v = take(&mut i, opt)?;
                let model = split_opts(&v)[0]
                    .0
                    .trim_start_matches("driver=")
                    .to_string();
                return Err(CliError(format!(
                    "-device {v}: '{model}' is not a valid device model name"
                )));
            }
            "-qmp" | "-qmp-pretty" => {
                let v = take(&mut i, opt)?;
                mon.qmp(&v, opt == "-qmp-pretty")
                    .map_err(|e| CliError(format!("{opt} {v}: {e}")))?;
            }
            "-monitor" => {
                let v = take(&mut i, opt)?;
                mon.monitor(&v)
                    .map_err(|e| CliError(format!("{opt} {v}: {e}")))?;
            }
            "-chardev" => {
                let v = take(&mut i, opt)?;
                mon.chardev(&v)
                    .map_err(|e| CliError(format!("{opt} {v}: {e}")))?;
            }
            "-mon" => {
                let v = take(&mut i, opt)?;
                mon.mon(&v)
                    .map_err(|e| CliError(format!("{opt} {v}: {e}")))?;
            }
            "-gdb" => {
                let v = take(&mut i, opt)?;
                m.gdb = Some(crate::gdb::parse_dev(&v).map_err(CliError)?);
            }
            "-s" => m.gdb = Some("127.0.0.1:1234".to_string()),
            "-object" | "-drive" | "-netdev" | "-net" | "-hda" | "-cdrom" | "-bios" | "-boot"
            | "-numa" | "-global" | "-rtc" | "-snapshot" | "-vnc" | "-usb" | "-usbdevice"
            | "-audio" | "-trace" => {
                let v = take(&mut i, opt)?;
                return Err(CliError(format!(
                    "{opt} {v}: option not supported by powerlift yet"
                )));
            }
            "-daemonize" | "-enable-fips" => {
                return Err(CliError(format!(
                    "{opt}: option not supported by powerlift yet"
                )));
            }
            _ if opt.starts_with('-') => {
                return Err(CliError(format!("{raw}: invalid option")));
            }
            _ => {
                return Err(CliError(format!(
                    "{raw}: drive images are not supported (use -kernel/-initrd)"
                )))
            }
        }
        i += 1;
    }
    if !machine_seen {
        return Err(CliError(
            "no machine specified (use -M pseries)".to_string(),
        ));
    }
    // -nographic puts the console and monitor on stdio; without it QEMU
    // would open a window, which we do not have, so stdio is the default
    // either way.
    let _ = nographic;
    m.serial = serial.unwrap_or(SerialMode::MonStdio);
    if m.max_mem != 0 && m.max_mem < m.ram_size {
        return Err(CliError(format!(
            "-m: maxmem ({}) must not be smaller than the RAM size ({})",
            m.max_mem, m.ram_size
        )));
    }
    let (monitor, _unused_chardevs) = mon.finish(name.clone()).map_err(CliError)?;
    if monitor.uses_stdio() {
        if matches!(serial, Some(SerialMode::Stdio | SerialMode::MonStdio)) {
            return Err(CliError(
                "cannot use stdio by multiple character devices".into(),
            ));
        }
        // The monitor owns stdio; the console goes nowhere (QEMU would
        // open a window for it).
        m.serial = SerialMode::Null;
    }
    if m.kernel.is_none() && m.dumpdtb.is_none() {
        // QEMU would boot SLOF and find no disk; we have no SLOF, so the
        // vCPUs stay stopped and only the monitor works (scripted QMP tests
        // of the DRC machinery need nothing more).
        log::warn!("no -kernel given: the vCPUs stay stopped (no SLOF firmware to boot disks)");
    }
    Ok(SystemArgs {
        machine: m,
        log_items,
        log_file,
        name,
        monitor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn typical_command_line() {
        let a = parse(&args(
            "-M pseries,x-vof=on -m 1G -smp 2,maxcpus=4 -kernel vmlinux -initrd i.gz -append console=hvc0 -nographic -serial mon:stdio -d int,unimp -D log.txt",
        ))
        .unwrap();
        assert_eq!(a.machine.ram_size, 1 << 30);
        assert_eq!((a.machine.smp, a.machine.max_cpus), (2, 4));
        assert!(a.machine.vof);
        assert_eq!(a.machine.append, "console=hvc0");
        assert_eq!(a.log_items, vec!["int", "unimp"]);
        assert_eq!(a.log_file, Some(PathBuf::from("log.txt")));
        let b = parse(&args(
            "-M pseries,hotunplug=qemu-5.2 -m 1G,slots=4,maxmem=4G -kernel k -qmp unix:/tmp/q.sock,server=on,wait=off",
        ))
        .unwrap();
        assert_eq!(b.machine.hotunplug, "qemu-5.2");
        assert_eq!((b.machine.mem_slots, b.machine.max_mem), (4, 4 << 30));
        assert_eq!(b.monitor.monitors.len(), 1);
    }

    #[test]
    fn refusals_in_qemu_style() {
        let e = parse(&args("-M pseries -kernel k -device virtio-blk-pci")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "powerlift: -device virtio-blk-pci: 'virtio-blk-pci' is not a valid device model name"
        );
        assert!(parse(&args("-M q35 -kernel k")).is_err());
        assert!(parse(&args("-M pseries,bogus=1 -kernel k"))
            .unwrap_err()
            .0
            .contains("Property 'pseries-7.2-machine.bogus' not found"));
        assert!(parse(&args("-M pseries -kernel k -m 100M")).is_err());
        assert!(parse(&args("-M pseries,hotunplug=qemu-9 -kernel k")).is_err());
        assert!(parse(&args("-M pseries -kernel k -m 2G,maxmem=1G")).is_err());
        assert!(parse(&args("-M pseries -kernel k -smp 4,maxcpus=2")).is_err());
        assert!(parse(&args("-M pseries -kernel k -frobnicate")).is_err());
        assert!(parse(&args("-M pseries -kernel")).is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512M", true), Some(512 << 20));
        assert_eq!(parse_size("2G", true), Some(2 << 30));
        assert_eq!(parse_size("1024", true), Some(1 << 30));
        assert_eq!(parse_size("1.5G", true), Some(3 << 29));
        assert_eq!(parse_size("x", true), None);
    }
}
