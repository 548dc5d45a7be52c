//! The hot-plug parts of the pseries tree (hotplug.md §1.3–§1.4, §5.4,
//! §6.1): where device memory lies and which LMB connectors it has, the
//! four DRC description arrays, `ibm,dynamic-reconfiguration-memory`
//! (LoPAPR 1.1 §C.6.6.2, v1 and v2 layouts) and the tree fragments
//! `ibm,configure-connector` hands out for a hot-plugged core or LMB.

use super::{cpu_props, ov5, TreeConfig};
use crate::spapr::drc::{DrcKind, LMB_SIZE};
use crate::spapr::tree::{NodeId, Tree};

/// Alignment of the device-memory region (QEMU's SPAPR_DEVICE_MEM_ALIGN).
pub const DEVICE_MEM_ALIGN: u64 = 1 << 30;

/// Where hot-pluggable memory starts: RAM rounded up to 1 GiB.
pub fn device_memory_base(ram_size: u64) -> u64 {
    ram_size.div_ceil(DEVICE_MEM_ALIGN) * DEVICE_MEM_ALIGN
}

/// Size of the device-memory region (`maxmem - ram`, 0 without maxmem).
pub fn device_memory_size(cfg: &TreeConfig) -> u64 {
    cfg.max_mem.saturating_sub(cfg.ram_size)
}

/// The LMB DRC ids (address / 256 MiB) of the device memory.
pub fn lmb_ids(cfg: &TreeConfig) -> std::ops::Range<u32> {
    let first = (device_memory_base(cfg.ram_size) / LMB_SIZE) as u32;
    first..first + (device_memory_size(cfg) / LMB_SIZE) as u32
}

/// End of the device memory (`ibm,lrdr-capacity`'s maximum address), 0
/// when there is none.
pub fn max_device_addr(cfg: &TreeConfig) -> u64 {
    match device_memory_size(cfg) {
        0 => 0,
        size => device_memory_base(cfg.ram_size) + size,
    }
}

/// The node `ibm,configure-connector` hands out for a hot-plugged core
/// (hotplug.md §5.4): `PowerPC,POWER9@<vcpu id>` under the fragment's
/// root, with a boot cpu node's properties preceded by an explicit `name`
/// (QEMU sets it last with libfdt, which puts it first; Linux needs it).
pub fn cpu_core_fragment(cfg: &TreeConfig, vcpu_id: u32) -> Tree {
    let mut t = Tree::new();
    let name = format!("PowerPC,POWER9@{vcpu_id:x}");
    let c = t.add_node(Tree::ROOT, &name);
    t.set_str(c, "name", &name);
    cpu_props(&mut t, c, cfg, vcpu_id);
    t
}

/// `ibm,associativity` of NUMA node 0 (the only one): FORM2 `<1 0>`,
/// FORM1 `<4 0 0 0 0>`.
pub(super) fn associativity(form2: bool) -> &'static [u32] {
    if form2 {
        &[1, 0]
    } else {
        &[4, 0, 0, 0, 0]
    }
}

pub(super) fn form2(cfg: &TreeConfig) -> bool {
    cfg.cas.as_ref().is_some_and(|c| c.has(ov5::FORM2_AFFINITY))
}

/// The node `ibm,configure-connector` hands out for the LMB at `addr`
/// (hotplug.md §6.1): `memory@<addr>` with `ibm,associativity` (all Linux
/// reads), `reg` and `device_type`. QEMU 7.2 computes the address as DRC
/// index × 256 MiB, type bits included; we give the real address.
pub fn lmb_fragment(cfg: &TreeConfig, addr: u64) -> Tree {
    let mut t = Tree::new();
    let m = t.add_node(Tree::ROOT, &format!("memory@{addr:x}"));
    t.set_cells(m, "ibm,associativity", associativity(form2(cfg)));
    t.set_u64s(m, "reg", &[addr, LMB_SIZE]);
    t.set_str(m, "device_type", "memory");
    t
}

/// The (LMB DRC index, fragment) pairs of a DIMM at `addr`, for
/// `Drcs::plug_dimm` / `Drcs::cold_plug_dimm`.
pub fn dimm_fragments(cfg: &TreeConfig, addr: u64, size: u64) -> Vec<(u32, Tree)> {
    (0..size / LMB_SIZE)
        .map(|k| {
            let a = addr + k * LMB_SIZE;
            (
                DrcKind::Lmb.index((a / LMB_SIZE) as u32),
                lmb_fragment(cfg, a),
            )
        })
        .collect()
}

