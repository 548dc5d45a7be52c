//! Radix tree walk (Power ISA 3.0B Book III §5.7.6 and §5.7.10): not yet
//! implemented; every translated access faults.

use super::{Access, Mmu};
use crate::cpu::Exc;

/// Walk the process-scoped radix tree for `ea`. Returns the real address of
/// the 4K page containing `ea` and the permissions (bit 0 read, 1 write,
/// 2 execute) the current privilege has on it, or the fault to raise.
pub fn walk(_mmu: &mut Mmu, ea: u64, access: Access) -> Result<(u64, u8), Exc> {
    Err(super::fault(ea, access, super::DSISR_NOPTE))
}
