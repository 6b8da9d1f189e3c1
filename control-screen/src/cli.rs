//! The screening program's command line, shared by `control screen` and the examples' `screen`: the flags,
//! the input and output formats, the run record, and the exit statuses (0 clean, 1 some error row, 2 nothing
//! screened). A caller gives the rule books (compiled ones, or none so that `--rulebooks`/`--book` are required).

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use control_core::{Evaluator, Interpreter, Scenario, Transaction, parse_date};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audit::RunRecord;
use crate::input::{self, Block, Format, InputRow};
use crate::parties::PartyMatcher;
use crate::screen::{Memo, Screener, Tally, csv_header, write_csv_row};

/// The screening command's arguments.
#[derive(Args, Debug, Clone)]
pub struct ScreenArgs {
    /// Transactions (CSV with a header, or JSON Lines); `-` reads standard input (then pass `--format`).
    pub input: PathBuf,
    /// The input format (default: from the file's extension).
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
    /// Apply the rules in force on this date (YYYY-MM-DD) instead of each transaction's own date.
    #[arg(long, value_parser = |s: &str| parse_date(s).map_err(|e| e.to_string()))]
    pub as_of: Option<control_core::jiff::civil::Date>,
    /// Treat the proposed rules as adopted.
    #[arg(long)]
    pub with_proposals: bool,
    /// Write the output rows here instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    pub output_format: OutputFormat,
    /// Print the full explanation of each decision for a person (to stdout; output rows need `--output`).
    #[arg(long)]
    pub explain: bool,
    /// Screen against the JSON rule books in this folder (every `*.json`), instead of any built-in ones.
    #[arg(long)]
    pub rulebooks: Option<PathBuf>,
    /// Screen against this JSON rule book (repeat for several; with `--rulebooks`, both are used).
    #[arg(long = "book", value_name = "BOOK")]
    pub books: Vec<PathBuf>,
    /// The party data (JSON: parties, where they are and are headquartered, their Entity List entries with
    /// dates): the parties' facts the rules read come from it.
    #[arg(long, value_name = "FILE")]
    pub parties: Option<PathBuf>,
    /// A party name close to a known party makes the row an error instead of a row for review.
    #[arg(long)]
    pub strict_parties: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Worker threads that parse and screen (default: one per core). The output keeps the input's order.
    #[arg(long, value_name = "N")]
    pub threads: Option<std::num::NonZero<usize>>,
}

/// What `--help` says after the flags: the columns, the output and the exit statuses.
pub const HELP: &str = "\
INPUT
  CSV with a header line, or JSON Lines (one object per line); one record per physical line (LF, CRLF or CR).
  Columns (all required except id): id, exporter, exporter_country, item.ccl, item.eu, item.wa, item.nl,
  item.jp, item.kr (the item's code under each control list, or UNLISTED), item_origin, us_content (0-100),
  data_centre (true/false), tpp, performance_density (0 or more), activity, destination, purchaser,
  intermediate_consignee, ultimate_consignee (a party, or none), end_user, end_use, us_person (true/false),
  fdp (none or the 15 CFR 734.9 rule), notified (true/false), date, contract_date (YYYY-MM-DD). An unknown,
  duplicated or missing column in the CSV header stops the run before any row (exit 2).

PARTIES
  Every party named in a role must be in the party data (--parties): its location, headquarters, ultimate
  parent's headquarters and Entity List entries (with dates) are read as of the effective date. A party the
  data does not have makes its row unreadable, never \"not listed\".

OUTPUT
  One row per input line, in input order (JSON Lines; --output-format csv for CSV). JSON Lines output starts
  with a run record: {\"run\": {tool, versions, as_of, proposals, rule_books: [{regime, name, sha256}]}}; CSV
  output gets it in FILE.run.json beside it (or on stderr). Each row: line, id, status, as_of, proposals,
  outcome, decided_by, regimes (outcome, set_by when cumulative requirements stack, deciding rules,
  citations), review, error. status is decided, needs_review (a party name is close to a known party),
  outside_jurisdiction (no outcome claimed), failed (a regime conflicts or is undecided: no outcome
  claimed) or unreadable.

EXIT STATUS
  0  every row decided, needs review, or is outside every regime
  1  some row is unreadable or failed (every other row is still written)
  2  nothing screened: unreadable input, a wrong CSV header, no rule books, an output that is the input";

/// The input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// CSV with a header line.
    Csv,
    /// JSON Lines.
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

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// JSON Lines, starting with the run record.
    Jsonl,
    /// CSV, with the run record beside it.
    Csv,
}

/// Runs the screening command: `built_in` are the rule books used when neither `--rulebooks` nor `--book`
/// is given (`None`: one of them is required); `built_in_parties` the party data used without `--parties`
/// (its path; `None`: `--parties` is required); `tool` is the program's name and version, for the run
/// record. Prints the tally (stderr) and returns the exit status.
pub fn main(
    args: &ScreenArgs,
    built_in: Option<Vec<&dyn Evaluator<Case = Transaction>>>,
    built_in_parties: Option<&Path>,
    tool: &str,
) -> ExitCode {
    match run(args, built_in, built_in_parties, tool) {
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

/// Loads every `*.json` rule book in `dir`, sorted by file name, each analysed; an error names the file.
pub fn load_rulebooks(dir: &Path) -> Result<Vec<Interpreter<Transaction>>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load_rulebook(p)).collect()
}

/// Loads one JSON rule book (analysed); an error names the file.
pub fn load_rulebook(path: &Path) -> Result<Interpreter<Transaction>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Interpreter::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads party data; an error names the file and the JSON path of each problem.
pub fn load_party_data(
    path: &Path,
) -> Result<(control_core::PartyData, crate::audit::PartyDataRecord), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| format!("{}: not UTF-8 text: {e}", path.display()))?;
    let data = control_core::PartyData::from_json(text).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        format!(
            "{}: the party data has {} error(s):\n{}",
            path.display(),
            errors.len(),
            list.join("\n")
        )
    })?;
    let record = crate::audit::PartyDataRecord::new(&data, &bytes);
    Ok((data, record))
}

