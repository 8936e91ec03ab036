#!/usr/bin/env bash
# Runs the propagation benchmark side by side: osa (Rust, one thread and all cores) and the
# numpy/scipy.sparse peer (benches/propagation_scipy.py) on the same problems, which the Rust
# benchmark exports. The peer checks it gets osa's numbers before it is timed.
#
#   benches/run_propagation.sh [extra flags for the Rust bench, e.g. --reps 21]
#
# Needs python3 with numpy and scipy (pip install numpy scipy) and, for the ETO Monte Carlo,
# ../shared/data (or OSA_SHARED_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(pwd)/${OSA_BENCH_DIR:-target/osa-bench/propagation}"
mkdir -p "$out"
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
cargo bench -p osa-disrupt --bench propagation -- --export "$out" "$@"
python3 benches/propagation_scipy.py "$out"
