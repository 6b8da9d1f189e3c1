//! Generates the comparison workload's compiled rule sets (via `rules!`) and hand-written if-chains from the
//! same rules the other engines get (see `src/workload.rs`).

#[path = "src/workload.rs"]
#[allow(dead_code)]
mod workload;

fn main() {
    println!("cargo::rerun-if-changed=src/workload.rs");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let mut sizes = vec![10, 100, 1_000];
    if std::env::var_os("CARGO_FEATURE_LARGE").is_some() {
        sizes.push(10_000);
    }
    let mut compiled = String::new();
    for &n in &sizes {
        let rules = workload::simple_rules(n, n as u64);
        // `SimpleN` as the macro expands it by default, and each expansion by name: `SimpleNInline` (not at
        // 10,000 rules, where it adds 17 s to the build) and `SimpleNTable`.
        compiled += &workload::rules_source(&format!("Simple{n}"), &rules, None);
        if n < 10_000 {
            compiled +=
                &workload::rules_source(&format!("Simple{n}Inline"), &rules, Some("inline"));
        }
        compiled += &workload::rules_source(&format!("Simple{n}Table"), &rules, Some("table"));
    }
    let chains = workload::if_chain_source("if_chain_10", &workload::simple_rules(10, 10));
    for (file, text) in [("compiled.rs", compiled), ("if_chain.rs", chains)] {
        if let Err(e) = std::fs::write(out.join(file), text) {
            panic!("writing {file}: {e}");
        }
    }
}