fn run(
    args: &ScreenArgs,
    built_in: Option<Vec<&dyn Evaluator<Case = Transaction>>>,
    built_in_parties: Option<&Path>,
    tool: &str,
) -> Result<Tally, String> {
    let mut interpreted: Vec<Interpreter<Transaction>> = match &args.rulebooks {
        Some(dir) => load_rulebooks(dir)?,
        None => Vec::new(),
    };
    for p in &args.books {
        interpreted.push(load_rulebook(p)?);
    }
    let from_files = args.rulebooks.is_some() || !args.books.is_empty();
    let books: Vec<&dyn Evaluator<Case = Transaction>> = match built_in {
        Some(books) if !from_files => books,
        None if !from_files => {
            return Err("no rule books: give a folder of JSON rule books with --rulebooks DIR, or --book FILE".into());
        }
        _ => interpreted
            .iter()
            .map(|b| b as &dyn Evaluator<Case = Transaction>)
            .collect(),
    };
    let mut known: Vec<control_core::Party> = Vec::new();
    for p in books.iter().flat_map(|b| b.rule_set().parties()) {
        if !known.iter().any(|k| k.id == p.id) {
            known.push(p.clone());
        }
    }
    let party_path = args.parties.as_deref().or(built_in_parties).ok_or(
        "no party data: give --parties FILE (the parties' locations, headquarters and Entity List entries)",
    )?;
    let (party_data, party_record) = load_party_data(party_path)?;
    let parties = PartyMatcher::with_data(party_data, known).as_of(args.as_of);

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
        .ok_or("no rule books to screen against: the folder given to --rulebooks has no *.json rule book and no --book was given")?
        .strict_parties(args.strict_parties);
    let names = screener.regimes();
    let run = RunRecord::new(tool, &books, scenario, party_record);

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
    let open = || -> Result<BufWriter<Box<dyn Write>>, String> {
        let out: Box<dyn Write> = match (&args.output, args.explain) {
            (Some(p), _) => Box::new(File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
            (None, true) => Box::new(std::io::sink()),
            (None, false) => Box::new(std::io::stdout().lock()),
        };
        let mut w = BufWriter::with_capacity(1 << 20, out);
        match args.output_format {
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut w, &serde_json::json!({ "run": run }))
                    .map_err(|e| e.to_string())?;
                w.write_all(b"\n").map_err(|e| e.to_string())?;
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
                let mut header = csv::Writer::from_writer(Vec::new());
                header
                    .write_record(csv_header(&names))
                    .map_err(|e| e.to_string())?;
                let header = header.into_inner().map_err(|e| e.to_string())?;
                w.write_all(&header).map_err(|e| e.to_string())?;
            }
        }
        Ok(w)
    };
    let input_name = if stdin {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let mut blocks = input::Blocks::new(file, input::BLOCK);
    let layout = std::sync::Arc::new(
        input::Layout::read(&mut blocks, format).map_err(|e| format!("{input_name}: {e}"))?,
    );
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, std::num::NonZero::get);
    let job = Job {
        screener: &screener,
        names: &names,
        format: args.output_format,
        explain: args.explain.then_some((books.as_slice(), &scenario)),
    };
    let mut sink = None;
    let mut tally = Tally::new(&names);
    let mut io_error: Option<String> = None;
    // One thread reads blocks of whole lines; `threads` workers each parse, screen and format a block; this
    // thread writes the blocks' output in input order. At most `in_flight` blocks are read and not yet
    // written, so memory stays bounded whatever the input's size.
    let outputs: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    let read = std::thread::scope(|scope| {
        let in_flight = 4 * threads;
        let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<(usize, Block)>(threads);
        let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<(usize, Done)>(in_flight);
        let (token_tx, token_rx) = std::sync::mpsc::sync_channel::<()>(in_flight);
        // Parsed blocks' buffers go back to the reader, written outputs' to the workers, to be filled again.
        let (spare_tx, spare_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let outputs = &outputs;
        for _ in 0..in_flight {
            let _ = token_tx.send(());
        }
        let reader = scope.spawn(move || -> Result<(), input::InputError> {
            let mut seq = 0;
            while let Some(block) = blocks.next_block()? {
                for spare in spare_rx.try_iter() {
                    blocks.recycle(spare);
                }
                // A closed channel means the writer stopped; its error is reported there.
                if token_rx.recv().is_err() || work_tx.send((seq, block)).is_err() {
                    break;
                }
                seq += 1;
            }
            Ok(())
        });
        for _ in 0..threads {
            let (done_tx, work_rx, spare_tx, layout, parties, job) = (
                done_tx.clone(),
                work_rx.clone(),
                spare_tx.clone(),
                layout.clone(),
                &parties,
                &job,
            );
            scope.spawn(move || {
                let mut parser = input::Parser::new(layout, parties);
                let mut memo = job.screener.memo();
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, block)) = next else { break };
                    let buffer = outputs
                        .lock()
                        .ok()
                        .and_then(|mut pool| pool.pop())
                        .unwrap_or_default();
                    let done = job.block(&block, &mut parser, &mut memo, buffer);
                    // The reader may have stopped: then the buffer is simply dropped.
                    let _ = spare_tx.send(block.bytes);
                    if done_tx.send((seq, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        drop(spare_tx);
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        'rows: for (seq, done) in &done_rx {
            waiting.insert(seq, done);
            while let Some(done) = waiting.remove(&next) {
                next += 1;
                let _ = token_tx.send(());
                progress.set_position(done.end);
                if done.rows == 0 {
                    continue;
                }
                if sink.is_none() {
                    match open() {
                        Ok(s) => sink = Some(s),
                        Err(e) => {
                            io_error = Some(e);
                            break 'rows;
                        }
                    }
                }
                tally.merge(&done.tally);
                if !done.explained.is_empty() {
                    print!("{}", done.explained);
                }
                let written = match (done.output, sink.as_mut()) {
                    (Ok(bytes), Some(out)) => {
                        let written = out.write_all(&bytes).map_err(|e| e.to_string());
                        if let Ok(mut pool) = outputs.lock()
                            && pool.len() < in_flight
                        {
                            pool.push(bytes);
                        }
                        written
                    }
                    (Err(e), _) => Err(e),
                    (_, None) => Ok(()),
                };
                if let Err(e) = written {
                    io_error = Some(e);
                    break 'rows;
                }
            }
        }
        // Stops the reader and the workers if the writer stopped early.
        drop(done_rx);
        drop(token_tx);
        reader
            .join()
            .unwrap_or_else(|_| Err(input::InputError::Io("the reader thread panicked".into())))
    });
    read.map_err(|e| format!("{input_name}: {e}"))?;
    if let Some(e) = io_error {
        return Err(format!("writing the output: {e}"));
    }
    let mut sink = match sink {
        Some(s) => s,
        None => open()?,
    };
    sink.flush()
        .map_err(|e| format!("writing the output: {e}"))?;
    progress.finish_and_clear();
    Ok(tally)
}

/// What every worker does to a block: screen its rows and format them.
struct Job<'a> {
    screener: &'a Screener<'a>,
    names: &'a [&'a str],
    format: OutputFormat,
    explain: Option<(&'a [&'a dyn Evaluator<Case = Transaction>], &'a Scenario)>,
}

