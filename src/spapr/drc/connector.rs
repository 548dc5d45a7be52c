//! One logical DR connector and its state machine (LoPAPR 1.1 §13.5,
//! "Dynamic Reconfiguration", Figure "DR Connector state transitions for
//! logical resources"; hotplug.md §2.2–§2.3). A logical DRC moves through
//! UNUSABLE (1) → AVAILABLE (2) → UNISOLATE (3) → CONFIGURED (4) as the
//! guest drives RTAS `set-indicator` (allocation 9003, isolation 9001) and
//! `ibm,configure-connector`. Each transition is one method returning the
//! RTAS status; the side effects a transition asks for (release the
//! device, treat the call as a refused unplug) come back as an [`Effect`]
//! for [`super::Drcs`] to carry out, since they can reach other connectors
//! (a DIMM's LMBs) or the machine (device destruction).

use super::walk::Walk;
use super::{DrcKind, RTAS_HW_ERROR, RTAS_PARAM_ERROR, RTAS_SUCCESS};

/// The states of a logical DRC, numbered as in LoPAPR (these numbers are
/// also QEMU's migration values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u32)]
pub enum DrcState {
    /// Empty state: no resource allocated to the OS (a device may already
    /// be attached right after a hot plug).
    Unusable = 1,
    /// Allocated (allocation-state usable) but isolated.
    Available = 2,
    /// Unisolated: configure-connector may run.
    Unisolate = 3,
    /// The device tree fragment was delivered; the OS owns the resource
    /// (the "ready" state of a cold-plugged device).
    Configured = 4,
}

impl DrcState {
    pub fn name(self) -> &'static str {
        match self {
            DrcState::Unusable => "unusable",
            DrcState::Available => "available",
            DrcState::Unisolate => "unisolate",
            DrcState::Configured => "configured",
        }
    }

    /// The dr-entity-sense value `get-sensor-state(9003)` reports for a
    /// logical DRC: 2 (unusable) in the empty state, 1 (present) otherwise
    /// (LoPAPR Table "DR-entity-sense", hotplug.md §2.3).
    pub fn entity_sense(self) -> u32 {
        match self {
            DrcState::Unusable => 2,
            _ => 1,
        }
    }
}

/// What a transition asks its owner to do besides changing the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Effect {
    None,
    /// Unplug completed: release the attached device.
    Release,
    /// Unisolate while an unplug is pending: the guest refused the unplug
    /// (QEMU ≥ 6.1 convention, hotplug.md §2.6).
    Refused,
}

/// One DR connector.
#[derive(Clone, Debug)]
pub struct Connector {
    pub index: u32,
    pub kind: DrcKind,
    /// The type-specific id (vcpu id of thread 0; address / 256 MiB).
    pub id: u32,
    pub state: DrcState,
    /// The attached device's id (`Some("")` for an anonymous device such
    /// as a boot core).
    pub device: Option<String>,
    /// The machine asked for the device to be removed and waits for the
    /// guest to release it.
    pub unplug_requested: bool,
    /// Virtual time the pending unplug was requested at.
    pub pending_since: Option<u64>,
    /// qemu-6.0-dev: when the pending CPU unplug times out.
    pub(super) deadline: Option<u64>,
    /// For an LMB: the first LMB index of the DIMM it belongs to.
    pub(super) dimm: Option<u32>,
    /// The device tree fragment configure-connector hands out, with its
    /// cursor.
    pub(super) walk: Option<Walk>,
}

impl Connector {
    pub fn new(kind: DrcKind, id: u32) -> Connector {
        Connector {
            index: kind.index(id),
            kind,
            id,
            state: DrcState::Unusable,
            device: None,
            unplug_requested: false,
            pending_since: None,
            deadline: None,
            dimm: None,
            walk: None,
        }
    }

    /// `"CPU 1"`, `"LMB 4"`: the `ibm,drc-names` entry.
    pub fn name(&self) -> String {
        format!("{}{}", self.kind.name_prefix(), self.id)
    }

