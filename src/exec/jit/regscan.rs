//! A pre-pass over a region for the emitter: runs every instruction's
//! semantics through a `Backend` that only notes which guest registers are
//! read and written. Knowing the region's register sets before emitting
//! anything lets the emitter load them all at the region's entry and store
//! the written ones at each exit and around helper calls, inline.
//!
//! The same pass, block by block, gives the registers live at the end of
//! each guest block (`live_out`): write-through regions store only those
//! when the block continues in the region, and leave the others to the
//! region exits, which store every register the block wrote. It also gives
//! the registers some path from the entry may have written by the start of
//! each block (`written_in`): the exits of register-variable regions store
//! only those.

use super::region::{self, GuestBlock, RegId, Region};
use crate::cpu::Exc;
use crate::exec::fxhash::FxHashMap;
use crate::isa::Insn;
use crate::sem::{self, Backend, Bin, Helper, Reg, Un};

#[derive(Default)]
pub struct RegScan {
    /// Registers used (read or written), bit `RegId::index`.
    pub used: u64,
    /// Registers written.
    pub written: u64,
    cia: u64,
    /// Per block (`summary`): registers read, or possibly needed in
    /// `CpuState` by an exit or a helper, before the block writes them...
    gen: u64,
    /// ...and registers the block writes.
    kill: u64,
    /// Guest accesses cannot leave the region (`jit::guard`).
    guarded: bool,
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
        self.gen |= (1 << r.index()) & !self.kill;
    }

    fn write(&mut self, r: RegId) {
        self.used |= 1 << r.index();
        self.written |= 1 << r.index();
        self.kill |= 1 << r.index();
    }

    /// The code may leave the region or call a helper here: every
    /// register must be current in `CpuState` (or pending in the block).
    fn may_exit(&mut self) {
        self.gen |= !self.kill;
    }

    /// `(gen, kill)` of one guest block (see the fields). A block that may
    /// leave the region at its end (a target outside the region or
    /// unknown, or a back-edge with its slice check) counts as reading
    /// every register it did not write.
    fn summary(region: &Region, b: &GuestBlock, guarded: bool) -> (u64, u64) {
        let mut s = RegScan {
            guarded,
            ..RegScan::default()
        };
        for (k, &insn) in b.insns.iter().enumerate() {
            s.cia = b.start + 4 * k as u64;
            let Some(h) = sem::handler::<RegScan>(insn.op) else {
                s.may_exit();
                break;
            };
            // (Guarded regions end at isync: `compiler`.)
            if h(&mut s, insn).is_err() || (guarded && insn.op == crate::isa::Opcode::Isync) {
                s.may_exit();
                break;
            }
        }
        let ts = region::targets(b, true);
        let inside = |t: &u64| *t > b.start && region.blocks.contains_key(t);
        if ts.is_empty() || !ts.iter().all(inside) {
            s.may_exit();
        }
        (s.gen, s.kill)
    }

    /// `summary` of every block, and its in-region successors.
    #[allow(clippy::type_complexity)]
    fn flow(
        region: &Region,
        guarded: bool,
    ) -> (FxHashMap<u64, (u64, u64)>, FxHashMap<u64, Vec<u64>>) {
        let sums: FxHashMap<u64, (u64, u64)> = region
            .blocks
            .iter()
            .map(|(&pc, b)| (pc, Self::summary(region, b, guarded)))
            .collect();
        let succ = region
            .blocks
            .iter()
            .map(|(&pc, b)| {
                let ts = region::targets(b, true);
                (
                    pc,
                    ts.into_iter().filter(|t| sums.contains_key(t)).collect(),
                )
            })
            .collect();
        (sums, succ)
    }

    /// The registers some path from the region's entry to the start of
    /// each block may have written (a forward may-analysis over the
    /// in-region jumps). An exit stores only those and the ones its own
    /// block wrote before it: the rest still hold their values in
    /// `CpuState`, so their variables need not live on to the exits.
    pub fn written_in(region: &Region, guarded: bool) -> FxHashMap<u64, u64> {
        let (sums, succ) = Self::flow(region, guarded);
        let mut inn: FxHashMap<u64, u64> = region.blocks.keys().map(|&pc| (pc, 0)).collect();
        loop {
            let mut changed = false;
            for &pc in region.blocks.keys() {
                let out = inn[&pc] | sums[&pc].1;
                for t in &succ[&pc] {
                    let v = inn[t] | out;
                    if v != inn[t] {
                        inn.insert(*t, v);
                        changed = true;
                    }
                }
            }
            if !changed {
                return inn;
            }
        }
    }

    /// The registers live at the end of each block of `region`: those some
    /// in-region successor may read before writing them (`summary`).
    pub fn live_out(region: &Region, guarded: bool) -> FxHashMap<u64, u64> {
        let (sums, succ) = Self::flow(region, guarded);
        let mut out: FxHashMap<u64, u64> = region.blocks.keys().map(|&pc| (pc, 0)).collect();
        let live_in = |out: &FxHashMap<u64, u64>, t: u64| {
            let (g, k) = sums[&t];
            g | (out[&t] & !k)
        };
        loop {
            let mut changed = false;
            for &pc in region.blocks.keys().rev() {
                let v = succ[&pc].iter().fold(0, |a, &t| a | live_in(&out, t));
                if v != out[&pc] {
                    out.insert(pc, v);
                    changed = true;
                }
            }
            if !changed {
                return out;
            }
        }
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
        if !self.guarded {
            self.may_exit();
        }
        Ok(())
    }
    fn store(&mut self, _size: u8, _ea: (), _v: ()) -> Result<(), Exc> {
        if !self.guarded {
            self.may_exit();
        }
        Ok(())
    }
    fn cia(&self) -> u64 {
        self.cia
    }
    fn branch(&mut self, _target: ()) {}
    fn branch_if(&mut self, _c: (), _target: ()) {}
    fn raise_if(&mut self, _c: (), _e: Exc) -> Result<(), Exc> {
        self.may_exit();
        Ok(())
    }
    fn helper(&mut self, _f: Helper, _i: Insn) -> Result<(), Exc> {
        self.may_exit();
        Ok(())
    }
    fn vsx_access(&mut self, _f: Helper, i: Insn) -> Result<(), Exc> {
        self.may_exit();
        // The emitter may form the address itself (`fp::vsx_access_inline`):
        // RA, and RB for the X-forms.
        self.gpr(i.ra());
        if i.op.has(crate::isa::F_INDEXED) {
            self.gpr(i.rb());
        }
        Ok(())
    }
}
