//! The monitor against real clients: QEMU's Python library `qemu.qmp`
//! (tests/qmp/driver.py, run from work/venv) and raw sockets for byte-exact
//! framing. The monitor runs in-process; a fake machine thread answers its
//! typed requests the way the pseries machine will (cores, DIMMs, run
//! state, events), so these tests need no guest.

mod common;

use powerlift::monitor::types::*;
use powerlift::monitor::{
    Command, Endpoint, Event, Monitor, MonitorConfig, MonitorMode, MonitorSpec, QmpError,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const CORE: &str = "power9_v2.0-spapr-cpu-core";

/// Just enough pseries behaviour to answer every command.
struct Fake {
    status: RunState,
    cores: BTreeMap<i64, Option<String>>,
    objects: BTreeMap<String, u64>,
    dimms: Vec<(String, String, u64, u64)>,
    slow_done: Arc<AtomicUsize>,
    quit: bool,
}

impl Fake {
    fn core_path(&self, core: i64) -> String {
        match &self.cores[&core] {
            None => "/machine/unattached/device[1]".into(),
            Some(id) => format!("/machine/peripheral/{id}"),
        }
    }

    fn handle(&mut self, cmd: Command, mon: &Monitor) -> Result<Value, QmpError> {
        match cmd {
            Command::QueryStatus => ret(&StatusInfo::new(self.status)),
            Command::Stop => {
                if self.status == RunState::Running {
                    self.status = RunState::Paused;
                    mon.emit(&Event::Stop);
                }
                Ok(json!({}))
            }
            Command::Cont => {
                self.status = RunState::Running;
                mon.emit(&Event::Resume);
                Ok(json!({}))
            }
            Command::SystemReset => {
                mon.emit(&Event::Reset {
                    guest: false,
                    reason: "host-qmp-system-reset".into(),
                });
                Ok(json!({}))
            }
            Command::SystemPowerdown => {
                mon.emit(&Event::Powerdown);
                Ok(json!({}))
            }
            Command::Quit => {
                mon.emit(&Event::Shutdown {
                    guest: false,
                    reason: "host-qmp-quit".into(),
                });
                self.quit = true;
                Ok(json!({}))
            }
            Command::QueryCpusFast => ret(&self
                .cores
                .keys()
                .map(|&c| CpuInfoFast {
                    cpu_index: c,
                    qom_path: format!("{}/thread[0]", self.core_path(c)),
                    thread_id: 4242,
                    props: Some(CpuInstanceProperties::core(c, 0)),
                    target: "ppc64".into(),
                })
                .collect::<Vec<_>>()),
            Command::QueryHotpluggableCpus => ret(&(0..4)
                .rev()
                .map(|c| HotpluggableCpu {
                    type_: CORE.into(),
                    vcpus_count: 1,
                    props: CpuInstanceProperties::core(c, 0),
                    qom_path: self.cores.contains_key(&c).then(|| self.core_path(c)),
                })
                .collect::<Vec<_>>()),
            Command::QueryDrc => ret(&(0..4)
                .map(|c| DrcInfo {
                    index: 0x1000_0000 + c as u32,
                    type_: "CPU".into(),
                    name: format!("CPU {c}"),
                    state: if self.cores.contains_key(&c) {
                        "configured"
                    } else {
                        "unusable"
                    }
                    .into(),
                    device: self.cores.get(&c).map(|_| self.core_path(c)),
                    unplug_requested: false,
                    pending_ns: None,
                    timeout_ns: None,
                })
                .collect::<Vec<_>>()),
            Command::QueryMemorySizeSummary => ret(&MemorySizeSummary {
                base_memory: 1 << 30,
                plugged_memory: None,
            }),
            Command::QueryMemoryDevices => ret(&self
                .dimms
                .iter()
                .enumerate()
                .map(|(slot, (id, mem, addr, size))| {
                    MemoryDeviceInfo::Dimm(PcDimmDeviceInfo {
                        id: Some(id.clone()),
                        addr: *addr,
                        size: *size,
                        slot: slot as i64,
                        node: 0,
                        memdev: format!("/objects/{mem}"),
                        hotplugged: true,
                        hotpluggable: true,
                    })
                })
                .collect::<Vec<_>>()),
            Command::ObjectAdd(o) => {
                self.objects.insert(o.id, o.size);
                Ok(json!({}))
            }
            Command::ObjectDel { id } => match self.objects.remove(&id) {
                Some(_) => Ok(json!({})),
                None => Err(QmpError::generic(format!("object '{id}' not found"))),
            },
            Command::DeviceAdd(mut d) => match d.driver.as_str() {
                CORE => {
                    let core = d.props.take_uint("core-id")?.unwrap_or(0) as i64;
                    d.props.finish(CORE)?;
                    if core >= 4 {
                        return Err(QmpError::generic(format!("core id {core} out of range")));
                    }
                    if self.cores.contains_key(&core) {
                        return Err(QmpError::generic(format!("core {core} already populated")));
                    }
                    self.cores.insert(core, d.id);
                    Ok(json!({}))
                }
                "pc-dimm" => {
                    let mem = d
                        .props
                        .take_str("memdev")?
                        .ok_or_else(|| QmpError::generic("'memdev' property must be set"))?;
                    d.props.finish("pc-dimm")?;
                    let size = *self
                        .objects
                        .get(&mem)
                        .ok_or_else(|| QmpError::device_not_found(&mem))?;
                    let addr = (1u64 << 30) + self.dimms.iter().map(|x| x.3).sum::<u64>();
                    self.dimms.push((d.id.unwrap_or_default(), mem, addr, size));
                    Ok(json!({}))
                }
                "x-slow" => {
                    std::thread::sleep(Duration::from_secs(1));
                    self.slow_done.fetch_add(1, Ordering::SeqCst);
                    Ok(json!({}))
                }
                other => Err(QmpError::generic(format!(
                    "'{other}' is not a valid device model name"
                ))),
            },
            Command::DeviceDel { id } => {
                let path = id
                    .strip_prefix("/machine/peripheral/")
                    .unwrap_or(&id)
                    .to_string();
                if id == "/machine/unattached/device[1]" {
                    return Err(QmpError::generic("Boot CPU core may not be unplugged"));
                }
                if let Some(&core) = self
                    .cores
                    .iter()
                    .find(|(_, v)| v.as_deref() == Some(&path))
                    .map(|(k, _)| k)
                {
                    let p = self.core_path(core);
                    for child in ["/thread[0]/icp", "/thread[0]/xive-tctx", "/thread[0]"] {
                        mon.emit(&Event::DeviceDeleted {
                            device: None,
                            path: format!("{p}{child}"),
                        });
                    }
                    mon.emit(&Event::DeviceDeleted {
                        device: Some(path),
                        path: p,
                    });
                    self.cores.remove(&core);
                    return Ok(json!({}));
                }
                if let Some(i) = self.dimms.iter().position(|x| x.0 == path) {
                    self.dimms.remove(i);
                    mon.emit(&Event::DeviceDeleted {
                        device: Some(path.clone()),
                        path: format!("/machine/peripheral/{path}"),
                    });
                    return Ok(json!({}));
                }
                Err(QmpError::device_not_found(&id))
            }
        }
    }
}

struct Vm {
    thread: Option<JoinHandle<()>>,
    slow_done: Arc<AtomicUsize>,
    stop: Arc<AtomicUsize>,
}

impl Vm {
    /// Start a monitor with `cfg` on a fake machine thread.
    fn start(cfg: MonitorConfig) -> (Vm, Vec<std::net::SocketAddr>) {
        let slow_done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicUsize::new(0));
        let (s2, st2) = (slow_done.clone(), stop.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mon = Monitor::start(cfg).expect("monitor starts");
            tx.send(mon.tcp_addrs().to_vec()).unwrap();
            let mut m = Fake {
                status: RunState::Prelaunch,
                cores: BTreeMap::from([(0, None)]),
                objects: BTreeMap::new(),
                dimms: Vec::new(),
                slow_done: s2,
                quit: false,
            };
            while !m.quit && st2.load(Ordering::SeqCst) == 0 {
                if let Some(req) = mon.wait(Duration::from_millis(20)) {
                    let (cmd, responder) = req.into_parts();
                    responder.reply(m.handle(cmd, &mon));
                }
            }
            mon.shutdown();
        });
        let addrs = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("monitor started");
        (
            Vm {
                thread: Some(thread),
                slow_done,
                stop,
            },
            addrs,
        )
    }

    fn finish(mut self) {
        self.stop.store(1, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
    }
}

