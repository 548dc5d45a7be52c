//! The pseries (sPAPR) machine: guest RAM, vCPUs, the device tree and the
//! firmware interfaces (VOF client interface, RTAS), hypercalls, the XICS
//! interrupt controller and the spapr-vty console, run round-robin on one
//! host thread (see ARCHITECTURE.md, "System mode").

pub mod boot;
pub mod devtree;
pub mod drc;
pub mod hcall;
pub mod hotplug;
pub mod hotplug_drc;
pub mod icount;
pub mod machine;
pub mod qmp;
pub mod rtas;
pub mod tree;
pub mod vof;
pub mod vty;
pub mod xics;
