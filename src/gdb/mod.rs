//! The gdb remote stub of `-s` / `-gdb tcp::PORT` (system mode), on the
//! `gdbstub` crate's non-blocking state machine: the machine's main loop
//! feeds it the bytes a reader thread takes off the socket, and reports
//! stops (breakpoint, single step, Ctrl-C) when a vCPU has one.
//!
//! As QEMU's stub: attaching stops the machine; `continue` runs it (and
//! leaves `-S`'s prelaunch state); `kill` quits; detaching lets it run on.
//! Breakpoints (Z0 and Z1 alike) are effective addresses checked before
//! each instruction while any is set, with every vCPU interpreted one
//! instruction at a time (`exec::interp::debug`); guest memory is never
//! patched. A single step runs only the vCPU being debugged. gdb sees one
//! thread: the vCPU that stopped last (vCPU 0 at first). Registers: the
//! core and FPU sets (`arch`), in the vCPU's MSR[LE] byte order.

pub mod arch;

use crate::exec::interp::debug::Debug;
use crate::spapr::machine::{Machine, Shutdown};
use arch::{Ppc64, Regs};
use gdbstub::common::Signal;
use gdbstub::stub::state_machine::GdbStubStateMachine;
use gdbstub::stub::{DisconnectReason, GdbStub, SingleThreadStopReason};
use gdbstub::target::ext::base::singlethread::{
    SingleThreadBase, SingleThreadResume, SingleThreadResumeOps, SingleThreadSingleStep,
    SingleThreadSingleStepOps,
};
use gdbstub::target::ext::base::BaseOps;
use gdbstub::target::ext::breakpoints::{
    Breakpoints, BreakpointsOps, HwBreakpoint, HwBreakpointOps, SwBreakpoint, SwBreakpointOps,
};
use gdbstub::target::{Target, TargetError, TargetResult};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, TryRecvError};

type Sm = GdbStubStateMachine<'static, Machine, TcpStream>;

/// One connected debugger.
struct Session {
    sm: Option<Sm>,
    /// Bytes from the socket (`None`: the connection closed).
    rx: Receiver<Option<u8>>,
}

/// The stub's state, owned by the machine.
#[derive(Default)]
pub struct GdbState {
    listener: Option<TcpListener>,
    session: Option<Session>,
    /// A debugger is connected.
    attached: bool,
    /// The debugger holds the machine stopped.
    pub halted: bool,
    /// The vCPU gdb sees.
    cpu: usize,
    /// A stop to report to the debugger.
    stop: Option<SingleThreadStopReason<u64>>,
    breakpoints: Vec<u64>,
    step: bool,
}

/// Parse a `-gdb` device, `tcp::PORT` or `tcp:HOST:PORT`, into a listen
/// address. The host must be a loopback address (empty means 127.0.0.1),
/// the QMP socket's policy (`monitor::config::tcp_host_port`), where QEMU
/// listens on every interface: a debugger reads and writes all guest
/// memory.
pub fn parse_dev(dev: &str) -> Result<String, String> {
    let hp = dev
        .strip_prefix("tcp:")
        .ok_or_else(|| format!("-gdb {dev}: only tcp:[HOST]:PORT is supported"))?;
    let (host, port) =
        crate::monitor::config::tcp_host_port(hp).map_err(|e| format!("-gdb {dev}: {e}"))?;
    Ok(if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    })
}

impl GdbState {
    /// Listen on `addr` (from `parse_dev`).
    pub fn listen(addr: &str) -> Result<GdbState, String> {
        let l = TcpListener::bind(addr).map_err(|e| format!("-gdb {addr}: {e}"))?;
        l.set_nonblocking(true)
            .map_err(|e| format!("-gdb {addr}: {e}"))?;
        Ok(GdbState {
            listener: Some(l),
            ..GdbState::default()
        })
    }

    /// Whether vCPU `n` may run now.
    pub fn runs(&self, n: usize) -> bool {
        !self.halted && (!self.step || n == self.cpu)
    }

    /// vCPU `n` stopped at a breakpoint or after its step.
    pub fn stopped(&mut self, n: usize) {
        self.halted = true;
        self.cpu = n;
        self.stop = Some(if self.step {
            SingleThreadStopReason::DoneStep
        } else {
            SingleThreadStopReason::SwBreak(())
        });
    }
}

