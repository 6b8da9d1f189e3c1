//! Writes N transactions as CSV for end-to-end screening benchmarks: the bundled sample's well-formed rows,
//! repeated, with fresh ids. Usage: `make_csv N FILE [--distinct]`.
//!
//! Repeated as they are, the sample gives only as many distinct lines (the id aside) as it has rows, so a
//! screener that remembers lines met before meets almost every line again. With `--distinct`, each
//! repetition of the sample is dated a day later than the one before (its `date` column; the contract date
//! stays), so no two lines have the same values: the dated rules and Entity List entries in force move with
//! the dates as they would over years of transactions.

use std::io::Write;

use control_core::jiff::{ToSpan, civil::Date};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let distinct = args.iter().any(|a| a == "--distinct");
    let mut args = args.iter().filter(|a| *a != "--distinct");
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let path = args
        .next()
        .cloned()
        .unwrap_or_else(|| "transactions-big.csv".into());
    let sample = examples_csv();
    let mut lines = sample.lines();
    let header = lines.next().unwrap_or_default().to_owned();
    let date_column = header
        .split(',')
        .position(|c| c == "date")
        .expect("the sample has a date column");
    let rows: Vec<&str> = lines
        .filter(|l| !l.starts_with("BAD") && !l.trim().is_empty())
        .collect();
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = std::io::BufWriter::new(file);
    let result = (|| -> std::io::Result<()> {
        writeln!(out, "{header}")?;
        for i in 0..n {
            let row = rows[i % rows.len()];
            // Replace the id (first column).
            let rest = row.split_once(',').map_or(row, |(_, r)| r);
            if !distinct {
                writeln!(out, "R{i:07},{rest}")?;
                continue;
            }
            let later = (i / rows.len()) as i64;
            let values: Vec<String> = rest
                .split(',')
                .enumerate()
                .map(|(c, v)| match v.parse::<Date>() {
                    // `rest` starts at the second column.
                    Ok(d) if c + 1 == date_column => (d + later.days()).to_string(),
                    _ => v.to_owned(),
                })
                .collect();
            writeln!(out, "R{i:07},{}", values.join(","))?;
        }
        out.flush()
    })();
    if let Err(e) = result {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    }
}

fn examples_csv() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/transactions.csv");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
