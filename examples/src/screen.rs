//! Screening: read transactions (CSV or JSON Lines), decide each against every regime, write one output row
//! per input row (a decision or an error, never neither), and count outcomes per regime.
//!
//! Input columns (CSV header, or JSON object keys), all required except `id`:
//!
//! | column | value |
//! |---|---|
//! | `id` | optional, passed through |
//! | `exporter`, `end_user` | a party: id, name or alias (`Huawei`, `华为` and `huawei` are one party) |
//! | `exporter_country`, `item_origin`, `destination` | ISO 3166-1 alpha-2 codes |
//! | `item` | a control code: `3B001.f.4`, `EAR99`, `JP:7.18` |
//! | `us_content` | percent of US content, a decimal (`25`, `12.5`) |
//! | `activity` | `export`, `reexport`, `in_country_transfer`, `servicing`, `spare_parts`, `technical_assistance`, `technology_release` |
//! | `end_use` | `civil`, `military`, `wmd`, `advanced_logic_fab`, `advanced_memory_fab`, `legacy_fab`, `supercomputer`, `data_centre`, `undisclosed` |
//! | `date`, `contract_date` | `YYYY-MM-DD` |
//!
//! An unknown column, a missing value or a value that does not parse makes that row an error row naming the
//! line and the column; screening goes on.
//!
//! Output, one JSON object per input row, in input order:
//! `{"line": 2, "id": "T0001", "outcome": <most restrictive>, "decided_by": ["US"], "regimes": [{"regime": "US",
//! "outcome": …, "rules": [{"rule": "advanced_chips_d5", "citation": "88 FR 73458 …"}]}]}` — the regimes listed
//! are those with jurisdiction over the transaction; outcomes are written as in rule-set JSON (`"prohibited"`,
//! `{"licence_required": "case_by_case"}`). A row that could not be read is `{"line": 42, "id": …, "error": …}`.

use std::fmt;
use std::io::{BufRead, Write};

use control_core::{
    Activity, ControlCode, Country, Decimal, Decision, EndUse, Evaluator, Outcome, PartyDirectory,
    PartyId, Scenario, Transaction, parse_date,
};
use serde::Serialize;

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The format a file's extension names (`.csv`, `.jsonl`, `.ndjson`, `.json`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// One input row, read.
#[derive(Clone, Debug)]
pub struct InputRow {
    /// 1-based line number in the file.
    pub line: usize,
    /// The `id` column, if any.
    pub id: Option<String>,
    /// The transaction, or why the row could not be read.
    pub transaction: Result<Transaction, String>,
}

/// The input columns, in the order of [`Transaction`]'s fields.
pub const COLUMNS: &[&str] = &[
    "exporter",
    "exporter_country",
    "item",
    "item_origin",
    "us_content",
    "activity",
    "destination",
    "end_user",
    "end_use",
    "date",
    "contract_date",
];

