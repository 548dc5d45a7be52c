//! The pseries device tree against QEMU 7.2's: `qemu-system-ppc64 -M
//! pseries,x-vof=on,dumpdtb=F` dumps the tree its VOF serves at reset
//! (phandles, `stdout`, `/memory@0/available` included); we build ours for
//! the same machine through `Vof::new` and compare node sets, property
//! sets, values and order. Every difference must be on the allow-lists
//! below, each with its reason, and every allow-list entry must still be
//! needed, so the test fails if either tree drifts. The hotplug connector
//! arrays (`ibm,drc-*`) are compared as sets of (index, name, type, power
//! domain), QEMU's restricted to the CPU and LMB connectors we model: its
//! order follows a hash table.
//!
//! Also: the firmware stubs' byte constants against what the cross
//! assembler makes of `firmware/*.S`.

mod common;

use powerlift::spapr::devtree::{TreeConfig, INTC_PHANDLE};
use powerlift::spapr::vof::{self, Vof};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Nodes QEMU has and we do not model.
const QEMU_ONLY_NODES: &[(&str, &str)] = &[
    (
        "/pci@800000020000000",
        "PCI host bridge: not modelled (boot.md §3.9)",
    ),
    (
        "/vdevice/nvram@71000001",
        "spapr-nvram: not modelled; Linux does without",
    ),
];

/// Properties QEMU has and we leave out: (node, property, reason). A `*`
/// matches any run of characters.
const QEMU_ONLY_PROPS: &[(&str, &str, &str)] = &[
    (
        "/",
        "ibm,drc-*",
        "only PHB/PMEM connectors (not modelled) when there is no device memory",
    ),
    (
        "/cpus/PowerPC,POWER9@*",
        "ibm,dec-bits",
        "left out: Linux then uses a 32-bit decrementer",
    ),
    (
        "/cpus/PowerPC,POWER9@*",
        "ibm,pft-size",
        "hash MMU not offered",
    ),
    (
        "/cpus/PowerPC,POWER9@*",
        "ibm,segment-page-sizes",
        "hash MMU not offered",
    ),
    (
        "/chosen",
        "rng-seed",
        "random per run; only when the machine supplies a seed",
    ),
    (
        "/chosen",
        "qemu,graphic-*",
        "QEMU-private display geometry; no display",
    ),
    (
        "/rtas",
        "qemu,hypertas-functions",
        "QEMU-private (hcall-memop1, used by SLOF)",
    ),
];

/// The connector types we model; QEMU's DRC arrays also list PHBs, PMEM
/// slots and PCI slots.
const MODELLED_DRC_TYPES: &[&str] = &["CPU", "MEM"];

/// One DRC as the four `ibm,drc-*` arrays describe it: (index, name,
/// type, power domain).
type DrcEntry = (u32, String, String, u32);

/// The entries of a node's DRC arrays (`None` without arrays). QEMU's
/// order follows a hash table, so they compare as sets.
fn drc_entries(props: &Props) -> Option<Result<BTreeSet<DrcEntry>, String>> {
    let get = |n: &str| {
        props
            .iter()
            .find(|(p, _)| p == n)
            .map(|(_, v)| v.as_slice())
    };
    let idx = get("ibm,drc-indexes")?;
    let parse = || -> Result<BTreeSet<DrcEntry>, String> {
        let words = |v: &[u8]| -> Vec<u32> {
            v.chunks(4)
                .map(|c| u32::from_be_bytes(c.try_into().unwrap_or([0; 4])))
                .collect()
        };
        let strs = |v: &[u8]| -> Vec<String> {
            v.get(4..)
                .unwrap_or_default()
                .split(|&b| b == 0)
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        };
        let (Some(names), Some(types), Some(power)) = (
            get("ibm,drc-names"),
            get("ibm,drc-types"),
            get("ibm,drc-power-domains"),
        ) else {
            return Err("incomplete DRC arrays".into());
        };
        let (idx, power, names, types) = (words(idx), words(power), strs(names), strs(types));
        let n = *idx.first().ok_or("empty ibm,drc-indexes")? as usize;
        if idx.len() != n + 1
            || power.len() != n + 1
            || names.len() != n + 1
            || types.len() != n + 1
        {
            return Err(format!(
                "array lengths differ from the count {n}: {} {} {} {}",
                idx.len(),
                power.len(),
                names.len(),
                types.len()
            ));
        }
        Ok((0..n)
            .map(|k| (idx[k + 1], names[k].clone(), types[k].clone(), power[k + 1]))
            .collect())
    };
    Some(parse())
}

