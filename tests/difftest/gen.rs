//! Random snippet generation for the differential test.
//!
//! A snippet is a list of *groups*; a group is one instruction under test
//! plus whatever set-up it needs (a base register pointed into the memory
//! area, a CTR value for a loop, the scaffolding of a call). Branches only
//! ever target group boundaries, so set-up is never skipped. r1 holds the
//! memory area's address for the whole snippet and is never written.
//!
//! Which instructions are candidates is decided from the tables and from
//! `powerlift::exec::interp::implemented`, so the FP, VMX and VSX
//! categories fill up by themselves as their semantics land.

use super::encode::{self as enc, Fields, Operand};
use super::policy::{is_bcd, qemu_fp_divergence, NEVER, NO_ORACLE, SPECIAL};
use super::rng::Rng;
use super::state::MEM;
use powerlift::exec::interp::implemented;
use powerlift::isa::{
    FieldKind, Opcode, FIELDS, F_COND, F_LOAD, F_OE, F_RC, F_RESV, F_STORE, F_UPDATE,
};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cat {
    Int,
    Cr,
    Branch,
    Mem,
    Fp,
    Vmx,
    Vsx,
}

pub const CATS: [Cat; 7] = [
    Cat::Int,
    Cat::Cr,
    Cat::Branch,
    Cat::Mem,
    Cat::Fp,
    Cat::Vmx,
    Cat::Vsx,
];

impl Cat {
    pub fn name(self) -> &'static str {
        match self {
            Cat::Int => "int",
            Cat::Cr => "cr",
            Cat::Branch => "branch",
            Cat::Mem => "mem",
            Cat::Fp => "fp",
            Cat::Vmx => "vmx",
            Cat::Vsx => "vsx",
        }
    }
    fn weight(self) -> u64 {
        match self {
            Cat::Int => 30,
            Cat::Cr => 8,
            Cat::Branch => 10,
            Cat::Mem => 20,
            Cat::Fp | Cat::Vmx | Cat::Vsx => 14,
        }
    }
}

pub struct Features {
    pub fp: bool,
    pub vmx: bool,
    pub vsx: bool,
}

impl Features {
    pub fn detect() -> Features {
        let all = |m: &[&str]| m.iter().all(|n| enc::opcode(n).is_some_and(implemented));
        let fp = all(&["lfd", "stfd", "mffs", "mtfsf"]);
        let vmx = all(&["lvx", "stvx", "mfvscr", "mtvscr"]);
        let vsx = fp && vmx && all(&["lxvd2x", "stxvd2x"]);
        Features { fp, vmx, vsx }
    }
}

pub(crate) struct Fix {
    pub(crate) word: usize,
    /// Target group: this group's index + 1 + skip (clamped to the end).
    pub(crate) skip: usize,
    pub(crate) bc: bool,
}

#[derive(Default)]
pub(crate) struct Group {
    pub(crate) words: Vec<u32>,
    pub(crate) fix: Option<Fix>,
}

impl Group {
    pub(crate) fn one(w: u32) -> Group {
        Group {
            words: vec![w],
            fix: None,
        }
    }
}

pub struct Snippet {
    pub words: Vec<u32>,
    /// Word index where each group starts.
    pub groups: Vec<usize>,
    pub counts: HashMap<Cat, u64>,
}

impl Snippet {
    /// Fixed words (POWERLIFT_DIFFTEST_WORDS), one group each.
    pub fn fixed(words: Vec<u32>) -> Snippet {
        Snippet {
            groups: (0..words.len()).collect(),
            words,
            counts: HashMap::new(),
        }
    }

    /// The snippet with every group from `cut` on replaced by no-ops, so
    /// branch targets stay where they were.
    pub fn prefix(&self, cut: usize) -> Snippet {
        let from = self.groups.get(cut).copied().unwrap_or(self.words.len());
        let mut words = self.words.clone();
        for w in &mut words[from..] {
            *w = 0x6000_0000;
        }
        Snippet {
            words,
            groups: self.groups.clone(),
            counts: HashMap::new(),
        }
    }

    /// Disassembly of group `g`, one line per word, offsets from the start.
    pub fn group_text(&self, g: usize) -> String {
        let end = self.groups.get(g + 1).copied().unwrap_or(self.words.len());
        (self.groups[g]..end)
            .map(|n| {
                let w = self.words[n];
                let a = 4 * n as u64;
                format!(
                    "  {a:4x}: {w:08x}  {}\n",
                    powerlift::isa::disasm::disasm(w, a)
                )
            })
            .collect()
    }
}

