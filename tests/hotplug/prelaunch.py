#!/usr/bin/env python3
"""QMP before the guest runs (-S, no kernel): hot-add core 1, remove it,
then add a 256 MiB DIMM. QEMU 7.2 dies with SIGSEGV at the last step
(ecosystem.md §8); an emulator must answer every command and live on.

Usage: prelaunch.py EMULATOR. Prints JSON: each command's reply or error,
the events, and the emulator's exit status if it died.
"""
import asyncio, json, os, subprocess, sys, tempfile
import importlib.util
_spec = importlib.util.spec_from_file_location("guest", os.path.join(os.path.dirname(__file__), "guest.py"))
_guest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guest)
from qemu.qmp.qmp_client import ExecuteError

EMU = sys.argv[1]


async def main():
    sock = tempfile.mktemp(prefix="plpre", suffix=".sock")
    p = subprocess.Popen([EMU, "-M", "pseries", "-nographic", "-nodefaults", "-S",
                          "-smp", "1,maxcpus=4", "-m", "1G,slots=4,maxmem=4G",
                          "-qmp", f"unix:{sock},server=on,wait=off"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    for _ in range(200):
        if os.path.exists(sock):
            break
        await asyncio.sleep(0.05)
    q, events, task = await _guest.qmp_events(sock, "prelaunch")
    replies = []
    steps = [
        ("query-status", {}),
        ("device_add", {"driver": "power9_v2.0-spapr-cpu-core", "core-id": 1, "id": "core1"}),
        ("device_del", {"id": "core1"}),
        ("object-add", {"qom-type": "memory-backend-ram", "id": "m1", "size": 256 << 20}),
        ("device_add", {"driver": "pc-dimm", "id": "d1", "memdev": "m1"}),
        ("query-memory-devices", {}),
        ("query-status", {}),
    ]
    for cmd, args in steps:
        try:
            replies.append({"cmd": cmd, "return": await q.execute(cmd, args)})
        except ExecuteError as e:
            replies.append({"cmd": cmd, "error": str(e)})
        except Exception as e:
            replies.append({"cmd": cmd, "died": type(e).__name__})
            break
        await asyncio.sleep(0.2)
    rc = p.poll()
    if rc is None:
        try:
            await q.execute("quit")
        except Exception:
            pass
    task.cancel()
    _guest.reap(p, 10)
    print(json.dumps({"replies": replies, "events": events, "died": rc}))


asyncio.run(main())
