//! QMP's JSON, byte-compatible with QEMU 7.2 in both directions.
//!
//! Input: a streaming lexer feeds tokens to a splitter that counts braces
//! and brackets and parses a message as soon as they balance, so clients
//! may send no newline, several messages in one write or one message across
//! many writes. Like QEMU we accept single-quoted strings and `\'`, report
//! a lexical error as "JSON parse error, stray '...'", skip input after it
//! until a structural or control character, and bound a message by size,
//! token count and nesting depth. Syntax errors carry QEMU's wording
//! ("JSON parse error, expecting value", "... missing : in object pair").
//!
//! Output: QEMU's writer: `": "` and `", "` separators, ASCII only (other
//! characters as upper-case `\uXXXX`, surrogate pairs beyond the BMP),
//! floats as `%.17g`, and the optional 4-space pretty form.

use serde_json::{Map, Number, Value};

/// QEMU's limits on one message.
pub const MAX_MESSAGE_SIZE: usize = 64 << 20;
pub const MAX_TOKEN_COUNT: usize = 2 << 20;
pub const MAX_NESTING: usize = 1 << 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    LCurly,
    RCurly,
    LSquare,
    RSquare,
    Colon,
    Comma,
    Int,
    Float,
    Keyword,
    Str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Start,
    Recovery,
    Str { quote: u8, escape: bool },
    Zero,
    Digits,
    Sign,
    Mantissa,
    MantissaDigits,
    ExpE,
    ExpSign,
    ExpDigits,
    Keyword,
}

struct Token {
    kind: Kind,
    text: Vec<u8>,
}

/// Incremental QMP input parser. Feed it bytes; it yields one result per
/// message: the value, or QEMU's error description.
pub struct JsonStream {
    state: State,
    tok: Vec<u8>,
    tokens: Vec<Token>,
    braces: i64,
    brackets: i64,
    size: usize,
    max_size: usize,
}

impl Default for JsonStream {
    fn default() -> Self {
        JsonStream::new(MAX_MESSAGE_SIZE)
    }
}

impl JsonStream {
    /// `max_size` bounds one message in bytes (QEMU: 64 MiB).
    pub fn new(max_size: usize) -> JsonStream {
        JsonStream {
            state: State::Start,
            tok: Vec::new(),
            tokens: Vec::new(),
            braces: 0,
            brackets: 0,
            size: 0,
            max_size,
        }
    }

    /// Consume `data`, returning every message completed by it.
    pub fn feed(&mut self, data: &[u8]) -> Vec<Result<Value, String>> {
        let mut out = Vec::new();
        for &b in data {
            self.feed_byte(b, &mut out);
            if self.tok.len() > self.max_size {
                // One token alone is too big: drop it and start afresh.
                self.tok.clear();
                self.state = State::Start;
                self.reset_message();
                out.push(Err("JSON token size limit exceeded".into()));
            }
        }
        out
    }