/// Accept a debugger, feed it what arrived, report a stop. Called from
/// the machine's main loop.
pub fn service(m: &mut Machine) {
    if m.gdb.session.is_none() {
        accept(m);
    }
    let Some(mut s) = m.gdb.session.take() else {
        return;
    };
    let Some(mut sm) = s.sm.take() else {
        return;
    };
    loop {
        let byte = match s.rx.try_recv() {
            Ok(Some(b)) => b,
            Ok(None) | Err(TryRecvError::Disconnected) => return detach(m, false),
            Err(TryRecvError::Empty) => break,
        };
        let r = match sm {
            GdbStubStateMachine::Idle(i) => i.incoming_data(m, byte),
            GdbStubStateMachine::Running(i) => i.incoming_data(m, byte),
            GdbStubStateMachine::CtrlCInterrupt(_) | GdbStubStateMachine::Disconnected(_) => Ok(sm),
        };
        sm = match r {
            Ok(sm) => sm,
            Err(e) => {
                log::warn!("gdb: {e}");
                return detach(m, false);
            }
        };
        sm = match settle(m, sm) {
            Some(sm) => sm,
            None => return,
        };
    }
    if let GdbStubStateMachine::Running(i) = sm {
        sm = match m.gdb.stop.take() {
            Some(reason) => match i.report_stop(m, reason) {
                Ok(sm) => sm,
                Err(e) => {
                    log::warn!("gdb: {e}");
                    return detach(m, false);
                }
            },
            None => GdbStubStateMachine::Running(i),
        };
    }
    s.sm = Some(sm);
    m.gdb.session = Some(s);
}

/// Handle the states that need no input: a Ctrl-C stops the machine, a
/// disconnect ends the session. `None` once the session is gone.
fn settle(m: &mut Machine, sm: Sm) -> Option<Sm> {
    match sm {
        GdbStubStateMachine::CtrlCInterrupt(i) => {
            m.gdb.halted = true;
            m.gdb.stop = None;
            match i.interrupt_handled(m, Some(SingleThreadStopReason::Signal(Signal::SIGINT))) {
                Ok(sm) => Some(sm),
                Err(e) => {
                    log::warn!("gdb: {e}");
                    detach(m, false);
                    None
                }
            }
        }
        GdbStubStateMachine::Disconnected(i) => {
            detach(m, i.get_reason() == DisconnectReason::Kill);
            None
        }
        sm => Some(sm),
    }
}

fn accept(m: &mut Machine) {
    let Some(l) = &m.gdb.listener else {
        return;
    };
    let Ok((stream, peer)) = l.accept() else {
        return;
    };
    let (Ok(()), Ok(mut reader)) = (stream.set_nonblocking(false), stream.try_clone()) else {
        return;
    };
    let _ = stream.set_nodelay(true);
    log::info!("gdb: connection from {peer}");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut b = [0u8; 1024];
        loop {
            match reader.read(&mut b) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(None);
                    return;
                }
                Ok(n) => {
                    for &c in &b[..n] {
                        if tx.send(Some(c)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
    // `-S`: boot now (held stopped), so the debugger finds vCPU 0 at the
    // firmware's or kernel's entry, where QEMU's would be at reset.
    if std::mem::take(&mut m.prelaunch) {
        if let Err(e) = m.reset() {
            log::warn!("gdb: boot failed: {e}");
        }
    }
    // Attaching stops the machine, as QEMU's stub does.
    m.gdb.attached = true;
    m.gdb.halted = true;
    m.gdb.stop = None;
    m.gdb.cpu = 0;
    match GdbStub::new(stream).run_state_machine(m) {
        Ok(sm) => {
            m.gdb.session = Some(Session { sm: Some(sm), rx });
        }
        Err(e) => {
            log::warn!("gdb: {e}");
            m.gdb.attached = false;
            m.gdb.halted = false;
        }
    }
}

/// The debugger went away: drop breakpoints and let the machine run (or
/// quit, for `kill`).
fn detach(m: &mut Machine, kill: bool) {
    log::info!("gdb: {}", if kill { "kill" } else { "detached" });
    m.gdb.session = None;
    m.gdb.attached = false;
    m.gdb.halted = false;
    m.gdb.step = false;
    m.gdb.stop = None;
    m.gdb.breakpoints.clear();
    apply(m);
    if kill {
        m.shutdown = Some(Shutdown::Quit);
    }
}

/// Give every vCPU's interpreter what the debugger wants now.
fn apply(m: &mut Machine) {
    let g = &m.gdb;
    let on = g.attached && (g.step || !g.breakpoints.is_empty());
    for (n, v) in m.vcpus.iter_mut().enumerate() {
        v.interp.debug = on.then(|| Debug {
            breakpoints: g.breakpoints.clone(),
            step: g.step && n == g.cpu,
            stepped: false,
            skip_first: true,
        });
    }
}

fn resume(m: &mut Machine, step: bool) {
    m.gdb.step = step;
    m.gdb.halted = false;
    m.gdb.stop = None;
    // `continue` under -S starts the machine, as in QEMU.
    m.paused = false;
    apply(m);
}

impl Target for Machine {
    type Arch = Ppc64;
    type Error = String;

    fn base_ops(&mut self) -> BaseOps<'_, Ppc64, String> {
        BaseOps::SingleThread(self)
    }

    fn support_breakpoints(&mut self) -> Option<BreakpointsOps<'_, Self>> {
        Some(self)
    }

    fn guard_rail_implicit_sw_breakpoints(&self) -> bool {
        true
    }
}

impl SingleThreadBase for Machine {
    fn read_registers(&mut self, regs: &mut Regs) -> TargetResult<(), Self> {
        let c = &self.vcpus[self.gdb.cpu].cpu;
        regs.gpr = c.gpr;
        regs.pc = c.pc;
        regs.msr = c.msr;
        regs.cr = c.cr();
        regs.lr = c.lr;
        regs.ctr = c.ctr;
        regs.xer = c.xer() as u32;
        for (k, f) in regs.fpr.iter_mut().enumerate() {
            *f = c.fpr(k);
        }
        regs.fpscr = c.fpscr as u32;
        regs.big_endian = c.msr & crate::cpu::msr::LE == 0;
        Ok(())
    }

    fn write_registers(&mut self, regs: &Regs) -> TargetResult<(), Self> {
        let n = self.gdb.cpu;
        let c = &mut self.vcpus[n].cpu;
        let r = if c.msr & crate::cpu::msr::LE == 0 {
            regs.swapped()
        } else {
            regs.clone()
        };
        c.gpr = r.gpr;
        c.pc = r.pc;
        if r.msr != c.msr {
            c.set_msr(r.msr);
        }
        c.set_cr(r.cr);
        c.lr = r.lr;
        c.ctr = r.ctr;
        c.set_xer(r.xer as u64);
        for (k, &f) in r.fpr.iter().enumerate() {
            c.set_fpr(k, f);
        }
        c.fpscr = (c.fpscr & !0xffff_ffff) | r.fpscr as u64;
        Ok(())
    }

    fn read_addrs(&mut self, start: u64, data: &mut [u8]) -> TargetResult<usize, Self> {
        let mem = self.vcpus[self.gdb.cpu].cpu.mem;
        for (k, b) in data.iter_mut().enumerate() {
            match mem.load(1, start.wrapping_add(k as u64)) {
                Ok(v) => *b = v as u8,
                Err(_) if k > 0 => return Ok(k),
                Err(_) => return Err(TargetError::Errno(14)),
            }
        }
        Ok(data.len())
    }

    fn write_addrs(&mut self, start: u64, data: &[u8]) -> TargetResult<(), Self> {
        let mem = self.vcpus[self.gdb.cpu].cpu.mem;
        for (k, &b) in data.iter().enumerate() {
            mem.store(1, start.wrapping_add(k as u64), b as u64)
                .map_err(|_| TargetError::Errno(14))?;
        }
        Ok(())
    }

    fn support_resume(&mut self) -> Option<SingleThreadResumeOps<'_, Self>> {
        Some(self)
    }
}

