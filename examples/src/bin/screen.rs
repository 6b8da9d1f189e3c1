//! Screens transactions against every regime's rule book and writes one output row per input row.
//!
//! ```text
//! cargo run --release -p examples --bin screen -- examples/data/transactions.csv
//! cargo run --release -p examples --bin screen -- shipments.jsonl --as-of 2024-03-07 --with-proposals -o out.csv
//! cargo run --release -p examples --bin screen -- examples/data/transactions.csv --explain
//! ```
//!
//! Output (stdout, or `--output FILE`): JSON Lines by default, one object per input row in input order:
//! `{"line", "id", "status", "outcome", "decided_by", "regimes": [per-regime outcome, deciding rules and
//! citations]}` or `{"line", "id", "error"}`; or CSV (`--output-format csv`). `status` is `decided` (then
//! `outcome` is the most restrictive outcome among the regimes with jurisdiction), `outside_jurisdiction` (no
//! loaded regime covers the row: no outcome is claimed), or `failed` (a regime with jurisdiction conflicts,
//! leaves the row undecided, or cannot read it: `failed` names it, and the row counts as an error). A
//! progress bar and, at the end, a table of outcomes per regime go to stderr.
//!
//! Exit status: 0 when every row was decided or is outside every regime; 1 when any row was an error row
//! (unreadable, or a regime failed on it; all other rows are still screened and written); 2 when the input
//! could not be read at all or the arguments are wrong (no input, an empty rule-book folder, an output that
//! is the input).

use std::process::ExitCode;

use clap::Parser;
use control_screen::cli::{self, ScreenArgs};
use examples::rulebooks;

/// Screen export transactions against the US, NL, JP, DE and KR rule books.
#[derive(Parser, Debug)]
#[command(
    name = "screen",
    version = concat!(env!("CARGO_PKG_VERSION"), " (control-core ", env!("CARGO_PKG_VERSION"), ")"),
    after_long_help = cli::HELP
)]
struct Args {
    #[command(flatten)]
    screen: ScreenArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let parties = examples::data_dir().join("parties.json");
    cli::main(
        &args.screen,
        Some(rulebooks::all()),
        Some(&parties),
        concat!("screen ", env!("CARGO_PKG_VERSION")),
    )
}
