#!/usr/bin/env python3
"""Drive powerlift's QMP server with QEMU's own client library, qemu.qmp.

Usage: driver.py SCENARIO SOCKET_PATH

The server side is tests/qmp.rs: a monitor started in-process with a fake
machine answering typed requests (4 possible cores, core 0 cold-plugged at
/machine/unattached/device[1], memory-backend-ram + pc-dimm, and a slow
device "x-slow" that takes a second). Each scenario prints what it checked
and exits non-zero on the first mismatch.
"""

import asyncio
import socket
import sys

from qemu.qmp import ExecuteError, QMPClient, Runstate
from qemu.qmp.legacy import QEMUMonitorProtocol

CORE = "power9_v2.0-spapr-cpu-core"


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what.split("\n")[0], flush=True)


async def expect_error(qmp, cmd, args, cls, desc):
    try:
        await qmp.execute(cmd, args)
    except ExecuteError as e:
        check(e.error_class == cls, f"{cmd} {args} -> class {e.error_class}")
        check(e.error.error.desc == desc, f"{cmd} -> desc {e.error.error.desc!r}")
        return
    raise AssertionError(f"{cmd} {args} succeeded")


async def basic(path):
    qmp = QMPClient("basic")
    await qmp.connect(path)
    g = qmp.greeting.QMP
    check(g.version["qemu"] == {"major": 7, "minor": 2, "micro": 22}, "greeting version 7.2.22")
    check(g.version["package"].startswith("powerlift"), "greeting package")
    check(g.capabilities == ["oob"], "greeting capabilities")

    v = await qmp.execute("query-version")
    check(v["qemu"]["minor"] == 2, "query-version")
    names = {c["name"] for c in await qmp.execute("query-commands")}
    check({"device_add", "device_del", "human-monitor-command"} <= names, "query-commands")
    st = await qmp.execute("query-status")
    check(st == {"status": "prelaunch", "singlestep": False, "running": False}, f"query-status {st}")
    out = await qmp.execute("human-monitor-command", {"command-line": "info status"})
    check(out == "VM status: paused (prelaunch)\r\n", f"hmp info status {out!r}")

    await expect_error(qmp, "no-such-cmd", None, "CommandNotFound",
                       "The command no-such-cmd has not been found")
    await expect_error(qmp, "query-status", {"x": 1}, "GenericError", "Parameter 'x' is unexpected")
    await expect_error(qmp, "device_del", {}, "GenericError", "Parameter 'id' is missing")
    await expect_error(qmp, "device_del", {"id": 5}, "GenericError",
                       "Invalid parameter type for 'id', expected: string")
    await expect_error(qmp, "device_add", {"id": "c"}, "GenericError", "Parameter 'driver' is missing")
    await expect_error(qmp, "device_del", {"id": "nosuch"}, "DeviceNotFound", "Device 'nosuch' not found")
    await expect_error(qmp, "device_add", {"driver": "host-spapr-cpu-core", "core-id": 1},
                       "GenericError", "'host-spapr-cpu-core' is not a valid device model name")
    await expect_error(qmp, "device_add", {"driver": CORE, "core-id": 1, "bogus": 1},
                       "GenericError", f"Property '{CORE}.bogus' not found")

    # CPU hotplug and unplug with the DEVICE_DELETED sequence.
    check(await qmp.execute("device_add", {"driver": CORE, "id": "core1", "core-id": 1}) == {},
          "device_add core1")
    hp = await qmp.execute("query-hotpluggable-cpus")
    check([h["props"]["core-id"] for h in hp] == [3, 2, 1, 0], "hotpluggable cpus order")
    check(hp[2].get("qom-path") == "/machine/peripheral/core1", "core1 qom-path")
    cpus = await qmp.execute("query-cpus-fast")
    check([c["cpu-index"] for c in cpus] == [0, 1], "query-cpus-fast")
    with qmp.listener("DEVICE_DELETED") as listener:
        check(await qmp.execute("device_del", {"id": "core1"}) == {}, "device_del core1")
        events = [await asyncio.wait_for(listener.get(), 5) for _ in range(4)]
    paths = [e["data"]["path"] for e in events]
    check(paths == ["/machine/peripheral/core1/thread[0]/icp",
                    "/machine/peripheral/core1/thread[0]/xive-tctx",
                    "/machine/peripheral/core1/thread[0]",
                    "/machine/peripheral/core1"], f"DEVICE_DELETED paths {paths}")
    check(events[3]["data"].get("device") == "core1" and "device" not in events[0]["data"],
          "DEVICE_DELETED device member")
    check(all(set(e["timestamp"]) == {"seconds", "microseconds"} for e in events), "event timestamps")

    # Memory: backend + DIMM.
    await qmp.execute("object-add", {"qom-type": "memory-backend-ram", "id": "mem1",
                                     "size": 268435456})
    await expect_error(qmp, "object-add", {"qom-type": "memory-backend-ram", "id": "m2"},
                       "GenericError", "Parameter 'size' is missing")
    await qmp.execute("device_add", {"driver": "pc-dimm", "id": "dimm1", "memdev": "mem1"})
    md = await qmp.execute("query-memory-devices")
    check(md == [{"type": "dimm", "data": {"memdev": "/objects/mem1", "hotplugged": True,
                                            "addr": 1073741824, "hotpluggable": True,
                                            "size": 268435456, "slot": 0, "node": 0,
                                            "id": "dimm1"}}], f"query-memory-devices {md}")
    out = await qmp.execute("human-monitor-command", {"command-line": "info memory-devices"})
    check(out.startswith('Memory device [dimm]: "dimm1"\r\n  addr: 0x40000000\r\n'),
          f"hmp info memory-devices {out!r}")
    out = await qmp.execute("human-monitor-command", {"command-line": "device_del nosuch"})
    check(out == "Error: Device 'nosuch' not found\r\n", "hmp error is a successful string")
    out = await qmp.execute("human-monitor-command", {"command-line": "info cpus", "cpu-index": 0})
    check(out == "* CPU #0: thread_id=4242\r\n", f"hmp info cpus {out!r}")
    await expect_error(qmp, "human-monitor-command", {"command-line": "info cpus", "cpu-index": 9},
                       "GenericError", "Parameter 'cpu-index' expects a CPU number")

    # Run state and its events.
    with qmp.listener(("RESUME", "STOP")) as listener:
        await qmp.execute("cont")
        check((await asyncio.wait_for(listener.get(), 5))["event"] == "RESUME", "RESUME")
        await qmp.execute("stop")
        ev = await asyncio.wait_for(listener.get(), 5)
        check(ev["event"] == "STOP" and "data" not in ev, "STOP without data")
    st = await qmp.execute("query-status")
    check(st["status"] == "paused", "paused after stop")
    out = await qmp.execute("human-monitor-command", {"command-line": "info status"})
    check(out == "VM status: paused\r\n", f"hmp paused {out!r}")
    await qmp.disconnect()


