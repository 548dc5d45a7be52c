//! Device-tree builder tests: CAS negotiation, QEMU 7.2's values, the DRC
//! arrays and `ibm,dynamic-reconfiguration-memory` against what a Linux 6.1
//! guest read under QEMU 7.2, and the hot-plug fragments.

use super::*;

#[test]
fn vec5_radix_xics_matches_qemu_except_hpt_resize() {
    let v = architecture_vec5(&Cas::radix_xics());
    // postcas-vof-xics-radix.dts, with byte 6 = 0x04: we do not offer
    // HPT resizing without hash (QEMU: 0x05).
    let mut want = [0u8; 27];
    want[0] = 0x19;
    want[2] = 0x20;
    want[5] = 0xa0;
    want[6] = 0x04;
    want[22] = 0x80;
    want[24] = 0x40;
    want[26] = 0x40;
    assert_eq!(v, want);
    assert!(v.len() > 24, "kernel falls back to hash if ≤ 24 bytes");
}

#[test]
fn vec5_encoding() {
    let empty = Cas {
        radix: false,
        xive: false,
        ov5: vec![],
        compat_pvr: 0,
    };
    assert_eq!(architecture_vec5(&empty), [0, 0]);
    let mut ov5 = vec![0u8; 30];
    ov5[22] = 0x80;
    ov5[23] = 0x40;
    let hash_xive = Cas {
        radix: false,
        xive: true,
        ov5,
        compat_pvr: 0,
    };
    let v = architecture_vec5(&hash_xive);
    assert_eq!((v.len(), v[0], v[22], v[23]), (24, 0x16, 0x80, 0x40));
}

#[test]
fn negotiation() {
    let cfg = TreeConfig::default();
    let mut g = LINUX_OV5_RADIX_XICS.to_vec();
    g[ov5::INTC] = 0x40; // asks XIVE, not offered
    g[ov5::MMU] = 0x00; // asks hash, not offered
    let c = negotiate(&cfg, &g, 0).unwrap();
    assert!(c.radix && !c.xive);
    let both = TreeConfig {
        hash: true,
        xive: true,
        ..TreeConfig::default()
    };
    let c = negotiate(&both, &g, 0).unwrap();
    assert!(!c.radix && c.xive);
    assert_eq!(c.ov5[6], 0x05);
    g[ov5::MMU] = 0x80;
    assert_eq!(negotiate(&cfg, &g, 0), Err(CasError::BothMmus));
    g[ov5::MMU] = 0x40;
    g[ov5::INTC] = 0xc0;
    assert_eq!(negotiate(&cfg, &g, 0), Err(CasError::BothIntc));
    let short = negotiate(&cfg, &[0, 0], 0).unwrap();
    assert!(short.radix && short.ov5.len() == 27);
    assert_eq!(platform_support(&cfg), [0x1700_1840, 0x1900_1a40]);
    assert_eq!(platform_support(&both), [0x1780_18c0, 0x1900_1a40]);
}

#[test]
fn memory_and_hpt() {
    assert_eq!(memory_blocks(1 << 30), [(0, 1 << 30)]);
    assert_eq!(
        memory_blocks(0x6000_0000),
        [(0, 0x4000_0000), (0x4000_0000, 0x2000_0000)]
    );
    assert_eq!(memory_blocks(5 << 30), [(0, 4 << 30), (4 << 30, 1 << 30)]);
    assert_eq!(memory_blocks(0x7000_0000).len(), 3);
    assert_eq!(hpt_shift(1 << 30), 0x17);
    assert_eq!(hpt_shift(0x6000_0000), 0x18);
    assert_eq!(hpt_shift(1 << 20), 18);
}

