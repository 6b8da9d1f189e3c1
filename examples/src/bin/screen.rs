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

use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use control_core::{Evaluator, Interpreter, Scenario, Transaction, parse_date};
use control_screen::audit::RunRecord;
use control_screen::input::{self, Format, InputRow};
use control_screen::parties::PartyMatcher;
use control_screen::screen::{Screener, Tally, csv_header, write_csv_row};

/// Rows handed from the reading thread to the deciding one at a time.
const BATCH: usize = 1024;
use examples::{load_rulebooks, rulebooks};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Screen export transactions against the US, NL, JP, DE and KR rule books.
#[derive(Parser, Debug)]
#[command(
    name = "screen",
    version = concat!(env!("CARGO_PKG_VERSION"), " (control-core ", env!("CARGO_PKG_VERSION"), ")"),
    after_long_help = HELP
)]
struct Args {
    /// Transactions (CSV with a header, or JSON Lines); `-` reads standard input (then pass `--format`).
    input: PathBuf,
    /// The input format (default: from the file's extension).
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Apply the rules in force on this date (YYYY-MM-DD) instead of each transaction's own date.
    #[arg(long, value_parser = |s: &str| parse_date(s).map_err(|e| e.to_string()))]
    as_of: Option<control_core::jiff::civil::Date>,
    /// Treat the proposed rules as adopted.
    #[arg(long)]
    with_proposals: bool,
    /// Write the output rows here instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    output_format: OutputFormat,
    /// Print the full explanation of each decision for a person (to stdout; output rows need `--output`).
    #[arg(long)]
    explain: bool,
    /// Use interpreted JSON rule books from this folder instead of the compiled ones.
    #[arg(long)]
    rulebooks: Option<PathBuf>,
    /// A party name close to a known party makes the row an error instead of a row for review.
    #[arg(long)]
    strict_parties: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

const HELP: &str = "\
INPUT
  CSV with a header line, or JSON Lines (one object per line); one record per physical line (LF, CRLF or CR).
  Columns (all required except id): id, exporter, exporter_country, item, item_origin, us_content (0-100),
  activity, destination, end_user, end_use, date, contract_date (YYYY-MM-DD). An unknown, duplicated or
  missing column in the CSV header stops the run before any row (exit 2).

OUTPUT
  One row per input line, in input order (JSON Lines; --output-format csv for CSV). JSON Lines output starts
  with a run record: {\"run\": {tool, versions, as_of, proposals, rule_books: [{regime, name, sha256}]}}; CSV
  output gets it in FILE.run.json beside it (or on stderr). Each row: line, id, status, as_of, proposals,
  outcome, decided_by, regimes (outcome, deciding rules, citations), review, error. status is decided,
  needs_review (a party name is close to a known party), outside_jurisdiction (no outcome claimed), failed
  (a regime conflicts or is undecided: no outcome claimed) or unreadable.

EXIT STATUS
  0  every row decided, needs review, or is outside every regime
  1  some row is unreadable or failed (every other row is still written)
  2  nothing screened: unreadable input, a wrong CSV header, no rule books, an output that is the input";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    Csv,
    Jsonl,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Csv => Format::Csv,
            InputFormat::Jsonl => Format::Jsonl,
        }
    }
}

/// Where output rows go.
enum Sink {
    Json(BufWriter<Box<dyn Write>>),
    Csv(Box<csv::Writer<Box<dyn Write>>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Jsonl,
    Csv,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(tally) => {
            eprintln!("\n{tally}");
            if tally.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<Tally, String> {
    let interpreted: Vec<Interpreter<Transaction>> = match &args.rulebooks {
        Some(dir) => load_rulebooks(dir)?,
        None => Vec::new(),
    };
    let books: Vec<&dyn Evaluator<Case = Transaction>> = if args.rulebooks.is_some() {
        interpreted
            .iter()
            .map(|b| b as &dyn Evaluator<Case = Transaction>)
            .collect()
    } else {
        rulebooks::all()
    };
    let mut known: Vec<control_core::Party> = Vec::new();
    for p in books.iter().flat_map(|b| b.rule_set().parties()) {
        if !known.iter().any(|k| k.id == p.id) {
            known.push(p.clone());
        }
    }
    let parties = PartyMatcher::new(known);

    let path = &args.input;
    let stdin = path.as_os_str() == "-";
    let format = args
        .format
        .map(Format::from)
        .or_else(|| (!stdin).then(|| Format::from_path(path)).flatten())
        .ok_or_else(|| format!("{}: cannot tell the format from the extension; pass --format csv or --format jsonl", path.display()))?;
    if let Some(out) = &args.output {
        refuse_overwriting_input(path, out)?;
    }
    let (file, len): (Box<dyn std::io::Read + Send>, u64) = if stdin {
        (Box::new(std::io::stdin()), 0)
    } else {
        let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(format!(
                "{}: is a directory, not a file of transactions",
                path.display()
            ));
        }
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        (Box::new(file), len)
    };
    let scenario = Scenario {
        as_of: args.as_of,
        proposals: args.with_proposals,
    };
    let screener = Screener::new(books.clone(), scenario)
        .ok_or("no rule books to screen against: the folder given to --rulebooks has no *.json rule book")?
        .strict_parties(args.strict_parties);
    let names = screener.regimes();
    let run = RunRecord::new(
        concat!("screen ", env!("CARGO_PKG_VERSION")),
        &books,
        scenario,
    );

    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
    };
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} screening [{bar:40}] {bytes}/{total_bytes} {per_sec} eta {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );

