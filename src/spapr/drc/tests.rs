//! DRC tests: the state table of hotplug.md §2.3 cell by cell, a scripted
//! guest doing what Linux 6.1's `dlpar.c`/`hotplug-cpu.c`/
//! `hotplug-memory.c` do (acquire, configure-connector, release, the
//! unisolate after a failed removal), the three unplug behaviours on the
//! BZ 1911414 scenario, event-log bytes against hotplug.md §3.1, and
//! garbage lengths.

use super::*;
use crate::spapr::devtree::{self, Cas, TreeConfig};
use crate::spapr::tree::Tree;

mod memory;

const S: u64 = 1_000_000_000;
const CPU1: u32 = 0x1000_0001;
const LMB4: u32 = 0x8000_0004;

fn cfg() -> TreeConfig {
    TreeConfig {
        ram_size: 1 << 30,
        smp_cpus: 1,
        max_cpus: 4,
        max_mem: 4 << 30,
        cas: Some(Cas::radix_xics()),
        ..TreeConfig::default()
    }
}

fn drcs(b: UnplugBehaviour) -> Drcs {
    let mut d = Drcs::from_config(&cfg(), b);
    d.set_rtc_base(1_709_214_307); // 2024-02-29 13:45:07 UTC
    d
}

/// What a Linux 6.1 guest does through RTAS (dlpar.c helpers).
struct Guest<'a> {
    d: &'a mut Drcs,
    now: u64,
    outcomes: Vec<Outcome>,
}

impl Guest<'_> {
    fn new(d: &mut Drcs, now: u64) -> Guest<'_> {
        Guest {
            d,
            now,
            outcomes: Vec::new(),
        }
    }

    fn set(&mut self, idx: u32, ind: u32, v: u32) -> i32 {
        let (rc, o) = self.d.set_indicator(idx, ind, v, self.now);
        self.outcomes.extend(o);
        rc
    }

    fn sense(&self, idx: u32) -> u32 {
        let (rc, s) = self.d.get_sensor_state(idx, SENSOR_ENTITY_SENSE);
        assert_eq!(rc, 0);
        s
    }

    /// `dlpar_acquire_drc`.
    fn acquire(&mut self, idx: u32) -> i32 {
        if self.sense(idx) != 2 {
            return -1;
        }
        let rc = self.set(idx, INDICATOR_ALLOCATION, 1);
        if rc != 0 {
            return rc;
        }
        let rc = self.set(idx, INDICATOR_ISOLATION, 1);
        if rc != 0 {
            self.set(idx, INDICATOR_ALLOCATION, 0);
        }
        rc
    }

    /// `dlpar_release_drc`.
    fn release(&mut self, idx: u32) -> i32 {
        if self.sense(idx) != 1 {
            return -1;
        }
        let rc = self.set(idx, INDICATOR_ISOLATION, 0);
        if rc != 0 {
            return rc;
        }
        let rc = self.set(idx, INDICATOR_ALLOCATION, 0);
        if rc != 0 {
            self.set(idx, INDICATOR_ISOLATION, 1);
        }
        rc
    }

    /// `dlpar_unisolate_drc` (5.13+): the "removal failed" hint.
    fn unisolate(&mut self, idx: u32) {
        if self.sense(idx) == 1 {
            self.set(idx, INDICATOR_ISOLATION, 1);
        }
    }

    /// `dlpar_configure_connector`: the nodes it builds, or the code.
    fn configure(&mut self, idx: u32) -> Result<Tree, i32> {
        let mut wa = vec![0u8; CC_WA_LEN];
        wa[..4].copy_from_slice(&idx.to_be_bytes());
        let mut t = Tree::new();
        let mut stack = vec![Tree::ROOT];
        let word =
            |wa: &[u8], k: usize| u32::from_be_bytes(wa[4 * k..4 * k + 4].try_into().unwrap());
        for _ in 0..10_000 {
            let (rc, o) = self.d.configure_connector(&mut wa, self.now);
            self.outcomes.extend(o);
            match rc {
                CC_COMPLETE => return Ok(t),
                CC_NEXT_CHILD => {
                    let off = word(&wa, 2) as usize;
                    let end = off + wa[off..].iter().position(|&b| b == 0).unwrap();
                    let name = std::str::from_utf8(&wa[off..end]).unwrap().to_string();
                    let n = t.add_node(*stack.last().unwrap(), &name);
                    stack.push(n);
                }
                CC_NEXT_PROPERTY => {
                    let off = word(&wa, 2) as usize;
                    let end = off + wa[off..].iter().position(|&b| b == 0).unwrap();
                    let name = std::str::from_utf8(&wa[off..end]).unwrap().to_string();
                    let (len, voff) = (word(&wa, 3) as usize, word(&wa, 4) as usize);
                    assert_eq!(voff, end + 1, "value right after the name's NUL");
                    t.set(*stack.last().unwrap(), &name, wa[voff..voff + len].to_vec());
                }
                CC_PREV_PARENT => {
                    stack.pop();
                }
                rc => return Err(rc),
            }
        }
        panic!("configure-connector never completed");
    }

    /// The rtas hotplug interrupt handler: check-exception, then the HP
    /// section's (type, action, id type, union).
    fn event(&mut self, mask: u32) -> Option<(u8, u8, u8, [u8; 8])> {
        let b = self.d.check_exception(mask, 2048)?;
        assert_eq!(b.len(), 116);
        assert_eq!(&b[96..98], b"HP");
        Some((b[104], b[105], b[106], b[108..116].try_into().unwrap()))
    }

    /// Linux CPU add (`dlpar_cpu_add`): acquire, configure, attach.
    fn cpu_add(&mut self, idx: u32) -> Tree {
        assert_eq!(self.acquire(idx), 0);
        self.configure(idx).expect("configure-connector")
    }

    /// Linux CPU remove (`dlpar_cpu`): `refuse` = it is the last online
    /// CPU; `unisolate_on_failure` = kernel 5.13+.
    fn cpu_remove(&mut self, idx: u32, refuse: bool, unisolate_on_failure: bool) {
        if (refuse || self.release(idx) != 0) && unisolate_on_failure {
            self.unisolate(idx);
        }
    }
}

