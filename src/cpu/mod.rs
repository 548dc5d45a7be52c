//! Guest CPU state: the `#[repr(C)]` register file shared by every execution
//! tier, plus the exception values the semantics raise.
//!
//! Layout follows the Power ISA 3.0B Book I register set (GPRs, CR as eight
//! 4-bit fields, XER split into its SO/OV/CA/OV32/CA32 bits, LR, CTR, TAR,
//! FPSCR, the 64 VSRs whose first 32 high doublewords are the FPRs, VSCR,
//! VRSAVE) and the reservation of larx/stcx. (Book II §4.4.2).

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
    /// An exception raised by a helper called from compiled code; the JIT's
    /// trampolines put it here and the dispatcher takes it.
    pub pending: Option<Exc>,
    /// Set by the JIT's slow-path load when it faulted (then `pending`
    /// holds the exception).
    pub jit_fault: u8,
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
            msr: 1 << 63 | 1, // SF, LE
            resv_addr: u64::MAX,
            resv_size: 0,
            resv_val: 0,
            dscr: 0,
            ppr: 0,
            mem,
            icount: 0,
            pending: None,
            jit_fault: 0,
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
    Dsi { ea: u64, store: bool },
    /// Instruction storage at this address.
    Isi { ea: u64 },
    Alignment { ea: u64 },
    Program(ProgramKind),
    /// sc (LEV) or scv (LEV | 0x100).
    Syscall { scv: bool, lev: u32 },
    FpUnavailable,
    VecUnavailable,
    VsxUnavailable,
    /// An instruction the emulator does not implement yet. Reported to the
    /// guest as an illegal instruction, logged with `-d unimp`.
    Unimplemented,
}
