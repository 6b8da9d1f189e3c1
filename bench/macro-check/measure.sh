#!/usr/bin/env bash
# Measures what a rules! block of N rules adds to `cargo check`: a scratch crate is checked once with an
# empty main (dependencies warm), then the same crate with the block, each after touching the source.
# Usage: bench/macro-check/measure.sh [N]   (prints seconds for: empty, with the block)
set -euo pipefail
n=${1:-1000}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "macro_check"
version = "0.0.0"
edition = "2024"
[dependencies]
control-core = { path = "$root/control-core" }
control-macros = { path = "$root/control-macros" }
[workspace]
[profile.dev.build-override]
opt-level = ${OPT:-0}
TOML
export CARGO_TARGET_DIR="$root/target/macro-check"
echo 'fn main() {}' > "$dir/src/main.rs"
(cd "$dir" && cargo check -q 2>/dev/null)
t0=$(date +%s.%N); touch "$dir/src/main.rs"; (cd "$dir" && cargo check -q); t1=$(date +%s.%N)
{ python3 "$root/bench/macro-check/gen.py" "$n"; echo 'fn main() {}'; } > "$dir/src/main.rs"
t2=$(date +%s.%N); (cd "$dir" && cargo check -q); t3=$(date +%s.%N)
printf 'empty crate: %.2f s\nwith a %s-rule block: %.2f s\nadded by the block: %.2f s\n' \
  "$(echo "$t1 - $t0" | bc)" "$n" "$(echo "$t3 - $t2" | bc)" "$(echo "$t3 - $t2 - ($t1 - $t0)" | bc)"
rm -rf "$dir"