#[test]
fn post_cas_tree_matches_qemu_values() {
    let cfg = TreeConfig {
        cas: Some(Cas::radix_xics()),
        bootargs: "x".into(),
        ..Default::default()
    };
    let t = build(&cfg);
    let cpu = t.find("/cpus/PowerPC,POWER9@0").unwrap();
    assert_eq!(t.get_u32(cpu, "cpu-version"), Some(PVR_ARCH_300));
    assert_eq!(t.get(cpu, "ibm,dec-bits"), None);
    let mem = t.find("/memory@0").unwrap();
    assert_eq!(t.get(mem, "ibm,associativity"), Some(&cells(&[1, 0])[..]));
    let rtas = t.find("/rtas").unwrap();
    assert_eq!(
        t.get(rtas, "ibm,numa-distance-table"),
        Some(&[0, 0, 0, 1, 10][..])
    );
    assert_eq!(
        t.get(rtas, "ibm,associativity-reference-points"),
        Some(&cells(&[1])[..])
    );
    let ic = t.find("/interrupt-controller").unwrap();
    assert_eq!(t.phandle(ic), Some(INTC_PHANDLE));
    assert_eq!(t.get(Tree::ROOT, "ibm,plat-res-int-priorities"), None);
    let hyp = t.get(rtas, "ibm,hypertas-functions").unwrap();
    assert_eq!(
        hyp,
        b"hcall-term\0hcall-interrupt\0hcall-splpar\0hcall-set-mode\0"
    );

    let mut xcas = Cas::radix_xics();
    xcas.xive = true;
    let t = build(&TreeConfig {
        cas: Some(xcas),
        xive: true,
        ..Default::default()
    });
    let ic = t.find("/interrupt-controller").unwrap();
    assert_eq!(t.node(ic).name, "interrupt-controller@60302031b0000");
    assert_eq!(t.get(ic, "compatible"), Some(&b"ibm,power-ivpe\0"[..]));
    assert_eq!(t.phandle(ic), Some(INTC_PHANDLE));
    assert!(t.get(Tree::ROOT, "ibm,plat-res-int-priorities").is_some());
}

