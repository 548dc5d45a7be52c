//! Memory (LMB) hot plug: DIMM plug events, the per-DIMM release
//! countdown, refusal and configure-connector rollback of the whole DIMM,
//! and the HP_EVT rules (hotplug.md §6).

use super::*;

fn plug_dimm(d: &mut Drcs, addr: u64, size: u64, now: u64) -> Vec<u32> {
    let lmbs = devtree::dimm_fragments(&cfg(), addr, size);
    let idxs = lmbs.iter().map(|l| l.0).collect();
    d.plug_dimm("d1", lmbs, now).unwrap();
    idxs
}

/// Linux `dlpar_memory_add_by_ic`: acquire + configure each LMB.
fn dimm_added(b: UnplugBehaviour) -> (Drcs, Vec<u32>) {
    let mut d = drcs(b);
    d.cas(true, 0);
    let idxs = plug_dimm(&mut d, 1 << 30, 1 << 30, S);
    assert_eq!(idxs, [LMB4, LMB4 + 1, LMB4 + 2, LMB4 + 3]);
    let mut g = Guest::new(&mut d, S);
    let mut u = [0u8; 8];
    u[..4].copy_from_slice(&4u32.to_be_bytes());
    u[4..].copy_from_slice(&LMB4.to_be_bytes());
    assert_eq!(g.event(EVENT_MASK_HOTPLUG).unwrap(), (2, 1, 4, u));
    for &i in &idxs {
        assert_eq!(g.acquire(i), 0);
        let t = g.configure(i).unwrap();
        let m = t.child(Tree::ROOT).unwrap();
        assert!(t.get(m, "ibm,associativity").is_some());
    }
    assert!(g.outcomes.is_empty());
    (d, idxs)
}

#[test]
fn dimm_unplug_releases_once_all_lmbs_are_released() {
    let (mut d, idxs) = dimm_added(UnplugBehaviour::Qemu72);
    assert!(
        d.request_unplug(&idxs[1..2], S).is_err(),
        "not the DIMM's first LMB"
    );
    let r = d.request_unplug(&[LMB4], 2 * S).unwrap();
    assert!(r.event_queued && r.outcomes.is_empty());
    assert_eq!(
        d.request_unplug(&idxs, 2 * S).unwrap_err(),
        "Memory unplug already in progress for device d1"
    );
    let mut g = Guest::new(&mut d, 3 * S);
    let mut u = [0u8; 8];
    u[..4].copy_from_slice(&4u32.to_be_bytes());
    u[4..].copy_from_slice(&LMB4.to_be_bytes());
    assert_eq!(g.event(EVENT_MASK_HOTPLUG).unwrap(), (2, 2, 4, u));
    for &i in &idxs {
        assert_eq!(g.release(i), 0);
    }
    assert_eq!(g.outcomes, [Outcome::Released(LMB4)]);
    assert!(idxs
        .iter()
        .all(|&i| d.connector(i).unwrap().device.is_none()));
    assert!(d.dimms.is_empty());
    // Isolating an LMB nobody asked to remove is refused.
    let (mut d, _) = dimm_added(UnplugBehaviour::Qemu72);
    assert_eq!(Guest::new(&mut d, 0).release(LMB4), -1);
}

/// Linux `dlpar_memory_remove_by_ic` failing on the second LMB: the
/// first was offlined, so it is unisolated (5.14+) and re-added through
/// configure-connector.
fn lmb_remove_fails(g: &mut Guest, unisolate: bool) {
    g.event(EVENT_MASK_HOTPLUG).unwrap();
    if unisolate {
        g.unisolate(LMB4);
    }
    g.configure(LMB4).unwrap();
}

#[test]
fn refused_dimm_unplug_rolls_back_the_dimm() {
    for (b, unisolate, want) in [
        (UnplugBehaviour::Qemu72, true, Some(Outcome::Rejected(LMB4))),
        (
            UnplugBehaviour::Qemu72,
            false,
            Some(Outcome::Rejected(LMB4)),
        ),
        (
            UnplugBehaviour::Qemu60Dev,
            true,
            Some(Outcome::Rejected(LMB4)),
        ),
        (UnplugBehaviour::Qemu52, true, None),
    ] {
        let (mut d, idxs) = dimm_added(b);
        d.request_unplug(&[LMB4], 2 * S).unwrap();
        let mut g = Guest::new(&mut d, 3 * S);
        lmb_remove_fails(&mut g, unisolate);
        assert_eq!(g.outcomes, want.into_iter().collect::<Vec<_>>(), "{b:?}");
        let pending: Vec<bool> = idxs
            .iter()
            .map(|&i| d.connector(i).unwrap().unplug_requested)
            .collect();
        if want.is_some() {
            assert_eq!(pending, [false; 4]);
            assert!(d.request_unplug(&[LMB4], 4 * S).is_ok(), "can retry");
        } else {
            assert_eq!(pending, [true; 4], "qemu-5.2: stuck");
            assert!(d
                .request_unplug(&[LMB4], 4 * S)
                .unwrap_err()
                .contains("in progress"));
            assert_eq!(d.reset(5 * S), [Outcome::Released(LMB4)]);
        }
    }
}

#[test]
fn memory_unplug_needs_hp_evt() {
    // Before CAS (empty OV5) 6.0+ accepts; 5.2 wants HP_EVT.
    for (b, ok) in [
        (UnplugBehaviour::Qemu72, true),
        (UnplugBehaviour::Qemu52, false),
    ] {
        let mut d = drcs(b);
        plug_dimm(&mut d, 1 << 30, 512 << 20, 0);
        assert_eq!(d.request_unplug(&[LMB4], 0).is_ok(), ok, "{b:?}");
    }
    let mut d = drcs(UnplugBehaviour::Qemu72);
    d.cas(false, 0);
    let idxs = plug_dimm(&mut d, 1 << 30, 512 << 20, 0);
    let mut g = Guest::new(&mut d, 0);
    // Without HP_EVT: add by count, through the EPOW source.
    assert_eq!(g.event(EVENT_MASK_EPOW).unwrap(), (2, 1, 3, index_union(2)));
    assert_eq!(
        d.request_unplug(&idxs, 0).unwrap_err(),
        "Memory hot unplug not supported for this guest"
    );
    // Never acquired: the whole DIMM goes at once.
    let mut d = drcs(UnplugBehaviour::Qemu72);
    let idxs = plug_dimm(&mut d, 2 << 30, 512 << 20, 0);
    let r = d.request_unplug(&idxs, 0).unwrap();
    assert_eq!(r.outcomes, [Outcome::Released(idxs[0])]);
}
