//! The XICS interrupt controller as PAPR presents it to a guest (PAPR
//! §"Interrupt Support", "XICS"): one presentation controller (ICP) per
//! vCPU server, driven by the H_CPPR/H_IPI/H_XIRR/H_EOI/H_IPOLL hypercalls,
//! and one source controller (ICS) whose sources (0x1000 EPOW, 0x1001
//! hotplug, 0x1100 vty, ...) are configured with RTAS ibm,set-xive,
//! ibm,get-xive, ibm,int-on and ibm,int-off.
//!
//! Model: each ICP presents at most one interrupt (XISR) at a time; the
//! best candidate (an IPI while MFRR < CPPR, or a pending source routed to
//! the server with priority < CPPR) is chosen by `update`. Priority 0 is
//! most favoured, 0xff disables.

use std::collections::BTreeMap;

/// XISR of the inter-processor interrupt.
pub const XICS_IPI: u32 = 2;
/// First source number of the ICS (QEMU's numbering).
pub const ICS_BASE: u32 = 0x1000;
pub const IRQ_EPOW: u32 = 0x1000;
pub const IRQ_HOTPLUG: u32 = 0x1001;
pub const IRQ_VTY: u32 = 0x1100;

#[derive(Clone, Copy, Debug)]
pub struct Icp {
    pub cppr: u8,
    pub mfrr: u8,
    /// Presented interrupt: (xisr, priority).
    pub presented: Option<(u32, u8)>,
}

#[derive(Clone, Copy, Debug)]
pub struct Source {
    pub server: u32,
    pub priority: u8,
    /// Priority before ibm,int-off masked the source.
    pub saved_priority: u8,
    pub pending: bool,
    /// Level-sensitive (LSI): stays pending while asserted.
    pub lsi: bool,
    pub asserted: bool,
}

pub struct Xics {
    pub icps: Vec<Icp>,
    pub sources: BTreeMap<u32, Source>,
}

impl Xics {
    pub fn new(servers: usize, irqs: &[(u32, bool)]) -> Xics {
        let icps = vec![
            Icp {
                cppr: 0,
                mfrr: 0xff,
                presented: None,
            };
            servers
        ];
        let sources = irqs
            .iter()
            .map(|&(n, lsi)| {
                (
                    n,
                    Source {
                        server: 0,
                        priority: 0xff,
                        saved_priority: 0xff,
                        pending: false,
                        lsi,
                        asserted: false,
                    },
                )
            })
            .collect();
        Xics { icps, sources }
    }

    /// Whether `server` has an interrupt to present (the external-exception
    /// line of that vCPU).
    pub fn pending(&self, server: usize) -> bool {
        self.icps.get(server).is_some_and(|i| i.presented.is_some())
    }

    /// Re-evaluate what `server` presents.
    pub fn update(&mut self, server: usize) {
        let Some(icp) = self.icps.get(server).copied() else {
            return;
        };
        let mut best: Option<(u32, u8)> = icp.presented;
        let consider = |x: u32, p: u8, best: &mut Option<(u32, u8)>| {
            if p < icp.cppr && best.is_none_or(|(_, bp)| p < bp) {
                *best = Some((x, p));
            }
        };
        if icp.mfrr != 0xff {
            consider(XICS_IPI, icp.mfrr, &mut best);
        }
        for (&n, s) in &self.sources {
            if s.pending && s.priority != 0xff && s.server as usize == server {
                consider(n, s.priority, &mut best);
            }
        }
        self.icps[server].presented = best;
    }

    fn update_all(&mut self) {
        for s in 0..self.icps.len() {
            self.update(s);
        }
    }

    /// Assert (level) or pulse (edge/MSI) a source.
    pub fn raise(&mut self, irq: u32) {
        let server = match self.sources.get_mut(&irq) {
            Some(s) => {
                s.pending = true;
                if s.lsi {
                    s.asserted = true;
                }
                s.server as usize
            }
            None => return,
        };
        self.update(server);
    }

    pub fn lower(&mut self, irq: u32) {
        if let Some(s) = self.sources.get_mut(&irq) {
            s.asserted = false;
            if s.lsi {
                s.pending = false;
            }
        }
    }

    // ---- hypercalls (return PAPR status; outputs through the tuple) ----

    /// H_CPPR: set the current processor priority.
    pub fn h_cppr(&mut self, server: usize, cppr: u8) {
        let Some(icp) = self.icps.get_mut(server) else {
            return;
        };
        icp.cppr = cppr;
        // A presented interrupt no longer more favoured than CPPR goes back
        // to its source (rejected) and is re-offered later.
        if let Some((x, p)) = icp.presented {
            if p >= cppr {
                icp.presented = None;
                if let Some(s) = self.sources.get_mut(&x) {
                    s.pending = true;
                }
            }
        }
        self.update(server);
    }