pub struct Gen {
    pub(crate) f: Fields,
    kinds: HashMap<&'static str, FieldKind>,
    pub(crate) pools: HashMap<Cat, Vec<Opcode>>,
    mem_ops: HashMap<Cat, Vec<Opcode>>,
    cats: Vec<Cat>,
    pub rng: Rng,
}

fn category(op: Opcode) -> Option<Cat> {
    let info = op.info();
    let m = info.mnemonic;
    let ch = info.chapter;
    if ch.starts_with("fp") {
        return Some(Cat::Fp);
    }
    if ch.starts_with("vmx") {
        return Some(Cat::Vmx);
    }
    if ch.starts_with("vsx") {
        return Some(Cat::Vsx);
    }
    if ch == "loadstore" {
        return Some(Cat::Mem);
    }
    if matches!(
        m,
        "mfcr" | "mfocrf" | "mtcrf" | "mtocrf" | "setb" | "mcrxrx" | "mcrf"
    ) || m.starts_with("cr")
    {
        return Some(Cat::Cr);
    }
    if ch == "branch" {
        return Some(Cat::Branch);
    }
    if ch == "fixed" {
        return Some(Cat::Int);
    }
    None
}

fn is_mem(op: Opcode) -> bool {
    op.has(F_LOAD) || op.has(F_STORE)
}

impl Gen {
    /// `only`: restrict to these categories (None = all that the emulator
    /// and the harness support).
    pub fn new(seed: u64, feat: &Features, only: Option<&[Cat]>) -> Gen {
        let f = Fields::load();
        let kinds = FIELDS.iter().map(|fi| (fi.name, fi.kind)).collect();
        let mut pools: HashMap<Cat, Vec<Opcode>> = HashMap::new();
        let mut mem_ops: HashMap<Cat, Vec<Opcode>> = HashMap::new();
        for &op in Opcode::ALL {
            if op == Opcode::Invalid || !implemented(op) {
                continue;
            }
            let m = op.info().mnemonic;
            if NEVER.contains(&m) || NO_ORACLE.contains(&m) || is_bcd(m) || qemu_fp_divergence(m) {
                continue;
            }
            let Some(cat) = category(op) else { continue };
            if addressed(op) {
                // Memory forms of every chapter; stcx. only in larx pairs.
                if !op.has(F_COND) {
                    mem_ops.entry(cat).or_default().push(op);
                }
                continue;
            }
            if SPECIAL.contains(&m) || !operands_generic(op) {
                if SPECIAL.contains(&m) {
                    pools.entry(cat).or_default().push(op);
                }
                continue;
            }
            pools.entry(cat).or_default().push(op);
        }
        let enabled = |c: Cat| match c {
            Cat::Fp => feat.fp,
            Cat::Vmx => feat.vmx,
            Cat::Vsx => feat.vsx,
            _ => true,
        };
        let cats = CATS
            .iter()
            .copied()
            .filter(|&c| enabled(c))
            .filter(|c| only.is_none_or(|o| o.contains(c)))
            .filter(|c| pools.contains_key(c) || mem_ops.contains_key(c))
            .collect();
        Gen {
            f,
            kinds,
            pools,
            mem_ops,
            cats,
            rng: Rng::new(seed),
        }
    }

    pub fn categories(&self) -> &[Cat] {
        &self.cats
    }

    /// A GPR the random code may write: anything but r1.
    pub(crate) fn gpr(&mut self) -> u32 {
        loop {
            let r = self.rng.below(32) as u32;
            if r != 1 {
                return r;
            }
        }
    }

    /// A GPR usable as a base or index register (not r0, not r1).
    pub(crate) fn addr_gpr(&mut self, avoid: &[u32]) -> u32 {
        loop {
            let r = 2 + self.rng.below(30) as u32;
            if !avoid.contains(&r) {
                return r;
            }
        }
    }

    pub(crate) fn rand_field(&mut self, w: u32, name: &str) -> u32 {
        let kind = self.kinds.get(name).copied().unwrap_or(FieldKind::U);
        let fb = self.f.get(name).clone();
        let v = match kind {
            FieldKind::Gpr | FieldKind::Gpr0 => self.gpr() as u64,
            _ => self.rng.next() & ((1u64 << fb.width()) - 1),
        };
        fb.put(w, v)
    }

    pub(crate) fn set(&self, w: u32, name: &str, v: i64) -> u32 {
        self.f.set(w, name, v)
    }

