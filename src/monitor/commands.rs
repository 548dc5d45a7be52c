//! The QMP command table: which commands exist, how their arguments are
//! checked (QEMU's QAPI rules and messages: members in order, "Parameter
//! 'x' is missing", "Invalid parameter type for 'x', expected: string",
//! then "Parameter 'x' is unexpected"), and the answers that need no
//! machine state.

use super::props::{id_wellformed, parse_size, parse_uint, split_opts, Props};
use super::{Command, DeviceAdd, ErrorClass, ObjectAdd, QmpError, PACKAGE, QEMU_VERSION};
use serde_json::{json, Map, Value};

/// What a well-formed command turned out to be.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    /// Answered here.
    Reply(Value),
    /// `qmp_capabilities`, with whether `enable: ["oob"]` was asked.
    Capabilities { oob: bool },
    /// For the machine.
    Machine(Command),
    /// `human-monitor-command`.
    Hmp {
        line: String,
        cpu_index: Option<i64>,
    },
}

/// Every QMP command we implement, for `query-commands`.
pub const COMMANDS: &[&str] = &[
    "qmp_capabilities",
    "query-version",
    "query-commands",
    "query-name",
    "query-machines",
    "query-current-machine",
    "query-target",
    "query-kvm",
    "human-monitor-command",
    "query-status",
    "query-cpus-fast",
    "query-hotpluggable-cpus",
    "query-memory-devices",
    "query-memory-size-summary",
    "x-query-drc",
    "device_add",
    "device_del",
    "object-add",
    "object-del",
    "system_powerdown",
    "system_reset",
    "stop",
    "cont",
    "quit",
];

/// QAPI-style reader over a command's `arguments`.
pub struct Args {
    map: Map<String, Value>,
}

impl Args {
    pub fn new(map: Map<String, Value>) -> Args {
        Args { map }
    }

    pub fn req_str(&mut self, name: &str) -> Result<String, QmpError> {
        self.opt_str(name)?.ok_or_else(|| QmpError::missing(name))
    }

    pub fn opt_str(&mut self, name: &str) -> Result<Option<String>, QmpError> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(QmpError::bad_type(name, "string")),
        }
    }

    pub fn opt_int(&mut self, name: &str) -> Result<Option<i64>, QmpError> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| QmpError::bad_type(name, "integer")),
            Some(_) => Err(QmpError::bad_type(name, "integer")),
        }
    }

    /// Refuse any member not read: "Parameter 'x' is unexpected".
    pub fn done(self) -> Result<(), QmpError> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(QmpError::generic(format!("Parameter '{k}' is unexpected"))),
        }
    }

    fn into_map(self) -> Map<String, Value> {
        self.map
    }
}

pub fn version_json() -> Value {
    let (major, minor, micro) = QEMU_VERSION;
    json!({"qemu": {"major": major, "minor": minor, "micro": micro}, "package": PACKAGE})
}