fn qmp_server(path: &Path) -> MonitorSpec {
    MonitorSpec {
        mode: MonitorMode::Control,
        endpoint: Endpoint::Unix {
            path: path.into(),
            server: true,
            wait: false,
        },
        pretty: false,
    }
}

fn config(specs: Vec<MonitorSpec>) -> MonitorConfig {
    MonitorConfig {
        monitors: specs,
        name: Some("fake".into()),
        ..MonitorConfig::default()
    }
}

/// The venv's python with qemu.qmp; None (skip) outside CI when missing.
fn python() -> Option<PathBuf> {
    let py = common::root().join("work/venv/bin/python");
    let ok = py.is_file()
        && Process::new(&py)
            .args(["-c", "import qemu.qmp"])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        let what = format!(
            "{} with qemu.qmp is missing (run scripts/setup.sh)",
            py.display()
        );
        assert!(
            !common::in_ci(),
            "{what}; in CI a missing oracle is a failure"
        );
        eprintln!("SKIP: {what}");
        return None;
    }
    Some(py)
}

fn driver(py: &Path, scenario: &str, sock: &Path) -> Process {
    let mut p = Process::new(py);
    p.arg(common::root().join("tests/qmp/driver.py"))
        .arg(scenario)
        .arg(sock);
    p
}

