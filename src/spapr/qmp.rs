//! The machine side of the monitor: executes the typed commands that
//! `crate::monitor` parsed (from QMP, HMP or `human-monitor-command`) against
//! the pseries machine, and keeps the run state (running / paused).

use super::machine::{Machine, Shutdown, VcpuState};
use crate::monitor::types::{
    ret, CpuInfoFast, CpuInstanceProperties, HotpluggableCpu, MemoryDeviceInfo, MemorySizeSummary,
    PcDimmDeviceInfo, RunState, StatusInfo,
};
use crate::monitor::{Command, Event, QmpError};
use serde_json::{json, Value};

/// The QOM type of our CPU cores (QEMU 7.2's default `-cpu` on pseries).
pub const CORE_TYPE: &str = "power9_v2.0-spapr-cpu-core";

/// A CPU core slot (one thread per core).
#[derive(Clone, Debug)]
pub struct CoreSlot {
    /// The device id given with device_add (None for boot cores).
    pub id: Option<String>,
    /// QOM path of the core device.
    pub qom_path: String,
}

impl Machine {
    /// QOM path of the core in slot `n` if populated.
    pub fn core_path(&self, n: usize) -> Option<&str> {
        self.cores.get(n)?.as_ref().map(|c| c.qom_path.as_str())
    }

    fn status(&self) -> RunState {
        if self.shutdown.is_some() {
            RunState::Shutdown
        } else if self.prelaunch {
            RunState::Prelaunch
        } else if self.paused {
            RunState::Paused
        } else {
            RunState::Running
        }
    }

    /// Emit a monitor event (no-op without a monitor).
    pub fn emit(&self, ev: Event) {
        if let Some(m) = &self.monitor {
            m.emit(&ev);
        }
    }

    /// Execute one monitor command.
    pub fn execute(&mut self, cmd: Command) -> Result<Value, QmpError> {
        match cmd {
            Command::QueryStatus => ret(&StatusInfo::new(self.status())),
            Command::QueryCpusFast => {
                let mut out = Vec::new();
                for (n, slot) in self.cores.iter().enumerate() {
                    let Some(c) = slot else { continue };
                    out.push(CpuInfoFast {
                        cpu_index: n as i64,
                        qom_path: format!("{}/thread[0]", c.qom_path),
                        thread_id: std::process::id() as i64,
                        props: Some(CpuInstanceProperties {
                            core_id: Some(n as i64),
                            thread_id: Some(0),
                            node_id: Some(0),
                            ..Default::default()
                        }),
                        target: "ppc64".into(),
                    });
                }
                ret(&out)
            }
            Command::QueryHotpluggableCpus => {
                let out: Vec<HotpluggableCpu> = (0..self.cores.len())
                    .rev()
                    .map(|n| HotpluggableCpu {
                        type_: CORE_TYPE.into(),
                        vcpus_count: 1,
                        props: CpuInstanceProperties::core(n as i64, 0),
                        qom_path: self.core_path(n).map(String::from),
                    })
                    .collect();
                ret(&out)
            }
            Command::QueryMemorySizeSummary => ret(&MemorySizeSummary {
                base_memory: self.cfg.ram_size,
                plugged_memory: if self.cfg.max_mem > 0 {
                    Some(self.dimms.iter().map(|d| d.size).sum())
                } else {
                    None
                },
            }),
            Command::QueryMemoryDevices => {
                let list: Vec<MemoryDeviceInfo> = self
                    .dimms
                    .iter()
                    .map(|d| {
                        MemoryDeviceInfo::Dimm(PcDimmDeviceInfo {
                            id: Some(d.id.clone()),
                            addr: d.addr,
                            size: d.size,
                            slot: d.slot as i64,
                            node: 0,
                            memdev: format!("/objects/{}", d.memdev),
                            hotplugged: true,
                            hotpluggable: true,
                        })
                    })
                    .collect();
                ret(&list)
            }
            Command::QueryDrc => super::hotplug::query_drc(self),
            Command::DeviceAdd(d) => super::hotplug::device_add(self, d),
            Command::DeviceDel { id } => super::hotplug::device_del(self, &id),
            Command::ObjectAdd(o) => super::hotplug::object_add(self, o),
            Command::ObjectDel { id } => super::hotplug::object_del(self, &id),
            Command::SystemPowerdown => {
                self.emit(Event::Powerdown);
                super::hotplug::request_powerdown(self);
                Ok(json!({}))
            }
            Command::SystemReset => {
                // RESET is emitted once the reset has happened (Machine::run).
                self.shutdown = Some(Shutdown::Reset { guest: false });
                Ok(json!({}))
            }
            Command::Stop => {
                if !self.paused {
                    self.paused = true;
                    self.emit(Event::Stop);
                }
                Ok(json!({}))
            }
            Command::Cont => {
                if self.paused {
                    self.paused = false;
                    if std::mem::take(&mut self.prelaunch) {
                        // `-S`: the deferred boot (Machine::reset).
                        self.reset().map_err(|e| QmpError::generic(e.to_string()))?;
                    }
                    self.emit(Event::Resume);
                }
                Ok(json!({}))
            }
            Command::Quit => {
                self.emit(Event::Shutdown {
                    guest: false,
                    reason: "host-qmp-quit".into(),
                });
                self.shutdown = Some(Shutdown::Quit);
                Ok(json!({}))
            }
        }
    }

    /// Serve pending monitor requests (called from the run loop).
    pub fn service_monitor(&mut self) {
        loop {
            let Some(req) = self.monitor.as_ref().and_then(|m| m.poll()) else {
                return;
            };
            let (cmd, responder) = req.into_parts();
            let r = self.execute(cmd);
            responder.reply(r);
        }
    }

    /// Whether vCPU `n` is usable (present and not stopped).
    pub fn vcpu_running(&self, n: usize) -> bool {
        self.vcpus
            .get(n)
            .is_some_and(|v| v.state != VcpuState::Stopped)
    }
}
