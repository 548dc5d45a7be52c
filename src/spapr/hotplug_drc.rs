//! Glue between device hotplug requests and the DRC state machine
//! (`super::drc`): creates the connectors for the machine, plugs and
//! unplugs cores and DIMMs, services the DRC RTAS calls, pulses the
//! hotplug/EPOW interrupts and turns DRC outcomes into QMP events
//! (DEVICE_DELETED, DEVICE_UNPLUG_GUEST_ERROR) and device destruction.

use super::devtree;
use super::drc::{DrcKind, Drcs, Outcome, UnplugBehaviour};
use super::machine::{Machine, VcpuState};
use crate::monitor::{Event, QmpError};
use serde_json::Value;

/// Size of a logical memory block (PAPR LMB; QEMU's SPAPR_MEMORY_BLOCK_SIZE).
pub const LMB_SIZE: u64 = 256 << 20;

/// Nanoseconds of virtual time (the timebase of vCPU 0) for DRC traces and
/// the qemu-6.0-dev timeout: with `-icount` this is deterministic.
pub fn now_ns(m: &Machine) -> u64 {
    let tb = crate::cpu::timebase(&m.vcpus[0].cpu).wrapping_sub(m.vcpus[0].cpu.sup.tb_start);
    (tb as u128 * 125 / 64) as u64
}

/// The connectors for a freshly built machine, with boot cores and memory
/// cold-plugged.
pub fn make_drcs(m: &Machine) -> Drcs {
    let b = UnplugBehaviour::from_name(&m.cfg.hotunplug).unwrap_or(UnplugBehaviour::Qemu72);
    // Boot cores (0..smp) are cold-plugged by from_config itself.
    Drcs::from_config(&super::boot::tree_config(m, None), b)
}

/// Raise the interrupts for queued events (edge-triggered sources).
fn pulse(m: &mut Machine) {
    for irq in m.drcs.pending_irqs() {
        m.xics.raise(irq);
    }
}

fn qerr(e: String) -> QmpError {
    QmpError::generic(e)
}

/// The tree configuration after CAS (fragments must carry the negotiated
/// compat PVR and affinity form).
fn cas_config(m: &Machine) -> devtree::TreeConfig {
    super::boot::tree_config(m, Some(devtree::Cas::radix_xics()))
}

pub fn plug_core(m: &mut Machine, n: usize, device: &str) -> Result<(), QmpError> {
    let cfg = cas_config(m);
    let idx = DrcKind::Cpu.index(n as u32);
    let frag = devtree::cpu_core_fragment(&cfg, n as u32);
    let now = now_ns(m);
    m.drcs.plug(idx, device, frag, now).map_err(qerr)?;
    // The core's thread starts powered off until the guest's start-cpu.
    if let Some(v) = m.vcpus.get_mut(n) {
        v.state = VcpuState::Stopped;
    }
    pulse(m);
    Ok(())
}

pub fn unplug_core(m: &mut Machine, n: usize) -> Result<(), QmpError> {
    let idx = DrcKind::Cpu.index(n as u32);
    let now = now_ns(m);
    let r = m.drcs.request_unplug(&[idx], now).map_err(qerr)?;
    if r.event_queued {
        pulse(m);
    }
    for o in r.outcomes {
        outcome(m, o);
    }
    Ok(())
}

/// First free LMB-aligned range for a DIMM in the device-memory region
/// [ram_size, maxmem).
pub fn place_dimm(m: &mut Machine, size: u64) -> Result<u64, QmpError> {
    let cfg = cas_config(m);
    let mut a = devtree::device_memory_base(m.cfg.ram_size);
    while a + size <= devtree::max_device_addr(&cfg) {
        let clash = m
            .dimms
            .iter()
            .any(|d| a < d.addr + d.size && d.addr < a + size);
        if !clash {
            return Ok(a);
        }
        a += LMB_SIZE;
    }
    Err(QmpError::generic(
        "could not find position in guest address space for memory device - memory fragmented due to alignments",
    ))
}

pub fn plug_dimm(m: &mut Machine, addr: u64, size: u64, device: &str) -> Result<(), QmpError> {
    let cfg = cas_config(m);
    let lmbs = (0..size / LMB_SIZE)
        .map(|k| {
            let a = addr + k * LMB_SIZE;
            (
                DrcKind::Lmb.index((a / LMB_SIZE) as u32),
                devtree::lmb_fragment(&cfg, a),
            )
        })
        .collect();
    let now = now_ns(m);
    m.drcs.plug_dimm(device, lmbs, now).map_err(qerr)?;
    pulse(m);
    Ok(())
}

pub fn unplug_dimm(m: &mut Machine, k: usize) -> Result<(), QmpError> {
    let d = &m.dimms[k];
    let idxs: Vec<u32> = (0..d.size / LMB_SIZE)
        .map(|j| DrcKind::Lmb.index(((d.addr + j * LMB_SIZE) / LMB_SIZE) as u32))
        .collect();
    let now = now_ns(m);
    let r = m.drcs.request_unplug(&idxs, now).map_err(qerr)?;
    if r.event_queued {
        pulse(m);
    }
    for o in r.outcomes {
        outcome(m, o);
    }
    Ok(())
}

