//! Boot-time device tree for the direct flattened-tree entry (boot.md
//! §1.4): the post-CAS tree (radix MMU, XICS, ISA 3.00 compat PVR) with what
//! prom_init would have added itself (the RTAS location), and memory
//! reservations for RTAS and the initrd.

use super::devtree::{self, Cas, TreeConfig};
use super::machine::{Machine, MachineError};

/// The tree configuration for this machine (`cas` = None: the tree at
/// reset, as the VOF client interface first shows it).
pub fn tree_config(m: &Machine, cas: Option<Cas>) -> TreeConfig {
    TreeConfig {
        ram_size: m.cfg.ram_size,
        smp_cpus: m.cfg.smp,
        max_cpus: m.cfg.max_cpus.max(m.cfg.smp),
        bootargs: m.cfg.append.clone(),
        initrd: m.initrd,
        kernel: Some(m.kernel_range),
        cas,
        // QEMU gives the guest 32 random bytes in /chosen/rng-seed, so its
        // entropy pool is ready at once (without it the 6.1 kernel stalls
        // for seconds gathering jitter entropy before running init).
        rng_seed: Some(random_seed(m)),
        max_mem: m.cfg.max_mem,
        plugged_cores: m
            .cores
            .iter()
            .enumerate()
            .filter(|(n, c)| *n >= m.cfg.smp as usize && c.is_some())
            .map(|(n, _)| n as u32)
            .collect(),
        dimms: m.dimms.iter().map(|d| (d.addr, d.size)).collect(),
        ..TreeConfig::default()
    }
}

/// Build the flattened tree the kernel is entered with.
pub fn flat_tree(m: &mut Machine) -> Result<Vec<u8>, MachineError> {
    let cas = if m.cfg.vof || m.cfg.dumpdtb.is_some() {
        None
    } else {
        Some(Cas::radix_xics())
    };
    let cfg = tree_config(m, cas);
    let mut t = devtree::build(&cfg);
    let mut reserve = Vec::new();
    if cfg.cas.is_some() {
        devtree::set_rtas_location(&mut t, m.rtas_base as u32);
        reserve.push((m.rtas_base, devtree::RTAS_SIZE as u64));
    }
    if let Some((b, s)) = m.initrd {
        reserve.push((b, s));
    }
    Ok(t.to_fdt(0, &reserve))
}

fn random_seed(m: &Machine) -> [u8; 32] {
    let mut b = [0u8; 32];
    m.entropy(&mut b);
    b
}