/// Compare the DRC arrays of one node: ours must describe exactly QEMU's
/// connectors of the types we model.
fn compare_drcs(path: &str, qp: &Props, op: &Props, used: &mut BTreeSet<String>) -> Vec<String> {
    let mut bad = Vec::new();
    let q = match drc_entries(qp) {
        None => BTreeSet::new(),
        Some(Ok(q)) => q
            .into_iter()
            .filter(|e| MODELLED_DRC_TYPES.contains(&e.2.as_str()))
            .collect(),
        Some(Err(e)) => return vec![format!("{path}: QEMU's DRC arrays: {e}")],
    };
    match drc_entries(op) {
        None if q.is_empty() => {
            if drc_entries(qp).is_some() {
                let allowed = QEMU_ONLY_PROPS
                    .iter()
                    .find(|(n, p, _)| glob(n, path) && glob(p, "ibm,drc-indexes"));
                match allowed {
                    Some((n, p, _)) => {
                        used.insert(format!("prop {n} {p}"));
                    }
                    None => bad.push(format!("{path}: QEMU's unmodelled DRC arrays missing")),
                }
            }
        }
        None => bad.push(format!(
            "{path}: DRC arrays missing from ours ({} DRCs)",
            q.len()
        )),
        Some(Err(e)) => bad.push(format!("{path}: our DRC arrays: {e}")),
        Some(Ok(o)) => {
            for e in q.difference(&o) {
                bad.push(format!("{path}: DRC {e:x?} missing from ours"));
            }
            for e in o.difference(&q) {
                bad.push(format!("{path}: DRC {e:x?} ours only"));
            }
        }
    }
    bad
}

/// Properties whose values differ on purpose: (node, property, our value, reason).
fn different_values() -> Vec<(&'static str, &'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "/chosen",
            "ibm,arch-vec-5-platform-support",
            [0x1700_1840u32, 0x1900_1a40]
                .iter()
                .flat_map(|c| c.to_be_bytes())
                .collect(),
            "we offer radix only (byte 0x18 = 0x40; QEMU 0xc0 = either)",
        ),
        (
            "/rtas",
            "ibm,hypertas-functions",
            b"hcall-term\0hcall-interrupt\0hcall-splpar\0hcall-set-mode\0".to_vec(),
            "only the hcall sets the machine implements",
        ),
    ]
}

fn glob(pat: &str, s: &str) -> bool {
    match pat.split_once('*') {
        None => pat == s,
        Some((pre, post)) => {
            s.len() >= pre.len() + post.len() && s.starts_with(pre) && s.ends_with(post)
        }
    }
}

type Props = Vec<(String, Vec<u8>)>;

#[derive(Default)]
struct Flat {
    /// path → (properties in order, child paths in order)
    nodes: BTreeMap<String, (Props, Vec<String>)>,
    rsv: Vec<(u64, u64)>,
    boot_cpu: u32,
}

fn flatten(blob: &[u8]) -> Flat {
    let fdt = fdt::Fdt::new(blob).expect("valid FDT");
    let mut out = Flat {
        rsv: fdt
            .memory_reservations()
            .map(|r| (r.address() as u64, r.size() as u64))
            .collect(),
        boot_cpu: u32::from_be_bytes(blob[28..32].try_into().unwrap()),
        ..Flat::default()
    };
    fn walk(n: fdt::node::FdtNode, path: String, out: &mut Flat) {
        let props = n
            .properties()
            .map(|p| (p.name.to_string(), p.value.to_vec()))
            .collect();
        let mut kids = Vec::new();
        for c in n.children() {
            let cp = if path == "/" {
                format!("/{}", c.name)
            } else {
                format!("{path}/{}", c.name)
            };
            kids.push(cp.clone());
            walk(c, cp, out);
        }
        out.nodes.insert(path, (props, kids));
    }
    walk(fdt.find_node("/").expect("root"), "/".into(), &mut out);
    out
}