/// Builds a transaction from `(column, value)` pairs; every problem of the row is reported. Party names and
/// aliases resolve to the ids the rule books use.
pub fn transaction<'a, V: AsRef<str>>(
    cells: impl IntoIterator<Item = (&'a str, V)>,
    parties: &PartyDirectory,
) -> (Option<String>, Result<Transaction, String>) {
    let mut raw: [Option<V>; 11] = Default::default();
    let mut errors: Vec<String> = Vec::new();
    let mut id = None;
    for (col, v) in cells {
        let col = col.trim();
        if col == "id" {
            id = Some(v.as_ref().trim().to_owned());
        } else if let Some(i) = COLUMNS.iter().position(|c| *c == col) {
            raw[i] = Some(v);
        } else {
            let hint = control_core::suggest(col, COLUMNS.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            errors.push(format!("unknown column `{col}`{hint}"));
        }
    }
    let value = |i: usize, errors: &mut Vec<String>| -> Option<&str> {
        match raw[i].as_ref().map(|v| v.as_ref().trim()) {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                errors.push(format!("column `{}`: missing value", COLUMNS[i]));
                None
            }
        }
    };
    fn parse<T, E: fmt::Display>(
        i: usize,
        v: Option<&str>,
        f: impl Fn(&str) -> Result<T, E>,
        errors: &mut Vec<String>,
    ) -> Option<T> {
        match f(v?) {
            Ok(x) => Some(x),
            Err(e) => {
                errors.push(format!("column `{}`: {e}", COLUMNS[i]));
                None
            }
        }
    }
    let party = |v: &str| {
        parties
            .resolve(v)
            .map_or_else(|| PartyId::new(v), |p| p.id.clone())
    };
    let exporter = value(0, &mut errors).map(party);
    let v = value(1, &mut errors);
    let exporter_country = parse(1, v, Country::parse, &mut errors);
    let v = value(2, &mut errors);
    let item = parse(2, v, ControlCode::parse, &mut errors);
    let v = value(3, &mut errors);
    let item_origin = parse(3, v, Country::parse, &mut errors);
    let v = value(4, &mut errors);
    let us_content = parse(4, v, Decimal::parse, &mut errors);
    let v = value(5, &mut errors);
    let activity = parse(5, v, Activity::parse, &mut errors);
    let v = value(6, &mut errors);
    let destination = parse(6, v, Country::parse, &mut errors);
    let end_user = value(7, &mut errors).map(party);
    let v = value(8, &mut errors);
    let end_use = parse(8, v, EndUse::parse, &mut errors);
    let v = value(9, &mut errors);
    let date = parse(9, v, parse_date, &mut errors);
    let v = value(10, &mut errors);
    let contract_date = parse(10, v, parse_date, &mut errors);
    let t = (|| {
        Some(Transaction {
            exporter: exporter?,
            exporter_country: exporter_country?,
            item: item?,
            item_origin: item_origin?,
            us_content: us_content?,
            activity: activity?,
            destination: destination?,
            end_user: end_user?,
            end_use: end_use?,
            date: date?,
            contract_date: contract_date?,
        })
    })();
    match (t, errors.is_empty()) {
        (Some(t), true) => (id, Ok(t)),
        _ => (id, Err(errors.join("; "))),
    }
}

/// Reads every row of `input` into memory; see [`for_each_row`].
pub fn read_rows(
    input: impl BufRead,
    format: Format,
    parties: &PartyDirectory,
) -> Result<Vec<InputRow>, String> {
    let mut rows = Vec::new();
    for_each_row(input, format, parties, |row, _| rows.push(row))?;
    Ok(rows)
}

/// Calls `f` with every row of `input`, in order, and the bytes read so far. A malformed row is an error row;
/// only an unreadable file (or CSV header) is an `Err`.
pub fn for_each_row(
    input: impl BufRead,
    format: Format,
    parties: &PartyDirectory,
    mut f: impl FnMut(InputRow, u64),
) -> Result<(), String> {
    match format {
        Format::Csv => {
            // Values are trimmed where they are parsed; trimming whole records here would cost a copy per row.
            let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
            let header: Vec<String> = r
                .headers()
                .map_err(|e| format!("cannot read the CSV header: {e}"))?
                .iter()
                .map(str::to_owned)
                .collect();
            let mut rec = csv::StringRecord::new();
            let mut last_line = 1;
            loop {
                let result = r.read_record(&mut rec);
                // The csv crate places a record after blank lines at the first blank line; the reader's position
                // after the record, less the record's own line breaks, is right there. The larger of the two is
                // the record's first line (at the end of a file without a final newline, only the first is).
                let line = match (&result, rec.position()) {
                    (Ok(true), Some(p)) => {
                        let inner = rec.iter().map(|f| f.matches('\n').count()).sum::<usize>();
                        (p.line() as usize)
                            .max((r.position().line() as usize).saturating_sub(1 + inner))
                    }
                    _ => last_line + 1,
                };
                last_line = line;
                let row = match result {
                    Ok(false) => break,
                    Err(e) => InputRow {
                        line,
                        id: None,
                        transaction: Err(format!("unreadable CSV row: {e}")),
                    },
                    Ok(true) if rec.len() != header.len() => InputRow {
                        line,
                        id: None,
                        transaction: Err(format!(
                            "{} values for {} columns",
                            rec.len(),
                            header.len()
                        )),
                    },
                    Ok(true) => {
                        let (id, transaction) = transaction(
                            header
                                .iter()
                                .map(String::as_str)
                                .zip(rec.iter().map(str::to_owned)),
                            parties,
                        );
                        InputRow {
                            line,
                            id,
                            transaction,
                        }
                    }
                };
                f(row, r.position().byte());
            }
        }
        Format::Jsonl => {
            let mut bytes = 0u64;
            for (i, line) in input.lines().enumerate() {
                let text = line.map_err(|e| format!("cannot read line {}: {e}", i + 1))?;
                bytes += text.len() as u64 + 1;
                if text.trim().is_empty() {
                    continue;
                }
                let row =
                    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
                    {
                        Err(e) => InputRow {
                            line: i + 1,
                            id: None,
                            transaction: Err(format!("not a JSON object: {e}")),
                        },
                        Ok(obj) => {
                            let cells = obj.iter().map(|(k, v)| {
                                let s = match v {
                                    serde_json::Value::String(s) => s.clone(),
                                    serde_json::Value::Null => String::new(),
                                    other => other.to_string(),
                                };
                                (k.as_str(), s)
                            });
                            let (id, transaction) = transaction(cells, parties);
                            InputRow {
                                line: i + 1,
                                id,
                                transaction,
                            }
                        }
                    };
                f(row, bytes);
            }
        }
    }
    Ok(())
}

