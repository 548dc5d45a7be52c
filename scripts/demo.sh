#!/bin/bash
# The demo: fetch Debian's ppc64el kernel and busybox-static, build
# powerlift and an initramfs, and boot Linux to an interactive busybox shell
# on the console (Ctrl-a x quits, Ctrl-a c switches to the monitor;
# `poweroff -f` in the guest also ends it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
echo "demo: building powerlift (release)..."
cargo build --release -q
pl="$root/target/release/powerlift"
echo "demo: building the initramfs..."
"$pl" initramfs --busybox work/guest/busybox -o target/demo-initramfs.gz
echo "demo: booting $(head -1 work/guest/VERSIONS) with 2 CPUs"
args=(-M pseries -m 1G -smp 2 -kernel work/guest/vmlinux
      -initrd target/demo-initramfs.gz -nographic -serial mon:stdio)
if [[ -t 0 ]]; then
    exec "$pl" "${args[@]}" -append "console=hvc0"
else
    # Not a terminal (e.g. CI): boot, print the marker and power off.
    exec "$pl" "${args[@]}" -append "console=hvc0 powerlift.poweroff"
fi
