//! Dynamic Reconfiguration Connectors (LoPAPR 1.1 chapter 13, "Dynamic
//! Reconfiguration Architecture"; hotplug.md §1–§3, §5–§6): the platform
//! side of CPU-core and memory (LMB) hot plug and hot unplug on the
//! pseries machine. [`Drcs`] holds every connector, the RTAS event FIFO
//! that tells the guest about hot-plug requests, and the unplug
//! behaviour of the QEMU version being modelled ([`UnplugBehaviour`]).
//!
//! The machine calls [`Drcs::plug`], [`Drcs::plug_dimm`] and
//! [`Drcs::request_unplug`] for `device_add`/`device_del`, [`Drcs::tick`]
//! for timers and [`Drcs::reset`] / [`Drcs::cas`]; RTAS calls
//! [`Drcs::set_indicator`], [`Drcs::get_sensor_state`],
//! [`Drcs::configure_connector`] and [`Drcs::check_exception`] with the
//! arguments already parsed. Whatever completes or fails an unplug comes
//! back as an [`Outcome`] for the machine to destroy the device and emit
//! DEVICE_DELETED or DEVICE_UNPLUG_GUEST_ERROR. Every transition is traced
//! at target `drc` (info level, `-d drc`) with the virtual time.

/// Trace one DRC step at target `drc` with the virtual time.
macro_rules! trace {
    ($now:expr, $($arg:tt)*) => {
        log::info!(target: "drc", "[{}] {}", vt($now), format_args!($($arg)*))
    };
}

mod connector;
mod event;
mod rtas;
mod walk;

#[cfg(test)]
mod tests;

pub use connector::{Connector, DrcState};
pub use event::{
    bcd_date_time, Event, HpAction, HpId, LogType, EPOW_SUMMARY, EVENT_MASK_EPOW,
    EVENT_MASK_HOTPLUG, HOTPLUG_SUMMARY, HP_TYPE_CPU, HP_TYPE_MEMORY, IRQ_EPOW, IRQ_HOTPLUG,
};
pub use walk::{
    CC_COMPLETE, CC_NAME_OFFSET, CC_NEXT_CHILD, CC_NEXT_PROPERTY, CC_NEXT_SIBLING, CC_PREV_PARENT,
    CC_WA_LEN,
};

use super::devtree::{self, TreeConfig};
use super::tree::Tree;
use event::EventQueue;
use std::collections::BTreeMap;
use walk::Walk;

/// RTAS status values used by the DR calls (hotplug.md §2.4).
pub const RTAS_SUCCESS: i32 = 0;
pub const RTAS_NO_ERRORS_FOUND: i32 = 1;
pub const RTAS_HW_ERROR: i32 = -1;
/// Parameter error, "not supported" and "no such indicator" alike.
pub const RTAS_PARAM_ERROR: i32 = -3;
/// configure-connector: error (no fragment).
pub const CC_ERROR: i32 = -1;
/// configure-connector on a connector that is not unisolated/configured.
pub const CC_NOT_CONFIGURABLE: i32 = -9003;

/// set-indicator types (LoPAPR Table "Indicator types").
pub const INDICATOR_ISOLATION: u32 = 9001;
pub const INDICATOR_DR: u32 = 9002;
pub const INDICATOR_ALLOCATION: u32 = 9003;
/// get-sensor-state: dr-entity-sense.
pub const SENSOR_ENTITY_SENSE: u32 = 9003;

/// Logical memory block size (`ibm,lmb-size`).
pub const LMB_SIZE: u64 = 256 << 20;
/// qemu-6.0-dev: a CPU unplug pending this long is forgotten.
pub const CPU_UNPLUG_TIMEOUT_NS: u64 = 15_000_000_000;
const TYPE_SHIFT: u32 = 28;

/// The connector types the machine has (index bits 31:28).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DrcKind {
    /// A CPU core: id = vcpu id of its thread 0.
    Cpu,
    /// A 256 MiB logical memory block: id = address / 256 MiB.
    Lmb,
}

impl DrcKind {
    pub fn type_code(self) -> u32 {
        match self {
            DrcKind::Cpu => 1,
            DrcKind::Lmb => 8,
        }
    }

    /// `(type << 28) | id`.
    pub fn index(self, id: u32) -> u32 {
        self.type_code() << TYPE_SHIFT | (id & 0x0fff_ffff)
    }

