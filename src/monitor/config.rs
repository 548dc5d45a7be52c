//! Monitor command-line options, parsed as QEMU 7.2 reads them:
//! `-qmp unix:PATH,server=on,wait=off`, `-qmp tcp:HOST:PORT,server,nowait`,
//! `-qmp-pretty ...`, `-monitor stdio|none|unix:...|tcp:...`,
//! `-chardev socket,id=X,path=P[,server=on,wait=off]` (client mode when
//! `server` is absent: we connect to P, as QEMU's Python test harness
//! expects), `-chardev socket,id=X,host=H,port=N`, `-chardev stdio,id=X`
//! and `-mon chardev=X[,mode=control|readline][,pretty=on]`.
//!
//! Policy: TCP endpoints are loopback only. QEMU listens on any address it
//! is given; we refuse other hosts, and an empty host (`tcp::4444`), which
//! QEMU takes as "all interfaces", means 127.0.0.1 here.
//!
//! Messages are returned without the option prefix; the caller prints
//! `powerlift: -qmp VALUE: MESSAGE` as for any option error.

use super::props::split_opts;
use std::path::PathBuf;

/// Where a monitor talks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// A Unix socket: listen at `path` (`server`) or connect to it.
    Unix {
        path: PathBuf,
        server: bool,
        wait: bool,
    },
    /// A loopback TCP socket; port 0 picks a free port when listening.
    Tcp {
        host: String,
        port: u16,
        server: bool,
        wait: bool,
    },
    /// The process's stdin/stdout.
    Stdio,
}