    // The output is opened when the first row is ready, so that a wrong header or an unreadable input leaves
    // no output file behind.
    let open = || -> Result<Sink, String> {
        let out: Box<dyn Write> = match (&args.output, args.explain) {
            (Some(p), _) => Box::new(File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
            (None, true) => Box::new(std::io::sink()),
            (None, false) => Box::new(std::io::stdout().lock()),
        };
        Ok(match args.output_format {
            OutputFormat::Jsonl => {
                let mut w = BufWriter::new(out);
                serde_json::to_writer(&mut w, &serde_json::json!({ "run": run }))
                    .map_err(|e| e.to_string())?;
                w.write_all(b"\n").map_err(|e| e.to_string())?;
                Sink::Json(w)
            }
            OutputFormat::Csv => {
                let record = serde_json::to_string_pretty(&run).map_err(|e| e.to_string())?;
                match &args.output {
                    Some(p) => {
                        let side = p.with_extension("run.json");
                        std::fs::write(&side, record)
                            .map_err(|e| format!("{}: {e}", side.display()))?;
                    }
                    None => eprintln!("run: {}", serde_json::to_string(&run).unwrap_or_default()),
                }
                let mut w = csv::Writer::from_writer(out);
                w.write_record(csv_header(&names))
                    .map_err(|e| e.to_string())?;
                Sink::Csv(Box::new(w))
            }
        })
    };
    let mut sink: Option<Sink> = None;
    let mut tally = Tally::new(&names);
    let mut io_error: Option<String> = None;
    // Reading and parsing run on one thread, deciding and writing on this one: the machine has two cores.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(InputRow, u64)>>(8);
    let read = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut batch = Vec::with_capacity(BATCH);
            let r = input::read(BufReader::new(file), format, &parties, |row, bytes| {
                batch.push((row, bytes));
                if batch.len() == BATCH {
                    // A closed channel means the writer stopped; its error is reported there.
                    let _ = tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            });
            let _ = tx.send(batch);
            drop(tx);
            r.map_err(|e| e.to_string())
        });
        for batch in rx {
            if sink.is_none() && !batch.is_empty() {
                match open() {
                    Ok(s) => sink = Some(s),
                    Err(e) => {
                        io_error = Some(e);
                        break;
                    }
                }
            }
            let Some(sink) = sink.as_mut() else {
                continue;
            };
            for (row, bytes) in &batch {
                let result = screener.screen(row);
                tally.add(&result);
                if args.explain {
                    explain(&books, row, &scenario);
                }
                let written = match sink {
                    Sink::Csv(w) => write_csv_row(w, &result, &names).map_err(|e| e.to_string()),
                    Sink::Json(out) => serde_json::to_writer(&mut *out, &result)
                        .map_err(|e| e.to_string())
                        .and_then(|()| out.write_all(b"\n").map_err(|e| e.to_string())),
                };
                if let (Err(e), None) = (written, &io_error) {
                    io_error = Some(e);
                }
                progress.set_position(*bytes);
            }
        }
        reader
            .join()
            .unwrap_or_else(|_| Err("the reader thread panicked".to_owned()))
    });
    read.map_err(|e| {
        let name = if stdin {
            "standard input".to_owned()
        } else {
            path.display().to_string()
        };
        format!("{name}: {e}")
    })?;
    if let Some(e) = io_error {
        return Err(format!("writing the output: {e}"));
    }
    let mut sink = match sink {
        Some(s) => s,
        None => open()?,
    };
    match &mut sink {
        Sink::Csv(w) => w.flush(),
        Sink::Json(out) => out.flush(),
    }
    .map_err(|e| format!("writing the output: {e}"))?;
    progress.finish_and_clear();
    Ok(tally)
}

/// Refuses an output that is the input: the same path, a path that resolves to it, or a link to the same file.
fn refuse_overwriting_input(
    input: &std::path::Path,
    output: &std::path::Path,
) -> Result<(), String> {
    if input.as_os_str() == "-" {
        return Ok(());
    }
    let same_path = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    #[cfg(unix)]
    let same_file = {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(input), std::fs::metadata(output)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    };
    #[cfg(not(unix))]
    let same_file = false;
    if same_path || same_file {
        Err(format!(
            "{}: the output is the input file; writing it would destroy the transactions. Choose another --output",
            output.display()
        ))
    } else {
        Ok(())
    }
}

fn explain(books: &[&dyn Evaluator<Case = Transaction>], row: &InputRow, scenario: &Scenario) {
    let id = row.id.as_deref().unwrap_or("");
    match &row.transaction {
        Err(e) => println!("line {} {id}: error: {e}\n", row.line),
        Ok(t) => {
            println!("line {} {id}: {}", row.line, examples::describe(t));
            let all = books
                .iter()
                .copied()
                .fold(control_core::Regimes::new(), control_core::Regimes::with);
            println!("{}", all.evaluate(t, scenario));
            for b in books.iter().filter(|b| b.in_jurisdiction(t)) {
                for l in b.explain(t, scenario).to_string().lines() {
                    println!("    {l}");
                }
            }
            println!();
        }
    }
}
