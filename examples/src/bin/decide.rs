//! Evaluates transactions against the bundled rule books and prints each regime's decision, the most
//! restrictive summary and, with `--explain`, the full explanation.
//!
//! ```text
//! cargo run -p examples --bin decide                      # bundled data, today's rules and with proposals
//! cargo run -p examples --bin decide -- --explain --as-of 2024-03-07 my.jsonl
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use control_core::{Evaluator, Regimes, Scenario, Transaction, parse_date};
use examples::{data_dir, load_rulebooks, load_transactions};

/// Decide transactions against interpreted rule books.
#[derive(Parser, Debug)]
struct Args {
    /// Transactions, one JSON object per line (default: the bundled sample).
    transactions: Option<PathBuf>,
    /// Folder of rule books (`*.json`; default: the bundled ones).
    #[arg(long)]
    rulebooks: Option<PathBuf>,
    /// Apply the rules in force on this date (YYYY-MM-DD) instead of each transaction's own date.
    #[arg(long, value_parser = |s: &str| parse_date(s).map_err(|e| e.to_string()))]
    as_of: Option<control_core::jiff::civil::Date>,
    /// Print the full explanation of each decision.
    #[arg(long)]
    explain: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let books = match load_rulebooks(
        &args
            .rulebooks
            .unwrap_or_else(|| data_dir().join("rulebooks")),
    ) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = args
        .transactions
        .unwrap_or_else(|| data_dir().join("transactions.jsonl"));
    let rows = match load_transactions(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let regimes = books.iter().fold(Regimes::new(), |r, b| {
        r.with(b as &dyn Evaluator<Case = Transaction>)
    });
    let base = Scenario {
        as_of: args.as_of,
        proposals: false,
    };
    let mut failed = 0;
    for (line, row) in rows {
        let t = match row {
            Ok(t) => t,
            Err(e) => {
                failed += 1;
                examples::say!("line {line}: error: {e}\n");
                continue;
            }
        };
        examples::say!("line {line}: {}", examples::describe(&t));
        for scenario in [base, base.with_proposals()] {
            examples::say!(" {scenario}:");
            examples::say!("{}", regimes.evaluate(&t, &scenario));
            if args.explain {
                for b in &books {
                    if b.in_jurisdiction(&t, &scenario) {
                        for l in b.explain(&t, &scenario).to_string().lines() {
                            examples::say!("    {l}");
                        }
                    }
                }
            }
        }
        examples::say!();
    }
    if failed > 0 {
        eprintln!("{failed} row(s) could not be read");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
