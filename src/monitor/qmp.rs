//! One QMP connection's protocol state: the greeting, capability
//! negotiation, checking the request envelope (QEMU's "QMP input ..."
//! errors), `id` echo, and encoding replies and events exactly as QEMU 7.2
//! frames them (member order, `": "`/`", "`, CRLF after every message).

use super::commands::{self, Parsed, COMMANDS};
use super::json;
use super::{Command, ErrorClass, QmpError, PACKAGE, QEMU_VERSION};
use serde_json::{Map, Value};

/// What to do with one input message.
#[derive(Debug, PartialEq)]
pub enum Action {
    /// Send these bytes (a complete framed reply).
    Reply(String),
    /// Run `cmd` on the machine and reply with [`encode_result`].
    Machine { id: Option<Value>, cmd: Command },
    /// Run an HMP line and reply with its text.
    Hmp {
        id: Option<Value>,
        line: String,
        cpu_index: Option<i64>,
    },
}

/// Ordered JSON for envelopes whose member order QEMU fixes.
enum Node<'a> {
    Obj(Vec<(&'a str, Node<'a>)>),
    Val(&'a Value),
}

fn write_node(out: &mut String, n: &Node, pretty: bool, depth: usize) {
    match n {
        Node::Val(v) => {
            let s = json::to_string(v, pretty);
            // Re-indent nested pretty output to this depth.
            out.push_str(&s.replace('\n', &format!("\n{}", " ".repeat(depth * 4))));
        }
        Node::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    out.push_str(&" ".repeat((depth + 1) * 4));
                } else if i > 0 {
                    out.push(' ');
                }
                json::quote_into(out, k);
                out.push_str(": ");
                write_node(out, v, pretty, depth + 1);
            }
            if pretty {
                out.push('\n');
                out.push_str(&" ".repeat(depth * 4));
            }
            out.push('}');
        }
    }
}

/// A framed message: the JSON, then CRLF (QEMU turns every "\n" of
/// monitor output into "\r\n", pretty-printed line breaks included).
fn frame(n: &Node, pretty: bool) -> String {
    let mut s = String::new();
    write_node(&mut s, n, pretty, 0);
    s.push('\n');
    s.replace('\n', "\r\n")
}

pub fn greeting(oob: bool, pretty: bool) -> String {
    let (major, minor, micro) = QEMU_VERSION;
    let (ma, mi, mc) = (Value::from(major), Value::from(minor), Value::from(micro));
    let package = Value::from(PACKAGE);
    let caps = if oob {
        serde_json::json!(["oob"])
    } else {
        serde_json::json!([])
    };
    let n = Node::Obj(vec![(
        "QMP",
        Node::Obj(vec![
            (
                "version",
                Node::Obj(vec![
                    (
                        "qemu",
                        Node::Obj(vec![
                            ("micro", Node::Val(&mc)),
                            ("minor", Node::Val(&mi)),
                            ("major", Node::Val(&ma)),
                        ]),
                    ),
                    ("package", Node::Val(&package)),
                ]),
            ),
            ("capabilities", Node::Val(&caps)),
        ]),
    )]);
    frame(&n, pretty)
}

/// `{"return": V, "id": I}` or `{"id": I, "error": {"class", "desc"}}`.
pub fn encode_result(id: Option<&Value>, r: &Result<Value, QmpError>, pretty: bool) -> String {
    match r {
        Ok(v) => {
            let mut m = vec![("return", Node::Val(v))];
            if let Some(id) = id {
                m.push(("id", Node::Val(id)));
            }
            frame(&Node::Obj(m), pretty)
        }
        Err(e) => {
            let class = Value::from(e.class.as_str());
            let desc = Value::from(e.desc.as_str());
            let err = Node::Obj(vec![
                ("class", Node::Val(&class)),
                ("desc", Node::Val(&desc)),
            ]);
            let mut m = Vec::new();
            if let Some(id) = id {
                m.push(("id", Node::Val(id)));
            }
            m.push(("error", err));
            frame(&Node::Obj(m), pretty)
        }
    }
}

