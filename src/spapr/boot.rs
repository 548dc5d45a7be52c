//! Boot-time device tree for the direct flattened-tree entry (boot.md
//! §1.4): the post-CAS tree with what prom_init would have added (initrd
//! range, RTAS location, the radix+XICS architecture vector).

use super::machine::{Machine, MachineError};

/// Build the flattened tree the kernel is entered with.
pub fn flat_tree(_m: &mut Machine) -> Result<Vec<u8>, MachineError> {
    Err(MachineError::Other("device tree builder not wired up yet".into()))
}
