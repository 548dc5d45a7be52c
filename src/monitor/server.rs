//! Monitor threads and transports. Each listening endpoint has an accept
//! thread; each connection has a reader thread (parse, validate, forward
//! to the machine, wait for the answer) and, for QMP, a writer thread fed
//! by a channel so that events and replies keep their order and a slow
//! client never blocks the machine. Several clients may be connected at
//! once (QEMU serves one per socket; we accept more). A client that goes
//! away mid-command only loses its reply; the machine is not disturbed.
//! A client that stops reading is dropped once 16 MiB of output is queued.

use super::config::{Endpoint, MonitorConfig, MonitorMode, MonitorSpec};
use super::hmp::{HmpSession, PROMPT};
use super::json::JsonStream;
use super::qmp::{encode_event, encode_result, greeting, Action, Session};
use super::{Command, Event, MonitorError, QmpError, Request};
use serde_json::Value;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Output queued for one client beyond which it is disconnected.
const MAX_PENDING: usize = 16 << 20;

enum Conn {
    Unix(UnixStream),
    Tcp(TcpStream),
    Stdio,
}

impl Conn {
    fn try_clone(&self) -> io::Result<Conn> {
        Ok(match self {
            Conn::Unix(s) => Conn::Unix(s.try_clone()?),
            Conn::Tcp(s) => Conn::Tcp(s.try_clone()?),
            Conn::Stdio => Conn::Stdio,
        })
    }

    fn shutdown(&self) {
        let _ = match self {
            Conn::Unix(s) => s.shutdown(std::net::Shutdown::Both),
            Conn::Tcp(s) => s.shutdown(std::net::Shutdown::Both),
            Conn::Stdio => Ok(()),
        };
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Unix(s) => s.read(buf),
            Conn::Tcp(s) => s.read(buf),
            Conn::Stdio => io::stdin().read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Unix(s) => s.write(buf),
            Conn::Tcp(s) => s.write(buf),
            Conn::Stdio => io::stdout().write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Stdio => io::stdout().flush(),
            _ => Ok(()),
        }
    }
}

enum Out {
    Data(Vec<u8>),
    Close,
}

/// A connected client, as the event broadcaster and shutdown see it.
struct Client {
    id: u64,
    /// QMP output queue (None for HMP, which writes directly).
    tx: Option<Sender<Out>>,
    negotiated: Arc<AtomicBool>,
    pending: Arc<AtomicUsize>,
    pretty: bool,
    conn: Option<Conn>,
    writer: Option<JoinHandle<()>>,
}

struct Shared {
    clients: Mutex<Vec<Client>>,
    requests: Sender<Request>,
    inflight: AtomicUsize,
    stopping: AtomicBool,
    next_id: AtomicU64,
    cfg: MonitorConfig,
}

/// Counts a command from reception to its queued reply, so shutdown can
/// let `quit`'s reply out.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn new(n: &'a AtomicUsize) -> InFlight<'a> {
        n.fetch_add(1, Ordering::SeqCst);
        InFlight(n)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    fn clients(&self) -> MutexGuard<'_, Vec<Client>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Send a command to the machine and wait for its answer.
    fn call(&self, cmd: Command) -> Result<Value, QmpError> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(QmpError::generic("the machine is shutting down"));
        }
        let (tx, rx) = mpsc::channel();
        if self.requests.send(Request::new(cmd, tx)).is_err() {
            return Err(QmpError::generic("the machine is not running"));
        }
        rx.recv()
            .unwrap_or_else(|_| Err(QmpError::generic("the machine is not running")))
    }

    fn broadcast(&self, name: &str, data: Option<&Value>) {
        let compact = encode_event(name, data, false);
        let mut pretty = None;
        for c in self.clients().iter() {
            let Some(tx) = &c.tx else { continue };
            if !c.negotiated.load(Ordering::SeqCst) {
                continue;
            }
            if c.pending.load(Ordering::SeqCst) > MAX_PENDING {
                if let Some(conn) = &c.conn {
                    conn.shutdown();
                }
                continue;
            }
            let msg = if c.pretty {
                pretty
                    .get_or_insert_with(|| encode_event(name, data, true))
                    .clone()
            } else {
                compact.clone()
            };
            c.pending.fetch_add(msg.len(), Ordering::SeqCst);
            let _ = tx.send(Out::Data(msg.into_bytes()));
        }
    }

    fn register(&self, mut c: Client) -> u64 {
        c.id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let id = c.id;
        self.clients().push(c);
        id
    }

    fn unregister(&self, id: u64) {
        self.clients().retain(|c| c.id != id);
    }
}

