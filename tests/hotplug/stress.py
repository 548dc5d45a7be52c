#!/usr/bin/env python3
"""Hotplug stress: CORES add/remove cycles of core 1, then DIMMS cycles of a
256 MiB DIMM (object-add, device_add, device_del, object-del), driven with
qemu.qmp against a booted guest. After each cycle the guest must show the
device and then lose it, and DEVICE_DELETED must arrive. The emulator's
host memory is sampled from /proc/PID/smaps: `host_kb` is the resident
memory outside guest RAM and the code caches (heap, stacks, ...), `ram_kb`
that of guest RAM (a removed DIMM's pages must be given back), `code_kb`
that of the JIT code caches (bounded; they fill as the guest runs new code).

The core cycles end with the sequence that crashes QEMU 7.2 before boot
(add a core, remove it, then device_add pc-dimm; ecosystem.md §8).

Usage: stress.py EMULATOR KERNEL INITRD CORES DIMMS. Prints JSON.
"""
import asyncio, json, os, subprocess, sys, tempfile, importlib.util

EMU, KERNEL, INITRD = sys.argv[1:4]
CORES, DIMMS = int(sys.argv[4]), int(sys.argv[5])
_spec = importlib.util.spec_from_file_location("guest", os.path.join(os.path.dirname(__file__), "guest.py"))
_guest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guest)


def rss(pid):
    """(host_kb, ram_kb, code_kb): resident memory of guest RAM (the only
    mapping of 1 GiB or more), of the JIT code caches (the only
    read-write-execute mappings, one bounded arena per vCPU) and of
    everything else (heap, stacks, binary)."""
    host = ram = code = 0
    size, rwx = 0, False
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split(maxsplit=2)
            if len(head) > 1 and "-" in head[0] and len(head[1]) == 4:
                rwx = head[1].startswith("rwx")
            elif line.startswith("Size:"):
                size = int(line.split()[1])
            elif line.startswith("Rss:"):
                kb = int(line.split()[1])
                if size >= 1 << 20:
                    ram += kb
                elif rwx:
                    code += kb
                else:
                    host += kb
    return host, ram, code



async def main():
    sock = tempfile.mktemp(prefix="plst", suffix=".sock")
    args = [EMU, "-M", "pseries", "-m", "1G,slots=2,maxmem=2G", "-smp", "1,maxcpus=2",
            "-kernel", KERNEL, "-initrd", INITRD, "-append", "console=hvc0 quiet",
            "-nographic", "-serial", "stdio", "-qmp", f"unix:{sock},server=on,wait=off"]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    g = _guest.Guest(p)
    ev, res = [], {"cores": [], "dimms": []}
    try:
        await g.wait_for("POWERLIFT-INIT: starting shell")
        q, ev, task = await _guest.qmp_events(sock, "stress")

        async def deleted(dev, timeout=60):
            for _ in range(int(timeout / 0.02)):
                if any(e["event"] == "DEVICE_DELETED" and e["data"].get("device") == dev for e in ev):
                    return True
                await asyncio.sleep(0.02)
            return False

        base_kb = await g.memtotal()
        for i in range(CORES):
            ev.clear()
            await q.execute("device_add", {"driver": "power9_v2.0-spapr-cpu-core", "core-id": 1, "id": "core1"})
            online = await g.line(
                "n=0; until grep -q 0-1 /sys/devices/system/cpu/online || [ $n -gt 600 ]; "
                "do sleep 0.05; n=$((n+1)); done; cat /sys/devices/system/cpu/online")
            await q.execute("device_del", {"id": "core1"})
            ok = await deleted("core1")
            after = await g.line("cat /sys/devices/system/cpu/online")
            res["cores"].append({"online": online, "deleted": ok, "after": after,
                                 "events": len(ev), "rss": rss(p.pid)})
        for i in range(DIMMS):
            ev.clear()
            await q.execute("object-add", {"qom-type": "memory-backend-ram", "id": f"m{i}", "size": 256 << 20})
            await q.execute("device_add", {"driver": "pc-dimm", "id": f"d{i}", "memdev": f"m{i}"})
            grown = base_kb
            for _ in range(300):
                grown = await g.memtotal()
                if grown > base_kb:
                    break
                await asyncio.sleep(0.05)
            # Touch the new memory so its host pages are really resident.
            await g.run("dd if=/dev/zero of=/dev/null bs=1M count=1 2>/dev/null")
            await q.execute("device_del", {"id": f"d{i}"})
            ok = await deleted(f"d{i}")
            await q.execute("object-del", {"id": f"m{i}"})
            res["dimms"].append({"grown_kb": grown - base_kb, "deleted": ok,
                                 "after_kb": await g.memtotal() - base_kb, "rss": rss(p.pid)})
        res["drc"] = [d for d in await q.execute("x-query-drc")
                      if d["state"] != ("configured" if d["index"] == 0x10000000 else "unusable")
                      or d["unplug-requested"]]
        res["memory_devices"] = await q.execute("query-memory-devices")
        res["cpus"] = len(await q.execute("query-cpus-fast"))
        res["status"] = (await q.execute("query-status"))["status"]
        await q.execute("quit")
        task.cancel()
    finally:
        _guest.reap(p, 20)
    print(json.dumps(res))


asyncio.run(main())
