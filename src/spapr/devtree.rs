//! The pseries device tree as QEMU 7.2 builds it for `-M pseries,x-vof=on`
//! (boot.md §3; the reference dumps are `precas-vof-qemu72.dts` and
//! `postcas-vof-{xics,xive}-radix.dts`), before and after
//! ibm,client-architecture-support (CAS), plus the option-vector-5
//! negotiation CAS performs (LoPAPR B.5.2, "ibm,architecture-vec-5").
//!
//! Nodes and properties come out in the order of QEMU's flattened tree, so
//! a client walking it (prom_init) sees what it sees under QEMU. Deliberate
//! differences, all kept small and listed in `tests/devtree.rs`:
//! * we offer **radix only** (unless [`TreeConfig::hash`]) and **XICS only**
//!   (unless [`TreeConfig::xive`]): `ibm,arch-vec-5-platform-support` is
//!   `<0x17001840 0x19001a40>` where QEMU's XICS mode has `<0x170018c0 ..>`,
//!   and the hash-only CPU properties `ibm,pft-size` and
//!   `ibm,segment-page-sizes` are left out;
//! * no `ibm,dec-bits`, so Linux uses a 32-bit decrementer (boot.md §7.1);
//! * `ibm,hypertas-functions` lists only what the machine implements:
//!   "hcall-term" (console), "hcall-interrupt" (XICS), "hcall-splpar"
//!   (VPA, H_CEDE/H_CONFER/H_PROD), "hcall-set-mode" (little-endian
//!   interrupts, AIL), plus "hcall-pft" and "hcall-bulk" when hash is
//!   offered. Each string turns on one Linux firmware feature, and Linux
//!   only makes the hcalls whose feature is on (PAPR §14.5.4.1.1);
//! * no PCI host bridge, no nvram, so no PHB/PCI/PMEM connectors: the
//!   DRC arrays (hotplug.md §1.3) list the CPU cores in `/cpus` and the
//!   LMBs of the device memory in `/` only, in index order (QEMU's order
//!   follows a hash table; Linux does not care); no `qemu,graphic-*`, no
//!   `qemu,hypertas-functions`; `rng-seed` only when the machine supplies
//!   one.
//!
//! With `max_mem` above `ram_size` the device memory (hot-pluggable DIMMs)
//! starts at the next 1 GiB boundary after RAM and has one LMB DRC per
//! 256 MiB; after CAS the tree gets `ibm,dynamic-reconfiguration-memory`
//! (hotplug.md §1.4). [`cpu_core_fragment`] and [`lmb_fragment`] build the
//! nodes `ibm,configure-connector` hands out for a hot-plugged core or
//! LMB.

use super::drc::{DrcKind, LMB_SIZE};
use super::tree::{cells, NodeId, Tree};

mod hotplug;

use hotplug::{associativity, build_drconf_memory, form2, set_drc_arrays};
pub use hotplug::{
    cpu_core_fragment, device_memory_base, device_memory_size, dimm_fragments, lmb_fragment,
    lmb_ids, max_device_addr, DEVICE_MEM_ALIGN,
};

/// QEMU 7.2's default POWER9 PVR (power9_v2.0).
pub const DEFAULT_PVR: u32 = 0x004e_1200;
/// Logical PVR for ISA 3.00 ("POWER9 (architected)"), chosen by CAS.
pub const PVR_ARCH_300: u32 = 0x0f00_0005;
/// `rtas-size` for one CPU (see [`qemu_rtas_size`]).
pub const RTAS_SIZE: u32 = 0x82c;
/// `rtas-size` as QEMU 7.2 computes it: the 20-byte entry blob, the
/// 2 KiB error log, and FWNMI save areas (8 bytes plus 16 per CPU);
/// 0x82c for one CPU.
pub fn qemu_rtas_size(max_cpus: u32) -> u32 {
    20 + RTAS_ERROR_LOG_MAX + 8 + 16 * max_cpus
}
/// `rtas-error-log-max`.
pub const RTAS_ERROR_LOG_MAX: u32 = 0x800;
/// Phandle QEMU gives the interrupt controller (XICS or XIVE).
pub const INTC_PHANDLE: u32 = 0x1111;
/// The console, `/chosen/stdout-path`.
pub const VTY_PATH: &str = "/vdevice/vty@71000000";
/// The vty's unit address (H_PUT_TERM_CHAR termno) and its interrupt.
pub const VTY_REG: u32 = 0x7100_0000;
pub const VTY_IRQ: u32 = 0x1100;
/// EPOW and hot-plug event interrupt sources.
pub const EPOW_IRQ: u32 = 0x1000;
pub const HOTPLUG_IRQ: u32 = 0x1001;
/// Timebase and core clock (boot.md §3.2).
pub const TIMEBASE_FREQ: u32 = 0x1e84_8000;
pub const CLOCK_FREQ: u32 = 0x3b9a_ca00;

