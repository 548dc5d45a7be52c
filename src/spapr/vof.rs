//! The Open Firmware client interface, serviced on the host side the way
//! QEMU's "Virtual Open Firmware" does it (boot.md §2). The guest holds
//! only a five-instruction stub ([`CI_ENTRY_STUB`]) that turns a client
//! call into hypercall `KVMPPC_H_VOF_CLIENT` (0xf005) with r4 = the real
//! address of the argument block; [`Vof::client_call`] then performs the
//! service on the device tree ([`Tree`]) and writes the results back.
//!
//! The argument block (IEEE 1275-1994 §6.3.1, PowerPC binding §8.2) is
//! big-endian 32-bit cells: service-name pointer, nargs, nret, the
//! arguments, then room for the results. A block that cannot be read or
//! written, has more than 10 cells of arguments and results, or names its
//! service with more than 63 bytes makes the hcall return H_PARAMETER; a
//! service that fails (unknown path, property or handle, a buffer outside
//! RAM, a string without its NUL) returns -1 in its first result, as
//! IEEE 1275 asks. Every guest memory access is bounds-checked.
//!
//! The services are the 17 prom_init uses (finddevice, getprop,
//! getproplen, nextprop, setprop, peer, child, parent, package-to-path,
//! instance-to-package, instance-to-path, open, close, write, claim,
//! call-method, quiesce) plus release, milliseconds, exit and interpret
//! (always -1). `call-method` knows two methods: ibm,client-architecture-
//! support on the root instance (LoPAPR B.5.2), which negotiates the MMU,
//! interrupt controller and processor level and rebuilds the tree, and
//! instantiate-rtas on the /rtas instance, which copies [`RTAS_BLOB`] to
//! the requested address (in QEMU the guest-side firmware does that part).
//!
//! Memory bookkeeping follows QEMU's VOF: the firmware area and a 32 KiB
//! stack are claimed at reset, then the kernel and initrd; `claim` with an
//! alignment scans upward from the last claim; `/memory@0/available` is
//! rewritten after every claim and release. With the same claims the tree
//! matches QEMU's `dumpdtb` (see tests/devtree.rs).

use super::devtree::{self, Cas, CasError, TreeConfig, VTY_PATH};
use super::tree::{prop_name_valid, NodeId, Tree};
use std::collections::BTreeMap;
use std::time::Instant;

#[cfg(test)]
mod tests;

/// Hypercall number of a client-interface call.
pub const KVMPPC_H_VOF_CLIENT: u64 = 0xf005;
pub const H_SUCCESS: i64 = 0;
pub const H_PARAMETER: i64 = -4;

/// The client-interface entry, `firmware/vof-entry.S` assembled
/// (big-endian): `mr r4,r3; lis r3,0; ori r3,r3,0xf005; sc 1; blr`.
pub const CI_ENTRY_STUB: [u8; 20] = [
    0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63, 0xf0, 0x05, 0x44, 0x00, 0x00, 0x22,
    0x4e, 0x80, 0x00, 0x20,
];

/// The RTAS entry, `firmware/rtas-entry.S` assembled (big-endian):
/// `mr r4,r3; lis r3,0; ori r3,r3,0xf000; sc 1; blr` (KVMPPC_H_RTAS).
pub const RTAS_BLOB: [u8; 20] = [
    0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63, 0xf0, 0x00, 0x44, 0x00, 0x00, 0x22,
    0x4e, 0x80, 0x00, 0x20,
];

/// Firmware area claimed at reset, [0, FW_SIZE): the size of QEMU 7.2's
/// vof.bin, kept so the claim map and `available` match QEMU's.
pub const FW_SIZE: u64 = 0xda0;
/// Where [`Vof::install`] puts [`CI_ENTRY_STUB`] (vof.bin's entry point,
/// the r5 the kernel gets under QEMU).
pub const CI_ENTRY: u64 = 0x10c;
/// Size (and alignment) of the firmware stack claimed at reset.
pub const STACK_SIZE: u64 = 0x8000;