fn index_union(idx: u32) -> [u8; 8] {
    let mut u = [0u8; 8];
    u[..4].copy_from_slice(&idx.to_be_bytes());
    u
}

fn plug_core(d: &mut Drcs, id: u32, now: u64) {
    let frag = devtree::cpu_core_fragment(&cfg(), id);
    d.plug(DrcKind::Cpu.index(id), &format!("core{id}"), frag, now)
        .unwrap();
}

/// A core hot-plugged and taken by the guest (HP_EVT negotiated).
fn plugged_core(b: UnplugBehaviour) -> Drcs {
    let mut d = drcs(b);
    d.cas(true, 0);
    plug_core(&mut d, 1, S);
    let mut g = Guest::new(&mut d, 2 * S);
    let ev = g.event(EVENT_MASK_HOTPLUG).unwrap();
    assert_eq!(ev, (1, 1, 2, index_union(CPU1)));
    g.cpu_add(CPU1);
    assert_eq!(d.connector(CPU1).unwrap().state, DrcState::Configured);
    d
}

#[test]
fn index_encoding_and_names() {
    assert_eq!(DrcKind::Cpu.index(1), 0x1000_0001);
    assert_eq!(DrcKind::Lmb.index(4), 0x8000_0004);
    assert_eq!(DrcKind::from_index(0x8000_000f), Some((DrcKind::Lmb, 15)));
    assert_eq!(DrcKind::from_index(0x2000_0000), None);
    let d = drcs(UnplugBehaviour::default());
    let names: Vec<String> = d.connectors().map(|c| c.name()).collect();
    assert_eq!(names.len(), 4 + 12);
    assert_eq!(names[..5], ["CPU 0", "CPU 1", "CPU 2", "CPU 3", "LMB 4"]);
    assert_eq!(names.last().unwrap(), "LMB 15");
    let boot = d.connector(0x1000_0000).unwrap();
    assert_eq!(
        (boot.state, boot.device.as_deref()),
        (DrcState::Configured, Some(""))
    );
    assert_eq!(d.connector(CPU1).unwrap().state, DrcState::Unusable);
    assert_eq!(UnplugBehaviour::default(), UnplugBehaviour::Qemu72);
    for n in UnplugBehaviour::NAMES {
        assert_eq!(UnplugBehaviour::from_name(n).unwrap().name(), n);
    }
    assert_eq!(UnplugBehaviour::from_name("qemu-6.0"), None);
}

