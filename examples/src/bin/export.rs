//! Writes each compiled rule book (`rules!` blocks) as a JSON rule book, so that the `control` tool can check,
//! diff and report a book written in Rust like one kept as JSON.
//!
//! ```text
//! cargo run -p examples --bin export -- target/books      # writes us.json, nl.json, jp.json, de.json, kr.json
//! control check target/books/*.json
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use examples::rulebooks;

/// Write every compiled rule book of the seed scenario as a JSON rule book.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The folder to write into (created if missing); files are named after the regime (`us.json`, …).
    dir: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        eprintln!("error: {}: {e}", args.dir.display());
        return ExitCode::from(2);
    }
    for book in rulebooks::all() {
        let rs = book.rule_set();
        let path = args
            .dir
            .join(format!("{}.json", rs.regime().to_lowercase()));
        // The macro's `JSON` constant is the document of the checked IR; written pretty for people.
        if let Err(e) = std::fs::write(&path, control_core::json::to_json(rs) + "\n") {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!(
            "{}: `{}`, {} rules",
            path.display(),
            rs.name(),
            rs.rules().len()
        );
    }
    ExitCode::SUCCESS
}