/// RTAS services and their tokens, QEMU's numbering (boot.md §3.5).
pub const RTAS_TOKENS: [(&str, u32); 45] = [
    ("display-character", 0x2000),
    ("get-time-of-day", 0x2001),
    ("set-time-of-day", 0x2002),
    ("power-off", 0x2003),
    ("system-reboot", 0x2004),
    ("query-cpu-stopped-state", 0x2005),
    ("start-cpu", 0x2006),
    ("stop-self", 0x2007),
    ("ibm,get-system-parameter", 0x2008),
    ("ibm,set-system-parameter", 0x2009),
    ("ibm,set-xive", 0x200a),
    ("ibm,get-xive", 0x200b),
    ("ibm,int-off", 0x200c),
    ("ibm,int-on", 0x200d),
    ("check-exception", 0x200e),
    ("event-scan", 0x200f),
    ("ibm,set-tce-bypass", 0x2010),
    ("quiesce", 0x2011),
    ("nvram-fetch", 0x2012),
    ("nvram-store", 0x2013),
    ("read-pci-config", 0x2014),
    ("write-pci-config", 0x2015),
    ("ibm,read-pci-config", 0x2016),
    ("ibm,write-pci-config", 0x2017),
    ("ibm,query-interrupt-source-number", 0x2018),
    ("ibm,change-msi", 0x2019),
    ("set-indicator", 0x201a),
    ("set-power-level", 0x201b),
    ("get-power-level", 0x201c),
    ("get-sensor-state", 0x201d),
    ("ibm,configure-connector", 0x201e),
    ("ibm,os-term", 0x201f),
    ("ibm,set-eeh-option", 0x2020),
    ("ibm,get-config-addr-info2", 0x2021),
    ("ibm,read-slot-reset-state2", 0x2022),
    ("ibm,set-slot-reset", 0x2023),
    ("ibm,configure-pe", 0x2024),
    ("ibm,slot-error-detail", 0x2025),
    ("ibm,query-pe-dma-window", 0x2026),
    ("ibm,create-pe-dma-window", 0x2027),
    ("ibm,remove-pe-dma-window", 0x2028),
    ("ibm,reset-pe-dma-window", 0x2029),
    ("ibm,suspend-me", 0x202a),
    ("ibm,nmi-register", 0x202b),
    ("ibm,nmi-interlock", 0x202c),
];

/// POWER9 `ibm,pa-features` as QEMU 7.2 gives it (byte 0 = 66 data bytes,
/// data byte 40 bit 0x80 = radix). Copied as data, boot.md §3.2.
const PA_FEATURES: [u32; 17] = [
    0x4200_f63f,
    0xc7c0_80f0,
    0x8000_0000,
    0x0000_0000,
    0x0000_8000,
    0x8000_8000,
    0x0000_8000,
    0x8000_8000,
    0x8000_8000,
    0xc000_8000,
    0x8000_8000,
    0x8000_8000,
    0x8000_8000,
    0x8000_8000,
    0x8000_8000,
    0x8000_8000,
    0x8000_0000,
];