    /// H_XIRR: accept the presented interrupt; returns XIRR.
    pub fn h_xirr(&mut self, server: usize) -> u32 {
        let Some(icp) = self.icps.get_mut(server) else {
            return 0;
        };
        let old = icp.cppr;
        match icp.presented.take() {
            Some((x, p)) => {
                icp.cppr = p;
                if let Some(s) = self.sources.get_mut(&x) {
                    if !s.lsi {
                        s.pending = false;
                    }
                }
                (old as u32) << 24 | x
            }
            None => (old as u32) << 24,
        }
    }

    /// H_IPOLL: what H_XIRR would return, without accepting; and MFRR.
    pub fn h_ipoll(&self, server: usize) -> (u32, u8) {
        match self.icps.get(server) {
            Some(icp) => (
                (icp.cppr as u32) << 24 | icp.presented.map_or(0, |(x, _)| x),
                icp.mfrr,
            ),
            None => (0, 0xff),
        }
    }

    /// H_EOI: end of interrupt; restores CPPR from the XIRR.
    pub fn h_eoi(&mut self, server: usize, xirr: u32) {
        let Some(icp) = self.icps.get_mut(server) else {
            return;
        };
        icp.cppr = (xirr >> 24) as u8;
        let x = xirr & 0xff_ffff;
        if let Some(s) = self.sources.get_mut(&x) {
            if s.lsi && s.asserted {
                s.pending = true;
            }
        }
        self.update_all();
    }

    /// H_IPI: set a server's MFRR. Returns false for an unknown server.
    pub fn h_ipi(&mut self, server: usize, mfrr: u8) -> bool {
        let Some(icp) = self.icps.get_mut(server) else {
            return false;
        };
        icp.mfrr = mfrr;
        if let Some((XICS_IPI, _)) = icp.presented {
            if mfrr == 0xff {
                icp.presented = None;
            }
        }
        self.update(server);
        true
    }

    // ---- RTAS ----

    pub fn set_xive(&mut self, irq: u32, server: u32, prio: u8) -> bool {
        if server as usize >= self.icps.len() {
            return false;
        }
        match self.sources.get_mut(&irq) {
            Some(s) => {
                s.server = server;
                s.priority = prio;
                s.saved_priority = prio;
                self.update_all();
                true
            }
            None => false,
        }
    }

    pub fn get_xive(&self, irq: u32) -> Option<(u32, u8)> {
        self.sources.get(&irq).map(|s| (s.server, s.priority))
    }

    pub fn int_off(&mut self, irq: u32) -> bool {
        match self.sources.get_mut(&irq) {
            Some(s) => {
                if s.priority != 0xff {
                    s.saved_priority = s.priority;
                }
                s.priority = 0xff;
                true
            }
            None => false,
        }
    }

    pub fn int_on(&mut self, irq: u32) -> bool {
        match self.sources.get_mut(&irq) {
            Some(s) => {
                s.priority = s.saved_priority;
                self.update_all();
                true
            }
            None => false,
        }
    }

    /// Back to reset state (machine reset).
    pub fn reset(&mut self) {
        for i in &mut self.icps {
            *i = Icp {
                cppr: 0,
                mfrr: 0xff,
                presented: None,
            };
        }
        for s in self.sources.values_mut() {
            s.priority = 0xff;
            s.saved_priority = 0xff;
            s.pending = false;
            s.asserted = false;
            s.server = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipi_presented_accepted_and_cleared() {
        let mut x = Xics::new(2, &[(IRQ_VTY, false)]);
        x.h_cppr(1, 0xff);
        assert!(!x.pending(1));
        x.h_ipi(1, 4);
        assert!(x.pending(1));
        let xirr = x.h_xirr(1);
        assert_eq!(xirr, 0xff00_0002);
        assert!(!x.pending(1));
        x.h_ipi(1, 0xff);
        x.h_eoi(1, xirr);
        assert!(!x.pending(1));
    }

    #[test]
    fn source_routing_priority_and_masking() {
        let mut x = Xics::new(1, &[(IRQ_VTY, false)]);
        x.h_cppr(0, 0xff);
        x.raise(IRQ_VTY);
        assert!(!x.pending(0), "priority 0xff means masked");
        assert!(x.set_xive(IRQ_VTY, 0, 5));
        assert!(x.pending(0), "pending edge delivered once configured");
        assert_eq!(x.h_xirr(0), 0xff00_1100);
        x.h_eoi(0, 0xff00_1100);
        assert!(!x.pending(0));
        x.int_off(IRQ_VTY);
        x.raise(IRQ_VTY);
        assert!(!x.pending(0));
        x.int_on(IRQ_VTY);
        assert!(x.pending(0));
        assert_eq!(x.get_xive(IRQ_VTY), Some((0, 5)));
        assert!(!x.set_xive(IRQ_VTY, 7, 5), "no such server");
    }

    #[test]
    fn cppr_blocks_less_favoured() {
        let mut x = Xics::new(1, &[(IRQ_VTY, false)]);
        x.h_cppr(0, 5);
        x.set_xive(IRQ_VTY, 0, 5);
        x.raise(IRQ_VTY);
        assert!(!x.pending(0));
        x.h_cppr(0, 6);
        assert!(x.pending(0));
    }
}