fn run_driver(scenario: &str) {
    let Some(py) = python() else { return };
    let dir = common::scratch(&format!("qmp-{scenario}"));
    let sock = dir.join("q.sock");
    let (vm, _) = Vm::start(config(vec![qmp_server(&sock)]));
    let out = driver(&py, scenario, &sock).output().expect("run python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "driver {scenario} failed:\n{text}");
    assert!(text.contains(&format!("PASS {scenario}")), "{text}");
    if scenario == "disconnect" {
        assert_eq!(
            vm.slow_done.load(Ordering::SeqCst),
            1,
            "the slow command still ran"
        );
    }
    vm.finish();
    assert!(!sock.exists(), "socket removed at shutdown");
}

#[test]
fn qemu_qmp_client_basic() {
    run_driver("basic");
}

#[test]
fn qemu_qmp_legacy_client() {
    run_driver("legacy");
}

#[test]
fn qemu_qmp_two_clients_at_once() {
    run_driver("two");
}

#[test]
fn qemu_qmp_disconnect_mid_command() {
    run_driver("disconnect");
}

#[test]
fn qemu_qmp_quit_delivers_reply_and_event() {
    run_driver("quit");
}

/// `-chardev socket,id=mon,path=P -mon chardev=mon,mode=control`: the
/// client listens (QEMUMachine does this) and the monitor connects.
#[test]
fn qemu_qmp_client_mode_chardev() {
    let Some(py) = python() else { return };
    let dir = common::scratch("qmp-accept");
    let sock = dir.join("listen.sock");
    let mut child = driver(&py, "accept", &sock)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "LISTENING");
    let mut args = powerlift::monitor::MonitorArgs::default();
    args.chardev(&format!("socket,id=mon,path={}", sock.display()))
        .unwrap();
    args.mon("chardev=mon,mode=control").unwrap();
    let (mut cfg, unused) = args.finish(Some("fake".into())).unwrap();
    assert!(unused.is_empty());
    cfg.oob = true;
    let (vm, _) = Vm::start(cfg);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let st = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(st.success(), "{rest}{err}");
    assert!(rest.contains("PASS accept"), "{rest}");
    vm.finish();
}

/// A raw socket client reading CRLF-framed lines.
struct Raw {
    w: UnixStream,
    r: BufReader<UnixStream>,
}

impl Raw {
    fn connect(path: &Path) -> Raw {
        let w = UnixStream::connect(path).unwrap();
        w.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        Raw {
            r: BufReader::new(w.try_clone().unwrap()),
            w,
        }
    }

    fn line(&mut self) -> String {
        let mut l = String::new();
        self.r.read_line(&mut l).unwrap();
        assert!(l.ends_with("\r\n"), "CRLF framing: {l:?}");
        l.trim_end().to_string()
    }

    fn send(&mut self, b: &[u8]) {
        self.w.write_all(b).unwrap();
    }
}

