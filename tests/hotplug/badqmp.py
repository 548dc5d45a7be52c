#!/usr/bin/env python3
"""Bad QMP input against a real machine, over a raw socket: malformed JSON,
unknown commands, wrong argument types, unknown devices, a non-object, an
oversized message, too deep nesting, garbage bytes, a client that leaves
mid-command, and two clients at once. Prints JSON: every input with the
reply lines it got, so the test can compare with QEMU 7.2 line for line,
and (with a guest) whether the guest still answers on its console.

Usage: badqmp.py EMULATOR [KERNEL INITRD]: with a guest to boot (ours), or
without, for QEMU, which then runs SLOF with no disk.
"""
import json, os, socket, subprocess, sys, tempfile, time, importlib.util

EMU = sys.argv[1]
GUEST = sys.argv[2:4]
WHO = "qemu" if os.path.basename(EMU).startswith("qemu") else "powerlift"
sock = tempfile.mktemp(prefix="plbad", suffix=".sock")
args = [EMU, "-M", "pseries", "-m", "1G", "-nographic", "-qmp", f"unix:{sock},server=on,wait=off"]
if GUEST:
    args += ["-kernel", GUEST[0], "-initrd", GUEST[1], "-append", "console=hvc0 quiet", "-serial", "stdio"]
else:
    args += ["-nodefaults"]
p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
g = None
if GUEST:
    spec = importlib.util.spec_from_file_location("guest", os.path.join(os.path.dirname(__file__), "guest.py"))
    gm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gm)
    g = gm.Guest(p)
    import asyncio
    asyncio.run(g.wait_for("POWERLIFT-INIT: starting shell"))
for _ in range(200):
    if os.path.exists(sock):
        break
    time.sleep(0.05)


class Client:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(sock)
        self.s.settimeout(20)
        self.buf = b""
        self.greeting = json.loads(self.line())
        self.send(b'{"execute": "qmp_capabilities"}')
        self.cap = self.line()

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(1 << 20)
            if not d:
                raise EOFError
            self.buf += d
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l.decode(errors="replace")

    def send(self, b):
        self.s.sendall(b)

    def replies(self, n=1):
        out = []
        for _ in range(n):
            l = self.line()
            while '"event"' in l and '"return"' not in l and '"error"' not in l:
                l = self.line()
            out.append(json.loads(l))
        return out


res = {"who": WHO, "inputs": []}
c = Client()
res["capabilities"] = c.cap
cases = [
    (b'{"execute": }', 1),
    (b'{"execute": "no-such-command"}', 1),
    (b'{"execute": "device_del", "arguments": {"id": 5}}', 1),
    (b'{"execute": "device_add", "arguments": {"driver": "virtio-blk-pci", "id": "x"}}', 1),
    (b'{"execute": "device_add", "arguments": {"driver": "no-such-device"}}', 1),
    (b'{"execute": "device_add", "arguments": {"driver": "pc-dimm", "id": "x"}}', 1),
    (b'{"execute": "object-add", "arguments": {"qom-type": "memory-backend-ram", "id": "m", "size": "big"}}', 1),
    (b'{"execute": "device_del"}', 1),
    (b'[1, 2]', 1),
    (b'"just a string"', 1),
    (b'{"execute": "query-status", "id": {"a": [1, "x"]}}', 1),
    (b'{"execute": "query-status", "bogus": 1}', 1),
    (b'{"execute": 42}', 1),
    (b'{"execute": "query-status", "arguments": []}', 1),
    (b'{"execute": "query-name", "id": "' + b"a" * (1 << 20) + b'"}', 1),
    (b'{"execute": "query-status"} {"execute": "query-name"}', 2),
    (b'[' * 2000 + b']' * 2000, 1),
]
for k, (data, _) in enumerate(cases):
    # A sentinel command after each input: every line before its reply is
    # what the input produced, however many there are.
    c.send(data + b'\n{"execute": "query-status", "id": "sync-%d"}' % k)
    got = []
    try:
        while True:
            l = c.line()
            r = json.loads(l)
            if r.get("id") == f"sync-{k}":
                break
            if "event" not in r:
                got.append(r if len(l) < 300 else {"long-reply": len(l)})
    except Exception as e:
        got.append(f"no reply: {type(e).__name__}")
        c = Client()
    shown = data if len(data) < 200 else data[:60] + b"...(%d bytes)" % len(data)
    res["inputs"].append({"input": shown.decode(), "replies": got})
# A client that leaves mid-command, then two clients at once.
c.s.close()
d = socket.socket(socket.AF_UNIX)
d.settimeout(20)
d.connect(sock)
d.recv(4096)
d.sendall(b'{"execute": "qmp_capabilities"}{"execute": "query-sta')
d.close()
time.sleep(0.3)
if WHO != "qemu":
    # QEMU serves one client per socket at a time (the second waits for
    # the first to leave); we serve both at once.
    a, b = Client(), Client()
    a.send(b'{"execute": "query-status", "id": "a"}')
    b.send(b'{"execute": "query-status", "id": "b"}')
    res["two_clients"] = [a.replies()[0], b.replies()[0]]
    a.s.close()
    b.s.close()
c = Client()
c.send(b'{"execute": "query-status"}')
res["status_after"] = c.replies()[0]
if g is not None:
    import asyncio
    out = asyncio.run(g.run("echo still-$((40+2))"))
    res["guest_answers"] = "still-42" in out
c.send(b'{"execute": "quit"}')
try:
    c.replies()
except Exception:
    pass
try:
    p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
res["exit_status"] = p.returncode
print(json.dumps(res))
