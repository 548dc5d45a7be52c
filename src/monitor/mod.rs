//! The monitor: QEMU's machine protocol (QMP) and human monitor (HMP),
//! kept apart from the machine behind a small interface. Sockets and stdio
//! are served by monitor threads; they validate every request with QEMU
//! 7.2's messages and hand the machine typed [`Command`]s through
//! [`Monitor::poll`]. The machine answers each [`Request`] with
//! [`Request::reply`] and reports asynchronous happenings with
//! [`Monitor::emit`]. Commands that need no machine state (`query-version`,
//! `query-commands`, `qmp_capabilities`, ...) never reach the machine.
//!
//! Layout: `json` is QEMU's streaming JSON lexer/parser and writer, `qmp`
//! the per-connection protocol state, `commands` the QMP command table and
//! argument checking, `props` typed device/object properties, `hmp` the
//! human monitor, `types` the JSON shapes the machine returns, `config` the
//! command-line options and `server` the threads and transports.

pub mod config;
pub mod hmp;
pub mod types;

mod commands;
mod json;
mod props;
mod qmp;
mod server;

pub use config::{
    parse_chardev_opt, parse_mon_opt, parse_monitor_opt, parse_qmp_opt, Chardev, ChardevBackend,
    Endpoint, MonitorArgs, MonitorConfig, MonitorMode, MonitorSpec,
};
pub use hmp::{HmpReply, HmpSession, LineEditor, PROMPT};
pub use props::{split_opts, Props};
pub use server::{EventSink, Monitor};

use serde_json::Value;
use std::sync::mpsc::Sender;

/// QEMU 7.2's version triple, reported by the greeting and `query-version`
/// so that clients checking it keep working.
pub const QEMU_VERSION: (u32, u32, u32) = (7, 2, 22);

/// The `package` string of the greeting and `query-version`.
pub const PACKAGE: &str = concat!("powerlift ", env!("CARGO_PKG_VERSION"));

/// The five QMP error classes (qapi/error.json).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    GenericError,
    CommandNotFound,
    DeviceNotActive,
    DeviceNotFound,
    KVMMissingCap,
}

impl ErrorClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KVMMissingCap => "KVMMissingCap",
        }
    }
}

/// A command failure as QMP reports it: `{"class": ..., "desc": ...}`.
/// Through HMP it prints as `Error: <desc>`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{desc}")]
pub struct QmpError {
    pub class: ErrorClass,
    pub desc: String,
}

impl QmpError {
    pub fn new(class: ErrorClass, desc: impl Into<String>) -> QmpError {
        QmpError {
            class,
            desc: desc.into(),
        }
    }

    /// GenericError, the class of nearly every failure.
    pub fn generic(desc: impl Into<String>) -> QmpError {
        QmpError::new(ErrorClass::GenericError, desc)
    }

    /// DeviceNotFound "Device 'ID' not found" (device_del, memdev=).
    pub fn device_not_found(id: &str) -> QmpError {
        QmpError::new(
            ErrorClass::DeviceNotFound,
            format!("Device '{id}' not found"),
        )
    }

    /// "Parameter 'NAME' is missing".
    pub fn missing(name: &str) -> QmpError {
        QmpError::generic(format!("Parameter '{name}' is missing"))
    }

    /// "Invalid parameter type for 'NAME', expected: TYPE".
    pub fn bad_type(name: &str, expected: &str) -> QmpError {
        QmpError::generic(format!(
            "Invalid parameter type for '{name}', expected: {expected}"
        ))
    }

    /// "Parameter 'NAME' expects WHAT".
    pub fn bad_value(name: &str, what: &str) -> QmpError {
        QmpError::generic(format!("Parameter '{name}' expects {what}"))
    }
}