/// hotplug.md §2.3, logical table, every cell.
#[test]
fn state_table() {
    use DrcState::*;
    const ALL: [DrcState; 4] = [Unusable, Available, Unisolate, Configured];
    // (indicator, value, kind, unplug pending, per-state (rc, new state))
    type Row = (u32, u32, DrcKind, bool, [(i32, DrcState); 4]);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        (9003, 1, DrcKind::Cpu, false, [(0, Available), (0, Available), (0, Unisolate), (0, Configured)]),
        (9003, 1, DrcKind::Cpu, true, [(-3, Unusable), (0, Available), (0, Unisolate), (0, Configured)]),
        (9003, 0, DrcKind::Cpu, false, [(0, Unusable), (0, Unusable), (-3, Unisolate), (-3, Configured)]),
        (9001, 0, DrcKind::Cpu, false, [(0, Unusable), (0, Available), (-3, Unisolate), (0, Available)]),
        (9001, 0, DrcKind::Lmb, false, [(0, Unusable), (0, Available), (-3, Unisolate), (-1, Configured)]),
        (9001, 0, DrcKind::Lmb, true, [(0, Unusable), (0, Available), (-3, Unisolate), (0, Available)]),
        (9001, 1, DrcKind::Cpu, false, [(-3, Unusable), (0, Unisolate), (0, Unisolate), (0, Configured)]),
        (9002, 0, DrcKind::Cpu, false, [(-3, Unusable), (-3, Available), (-3, Unisolate), (-3, Configured)]),
        (9002, 1, DrcKind::Lmb, false, [(-3, Unusable), (-3, Available), (-3, Unisolate), (-3, Configured)]),
        (9003, 2, DrcKind::Cpu, false, [(-3, Unusable), (-3, Available), (-3, Unisolate), (-3, Configured)]),
        (9001, 3, DrcKind::Cpu, false, [(-3, Unusable), (-3, Available), (-3, Unisolate), (-3, Configured)]),
        (9999, 0, DrcKind::Cpu, false, [(-3, Unusable), (-3, Available), (-3, Unisolate), (-3, Configured)]),
    ];
    for &(ind, val, kind, pending, want) in rows {
        for (k, &st) in ALL.iter().enumerate() {
            let mut d = drcs(UnplugBehaviour::Qemu72);
            let idx = kind.index(if kind == DrcKind::Cpu { 1 } else { 4 });
            let c = d.connectors.get_mut(&idx).unwrap();
            c.device = Some("dev".into());
            c.state = st;
            c.unplug_requested = pending;
            let (rc, out) = d.set_indicator(idx, ind, val, 0);
            let c = d.connector(idx).unwrap();
            assert_eq!(
                (rc, c.state),
                want[k],
                "set-indicator({ind}, {kind:?}, {val}) pending {pending} from {st:?}"
            );
            // Only AVAILABLE → unusable with an unplug pending releases.
            assert_eq!(out, None);
            assert!(c.device.is_some());
            let sense = d.get_sensor_state(idx, 9003);
            assert_eq!(sense, (0, if c.state == Unusable { 2 } else { 1 }));
        }
    }
    // Without a device nothing can be acquired.
    let mut d = drcs(UnplugBehaviour::Qemu72);
    assert_eq!(d.set_indicator(CPU1, 9003, 1, 0), (-3, None));
    assert_eq!(d.get_sensor_state(CPU1, 9003), (0, 2));
    // Unknown connectors and sensors.
    assert_eq!(d.set_indicator(0x1000_0009, 9001, 1, 0), (-3, None));
    assert_eq!(d.set_indicator(0x2000_0000, 9003, 1, 0), (-3, None));
    assert_eq!(d.get_sensor_state(0x1000_0009, 9003), (-3, 0));
    assert_eq!(d.get_sensor_state(CPU1, 9001), (-3, 0));
    let mut wa = vec![0u8; CC_WA_LEN];
    wa[..4].copy_from_slice(&0x1000_0009u32.to_be_bytes());
    assert_eq!(d.configure_connector(&mut wa, 0), (-3, None));
    // configure-connector before unisolate.
    wa[..4].copy_from_slice(&CPU1.to_be_bytes());
    assert_eq!(d.configure_connector(&mut wa, 0).0, CC_NOT_CONFIGURABLE);
}