impl SingleThreadResume for Machine {
    fn resume(&mut self, _signal: Option<Signal>) -> Result<(), String> {
        resume(self, false);
        Ok(())
    }

    fn support_single_step(&mut self) -> Option<SingleThreadSingleStepOps<'_, Self>> {
        Some(self)
    }
}

impl SingleThreadSingleStep for Machine {
    fn step(&mut self, _signal: Option<Signal>) -> Result<(), String> {
        resume(self, true);
        Ok(())
    }
}

impl Breakpoints for Machine {
    fn support_sw_breakpoint(&mut self) -> Option<SwBreakpointOps<'_, Self>> {
        Some(self)
    }
    fn support_hw_breakpoint(&mut self) -> Option<HwBreakpointOps<'_, Self>> {
        Some(self)
    }
}

fn add(m: &mut Machine, addr: u64) -> bool {
    if !m.gdb.breakpoints.contains(&addr) {
        m.gdb.breakpoints.push(addr);
    }
    true
}

fn remove(m: &mut Machine, addr: u64) -> bool {
    let before = m.gdb.breakpoints.len();
    m.gdb.breakpoints.retain(|&a| a != addr);
    before != m.gdb.breakpoints.len()
}

impl SwBreakpoint for Machine {
    fn add_sw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        Ok(add(self, addr))
    }
    fn remove_sw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        Ok(remove(self, addr))
    }
}

impl HwBreakpoint for Machine {
    fn add_hw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        Ok(add(self, addr))
    }
    fn remove_hw_breakpoint(&mut self, addr: u64, _kind: usize) -> TargetResult<bool, Self> {
        Ok(remove(self, addr))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_dev;

    #[test]
    fn gdb_devices() {
        assert_eq!(parse_dev("tcp::1234").unwrap(), "127.0.0.1:1234");
        assert_eq!(parse_dev("tcp:127.0.0.1:5555").unwrap(), "127.0.0.1:5555");
        assert_eq!(parse_dev("tcp:[::1]:5555").unwrap(), "[::1]:5555");
        assert!(parse_dev("tcp:192.0.2.1:1234").is_err());
        assert!(parse_dev("unix:/tmp/x").is_err());
        assert!(parse_dev("tcp::99999").is_err());
    }
}
