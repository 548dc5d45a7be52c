//! The founding hotplug scenario (QEMU's sPAPR hotunplug notes, BZ 1911414)
//! under each historical unplug behaviour, driven with PyPI's `qemu.qmp`
//! client (tests/hotplug/scenario.py), and the same scenario on QEMU 7.2,
//! which must match `hotunplug=qemu-7.2` event for event.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn initramfs() -> Option<PathBuf> {
    common::initramfs("hotplug")
}

fn python() -> Option<PathBuf> {
    let p = common::root().join("work/venv/bin/python");
    if p.is_file() {
        Some(p)
    } else {
        assert!(
            !common::in_ci(),
            "work/venv (qemu.qmp) missing; run scripts/setup.sh"
        );
        eprintln!("SKIP: work/venv with qemu.qmp missing (run scripts/setup.sh)");
        None
    }
}

fn scenario(emulator: &std::path::Path, behaviour: &str) -> Value {
    let (Some(py), Some(k), Some(i)) = (python(), common::guest_file("vmlinux"), initramfs())
    else {
        return Value::Null;
    };
    let out = Command::new(py)
        .arg(common::root().join("tests/hotplug/scenario.py"))
        .arg(emulator)
        .arg(k)
        .arg(i)
        .arg(behaviour)
        .output()
        .expect("run scenario.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "scenario {behaviour} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(stdout.trim()).expect("scenario JSON");
    eprintln!(
        "{behaviour}: add latency {} s, second device_del latency {} s",
        v["add_latency_s"], v["del_latency_s"]
    );
    v
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e.as_str()
                .map(String::from)
                .unwrap_or_else(|| e["event"].as_str().unwrap().to_string())
        })
        .collect()
}

fn deleted_paths(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "DEVICE_DELETED")
        .map(|e| e["data"]["path"].as_str().unwrap().to_string())
        .collect()
}

const CORE1_PATHS: [&str; 4] = [
    "/machine/peripheral/core1/thread[0]/icp",
    "/machine/peripheral/core1/thread[0]/xive-tctx",
    "/machine/peripheral/core1/thread[0]",
    "/machine/peripheral/core1",
];

#[test]
fn founding_scenario_qemu_7_2_behaviour_matches_qemu() {
    let ours = std::thread::spawn(|| scenario(&common::powerlift(), "qemu-7.2"));
    let qemu = common::oracle("qemu-system-ppc64").map(|q| scenario(&q, "qemu"));
    let r = ours.join().unwrap();
    if r.is_null() {
        return;
    }
    assert_eq!(
        r["add_online"], "0-1",
        "hot-added core 1 online in the guest"
    );
    assert_eq!(r["after_offline"], "1");
    assert_eq!(
        names(&r["events_after_first_del"]),
        ["DEVICE_UNPLUG_GUEST_ERROR"]
    );
    assert_eq!(deleted_paths(&r["events_after_second_del"]), CORE1_PATHS);
    assert_eq!(r["final_online"], "0", "the guest shows one CPU");
    assert_eq!(r["drc_final"][0]["state"], "unusable");
    if let Some(q) = qemu.filter(|q| !q.is_null()) {
        // QEMU 7.2 event for event: the refusal, then the deletions.
        assert_eq!(q["add_online"], "0-1");
        assert_eq!(
            names(&q["events_after_first_del"]),
            names(&r["events_after_first_del"])
        );
        assert_eq!(
            q["events_after_second_del"], r["events_after_second_del"],
            "DEVICE_DELETED sequence differs from QEMU 7.2"
        );
        assert_eq!(q["final_online"], r["final_online"]);
        eprintln!(
            "QEMU 7.2: add latency {} s, second device_del latency {} s",
            q["add_latency_s"], q["del_latency_s"]
        );
    }
}

#[test]
fn founding_scenario_qemu_5_2_stays_pending_bz1911414() {
    let r = scenario(&common::powerlift(), "qemu-5.2");
    if r.is_null() {
        return;
    }
    assert_eq!(r["add_online"], "0-1");
    assert!(names(&r["events_after_first_del"]).is_empty(), "no event");
    assert!(
        r["events_after_second_del"].as_array().unwrap().is_empty(),
        "the second device_del changes nothing"
    );
    assert_eq!(r["drc_final"][0]["unplug-requested"], true, "still pending");
    assert_eq!(r["final_online"], "0-1");
}

#[test]
fn founding_scenario_qemu_6_0_dev_times_out() {
    let r = scenario(&common::powerlift(), "qemu-6.0-dev");
    if r.is_null() {
        return;
    }
    assert_eq!(r["add_online"], "0-1");
    assert!(names(&r["events_after_first_del"]).is_empty());
    assert_eq!(r["drc_after_first_del"][0]["unplug-requested"], true);
    assert_eq!(
        r["drc_after_timeout"][0]["unplug-requested"], false,
        "pending state cleared after 15 s"
    );
    assert_eq!(deleted_paths(&r["events_after_second_del"]), CORE1_PATHS);
    assert_eq!(r["final_online"], "0");
}

#[test]
fn memory_hotplug_grows_and_shrinks_memtotal() {
    let (Some(py), Some(k), Some(i)) = (python(), common::guest_file("vmlinux"), initramfs())
    else {
        return;
    };
    let out = Command::new(py)
        .arg(common::root().join("tests/hotplug/memory.py"))
        .arg(common::powerlift())
        .arg(k)
        .arg(i)
        .output()
        .expect("run memory.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| {
            panic!(
                "memory.py gave no result:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let r: Value = serde_json::from_str(line).unwrap();
    let (before, added, removed) = (
        r["before_kb"].as_u64().unwrap(),
        r["after_add_kb"].as_u64().unwrap(),
        r["after_del_kb"].as_u64().unwrap(),
    );
    assert_eq!(
        added - before,
        512 * 1024,
        "a 512 MiB DIMM grows MemTotal by 512 MiB"
    );
    assert_eq!(removed, before, "removing it shrinks MemTotal back");
    assert_eq!(r["memory_devices"][0]["data"]["size"], 512u64 << 20);
    let deleted: Vec<&Value> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "DEVICE_DELETED")
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["data"]["device"], "d1");
    eprintln!(
        "memory: add latency {} s, device_del to DEVICE_DELETED {} s",
        r["add_latency_s"], r["del_latency_s"]
    );
}
