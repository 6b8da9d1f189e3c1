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
echo; echo "What a rules! block adds to \`cargo check\` (bench/macro-check/measure.sh N):"; echo
for n in 10 1000 10000; do
  bench/macro-check/measure.sh "$n" | tail -1 | sed "s/^/    $n rules: /"
done
echo; echo "End to end, 1,000,000 CSV rows through the screen program to JSON Lines (time, peak RSS):"; echo
cargo build -q --release -p examples --bin screen
big=$(mktemp --suffix=.csv)
distinct=$(mktemp --suffix=.csv)
# The bundled rows repeated with fresh ids (432 distinct lines apart from the id), and the same rows with each
# repetition dated a day later (no line's values met again): what remembering lines gains, and what it costs.
cargo run -q --release -p bench --bin make_csv -- 1000000 "$big"
cargo run -q --release -p bench --bin make_csv -- 1000000 "$distinct" --distinct
# This machine's speed moves by a third from minute to minute: seven runs per file and thread count, one and
# two workers and both files interleaved, so that all see the same moments; the fastest, median and slowest.
for f in "$big" "$distinct"; do : > "$f.1"; : > "$f.2"; done
for run in 1 2 3 4 5 6 7; do
  for f in "$big" "$distinct"; do
    for threads in 1 2; do
      # Exit status 0 expected: every bundled row is well formed.
      /usr/bin/time -f "%e %M" -a -o "$f.$threads" "$CARGO_TARGET_DIR/release/screen" -q "$f" --threads "$threads" -o /dev/null 2>/dev/null
    done
  done
done
for f in "$big" "$distinct"; do
  if [ "$f" = "$big" ]; then echo "  repeated rows (make_csv 1000000):"; else echo "  rows dated apart (make_csv 1000000 --distinct):"; fi
  for threads in 1 2; do
    sort -n "$f.$threads" | awk -v t="$threads" -v size="$(du -h "$f" | cut -f1)" '
      { s[NR] = $1; if ($2 > kb) kb = $2 }
      END { printf "    %s worker thread(s): fastest %.2f s, median %.2f s, slowest %.2f s of %d runs; peak RSS %d MiB (%s input)\n",
            t, s[1], s[int((NR + 1) / 2)], s[NR], NR, kb / 1024, size }'
  done
done
small=$(mktemp --suffix=.csv)
echo; echo "Instructions per row (cachegrind, one worker, 50,000 rows, less the 10-row run's count for loading):"; echo
if command -v valgrind >/dev/null; then
  for f in "$big" "$distinct"; do
    head -50001 "$f" > "$small"
    count() { valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$CARGO_TARGET_DIR/release/screen" -q "$1" --threads 1 -o /dev/null 2>&1 | awk '/I *refs/ {gsub(",", "", $NF); print $NF}'; }
    rows=$(count "$small")
    head -11 "$f" > "$small"
    base=$(count "$small")
    label="repeated rows"; if [ "$f" = "$distinct" ]; then label="rows dated apart"; fi
    printf '    %s: %d per row\n' "$label" "$(( (rows - base) / 49990 ))"
  done
else
  echo "    (valgrind not installed)"
fi
rm -f "$big" "$big.1" "$big.2" "$distinct" "$distinct.1" "$distinct.2" "$small"
if [ -z "${QUICK:-}" ]; then
  echo; echo "The README's test command on a fresh clone (its own target directory), cold then warm:"; echo
  scratch=$(mktemp -d)
  git clone -q . "$scratch/repo"
  for run in cold warm; do
    start=$(date +%s.%N)
    (cd "$scratch/repo" && CARGO_TARGET_DIR="$scratch/target" cargo test --workspace --locked -q >/dev/null 2>&1)
    end=$(date +%s.%N)
    printf '    %s: %.0f s\n' "$run" "$(echo "$end - $start" | bc)"
  done
  rm -rf "$scratch"
fi
