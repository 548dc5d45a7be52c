//! Client-interface tests: argument blocks built in a RAM buffer, one per
//! service, plus malformed blocks that must give H_PARAMETER or -1 and
//! never panic.

use super::*;
use crate::spapr::devtree::{Cas, LINUX_OV5_RADIX_XICS, PVR_ARCH_300};

const RAM: usize = 1 << 20;
const BLOCK: u64 = 0x100;
const ERR: u32 = u32::MAX;

/// A guest with a bump allocator for strings and buffers from 0x20000.
struct Guest {
    ram: Vec<u8>,
    next: u64,
    console: Vec<u8>,
}

impl Guest {
    fn new() -> Guest {
        Guest {
            ram: vec![0; RAM],
            next: 0x2_0000,
            console: Vec::new(),
        }
    }

    fn alloc(&mut self, bytes: &[u8]) -> u32 {
        let a = self.next;
        self.ram[a as usize..a as usize + bytes.len()].copy_from_slice(bytes);
        self.next = (a + bytes.len() as u64 + 16) & !7;
        a as u32
    }

    fn str(&mut self, s: &str) -> u32 {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        self.alloc(&v)
    }

    fn buf(&mut self, len: usize) -> u32 {
        self.alloc(&vec![0xee; len])
    }

    fn read(&self, addr: u32, len: usize) -> &[u8] {
        &self.ram[addr as usize..addr as usize + len]
    }

    fn put_cells(&mut self, at: u64, cells: &[u32]) {
        for (i, c) in cells.iter().enumerate() {
            let o = at as usize + 4 * i;
            self.ram[o..o + 4].copy_from_slice(&c.to_be_bytes());
        }
    }

    /// Raw call: block at BLOCK with the given header.
    fn raw(
        &mut self,
        vof: &mut Vof,
        svc: u32,
        nargs: u32,
        nret: u32,
        args: &[u32],
    ) -> (i64, Vec<u32>) {
        self.put_cells(BLOCK, &[svc, nargs, nret]);
        self.put_cells(BLOCK + 12, args);
        self.put_cells(
            BLOCK + 12 + 4 * args.len() as u64,
            &vec![0xdead_beef; nret.min(10) as usize],
        );
        let console = &mut self.console;
        let rc = vof.client_call(&mut self.ram, BLOCK, &mut |b: &[u8]| {
            console.extend_from_slice(b)
        });
        let base = BLOCK as usize + 12 + 4 * args.len();
        let rets = (0..nret.min(10) as usize)
            .map(|i| {
                u32::from_be_bytes(self.ram[base + 4 * i..base + 4 * i + 4].try_into().unwrap())
            })
            .collect();
        (rc, rets)
    }

    fn call(&mut self, vof: &mut Vof, service: &str, args: &[u32], nret: u32) -> Vec<u32> {
        let svc = self.str(service);
        let (rc, rets) = self.raw(vof, svc, args.len() as u32, nret, args);
        assert_eq!(rc, H_SUCCESS, "{service}");
        rets
    }

    fn call1(&mut self, vof: &mut Vof, service: &str, args: &[u32]) -> u32 {
        self.call(vof, service, args, 1)[0]
    }

    fn find(&mut self, vof: &mut Vof, path: &str) -> u32 {
        let p = self.str(path);
        self.call1(vof, "finddevice", &[p])
    }

    fn getprop(&mut self, vof: &mut Vof, ph: u32, name: &str) -> Option<Vec<u8>> {
        let n = self.str(name);
        let buf = self.buf(4096);
        let len = self.call1(vof, "getprop", &[ph, n, buf, 4096]);
        (len != ERR).then(|| self.read(buf, len as usize).to_vec())
    }

    fn setprop(&mut self, vof: &mut Vof, ph: u32, name: &str, val: &[u8]) -> u32 {
        let n = self.str(name);
        let v = self.alloc(val);
        self.call1(vof, "setprop", &[ph, n, v, val.len() as u32])
    }
}

