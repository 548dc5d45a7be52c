//! Linux user mode (`powerlift run`): loads a ppc64le ELF (static,
//! static-pie, or dynamic with `-L SYSROOT`) or a `#!` script into a flat
//! guest address space, builds the initial stack, runs it on the execution
//! tiers and services its system calls and signals.
//!
//! Guest layout (all inside one 64 GiB reservation, emulator-chosen):
//! the ELF at its own addresses (static-pie and PIE at `PIE_BASE`), the
//! heap after it, the dynamic loader at `INTERP_BASE`, mmap from
//! `MMAP_BASE` up, the 8 MiB stack just below `STACK_TOP`, and above it
//! one read/execute page holding the signal-return trampoline.

pub mod elf;
pub mod signal;
pub mod stack;
pub mod sys_fs;
pub mod sys_mem;
pub mod sys_net;
pub mod sys_proc;
pub mod syscall;
pub mod termios;

use crate::cpu::{CpuState, Exc};
use crate::exec::interp::{Exit, Interpreter};
use crate::memory::{AddressSpace, PAGE_SIZE, PROT_R, PROT_W, PROT_X};
use std::path::{Path, PathBuf};

pub const GUEST_SIZE: u64 = 1 << 36;
pub const PIE_BASE: u64 = 0x1_0000_0000;
pub const INTERP_BASE: u64 = 0x3_0000_0000;
pub const MMAP_BASE: u64 = 0x4_0000_0000;
pub const STACK_TOP: u64 = GUEST_SIZE - PAGE_SIZE;
pub const STACK_SIZE: u64 = 8 << 20;
/// `li r0,172; sc` (rt_sigreturn), where signal handlers return to.
pub const SIGTRAMP: u64 = STACK_TOP;

/// Instructions between checks for asynchronous signals.
const SLICE: u64 = 1 << 20;

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
    #[error("{0}: dynamically linked, and its interpreter {1} was not found (use -L SYSROOT)")]
    Dynamic(String, String),
    #[error("{0}: segment at {1:#x} does not fit the guest address space")]
    Layout(String, u64),
    #[error("cannot reserve guest memory: {0}")]
    Memory(std::io::Error),
    #[error("{0}: bad #! line or too many nested interpreters")]
    Script(String),
}

/// Options of `powerlift run` beyond the program and its arguments.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// `-L`: where the guest's dynamic loader and libraries live.
    pub sysroot: Option<PathBuf>,
}

/// A running user-mode process.
pub struct Process {
    pub space: AddressSpace,
    pub cpu: Box<CpuState>,
    pub brk: u64,
    pub brk_start: u64,
    pub mmap_next: u64,
    pub signals: signal::SignalState,
    /// Absolute path of the guest executable (`/proc/self/exe`).
    pub exe_path: String,
    /// The guest's argv (`/proc/self/cmdline`).
    pub argv: Vec<String>,
    pub sysroot: Option<PathBuf>,
    /// prctl(PR_SET_NAME).
    pub comm: [u8; 16],
    pub stats: bool,
}