#[test]
fn release_completes_on_set_unusable_only() {
    let mut d = plugged_core(UnplugBehaviour::Qemu72);
    let r = d.request_unplug(&[CPU1], 3 * S).unwrap();
    assert_eq!(
        r,
        UnplugRequest {
            event_queued: true,
            outcomes: vec![]
        }
    );
    let mut g = Guest::new(&mut d, 4 * S);
    assert_eq!(
        g.event(EVENT_MASK_HOTPLUG).unwrap(),
        (1, 2, 2, index_union(CPU1))
    );
    // Re-acquiring a core being removed is refused.
    assert_eq!(g.set(CPU1, 9001, 0), 0);
    assert_eq!(g.set(CPU1, 9003, 1), 0, "AVAILABLE: no-op");
    assert!(g.outcomes.is_empty());
    assert_eq!(g.set(CPU1, 9003, 0), 0);
    assert_eq!(g.outcomes, [Outcome::Released(CPU1)]);
    assert_eq!(g.set(CPU1, 9003, 1), -3, "no device any more");
    let c = d.connector(CPU1).unwrap();
    assert_eq!(
        (c.state, c.device.is_none(), c.unplug_requested),
        (DrcState::Unusable, true, false)
    );
    assert!(d.fragment(CPU1).is_none());
    // The slot takes a new core.
    plug_core(&mut d, 1, 5 * S);
    assert_eq!(d.connector(CPU1).unwrap().device.as_deref(), Some("core1"));
}

#[test]
fn cpu_hot_add_delivers_the_fragment() {
    let mut d = drcs(UnplugBehaviour::Qemu72);
    d.cas(true, 0);
    plug_core(&mut d, 2, S);
    assert_eq!(d.pending_irqs(), [IRQ_HOTPLUG]);
    assert!(plug_core_err(&mut d, 2).contains("already populated"));
    let idx = DrcKind::Cpu.index(2);
    let mut g = Guest::new(&mut d, S);
    assert_eq!(g.event(EVENT_MASK_EPOW), None, "hot-plug class only");
    assert!(g.event(EVENT_MASK_HOTPLUG).is_some());
    let got = g.cpu_add(idx);
    let want = devtree::cpu_core_fragment(&cfg(), 2);
    assert_eq!(got, want);
    let node = got.child(Tree::ROOT).unwrap();
    assert_eq!(got.node(node).name, "PowerPC,POWER9@2");
    assert_eq!(
        got.node(node).props[0],
        ("name".to_string(), b"PowerPC,POWER9@2\0".to_vec())
    );
    assert_eq!(got.get_u32(node, "ibm,my-drc-index"), Some(idx));
    assert_eq!(got.get_u32(node, "reg"), Some(2));
    assert!(!d.event_pending());
    assert!(d.pending_irqs().is_empty());
    // CONFIGURED: the fragment can be read again from the top.
    let mut g = Guest::new(&mut d, S);
    assert_eq!(g.configure(idx).unwrap(), want);
}

fn plug_core_err(d: &mut Drcs, id: u32) -> String {
    let frag = devtree::cpu_core_fragment(&cfg(), id);
    d.plug(DrcKind::Cpu.index(id), "x", frag, 0).unwrap_err()
}

#[test]
fn configure_connector_walks_nested_nodes() {
    let mut t = Tree::new();
    let top = t.add_node(Tree::ROOT, "top@1");
    t.set_u32(top, "a", 1);
    let kid = t.add_node(top, "kid");
    t.set_str(kid, "b", "xy");
    t.add_node(kid, "grandkid");
    t.add_node(top, "kid2");
    t.set_empty(top, "c");
    let mut d = Drcs::new(UnplugBehaviour::Qemu72);
    let idx = d.add(DrcKind::Cpu, 5);
    d.plug(idx, "c5", t.clone(), 0).unwrap();
    let mut g = Guest::new(&mut d, 0);
    assert_eq!(g.acquire(idx), 0);
    let mut wa = vec![0xeeu8; CC_WA_LEN];
    wa[..4].copy_from_slice(&idx.to_be_bytes());
    let mut codes = Vec::new();
    loop {
        let (rc, _) = d.configure_connector(&mut wa, 0);
        codes.push(rc);
        if rc == CC_NEXT_CHILD && codes.len() == 1 {
            assert_eq!(&wa[4 * 2..4 * 3], &20u32.to_be_bytes());
            assert_eq!(&wa[20..26], b"top@1\0");
        }
        if rc <= 0 {
            break;
        }
    }
    // top: a, c; kid: b; grandkid; kid2.
    assert_eq!(codes, [2, 3, 3, 2, 3, 2, 4, 4, 2, 4, 0]);
    assert_eq!(d.connector(idx).unwrap().state, DrcState::Configured);
    assert_eq!(Guest::new(&mut d, 0).configure(idx).unwrap(), t);
    // A reset keeps the device (cold-plugged now) and rewinds the walk.
    wa[..4].copy_from_slice(&idx.to_be_bytes());
    d.configure_connector(&mut wa, 0);
    d.reset(0);
    assert_eq!(Guest::new(&mut d, 0).configure(idx).unwrap(), t);
}