    /// The kind and id an index names, if the type is one we have.
    pub fn from_index(index: u32) -> Option<(DrcKind, u32)> {
        let kind = match index >> TYPE_SHIFT {
            1 => DrcKind::Cpu,
            8 => DrcKind::Lmb,
            _ => return None,
        };
        Some((kind, index & 0x0fff_ffff))
    }

    /// The `ibm,drc-types` string.
    pub fn type_name(self) -> &'static str {
        match self {
            DrcKind::Cpu => "CPU",
            DrcKind::Lmb => "MEM",
        }
    }

    /// The `ibm,drc-names` prefix.
    pub fn name_prefix(self) -> &'static str {
        match self {
            DrcKind::Cpu => "CPU ",
            DrcKind::Lmb => "LMB ",
        }
    }

    fn hp_type(self) -> u8 {
        match self {
            DrcKind::Cpu => HP_TYPE_CPU,
            DrcKind::Lmb => HP_TYPE_MEMORY,
        }
    }
}

/// Which QEMU's unplug semantics to model (hotplug.md §4; none of it
/// depends on the machine type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnplugBehaviour {
    /// QEMU ≤ 5.2: a repeated `device_del` of a core being unplugged is
    /// accepted and sends nothing, and unisolate is a plain no-op, so a
    /// refused CPU unplug stays pending until reset (BZ 1911414).
    Qemu52,
    /// QEMU 6.0 development (51254ffb32/d1c2e3ce3d, reverted before
    /// 6.0.0): a CPU unplug pending for 15 s of virtual time is forgotten;
    /// until then `device_del` of the core fails, after it marks and sends
    /// again. No unisolate detection; configure-connector on an LMB being
    /// removed rolls the DIMM back (fe1831eff8).
    Qemu60Dev,
    /// QEMU 6.2 … 7.2: every `device_del` of a core re-sends the remove
    /// event; unisolate while an unplug is pending is the guest's refusal
    /// (the whole DIMM rolls back for an LMB).
    #[default]
    Qemu72,
}

impl UnplugBehaviour {
    pub const NAMES: [&'static str; 3] = ["qemu-5.2", "qemu-6.0-dev", "qemu-7.2"];

    pub fn from_name(name: &str) -> Option<UnplugBehaviour> {
        match name {
            "qemu-5.2" => Some(UnplugBehaviour::Qemu52),
            "qemu-6.0-dev" => Some(UnplugBehaviour::Qemu60Dev),
            "qemu-7.2" => Some(UnplugBehaviour::Qemu72),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            UnplugBehaviour::Qemu52 => "qemu-5.2",
            UnplugBehaviour::Qemu60Dev => "qemu-6.0-dev",
            UnplugBehaviour::Qemu72 => "qemu-7.2",
        }
    }

    fn detects_refusal(self) -> bool {
        self == UnplugBehaviour::Qemu72
    }

    fn cc_rollback(self) -> bool {
        self != UnplugBehaviour::Qemu52
    }

    fn cpu_timeout(self) -> Option<u64> {
        (self == UnplugBehaviour::Qemu60Dev).then_some(CPU_UNPLUG_TIMEOUT_NS)
    }
}

/// How an unplug ended. The index is the core's DRC, or for a DIMM the
/// DRC of its first LMB (one outcome per DIMM).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The guest released the device (or a reset completed the unplug):
    /// destroy it, emit DEVICE_DELETED.
    Released(u32),
    /// The guest refused the unplug: DEVICE_UNPLUG_GUEST_ERROR (and
    /// MEM_UNPLUG_ERROR for a DIMM).
    Rejected(u32),
    /// qemu-6.0-dev: the pending CPU unplug timed out (nothing emitted).
    TimedOut(u32),
}

impl Outcome {
    pub fn index(self) -> u32 {
        match self {
            Outcome::Released(i) | Outcome::Rejected(i) | Outcome::TimedOut(i) => i,
        }
    }
}

/// What `device_del` did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnplugRequest {
    /// A remove event was queued (pulse [`Drcs::pending_irqs`]).
    pub event_queued: bool,
    /// Released at once: the guest had never taken the device.
    pub outcomes: Vec<Outcome>,
}

/// A plugged DIMM: its LMBs and the unplug countdown (QEMU's
/// pending-DIMM record).
#[derive(Clone, Debug)]
struct Dimm {
    device: String,
    lmbs: Vec<u32>,
    /// LMBs still to be released while an unplug is pending.
    pending: Option<u32>,
}

