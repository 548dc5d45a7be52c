//! The human monitor (HMP): QEMU 7.2's command lines and output text for
//! the commands a hotplug user types (`info status|cpus|hotpluggable-cpus|
//! memory-devices|drc|name|version`, `device_add`, `device_del`,
//! `object_add`, `object_del`, `system_powerdown`, `system_reset`, `stop`,
//! `cont`, `quit`, `cpu`, `help`). It runs on top of the typed commands:
//! [`HmpSession::execute`] takes a line and a function that executes a
//! [`Command`] (the machine itself on the console, a request channel on a
//! monitor thread) and returns the text, with `\r\n` line ends as QEMU
//! sends them. Errors print as `Error: <desc>`; QMP's
//! `human-monitor-command` returns that text as a successful string.
//! [`LineEditor`] is the echoing line input for a raw-mode console.

use super::commands::{device_add_str, object_add};
use super::props::split_opts;
use super::types::{self, CpuInfoFast, DrcInfo, HotpluggableCpu, MemoryDeviceInfo, StatusInfo};
use super::{Command, QmpError, PACKAGE, QEMU_VERSION};
use serde_json::{Map, Value};
use std::fmt::Write;

/// The monitor prompt.
pub const PROMPT: &str = "(qemu) ";

/// Text produced by one command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HmpReply {
    /// Output with `\r\n` line ends; empty for silent success.
    pub output: String,
    /// The line was `quit`/`q` and the machine accepted it.
    pub quit: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cont,
    Cpu,
    DeviceAdd,
    DeviceDel,
    Help,
    Info,
    ObjectAdd,
    ObjectDel,
    Quit,
    Stop,
    SystemPowerdown,
    SystemReset,
}

struct Entry {
    names: &'static str,
    params: &'static str,
    help: &'static str,
    kind: Kind,
}

/// Sorted by name as QEMU sorts its table.
const COMMANDS: &[Entry] = &[
    Entry {
        names: "c|cont",
        params: "",
        help: "resume emulation",
        kind: Kind::Cont,
    },
    Entry {
        names: "cpu",
        params: "index",
        help: "set the default CPU",
        kind: Kind::Cpu,
    },
    Entry {
        names: "device_add",
        params: "driver[,prop=value][,...]",
        help: "add device, like -device on the command line",
        kind: Kind::DeviceAdd,
    },
    Entry {
        names: "device_del",
        params: "device",
        help: "remove device",
        kind: Kind::DeviceDel,
    },
    Entry {
        names: "help|?",
        params: "[cmd]",
        help: "show the help",
        kind: Kind::Help,
    },
    Entry {
        names: "info",
        params: "[subcommand]",
        help: "show various information about the system state",
        kind: Kind::Info,
    },
    Entry {
        names: "object_add",
        params: "[qom-type=]type,id=str[,prop=value][,...]",
        help: "create QOM object",
        kind: Kind::ObjectAdd,
    },
    Entry {
        names: "object_del",
        params: "id",
        help: "destroy QOM object",
        kind: Kind::ObjectDel,
    },
    Entry {
        names: "q|quit",
        params: "",
        help: "quit the emulator",
        kind: Kind::Quit,
    },
    Entry {
        names: "stop",
        params: "",
        help: "stop emulation",
        kind: Kind::Stop,
    },
    Entry {
        names: "system_powerdown",
        params: "",
        help: "send system power down event",
        kind: Kind::SystemPowerdown,
    },
    Entry {
        names: "system_reset",
        params: "",
        help: "reset the system",
        kind: Kind::SystemReset,
    },
];

/// `info` subcommands (name, help), sorted.
const INFO: &[(&str, &str)] = &[
    ("cpus", "show infos for each CPU"),
    (
        "drc",
        "show the dynamic reconfiguration connectors (powerlift)",
    ),
    (
        "hotpluggable-cpus",
        "Show information about hotpluggable CPUs",
    ),
    ("memory-devices", "show memory devices"),
    ("name", "show the current VM name"),
    ("status", "show the current VM status (running|paused)"),
    ("version", "show the version of QEMU"),
];

fn lookup(word: &str) -> Option<&'static Entry> {
    COMMANDS
        .iter()
        .find(|e| e.names.split('|').any(|n| n == word))
}