    fn feed_byte(&mut self, b: u8, out: &mut Vec<Result<Value, String>>) {
        // Each pass either consumes `b` or ends a token by lookahead and
        // goes round again in the start state.
        loop {
            let consumed = match self.state {
                State::Start => match b {
                    b' ' | b'\t' | b'\r' | b'\n' => true,
                    b'"' | b'\'' => self.go(
                        b,
                        State::Str {
                            quote: b,
                            escape: false,
                        },
                    ),
                    b'0' => self.go(b, State::Zero),
                    b'1'..=b'9' => self.go(b, State::Digits),
                    b'-' => self.go(b, State::Sign),
                    b'a'..=b'z' => self.go(b, State::Keyword),
                    b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                        self.tok.push(b);
                        let kind = match b {
                            b'{' => Kind::LCurly,
                            b'}' => Kind::RCurly,
                            b'[' => Kind::LSquare,
                            b']' => Kind::RSquare,
                            b':' => Kind::Colon,
                            _ => Kind::Comma,
                        };
                        self.emit(kind, out);
                        true
                    }
                    _ => self.error(b, out),
                },
                State::Recovery => {
                    let resync = (b < 0x20 && b != b'\t') || b >= 0xfe || b"[]{}:,".contains(&b);
                    if resync {
                        self.state = State::Start;
                        false
                    } else {
                        true
                    }
                }
                State::Str { quote, escape } => {
                    if !(0x20..=0xfd).contains(&b) {
                        self.error(b, out)
                    } else if escape {
                        self.go(
                            b,
                            State::Str {
                                quote,
                                escape: false,
                            },
                        )
                    } else if b == b'\\' {
                        self.go(
                            b,
                            State::Str {
                                quote,
                                escape: true,
                            },
                        )
                    } else if b == quote {
                        self.tok.push(b);
                        self.emit(Kind::Str, out);
                        true
                    } else {
                        self.go(b, self.state)
                    }
                }
                State::Zero => match b {
                    b'0'..=b'9' => self.error(b, out),
                    b'.' => self.go(b, State::Mantissa),
                    _ => self.end(Kind::Int, out),
                },
                State::Digits => match b {
                    b'0'..=b'9' => self.go(b, State::Digits),
                    b'e' | b'E' => self.go(b, State::ExpE),
                    b'.' => self.go(b, State::Mantissa),
                    _ => self.end(Kind::Int, out),
                },
                State::Sign => match b {
                    b'0' => self.go(b, State::Zero),
                    b'1'..=b'9' => self.go(b, State::Digits),
                    _ => self.error(b, out),
                },
                State::Mantissa => match b {
                    b'0'..=b'9' => self.go(b, State::MantissaDigits),
                    _ => self.error(b, out),
                },
                State::MantissaDigits => match b {
                    b'0'..=b'9' => self.go(b, State::MantissaDigits),
                    b'e' | b'E' => self.go(b, State::ExpE),
                    _ => self.end(Kind::Float, out),
                },
                State::ExpE => match b {
                    b'+' | b'-' => self.go(b, State::ExpSign),
                    b'0'..=b'9' => self.go(b, State::ExpDigits),
                    _ => self.error(b, out),
                },
                State::ExpSign => match b {
                    b'0'..=b'9' => self.go(b, State::ExpDigits),
                    _ => self.error(b, out),
                },
                State::ExpDigits => match b {
                    b'0'..=b'9' => self.go(b, State::ExpDigits),
                    _ => self.end(Kind::Float, out),
                },
                State::Keyword => match b {
                    b'a'..=b'z' => self.go(b, State::Keyword),
                    _ => self.end(Kind::Keyword, out),
                },
            };
            if consumed {
                return;
            }
        }
    }

    fn go(&mut self, b: u8, next: State) -> bool {
        self.tok.push(b);
        self.state = next;
        true
    }

    /// A token ended by lookahead: emit it, then re-read `b` from Start.
    fn end(&mut self, kind: Kind, out: &mut Vec<Result<Value, String>>) -> bool {
        self.emit(kind, out);
        false
    }

    /// Lexical error: report the token so far plus the offending byte,
    /// drop the message in progress and skip to a resynchronisation point.
    fn error(&mut self, b: u8, out: &mut Vec<Result<Value, String>>) -> bool {
        self.tok.push(b);
        let text = String::from_utf8_lossy(&self.tok).into_owned();
        self.tok.clear();
        self.reset_message();
        self.state = State::Recovery;
        out.push(Err(format!("JSON parse error, stray '{text}'")));
        true
    }

    fn reset_message(&mut self) {
        self.tokens.clear();
        self.braces = 0;
        self.brackets = 0;
        self.size = 0;
    }

    fn emit(&mut self, kind: Kind, out: &mut Vec<Result<Value, String>>) {
        let text = std::mem::take(&mut self.tok);
        self.state = State::Start;
        match kind {
            Kind::LCurly => self.braces += 1,
            Kind::RCurly => self.braces -= 1,
            Kind::LSquare => self.brackets += 1,
            Kind::RSquare => self.brackets -= 1,
            _ => {}
        }
        let limit = if self.size + text.len() + 1 > self.max_size {
            Some("JSON token size limit exceeded")
        } else if self.tokens.len() + 1 > MAX_TOKEN_COUNT {
            Some("JSON token count limit exceeded")
        } else if self.braces + self.brackets > MAX_NESTING as i64 {
            Some("JSON nesting depth limit exceeded")
        } else {
            None
        };
        if let Some(msg) = limit {
            self.reset_message();
            out.push(Err(msg.into()));
            return;
        }
        self.size += text.len();
        self.tokens.push(Token { kind, text });
        let open = self.braces > 0 || self.brackets > 0;
        if open && self.braces >= 0 && self.brackets >= 0 {
            return;
        }
        let tokens = std::mem::take(&mut self.tokens);
        self.reset_message();
        let mut p = Parser {
            toks: &tokens,
            pos: 0,
        };
        out.push(p.value().map_err(|e| format!("JSON parse error, {e}")));
    }
}