/// Check `name`'s arguments and classify it. Unknown commands are
/// CommandNotFound "The command X has not been found".
pub fn parse(
    name: &str,
    args: Map<String, Value>,
    vm_name: Option<&str>,
) -> Result<Parsed, QmpError> {
    let mut a = Args::new(args);
    let machine = |a: Args, c: Command| a.done().map(|_| Parsed::Machine(c));
    let reply = |a: Args, v: Value| a.done().map(|_| Parsed::Reply(v));
    match name {
        "qmp_capabilities" => {
            let oob = match a.map.remove("enable") {
                None => false,
                Some(Value::Array(items)) => {
                    let mut oob = false;
                    for (i, it) in items.iter().enumerate() {
                        match it {
                            Value::String(s) if s == "oob" => oob = true,
                            Value::String(s) => {
                                return Err(QmpError::generic(format!(
                                    "Parameter 'enable[{i}]' does not accept value '{s}'"
                                )))
                            }
                            _ => return Err(QmpError::bad_type(&format!("enable[{i}]"), "string")),
                        }
                    }
                    oob
                }
                Some(_) => return Err(QmpError::bad_type("enable", "array")),
            };
            a.done()?;
            Ok(Parsed::Capabilities { oob })
        }
        "query-version" => reply(a, version_json()),
        "query-commands" => reply(a, COMMANDS.iter().map(|c| json!({"name": c})).collect()),
        "query-name" => reply(a, vm_name.map_or_else(|| json!({}), |n| json!({"name": n}))),
        "query-machines" => {
            // Only pseries-7.2; cpu-max follows the command line's limit.
            let m = json!({
                "name": "pseries-7.2", "alias": "pseries", "is-default": true,
                "cpu-max": 64, "hotpluggable-cpus": true, "numa-mem-supported": false,
                "deprecated": false, "default-cpu-type": "power9_v2.0-powerpc64-cpu",
                "default-ram-id": "ppc_spapr.ram"
            });
            reply(a, json!([m]))
        }
        "query-current-machine" => reply(a, json!({"wakeup-suspend-support": true})),
        "query-target" => reply(a, json!({"arch": "ppc64"})),
        "query-kvm" => reply(a, json!({"enabled": false, "present": false})),
        "human-monitor-command" => {
            let line = a.req_str("command-line")?;
            let cpu_index = a.opt_int("cpu-index")?;
            a.done()?;
            Ok(Parsed::Hmp { line, cpu_index })
        }
        "query-status" => machine(a, Command::QueryStatus),
        "query-cpus-fast" => machine(a, Command::QueryCpusFast),
        "query-hotpluggable-cpus" => machine(a, Command::QueryHotpluggableCpus),
        "query-memory-devices" => machine(a, Command::QueryMemoryDevices),
        "query-memory-size-summary" => machine(a, Command::QueryMemorySizeSummary),
        "x-query-drc" => machine(a, Command::QueryDrc),
        "system_powerdown" => machine(a, Command::SystemPowerdown),
        "system_reset" => machine(a, Command::SystemReset),
        "stop" => machine(a, Command::Stop),
        "cont" => machine(a, Command::Cont),
        "quit" => machine(a, Command::Quit),
        "device_del" => {
            let id = a.req_str("id")?;
            machine(a, Command::DeviceDel { id })
        }
        "object-del" => {
            let id = a.req_str("id")?;
            machine(a, Command::ObjectDel { id })
        }
        "device_add" => device_add(a.into_map()).map(|d| Parsed::Machine(Command::DeviceAdd(d))),
        "object-add" => {
            object_add(a.into_map(), false).map(|o| Parsed::Machine(Command::ObjectAdd(o)))
        }
        _ => Err(QmpError::new(
            ErrorClass::CommandNotFound,
            format!("The command {name} has not been found"),
        )),
    }
}

/// `device_add`: like QEMU, device properties are free-form; `id` must be
/// an identifier, `driver` a string. Non-scalar property values, which
/// QEMU silently drops, are refused.
pub fn device_add(mut map: Map<String, Value>) -> Result<DeviceAdd, QmpError> {
    let id = match map.remove("id") {
        None => None,
        Some(Value::String(s)) if id_wellformed(&s) => Some(s),
        Some(Value::String(_)) => return Err(QmpError::bad_value("id", "an identifier")),
        Some(_) => return Err(QmpError::bad_type("id", "string")),
    };
    let driver = match map.remove("driver") {
        Some(Value::String(s)) => s,
        _ => return Err(QmpError::missing("driver")),
    };
    let bus = match map.remove("bus") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err(QmpError::bad_type("bus", "string")),
    };
    if let Some((k, _)) = map
        .iter()
        .find(|(_, v)| v.is_array() || v.is_object() || v.is_null())
    {
        return Err(QmpError::bad_type(k, "string"));
    }
    Ok(DeviceAdd {
        driver,
        id,
        bus,
        props: Props::new(map),
    })
}

/// `device_add` from HMP text: "driver[,prop=value][,...]".
pub fn device_add_str(s: &str) -> Result<DeviceAdd, QmpError> {
    let map = split_opts(s, "driver")
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    device_add(map)
}

#[derive(Clone, Copy)]
enum Ty {
    Bool,
    Uint,
    Size,
    Str,
    Policy,
    UintList,
}

/// memory-backend-ram's members (QEMU 7.2 MemoryBackendProperties).
const MEMORY_BACKEND: &[(&str, Ty)] = &[
    ("dump", Ty::Bool),
    ("host-nodes", Ty::UintList),
    ("merge", Ty::Bool),
    ("policy", Ty::Policy),
    ("prealloc", Ty::Bool),
    ("prealloc-context", Ty::Str),
    ("prealloc-threads", Ty::Uint),
    ("reserve", Ty::Bool),
    ("share", Ty::Bool),
    ("size", Ty::Size),
    ("x-use-canonical-path-for-ramblock-id", Ty::Bool),
];