#[test]
fn raw_framing_is_byte_exact() {
    let dir = common::scratch("qmp-raw");
    let sock = dir.join("q.sock");
    let mut cfg = config(vec![qmp_server(&sock)]);
    cfg.max_message = 4096;
    let (vm, _) = Vm::start(cfg);
    let mut c = Raw::connect(&sock);
    assert_eq!(
        c.line(),
        format!(
            "{{\"QMP\": {{\"version\": {{\"qemu\": {{\"micro\": 22, \"minor\": 2, \"major\": 7}}, \"package\": \"{}\"}}, \"capabilities\": [\"oob\"]}}}}",
            powerlift::monitor::PACKAGE
        )
    );
    c.send(b"{\"execute\": \"query-status\", \"id\": 1}");
    assert_eq!(
        c.line(),
        "{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}"
    );
    // One message across several writes, with pauses.
    for part in [
        &b"{\"execute\": \"qmp_"[..],
        b"capabilities\", ",
        b"\"id\": \"x\"}",
    ] {
        c.send(part);
        std::thread::sleep(Duration::from_millis(30));
    }
    assert_eq!(c.line(), "{\"return\": {}, \"id\": \"x\"}");
    // Several messages in one write, no separators.
    c.send(b"{\"execute\":\"query-status\",\"id\":2}{\"execute\":\"query-name\"}");
    assert_eq!(c.line(), "{\"return\": {\"running\": false, \"singlestep\": false, \"status\": \"prelaunch\"}, \"id\": 2}");
    assert_eq!(c.line(), "{\"return\": {\"name\": \"fake\"}}");
    // Malformed input: an error without id, and the connection survives.
    c.send(b"{\"execute\": \"query-status\" \"id\": 3}");
    assert_eq!(c.line(), "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expected separator in dict\"}}");
    c.send(b"[1, 2]");
    assert_eq!(
        c.line(),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"
    );
    c.send(b"\xff{\"execute\": \"query-kvm\"}");
    assert_eq!(c.line(), "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}");
    assert_eq!(
        c.line(),
        "{\"return\": {\"enabled\": false, \"present\": false}}"
    );
    // Oversized message guard (4 KiB here).
    let big = format!(
        "{{\"execute\": \"device_del\", \"arguments\": {{\"id\": \"{}\"}}}}\n",
        "a".repeat(10000)
    );
    c.send(big.as_bytes());
    assert_eq!(
        c.line(),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON token size limit exceeded\"}}"
    );
    // Whatever the rest of it caused, a fresh command works.
    c.send(b"\n{\"execute\": \"query-target\", \"id\": \"t\"}");
    loop {
        let l = c.line();
        if l.contains("\"id\": \"t\"") {
            assert_eq!(l, "{\"return\": {\"arch\": \"ppc64\"}, \"id\": \"t\"}");
            break;
        }
        assert!(l.starts_with("{\"error\""), "{l}");
    }
    // Events arrive before the reply of the command causing them.
    c.send(b"{\"execute\": \"cont\", \"id\": 9}");
    let ev = c.line();
    assert!(
        ev.starts_with("{\"timestamp\": {\"seconds\": ")
            && ev.ends_with(", \"event\": \"RESUME\"}"),
        "{ev}"
    );
    assert_eq!(c.line(), "{\"return\": {}, \"id\": 9}");
    vm.finish();
}

#[test]
fn tcp_loopback_and_hmp_socket() {
    let dir = common::scratch("qmp-tcp");
    let hmp_sock = dir.join("hmp.sock");
    let tcp = MonitorSpec {
        mode: MonitorMode::Control,
        endpoint: Endpoint::Tcp {
            host: "127.0.0.1".into(),
            port: 0,
            server: true,
            wait: false,
        },
        pretty: true,
    };
    let hmp = MonitorSpec {
        mode: MonitorMode::Readline,
        endpoint: Endpoint::Unix {
            path: hmp_sock.clone(),
            server: true,
            wait: false,
        },
        pretty: false,
    };
    let (vm, addrs) = Vm::start(config(vec![tcp, hmp]));
    assert!(addrs[0].ip().is_loopback() && addrs[0].port() != 0);
    let s = std::net::TcpStream::connect(addrs[0]).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut w = s;
    let mut l = String::new();
    r.read_line(&mut l).unwrap();
    assert_eq!(l, "{\r\n");
    let mut greeting = l.clone();
    while !l.starts_with('}') {
        l.clear();
        r.read_line(&mut l).unwrap();
        greeting.push_str(&l);
    }
    assert!(
        greeting.contains("\r\n        \"version\": {\r\n"),
        "{greeting}"
    );
    w.write_all(b"{\"execute\": \"qmp_capabilities\"}").unwrap();
    let mut reply = String::new();
    for _ in 0..4 {
        r.read_line(&mut reply).unwrap();
    }
    assert_eq!(reply, "{\r\n    \"return\": {\r\n    }\r\n}\r\n");

    // HMP on a socket: banner, prompt, QEMU's text.
    let mut h = UnixStream::connect(&hmp_sock).unwrap();
    h.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut hr = BufReader::new(h.try_clone().unwrap());
    let mut banner = String::new();
    hr.read_line(&mut banner).unwrap();
    assert!(banner.starts_with("QEMU 7.2.22 monitor"), "{banner}");
    h.write_all(b"info status\r\ninfo cpus\n").unwrap();
    let mut got = Vec::new();
    let want = "(qemu) VM status: paused (prelaunch)\r\n(qemu) * CPU #0: thread_id=4242\r\n(qemu) ";
    while got.len() < want.len() {
        let mut b = [0u8; 256];
        let n = hr.read(&mut b).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&b[..n]);
    }
    assert_eq!(String::from_utf8_lossy(&got), want);
    vm.finish();
}