const PROM_ERROR: u32 = u32::MAX;
/// Most cells of arguments plus results (QEMU's limit).
const MAX_CELLS: u32 = 10;
/// Longest service name, NUL included.
const SERVICE_MAX: usize = 64;
/// Longest property name, NUL included.
const PROPNAME_MAX: usize = 65;
/// Longest path or method name, NUL included.
const PATH_MAX: usize = 256;
/// Largest value `setprop` accepts.
const SETPROP_MAX: u32 = 2048;
/// Cap on `write` lengths (a console write of more is a guest bug).
const WRITE_MAX: u32 = 1 << 20;

/// Why the client interface could not be set up.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VofError {
    #[error("memory for the {0} is in use or outside the real-mode area")]
    Claim(&'static str),
}

/// Registers the kernel is entered with on the client-interface path
/// (boot.md §1.3): 32-bit big-endian real mode, MSR = 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryState {
    pub pc: u64,
    pub msr: u64,
    /// Stack pointer: top of the firmware stack less a minimal frame.
    pub r1: u64,
    /// Initrd base and size (0 if none).
    pub r3: u64,
    pub r4: u64,
    /// The client-interface entry.
    pub r5: u64,
}

#[derive(Clone, Debug)]
struct Instance {
    phandle: u32,
    path: String,
}

/// Bounds-checked view of guest RAM (big-endian cells).
struct Mem<'a>(&'a mut [u8]);

impl Mem<'_> {
    fn range(&self, addr: u64, len: usize) -> Option<std::ops::Range<usize>> {
        let start = usize::try_from(addr).ok()?;
        let end = start.checked_add(len)?;
        (end <= self.0.len()).then_some(start..end)
    }
    fn read(&self, addr: u64, len: usize) -> Option<&[u8]> {
        self.range(addr, len).map(|r| &self.0[r])
    }
    fn write(&mut self, addr: u64, data: &[u8]) -> Option<()> {
        let r = self.range(addr, data.len())?;
        self.0[r].copy_from_slice(data);
        Some(())
    }
    fn cell(&self, addr: u64) -> Option<u32> {
        Some(u32::from_be_bytes(self.read(addr, 4)?.try_into().ok()?))
    }
    /// A NUL-terminated string of at most `max` bytes counting the NUL.
    fn cstr(&self, addr: u64, max: usize) -> Option<String> {
        let start = usize::try_from(addr).ok()?;
        let avail = self.0.get(start..)?;
        let s = &avail[..avail.len().min(max)];
        let n = s.iter().position(|&b| b == 0)?;
        String::from_utf8(s[..n].to_vec()).ok()
    }
}

/// The client interface and the tree it serves.
pub struct Vof {
    pub tree: Tree,
    cfg: TreeConfig,
    /// Claimed (start, size) ranges.
    claimed: Vec<(u64, u64)>,
    claimed_base: u64,
    top_addr: u64,
    stack_base: u64,
    instances: BTreeMap<u32, Instance>,
    last_ihandle: u32,
    /// Properties the client set: (node path, name, value), replayed on
    /// the tree CAS rebuilds.
    client_props: Vec<(String, String, Vec<u8>)>,
    quiesced: bool,
    exit_requested: bool,
    started: Instant,
}

/// Guest real address: EA bits 0:3 are ignored in real mode (boot.md §0.17).
fn real(addr: u64) -> u64 {
    addr & 0x0fff_ffff_ffff_ffff
}

impl Vof {
    /// Build the tree for `cfg` and do what QEMU's VOF does at machine
    /// reset: claim the firmware area, the stack, the kernel and the
    /// initrd, give every node a phandle, write `/memory@0/available` and
    /// open the console as `/chosen/stdout`.
    pub fn new(cfg: TreeConfig) -> Result<Vof, VofError> {
        let mut v = Vof {
            tree: Tree::new(),
            top_addr: cfg.ram_size.min(1 << 32),
            cfg,
            claimed: Vec::new(),
            claimed_base: 0,
            stack_base: 0,
            instances: BTreeMap::new(),
            last_ihandle: 0,
            client_props: Vec::new(),
            quiesced: false,
            exit_requested: false,
            started: Instant::now(),
        };
        v.claim(0, FW_SIZE, 0).ok_or(VofError::Claim("firmware"))?;
        v.stack_base = v
            .claim(0, STACK_SIZE, STACK_SIZE)
            .ok_or(VofError::Claim("stack"))?;
        if let Some((base, size)) = v.cfg.kernel.filter(|k| k.1 != 0) {
            v.claim(base, size, 0).ok_or(VofError::Claim("kernel"))?;
        }
        if let Some((base, size)) = v.cfg.initrd.filter(|i| i.1 != 0) {
            v.claim(base, size, 0).ok_or(VofError::Claim("initrd"))?;
        }
        v.rebuild();
        Ok(v)
    }