def legacy(path):
    # The synchronous wrapper QEMU's iotests use: no ids from cmd_obj.
    qmp = QEMUMonitorProtocol(path)
    g = qmp.connect()
    check(g["QMP"]["version"]["qemu"]["major"] == 7, "legacy greeting")
    check(qmp.cmd("query-status")["status"] == "prelaunch", "legacy cmd")
    r = qmp.cmd_obj({"execute": "device_del", "arguments": {"id": "x"}})
    check(r == {"error": {"class": "DeviceNotFound", "desc": "Device 'x' not found"}},
          f"legacy cmd_obj id-less error {r}")
    r = qmp.cmd_obj({"execute": "query-name"})
    check(r == {"return": {"name": "fake"}}, f"query-name {r}")
    qmp.cmd("system_reset")
    ev = qmp.get_events(wait=5.0)
    check(ev and ev[0]["event"] == "RESET" and
          ev[0]["data"] == {"guest": False, "reason": "host-qmp-system-reset"}, f"RESET {ev}")
    qmp.close()


def accept(path):
    # QEMU's test harness: we listen, the monitor connects to us.
    qmp = QEMUMonitorProtocol(path, server=True)
    print("LISTENING", flush=True)
    g = qmp.accept(timeout=15.0)
    check(g["QMP"]["capabilities"] == ["oob"], "accepted connection from the monitor")
    check(qmp.cmd("query-status")["status"] == "prelaunch", "query-status over client mode")
    out = qmp.cmd("human-monitor-command", **{"command-line": "info hotpluggable-cpus"})
    check(out.startswith('Hotpluggable CPUs:\r\n  type: "power9_v2.0-spapr-cpu-core"\r\n'
                         '  vcpus_count: "1"\r\n  CPUInstance Properties:\r\n'
                         '    node-id: "0"\r\n    core-id: "3"\r\n'), f"hmp {out!r}")
    qmp.close()