/// Decides rows against a fixed set of regimes under one scenario.
pub struct Screener<'a> {
    books: Vec<&'a dyn Evaluator<Case = Transaction>>,
    scenario: Scenario,
}

impl std::fmt::Debug for Screener<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Screener")
            .field("regimes", &self.regimes())
            .field("scenario", &self.scenario)
            .finish()
    }
}

impl<'a> Screener<'a> {
    /// A screener over `books` (one per regime).
    pub fn new(books: Vec<&'a dyn Evaluator<Case = Transaction>>, scenario: Scenario) -> Self {
        Screener { books, scenario }
    }

    /// The regimes, in order.
    pub fn regimes(&self) -> Vec<&str> {
        self.books.iter().map(|b| b.rule_set().regime()).collect()
    }

    /// Decides one row: each regime with jurisdiction, and the most restrictive outcome.
    pub fn screen<'r>(&'r self, row: &'r InputRow) -> Screened<'r> {
        let t = match &row.transaction {
            Ok(t) => t,
            Err(e) => {
                return Screened {
                    line: row.line,
                    id: row.id.as_deref(),
                    result: Err(e),
                };
            }
        };
        let decisions: Vec<(&str, Decision<'r>)> = self
            .books
            .iter()
            .filter(|b| b.in_jurisdiction(t))
            .map(|b| (b.rule_set().regime(), b.decide(t, &self.scenario)))
            .collect();
        Screened {
            line: row.line,
            id: row.id.as_deref(),
            result: Ok(decisions),
        }
    }
}

/// One output row: the decision of every regime with jurisdiction, or the error. Borrows from the rule books
/// and the input row; serialises to one JSON line.
#[derive(Debug)]
pub struct Screened<'r> {
    /// The input line.
    pub line: usize,
    /// The input `id`.
    pub id: Option<&'r str>,
    /// Each regime with jurisdiction and its decision, or why the row could not be read.
    pub result: Result<Vec<(&'r str, Decision<'r>)>, &'r str>,
}

/// What a row's regimes add up to, following DESIGN.md's "Screening fails closed": an outcome only when at least
/// one regime with jurisdiction decided and none failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowSummary<'r> {
    /// The most restrictive outcome among the regimes with jurisdiction, and the regimes that give it.
    Decided(&'r Outcome, Vec<&'r str>),
    /// No loaded regime has jurisdiction over the row: nothing was decided, which is not "not controlled".
    NoJurisdiction,
    /// A regime with jurisdiction could not decide (its rules conflict, leave the case undecided, or the
    /// case does not fit its schema): the row is an error, whatever the other regimes said.
    Failed(Vec<&'r str>),
    /// The row could not be read.
    Unreadable,
}

impl RowSummary<'_> {
    /// `decided`, `outside_jurisdiction`, `failed` or `unreadable`, as written in output rows.
    pub fn status(&self) -> &'static str {
        match self {
            RowSummary::Decided(..) => "decided",
            RowSummary::NoJurisdiction => "outside_jurisdiction",
            RowSummary::Failed(_) => "failed",
            RowSummary::Unreadable => "unreadable",
        }
    }
}