    /// The configuration the tree is built from (CAS and the client's
    /// bootargs/initrd updates included).
    pub fn config(&self) -> &TreeConfig {
        &self.cfg
    }

    /// The CAS outcome, once the client has called it.
    pub fn cas(&self) -> Option<&Cas> {
        self.cfg.cas.as_ref()
    }

    /// The client called `quiesce` (prom_init is about to enter the kernel
    /// with a flattened tree; the client interface is not used again).
    pub fn quiesced(&self) -> bool {
        self.quiesced
    }

    /// The client called `exit` (stop the machine).
    pub fn exit_requested(&self) -> bool {
        self.exit_requested
    }

    /// Claimed ranges, sorted by address.
    pub fn claimed(&self) -> &[(u64, u64)] {
        &self.claimed
    }

    /// Write the client-interface stub at [`CI_ENTRY`]. The caller must
    /// drop any translated code for that page.
    pub fn install(&self, ram: &mut [u8]) -> bool {
        Mem(ram).write(CI_ENTRY, &CI_ENTRY_STUB).is_some()
    }

    /// Kernel entry registers for the client-interface boot.
    pub fn entry_state(&self, kernel_entry: u64) -> EntryState {
        let (r3, r4) = self.cfg.initrd.unwrap_or((0, 0));
        EntryState {
            pc: kernel_entry,
            msr: 0,
            r1: self.stack_base + STACK_SIZE - 0x20,
            r3,
            r4,
            r5: CI_ENTRY,
        }
    }

    /// Rebuild the tree from the configuration and redo the VOF additions:
    /// phandles, `available`, a fresh console instance in `/chosen/stdout`,
    /// then the properties the client set.
    fn rebuild(&mut self) {
        self.tree = devtree::build(&self.cfg);
        self.tree.assign_phandles();
        self.update_available();
        if let Some(vty) = self.tree.find(VTY_PATH) {
            let ih = self.open_node(vty, VTY_PATH);
            let chosen = self.tree.find("/chosen").expect("tree has /chosen");
            self.tree
                .set_front(chosen, "stdout", ih.to_be_bytes().to_vec());
        }
        for (path, name, value) in &self.client_props {
            if let Some(n) = self.tree.find(path) {
                self.tree.set_front(n, name, value.clone());
            }
        }
    }