/// `{"timestamp": {"seconds", "microseconds"}, "event", "data"?}`.
pub fn encode_event(name: &str, data: Option<&Value>, pretty: bool) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let (s, us) = match now {
        Ok(d) => (d.as_secs() as i64, d.subsec_micros() as i64),
        Err(_) => (-1, -1),
    };
    let (s, us, name) = (Value::from(s), Value::from(us), Value::from(name));
    let ts = Node::Obj(vec![
        ("seconds", Node::Val(&s)),
        ("microseconds", Node::Val(&us)),
    ]);
    let mut m = vec![("timestamp", ts), ("event", Node::Val(&name))];
    if let Some(d) = data {
        m.push(("data", Node::Val(d)));
    }
    frame(&Node::Obj(m), pretty)
}

/// Per-connection state.
#[derive(Debug)]
pub struct Session {
    negotiated: bool,
    oob: bool,
    pretty: bool,
    vm_name: Option<String>,
}

impl Session {
    pub fn new(vm_name: Option<String>, pretty: bool) -> Session {
        Session {
            negotiated: false,
            oob: false,
            pretty,
            vm_name,
        }
    }

    pub fn negotiated(&self) -> bool {
        self.negotiated
    }

    fn reply(&self, id: Option<&Value>, r: Result<Value, QmpError>) -> Action {
        Action::Reply(encode_result(id, &r, self.pretty))
    }