#[test]
fn configure_connector_garbage_never_panics() {
    let mut t = Tree::new();
    let top = t.add_node(Tree::ROOT, "big");
    t.set(top, "huge", vec![0xab; 5000]);
    t.set_u32(top, &"n".repeat(60), 7);
    let mut d = Drcs::new(UnplugBehaviour::Qemu72);
    let idx = d.add(DrcKind::Lmb, 9);
    d.cold_plug(idx, "m", t).unwrap();
    for len in [
        0usize, 1, 3, 4, 8, 12, 16, 19, 20, 21, 24, 80, 4095, 4096, 4097, 9000,
    ] {
        let mut wa = vec![0u8; len];
        if len >= 4 {
            wa[..4].copy_from_slice(&idx.to_be_bytes());
        }
        for _ in 0..6 {
            let (rc, _) = d.configure_connector(&mut wa, 0);
            if len < 4 {
                assert_eq!(rc, -3);
            } else {
                assert!([0, 2, 3].contains(&rc), "len {len}: rc {rc}");
            }
        }
        if len > CC_WA_LEN {
            assert!(wa[CC_WA_LEN..].iter().all(|&b| b == 0), "nothing past 4096");
        }
        d.reset(0);
    }
    // The oversize value is truncated at the end of the work area.
    let mut wa = vec![0u8; CC_WA_LEN];
    wa[..4].copy_from_slice(&idx.to_be_bytes());
    assert_eq!(d.configure_connector(&mut wa, 0).0, CC_NEXT_CHILD);
    assert_eq!(d.configure_connector(&mut wa, 0).0, CC_NEXT_PROPERTY);
    assert_eq!(&wa[12..16], &5000u32.to_be_bytes());
    assert_eq!(&wa[16..20], &25u32.to_be_bytes());
    assert!(wa[25..].iter().all(|&b| b == 0xab));
    assert_eq!(d.configure_connector(&mut wa, 0).0, CC_NEXT_PROPERTY);
    assert_eq!(&wa[16..20], &81u32.to_be_bytes());
    assert_eq!(&wa[81..85], &7u32.to_be_bytes());
    assert_eq!(d.configure_connector(&mut wa, 0).0, CC_COMPLETE);
    // An empty fragment is refused at plug time.
    let idx2 = d.add(DrcKind::Lmb, 10);
    assert!(d.cold_plug(idx2, "m2", Tree::new()).is_err());
}

/// BZ 1911414 under each behaviour: the guest refuses to remove its last
/// online CPU, then the user re-onlines CPU 0 and retries.
#[test]
fn refused_cpu_unplug_qemu72() {
    let mut d = plugged_core(UnplugBehaviour::Qemu72);
    d.request_unplug(&[CPU1], 10 * S).unwrap();
    let mut g = Guest::new(&mut d, 11 * S);
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    g.cpu_remove(CPU1, true, true);
    assert_eq!(g.outcomes, [Outcome::Rejected(CPU1)]);
    let c = d.connector(CPU1).unwrap();
    assert_eq!(
        (c.state, c.unplug_requested, c.pending_since),
        (DrcState::Configured, false, None)
    );
    // Retry after re-onlining CPU 0: marked again and sent again.
    let r = d.request_unplug(&[CPU1], 20 * S).unwrap();
    assert!(r.event_queued && r.outcomes.is_empty());
    let mut g = Guest::new(&mut d, 21 * S);
    assert_eq!(g.event(EVENT_MASK_HOTPLUG).unwrap().1, 2);
    g.cpu_remove(CPU1, false, true);
    assert_eq!(g.outcomes, [Outcome::Released(CPU1)]);
}

