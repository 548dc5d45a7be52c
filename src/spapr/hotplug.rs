//! device_add / device_del / object-add for the pseries machine: CPU cores
//! (`power9_v2.0-spapr-cpu-core`, alias `host-spapr-cpu-core`) and memory
//! (`memory-backend-ram` objects + `pc-dimm`), with QEMU 7.2's refusals and
//! messages (hotplug.md §5). The connector state machine lives in
//! `super::drc`; this module validates requests, keeps the device records
//! and turns DRC outcomes into QMP events.

use super::machine::Machine;
use super::qmp::{CoreSlot, CORE_TYPE};
use crate::monitor::{DeviceAdd, ObjectAdd, QmpError};
use serde_json::{json, Value};

/// A `memory-backend-ram` object.
#[derive(Clone, Debug)]
pub struct Backend {
    pub size: u64,
    /// The pc-dimm using it, if any.
    pub used_by: Option<String>,
}

pub fn object_add(m: &mut Machine, o: ObjectAdd) -> Result<Value, QmpError> {
    if o.qom_type != "memory-backend-ram" {
        return Err(QmpError::generic(format!(
            "Invalid parameter 'qom-type': object type '{}' is not supported",
            o.qom_type
        )));
    }
    if m.backends.contains_key(&o.id) {
        return Err(QmpError::generic(format!(
            "attempt to add duplicate property '{}' to object (type 'container')",
            o.id
        )));
    }
    m.backends.insert(
        o.id,
        Backend {
            size: o.size,
            used_by: None,
        },
    );
    Ok(json!({}))
}

pub fn object_del(m: &mut Machine, id: &str) -> Result<Value, QmpError> {
    match m.backends.get(id) {
        None => Err(QmpError::generic(format!("object '{id}' not found"))),
        Some(b) if b.used_by.is_some() => Err(QmpError::generic(format!(
            "object '{id}' is in use, can not be deleted"
        ))),
        Some(_) => {
            m.backends.remove(id);
            Ok(json!({}))
        }
    }
}

fn duplicate_id(m: &Machine, id: &str) -> bool {
    m.cores
        .iter()
        .flatten()
        .any(|c| c.id.as_deref() == Some(id))
        || m.dimms.iter().any(|d| d.id == id)
}

pub fn device_add(m: &mut Machine, d: DeviceAdd) -> Result<Value, QmpError> {
    if let Some(id) = &d.id {
        if duplicate_id(m, id) {
            return Err(QmpError::generic(format!("Duplicate ID '{id}' for device")));
        }
    }
    match d.driver.as_str() {
        CORE_TYPE | "host-spapr-cpu-core" => core_add(m, d),
        "pc-dimm" => dimm_add(m, d),
        other if other.ends_with("-spapr-cpu-core") => Err(QmpError::generic(format!(
            "CPU core type should be {CORE_TYPE}"
        ))),
        other => Err(QmpError::generic(format!(
            "'{other}' is not a valid device model name"
        ))),
    }
}

fn core_add(m: &mut Machine, d: DeviceAdd) -> Result<Value, QmpError> {
    let mut props = d.props;
    let core_id = props
        .take_int("core-id")?
        .ok_or_else(|| QmpError::generic("core-id must be set"))?;
    if let Some(n) = props.take_int("nr-threads")? {
        if n != 1 {
            return Err(QmpError::generic(format!(
                "invalid nr-threads {n}, must be 1"
            )));
        }
    }
    let _ = props.take_int("node-id")?;
    props.finish(CORE_TYPE)?;
    if core_id < 0 || core_id as usize >= m.cores.len() {
        return Err(QmpError::generic(format!("core id {core_id} out of range")));
    }
    let n = core_id as usize;
    if m.cores[n].is_some() {
        return Err(QmpError::generic(format!(
            "core {core_id} already populated"
        )));
    }
    let id = d.id.clone();
    let qom_path = match &id {
        Some(id) => format!("/machine/peripheral/{id}"),
        None => {
            m.anon_devices += 1;
            format!("/machine/peripheral-anon/device[{}]", m.anon_devices - 1)
        }
    };
    super::hotplug_drc::plug_core(m, n, id.as_deref().unwrap_or(""))?;
    m.cores[n] = Some(CoreSlot { id, qom_path });
    Ok(json!({}))
}

/// A plugged pc-dimm.
#[derive(Clone, Debug)]
pub struct Dimm {
    pub id: String,
    pub memdev: String,
    pub addr: u64,
    pub size: u64,
    pub slot: u32,
}

fn dimm_add(m: &mut Machine, d: DeviceAdd) -> Result<Value, QmpError> {
    let mut props = d.props;
    let memdev = props
        .take_str("memdev")?
        .ok_or_else(|| QmpError::generic("'memdev' property must be set"))?;
    let _ = props.take_int("node")?;
    let _ = props.take_int("addr")?;
    let _ = props.take_int("slot")?;
    props.finish("pc-dimm")?;
    if m.cfg.max_mem <= m.cfg.ram_size || m.cfg.mem_slots == 0 {
        return Err(QmpError::generic(
            "memory devices (e.g. for memory hotplug) are not enabled, please specify the maxmem option",
        ));
    }
    let Some(be) = m.backends.get(&memdev) else {
        return Err(QmpError::generic(format!(
            "Property 'pc-dimm.memdev' can't find value '{memdev}'"
        )));
    };
    if be.used_by.is_some() {
        return Err(QmpError::generic(format!(
            "can't use already busy memdev: {memdev}"
        )));
    }
    let size = be.size;
    if size % (256 << 20) != 0 {
        return Err(QmpError::generic(
            "Hotplugged memory size must be a multiple of 256 MB",
        ));
    }
    let id =
        d.id.clone()
            .ok_or_else(|| QmpError::generic("pc-dimm needs an id"))?;
    let slot = (0..m.cfg.mem_slots)
        .find(|s| !m.dimms.iter().any(|d| d.slot == *s))
        .ok_or_else(|| QmpError::generic("no free slots"))?;
    let addr = super::hotplug_drc::place_dimm(m, size)?;
    super::hotplug_drc::plug_dimm(m, addr, size, &id)?;
    if let Some(b) = m.backends.get_mut(&memdev) {
        b.used_by = Some(id.clone());
    }
    m.dimms.push(Dimm {
        id,
        memdev,
        addr,
        size,
        slot,
    });
    Ok(json!({}))
}

/// Resolve a device_del argument (id or QOM path) to a core slot or DIMM.
pub fn device_del(m: &mut Machine, id: &str) -> Result<Value, QmpError> {
    let core = m.cores.iter().position(|c| {
        c.as_ref()
            .is_some_and(|c| c.id.as_deref() == Some(id) || c.qom_path == id)
    });
    if let Some(n) = core {
        if n == 0 {
            return Err(QmpError::generic("Boot CPU core may not be unplugged"));
        }
        super::hotplug_drc::unplug_core(m, n)?;
        return Ok(json!({}));
    }
    if let Some(k) = m
        .dimms
        .iter()
        .position(|d| d.id == id || format!("/machine/peripheral/{}", d.id) == id)
    {
        super::hotplug_drc::unplug_dimm(m, k)?;
        return Ok(json!({}));
    }
    Err(QmpError::device_not_found(id))
}

pub fn query_drc(m: &mut Machine) -> Result<Value, QmpError> {
    super::hotplug_drc::query(m)
}

/// system_powerdown: PAPR's EPOW "power off" event (hotplug.md §EPOW);
/// handled by the DRC/event module.
pub fn request_powerdown(m: &mut Machine) {
    super::hotplug_drc::powerdown(m);
}
