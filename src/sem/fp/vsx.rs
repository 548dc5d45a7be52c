//! VSX floating-point instructions (Power ISA 3.0B Book I chapter 7).

use super::super::{Backend, Handler};
use crate::isa::Opcode;

pub fn handler<T: Backend>(_op: Opcode) -> Option<Handler<T>> {
    None
}