/// A request for the machine, already validated. The JSON each command
/// returns on success is given; the shapes are in [`types`].
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `query-status` → [`types::StatusInfo`].
    QueryStatus,
    /// `query-cpus-fast` → `[`[`types::CpuInfoFast`]`]`, one per vCPU thread.
    QueryCpusFast,
    /// `query-hotpluggable-cpus` → `[`[`types::HotpluggableCpu`]`]`,
    /// highest core-id first as QEMU lists them.
    QueryHotpluggableCpus,
    /// `query-memory-devices` → `[`[`types::MemoryDeviceInfo`]`]`.
    QueryMemoryDevices,
    /// `query-memory-size-summary` → [`types::MemorySizeSummary`].
    QueryMemorySizeSummary,
    /// `x-query-drc` (ours) → `[`[`types::DrcInfo`]`]`.
    QueryDrc,
    /// `device_add` → `{}`.
    DeviceAdd(DeviceAdd),
    /// `device_del` → `{}`; `id` is a device id or a QOM path.
    /// Unknown → [`QmpError::device_not_found`].
    DeviceDel { id: String },
    /// `object-add` → `{}`.
    ObjectAdd(ObjectAdd),
    /// `object-del` → `{}`; unknown → GenericError "object 'ID' not found".
    ObjectDel { id: String },
    /// `system_powerdown` → `{}`; emit [`Event::Powerdown`].
    SystemPowerdown,
    /// `system_reset` → `{}`; emit `Event::Reset { guest: false, reason:
    /// "host-qmp-system-reset" }`.
    SystemReset,
    /// `stop` → `{}`; emit [`Event::Stop`] if it was running.
    Stop,
    /// `cont` → `{}`; emit [`Event::Resume`].
    Cont,
    /// `quit` → `{}`; emit `Event::Shutdown { guest: false, reason:
    /// "host-qmp-quit" }` before replying, then stop the machine and call
    /// [`Monitor::shutdown`] so the reply reaches the client.
    Quit,
}

impl Command {
    /// The QMP name of the command.
    pub fn name(&self) -> &'static str {
        match self {
            Command::QueryStatus => "query-status",
            Command::QueryCpusFast => "query-cpus-fast",
            Command::QueryHotpluggableCpus => "query-hotpluggable-cpus",
            Command::QueryMemoryDevices => "query-memory-devices",
            Command::QueryMemorySizeSummary => "query-memory-size-summary",
            Command::QueryDrc => "x-query-drc",
            Command::DeviceAdd(_) => "device_add",
            Command::DeviceDel { .. } => "device_del",
            Command::ObjectAdd(_) => "object-add",
            Command::ObjectDel { .. } => "object-del",
            Command::SystemPowerdown => "system_powerdown",
            Command::SystemReset => "system_reset",
            Command::Stop => "stop",
            Command::Cont => "cont",
            Command::Quit => "quit",
        }
    }
}

/// `device_add driver=... [id=...] [bus=...] prop=value...`.
///
/// `id`, if present, is a well-formed QEMU identifier (a letter, then
/// letters, digits, `-`, `.`, `_`); duplicates are for the machine to
/// refuse ("Duplicate ID 'X' for device"). The remaining properties come
/// as typed JSON from QMP and as strings from HMP; read them with the
/// [`Props`] getters, which accept both, and end with [`Props::finish`] so
/// unknown ones are refused as QEMU does.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceAdd {
    pub driver: String,
    pub id: Option<String>,
    pub bus: Option<String>,
    pub props: Props,
}

/// `object-add qom-type=memory-backend-ram id=... size=...`: the only
/// object type we create. `size` is checked to be present and an
/// unsigned integer; the other memory-backend members (`share`,
/// `prealloc`, `merge`, `dump`, `reserve`, `prealloc-threads`, `policy`,
/// `host-nodes`, ...) are type-checked and left in `props`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectAdd {
    pub qom_type: String,
    pub id: String,
    pub size: u64,
    pub props: Props,
}

/// One command for the machine. Answer it exactly once with
/// [`Request::reply`], or split it with [`Request::into_parts`] to match
/// on the owned command; a request dropped unanswered replies GenericError.
#[derive(Debug)]
pub struct Request {
    pub command: Command,
    responder: Responder,
}

/// The reply half of a [`Request`].
#[derive(Debug)]
pub struct Responder {
    tx: Option<Sender<Result<Value, QmpError>>>,
    name: &'static str,
}

