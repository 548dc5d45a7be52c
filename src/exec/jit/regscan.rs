//! A pre-pass over a region for the emitter: runs every instruction's
//! semantics through a `Backend` that only notes which guest registers are
//! read and written. Knowing the region's register sets before emitting
//! anything lets the emitter load them all at the region's entry and store
//! the written ones at each exit and around helper calls, inline.

use super::region::{RegId, Region};
use crate::cpu::Exc;
use crate::isa::Insn;
use crate::sem::{self, Backend, Bin, Helper, Reg, Un};

#[derive(Default)]
pub struct RegScan {
    /// Registers used (read or written), bit `RegId::index`.
    pub used: u64,
    /// Registers written.
    pub written: u64,
    cia: u64,
}

impl RegScan {
    pub fn of(region: &Region) -> RegScan {
        let mut s = RegScan::default();
        for (&pc, b) in &region.blocks {
            for (k, &insn) in b.insns.iter().enumerate() {
                s.cia = pc + 4 * k as u64;
                if let Some(h) = sem::handler::<RegScan>(insn.op) {
                    if h(&mut s, insn).is_err() {
                        break;
                    }
                }
            }
        }
        s
    }

    fn read(&mut self, r: RegId) {
        self.used |= 1 << r.index();
    }

    fn write(&mut self, r: RegId) {
        self.used |= 1 << r.index();
        self.written |= 1 << r.index();
    }
}

impl Backend for RegScan {
    type V = ();
    fn imm(&mut self, _v: u64) {}
    fn gpr(&mut self, r: u32) {
        self.read(RegId::Gpr(r as u8 & 31));
    }
    fn set_gpr(&mut self, r: u32, _v: ()) {
        self.write(RegId::Gpr(r as u8 & 31));
    }
    fn crf(&mut self, f: u32) {
        self.read(RegId::Crf(f as u8 & 7));
    }
    fn set_crf(&mut self, f: u32, _v: ()) {
        self.write(RegId::Crf(f as u8 & 7));
    }
    fn reg(&mut self, r: Reg) {
        self.read(RegId::from_reg(r));
    }
    fn set_reg(&mut self, r: Reg, _v: ()) {
        self.write(RegId::from_reg(r));
    }
    fn fpr(&mut self, _n: u32) {}
    fn set_fpr(&mut self, _n: u32, _v: ()) {}
    fn bin(&mut self, _op: Bin, _a: (), _b: ()) {}
    fn un(&mut self, _op: Un, _a: ()) {}
    fn select(&mut self, _c: (), _a: (), _b: ()) {}
    fn load(&mut self, _size: u8, _ea: ()) -> Result<(), Exc> {
        Ok(())
    }
    fn store(&mut self, _size: u8, _ea: (), _v: ()) -> Result<(), Exc> {
        Ok(())
    }
    fn cia(&self) -> u64 {
        self.cia
    }
    fn branch(&mut self, _target: ()) {}
    fn branch_if(&mut self, _c: (), _target: ()) {}
    fn raise_if(&mut self, _c: (), _e: Exc) -> Result<(), Exc> {
        Ok(())
    }
    fn helper(&mut self, _f: Helper, _i: Insn) -> Result<(), Exc> {
        Ok(())
    }
    fn vsx_access(&mut self, _f: Helper, i: Insn) -> Result<(), Exc> {
        // The emitter may form the address itself (`fp::vsx_access_inline`):
        // RA, and RB for the X-forms.
        self.gpr(i.ra());
        if i.op.has(crate::isa::F_INDEXED) {
            self.gpr(i.rb());
        }
        Ok(())
    }
}
