//! Prints the tables of BENCHMARKS.md from criterion's results (`target/criterion`, or under
//! `$CARGO_TARGET_DIR`): decisions per engine and size with ratios to our compiled evaluator, the analysis per
//! size, and screening throughput. Run after the benchmarks; `bench/run.sh` does both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// (group, function, parameter) → median in nanoseconds.
type Medians = BTreeMap<(String, String, String), f64>;

fn collect(dir: &Path, out: &mut Medians) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "new") {
                let read = |f: &str| -> Option<serde_json::Value> {
                    serde_json::from_str(&std::fs::read_to_string(p.join(f)).ok()?).ok()
                };
                if let (Some(b), Some(est)) = (read("benchmark.json"), read("estimates.json")) {
                    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
                    if let Some(m) = est["median"]["point_estimate"].as_f64() {
                        out.insert(
                            (s(&b["group_id"]), s(&b["function_id"]), s(&b["value_str"])),
                            m,
                        );
                    }
                }
            } else {
                collect(&p, out);
            }
        }
    }
}

fn time(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

fn main() {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let mut m = Medians::new();
    collect(&target.join("criterion"), &mut m);
    if m.is_empty() {
        eprintln!(
            "no criterion results under {}; run `bench/run.sh` (or `cargo bench -p bench`) first",
            target.display()
        );
        std::process::exit(2);
    }
    let engines = [
        "compiled",
        "compiled_inline",
        "compiled_table",
        "interpreter",
        "if_chain",
        "naive_loop",
        "cedar",
        "zen",
        "zen_uncompiled",
    ];
    println!(
        "Decision time per transaction (median), and how many times slower than `compiled` (the macro's default \
         expansion: inline up to 256 rules, tables above; `compiled_inline` and `compiled_table` name each):\n"
    );
    println!("| rules | {} |", engines.join(" | "));
    println!("|---|{}", "---|".repeat(engines.len()));
    for n in ["10", "100", "1000", "10000"] {
        let group = format!("decide/{n}");
        let Some(&base) = m.get(&(group.clone(), "compiled".into(), n.into())) else {
            continue;
        };
        let cells: Vec<String> = engines
            .iter()
            .map(
                |e| match m.get(&(group.clone(), (*e).to_owned(), n.into())) {
                    None => "—".to_owned(),
                    Some(&t) if *e == "compiled" => time(t),
                    Some(&t) => format!("{} ({:.1}x)", time(t), t / base),
                },
            )
            .collect();
        println!("| {n} | {} |", cells.join(" | "));
    }
    println!("\nThe analysis (contradictions, dead rules, gaps) of generated rule books:\n");
    println!("| rules | median |");
    println!("|---|---|");
    for n in ["100", "1000", "10000", "100000"] {
        // `BenchmarkId::from_parameter` leaves the function empty.
        if let Some(t) = m.get(&("analysis".into(), String::new(), n.into())) {
            println!("| {n} | {} |", time(*t));
        }
    }
    println!(
        "\nScreening 1,000,000 in-memory transactions on one core (every bundled regime: US, EU, NL, JP, DE, KR):\n"
    );
    println!("| what | median | per transaction |");
    println!("|---|---|---|");
    for f in ["decide_1m_cases_all_regimes", "screen_1m_rows_to_jsonl"] {
        if let Some(t) = m.get(&("screening".into(), f.into(), String::new())) {
            println!("| {f} | {} | {} |", time(*t), time(t / 1e6));
        }
    }
}