/// Resolve `#!` scripts: the program to load and the argv it gets
/// (Linux binfmt_script: interpreter, optional argument, script path, then
/// the original arguments after argv[0]).
fn resolve_script(
    path: &Path,
    args: &[String],
    data: Vec<u8>,
    opts: &RunOptions,
) -> Result<(PathBuf, Vec<String>, Vec<u8>), LoadError> {
    let mut path = path.to_path_buf();
    let mut args = args.to_vec();
    let mut data = data;
    for _ in 0..4 {
        if !data.starts_with(b"#!") {
            return Ok((path, args, data));
        }
        let pstr = path.display().to_string();
        let line = data[2..].split(|&b| b == b'\n').next().unwrap_or(&[]);
        let line = String::from_utf8_lossy(line).trim().to_string();
        let mut it = line.splitn(2, [' ', '\t']);
        let interp = it
            .next()
            .filter(|s| !s.is_empty())
            .ok_or(LoadError::Script(pstr.clone()))?;
        let arg = it
            .next()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let mut nargs = vec![interp.to_string()];
        nargs.extend(arg);
        nargs.push(pstr);
        nargs.extend(args.iter().skip(1).cloned());
        args = nargs;
        path = match &opts.sysroot {
            Some(r) if r.join(interp.trim_start_matches('/')).is_file() => {
                r.join(interp.trim_start_matches('/'))
            }
            _ => PathBuf::from(interp),
        };
        data = std::fs::read(&path).map_err(|e| LoadError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
    }
    Err(LoadError::Script(path.display().to_string()))
}

impl Process {
    pub fn load(path: &Path, args: &[String], model: CpuModel) -> Result<Process, LoadError> {
        Process::load_with(path, args, model, &RunOptions::default())
    }

    /// Load `path` with argv `args` (args[0] is what the guest sees as its
    /// name).
    pub fn load_with(
        path: &Path,
        args: &[String],
        model: CpuModel,
        opts: &RunOptions,
    ) -> Result<Process, LoadError> {
        let data = std::fs::read(path).map_err(|e| LoadError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let (path, args, data) = resolve_script(path, args, data, opts)?;
        let pstr = path.display().to_string();
        let mut space = AddressSpace::new(GUEST_SIZE).map_err(LoadError::Memory)?;
        let img = elf::load(&pstr, &data, &mut space, opts.sysroot.as_deref())?;
        space.protect(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_R | PROT_W);
        // The signal trampoline page.
        space.protect(SIGTRAMP, PAGE_SIZE, PROT_R | PROT_W);
        {
            let m = space.view();
            let _ = m.store(4, SIGTRAMP, 0x3800_00ac); // li r0,172
            let _ = m.store(4, SIGTRAMP + 4, 0x4400_0002); // sc
        }
        space.protect(SIGTRAMP, PAGE_SIZE, PROT_R | PROT_X);
        let mut cpu = CpuState::new(space.view());
        let env: Vec<String> = std::env::vars()
            .filter(|(k, _)| !k.starts_with("POWERLIFT_") && k != "RUST_LOG")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let sp = stack::build(&cpu.mem, STACK_TOP, &pstr, &args, &env, &img, model)
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
        let mut comm = [0u8; 16];
        let name = path
            .file_name()
            .map(|n| n.as_encoded_bytes().to_vec())
            .unwrap_or_default();
        for (d, s) in comm.iter_mut().take(15).zip(name) {
            *d = s;
        }
        let mut p = Process {
            space,
            cpu,
            brk,
            brk_start: brk,
            mmap_next: MMAP_BASE,
            signals: signal::SignalState::default(),
            exe_path: std::fs::canonicalize(&path)
                .map(|p| p.display().to_string())
                .unwrap_or(pstr),
            argv: args,
            sysroot: opts.sysroot.clone(),
            comm,
            stats: false,
        };
        p.update_guard();
        Ok(p)
    }

    /// Let compiled code leave permission checks to the host MMU
    /// (`exec::jit::guard`) exactly while a guest fault can only kill the
    /// process: the guest has no SIGSEGV handler. `POWERLIFT_GUARD=0`
    /// keeps the inline checks (to compare the two).
    pub fn update_guard(&mut self) {
        use crate::exec::jit::guard;
        let on = guard::supported()
            && self.signals.actions[signal::SIGSEGV as usize].handler <= signal::SIG_IGN
            && std::env::var("POWERLIFT_GUARD").map_or(true, |v| v != "0");
        if on {
            guard::install();
        }
        self.space.set_guarded(on);
        self.cpu.mem.guarded = on;
    }

    /// Run until the guest exits; returns the process exit status as a
    /// shell would see it (a signal death is reported by dying the same way).
    pub fn run(&mut self) -> i32 {
        let mut interp = Interpreter::new();
        let started = std::time::Instant::now();
        let status = loop {
            match interp.run(&mut self.cpu, SLICE) {
                // (No debugger in user mode: `Debug` cannot happen.)
                Exit::Budget | Exit::Debug => signal::deliver_pending(self),
                Exit::Exception(Exc::Syscall { scv, .. }) => match syscall::dispatch(self, scv) {
                    syscall::Outcome::Continue => {}
                    syscall::Outcome::Exit(code) => break code,
                },
                Exit::Exception(e) => signal::deliver_fault(self, e),
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