    pub(crate) fn rc_oe(&mut self, op: Opcode, mut w: u32) -> u32 {
        if op.has(F_RC) && self.rng.one_in(2) {
            w |= 1;
        }
        if op.has(F_OE) && self.rng.one_in(2) {
            w |= 0x400;
        }
        w
    }

    /// Any instruction whose operands are all plain fields: random fields.
    pub(crate) fn generic(&mut self, op: Opcode) -> u32 {
        let mut w = op.info().value;
        for o in enc::operands(op) {
            if let Operand::Field(n) = o {
                w = self.rand_field(w, n);
            }
        }
        let w = self.constrain(op, w);
        self.rc_oe(op, w)
    }

    /// Keep operands out of the ranges the ISA leaves undefined or invalid.
    fn constrain(&mut self, op: Opcode, w: u32) -> u32 {
        let m = op.info().mnemonic;
        // §6.8.x vextractuh/uw/d, vinserth/w/d, §7.6 xxextractuw,
        // xxinsertw: "If UIM > 14 [12, 8], the result is undefined."
        let uim_max = match m {
            "vextractuh" | "vinserth" => 14,
            "vextractuw" | "vinsertw" | "xxextractuw" | "xxinsertw" => 12,
            "vextractd" | "vinsertd" => 8,
            _ => 16,
        };
        if uim_max < 16 {
            let v = self.rng.below(uim_max + 1) as i64;
            return self.set(w, "UIM4", v);
        }
        // lfdp/lfdpx/stfdp/stfdpx: "If FRTp [FRSp] is odd, the instruction
        // form is invalid" (§4.6.2, §4.6.3).
        if matches!(m, "lfdp" | "lfdpx" | "stfdp" | "stfdpx") {
            let f = if m.starts_with('l') { "FRT" } else { "FRS" };
            let v = 2 * self.rng.below(16) as i64;
            return self.set(w, f, v);
        }
        w
    }

    fn pick_op(&mut self, cat: Cat) -> Option<Opcode> {
        let n_pool = self.pools.get(&cat).map_or(0, |v| v.len());
        let n_mem = self.mem_ops.get(&cat).map_or(0, |v| v.len());
        if n_pool + n_mem == 0 {
            return None;
        }
        // Memory forms of FP/vector chapters get a quarter of the draws.
        let mem = if cat == Cat::Mem {
            true
        } else if n_mem == 0 {
            false
        } else if n_pool == 0 {
            true
        } else {
            self.rng.one_in(4)
        };
        let v = if mem {
            &self.mem_ops[&cat]
        } else {
            &self.pools[&cat]
        };
        Some(v[self.rng.below(v.len() as u64) as usize])
    }

    /// One group of category `cat` (None if it has nothing to offer).
    /// `plain`: only straight-line groups that leave LR and CTR alone (for
    /// loop and subroutine bodies).
    fn group(
        &mut self,
        cat: Cat,
        plain: bool,
        out: &mut Vec<Group>,
        pend: &mut Vec<(usize, Group)>,
    ) {
        let op = match cat {
            Cat::Branch if !plain => {
                self.branch(out, pend);
                return;
            }
            _ => match self.pick_op(cat) {
                Some(op) => op,
                None => return,
            },
        };
        let m = op.info().mnemonic;
        if plain && (m == "dcbz" || op.has(F_RESV)) {
            // Loop and call bodies cannot see the outer pairs (below).
            return;
        }
        if !pend.is_empty() && m == "dcbz" {
            // No dcbz between a larx and its stcx.: QEMU 7.2 means dcbz to
            // drop a reservation in the zeroed block (dcbz_common), but
            // inside one translation block it checks a stale copy of the
            // reservation address, so whether the stcx. succeeds depends
            // on block boundaries (Book II §4.4.2 leaves it to the
            // implementation whether the reserving processor's own store
            // clears the reservation).
            return;
        }
        if op.has(F_RESV) && !pend.is_empty() {
            // No second larx while a pair's stcx. is outstanding: a stcx.
            // to the reserved address but of another length leaves it
            // undefined whether the store is performed (Book II §4.4.2),
            // and QEMU stores after comparing only the stored width while
            // reporting failure in CR0.
            return;
        }
        if addressed(op) {
            let g = self.mem_group(op, None);
            if op.has(F_RESV) {
                // Pair with a later stcx. of the same size, usually at the
                // same address, after 0..3 more groups.
                let st = self.stcx_for(m);
                if let Some(st) = st {
                    let ea = if self.rng.one_in(4) { None } else { Some(g.1) };
                    let sg = self.mem_group(st, ea).0;
                    let at = out.len() + 1 + self.rng.below(4) as usize;
                    pend.push((at, sg));
                }
            }
            out.push(g.0);
            return;
        }
        if SPECIAL.contains(&m) {
            if let Some(g) = self.special(op, plain) {
                out.push(g);
            }
            return;
        }
        out.push(Group::one(self.generic(op)));
    }

