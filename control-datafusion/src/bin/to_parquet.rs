//! Converts transactions from CSV to Parquet (every value kept as text).
//!
//! ```text
//! cargo run --release --manifest-path control-datafusion/Cargo.toml --bin to_parquet -- IN.csv OUT.parquet [--dictionary]
//! ```
//!
//! The bundled `data/transactions.parquet` is `examples/data/transactions.csv` converted by this program (a
//! test checks that it still is).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dictionary = args.iter().any(|a| a == "--dictionary");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [input, output] = paths[..] else {
        eprintln!("usage: to_parquet IN.csv OUT.parquet [--dictionary]");
        return ExitCode::from(2);
    };
    let result = (|| {
        let csv = std::fs::File::open(input).map_err(|e| format!("{input}: {e}"))?;
        let out = std::fs::File::create(output).map_err(|e| format!("{output}: {e}"))?;
        control_datafusion::parquet::csv_to_parquet(std::io::BufReader::new(csv), out, dictionary)
            .map_err(|e| format!("{input}: {e}"))
    })();
    match result {
        Ok(rows) => {
            eprintln!("{rows} rows written to {output}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
