//! What changes if the proposals are adopted: the semantic diff of every regime's rule book, without and with
//! the proposals, as of a date. Each changed region is one line: the decision before and after, the rules
//! responsible, and a transaction of that region.
//!
//! ```text
//! cargo run -p examples --bin compare                     # as of 2024-03-07, the report's date
//! cargo run -p examples --bin compare -- --as-of 2025-01-01
//! cargo run -p examples --bin compare -- --own-dates       # each transaction's own date
//! ```

use std::process::ExitCode;

use clap::Parser;
use control_core::{Scenario, analysis::diff, jiff::civil::Date, parse_date};
use examples::rulebooks;

/// Show what adopting the proposed rules would change, regime by regime.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The date whose rules to compare.
    #[arg(long, default_value = "2024-03-07", value_parser = |s: &str| parse_date(s).map_err(|e| e.to_string()))]
    as_of: Date,
    /// Compare under each transaction's own date instead of one date.
    #[arg(long)]
    own_dates: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let before = Scenario {
        as_of: (!args.own_dates).then_some(args.as_of),
        proposals: false,
    };
    let after = before.with_proposals();
    examples::say!("What changes if the proposals are adopted ({before} → with proposals)\n");
    let mut total = 0;
    for book in rulebooks::all() {
        let rs = book.rule_set();
        let d = match diff(rs, before, rs, after) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {}: {e}", rs.name());
                return ExitCode::FAILURE;
            }
        };
        examples::say!(
            "{} ({}): {} region(s) change",
            rs.regime(),
            rs.name(),
            d.regions.len()
        );
        for r in &d.regions {
            examples::say!("  {}  →  {}", r.before, r.after);
            examples::say!(
                "      e.g. {}",
                r.witness.text.split("; ").next().unwrap_or("")
            );
        }
        examples::say!();
        total += d.regions.len();
    }
    examples::say!("{total} region(s) change in all");
    ExitCode::SUCCESS
}
