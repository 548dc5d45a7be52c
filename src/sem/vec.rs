//! Vector (VMX, Book I chapter 6) and vector-scalar (VSX, chapter 7)
//! semantics. Not yet implemented.

use super::{Backend, Handler};
use crate::isa::Opcode;

pub fn handler<T: Backend>(_op: Opcode) -> Option<Handler<T>> {
    None
}