#[test]
fn rtas_size() {
    assert_eq!(qemu_rtas_size(1), 0x82c);
    assert_eq!(qemu_rtas_size(4), 0x85c);
    let t = build(&TreeConfig {
        rtas_size: 0x1000,
        ..TreeConfig::default()
    });
    assert_eq!(
        t.get_u32(t.find("/rtas").unwrap(), "rtas-size"),
        Some(0x1000)
    );
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn hotplug_cfg(ram: u64, max_mem: u64, dimms: Vec<(u64, u64)>) -> TreeConfig {
    TreeConfig {
        ram_size: ram,
        max_mem,
        smp_cpus: 2,
        max_cpus: 4,
        dimms,
        cas: Some(Cas::radix_xics()),
        ..TreeConfig::default()
    }
}

#[test]
fn drc_arrays_and_capacity() {
    let t = build(&hotplug_cfg(1 << 30, 4 << 30, vec![]));
    let cpus = t.find("/cpus").unwrap();
    let names: Vec<&str> = t.node(cpus).props.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        names[..6],
        [
            "ibm,drc-types",
            "ibm,drc-names",
            "ibm,drc-power-domains",
            "ibm,drc-indexes",
            "#size-cells",
            "#address-cells"
        ]
    );
    let idx = [4, 0x1000_0000, 0x1000_0001, 0x1000_0002, 0x1000_0003];
    assert_eq!(t.get(cpus, "ibm,drc-indexes"), Some(&cells(&idx)[..]));
    assert_eq!(
        t.get(cpus, "ibm,drc-names"),
        Some(&b"\0\0\0\x04CPU 0\0CPU 1\0CPU 2\0CPU 3\0"[..])
    );
    assert_eq!(
        t.get(cpus, "ibm,drc-types"),
        Some(&b"\0\0\0\x04CPU\0CPU\0CPU\0CPU\0"[..])
    );
    assert_eq!(
        t.get(cpus, "ibm,drc-power-domains"),
        Some(&cells(&[4, u32::MAX, u32::MAX, u32::MAX, u32::MAX])[..])
    );
    for id in 0..2 {
        let c = t.find(&format!("/cpus/PowerPC,POWER9@{id}")).unwrap();
        let last = t.node(c).props.last().unwrap();
        assert_eq!(last.0, "ibm,my-drc-index");
        assert_eq!(last.1, (0x1000_0000u32 + id).to_be_bytes());
    }
    let root_idx: Vec<u32> = t.get(Tree::ROOT, "ibm,drc-indexes").unwrap()[4..]
        .chunks(4)
        .map(|c| u32::from_be_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(
        root_idx,
        (4..16).map(|i| 0x8000_0000 | i).collect::<Vec<_>>()
    );
    assert!(t
        .get(Tree::ROOT, "ibm,drc-names")
        .unwrap()
        .ends_with(b"LMB 15\0"));
    assert_eq!(t.node(Tree::ROOT).props[0].0, "ibm,drc-types");
    let rtas = t.find("/rtas").unwrap();
    // Observed on QEMU 7.2: <0x01 0x00 0x00 0x10000000 0x04>.
    assert_eq!(
        t.get(rtas, "ibm,lrdr-capacity"),
        Some(&cells(&[1, 0, 0, 0x1000_0000, 4])[..])
    );
    let t = build(&hotplug_cfg(0x6000_0000, 3 << 30, vec![]));
    let rtas = t.find("/rtas").unwrap();
    assert_eq!(
        t.get(rtas, "ibm,lrdr-capacity"),
        Some(&cells(&[0, 0xe000_0000, 0, 0x1000_0000, 4])[..])
    );
    assert_eq!(lmb_ids(&hotplug_cfg(0x6000_0000, 3 << 30, vec![])), 8..14);
    // No maxmem: no LMB connectors, no root arrays.
    let t = build(&hotplug_cfg(1 << 30, 0, vec![]));
    assert_eq!(t.get(Tree::ROOT, "ibm,drc-indexes"), None);
    assert_eq!(t.find("/ibm,dynamic-reconfiguration-memory"), None);
}

/// `ibm,dynamic-memory-v2` as a Linux 6.1 guest read it from
/// /proc/device-tree under QEMU 7.2 (`-m 1G,slots=4,maxmem=4G`, with
/// and without a 512 MiB pc-dimm at 1 GiB; `-m 1536M,maxmem=3G`).
#[test]
fn dynamic_reconfiguration_memory_matches_qemu() {
    let cases = [
        (
            hotplug_cfg(1 << 30, 4 << 30, vec![(1 << 30, 512 << 20)]),
            "0000000300000004000000000000000000000000ffffffff000000a0\
             00000002000000004000000080000004000000000000010800000\
             00a000000006000000080000006ffffffff00000000",
        ),
        (
            hotplug_cfg(1 << 30, 4 << 30, vec![]),
            "0000000200000004000000000000000000000000ffffffff000000a0\
             0000000c000000004000000080000004ffffffff00000000",
        ),
        (
            hotplug_cfg(0x6000_0000, 3 << 30, vec![]),
            "0000000200000008000000000000000000000000ffffffff000000a0\
             00000006000000008000000080000008ffffffff00000000",
        ),
    ];
    for (cfg, v2) in cases {
        let t = build(&cfg);
        let n = t.find("/ibm,dynamic-reconfiguration-memory").unwrap();
        assert_eq!(t.get(n, "ibm,dynamic-memory-v2").unwrap(), hex(v2));
        assert_eq!(
            t.get(n, "ibm,associativity-lookup-arrays"),
            Some(&cells(&[1, 1, 0])[..])
        );
        assert_eq!(t.get(n, "ibm,lmb-size"), Some(&hex("0000000010000000")[..]));
        assert_eq!(t.get_u32(n, "ibm,memory-flags-mask"), Some(0xff));
        assert_eq!(t.get_u32(n, "ibm,memory-preservation-time"), Some(0));
        let order: Vec<&str> = t.node(n).props.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(order[0], "ibm,associativity-lookup-arrays");
        assert_eq!(order[4], "ibm,lmb-size");
        // Between /vdevice and the memory nodes, as QEMU adds it.
        let kids = &t.node(Tree::ROOT).children;
        let pos = kids.iter().position(|&k| k == n).unwrap();
        assert_eq!(t.node(kids[pos - 1]).name, "vdevice");
        assert!(t.node(kids[pos + 1]).name.starts_with("memory@"));
    }
    // DRMEM_V2 not negotiated: v1, one entry per LMB from 0; FORM1.
    let mut cfg = hotplug_cfg(1 << 30, 2 << 30, vec![(1 << 30, 256 << 20)]);
    let cas = cfg.cas.as_mut().unwrap();
    cas.ov5[ov5::DRMEM_V2.0] = 0;
    cas.ov5[ov5::FORM2_AFFINITY.0] &= !ov5::FORM2_AFFINITY.1;
    let t = build(&cfg);
    let n = t.find("/ibm,dynamic-reconfiguration-memory").unwrap();
    let v1 = t.get(n, "ibm,dynamic-memory").unwrap();
    assert_eq!(v1.len(), 4 + 8 * 24);
    assert_eq!(&v1[..4], &8u32.to_be_bytes());
    let entry = |k: usize| &v1[4 + 24 * k..4 + 24 * (k + 1)];
    assert_eq!(entry(1), cells(&[0, 0x1000_0000, 0, 0, u32::MAX, 0xa0]));
    assert_eq!(entry(4), cells(&[0, 0x4000_0000, 0x8000_0004, 0, 0, 0x08]));
    assert_eq!(
        entry(7),
        cells(&[0, 0x7000_0000, 0x8000_0007, 0, u32::MAX, 0])
    );
    assert_eq!(
        t.get(n, "ibm,associativity-lookup-arrays"),
        Some(&cells(&[1, 4, 0, 0, 0, 0])[..])
    );
    // Not negotiated at all, or before CAS: no node.
    cfg.cas.as_mut().unwrap().ov5[ov5::DRCONF_MEMORY.0] = 0;
    assert_eq!(
        build(&cfg).find("/ibm,dynamic-reconfiguration-memory"),
        None
    );
    cfg.cas = None;
    assert_eq!(
        build(&cfg).find("/ibm,dynamic-reconfiguration-memory"),
        None
    );
}

#[test]
fn hotplug_fragments() {
    let mut cfg = hotplug_cfg(1 << 30, 4 << 30, vec![]);
    cfg.plugged_cores = vec![3];
    let t = build(&cfg);
    let boot = t.find("/cpus/PowerPC,POWER9@1").unwrap();
    assert!(t.find("/cpus/PowerPC,POWER9@2").is_none());
    let f = cpu_core_fragment(&cfg, 1);
    let n = f.child(Tree::ROOT).unwrap();
    assert_eq!(f.node(n).name, "PowerPC,POWER9@1");
    assert_eq!(f.node(n).children.len(), 0);
    assert_eq!(
        f.node(n).props[0],
        ("name".into(), b"PowerPC,POWER9@1\0".to_vec())
    );
    assert_eq!(f.node(n).props[1..], t.node(boot).props[..]);
    assert_eq!(f.get_u32(n, "cpu-version"), Some(PVR_ARCH_300));
    let hot = t.find("/cpus/PowerPC,POWER9@3").unwrap();
    assert_eq!(t.get_u32(hot, "ibm,my-drc-index"), Some(0x1000_0003));
    let f = cpu_core_fragment(&cfg, 0xa);
    assert_eq!(
        f.node(f.child(Tree::ROOT).unwrap()).name,
        "PowerPC,POWER9@a"
    );
    let f = lmb_fragment(&cfg, 0x5000_0000);
    let m = f.child(Tree::ROOT).unwrap();
    assert_eq!(f.node(m).name, "memory@50000000");
    assert_eq!(f.get(m, "ibm,associativity"), Some(&cells(&[1, 0])[..]));
    assert_eq!(
        f.get(m, "reg"),
        Some(&cells(&[0, 0x5000_0000, 0, 0x1000_0000])[..])
    );
    assert_eq!(f.get(m, "device_type"), Some(&b"memory\0"[..]));
    let d = dimm_fragments(&cfg, 1 << 30, 768 << 20);
    let idx: Vec<u32> = d.iter().map(|x| x.0).collect();
    assert_eq!(idx, [0x8000_0004, 0x8000_0005, 0x8000_0006]);
    assert_eq!(device_memory_base(0x6000_0000), 2 << 30);
    assert_eq!(device_memory_base(1 << 30), 1 << 30);
    assert_eq!(max_device_addr(&hotplug_cfg(1 << 30, 1 << 30, vec![])), 0);
}

#[test]
fn rtas_location() {
    let mut t = build(&TreeConfig::default());
    set_rtas_location(&mut t, 0x2fff_0000);
    let r = t.find("/rtas").unwrap();
    assert_eq!(t.get_u32(r, "linux,rtas-base"), Some(0x2fff_0000));
    assert_eq!(t.get_u32(r, "linux,rtas-entry"), Some(0x2fff_0000));
}