async def two(path):
    a, b = QMPClient("a"), QMPClient("b")
    await a.connect(path)
    await b.connect(path)
    with a.listener("POWERDOWN") as la, b.listener("POWERDOWN") as lb:
        # Interleave commands from both clients.
        ra, rb = await asyncio.gather(a.execute("query-status"), b.execute("query-version"))
        check(ra["status"] == "prelaunch" and rb["qemu"]["major"] == 7, "two clients at once")
        await a.execute("system_powerdown")
        ea = await asyncio.wait_for(la.get(), 5)
        eb = await asyncio.wait_for(lb.get(), 5)
        check(ea["event"] == eb["event"] == "POWERDOWN", "event reaches both clients")
    await a.disconnect()
    check((await b.execute("query-status"))["status"] == "prelaunch", "b survives a's disconnect")
    await b.disconnect()


def raw_line(f):
    line = f.readline()
    check(line.endswith(b"\r\n"), f"CRLF framing {line!r}")
    return line


async def disconnect(path):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    f = s.makefile("rb")
    raw_line(f)
    s.sendall(b'{"execute":"qmp_capabilities"}')
    raw_line(f)
    s.sendall(b'{"execute":"device_add","arguments":{"driver":"x-slow"},"id":1}')
    s.close()
    print("ok: closed mid-command", flush=True)
    qmp = QMPClient("after")
    await qmp.connect(path)
    st = await qmp.execute("query-status")
    check(st["status"] == "prelaunch", "machine unaffected by the disconnect")
    await asyncio.sleep(1.5)
    out = await qmp.execute("human-monitor-command", {"command-line": "info drc"})
    check(out.splitlines()[0].split() == ["index", "type", "name", "state", "unplug", "device"],
          f"info drc {out!r}")
    await qmp.disconnect()


async def quit_(path):
    qmp = QMPClient("quit")
    await qmp.connect(path)
    with qmp.listener("SHUTDOWN") as listener:
        check(await qmp.execute("quit") == {}, "quit returns {}")
        ev = await asyncio.wait_for(listener.get(), 5)
    check(ev["data"] == {"guest": False, "reason": "host-qmp-quit"}, "SHUTDOWN event")
    # Like QEMU, the monitor then closes the connection.
    for _ in range(100):
        if qmp.runstate != Runstate.RUNNING:
            break
        await asyncio.sleep(0.05)
    check(qmp.runstate != Runstate.RUNNING, "server closed the connection after quit")
    try:
        await qmp.disconnect()
    except EOFError:
        pass


def main():
    scenario, path = sys.argv[1], sys.argv[2]
    table = {
        "basic": lambda: asyncio.run(basic(path)),
        "legacy": lambda: legacy(path),
        "accept": lambda: accept(path),
        "two": lambda: asyncio.run(two(path)),
        "disconnect": lambda: asyncio.run(disconnect(path)),
        "quit": lambda: asyncio.run(quit_(path)),
    }
    table[scenario]()
    print("PASS", scenario, flush=True)


if __name__ == "__main__":
    main()