    /// allocation-state := usable (set-indicator 9003, 1). Only an empty
    /// connector holding a device that is not being removed can be taken
    /// (PAPR 2.7 §13.5.3.4: no resource → "no such indicator").
    pub(super) fn set_usable(&mut self) -> i32 {
        match self.state {
            DrcState::Unusable => {
                if self.device.is_none() || self.unplug_requested {
                    return RTAS_PARAM_ERROR;
                }
                self.state = DrcState::Available;
                RTAS_SUCCESS
            }
            _ => RTAS_SUCCESS,
        }
    }

    /// allocation-state := unusable (set-indicator 9003, 0). From
    /// AVAILABLE this returns the resource to the platform, which completes
    /// a pending unplug.
    pub(super) fn set_unusable(&mut self) -> (i32, Effect) {
        match self.state {
            DrcState::Unusable => (RTAS_SUCCESS, Effect::None),
            DrcState::Available => {
                self.state = DrcState::Unusable;
                let effect = if self.unplug_requested {
                    Effect::Release
                } else {
                    Effect::None
                };
                (RTAS_SUCCESS, effect)
            }
            DrcState::Unisolate | DrcState::Configured => (RTAS_PARAM_ERROR, Effect::None),
        }
    }

    /// isolation-state := isolate (set-indicator 9001, 0). An LMB that is
    /// not being removed refuses with a hardware error, so a guest
    /// "remove by count" cannot take memory the platform did not offer
    /// (hotplug.md §6.2).
    pub(super) fn isolate(&mut self) -> i32 {
        match self.state {
            DrcState::Unusable | DrcState::Available => RTAS_SUCCESS,
            DrcState::Unisolate => RTAS_PARAM_ERROR,
            DrcState::Configured => {
                if self.kind == DrcKind::Lmb && !self.unplug_requested {
                    return RTAS_HW_ERROR;
                }
                self.state = DrcState::Available;
                RTAS_SUCCESS
            }
        }
    }

    /// isolation-state := unisolate (set-indicator 9001, 1). From
    /// AVAILABLE it readies configure-connector (cursor rewound). On an
    /// already unisolated/configured connector it is a no-op, except that
    /// with `detect_refusal` and an unplug pending it is the guest's
    /// "removal failed" signal.
    pub(super) fn unisolate(&mut self, detect_refusal: bool) -> (i32, Effect) {
        match self.state {
            DrcState::Unusable => (RTAS_PARAM_ERROR, Effect::None),
            DrcState::Available => {
                self.state = DrcState::Unisolate;
                if let Some(w) = &mut self.walk {
                    w.rewind();
                }
                (RTAS_SUCCESS, Effect::None)
            }
            DrcState::Unisolate | DrcState::Configured => {
                if detect_refusal && self.unplug_requested && self.device.is_some() {
                    (RTAS_SUCCESS, Effect::Refused)
                } else {
                    (RTAS_SUCCESS, Effect::None)
                }
            }
        }
    }

    /// configure-connector finished the fragment: the ready state.
    pub(super) fn set_configured(&mut self) {
        self.state = DrcState::Configured;
    }

    /// Mark the device for removal; `true` if the connector is already
    /// empty, so the release happens at once (hotplug.md §2.6).
    pub(super) fn request_unplug(&mut self, now_ns: u64) -> bool {
        self.unplug_requested = true;
        self.pending_since = Some(now_ns);
        self.state == DrcState::Unusable
    }

    /// Forget a pending unplug (refusal, rollback, timeout).
    pub(super) fn cancel_unplug(&mut self) {
        self.unplug_requested = false;
        self.pending_since = None;
        self.deadline = None;
    }

    /// Detach the device (QEMU `spapr_drc_release`): the connector keeps
    /// its state, which is the empty state on every path that gets here.
    pub(super) fn release(&mut self) {
        self.cancel_unplug();
        self.device = None;
        self.walk = None;
        self.dimm = None;
    }

    /// Machine reset or CAS (QEMU `spapr_drc_reset`), after any pending
    /// unplug was released: an attached device counts as cold-plugged.
    pub(super) fn reset_state(&mut self) {
        if self.device.is_some() {
            self.state = DrcState::Configured;
            if let Some(w) = &mut self.walk {
                w.rewind();
            }
        } else {
            self.state = DrcState::Unusable;
        }
    }
}
