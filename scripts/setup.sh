#!/bin/bash
# Install everything the build and the tests need on a fresh Debian
# (bookworm) machine: the oracles from TESTING.md, and the guest files.
# Idempotent: packages already installed are not reinstalled, and the guest
# download is cached in work/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

pkgs=(qemu-user qemu-system-ppc binutils-powerpc64le-linux-gnu
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

venv="$root/work/venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import qemu.qmp' 2>/dev/null; then
    echo "setup: creating $venv with qemu.qmp"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q qemu.qmp
fi

"$root/scripts/fetch-guest.sh"
echo "setup: done"
