//! Linux user mode (`powerlift run`): loads a static ppc64le ELF into a flat
//! guest address space, builds the initial stack, runs it on the
//! interpreter and services its system calls and signals.
//!
//! Guest layout (all inside one 64 GiB reservation, emulator-chosen):
//! the ELF at its own addresses (static-pie at `PIE_BASE`), the heap after
//! it, mmap from `MMAP_BASE` up, the 8 MiB stack just below the top.

pub mod elf;
pub mod signal;
pub mod stack;
pub mod syscall;

use crate::cpu::{CpuState, Exc};
use crate::exec::interp::{Exit, Interpreter};
use crate::memory::{AddressSpace, PAGE_SIZE, PROT_R, PROT_W};
use std::path::Path;

pub const GUEST_SIZE: u64 = 1 << 36;
pub const PIE_BASE: u64 = 0x1_0000_0000;
pub const MMAP_BASE: u64 = 0x4_0000_0000;
pub const STACK_TOP: u64 = GUEST_SIZE - PAGE_SIZE;
pub const STACK_SIZE: u64 = 8 << 20;

/// The CPU model whose HWCAPs the guest sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuModel {
    Power8,
    Power9,
}

/// Errors that stop `powerlift run` before the guest starts (one line each).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: not a valid ELF file: {1}")]
    BadElf(String, String),
    #[error("{0}: not a 64-bit little-endian PowerPC ELF (machine {1})")]
    WrongArch(String, String),
    #[error("{0}: dynamically linked (needs {1}); only static and static-pie executables are supported")]
    Dynamic(String, String),
    #[error("{0}: segment at {1:#x} does not fit the guest address space")]
    Layout(String, u64),
    #[error("cannot reserve guest memory: {0}")]
    Memory(std::io::Error),
}

/// A running user-mode process.
pub struct Process {
    pub space: AddressSpace,
    pub cpu: Box<CpuState>,
    pub brk: u64,
    pub brk_start: u64,
    pub mmap_next: u64,
    pub signals: signal::SignalState,
    pub exe_path: String,
    pub stats: bool,
}

impl Process {
    pub fn load(path: &Path, args: &[String], model: CpuModel) -> Result<Process, LoadError> {
        let pstr = path.display().to_string();
        let data = std::fs::read(path).map_err(|e| LoadError::Io {
            path: pstr.clone(),
            source: e,
        })?;
        let mut space = AddressSpace::new(GUEST_SIZE).map_err(LoadError::Memory)?;
        let img = elf::load(&pstr, &data, &mut space)?;
        space.protect(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_R | PROT_W);
        let mut cpu = CpuState::new(space.view());
        let env: Vec<String> = std::env::vars()
            .filter(|(k, _)| !k.starts_with("POWERLIFT_") && k != "RUST_LOG")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let sp = stack::build(&cpu.mem, STACK_TOP, &pstr, args, &env, &img, model)
            .map_err(|_| LoadError::Layout(pstr.clone(), STACK_TOP))?;
        cpu.gpr[1] = sp.sp;
        cpu.gpr[3] = sp.argc;
        cpu.gpr[4] = sp.argv;
        cpu.gpr[5] = sp.envp;
        cpu.gpr[6] = sp.auxv;
        cpu.gpr[7] = 0;
        // ELFv2 ABI §2.3.2.1: r12 holds the global entry point address.
        cpu.gpr[12] = img.entry;
        cpu.pc = img.entry;
        let brk = img.brk.next_multiple_of(PAGE_SIZE);
        Ok(Process {
            space,
            cpu,
            brk,
            brk_start: brk,
            mmap_next: MMAP_BASE,
            signals: signal::SignalState::default(),
            exe_path: std::fs::canonicalize(path)
                .map(|p| p.display().to_string())
                .unwrap_or(pstr),
            stats: false,
        })
    }

    /// Run until the guest exits; returns the process exit status as a
    /// shell would see it (a signal death is reported by dying the same way).
    pub fn run(&mut self) -> i32 {
        let mut interp = Interpreter::new();
        let started = std::time::Instant::now();
        let status = loop {
            match interp.run(&mut self.cpu, 1 << 24) {
                Exit::Budget => continue,
                Exit::Exception(Exc::Syscall { scv, .. }) => {
                    match syscall::dispatch(self, scv) {
                        syscall::Outcome::Continue => {}
                        syscall::Outcome::Exit(code) => break code,
                    }
                }
                Exit::Exception(e) => {
                    if let Some(code) = signal::deliver_fault(self, e) {
                        break code;
                    }
                }
            }
        };
        if self.stats {
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "powerlift: {} instructions in {:.3} s ({:.1} MIPS)\n{}",
                self.cpu.icount,
                secs,
                self.cpu.icount as f64 / secs / 1e6,
                interp.stats_report(self.cpu.icount)
            );
        }
        status
    }
}