/// Option vector 5 byte numbers and bits (LoPAPR B.5.2.5; bit 0 = 0x80).
pub mod ov5 {
    pub const DRCONF_MEMORY: (usize, u8) = (2, 0x20);
    pub const FORM1_AFFINITY: (usize, u8) = (5, 0x80);
    pub const FORM2_AFFINITY: (usize, u8) = (5, 0x20);
    pub const HP_EVT: (usize, u8) = (6, 0x04);
    pub const HPT_RESIZE: (usize, u8) = (6, 0x01);
    pub const DRMEM_V2: (usize, u8) = (22, 0x80);
    /// Byte 23, interrupt controller: 0x80 = both (invalid from a
    /// client), 0x40 = XIVE exploitation, 0x00 = XICS.
    pub const INTC: usize = 23;
    pub const XIVE_BOTH: u8 = 0x80;
    pub const XIVE_EXPLOIT: u8 = 0x40;
    /// Byte 24, MMU: 0x80 = both (invalid from a client), 0x40 = radix.
    pub const MMU: usize = 24;
    pub const MMU_BOTH: u8 = 0x80;
    pub const MMU_RADIX: u8 = 0x40;
    /// Byte 26 bit 0x40: radix guest translation shootdown (GTSE).
    pub const RADIX_GTSE: (usize, u8) = (26, 0x40);
    /// Bytes a vector can have (QEMU's OV_MAXBYTES).
    pub const MAX_BYTES: usize = 256;
}

/// What CAS settled on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cas {
    /// Radix MMU (false: hash page table).
    pub radix: bool,
    /// XIVE exploitation (false: XICS).
    pub xive: bool,
    /// The negotiated option vector 5, indexed by PAPR byte number:
    /// `ov5[i]` is byte `i`; `ov5[0]` stands for the length byte and is
    /// ignored.
    pub ov5: Vec<u8>,
    /// Logical PVR for `cpu-version` (0: raw mode, keep the real PVR).
    pub compat_pvr: u32,
}

/// Linux 6.1's option vector 5 as prom_init sends it to a radix-only,
/// XICS-only platform (boot.md §2.4), PAPR byte numbering.
pub const LINUX_OV5_RADIX_XICS: [u8; 27] = [
    0x19, 0x00, 0xf3, 0x00, 0x00, 0xe0, 0x05, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xe0, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x00, 0x40, 0x00, 0x40,
];

impl Cas {
    /// The outcome of CAS for Linux 6.1 on our default offer: radix, XICS,
    /// ISA 3.00. For the direct flattened-tree boot, which has no CAS.
    pub fn radix_xics() -> Cas {
        negotiate(&TreeConfig::default(), &LINUX_OV5_RADIX_XICS, PVR_ARCH_300)
            .expect("built-in vector is valid")
    }

    fn has(&self, (byte, bit): (usize, u8)) -> bool {
        self.ov5.get(byte).is_some_and(|b| b & bit != 0)
    }
}

/// Why CAS refused the client's vectors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CasError {
    #[error("guest requested both hash and radix MMU")]
    BothMmus,
    #[error("guest requested both interrupt controller modes")]
    BothIntc,
    #[error("no common processor version (PVR) in the architecture vector")]
    NoPvr,
    #[error("malformed architecture vector")]
    Malformed,
}