    /// Service one client-interface call whose argument block is at real
    /// address `args`; console output goes to `out`. Returns the hcall
    /// status (H_SUCCESS or H_PARAMETER).
    pub fn client_call(&mut self, ram: &mut [u8], args: u64, out: &mut dyn FnMut(&[u8])) -> i64 {
        let args = real(args);
        let mut mem = Mem(ram);
        let (Some(svc), Some(nargs), Some(nret)) = (
            mem.cell(args),
            mem.cell(args.wrapping_add(4)),
            mem.cell(args.wrapping_add(8)),
        ) else {
            return H_PARAMETER;
        };
        if nargs >= MAX_CELLS || nret > MAX_CELLS - nargs {
            return H_PARAMETER;
        }
        let mut argv = [0u32; MAX_CELLS as usize];
        for (i, a) in argv.iter_mut().enumerate().take(nargs as usize) {
            match mem.cell(args + 12 + 4 * i as u64) {
                Some(v) => *a = v,
                None => return H_PARAMETER,
            }
        }
        let Some(service) = mem.cstr(u64::from(svc), SERVICE_MAX) else {
            return H_PARAMETER;
        };
        let mut rets = [0u32; MAX_CELLS as usize];
        rets[0] = self.dispatch(&mut mem, &service, &argv, nargs, nret, &mut rets[1..], out);
        let mut bytes = Vec::with_capacity(4 * nret as usize);
        for r in &rets[..nret as usize] {
            bytes.extend_from_slice(&r.to_be_bytes());
        }
        match mem.write(args + 12 + 4 * u64::from(nargs), &bytes) {
            Some(()) => H_SUCCESS,
            None => H_PARAMETER,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &mut self,
        mem: &mut Mem,
        service: &str,
        a: &[u32; MAX_CELLS as usize],
        nargs: u32,
        nret: u32,
        extra: &mut [u32],
        out: &mut dyn FnMut(&[u8]),
    ) -> u32 {
        let ret = match (service, nargs, nret) {
            ("finddevice", 1, 1) => self.finddevice(mem, a[0]),
            ("getprop", 4, 1) => self.getprop(mem, a[0], a[1], a[2], a[3]),
            ("getproplen", 2, 1) => self.getproplen(mem, a[0], a[1]),
            ("setprop", 4, 1) => self.setprop(mem, a[0], a[1], a[2], a[3]),
            ("nextprop", 3, 1) => self.nextprop(mem, a[0], a[1], a[2]),
            ("peer", 1, 1) => self.peer(a[0]),
            ("child", 1, 1) => self
                .node(a[0])
                .and_then(|n| self.tree.child(n))
                .map_or(0, |c| self.ph(c)),
            ("parent", 1, 1) => self
                .node(a[0])
                .and_then(|n| self.tree.parent(n))
                .map_or(0, |p| self.ph(p)),
            ("open", 1, 1) => self.open(mem, a[0]),
            ("close", 1, _) => {
                if self.instances.remove(&a[0]).is_none() {
                    log::debug!(target: "vof", "close of unknown ihandle {:#x}", a[0]);
                }
                0
            }
            ("instance-to-package", 1, 1) => {
                self.instances.get(&a[0]).map_or(PROM_ERROR, |i| i.phandle)
            }
            ("package-to-path", 3, 1) => self.package_to_path(mem, a[0], a[1], a[2]),
            ("instance-to-path", 3, 1) => {
                let ph = self.instances.get(&a[0]).map_or(PROM_ERROR, |i| i.phandle);
                self.package_to_path(mem, ph, a[1], a[2])
            }
            ("write", 3, 1) => self.write(mem, a[0], a[1], a[2], out),
            ("claim", 3, 1) => {
                match self.claim(u64::from(a[0]), u64::from(a[1]), u64::from(a[2])) {
                    Some(addr) => {
                        self.update_available();
                        addr as u32
                    }
                    None => PROM_ERROR,
                }
            }
            ("release", 2, _) => {
                let hit = self
                    .claimed
                    .iter()
                    .position(|&c| c == (u64::from(a[0]), u64::from(a[1])));
                match hit {
                    Some(i) => {
                        self.claimed.remove(i);
                        self.update_available();
                        0
                    }
                    None => PROM_ERROR,
                }
            }
            ("call-method", _, _) => self.call_method(mem, a, extra),
            ("interpret", _, _) => PROM_ERROR,
            ("milliseconds", _, 1) => self.started.elapsed().as_millis() as u32,
            ("quiesce", _, _) => {
                self.quiesced = true;
                0
            }
            ("exit", _, _) => {
                log::warn!(target: "vof", "client called exit");
                self.exit_requested = true;
                0
            }
            _ => {
                log::debug!(target: "vof", "unknown service {service:?} ({nargs} in, {nret} out)");
                PROM_ERROR
            }
        };
        log::debug!(target: "vof", "{service}({:x?}) => {ret:#x}", &a[..nargs as usize]);
        ret
    }

    /// Node for a phandle.
    fn node(&self, ph: u32) -> Option<NodeId> {
        self.tree.by_phandle(ph)
    }

    /// Phandle of a node (every node has one after `rebuild`).
    fn ph(&self, id: NodeId) -> u32 {
        self.tree.phandle(id).unwrap_or(0)
    }

    fn finddevice(&self, mem: &Mem, path: u32) -> u32 {
        let Some(path) = mem.cstr(u64::from(path), PATH_MAX) else {
            return PROM_ERROR;
        };
        self.tree.find(&path).map_or(PROM_ERROR, |n| self.ph(n))
    }

    /// A property's value; "name" is synthesized from the node name
    /// without its unit address when the node has no such property.
    fn prop_value(&self, node: NodeId, name: &str) -> Option<Vec<u8>> {
        if let Some(v) = self.tree.get(node, name) {
            return Some(v.to_vec());
        }
        (name == "name").then(|| {
            let full = &self.tree.node(node).name;
            let mut v = full.split('@').next().unwrap_or("").as_bytes().to_vec();
            v.push(0);
            v
        })
    }

    fn getprop(&self, mem: &mut Mem, ph: u32, name: u32, buf: u32, len: u32) -> u32 {
        let Some(node) = self.node(ph) else {
            return PROM_ERROR;
        };
        let Some(name) = mem.cstr(u64::from(name), PROPNAME_MAX) else {
            return PROM_ERROR;
        };
        let Some(v) = self.prop_value(node, &name) else {
            return PROM_ERROR;
        };
        let n = v.len().min(len as usize);
        match mem.write(u64::from(buf), &v[..n]) {
            Some(()) => v.len() as u32,
            None => PROM_ERROR,
        }
    }

    fn getproplen(&self, mem: &Mem, ph: u32, name: u32) -> u32 {
        let Some(node) = self.node(ph) else {
            return PROM_ERROR;
        };
        let Some(name) = mem.cstr(u64::from(name), PROPNAME_MAX) else {
            return PROM_ERROR;
        };
        self.prop_value(node, &name)
            .map_or(PROM_ERROR, |v| v.len() as u32)
    }

    fn setprop(&mut self, mem: &Mem, ph: u32, name: u32, buf: u32, len: u32) -> u32 {
        if len > SETPROP_MAX {
            return PROM_ERROR;
        }
        let Some(name) = mem.cstr(u64::from(name), PROPNAME_MAX) else {
            return PROM_ERROR;
        };
        let Some(node) = self.node(ph) else {
            return PROM_ERROR;
        };
        let Some(value) = mem.read(u64::from(buf), len as usize).map(<[u8]>::to_vec) else {
            return PROM_ERROR;
        };
        if !prop_name_valid(&name) || name == "phandle" {
            return PROM_ERROR;
        }
        let path = self.tree.path_of(node);
        if path == "/chosen" && !self.note_chosen(&name, &value) {
            return PROM_ERROR;
        }
        self.tree.set_front(node, &name, value.clone());
        self.client_props
            .retain(|(p, n, _)| !(p == &path && n == &name));
        self.client_props.push((path, name, value));
        len
    }

    /// Track /chosen properties the machine cares about (as QEMU does);
    /// false for an initrd address that is neither 4 nor 8 bytes.
    fn note_chosen(&mut self, name: &str, value: &[u8]) -> bool {
        let num = || match value.len() {
            4 => Some(u64::from(u32::from_be_bytes(value.try_into().ok()?))),
            8 => Some(u64::from_be_bytes(value.try_into().ok()?)),
            _ => None,
        };
        match name {
            "bootargs" => {
                let s = value.split(|&b| b == 0).next().unwrap_or(&[]);
                self.cfg.bootargs = String::from_utf8_lossy(s).into_owned();
            }
            "linux,initrd-start" => {
                let Some(base) = num() else { return false };
                let (old, size) = self.cfg.initrd.unwrap_or((0, 0));
                self.cfg.initrd = Some((base, (old + size).saturating_sub(base)));
            }
            "linux,initrd-end" => {
                let Some(end) = num() else { return false };
                let base = self.cfg.initrd.map_or(0, |i| i.0);
                self.cfg.initrd = Some((base, end.saturating_sub(base)));
            }
            _ => {}
        }
        true
    }

    fn nextprop(&self, mem: &mut Mem, ph: u32, prev: u32, buf: u32) -> u32 {
        let Some(node) = self.node(ph) else {
            return PROM_ERROR;
        };
        let Some(prev) = mem.cstr(u64::from(prev), PROPNAME_MAX) else {
            return PROM_ERROR;
        };
        let Some(next) = self.tree.next_prop(node, &prev) else {
            return 0;
        };
        let mut v = next.as_bytes().to_vec();
        v.push(0);
        match mem.write(u64::from(buf), &v) {
            Some(()) => 1,
            None => PROM_ERROR,
        }
    }

    fn peer(&self, ph: u32) -> u32 {
        if ph == 0 {
            return self.ph(Tree::ROOT);
        }
        self.node(ph)
            .and_then(|n| self.tree.peer(n))
            .map_or(0, |p| self.ph(p))
    }

    fn open_node(&mut self, node: NodeId, path: &str) -> u32 {
        self.last_ihandle += 1;
        let ih = self.last_ihandle;
        self.instances.insert(
            ih,
            Instance {
                phandle: self.ph(node),
                path: path.to_string(),
            },
        );
        ih
    }

    fn open(&mut self, mem: &Mem, path: u32) -> u32 {
        let Some(path) = mem.cstr(u64::from(path), PATH_MAX) else {
            return PROM_ERROR;
        };
        match self.tree.find(&path) {
            Some(n) if self.last_ihandle < u32::MAX - 1 => self.open_node(n, &path),
            _ => PROM_ERROR,
        }
    }

    /// Full path into `buf` (at most `len` bytes); returns the path length
    /// including its NUL, as QEMU's VOF does.
    fn package_to_path(&self, mem: &mut Mem, ph: u32, buf: u32, len: u32) -> u32 {
        let Some(node) = self.node(ph) else {
            return PROM_ERROR;
        };
        let mut p = self.tree.path_of(node).into_bytes();
        p.push(0);
        let n = p.len().min(len as usize);
        match mem.write(u64::from(buf), &p[..n]) {
            Some(()) => p.len() as u32,
            None => PROM_ERROR,
        }
    }

    fn write(&self, mem: &Mem, ih: u32, buf: u32, len: u32, out: &mut dyn FnMut(&[u8])) -> u32 {
        if !self.instances.contains_key(&ih) || len > WRITE_MAX {
            return PROM_ERROR;
        }
        match mem.read(u64::from(buf), len as usize) {
            Some(bytes) => {
                out(bytes);
                len
            }
            None => PROM_ERROR,
        }
    }

    fn overlaps_claim(&self, start: u64, size: u64) -> bool {
        self.claimed
            .iter()
            .any(|&(s, n)| start < s + n && s < start + size)
    }

    /// IEEE 1275 `claim`: with `align` 0, exactly [virt, virt+size);
    /// otherwise the first `align`-aligned free range at or above the last
    /// claim (QEMU's search). Everything stays below min(RAM, 4 GiB).
    fn claim(&mut self, virt: u64, size: u64, align: u64) -> Option<u64> {
        if size == 0 {
            return None;
        }
        let addr = if align == 0 {
            if virt.checked_add(size)? > self.top_addr || self.overlaps_claim(virt, size) {
                return None;
            }
            virt
        } else {
            let mut base = self.claimed_base.div_ceil(align).checked_mul(align)?;
            loop {
                if base >= self.top_addr || base.checked_add(size)? > self.top_addr {
                    log::warn!(target: "vof", "out of real-mode memory for claim of {size:#x}");
                    return None;
                }
                if !self.overlaps_claim(base, size) {
                    break base;
                }
                base += size;
            }
        };
        self.claimed_base = self.claimed_base.max(addr + size);
        self.claimed.push((addr, size));
        self.claimed.sort_unstable();
        Some(addr)
    }

    /// `/memory@0/available`: the gaps after each claim, the last one up to
    /// the end of memory@0 (zero-sized gaps included, as in QEMU).
    fn update_available(&mut self) {
        let Some(mem0) = self.tree.find("/memory@0") else {
            return;
        };
        let end = match self.tree.get(mem0, "reg") {
            Some(r) if r.len() == 16 => {
                let b = |i: usize| u64::from_be_bytes(r[i..i + 8].try_into().unwrap_or_default());
                b(0).saturating_add(b(8))
            }
            _ => return,
        };
        let mut v = Vec::with_capacity(16 * self.claimed.len());
        for (i, &(s, n)) in self.claimed.iter().enumerate() {
            let start = s + n;
            let next = self.claimed.get(i + 1).map_or(end, |c| c.0);
            v.extend_from_slice(&start.to_be_bytes());
            v.extend_from_slice(&next.saturating_sub(start).to_be_bytes());
        }
        self.tree.set_front(mem0, "available", v);
    }

    fn call_method(
        &mut self,
        mem: &mut Mem,
        a: &[u32; MAX_CELLS as usize],
        extra: &mut [u32],
    ) -> u32 {
        let Some(inst) = self.instances.get(&a[1]).cloned() else {
            return PROM_ERROR;
        };
        let Some(method) = mem.cstr(u64::from(a[0]), PATH_MAX) else {
            return PROM_ERROR;
        };
        let node = self.node(inst.phandle);
        let is = |p: &str| node.is_some() && node == self.tree.find(p);
        let (ret, ret2) = match method.as_str() {
            "ibm,client-architecture-support" if is("/") => {
                match self.client_architecture_support(mem, a[2]) {
                    Ok(()) => (0, 0),
                    Err(e) => {
                        log::warn!(target: "vof", "ibm,client-architecture-support failed: {e}");
                        (PROM_ERROR, 0)
                    }
                }
            }
            "instantiate-rtas" if is("/rtas") => {
                let size = self
                    .tree
                    .find("/rtas")
                    .and_then(|r| self.tree.get_u32(r, "rtas-size"));
                let ok = size.is_some_and(|s| s as usize >= RTAS_BLOB.len())
                    && mem.write(u64::from(a[2]), &RTAS_BLOB).is_some();
                if ok {
                    (0, a[2])
                } else {
                    (PROM_ERROR, 0)
                }
            }
            _ => {
                log::debug!(target: "vof", "unknown method {method:?} on {}", inst.path);
                (PROM_ERROR, 0)
            }
        };
        if let Some(r) = extra.first_mut() {
            *r = ret2;
        }
        ret
    }

    /// ibm,client-architecture-support: pick the processor level from the
    /// PVR list, negotiate option vector 5, rebuild the tree.
    fn client_architecture_support(&mut self, mem: &Mem, vec: u32) -> Result<(), CasError> {
        let mut addr = u64::from(vec);
        let (mut explicit, mut best) = (false, 0u32);
        for _ in 0..512 {
            let mask = mem.cell(addr).ok_or(CasError::Malformed)?;
            let pvr = mem.cell(addr + 4).ok_or(CasError::Malformed)?;
            addr += 8;
            if pvr & !mask != 0 {
                break; // terminator: value bits outside its mask
            }
            if self.cfg.pvr & mask == pvr & mask {
                explicit = true;
            } else if (0x0f00_0002..=devtree::PVR_ARCH_300).contains(&pvr) && pvr > best {
                best = pvr; // ISA 2.05 .. 3.00 logical PVRs, what POWER9 can run
            }
        }
        if best == 0 && !explicit {
            return Err(CasError::NoPvr);
        }
        // Option vectors: count - 1, then [length - 1, bytes...] each.
        let count = usize::from(mem.read(addr, 1).ok_or(CasError::Malformed)?[0]) + 1;
        addr += 1;
        let mut guest = Vec::new();
        if count >= 5 {
            for _ in 0..4 {
                addr += u64::from(mem.read(addr, 1).ok_or(CasError::Malformed)?[0]) + 2;
            }
            let len = usize::from(mem.read(addr, 1).ok_or(CasError::Malformed)?[0]) + 2;
            guest = mem.read(addr, len).ok_or(CasError::Malformed)?.to_vec();
        }
        let cas = devtree::negotiate(&self.cfg, &guest, best)?;
        log::info!(
            target: "vof",
            "CAS: {} MMU, {}, cpu-version {:#x}",
            if cas.radix { "radix" } else { "hash" },
            if cas.xive { "XIVE" } else { "XICS" },
            if best != 0 { best } else { self.cfg.pvr }
        );
        self.cfg.cas = Some(cas);
        self.rebuild();
        Ok(())
    }
}
