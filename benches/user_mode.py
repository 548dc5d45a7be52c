#!/usr/bin/env python3
"""Side-by-side user-mode benchmark: powerlift vs qemu-ppc64le (and native
x86-64 busybox as the physical limit), in one run.

Usage: benches/user_mode.py [--runs N] [--tier auto|jit|interp] [--quick]

Workloads (inputs generated deterministically in target/bench-data/):
  sha256sum 64 MB, md5sum 64 MB, gzip -c of 16 MB base64 text, bzip2 of
  8 MB, and two C programs from tests/cprogs built with the cross gcc.
Each command runs --runs times per engine; the report gives medians, the
ratio powerlift / qemu-ppc64le per workload and their geometric mean.
Outputs are compared between engines: a benchmark of a wrong answer is
refused.
"""
import argparse, hashlib, math, os, random, shutil, statistics, subprocess, sys, time, base64

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "target", "bench-data")


def gen_inputs(quick):
    os.makedirs(DATA, exist_ok=True)
    scale = 8 if quick else 1
    specs = {
        "rand64": (64 << 20) // scale,
        "text16": (16 << 20) // scale,
        "rand8": (8 << 20) // scale,
    }
    paths = {}
    for name, size in specs.items():
        p = os.path.join(DATA, f"{name}-{size}")
        paths[name] = p
        if os.path.exists(p) and os.path.getsize(p) == size:
            continue
        rng = random.Random(name)
        if name.startswith("text"):
            raw = rng.randbytes(size * 3 // 4 + 3)
            data = base64.encodebytes(raw)[:size]
        elif name == "rand8":
            # compressible but not trivial: words from a small vocabulary
            words = [bytes(rng.choice(b"abcdefghijklmnop") for _ in range(rng.randint(2, 9))) for _ in range(500)]
            out = bytearray()
            while len(out) < size:
                out += rng.choice(words) + b" "
            data = bytes(out[:size])
        else:
            data = rng.randbytes(size)
        with open(p, "wb") as f:
            f.write(data)
    return paths


def build_cprogs():
    progs = []
    src_dir = os.path.join(ROOT, "tests", "cprogs")
    cc = shutil.which("powerpc64le-linux-gnu-gcc")
    if not cc or not os.path.isdir(src_dir):
        return progs
    for name in sorted(os.listdir(src_dir)):
        if not name.endswith(".c") or not name.startswith("bench_"):
            continue
        out = os.path.join(DATA, name[:-2] + ".O3")
        src = os.path.join(src_dir, name)
        if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
            subprocess.run([cc, "-static", "-O3", "-mcpu=power9", "-o", out, src, "-lm"], check=True)
        progs.append((name[:-2], out))
    return progs


def run(cmd, stdin_path=None):
    t0 = time.perf_counter()
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as fin:
        p = subprocess.run(cmd, stdin=fin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"benchmark command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.decode()[-2000:]}")
    return dt, hashlib.sha256(p.stdout).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tier", default="auto")
    ap.add_argument("--quick", action="store_true", help="inputs 8x smaller")
    a = ap.parse_args()

    pl = os.path.join(ROOT, "target", "release", "powerlift")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    bb = os.path.join(ROOT, "work", "guest", "busybox")
    qemu = shutil.which("qemu-ppc64le")
    if not qemu or not os.path.exists(bb):
        sys.exit("needs qemu-ppc64le and work/guest/busybox: run scripts/setup.sh")
    native = shutil.which("busybox")
    inp = gen_inputs(a.quick)
    work = [
        ("sha256sum 64M", ["sha256sum", inp["rand64"]], None),
        ("md5sum 64M", ["md5sum", inp["rand64"]], None),
        ("gzip 16M text", ["gzip", "-c", "-n"], inp["text16"]),
        ("bzip2 8M", ["bzip2", "-c"], inp["rand8"]),
    ]
    rows = []
    engines = {
        "powerlift": lambda argv: [pl, "run", "--tier", a.tier, bb] + argv,
        "qemu": lambda argv: [qemu, bb] + argv,
    }
    if native:
        engines["native"] = lambda argv: [native] + argv
    cases = [(n, argv, stdin, True) for n, argv, stdin in work]
    for name, path in build_cprogs():
        cases.append((name, [path], None, False))
    print(f"runs per engine: {a.runs}; tier: {a.tier}; inputs in {DATA}")
    print(f"{'workload':18} {'powerlift':>10} {'qemu':>10} {'native':>10} {'ratio':>7}")
    ratios = []
    for name, argv, stdin, is_bb in cases:
        med = {}
        digests = {}
        for eng, mk in engines.items():
            if eng == "native" and not is_bb:
                continue
            if is_bb:
                cmd = mk(argv)
            else:
                cmd = [pl, "run", "--tier", a.tier] + argv if eng == "powerlift" else [qemu] + argv
            ts = []
            for _ in range(a.runs):
                dt, d = run(cmd, stdin)
                ts.append(dt)
                digests.setdefault(eng, d)
            med[eng] = statistics.median(ts)
        if digests.get("powerlift") != digests.get("qemu"):
            sys.exit(f"{name}: powerlift and qemu-ppc64le produced different output")
        r = med["powerlift"] / med["qemu"]
        ratios.append(r)
        nat = f"{med['native']:10.3f}" if "native" in med else f"{'-':>10}"
        print(f"{name:18} {med['powerlift']:10.3f} {med['qemu']:10.3f} {nat} {r:7.2f}")
    g = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"geometric mean ratio powerlift/qemu-ppc64le: {g:.2f}; worst: {max(ratios):.2f}")


if __name__ == "__main__":
    main()