/// Machine parameters the tree depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeConfig {
    pub ram_size: u64,
    /// CPUs present at boot (one core of one thread each).
    pub smp_cpus: u32,
    pub max_cpus: u32,
    /// Kernel command line; no `bootargs` property when empty (as QEMU).
    pub bootargs: String,
    /// Initrd (base, size) in guest-physical memory.
    pub initrd: Option<(u64, u64)>,
    /// Kernel image (base, size) in guest-physical memory.
    pub kernel: Option<(u64, u64)>,
    /// The kernel ELF is little-endian (`qemu,boot-kernel-le`).
    pub kernel_le: bool,
    /// `rtas-size`; 0 means QEMU's size for `max_cpus` ([`qemu_rtas_size`]).
    pub rtas_size: u32,
    /// Raw PVR (cpu-version before CAS).
    pub pvr: u32,
    /// Also offer the hash MMU (needs an HPT and the hash hcalls).
    pub hash: bool,
    /// Also offer XIVE exploitation (needs the XIVE hcalls and MMIO).
    pub xive: bool,
    /// `/chosen/rng-seed` (32 bytes of host randomness), if wanted.
    pub rng_seed: Option<[u8; 32]>,
    /// The CAS outcome; `None` for the tree at reset.
    pub cas: Option<Cas>,
    /// `-m maxmem=`: RAM plus hot-pluggable device memory; at or below
    /// `ram_size` there is none (no LMB connectors).
    pub max_mem: u64,
    /// Hot-plugged cores present now (vcpu ids), besides the boot cores
    /// `0..smp_cpus`.
    pub plugged_cores: Vec<u32>,
    /// Plugged DIMMs: (guest-physical address, size), in device memory.
    pub dimms: Vec<(u64, u64)>,
}

impl Default for TreeConfig {
    fn default() -> Self {
        TreeConfig {
            ram_size: 1 << 30,
            smp_cpus: 1,
            max_cpus: 1,
            bootargs: String::new(),
            initrd: None,
            kernel: None,
            kernel_le: true,
            rtas_size: 0,
            pvr: DEFAULT_PVR,
            hash: false,
            xive: false,
            rng_seed: None,
            cas: None,
            max_mem: 0,
            plugged_cores: Vec::new(),
            dimms: Vec::new(),
        }
    }
}