impl<'r> Screened<'r> {
    /// The row's summary; see [`RowSummary`].
    pub fn summary(&self) -> RowSummary<'r> {
        let Ok(ds) = &self.result else {
            return RowSummary::Unreadable;
        };
        let failed: Vec<&'r str> = ds
            .iter()
            .filter(|(_, d)| d.outcome().is_none())
            .map(|(r, _)| *r)
            .collect();
        if !failed.is_empty() {
            return RowSummary::Failed(failed);
        }
        let Some(level) = ds
            .iter()
            .filter_map(|(_, d)| d.outcome())
            .map(Outcome::level)
            .max()
        else {
            return RowSummary::NoJurisdiction;
        };
        let by: Vec<&str> = ds
            .iter()
            .filter(|(_, d)| d.outcome().is_some_and(|o| o.level() == level))
            .map(|(r, _)| *r)
            .collect();
        match ds
            .iter()
            .find_map(|(_, d)| d.outcome().filter(|o| o.level() == level))
        {
            Some(o) => RowSummary::Decided(o, by),
            None => RowSummary::NoJurisdiction,
        }
    }
}

#[derive(Serialize)]
struct RuleOut<'r> {
    rule: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<&'r str>,
}

#[derive(Serialize)]
struct RegimeOut<'r> {
    regime: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'r Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict: Option<[&'r str; 2]>,
    rules: Vec<RuleOut<'r>>,
}

fn regime_out<'r>(regime: &'r str, d: &Decision<'r>) -> RegimeOut<'r> {
    let rules = d.rule_set().rules();
    let conflict = match d.verdict() {
        control_core::Verdict::Conflict { first, second } => {
            Some([rules[first].name.as_str(), rules[second].name.as_str()])
        }
        _ => None,
    };
    RegimeOut {
        regime,
        outcome: d.outcome(),
        conflict,
        rules: d
            .deciding()
            .iter()
            .map(|i| RuleOut {
                rule: &rules[i].name,
                citation: rules[i].citation.as_deref(),
            })
            .collect(),
    }
}

impl Serialize for Screened<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("line", &self.line)?;
        if let Some(id) = self.id {
            m.serialize_entry("id", id)?;
        }
        match &self.result {
            Err(e) => m.serialize_entry("error", e)?,
            Ok(ds) => {
                let summary = self.summary();
                m.serialize_entry("status", summary.status())?;
                match &summary {
                    RowSummary::Decided(outcome, by) => {
                        m.serialize_entry("outcome", outcome)?;
                        m.serialize_entry("decided_by", by)?;
                    }
                    RowSummary::Failed(regimes) => m.serialize_entry("failed", regimes)?,
                    RowSummary::NoJurisdiction | RowSummary::Unreadable => {}
                }
                let regimes: Vec<RegimeOut<'_>> =
                    ds.iter().map(|(r, d)| regime_out(r, d)).collect();
                m.serialize_entry("regimes", &regimes)?;
            }
        }
        m.end()
    }
}

/// Counts per regime and outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Input rows.
    pub rows: usize,
    /// Error rows: unreadable rows and rows a regime could not decide.
    pub errors: usize,
    /// Rows that no loaded regime has jurisdiction over.
    pub outside: usize,
    /// Regimes, in order; the counts have one more row, for the most restrictive outcome.
    pub regimes: Vec<String>,
    /// Per regime (then "most restrictive"), the count per column of [`TALLY_COLUMNS`].
    pub counts: Vec<[usize; TALLY_COLUMNS.len()]>,
}

/// The columns of the tally table, in order of restrictiveness.
pub const TALLY_COLUMNS: [&str; 9] = [
    "not in jurisdiction",
    "not controlled",
    "licence exception",
    "approval",
    "case by case",
    "denial",
    "prohibited",
    "conflict",
    "undecided",
];

fn column(o: &Outcome) -> usize {
    usize::from(o.level()) + 1
}

impl Tally {
    /// A tally over these regimes.
    pub fn new(regimes: &[&str]) -> Tally {
        Tally {
            rows: 0,
            errors: 0,
            outside: 0,
            regimes: regimes.iter().map(|r| (*r).to_owned()).collect(),
            counts: vec![[0; 9]; regimes.len() + 1],
        }
    }

    /// Counts one output row.
    pub fn add(&mut self, row: &Screened<'_>) {
        self.rows += 1;
        let Ok(ds) = &row.result else {
            self.errors += 1;
            return;
        };
        for (i, name) in self.regimes.iter().enumerate() {
            let col = match ds.iter().find(|(r, _)| r == name) {
                None => 0,
                Some((_, d)) => match (d.outcome(), d.verdict()) {
                    (Some(o), _) => column(o),
                    (None, control_core::Verdict::Conflict { .. }) => 7,
                    (None, _) => 8,
                },
            };
            self.counts[i][col] += 1;
        }
        let col = match row.summary() {
            RowSummary::Decided(o, _) => column(o),
            RowSummary::NoJurisdiction => {
                self.outside += 1;
                0
            }
            RowSummary::Failed(regimes) => {
                self.errors += 1;
                let conflict = ds.iter().any(|(r, d)| {
                    regimes.contains(r)
                        && matches!(d.verdict(), control_core::Verdict::Conflict { .. })
                });
                if conflict { 7 } else { 8 }
            }
            RowSummary::Unreadable => return,
        };
        if let Some(last) = self.counts.last_mut() {
            last[col] += 1;
        }
    }

