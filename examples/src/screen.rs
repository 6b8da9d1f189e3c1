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

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, Write};

use control_core::{
    Activity, ControlCode, Country, Decimal, EndUse, MultiDecision, Outcome, PartyDirectory,
    PartyId, Regimes, Scenario, Transaction, parse_date,
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

const COLUMNS: &[&str] = &[
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

/// Builds a transaction from `(column, value)` pairs; every problem of the row is reported.
pub fn transaction<'a>(
    cells: impl IntoIterator<Item = (&'a str, String)>,
    parties: &PartyDirectory,
) -> (Option<String>, Result<Transaction, String>) {
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    let mut errors: Vec<String> = Vec::new();
    let mut id = None;
    for (col, v) in cells {
        let col = col.trim();
        if col == "id" {
            id = Some(v);
        } else if let Some(known) = COLUMNS.iter().find(|c| **c == col) {
            values.insert(known, v);
        } else {
            let hint = control_core::suggest(col, COLUMNS.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            errors.push(format!("unknown column `{col}`{hint}"));
        }
    }
    let mut get = |col: &str| -> Option<String> {
        match values.get(col).map(|v| v.trim().to_owned()) {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                errors.push(format!("column `{col}`: missing value"));
                None
            }
        }
    };
    let raw: Vec<Option<String>> = COLUMNS.iter().map(|c| get(c)).collect();
    let mut field_error = |col: &str, e: String| errors.push(format!("column `{col}`: {e}"));
    let party = |v: &str| {
        parties
            .resolve(v)
            .map_or_else(|| PartyId::new(v), |p| p.id.clone())
    };
    macro_rules! parse {
        ($i:expr, $f:expr) => {
            raw[$i].as_deref().and_then(|v| match $f(v) {
                Ok(x) => Some(x),
                Err(e) => {
                    field_error(COLUMNS[$i], e.to_string());
                    None
                }
            })
        };
    }
    let exporter = raw[0].as_deref().map(party);
    let exporter_country = parse!(1, Country::parse);
    let item = parse!(2, ControlCode::parse);
    let item_origin = parse!(3, Country::parse);
    let us_content = parse!(4, Decimal::parse);
    let activity = parse!(5, Activity::parse);
    let destination = parse!(6, Country::parse);
    let end_user = raw[7].as_deref().map(party);
    let end_use = parse!(8, EndUse::parse);
    let date = parse!(9, parse_date);
    let contract_date = parse!(10, parse_date);
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
            let mut r = csv::ReaderBuilder::new()
                .flexible(true)
                .trim(csv::Trim::All)
                .from_reader(input);
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

/// One output row: the decision of every regime, or the error.
#[derive(Clone, Debug, Serialize)]
pub struct OutputRow {
    /// The input line.
    pub line: usize,
    /// The input `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Every regime's decision and the most restrictive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<MultiDecision>,
    /// Why the row could not be screened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Decides one row.
pub fn screen_row(
    regimes: &Regimes<'_, Transaction>,
    row: &InputRow,
    scenario: &Scenario,
) -> OutputRow {
    match &row.transaction {
        Ok(t) => OutputRow {
            line: row.line,
            id: row.id.clone(),
            decision: Some(regimes.evaluate(t, scenario)),
            error: None,
        },
        Err(e) => OutputRow {
            line: row.line,
            id: row.id.clone(),
            decision: None,
            error: Some(e.clone()),
        },
    }
}

/// Counts per regime and outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Input rows.
    pub rows: usize,
    /// Error rows.
    pub errors: usize,
    /// (regime or "summary", column) → count; columns are outcomes, "not in jurisdiction", "conflict", "undecided".
    pub counts: BTreeMap<(String, String), usize>,
    /// Regimes in the order seen.
    pub regimes: Vec<String>,
}

/// The columns of the tally table, in order of restrictiveness.
pub const TALLY_COLUMNS: &[&str] = &[
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

fn column(o: &Outcome) -> &'static str {
    TALLY_COLUMNS[usize::from(o.level()) + 1]
}

impl Tally {
    /// Counts one output row.
    pub fn add(&mut self, row: &OutputRow) {
        self.rows += 1;
        let Some(d) = &row.decision else {
            self.errors += 1;
            return;
        };
        for r in &d.regimes {
            if !self.regimes.contains(&r.regime) {
                self.regimes.push(r.regime.clone());
            }
            let col = match &r.decision {
                None => "not in jurisdiction",
                Some(dec) => match (&dec.outcome, dec.verdict) {
                    (Some(o), _) => column(o),
                    (None, control_core::VerdictKind::Conflict) => "conflict",
                    (None, _) => "undecided",
                },
            };
            *self
                .counts
                .entry((r.regime.clone(), col.to_owned()))
                .or_default() += 1;
        }
        let col = d.summary.outcome.as_ref().map_or("not controlled", column);
        *self
            .counts
            .entry(("most restrictive".to_owned(), col.to_owned()))
            .or_default() += 1;
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<17}", "regime")?;
        for c in TALLY_COLUMNS {
            write!(f, " {c:>w$}", w = c.len().max(5))?;
        }
        writeln!(f)?;
        let mut names = self.regimes.clone();
        names.push("most restrictive".to_owned());
        for r in &names {
            write!(f, "{r:<17}")?;
            for c in TALLY_COLUMNS {
                let n = self
                    .counts
                    .get(&(r.clone(), (*c).to_owned()))
                    .copied()
                    .unwrap_or(0);
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
        )
    }
}

/// Writes one output row as CSV: line, id, status, the most restrictive outcome and its regimes, then per
/// regime the outcome and the deciding rules with citations.
pub fn write_csv_row(
    w: &mut csv::Writer<impl Write>,
    row: &OutputRow,
    regimes: &[String],
) -> csv::Result<()> {
    let mut rec: Vec<String> = vec![row.line.to_string(), row.id.clone().unwrap_or_default()];
    match (&row.decision, &row.error) {
        (Some(d), _) => {
            rec.push("ok".into());
            rec.push(
                d.summary
                    .outcome
                    .as_ref()
                    .map_or_else(|| "not controlled".into(), ToString::to_string),
            );
            rec.push(d.summary.decided_by.join(" "));
            for name in regimes {
                match d
                    .regimes
                    .iter()
                    .find(|r| &r.regime == name)
                    .and_then(|r| r.decision.as_ref())
                {
                    None => rec.extend(["not in jurisdiction".to_owned(), String::new()]),
                    Some(dec) => {
                        let outcome = match (&dec.outcome, &dec.conflict) {
                            (Some(o), _) => o.to_string(),
                            (None, Some([a, b])) => format!("conflict: {a}, {b}"),
                            (None, None) => "undecided".into(),
                        };
                        let rules: Vec<String> = dec
                            .deciding
                            .iter()
                            .map(|r| match &r.citation {
                                Some(c) => format!("{} ({c})", r.name),
                                None => r.name.clone(),
                            })
                            .collect();
                        rec.extend([outcome, rules.join(" | ")]);
                    }
                }
            }
            rec.push(String::new());
        }
        (None, e) => {
            rec.extend(["error".to_owned(), String::new(), String::new()]);
            rec.extend(regimes.iter().flat_map(|_| [String::new(), String::new()]));
            rec.push(e.clone().unwrap_or_default());
        }
    }
    w.write_record(&rec)
}

/// The CSV header for [`write_csv_row`].
pub fn csv_header(regimes: &[String]) -> Vec<String> {
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
