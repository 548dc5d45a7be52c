//! An editable, in-memory device tree: an arena of nodes, each with a name
//! (`name@unit-address`), an ordered list of properties, its children in
//! order and its parent. The pseries builder (`devtree`) fills it, the
//! client interface (`vof`) walks and edits it the way IEEE 1275 clients
//! expect (phandles, child/peer/parent, nextprop), and [`Tree::to_fdt`]
//! flattens it into a version 17 flattened device tree (Devicetree
//! Specification v0.4, chapter 5) for the direct-boot path and for
//! `dumpdtb`.
//!
//! Phandles are ordinary `phandle` properties, as in an FDT; nodes without
//! one have no package handle until [`Tree::assign_phandles`] runs.
//! [`Tree::set_front`] inserts a new property at the front of the list,
//! which is where libfdt's `fdt_setprop` puts it; QEMU's tree (and so the
//! order prom_init sees through `nextprop`) is the result of that rule.
//!
//! The flattener is our own: `vm-fdt` 0.3 refuses property names longer
//! than 31 characters (the Devicetree Specification's limit), but PAPR
//! names such as `ibm,associativity-reference-points` are longer and Linux
//! needs them.

/// Index of a node in the arena.
pub type NodeId = usize;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// Node name with its unit address (`vty@71000000`); empty for the root.
    pub name: String,
    pub props: Vec<(String, Vec<u8>)>,
    pub children: Vec<NodeId>,
    pub parent: Option<NodeId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

/// Longest node or property name we accept (the FDT format has no limit;
/// QEMU's VOF reads property names into a 64-byte buffer).
pub const NAME_MAX: usize = 64;

/// True if `name` can be a property name: 1..=64 characters from the
/// Devicetree Specification's set (§2.2.4), which is all PAPR uses.
pub fn prop_name_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= NAME_MAX
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b",._+?#-".contains(&c))
}

/// True if `name` can be a node name: `base[@unit]`, base starting with a
/// letter (Devicetree Specification §2.2.1).
pub fn node_name_valid(name: &str) -> bool {
    let (base, unit) = match name.split_once('@') {
        Some((b, u)) => (b, Some(u)),
        None => (name, None),
    };
    let ok = |c: u8| c.is_ascii_alphanumeric() || b",._+-".contains(&c);
    name.len() <= NAME_MAX
        && base.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
        && base.bytes().all(ok)
        && unit.is_none_or(|u| !u.is_empty() && u.bytes().all(ok))
}

/// Big-endian 32-bit cells.
pub fn cells(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|c| c.to_be_bytes()).collect()
}

