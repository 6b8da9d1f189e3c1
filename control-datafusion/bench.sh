#!/usr/bin/env bash
# Screening 1M and 10M rows: DataFusion (Parquet, the `sql` program) against the `screen` program (the same rows
# as CSV), and the same query on in-process Ballista. Prints a Markdown table for BENCHMARKS.md.
#
#   control-datafusion/bench.sh            1M and 10M rows
#   SIZES="1000000" control-datafusion/bench.sh
#   DF_BIN=DIR control-datafusion/bench.sh   use `sql` and `to_parquet` already built in DIR
#
# Every run is end to end (start the program, read the file, screen every row, write or aggregate the result),
# timed with /usr/bin/time (wall seconds, peak RSS). The files go to a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-"1000000 10000000"}
echo "building..." >&2
cargo build -q --release -p examples --bin screen -p bench --bin make_csv
df=${DF_BIN:-control-datafusion/target/release}
if [ -z "${DF_BIN:-}" ]; then (cd control-datafusion && cargo build -q --release --bin sql --bin to_parquet); fi
main=target/release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() { # label, command...: prints "label | seconds | peak MiB"
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  read -r secs kib <"$tmp/time"
  printf '%s|%s|%s\n' "$label" "$secs" "$((kib / 1024))"
}
echo "## Machine"; echo
echo "- $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "- $(rustc --version); DataFusion $(grep -A1 '^name = "datafusion"$' control-datafusion/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p'), Ballista $(grep -A1 '^name = "ballista"$' control-datafusion/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')"
echo
echo "| rows | run | seconds | ns per row | peak RSS (MiB) |"
echo "|---:|---|---:|---:|---:|"
by_destination=control-datafusion/queries/outcomes_by_destination.sql
for n in $sizes; do
  "$main/make_csv" "$n" "$tmp/t.csv"
  "$df/to_parquet" "$tmp/t.csv" "$tmp/t.parquet" 2>/dev/null
  csv_mb=$(du -m "$tmp/t.csv" | cut -f1); pq_mb=$(du -m "$tmp/t.parquet" | cut -f1)
  {
    measure "screen (CSV, $csv_mb MB) to JSON Lines" "$main/screen" -q "$tmp/t.csv" -o /dev/null
    measure "screen (CSV) to CSV" "$main/screen" -q "$tmp/t.csv" --output-format csv -o "$tmp/out.csv"
    measure "DataFusion (Parquet, $pq_mb MB): outcomes by destination" \
      "$df/sql" --time --table "transactions=$tmp/t.parquet" --file "$by_destination"
    measure "DataFusion: every row's struct to Parquet (COPY)" "$df/sql" --time --table "transactions=$tmp/t.parquet" \
      --query "COPY ($(grep -v '^--' control-datafusion/queries/screen_all.sql | tr -d ';')) TO '$tmp/out.parquet' STORED AS PARQUET"
    measure "Ballista standalone (1 executor, in process): outcomes by destination" \
      "$df/sql" --ballista --time --table "transactions=$tmp/t.parquet" --file "$by_destination"
  } | while IFS='|' read -r label secs mib; do
    printf '| %s | %s | %s | %.0f | %s |\n' "$n" "$label" "$secs" "$(echo "$secs * 1000000000 / $n" | bc -l)" "$mib"
  done
  rm -f "$tmp"/*.csv "$tmp"/*.parquet
done
