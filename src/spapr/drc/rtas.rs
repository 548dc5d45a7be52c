//! The RTAS-facing half of [`Drcs`]: `set-indicator`, `get-sensor-state`,
//! `ibm,configure-connector` and `check-exception` with their arguments
//! already parsed by the RTAS dispatcher (LoPAPR 1.1 §7.3.5, §7.3.12;
//! hotplug.md §2.3–§2.5, §3.2), and the `x-query-drc` / `info drc` view.

use super::connector::Effect;
use super::*;

impl Drcs {
    /// `set-indicator(type, index, state)` (3 in, 1 out; the caller checks
    /// the counts).
    pub fn set_indicator(
        &mut self,
        idx: u32,
        indicator: u32,
        state: u32,
        now_ns: u64,
    ) -> (i32, Option<Outcome>) {
        let what = match indicator {
            INDICATOR_ISOLATION => "isolation-state",
            INDICATOR_DR => "dr-indicator",
            INDICATOR_ALLOCATION => "allocation-state",
            _ => "unknown indicator",
        };
        let b = self.behaviour;
        let Some(c) = self.connectors.get_mut(&idx) else {
            trace!(
                now_ns,
                "set-indicator({what} {indicator}, {idx:#x}, {state}): no such connector, rc -3"
            );
            return (RTAS_PARAM_ERROR, None);
        };
        let old = c.state;
        let (rc, effect) = match (indicator, state) {
            (INDICATOR_ISOLATION, 0) => (c.isolate(), Effect::None),
            (INDICATOR_ISOLATION, 1) => c.unisolate(b.detects_refusal()),
            (INDICATOR_ALLOCATION, 0) => c.set_unusable(),
            (INDICATOR_ALLOCATION, 1) => (c.set_usable(), Effect::None),
            // Logical connectors have no DR indicator; unknown types and
            // values are parameter errors.
            _ => (RTAS_PARAM_ERROR, Effect::None),
        };
        let note = if effect == Effect::None
            && indicator == INDICATOR_ISOLATION
            && state == 1
            && c.unplug_requested
            && old != DrcState::Available
        {
            format!(
                " (unplug pending; not read as a refusal under {})",
                b.name()
            )
        } else {
            String::new()
        };
        trace!(
            now_ns,
            "set-indicator({what} {indicator}, {idx:#x}, {state}): {} -> {} rc {rc}{note}",
            old.name(),
            c.state.name()
        );
        let outcome = match effect {
            Effect::None => None,
            Effect::Release => self.release(idx, now_ns),
            Effect::Refused => Some(self.refused(idx, now_ns)),
        };
        (rc, outcome)
    }

    /// `get-sensor-state(9003, index)`: (status, dr-entity-sense).
    pub fn get_sensor_state(&self, idx: u32, sensor: u32) -> (i32, u32) {
        match self.connectors.get(&idx) {
            Some(c) if sensor == SENSOR_ENTITY_SENSE => (RTAS_SUCCESS, c.state.entity_sense()),
            _ => (RTAS_PARAM_ERROR, 0),
        }
    }

    /// `ibm,configure-connector` on the work area `wa` (4096 bytes of
    /// guest memory; word 0 holds the DRC index): one step of the walk
    /// (see the `walk` module for the protocol). An LMB being removed is
    /// the guest re-adding memory after a failed removal: the DIMM's
    /// unplug rolls back (qemu-6.0-dev and qemu-7.2).
    pub fn configure_connector(&mut self, wa: &mut [u8], now_ns: u64) -> (i32, Option<Outcome>) {
        let Some(idx) = walk::get_word(wa, 0) else {
            trace!(
                now_ns,
                "configure-connector: work area of {} bytes, rc -3",
                wa.len()
            );
            return (RTAS_PARAM_ERROR, None);
        };
        let Some(c) = self.connectors.get(&idx) else {
            trace!(
                now_ns,
                "configure-connector({idx:#x}): no such connector, rc -3"
            );
            return (RTAS_PARAM_ERROR, None);
        };
        if !matches!(c.state, DrcState::Unisolate | DrcState::Configured) {
            trace!(
                now_ns,
                "configure-connector({idx:#x}): {}, rc -9003",
                c.state.name()
            );
            return (CC_NOT_CONFIGURABLE, None);
        }
        let mut outcome = None;
        if c.kind == DrcKind::Lmb && c.unplug_requested && self.behaviour.cc_rollback() {
            if let Some(first) = c.dimm {
                outcome = Some(self.rollback_dimm(first, now_ns, "configure-connector"));
            }
        }
        let c = self.connectors.get_mut(&idx).expect("connector");
        let Some(w) = c.walk.as_mut() else {
            trace!(now_ns, "configure-connector({idx:#x}): no fragment, rc -1");
            return (CC_ERROR, outcome);
        };
        let (rc, name) = w.step(wa);
        let old = c.state;
        if rc == CC_COMPLETE {
            c.set_configured();
        }
        trace!(
            now_ns,
            "configure-connector({idx:#x}): rc {rc} {name} {} -> {}",
            old.name(),
            c.state.name()
        );
        (rc, outcome)
    }

    /// `check-exception`: dequeue the first event whose class is in
    /// `mask`, as the bytes to write to the guest's buffer (clipped to
    /// `buf_len`); `None` means status 1, nothing found. Afterwards pulse
    /// [`Drcs::pending_irqs`] (edge re-trigger for what is left).
    pub fn check_exception(&mut self, mask: u32, buf_len: usize) -> Option<Vec<u8>> {
        let e = self.events.dequeue(mask, self.hp_evt())?;
        let mut b = e.bytes();
        b.truncate(buf_len);
        log::info!(
            target: "drc",
            "check-exception(mask {mask:#x}, {buf_len} bytes): {:?} log dequeued, {} left",
            e.log_type,
            self.events.len()
        );
        Some(b)
    }

    /// Whether any event is queued.
    pub fn event_pending(&self) -> bool {
        !self.events.is_empty()
    }

    /// The interrupts to pulse for the queued events, one per class
    /// (EPOW 0x1000; hot-plug 0x1001 when HP_EVT was negotiated, else
    /// through EPOW). Pulse after queueing, after check-exception and on
    /// event-scan; never when this is empty (Linux would re-read a stale
    /// log, hotplug.md §3.3).
    pub fn pending_irqs(&self) -> Vec<u32> {
        let hp = self.hp_evt();
        let mut v = Vec::new();
        if self.events.contains(EVENT_MASK_EPOW, hp) {
            v.push(IRQ_EPOW);
        }
        if self.events.contains(EVENT_MASK_HOTPLUG, hp) {
            v.push(IRQ_HOTPLUG);
        }
        v
    }

    /// Every connector as `x-query-drc` and HMP `info drc` show it at
    /// `now_ns`: state, device, and how long an unplug has been pending
    /// (and, under qemu-6.0-dev, until its timeout).
    pub fn info(&self, now_ns: u64) -> Vec<crate::monitor::types::DrcInfo> {
        self.connectors
            .values()
            .map(|c| crate::monitor::types::DrcInfo {
                index: c.index,
                type_: c.kind.type_name().into(),
                name: c.name(),
                state: c.state.name().into(),
                device: c.device.clone().filter(|d| !d.is_empty()),
                unplug_requested: c.unplug_requested,
                pending_ns: c
                    .pending_since
                    .filter(|_| c.unplug_requested)
                    .map(|t| now_ns.saturating_sub(t)),
                timeout_ns: c.deadline.map(|d| d.saturating_sub(now_ns)),
            })
            .collect()
    }
}
