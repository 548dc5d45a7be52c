//! Instruction encoding for the generator, driven by the same tables the
//! emulator is built from: bit ranges come from `isa/fields.isa`, opcode
//! match values and operand lists from `powerlift::isa::OPINFO`. So when a
//! table gains instructions (FP, VMX, VSX), the generator can emit them
//! without new code here.

use powerlift::isa::{Opcode, Opnd, FIELDS};
use std::collections::HashMap;

/// Bit ranges of one field: `(first, last)` in ISA numbering (bit 0 is the
/// word's most significant bit), most significant range first, and the
/// left shift applied after extraction (`DS` is `16:29<<2`).
#[derive(Clone, Debug)]
pub struct FieldBits {
    pub ranges: Vec<(u32, u32)>,
    pub shift: u32,
}

impl FieldBits {
    pub fn width(&self) -> u32 {
        self.ranges.iter().map(|(a, b)| b - a + 1).sum()
    }

    /// Put `v` (the field's value before the `<<shift`, i.e. raw bits) into
    /// `word`, replacing what was there.
    pub fn put(&self, word: u32, v: u64) -> u32 {
        let mut w = word;
        let mut rest = v;
        for &(a, b) in self.ranges.iter().rev() {
            let n = b - a + 1;
            let m = ((1u64 << n) - 1) as u32;
            let sh = 31 - b;
            w = (w & !(m << sh)) | (((rest as u32) & m) << sh);
            rest >>= n;
        }
        w
    }
}

pub struct Fields {
    by_name: HashMap<String, FieldBits>,
}

impl Fields {
    /// Parse `isa/fields.isa` (`NAME BITS KIND [notes]` lines).
    pub fn load() -> Fields {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("isa/fields.isa");
        let text = std::fs::read_to_string(&path).expect("read isa/fields.isa");
        let mut by_name = HashMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut it = line.split_whitespace();
            let (Some(name), Some(bits)) = (it.next(), it.next()) else {
                continue;
            };
            let (spec, shift) = match bits.split_once("<<") {
                Some((s, n)) => (s, n.parse().expect("shift")),
                None => (bits, 0),
            };
            let ranges = spec
                .split(',')
                .map(|r| {
                    let (a, b) = r.split_once(':').expect("range");
                    (a.parse().expect("bit"), b.parse().expect("bit"))
                })
                .collect();
            by_name.insert(name.to_string(), FieldBits { ranges, shift });
        }
        Fields { by_name }
    }

    pub fn has(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    pub fn get(&self, name: &str) -> &FieldBits {
        self.by_name
            .get(name)
            .unwrap_or_else(|| panic!("field {name} not in isa/fields.isa"))
    }

    /// Set field `name` of `word` to the value `v` (after-shift value, as
    /// the ISA and `Insn` accessors see it: a byte displacement for DS).
    pub fn set(&self, word: u32, name: &str, v: i64) -> u32 {
        let f = self.get(name);
        f.put(word, (v >> f.shift) as u64)
    }
}

/// The opcode with this base mnemonic, if the tables have it.
pub fn opcode(mnemonic: &str) -> Option<Opcode> {
    Opcode::ALL
        .iter()
        .copied()
        .find(|o| *o != Opcode::Invalid && o.info().mnemonic == mnemonic)
}

/// One operand of an opcode's template, by field name.
#[derive(Clone, Debug)]
pub enum Operand {
    Field(&'static str),
    /// `disp(base)`.
    Mem(&'static str, &'static str),
    /// A computed operand (the generator cannot choose it directly).
    Expr,
}

pub fn operands(op: Opcode) -> Vec<Operand> {
    fn name(o: &Opnd) -> &'static str {
        match o {
            Opnd::Field(_, i) => FIELDS[*i].name,
            _ => "",
        }
    }
    op.info()
        .operands
        .iter()
        .map(|o| match o {
            Opnd::Field(_, i) => Operand::Field(FIELDS[*i].name),
            Opnd::Mem(d, b) => Operand::Mem(name(d), name(b)),
            Opnd::Expr(_) => Operand::Expr,
        })
        .collect()
}

