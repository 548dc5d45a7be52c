#!/bin/bash
# Install everything the build and the tests need on a fresh Debian
# (bookworm) machine: the oracles from TESTING.md, and the guest files.
# Idempotent: packages already installed are not reinstalled, and the guest
# download is cached in work/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# gcc/libc6-dev: the host C compiler (linker for cargo, and the mimalloc
# crate's C sources); busybox: the user-mode benchmark's native column.
pkgs=(gcc libc6-dev qemu-user qemu-system-ppc binutils-powerpc64le-linux-gnu
      gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross gdb-multiarch
      python3-venv tmux busybox)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO=sudo
    $SUDO apt-get update -q || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
else
    echo "setup: Debian packages already installed"
fi

if ! command -v cargo >/dev/null; then
    echo "setup: cargo not found; install a Rust toolchain (rustup) first" >&2
    exit 1
fi
# The test script runs cargo fmt and cargo clippy.
if command -v rustup >/dev/null; then
    for c in rustfmt clippy; do
        rustup component list --installed 2>/dev/null | grep -q "^$c" ||
            { echo "setup: rustup component add $c"; rustup component add "$c"; }
    done
fi

venv="$root/work/venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import qemu.qmp' 2>/dev/null; then
    echo "setup: creating $venv with qemu.qmp"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q qemu.qmp
fi

"$root/scripts/fetch-guest.sh"
echo "setup: done"
