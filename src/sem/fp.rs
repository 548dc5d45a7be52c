//! Floating-point facility semantics (Power ISA 3.0B Book I chapter 4).
//! Not yet implemented: every FP opcode is left to `sem::unimplemented`.

use super::{Backend, Handler};
use crate::isa::Opcode;

pub fn handler<T: Backend>(_op: Opcode) -> Option<Handler<T>> {
    None
}
