//! Interrupt delivery for system mode (Power ISA 3.0B Book III chapter 6):
//! save state in SRR0/SRR1 (or LR/CTR for scv), form the new MSR, and
//! vector, honouring the alternate interrupt location (AIL) and interrupt
//! endianness (ILE) the hypervisor set in LPCR through H_SET_MODE.

use super::{lpcr, msr, CpuState, Exc, ProgramKind};

pub const V_SYSTEM_RESET: u64 = 0x100;
pub const V_MACHINE_CHECK: u64 = 0x200;
pub const V_DSI: u64 = 0x300;
pub const V_ISI: u64 = 0x400;
pub const V_EXTERNAL: u64 = 0x500;
pub const V_ALIGNMENT: u64 = 0x600;
pub const V_PROGRAM: u64 = 0x700;
pub const V_FP_UNAVAILABLE: u64 = 0x800;
pub const V_DECREMENTER: u64 = 0x900;
pub const V_SYSCALL: u64 = 0xc00;
pub const V_VEC_UNAVAILABLE: u64 = 0xf20;
pub const V_VSX_UNAVAILABLE: u64 = 0xf40;
pub const V_SCV: u64 = 0x17000;

/// SRR1 program-interrupt cause bits (§6.5.9).
pub const SRR1_FP: u64 = 0x0010_0000;
pub const SRR1_ILLEGAL: u64 = 0x0008_0000;
pub const SRR1_PRIV: u64 = 0x0004_0000;
pub const SRR1_TRAP: u64 = 0x0002_0000;

/// SRR1 bits 33:36 and 42:47 carry interrupt-specific information; the
/// others are copied from the MSR (§6.5, "Interrupt Definitions").
const SRR1_CAUSE_MASK: u64 = 0x7800_0000 | 0x003f_0000;

fn new_msr(cpu: &CpuState, vector: u64) -> (u64, u64) {
    let old = cpu.msr;
    let mut m = msr::SF | (old & (msr::HV | msr::ME));
    if cpu.sup.lpcr & lpcr::ILE != 0 {
        m |= msr::LE;
    }
    let ail = (cpu.sup.lpcr & lpcr::AIL_MASK) >> lpcr::AIL_SHIFT;
    let relocated = ail == 3
        && old & msr::IR != 0
        && old & msr::DR != 0
        && vector != V_SYSTEM_RESET
        && vector != V_MACHINE_CHECK;
    let mut v = vector;
    if relocated {
        m |= msr::IR | msr::DR;
        // With AIL=3 the scv vectors move from 0x17000 to
        // 0xc000000000003000 (+ 0x20 * LEV), the others to
        // 0xc000000000004000 + vector (Book III §6.5, "Interrupt vector
        // offsets", and §7.5.19 for scv).
        v = if vector >= V_SCV {
            0xc000_0000_0000_3000 + (vector - V_SCV)
        } else {
            0xc000_0000_0000_4000 + vector
        };
    }
    (m, v)
}

/// Take an interrupt at `vector` with SRR0 = `nia` and the given SRR1
/// cause bits.
pub fn deliver(cpu: &mut CpuState, vector: u64, nia: u64, cause: u64) {
    cpu.sup.srr0 = nia;
    cpu.sup.srr1 = (cpu.msr & !SRR1_CAUSE_MASK) | (cause & SRR1_CAUSE_MASK);
    let (m, v) = new_msr(cpu, vector);
    cpu.set_msr(m);
    cpu.pc = v;
    cpu.resv_addr = u64::MAX;
}

/// System call vectored (ISA 3.0B Book III §7.5.19): LR = next
/// instruction, CTR = MSR, EE and RI are kept, vector 0x17000 + 0x20 * LEV.
pub fn deliver_scv(cpu: &mut CpuState, lev: u32, nia: u64) {
    let old = cpu.msr;
    cpu.lr = nia;
    cpu.ctr = old;
    let (mut m, v) = new_msr(cpu, V_SCV + 0x20 * (lev as u64 & 0x7f));
    m |= old & (msr::EE | msr::RI);
    cpu.set_msr(m);
    cpu.pc = v;
    cpu.resv_addr = u64::MAX;
}

/// Deliver the interrupt for an exception raised by the instruction at
/// `cpu.pc`. Hypercalls (sc 1 from supervisor state) are not handled here.
pub fn deliver_exception(cpu: &mut CpuState, e: Exc) {
    let cia = cpu.pc;
    match e {
        Exc::Storage { ea, dsisr } => {
            cpu.sup.dar = ea;
            cpu.sup.dsisr = dsisr as u64;
            deliver(cpu, V_DSI, cia, 0);
        }
        Exc::Dsi { ea, store } => {
            cpu.sup.dar = ea;
            cpu.sup.dsisr = 0x4000_0000 | if store { 0x0200_0000 } else { 0 };
            deliver(cpu, V_DSI, cia, 0);
        }
        Exc::InstStorage { srr1, .. } => deliver(cpu, V_ISI, cia, srr1 as u64),
        Exc::Isi { .. } => deliver(cpu, V_ISI, cia, 0x4000_0000),
        Exc::Alignment { ea } => {
            cpu.sup.dar = ea;
            deliver(cpu, V_ALIGNMENT, cia, 0);
        }
        Exc::Program(k) => {
            let bits = match k {
                ProgramKind::FloatingPoint => SRR1_FP,
                ProgramKind::IllegalInstruction => SRR1_ILLEGAL,
                ProgramKind::PrivilegedInstruction => SRR1_PRIV,
                ProgramKind::Trap => SRR1_TRAP,
            };
            deliver(cpu, V_PROGRAM, cia, bits);
        }
        Exc::Unimplemented => deliver(cpu, V_PROGRAM, cia, SRR1_ILLEGAL),
        Exc::Syscall { scv: true, lev } => deliver_scv(cpu, lev, cia + 4),
        Exc::Syscall { scv: false, .. } => deliver(cpu, V_SYSCALL, cia + 4, 0),
        Exc::FpUnavailable => deliver(cpu, V_FP_UNAVAILABLE, cia, 0),
        Exc::VecUnavailable => deliver(cpu, V_VEC_UNAVAILABLE, cia, 0),
        Exc::VsxUnavailable => deliver(cpu, V_VSX_UNAVAILABLE, cia, 0),
    }
}
