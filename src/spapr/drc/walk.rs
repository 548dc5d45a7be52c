//! The `ibm,configure-connector` walk (LoPAPR 1.1 §7.3.12.6 / PAPR
//! "ibm,configure-connector RTAS Call"; hotplug.md §2.5): the device's
//! tree fragment is handed to the guest one node or property per call,
//! through a 4096-byte work area of big-endian words:
//!
//! | word | byte offset | meaning |
//! |---|---|---|
//! | 0 | 0 | DRC index (the guest's, kept across calls) |
//! | 1 | 4 | 0 |
//! | 2 | 8 | byte offset of the node or property name |
//! | 3 | 12 | property value length |
//! | 4 | 16 | byte offset of the property value |
//!
//! Offsets are from the start of the work area. As QEMU does, the name
//! always goes at byte 20 and a property value right after the name's NUL;
//! writes are clipped to the work area, so an oversize value is silently
//! truncated. Return codes: 2 next child (a node begins: its name), 3 next
//! property, 4 previous parent (a nested node ended), 0 complete (the top
//! node ended). 1 (next sibling) and 5 (more memory) are never produced.

use super::super::tree::{NodeId, Tree};

/// Next sibling (defined by PAPR, never returned: siblings come as
/// "previous parent" then "next child").
pub const CC_NEXT_SIBLING: i32 = 1;
pub const CC_COMPLETE: i32 = 0;
pub const CC_NEXT_CHILD: i32 = 2;
pub const CC_NEXT_PROPERTY: i32 = 3;
pub const CC_PREV_PARENT: i32 = 4;
/// Work-area size (RTAS_DATA_BUF_SIZE in Linux, CC_WA_LEN in QEMU).
pub const CC_WA_LEN: usize = 4096;
/// Byte offset of the name string in the work area: `(4 + 1) * 4`.
pub const CC_NAME_OFFSET: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Child(NodeId),
    Prop(NodeId, usize),
    Parent,
    Done,
}

/// A fragment and the cursor of the walk over it.
#[derive(Clone, Debug)]
pub struct Walk {
    tree: Tree,
    steps: Vec<Step>,
    cursor: usize,
}

impl Walk {
    /// A walk over the first child of `tree`'s root (the node to attach,
    /// with its properties and children); `None` if the root is childless.
    pub fn new(tree: Tree) -> Option<Walk> {
        let top = tree.child(Tree::ROOT)?;
        let mut steps = Vec::new();
        flatten(&tree, top, &mut steps);
        *steps.last_mut()? = Step::Done;
        Some(Walk {
            tree,
            steps,
            cursor: 0,
        })
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Start again from the top node (unisolate, reset, completion).
    pub fn rewind(&mut self) {
        self.cursor = 0;
    }

    /// One configure-connector step into `wa`; returns the RTAS code and,
    /// for the trace, the node or property name it delivered.
    pub fn step(&mut self, wa: &mut [u8]) -> (i32, String) {
        let step = self.steps[self.cursor.min(self.steps.len() - 1)];
        self.cursor += 1;
        match step {
            Step::Child(n) => {
                let name = self.tree.node(n).name.clone();
                put_word(wa, 2, CC_NAME_OFFSET as u32);
                put_bytes(wa, CC_NAME_OFFSET, name.as_bytes(), true);
                (CC_NEXT_CHILD, name)
            }
            Step::Prop(n, i) => {
                let (name, value) = &self.tree.node(n).props[i];
                let val_off = CC_NAME_OFFSET + name.len() + 1;
                put_word(wa, 2, CC_NAME_OFFSET as u32);
                put_bytes(wa, CC_NAME_OFFSET, name.as_bytes(), true);
                put_word(wa, 3, value.len() as u32);
                put_word(wa, 4, val_off as u32);
                put_bytes(wa, val_off, value, false);
                (CC_NEXT_PROPERTY, name.clone())
            }
            Step::Parent => (CC_PREV_PARENT, String::new()),
            Step::Done => {
                self.cursor = 0;
                (CC_COMPLETE, String::new())
            }
        }
    }
}

fn flatten(tree: &Tree, n: NodeId, out: &mut Vec<Step>) {
    out.push(Step::Child(n));
    out.extend((0..tree.node(n).props.len()).map(|i| Step::Prop(n, i)));
    for &c in &tree.node(n).children {
        flatten(tree, c, out);
    }
    out.push(Step::Parent);
}

/// The usable part of a work area: at most [`CC_WA_LEN`] bytes.
fn limit(wa: &[u8]) -> usize {
    wa.len().min(CC_WA_LEN)
}

/// Big-endian word `k` of the work area, if it fits.
pub fn get_word(wa: &[u8], k: usize) -> Option<u32> {
    let b = wa.get(4 * k..4 * k + 4)?;
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

fn put_word(wa: &mut [u8], k: usize, v: u32) {
    if 4 * k + 4 <= limit(wa) {
        wa[4 * k..4 * k + 4].copy_from_slice(&v.to_be_bytes());
    }
}

/// Copy `data` (plus a NUL if `nul`) at `off`, clipped to the work area.
fn put_bytes(wa: &mut [u8], off: usize, data: &[u8], nul: bool) {
    let end = limit(wa);
    if off >= end {
        return;
    }
    let n = data.len().min(end - off);
    wa[off..off + n].copy_from_slice(&data[..n]);
    if nul && off + data.len() < end {
        wa[off + data.len()] = 0;
    }
}