    fn stcx_for(&self, larx: &str) -> Option<Opcode> {
        let m = match larx {
            "lbarx" => "stbcx.",
            "lharx" => "sthcx.",
            "lwarx" => "stwcx.",
            "ldarx" => "stdcx.",
            _ => return None,
        };
        enc::opcode(m).filter(|o| implemented(*o))
    }

    /// A load or store of any chapter with its effective address inside
    /// the memory area. Returns the group and the address used.
    fn mem_group(&mut self, op: Opcode, force_ea: Option<i64>) -> (Group, i64) {
        let info = op.info();
        let m = info.mnemonic;
        let ops = enc::operands(op);
        let size = if info.mem == 0 { 16 } else { info.mem as i64 };
        let quad = size == 16 && !is_vec_or_fp(op);
        let natural = op.has(F_RESV) || op.has(F_COND) || self.rng.below(4) != 0;
        let align = if natural { size.min(16) } else { 1 };
        let span = size.max(16);
        let ea = force_ea.unwrap_or_else(|| {
            let e = self.rng.below((MEM as i64 - span) as u64 + 1) as i64;
            e & !(align - 1)
        });
        let update = op.has(F_UPDATE);
        let load = op.has(F_LOAD);
        let base = self.addr_gpr(&[]);
        let mut w = info.value;
        let mut pre = Vec::new();
        // Target/source register(s) first, so the address registers can
        // avoid them where the ISA requires it.
        let mut data_regs = Vec::new();
        for o in &ops {
            if let Operand::Field(n) = o {
                if matches!(*n, "RT" | "RS") {
                    let r = if quad {
                        // RTp/RSp: an even pair, not r0/r1.
                        2 * (1 + self.rng.below(15) as u32)
                    } else {
                        self.gpr()
                    };
                    data_regs.push(r);
                    if quad {
                        data_regs.push(r + 1);
                    }
                    w = self.set(w, n, r as i64);
                } else if !matches!(*n, "RA" | "RA0" | "RB") {
                    w = if matches!(*n, "L") {
                        self.set(w, n, 0)
                    } else {
                        self.rand_field(w, n)
                    };
                }
            }
        }
        // Load with update: "If RA=0 or RA=RT, the instruction form is
        // invalid" (§3.3.2); lq: "If RTp is odd or RTp=RA, the instruction
        // form is invalid" (§3.3.5). Keep the base register clear of the
        // data registers for those forms (RA is never r0 here).
        let base = if data_regs.contains(&base) && (update && load || quad) {
            self.addr_gpr(&data_regs)
        } else {
            base
        };
        let dform = ops.iter().find_map(|o| match o {
            Operand::Mem(d, b) => Some((*d, *b)),
            _ => None,
        });
        if let Some((d, b)) = dform {
            let scale = 1i64 << self.f.get(d).shift;
            let disp = (self.rng.range(-16, 16)) * scale;
            pre.push(enc::addi(base, 1, ea - disp));
            w = self.set(w, d, disp);
            w = self.set(w, b, base as i64);
        } else {
            let ra_name = if ops.iter().any(|o| matches!(o, Operand::Field("RA0"))) {
                "RA0"
            } else {
                "RA"
            };
            let length_in_rb = (m.starts_with("lxvl") || m.starts_with("stxvl")) && m.len() <= 7;
            if length_in_rb {
                // lxvl/lxvll/stxvl/stxvll: RB[0:7] is the byte count.
                let mut avoid = data_regs.clone();
                avoid.push(base);
                let idx = self.addr_gpr(&avoid);
                pre.push(enc::addi(base, 1, ea));
                pre.push(enc::addi(idx, 0, self.rng.range(0, 20)));
                pre.push(enc::rldicr(idx, idx, 56, 7));
                w = self.set(w, ra_name, base as i64);
                w = self.set(w, "RB", idx as i64);
            } else if ra_name == "RA0" && !update && self.rng.one_in(4) {
                pre.push(enc::addi(base, 1, ea));
                w = self.set(w, "RA0", 0);
                w = self.set(w, "RB", base as i64);
            } else {
                let mut avoid = data_regs.clone();
                avoid.push(base);
                // lqarx: "If RTp = RA or RTp = RB, the form is invalid".
                let only_base = [base];
                let idx = self.addr_gpr(if update || quad { &avoid } else { &only_base });
                let x = self.rng.range(-64, 64);
                pre.push(enc::addi(base, 1, x));
                pre.push(enc::addi(idx, 0, ea - x));
                w = self.set(w, ra_name, base as i64);
                w = self.set(w, "RB", idx as i64);
            }
        }
        let w = self.constrain(op, w);
        pre.push(self.rc_oe(op, w));
        (
            Group {
                words: pre,
                fix: None,
            },
            ea,
        )
    }

