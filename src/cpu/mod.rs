//! Guest CPU state: the `#[repr(C)]` register file shared by every execution
//! tier, plus the exception values the semantics raise.
//!
//! Layout follows the Power ISA 3.0B Book I register set (GPRs, CR as eight
//! 4-bit fields, XER split into its SO/OV/CA/OV32/CA32 bits, LR, CTR, TAR,
//! FPSCR, the 64 VSRs whose first 32 high doublewords are the FPRs, VSCR,
//! VRSAVE) and the reservation of larx/stcx. (Book II §4.4.2).

pub mod interrupt;

use crate::memory::GuestMem;

/// CR field bits as stored in `CpuState::crf` (Book I §2.3.1).
pub const CR_LT: u8 = 8;
pub const CR_GT: u8 = 4;
pub const CR_EQ: u8 = 2;
pub const CR_SO: u8 = 1;

#[repr(C)]
#[derive(Clone)]
pub struct CpuState {
    pub gpr: [u64; 32],
    /// Current instruction address.
    pub pc: u64,
    pub lr: u64,
    pub ctr: u64,
    pub tar: u64,
    /// CR fields 0..7, each 0..15 (LT GT EQ SO from high to low bit).
    pub crf: [u8; 8],
    pub so: u8,
    pub ov: u8,
    pub ca: u8,
    pub ov32: u8,
    pub ca32: u8,
    /// XER bits 57:63 (string byte count).
    pub xer_bc: u8,
    pub _pad: [u8; 2],
    pub fpscr: u64,
    /// VSR 0..63, as 128-bit values whose most significant half is the
    /// ISA's doubleword 0 (so FPR n is `vsr[n] >> 64`).
    pub vsr: [u128; 64],
    pub vscr: u32,
    pub vrsave: u32,
    pub msr: u64,
    /// larx reservation: address (u64::MAX when none), size and value.
    pub resv_addr: u64,
    pub resv_size: u64,
    pub resv_val: u128,
    pub dscr: u64,
    pub ppr: u64,
    /// Guest memory as seen by this vCPU.
    pub mem: GuestMem,
    /// Retired instruction count.
    pub icount: u64,
    /// `icount` at which the running slice ends (the interpreter and the
    /// JIT check it at block and region boundaries). Lowered to 0 when
    /// MSR[EE] turns on, so the machine looks for a pending interrupt at
    /// once rather than at the end of the slice.
    pub stop_at: u64,
    /// An exception raised by a helper called from compiled code; the JIT's
    /// trampolines put it here and the dispatcher takes it.
    pub pending: Option<Exc>,
    /// Set by the JIT's slow-path load when it faulted (then `pending`
    /// holds the exception).
    pub jit_fault: u8,
    /// Region-to-region transfers made by compiled code (for `--stats`).
    pub jit_chains: u64,
    /// The link table of the region that last returned (`exec::jit::chain`).
    pub jit_table: *const u64,
    /// Next instruction address chosen by a helper (rfid, rfscv): the
    /// semantics read it back through `Reg::Npc` and branch to it.
    pub npc: u64,
    /// Supervisor state (Book III), used in system mode only.
    pub sup: Supervisor,
}

/// Book III registers of a vCPU. Plain-storage SPRs the guest may touch
/// (AMR, IAMR, FSCR, MMCRs, ...) live in `other`, keyed by SPR number.
#[derive(Clone)]
pub struct Supervisor {
    pub srr0: u64,
    pub srr1: u64,
    pub dar: u64,
    pub dsisr: u64,
    pub sprg: [u64; 4],
    pub pidr: u64,
    pub pvr: u64,
    pub pir: u64,
    /// Hypervisor-owned LPCR: ILE and AIL are set through H_SET_MODE.
    pub lpcr: u64,
    /// Decrementer: value written and the timebase at the time of writing.
    pub dec_value: u64,
    pub dec_stamp: u64,
    /// Timebase source: None = host real time; Some(shift) = virtual time
    /// from retired instructions (QEMU's -icount shift=N: 2^N ns each).
    pub icount_shift: Option<u8>,
    /// Timebase value at vCPU reset (VTB counts from here).
    pub tb_start: u64,
    pub other: std::collections::BTreeMap<u32, u64>,
}

impl Default for Supervisor {
    fn default() -> Self {
        Supervisor {
            srr0: 0,
            srr1: 0,
            dar: 0,
            dsisr: 0,
            sprg: [0; 4],
            pidr: 0,
            pvr: 0x004e_1200,
            pir: 0,
            lpcr: 0,
            dec_value: 0xffff_ffff,
            dec_stamp: 0,
            icount_shift: None,
            tb_start: 0,
            other: Default::default(),
        }
    }
}

/// LPCR fields the pseries hypervisor (us) manages (Book III §2.2).
pub mod lpcr {
    /// Interrupt little-endian.
    pub const ILE: u64 = 1 << 25;
    /// Alternate interrupt location, bits 39:40.
    pub const AIL_SHIFT: u32 = 23;
    pub const AIL_MASK: u64 = 3 << 23;
}

/// Time base frequency: 512 MHz, as on POWER9 and QEMU's pseries.
pub const TB_FREQ: u64 = 512_000_000;

/// Host real time as a timebase value.
pub fn host_timebase() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    d.as_secs() * TB_FREQ + (d.subsec_nanos() as u64 * 64 / 125)
}

/// The vCPU's timebase: host real time, or virtual time derived from the
/// retired instruction count when `-icount` is in force.
pub fn timebase(cpu: &CpuState) -> u64 {
    match cpu.sup.icount_shift {
        None => host_timebase(),
        // ns = icount << shift; TB ticks = ns * 512 / 1000.
        Some(s) => ((cpu.icount as u128) << s) as u64 / 125 * 64,
    }
}