/// The four parallel DRC description arrays (hotplug.md §1.3), each a
/// count followed by one entry per connector, in QEMU's FDT order.
pub(super) fn set_drc_arrays(t: &mut Tree, node: NodeId, drcs: &[(DrcKind, u32)]) {
    let n = drcs.len() as u32;
    let mut types = n.to_be_bytes().to_vec();
    let mut names = n.to_be_bytes().to_vec();
    let mut indexes = vec![n];
    for &(kind, id) in drcs {
        types.extend_from_slice(kind.type_name().as_bytes());
        types.push(0);
        names.extend_from_slice(format!("{}{id}", kind.name_prefix()).as_bytes());
        names.push(0);
        indexes.push(kind.index(id));
    }
    let mut power = vec![n];
    power.resize(drcs.len() + 1, u32::MAX);
    t.set(node, "ibm,drc-types", types);
    t.set(node, "ibm,drc-names", names);
    t.set_cells(node, "ibm,drc-power-domains", &power);
    t.set_cells(node, "ibm,drc-indexes", &indexes);
}

/// LMB flags of `ibm,dynamic-memory(-v2)` (QEMU spapr.h).
const LMB_ASSIGNED: u32 = 0x8;
const LMB_DRC_INVALID: u32 = 0x20;
const LMB_RESERVED: u32 = 0x80;
const LMB_HOTREMOVABLE: u32 = 0x100;

/// `/ibm,dynamic-reconfiguration-memory` (LoPAPR §C.6.6.2; hotplug.md
/// §1.4): v2 LMB sets when CAS negotiated DRMEM_V2, else one v1 entry per
/// LMB from address 0.
pub(super) fn build_drconf_memory(t: &mut Tree, cfg: &TreeConfig, form2: bool) {
    let n = t.add_node(Tree::ROOT, "ibm,dynamic-reconfiguration-memory");
    let v2 = cfg.cas.as_ref().is_some_and(|c| c.has(ov5::DRMEM_V2));
    let assoc = associativity(form2);
    let mut lookup = vec![1, assoc.len() as u32 - 1];
    lookup.extend_from_slice(&assoc[1..]);
    t.set_cells(n, "ibm,associativity-lookup-arrays", &lookup);
    let base = device_memory_base(cfg.ram_size);
    let end = max_device_addr(cfg);
    let mut dimms = cfg.dimms.clone();
    dimms.sort_unstable();
    let lmb_index = |a: u64| DrcKind::Lmb.index((a / LMB_SIZE) as u32);
    let mut cells = vec![0u32];
    if v2 {
        // Sets: <count, base (2 cells), first DRC index, aa index, flags>.
        let mut set = |count: u64, addr: u64, drc: u32, aa: u32, flags: u32| {
            cells.extend([
                count as u32,
                (addr >> 32) as u32,
                addr as u32,
                drc,
                aa,
                flags,
            ]);
            cells[0] += 1;
        };
        set(
            base / LMB_SIZE,
            0,
            0,
            u32::MAX,
            LMB_RESERVED | LMB_DRC_INVALID,
        );
        let mut cur = base;
        for &(addr, size) in &dimms {
            if cur < addr {
                set((addr - cur) / LMB_SIZE, cur, lmb_index(cur), u32::MAX, 0);
            }
            let flags = LMB_ASSIGNED | LMB_HOTREMOVABLE;
            set(size / LMB_SIZE, addr, lmb_index(addr), 0, flags);
            cur = addr + size;
        }
        if cur < end {
            set((end - cur) / LMB_SIZE, cur, lmb_index(cur), u32::MAX, 0);
        }
        t.set_cells(n, "ibm,dynamic-memory-v2", &cells);
    } else {
        // Entries: <base (2 cells), DRC index, 0, aa index, flags>.
        for k in 0..end / LMB_SIZE {
            let a = k * LMB_SIZE;
            let e = if a < base {
                [0, u32::MAX, LMB_RESERVED | LMB_DRC_INVALID]
            } else if dimms.iter().any(|&(d, s)| (d..d + s).contains(&a)) {
                [lmb_index(a), 0, LMB_ASSIGNED]
            } else {
                [lmb_index(a), u32::MAX, 0]
            };
            cells.extend([(a >> 32) as u32, a as u32, e[0], 0, e[1], e[2]]);
            cells[0] += 1;
        }
        t.set_cells(n, "ibm,dynamic-memory", &cells);
    }
    t.set_u32(n, "ibm,memory-preservation-time", 0);
    t.set_u32(n, "ibm,memory-flags-mask", 0xff);
    t.set_u64(n, "ibm,lmb-size", LMB_SIZE);
}
