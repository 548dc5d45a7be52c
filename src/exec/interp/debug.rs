//! Debugger execution for the interpreter: while a gdb client has
//! breakpoints set or is single-stepping (`crate::gdb`), a vCPU runs one
//! instruction at a time here, never in compiled code, and stops before
//! an instruction at a breakpoint address or after one step. Slow, as
//! QEMU's breakpoint-checking translations are, and only while debugging.

use super::{unavailable, Exit, Interp, Interpreter};
use crate::cpu::CpuState;

/// What the debugger asked for.
#[derive(Clone, Debug, Default)]
pub struct Debug {
    /// Effective addresses to stop before (gdb's Z0/Z1; we never patch
    /// guest memory).
    pub breakpoints: Vec<u64>,
    /// Stop after one instruction (or one exception).
    pub step: bool,
    /// The step has been taken.
    pub stepped: bool,
    /// Resumed from a stop: do not stop again before the first
    /// instruction (gdb steps off its own breakpoint, but `continue` from
    /// a Ctrl-C stop may sit on one).
    pub skip_first: bool,
}

impl Interpreter {
    /// `run` while debugging.
    pub(super) fn run_debug(&mut self, cpu: &mut CpuState, budget: u64) -> Exit {
        cpu.stop_at = cpu.icount.saturating_add(budget);
        loop {
            if cpu.mem.code_generation() != self.code_gen {
                self.code_changed(&cpu.mem);
            }
            let pc = cpu.pc;
            let Some(d) = self.debug.as_mut() else {
                return Exit::Budget;
            };
            if (d.step && d.stepped) || (!d.skip_first && d.breakpoints.contains(&pc)) {
                return Exit::Debug;
            }
            // Whatever happens now (an instruction or an exception), the
            // step is taken and the resume point is behind us.
            d.stepped = true;
            d.skip_first = false;
            let id = match self.lookup(cpu, pc) {
                Ok(id) => id,
                Err(e) => return Exit::Exception(e),
            };
            let (h, insn) = self.ops[self.blocks[id as usize].start as usize];
            if !cpu.mem.mmu.is_null() {
                if let Some(e) = unavailable(insn.op, cpu.msr) {
                    return Exit::Exception(e);
                }
            }
            // SAFETY: as in `run`: the handler is monomorphised for
            // Interp<'static>; this reborrow lives for one instruction.
            let mut b = Interp {
                cpu: unsafe { &mut *(cpu as *mut CpuState) },
                next: pc.wrapping_add(4),
            };
            if let Err(e) = h(&mut b, insn) {
                return Exit::Exception(e);
            }
            let next = b.next;
            cpu.pc = next;
            cpu.icount += 1;
            self.interp_insns += 1;
            if cpu.icount >= cpu.stop_at {
                return Exit::Budget;
            }
        }
    }
}