/// Virtual time for the trace: seconds with microseconds.
fn vt(ns: u64) -> String {
    format!("{}.{:06}", ns / 1_000_000_000, ns % 1_000_000_000 / 1000)
}

fn label(device: &str) -> &str {
    if device.is_empty() {
        "(anonymous)"
    } else {
        device
    }
}

/// All connectors of the machine, the event queue and the behaviour.
#[derive(Clone, Debug)]
pub struct Drcs {
    connectors: BTreeMap<u32, Connector>,
    dimms: BTreeMap<u32, Dimm>,
    events: EventQueue,
    behaviour: UnplugBehaviour,
    /// OV5 HP_EVT: `None` before CAS (empty OV5), else whether the guest
    /// negotiated the dedicated hot-plug event source.
    hp_evt: Option<bool>,
    /// Unix time at virtual time 0, for the event logs' creation stamps.
    rtc_base: i64,
}

impl Drcs {
    /// No connectors yet.
    pub fn new(behaviour: UnplugBehaviour) -> Drcs {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Drcs {
            connectors: BTreeMap::new(),
            dimms: BTreeMap::new(),
            events: EventQueue::default(),
            behaviour,
            hp_evt: None,
            rtc_base: now,
        }
    }

    /// The connectors QEMU 7.2 creates for `cfg`: one CPU DRC per possible
    /// core (`max_cpus`, one thread each) and one LMB DRC per 256 MiB of
    /// device memory; the boot cores (`smp_cpus`) are cold-plugged as
    /// anonymous devices.
    pub fn from_config(cfg: &TreeConfig, behaviour: UnplugBehaviour) -> Drcs {
        let mut d = Drcs::new(behaviour);
        for id in 0..cfg.max_cpus.max(cfg.smp_cpus) {
            d.add(DrcKind::Cpu, id);
        }
        for id in devtree::lmb_ids(cfg) {
            d.add(DrcKind::Lmb, id);
        }
        for id in 0..cfg.smp_cpus {
            let frag = devtree::cpu_core_fragment(cfg, id);
            d.cold_plug(DrcKind::Cpu.index(id), "", frag)
                .expect("fresh connector");
        }
        d
    }

    /// Add an empty connector; returns its index.
    pub fn add(&mut self, kind: DrcKind, id: u32) -> u32 {
        let c = Connector::new(kind, id);
        let idx = c.index;
        self.connectors.insert(idx, c);
        idx
    }

    pub fn behaviour(&self) -> UnplugBehaviour {
        self.behaviour
    }

    pub fn set_behaviour(&mut self, b: UnplugBehaviour) {
        self.behaviour = b;
    }

    /// The Unix time virtual time 0 stands for (event log stamps).
    pub fn set_rtc_base(&mut self, unix_secs: i64) {
        self.rtc_base = unix_secs;
    }

    /// Whether hot-plug events go to the dedicated source (OV5 HP_EVT).
    pub fn hp_evt(&self) -> bool {
        self.hp_evt == Some(true)
    }

    pub fn connector(&self, idx: u32) -> Option<&Connector> {
        self.connectors.get(&idx)
    }

    /// All connectors in index order.
    pub fn connectors(&self) -> impl Iterator<Item = &Connector> {
        self.connectors.values()
    }

    /// The tree fragment configure-connector hands out for `idx`.
    pub fn fragment(&self, idx: u32) -> Option<&Tree> {
        self.connectors.get(&idx)?.walk.as_ref().map(Walk::tree)
    }

    // ---- machine side ----

    fn attach(
        &mut self,
        idx: u32,
        device: &str,
        fragment: Tree,
        kind: DrcKind,
    ) -> Result<(), String> {
        let c = self
            .connectors
            .get_mut(&idx)
            .filter(|c| c.kind == kind)
            .ok_or_else(|| format!("no {} DR connector {idx:#x}", kind.type_name()))?;
        if c.device.is_some() || c.state != DrcState::Unusable {
            return Err(format!("{} already populated", c.name()));
        }
        let walk = Walk::new(fragment)
            .ok_or_else(|| format!("{}: empty device tree fragment", c.name()))?;
        c.device = Some(device.to_string());
        c.walk = Some(walk);
        Ok(())
    }

    /// A device present from the start (or at reset): attached and ready
    /// (CONFIGURED), no event.
    pub fn cold_plug(&mut self, idx: u32, device: &str, fragment: Tree) -> Result<(), String> {
        let kind = DrcKind::from_index(idx).map_or(DrcKind::Cpu, |k| k.0);
        self.attach(idx, device, fragment, kind)?;
        if let Some(c) = self.connectors.get_mut(&idx) {
            c.state = DrcState::Configured;
        }
        Ok(())
    }