/// A little-endian ppc64 ELF with one PT_LOAD of `memsz` bytes at
/// 0xc000000000000000 (QEMU loads it at 0x400000).
fn kernel_elf(memsz: u64) -> Vec<u8> {
    let mut e = Vec::new();
    e.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    e.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    e.extend_from_slice(&21u16.to_le_bytes()); // EM_PPC64
    e.extend_from_slice(&1u32.to_le_bytes());
    e.extend_from_slice(&0xc000_0000_0000_0000u64.to_le_bytes()); // entry
    e.extend_from_slice(&64u64.to_le_bytes()); // phoff
    e.extend_from_slice(&0u64.to_le_bytes()); // shoff
    e.extend_from_slice(&2u32.to_le_bytes()); // flags: ELFv2
    for h in [64u16, 56, 1, 64, 0, 0] {
        e.extend_from_slice(&h.to_le_bytes());
    }
    e.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    e.extend_from_slice(&7u32.to_le_bytes()); // RWX
    for v in [0x1000u64, 0xc000_0000_0000_0000, 0, 0x100, memsz, 0x1_0000] {
        e.extend_from_slice(&v.to_le_bytes());
    }
    e.resize(0x1100, 0);
    e
}

struct Machine {
    ram: u64,
    /// `-m slots=,maxmem=`: (slots, maxmem); `None` for plain `-m`.
    hotplug_mem: Option<(u32, u64)>,
    smp: u32,
    max_cpus: u32,
    append: &'static str,
    kernel_memsz: u64,
    initrd_size: u64,
}

const KERNEL_BASE: u64 = 0x40_0000;

impl Machine {
    fn initrd(&self) -> Option<(u64, u64)> {
        // QEMU 7.2 puts the initrd 64 KiB-aligned at least 64 KiB past the kernel.
        let base = (KERNEL_BASE + self.kernel_memsz + 0x1_ffff) & !0xffff;
        (self.initrd_size != 0).then_some((base, self.initrd_size))
    }

