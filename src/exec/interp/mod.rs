//! Tier 0: the pre-decoding interpreter.
//!
//! Guest code is decoded once into blocks (straight-line runs ending at an
//! instruction marked `end` in `isa/`, a page boundary or 64 instructions),
//! each instruction paired with its monomorphised semantics function
//! (`sem::handler::<Interp>`). Blocks are found through a direct-mapped
//! jump cache in front of a hash map, and dropped wholesale when guest
//! memory holding decoded code is written (self-modifying code, mmap).

use crate::cpu::{CpuState, Exc, ProgramKind};
use crate::isa::{Insn, Opcode, F_END};
use crate::memory::PAGE_SIZE;
use crate::sem::{self, Backend, Bin, Handler, Helper, Reg, Un};
use std::collections::HashMap;

/// The interpreter's backend: values are plain `u64`s.
pub struct Interp<'a> {
    pub cpu: &'a mut CpuState,
    /// Next instruction address, set by branches.
    pub next: u64,
}

impl Backend for Interp<'_> {
    type V = u64;
    #[inline(always)]
    fn imm(&mut self, v: u64) -> u64 {
        v
    }
    #[inline(always)]
    fn gpr(&mut self, r: u32) -> u64 {
        self.cpu.gpr[r as usize & 31]
    }
    #[inline(always)]
    fn set_gpr(&mut self, r: u32, v: u64) {
        self.cpu.gpr[r as usize & 31] = v;
    }
    #[inline(always)]
    fn crf(&mut self, f: u32) -> u64 {
        self.cpu.crf[f as usize & 7] as u64
    }
    #[inline(always)]
    fn set_crf(&mut self, f: u32, v: u64) {
        self.cpu.crf[f as usize & 7] = (v & 0xf) as u8;
    }
    #[inline(always)]
    fn reg(&mut self, r: Reg) -> u64 {
        let c = &self.cpu;
        match r {
            Reg::Lr => c.lr,
            Reg::Ctr => c.ctr,
            Reg::Tar => c.tar,
            Reg::So => c.so as u64,
            Reg::Ov => c.ov as u64,
            Reg::Ca => c.ca as u64,
            Reg::Ov32 => c.ov32 as u64,
            Reg::Ca32 => c.ca32 as u64,
        }
    }
    #[inline(always)]
    fn set_reg(&mut self, r: Reg, v: u64) {
        let c = &mut self.cpu;
        match r {
            Reg::Lr => c.lr = v,
            Reg::Ctr => c.ctr = v,
            Reg::Tar => c.tar = v,
            Reg::So => c.so = v as u8 & 1,
            Reg::Ov => c.ov = v as u8 & 1,
            Reg::Ca => c.ca = v as u8 & 1,
            Reg::Ov32 => c.ov32 = v as u8 & 1,
            Reg::Ca32 => c.ca32 = v as u8 & 1,
        }
    }
    #[inline(always)]
    fn bin(&mut self, op: Bin, a: u64, b: u64) -> u64 {
        eval_bin(op, a, b)
    }
    #[inline(always)]
    fn un(&mut self, op: Un, a: u64) -> u64 {
        eval_un(op, a)
    }
    #[inline(always)]
    fn select(&mut self, c: u64, a: u64, b: u64) -> u64 {
        if c != 0 {
            a
        } else {
            b
        }
    }
    #[inline(always)]
    fn load(&mut self, size: u8, ea: u64) -> Result<u64, Exc> {
        self.cpu.mem.load(size, ea)
    }
    #[inline(always)]
    fn store(&mut self, size: u8, ea: u64, v: u64) -> Result<(), Exc> {
        self.cpu.mem.store(size, ea, v)
    }
    #[inline(always)]
    fn cia(&self) -> u64 {
        self.cpu.pc
    }
    #[inline(always)]
    fn branch(&mut self, target: u64) {
        self.next = target;
    }
    #[inline(always)]
    fn branch_if(&mut self, c: u64, target: u64) {
        if c != 0 {
            self.next = target;
        }
    }
    #[inline(always)]
    fn raise_if(&mut self, c: u64, e: Exc) -> Result<(), Exc> {
        if c != 0 {
            Err(e)
        } else {
            Ok(())
        }
    }
    #[inline(always)]
    fn helper(&mut self, f: Helper, i: Insn) -> Result<(), Exc> {
        f(self.cpu, i)
    }
}