/// The cores with a cpu node: the boot cores and the hot-plugged ones.
fn present_cores(cfg: &TreeConfig) -> Vec<u32> {
    let mut v: Vec<u32> = (0..cfg.smp_cpus)
        .chain(cfg.plugged_cores.iter().copied())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// `ibm,arch-vec-5-platform-support`: (byte, value) pairs telling prom_init
/// what it may ask for (0x17 interrupt controller: 0x00 XICS, 0x40 XIVE,
/// 0x80 either; 0x18 MMU: 0x00 hash, 0x40 radix, 0xc0 either; 0x1a radix
/// GTSE).
pub fn platform_support(cfg: &TreeConfig) -> [u32; 2] {
    let intc = if cfg.xive { 0x80 } else { 0x00 };
    let mmu = if cfg.hash { 0xc0 } else { 0x40 };
    [0x1700_1800 | (intc << 16) | mmu, 0x1900_1a40]
}

/// The option-vector-5 bits the platform supports, PAPR byte numbering.
/// Like QEMU's: dynamic-reconfiguration memory (v2), FORM1 and FORM2
/// affinity, the hot-plug event source, radix GTSE; HPT resizing only with
/// hash; XIVE only if offered. The MMU byte is decided separately.
pub fn platform_ov5(cfg: &TreeConfig) -> Vec<u8> {
    let mut v = vec![0u8; 27];
    let mut set = |(byte, bit): (usize, u8)| v[byte] |= bit;
    set(ov5::DRCONF_MEMORY);
    set(ov5::FORM1_AFFINITY);
    set(ov5::FORM2_AFFINITY);
    set(ov5::HP_EVT);
    if cfg.hash {
        set(ov5::HPT_RESIZE);
    }
    set(ov5::DRMEM_V2);
    if cfg.xive {
        set((ov5::INTC, ov5::XIVE_EXPLOIT));
    }
    set(ov5::RADIX_GTSE);
    v
}

/// CAS option-vector-5 negotiation: intersect what the client asked for
/// (`guest`, PAPR byte numbering, `guest[0]` = length byte) with what we
/// support, then settle the MMU and interrupt-controller choice. A client
/// asking for hash when only radix is offered gets radix (Linux then fails
/// only if booted with `disable_radix`); one asking for XIVE when only
/// XICS is offered gets XICS.
pub fn negotiate(cfg: &TreeConfig, guest: &[u8], compat_pvr: u32) -> Result<Cas, CasError> {
    let g = |i: usize| guest.get(i).copied().unwrap_or(0);
    if g(ov5::MMU) & ov5::MMU_BOTH != 0 {
        return Err(CasError::BothMmus);
    }
    if g(ov5::INTC) & ov5::XIVE_BOTH != 0 {
        return Err(CasError::BothIntc);
    }
    let radix = g(ov5::MMU) & ov5::MMU_RADIX != 0 || !cfg.hash;
    if radix && g(ov5::MMU) & ov5::MMU_RADIX == 0 {
        log::warn!(target: "vof", "CAS: guest asked for hash MMU; only radix is offered");
    }
    let xive = cfg.xive && g(ov5::INTC) & ov5::XIVE_EXPLOIT != 0;
    if !cfg.xive && g(ov5::INTC) & ov5::XIVE_EXPLOIT != 0 {
        log::warn!(target: "vof", "CAS: guest asked for XIVE; only XICS is offered");
    }
    let plat = platform_ov5(cfg);
    let n = guest.len().clamp(plat.len(), ov5::MAX_BYTES + 1);
    let mut v: Vec<u8> = (0..n)
        .map(|i| g(i) & plat.get(i).copied().unwrap_or(0))
        .collect();
    v[0] = 0;
    v[ov5::MMU] = if radix { ov5::MMU_RADIX } else { 0 };
    v[ov5::INTC] = if xive { ov5::XIVE_EXPLOIT } else { 0 };
    Ok(Cas {
        radix,
        xive,
        ov5: v,
        compat_pvr,
    })
}

/// `/chosen/ibm,architecture-vec-5` for a CAS outcome: byte 0 is the number
/// of bytes that follow minus one, then bytes 1..=n up to the last nonzero
/// one (at least one byte). Radix + XICS gives 27 bytes with [23] = 0,
/// [24] = 0x40 and [26] = 0x40 (boot.md §2.4).
pub fn architecture_vec5(cas: &Cas) -> Vec<u8> {
    let last = (1..cas.ov5.len())
        .rev()
        .find(|&i| cas.ov5[i] != 0)
        .unwrap_or(1);
    let mut out = Vec::with_capacity(last + 1);
    out.push((last - 1) as u8);
    out.extend((1..=last).map(|i| cas.ov5.get(i).copied().unwrap_or(0)));
    out
}

/// The guest-physical memory blocks QEMU describes for one NUMA node: the
/// largest power of two from 0, then power-of-two blocks aligned to their
/// start (1.5 GiB → 1 GiB @ 0 + 512 MiB @ 1 GiB).
pub fn memory_blocks(ram_size: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let (mut start, mut left) = (0u64, ram_size);
    while left != 0 {
        let mut size = 1u64 << (63 - left.leading_zeros());
        if start != 0 {
            size = size.min(1 << start.trailing_zeros());
        }
        out.push((start, size));
        start += size;
        left -= size;
    }
    out
}

/// log2 of the hash page table QEMU sizes for this much RAM
/// (`ibm,pft-size`): 1/128 of RAM rounded up to a power of two, 2^18..2^46.
pub fn hpt_shift(ram_size: u64) -> u32 {
    let pow2 = ram_size.max(1).next_power_of_two();
    (pow2.trailing_zeros().saturating_sub(7)).clamp(18, 46)
}

/// `ibm,hypertas-functions` for this configuration (see the module doc).
pub fn hypertas_functions(cfg: &TreeConfig) -> Vec<&'static str> {
    let mut v = Vec::new();
    if cfg.hash {
        v.push("hcall-pft");
    }
    v.extend(["hcall-term", "hcall-interrupt", "hcall-splpar"]);
    if cfg.hash {
        v.push("hcall-bulk");
    }
    v.push("hcall-set-mode");
    v
}