/// Executes typed commands for HMP.
pub type Exec<'a> = dyn FnMut(Command) -> Result<Value, QmpError> + 'a;

/// One HMP user: remembers the current CPU (`cpu N`) between lines.
#[derive(Clone, Debug, Default)]
pub struct HmpSession {
    vm_name: Option<String>,
    cpu: Option<i64>,
}

/// Cut the next argument as QEMU's get_str does: a bare word, or a
/// double-quoted string with \n \r \\ \' \" escapes.
fn get_str(p: &mut &str) -> Result<Option<String>, String> {
    let s = p.trim_start();
    if s.is_empty() {
        *p = s;
        return Ok(None);
    }
    if let Some(rest) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    *p = &rest[i + 1..];
                    return Ok(Some(out));
                }
                '\\' => match chars.next().map(|(_, e)| e) {
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some(e @ ('\\' | '\'' | '"')) => out.push(e),
                    Some(e) => return Err(format!("unsupported escape code: '\\{e}'")),
                    None => break,
                },
                c => out.push(c),
            }
        }
        return Err("unterminated string".into());
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    *p = &s[end..];
    Ok(Some(s[..end].to_string()))
}

impl HmpSession {
    pub fn new(vm_name: Option<String>) -> HmpSession {
        HmpSession { vm_name, cpu: None }
    }

    /// The greeting printed when a monitor opens, before the prompt.
    pub fn banner() -> String {
        let (a, b, c) = QEMU_VERSION;
        format!("QEMU {a}.{b}.{c} monitor ({PACKAGE}) - type 'help' for more information\r\n")
    }

    /// `human-monitor-command`'s `cpu-index`: select a CPU for one line.
    /// QEMU: "Parameter 'cpu-index' expects a CPU number" if it is absent.
    pub fn select_cpu(&mut self, index: i64, exec: &mut Exec) -> Result<(), QmpError> {
        let cpus: Vec<CpuInfoFast> = types::parse(exec(Command::QueryCpusFast)?)?;
        if !cpus.iter().any(|c| c.cpu_index == index) {
            return Err(QmpError::bad_value("cpu-index", "a CPU number"));
        }
        self.cpu = Some(index);
        Ok(())
    }

    /// Run one command line.
    pub fn execute(&mut self, line: &str, exec: &mut Exec) -> HmpReply {
        let mut out = String::new();
        let quit = self.run(line, exec, &mut out);
        HmpReply {
            output: out.replace('\n', "\r\n"),
            quit,
        }
    }

