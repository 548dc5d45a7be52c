#!/bin/bash
# The full test suite, as CI runs it (.ci/run calls exactly this):
# install the oracles, build, lint, and run every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
export PATH="$root/work/venv/bin:$PATH"
echo "test: cargo fmt --check"
cargo fmt --check
echo "test: cargo clippy"
cargo clippy --all-targets -q -- -D warnings
echo "test: cargo test (release)"
cargo test --release --all-targets 2>&1