/// QOM types QEMU knows but we do not create.
const OTHER_QOM_TYPES: &[&str] = &[
    "authz-list",
    "authz-listfile",
    "authz-pam",
    "authz-simple",
    "can-bus",
    "colo-compare",
    "cryptodev-backend",
    "cryptodev-backend-builtin",
    "dbus-vmstate",
    "filter-buffer",
    "filter-dump",
    "filter-mirror",
    "filter-redirector",
    "filter-replay",
    "filter-rewriter",
    "input-barrier",
    "input-linux",
    "iothread",
    "main-loop",
    "memory-backend-epc",
    "memory-backend-file",
    "memory-backend-memfd",
    "pr-manager-helper",
    "qtest",
    "rng-builtin",
    "rng-egd",
    "rng-random",
    "secret",
    "secret_keyring",
    "thread-context",
    "throttle-group",
    "tls-cipher-suites",
    "tls-creds-anon",
    "tls-creds-psk",
    "tls-creds-x509",
];

/// `object-add` (QMP, typed JSON) or `object_add` (HMP, keyval strings).
pub fn object_add(mut map: Map<String, Value>, keyval: bool) -> Result<ObjectAdd, QmpError> {
    let qom_type = match map.remove("qom-type") {
        None => return Err(QmpError::missing("qom-type")),
        Some(Value::String(s)) => s,
        Some(_) => return Err(QmpError::bad_type("qom-type", "string")),
    };
    if qom_type != "memory-backend-ram" {
        return Err(if OTHER_QOM_TYPES.contains(&qom_type.as_str()) {
            QmpError::generic(format!(
                "object type '{qom_type}' is not supported by powerlift"
            ))
        } else {
            QmpError::generic(format!(
                "Parameter 'qom-type' does not accept value '{qom_type}'"
            ))
        });
    }
    let id = match map.remove("id") {
        None => return Err(QmpError::missing("id")),
        Some(Value::String(s)) if id_wellformed(&s) => s,
        Some(Value::String(_)) => return Err(QmpError::bad_value("id", "an identifier")),
        Some(_) => return Err(QmpError::bad_type("id", "string")),
    };
    let mut props = Props::default();
    let mut size = None;
    for &(name, ty) in MEMORY_BACKEND {
        let Some(v) = map.remove(name) else {
            if name == "size" {
                return Err(QmpError::missing("size"));
            }
            continue;
        };
        let v = if keyval {
            member_from_str(name, ty, v)?
        } else {
            member_from_json(name, ty, v)?
        };
        if name == "size" {
            size = v.as_u64();
        } else {
            props.insert(name, v);
        }
    }
    if let Some(k) = map.keys().next() {
        return Err(QmpError::generic(format!("Parameter '{k}' is unexpected")));
    }
    let size = size.ok_or_else(|| QmpError::missing("size"))?;
    Ok(ObjectAdd {
        qom_type,
        id,
        size,
        props,
    })
}

const POLICIES: &[&str] = &["default", "preferred", "bind", "interleave"];

fn member_from_json(name: &str, ty: Ty, v: Value) -> Result<Value, QmpError> {
    let ok = match (ty, &v) {
        (Ty::Bool, Value::Bool(_)) | (Ty::Str, Value::String(_)) => true,
        (Ty::Bool, _) => return Err(QmpError::bad_type(name, "boolean")),
        (Ty::Str, _) => return Err(QmpError::bad_type(name, "string")),
        (Ty::Uint | Ty::Size, Value::Number(n)) => n.as_u64().is_some() || n.as_i64().is_some(),
        (Ty::Uint | Ty::Size, _) => false,
        (Ty::Policy, Value::String(s)) => {
            if !POLICIES.contains(&s.as_str()) {
                return Err(QmpError::generic(format!(
                    "Parameter '{name}' does not accept value '{s}'"
                )));
            }
            true
        }
        (Ty::Policy, _) => return Err(QmpError::bad_type(name, "string")),
        (Ty::UintList, Value::Array(items)) => {
            for (i, it) in items.iter().enumerate() {
                if it.as_u64().filter(|&n| n <= 0xffff).is_none() {
                    return Err(QmpError::bad_value(&format!("{name}[{i}]"), "uint16"));
                }
            }
            true
        }
        (Ty::UintList, _) => return Err(QmpError::bad_type(name, "array")),
    };
    if !ok {
        return Err(QmpError::bad_value(name, "uint64"));
    }
    // QEMU takes negative sizes modulo 2^64 for compatibility.
    Ok(match v.as_i64() {
        Some(n) if n < 0 => json!(n as u64),
        _ => v,
    })
}