    fn run(&mut self, line: &str, exec: &mut Exec, out: &mut String) -> bool {
        let mut p = line.trim_start();
        let end = p.find(char::is_whitespace).unwrap_or(p.len());
        let word = &p[..end];
        if word.is_empty() {
            return false;
        }
        let Some(entry) = lookup(word) else {
            let _ = writeln!(out, "unknown command: '{word}'");
            return false;
        };
        p = &p[end..];
        let name = word;
        // Argument errors, then QEMU's hint line.
        let usage = |out: &mut String, msg: &str| {
            let _ = writeln!(out, "{msg}");
            let _ = writeln!(out, "Try \"help {name}\" for more information");
        };
        let report = |r: Result<Value, QmpError>, out: &mut String| match r {
            Ok(_) => true,
            Err(e) => {
                let _ = writeln!(out, "Error: {}", e.desc);
                false
            }
        };
        let no_args = |p: &str, out: &mut String| {
            if p.trim().is_empty() {
                true
            } else {
                usage(
                    out,
                    &format!("{name}: extraneous characters at the end of line"),
                );
                false
            }
        };
        let one_str = |p: &mut &str, out: &mut String| -> Option<String> {
            match get_str(p) {
                Ok(Some(s)) if p.trim().is_empty() => Some(s),
                Ok(Some(_)) => {
                    usage(
                        out,
                        &format!("{name}: extraneous characters at the end of line"),
                    );
                    None
                }
                Ok(None) => {
                    usage(out, &format!("{name}: string expected"));
                    None
                }
                Err(e) => {
                    let _ = writeln!(out, "{e}");
                    usage(out, &format!("{name}: string expected"));
                    None
                }
            }
        };
        let simple = match entry.kind {
            Kind::Cont => Some(Command::Cont),
            Kind::Stop => Some(Command::Stop),
            Kind::Quit => Some(Command::Quit),
            Kind::SystemPowerdown => Some(Command::SystemPowerdown),
            Kind::SystemReset => Some(Command::SystemReset),
            _ => None,
        };
        if let Some(cmd) = simple {
            if !no_args(p, out) {
                return false;
            }
            let quit = cmd == Command::Quit;
            return report(exec(cmd), out) && quit;
        }
        match entry.kind {
            Kind::Help => {
                let rest: Vec<&str> = p.split_whitespace().collect();
                help(&rest, out);
            }
            Kind::Info => {
                let sub = p.trim();
                if sub.is_empty() {
                    help(&["info"], out);
                } else {
                    self.info(sub, exec, out);
                }
            }
            Kind::DeviceAdd => {
                let r = match get_str(&mut p) {
                    Err(e) => {
                        let _ = writeln!(out, "{e}");
                        return false;
                    }
                    Ok(arg) => device_add_str(arg.as_deref().unwrap_or(""))
                        .and_then(|d| exec(Command::DeviceAdd(d))),
                };
                report(r, out);
            }
            Kind::DeviceDel => {
                if let Some(id) = one_str(&mut p, out) {
                    report(exec(Command::DeviceDel { id }), out);
                }
            }
            Kind::ObjectDel => {
                if let Some(id) = one_str(&mut p, out) {
                    report(exec(Command::ObjectDel { id }), out);
                }
            }
            Kind::ObjectAdd => {
                let arg = p.trim();
                if arg.is_empty() {
                    usage(out, &format!("{name}: string expected"));
                    return false;
                }
                let map: Map<String, Value> = split_opts(arg, "qom-type")
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
                report(
                    object_add(map, true).and_then(|o| exec(Command::ObjectAdd(o))),
                    out,
                );
            }
            Kind::Cpu => {
                let idx = get_str(&mut p)
                    .ok()
                    .flatten()
                    .and_then(|s| super::props::parse_int(&s));
                match idx {
                    Some(i) if p.trim().is_empty() => {
                        if self.select_cpu(i, exec).is_err() {
                            let _ = writeln!(out, "invalid CPU index");
                        }
                    }
                    _ => usage(out, &format!("{name}: integer expected")),
                }
            }
            _ => {}
        }
        false
    }

    fn info(&mut self, sub: &str, exec: &mut Exec, out: &mut String) {
        let mut p = sub;
        let word = get_str(&mut p).ok().flatten().unwrap_or_default();
        if !INFO.iter().any(|(n, _)| *n == word) {
            let _ = writeln!(out, "unknown command: 'info {word}'");
            return;
        }
        if !p.trim().is_empty() {
            let _ = writeln!(out, "info: extraneous characters at the end of line");
            let _ = writeln!(out, "Try \"help info {word}\" for more information");
            return;
        }
        if let Err(e) = self.info_text(&word, exec, out) {
            let _ = writeln!(out, "Error: {}", e.desc);
        }
    }