/// Build the tree QEMU would hand its VOF for `cfg` (no phandles except the
/// interrupt controller's; the client interface adds the rest, `stdout`
/// and `/memory@0/available`).
pub fn build(cfg: &TreeConfig) -> Tree {
    let mut t = Tree::new();
    let root = Tree::ROOT;
    let cas = cfg.cas.as_ref();
    let xive = cas.is_some_and(|c| c.xive);
    let form2 = form2(cfg);

    let lmbs: Vec<(DrcKind, u32)> = lmb_ids(cfg).map(|id| (DrcKind::Lmb, id)).collect();
    if !lmbs.is_empty() {
        set_drc_arrays(&mut t, root, &lmbs);
    }
    if xive {
        t.set_cells(root, "ibm,plat-res-int-priorities", &[7, 0xf8]);
    }
    t.set_u32(root, "#size-cells", 2);
    t.set_u32(root, "#address-cells", 2);
    t.set_str(root, "vm,uuid", "00000000-0000-0000-0000-000000000000");
    t.set_str(root, "compatible", "qemu,pseries");
    t.set_str(root, "model", "IBM pSeries (emulated by qemu)");
    t.set_str(root, "device_type", "chrp");

    let pmem = t.add_node(root, "ibm,persistent-memory");
    t.set_str(pmem, "device_type", "ibm,persistent-memory");
    t.set_u32(pmem, "#size-cells", 0);
    t.set_u32(pmem, "#address-cells", 1);

    build_chosen(&mut t, cfg);
    build_rtas(&mut t, cfg, form2);
    build_event_sources(&mut t);
    build_cpus(&mut t, cfg);
    build_vdevice(&mut t);

    let drconf = cas.is_some_and(|c| c.has(ov5::DRCONF_MEMORY));
    if drconf && device_memory_size(cfg) != 0 {
        build_drconf_memory(&mut t, cfg, form2);
    }
    let assoc = associativity(form2);
    for &(start, size) in memory_blocks(cfg.ram_size).iter().rev() {
        let m = t.add_node(root, &format!("memory@{start:x}"));
        t.set_cells(m, "ibm,associativity", assoc);
        t.set_u64s(m, "reg", &[start, size]);
        t.set_str(m, "device_type", "memory");
    }

    if xive {
        let ic = t.add_node(root, "interrupt-controller@60302031b0000");
        t.set_phandle(ic, INTC_PHANDLE);
        t.set_u32(ic, "linux,phandle", INTC_PHANDLE);
        t.set_cells(ic, "ibm,xive-lisn-ranges", &[0, cfg.max_cpus]);
        t.set_u32(ic, "ibm,xive-eq-sizes", 16);
        t.set_u32(ic, "#interrupt-cells", 2);
        t.set_empty(ic, "interrupt-controller");
        t.set_cells(
            ic,
            "reg",
            &[
                0x60302, 0x31b_0000, 0, 0x1_0000, 0x60302, 0x31a_0000, 0, 0x1_0000,
            ],
        );
        t.set_str(ic, "compatible", "ibm,power-ivpe");
        t.set_str(ic, "device_type", "power-ivpe");
    } else {
        let ic = t.add_node(root, "interrupt-controller");
        t.set_phandle(ic, INTC_PHANDLE);
        t.set_u32(ic, "linux,phandle", INTC_PHANDLE);
        t.set_u32(ic, "#interrupt-cells", 2);
        t.set_cells(ic, "ibm,interrupt-server-ranges", &[0, cfg.max_cpus]);
        t.set_empty(ic, "interrupt-controller");
        t.set_str(ic, "compatible", "IBM,ppc-xicp");
        t.set_str(ic, "device_type", "PowerPC-External-Interrupt-Presentation");
    }
    t
}