fn vof() -> Vof {
    Vof::new(TreeConfig {
        bootargs: "console=hvc0".into(),
        kernel: Some((0x40_0000, 0x287_c918)),
        initrd: Some((0x2c9_0000, 0x12_350c)),
        ..TreeConfig::default()
    })
    .unwrap()
}

fn be32(v: &[u8]) -> u32 {
    u32::from_be_bytes(v.try_into().unwrap())
}

#[test]
fn finddevice_and_properties() {
    let (mut v, mut g) = (vof(), Guest::new());
    let chosen = g.find(&mut v, "/chosen");
    assert_eq!(chosen, 0x1114, "QEMU's phandle numbering");
    assert_eq!(g.find(&mut v, "/"), 0x1112);
    assert_eq!(g.find(&mut v, "/interrupt-controller"), 0x1111);
    assert_eq!(g.find(&mut v, "/vdevice/vtpm"), ERR);
    assert_eq!(g.find(&mut v, "chosen"), ERR);
    let vty = g.find(&mut v, "/vdevice/vty@71000000");
    assert_eq!(g.find(&mut v, "/vdevice/vty"), vty);
    assert_eq!(
        g.getprop(&mut v, chosen, "bootargs").unwrap(),
        b"console=hvc0\0"
    );
    assert_eq!(g.getprop(&mut v, vty, "name").unwrap(), b"vty\0");
    assert_eq!(g.getprop(&mut v, 0x1112, "name").unwrap(), b"\0");
    assert_eq!(g.getprop(&mut v, vty, "device_type").unwrap(), b"serial\0");
    assert_eq!(g.getprop(&mut v, vty, "nope"), None);
    assert_eq!(g.getprop(&mut v, 0x4242, "name"), None);
    let n = g.str("compatible");
    assert_eq!(g.call1(&mut v, "getproplen", &[vty, n]), 8);
    let n = g.str("name");
    assert_eq!(g.call1(&mut v, "getproplen", &[vty, n]), 4);
    // A short buffer gets a prefix; the full length is returned.
    let (n, buf) = (g.str("compatible"), g.buf(8));
    assert_eq!(g.call1(&mut v, "getprop", &[vty, n, buf, 3]), 8);
    assert_eq!(g.read(buf, 4), b"hvt\xee");
    let stdout = be32(&g.getprop(&mut v, chosen, "stdout").unwrap());
    assert_eq!(stdout, 1);
    assert_eq!(g.call1(&mut v, "instance-to-package", &[stdout]), vty);
    assert_eq!(g.call1(&mut v, "instance-to-package", &[77]), ERR);
}

#[test]
fn nextprop_walk() {
    let (mut v, mut g) = (vof(), Guest::new());
    let vty = g.find(&mut v, "/vdevice/vty");
    let mut prev = g.str("");
    let mut names = Vec::new();
    loop {
        let buf = g.buf(64);
        match g.call1(&mut v, "nextprop", &[vty, prev, buf]) {
            1 => {
                let s = g.read(buf, 64);
                names.push(
                    String::from_utf8(s[..s.iter().position(|&b| b == 0).unwrap()].to_vec())
                        .unwrap(),
                );
                prev = buf;
            }
            0 => break,
            r => panic!("nextprop returned {r:#x}"),
        }
    }
    assert_eq!(
        names,
        ["phandle", "interrupts", "compatible", "device_type", "reg"]
    );
    let (p, b) = (g.str("zzz"), g.buf(64));
    assert_eq!(g.call1(&mut v, "nextprop", &[vty, p, b]), 0);
    assert_eq!(g.call1(&mut v, "nextprop", &[0x4242, p, b]), ERR);
}

