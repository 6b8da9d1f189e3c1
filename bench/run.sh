#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md and prints its tables. Builds Cedar and ZEN the first time (about a quarter
# of an hour on a 2-core machine); uses its own target directory so the ordinary build stays small.
#
#   bench/run.sh            everything
#   QUICK=1 bench/run.sh    without the peers and the 10,000-rule compiled workload
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/bench}
features=peers,large
if [ -n "${QUICK:-}" ]; then features=; fi
echo "## Machine"; echo; echo "- $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "- $(rustc --version)"; echo
cargo bench -q -p bench ${features:+--features $features} --bench engines --bench analysis --bench throughput >/dev/null
cargo run -q --release -p bench --bin report
echo; echo "The rules! macro's share of \`cargo check\` for a 1,000-rule block:"; echo
bench/macro-check/measure.sh 1000 | sed 's/^/    /'
echo; echo "End to end, 1,000,000 CSV rows through the screen program to JSON Lines:"; echo
cargo build -q --release -p examples --bin screen
big=$(mktemp --suffix=.csv)
cargo run -q --release -p bench --bin make_csv -- 1000000 "$big"
start=$(date +%s.%N)
"$CARGO_TARGET_DIR/release/screen" -q "$big" -o /dev/null 2>/dev/null || true
end=$(date +%s.%N)
printf '    %.2f s for 1,000,000 rows (%s)\n' "$(echo "$end - $start" | bc)" "$(du -h "$big" | cut -f1)"
rm -f "$big"
