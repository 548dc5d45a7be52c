//! Region formation for the JIT: from a hot entry address, collect guest
//! basic blocks reachable through direct, non-linking branches (so loops
//! become loops in compiled code). Also names the guest registers the
//! emitter caches (`RegId`) and where they live in `CpuState`.

use crate::cpu::CpuState;
use crate::isa::{Insn, Opcode, F_END};
use crate::sem::Reg;
use std::collections::BTreeMap;

/// Every register a region can keep in a Cranelift variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegId {
    Gpr(u8),
    Crf(u8),
    R(RegIdx),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RegIdx(pub u8);

pub const NUM_REGS: usize = 32 + 8 + 9;

impl RegId {
    pub fn index(self) -> usize {
        match self {
            RegId::Gpr(n) => n as usize,
            RegId::Crf(n) => 32 + n as usize,
            RegId::R(RegIdx(n)) => 40 + n as usize,
        }
    }
    pub fn from_reg(r: Reg) -> RegId {
        RegId::R(RegIdx(match r {
            Reg::Lr => 0,
            Reg::Ctr => 1,
            Reg::Tar => 2,
            Reg::So => 3,
            Reg::Ov => 4,
            Reg::Ca => 5,
            Reg::Ov32 => 6,
            Reg::Ca32 => 7,
            Reg::Npc => 8,
        }))
    }
    pub fn from_index(i: usize) -> RegId {
        match i {
            0..32 => RegId::Gpr(i as u8),
            32..40 => RegId::Crf((i - 32) as u8),
            _ => RegId::R(RegIdx((i - 40) as u8)),
        }
    }
    /// Byte offset in CpuState and access width in bytes.
    pub fn slot(self) -> (i32, u8) {
        use std::mem::offset_of;
        match self {
            RegId::Gpr(n) => ((offset_of!(CpuState, gpr) + 8 * n as usize) as i32, 8),
            RegId::Crf(n) => ((offset_of!(CpuState, crf) + n as usize) as i32, 1),
            RegId::R(RegIdx(k)) => match k {
                0 => (offset_of!(CpuState, lr) as i32, 8),
                1 => (offset_of!(CpuState, ctr) as i32, 8),
                2 => (offset_of!(CpuState, tar) as i32, 8),
                3 => (offset_of!(CpuState, so) as i32, 1),
                4 => (offset_of!(CpuState, ov) as i32, 1),
                5 => (offset_of!(CpuState, ca) as i32, 1),
                6 => (offset_of!(CpuState, ov32) as i32, 1),
                7 => (offset_of!(CpuState, ca32) as i32, 1),
                _ => (offset_of!(CpuState, npc) as i32, 8),
            },
        }
    }
}

pub struct GuestBlock {
    pub start: u64,
    pub insns: Vec<Insn>,
}

pub struct Region {
    pub entry: u64,
    pub blocks: BTreeMap<u64, GuestBlock>,
    pub ninsns: usize,
}

pub const MAX_BLOCKS: usize = 48;
pub const MAX_INSNS: usize = 600;

fn decode_block(cpu: &CpuState, pc: u64) -> Option<GuestBlock> {
    let mut insns = Vec::new();
    let mut a = pc;
    while let Ok(w) = cpu.mem.fetch(a) {
        cpu.mem.mark_code(a);
        let i = Insn::new(w);
        insns.push(i);
        a += 4;
        if i.op.has(F_END)
            || i.op == Opcode::Invalid
            || insns.len() >= 64
            || a % cpu.mem.code_page_size() == 0
        {
            break;
        }
    }
    if insns.is_empty() {
        None
    } else {
        Some(GuestBlock { start: pc, insns })
    }
}

/// Direct successors that stay inside the region: fall-through and the
/// targets of `b`/`bc` without link.
pub fn successors(b: &GuestBlock) -> Vec<u64> {
    targets(b, false)
}

/// `successors`, or with `calls` also the target of a branch-and-link
/// (`bl` to code in a region is a jump there for the compiler).
pub fn targets(b: &GuestBlock, calls: bool) -> Vec<u64> {
    let last = *b.insns.last().unwrap();
    let end = b.start + 4 * b.insns.len() as u64;
    let cia = end - 4;
    let direct = last.lk() == 0 || calls;
    match last.op {
        Opcode::B if direct => {
            let t = if last.aa() != 0 {
                last.li() as u64
            } else {
                cia.wrapping_add(last.li() as u64)
            };
            vec![t]
        }
        Opcode::Bc if direct => {
            let t = if last.aa() != 0 {
                last.bd() as u64
            } else {
                cia.wrapping_add(last.bd() as u64)
            };
            if last.bo() & 0x14 == 0x14 {
                vec![t]
            } else {
                vec![t, end]
            }
        }
        op if !op.has(F_END) && op != Opcode::Invalid => vec![end],
        _ => vec![],
    }
}

/// How many ways each block of `region` is entered: from outside (the
/// entry) and from the blocks that may continue into it (`targets`).
pub fn predecessors(region: &Region) -> std::collections::HashMap<u64, u32> {
    let mut n = std::collections::HashMap::new();
    n.insert(region.entry, 1);
    for b in region.blocks.values() {
        for t in targets(b, true) {
            *n.entry(t).or_insert(0) += 1;
        }
    }
    n
}

/// Collect the region starting at `entry`.
pub fn form(cpu: &CpuState, entry: u64) -> Option<Region> {
    let mut blocks = BTreeMap::new();
    let mut work = vec![entry];
    let mut ninsns = 0;
    // System mode: a region stays inside its entry's translation page, so
    // keying it by the entry's real address covers all of its code.
    let page = cpu.mem.code_page_size();
    while let Some(pc) = work.pop() {
        if blocks.contains_key(&pc) || blocks.len() >= MAX_BLOCKS || ninsns >= MAX_INSNS {
            continue;
        }
        if !cpu.mem.mmu.is_null() && pc / page != entry / page {
            continue;
        }
        let Some(b) = decode_block(cpu, pc) else {
            continue;
        };
        ninsns += b.insns.len();
        let succ = successors(&b);
        blocks.insert(pc, b);
        // Depth-first, fall-through last so it is popped first.
        for s in succ.into_iter().rev() {
            work.push(s);
        }
    }
    if blocks.is_empty() {
        return None;
    }
    Some(Region {
        entry,
        blocks,
        ninsns,
    })
}