#[test]
fn tree_walk_and_paths() {
    let (mut v, mut g) = (vof(), Guest::new());
    let root = g.call1(&mut v, "peer", &[0]);
    assert_eq!(root, 0x1112);
    assert_eq!(g.call1(&mut v, "parent", &[root]), 0);
    assert_eq!(g.call1(&mut v, "peer", &[root]), 0);
    assert_eq!(g.call1(&mut v, "child", &[0x4242]), 0);
    // Depth-first walk with child/peer/parent, the way prom_init does it.
    let mut seen = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        seen.push(n);
        let mut c = g.call1(&mut v, "child", &[n]);
        let mut kids = Vec::new();
        while c != 0 {
            assert_eq!(g.call1(&mut v, "parent", &[c]), n);
            kids.push(c);
            c = g.call1(&mut v, "peer", &[c]);
        }
        stack.extend(kids.iter().rev());
    }
    assert_eq!(seen.len(), v.tree.len());
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "phandles are unique");

    let vty = g.find(&mut v, "/vdevice/vty");
    let buf = g.buf(256);
    assert_eq!(g.call1(&mut v, "package-to-path", &[vty, buf, 256]), 22);
    assert_eq!(g.read(buf, 22), b"/vdevice/vty@71000000\0");
    let small = g.buf(8);
    assert_eq!(g.call1(&mut v, "package-to-path", &[vty, small, 4]), 22);
    assert_eq!(g.read(small, 5), b"/vde\xee");
    assert_eq!(g.call1(&mut v, "instance-to-path", &[1, buf, 256]), 22);
    assert_eq!(g.call1(&mut v, "instance-to-path", &[99, buf, 256]), ERR);
    assert_eq!(g.call1(&mut v, "package-to-path", &[0x4242, buf, 256]), ERR);
}

#[test]
fn open_close_write() {
    let (mut v, mut g) = (vof(), Guest::new());
    let p = g.str("/rtas");
    let ih = g.call1(&mut v, "open", &[p]);
    assert_eq!(ih, 2);
    let p = g.str("/nonexistent");
    assert_eq!(g.call1(&mut v, "open", &[p]), ERR);
    let msg = g.alloc(b"Preparing to boot");
    assert_eq!(g.call1(&mut v, "write", &[1, msg, 17]), 17);
    assert_eq!(g.console, b"Preparing to boot");
    assert_eq!(g.call1(&mut v, "write", &[42, msg, 3]), ERR);
    assert_eq!(g.call1(&mut v, "write", &[1, RAM as u32 - 2, 3]), ERR);
    assert!(g.call(&mut v, "close", &[ih], 0).is_empty());
    assert_eq!(g.call1(&mut v, "instance-to-package", &[ih]), ERR);
    g.call(&mut v, "close", &[ih], 0); // unknown: ignored
}

