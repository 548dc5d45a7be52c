//! Operating-environment semantics (Power ISA 3.0B Book III): MSR moves,
//! rfid/rfscv, supervisor SPRs, and the SLB/TLB management instructions of
//! a radix guest. A pseries guest always runs with MSR[HV]=0, so
//! hypervisor-only instructions are illegal to it.

use super::{Backend, Handler, Reg};
use crate::cpu::{msr, CpuState, Exc, ProgramKind};
use crate::isa::{Insn, Opcode};
use crate::mmu::Inval;

const PRIV: Exc = Exc::Program(ProgramKind::PrivilegedInstruction);

fn privileged(cpu: &CpuState) -> Result<(), Exc> {
    if cpu.msr & msr::PR != 0 {
        Err(PRIV)
    } else {
        Ok(())
    }
}

impl CpuState {
    /// Set the MSR, keeping what the guest may not change (HV stays 0; ME
    /// is preserved as on a guest, Book III §4.2.1 and the mtmsrd rules),
    /// and tell the MMU.
    pub fn set_msr(&mut self, v: u64) {
        let mut v = v & !msr::HV;
        // MSR[PR]=1 implies EE, IR and DR (Book III §4.4, mtmsrd/rfid).
        if v & msr::PR != 0 {
            v |= msr::EE | msr::IR | msr::DR;
        }
        if v & msr::EE != 0 && self.msr & msr::EE == 0 {
            // External and decrementer interrupts are taken as soon as
            // MSR[EE] allows (Book III §7.5); the machine checks for them
            // between runs, so end this run at the next block boundary.
            // (Only checking at slice ends starved a vCPU whose idle loop
            // enables EE for a few instructions: its IPI waited for
            // seconds while a sibling spun in smp_call_function_single.)
            self.stop_at = 0;
        }
        self.msr = v;
        if !self.mem.mmu.is_null() {
            // SAFETY: the machine owns the Mmu for the vCPU's lifetime.
            unsafe { (*self.mem.mmu).set_msr(v) };
        }
    }

    /// Current decrementer value (32-bit DEC, Book III §7.3).
    pub fn dec(&self) -> u64 {
        let tb = crate::cpu::timebase(self);
        self.sup
            .dec_value
            .wrapping_sub(tb.wrapping_sub(self.sup.dec_stamp))
            & 0xffff_ffff
    }
}

/// mtspr to an SPR outside the problem-state set. `false` means "not an
/// SPR the guest may write here" (the caller raises the program interrupt).
pub fn mtspr_other(cpu: &mut CpuState, n: u32, v: u64) -> bool {
    // Problem-state SPRs beyond the basic set.
    match n {
        13 => {
            cpu.sup.other.insert(29, v);
            return true;
        }
        800..=806 => {
            cpu.sup.other.insert(n, v);
            return true;
        }
        _ => {}
    }
    if cpu.msr & msr::PR != 0 {
        return false;
    }
    let tb = crate::cpu::timebase(cpu);
    let s = &mut cpu.sup;
    match n {
        18 => s.dsisr = v & 0xffff_ffff,
        19 => s.dar = v,
        22 => {
            s.dec_value = v & 0xffff_ffff;
            s.dec_stamp = tb;
        }
        26 => s.srr0 = v,
        27 => s.srr1 = v,
        48 => {
            s.pidr = v & 0xf_ffff;
            if !cpu.mem.mmu.is_null() {
                // SAFETY: as in set_msr.
                unsafe {
                    (*cpu.mem.mmu).pidr = v & 0xf_ffff;
                    (*cpu.mem.mmu).flush();
                }
            }
        }
        272..=275 => s.sprg[(n - 272) as usize] = v,
        // TRIG2: used by the kernel's L1D flush fallback; a no-op here.
        882 => {}
        // Hypervisor SPRs (LPCR, HSRR0/1, HDEC, PTCR, LPIDR, HSPRG, ...):
        // not writable by a pseries guest.
        304..=319 | 336..=339 | 464 | 848 | 823 | 1023 => return false,
        // Read-only SPRs.
        287 | 136 | 268 | 269 => return false,
        _ => {
            s.other.insert(n, v);
        }
    }
    true
}

/// mfspr from an SPR outside the problem-state set.
pub fn mfspr_other(cpu: &mut CpuState, n: u32) -> Option<u64> {
    match n {
        13 => return Some(cpu.sup.other.get(&29).copied().unwrap_or(0)),
        259 => return Some(cpu.sup.sprg[3]),
        800..=806 => return Some(cpu.sup.other.get(&n).copied().unwrap_or(0)),
        _ => {}
    }
    if cpu.msr & msr::PR != 0 {
        return None;
    }
    let s = &cpu.sup;
    Some(match n {
        18 => s.dsisr,
        19 => s.dar,
        22 => cpu.dec(),
        26 => s.srr0,
        27 => s.srr1,
        28 => 0, // CFAR
        48 => s.pidr,
        272..=275 => s.sprg[(n - 272) as usize],
        287 => s.pvr,
        1023 => s.pir,
        // CTRL read: run latch set.
        136 => 1,
        // VTB: timebase since the partition started.
        849 => crate::cpu::timebase(cpu).wrapping_sub(s.tb_start),
        // PURR and SPURR (privileged-readable resource utilisation
        // counters, Book III §9.2): count like the timebase for a
        // dedicated-processor partition.
        308 | 309 => crate::cpu::timebase(cpu).wrapping_sub(s.tb_start),
        304..=319 | 336..=339 | 464 | 848 | 823 => return None,
        _ => s.other.get(&n).copied().unwrap_or(0),
    })
}

