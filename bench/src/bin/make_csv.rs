//! Writes N transactions as CSV for end-to-end screening benchmarks: the bundled sample's well-formed rows,
//! repeated, with fresh ids. Usage: `make_csv N FILE`.

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let path = args.next().unwrap_or_else(|| "transactions-big.csv".into());
    let sample = examples_csv();
    let mut lines = sample.lines();
    let header = lines.next().unwrap_or_default().to_owned();
    let rows: Vec<&str> = lines
        .filter(|l| !l.starts_with("BAD") && !l.trim().is_empty())
        .collect();
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = std::io::BufWriter::new(file);
    let result = (|| -> std::io::Result<()> {
        writeln!(out, "{header}")?;
        for i in 0..n {
            let row = rows[i % rows.len()];
            // Replace the id (first column) so every row is distinct.
            let rest = row.split_once(',').map_or(row, |(_, r)| r);
            writeln!(out, "R{i:07},{rest}")?;
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