/// Recursive descent over one message's tokens; errors are QEMU's texts
/// without the "JSON parse error, " prefix.
struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<&Token> {
        let t = self.toks.get(self.pos);
        self.pos += 1;
        t
    }

    fn value(&mut self) -> Result<Value, String> {
        let Some(t) = self.peek() else {
            return Err("premature EOI".into());
        };
        match t.kind {
            Kind::LCurly => self.object(),
            Kind::LSquare => self.array(),
            Kind::Str => {
                let v = parse_string(&t.text)?;
                self.pos += 1;
                Ok(Value::String(v))
            }
            Kind::Int | Kind::Float => {
                let v = parse_number(&t.text, t.kind == Kind::Int);
                self.pos += 1;
                Ok(Value::Number(v))
            }
            Kind::Keyword => {
                let v = match t.text.as_slice() {
                    b"true" => Value::Bool(true),
                    b"false" => Value::Bool(false),
                    b"null" => Value::Null,
                    other => {
                        return Err(format!(
                            "invalid keyword '{}'",
                            String::from_utf8_lossy(other)
                        ))
                    }
                };
                self.pos += 1;
                Ok(v)
            }
            _ => Err("expecting value".into()),
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut map = Map::new();
        match self.peek() {
            None => return Err("premature EOI".into()),
            Some(t) if t.kind == Kind::RCurly => {
                self.pos += 1;
                return Ok(Value::Object(map));
            }
            _ => {}
        }
        loop {
            let key = match self.value()? {
                Value::String(k) => k,
                _ => return Err("key is not a string in object".into()),
            };
            match self.next() {
                None => return Err("premature EOI".into()),
                Some(t) if t.kind != Kind::Colon => return Err("missing : in object pair".into()),
                _ => {}
            }
            let value = self.value()?;
            if map.contains_key(&key) {
                return Err("duplicate key".into());
            }
            map.insert(key, value);
            match self.next().map(|t| t.kind) {
                None => return Err("premature EOI".into()),
                Some(Kind::RCurly) => return Ok(Value::Object(map)),
                Some(Kind::Comma) => {}
                Some(_) => return Err("expected separator in dict".into()),
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut list = Vec::new();
        match self.peek() {
            None => return Err("premature EOI".into()),
            Some(t) if t.kind == Kind::RSquare => {
                self.pos += 1;
                return Ok(Value::Array(list));
            }
            _ => {}
        }
        loop {
            list.push(self.value()?);
            match self.next().map(|t| t.kind) {
                None => return Err("premature EOI".into()),
                Some(Kind::RSquare) => return Ok(Value::Array(list)),
                Some(Kind::Comma) => {}
                Some(_) => return Err("expected separator in list".into()),
            }
        }
    }
}

fn parse_number(text: &[u8], integer: bool) -> Number {
    let s = std::str::from_utf8(text).unwrap_or("0");
    if integer {
        if let Ok(v) = s.parse::<i64>() {
            return v.into();
        }
        if let Ok(v) = s.parse::<u64>() {
            return v.into();
        }
    }
    // QEMU keeps an overflowing float as infinity; JSON values cannot
    // hold that, so it saturates at the largest finite double.
    let f: f64 = s.parse().unwrap_or(0.0);
    let f = if f.is_finite() {
        f
    } else {
        f64::MAX.copysign(f)
    };
    Number::from_f64(f).unwrap_or_else(|| 0.into())
}

fn valid_codepoint(cp: u32) -> bool {
    cp <= 0x10ffff
        && !(0xd800..=0xdfff).contains(&cp)
        && !(0xfdd0..=0xfdef).contains(&cp)
        && (cp & 0xfffe) != 0xfffe
}

fn hex4(b: &[u8]) -> Option<u32> {
    if b.len() < 4 {
        return None;
    }
    let s = std::str::from_utf8(&b[..4]).ok()?;
    if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Decode a string token (quotes included) as QEMU does: its escapes plus
/// `\'`, modified UTF-8 (`C0 80` is NUL), no surrogates or noncharacters.
fn parse_string(tok: &[u8]) -> Result<String, String> {
    let quote = tok[0];
    let body = &tok[1..];
    let mut out = String::new();
    let mut i = 0;
    while i < body.len() && body[i] != quote {
        let b = body[i];
        if b == b'\\' {
            let beg = i;
            let esc = body.get(i + 1).copied().unwrap_or(0);
            i += 2;
            match esc {
                b'"' => out.push('"'),
                b'\'' => out.push('\''),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let mut cp = hex4(&body[i..]);
                    i = (i + 4).min(body.len());
                    if let Some(lead) = cp.filter(|c| (0xd800..=0xdbff).contains(c)) {
                        if body[i..].starts_with(b"\\u") {
                            match hex4(&body[i + 2..]) {
                                Some(t) if (0xdc00..=0xdfff).contains(&t) => {
                                    cp = Some(0x10000 + ((lead & 0x3ff) << 10) + (t & 0x3ff));
                                    i += 6;
                                }
                                _ => cp = None,
                            }
                        }
                    }
                    match cp.filter(|&c| valid_codepoint(c)).and_then(char::from_u32) {
                        Some(c) => out.push(c),
                        None => {
                            let text = String::from_utf8_lossy(&body[beg..i]);
                            return Err(format!("{text} is not a valid Unicode character"));
                        }
                    }
                }
                _ => return Err("invalid escape sequence in string".into()),
            }
            continue;
        }
        // One (modified) UTF-8 sequence.
        if b == 0xc0 && body.get(i + 1) == Some(&0x80) {
            out.push('\0');
            i += 2;
            continue;
        }
        let len = match b {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        let ch = body
            .get(i..i + len.max(1))
            .filter(|_| len > 0)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.chars().next())
            .filter(|&c| valid_codepoint(c as u32));
        match ch {
            Some(c) => {
                out.push(c);
                i += len;
            }
            None => return Err("invalid UTF-8 sequence in string".into()),
        }
    }
    Ok(out)
}

/// Serialise as QEMU's JSON writer does (compact or pretty).
pub fn to_string(v: &Value, pretty: bool) -> String {
    let mut out = String::new();
    write_value(&mut out, v, pretty, 0);
    out
}

fn newline(out: &mut String, pretty: bool, depth: usize, or_space: bool) {
    if pretty {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 4));
    } else if or_space {
        out.push(' ');
    }
}

