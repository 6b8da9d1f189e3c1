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

/// Reads transactions from JSON Lines: each line a transaction, or an error naming the line.
pub fn load_transactions(path: &Path) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, serde_json::from_str(l).map_err(|e| e.to_string())))
        .collect())
}

pub use control_screen::cli::describe;