    /// Hot-plug a CPU core: attach it (the connector stays UNUSABLE for
    /// the guest to acquire) and queue an "add by index" event.
    pub fn plug(
        &mut self,
        idx: u32,
        device: &str,
        fragment: Tree,
        now_ns: u64,
    ) -> Result<(), String> {
        self.attach(idx, device, fragment, DrcKind::Cpu)?;
        trace!(
            now_ns,
            "plug {idx:#x} CPU: device {} attached, unusable",
            label(device)
        );
        self.queue_hotplug(DrcKind::Cpu, HpAction::Add, HpId::Index(idx), now_ns);
        Ok(())
    }

    fn attach_dimm(&mut self, device: &str, lmbs: Vec<(u32, Tree)>) -> Result<u32, String> {
        let mut idxs: Vec<u32> = lmbs.iter().map(|l| l.0).collect();
        idxs.sort_unstable();
        idxs.dedup();
        let first = *idxs.first().ok_or("DIMM without memory blocks")?;
        if idxs.len() != lmbs.len() {
            return Err("DIMM lists an LMB twice".into());
        }
        for &i in &idxs {
            match self.connectors.get(&i) {
                Some(c) if c.kind == DrcKind::Lmb && c.device.is_none() => {}
                Some(c) => return Err(format!("{} already populated", c.name())),
                None => return Err(format!("no MEM DR connector {i:#x}")),
            }
        }
        for (i, frag) in lmbs {
            self.attach(i, device, frag, DrcKind::Lmb)?;
            if let Some(c) = self.connectors.get_mut(&i) {
                c.dimm = Some(first);
            }
        }
        self.dimms.insert(
            first,
            Dimm {
                device: device.to_string(),
                lmbs: idxs,
                pending: None,
            },
        );
        Ok(first)
    }

    /// A DIMM present from the start: its LMBs (index, `memory@` fragment)
    /// attached and CONFIGURED.
    pub fn cold_plug_dimm(&mut self, device: &str, lmbs: Vec<(u32, Tree)>) -> Result<(), String> {
        let first = self.attach_dimm(device, lmbs)?;
        for i in self.dimms[&first].lmbs.clone() {
            if let Some(c) = self.connectors.get_mut(&i) {
                c.state = DrcState::Configured;
            }
        }
        Ok(())
    }

    /// Hot-plug a DIMM: attach its LMBs and queue one "add" event,
    /// count-indexed if the guest negotiated HP_EVT, else by count
    /// (hotplug.md §6.1).
    pub fn plug_dimm(
        &mut self,
        device: &str,
        lmbs: Vec<(u32, Tree)>,
        now_ns: u64,
    ) -> Result<(), String> {
        let first = self.attach_dimm(device, lmbs)?;
        let count = self.dimms[&first].lmbs.len() as u32;
        trace!(
            now_ns,
            "plug DIMM {}: {count} LMBs from {first:#x} attached, unusable",
            label(device)
        );
        let id = if self.hp_evt() {
            HpId::CountIndexed {
                count,
                index: first,
            }
        } else {
            HpId::Count(count)
        };
        self.queue_hotplug(DrcKind::Lmb, HpAction::Add, id, now_ns);
        Ok(())
    }

    /// `device_del`: a core's DRC index, or a DIMM's LMB indexes (or just
    /// its first). Marks the connector(s) and queues a "remove" event as
    /// the behaviour dictates; connectors the guest never took are
    /// released at once.
    pub fn request_unplug(&mut self, idxs: &[u32], now_ns: u64) -> Result<UnplugRequest, String> {
        let &idx = idxs.first().ok_or("no DR connector given")?;
        let c = self
            .connectors
            .get(&idx)
            .ok_or_else(|| format!("no DR connector {idx:#x}"))?;
        match c.kind {
            DrcKind::Cpu if idxs.len() == 1 => self.unplug_core(idx, now_ns),
            DrcKind::Cpu => Err("a CPU core has one DR connector".into()),
            DrcKind::Lmb => self.unplug_dimm(idxs, now_ns),
        }
    }

