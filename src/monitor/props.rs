//! Device and object properties. QMP sends them as typed JSON, HMP and
//! the command line as strings (`core-id=1,memdev=m1`); [`Props`] holds
//! either and its getters accept both, with QEMU's error texts. Also the
//! QemuOpts/keyval splitting of `a,b=c,,d` strings and QEMU's size syntax.

use super::QmpError;
use serde_json::{Map, Value};

/// Properties not yet consumed. Take the ones a device understands, then
/// call [`Props::finish`] to refuse the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Props {
    map: Map<String, Value>,
}

impl Props {
    pub fn new(map: Map<String, Value>) -> Props {
        Props { map }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.map.keys()
    }

    pub fn insert(&mut self, key: &str, v: Value) {
        self.map.insert(key.to_string(), v);
    }

    /// A string property.
    pub fn take_str(&mut self, key: &str) -> Result<Option<String>, QmpError> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(if b { "on" } else { "off" }.into())),
            Some(_) => Err(QmpError::bad_type(key, "string")),
        }
    }

    /// An unsigned integer: a JSON number, or a decimal/0x string.
    pub fn take_uint(&mut self, key: &str) -> Result<Option<u64>, QmpError> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| QmpError::bad_value(key, "uint64")),
            Some(Value::String(s)) => parse_uint(&s)
                .map(Some)
                .ok_or_else(|| QmpError::bad_value(key, "uint64")),
            Some(_) => Err(QmpError::bad_value(key, "uint64")),
        }
    }

    /// A signed integer: a JSON number, or a decimal/0x string.
    pub fn take_int(&mut self, key: &str) -> Result<Option<i64>, QmpError> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| QmpError::bad_value(key, "int64")),
            Some(Value::String(s)) => parse_int(&s)
                .map(Some)
                .ok_or_else(|| QmpError::bad_value(key, "int64")),
            Some(_) => Err(QmpError::bad_value(key, "int64")),
        }
    }

    /// A size: a JSON number, or a string with QEMU's suffixes ("256M").
    pub fn take_size(&mut self, key: &str) -> Result<Option<u64>, QmpError> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| QmpError::bad_value(key, "uint64")),
            Some(Value::String(s)) => parse_size(&s)
                .map(Some)
                .ok_or_else(|| QmpError::bad_value(key, "a non-negative number below 2^64")),
            Some(_) => Err(QmpError::bad_value(key, "uint64")),
        }
    }

    /// A boolean: JSON true/false or "on"/"off" (also yes/no, true/false).
    pub fn take_bool(&mut self, key: &str) -> Result<Option<bool>, QmpError> {
        match self.map.remove(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(Value::String(s)) => match s.as_str() {
                "on" | "yes" | "true" | "y" => Ok(Some(true)),
                "off" | "no" | "false" | "n" => Ok(Some(false)),
                _ => Err(QmpError::bad_value(key, "'on' or 'off'")),
            },
            Some(_) => Err(QmpError::bad_value(key, "'on' or 'off'")),
        }
    }

    /// Refuse whatever is left: "Property 'TYPE.KEY' not found".
    pub fn finish(self, type_name: &str) -> Result<(), QmpError> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(QmpError::generic(format!(
                "Property '{type_name}.{k}' not found"
            ))),
        }
    }
}

/// Decimal, or hex with 0x (QEMU's base-0 strtoull without octal surprises).
pub fn parse_uint(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

pub fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    match s.strip_prefix('-') {
        Some(rest) => parse_uint(rest).and_then(|v| 0i64.checked_sub_unsigned(v)),
        None => parse_uint(s).and_then(|v| i64::try_from(v).ok()),
    }
}

/// QEMU's size syntax: a number (fractions allowed) with an optional
/// B/K/M/G/T/P/E suffix (any case); no suffix means bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok();
    }
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        "P" => 50,
        "E" => 60,
        _ => return None,
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if let Ok(v) = num.parse::<u64>() {
        return v.checked_mul(1u64 << shift);
    }
    let f: f64 = num.parse().ok()?;
    let v = f * (1u64 << shift) as f64;
    (0.0..18446744073709551616.0)
        .contains(&v)
        .then_some(v as u64)
}

/// Split QemuOpts/keyval text "a,b=c,,d" into pairs; ",," is a literal
/// comma. A first element without '=' is given `implied` as key; a later
/// one means `key=on`.
pub fn split_opts(s: &str, implied: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ',' {
            if chars.peek() == Some(&',') {
                chars.next();
                cur.push(',');
            } else {
                parts.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None if i == 0 => (implied.to_string(), p),
            None => (p, "on".to_string()),
        })
        .collect()
}

/// QEMU's identifier rule for `id=`: a letter, then letters, digits, '-',
/// '.', '_'.
pub fn id_wellformed(id: &str) -> bool {
    let mut c = id.chars();
    matches!(c.next(), Some(f) if f.is_ascii_alphabetic())
        && c.all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '.' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn getters_accept_json_and_strings() {
        let mut p = Props::new(
            json!({"core-id": 1, "node-id": "0x2", "size": "1G", "share": "on", "bad": "x"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(p.take_uint("core-id"), Ok(Some(1)));
        assert_eq!(p.take_uint("node-id"), Ok(Some(2)));
        assert_eq!(p.take_size("size"), Ok(Some(1 << 30)));
        assert_eq!(p.take_bool("share"), Ok(Some(true)));
        assert_eq!(p.take_uint("missing"), Ok(None));
        assert_eq!(
            p.clone().take_uint("bad").unwrap_err().desc,
            "Parameter 'bad' expects uint64"
        );
        assert_eq!(
            p.finish("pc-dimm").unwrap_err().desc,
            "Property 'pc-dimm.bad' not found"
        );
    }

    #[test]
    fn option_strings() {
        assert_eq!(
            split_opts("pc-dimm,id=d1,memdev=m,,1,x", "driver"),
            vec![
                ("driver".into(), "pc-dimm".into()),
                ("id".into(), "d1".into()),
                ("memdev".into(), "m,1".into()),
                ("x".into(), "on".into())
            ]
        );
        assert_eq!(parse_size("1.5G"), Some(3 << 29));
        assert_eq!(parse_size("256m"), Some(256 << 20));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("1Q"), None);
        assert_eq!(parse_int("-0x10"), Some(-16));
        assert!(id_wellformed("core1") && id_wellformed("a-b.c_d"));
        assert!(!id_wellformed("1core") && !id_wellformed("") && !id_wellformed("a b"));
    }
}
