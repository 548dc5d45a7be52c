#!/usr/bin/env python3
"""A hotplug scenario for the -icount deterministic mode: every step waits
for guest output or a QMP event (never for host time), so two runs with
the same command line must give the same console bytes and the same
events. Prints JSON: the console transcript and the event list.

Usage: determinism.py EMULATOR KERNEL INITRD SHIFT
"""
import asyncio, json, os, subprocess, sys, tempfile
import importlib.util
_spec = importlib.util.spec_from_file_location("guest", os.path.join(os.path.dirname(__file__), "guest.py"))
_guest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guest)

EMU, KERNEL, INITRD, SHIFT = sys.argv[1:5]


class Console:
    def __init__(self, p):
        self.p, self.all, self.pos, self.n = p, b"", 0, 0
        os.set_blocking(p.stdout.fileno(), False)

    async def wait(self, text, timeout=300):
        for _ in range(int(timeout / 0.01)):
            try:
                self.all += os.read(self.p.stdout.fileno(), 65536) or b""
            except BlockingIOError:
                pass
            i = self.all.find(text.encode(), self.pos)
            if i >= 0:
                self.pos = i + len(text)
                return self.all[:self.pos].decode(errors="replace")
            if self.p.poll() is not None:
                raise RuntimeError("emulator exited: " + self.all[-2000:].decode(errors="replace"))
            await asyncio.sleep(0.01)
        raise TimeoutError(f"{text!r}; tail {self.all[-1500:]!r}")

    async def run(self, cmd):
        # A numbered marker, split so the echoed command does not match.
        self.n += 1
        self.p.stdin.write(f"{cmd}; echo @@{self.n}''@@\n".encode())
        self.p.stdin.flush()
        await self.wait(f"@@{self.n}@@")


async def main():
    sock = tempfile.mktemp(prefix="pldet", suffix=".sock")
    p = subprocess.Popen(
        [EMU, "-M", "pseries", "-m", "1G,slots=2,maxmem=2G", "-smp", "1,maxcpus=2",
         "-icount", f"shift={SHIFT}", "-kernel", KERNEL, "-initrd", INITRD,
         "-append", "console=hvc0", "-nographic", "-serial", "stdio",
         "-qmp", f"unix:{sock},server=on,wait=off"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    c = Console(p)
    events = []
    try:
        await c.wait("POWERLIFT-INIT: starting shell")
        q, events, col = await _guest.qmp_events(sock, "det")

        async def event(name, n):
            while sum(e["event"] == name for e in events) < n:
                await asyncio.sleep(0.01)

        await q.execute("device_add", {"driver": "power9_v2.0-spapr-cpu-core",
                                       "core-id": 1, "id": "core1"})
        await c.run("until grep -q 0-1 /sys/devices/system/cpu/online; do sleep 0.05; done")
        await c.run("echo 0 > /sys/devices/system/cpu/cpu0/online")
        await q.execute("device_del", {"id": "core1"})
        await event("DEVICE_UNPLUG_GUEST_ERROR", 1)
        await c.run("echo 1 > /sys/devices/system/cpu/cpu0/online")
        await q.execute("device_del", {"id": "core1"})
        await event("DEVICE_DELETED", 4)
        await q.execute("object-add", {"qom-type": "memory-backend-ram", "id": "m1",
                                       "size": 256 << 20})
        await q.execute("device_add", {"driver": "pc-dimm", "id": "d1", "memdev": "m1"})
        await c.run("until grep -q 'MemTotal: *12' /proc/meminfo; do sleep 0.05; done")
        await q.execute("device_del", {"id": "d1"})
        await event("DEVICE_DELETED", 5)
        await c.run("cat /sys/devices/system/cpu/online; grep MemTotal /proc/meminfo; "
                    "head -c 16 /dev/urandom | od -An -tx1; date; dmesg | tail -25")
        await q.execute("quit")
        col.cancel()
    finally:
        _guest.reap(p, 20)
    # Up to the last marker: what the host read after it is a race.
    print(json.dumps({"console": c.all[:c.pos].decode(errors="replace"), "events": events}))


asyncio.run(main())
