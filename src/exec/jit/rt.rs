//! Runtime entry points that compiled code calls (SystemV `extern "C"`):
//! the helper trampoline and the memory slow paths. Each turns a Rust
//! `Result` into a status the generated code can branch on, leaving the
//! exception in `CpuState::pending`.

use crate::cpu::{CpuState, Exc};
use crate::isa::{Insn, Opcode};
use crate::sem::Helper;

/// Call a semantics helper. Returns 0, or 1 with `pending` set.
/// # Safety
/// Called only by generated code with its own live `CpuState`.
pub unsafe extern "C" fn jit_helper(cpu: *mut CpuState, f: u64, word: u64, op: u64) -> u64 {
    // SAFETY: generated code passes its own CpuState pointer and a Helper
    // function pointer it was compiled with; `op` is a valid Opcode
    // discriminant taken from a decoded instruction.
    unsafe {
        let cpu = &mut *cpu;
        let f: Helper = std::mem::transmute::<usize, Helper>(f as usize);
        let op: Opcode = std::mem::transmute::<u16, Opcode>(op as u16);
        let i = Insn {
            word: word as u32,
            op,
        };
        match f(cpu, i) {
            Ok(()) => 0,
            Err(e) => {
                cpu.pending = Some(e);
                1
            }
        }
    }
}

/// Slow-path load: returns the value; on a fault sets `jit_fault` and
/// `pending`.
/// # Safety
/// Called only by generated code with its own live `CpuState`.
pub unsafe extern "C" fn jit_load(cpu: *mut CpuState, ea: u64, size: u64, _pc: u64) -> u64 {
    // SAFETY: generated code passes its own CpuState pointer.
    let cpu = unsafe { &mut *cpu };
    match cpu.mem.load(size as u8, ea) {
        Ok(v) => {
            cpu.jit_fault = 0;
            v
        }
        Err(e) => {
            cpu.jit_fault = 1;
            cpu.pending = Some(e);
            0
        }
    }
}

/// Slow-path store: 0 stored, 1 fault (`pending` set), 2 stored into a page
/// holding translated code (the region must stop after this instruction).
/// # Safety
/// Called only by generated code with its own live `CpuState`.
pub unsafe extern "C" fn jit_store(
    cpu: *mut CpuState,
    ea: u64,
    size: u64,
    v: u64,
    _pc: u64,
) -> u64 {
    // SAFETY: generated code passes its own CpuState pointer.
    let cpu = unsafe { &mut *cpu };
    let before = cpu.mem.code_generation();
    match cpu.mem.store(size as u8, ea, v) {
        Ok(()) if cpu.mem.code_generation() != before => 2,
        Ok(()) => 0,
        Err(e) => {
            cpu.pending = Some(e);
            1
        }
    }
}

/// Map a region's exit code to an exception.
pub fn exit_exception(cpu: &mut CpuState, code: u64, excs: &[Exc]) -> Option<Exc> {
    match code {
        0 => None,
        1 => Some(cpu.pending.take().unwrap_or(Exc::Unimplemented)),
        k => excs.get((k - 2) as usize).copied(),
    }
}
