//! The instruction set as generated data: `Opcode`, `OPINFO`, field accessors
//! and the alias table, all produced by `build.rs` from `isa/*.isa`.
//!
//! This module owns decoding (`decode`) and disassembly (`disasm`). It knows
//! nothing of execution; semantics live in `crate::sem`.

pub mod decode;
pub mod disasm;

/// One 32-bit instruction word together with its decoded opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub word: u32,
    pub op: Opcode,
}

/// Static metadata for one opcode (one line of an `isa/*.isa` table).
pub struct OpInfo {
    pub mnemonic: &'static str,
    pub mask: u32,
    pub value: u32,
    pub flags: u64,
    /// Memory access size in bytes (0 for non-memory instructions).
    pub mem: u8,
    /// The `isa/` table the instruction came from (the ISA chapter).
    pub chapter: &'static str,
    pub operands: &'static [Opnd],
    pub sem: &'static str,
}

/// One operand of a disassembly template.
#[derive(Clone, Copy)]
pub enum Opnd {
    /// A field, printed according to its kind (`FIELDS[index]`).
    Field(Fld, usize),
    /// A value computed from the word.
    Expr(fn(u32) -> i64),
    /// `disp(base)`.
    Mem(&'static Opnd, &'static Opnd),
}

/// An extended mnemonic: printed instead of `base` when `cond` holds.
pub struct Alias {
    pub mnemonic: &'static str,
    pub base: Opcode,
    pub cond: Option<fn(u32) -> bool>,
    pub operands: &'static [Opnd],
    pub fmt: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/isa_gen.rs"));

impl Opcode {
    #[inline]
    pub fn info(self) -> &'static OpInfo {
        &OPINFO[self as usize]
    }
    #[inline]
    pub fn has(self, flag: u64) -> bool {
        self.info().flags & flag != 0
    }
}

impl Insn {
    #[inline]
    pub fn new(word: u32) -> Insn {
        Insn {
            word,
            op: decode::decode(word),
        }
    }
    #[inline]
    pub fn info(self) -> &'static OpInfo {
        self.op.info()
    }
    /// The Rc bit, for instructions whose table line has `rc`.
    #[inline]
    pub fn record(self) -> bool {
        self.op.has(F_RC) && self.word & 1 != 0
    }
    /// The OE bit, for instructions whose table line has `oe`.
    #[inline]
    pub fn overflow_enable(self) -> bool {
        self.op.has(F_OE) && self.word & 0x400 != 0
    }
}
