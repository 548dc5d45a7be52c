"""Console helper for the hotplug scenarios: reads the emulator's console
without blocking and runs shell commands in the guest."""
import asyncio, os, time


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