/// The meaning of each `Bin` on concrete values (shared with tests and the
/// JIT's constant folding).
#[inline(always)]
pub fn eval_bin(op: Bin, a: u64, b: u64) -> u64 {
    match op {
        Bin::Add => a.wrapping_add(b),
        Bin::Sub => a.wrapping_sub(b),
        Bin::And => a & b,
        Bin::Or => a | b,
        Bin::Xor => a ^ b,
        Bin::Shl => {
            if b >= 64 {
                0
            } else {
                a << b
            }
        }
        Bin::Shr => {
            if b >= 64 {
                0
            } else {
                a >> b
            }
        }
        Bin::Sar => ((a as i64) >> b.min(63)) as u64,
        Bin::Rotl => a.rotate_left((b & 63) as u32),
        Bin::Rotl32 => {
            let r = (a as u32).rotate_left((b & 31) as u32) as u64;
            r << 32 | r
        }
        Bin::Mul => a.wrapping_mul(b),
        Bin::MulHs => (((a as i64 as i128) * (b as i64 as i128)) >> 64) as u64,
        Bin::MulHu => (((a as u128) * (b as u128)) >> 64) as u64,
        Bin::Eq => (a == b) as u64,
        Bin::Ne => (a != b) as u64,
        Bin::Ltu => (a < b) as u64,
        Bin::Lts => ((a as i64) < (b as i64)) as u64,
        Bin::Gtu => (a > b) as u64,
        Bin::Gts => ((a as i64) > (b as i64)) as u64,
    }
}

#[inline(always)]
pub fn eval_un(op: Un, a: u64) -> u64 {
    match op {
        Un::Not => !a,
        Un::Neg => a.wrapping_neg(),
        Un::Clz => a.leading_zeros() as u64,
        Un::Ctz => a.trailing_zeros() as u64,
        Un::Popcnt => a.count_ones() as u64,
        Un::Sext8 => a as i8 as i64 as u64,
        Un::Sext16 => a as i16 as i64 as u64,
        Un::Sext32 => a as i32 as i64 as u64,
        Un::Zext8 => a as u8 as u64,
        Un::Zext16 => a as u16 as u64,
        Un::Zext32 => a as u32 as u64,
        Un::Bswap16 => (a as u16).swap_bytes() as u64,
        Un::Bswap32 => (a as u32).swap_bytes() as u64,
        Un::Bswap64 => a.swap_bytes(),
    }
}

type IHandler = Handler<Interp<'static>>;

fn illegal(_b: &mut Interp<'static>, _i: Insn) -> Result<(), Exc> {
    Err(Exc::Program(ProgramKind::IllegalInstruction))
}

/// Per-opcode handler table for the interpreter, built once.
fn handlers() -> &'static [IHandler] {
    static T: std::sync::OnceLock<Vec<IHandler>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        Opcode::ALL
            .iter()
            .map(|&op| {
                if op == Opcode::Invalid {
                    illegal as IHandler
                } else {
                    sem::handler::<Interp<'static>>(op).unwrap_or(sem::unimplemented)
                }
            })
            .collect()
    })
}

/// Whether the interpreter has semantics for `op`.
pub fn implemented(op: Opcode) -> bool {
    op != Opcode::Invalid && sem::handler::<Interp<'static>>(op).is_some()
}

struct Block {
    start: u64,
    ops: Vec<(IHandler, Insn)>,
}

