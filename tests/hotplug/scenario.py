#!/usr/bin/env python3
"""The founding hotplug scenario (QEMU's sPAPR hotunplug notes), driven with
PyPI's qemu.qmp against an emulator (powerlift or qemu-system-ppc64):

  boot -smp 1,maxcpus=2; device_add core 1 and see it online in the guest;
  offline CPU 0 in the guest; device_del core 1 (the guest must refuse);
  then, depending on the behaviour, watch the events; online CPU 0;
  device_del again; report what happened as JSON on stdout.

Usage: scenario.py EMULATOR KERNEL INITRD BEHAVIOUR [extra machine opts]
BEHAVIOUR is qemu-5.2, qemu-6.0-dev or qemu-7.2 (powerlift), or "qemu"
(real QEMU 7.2, which behaves as qemu-7.2).
"""
import asyncio, json, os, subprocess, sys, tempfile, time

EMU, KERNEL, INITRD, BEHAVIOUR = sys.argv[1:5]
IS_QEMU = BEHAVIOUR == "qemu"


import importlib.util
_spec = importlib.util.spec_from_file_location("guest", os.path.join(os.path.dirname(__file__), "guest.py"))
_guest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guest)
Guest = _guest.Guest


async def main():
    sock = tempfile.mktemp(prefix="plqmp", suffix=".sock")
    machine = "pseries,x-vof=on" if IS_QEMU else f"pseries,hotunplug={BEHAVIOUR}"
    args = [EMU, "-M", machine, "-m", "1G", "-smp", "1,maxcpus=2", "-kernel", KERNEL,
            "-initrd", INITRD, "-append", "console=hvc0 quiet", "-nographic",
            "-serial", "stdio", "-qmp", f"unix:{sock},server=on,wait=off"]
    if IS_QEMU:
        args += ["-nodefaults"]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    g = Guest(p)
    events = []
    t_start = time.time()
    res = {"behaviour": BEHAVIOUR}
    try:
        await g.wait_for("POWERLIFT-INIT: starting shell")
        res["boot_s"] = round(time.time() - t_start, 2)
        for _ in range(100):
            if os.path.exists(sock):
                break
            await asyncio.sleep(0.05)
        q, events, col = await _guest.qmp_events(sock, "scenario")
        t0 = time.time()
        await q.execute("device_add", {"driver": "power9_v2.0-spapr-cpu-core", "core-id": 1, "id": "core1"})
        online = ""
        for _ in range(600):
            online = await g.line("cat /sys/devices/system/cpu/online")
            if online == "0-1":
                break
            await asyncio.sleep(0.2)
        res["add_online"] = online
        if not IS_QEMU:
            res["drc_after_add"] = [d for d in await q.execute("x-query-drc") if d["index"] == 0x10000001]
        res["events_after_add"] = [e["event"] for e in events]

        res["add_latency_s"] = round(time.time() - t0, 2)
        await g.run("echo 0 > /sys/devices/system/cpu/cpu0/online")
        res["after_offline"] = await g.line("cat /sys/devices/system/cpu/online")
        await q.execute("device_del", {"id": "core1"})
        await asyncio.sleep(8)
        res["events_after_first_del"] = [e["event"] for e in events]
        if not IS_QEMU:
            res["drc_after_first_del"] = [d for d in await q.execute("x-query-drc") if d["index"] == 0x10000001]
        if BEHAVIOUR == "qemu-6.0-dev":
            # The 6.0 development timeout: 15 s after the first device_del.
            await asyncio.sleep(9)
            res["drc_after_timeout"] = [d for d in await q.execute("x-query-drc") if d["index"] == 0x10000001]
        await g.run("echo 1 > /sys/devices/system/cpu/cpu0/online")
        n_before = len(events)
        t1 = time.time()
        await q.execute("device_del", {"id": "core1"})
        for _ in range(300):
            if any(e["event"] == "DEVICE_DELETED" and e["data"].get("device") == "core1" for e in events[n_before:]):
                break
            await asyncio.sleep(0.1)
        res["del_latency_s"] = round(time.time() - t1, 2)
        res["events_after_second_del"] = [e for e in events[n_before:]]
        res["final_online"] = await g.line("cat /sys/devices/system/cpu/online")
        if not IS_QEMU:
            res["drc_final"] = [d for d in await q.execute("x-query-drc") if d["index"] == 0x10000001]
        res["all_events"] = events
        try:
            await q.execute("quit")
        except Exception:
            pass
        col.cancel()
    finally:
        _guest.reap(p, 10)
    print(json.dumps(res))


asyncio.run(main())
