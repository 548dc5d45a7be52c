#!/usr/bin/env python3
"""Side-by-side boot benchmark: Debian's ppc64le 6.1 kernel to powerlift's
initramfs and back to power-off, under powerlift and qemu-system-ppc64 (TCG),
in one run.

Usage: benches/boot.py [--runs N] [--smp N] [-m SIZE] [--timeout S]

Both engines boot the same work/guest/vmlinux with the same initramfs
(built by `powerlift initramfs` into target/bench-data/) and the kernel
argument `powerlift.poweroff`, so /init prints its marker and powers off:

  powerlift:  target/release/powerlift -M pseries -m 1G -smp N -nographic
              -serial mon:stdio -kernel ... -initrd ... -append ...
  qemu:       qemu-system-ppc64 -M pseries,x-vof=on -m 1G -smp N -nographic
              -nodefaults -serial mon:stdio -kernel ... -initrd ... -append ...

Each engine runs --runs times (default 3), alternating; the report gives
each run's wall time, the medians and the ratio powerlift / qemu. A run
that fails, times out, or does not print `POWERLIFT-INIT: up` and
`reboot: Power down` aborts the benchmark: a boot that did not happen is
not timed.
"""
import argparse, os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "target", "bench-data")
MARKERS = ("POWERLIFT-INIT: up", "reboot: Power down")


def run(name, cmd, timeout):
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        sys.exit(f"{name}: timed out after {timeout} s: {' '.join(cmd)}\n{out[-3000:]}")
    dt = time.perf_counter() - t0
    out = p.stdout.decode(errors="replace")
    missing = [m for m in MARKERS if m not in out]
    if p.returncode != 0 or missing:
        sys.exit(f"{name}: boot failed (status {p.returncode}, missing {missing}): "
                 f"{' '.join(cmd)}\n{out[-3000:]}")
    return dt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("-m", dest="mem", default="1G")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per boot")
    a = ap.parse_args()

    kernel = os.path.join(ROOT, "work", "guest", "vmlinux")
    bb = os.path.join(ROOT, "work", "guest", "busybox")
    qemu = shutil.which("qemu-system-ppc64")
    if not qemu or not os.path.exists(kernel) or not os.path.exists(bb):
        sys.exit("needs qemu-system-ppc64, work/guest/vmlinux and work/guest/busybox: run scripts/setup.sh")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    pl = os.path.join(ROOT, "target", "release", "powerlift")
    os.makedirs(DATA, exist_ok=True)
    initrd = os.path.join(DATA, "initramfs.gz")
    subprocess.run([pl, "initramfs", "--busybox", bb, "-o", initrd], check=True,
                   stdout=subprocess.DEVNULL)

    common = ["-m", a.mem, "-smp", str(a.smp), "-nographic", "-serial", "mon:stdio",
              "-kernel", kernel, "-initrd", initrd,
              "-append", "console=hvc0 powerlift.poweroff"]
    engines = {
        "powerlift": [pl, "-M", "pseries"] + common,
        "qemu": [qemu, "-M", "pseries,x-vof=on", "-nodefaults"] + common,
    }
    env_note = f"; POWERLIFT_TIER={os.environ['POWERLIFT_TIER']}" if "POWERLIFT_TIER" in os.environ else ""
    print(f"boot to power-off: -m {a.mem} -smp {a.smp}; runs per engine: {a.runs}{env_note}")
    print(f"kernel {kernel}; initramfs {initrd}")
    times = {e: [] for e in engines}
    for i in range(a.runs):
        for eng, cmd in engines.items():
            dt = run(eng, cmd, a.timeout)
            times[eng].append(dt)
            print(f"  run {i + 1}: {eng:10} {dt:7.2f} s", flush=True)
    med = {e: statistics.median(ts) for e, ts in times.items()}
    print(f"{'engine':10} {'median s':>9} {'min s':>7} {'max s':>7}")
    for e, ts in times.items():
        print(f"{e:10} {med[e]:9.2f} {min(ts):7.2f} {max(ts):7.2f}")
    print(f"ratio powerlift/qemu: {med['powerlift'] / med['qemu']:.2f}")


if __name__ == "__main__":
    main()