fn write_value(out: &mut String, v: &Value, pretty: bool, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => out.push_str(&i.to_string()),
            (_, Some(u)) => out.push_str(&u.to_string()),
            _ => out.push_str(&format_g17(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => quote_into(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1, i > 0);
                write_value(out, e, pretty, depth + 1);
            }
            newline(out, pretty, depth, false);
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1, i > 0);
                quote_into(out, k);
                out.push_str(": ");
                write_value(out, e, pretty, depth + 1);
            }
            newline(out, pretty, depth, false);
            out.push('}');
        }
    }
}

/// Append `s` as a QEMU-style quoted ASCII string.
pub fn quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) >= 0x7f => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// C's `%.17g`.
fn format_g17(v: f64) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{v:.16e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if !(-4..17).contains(&x) {
        let sign = if x < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", trim(mant), sign, x.abs())
    } else {
        trim(&format!("{:.*}", (16 - x) as usize, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn all(input: &[&[u8]]) -> Vec<Result<Value, String>> {
        let mut s = JsonStream::default();
        input.iter().flat_map(|chunk| s.feed(chunk)).collect()
    }

    #[test]
    fn merged_and_split_messages() {
        let r = all(&[br#"{"execute":"a"}{"execute":"b","id":1}"#]);
        assert_eq!(
            r,
            vec![
                Ok(json!({"execute": "a"})),
                Ok(json!({"execute": "b", "id": 1}))
            ]
        );
        let msg = br#"{"execute": "query-status", "arguments": {"x": [1, -2.5e1, "s\u00e9"]}}"#;
        let chunks: Vec<&[u8]> = msg.chunks(1).collect();
        let r = all(&chunks);
        assert_eq!(
            r,
            vec![Ok(
                json!({"execute": "query-status", "arguments": {"x": [1, -25.0, "sé"]}})
            )]
        );
        // Incomplete input waits; a trailing number needs a delimiter.
        let mut s = JsonStream::default();
        assert!(s.feed(br#"{"execute""#).is_empty());
        assert_eq!(s.feed(br#":"x"}"#), vec![Ok(json!({"execute": "x"}))]);
        assert!(s.feed(b"12").is_empty());
        assert_eq!(s.feed(b" "), vec![Ok(json!(12))]);
    }

    #[test]
    fn qemu_extensions_and_numbers() {
        let r = all(&[
            br#"{'execute': 'it\'s', "n": 18446744073709551615, "m": -9223372036854775808}"#,
        ]);
        assert_eq!(
            r,
            vec![Ok(
                json!({"execute": "it's", "n": 18446744073709551615u64, "m": i64::MIN})
            )]
        );
        assert_eq!(
            all(&[b"[\"\\ud83d\\ude00\"]"]),
            vec![Ok(json!(["\u{1f600}"]))]
        );
    }

    #[test]
    fn syntax_errors_have_qemu_text_and_stream_survives() {
        let cases: &[(&[u8], &str)] = &[
            (b"{\"a\" 1}", "JSON parse error, missing : in object pair"),
            (
                b"{\"a\": 1 \"b\": 2}",
                "JSON parse error, expected separator in dict",
            ),
            (b"[1 2]", "JSON parse error, expected separator in list"),
            (b"{1: 2}", "JSON parse error, key is not a string in object"),
            (b"{\"a\": }", "JSON parse error, expecting value"),
            (b"{\"a\": nope}", "JSON parse error, invalid keyword 'nope'"),
            (b"{\"a\": 1, \"a\": 2}", "JSON parse error, duplicate key"),
            (
                b"{\"a\": \"\\x\"}",
                "JSON parse error, invalid escape sequence in string",
            ),
            (
                b"{\"a\": \"\\ud800\"}",
                "JSON parse error, \\ud800 is not a valid Unicode character",
            ),
            (b"]", "JSON parse error, expecting value"),
        ];
        for (input, want) in cases {
            let mut s = JsonStream::default();
            let got = s.feed(input);
            assert_eq!(
                got.first(),
                Some(&Err(want.to_string())),
                "{}",
                String::from_utf8_lossy(input)
            );
            // The parser is usable afterwards.
            assert_eq!(s.feed(b"{\"ok\": true}"), vec![Ok(json!({"ok": true}))]);
        }
    }

    #[test]
    fn lexical_errors_resynchronise() {
        let mut s = JsonStream::default();
        let r = s.feed(b"@junk and more\n{\"execute\": \"x\"}");
        assert_eq!(
            r,
            vec![
                Err("JSON parse error, stray '@'".into()),
                Ok(json!({"execute": "x"}))
            ]
        );
        let r = s.feed(b"{\"a\": -x}");
        assert_eq!(r[0], Err("JSON parse error, stray '-x'".into()));
        // The client's reset idiom: a control character or 0xff.
        let r = s.feed(b"{\"a\": \xff{\"b\": 1}");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1], Ok(json!({"b": 1})));
        let r = s.feed(b"{\"a\": \"x\ny\"}");
        assert_eq!(r[0], Err("JSON parse error, stray '\"x\n'".into()));
    }

    #[test]
    fn limits() {
        let mut s = JsonStream::new(64);
        let big = format!("{{\"execute\": \"{}\"}}", "a".repeat(100));
        let r = s.feed(big.as_bytes());
        assert_eq!(r[0], Err("JSON token size limit exceeded".into()));
        // Whatever the remains produce, a later message parses.
        let r = s.feed(b"\n{\"execute\": \"ok\"}");
        assert_eq!(r.last(), Some(&Ok(json!({"execute": "ok"}))));
        let mut s = JsonStream::default();
        let deep = "[".repeat(MAX_NESTING + 1);
        let r = s.feed(deep.as_bytes());
        assert_eq!(r, vec![Err("JSON nesting depth limit exceeded".into())]);
    }

    #[test]
    fn writer_matches_qemu() {
        let v = json!({"return": {"a": [1, 2], "s": "é\u{1f600}\"\n\u{1}"}, "f": 0.1});
        assert_eq!(
            to_string(&v, false),
            r#"{"f": 0.10000000000000001, "return": {"a": [1, 2], "s": "\u00E9\uD83D\uDE00\"\n\u0001"}}"#
        );
        assert_eq!(
            to_string(&json!({"return": {}}), true),
            "{\n    \"return\": {\n    }\n}"
        );
        assert_eq!(
            to_string(&json!({"a": [1]}), true),
            "{\n    \"a\": [\n        1\n    ]\n}"
        );
        assert_eq!(format_g17(1.0), "1");
        assert_eq!(format_g17(1e20), "1e+20");
        assert_eq!(format_g17(-2.5e-7), "-2.4999999999999999e-07");
    }
}
