#!/usr/bin/env python3
"""The memory-unplug hang that QEMU 7.2 still has (hotplug.md §6.4, failure
mode 1): the guest cannot offline the *first* LMB of a DIMM, so it has
nothing to re-add, unisolates nothing, and QEMU is never told. The DIMM
stays "unplug already in progress" until a reset, which completes the
unplug.

To make the first LMB unmovable on purpose, the guest fills its boot
memory with a tmpfs file, the DIMM is added (its memory is used last),
and then 100 pipes each hold 1 MiB of unmovable pipe buffers, which come
from the DIMM's first LMB.

Usage: memhang.py EMULATOR KERNEL INITRD qemu|powerlift. Prints JSON.
"""
import asyncio, json, os, subprocess, sys, tempfile, importlib.util
from qemu.qmp.qmp_client import ExecuteError

EMU, KERNEL, INITRD, WHO = sys.argv[1:5]
_spec = importlib.util.spec_from_file_location("guest", os.path.join(os.path.dirname(__file__), "guest.py"))
_guest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guest)



async def main():
    sock = tempfile.mktemp(prefix="plmh", suffix=".sock")
    machine = "pseries,x-vof=on" if WHO == "qemu" else "pseries"
    args = [EMU, "-M", machine, "-m", "1G,slots=4,maxmem=4G", "-smp", "1", "-kernel", KERNEL,
            "-initrd", INITRD, "-append", "console=hvc0 quiet", "-nographic", "-serial", "stdio",
            "-qmp", f"unix:{sock},server=on,wait=off"]
    if WHO == "qemu":
        args.append("-nodefaults")
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    g = _guest.Guest(p)
    ev, res = [], {"who": WHO}
    try:
        await g.wait_for("POWERLIFT-INIT: starting shell")
        q, ev, task = await _guest.qmp_events(sock, "memhang")

        res["boot_kb"] = await g.memtotal()
        await g.run("mkdir -p /mnt/f; mount -t tmpfs -o size=2g none /mnt/f; "
                    "dd if=/dev/zero of=/mnt/f/fill bs=1M count=900 2>/dev/null")
        await q.execute("object-add", {"qom-type": "memory-backend-ram", "id": "m1", "size": 512 << 20})
        await q.execute("device_add", {"driver": "pc-dimm", "id": "d1", "memdev": "m1"})
        for _ in range(300):
            res["added_kb"] = await g.memtotal()
            if res["added_kb"] >= res["boot_kb"] + (512 << 10):  # both LMBs
                break
            await asyncio.sleep(0.1)
        await g.run("i=0; while [ $i -lt 100 ]; do dd if=/dev/zero bs=64k count=16 2>/dev/null "
                    "| sleep 100000 & i=$((i+1)); done; sleep 1")
        await q.execute("device_del", {"id": "d1"})
        log = ""
        for _ in range(300):
            log = await g.run("dmesg | grep pseries-hotplug-mem | tail -3")
            if "failed" in log or "hot-removed" in log:
                break
            await asyncio.sleep(0.1)
        res["guest_failed"] = "indexed-count-remove failed" in log
        res["first_lmb_unmovable"] = "pfn:0x4000\n" in (await g.run("dmesg | grep 'unmovable page' -B5")).replace("\r", "")
        await asyncio.sleep(2)
        res["events_after_del"] = list(ev)
        try:
            await q.execute("device_del", {"id": "d1"})
            res["second_del"] = "ok"
        except ExecuteError as e:
            res["second_del"] = str(e)
        if WHO != "qemu":
            res["info_drc"] = await q.execute("human-monitor-command", {"command-line": "info drc"})
        res["memory_devices_pending"] = [d["data"]["id"] for d in await q.execute("query-memory-devices")]
        res["pending_kb"] = await g.memtotal()
        n = len(ev)
        await q.execute("system_reset")
        await g.wait_for("POWERLIFT-INIT: starting shell")
        for _ in range(50):
            if any(e["event"] == "RESET" for e in ev[n:]):
                break
            await asyncio.sleep(0.1)
        res["events_after_reset"] = ev[n:]
        res["reset_kb"] = await g.memtotal()
        res["memory_devices_after_reset"] = await q.execute("query-memory-devices")
        await q.execute("quit")
        task.cancel()
    finally:
        _guest.reap(p, 20)
    print(json.dumps(res))


asyncio.run(main())