#[test]
fn setprop_rules_and_cas_carry_over() {
    let (mut v, mut g) = (vof(), Guest::new());
    let chosen = g.find(&mut v, "/chosen");
    let rtas = g.find(&mut v, "/rtas");
    assert_eq!(
        g.setprop(
            &mut v,
            chosen,
            "linux,initrd-start",
            &0x2c9_0000u64.to_be_bytes()
        ),
        8
    );
    assert_eq!(
        g.setprop(
            &mut v,
            chosen,
            "linux,initrd-end",
            &0x2db_350cu64.to_be_bytes()
        ),
        8
    );
    assert_eq!(
        g.setprop(&mut v, chosen, "linux,initrd-end", &[1, 2, 3]),
        ERR
    );
    assert_eq!(g.setprop(&mut v, chosen, "bootargs", b"quiet\0"), 6);
    assert_eq!(g.setprop(&mut v, chosen, "bad name!", b"x"), ERR);
    assert_eq!(g.setprop(&mut v, chosen, "phandle", &[0, 0, 0, 1]), ERR);
    assert_eq!(g.setprop(&mut v, 0x4242, "x", b"x"), ERR);
    assert_eq!(g.setprop(&mut v, chosen, "big", &vec![0; 2049]), ERR);
    assert_eq!(g.setprop(&mut v, rtas, "my-note", b"kept\0"), 5);
    assert_eq!(v.config().bootargs, "quiet");
    assert_eq!(v.config().initrd, Some((0x2c9_0000, 0x12_350c)));
    // A new property goes first, as with libfdt.
    let (e, b) = (g.str(""), g.buf(64));
    assert_eq!(g.call1(&mut v, "nextprop", &[rtas, e, b]), 1);
    assert_eq!(g.read(b, 8), b"my-note\0");

    let root_ih = {
        let p = g.str("/");
        g.call1(&mut v, "open", &[p])
    };
    let vec = linux_vector(&mut g);
    let m = g.str("ibm,client-architecture-support");
    assert_eq!(g.call(&mut v, "call-method", &[m, root_ih, vec], 2), [0, 0]);
    let cas = v.cas().unwrap().clone();
    assert!(cas.radix && !cas.xive);
    assert_eq!(cas.compat_pvr, PVR_ARCH_300);
    assert_eq!(cas, Cas::radix_xics());

    let chosen = g.find(&mut v, "/chosen");
    assert_eq!(chosen, 0x1114, "phandles are stable across CAS");
    let vec5 = g.getprop(&mut v, chosen, "ibm,architecture-vec-5").unwrap();
    assert_eq!(vec5, devtree::architecture_vec5(&cas));
    assert_eq!(
        (vec5.len(), vec5[23], vec5[24], vec5[26]),
        (27, 0, 0x40, 0x40)
    );
    assert_eq!(g.getprop(&mut v, chosen, "bootargs").unwrap(), b"quiet\0");
    assert_eq!(
        g.getprop(&mut v, chosen, "linux,initrd-end").unwrap(),
        0x2db_350cu64.to_be_bytes()
    );
    assert_eq!(g.getprop(&mut v, rtas, "my-note").unwrap(), b"kept\0");
    assert_eq!(
        be32(&g.getprop(&mut v, chosen, "stdout").unwrap()),
        3,
        "CAS reopens stdout"
    );
    let cpu = g.find(&mut v, "/cpus/PowerPC,POWER9@0");
    assert_eq!(
        be32(&g.getprop(&mut v, cpu, "cpu-version").unwrap()),
        PVR_ARCH_300
    );
    // Old instances survive the rebuild.
    let msg = g.alloc(b"ok");
    assert_eq!(g.call1(&mut v, "write", &[1, msg, 2]), 2);
    g.call(&mut v, "close", &[root_ih], 0);
    // CAS on a non-root instance is an unknown method.
    let p = g.str("/rtas");
    let rtas_ih = g.call1(&mut v, "open", &[p]);
    assert_eq!(
        g.call(&mut v, "call-method", &[m, rtas_ih, vec], 2),
        [ERR, 0]
    );
}

/// Linux 6.1's ibm,architecture-vec as in boot.md §2.4, in guest memory.
fn linux_vector(g: &mut Guest) -> u32 {
    let pvrs: [(u32, u32); 14] = [
        (0xfffe_0000, 0x003a_0000),
        (0xffff_0000, 0x003e_0000),
        (0xffff_0000, 0x003f_0000),
        (0xffff_0000, 0x004b_0000),
        (0xffff_0000, 0x004c_0000),
        (0xffff_0000, 0x004d_0000),
        (0xffff_0000, 0x004e_0000),
        (0xffff_0000, 0x0080_0000),
        (0xffff_ffff, 0x0f00_0006),
        (0xffff_ffff, 0x0f00_0005),
        (0xffff_ffff, 0x0f00_0004),
        (0xffff_ffff, 0x0f00_0003),
        (0xffff_ffff, 0x0f00_0002),
        (0xffff_fffe, 0x0f00_0001),
    ];
    let mut v = Vec::new();
    for (m, p) in pvrs {
        v.extend_from_slice(&m.to_be_bytes());
        v.extend_from_slice(&p.to_be_bytes());
    }
    v.push(5); // six vectors
    v.extend_from_slice(&[2, 0x00, 0xff, 0xc0]);
    v.extend_from_slice(&[0x20, 0x20, 0, 0]);
    for _ in 0..5 {
        v.extend_from_slice(&[0xff; 4]);
    }
    v.extend_from_slice(&[0, 0, 2, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x30]);
    v.extend_from_slice(&[1, 0x00, 0xe0]);
    v.extend_from_slice(&[1, 0x00, 0x01]);
    v.extend_from_slice(&LINUX_OV5_RADIX_XICS);
    v.extend_from_slice(&[2, 0x00, 0x00, 0x02]);
    g.alloc(&v)
}

