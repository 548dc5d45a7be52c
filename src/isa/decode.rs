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
