//! The ppc64 register file as gdb's remote protocol carries it: gdbstub's
//! `Arch` for `powerpc:common64` with the core and FPU features (gdb's
//! `power64-core` and `power-fpu` numbering: r0-r31 are 0-31, pc 64, msr
//! 65, cr 66, lr 67, ctr 68, xer 69, f0-f31 71-102, fpscr 103). The
//! gdbstub_arch crate only has 32-bit PowerPC.
//!
//! Byte order: as QEMU's stub, registers go in the vCPU's current
//! MSR[LE] order (big-endian in the firmware, little-endian once Linux
//! runs), so gdb needs `set endian` to match.

use gdbstub::arch::{Arch, RegId, Registers};
use std::num::NonZeroUsize;

pub enum Ppc64 {}

impl Arch for Ppc64 {
    type Usize = u64;
    type Registers = Regs;
    type BreakpointKind = usize;
    type RegId = NoRegId;

    fn target_description_xml() -> Option<&'static str> {
        Some(TARGET_XML)
    }
}

/// Single registers travel in the `g` packet only (it has them all).
#[derive(Debug)]
pub enum NoRegId {}

impl RegId for NoRegId {
    fn from_raw_id(_id: usize) -> Option<(Self, Option<NonZeroUsize>)> {
        None
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Regs {
    pub gpr: [u64; 32],
    pub pc: u64,
    pub msr: u64,
    pub cr: u32,
    pub lr: u64,
    pub ctr: u64,
    pub xer: u32,
    pub fpr: [u64; 32],
    pub fpscr: u32,
    /// Serialize big-endian (the vCPU's MSR[LE] is 0). Deserialized
    /// registers are read as little-endian and the target swaps them.
    pub big_endian: bool,
}

impl Regs {
    /// Every register as (value, size in bytes), in `g` packet order.
    fn fields(&self) -> Vec<(u64, usize)> {
        let mut v: Vec<(u64, usize)> = self.gpr.iter().map(|&r| (r, 8)).collect();
        v.extend([
            (self.pc, 8),
            (self.msr, 8),
            (self.cr as u64, 4),
            (self.lr, 8),
            (self.ctr, 8),
            (self.xer as u64, 4),
        ]);
        v.extend(self.fpr.iter().map(|&f| (f, 8)));
        v.push((self.fpscr as u64, 4));
        v
    }

    /// Swap every register's bytes (for a big-endian vCPU after
    /// `gdb_deserialize`).
    pub fn swapped(&self) -> Regs {
        let mut r = self.clone();
        for g in r.gpr.iter_mut().chain(r.fpr.iter_mut()) {
            *g = g.swap_bytes();
        }
        r.pc = r.pc.swap_bytes();
        r.msr = r.msr.swap_bytes();
        r.lr = r.lr.swap_bytes();
        r.ctr = r.ctr.swap_bytes();
        r.cr = r.cr.swap_bytes();
        r.xer = r.xer.swap_bytes();
        r.fpscr = r.fpscr.swap_bytes();
        r
    }
}

/// Size of the `g` packet payload in bytes.
pub const G_BYTES: usize = 32 * 8 + 8 + 8 + 4 + 8 + 8 + 4 + 32 * 8 + 4;

impl Registers for Regs {
    type ProgramCounter = u64;

    fn pc(&self) -> u64 {
        self.pc
    }

    fn gdb_serialize(&self, mut write_byte: impl FnMut(Option<u8>)) {
        for (v, n) in self.fields() {
            let le = v.to_le_bytes();
            for k in 0..n {
                let b = if self.big_endian {
                    le[n - 1 - k]
                } else {
                    le[k]
                };
                write_byte(Some(b));
            }
        }
    }

    fn gdb_deserialize(&mut self, bytes: &[u8]) -> Result<(), ()> {
        if bytes.len() < G_BYTES {
            return Err(());
        }
        let mut at = 0;
        let mut take = |n: usize| {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(&bytes[at..at + n]);
            at += n;
            u64::from_le_bytes(b)
        };
        for r in self.gpr.iter_mut() {
            *r = take(8);
        }
        self.pc = take(8);
        self.msr = take(8);
        self.cr = take(4) as u32;
        self.lr = take(8);
        self.ctr = take(8);
        self.xer = take(4) as u32;
        for f in self.fpr.iter_mut() {
            *f = take(8);
        }
        self.fpscr = take(4) as u32;
        Ok(())
    }
}

/// gdb's power64-core and power-fpu features, inline.
const TARGET_XML: &str = concat!(
    r#"<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd">"#,
    r#"<target version="1.0"><architecture>powerpc:common64</architecture>"#,
    r#"<feature name="org.gnu.gdb.power.core">"#,
    r#"<reg name="r0" bitsize="64" type="uint64" regnum="0"/><reg name="r1" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r2" bitsize="64" type="uint64"/><reg name="r3" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r4" bitsize="64" type="uint64"/><reg name="r5" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r6" bitsize="64" type="uint64"/><reg name="r7" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r8" bitsize="64" type="uint64"/><reg name="r9" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r10" bitsize="64" type="uint64"/><reg name="r11" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r12" bitsize="64" type="uint64"/><reg name="r13" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r14" bitsize="64" type="uint64"/><reg name="r15" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r16" bitsize="64" type="uint64"/><reg name="r17" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r18" bitsize="64" type="uint64"/><reg name="r19" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r20" bitsize="64" type="uint64"/><reg name="r21" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r22" bitsize="64" type="uint64"/><reg name="r23" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r24" bitsize="64" type="uint64"/><reg name="r25" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r26" bitsize="64" type="uint64"/><reg name="r27" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r28" bitsize="64" type="uint64"/><reg name="r29" bitsize="64" type="uint64"/>"#,
    r#"<reg name="r30" bitsize="64" type="uint64"/><reg name="r31" bitsize="64" type="uint64"/>"#,
    r#"<reg name="pc" bitsize="64" type="code_ptr" regnum="64"/>"#,
    r#"<reg name="msr" bitsize="64" type="uint64"/>"#,
    r#"<reg name="cr" bitsize="32" type="uint32"/>"#,
    r#"<reg name="lr" bitsize="64" type="code_ptr"/>"#,
    r#"<reg name="ctr" bitsize="64" type="uint64"/>"#,
    r#"<reg name="xer" bitsize="32" type="uint32"/>"#,
    r#"</feature><feature name="org.gnu.gdb.power.fpu">"#,
    r#"<reg name="f0" bitsize="64" type="ieee_double" regnum="71"/><reg name="f1" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f2" bitsize="64" type="ieee_double"/><reg name="f3" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f4" bitsize="64" type="ieee_double"/><reg name="f5" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f6" bitsize="64" type="ieee_double"/><reg name="f7" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f8" bitsize="64" type="ieee_double"/><reg name="f9" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f10" bitsize="64" type="ieee_double"/><reg name="f11" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f12" bitsize="64" type="ieee_double"/><reg name="f13" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f14" bitsize="64" type="ieee_double"/><reg name="f15" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f16" bitsize="64" type="ieee_double"/><reg name="f17" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f18" bitsize="64" type="ieee_double"/><reg name="f19" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f20" bitsize="64" type="ieee_double"/><reg name="f21" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f22" bitsize="64" type="ieee_double"/><reg name="f23" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f24" bitsize="64" type="ieee_double"/><reg name="f25" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f26" bitsize="64" type="ieee_double"/><reg name="f27" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f28" bitsize="64" type="ieee_double"/><reg name="f29" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="f30" bitsize="64" type="ieee_double"/><reg name="f31" bitsize="64" type="ieee_double"/>"#,
    r#"<reg name="fpscr" bitsize="32" group="float"/>"#,
    r#"</feature></target>"#
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_packet_round_trips_and_follows_msr_le() {
        let mut r = Regs::default();
        for (k, g) in r.gpr.iter_mut().enumerate() {
            *g = 0x0102_0304_0506_0700 + k as u64;
        }
        r.pc = 0xc000_0000_0000_1234;
        r.cr = 0x2400_0042;
        r.fpscr = 0x8200_0000;
        let mut le = Vec::new();
        r.gdb_serialize(|b| le.push(b.unwrap()));
        assert_eq!(le.len(), G_BYTES);
        // pc is the 33rd field, little-endian here.
        assert_eq!(&le[256..264], &0xc000_0000_0000_1234u64.to_le_bytes());
        let mut back = Regs::default();
        back.gdb_deserialize(&le).unwrap();
        assert_eq!(back, r);
        r.big_endian = true;
        let mut be = Vec::new();
        r.gdb_serialize(|b| be.push(b.unwrap()));
        assert_eq!(&be[256..264], &0xc000_0000_0000_1234u64.to_be_bytes());
        let mut back = Regs::default();
        back.gdb_deserialize(&be).unwrap();
        let mut want = r.clone();
        want.big_endian = false;
        assert_eq!(back.swapped(), want);
    }
}