#[test]
fn refused_cpu_unplug_qemu72_old_kernel_resend() {
    // A guest < 5.13 refuses silently; 6.0+ re-sends on every device_del.
    let mut d = plugged_core(UnplugBehaviour::Qemu72);
    d.request_unplug(&[CPU1], 10 * S).unwrap();
    let mut g = Guest::new(&mut d, 11 * S);
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    g.cpu_remove(CPU1, true, false);
    assert!(g.outcomes.is_empty());
    assert!(d.connector(CPU1).unwrap().unplug_requested);
    let info = d.info(13_500_000_000);
    let c1 = info.iter().find(|i| i.index == CPU1).unwrap();
    assert_eq!(c1.pending_ns, Some(3_500_000_000), "pending for 3.5 s");
    let r = d.request_unplug(&[CPU1], 20 * S).unwrap();
    assert!(r.event_queued);
    let mut g = Guest::new(&mut d, 21 * S);
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    g.cpu_remove(CPU1, false, false);
    assert_eq!(g.outcomes, [Outcome::Released(CPU1)]);
}

#[test]
fn refused_cpu_unplug_qemu52_stays_pending_until_reset() {
    let mut d = plugged_core(UnplugBehaviour::Qemu52);
    d.request_unplug(&[CPU1], 10 * S).unwrap();
    let mut g = Guest::new(&mut d, 11 * S);
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    g.cpu_remove(CPU1, true, true);
    assert!(g.outcomes.is_empty(), "unisolate is not read as a refusal");
    assert!(d.connector(CPU1).unwrap().unplug_requested);
    // The retry is accepted and sends nothing.
    let r = d.request_unplug(&[CPU1], 20 * S).unwrap();
    assert_eq!(r, UnplugRequest::default());
    assert!(!d.event_pending());
    assert!(d.pending_irqs().is_empty());
    assert!(d.tick(1000 * S).is_empty());
    let info = d.info(100 * S);
    let c1 = info.iter().find(|i| i.index == CPU1).unwrap();
    assert_eq!(c1.pending_ns, Some(90 * S), "pending for 90 s");
    // The guest cannot take the core back either... until a reset, which
    // completes the unplug.
    assert_eq!(d.reset(200 * S), [Outcome::Released(CPU1)]);
    let c = d.connector(CPU1).unwrap();
    assert_eq!((c.state, c.device.is_none()), (DrcState::Unusable, true));
}

#[test]
fn refused_cpu_unplug_qemu60dev_times_out() {
    let mut d = plugged_core(UnplugBehaviour::Qemu60Dev);
    d.request_unplug(&[CPU1], 10 * S).unwrap();
    assert_eq!(d.next_deadline(), Some(25 * S));
    let mut g = Guest::new(&mut d, 11 * S);
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    g.cpu_remove(CPU1, true, true);
    assert!(g.outcomes.is_empty());
    let e = d.request_unplug(&[CPU1], 14 * S).unwrap_err();
    assert_eq!(
        e,
        "core-id 1 unplug is still pending, 11 seconds timeout remaining"
    );
    assert!(!d.event_pending());
    let info = d.info(14 * S);
    let c1 = info.iter().find(|i| i.index == CPU1).unwrap();
    assert_eq!(c1.timeout_ns, Some(11 * S), "timeout in 11 s");
    assert!(d.tick(25 * S - 1).is_empty());
    assert_eq!(d.tick(25 * S), [Outcome::TimedOut(CPU1)]);
    assert_eq!(d.next_deadline(), None);
    let c = d.connector(CPU1).unwrap();
    assert_eq!(
        (c.state, c.unplug_requested, c.device.is_some()),
        (DrcState::Configured, false, true)
    );
    // After the timeout device_del marks and sends again.
    let r = d.request_unplug(&[CPU1], 30 * S).unwrap();
    assert!(r.event_queued);
    let mut g = Guest::new(&mut d, 31 * S);
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    g.cpu_remove(CPU1, false, true);
    assert_eq!(g.outcomes, [Outcome::Released(CPU1)]);
    assert_eq!(d.next_deadline(), None, "release drops the timer");
}