    fn info_text(&mut self, word: &str, exec: &mut Exec, out: &mut String) -> Result<(), QmpError> {
        match word {
            "status" => {
                let s: StatusInfo = types::parse(exec(Command::QueryStatus)?)?;
                let _ = write!(
                    out,
                    "VM status: {}{}",
                    if s.running { "running" } else { "paused" },
                    if s.singlestep {
                        " (single step mode)"
                    } else {
                        ""
                    }
                );
                if !s.running && s.status != types::RunState::Paused {
                    let _ = write!(out, " ({})", s.status.as_str());
                }
                out.push('\n');
            }
            "cpus" => {
                let cpus: Vec<CpuInfoFast> = types::parse(exec(Command::QueryCpusFast)?)?;
                let current = self
                    .cpu
                    .filter(|c| cpus.iter().any(|x| x.cpu_index == *c))
                    .or_else(|| cpus.iter().map(|c| c.cpu_index).min());
                for c in &cpus {
                    let mark = if Some(c.cpu_index) == current {
                        '*'
                    } else {
                        ' '
                    };
                    let _ = writeln!(
                        out,
                        "{mark} CPU #{}: thread_id={}",
                        c.cpu_index, c.thread_id
                    );
                }
            }
            "hotpluggable-cpus" => {
                let list: Vec<HotpluggableCpu> =
                    types::parse(exec(Command::QueryHotpluggableCpus)?)?;
                out.push_str("Hotpluggable CPUs:\n");
                for h in &list {
                    let _ = writeln!(out, "  type: \"{}\"", h.type_);
                    let _ = writeln!(out, "  vcpus_count: \"{}\"", h.vcpus_count);
                    if let Some(q) = &h.qom_path {
                        let _ = writeln!(out, "  qom_path: \"{q}\"");
                    }
                    out.push_str("  CPUInstance Properties:\n");
                    let p = &h.props;
                    for (n, v) in [
                        ("node-id", p.node_id),
                        ("socket-id", p.socket_id),
                        ("die-id", p.die_id),
                        ("cluster-id", p.cluster_id),
                        ("core-id", p.core_id),
                        ("thread-id", p.thread_id),
                    ] {
                        if let Some(v) = v {
                            let _ = writeln!(out, "    {n}: \"{v}\"");
                        }
                    }
                }
            }
            "memory-devices" => {
                let list: Vec<MemoryDeviceInfo> = types::parse(exec(Command::QueryMemoryDevices)?)?;
                for m in &list {
                    let (kind, d) = match m {
                        MemoryDeviceInfo::Dimm(d) => ("dimm", d),
                        MemoryDeviceInfo::Nvdimm(d) => ("nvdimm", d),
                    };
                    let _ = writeln!(
                        out,
                        "Memory device [{kind}]: \"{}\"",
                        d.id.as_deref().unwrap_or("")
                    );
                    let _ = writeln!(out, "  addr: 0x{:x}", d.addr);
                    let _ = writeln!(out, "  slot: {}", d.slot);
                    let _ = writeln!(out, "  node: {}", d.node);
                    let _ = writeln!(out, "  size: {}", d.size);
                    let _ = writeln!(out, "  memdev: {}", d.memdev);
                    let _ = writeln!(out, "  hotplugged: {}", d.hotplugged);
                    let _ = writeln!(out, "  hotpluggable: {}", d.hotpluggable);
                }
            }
            "drc" => {
                let list: Vec<DrcInfo> = types::parse(exec(Command::QueryDrc)?)?;
                drc_table(&list, out);
            }
            "name" => {
                if let Some(n) = &self.vm_name {
                    let _ = writeln!(out, "{n}");
                }
            }
            "version" => {
                let (a, b, c) = QEMU_VERSION;
                let _ = writeln!(out, "{a}.{b}.{c} ({PACKAGE})");
            }
            _ => {}
        }
        Ok(())
    }
}

/// Virtual nanoseconds as seconds with millisecond precision.
fn secs(ns: u64) -> String {
    format!("{}.{:03} s", ns / 1_000_000_000, ns / 1_000_000 % 1000)
}