/// Act on an unplug outcome: destroy the device and tell the clients.
pub fn outcome(m: &mut Machine, o: Outcome) {
    let Some((kind, id)) = DrcKind::from_index(o.index()) else {
        return;
    };
    match kind {
        DrcKind::Cpu => {
            let n = id as usize;
            let Some(Some(slot)) = m.cores.get(n).cloned() else {
                return;
            };
            match o {
                Outcome::Released(_) => {
                    // QEMU 7.2 deletes the core's children first (ic-mode
                    // dual creates both presenters), then the core.
                    for child in ["thread[0]/icp", "thread[0]/xive-tctx", "thread[0]"] {
                        m.emit(Event::DeviceDeleted {
                            device: None,
                            path: format!("{}/{child}", slot.qom_path),
                        });
                    }
                    m.emit(Event::DeviceDeleted {
                        device: slot.id.clone(),
                        path: slot.qom_path.clone(),
                    });
                    m.cores[n] = None;
                    if let Some(v) = m.vcpus.get_mut(n) {
                        v.state = VcpuState::Stopped;
                    }
                }
                Outcome::Rejected(_) => {
                    m.emit(Event::DeviceUnplugGuestError {
                        device: slot.id.clone(),
                        path: slot.qom_path.clone(),
                    });
                }
                Outcome::TimedOut(_) => {}
            }
        }
        DrcKind::Lmb => {
            let addr = id as u64 * LMB_SIZE;
            let Some(k) = m.dimms.iter().position(|d| d.addr == addr) else {
                return;
            };
            let path = format!("/machine/peripheral/{}", m.dimms[k].id);
            match o {
                Outcome::Released(_) => {
                    let d = m.dimms.remove(k);
                    if let Some(b) = m.backends.get_mut(&d.memdev) {
                        b.used_by = None;
                    }
                    m.ram.discard(d.addr, d.size);
                    m.emit(Event::DeviceDeleted {
                        device: Some(d.id),
                        path,
                    });
                }
                Outcome::Rejected(_) => {
                    let id = m.dimms[k].id.clone();
                    m.emit(Event::Other {
                        name: "MEM_UNPLUG_ERROR".into(),
                        data: Some(serde_json::json!({
                            "device": id,
                            "msg": format!("Memory hotunplug rejected by the guest for device {id}")
                        })),
                    });
                    m.emit(Event::DeviceUnplugGuestError {
                        device: Some(id),
                        path,
                    });
                }
                Outcome::TimedOut(_) => {}
            }
        }
    }
}

/// Periodic work: the qemu-6.0-dev unplug timeout.
pub fn tick(m: &mut Machine) {
    if m.drcs.next_deadline().is_none() {
        return;
    }
    let now = now_ns(m);
    for o in m.drcs.tick(now) {
        outcome(m, o);
    }
}

/// Machine reset completes every pending unplug (hotplug.md §2.6).
pub fn reset(m: &mut Machine) {
    let now = now_ns(m);
    for o in m.drcs.reset(now) {
        outcome(m, o);
    }
}

/// CAS negotiated option vector 5: record HP_EVT and complete pending
/// unplugs.
pub fn cas(m: &mut Machine, hp_evt: bool) {
    let now = now_ns(m);
    for o in m.drcs.cas(hp_evt, now) {
        outcome(m, o);
    }
}

pub fn query(m: &mut Machine) -> Result<Value, QmpError> {
    crate::monitor::types::ret(&m.drcs.info(now_ns(m)))
}

pub fn powerdown(m: &mut Machine) {
    let now = now_ns(m);
    m.drcs.queue_powerdown(now);
    pulse(m);
}

// ---- RTAS (PAPR 7.3.5 set-indicator, 7.3.6 get-sensor-state, 13.5.3.5
// ibm,configure-connector, 10.3.2 check-exception, 10.2.2 event-scan) ----

pub fn rtas_set_indicator(m: &mut Machine, ind: u32, idx: u32, state: u32) -> i32 {
    let now = now_ns(m);
    let (st, o) = m.drcs.set_indicator(idx, ind, state, now);
    if let Some(o) = o {
        outcome(m, o);
    }
    st
}

pub fn rtas_get_sensor(m: &mut Machine, sensor: u32, idx: u32) -> (i32, u32) {
    m.drcs.get_sensor_state(idx, sensor)
}

pub fn rtas_configure_connector(m: &mut Machine, wa_addr: u64) -> i32 {
    let len = 4096u64;
    if wa_addr
        .checked_add(len)
        .is_none_or(|e| e > m.cfg.ram_size.max(m.cfg.max_mem))
    {
        return -3;
    }
    let now = now_ns(m);
    let (st, o) = {
        let ram = m.ram.bytes_mut();
        let wa = &mut ram[wa_addr as usize..(wa_addr + len) as usize];
        m.drcs.configure_connector(wa, now)
    };
    if let Some(o) = o {
        outcome(m, o);
    }
    st
}

/// check-exception / event-scan: copy the first matching event log to the
/// guest buffer. Returns the RTAS status (0 found, 1 nothing).
pub fn rtas_event(m: &mut Machine, mask: u32, buf: u64, len: u64, dequeue: bool) -> i32 {
    if !dequeue {
        pulse(m);
        return 1;
    }
    if buf.checked_add(len).is_none_or(|e| e > m.cfg.ram_size) {
        return -3;
    }
    let r = match m.drcs.check_exception(mask, len as usize) {
        Some(bytes) => {
            let ram = m.ram.bytes_mut();
            ram[buf as usize..buf as usize + bytes.len()].copy_from_slice(&bytes);
            0
        }
        None => 1,
    };
    pulse(m);
    r
}