    /// Handle one parsed message (or the parser's error text).
    pub fn handle(&mut self, msg: Result<Value, String>) -> Action {
        let obj = match msg {
            Err(desc) => return self.reply(None, Err(QmpError::generic(desc))),
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                return self.reply(
                    None,
                    Err(QmpError::generic("QMP input must be a JSON object")),
                )
            }
        };
        let id = obj.get("id").cloned();
        match self.dispatch(obj) {
            Ok(Parsed::Reply(v)) => self.reply(id.as_ref(), Ok(v)),
            Ok(Parsed::Capabilities { oob }) => {
                if self.negotiated {
                    let e = QmpError::new(
                        ErrorClass::CommandNotFound,
                        "Capabilities negotiation is already complete, command ignored",
                    );
                    return self.reply(id.as_ref(), Err(e));
                }
                self.negotiated = true;
                self.oob = oob;
                self.reply(id.as_ref(), Ok(Value::Object(Map::new())))
            }
            Ok(Parsed::Machine(cmd)) => Action::Machine { id, cmd },
            Ok(Parsed::Hmp { line, cpu_index }) => Action::Hmp {
                id,
                line,
                cpu_index,
            },
            Err(e) => self.reply(id.as_ref(), Err(e)),
        }
    }

    fn dispatch(&self, obj: Map<String, Value>) -> Result<Parsed, QmpError> {
        let mut exec_key: Option<&str> = None;
        for (k, v) in &obj {
            match k.as_str() {
                "execute" | "exec-oob" if k == "execute" || self.oob => {
                    if !v.is_string() {
                        return Err(QmpError::generic(format!(
                            "QMP input member '{k}' must be a string"
                        )));
                    }
                    if let Some(prev) = exec_key {
                        return Err(QmpError::generic(format!(
                            "QMP input member '{k}' clashes with '{prev}'"
                        )));
                    }
                    exec_key = Some(k);
                }
                "arguments" if !v.is_object() => {
                    return Err(QmpError::generic(
                        "QMP input member 'arguments' must be an object",
                    ))
                }
                "arguments" | "id" => {}
                _ => {
                    return Err(QmpError::generic(format!(
                        "QMP input member '{k}' is unexpected"
                    )))
                }
            }
        }
        let Some(key) = exec_key else {
            return Err(QmpError::generic("QMP input lacks member 'execute'"));
        };
        let name = obj[key].as_str().unwrap_or_default();
        let args = match obj.get("arguments") {
            Some(Value::Object(a)) => a.clone(),
            _ => Map::new(),
        };
        if !self.negotiated {
            // Only qmp_capabilities exists; QEMU rewrites the
            // CommandNotFound text to say so.
            let r = if name == "qmp_capabilities" {
                commands::parse(name, args, None)
            } else {
                Err(QmpError::new(ErrorClass::CommandNotFound, ""))
            };
            return r.map_err(|e| match e.class {
                ErrorClass::CommandNotFound => QmpError::new(
                    ErrorClass::CommandNotFound,
                    "Expecting capabilities negotiation with 'qmp_capabilities'",
                ),
                _ => e,
            });
        }
        if !COMMANDS.contains(&name) {
            return Err(QmpError::new(
                ErrorClass::CommandNotFound,
                format!("The command {name} has not been found"),
            ));
        }
        if key == "exec-oob" {
            return Err(QmpError::generic(format!(
                "The command {name} does not support OOB"
            )));
        }
        commands::parse(name, args, self.vm_name.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::json::JsonStream;

    /// Feed raw input and collect the replies a session would send.
    fn talk(s: &mut Session, input: &[u8]) -> Vec<String> {
        let mut p = JsonStream::default();
        p.feed(input)
            .into_iter()
            .map(|m| match s.handle(m) {
                Action::Reply(r) => r,
                Action::Machine { id, cmd } => format!("MACHINE {} {:?}", cmd.name(), id),
                Action::Hmp { line, .. } => format!("HMP {line}"),
            })
            .collect()
    }

    #[test]
    fn greeting_is_qemu_shaped() {
        assert_eq!(
            greeting(true, false),
            format!(
                "{{\"QMP\": {{\"version\": {{\"qemu\": {{\"micro\": 22, \"minor\": 2, \"major\": 7}}, \
                 \"package\": \"{PACKAGE}\"}}, \"capabilities\": [\"oob\"]}}}}\r\n"
            )
        );
    }

    #[test]
    fn negotiation() {
        let mut s = Session::new(None, false);
        let r = talk(
            &mut s,
            br#"{"execute":"query-status"}{"execute":"query-status","id":"a"}"#,
        );
        assert_eq!(
            r,
            vec![
                "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}\r\n",
                "{\"id\": \"a\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}\r\n",
            ]
        );
        let r = talk(
            &mut s,
            br#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":1}"#,
        );
        assert_eq!(r, vec!["{\"return\": {}, \"id\": 1}\r\n"]);
        let r = talk(&mut s, br#"{"execute":"qmp_capabilities"}"#);
        assert!(r[0].contains("Capabilities negotiation is already complete, command ignored"));
        let r = talk(&mut s, br#"{"execute":"query-status","id":{"x":[1]}}"#);
        assert_eq!(
            r,
            vec!["MACHINE query-status Some(Object {\"x\": Array [Number(1)]})"]
        );
    }

    #[test]
    fn envelope_errors() {
        let mut s = Session::new(Some("vm".into()), false);
        talk(&mut s, br#"{"execute":"qmp_capabilities"}"#);
        let cases: &[(&[u8], &str)] = &[
            (b"[1]", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}\r\n"),
            (br#"{"execute": 1, "id": 2}"#, "{\"id\": 2, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'execute' must be a string\"}}\r\n"),
            (br#"{"execute": "x", "arguments": []}"#, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'arguments' must be an object\"}}\r\n"),
            (br#"{"exec": "x"}"#, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'exec' is unexpected\"}}\r\n"),
            (br#"{"id": 5}"#, "{\"id\": 5, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}\r\n"),
            (br#"{"execute": "frob", "id": 6}"#, "{\"id\": 6, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command frob has not been found\"}}\r\n"),
            (br#"{"execute": "query-name"}"#, "{\"return\": {\"name\": \"vm\"}}\r\n"),
            (b"{\"execute\" \"x\"}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, missing : in object pair\"}}\r\n"),
        ];
        for (input, want) in cases {
            assert_eq!(
                talk(&mut s, input),
                vec![want.to_string()],
                "{}",
                String::from_utf8_lossy(input)
            );
        }
        // exec-oob only after oob was negotiated.
        let r = talk(&mut s, br#"{"exec-oob": "query-status", "id": 1}"#);
        assert!(r[0].contains("QMP input member 'exec-oob' is unexpected"));
        let mut s = Session::new(None, false);
        talk(
            &mut s,
            br#"{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}"#,
        );
        let r = talk(&mut s, br#"{"exec-oob": "query-status", "id": 1}"#);
        assert!(r[0].contains("The command query-status does not support OOB"));
    }

    #[test]
    fn events_and_pretty() {
        let e = encode_event("STOP", None, false);
        assert!(e.starts_with("{\"timestamp\": {\"seconds\": "));
        assert!(e.ends_with(", \"event\": \"STOP\"}\r\n"));
        let d = serde_json::json!({"path": "/machine/peripheral/core1", "device": "core1"});
        assert!(encode_event("DEVICE_DELETED", Some(&d), false)
            .ends_with("\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"core1\", \"path\": \"/machine/peripheral/core1\"}}\r\n"));
        assert_eq!(
            encode_result(Some(&Value::from(1)), &Ok(serde_json::json!({})), true),
            "{\r\n    \"return\": {\r\n    },\r\n    \"id\": 1\r\n}\r\n"
        );
    }
}
