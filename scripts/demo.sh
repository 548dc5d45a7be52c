#!/bin/bash
# The demo: fetch Debian's ppc64el busybox-static (and kernel), build
# powerlift, and run guest programs.
#
# System emulation (booting the fetched kernel with -M pseries) is not
# implemented yet; until it is, the demo runs Debian's busybox in Linux user
# mode: a few applets, then an interactive busybox shell when stdin is a
# terminal.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
echo "demo: building powerlift (release)..."
cargo build --release -q
pl="$root/target/release/powerlift"
bb="$root/work/guest/busybox"
echo "demo: $(cat work/guest/VERSIONS | tr '\n' ' ')"
echo "demo: powerlift run busybox uname -a"
"$pl" run "$bb" uname -a
echo "demo: powerlift run busybox sha256sum README.md"
"$pl" run "$bb" sha256sum README.md
if [[ -t 0 ]]; then
    echo "demo: starting an interactive busybox shell (type 'exit' to leave)"
    exec "$pl" run "$bb" sh
fi
