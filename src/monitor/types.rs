//! The JSON the machine returns for the query commands, as QEMU 7.2's
//! schema spells it. The machine builds these and replies with
//! [`ret`]; HMP reads them back to print its text, so both views agree.

use super::QmpError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Serialise a reply value (`Ok(json)` for [`super::Request::reply`]).
pub fn ret<T: Serialize>(t: &T) -> Result<Value, QmpError> {
    serde_json::to_value(t).map_err(|e| QmpError::generic(e.to_string()))
}

/// Read a machine reply back (HMP).
pub(crate) fn parse<T: for<'de> Deserialize<'de>>(v: Value) -> Result<T, QmpError> {
    serde_json::from_value(v)
        .map_err(|e| QmpError::generic(format!("bad reply from the machine: {e}")))
}

/// `query-status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusInfo {
    pub running: bool,
    pub singlestep: bool,
    pub status: RunState,
}

impl StatusInfo {
    pub fn new(status: RunState) -> StatusInfo {
        StatusInfo {
            running: status == RunState::Running,
            singlestep: false,
            status,
        }
    }
}

/// QEMU's RunState (the values a pseries machine can be in, and the rest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunState {
    Debug,
    Inmigrate,
    InternalError,
    IoError,
    Paused,
    Postmigrate,
    Prelaunch,
    FinishMigrate,
    RestoreVm,
    Running,
    SaveVm,
    Shutdown,
    Suspended,
    Watchdog,
    GuestPanicked,
    Colo,
    Preconfig,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Debug => "debug",
            RunState::Inmigrate => "inmigrate",
            RunState::InternalError => "internal-error",
            RunState::IoError => "io-error",
            RunState::Paused => "paused",
            RunState::Postmigrate => "postmigrate",
            RunState::Prelaunch => "prelaunch",
            RunState::FinishMigrate => "finish-migrate",
            RunState::RestoreVm => "restore-vm",
            RunState::Running => "running",
            RunState::SaveVm => "save-vm",
            RunState::Shutdown => "shutdown",
            RunState::Suspended => "suspended",
            RunState::Watchdog => "watchdog",
            RunState::GuestPanicked => "guest-panicked",
            RunState::Colo => "colo",
            RunState::Preconfig => "preconfig",
        }
    }
}

/// CpuInstanceProperties; pseries fills `core-id` and `node-id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CpuInstanceProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub socket_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub die_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<i64>,
}

impl CpuInstanceProperties {
    /// `{core-id, node-id}` as pseries reports it.
    pub fn core(core_id: i64, node_id: i64) -> CpuInstanceProperties {
        CpuInstanceProperties {
            core_id: Some(core_id),
            node_id: Some(node_id),
            ..Default::default()
        }
    }
}

/// One `query-cpus-fast` entry (one per vCPU thread). `target` is "ppc64";
/// `thread-id` is the host thread running it (all ours share one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CpuInfoFast {
    pub cpu_index: i64,
    pub qom_path: String,
    pub thread_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub props: Option<CpuInstanceProperties>,
    pub target: String,
}

/// One `query-hotpluggable-cpus` entry (one per possible core);
/// `qom-path` only when the slot is populated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct HotpluggableCpu {
    #[serde(rename = "type")]
    pub type_: String,
    pub vcpus_count: i64,
    pub props: CpuInstanceProperties,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qom_path: Option<String>,
}

/// `query-memory-devices` entry: `{"type": "dimm", "data": {...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
pub enum MemoryDeviceInfo {
    Dimm(PcDimmDeviceInfo),
    Nvdimm(PcDimmDeviceInfo),
}

/// PCDIMMDeviceInfo; `memdev` is the backend's QOM path ("/objects/mem1").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PcDimmDeviceInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub addr: u64,
    pub size: u64,
    pub slot: i64,
    pub node: i64,
    pub memdev: String,
    pub hotplugged: bool,
    pub hotpluggable: bool,
}

/// `query-memory-size-summary`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MemorySizeSummary {
    pub base_memory: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugged_memory: Option<u64>,
}

/// `x-query-drc` entry (ours): one Dynamic Reconfiguration Connector.
/// `type` is the ibm,drc-types string ("CPU", "MEM", "PHB", "PMEM", "28"),
/// `name` the ibm,drc-names one ("CPU 1", "LMB 4"), `state` the lower-case
/// PAPR state ("unusable", "available", "unisolate", "configured",
/// "poweron"), `device` the attached device's id or QOM path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DrcInfo {
    pub index: u32,
    #[serde(rename = "type")]
    pub type_: String,
    pub name: String,
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    pub unplug_requested: bool,
    /// Virtual ns since the pending unplug was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_ns: Option<u64>,
    /// Virtual ns until the qemu-6.0-dev unplug timeout clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ns: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_match_qemu() {
        let h = HotpluggableCpu {
            type_: "power9_v2.0-spapr-cpu-core".into(),
            vcpus_count: 1,
            props: CpuInstanceProperties::core(0, 0),
            qom_path: Some("/machine/unattached/device[1]".into()),
        };
        assert_eq!(
            ret(&h).unwrap(),
            json!({"type": "power9_v2.0-spapr-cpu-core", "vcpus-count": 1,
                   "props": {"core-id": 0, "node-id": 0}, "qom-path": "/machine/unattached/device[1]"})
        );
        let m = MemoryDeviceInfo::Dimm(PcDimmDeviceInfo {
            id: Some("dimm1".into()),
            addr: 1 << 30,
            size: 256 << 20,
            slot: 0,
            node: 0,
            memdev: "/objects/mem1".into(),
            hotplugged: true,
            hotpluggable: true,
        });
        assert_eq!(ret(&m).unwrap()["type"], json!("dimm"));
        assert_eq!(ret(&m).unwrap()["data"]["memdev"], json!("/objects/mem1"));
        assert_eq!(
            ret(&StatusInfo::new(RunState::Prelaunch)).unwrap(),
            json!({"running": false, "singlestep": false, "status": "prelaunch"})
        );
    }
}