#[test]
fn cas_rejects_bad_vectors() {
    let (mut v, mut g) = (vof(), Guest::new());
    let p = g.str("/");
    let ih = g.call1(&mut v, "open", &[p]);
    let m = g.str("ibm,client-architecture-support");
    // No PVR we can run: one foreign entry then a terminator.
    let bad = g.alloc(&[
        0xff, 0xff, 0, 0, 0x00, 0x3a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
    ]);
    assert_eq!(g.call(&mut v, "call-method", &[m, ih, bad], 2)[0], ERR);
    // Vector running off the end of RAM.
    assert_eq!(
        g.call(&mut v, "call-method", &[m, ih, RAM as u32 - 4], 2)[0],
        ERR
    );
    assert!(v.cas().is_none());
    // Only the real PVR (raw mode), fewer than 5 vectors: radix, raw PVR.
    let raw = g.alloc(&[
        0xff, 0xff, 0, 0, 0x00, 0x4e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    ]);
    assert_eq!(g.call(&mut v, "call-method", &[m, ih, raw], 2), [0, 0]);
    assert_eq!(v.cas().unwrap().compat_pvr, 0);
    let cpu = g.find(&mut v, "/cpus/PowerPC,POWER9@0");
    assert_eq!(
        be32(&g.getprop(&mut v, cpu, "cpu-version").unwrap()),
        devtree::DEFAULT_PVR
    );
}

#[test]
fn instantiate_rtas_and_misc() {
    let (mut v, mut g) = (vof(), Guest::new());
    let p = g.str("/rtas");
    let ih = g.call1(&mut v, "open", &[p]);
    let m = g.str("instantiate-rtas");
    assert_eq!(
        g.call(&mut v, "call-method", &[m, ih, 0x8_0000], 2),
        [0, 0x8_0000]
    );
    assert_eq!(g.read(0x8_0000, 20), RTAS_BLOB);
    assert_eq!(
        g.call(&mut v, "call-method", &[m, ih, RAM as u32 - 8], 2),
        [ERR, 0]
    );
    assert_eq!(
        g.call(&mut v, "call-method", &[m, 1, 0x8_0000], 2),
        [ERR, 0],
        "on the vty"
    );
    assert_eq!(
        g.call(&mut v, "call-method", &[m, 0, 0x8_0000], 2),
        [ERR, 0]
    );
    let other = g.str("frobnicate");
    assert_eq!(g.call(&mut v, "call-method", &[other, ih, 0], 2), [ERR, 0]);
    let cmd = g.str("device-end");
    assert_eq!(g.call(&mut v, "interpret", &[cmd], 2)[0], ERR);
    assert!(g.call1(&mut v, "milliseconds", &[]) < 60_000);
    assert_eq!(g.call1(&mut v, "no-such-service", &[]), ERR);
    // Known service with the wrong argument count is unknown.
    let n = g.str("name");
    assert_eq!(g.call1(&mut v, "getprop", &[0x1112, n, 0]), ERR);
    assert!(!v.quiesced());
    g.call(&mut v, "quiesce", &[], 0);
    assert!(v.quiesced());
    g.call(&mut v, "exit", &[], 0);
    assert!(v.exit_requested());
}