fn build_chosen(t: &mut Tree, cfg: &TreeConfig) {
    let c = t.add_node(Tree::ROOT, "chosen");
    let vec5 = cfg.cas.as_ref().map_or(vec![0, 0], architecture_vec5);
    t.set(c, "ibm,architecture-vec-5", vec5);
    if let Some(seed) = cfg.rng_seed {
        t.set(c, "rng-seed", seed.to_vec());
    }
    t.set_cells(c, "ibm,arch-vec-5-platform-support", &platform_support(cfg));
    t.set_u32(c, "linux,pci-probe-only", 0);
    t.set_str(c, "stdout-path", VTY_PATH);
    t.set_str(c, "linux,stdout-path", VTY_PATH);
    if let Some((base, size)) = cfg.kernel {
        if cfg.kernel_le {
            t.set_empty(c, "qemu,boot-kernel-le");
        }
        t.set_u64s(c, "qemu,boot-kernel", &[base, size]);
    }
    if let Some((base, size)) = cfg.initrd {
        t.set_u32(c, "linux,initrd-end", (base + size) as u32);
        t.set_u32(c, "linux,initrd-start", base as u32);
    }
    if !cfg.bootargs.is_empty() {
        t.set_str(c, "bootargs", &cfg.bootargs);
    }
}

fn build_rtas(t: &mut Tree, cfg: &TreeConfig, form2: bool) {
    let r = t.add_node(Tree::ROOT, "rtas");
    for (name, token) in RTAS_TOKENS.iter().rev() {
        t.set_u32(r, name, *token);
    }
    // Max address of hot-pluggable memory, LMB size, max CPUs.
    let max_addr = max_device_addr(cfg);
    t.set_cells(
        r,
        "ibm,lrdr-capacity",
        &[
            (max_addr >> 32) as u32,
            max_addr as u32,
            0,
            LMB_SIZE as u32,
            cfg.max_cpus,
        ],
    );
    t.set_empty(r, "ibm,extended-os-term");
    t.set_empty(r, "ibm,change-msix-capable");
    t.set_u32(r, "rtas-event-scan-rate", 1);
    t.set_u32(r, "rtas-error-log-max", RTAS_ERROR_LOG_MAX);
    let size = if cfg.rtas_size != 0 {
        cfg.rtas_size
    } else {
        qemu_rtas_size(cfg.max_cpus)
    };
    t.set_u32(r, "rtas-size", size);
    if form2 {
        // One NUMA node, FORM2 (LoPAPR 2.x §15.8): lookup index table
        // <count, domain>, distance table <count> then the byte distances.
        t.set_cells(r, "ibm,numa-lookup-index-table", &[1, 0]);
        t.set(r, "ibm,numa-distance-table", vec![0, 0, 0, 1, 10]);
        t.set_cells(r, "ibm,max-associativity-domains", &[1, 1]);
        t.set_cells(r, "ibm,associativity-reference-points", &[1]);
    } else {
        t.set_cells(r, "ibm,max-associativity-domains", &[4, 0, 0, 0, 1]);
        t.set_cells(r, "ibm,associativity-reference-points", &[4, 4, 2]);
    }
    t.set_strs(r, "ibm,hypertas-functions", &hypertas_functions(cfg));
}

fn build_event_sources(t: &mut Tree) {
    let e = t.add_node(Tree::ROOT, "event-sources");
    t.set_cells(e, "interrupt-ranges", &[EPOW_IRQ, 1, HOTPLUG_IRQ, 1]);
    t.set_u32(e, "#interrupt-cells", 2);
    t.set_empty(e, "interrupt-controller");
    let hp = t.add_node(e, "hot-plug-events");
    t.set_cells(hp, "interrupts", &[HOTPLUG_IRQ, 0]);
    let epow = t.add_node(e, "epow-events");
    t.set_cells(epow, "interrupts", &[EPOW_IRQ, 0]);
}

fn build_cpus(t: &mut Tree, cfg: &TreeConfig) {
    let cpus = t.add_node(Tree::ROOT, "cpus");
    let drcs: Vec<(DrcKind, u32)> = (0..cfg.max_cpus.max(cfg.smp_cpus))
        .map(|id| (DrcKind::Cpu, id))
        .collect();
    set_drc_arrays(t, cpus, &drcs);
    t.set_u32(cpus, "#size-cells", 0);
    t.set_u32(cpus, "#address-cells", 1);
    for id in present_cores(cfg) {
        let c: NodeId = t.add_node(cpus, &format!("PowerPC,POWER9@{id:x}"));
        cpu_props(t, c, cfg, id);
    }
}

