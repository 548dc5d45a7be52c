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
        Some(TARGET_XML.as_str())
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

/// gdb's power64-core and power-fpu features, inline (register numbers as
/// in the module comment; a `regnum` only where the numbering jumps).
static TARGET_XML: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let reg = |name: &str, bits: u32, ty: &str, regnum: Option<u32>| {
        let n = regnum.map_or(String::new(), |r| format!(r#" regnum="{r}""#));
        format!(r#"<reg name="{name}" bitsize="{bits}" type="{ty}"{n}/>"#)
    };
    let mut x = String::from(concat!(
        r#"<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd">"#,
        r#"<target version="1.0"><architecture>powerpc:common64</architecture>"#,
        r#"<feature name="org.gnu.gdb.power.core">"#
    ));
    for k in 0..32 {
        x += &reg(&format!("r{k}"), 64, "uint64", (k == 0).then_some(0));
    }
    x += &reg("pc", 64, "code_ptr", Some(64));
    x += &reg("msr", 64, "uint64", None);
    x += &reg("cr", 32, "uint32", None);
    x += &reg("lr", 64, "code_ptr", None);
    x += &reg("ctr", 64, "uint64", None);
    x += &reg("xer", 32, "uint32", None);
    x += r#"</feature><feature name="org.gnu.gdb.power.fpu">"#;
    for k in 0..32 {
        x += &reg(&format!("f{k}"), 64, "ieee_double", (k == 0).then_some(71));
    }
    x += r#"<reg name="fpscr" bitsize="32" group="float"/></feature></target>"#;
    x
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_xml_lists_the_g_packet_registers() {
        let x = Ppc64::target_description_xml().unwrap();
        assert_eq!(x.matches("<reg ").count(), 32 + 6 + 32 + 1);
        assert!(x.contains(r#"<reg name="pc" bitsize="64" type="code_ptr" regnum="64"/>"#));
        assert!(x.contains(r#"<reg name="f0" bitsize="64" type="ieee_double" regnum="71"/>"#));
        assert!(x.contains(r#"<reg name="r31" bitsize="64" type="uint64"/>"#));
    }

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
