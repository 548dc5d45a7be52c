//! The decoder: instruction word → `Opcode`.
//!
//! Built once from the generated `OPINFO` masks: a table indexed by the
//! primary opcode (bits 0:5) and then by bits 21:31, each slot holding the
//! candidate opcodes most specific first. Decoding is a lookup and a few
//! mask compares.

use super::{Opcode, OPINFO};
use std::sync::OnceLock;

struct Table {
    /// (primary, key) → range in `cands`.
    slots: Vec<(u32, u16)>,
    cands: Vec<Opcode>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut by_primary: Vec<Vec<Opcode>> = vec![Vec::new(); 64];
        for &op in Opcode::ALL.iter().skip(1) {
            let info = &OPINFO[op as usize];
            by_primary[(info.value >> 26) as usize].push(op);
        }
        // Most specific (most fixed bits) first; ties keep table order.
        for v in &mut by_primary {
            v.sort_by_key(|&op| std::cmp::Reverse(OPINFO[op as usize].mask.count_ones()));
        }
        let mut slots = Vec::with_capacity(64 * 2048);
        let mut cands = Vec::new();
        for list in &by_primary {
            for key in 0u32..2048 {
                let start = cands.len() as u32;
                for &op in list {
                    let i = &OPINFO[op as usize];
                    if (key ^ i.value) & i.mask & 0x7ff == 0 {
                        cands.push(op);
                    }
                }
                slots.push((start, (cands.len() as u32 - start) as u16));
            }
        }
        Table { slots, cands }
    })
}

/// Decode one instruction word. Unknown words decode to `Opcode::Invalid`.
pub fn decode(word: u32) -> Opcode {
    let t = table();
    let (start, n) = t.slots[((word >> 26) as usize) * 2048 + (word & 0x7ff) as usize];
    for &op in &t.cands[start as usize..start as usize + n as usize] {
        let i = &OPINFO[op as usize];
        if word & i.mask == i.value {
            return op;
        }
    }
    Opcode::Invalid
}

#[cfg(test)]
mod tests {
    use super::decode;
    use crate::isa::{Opcode, OPINFO};

    /// Every table line's own match value decodes back to that line: no
    /// line is shadowed by a more specific one.
    #[test]
    fn every_opcode_value_decodes_to_itself() {
        let bad: Vec<String> = Opcode::ALL
            .iter()
            .skip(1)
            .filter(|&&op| decode(op.info().value) != op)
            .map(|&op| {
                let i = op.info();
                format!(
                    "{} ({}) {:08x} decodes as {}",
                    i.mnemonic,
                    i.chapter,
                    i.value,
                    decode(i.value).info().mnemonic
                )
            })
            .collect();
        assert!(bad.is_empty(), "shadowed table lines:\n{}", bad.join("\n"));
    }

    /// Two lines that can match the same word must be ordered by
    /// specificity: one mask must contain the other and be strictly
    /// larger. Otherwise the decoder's choice would depend on table order.
    #[test]
    fn no_ambiguous_overlaps() {
        let mut bad = Vec::new();
        for (n, a) in OPINFO.iter().enumerate().skip(1) {
            for b in OPINFO.iter().skip(n + 1) {
                let common = a.mask & b.mask;
                if (a.value ^ b.value) & common != 0 {
                    continue; // disjoint
                }
                let nested = (a.mask & !b.mask == 0 || b.mask & !a.mask == 0) && a.mask != b.mask;
                if !nested {
                    bad.push(format!(
                        "{} ({}) {:08x}/{:08x} overlaps {} ({}) {:08x}/{:08x}",
                        a.mnemonic,
                        a.chapter,
                        a.value,
                        a.mask,
                        b.mnemonic,
                        b.chapter,
                        b.value,
                        b.mask
                    ));
                }
            }
        }
        assert!(bad.is_empty(), "ambiguous overlaps:\n{}", bad.join("\n"));
    }
}