/// A block screened: its output rows (or why they could not be formatted), its explanations, its tally.
struct Done {
    output: Result<Vec<u8>, String>,
    explained: String,
    tally: Tally,
    rows: usize,
    end: u64,
}

impl Job<'_> {
    /// Screens `block` and writes its rows into `buffer` (emptied first; a buffer of an earlier block's output).
    fn block(
        &self,
        block: &Block,
        parser: &mut input::Parser<'_>,
        memo: &mut Memo<'_>,
        mut buffer: Vec<u8>,
    ) -> Done {
        let mut tally = Tally::new(self.names);
        let mut explained = String::new();
        let mut rows = 0;
        buffer.clear();
        let (mut json, mut csv) = match self.format {
            OutputFormat::Jsonl => (buffer, csv::Writer::from_writer(Vec::new())),
            OutputFormat::Csv => (Vec::new(), csv::Writer::from_writer(buffer)),
        };
        let mut error = None;
        parser.rows(block, |mut row| {
            rows += 1;
            if let Some((books, scenario)) = self.explain {
                explain(&mut explained, books, row.get(), scenario);
            }
            match self.format {
                OutputFormat::Csv => {
                    let result = self.screener.screen(row.get());
                    tally.add(&result);
                    let written =
                        write_csv_row(&mut csv, &result, self.names).map_err(|e| e.to_string());
                    if let (Err(e), None) = (written, &error) {
                        error = Some(e);
                    }
                }
                OutputFormat::Jsonl => self
                    .screener
                    .screen_json_row(row, memo, &mut json, &mut tally),
            }
        });
        let output = match (error, self.format) {
            (Some(e), _) => Err(e),
            (None, OutputFormat::Jsonl) => Ok(json),
            (None, OutputFormat::Csv) => csv.into_inner().map_err(|e| e.to_string()),
        };
        Done {
            output,
            explained,
            tally,
            rows,
            end: block.end,
        }
    }
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