/// mtmsr, mtmsrd (Book III §4.4.2-4.4.3).
fn h_mtmsr(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    privileged(cpu)?;
    let s = cpu.gpr[i.rs() as usize];
    let v = if i.l15() != 0 {
        // L=1: only EE and RI change.
        (cpu.msr & !(msr::EE | msr::RI)) | (s & (msr::EE | msr::RI))
    } else if i.op == Opcode::Mtmsr {
        (cpu.msr & !0xffff_ffff) | (s & 0xffff_ffff)
    } else {
        s
    };
    cpu.set_msr(v);
    Ok(())
}

fn h_mfmsr(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    privileged(cpu)?;
    cpu.gpr[i.rt() as usize] = cpu.msr;
    Ok(())
}

/// rfid (§4.3.2) and rfscv (§4.3.3): restore the MSR and continue at the
/// saved address; the address is left in `npc` for the semantics.
fn h_rfid(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    privileged(cpu)?;
    let (new_msr, nia) = if i.op == Opcode::Rfscv {
        (cpu.ctr, cpu.lr)
    } else {
        (cpu.sup.srr1, cpu.sup.srr0)
    };
    cpu.set_msr(new_msr);
    let mut nia = nia & !3;
    if cpu.msr & msr::SF == 0 {
        nia &= 0xffff_ffff;
    }
    cpu.npc = nia;
    Ok(())
}

/// tlbie, tlbiel, slbia, slbie, ...: a radix guest's TLB and ERAT flushes.
/// Our software TLB is small, so every form flushes it all.
fn h_tlb(cpu: &mut CpuState, i: Insn) -> Result<(), Exc> {
    privileged(cpu)?;
    // tlbie/tlbiel (Book III §6.10.1, radix): IS (RB bits 52:53) = 0 drops
    // one page, whose size AP is RB bits 56:58 (0 4K, 5 64K, 1 2M, 2 1G),
    // when RIC=0 (TLB entries only); IS=1 with PRS=1 drops the process-
    // scoped entries of the PID in RS bits 0:31 (RIC 0 or 2: we cache no
    // page-walk entries apart from the TLB). Everything else (partition
    // scope, IS=2/3, slbia, an unknown AP) drops every translation.
    let rb = cpu.gpr[i.rb() as usize];
    let rs = cpu.gpr[i.rs() as usize];
    let tlbi = matches!(i.op, Opcode::Tlbie | Opcode::Tlbiel);
    let prs = i.prs() != 0;
    let size = match (rb >> 5) & 7 {
        0 => Some(1 << 12),
        5 => Some(1 << 16),
        1 => Some(1 << 21),
        2 => Some(1 << 30),
        _ => None,
    };
    if cpu.mem.mmu.is_null() {
        return Ok(());
    }
    // SAFETY: as in set_msr.
    let mmu = unsafe { &mut *cpu.mem.mmu };
    let inv = match ((rb >> 10) & 3, i.ric(), size) {
        (0, 0, Some(size)) if tlbi => Inval::Page(rb & !0xfff, size),
        (1, 0 | 2, _) if tlbi && prs => Inval::Pid((rs >> 32) & 0xf_ffff),
        _ => Inval::All,
    };
    mmu.apply(inv);
    if i.op == Opcode::Tlbie {
        // Global: the other vCPUs' TLBs too (tlbiel and slbia are local).
        mmu.posted.push(inv);
    }
    Ok(())
}

/// Privileged instructions that need no action here (tlbsync, msgsync,
/// slbsync, the doorbell clears).
fn h_priv_nop(cpu: &mut CpuState, _i: Insn) -> Result<(), Exc> {
    privileged(cpu)
}

fn h_illegal(_cpu: &mut CpuState, _i: Insn) -> Result<(), Exc> {
    Err(Exc::Program(ProgramKind::IllegalInstruction))
}

fn mtmsr<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_mtmsr, i)
}
fn mfmsr<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_mfmsr, i)
}
fn rfid<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_rfid, i)?;
    let t = b.reg(Reg::Npc);
    b.branch(t);
    Ok(())
}
fn tlb<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_tlb, i)
}
fn priv_nop<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_priv_nop, i)
}
fn hint<B: Backend>(_b: &mut B, _i: Insn) -> Result<(), Exc> {
    Ok(())
}
fn illegal<B: Backend>(b: &mut B, i: Insn) -> Result<(), Exc> {
    b.helper(h_illegal, i)
}

pub fn handler<T: Backend>(op: Opcode) -> Option<Handler<T>> {
    use Opcode::*;
    Some(match op {
        Mtmsr | Mtmsrd => mtmsr::<T>,
        Mfmsr => mfmsr::<T>,
        Rfid | Rfscv => rfid::<T>,
        Tlbie | Tlbiel | Slbia | Slbie | Slbieg | Slbiag | Tlbia => tlb::<T>,
        Tlbsync | Slbsync | Msgsync | Msgclrp | Msgsndp => priv_nop::<T>,
        // Data-stream hints (Book I ch. 6 of v2.07): no effect.
        Dss | Dssall | Dst | Dstt | Dstst | Dststt => hint::<T>,
        Hrfid | Urfid | Rfi | Stop | Attn | Mtsle | Msgsnd | Msgclr | Lbzcix | Lhzcix | Lwzcix
        | Ldcix | Stbcix | Sthcix | Stwcix | Stdcix | Slbmte | Slbmfev | Slbmfee | SlbfeeRc
        | Tlbld | Tlbli | Rmieg | Mtsrd | Mtsrdin | Dcbi => illegal::<T>,
        _ => return None,
    })
}