impl Endpoint {
    /// QEMU's description, e.g. "disconnected:unix:/tmp/q,server=on".
    pub fn describe(&self) -> String {
        match self {
            Endpoint::Unix { path, server, .. } => {
                format!(
                    "unix:{}{}",
                    path.display(),
                    if *server { ",server=on" } else { "" }
                )
            }
            Endpoint::Tcp {
                host, port, server, ..
            } => {
                format!(
                    "tcp:{host}:{port}{}",
                    if *server { ",server=on" } else { "" }
                )
            }
            Endpoint::Stdio => "stdio".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonitorMode {
    /// QMP.
    Control,
    /// HMP.
    Readline,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorSpec {
    pub mode: MonitorMode,
    pub endpoint: Endpoint,
    /// QMP output pretty-printed (`-qmp-pretty`, `-mon ...,pretty=on`).
    pub pretty: bool,
}

/// Everything the monitor threads need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorConfig {
    pub monitors: Vec<MonitorSpec>,
    /// `-name`, for `query-name` and `info name`.
    pub name: Option<String>,
    /// Largest accepted QMP message in bytes (QEMU: 64 MiB).
    pub max_message: usize,
    /// Advertise the "oob" capability in the greeting (as QEMU 7.2 does).
    pub oob: bool,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        MonitorConfig {
            monitors: Vec::new(),
            name: None,
            max_message: super::json::MAX_MESSAGE_SIZE,
            oob: true,
        }
    }
}

impl MonitorConfig {
    /// Some monitor reads stdin: the console must not (QEMU: "cannot use
    /// stdio by multiple character devices").
    pub fn uses_stdio(&self) -> bool {
        self.monitors.iter().any(|m| m.endpoint == Endpoint::Stdio)
    }
}

/// A `-chardev` definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chardev {
    pub id: String,
    pub backend: ChardevBackend,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChardevBackend {
    Socket(Endpoint),
    Stdio,
    Null,
}

fn on_off(key: &str, v: &str) -> Result<bool, String> {
    match v {
        "on" | "yes" | "true" => Ok(true),
        "off" | "no" | "false" => Ok(false),
        _ => Err(format!("Parameter '{key}' expects 'on' or 'off'")),
    }
}

/// Socket flags shared by `-qmp`/`-monitor` and `-chardev socket`.
/// QEMU's short forms: `server`, `nowait`, `wait`. Returns (server, wait).
fn socket_flags(opts: &[(String, String)], allowed: &[&str]) -> Result<(bool, bool), String> {
    let (mut server, mut wait) = (false, true);
    for (k, v) in opts {
        match k.as_str() {
            "server" => server = on_off(k, v)?,
            "wait" => wait = on_off(k, v)?,
            "nowait" => wait = false,
            "reconnect" | "telnet" | "tls-creds" | "mux" | "websocket" | "tn3270" => {
                return Err(format!("socket option '{k}' is not supported by powerlift"))
            }
            k if allowed.contains(&k) => {}
            _ => return Err(format!("Invalid parameter '{k}'")),
        }
    }
    Ok((server, wait))
}

/// Check a TCP host against our loopback-only policy.
fn loopback_host(host: &str) -> Result<String, String> {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    match h {
        "" => Ok("127.0.0.1".into()),
        "localhost" => Ok("localhost".into()),
        _ => match h.parse::<std::net::IpAddr>() {
            Ok(ip) if ip.is_loopback() => Ok(h.to_string()),
            Ok(_) => Err(format!(
                "powerlift only listens on and connects to loopback addresses, not '{h}' \
                 (use 127.0.0.1, ::1 or localhost; tunnel with ssh -L for remote access)"
            )),
            Err(_) => Err(format!("address '{h}' is not an IP address or localhost")),
        },
    }
}

/// "HOST:PORT" of a `tcp:` endpoint (QMP, monitor, gdb): a loopback host
/// (empty means 127.0.0.1) and a port.
pub fn tcp_host_port(hp: &str) -> Result<(String, u16), String> {
    let (host, port) = hp
        .rsplit_once(':')
        .ok_or_else(|| format!("'{hp}' has no port"))?;
    let port: u16 = port
        .parse()
        .map_err(|_| format!("port '{port}' is not a number"))?;
    Ok((loopback_host(host)?, port))
}

/// Parse "unix:PATH,opts", "tcp:HOST:PORT,opts" or "stdio" (the `-qmp`
/// and `-monitor` syntax).
pub fn parse_qmp_opt(s: &str) -> Result<Endpoint, String> {
    if s == "stdio" {
        return Ok(Endpoint::Stdio);
    }
    // The first element is the address; QEMU's ",," escapes apply.
    let parts = split_opts(s, "addr");
    let addr = match parts.first() {
        Some((k, v)) if k == "addr" => v.clone(),
        Some((k, v)) => format!("{k}={v}"),
        None => String::new(),
    };
    let rest = &parts[1.min(parts.len())..];
    if let Some(path) = addr.strip_prefix("unix:") {
        if path.is_empty() {
            return Err("unix socket path is empty".into());
        }
        let (server, wait) = socket_flags(rest, &[])?;
        return Ok(Endpoint::Unix {
            path: PathBuf::from(path),
            server,
            wait,
        });
    }
    if let Some(hp) = addr.strip_prefix("tcp:") {
        let (host, port) = tcp_host_port(hp)?;
        let (server, wait) = socket_flags(rest, &["ipv4", "ipv6", "nodelay", "to"])?;
        return Ok(Endpoint::Tcp {
            host,
            port,
            server,
            wait,
        });
    }
    let kind = addr.split(':').next().unwrap_or("");
    Err(format!(
        "'{kind}' character devices are not supported by powerlift (use unix:PATH, tcp:HOST:PORT or stdio)"
    ))
}

/// `-monitor`: like `-qmp`, plus "none" (no monitor: `Ok(None)`).
pub fn parse_monitor_opt(s: &str) -> Result<Option<Endpoint>, String> {
    if s == "none" {
        return Ok(None);
    }
    parse_qmp_opt(s).map(Some)
}

/// `-chardev BACKEND,id=ID,...`.
pub fn parse_chardev_opt(s: &str) -> Result<Chardev, String> {
    let mut parts = split_opts(s, "backend");
    if parts.first().map(|(k, _)| k.as_str()) != Some("backend") {
        return Err("chardev: backend type is missing".into());
    }
    let backend = parts.remove(0).1;
    let pos = parts
        .iter()
        .position(|(k, _)| k == "id")
        .ok_or("Parameter 'id' is missing")?;
    let id = parts.remove(pos).1;
    if !super::props::id_wellformed(&id) {
        return Err("Parameter 'id' expects an identifier".into());
    }
    let backend = match backend.as_str() {
        "socket" => {
            let mut path = None;
            let mut host = None;
            let mut port = None;
            let mut flags = Vec::new();
            for (k, v) in parts {
                match k.as_str() {
                    "path" => path = Some(v),
                    "host" => host = Some(v),
                    "port" => port = Some(v),
                    _ => flags.push((k, v)),
                }
            }
            let (server, wait) = socket_flags(
                &flags,
                &["ipv4", "ipv6", "nodelay", "to", "logfile", "logappend"],
            )?;
            match (path, port) {
                (Some(p), None) if host.is_none() => Endpoint::Unix {
                    path: PathBuf::from(p),
                    server,
                    wait,
                },
                (None, Some(port)) => {
                    let port: u16 = port
                        .parse()
                        .map_err(|_| format!("port '{port}' is not a number"))?;
                    let host = loopback_host(host.as_deref().unwrap_or(""))?;
                    Endpoint::Tcp {
                        host,
                        port,
                        server,
                        wait,
                    }
                }
                (None, None) => return Err("chardev: socket: 'host' or 'path' is required".into()),
                _ => return Err("chardev: socket: give either 'path' or 'host'/'port'".into()),
            }
        }
        "stdio" | "null" => {
            for (k, _) in &parts {
                if !matches!(k.as_str(), "signal" | "logfile" | "logappend") {
                    return Err(format!("Invalid parameter '{k}'"));
                }
            }
            if backend == "stdio" {
                return Ok(Chardev {
                    id,
                    backend: ChardevBackend::Stdio,
                });
            }
            return Ok(Chardev {
                id,
                backend: ChardevBackend::Null,
            });
        }
        other => {
            return Err(format!(
                "chardev backend '{other}' is not supported by powerlift"
            ))
        }
    };
    Ok(Chardev {
        id,
        backend: ChardevBackend::Socket(backend),
    })
}

/// A parsed `-mon`: the chardev it uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonOpt {
    pub chardev: String,
    pub mode: MonitorMode,
    pub pretty: bool,
}

/// `-mon chardev=ID[,mode=control|readline][,pretty=on|off]`.
pub fn parse_mon_opt(s: &str) -> Result<MonOpt, String> {
    let mut chardev = None;
    let mut mode = MonitorMode::Readline;
    let mut pretty = false;
    for (k, v) in split_opts(s, "chardev") {
        match k.as_str() {
            "chardev" => chardev = Some(v),
            "mode" => {
                mode = match v.as_str() {
                    "control" => MonitorMode::Control,
                    "readline" => MonitorMode::Readline,
                    _ => return Err(format!("unknown monitor mode '{v}'")),
                }
            }
            "pretty" => pretty = on_off(&k, &v)?,
            "default" => {}
            _ => return Err(format!("Invalid parameter '{k}'")),
        }
    }
    let chardev = chardev.ok_or("Parameter 'chardev' is missing")?;
    Ok(MonOpt {
        chardev,
        mode,
        pretty,
    })
}

/// Collects the monitor options in command-line order; [`finish`]
/// resolves `-mon` references to `-chardev` definitions.
///
/// [`finish`]: MonitorArgs::finish
#[derive(Clone, Debug, Default)]
pub struct MonitorArgs {
    chardevs: Vec<Chardev>,
    mons: Vec<MonOpt>,
    direct: Vec<MonitorSpec>,
}

impl MonitorArgs {
    /// `-qmp VALUE` (or `-qmp-pretty VALUE` with `pretty`).
    pub fn qmp(&mut self, s: &str, pretty: bool) -> Result<(), String> {
        let endpoint = parse_qmp_opt(s)?;
        self.direct.push(MonitorSpec {
            mode: MonitorMode::Control,
            endpoint,
            pretty,
        });
        Ok(())
    }