/// Appends the explanation of a row's decision for a person to `out`.
fn explain(
    out: &mut String,
    books: &[&dyn Evaluator<Case = Transaction>],
    row: &InputRow,
    scenario: &Scenario,
) {
    use std::fmt::Write as _;
    let id = row.id.as_deref().unwrap_or("");
    // Writing to a String cannot fail.
    let _ = match &row.transaction {
        Err(e) => writeln!(out, "line {} {id}: error: {e}\n", row.line),
        Ok(t) => (|| {
            writeln!(out, "line {} {id}: {}", row.line, describe(t))?;
            let all = books
                .iter()
                .copied()
                .fold(control_core::Regimes::new(), control_core::Regimes::with);
            writeln!(out, "{}", all.evaluate(t, scenario))?;
            for b in books.iter().filter(|b| b.in_jurisdiction(t, scenario)) {
                for l in b.explain(t, scenario).to_string().lines() {
                    writeln!(out, "    {l}")?;
                }
            }
            writeln!(out)
        })(),
    };
}

/// The item's classifications: the CCL code, then each other list's where it is listed (`3B001.f.4, NL
/// 3B001.f.4, JP 3B001.f.4`).
fn items(t: &Transaction) -> String {
    let mut out = t.item_ccl.to_string();
    for (list, code) in [
        ("EU", t.item_eu),
        ("WA", t.item_wa),
        ("NL", t.item_nl),
        ("JP", t.item_jp),
        ("KR", t.item_kr),
    ] {
        if code != control_core::ControlCode::unlisted() {
            out.push_str(&format!(", {list} {code}"));
        }
    }
    out
}

/// A transaction in one line, for people: who does what with which item, from where to whom, when.
pub fn describe(t: &Transaction) -> String {
    format!(
        "{} {} {} from {} to {} for {} ({}), dated {}, contract {}",
        t.exporter,
        t.activity,
        items(t),
        t.exporter_country,
        t.destination,
        t.end_user,
        t.end_use,
        t.date,
        t.contract_date
    )
}