/// A NUL-terminated string list (`"a\0b\0"`).
pub fn strings(v: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in v {
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    out
}

/// Lower-case the unit-address part of every path component, as QEMU's
/// VOF does before looking a path up (IEEE 1275 PowerPC binding: unit
/// addresses use lower-case hex digits).
pub fn lower_unit_addresses(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_unit = false;
    for c in path.chars() {
        match c {
            '/' => in_unit = false,
            '@' => in_unit = true,
            _ => {}
        }
        out.push(if in_unit { c.to_ascii_lowercase() } else { c });
    }
    out
}

impl Tree {
    /// The root node.
    pub const ROOT: NodeId = 0;

    /// A tree holding only an empty root.
    pub fn new() -> Tree {
        Tree {
            nodes: vec![Node::default()],
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// Whether `id` names a node of this tree.
    pub fn contains(&self, id: NodeId) -> bool {
        id < self.nodes.len()
    }

    /// Add a child at the end of `parent`'s children. The name must be a
    /// valid node name and unique among its siblings (emulator bug
    /// otherwise).
    pub fn add_node(&mut self, parent: NodeId, name: &str) -> NodeId {
        assert!(node_name_valid(name), "invalid node name {name:?}");
        assert!(
            self.nodes[parent]
                .children
                .iter()
                .all(|&c| self.nodes[c].name != name),
            "duplicate node {name:?}"
        );
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: name.to_string(),
            parent: Some(parent),
            ..Node::default()
        });
        self.nodes[parent].children.push(id);
        id
    }

    /// The child of `parent` that a path component selects, with libfdt's
    /// rule: an exact name match, or, for a component without `@`, the
    /// first child whose name is the component followed by `@unit`.
    pub fn find_child(&self, parent: NodeId, component: &str) -> Option<NodeId> {
        self.nodes[parent].children.iter().copied().find(|&c| {
            let name = self.nodes[c].name.as_str();
            name == component
                || (!component.contains('@')
                    && name
                        .strip_prefix(component)
                        .is_some_and(|rest| rest.starts_with('@')))
        })
    }

    /// Look up an absolute path. Unit addresses are compared in lower case;
    /// repeated or trailing slashes are ignored. Relative paths (aliases)
    /// are not supported and give `None`.
    pub fn find(&self, path: &str) -> Option<NodeId> {
        if !path.starts_with('/') {
            return None;
        }
        let path = lower_unit_addresses(path);
        path.split('/')
            .filter(|c| !c.is_empty())
            .try_fold(Tree::ROOT, |node, comp| self.find_child(node, comp))
    }

    /// Full path of a node (`/` for the root).
    pub fn path_of(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut n = id;
        while let Some(p) = self.nodes[n].parent {
            parts.push(self.nodes[n].name.as_str());
            n = p;
        }
        if parts.is_empty() {
            return "/".to_string();
        }
        parts.iter().rev().fold(String::new(), |mut s, p| {
            s.push('/');
            s.push_str(p);
            s
        })
    }

    /// Value of a property.
    pub fn get(&self, id: NodeId, name: &str) -> Option<&[u8]> {
        self.nodes[id]
            .props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// A property holding one big-endian 32-bit cell.
    pub fn get_u32(&self, id: NodeId, name: &str) -> Option<u32> {
        let v = self.get(id, name)?;
        Some(u32::from_be_bytes(v.try_into().ok()?))
    }

    /// Set a property: replaced in place if it exists, appended otherwise.
    pub fn set(&mut self, id: NodeId, name: &str, value: Vec<u8>) {
        debug_assert!(prop_name_valid(name), "invalid property name {name:?}");
        let props = &mut self.nodes[id].props;
        match props.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = value,
            None => props.push((name.to_string(), value)),
        }
    }

    /// Set a property the way libfdt's `fdt_setprop` does: replaced in
    /// place if it exists, inserted before all others otherwise.
    pub fn set_front(&mut self, id: NodeId, name: &str, value: Vec<u8>) {
        debug_assert!(prop_name_valid(name), "invalid property name {name:?}");
        let props = &mut self.nodes[id].props;
        match props.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = value,
            None => props.insert(0, (name.to_string(), value)),
        }
    }

    /// Remove a property, returning its value.
    pub fn remove(&mut self, id: NodeId, name: &str) -> Option<Vec<u8>> {
        let props = &mut self.nodes[id].props;
        let i = props.iter().position(|(n, _)| n == name)?;
        Some(props.remove(i).1)
    }

    pub fn set_u32(&mut self, id: NodeId, name: &str, v: u32) {
        self.set(id, name, v.to_be_bytes().to_vec());
    }

    pub fn set_u64(&mut self, id: NodeId, name: &str, v: u64) {
        self.set(id, name, v.to_be_bytes().to_vec());
    }

    /// A list of 32-bit cells.
    pub fn set_cells(&mut self, id: NodeId, name: &str, v: &[u32]) {
        self.set(id, name, cells(v));
    }

    /// A list of 64-bit values, each as two cells.
    pub fn set_u64s(&mut self, id: NodeId, name: &str, v: &[u64]) {
        self.set(id, name, v.iter().flat_map(|c| c.to_be_bytes()).collect());
    }

    /// A NUL-terminated string.
    pub fn set_str(&mut self, id: NodeId, name: &str, s: &str) {
        self.set(id, name, strings(&[s]));
    }

    /// A string list.
    pub fn set_strs(&mut self, id: NodeId, name: &str, v: &[&str]) {
        self.set(id, name, strings(v));
    }

    /// An empty (boolean) property.
    pub fn set_empty(&mut self, id: NodeId, name: &str) {
        self.set(id, name, Vec::new());
    }

    /// The node's phandle (its `phandle` property), if it has one.
    pub fn phandle(&self, id: NodeId) -> Option<u32> {
        self.get_u32(id, "phandle")
            .filter(|&p| p != 0 && p != u32::MAX)
    }

    /// Give a node a phandle (as libfdt would add the property).
    pub fn set_phandle(&mut self, id: NodeId, ph: u32) {
        self.set_front(id, "phandle", ph.to_be_bytes().to_vec());
    }

    /// The node with this phandle.
    pub fn by_phandle(&self, ph: u32) -> Option<NodeId> {
        if ph == 0 || ph == u32::MAX {
            return None;
        }
        (0..self.nodes.len()).find(|&id| self.phandle(id) == Some(ph))
    }

    /// Largest phandle in use (0 if none).
    pub fn max_phandle(&self) -> u32 {
        (0..self.nodes.len())
            .filter_map(|id| self.phandle(id))
            .max()
            .unwrap_or(0)
    }

    /// Give every node without a phandle the next free one, in depth-first
    /// pre-order starting after the largest phandle in use (what QEMU's
    /// VOF does at reset and after CAS, so the numbers match QEMU's for
    /// the same tree shape).
    pub fn assign_phandles(&mut self) {
        let mut next = self.max_phandle();
        for id in self.dfs() {
            if self.phandle(id).is_none() {
                next += 1;
                self.set_phandle(id, next);
            }
        }
    }

    /// All nodes in depth-first pre-order (FDT order).
    pub fn dfs(&self) -> Vec<NodeId> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![Tree::ROOT];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev());
        }
        out
    }

    /// First child.
    pub fn child(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id].children.first().copied()
    }

    /// Next sibling.
    pub fn peer(&self, id: NodeId) -> Option<NodeId> {
        let sibs = &self.nodes[self.nodes[id].parent?].children;
        let i = sibs.iter().position(|&c| c == id)?;
        sibs.get(i + 1).copied()
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes[id].parent
    }

    /// The property after `prev` (the first one if `prev` is empty); `None`
    /// at the end or if `prev` is not a property of the node.
    pub fn next_prop(&self, id: NodeId, prev: &str) -> Option<&str> {
        let props = &self.nodes[id].props;
        let i = if prev.is_empty() {
            0
        } else {
            props.iter().position(|(n, _)| n == prev)? + 1
        };
        props.get(i).map(|(n, _)| n.as_str())
    }

    /// Flatten into an FDT (version 17, last compatible version 16) with
    /// the given boot CPU and memory reservations (overlapping or adjacent
    /// ranges are merged, empty ones dropped).
    pub fn to_fdt(&self, boot_cpuid_phys: u32, mem_reserve: &[(u64, u64)]) -> Vec<u8> {
        const HEADER: usize = 40;
        let mut rsv: Vec<(u64, u64)> = mem_reserve.iter().copied().filter(|r| r.1 != 0).collect();
        rsv.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::new();
        for (a, s) in rsv {
            let end = a.saturating_add(s);
            match merged.last_mut() {
                Some(last) if a <= last.0 + last.1 => last.1 = last.1.max(end - last.0),
                _ => merged.push((a, end - a)),
            }
        }

        let mut strings = Vec::new();
        let mut offsets = std::collections::HashMap::new();
        let mut st = Vec::new();
        self.flatten_node(Tree::ROOT, &mut st, &mut strings, &mut offsets);
        st.extend_from_slice(&9u32.to_be_bytes()); // FDT_END

        let off_rsv = HEADER; // already 8-byte aligned
        let off_struct = off_rsv + (merged.len() + 1) * 16;
        let off_strings = off_struct + st.len();
        let total = off_strings + strings.len();
        let mut out = Vec::with_capacity(total);
        for v in [
            0xd00d_feed,
            total as u32,
            off_struct as u32,
            off_strings as u32,
            off_rsv as u32,
            17,
            16,
            boot_cpuid_phys,
            strings.len() as u32,
            st.len() as u32,
        ] {
            out.extend_from_slice(&u32::to_be_bytes(v));
        }
        for (a, s) in merged.iter().chain(std::iter::once(&(0, 0))) {
            out.extend_from_slice(&a.to_be_bytes());
            out.extend_from_slice(&s.to_be_bytes());
        }
        out.extend_from_slice(&st);
        out.extend_from_slice(&strings);
        out
    }

    fn flatten_node(
        &self,
        id: NodeId,
        st: &mut Vec<u8>,
        strings: &mut Vec<u8>,
        offsets: &mut std::collections::HashMap<String, u32>,
    ) {
        fn pad4(v: &mut Vec<u8>) {
            while v.len() % 4 != 0 {
                v.push(0);
            }
        }
        let n = &self.nodes[id];
        st.extend_from_slice(&1u32.to_be_bytes()); // FDT_BEGIN_NODE
        st.extend_from_slice(n.name.as_bytes());
        st.push(0);
        pad4(st);
        for (name, val) in &n.props {
            let off = *offsets.entry(name.clone()).or_insert_with(|| {
                let o = strings.len() as u32;
                strings.extend_from_slice(name.as_bytes());
                strings.push(0);
                o
            });
            st.extend_from_slice(&3u32.to_be_bytes()); // FDT_PROP
            st.extend_from_slice(&(val.len() as u32).to_be_bytes());
            st.extend_from_slice(&off.to_be_bytes());
            st.extend_from_slice(val);
            pad4(st);
        }
        for &c in &n.children {
            self.flatten_node(c, st, strings, offsets);
        }
        st.extend_from_slice(&2u32.to_be_bytes()); // FDT_END_NODE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Tree {
        let mut t = Tree::new();
        t.set_u32(Tree::ROOT, "#address-cells", 2);
        let chosen = t.add_node(Tree::ROOT, "chosen");
        t.set_str(chosen, "bootargs", "console=hvc0");
        let vdev = t.add_node(Tree::ROOT, "vdevice");
        let vty = t.add_node(vdev, "vty@71000000");
        t.set_cells(vty, "reg", &[0x7100_0000]);
        t.add_node(vdev, "nvram@71000001");
        let cpus = t.add_node(Tree::ROOT, "cpus");
        t.add_node(cpus, "PowerPC,POWER9@0");
        t
    }

    #[test]
    fn paths() {
        let t = sample();
        let vty = t.find("/vdevice/vty@71000000").unwrap();
        assert_eq!(t.path_of(vty), "/vdevice/vty@71000000");
        assert_eq!(t.find("/vdevice/vty"), Some(vty));
        assert_eq!(t.find("/vdevice/VTY@71000000"), None);
        assert_eq!(t.find("/vdevice//vty@71000000/"), Some(vty));
        assert_eq!(
            t.find("/cpus/PowerPC,POWER9@0"),
            t.find("/cpus/PowerPC,POWER9")
        );
        assert!(t.find("/cpus/PowerPC,POWER9@0").is_some());
        assert_eq!(lower_unit_addresses("/A@FF/B@Cd"), "/A@ff/B@cd");
        assert_eq!(t.find("/"), Some(Tree::ROOT));
        assert_eq!(t.path_of(Tree::ROOT), "/");
        assert_eq!(t.find("vdevice"), None);
        assert_eq!(t.find("/vdevice/vtpm"), None);
        assert_eq!(t.find("/vdevice/vty@7100000"), None);
    }

    #[test]
    fn navigation_and_props() {
        let mut t = sample();
        let vdev = t.find("/vdevice").unwrap();
        let vty = t.child(vdev).unwrap();
        let nvram = t.peer(vty).unwrap();
        assert_eq!(t.peer(nvram), None);
        assert_eq!(t.parent(vty), Some(vdev));
        assert_eq!(t.parent(Tree::ROOT), None);
        assert_eq!(t.peer(Tree::ROOT), None);
        t.set_str(vty, "compatible", "hvterm1");
        t.set_front(vty, "phandle", vec![0, 0, 0, 5]);
        assert_eq!(t.next_prop(vty, ""), Some("phandle"));
        assert_eq!(t.next_prop(vty, "phandle"), Some("reg"));
        assert_eq!(t.next_prop(vty, "reg"), Some("compatible"));
        assert_eq!(t.next_prop(vty, "compatible"), None);
        assert_eq!(t.next_prop(vty, "nope"), None);
        t.set_u32(vty, "reg", 7);
        assert_eq!(t.get_u32(vty, "reg"), Some(7));
        assert_eq!(t.next_prop(vty, "phandle"), Some("reg"));
        assert_eq!(t.remove(vty, "reg"), Some(vec![0, 0, 0, 7]));
        assert_eq!(t.get(vty, "reg"), None);
        t.set_strs(vty, "x", &["a", "bc"]);
        assert_eq!(t.get(vty, "x"), Some(&b"a\0bc\0"[..]));
        t.set_u64s(vty, "y", &[1]);
        assert_eq!(t.get(vty, "y"), Some(&[0, 0, 0, 0, 0, 0, 0, 1][..]));
    }

    #[test]
    fn phandles_in_dfs_order_after_the_largest() {
        let mut t = sample();
        let nvram = t.find("/vdevice/nvram@71000001").unwrap();
        t.set_phandle(nvram, 0x1111);
        t.assign_phandles();
        let order: Vec<u32> = t.dfs().iter().map(|&n| t.phandle(n).unwrap()).collect();
        // root, chosen, vdevice, vty, nvram (fixed), cpus, cpu
        assert_eq!(
            order,
            [0x1112, 0x1113, 0x1114, 0x1115, 0x1111, 0x1116, 0x1117]
        );
        assert_eq!(t.by_phandle(0x1115), t.find("/vdevice/vty"));
        assert_eq!(t.by_phandle(0), None);
        assert_eq!(t.by_phandle(0x9999), None);
    }

    #[test]
    fn names() {
        assert!(node_name_valid("PowerPC,POWER9@0"));
        assert!(node_name_valid("interrupt-controller@60302031b0000"));
        assert!(!node_name_valid("9abc"));
        assert!(!node_name_valid("a@"));
        assert!(!node_name_valid("a@b@c"));
        assert!(prop_name_valid("ibm,associativity-reference-points"));
        assert!(prop_name_valid("#address-cells"));
        assert!(!prop_name_valid(""));
        assert!(!prop_name_valid("a b"));
        assert!(!prop_name_valid(&"x".repeat(65)));
    }

    #[test]
    fn flatten_round_trips_through_a_reader() {
        let mut t = sample();
        let cpu = t.find("/cpus/PowerPC,POWER9@0").unwrap();
        t.set_cells(cpu, "ibm,processor-radix-AP-encodings", &[0xc, 0xa000_0010]);
        t.set_empty(cpu, "64-bit");
        let blob = t.to_fdt(
            3,
            &[
                (0x400000, 0x1000),
                (0x400800, 0x1000),
                (0x2000000, 0),
                (0x10, 0x10),
            ],
        );
        let fdt = fdt::Fdt::new(&blob).expect("valid fdt");
        let rsv: Vec<(usize, usize)> = fdt
            .memory_reservations()
            .map(|r| (r.address() as usize, r.size()))
            .collect();
        assert_eq!(rsv, [(0x10, 0x10), (0x400000, 0x1800)]);
        assert_eq!(u32::from_be_bytes(blob[28..32].try_into().unwrap()), 3);
        assert_eq!(u32::from_be_bytes(blob[20..24].try_into().unwrap()), 17);
        let n = fdt.find_node("/cpus/PowerPC,POWER9@0").unwrap();
        let p = n.property("ibm,processor-radix-AP-encodings").unwrap();
        assert_eq!(p.value, &[0, 0, 0, 0xc, 0xa0, 0, 0, 0x10]);
        assert_eq!(n.property("64-bit").unwrap().value.len(), 0);
        assert_eq!(fdt.chosen().bootargs(), Some("console=hvc0"));
        assert_eq!(fdt.total_size(), blob.len());
        let kids: Vec<&str> = fdt
            .find_node("/vdevice")
            .unwrap()
            .children()
            .map(|c| c.name)
            .collect();
        assert_eq!(kids, ["vty@71000000", "nvram@71000001"]);
    }
}
