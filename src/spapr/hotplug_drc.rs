//! Glue between device hotplug requests and the DRC state machine
//! (`super::drc`). Placeholder until the connector module is wired in.

use super::machine::Machine;
use crate::monitor::QmpError;
use serde_json::Value;

fn not_yet() -> QmpError {
    QmpError::generic("hotplug is not available yet")
}

pub fn plug_core(_m: &mut Machine, _n: usize) -> Result<(), QmpError> {
    Err(not_yet())
}
pub fn unplug_core(_m: &mut Machine, _n: usize) -> Result<(), QmpError> {
    Err(not_yet())
}
pub fn place_dimm(_m: &mut Machine, _size: u64) -> Result<u64, QmpError> {
    Err(not_yet())
}
pub fn plug_dimm(_m: &mut Machine, _addr: u64, _size: u64) -> Result<(), QmpError> {
    Err(not_yet())
}
pub fn unplug_dimm(_m: &mut Machine, _k: usize) -> Result<(), QmpError> {
    Err(not_yet())
}
pub fn query(_m: &mut Machine) -> Result<Value, QmpError> {
    Ok(Value::Array(vec![]))
}
pub fn powerdown(m: &mut Machine) {
    m.shutdown = Some(super::machine::Shutdown::PowerOff);
}
