//! Analyses a generated rule book once and prints what was found and how long it took.
//!
//! `cargo run --release -p bench --bin analyse_generated -- 10000`

use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let rs = bench::rule_set(n, 7);
    let start = Instant::now();
    let a = control_core::analysis::analyse(&rs).unwrap_or_else(|e| panic!("{e}"));
    let t = start.elapsed();
    let dead = a.dead_rules.len();
    println!(
        "{n} rules: {} contradictions, {dead} dead (allowed), {} gaps, {} regions, {:.1} ms",
        a.contradictions.len(),
        a.gaps.len(),
        a.regions,
        t.as_secs_f64() * 1e3
    );
}