/// Why `run` returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The instruction at `cpu.pc` raised this exception; nothing of it
    /// was committed except what the architecture allows.
    Exception(Exc),
    /// The instruction budget ran out.
    Budget,
}

const JC_SIZE: usize = 4096;

/// The interpreter with its decoded-block cache.
pub struct Interpreter {
    blocks: Vec<Block>,
    index: HashMap<u64, u32>,
    jcache: Box<[(u64, u32)]>,
    code_gen: u64,
    pub blocks_decoded: u64,
    pub flushes: u64,
}

impl Default for Interpreter {
    fn default() -> Self {
        Self::new()
    }
}

impl Interpreter {
    pub fn new() -> Interpreter {
        Interpreter {
            blocks: Vec::new(),
            index: HashMap::new(),
            jcache: vec![(u64::MAX, 0); JC_SIZE].into_boxed_slice(),
            code_gen: 0,
            blocks_decoded: 0,
            flushes: 0,
        }
    }

    pub fn flush(&mut self) {
        self.blocks.clear();
        self.index.clear();
        self.jcache.fill((u64::MAX, 0));
        self.flushes += 1;
    }

    fn decode_block(&mut self, cpu: &CpuState, pc: u64) -> Result<u32, Exc> {
        let h = handlers();
        let mut ops = Vec::new();
        let mut a = pc;
        loop {
            let w = match cpu.mem.fetch(a) {
                Ok(w) => w,
                Err(e) if ops.is_empty() => return Err(e),
                Err(_) => break,
            };
            cpu.mem.mark_code(a);
            let insn = Insn::new(w);
            ops.push((h[insn.op as usize], insn));
            a += 4;
            if insn.op.has(F_END) || insn.op == Opcode::Invalid || ops.len() >= 64 || a % PAGE_SIZE == 0 {
                break;
            }
        }
        self.blocks_decoded += 1;
        let id = self.blocks.len() as u32;
        self.blocks.push(Block { start: pc, ops });
        self.index.insert(pc, id);
        Ok(id)
    }

    #[inline]
    fn lookup(&mut self, cpu: &CpuState, pc: u64) -> Result<u32, Exc> {
        let slot = ((pc >> 2) as usize) & (JC_SIZE - 1);
        let (tag, id) = self.jcache[slot];
        if tag == pc {
            return Ok(id);
        }
        let id = match self.index.get(&pc) {
            Some(&id) => id,
            None => self.decode_block(cpu, pc)?,
        };
        self.jcache[slot] = (pc, id);
        Ok(id)
    }

    /// Run from `cpu.pc` for about `budget` instructions.
    pub fn run(&mut self, cpu: &mut CpuState, budget: u64) -> Exit {
        let stop_at = cpu.icount.saturating_add(budget);
        let cpu_p: *mut CpuState = cpu;
        loop {
            // SAFETY: the handlers are monomorphised for Interp<'static>
            // because fn pointers cannot be generic over lifetimes; this
            // reborrow of `cpu` lives only for one block and never escapes.
            let mut b = Interp {
                cpu: unsafe { &mut *cpu_p },
                next: 0,
            };
            let g = b.cpu.mem.code_generation();
            if g != self.code_gen {
                self.code_gen = g;
                self.flush();
            }
            let pc = b.cpu.pc;
            let id = match self.lookup(b.cpu, pc) {
                Ok(id) => id,
                Err(e) => return Exit::Exception(e),
            };
            let block = &self.blocks[id as usize];
            debug_assert_eq!(block.start, pc);
            for &(h, insn) in &block.ops {
                let cia = b.cpu.pc;
                b.next = cia.wrapping_add(4);
                if let Err(e) = h(&mut b, insn) {
                    return Exit::Exception(e);
                }
                b.cpu.pc = b.next;
                b.cpu.icount += 1;
                if b.next != cia.wrapping_add(4) || b.cpu.mem.code_generation() != g {
                    break;
                }
            }
            if b.cpu.icount >= stop_at {
                return Exit::Budget;
            }
        }
    }
}