    /// A plain group for loop and subroutine bodies.
    pub(crate) fn plain(&mut self, out: &mut Vec<Group>) {
        let mut pend = Vec::new();
        let cats: Vec<Cat> = self
            .cats
            .iter()
            .copied()
            .filter(|c| *c != Cat::Branch)
            .collect();
        let c = *self.rng.pick(&cats);
        self.group(c, true, out, &mut pend);
        // Bodies never carry a larx/stcx. pair across the boundary.
        for (_, g) in pend {
            out.push(g);
        }
    }

    pub(crate) fn body(&mut self, n: usize) -> Vec<u32> {
        let mut gs = Vec::new();
        while gs.len() < n {
            self.plain(&mut gs);
        }
        gs.into_iter().flat_map(|g| g.words).collect()
    }

    fn pick_cat(&mut self) -> Cat {
        let total: u64 = self.cats.iter().map(|c| c.weight()).sum();
        let mut x = self.rng.below(total);
        for &c in &self.cats {
            if x < c.weight() {
                return c;
            }
            x -= c.weight();
        }
        self.cats[0]
    }

    /// A snippet of about `len` groups.
    pub fn snippet(&mut self, len: usize) -> Snippet {
        let mut groups: Vec<Group> = Vec::new();
        let mut pend: Vec<(usize, Group)> = Vec::new();
        let mut counts: HashMap<Cat, u64> = HashMap::new();
        while groups.len() < len {
            if let Some(k) = pend.iter().position(|(at, _)| *at <= groups.len()) {
                groups.push(pend.remove(k).1);
                *counts.entry(Cat::Mem).or_default() += 1;
                continue;
            }
            let c = self.pick_cat();
            let before = groups.len();
            self.group(c, false, &mut groups, &mut pend);
            if groups.len() > before {
                *counts.entry(c).or_default() += 1;
            }
        }
        for (_, g) in pend.drain(..) {
            groups.push(g);
            *counts.entry(Cat::Mem).or_default() += 1;
        }
        // Lay out, then patch forward branches to group starts.
        let mut starts = Vec::with_capacity(groups.len() + 1);
        let mut n = 0usize;
        for g in &groups {
            starts.push(n);
            n += g.words.len();
        }
        starts.push(n);
        let mut words = Vec::with_capacity(n);
        for (gi, g) in groups.iter().enumerate() {
            let mut ws = g.words.clone();
            if let Some(fx) = &g.fix {
                let t = (gi + 1 + fx.skip).min(groups.len());
                let off = 4 * (starts[t] as i64 - (starts[gi] + fx.word) as i64);
                let w = ws[fx.word];
                ws[fx.word] = if fx.bc {
                    (w & !0xfffc) | (off as u32 & 0xfffc)
                } else {
                    (w & !0x03ff_fffc) | (off as u32 & 0x03ff_fffc)
                };
            }
            words.extend(ws);
        }
        Snippet {
            words,
            groups: starts[..groups.len()].to_vec(),
            counts,
        }
    }
}

fn is_vec_or_fp(op: Opcode) -> bool {
    let ch = op.info().chapter;
    ch.starts_with("fp") || ch.starts_with("vmx") || ch.starts_with("vsx")
}

/// Whether the instruction computes an effective address from (RA|0) and
/// RB or a displacement: loads, stores, cache management, lvsl/lvsr.
fn addressed(op: Opcode) -> bool {
    let ops = enc::operands(op);
    let has = |n: &str| {
        ops.iter()
            .any(|o| matches!(o, Operand::Field(f) if *f == n))
    };
    ops.iter().any(|o| matches!(o, Operand::Mem(..)))
        || is_mem(op) && has("RB")
        || op.info().chapter == "loadstore" && has("RB") && (has("RA0") || has("RA"))
}

/// Whether every operand is a plain field the generic path can fill.
fn operands_generic(op: Opcode) -> bool {
    enc::operands(op)
        .iter()
        .all(|o| matches!(o, Operand::Field(_)))
}
