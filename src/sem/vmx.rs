//! Vector facility (VMX/AltiVec) semantics, Power ISA 3.0B Book I chapter 6.
//! Not yet implemented.

use super::{Backend, Handler};
use crate::isa::Opcode;

pub fn handler<T: Backend>(_op: Opcode) -> Option<Handler<T>> {
    None
}