// Hand encodings for the fixed instructions of slot prologues/epilogues
// and branch scaffolding (Power ISA 3.0B Book I instruction formats).
pub fn addi(rt: u32, ra: u32, si: i64) -> u32 {
    14 << 26 | rt << 21 | ra << 16 | (si as u32 & 0xffff)
}
pub fn ld(rt: u32, ds: i64, ra: u32) -> u32 {
    58 << 26 | rt << 21 | ra << 16 | (ds as u32 & 0xfffc)
}
pub fn std_(rs: u32, ds: i64, ra: u32) -> u32 {
    62 << 26 | rs << 21 | ra << 16 | (ds as u32 & 0xfffc)
}
fn spr_bits(spr: u32) -> u32 {
    (spr & 0x1f) << 16 | (spr >> 5) << 11
}
pub fn mtspr(spr: u32, rs: u32) -> u32 {
    31 << 26 | rs << 21 | spr_bits(spr) | 467 << 1
}
pub fn mfspr(rt: u32, spr: u32) -> u32 {
    31 << 26 | rt << 21 | spr_bits(spr) | 339 << 1
}
pub fn mtcrf(fxm: u32, rs: u32) -> u32 {
    31 << 26 | rs << 21 | fxm << 12 | 144 << 1
}
pub fn mfcr(rt: u32) -> u32 {
    31 << 26 | rt << 21 | 19 << 1
}
/// `andis. ra, rs, ui`
pub fn andis_rc(ra: u32, rs: u32, ui: u32) -> u32 {
    29 << 26 | rs << 21 | ra << 16 | (ui & 0xffff)
}
/// `rldicr ra, rs, sh, me`
pub fn rldicr(ra: u32, rs: u32, sh: u32, me: u32) -> u32 {
    30 << 26
        | rs << 21
        | ra << 16
        | (sh & 0x1f) << 11
        | (me & 0x1f) << 6
        | (me >> 5) << 5
        | 1 << 2
        | (sh >> 5) << 1
}
/// `rldicl ra, rs, sh, mb`
pub fn rldicl(ra: u32, rs: u32, sh: u32, mb: u32) -> u32 {
    30 << 26
        | rs << 21
        | ra << 16
        | (sh & 0x1f) << 11
        | (mb & 0x1f) << 6
        | (mb >> 5) << 5
        | (sh >> 5) << 1
}
/// `or ra, rs, rb`
pub fn or(ra: u32, rs: u32, rb: u32) -> u32 {
    31 << 26 | rs << 21 | ra << 16 | rb << 11 | 444 << 1
}
/// `neg rt, ra`
pub fn neg(rt: u32, ra: u32) -> u32 {
    31 << 26 | rt << 21 | ra << 16 | 104 << 1
}
pub fn b(off: i64, lk: bool) -> u32 {
    18 << 26 | (off as u32 & 0x03ff_fffc) | lk as u32
}
pub fn bc(bo: u32, bi: u32, off: i64, lk: bool) -> u32 {
    16 << 26 | bo << 21 | bi << 16 | (off as u32 & 0xfffc) | lk as u32
}
pub fn bclr(bo: u32, bi: u32, lk: bool) -> u32 {
    19 << 26 | bo << 21 | bi << 16 | 16 << 1 | lk as u32
}
pub fn bcctr(bo: u32, bi: u32, lk: bool) -> u32 {
    19 << 26 | bo << 21 | bi << 16 | 528 << 1 | lk as u32
}
pub fn bctar(bo: u32, bi: u32, lk: bool) -> u32 {
    19 << 26 | bo << 21 | bi << 16 | 560 << 1 | lk as u32
}
pub const BCTR: u32 = 0x4e80_0420;
pub const BLR: u32 = 0x4e80_0020;
pub const TRAP: u32 = 0x7fe0_0008;
