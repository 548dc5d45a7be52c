#!/bin/bash
# The full test suite, as CI runs it (.ci/run calls exactly this):
# install the oracles, build, lint, and run every test; then run the tests
# that execute guest code again under each execution tier.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
export PATH="$root/work/venv/bin:$PATH"
echo "test: cargo fmt --check"
cargo fmt --check
echo "test: cargo clippy"
cargo clippy --all-targets -q -- -D warnings
echo "test: cargo test (release, default tier: auto)"
cargo test --release --all-targets 2>&1

# Guest-executing tests again with the interpreter alone and with every
# region compiled on first use (threshold 0) and recompiled optimised on
# its next entry from the dispatcher (POWERLIFT_HOT=0, so compiled regions
# link to each other everywhere), so all three modes agree with the
# oracles.
guest_tests=()
for t in difftest cprogs busybox fp vec; do
    [[ -f "tests/$t.rs" ]] && guest_tests+=(--test "$t")
done
for tier in interp jit; do
    echo "test: guest tests with POWERLIFT_TIER=$tier"
    hot=
    [[ $tier == jit ]] && hot=0
    POWERLIFT_TIER=$tier POWERLIFT_HOT=$hot cargo test --release "${guest_tests[@]}" 2>&1
done
# And with guest registers in Cranelift variables in every region (by
# default only regions whose entries run long get them), so the exits'
# write-back sets (`RegScan::written_in`) are checked everywhere too.
echo "test: guest tests with POWERLIFT_TIER=jit POWERLIFT_REGVARS=always"
POWERLIFT_TIER=jit POWERLIFT_HOT=0 POWERLIFT_REGVARS=always \
    cargo test --release "${guest_tests[@]}" 2>&1
