"""Helpers for the hotplug scenarios: a console reader that does not block
and runs shell commands in the guest, a qemu.qmp client that collects
events, and reaping the emulator."""
import asyncio, os, subprocess, time


async def qmp_events(sock, name):
    """Connect a qemu.qmp client to `sock`. Returns (client, events, task):
    `events` fills with {"event", "data"} dicts as they arrive."""
    from qemu.qmp import QMPClient
    q = QMPClient(name)
    await q.connect(sock)
    events = []

    async def collect():
        async for ev in q.events:
            events.append({"event": ev["event"], "data": ev.get("data", {})})
    return q, events, asyncio.create_task(collect())


def reap(p, timeout=20):
    """Wait for the emulator to exit; kill it if it does not."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()


class Guest:
    def __init__(self, proc):
        self.p = proc
        self.buf = b""
        os.set_blocking(proc.stdout.fileno(), False)

    def pump(self):
        try:
            d = os.read(self.p.stdout.fileno(), 65536)
            if d:
                self.buf += d
        except BlockingIOError:
            pass

    async def wait_for(self, text, timeout=240):
        t0 = time.time()
        while time.time() - t0 < timeout:
            self.pump()
            i = self.buf.find(text.encode())
            if i >= 0:
                out = self.buf[: i + len(text)]
                self.buf = self.buf[i + len(text):]
                return out.decode(errors="replace")
            if self.p.poll() is not None:
                raise RuntimeError("emulator exited: " + self.buf[-2000:].decode(errors="replace"))
            await asyncio.sleep(0.05)
        raise TimeoutError(f"waiting for {text!r}; console tail: {self.buf[-1500:]!r}")

    async def run(self, cmd, timeout=120):
        # A marker lets us find the end of the output.
        tag = f"@@{time.time_ns()}@@"
        self.p.stdin.write((cmd + f"; echo {tag[:2]}''{tag[2:]}\n").encode())
        self.p.stdin.flush()
        out = await self.wait_for(tag, timeout)
        return out

    async def line(self, cmd, timeout=120):
        """The last line `cmd` printed."""
        return (await self.run(cmd, timeout)).replace("\r", "").split("\n")[-2].strip()

    async def memtotal(self):
        """The guest's MemTotal in kB."""
        return int((await self.line("grep MemTotal /proc/meminfo")).split()[1])