#[test]
fn unplug_requests_refused_or_immediate() {
    let mut d = drcs(UnplugBehaviour::Qemu72);
    assert_eq!(
        d.request_unplug(&[0x1000_0000], 0).unwrap_err(),
        "Boot CPU core may not be unplugged"
    );
    assert!(d
        .request_unplug(&[CPU1], 0)
        .unwrap_err()
        .contains("core-id: 1"));
    assert!(d.request_unplug(&[0x1000_0009], 0).is_err());
    assert!(d.request_unplug(&[], 0).is_err());
    // Plugged but never acquired by the guest: released at once, and QEMU
    // still queues the remove event.
    plug_core(&mut d, 3, S);
    let idx = DrcKind::Cpu.index(3);
    let r = d.request_unplug(&[idx], 2 * S).unwrap();
    assert_eq!(r.outcomes, [Outcome::Released(idx)]);
    assert!(r.event_queued);
    assert_eq!(d.pending_irqs(), [IRQ_EPOW], "no HP_EVT before CAS");
    let mut g = Guest::new(&mut d, 3 * S);
    assert_eq!(g.event(EVENT_MASK_HOTPLUG), None);
    assert!(g.event(EVENT_MASK_EPOW).is_some(), "legacy EPOW routing");
    assert_eq!(g.event(EVENT_MASK_EPOW), Some((1, 2, 2, index_union(idx))));
    // Linux: "Cannot find CPU" → unisolate, whose sense check fails.
    g.cpu_remove(idx, true, true);
    assert!(g.outcomes.is_empty());
}

#[test]
fn reset_and_cas() {
    let mut d = plugged_core(UnplugBehaviour::Qemu72);
    d.request_unplug(&[CPU1], S).unwrap();
    d.queue_powerdown(S);
    assert_eq!(d.pending_irqs(), [IRQ_EPOW, IRQ_HOTPLUG]);
    // CAS completes the unplug, drops hot-plug events, keeps EPOW.
    assert_eq!(d.cas(true, 2 * S), [Outcome::Released(CPU1)]);
    assert_eq!(d.pending_irqs(), [IRQ_EPOW]);
    let b = d
        .check_exception(EVENT_MASK_EPOW | EVENT_MASK_HOTPLUG, 4096)
        .unwrap();
    assert_eq!(&b[..4], &EPOW_SUMMARY.to_be_bytes());
    assert_eq!(&b[96..106], &[b'E', b'P', 0, 20, 2, 0, 0, 0, 3, 1]);
    assert_eq!(d.check_exception(u32::MAX, 4096), None);
    // A hot-plugged core present at reset is cold-plugged afterwards.
    plug_core(&mut d, 2, 3 * S);
    let idx = DrcKind::Cpu.index(2);
    assert!(d.reset(4 * S).is_empty());
    assert_eq!(d.connector(idx).unwrap().state, DrcState::Configured);
    assert!(!d.event_pending());
    assert!(!d.hp_evt());
}

/// hotplug.md §3.1 byte by byte.
#[test]
fn event_log_bytes() {
    fn expected(hp: [u8; 12], plid: u32) -> Vec<u8> {
        let mut v = vec![0x06, 0x34, 0x60, 0xe5, 0, 0, 0, 108];
        v.extend([
            0x86, 0, 0x8e, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'I', b'B', b'M', 0,
        ]);
        v.extend([b'P', b'H', 0, 48, 0, 0, 0, 0]);
        v.extend([0x20, 0x24, 0x02, 0x29, 0x13, 0x45, 0x07 + 0x02, 0]); // +2 s of virtual time
        v.extend([0; 8]);
        v.extend([b'H', 0, 0, 3, 0, 0, 0, 0]);
        v.extend([0; 8]);
        v.extend(plid.to_be_bytes());
        v.extend([0; 4]);
        v.extend([b'U', b'H', 0, 24, 0, 0, 0, 0, 0x80, 0, 0, 0]);
        v.extend([0; 12]);
        v.extend([b'H', b'P', 0, 20, 1, 0, 0, 0]);
        v.extend(hp);
        v
    }
    let mut d = drcs(UnplugBehaviour::Qemu72);
    d.cas(true, 0);
    plug_core(&mut d, 1, 2 * S);
    let b = d.check_exception(EVENT_MASK_HOTPLUG, 2048).unwrap();
    assert_eq!(b, expected([1, 1, 2, 0, 0x10, 0, 0, 1, 0, 0, 0, 0], 0));
    // LMB count-indexed remove: 2 LMBs from 0x80000006.
    let lmbs = devtree::dimm_fragments(&cfg(), 0x6000_0000, 512 << 20);
    d.plug_dimm("d", lmbs, 2 * S).unwrap();
    d.check_exception(EVENT_MASK_HOTPLUG, 2048).unwrap();
    for i in [6, 7] {
        let mut g = Guest::new(&mut d, 2 * S);
        assert_eq!(g.acquire(0x8000_0000 | i), 0);
        g.configure(0x8000_0000 | i).unwrap();
    }
    d.request_unplug(&[0x8000_0006], 2 * S + 5).unwrap();
    let b = d.check_exception(EVENT_MASK_HOTPLUG, 2048).unwrap();
    assert_eq!(b, expected([2, 2, 4, 0, 0, 0, 0, 2, 0x80, 0, 0, 6], 2));
    assert_eq!(bcd_date_time(951_868_799), (0x2000_0229, 0x2359_5900));
    assert_eq!(bcd_date_time(0), (0x1970_0101, 0));
}