    /// `-monitor VALUE`.
    pub fn monitor(&mut self, s: &str) -> Result<(), String> {
        if let Some(endpoint) = parse_monitor_opt(s)? {
            self.direct.push(MonitorSpec {
                mode: MonitorMode::Readline,
                endpoint,
                pretty: false,
            });
        }
        Ok(())
    }

    /// `-chardev VALUE`.
    pub fn chardev(&mut self, s: &str) -> Result<(), String> {
        let c = parse_chardev_opt(s)?;
        if self.chardevs.iter().any(|d| d.id == c.id) {
            return Err(format!("Duplicate ID '{}' for chardev", c.id));
        }
        self.chardevs.push(c);
        Ok(())
    }

    /// `-mon VALUE`.
    pub fn mon(&mut self, s: &str) -> Result<(), String> {
        self.mons.push(parse_mon_opt(s)?);
        Ok(())
    }

    /// Resolve into a configuration; chardevs no `-mon` used are handed
    /// back (e.g. for `-serial chardev:ID`).
    pub fn finish(self, name: Option<String>) -> Result<(MonitorConfig, Vec<Chardev>), String> {
        let mut monitors = self.direct;
        let mut unused = self.chardevs;
        for m in self.mons {
            let pos = unused
                .iter()
                .position(|c| c.id == m.chardev)
                .ok_or_else(|| {
                    format!(
                        "-mon chardev={}: chardev '{}' not found",
                        m.chardev, m.chardev
                    )
                })?;
            let endpoint = match unused.remove(pos).backend {
                ChardevBackend::Socket(e) => e,
                ChardevBackend::Stdio => Endpoint::Stdio,
                ChardevBackend::Null => continue,
            };
            monitors.push(MonitorSpec {
                mode: m.mode,
                endpoint,
                pretty: m.pretty,
            });
        }
        if monitors
            .iter()
            .filter(|m| m.endpoint == Endpoint::Stdio)
            .count()
            > 1
        {
            return Err("cannot use stdio by multiple character devices".into());
        }
        let cfg = MonitorConfig {
            monitors,
            name,
            ..MonitorConfig::default()
        };
        Ok((cfg, unused))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qmp_forms() {
        assert_eq!(
            parse_qmp_opt("unix:/tmp/q.sock,server=on,wait=off"),
            Ok(Endpoint::Unix {
                path: "/tmp/q.sock".into(),
                server: true,
                wait: false
            })
        );
        assert_eq!(
            parse_qmp_opt("unix:/tmp/q,server,nowait"),
            Ok(Endpoint::Unix {
                path: "/tmp/q".into(),
                server: true,
                wait: false
            })
        );
        assert_eq!(
            parse_qmp_opt("unix:/tmp/a,,b"),
            Ok(Endpoint::Unix {
                path: "/tmp/a,b".into(),
                server: false,
                wait: true
            })
        );
        assert_eq!(
            parse_qmp_opt("tcp:127.0.0.1:4444,server=on,wait=off"),
            Ok(Endpoint::Tcp {
                host: "127.0.0.1".into(),
                port: 4444,
                server: true,
                wait: false
            })
        );
        assert_eq!(
            parse_qmp_opt("tcp::4444,server,nowait"),
            Ok(Endpoint::Tcp {
                host: "127.0.0.1".into(),
                port: 4444,
                server: true,
                wait: false
            })
        );
        assert!(parse_qmp_opt("tcp:[::1]:5,server").is_ok());
        assert!(parse_qmp_opt("tcp:0.0.0.0:4444,server")
            .unwrap_err()
            .contains("loopback"));
        assert!(parse_qmp_opt("tcp:192.168.1.2:4444,server").is_err());
        assert!(parse_qmp_opt("pty").is_err());
        assert!(parse_qmp_opt("unix:/x,server=maybe").is_err());
        assert_eq!(parse_monitor_opt("none"), Ok(None));
        assert_eq!(parse_monitor_opt("stdio"), Ok(Some(Endpoint::Stdio)));
    }

    #[test]
    fn chardev_and_mon() {
        let mut a = MonitorArgs::default();
        a.chardev("socket,id=mon,path=/tmp/p").unwrap();
        a.chardev("socket,id=console,path=/tmp/c,server=on,wait=off")
            .unwrap();
        a.mon("chardev=mon,mode=control").unwrap();
        a.qmp("unix:/tmp/q,server=on,wait=off", false).unwrap();
        assert!(a.chardev("stdio,id=mon").is_err());
        let (cfg, unused) = a.finish(Some("vm".into())).unwrap();
        assert_eq!(cfg.monitors.len(), 2);
        assert_eq!(
            cfg.monitors[1],
            MonitorSpec {
                mode: MonitorMode::Control,
                endpoint: Endpoint::Unix {
                    path: "/tmp/p".into(),
                    server: false,
                    wait: true
                },
                pretty: false
            }
        );
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].id, "console");
        let mut a = MonitorArgs::default();
        a.mon("chardev=nope").unwrap();
        assert!(a.finish(None).is_err());
        let mut a = MonitorArgs::default();
        a.monitor("stdio").unwrap();
        a.qmp("stdio", false).unwrap();
        assert_eq!(
            a.finish(None).unwrap_err(),
            "cannot use stdio by multiple character devices"
        );
        assert!(parse_chardev_opt("pty,id=x").is_err());
        assert!(parse_chardev_opt("socket,id=x,host=10.0.0.1,port=5").is_err());
        assert_eq!(
            parse_mon_opt("chardev=m").unwrap().mode,
            MonitorMode::Readline
        );
    }
}
