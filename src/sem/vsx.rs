//! Vector-scalar facility (VSX) semantics, Power ISA 3.0B Book I chapter 7.
//! Not yet implemented.

use super::{Backend, Handler};
use crate::isa::Opcode;

pub fn handler<T: Backend>(_op: Opcode) -> Option<Handler<T>> {
    None
}
