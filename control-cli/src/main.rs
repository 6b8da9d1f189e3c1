//! `control`: check, diff, explain, screen and report JSON rule books. See `control --help`.
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use control_cli::book::{self, Checked};
use control_cli::check::{self, BookResult};
use control_cli::{diffing, explain, report};
use control_core::jiff::civil::Date;
use control_core::{Scenario, parse_date};
use control_screen::cli::ScreenArgs;

const EXIT: &str = "\
EXIT STATUS
  0  success: every rule book is clean (check), the diff or report or explanation was written
  1  findings: some rule book has an error (check, report), or the diff is not empty with --exit-code;
     for screen, some row is unreadable or failed
  2  unreadable input or wrong arguments: a file that is missing or not JSON, a case that is not a
     transaction, a book whose structure is broken (diff, explain), no rule books (screen)

Errors name the file and the JSON path (rules[2].when.all[0]) and, for check, the line and column.";

/// Check, compare, explain, screen and report export-control rule books kept as JSON files.
#[derive(Parser, Debug)]
#[command(name = "control", version, after_long_help = EXIT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Load, lower and analyse rule books; print every finding with its JSON path, case and fix.
    #[command(after_long_help = "\
Each finding: file:line:column: error[kind] json.path: message, then the case that shows it and the fix,
in the JSON format's words. Kinds: contradiction, dead-rule, gap, json-shape, condition-shape,
unknown-field, value, operator, unknown-group, unknown-party, unknown-outcome, no-condition, no-outcome, …
Notes (rules kept with \"allow_dead\": true) do not fail the check.

--format sarif writes SARIF 2.1.0 (upload it to a code-scanning service to see findings on the lines of
the files); --format json writes {tool, version, books: [{file, status, problems: [...]}]}.

EXIT STATUS: 0 every book clean; 1 some book has an error; 2 some file cannot be read as JSON.")]
    Check(CheckArgs),
    /// The semantic diff: every region of cases whose decision changes, with the rules and a case.
    #[command(after_long_help = "\
Two books: control diff OLD.json NEW.json [--scenario S] (one scenario for both, or two: OLD's, NEW's).
One book, two scenarios: control diff BOOK.json --scenario in-force --scenario proposals.
Scenarios: in-force (rules in force, each case's own date), proposals (proposals adopted), today,
a date YYYY-MM-DD, or today/a date followed by +proposals (2024-03-07+proposals). A scenario without a
date takes the other's: --scenario today --scenario proposals compares today with and without proposals.

EXIT STATUS: 0 the diff was written (1 with --exit-code when some region changes); 2 a book cannot be
read or its structure is broken, the books have different schemas, or the scenarios are wrong.")]
    Diff(DiffArgs),
    /// Explain one case against rule books: the summary over regimes, then each regime in full.
    #[command(after_long_help = "\
The case is a JSON object: a transaction (id, exporter, exporter_country, item, item_origin, us_content,
activity, destination, end_user, end_use, date, contract_date) for books of the built-in schema, or a
record of the books' own schema. A witness from `control check --format json` is such an object.

EXIT STATUS: 0 explained; 1 some book has an error (run control check); 2 unreadable input.")]
    Explain(ExplainArgs),
    /// Screen transactions (CSV or JSON Lines) against JSON rule books; one output row per input row.
    #[command(after_long_help = control_screen::cli::HELP)]
    Screen(ScreenArgs),
    /// Print the JSON Schema of the rule-book format (for editors: validation and completion).
    Schema(SchemaArgs),
    /// Write a rule book as a compliance officer reads it: rules, exceptions graph, groups, analysis.
    #[command(after_long_help = "\
EXIT STATUS: 0 written; 1 written, and the book has errors (shown in the report); 2 the book cannot be
read, or its structure is broken (nothing written; run control check).")]
    Report(ReportArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Rule books (JSON).
    #[arg(required = true)]
    books: Vec<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Write the output here instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
struct DiffArgs {
    /// The rule book before (and, alone, the one compared under two scenarios).
    old: PathBuf,
    /// The rule book after.
    new: Option<PathBuf>,
    /// A scenario (see below); give two to compare one book under both.
    #[arg(long = "scenario", value_name = "SCENARIO")]
    scenarios: Vec<String>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Exit 1 when some region changes (like `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// Rule books (JSON), one per regime.
    #[arg(required = true)]
    books: Vec<PathBuf>,
    /// The case, a JSON file.
    #[arg(long)]
    case: PathBuf,
    /// Apply the rules in force on this date (default: the case's own date).
    #[arg(long, value_parser = date)]
    as_of: Option<Date>,
    /// Treat proposed rules as adopted.
    #[arg(long)]
    with_proposals: bool,
    /// The output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
}

#[derive(Args, Debug)]
struct SchemaArgs {
    /// Write the schema here instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Html,
    Markdown,
}

#[derive(Args, Debug)]
struct ReportArgs {
    /// The rule book (JSON).
    book: PathBuf,
    /// Where to write the report (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The report's format (default: from the output's extension, `.md` for Markdown, else HTML).
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
}

fn date(s: &str) -> Result<Date, String> {
    parse_date(s).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match &cli.command {
        Command::Check(a) => run_check(a),
        Command::Diff(a) => run_diff(a),
        Command::Explain(a) => run_explain(a),
        Command::Screen(a) => {
            return control_screen::cli::main(
                a,
                None,
                None,
                concat!("control screen ", env!("CARGO_PKG_VERSION")),
            );
        }
        Command::Schema(a) => run_schema(a),
        Command::Report(a) => run_report(a),
    };
    match status {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to the file, or to stdout.
fn emit(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("writing to standard output: {e}")),
    }
}

fn check_file(path: &Path) -> BookResult {
    match book::read(path) {
        Ok(source) => BookResult::Checked(Box::new(book::check(source))),
        Err(u) => BookResult::Unreadable(u),
    }
}

fn run_check(a: &CheckArgs) -> Result<u8, String> {
    let results: Vec<BookResult> = a.books.iter().map(|p| check_file(p)).collect();
    let text = match a.format {
        CheckFormat::Text => check::text(&results),
        CheckFormat::Json => check::json(&results),
        CheckFormat::Sarif => check::sarif(&results)?,
    };
    emit(a.output.as_deref(), &text)?;
    Ok(check::exit_status(&results))
}

/// A book whose structure is sound (the analysis may still reject it), or a one-line error naming the
/// file and the first problem's JSON path.
fn structured(path: &Path) -> Result<Checked, String> {
    let checked = book::check(book::read(path).map_err(|u| u.to_string())?);
    if checked.rule_set.is_none() {
        let first = checked
            .problems
            .first()
            .map(|p| {
                format!(
                    "{}:{}: {}: {}",
                    p.position.line, p.position.column, p.path, p.message
                )
            })
            .unwrap_or_default();
        return Err(format!(
            "{}:{first} (the rule book's structure is broken; `control check {}` lists every problem)",
            path.display(),
            path.display()
        ));
    }
    Ok(checked)
}

fn today() -> Date {
    control_core::jiff::tz::Offset::UTC
        .to_datetime(control_core::jiff::Timestamp::now())
        .date()
}

fn run_diff(a: &DiffArgs) -> Result<u8, String> {
    let today = today();
    let scenarios: Vec<Scenario> = a
        .scenarios
        .iter()
        .map(|s| diffing::parse_scenario(s, today))
        .collect::<Result<_, _>>()?;
    let (before_s, after_s) = match (&a.new, scenarios.as_slice()) {
        (None, [x, y]) => (*x, *y),
        (None, _) => {
            return Err(format!(
                "comparing one rule book needs two scenarios, e.g. `control diff {} --scenario in-force --scenario proposals`; to compare two books, name both",
                a.old.display()
            ));
        }
        (Some(_), []) => (Scenario::CURRENT, Scenario::CURRENT),
        (Some(_), [x]) => (*x, *x),
        (Some(_), [x, y]) => (*x, *y),
        (Some(_), _) => return Err("give at most two scenarios".into()),
    };
    // A scenario without a date takes the other's: `--scenario today --scenario proposals` compares today's
    // rules with today's rules and the proposals.
    let (before_s, after_s) = (
        Scenario {
            as_of: before_s.as_of.or(after_s.as_of),
            ..before_s
        },
        Scenario {
            as_of: after_s.as_of.or(before_s.as_of),
            ..after_s
        },
    );
    let old = structured(&a.old)?;
    let new = match &a.new {
        Some(p) => Some(structured(p)?),
        None => None,
    };
    for c in std::iter::once(&old).chain(new.as_ref()) {
        if c.has_errors() {
            eprintln!(
                "warning: {} has findings (`control check {}`); regions where its rules conflict show as conflicts",
                c.source.file, c.source.file
            );
        }
    }
    let before = old.rule_set.as_ref().ok_or("unreachable: checked above")?;
    let after = new
        .as_ref()
        .and_then(|n| n.rule_set.as_ref())
        .unwrap_or(before);
    let mut d = control_core::analysis::diff(before, before_s, after, after_s)
        .map_err(|e| format!("cannot compare: {e}"))?;
    let label = |file: &str, s: Scenario| format!("{file} ({s})");
    d.before = label(&old.source.file, before_s);
    d.after = label(
        new.as_ref().map_or(&old.source.file, |n| &n.source.file),
        after_s,
    );
    let text = match a.format {
        DiffFormat::Text => diffing::text(&d),
        DiffFormat::Json => diffing::json(&d),
        DiffFormat::Markdown => diffing::markdown(&d),
    };
    emit(None, &text)?;
    Ok(u8::from(a.exit_code && !d.regions.is_empty()))
}

fn run_explain(a: &ExplainArgs) -> Result<u8, String> {
    let mut books = Vec::new();
    for p in &a.books {
        let c = structured(p)?;
        match c.analysed {
            Some(analysed) => books.push(analysed),
            None => {
                eprintln!(
                    "error: {} has findings; explanations are given only for rule books the analysis accepts (`control check {}`)",
                    p.display(),
                    p.display()
                );
                return Ok(1);
            }
        }
    }
    let text =
        std::fs::read_to_string(&a.case).map_err(|e| format!("{}: {e}", a.case.display()))?;
    let case: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", a.case.display()))?;
    let scenario = Scenario {
        as_of: a.as_of,
        proposals: a.with_proposals,
    };
    let format = match a.format {
        ExplainFormat::Text => explain::Format::Text,
        ExplainFormat::Json => explain::Format::Json,
    };
    let out = explain::explain(books, &case, scenario, format)
        .map_err(|e| format!("{}: {e}", a.case.display()))?;
    emit(None, &out)?;
    Ok(0)
}

fn run_schema(a: &SchemaArgs) -> Result<u8, String> {
    let schema = control_core::json_schema::rule_set_schema();
    let text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n";
    emit(a.output.as_deref(), &text)?;
    Ok(0)
}

fn run_report(a: &ReportArgs) -> Result<u8, String> {
    let checked = structured(&a.book)?;
    let format = match (a.format, &a.output) {
        (Some(ReportFormat::Markdown), _) => report::Format::Markdown,
        (Some(ReportFormat::Html), _) => report::Format::Html,
        (None, Some(p)) if p.extension().is_some_and(|e| e == "md") => report::Format::Markdown,
        (None, _) => report::Format::Html,
    };
    let text = report::render(&checked, format).ok_or("unreachable: structure checked")??;
    emit(a.output.as_deref(), &text)?;
    Ok(u8::from(checked.has_errors()))
}
