//! The spapr-vty console (PAPR "hvterm1", reg 0x71000000) on the host's
//! stdio: output from H_PUT_TERM_CHAR goes to stdout; input is read by a
//! thread into a queue that H_GET_TERM_CHAR drains. On a terminal, stdin is
//! put in raw mode and QEMU's escapes work: Ctrl-a x quits, Ctrl-a c would
//! switch to the monitor, Ctrl-a Ctrl-a sends a literal Ctrl-a.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// Where the console goes (`-serial`, `-nographic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SerialMode {
    /// `-serial mon:stdio` / `-nographic`: stdio with the Ctrl-a escapes.
    MonStdio,
    /// `-serial stdio`: stdio, no escapes.
    Stdio,
    /// `-serial null`: output discarded, no input.
    Null,
}

/// What a console escape asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleEvent {
    Quit,
    Monitor,
}

pub struct Console {
    mode: SerialMode,
    rx: Option<Receiver<u8>>,
    queue: VecDeque<u8>,
    escape: bool,
    /// `-icount`: input reaches the guest's queue only at the machine's
    /// service points, whole lines at a time (icount.rs); bytes wait in
    /// `staging` until then.
    pub gated: bool,
    staging: VecDeque<u8>,
    saved: Option<libc::termios>,
    pub events: VecDeque<ConsoleEvent>,
    out: std::io::Stdout,
}

impl Console {
    pub fn new(mode: SerialMode) -> Console {
        let mut saved = None;
        let rx = if mode == SerialMode::Null {
            None
        } else {
            // SAFETY: isatty/tcgetattr/tcsetattr on fd 0 with local structs.
            unsafe {
                if libc::isatty(0) == 1 {
                    let mut t: libc::termios = std::mem::zeroed();
                    if libc::tcgetattr(0, &mut t) == 0 {
                        saved = Some(t);
                        let mut raw = t;
                        libc::cfmakeraw(&mut raw);
                        // Keep output post-processing so "\n" still works
                        // for our own messages.
                        raw.c_oflag |= libc::OPOST;
                        libc::tcsetattr(0, libc::TCSANOW, &raw);
                    }
                }
            }
            let (tx, rx) = mpsc::channel();
            std::thread::Builder::new()
                .name("stdin".into())
                .spawn(move || {
                    let mut stdin = std::io::stdin();
                    let mut buf = [0u8; 256];
                    loop {
                        match stdin.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => {
                                for &b in &buf[..n] {
                                    if tx.send(b).is_err() {
                                        return;
                                    }
                                }
                            }
                        }
                    }
                })
                .ok();
            Some(rx)
        };
        Console {
            mode,
            rx,
            queue: VecDeque::new(),
            escape: false,
            gated: false,
            staging: VecDeque::new(),
            saved,
            events: VecDeque::new(),
            out: std::io::stdout(),
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        if self.mode == SerialMode::Null {
            return;
        }
        let _ = self.out.write_all(bytes);
        let _ = self.out.flush();
    }

    /// Move input from the reader thread into the queue, interpreting the
    /// Ctrl-a escapes in `mon:stdio` mode.
    pub fn pump(&mut self) {
        let Some(rx) = &self.rx else { return };
        loop {
            match rx.try_recv() {
                Ok(b) => {
                    if self.mode == SerialMode::MonStdio && self.escape {
                        self.escape = false;
                        match b {
                            b'x' => self.events.push_back(ConsoleEvent::Quit),
                            b'c' => self.events.push_back(ConsoleEvent::Monitor),
                            0x01 => self.queue.push_back(0x01),
                            b'h' => {
                                let help = b"\r\nC-a h    print this help\r\nC-a x    exit emulator\r\nC-a c    switch between console and monitor\r\nC-a C-a  sends C-a\r\n";
                                let _ = self.out.write_all(help);
                                let _ = self.out.flush();
                            }
                            _ => {}
                        }
                    } else if self.mode == SerialMode::MonStdio && b == 0x01 {
                        self.escape = true;
                    } else if self.gated {
                        self.staging.push_back(b);
                    } else {
                        self.queue.push_back(b);
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.rx = None;
                    break;
                }
            }
        }
    }

    /// Up to `max` bytes of pending input.
    pub fn read(&mut self, max: usize) -> Vec<u8> {
        if !self.gated {
            self.pump();
        }
        let n = self.queue.len().min(max);
        self.queue.drain(..n).collect()
    }

    /// Whether input arrived since the last call (QEMU's spapr-vty pulses
    /// its interrupt once per arrival, not while input waits).
    pub fn new_input(&mut self) -> bool {
        let before = self.queue.len();
        self.pump();
        if self.gated {
            // Whole lines only, so where a line is split never depends on
            // how the host's reader thread happened to deliver it.
            if let Some(end) = self.staging.iter().rposition(|&b| b == b'\n' || b == b'\r') {
                self.queue.extend(self.staging.drain(..=end));
            }
        }
        self.queue.len() > before
    }

    pub fn has_input(&mut self) -> bool {
        if !self.gated {
            self.pump();
        }
        !self.queue.is_empty()
    }

    pub fn restore(&mut self) {
        if let Some(t) = self.saved.take() {
            // SAFETY: restoring the attributes saved at start.
            unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) };
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.restore();
    }
}