    fn unplug_core(&mut self, idx: u32, now: u64) -> Result<UnplugRequest, String> {
        let b = self.behaviour;
        let c = self.connectors.get_mut(&idx).expect("checked");
        if c.device.is_none() {
            return Err(format!("Unable to find CPU core with core-id: {}", c.id));
        }
        if c.id == 0 {
            return Err("Boot CPU core may not be unplugged".into());
        }
        let mut req = UnplugRequest::default();
        if c.unplug_requested {
            match b {
                UnplugBehaviour::Qemu52 => {
                    trace!(
                        now,
                        "unplug {idx:#x}: already pending, nothing sent (qemu-5.2)"
                    );
                    return Ok(req);
                }
                UnplugBehaviour::Qemu60Dev => {
                    let left = c.deadline.map_or(0, |d| d.saturating_sub(now)) / 1_000_000_000;
                    return Err(format!(
                        "core-id {} unplug is still pending, {left} seconds timeout remaining",
                        c.id
                    ));
                }
                UnplugBehaviour::Qemu72 => {
                    trace!(
                        now,
                        "unplug {idx:#x}: already pending, remove event sent again"
                    );
                }
            }
        } else {
            let empty = c.request_unplug(now);
            c.deadline = b.cpu_timeout().map(|t| now + t);
            trace!(
                now,
                "unplug {idx:#x} ({}): unplug requested in state {}",
                label(c.device.as_deref().unwrap_or("")),
                c.state.name()
            );
            if empty {
                req.outcomes.extend(self.release(idx, now));
            }
        }
        self.queue_hotplug(DrcKind::Cpu, HpAction::Remove, HpId::Index(idx), now);
        req.event_queued = true;
        Ok(req)
    }

    fn unplug_dimm(&mut self, idxs: &[u32], now: u64) -> Result<UnplugRequest, String> {
        let c = &self.connectors[&idxs[0]];
        let first = c
            .dimm
            .ok_or_else(|| format!("{} has no DIMM attached", c.name()))?;
        let dimm = &self.dimms[&first];
        let mut want = idxs.to_vec();
        want.sort_unstable();
        if want != [first] && want != dimm.lmbs {
            return Err(format!(
                "LMBs {idxs:x?} are not those of DIMM {}",
                label(&dimm.device)
            ));
        }
        if dimm.pending.is_some() {
            return Err(format!(
                "Memory unplug already in progress for device {}",
                dimm.device
            ));
        }
        let supported = match self.hp_evt {
            Some(hp) => hp,
            None => self.behaviour != UnplugBehaviour::Qemu52,
        };
        if !supported {
            return Err("Memory hot unplug not supported for this guest".into());
        }
        // Only the LMBs still attached (a guest may have released some
        // before refusing an earlier request).
        let lmbs: Vec<u32> = dimm
            .lmbs
            .iter()
            .copied()
            .filter(|i| self.connectors[i].device.is_some())
            .collect();
        let count = dimm.lmbs.len() as u32;
        self.dimms.get_mut(&first).expect("found").pending = Some(lmbs.len() as u32);
        trace!(
            now,
            "unplug DIMM {}: {count} LMBs from {first:#x} requested",
            label(&self.dimms[&first].device)
        );
        let mut req = UnplugRequest::default();
        for i in lmbs {
            let c = self.connectors.get_mut(&i).expect("DIMM LMB");
            if c.request_unplug(now) {
                req.outcomes.extend(self.release(i, now));
            }
        }
        let id = HpId::CountIndexed {
            count,
            index: first,
        };
        self.queue_hotplug(DrcKind::Lmb, HpAction::Remove, id, now);
        req.event_queued = true;
        Ok(req)
    }

    /// Detach the device of `idx` (QEMU `spapr_drc_release`); a DIMM is
    /// released when its last LMB is.
    fn release(&mut self, idx: u32, now: u64) -> Option<Outcome> {
        let c = self.connectors.get_mut(&idx)?;
        let dimm = c.dimm;
        let dev = c.device.clone().unwrap_or_default();
        let since = c.pending_since.map_or(String::new(), |s| {
            format!(" after {} s", vt(now.saturating_sub(s)))
        });
        c.release();
        trace!(
            now,
            "release {idx:#x} ({}): device detached{since}",
            label(&dev)
        );
        let Some(first) = dimm else {
            return Some(Outcome::Released(idx));
        };
        let attached = self
            .connectors
            .values()
            .filter(|c| c.dimm == Some(first))
            .count() as u32;
        let d = self.dimms.get_mut(&first)?;
        let left = d.pending.unwrap_or(attached + 1).saturating_sub(1);
        d.pending = Some(left);
        if left > 0 {
            return None;
        }
        let d = self.dimms.remove(&first)?;
        trace!(now, "DIMM {} released", label(&d.device));
        Some(Outcome::Released(first))
    }