#[test]
fn claim_release_and_available() {
    let (mut v, mut g) = (vof(), Guest::new());
    // QEMU's reset-time map for this kernel and initrd.
    let avail = |g: &mut Guest, v: &mut Vof| {
        let mem = g.find(v, "/memory@0");
        let a = g.getprop(v, mem, "available").unwrap();
        a.chunks(8)
            .map(|c| u64::from_be_bytes(c.try_into().unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        avail(&mut g, &mut v),
        [
            0xda0,
            0x7260,
            0x1_0000,
            0x3f_0000,
            0x2c7_c918,
            0x1_36e8,
            0x2db_350c,
            0x3d24_caf4
        ]
    );
    assert_eq!(
        g.call1(&mut v, "claim", &[0x2fff_0000, 0x82c, 0]),
        0x2fff_0000
    );
    assert_eq!(
        g.call1(&mut v, "claim", &[0x2fff_0100, 0x10, 0]),
        ERR,
        "overlap"
    );
    assert_eq!(
        g.call1(&mut v, "claim", &[0x2dc_0000, 0x10_0000, 0]),
        0x2dc_0000
    );
    assert_eq!(g.call1(&mut v, "claim", &[0, 0, 0]), ERR, "size 0");
    assert_eq!(
        g.call1(&mut v, "claim", &[0x3fff_f000, 0x2000, 0]),
        ERR,
        "past RAM"
    );
    // Aligned: searched upward from the last claim.
    let a = g.call1(&mut v, "claim", &[0, 0x1000, 0x1_0000]);
    assert_eq!(a, 0x3000_0000);
    let a = avail(&mut g, &mut v);
    assert_eq!(a.len(), 14);
    assert_eq!(
        &a[8..],
        [
            0x2ec_0000,
            0x2d13_0000,
            0x2fff_082c,
            0xf7d4,
            0x3000_1000,
            0xfff_f000
        ]
    );
    assert!(g.call(&mut v, "release", &[0x3000_0000, 0x1000], 1)[0] == 0);
    assert!(g.call(&mut v, "release", &[0x3000_0000, 0x1000], 1)[0] == ERR);
    assert_eq!(avail(&mut g, &mut v).len(), 12);
    assert_eq!(v.claimed().len(), 6);
    // A client rewriting memory@0's reg cannot make the bookkeeping overflow.
    let mem = g.find(&mut v, "/memory@0");
    assert_eq!(g.setprop(&mut v, mem, "reg", &[0xff; 16]), 16);
    assert_eq!(
        g.call1(&mut v, "claim", &[0x3800_0000, 0x1000, 0]),
        0x3800_0000
    );
}

#[test]
fn entry_state_and_install() {
    let v = vof();
    let e = v.entry_state(0x40_0000);
    assert_eq!(
        e,
        EntryState {
            pc: 0x40_0000,
            msr: 0,
            r1: 0xffe0,
            r3: 0x2c9_0000,
            r4: 0x12_350c,
            r5: 0x10c
        }
    );
    let mut ram = vec![0u8; 0x1000];
    assert!(v.install(&mut ram));
    assert_eq!(&ram[0x10c..0x120], CI_ENTRY_STUB);
    assert!(!v.install(&mut [0u8; 0x110]));
    let tiny = TreeConfig {
        ram_size: 0x4000,
        ..TreeConfig::default()
    };
    assert_eq!(Vof::new(tiny).err(), Some(VofError::Claim("stack")));
}

#[test]
fn malformed_blocks_are_h_parameter() {
    let (mut v, mut g) = (vof(), Guest::new());
    let svc = g.str("finddevice");
    let p = g.str("/chosen");
    let out = &mut |_: &[u8]| {};
    assert_eq!(
        v.client_call(&mut g.ram, RAM as u64 - 8, out),
        H_PARAMETER,
        "header past RAM"
    );
    assert_eq!(v.client_call(&mut g.ram, u64::MAX, out), H_PARAMETER);
    assert_eq!(
        g.raw(&mut v, svc, 10, 0, &[p; 10]).0,
        H_PARAMETER,
        "nargs too large"
    );
    assert_eq!(
        g.raw(&mut v, svc, 1, 10, &[p]).0,
        H_PARAMETER,
        "nret too large"
    );
    assert_eq!(g.raw(&mut v, svc, u32::MAX, 1, &[p]).0, H_PARAMETER);
    assert_eq!(g.raw(&mut v, svc, 1, u32::MAX, &[p]).0, H_PARAMETER);
    assert_eq!(
        g.raw(&mut v, RAM as u32 + 5, 1, 1, &[p]).0,
        H_PARAMETER,
        "service outside RAM"
    );
    let long = g.alloc(&[b'a'; 64]);
    assert_eq!(
        g.raw(&mut v, long, 1, 1, &[p]).0,
        H_PARAMETER,
        "unterminated service name"
    );
    let end = RAM as u32 - 3;
    g.ram[end as usize..].copy_from_slice(b"abc");
    assert_eq!(
        g.raw(&mut v, end, 1, 1, &[p]).0,
        H_PARAMETER,
        "name runs off RAM"
    );
    // The results do not fit in RAM.
    g.put_cells(RAM as u64 - 16, &[svc, 1, 1, p]);
    assert_eq!(v.client_call(&mut g.ram, RAM as u64 - 16, out), H_PARAMETER);
    // Bad pointers inside a well-formed block are service failures.
    assert_eq!(g.call1(&mut v, "finddevice", &[RAM as u32]), ERR);
    let unterminated = g.alloc(&[b'/'; 300]);
    assert_eq!(g.call1(&mut v, "finddevice", &[unterminated]), ERR);
    let chosen = g.find(&mut v, "/chosen");
    let n = g.str("bootargs");
    assert_eq!(
        g.call1(&mut v, "getprop", &[chosen, n, RAM as u32 - 2, 100]),
        ERR
    );
    assert_eq!(g.call1(&mut v, "getprop", &[chosen, RAM as u32, 0, 0]), ERR);
    assert_eq!(
        g.call1(&mut v, "setprop", &[chosen, n, RAM as u32 - 2, 100]),
        ERR
    );
    assert_eq!(g.call1(&mut v, "nextprop", &[chosen, RAM as u32, 0]), ERR);
    let e = g.str("");
    assert_eq!(g.call1(&mut v, "nextprop", &[chosen, e, u32::MAX]), ERR);
    assert_eq!(
        g.call1(&mut v, "package-to-path", &[chosen, u32::MAX - 3, 100]),
        ERR
    );
    assert_eq!(g.call1(&mut v, "open", &[u32::MAX]), ERR);
    // High address bits are ignored (real mode).
    let svc2 = g.str("peer");
    g.put_cells(BLOCK, &[svc2, 1, 1, 0, 0]);
    assert_eq!(
        v.client_call(&mut g.ram, 0xc000_0000_0000_0000 | BLOCK, out),
        H_SUCCESS
    );
    assert_eq!(
        be32(&g.ram[BLOCK as usize + 16..BLOCK as usize + 20]),
        0x1112
    );
}

#[test]
fn random_blocks_never_panic() {
    let mut v = vof();
    let mut g = Guest::new();
    let names = [
        "finddevice",
        "getprop",
        "getproplen",
        "setprop",
        "nextprop",
        "peer",
        "child",
        "parent",
        "package-to-path",
        "instance-to-package",
        "instance-to-path",
        "open",
        "close",
        "write",
        "claim",
        "release",
        "call-method",
        "interpret",
        "milliseconds",
        "quiesce",
        "exit",
    ];
    let svcs: Vec<u32> = names.iter().map(|n| g.str(n)).collect();
    let methods = [
        g.str("ibm,client-architecture-support"),
        g.str("instantiate-rtas"),
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let out = &mut |_: &[u8]| {};
    for _ in 0..20_000 {
        let svc = svcs[rnd() as usize % svcs.len()];
        let nargs = (rnd() % 6) as u32;
        let nret = (rnd() % 4) as u32;
        let mut cells = [svc, nargs, nret, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        for c in &mut cells[3..] {
            *c = match rnd() % 6 {
                0 => rnd() as u32,
                1 => (rnd() % RAM as u64) as u32,
                2 => 0x1111 + (rnd() % 20) as u32,
                3 => methods[(rnd() % 2) as usize],
                4 => (rnd() % 4) as u32,
                _ => RAM as u32 - (rnd() % 64) as u32,
            };
        }
        if cells[3] == methods[0] || cells[3] == methods[1] {
            cells[4] = (rnd() % 6) as u32; // a plausible ihandle
        }
        let at = 0x1000 + 4 * (rnd() % 0x1000);
        g.put_cells(at, &cells);
        let rc = v.client_call(&mut g.ram, at, out);
        assert!(rc == H_SUCCESS || rc == H_PARAMETER);
    }
}
