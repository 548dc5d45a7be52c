//! The pseries machine: builds guest RAM, loads the kernel and initrd where
//! QEMU puts them, creates the vCPUs and runs them round-robin on this
//! thread, delivering decrementer and external interrupts between slices
//! and servicing hypercalls, RTAS and the client interface.

use super::hcall;
use super::vty::{Console, ConsoleEvent, SerialMode};
use super::xics::{self, Xics};
use crate::cpu::{interrupt, msr, CpuState, Exc};
use crate::exec::interp::{Exit, Interpreter};
use crate::memory::{AddressSpace, PROT_R, PROT_W, PROT_X};
use crate::mmu::Mmu;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Guest-physical load address of the kernel (QEMU's KERNEL_LOAD_ADDR).
pub const KERNEL_LOAD: u64 = 0x40_0000;
/// Real-mode area limit used for firmware placement (QEMU caps RMO at
/// 768 MiB on an LPAR).
pub const RMO_TOP: u64 = 0x3000_0000;

#[derive(Clone, Debug)]
pub struct MachineConfig {
    pub ram_size: u64,
    pub smp: u32,
    pub max_cpus: u32,
    pub kernel: Option<PathBuf>,
    pub initrd: Option<PathBuf>,
    pub append: String,
    pub serial: SerialMode,
    /// Boot through the VOF client interface (x-vof=on) instead of handing
    /// the kernel a flattened tree directly.
    pub vof: bool,
    /// `-icount shift=N`: virtual time from retired instructions.
    pub icount_shift: Option<u8>,
    pub no_reboot: bool,
    /// `-S`: do not start the vCPUs until `cont` (run state "prelaunch").
    pub start_paused: bool,
    pub dumpdtb: Option<PathBuf>,
    /// `-M pseries,hotunplug=...`: which QEMU release's unplug behaviour to
    /// reproduce (qemu-5.2, qemu-6.0-dev, qemu-7.2).
    pub hotunplug: String,
    /// `-m ...,slots=N,maxmem=M` (0: no memory hotplug).
    pub mem_slots: u32,
    pub max_mem: u64,
    /// `-s` / `-gdb tcp:[HOST]:PORT`: the gdb stub's listen address.
    pub gdb: Option<String>,
}

impl Default for MachineConfig {
    fn default() -> Self {
        MachineConfig {
            ram_size: 512 << 20,
            smp: 1,
            max_cpus: 1,
            kernel: None,
            initrd: None,
            append: String::new(),
            serial: SerialMode::MonStdio,
            vof: false,
            icount_shift: None,
            no_reboot: false,
            start_paused: false,
            dumpdtb: None,
            hotunplug: "qemu-7.2".into(),
            mem_slots: 0,
            max_mem: 0,
            gdb: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MachineError {
    #[error("could not load kernel '{0}': {1}")]
    Kernel(String, String),
    #[error("could not load initrd '{0}': {1}")]
    Initrd(String, String),
    #[error("cannot allocate {0} bytes of guest RAM: {1}")]
    Ram(u64, std::io::Error),
    #[error("{0}")]
    Other(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VcpuState {
    /// Powered off (secondaries before start-cpu, after stop-self).
    Stopped,
    Running,
    /// In H_CEDE until an interrupt is pending.
    Ceded,
}

pub struct Vcpu {
    pub cpu: Box<CpuState>,
    pub mmu: Box<Mmu>,
    pub interp: Interpreter,
    pub state: VcpuState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shutdown {
    PowerOff,
    /// A reset request; `guest` says whether the guest asked for it
    /// (RTAS system-reboot) or the host did (QMP/HMP system_reset).
    Reset {
        guest: bool,
    },
    Quit,
    /// The guest called ibm,os-term (panic).
    OsTerm,
}

pub struct Machine {
    pub cfg: MachineConfig,
    pub ram: AddressSpace,
    pub vcpus: Vec<Vcpu>,
    pub console: Console,
    pub xics: Xics,
    pub rtas_base: u64,
    pub fdt_addr: u64,
    pub initrd: Option<(u64, u64)>,
    pub kernel_range: (u64, u64),
    pub shutdown: Option<Shutdown>,
    pub hcall_counts: std::collections::BTreeMap<u64, u64>,
    /// The Open Firmware client interface (x-vof=on), until the guest
    /// quiesces it.
    pub vof: Option<super::vof::Vof>,
    /// The QMP/HMP monitor, if any was configured.
    pub monitor: Option<crate::monitor::Monitor>,
    /// Stopped by the monitor (`stop`, `-S`).
    pub paused: bool,
    /// The gdb stub (`-s`, `-gdb`).
    pub gdb: crate::gdb::GdbState,
    /// Started with `-S` and not yet continued (QEMU's "prelaunch").
    pub prelaunch: bool,
    /// CPU core slots (one per possible core): populated or not.
    pub cores: Vec<Option<super::qmp::CoreSlot>>,
    /// memory-backend-ram objects by id, and plugged DIMMs.
    pub backends: std::collections::BTreeMap<String, super::hotplug::Backend>,
    pub dimms: Vec<super::hotplug::Dimm>,
    pub anon_devices: usize,
    /// Dynamic-reconfiguration connectors (CPU cores, LMBs) and the
    /// hotplug event queue.
    pub drcs: super::drc::Drcs,
    /// The client interface's CAS outcome has been applied to the DRCs.
    pub cas_done: bool,
    /// Ctrl-a c: the console is switched to the human monitor.
    hmp: Option<(crate::monitor::HmpSession, crate::monitor::LineEditor)>,
    started: Instant,
    /// `-icount`: when input is taken and idle clocks may jump.
    icount: std::cell::RefCell<super::icount::Icount>,
}

/// The RTAS entry blob (boot.md §2.5), big-endian words:
/// `mr r4,r3; lis r3,0; ori r3,r3,0xf000; sc 1; blr`.
pub const RTAS_BLOB: [u32; 5] = [
    0x7c64_1b78,
    0x3c60_0000,
    0x6063_f000,
    0x4400_0022,
    0x4e80_0020,
];

impl Machine {
    pub fn new(cfg: MachineConfig) -> Result<Machine, MachineError> {
        // RAM covers the device-memory region too (DIMMs plug into it);
        // the reservation is lazily committed, so this costs nothing.
        let span = if cfg.max_mem > cfg.ram_size {
            super::devtree::device_memory_base(cfg.ram_size) + (cfg.max_mem - cfg.ram_size)
        } else {
            cfg.ram_size
        };
        let mut ram = AddressSpace::new_ram(span).map_err(|e| MachineError::Ram(span, e))?;
        ram.protect(0, span, PROT_R | PROT_W | PROT_X);
        let ncpus = cfg.max_cpus.max(cfg.smp) as usize;
        let mut vcpus = Vec::new();
        for n in 0..ncpus {
            let mut view = ram.view();
            let mut mmu = Box::new(Mmu::new(view.base, view.size));
            mmu.track_tables(view.code4k, ram.table_writes());
            view.mmu = &mut *mmu;
            let mut cpu = CpuState::new(view);
            cpu.sup.pir = n as u64;
            cpu.sup.icount_shift = cfg.icount_shift;
            vcpus.push(Vcpu {
                cpu,
                mmu,
                interp: Interpreter::new(),
                state: VcpuState::Stopped,
            });
        }
        let xics = Xics::new(
            ncpus,
            &[
                (xics::IRQ_EPOW, false),
                (xics::IRQ_HOTPLUG, false),
                (xics::IRQ_VTY, false),
            ],
        );
        let mut console = Console::new(cfg.serial);
        console.gated = cfg.icount_shift.is_some();
        let cfg_smp = cfg.smp as usize;
        let start_paused = cfg.start_paused;
        let gdb = match &cfg.gdb {
            Some(addr) => crate::gdb::GdbState::listen(addr).map_err(MachineError::Other)?,
            None => Default::default(),
        };
        let mut m = Machine {
            cfg,
            ram,
            vcpus,
            console,
            xics,
            rtas_base: 0,
            fdt_addr: 0,
            initrd: None,
            kernel_range: (0, 0),
            shutdown: None,
            hcall_counts: Default::default(),
            vof: None,
            monitor: None,
            paused: start_paused,
            prelaunch: start_paused,
            cores: (0..ncpus)
                .map(|n| {
                    (n < cfg_smp).then(|| super::qmp::CoreSlot {
                        id: None,
                        qom_path: format!("/machine/unattached/device[{}]", n + 1),
                    })
                })
                .collect(),
            backends: Default::default(),
            dimms: Vec::new(),
            anon_devices: 0,
            hmp: None,
            drcs: super::drc::Drcs::new(super::drc::UnplugBehaviour::Qemu72),
            cas_done: false,
            started: Instant::now(),
            icount: Default::default(),
            gdb,
        };
        m.drcs = super::hotplug_drc::make_drcs(&m);
        if m.cfg.icount_shift.is_some() {
            m.drcs.set_rtc_base(super::icount::RTC_BASE);
        }
        m.reset()?;
        Ok(m)
    }

    /// Guest RAM as a byte slice (real addresses).
    pub fn ram_bytes(&mut self) -> &mut [u8] {
        self.ram.bytes_mut()
    }

    /// Load the kernel ELF at KERNEL_LOAD as QEMU does: each PT_LOAD at
    /// (vaddr & 0x0fffffff) + KERNEL_LOAD, BSS zeroed. Returns (entry, end).
    fn load_kernel(&mut self, path: &PathBuf) -> Result<(u64, u64), MachineError> {
        let name = path.display().to_string();
        // Map the file rather than read it: only the loadable segments are
        // touched, straight from the page cache (a 45 MB vmlinux read into
        // a heap buffer cost the host ~70 ms of page zeroing per boot).
        let file = std::fs::File::open(path)
            .map_err(|e| MachineError::Kernel(name.clone(), e.to_string()))?;
        // SAFETY: a private read-only mapping; a file truncated under us
        // could fault, as with any mapped input, but it is our own input
        // chosen by the user, read once here.
        let data = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| MachineError::Kernel(name.clone(), e.to_string()))?;
        let elf = goblin::elf::Elf::parse(&data)
            .map_err(|e| MachineError::Kernel(name.clone(), e.to_string()))?;
        if elf.header.e_machine != goblin::elf::header::EM_PPC64 {
            return Err(MachineError::Kernel(name, "not a ppc64 ELF".into()));
        }
        let ram_size = self.cfg.ram_size;
        let ram = self.ram.bytes_mut();
        let mut end = KERNEL_LOAD;
        for p in &elf.program_headers {
            if p.p_type != goblin::elf::program_header::PT_LOAD {
                continue;
            }
            let dst = (p.p_vaddr & 0x0fff_ffff) + KERNEL_LOAD;
            let fend = p
                .p_offset
                .checked_add(p.p_filesz)
                .filter(|&e| e <= data.len() as u64);
            let mend = dst.checked_add(p.p_memsz).filter(|&e| e <= ram_size);
            let (Some(fend), Some(mend)) = (fend, mend) else {
                return Err(MachineError::Kernel(
                    name,
                    "segment does not fit in RAM or file".into(),
                ));
            };
            if p.p_filesz > p.p_memsz {
                return Err(MachineError::Kernel(name, "bad segment sizes".into()));
            }
            ram[dst as usize..(dst + p.p_filesz) as usize]
                .copy_from_slice(&data[p.p_offset as usize..fend as usize]);
            // The rest (bss) is already zero: `reset` discarded RAM.
            end = end.max(mend);
        }
        let entry = (elf.entry & 0x0fff_ffff) + KERNEL_LOAD;
        Ok((entry, end))
    }

    /// Reset: reload the images, rebuild the tree, restart vCPU 0.
    pub fn reset(&mut self) -> Result<(), MachineError> {
        super::hotplug_drc::reset(self);
        self.ram.discard(0, self.cfg.ram_size);
        self.xics.reset();
        for v in &mut self.vcpus {
            v.state = VcpuState::Stopped;
            v.mmu.flush();
            v.mmu.radix = false;
            v.interp.flush();
        }
        let (entry, kend) = match self.cfg.kernel.clone() {
            Some(k) => self.load_kernel(&k)?,
            None => (KERNEL_LOAD, KERNEL_LOAD),
        };
        self.kernel_range = (KERNEL_LOAD, kend - KERNEL_LOAD);
        self.initrd = None;
        if let Some(path) = self.cfg.initrd.clone() {
            let name = path.display().to_string();
            let data = std::fs::read(&path)
                .map_err(|e| MachineError::Initrd(name.clone(), e.to_string()))?;
            // QEMU 7.2: (kernel end + 0x1ffff) & !0xffff.
            let base = (kend + 0x1_ffff) & !0xffff;
            let end = base + data.len() as u64;
            if end > RMO_TOP.min(self.cfg.ram_size) - 0x20_0000 {
                return Err(MachineError::Initrd(
                    name,
                    "too large for guest memory".into(),
                ));
            }
            self.ram.bytes_mut()[base as usize..end as usize].copy_from_slice(&data);
            self.initrd = Some((base, data.len() as u64));
        }
        let top = RMO_TOP.min(self.cfg.ram_size);
        self.rtas_base = top - 0x1_0000;
        self.fdt_addr = top - 0x20_0000;
        let rb = self.rtas_base as usize;
        for (k, w) in RTAS_BLOB.iter().enumerate() {
            self.ram.bytes_mut()[rb + 4 * k..rb + 4 * k + 4].copy_from_slice(&w.to_be_bytes());
        }
        self.vof = None;
        self.cas_done = false;
        if self.cfg.dumpdtb.is_none() && (self.prelaunch || self.cfg.kernel.is_none()) {
            // `-S`: the firmware has not run yet, so the DRCs stay pre-CAS
            // (an unplug completes at once, hotplug.md §7) and the tree is
            // built when `cont` boots (qmp.rs), with every device plugged
            // meanwhile cold-plugged, as QEMU's CAS-time reset makes them.
            // No kernel: there is no SLOF to boot disks, the vCPUs stay
            // stopped and only the monitor is useful.
            return Ok(());
        }
        if self.cfg.vof && self.cfg.dumpdtb.is_none() {
            // Client-interface boot (boot.md §1.3): the kernel builds its
            // own tree through the CI; nothing is written to memory but the
            // CI entry stub.
            let cfg = super::boot::tree_config(self, None);
            let vof = super::vof::Vof::new(cfg).map_err(|e| MachineError::Other(e.to_string()))?;
            vof.install(self.ram.bytes_mut());
            let st = vof.entry_state(entry);
            self.vof = Some(vof);
            self.reset_vcpus(msr::ME);
            let v0 = &mut self.vcpus[0];
            v0.cpu.set_msr(st.msr);
            v0.cpu.pc = st.pc;
            v0.cpu.gpr[1] = st.r1;
            v0.cpu.gpr[3] = st.r3;
            v0.cpu.gpr[4] = st.r4;
            v0.cpu.gpr[5] = st.r5;
            v0.state = VcpuState::Running;
            return Ok(());
        }
        let fdt = super::boot::flat_tree(self)?;
        if let Some(path) = self.cfg.dumpdtb.clone() {
            std::fs::write(&path, &fdt)
                .map_err(|e| MachineError::Other(format!("dumpdtb {}: {e}", path.display())))?;
            self.shutdown = Some(Shutdown::Quit);
            return Ok(());
        }
        let fa = self.fdt_addr as usize;
        if fdt.len() > 0x10_0000 {
            return Err(MachineError::Other("device tree too large".into()));
        }
        self.ram.bytes_mut()[fa..fa + fdt.len()].copy_from_slice(&fdt);

        self.reset_vcpus(msr::SF | msr::ME | msr::LE);
        // Direct flattened-tree entry (boot.md §1.4): 64-bit LE real mode,
        // r3 = FDT, r4 = kernel base, r5 = 0 (no client interface).
        let v0 = &mut self.vcpus[0];
        v0.cpu.pc = entry;
        v0.cpu.gpr[3] = self.fdt_addr;
        v0.cpu.gpr[4] = KERNEL_LOAD;
        v0.cpu.gpr[5] = 0;
        v0.state = VcpuState::Running;
        // The flattened tree carries the CAS outcome, which includes
        // OV5 HP_EVT (hotplug events on their own interrupt).
        super::hotplug_drc::cas(self, true);
        Ok(())
    }

    /// Every vCPU's architected state at boot: registers cleared, the
    /// timebase restarted, DEC at its maximum, MSR `msr`, PIR its index.
    fn reset_vcpus(&mut self, msr: u64) {
        let tb = crate::cpu::timebase(&self.vcpus[0].cpu);
        for (n, v) in self.vcpus.iter_mut().enumerate() {
            let c = &mut v.cpu;
            c.gpr = [0; 32];
            c.sup.lpcr = 0;
            c.sup.tb_start = tb;
            c.sup.dec_value = 0xffff_ffff;
            c.sup.dec_stamp = tb;
            c.set_msr(msr);
            c.pc = 0;
            c.sup.pir = n as u64;
        }
    }

    /// Virtual ns until the nearest decrementer expiry of a ceded vCPU
    /// (u64::MAX if none is ceded).
    fn next_timer_ns(&self) -> u64 {
        self.vcpus
            .iter()
            .filter(|v| v.state == VcpuState::Ceded)
            .map(|v| {
                let d = v.cpu.dec();
                if d & 0x8000_0000 == 0 {
                    (d + 1) * 1000 / 512
                } else {
                    0
                }
            })
            .min()
            .unwrap_or(u64::MAX)
    }

    /// Entropy for the guest (rng-seed, H_RANDOM): seeded under `-icount`.
    pub fn entropy(&self, buf: &mut [u8]) {
        let det = self.cfg.icount_shift.is_some();
        self.icount.borrow_mut().entropy(det, buf);
    }

    /// The guest's real-time clock: the host's, or under `-icount` a fixed
    /// base plus virtual time (icount.rs).
    pub fn wall_clock(&self) -> Duration {
        if self.cfg.icount_shift.is_some() {
            let ns = super::hotplug_drc::now_ns(self);
            Duration::from_secs(super::icount::RTC_BASE as u64) + Duration::from_nanos(ns)
        } else {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
        }
    }

    /// Whether vCPU `n` has an interrupt it can take now (or that wakes it
    /// from H_CEDE, where EE was set by the hcall).
    fn interrupt_pending(&mut self, n: usize) -> Option<u64> {
        let c = &self.vcpus[n].cpu;
        if c.msr & msr::EE == 0 {
            return None;
        }
        if self.xics.pending(n) {
            return Some(interrupt::V_EXTERNAL);
        }
        if c.dec() & 0x8000_0000 != 0 {
            return Some(interrupt::V_DECREMENTER);
        }
        None
    }

    fn poll_console(&mut self) {
        let arrived = self.console.new_input();
        if let Some((mut session, mut ed)) = self.hmp.take() {
            // The console is the human monitor: lines go to HMP, not to the
            // guest, until Ctrl-a c switches back.
            for b in self.console.read(usize::MAX) {
                let (echo, line) = ed.feed(b);
                self.console.write(&echo);
                if let Some(line) = line {
                    let r = session.execute(&line, &mut |c| self.execute(c));
                    self.console.write(r.output.as_bytes());
                    self.console.write(crate::monitor::PROMPT.as_bytes());
                }
            }
            self.hmp = Some((session, ed));
        } else if arrived {
            self.xics.raise(xics::IRQ_VTY);
        }
        while let Some(ev) = self.console.events.pop_front() {
            match ev {
                ConsoleEvent::Quit => {
                    self.console.write(b"QEMU: Terminated\r\n");
                    self.shutdown = Some(Shutdown::Quit);
                }
                ConsoleEvent::Monitor => {
                    if self.hmp.take().is_none() {
                        let session = match &self.monitor {
                            Some(m) => m.hmp_session(),
                            None => crate::monitor::HmpSession::new(None),
                        };
                        self.console.write(b"\r\n");
                        self.console
                            .write(crate::monitor::HmpSession::banner().as_bytes());
                        self.console.write(crate::monitor::PROMPT.as_bytes());
                        self.hmp = Some((session, crate::monitor::LineEditor::new()));
                    } else {
                        self.console.write(b"\r\n");
                    }
                }
            }
        }
    }

    /// Run until the guest powers off or the user quits. Returns the exit
    /// status for the process.
    pub fn run(&mut self) -> i32 {
        const SLICE: u64 = 50_000;
        loop {
            if let Some(s) = self.shutdown {
                match s {
                    Shutdown::Reset { guest } if !self.cfg.no_reboot => {
                        self.shutdown = None;
                        if let Err(e) = self.reset() {
                            eprintln!("powerlift: reset failed: {e}");
                            return 1;
                        }
                        // As QEMU's main loop: the machine reset first
                        // (completing pending unplugs, so their
                        // DEVICE_DELETED events come first), then RESET.
                        let reason = if guest {
                            "guest-reset"
                        } else {
                            "host-qmp-system-reset"
                        };
                        self.emit(crate::monitor::Event::Reset {
                            guest,
                            reason: reason.into(),
                        });
                        continue;
                    }
                    _ => {
                        self.console.restore();
                        if std::env::var_os("POWERLIFT_STATS").is_some() {
                            self.print_stats();
                        }
                        return 0;
                    }
                }
            }
            let serve = match self.cfg.icount_shift {
                None => true,
                Some(_) => {
                    // Input only meets a quiescent guest (icount.rs).
                    let quiescent = self.vcpus.iter().all(|v| v.state != VcpuState::Running)
                        && self.next_timer_ns() > super::icount::NEAR_NS
                        && (0..self.vcpus.len()).all(|n| {
                            self.vcpus[n].state == VcpuState::Stopped
                                || self.interrupt_pending(n).is_none()
                        });
                    self.icount.get_mut().may_service(quiescent)
                }
            };
            if serve {
                self.poll_console();
                self.service_monitor();
                crate::gdb::service(self);
            }
            super::hotplug_drc::tick(self);
            if (self.paused || self.gdb.halted) && self.shutdown.is_none() {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            }
            let mut any_running = false;
            for n in 0..self.vcpus.len() {
                if self.shutdown.is_some() || self.gdb.halted {
                    break;
                }
                if !self.gdb.runs(n) {
                    continue;
                }
                match self.vcpus[n].state {
                    VcpuState::Stopped => continue,
                    VcpuState::Ceded => {
                        if self.interrupt_pending(n).is_none() {
                            continue;
                        }
                        self.vcpus[n].state = VcpuState::Running;
                    }
                    VcpuState::Running => {}
                }
                any_running = true;
                self.icount.get_mut().ran();
                self.run_slice(n, SLICE);
            }
            if !any_running && self.shutdown.is_none() {
                self.idle();
            }
        }
    }

    /// Run vCPU `n` for a slice of about `slice` instructions. Hypercalls
    /// and exceptions are handled in place and the vCPU goes on with the
    /// rest of its slice: ending the slice at each of them let a sibling
    /// spinning in its idle or wait loop take a whole slice per hypercall
    /// of the vCPU doing the work (an `-smp 2` boot retired 5.3 G
    /// instructions on the idle vCPU against 0.66 G on the busy one, and
    /// took 6-27 s instead of 2). The slice ends early only when the vCPU
    /// cedes, stops or the machine shuts down.
    fn run_slice(&mut self, n: usize, slice: u64) {
        let start = self.vcpus[n].cpu.icount;
        loop {
            if let Some(vec) = self.interrupt_pending(n) {
                let c = &mut self.vcpus[n].cpu;
                let pc = c.pc;
                log::info!(target: "int", "cpu {n}: interrupt {vec:#x} at {pc:#x} msr {:#x}", c.msr);
                interrupt::deliver(c, vec, pc, 0);
            }
            let used = self.vcpus[n].cpu.icount.wrapping_sub(start);
            let v = &mut self.vcpus[n];
            let exit = v.interp.run(&mut v.cpu, slice.saturating_sub(used).max(1));
            self.broadcast_tlbie(n);
            if self.cfg.icount_shift.is_some() {
                // One machine-wide virtual clock, as QEMU's round-robin
                // icount: every vCPU's slice advances it for all.
                let now = self.vcpus[n].cpu.icount;
                for v in &mut self.vcpus {
                    v.cpu.icount = now;
                }
            }
            match exit {
                // The slice, or the run up to MSR[EE] turning on (then the
                // rest of the slice follows, after a pending interrupt).
                Exit::Budget => {}
                Exit::Debug => {
                    self.gdb.stopped(n);
                    return;
                }
                Exit::Exception(Exc::Syscall { scv: false, lev: 1 })
                    if self.vcpus[n].cpu.msr & msr::PR == 0 =>
                {
                    hcall::hcall(self, n);
                    self.vcpus[n].cpu.pc += 4;
                }
                Exit::Exception(e) => {
                    if matches!(e, Exc::Unimplemented) {
                        let c = &self.vcpus[n].cpu;
                        let w = c.mem.fetch(c.pc).unwrap_or(0);
                        log::info!(
                            target: "unimp",
                            "cpu {n}: unimplemented instruction {:08x} ({}) at {:#x}",
                            w,
                            crate::isa::disasm::disasm(w, c.pc),
                            c.pc
                        );
                    }
                    log::info!(target: "int", "cpu {n}: {e:?} at {:#x} msr {:#x}", self.vcpus[n].cpu.pc, self.vcpus[n].cpu.msr);
                    interrupt::deliver_exception(&mut self.vcpus[n].cpu, e);
                }
            }
            if self.vcpus[n].state != VcpuState::Running
                || self.shutdown.is_some()
                || self.paused
                || self.gdb.halted
                || self.vcpus[n].cpu.icount.wrapping_sub(start) >= slice
            {
                return;
            }
        }
    }

    /// Every vCPU is ceded or stopped: wait for the next decrementer
    /// expiry or console input instead of spinning.
    fn idle(&mut self) {
        if self.vcpus.iter().all(|v| v.state == VcpuState::Stopped) {
            if self.cfg.kernel.is_none() {
                // Nothing to boot: only the monitor works.
                std::thread::sleep(Duration::from_millis(2));
                return;
            }
            eprintln!("powerlift: all vCPUs stopped");
            self.shutdown = Some(Shutdown::Quit);
            return;
        }
        let mut wait = Duration::from_millis(10);
        if self.cfg.icount_shift.is_some() {
            // Virtual time (icount.rs): jump each ceded vCPU's clock to its
            // next decrementer expiry, at once for near timers, after a
            // host-time wait for input for far ones.
            let next_ns = self.next_timer_ns();
            if !self.icount.get_mut().may_warp(next_ns) {
                std::thread::sleep(Duration::from_micros(500));
                return;
            }
            let s = self.cfg.icount_shift.unwrap_or(0);
            let step = (next_ns.saturating_add(1) >> s).max(1);
            for v in &mut self.vcpus {
                v.cpu.icount += step;
            }
            return;
        }
        for v in &mut self.vcpus {
            if v.state == VcpuState::Ceded {
                let d = v.cpu.dec();
                if d & 0x8000_0000 == 0 {
                    let ns = d * 1000 / 512;
                    wait = wait.min(Duration::from_nanos(ns));
                } else {
                    wait = Duration::ZERO;
                }
            }
        }
        if !wait.is_zero() {
            std::thread::sleep(
                wait.min(Duration::from_millis(1))
                    .max(Duration::from_micros(50)),
            );
        }
    }

    /// Apply the `tlbie`s vCPU `n` executed in its slice to every other
    /// vCPU's TLB (`Mmu::posted`).
    fn broadcast_tlbie(&mut self, n: usize) {
        if self.vcpus[n].mmu.posted.is_empty() {
            return;
        }
        let posted = std::mem::take(&mut self.vcpus[n].mmu.posted);
        for (k, v) in self.vcpus.iter_mut().enumerate() {
            if k != n {
                for &inv in &posted {
                    v.mmu.apply(inv);
                }
            }
        }
        // Keep the allocation for the next slice.
        let mut posted = posted;
        posted.clear();
        self.vcpus[n].mmu.posted = posted;
    }

    /// Execution statistics per vCPU (POWERLIFT_STATS=1).
    pub fn print_stats(&self) {
        let secs = self.started.elapsed().as_secs_f64();
        if self.cfg.icount_shift.is_some() {
            let ic = self.icount.borrow();
            eprintln!(
                "icount: {} far-timer jumps after {:?} without input, {} inputs taken from a guest busy for {:?}",
                ic.far_jumps,
                super::icount::FAR_WAIT,
                ic.busy_services,
                super::icount::BUSY_WAIT
            );
        }
        for (n, v) in self.vcpus.iter().enumerate() {
            eprintln!(
                "cpu {n}: {} instructions in {secs:.2} s; MMU: {} whole TLB flushes, {} single-page \
                 and {} PID invalidations, {} changes of the code translation generation\n{}",
                v.cpu.icount,
                v.mmu.flushes,
                v.mmu.page_invalidations,
                v.mmu.pid_invalidations,
                v.mmu.generation,
                v.interp.stats_report(v.cpu.icount)
            );
        }
        let mut h: Vec<_> = self.hcall_counts.iter().collect();
        h.sort_by_key(|(_, &c)| std::cmp::Reverse(c));
        eprintln!("hcalls: {h:x?}");
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }
}