/// Emits events from any thread.
#[derive(Clone)]
pub struct EventSink(Arc<Shared>);

impl EventSink {
    pub fn emit(&self, ev: &Event) {
        let (name, data) = ev.parts();
        self.0.broadcast(name, data.as_ref());
    }

    pub fn emit_event(&self, name: &str, data: Option<Value>) {
        self.0.broadcast(name, data.as_ref());
    }
}

enum Waker {
    Unix(PathBuf),
    Tcp(SocketAddr),
}

/// The machine's handle on the monitor. Poll it from the machine loop.
pub struct Monitor {
    rx: Receiver<Request>,
    shared: Arc<Shared>,
    wakers: Vec<Waker>,
    tcp_addrs: Vec<SocketAddr>,
    closed: bool,
}

impl Monitor {
    /// Open every configured endpoint and start serving. Client-mode
    /// sockets are connected now and `wait=on` servers wait for their
    /// first client, as QEMU does at startup.
    pub fn start(cfg: MonitorConfig) -> Result<Monitor, MonitorError> {
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            clients: Mutex::new(Vec::new()),
            requests: tx,
            inflight: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            cfg: cfg.clone(),
        });
        let mut m = Monitor {
            rx,
            shared,
            wakers: Vec::new(),
            tcp_addrs: Vec::new(),
            closed: false,
        };
        for spec in &cfg.monitors {
            m.open(spec)?;
        }
        Ok(m)
    }

    fn open(&mut self, spec: &MonitorSpec) -> Result<(), MonitorError> {
        let desc = spec.endpoint.describe();
        let waiting =
            || eprintln!("powerlift: info: QEMU waiting for connection on: disconnected:{desc}");
        match &spec.endpoint {
            Endpoint::Stdio => spawn_connection(&self.shared, Conn::Stdio, spec),
            Endpoint::Unix {
                path,
                server: false,
                ..
            } => {
                let s = UnixStream::connect(path)
                    .map_err(|e| MonitorError::Connect(path.display().to_string(), e))?;
                spawn_connection(&self.shared, Conn::Unix(s), spec);
            }
            Endpoint::Tcp {
                host,
                port,
                server: false,
                ..
            } => {
                let addr = format!("{host}:{port}");
                let s = TcpStream::connect(&addr)
                    .map_err(|e| MonitorError::Connect(addr.clone(), e))?;
                spawn_connection(&self.shared, Conn::Tcp(s), spec);
            }
            Endpoint::Unix {
                path,
                server: true,
                wait,
            } => {
                if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket()) {
                    let _ = std::fs::remove_file(path);
                }
                let l =
                    UnixListener::bind(path).map_err(|e| MonitorError::Bind(desc.clone(), e))?;
                if *wait {
                    waiting();
                    let (s, _) = l.accept().map_err(|e| MonitorError::Io(desc.clone(), e))?;
                    spawn_connection(&self.shared, Conn::Unix(s), spec);
                }
                let (shared, spec) = (self.shared.clone(), spec.clone());
                spawn("monitor-listen", move || {
                    for s in l.incoming() {
                        if shared.stopping.load(Ordering::SeqCst) {
                            break;
                        }
                        match s {
                            Ok(s) => spawn_connection(&shared, Conn::Unix(s), &spec),
                            Err(_) => thread::sleep(Duration::from_millis(50)),
                        }
                    }
                });
                self.wakers.push(Waker::Unix(path.clone()));
            }
            Endpoint::Tcp {
                host,
                port,
                server: true,
                wait,
            } => {
                let l = TcpListener::bind((host.as_str(), *port))
                    .map_err(|e| MonitorError::Bind(desc.clone(), e))?;
                let addr = l
                    .local_addr()
                    .map_err(|e| MonitorError::Io(desc.clone(), e))?;
                if !addr.ip().is_loopback() {
                    return Err(MonitorError::Bind(
                        desc,
                        io::Error::other("not a loopback address"),
                    ));
                }
                self.tcp_addrs.push(addr);
                if *wait {
                    waiting();
                    let (s, _) = l.accept().map_err(|e| MonitorError::Io(desc.clone(), e))?;
                    spawn_connection(&self.shared, Conn::Tcp(s), spec);
                }
                let (shared, spec) = (self.shared.clone(), spec.clone());
                spawn("monitor-listen", move || {
                    for s in l.incoming() {
                        if shared.stopping.load(Ordering::SeqCst) {
                            break;
                        }
                        match s {
                            Ok(s) => spawn_connection(&shared, Conn::Tcp(s), &spec),
                            Err(_) => thread::sleep(Duration::from_millis(50)),
                        }
                    }
                });
                self.wakers.push(Waker::Tcp(addr));
            }
        }
        Ok(())
    }

    /// The next command for the machine, if any (never blocks).
    pub fn poll(&self) -> Option<Request> {
        self.rx.try_recv().ok()
    }

    /// Block up to `timeout` for a command (for a paused machine).
    pub fn wait(&self, timeout: Duration) -> Option<Request> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Send an event to every negotiated QMP client.
    pub fn emit(&self, ev: &Event) {
        EventSink(self.shared.clone()).emit(ev);
    }

    /// Send an event by name; `data` must be an object or None.
    pub fn emit_event(&self, name: &str, data: Option<Value>) {
        self.shared.broadcast(name, data.as_ref());
    }

    /// A handle for emitting events from other threads.
    pub fn event_sink(&self) -> EventSink {
        EventSink(self.shared.clone())
    }

    /// An HMP session for the console's monitor mode (Ctrl-a c); run its
    /// lines with the machine's own command executor.
    pub fn hmp_session(&self) -> HmpSession {
        HmpSession::new(self.shared.cfg.name.clone())
    }

    /// Addresses of the TCP listeners (to learn a port-0 choice).
    pub fn tcp_addrs(&self) -> &[SocketAddr] {
        &self.tcp_addrs
    }

    /// Stop serving: let replies in flight (such as `quit`'s) reach their
    /// clients, close every connection and remove the socket files.
    pub fn shutdown(mut self) {
        self.close();
    }

    fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        self.shared.stopping.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            // Commands nobody will run are answered with an error by Drop.
            while let Ok(r) = self.rx.try_recv() {
                drop(r);
            }
            if self.shared.inflight.load(Ordering::SeqCst) == 0 || Instant::now() > deadline {
                break;
            }
            thread::sleep(Duration::from_millis(2));
        }
        let clients = std::mem::take(&mut *self.shared.clients());
        for c in &clients {
            match (&c.tx, &c.conn) {
                (Some(tx), _) => {
                    let _ = tx.send(Out::Close);
                }
                (None, Some(conn)) => conn.shutdown(),
                _ => {}
            }
        }
        for mut c in clients {
            if let Some(h) = c.writer.take() {
                while !h.is_finished() && Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(2));
                }
                if let Some(conn) = &c.conn {
                    conn.shutdown();
                }
                let _ = h.join();
            }
        }
        for w in self.wakers.drain(..) {
            match w {
                Waker::Unix(path) => {
                    let _ = UnixStream::connect(&path);
                    let _ = std::fs::remove_file(&path);
                }
                Waker::Tcp(addr) => {
                    let _ = TcpStream::connect_timeout(&addr, Duration::from_millis(200));
                }
            }
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.close();
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Option<JoinHandle<()>> {
    thread::Builder::new().name(name.into()).spawn(f).ok()
}

fn spawn_connection(shared: &Arc<Shared>, conn: Conn, spec: &MonitorSpec) {
    let shared = shared.clone();
    let pretty = spec.pretty;
    match spec.mode {
        MonitorMode::Control => spawn("qmp", move || qmp_connection(&shared, conn, pretty)),
        MonitorMode::Readline => spawn("hmp", move || hmp_connection(&shared, conn)),
    };
}

fn writer_loop(mut conn: Conn, rx: Receiver<Out>, pending: Arc<AtomicUsize>) {
    for out in rx {
        match out {
            Out::Data(b) => {
                let r = conn.write_all(&b).and_then(|_| conn.flush());
                pending.fetch_sub(b.len(), Ordering::SeqCst);
                if r.is_err() {
                    conn.shutdown();
                    return;
                }
            }
            Out::Close => {
                conn.shutdown();
                return;
            }
        }
    }
}

fn qmp_connection(shared: &Shared, mut conn: Conn, pretty: bool) {
    let (Ok(wconn), Ok(kconn)) = (conn.try_clone(), conn.try_clone()) else {
        return;
    };
    let (tx, rx) = mpsc::channel();
    let pending = Arc::new(AtomicUsize::new(0));
    let negotiated = Arc::new(AtomicBool::new(false));
    let p2 = pending.clone();
    let writer = spawn("qmp-out", move || writer_loop(wconn, rx, p2));
    let send = |s: String| {
        pending.fetch_add(s.len(), Ordering::SeqCst);
        let _ = tx.send(Out::Data(s.into_bytes()));
    };
    // Greet before registering, so no event can precede the greeting.
    send(greeting(shared.cfg.oob, pretty));
    let id = shared.register(Client {
        id: 0,
        tx: Some(tx.clone()),
        negotiated: negotiated.clone(),
        pending: pending.clone(),
        pretty,
        conn: Some(kconn),
        writer,
    });
    let name = shared.cfg.name.clone();
    let mut session = Session::new(name.clone(), pretty);
    let mut parser = JsonStream::new(shared.cfg.max_message);
    let mut buf = vec![0u8; 64 << 10];
    'conn: loop {
        let n = match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for msg in parser.feed(&buf[..n]) {
            let _guard = InFlight::new(&shared.inflight);
            let reply = match session.handle(msg) {
                Action::Reply(s) => s,
                Action::Machine { id, cmd } => {
                    encode_result(id.as_ref(), &shared.call(cmd), pretty)
                }
                Action::Hmp {
                    id,
                    line,
                    cpu_index,
                } => {
                    // Each human-monitor-command gets a fresh HMP monitor.
                    let mut hmp = HmpSession::new(name.clone());
                    let mut exec = |c: Command| shared.call(c);
                    let r = match cpu_index {
                        Some(i) => hmp.select_cpu(i, &mut exec),
                        None => Ok(()),
                    };
                    let r = r.map(|_| Value::String(hmp.execute(&line, &mut exec).output));
                    encode_result(id.as_ref(), &r, pretty)
                }
            };
            send(reply);
            if session.negotiated() {
                negotiated.store(true, Ordering::SeqCst);
            }
            if shared.stopping.load(Ordering::SeqCst) {
                break 'conn;
            }
        }
    }
    shared.unregister(id);
}

fn hmp_connection(shared: &Shared, conn: Conn) {
    let Ok(mut w) = conn.try_clone() else { return };
    let id = shared.register(Client {
        id: 0,
        tx: None,
        negotiated: Arc::new(AtomicBool::new(false)),
        pending: Arc::new(AtomicUsize::new(0)),
        pretty: false,
        conn: conn.try_clone().ok(),
        writer: None,
    });
    let mut session = HmpSession::new(shared.cfg.name.clone());
    let mut ok = write!(w, "{}{PROMPT}", HmpSession::banner())
        .and_then(|_| w.flush())
        .is_ok();
    let mut reader = BufReader::new(conn);
    let mut line = Vec::new();
    while ok {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let _guard = InFlight::new(&shared.inflight);
        let r = session.execute(text, &mut |c| shared.call(c));
        ok = write!(w, "{}{PROMPT}", r.output)
            .and_then(|_| w.flush())
            .is_ok();
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
    }
    shared.unregister(id);
}
