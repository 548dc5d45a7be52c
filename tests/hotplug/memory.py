#!/usr/bin/env python3
"""Memory hotplug with qemu.qmp: add a 512 MiB DIMM, check the guest's
MemTotal grows by it, remove it, check MemTotal shrinks back and
DEVICE_DELETED arrives. Prints JSON. Usage: memory.py EMULATOR KERNEL INITRD"""
import asyncio, json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(__file__))

EMU, KERNEL, INITRD = sys.argv[1:4]


async def main():
    # Reuse the console helper of the CPU scenario.
    import importlib.util
    spec = importlib.util.spec_from_file_location("sc", os.path.join(os.path.dirname(__file__), "guest.py"))
    g_mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(g_mod)
    sock = tempfile.mktemp(prefix="plqmpm", suffix=".sock")
    args = [EMU, "-M", "pseries", "-m", "1G,slots=4,maxmem=4G", "-smp", "1", "-kernel", KERNEL,
            "-initrd", INITRD, "-append", "console=hvc0 quiet", "-nographic", "-serial", "stdio",
            "-qmp", f"unix:{sock},server=on,wait=off"]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    g = g_mod.Guest(p)
    res = {}
    events = []
    try:
        await g.wait_for("POWERLIFT-INIT: starting shell")
        q, events, col = await g_mod.qmp_events(sock, "mem")

        res["before_kb"] = await g.memtotal()
        await q.execute("object-add", {"qom-type": "memory-backend-ram", "id": "m1", "size": 512 << 20})
        t0 = time.time()
        await q.execute("device_add", {"driver": "pc-dimm", "id": "d1", "memdev": "m1"})
        after = res["before_kb"]
        for _ in range(300):
            after = await g.memtotal()
            if after >= res["before_kb"] + (512 << 10):  # both LMBs online
                break
            await asyncio.sleep(0.1)
        res["add_latency_s"] = round(time.time() - t0, 2)
        res["after_add_kb"] = after
        res["memory_devices"] = await q.execute("query-memory-devices")
        t1 = time.time()
        await q.execute("device_del", {"id": "d1"})
        for _ in range(300):
            if any(e["event"] == "DEVICE_DELETED" for e in events):
                break
            await asyncio.sleep(0.1)
        res["del_latency_s"] = round(time.time() - t1, 2)
        res["after_del_kb"] = await g.memtotal()
        res["events"] = events
        await q.execute("quit")
        col.cancel()
    finally:
        g_mod.reap(p, 10)
    print(json.dumps(res))


asyncio.run(main())
