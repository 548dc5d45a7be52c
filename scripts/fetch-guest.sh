#!/bin/bash
# Fetch Debian's ppc64el kernel and busybox-static (the guest and the test
# oracles' inputs) without touching the host's dpkg state, as TESTING.md
# describes: a private apt configuration for the ppc64el architecture.
#
# Output (idempotent; re-running reuses what is there):
#   work/guest/busybox        static ppc64le busybox
#   work/guest/vmlinux        Debian 6.1 ppc64le kernel (ELF)
#   work/guest/VERSIONS       package versions used
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/work/guest"
apt_dir="$root/work/apt-ppc64el"
mkdir -p "$out" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"

if [[ -s "$out/busybox" && -s "$out/vmlinux" && -s "$out/VERSIONS" ]]; then
    echo "fetch-guest: using cached guest in $out ($(tr '\n' ' ' < "$out/VERSIONS"))"
    exit 0
fi

opts=(-oAPT::Architecture=ppc64el -oAPT::Architectures=ppc64el
      -oDir::State::Lists="$apt_dir/lists" -oDir::Cache="$apt_dir/cache"
      -oDir::State::Status=/dev/null -oDebug::NoLocking=1
      -oAcquire::Languages=none)

echo "fetch-guest: updating the ppc64el package lists..."
# A failing secondary index (e.g. bookworm-security mid-sync) is not fatal:
# the search below decides whether what we need is there.
apt-get "${opts[@]}" update -q 2>&1 | grep -E '^(E|W):' | sed 's/^/  /' || true

kpkg=$(apt-cache "${opts[@]}" search --names-only '^linux-image-6\.1\.0-[0-9]+-powerpc64le$' \
        | awk '{print $1}' | sort -V | tail -1)
if [[ -z "$kpkg" ]]; then
    echo "fetch-guest: no linux-image-6.1.0-*-powerpc64le package found" >&2
    exit 1
fi
echo "fetch-guest: downloading $kpkg and busybox-static (ppc64el)..."
cd "$apt_dir/debs"
rm -f ./*.deb
apt-get "${opts[@]}" download -q "$kpkg:ppc64el" "busybox-static:ppc64el" 2>&1 | sed 's/^/  /'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in ./*.deb; do
    echo "fetch-guest: unpacking $d"
    dpkg-deb -x "$d" "$tmp"
done
cp "$tmp/bin/busybox" "$out/busybox"
vml=$(ls "$tmp"/boot/vmlinux-* | head -1)
cp "$vml" "$out/vmlinux"
{
    echo "$kpkg $(dpkg-deb -f ./linux-image-*.deb Version)"
    echo "busybox-static $(dpkg-deb -f ./busybox-static*.deb Version)"
} > "$out/VERSIONS"
echo "fetch-guest: done: $(tr '\n' ' ' < "$out/VERSIONS")"