fn member_from_str(name: &str, ty: Ty, v: Value) -> Result<Value, QmpError> {
    let s = v.as_str().unwrap_or_default().to_string();
    Ok(match ty {
        Ty::Bool => match s.as_str() {
            "on" => json!(true),
            "off" => json!(false),
            _ => return Err(QmpError::bad_value(name, "'on' or 'off'")),
        },
        Ty::Uint => json!(parse_uint(&s).ok_or_else(|| QmpError::bad_value(name, "integer"))?),
        Ty::Size => json!(parse_size(&s).ok_or_else(|| QmpError::bad_value(name, "size"))?),
        Ty::Str => json!(s),
        Ty::Policy => member_from_json(name, ty, json!(s))?,
        Ty::UintList => {
            let n = parse_uint(&s).filter(|&n| n <= 0xffff);
            json!([n.ok_or_else(|| QmpError::bad_value(name, "integer"))?])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, args: Value) -> Result<Parsed, QmpError> {
        parse(name, args.as_object().unwrap().clone(), None)
    }

    fn err(name: &str, args: Value) -> String {
        p(name, args).unwrap_err().desc
    }

    #[test]
    fn qapi_argument_errors() {
        assert_eq!(
            err("query-status", json!({"x": 1})),
            "Parameter 'x' is unexpected"
        );
        assert_eq!(err("device_del", json!({})), "Parameter 'id' is missing");
        assert_eq!(
            err("device_del", json!({"id": 1})),
            "Invalid parameter type for 'id', expected: string"
        );
        assert_eq!(
            err("device_del", json!({"id": "a", "z": 1})),
            "Parameter 'z' is unexpected"
        );
        assert_eq!(
            err("device_add", json!({"id": "c1"})),
            "Parameter 'driver' is missing"
        );
        assert_eq!(
            err("device_add", json!({"driver": "x", "id": "1c"})),
            "Parameter 'id' expects an identifier"
        );
        assert_eq!(
            err(
                "human-monitor-command",
                json!({"command-line": "info", "cpu-index": "0"})
            ),
            "Invalid parameter type for 'cpu-index', expected: integer"
        );
        assert_eq!(
            err("qmp_capabilities", json!({"enable": ["bogus"]})),
            "Parameter 'enable[0]' does not accept value 'bogus'"
        );
        let e = p("no-such-cmd", json!({})).unwrap_err();
        assert_eq!(e.class, ErrorClass::CommandNotFound);
        assert_eq!(e.desc, "The command no-such-cmd has not been found");
    }

    #[test]
    fn typed_commands() {
        assert_eq!(
            p("qmp_capabilities", json!({"enable": ["oob"]})),
            Ok(Parsed::Capabilities { oob: true })
        );
        let Ok(Parsed::Machine(Command::DeviceAdd(d))) = p(
            "device_add",
            json!({"driver": "power9_v2.0-spapr-cpu-core", "id": "core1", "core-id": 1}),
        ) else {
            panic!()
        };
        assert_eq!(
            (d.driver.as_str(), d.id.as_deref()),
            ("power9_v2.0-spapr-cpu-core", Some("core1"))
        );
        assert_eq!(d.props.get("core-id"), Some(&json!(1)));
        let h = device_add_str("pc-dimm,id=dimm1,memdev=mem1").unwrap();
        assert_eq!(h.driver, "pc-dimm");
        assert_eq!(h.props.get("memdev"), Some(&json!("mem1")));
    }

    #[test]
    fn object_add_schema() {
        let o = object_add(
            json!({"qom-type": "memory-backend-ram", "id": "m1", "size": 268435456, "share": true})
                .as_object()
                .unwrap()
                .clone(),
            false,
        )
        .unwrap();
        assert_eq!((o.id.as_str(), o.size), ("m1", 256 << 20));
        assert_eq!(o.props.get("share"), Some(&json!(true)));
        let e = |v: Value, kv| {
            object_add(v.as_object().unwrap().clone(), kv)
                .unwrap_err()
                .desc
        };
        assert_eq!(
            e(json!({"qom-type": "memory-backend-ram", "id": "m"}), false),
            "Parameter 'size' is missing"
        );
        assert_eq!(
            e(
                json!({"qom-type": "memory-backend-ram", "id": "m", "size": "1G"}),
                false
            ),
            "Parameter 'size' expects uint64"
        );
        assert_eq!(
            e(
                json!({"qom-type": "memory-backend-ram", "id": "m", "size": 1, "bogus": 1}),
                false
            ),
            "Parameter 'bogus' is unexpected"
        );
        assert_eq!(
            e(json!({"qom-type": "nope", "id": "m"}), false),
            "Parameter 'qom-type' does not accept value 'nope'"
        );
        let kv: Map<String, Value> =
            split_opts("memory-backend-ram,id=mem1,size=1G,prealloc=on", "qom-type")
                .into_iter()
                .map(|(k, v)| (k, json!(v)))
                .collect();
        let o = object_add(kv, true).unwrap();
        assert_eq!(o.size, 1 << 30);
        assert_eq!(o.props.get("prealloc"), Some(&json!(true)));
    }
}