impl CpuState {
    pub fn new(mem: GuestMem) -> Box<CpuState> {
        Box::new(CpuState {
            gpr: [0; 32],
            pc: 0,
            lr: 0,
            ctr: 0,
            tar: 0,
            crf: [0; 8],
            so: 0,
            ov: 0,
            ca: 0,
            ov32: 0,
            ca32: 0,
            xer_bc: 0,
            _pad: [0; 2],
            fpscr: 0,
            vsr: [0; 64],
            vscr: 0x0001_0000,
            vrsave: 0,
            // A Linux user process: SF, VEC, VSX, EE, PR, FP, ME, IR, DR,
            // RI, LE.
            msr: msr::SF
                | msr::VEC
                | msr::VSX
                | msr::EE
                | msr::PR
                | msr::FP
                | msr::ME
                | msr::IR
                | msr::DR
                | msr::RI
                | msr::LE,
            resv_addr: u64::MAX,
            resv_size: 0,
            resv_val: 0,
            dscr: 0,
            ppr: 0,
            mem,
            icount: 0,
            stop_at: u64::MAX,
            pending: None,
            jit_fault: 0,
            jit_chains: 0,
            jit_table: std::ptr::null(),
            npc: 0,
            sup: Supervisor::default(),
        })
    }

    /// The 32-bit CR (Book I §2.3.1): field 0 in bits 32:35.
    pub fn cr(&self) -> u32 {
        self.crf
            .iter()
            .fold(0u32, |acc, &f| (acc << 4) | (f as u32 & 0xf))
    }
    pub fn set_cr(&mut self, v: u32) {
        for i in 0..8 {
            self.crf[i] = ((v >> (28 - 4 * i)) & 0xf) as u8;
        }
    }
    /// XER as the 64-bit register (Book I §3.2.2).
    pub fn xer(&self) -> u64 {
        (self.so as u64) << 31
            | (self.ov as u64) << 30
            | (self.ca as u64) << 29
            | (self.ov32 as u64) << 19
            | (self.ca32 as u64) << 18
            | self.xer_bc as u64 & 0x7f
    }
    pub fn set_xer(&mut self, v: u64) {
        self.so = (v >> 31) as u8 & 1;
        self.ov = (v >> 30) as u8 & 1;
        self.ca = (v >> 29) as u8 & 1;
        self.ov32 = (v >> 19) as u8 & 1;
        self.ca32 = (v >> 18) as u8 & 1;
        self.xer_bc = (v & 0x7f) as u8;
    }
    pub fn fpr(&self, n: usize) -> u64 {
        (self.vsr[n] >> 64) as u64
    }
    pub fn set_fpr(&mut self, n: usize, v: u64) {
        // Book I §7.2.1: writing an FPR leaves VSR doubleword 1 undefined;
        // POWER9 and QEMU leave it unchanged... QEMU zeroes it. Follow QEMU.
        self.vsr[n] = (v as u128) << 64;
    }
    /// VR n is VSR 32+n.
    pub fn vr(&self, n: usize) -> u128 {
        self.vsr[32 + n]
    }
    pub fn set_vr(&mut self, n: usize, v: u128) {
        self.vsr[32 + n] = v;
    }
}

/// MSR bits (Book III §4.2.1), as masks on the 64-bit MSR.
pub mod msr {
    pub const SF: u64 = 1 << 63;
    pub const HV: u64 = 1 << 60;
    pub const VEC: u64 = 1 << 25;
    pub const VSX: u64 = 1 << 23;
    pub const EE: u64 = 1 << 15;
    pub const PR: u64 = 1 << 14;
    pub const FP: u64 = 1 << 13;
    pub const ME: u64 = 1 << 12;
    pub const FE0: u64 = 1 << 11;
    pub const SE: u64 = 1 << 10;
    pub const BE: u64 = 1 << 9;
    pub const FE1: u64 = 1 << 8;
    pub const IR: u64 = 1 << 5;
    pub const DR: u64 = 1 << 4;
    pub const PMM: u64 = 1 << 2;
    pub const RI: u64 = 1 << 1;
    pub const LE: u64 = 1;
}

/// Kinds of program interrupt (Book III §6.5.9, SRR1 bits 43:47).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramKind {
    IllegalInstruction,
    PrivilegedInstruction,
    Trap,
    FloatingPoint,
}

/// A guest-architected exception raised by an instruction. Never a host
/// error: the execution loop turns it into an interrupt (system mode) or a
/// signal (user mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exc {
    /// Data storage: faulting effective address, and whether it was a store.
    Dsi {
        ea: u64,
        store: bool,
    },
    /// Instruction storage at this address.
    Isi {
        ea: u64,
    },
    Alignment {
        ea: u64,
    },
    Program(ProgramKind),
    /// sc (LEV) or scv (LEV | 0x100).
    Syscall {
        scv: bool,
        lev: u32,
    },
    FpUnavailable,
    VecUnavailable,
    VsxUnavailable,
    /// Data storage interrupt raised by address translation in system mode,
    /// with the DSISR value (Book III §6.5.3).
    Storage {
        ea: u64,
        dsisr: u32,
    },
    /// Instruction storage interrupt with the SRR1 cause bits (§6.5.4).
    InstStorage {
        ea: u64,
        srr1: u32,
    },
    /// An instruction the emulator does not implement yet. Reported to the
    /// guest as an illegal instruction, logged with `-d unimp`.
    Unimplemented,
}