/// `info drc`: one aligned row per connector, with how long a pending
/// unplug has waited for the guest (virtual time).
fn drc_table(list: &[DrcInfo], out: &mut String) {
    let rows: Vec<[String; 6]> = list
        .iter()
        .map(|d| {
            [
                format!("0x{:08x}", d.index),
                d.type_.clone(),
                d.name.clone(),
                d.state.clone(),
                match (d.unplug_requested, d.pending_ns, d.timeout_ns) {
                    (false, ..) => "-".to_string(),
                    (true, None, _) => "pending".to_string(),
                    (true, Some(p), None) => format!("pending {}", secs(p)),
                    (true, Some(p), Some(t)) => {
                        format!("pending {}, timeout in {}", secs(p), secs(t))
                    }
                },
                d.device.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let head = ["index", "type", "name", "state", "unplug", "device"].map(String::from);
    let mut width = head.clone().map(|h| h.len());
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.len());
        }
    }
    for r in std::iter::once(&head).chain(&rows) {
        let mut line = String::new();
        for (i, (c, w)) in r.iter().zip(width).enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                let _ = write!(line, "{c:<w$}  ");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// `help [cmd [sub]]` as QEMU prints it: "name params -- text".
fn help(args: &[&str], out: &mut String) {
    let one = |out: &mut String, prefix: &str, names: &str, params: &str, text: &str| {
        let _ = writeln!(out, "{prefix}{names} {params} -- {text}");
    };
    match args {
        [] => {
            for e in COMMANDS {
                one(out, "", e.names, e.params, e.help);
            }
        }
        [cmd, rest @ ..] => match lookup(cmd) {
            Some(e) if e.kind == Kind::Info && !rest.is_empty() => {
                match INFO.iter().find(|(n, _)| *n == rest[0]) {
                    Some((n, h)) => one(out, "info ", n, "", h),
                    None => {
                        let _ = writeln!(out, "unknown command: '{cmd} {}'", rest[0]);
                    }
                }
            }
            Some(e) if e.kind == Kind::Info => {
                for (n, h) in INFO {
                    one(out, "info ", n, "", h);
                }
            }
            Some(e) => one(out, "", e.names, e.params, e.help),
            None => {
                let _ = writeln!(out, "unknown command: '{cmd}'");
            }
        },
    }
}

/// Line input with echo for a raw-mode terminal (the console's monitor
/// mode): printable bytes are echoed, backspace/DEL erase, Ctrl-U kills
/// the line, CR or LF ends it; escape sequences (arrow keys) are ignored.
#[derive(Debug, Default)]
pub struct LineEditor {
    buf: Vec<u8>,
    esc: u8,
}

impl LineEditor {
    pub fn new() -> LineEditor {
        LineEditor::default()
    }

    /// Feed one input byte; returns the bytes to echo and, at the end of a
    /// line, the line.
    pub fn feed(&mut self, b: u8) -> (Vec<u8>, Option<String>) {
        // ESC [ params final, or ESC O final: swallowed whole.
        match self.esc {
            1 => {
                self.esc = if b == b'[' || b == b'O' { 2 } else { 0 };
                return (Vec::new(), None);
            }
            2 => {
                if (0x40..=0x7e).contains(&b) {
                    self.esc = 0;
                }
                return (Vec::new(), None);
            }
            _ => {}
        }
        match b {
            b'\r' | b'\n' => {
                let line = String::from_utf8_lossy(&std::mem::take(&mut self.buf)).into_owned();
                (b"\r\n".to_vec(), Some(line))
            }
            0x7f | 0x08 => {
                // Drop a whole UTF-8 character.
                let mut erased = false;
                while let Some(c) = self.buf.pop() {
                    erased = true;
                    if c & 0xc0 != 0x80 {
                        break;
                    }
                }
                (
                    if erased {
                        b"\x08 \x08".to_vec()
                    } else {
                        Vec::new()
                    },
                    None,
                )
            }
            0x15 => {
                let n = String::from_utf8_lossy(&self.buf).chars().count();
                self.buf.clear();
                (b"\x08 \x08".repeat(n), None)
            }
            0x1b => {
                self.esc = 1;
                (Vec::new(), None)
            }
            b if b < 0x20 => (Vec::new(), None),
            b => {
                self.buf.push(b);
                (vec![b], None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::types::*;
    use serde_json::json;

    fn fake(cmd: Command) -> Result<Value, QmpError> {
        match cmd {
            Command::QueryStatus => ret(&StatusInfo::new(RunState::Prelaunch)),
            Command::QueryCpusFast => ret(&vec![
                CpuInfoFast {
                    cpu_index: 0,
                    qom_path: "/machine/unattached/device[1]/thread[0]".into(),
                    thread_id: 15507,
                    props: Some(CpuInstanceProperties::core(0, 0)),
                    target: "ppc64".into(),
                },
                CpuInfoFast {
                    cpu_index: 1,
                    qom_path: "/machine/peripheral/core1/thread[0]".into(),
                    thread_id: 15508,
                    props: Some(CpuInstanceProperties::core(1, 0)),
                    target: "ppc64".into(),
                },
            ]),
            Command::QueryHotpluggableCpus => ret(&vec![HotpluggableCpu {
                type_: "power9_v2.0-spapr-cpu-core".into(),
                vcpus_count: 1,
                props: CpuInstanceProperties::core(0, 0),
                qom_path: Some("/machine/unattached/device[1]".into()),
            }]),
            Command::DeviceDel { id } if id == "nosuch" => Err(QmpError::device_not_found(&id)),
            _ => Ok(json!({})),
        }
    }

    fn run(s: &mut HmpSession, line: &str) -> String {
        s.execute(line, &mut fake).output
    }

    #[test]
    fn qemu_output_formats() {
        let mut s = HmpSession::new(Some("vm1".into()));
        assert_eq!(
            run(&mut s, "info status"),
            "VM status: paused (prelaunch)\r\n"
        );
        assert_eq!(
            run(&mut s, "info cpus"),
            "* CPU #0: thread_id=15507\r\n  CPU #1: thread_id=15508\r\n"
        );
        assert_eq!(run(&mut s, "cpu 1"), "");
        assert!(run(&mut s, "info cpus").starts_with("  CPU #0"));
        assert_eq!(run(&mut s, "cpu 7"), "invalid CPU index\r\n");
        assert_eq!(
            run(&mut s, "info hotpluggable-cpus"),
            "Hotpluggable CPUs:\r\n  type: \"power9_v2.0-spapr-cpu-core\"\r\n  vcpus_count: \"1\"\r\n  \
             qom_path: \"/machine/unattached/device[1]\"\r\n  CPUInstance Properties:\r\n    \
             node-id: \"0\"\r\n    core-id: \"0\"\r\n"
        );
        assert_eq!(
            run(&mut s, "device_del nosuch"),
            "Error: Device 'nosuch' not found\r\n"
        );
        assert_eq!(
            run(
                &mut s,
                "device_add power9_v2.0-spapr-cpu-core,core-id=1,id=core1"
            ),
            ""
        );
        assert_eq!(
            run(&mut s, "device_add"),
            "Error: Parameter 'driver' is missing\r\n"
        );
        assert_eq!(
            run(&mut s, "device_del"),
            "device_del: string expected\r\nTry \"help device_del\" for more information\r\n"
        );
        assert_eq!(
            run(&mut s, "object_add memory-backend-ram,id=mem1,size=1G"),
            ""
        );
        assert_eq!(
            run(&mut s, "object_add memory-backend-ram,id=mem1"),
            "Error: Parameter 'size' is missing\r\n"
        );
        assert_eq!(run(&mut s, "frob"), "unknown command: 'frob'\r\n");
        assert_eq!(run(&mut s, "info frob"), "unknown command: 'info frob'\r\n");
        assert_eq!(run(&mut s, "info name"), "vm1\r\n");
        assert_eq!(run(&mut s, "stop now"), "stop: extraneous characters at the end of line\r\nTry \"help stop\" for more information\r\n");
        assert!(s.execute("q", &mut fake).quit);
        assert_eq!(
            run(&mut s, "help device_add"),
            "device_add driver[,prop=value][,...] -- add device, like -device on the command line\r\n"
        );
        assert!(run(&mut s, "info")
            .contains("info status  -- show the current VM status (running|paused)\r\n"));
        assert!(run(&mut s, "help").starts_with("c|cont  -- resume emulation\r\n"));
    }

    #[test]
    fn drc_rows_align() {
        let mut out = String::new();
        let row = |id: u32, unplug, pending_ns, timeout_ns| DrcInfo {
            index: 0x1000_0000 + id,
            type_: "CPU".into(),
            name: format!("CPU {id}"),
            state: "configured".into(),
            device: Some(format!("core{id}")),
            unplug_requested: unplug,
            pending_ns,
            timeout_ns,
        };
        drc_table(
            &[
                row(1, false, None, None),
                row(2, true, Some(2_500_000_000), None),
                row(3, true, Some(1_000_000), Some(14_999_000_000)),
            ],
            &mut out,
        );
        assert_eq!(
            out,
            "index       type  name   state       unplug                                device\n\
             0x10000001  CPU   CPU 1  configured  -                                     core1\n\
             0x10000002  CPU   CPU 2  configured  pending 2.500 s                       core2\n\
             0x10000003  CPU   CPU 3  configured  pending 0.001 s, timeout in 14.999 s  core3\n"
        );
    }

    #[test]
    fn line_editor() {
        let mut e = LineEditor::new();
        let mut echo = Vec::new();
        let mut line = None;
        for &b in b"infx\x7fo\x1b[A status\r" {
            let (o, l) = e.feed(b);
            echo.extend(o);
            line = line.or(l);
        }
        assert_eq!(line.as_deref(), Some("info status"));
        assert_eq!(echo, b"infx\x08 \x08o status\r\n");
    }
}