#[test]
fn check_exception_buffer_lengths() {
    let mut d = drcs(UnplugBehaviour::Qemu72);
    for len in [0usize, 1, 7, 8, 115, 116, 117, 2048, 1 << 20] {
        plug_core(&mut d, 1, 0);
        let b = d.check_exception(EVENT_MASK_EPOW, len).unwrap();
        assert_eq!(b.len(), len.min(116));
        assert!(!d.event_pending());
        d.request_unplug(&[CPU1], 0).unwrap();
        d.check_exception(EVENT_MASK_EPOW, len).unwrap();
    }
    assert_eq!(d.check_exception(0, 4096), None);
    assert_eq!(d.check_exception(EVENT_MASK_EPOW, 4096), None);
}

/// Random RTAS traffic and machine requests: no panics, and the
/// invariants hold (states numbered 1..=4, pending implies a device).
#[test]
fn random_traffic_never_panics() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for b in [
        UnplugBehaviour::Qemu52,
        UnplugBehaviour::Qemu60Dev,
        UnplugBehaviour::Qemu72,
    ] {
        let mut d = drcs(b);
        let idxs: Vec<u32> = d
            .connectors()
            .map(|c| c.index)
            .chain([0, 0x2000_0001])
            .collect();
        let mut wa = vec![0u8; CC_WA_LEN];
        let mut seen = std::collections::HashSet::new();
        for step in 0..20_000u64 {
            let now = step * 100_000_000;
            let idx = idxs[rnd(idxs.len() as u64) as usize];
            match rnd(12) {
                0..=3 => {
                    let ind = [9001, 9002, 9003, 7][rnd(4) as usize];
                    let (rc, o) = d.set_indicator(idx, ind, rnd(3) as u32, now);
                    seen.insert((rc, o.map(|o| std::mem::discriminant(&o))));
                }
                4 => {
                    d.get_sensor_state(idx, [9003, 9001][rnd(2) as usize]);
                }
                5 | 6 => {
                    wa[..4].copy_from_slice(&idx.to_be_bytes());
                    let n = [0, 3, 20, 64, CC_WA_LEN][rnd(5) as usize];
                    d.configure_connector(&mut wa[..n], now);
                }
                7 => {
                    let _ = d.request_unplug(&[idx], now);
                }
                8 => {
                    if let Some((DrcKind::Cpu, id)) = DrcKind::from_index(idx) {
                        let _ = d.plug(idx, "c", devtree::cpu_core_fragment(&cfg(), id), now);
                    } else {
                        let addr = u64::from(idx & 0xfff_ffff) * LMB_SIZE;
                        let _ = d.plug_dimm(
                            "m",
                            devtree::dimm_fragments(&cfg(), addr, 2 * LMB_SIZE),
                            now,
                        );
                    }
                }
                9 => {
                    d.check_exception(u32::MAX, rnd(200) as usize);
                }
                10 => {
                    d.tick(now);
                }
                _ => match rnd(20) {
                    0 => {
                        d.reset(now);
                    }
                    1 => {
                        d.cas(rnd(2) == 0, now);
                    }
                    _ => {}
                },
            }
            for c in d.connectors() {
                assert!((1..=4).contains(&(c.state as u32)));
                assert!(!c.unplug_requested || c.device.is_some());
                assert_eq!(c.device.is_some(), c.walk.is_some());
            }
        }
        let _ = d.info(0);
        // The traffic reaches every status and both unplug endings.
        for rc in [0, -1, -3] {
            assert!(seen.contains(&(rc, None)), "{b:?}: rc {rc}");
        }
        let released = std::mem::discriminant(&Outcome::Released(0));
        assert!(seen.contains(&(0, Some(released))), "{b:?}: no release");
        let rejected = std::mem::discriminant(&Outcome::Rejected(0));
        let refusals = seen.contains(&(0, Some(rejected)));
        assert_eq!(refusals, b == UnplugBehaviour::Qemu72, "{b:?}: refusals");
    }
}