    /// The count of `regime` (or "most restrictive") in `column`.
    pub fn get(&self, regime: &str, column: &str) -> usize {
        let r = if regime == "most restrictive" {
            Some(self.regimes.len())
        } else {
            self.regimes.iter().position(|x| x == regime)
        };
        let c = TALLY_COLUMNS.iter().position(|x| *x == column);
        match (r, c) {
            (Some(r), Some(c)) => self.counts[r][c],
            _ => 0,
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<17}", "regime")?;
        for c in TALLY_COLUMNS {
            write!(f, " {c:>w$}", w = c.len().max(5))?;
        }
        writeln!(f)?;
        let names = self
            .regimes
            .iter()
            .map(String::as_str)
            .chain(["most restrictive"]);
        for (r, counts) in names.zip(&self.counts) {
            write!(f, "{r:<17}")?;
            for (c, n) in TALLY_COLUMNS.iter().zip(counts) {
                write!(f, " {n:>w$}", w = c.len().max(5))?;
            }
            writeln!(f)?;
        }
        write!(
            f,
            "{} rows: {} screened, {} errors",
            self.rows,
            self.rows - self.errors,
            self.errors
        )?;
        if self.outside > 0 {
            write!(
                f,
                " ({} outside every loaded regime's jurisdiction)",
                self.outside
            )?;
        }
        Ok(())
    }
}

/// Writes one output row as CSV: line, id, status, the most restrictive outcome and its regimes, then per
/// regime the outcome and the deciding rules with citations.
pub fn write_csv_row(
    w: &mut csv::Writer<impl Write>,
    row: &Screened<'_>,
    regimes: &[&str],
) -> csv::Result<()> {
    let mut rec: Vec<String> = vec![row.line.to_string(), row.id.unwrap_or_default().to_owned()];
    match &row.result {
        Ok(ds) => {
            let summary = row.summary();
            rec.push(summary.status().into());
            match &summary {
                RowSummary::Decided(outcome, by) => {
                    rec.push(outcome.to_string());
                    rec.push(by.join(" "));
                }
                RowSummary::Failed(regimes) => {
                    rec.push(String::new());
                    rec.push(regimes.join(" "));
                }
                RowSummary::NoJurisdiction | RowSummary::Unreadable => {
                    rec.extend([String::new(), String::new()]);
                }
            }
            for name in regimes {
                match ds.iter().find(|(r, _)| r == name) {
                    None => rec.extend(["not in jurisdiction".to_owned(), String::new()]),
                    Some((r, d)) => {
                        let out = regime_out(r, d);
                        let outcome = match (out.outcome, out.conflict) {
                            (Some(o), _) => o.to_string(),
                            (None, Some([a, b])) => format!("conflict: {a}, {b}"),
                            (None, None) => "undecided".into(),
                        };
                        let rules: Vec<String> = out
                            .rules
                            .iter()
                            .map(|r| match r.citation {
                                Some(c) => format!("{} ({c})", r.rule),
                                None => r.rule.to_owned(),
                            })
                            .collect();
                        rec.extend([outcome, rules.join(" | ")]);
                    }
                }
            }
            rec.push(String::new());
        }
        Err(e) => {
            rec.extend(["error".to_owned(), String::new(), String::new()]);
            rec.extend(regimes.iter().flat_map(|_| [String::new(), String::new()]));
            rec.push((*e).to_owned());
        }
    }
    w.write_record(&rec)
}

/// The CSV header for [`write_csv_row`].
pub fn csv_header(regimes: &[&str]) -> Vec<String> {
    let mut h: Vec<String> = ["line", "id", "status", "outcome", "decided_by"]
        .map(str::to_owned)
        .to_vec();
    for r in regimes {
        h.push(format!("{r}_outcome"));
        h.push(format!("{r}_rules"));
    }
    h.push("error".to_owned());
    h
}
