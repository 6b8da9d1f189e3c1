//! The seed scenario's rule books and the tools that run them.
//!
//! `data/rulebooks/*.json` are interpreted rule books (one per regime); `data/transactions.jsonl` holds sample
//! transactions. [`load_rulebooks`] and [`load_transactions`] read them with errors that name the file and line.
#![forbid(unsafe_code)]

pub mod rulebooks;

/// `println!` for the example programs, without its panic on a closed standard output: when the reader has
/// gone (`compare | head`), the program ends quietly; another write error is reported and exits 2.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(e);
        }
    }};
}

/// Ends the program after a failed write to standard output (see [`say!`]).
pub fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: writing to standard output: {e}");
    std::process::exit(2);
}

use std::path::{Path, PathBuf};

use control_core::Transaction;

/// The folder of bundled data.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Loads every `*.json` rule book in `dir`, sorted by file name.
pub use control_screen::cli::load_rulebooks;

/// One input row: its 1-based line number and the transaction, or why it could not be read.
pub type Row = (usize, Result<Transaction, String>);

/// The bundled party data (`data/parties.json`): the parties of the bundled transactions with their facts.
pub fn party_data() -> control_core::PartyData {
    let path = data_dir().join("parties.json");
    match control_screen::cli::load_party_data(&path) {
        Ok((data, _)) => data,
        // The bundled file is checked by the tests; a broken checkout is reported, not papered over.
        Err(e) => panic!("{e}"),
    }
}

/// Reads transactions from JSON Lines with the screening loader (every column required, parties' facts from
/// the bundled party data as of each transaction's date): each line a transaction, or an error naming the
/// line. Blank lines are skipped.
pub fn load_transactions(path: &Path) -> Result<Vec<Row>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let known: Vec<control_core::Party> = rulebooks::all()
        .iter()
        .flat_map(|b| b.rule_set().parties().to_vec())
        .collect();
    let parties = control_screen::parties::PartyMatcher::with_data(party_data(), known);
    let mut rows = Vec::new();
    control_screen::input::read(
        std::io::BufReader::new(file),
        control_screen::input::Format::Jsonl,
        &parties,
        |row, _| {
            let blank = matches!(&row.transaction, Err(e) if e.starts_with("a blank line"));
            if !blank {
                rows.push((row.line, row.transaction));
            }
        },
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(rows)
}

pub use control_screen::cli::describe;