    fn qemu_dump(&self, qemu: &Path, dir: &Path) -> Vec<u8> {
        let k = dir.join("kernel.elf");
        std::fs::write(&k, kernel_elf(self.kernel_memsz)).unwrap();
        let dtb = dir.join("qemu.dtb");
        let mut cmd = Command::new(qemu);
        cmd.arg("-M")
            .arg(format!(
                "pseries,x-vof=on,ic-mode=xics,dumpdtb={}",
                dtb.display()
            ))
            .args([
                "-m",
                &match self.hotplug_mem {
                    None => format!("{}M", self.ram >> 20),
                    Some((slots, max)) => {
                        format!("{}M,slots={slots},maxmem={}M", self.ram >> 20, max >> 20)
                    }
                },
            ])
            .args(["-smp", &format!("{},maxcpus={}", self.smp, self.max_cpus)])
            .args([
                "-nographic",
                "-nodefaults",
                "-serial",
                "null",
                "-append",
                self.append,
            ])
            .arg("-kernel")
            .arg(&k);
        if self.initrd_size != 0 {
            let i = dir.join("initrd");
            std::fs::write(&i, vec![0x5a; self.initrd_size as usize]).unwrap();
            cmd.arg("-initrd").arg(&i);
        }
        let out = cmd.output().expect("run qemu-system-ppc64");
        assert!(
            out.status.success(),
            "qemu failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(&dtb).expect("qemu wrote the dtb")
    }

    fn ours(&self) -> Vec<u8> {
        let cfg = TreeConfig {
            ram_size: self.ram,
            smp_cpus: self.smp,
            max_cpus: self.max_cpus,
            bootargs: self.append.into(),
            kernel: Some((KERNEL_BASE, self.kernel_memsz)),
            kernel_le: true,
            initrd: self.initrd(),
            max_mem: self.hotplug_mem.map_or(0, |h| h.1),
            ..TreeConfig::default()
        };
        let vof = Vof::new(cfg).expect("claims fit");
        let mut rsv = vec![(KERNEL_BASE, self.kernel_memsz)];
        rsv.extend(self.initrd());
        vof.tree.to_fdt(0, &rsv)
    }
}

/// Compare, returning the problems; records which allow-list entries were used.
fn compare(q: &Flat, o: &Flat, used: &mut BTreeSet<String>) -> Vec<String> {
    let mut bad = Vec::new();
    if q.rsv != o.rsv {
        bad.push(format!("memreserve: qemu {:x?}, ours {:x?}", q.rsv, o.rsv));
    }
    if q.boot_cpu != o.boot_cpu {
        bad.push(format!(
            "boot_cpuid_phys: qemu {}, ours {}",
            q.boot_cpu, o.boot_cpu
        ));
    }
    let skipped = |p: &str| {
        QEMU_ONLY_NODES
            .iter()
            .find(|(n, _)| p == *n || p.starts_with(&format!("{n}/")))
    };
    for path in q.nodes.keys() {
        if let Some((n, _)) = skipped(path) {
            used.insert(format!("node {n}"));
        } else if !o.nodes.contains_key(path) {
            bad.push(format!("node {path}: missing from ours"));
        }
    }
    for path in o.nodes.keys().filter(|p| !q.nodes.contains_key(*p)) {
        bad.push(format!("node {path}: ours only"));
    }
    let diffs = different_values();
    let mut phandles = BTreeSet::new();
    for (path, (qp, qk)) in &q.nodes {
        let Some((op, ok)) = o.nodes.get(path) else {
            continue;
        };
        let mut common = Vec::new();
        bad.extend(compare_drcs(path, qp, op, used));
        for (name, qv) in qp {
            if name.starts_with("ibm,drc-") {
                // Compared as sets above.
                if op.iter().any(|(n, _)| n == name) {
                    common.push(name.clone());
                }
                continue;
            }
            let allowed = QEMU_ONLY_PROPS
                .iter()
                .find(|(n, p, _)| glob(n, path) && glob(p, name));
            match (op.iter().find(|(n, _)| n == name), allowed) {
                (None, Some((n, p, _))) => {
                    used.insert(format!("prop {n} {p}"));
                }
                (None, None) => bad.push(format!("{path} {name}: missing from ours")),
                (Some(_), Some((n, p, _))) => {
                    bad.push(format!("{path} {name}: allow-listed ({n} {p}) but present"))
                }
                (Some((_, ov)), None) => {
                    common.push(name.clone());
                    if name == "phandle" {
                        // Numbering shifts where QEMU has extra nodes; the
                        // interrupt controller's is fixed.
                        let ph = u32::from_be_bytes(ov.as_slice().try_into().unwrap());
                        assert!(phandles.insert(ph), "duplicate phandle {ph:#x}");
                        if path == "/interrupt-controller" {
                            assert_eq!(
                                (qv.as_slice(), ph),
                                (&INTC_PHANDLE.to_be_bytes()[..], INTC_PHANDLE)
                            );
                        }
                    } else if let Some((.., want, _)) =
                        diffs.iter().find(|d| d.0 == path && d.1 == name)
                    {
                        used.insert(format!("value {path} {name}"));
                        if ov != want {
                            bad.push(format!(
                                "{path} {name}: ours {ov:02x?}, expected {want:02x?}"
                            ));
                        }
                        if ov == qv {
                            bad.push(format!(
                                "{path} {name}: allow-listed difference no longer differs"
                            ));
                        }
                    } else if ov != qv {
                        bad.push(format!("{path} {name}: qemu {qv:02x?}, ours {ov:02x?}"));
                    }
                }
            }
        }
        for (name, _) in op.iter().filter(|(n, _)| !qp.iter().any(|(m, _)| m == n)) {
            bad.push(format!("{path} {name}: ours only"));
        }
        let ours_order: Vec<&String> = op
            .iter()
            .map(|(n, _)| n)
            .filter(|n| common.contains(n))
            .collect();
        if ours_order != common.iter().collect::<Vec<_>>() {
            bad.push(format!(
                "{path}: property order differs: qemu {common:?}, ours {ours_order:?}"
            ));
        }
        let qkids: Vec<&String> = qk.iter().filter(|k| ok.contains(k)).collect();
        let okids: Vec<&String> = ok.iter().filter(|k| qk.contains(k)).collect();
        if qkids != okids {
            bad.push(format!(
                "{path}: child order differs: qemu {qkids:?}, ours {okids:?}"
            ));
        }
    }
    bad
}

#[test]
fn tree_matches_qemu_dumpdtb() {
    let Some(qemu) = common::oracle("qemu-system-ppc64") else {
        return;
    };
    let machines = [
        // Debian's 6.1 kernel and a small initrd, as in boot.md.
        Machine {
            ram: 1 << 30,
            hotplug_mem: None,
            smp: 1,
            max_cpus: 1,
            append: "console=hvc0",
            kernel_memsz: 0x287_c918,
            initrd_size: 0x1_2345,
        },
        // Two memory blocks, SMP with room for hotplug, no initrd.
        Machine {
            ram: 0x6000_0000,
            hotplug_mem: None,
            smp: 2,
            max_cpus: 4,
            append: "x",
            kernel_memsz: 0x1000,
            initrd_size: 0,
        },
        // Memory and CPU hotplug: LMB connectors 4..15, CPU 0..3.
        Machine {
            ram: 1 << 30,
            hotplug_mem: Some((4, 4 << 30)),
            smp: 1,
            max_cpus: 4,
            append: "console=hvc0",
            kernel_memsz: 0x1000,
            initrd_size: 0,
        },
        // RAM not a multiple of 1 GiB: device memory from 2 GiB (LMB 8..13).
        Machine {
            ram: 0x6000_0000,
            hotplug_mem: Some((2, 3 << 30)),
            smp: 2,
            max_cpus: 3,
            append: "x",
            kernel_memsz: 0x1000,
            initrd_size: 0,
        },
    ];
    let mut used = BTreeSet::new();
    let mut bad = Vec::new();
    for (i, m) in machines.iter().enumerate() {
        let dir = common::scratch(&format!("devtree-{i}"));
        let q = flatten(&m.qemu_dump(&qemu, &dir));
        let o = flatten(&m.ours());
        bad.extend(
            compare(&q, &o, &mut used)
                .into_iter()
                .map(|b| format!("machine {i}: {b}")),
        );
    }
    let mut stale: Vec<String> = QEMU_ONLY_NODES
        .iter()
        .map(|(n, _)| format!("node {n}"))
        .collect();
    stale.extend(
        QEMU_ONLY_PROPS
            .iter()
            .map(|(n, p, _)| format!("prop {n} {p}")),
    );
    stale.extend(
        different_values()
            .iter()
            .map(|(n, p, ..)| format!("value {n} {p}")),
    );
    for s in stale.iter().filter(|s| !used.contains(*s)) {
        bad.push(format!("allow-list entry never needed: {s}"));
    }
    assert!(
        bad.is_empty(),
        "device tree differs from QEMU's:\n  {}",
        bad.join("\n  ")
    );
}

/// `.text` of an object assembled from `firmware/<name>`.
fn assemble(name: &str) -> Option<Vec<u8>> {
    let gas = common::oracle("powerpc64le-linux-gnu-as")?;
    let src = common::root().join("firmware").join(name);
    let obj = common::scratch(&format!("fw-{name}")).join("out.o");
    let st = Command::new(gas)
        .args(["-a64", "-mbig", "-mpower9", "-o"])
        .arg(&obj)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st.success(), "assembling {name} failed");
    let bytes = std::fs::read(&obj).unwrap();
    let elf = goblin::elf::Elf::parse(&bytes).expect("ELF object");
    let text = elf
        .section_headers
        .iter()
        .find(|s| elf.shdr_strtab.get_at(s.sh_name) == Some(".text"))
        .expect(".text section");
    Some(bytes[text.sh_offset as usize..(text.sh_offset + text.sh_size) as usize].to_vec())
}

#[test]
fn firmware_stubs_match_their_sources() {
    let Some(ci) = assemble("vof-entry.S") else {
        return;
    };
    assert_eq!(
        ci,
        vof::CI_ENTRY_STUB,
        "firmware/vof-entry.S vs vof::CI_ENTRY_STUB"
    );
    let Some(rtas) = assemble("rtas-entry.S") else {
        return;
    };
    assert_eq!(
        rtas,
        vof::RTAS_BLOB,
        "firmware/rtas-entry.S vs vof::RTAS_BLOB"
    );
}