impl Responder {
    /// Send the result. A client that has gone away is not an error.
    pub fn reply(mut self, result: Result<Value, QmpError>) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(result);
        }
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Err(QmpError::generic(format!(
                "command '{}' was dropped by the machine",
                self.name
            ))));
        }
    }
}

impl Request {
    pub(crate) fn new(command: Command, tx: Sender<Result<Value, QmpError>>) -> Request {
        let name = command.name();
        Request {
            command,
            responder: Responder { tx: Some(tx), name },
        }
    }

    /// Send the result. A client that has gone away is not an error.
    pub fn reply(self, result: Result<Value, QmpError>) {
        self.responder.reply(result);
    }

    /// The command by value and the means to answer it.
    pub fn into_parts(self) -> (Command, Responder) {
        (self.command, self.responder)
    }
}

/// Asynchronous events, sent to every client that has finished capability
/// negotiation: `{"timestamp": {...}, "event": NAME, "data": {...}}`.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `SHUTDOWN {guest, reason}`; reasons: "host-qmp-quit",
    /// "guest-shutdown", "host-signal", "guest-panic", ...
    Shutdown { guest: bool, reason: String },
    /// `RESET {guest, reason}`; "host-qmp-system-reset", "guest-reset".
    Reset { guest: bool, reason: String },
    /// `POWERDOWN` (no data).
    Powerdown,
    /// `STOP` (no data).
    Stop,
    /// `RESUME` (no data).
    Resume,
    /// `DEVICE_DELETED {device?, path}`; for a core QEMU sends one per
    /// child first (`.../thread[0]/icp`, `.../xive-tctx`, `.../thread[0]`,
    /// each with only `path`), then the core with `device`.
    DeviceDeleted {
        device: Option<String>,
        path: String,
    },
    /// `DEVICE_UNPLUG_GUEST_ERROR {device?, path}` (QEMU >= 6.2).
    DeviceUnplugGuestError {
        device: Option<String>,
        path: String,
    },
    /// Anything else: name and optional data object.
    Other { name: String, data: Option<Value> },
}

impl Event {
    /// The event name and its `data` member (None when QEMU omits it).
    pub fn parts(&self) -> (&str, Option<Value>) {
        use serde_json::json;
        let dev = |device: &Option<String>, path: &str| {
            let mut m = serde_json::Map::new();
            if let Some(d) = device {
                m.insert("device".into(), json!(d));
            }
            m.insert("path".into(), json!(path));
            Some(Value::Object(m))
        };
        match self {
            Event::Shutdown { guest, reason } => {
                ("SHUTDOWN", Some(json!({"guest": guest, "reason": reason})))
            }
            Event::Reset { guest, reason } => {
                ("RESET", Some(json!({"guest": guest, "reason": reason})))
            }
            Event::Powerdown => ("POWERDOWN", None),
            Event::Stop => ("STOP", None),
            Event::Resume => ("RESUME", None),
            Event::DeviceDeleted { device, path } => ("DEVICE_DELETED", dev(device, path)),
            Event::DeviceUnplugGuestError { device, path } => {
                ("DEVICE_UNPLUG_GUEST_ERROR", dev(device, path))
            }
            Event::Other { name, data } => (name, data.clone()),
        }
    }
}

/// Host-side failures of the monitor itself (sockets, threads).
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("Failed to bind socket to {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("Failed to connect to '{0}': {1}")]
    Connect(String, std::io::Error),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanswered_request_replies_an_error() {
        let (tx, rx) = std::sync::mpsc::channel();
        drop(Request::new(Command::Stop, tx));
        let e = rx.recv().unwrap().unwrap_err();
        assert_eq!(e.desc, "command 'stop' was dropped by the machine");
        let (tx, rx) = std::sync::mpsc::channel();
        let (cmd, responder) = Request::new(Command::Quit, tx).into_parts();
        assert_eq!(cmd, Command::Quit);
        responder.reply(Ok(Value::Null));
        assert_eq!(rx.recv().unwrap(), Ok(Value::Null));
        fn send<T: Send>() {}
        send::<Monitor>();
        send::<EventSink>();
    }
}