/// A cpu node's properties, in QEMU's order (`spapr_dt_cpu`), ending with
/// `ibm,my-drc-index`.
pub(crate) fn cpu_props(t: &mut Tree, c: NodeId, cfg: &TreeConfig, id: u32) {
    let version = match &cfg.cas {
        Some(cas) if cas.compat_pvr != 0 => cas.compat_pvr,
        _ => cfg.pvr,
    };
    t.set_cells(
        c,
        "ibm,processor-radix-AP-encodings",
        &[0x0c, 0xa000_0010, 0x2000_0015, 0x4000_001e],
    );
    t.set_cells(c, "ibm,ppc-interrupt-gserver#s", &[id, 0]);
    t.set_u32(c, "ibm,ppc-interrupt-server#s", id);
    if cfg.hash {
        t.set_cells(c, "ibm,pft-size", &[0, hpt_shift(cfg.ram_size)]);
    }
    t.set_u32(c, "ibm,chip-id", 0);
    t.set(c, "ibm,pa-features", cells(&PA_FEATURES));
    if cfg.hash {
        // 4K base (SLB encoding 0, one size, penc 0) and 64K base
        // (SLB L|LP 0x110, 64K penc 1).
        t.set_cells(
            c,
            "ibm,segment-page-sizes",
            &[0x0c, 0, 1, 0x0c, 0, 0x10, 0x110, 1, 0x10, 1],
        );
    }
    t.set_u32(c, "ibm,dfp", 1);
    t.set_u32(c, "ibm,vmx", 2);
    t.set_cells(
        c,
        "ibm,processor-segment-sizes",
        &[0x1c, 0x28, u32::MAX, u32::MAX],
    );
    t.set_u32(c, "ibm,spurr", 1);
    t.set_u32(c, "ibm,purr", 1);
    t.set_empty(c, "64-bit");
    t.set_str(c, "status", "okay");
    t.set_u32(c, "ibm,slb-size", 32);
    t.set_u32(c, "slb-size", 32);
    t.set_u32(c, "clock-frequency", CLOCK_FREQ);
    t.set_u32(c, "timebase-frequency", TIMEBASE_FREQ);
    t.set_u32(c, "i-cache-size", 0x8000);
    t.set_u32(c, "d-cache-size", 0x8000);
    for p in [
        "i-cache-line-size",
        "i-cache-block-size",
        "d-cache-line-size",
        "d-cache-block-size",
    ] {
        t.set_u32(c, p, 0x80);
    }
    t.set_u32(c, "cpu-version", version);
    t.set_str(c, "device_type", "cpu");
    t.set_u32(c, "reg", id);
    t.set_u32(c, "ibm,my-drc-index", DrcKind::Cpu.index(id));
}

fn build_vdevice(t: &mut Tree) {
    let v = t.add_node(Tree::ROOT, "vdevice");
    t.set_empty(v, "interrupt-controller");
    t.set_u32(v, "#interrupt-cells", 2);
    t.set_u32(v, "#size-cells", 0);
    t.set_u32(v, "#address-cells", 1);
    t.set_str(v, "compatible", "IBM,vdevice");
    t.set_str(v, "device_type", "vdevice");
    let vty = t.add_node(v, &format!("vty@{VTY_REG:x}"));
    t.set_cells(vty, "interrupts", &[VTY_IRQ, 0]);
    t.set_str(vty, "compatible", "hvterm1");
    t.set_str(vty, "device_type", "serial");
    t.set_u32(vty, "reg", VTY_REG);
}

/// What prom_init adds for RTAS after instantiating it (boot.md §1.4), for
/// the direct flattened-tree boot: `linux,rtas-base` and
/// `linux,rtas-entry`, both the blob's address.
pub fn set_rtas_location(t: &mut Tree, base: u32) {
    let r = t.find("/rtas").expect("tree has /rtas");
    t.set_front(r, "linux,rtas-entry", base.to_be_bytes().to_vec());
    t.set_front(r, "linux,rtas-base", base.to_be_bytes().to_vec());
}

#[cfg(test)]
mod tests;