    /// The guest refused to give up `idx` (QEMU ≥ 6.1 unisolate rule).
    fn refused(&mut self, idx: u32, now: u64) -> Outcome {
        let c = self.connectors.get_mut(&idx).expect("connector");
        let device = c.device.clone().unwrap_or_default();
        let outcome = match c.dimm {
            Some(first) => self.rollback_dimm(first, now, "unisolate"),
            None => {
                c.cancel_unplug();
                trace!(now, "unplug of {idx:#x} refused by the guest (unisolate)");
                Outcome::Rejected(idx)
            }
        };
        if !device.is_empty() {
            log::warn!(target: "drc", "Device hotunplug rejected by the guest for device {device}");
        }
        outcome
    }

    /// Cancel the unplug of every LMB of a DIMM (QEMU
    /// `spapr_memory_unplug_rollback`).
    fn rollback_dimm(&mut self, first: u32, now: u64, why: &str) -> Outcome {
        if let Some(d) = self.dimms.get_mut(&first) {
            d.pending = None;
            for i in d.lmbs.clone() {
                if let Some(c) = self.connectors.get_mut(&i) {
                    c.cancel_unplug();
                }
            }
            trace!(now, "DIMM {} unplug rolled back ({why})", label(&d.device));
        }
        Outcome::Rejected(first)
    }

    fn queue_hotplug(&mut self, kind: DrcKind, action: HpAction, id: HpId, now: u64) {
        let plid = self.events.plid();
        let secs = self.rtc_base + (now / 1_000_000_000) as i64;
        self.events
            .push(event::hotplug_event(kind.hp_type(), action, id, plid, secs));
        trace!(
            now,
            "event queued: {action:?} {} {id:x?} ({} queued)",
            kind.type_name(),
            self.events.len()
        );
    }

    /// Queue an EPOW "system shutdown" event (the power button).
    pub fn queue_powerdown(&mut self, now_ns: u64) {
        let plid = self.events.plid();
        let secs = self.rtc_base + (now_ns / 1_000_000_000) as i64;
        self.events.push(event::epow_shutdown_event(plid, secs));
        trace!(now_ns, "event queued: EPOW shutdown");
    }

    /// Expire qemu-6.0-dev CPU unplug timers.
    pub fn tick(&mut self, now_ns: u64) -> Vec<Outcome> {
        let mut out = Vec::new();
        for c in self.connectors.values_mut() {
            if c.deadline.is_some_and(|d| d <= now_ns) {
                c.cancel_unplug();
                trace!(
                    now_ns,
                    "unplug of {:#x} timed out, no longer pending",
                    c.index
                );
                out.push(Outcome::TimedOut(c.index));
            }
        }
        out
    }

    /// When [`Drcs::tick`] next has something to do.
    pub fn next_deadline(&self) -> Option<u64> {
        self.connectors.values().filter_map(|c| c.deadline).min()
    }

    fn reset_all(&mut self, now: u64, why: &str) -> Vec<Outcome> {
        let mut out = Vec::new();
        let idxs: Vec<u32> = self.connectors.keys().copied().collect();
        for idx in idxs {
            if self.connectors[&idx].unplug_requested {
                out.extend(self.release(idx, now));
            }
            let c = self.connectors.get_mut(&idx).expect("connector");
            let old = c.state;
            c.reset_state();
            if old != c.state {
                trace!(now, "{why}: {idx:#x} {} -> {}", old.name(), c.state.name());
            }
        }
        out
    }

    /// Machine reset: every pending unplug completes, attached devices
    /// count as cold-plugged, the event queue empties and the OV5 is empty
    /// again.
    pub fn reset(&mut self, now_ns: u64) -> Vec<Outcome> {
        let out = self.reset_all(now_ns, "reset");
        self.events.clear();
        self.hp_evt = None;
        out
    }

    /// CAS: record whether the guest negotiated HP_EVT, reset every
    /// connector (completing pending unplugs) and drop queued hot-plug
    /// events (hotplug.md §2.6, §7).
    pub fn cas(&mut self, hp_evt: bool, now_ns: u64) -> Vec<Outcome> {
        self.hp_evt = Some(hp_evt);
        let out = self.reset_all(now_ns, "CAS");
        self.events.clear_hotplug();
        trace!(now_ns, "CAS: HP_EVT {hp_evt}, hot-plug events dropped");
        out
    }
}
