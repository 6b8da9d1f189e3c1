//! Screening: decide each input row against every regime and write one output row per input row (a decision
//! or an error, never neither), with the scenario on every row; count outcomes per regime.
//!
//! Output, one JSON object per input row, in input order: `{"line", "id", "status", "as_of", "proposals",
//! "outcome", "decided_by", "regimes": [{"regime", "outcome", "conflict", "set_by", "rules": [{"rule",
//! "citation"}]}],
//! "review": [...], "error"}`. `status` is `decided`, `needs_review` (decided, with a party name close to a
//! known party), `outside_jurisdiction` (no loaded regime covers the row: no outcome is claimed), `failed`
//! (a regime with jurisdiction conflicts, is undecided or cannot read the case: `failed` names it; no outcome
//! is claimed) or `unreadable` (`error` says why). Outcomes are written as in rule-set JSON (`"prohibited"`,
//! `{"licence_required": "case_by_case"}`).

use std::borrow::Cow;
use std::fmt;
use std::io::Write;

use control_core::{Combined, Decision, Evaluator, Outcome, Scenario, Transaction, combine};
use serde::Serialize;

use crate::input::{InputRow, Row, RowKey};
use crate::parties::PossibleMatch;

/// Decides rows against a fixed set of regimes under one scenario.
pub struct Screener<'a> {
    books: Vec<&'a dyn Evaluator<Case = Transaction>>,
    scenario: Scenario,
    strict_parties: bool,
    /// Per book, the JSON of what every output row repeats: see [`Screener::write_json_line`].
    rendered: Vec<RenderedBook<'a>>,
    /// The scenario's entries of an output row (`,"as_of":…,"proposals":…`), as JSON.
    rendered_scenario: String,
}

/// A book's regime and rules as output JSON, written once instead of once per row.
struct RenderedBook<'a> {
    /// The book's rule set, to recognise its decisions without asking each book.
    rule_set: &'a control_core::RuleSet,
    /// The regime, as a JSON string.
    regime: String,
    /// Per rule, `{"rule": …, "citation": …}`, as [`RuleOut`] serialises.
    rules: Vec<String>,
    /// Per rule, its name as a JSON string.
    names: Vec<String>,
    /// Each distinct outcome of the rules and the fallback, with its JSON.
    outcomes: Vec<(Outcome, String)>,
}

impl<'a> RenderedBook<'a> {
    fn new(book: &'a dyn Evaluator<Case = Transaction>) -> RenderedBook<'a> {
        let rs = book.rule_set();
        RenderedBook {
            rule_set: rs,
            regime: json(&rs.regime()),
            rules: rs
                .rules()
                .iter()
                .map(|r| {
                    json(&RuleOut {
                        rule: &r.name,
                        citation: r.citation.as_deref(),
                    })
                })
                .collect(),
            names: rs.rules().iter().map(|r| json(&r.name.as_str())).collect(),
            outcomes: rs
                .rules()
                .iter()
                .map(|r| &r.then)
                .chain(match rs.fallback() {
                    control_core::Fallback::Otherwise(o) => Some(o),
                    control_core::Fallback::Complete => None,
                })
                .fold(Vec::new(), |mut seen: Vec<(Outcome, String)>, o| {
                    if !seen.iter().any(|(s, _)| s == o) {
                        seen.push((o.clone(), json(o)));
                    }
                    seen
                }),
        }
    }
}

/// A scenario as the entries of an output row: `,"as_of":…,"proposals":…`.
fn scenario_json(s: Scenario) -> String {
    format!(
        ",\"as_of\":{},\"proposals\":{}",
        json(&AsOf(s)),
        s.proposals
    )
}

/// `v` as JSON text. Strings, numbers and the derived structs and enums written here always serialise.
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Appends `v` as JSON; as [`json`], this cannot fail.
fn put<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(out, v);
}

/// The opening of an output row's line: `{"line":…,"id":…,"status":"…"`.
fn write_head(out: &mut Vec<u8>, line: usize, id: Option<&str>, status: &str) {
    out.extend_from_slice(b"{\"line\":");
    put(out, &line);
    if let Some(id) = id {
        out.extend_from_slice(b",\"id\":");
        // Written as serde_json writes strings: only quotes, backslashes and control characters are escaped.
        if id.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            out.push(b'"');
            out.extend_from_slice(id.as_bytes());
            out.push(b'"');
        } else {
            put(out, &id);
        }
    }
    out.extend_from_slice(b",\"status\":\"");
    out.extend_from_slice(status.as_bytes());
    out.push(b'"');
}

/// What a worker of [`Screener::screen_json_line`] remembers between rows: per distinct set of decisions it
/// has met, the rest of the output line after the status, the status, and what the row adds to the tally;
/// and, for [`Screener::screen_json_row`], which lines' values led to which decisions.
///
/// Everything after a row's line and id is a function of its decisions (the screener's scenario and books
/// are fixed), and a rule book has few distinct decisions however many rows it decides, so most rows are
/// written by copying what an earlier row's decisions wrote. Through [`Screener::screen_json_line`] the
/// decisions are still made for every row: only their rendering is remembered. Through
/// [`Screener::screen_json_row`], a line whose values (all but its id) equal an earlier line's is written
/// from that line's decisions without being assembled or decided again: its decisions are a function of its
/// values. Bounded: at [`Memo::LIMIT`] decision sets, or [`Memo::LINES`] lines, it starts again. Made by
/// [`Screener::memo`], it serves that screener only (with another, rows are written without it).
///
/// Remembering a row costs more than writing it: where most rows' decisions (or values) are new, the memo
/// gets in the way. So it watches itself, decisions and lines apart: after a window of [`Memo::WINDOW`] rows
/// in which fewer than half were met before, the next fifteen windows are written without that part of it,
/// then it tries again.
#[derive(Debug)]
pub struct Memo<'s> {
    screener: &'s Screener<'s>,
    /// The decision sets met, as indices into `entries`.
    seen: std::collections::HashMap<Key, u32, foldhash::fast::RandomState>,
    entries: Vec<Remembered>,
    /// The lines met, by their values, as indices into `entries`.
    lines: std::collections::HashMap<RowKey, u32, foldhash::fast::RandomState>,
    /// The key of the row being written, reused from row to row.
    key: Key,
    /// The watches on the decisions' part and on the lines' part.
    decisions: Watch,
    values: Watch,
}

/// A memo's watch on one of its parts: in the current window, the rows met before and the rows not, and how
/// many rows are still to be written without that part.
#[derive(Debug)]
struct Watch {
    hits: usize,
    misses: usize,
    bypass: usize,
    /// Rows per window (a field, so that the tests can make it small).
    window: usize,
}

impl Watch {
    fn new() -> Watch {
        Watch {
            hits: 0,
            misses: 0,
            bypass: 0,
            window: Memo::WINDOW,
        }
    }

    /// Whether the part is set aside for this row (counted as one row written without it).
    fn set_aside(&mut self) -> bool {
        let aside = self.bypass > 0;
        self.bypass = self.bypass.saturating_sub(1);
        aside
    }

    /// Counts a row written with the part (`hit`: it was met before); at the end of a window, sets the part
    /// aside for fifteen windows if fewer than half of its rows were hits.
    fn count(&mut self, hit: bool) {
        if hit {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        if self.hits + self.misses >= self.window {
            if self.misses > self.hits {
                self.bypass = 15 * self.window;
            }
            (self.hits, self.misses) = (0, 0);
        }
    }
}

/// Decisions written as integers: per deciding book, its index, the verdict's kind and the number of
/// deciding rules; the verdict's outcome (by address: outcomes borrow from their rule set) or its
/// conflicting rules; then the deciding rules kept inline. Equal keys are equal decisions of the same books.
type Key = smallvec::SmallVec<[u64; 16]>;

#[derive(Debug)]
struct Remembered {
    status: &'static str,
    /// From the scenario to the newline.
    rest: Box<[u8]>,
    counts: Box<[Count]>,
}

impl Memo<'_> {
    /// The most distinct decision sets remembered.
    pub const LIMIT: usize = 4096;
    /// The most lines remembered by their values.
    pub const LINES: usize = 16384;
    /// Rows per window of [`Memo`]'s watch on itself.
    pub const WINDOW: usize = 4096;

    /// Remembers that the line of values `line` was written as entry `entry`.
    fn remember_line(&mut self, line: Option<RowKey>, entry: u32) {
        if let Some(line) = line {
            if self.lines.len() >= Self::LINES {
                self.lines.clear();
            }
            self.lines.insert(line, entry);
        }
    }

    /// Writes entry `entry` for line `line` with id `id` and counts it.
    fn replay(
        &self,
        entry: u32,
        line: usize,
        id: Option<&str>,
        out: &mut Vec<u8>,
        tally: &mut Tally,
    ) {
        let r = &self.entries[entry as usize];
        write_head(out, line, id, r.status);
        out.extend_from_slice(&r.rest);
        tally.apply(&r.counts);
    }

    /// Makes `key` the key of decision `d` of book `book`, after the keys of the row's earlier books.
    fn push(key: &mut Key, book: usize, d: &Decision<'_>) {
        let deciding = d.deciding();
        let (kind, word) = match d.verdict() {
            control_core::Verdict::Decided(o) => (0, std::ptr::from_ref(o) as usize as u64),
            control_core::Verdict::Otherwise(o) => (1, std::ptr::from_ref(o) as usize as u64),
            control_core::Verdict::Undecided => (2, 0),
            control_core::Verdict::Unfit => (3, 0),
            control_core::Verdict::Conflict { first, second } => {
                (4, first as u64 | (second as u64) << 32)
            }
        };
        key.push(book as u64 | kind << 32 | (deciding.total() as u64) << 40);
        key.push(word);
        key.extend(deciding.iter().map(|i| i as u64));
    }
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
    /// A screener over `books` (one per regime), or `None` when there is none: screening against no rule
    /// book would call every row "outside jurisdiction".
    pub fn new(
        books: Vec<&'a dyn Evaluator<Case = Transaction>>,
        scenario: Scenario,
    ) -> Option<Self> {
        if books.is_empty() {
            return None;
        }
        let rendered = books.iter().map(|b| RenderedBook::new(*b)).collect();
        Some(Screener {
            books,
            scenario,
            strict_parties: false,
            rendered,
            rendered_scenario: scenario_json(scenario),
        })
    }

    /// The rule books.
    pub fn books(&self) -> &[&'a dyn Evaluator<Case = Transaction>] {
        &self.books
    }

    /// The regimes, in order.
    pub fn regimes(&self) -> Vec<&str> {
        self.books.iter().map(|b| b.rule_set().regime()).collect()
    }

    /// Treats a party name close to a known party as an error instead of a row for review.
    pub fn strict_parties(mut self, strict: bool) -> Self {
        self.strict_parties = strict;
        self
    }

    /// The scenario.
    pub fn scenario(&self) -> Scenario {
        self.scenario
    }

    /// Decides one row: each regime with jurisdiction, and the most restrictive outcome.
    pub fn screen<'r>(&'r self, row: &'r InputRow) -> Screened<'r> {
        let error = |e: Cow<'r, str>| Screened {
            line: row.line,
            id: row.id.as_deref(),
            result: Err(e),
            review: &row.review,
            scenario: self.scenario,
            combined: None,
        };
        let t = match &row.transaction {
            Ok(t) => t,
            Err(e) => return error(Cow::Borrowed(e)),
        };
        if self.strict_parties && !row.review.is_empty() {
            let names: Vec<String> = row
                .review
                .iter()
                .map(|p| {
                    format!(
                        "column `{}`: `{}` is not a known party but is close to `{}` ({}, score {})",
                        p.column, p.written, p.candidate, p.candidate_name, p.score
                    )
                })
                .collect();
            return error(Cow::Owned(names.join("; ")));
        }
        let decisions: Decisions<'r> = self
            .books
            .iter()
            .filter(|b| b.in_jurisdiction(t, &self.scenario))
            .map(|b| (b.rule_set().regime(), b.decide(t, &self.scenario)))
            .collect();
        self.decided(row, decisions)
    }

    /// The output row of `row` with its decisions.
    fn decided<'r>(&'r self, row: &'r InputRow, decisions: Decisions<'r>) -> Screened<'r> {
        Screened {
            line: row.line,
            id: row.id.as_deref(),
            combined: Some(combine(&decisions)),
            result: Ok(decisions),
            review: &row.review,
            scenario: self.scenario,
        }
    }
}

impl Screener<'_> {
    /// What [`Screener::screen_json_line`] remembers between rows, for one worker.
    pub fn memo(&self) -> Memo<'_> {
        Memo {
            screener: self,
            seen: Default::default(),
            entries: Vec::new(),
            lines: Default::default(),
            key: Key::new(),
            decisions: Watch::new(),
            values: Watch::new(),
        }
    }

    /// Screens `row`, appends its JSON line to `out` and counts it in `tally` (over this screener's regimes,
    /// in order): what [`Screener::screen`], [`Screener::write_json_line`] and [`Tally::add`] do, byte for
    /// byte and count for count, with the rendering of decisions met before taken from `memo` (one per
    /// worker; see [`Memo`]).
    pub fn screen_json_line(
        &self,
        row: &InputRow,
        memo: &mut Memo<'_>,
        out: &mut Vec<u8>,
        tally: &mut Tally,
    ) {
        self.json_line(row, None, memo, out, tally);
    }

    /// [`Screener::screen_json_line`], remembering the row's entry under `line` (its values' key) too.
    fn json_line(
        &self,
        row: &InputRow,
        line: Option<RowKey>,
        memo: &mut Memo<'_>,
        out: &mut Vec<u8>,
        tally: &mut Tally,
    ) {
        debug_assert!(tally.regimes.iter().eq(self.regimes()));
        // Rows with an error or a party to review are written as a whole, as they are rare; so are rows
        // while the memo is set aside.
        let t = match &row.transaction {
            Ok(t)
                if row.review.is_empty()
                    && std::ptr::eq(memo.screener, self)
                    && !memo.decisions.set_aside() =>
            {
                t
            }
            _ => {
                let s = self.screen(row);
                tally.add(&s);
                return self.write_json_line(&s, out);
            }
        };
        memo.key.clear();
        let mut decisions = Decisions::new();
        for (i, book) in self.books.iter().enumerate() {
            if book.in_jurisdiction(t, &self.scenario) {
                let d = book.decide(t, &self.scenario);
                Memo::push(&mut memo.key, i, &d);
                decisions.push((book.rule_set().regime(), d));
            }
        }
        if let Some(&entry) = memo.seen.get(memo.key.as_slice()) {
            memo.replay(entry, row.line, row.id.as_deref(), out, tally);
            memo.remember_line(line, entry);
            return memo.decisions.count(true);
        }
        memo.decisions.count(false);
        let s = self.decided(row, decisions);
        let mut counts = Vec::new();
        tally_row(&tally.regimes, &s, |c| counts.push(c));
        tally.apply(&counts);
        let start = out.len();
        write_head(out, s.line, s.id, s.status());
        let rest = out.len();
        if self.write_rest(&s, out).is_none() {
            out.truncate(start);
            put(out, &s);
            out.push(b'\n');
            return;
        }
        out.push(b'\n');
        if memo.entries.len() >= Memo::LIMIT {
            memo.seen.clear();
            memo.entries.clear();
            memo.lines.clear();
        }
        let entry = memo.entries.len() as u32;
        memo.entries.push(Remembered {
            status: s.status(),
            rest: out[rest..].into(),
            counts: counts.into(),
        });
        memo.seen.insert(memo.key.clone(), entry);
        memo.remember_line(line, entry);
    }

    /// Screens the line `row` (from [`crate::input::Parser::rows`]) as [`Screener::screen_json_line`] screens
    /// its row, byte for byte and count for count; a line whose values (all but its id) were met before is
    /// written from `memo` without being assembled or decided again (see [`Memo`]).
    pub fn screen_json_row(
        &self,
        mut row: Row<'_>,
        memo: &mut Memo<'_>,
        out: &mut Vec<u8>,
        tally: &mut Tally,
    ) {
        let mut line = None;
        if std::ptr::eq(memo.screener, self)
            && !memo.values.set_aside()
            && let Some(key) = row.key()
        {
            if let Some(&entry) = memo.lines.get(&key) {
                memo.replay(entry, row.line(), row.id(), out, tally);
                return memo.values.count(true);
            }
            memo.values.count(false);
            line = Some(key);
        }
        self.json_line(row.get(), line, memo, out, tally);
    }

    /// Appends `row` as one JSON line (with its newline): the bytes `serde_json` writes for it, faster. The
    /// regimes, rule names and citations are copied from JSON written when the screener was made, so only
    /// the row's own values are serialised; a row with an error or a party to review, or a decision of a book
    /// this screener does not hold, is serialised as a whole.
    pub fn write_json_line(&self, row: &Screened<'_>, out: &mut Vec<u8>) {
        let start = out.len();
        if !(row.review.is_empty() && self.write_decided(row, out).is_some()) {
            out.truncate(start);
            put(out, row);
        }
        out.push(b'\n');
    }

    /// The fast path of [`Screener::write_json_line`]; `None` where it does not apply (the caller then
    /// discards what was written).
    fn write_decided(&self, row: &Screened<'_>, out: &mut Vec<u8>) -> Option<()> {
        row.result.as_ref().ok()?;
        write_head(out, row.line, row.id, row.status());
        self.write_rest(row, out)
    }

    /// What follows the status in a decided row's line (the scenario, the outcome, the regimes), without
    /// the newline; `None` where [`Screener::write_decided`] does not apply.
    fn write_rest(&self, row: &Screened<'_>, out: &mut Vec<u8>) -> Option<()> {
        let decisions = row.result.as_ref().ok()?;
        if row.scenario == self.scenario {
            out.extend_from_slice(self.rendered_scenario.as_bytes());
        } else {
            out.extend_from_slice(scenario_json(row.scenario).as_bytes());
        }
        match row.summary() {
            Some(Combined::Decided(outcome, by)) => {
                out.extend_from_slice(b",\"outcome\":");
                self.outcome(self.rendered.iter(), outcome, out);
                out.extend_from_slice(b",\"decided_by\":");
                self.regime_list(by, out);
            }
            Some(Combined::Failed(regimes)) => {
                out.extend_from_slice(b",\"failed\":");
                self.regime_list(regimes, out);
            }
            _ => {}
        }
        out.extend_from_slice(b",\"regimes\":[");
        for (k, (_, d)) in decisions.iter().enumerate() {
            let book = self
                .rendered
                .iter()
                .position(|b| std::ptr::eq(b.rule_set, d.rule_set()))?;
            let r = &self.rendered[book];
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"regime\":");
            out.extend_from_slice(r.regime.as_bytes());
            if let Some(o) = d.outcome() {
                out.extend_from_slice(b",\"outcome\":");
                self.outcome(std::iter::once(r), o, out);
            }
            if let control_core::Verdict::Conflict { first, second } = d.verdict() {
                out.extend_from_slice(b",\"conflict\":[");
                out.extend_from_slice(r.names.get(first)?.as_bytes());
                out.push(b',');
                out.extend_from_slice(r.names.get(second)?.as_bytes());
                out.push(b']');
            }
            if let Some(by) = d.set_by() {
                out.extend_from_slice(b",\"set_by\":");
                put(out, &by);
            }
            out.extend_from_slice(b",\"rules\":[");
            for (j, i) in d.deciding().iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(r.rules.get(i)?.as_bytes());
            }
            out.push(b']');
            if !d.deciding().is_complete() {
                out.extend_from_slice(b",\"deciding_total\":");
                put(out, &d.deciding().total());
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
        Some(())
    }

    /// An outcome as JSON, copied from one of `books` when it has the outcome.
    fn outcome<'b>(
        &self,
        mut books: impl Iterator<Item = &'b RenderedBook<'b>>,
        o: &Outcome,
        out: &mut Vec<u8>,
    ) {
        match books.find_map(|b| b.outcomes.iter().find(|(known, _)| known == o)) {
            Some((_, json)) => out.extend_from_slice(json.as_bytes()),
            None => put(out, o),
        }
    }

    /// A list of regimes as JSON, each copied from its book's JSON when this screener holds it.
    fn regime_list(&self, regimes: &[&str], out: &mut Vec<u8>) {
        out.push(b'[');
        for (k, name) in regimes.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            match self
                .rendered
                .iter()
                .position(|b| same(b.rule_set.regime(), name))
            {
                Some(i) => out.extend_from_slice(self.rendered[i].regime.as_bytes()),
                None => put(out, name),
            }
        }
        out.push(b']');
    }
}

/// Each regime with jurisdiction over a row and its decision, in the screener's order: up to four in place
/// (a row is rarely within more), more on the heap.
pub type Decisions<'r> = smallvec::SmallVec<[(&'r str, Decision<'r>); 4]>;

/// One output row: the decision of every regime with jurisdiction, or the error. Borrows from the rule books
/// and the input row; serialises to one JSON line.
#[derive(Debug)]
pub struct Screened<'r> {
    /// The input line.
    pub line: usize,
    /// The input `id`.
    pub id: Option<&'r str>,
    /// Each regime with jurisdiction and its decision, or why the row could not be read.
    pub result: Result<Decisions<'r>, Cow<'r, str>>,
    /// Party names close to a known party.
    pub review: &'r [PossibleMatch],
    /// The scenario the row was decided under.
    pub scenario: Scenario,
    /// What the regimes add up to ([`control_core::combine`]), computed once; `None` for an unreadable row.
    pub combined: Option<Combined<'r>>,
}

impl<'r> Screened<'r> {
    /// What the row's regimes add up to ([`control_core::combine`]); `None` for a row that could not be read.
    pub fn summary(&self) -> Option<&Combined<'r>> {
        self.combined.as_ref()
    }

    /// `decided`, `outside_jurisdiction`, `failed` (a regime could not decide), `unreadable`, or
    /// `needs_review` (decided, but a party name is close to a known party and must be looked at).
    pub fn status(&self) -> &'static str {
        match self.summary() {
            None => "unreadable",
            Some(Combined::Failed(_)) => "failed",
            Some(Combined::NoJurisdiction) => "outside_jurisdiction",
            Some(Combined::Decided(..)) if !self.review.is_empty() => "needs_review",
            Some(Combined::Decided(..)) => "decided",
        }
    }
}

/// A deciding rule and its citation, as written in the output.
#[derive(Debug, Serialize)]
pub struct RuleOut<'r> {
    /// The rule's name.
    pub rule: &'r str,
    /// Its citation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<&'r str>,
}

/// One regime's decision on a row, as written in the output.
#[derive(Debug, Serialize)]
pub struct RegimeOut<'r> {
    /// The regime.
    pub regime: &'r str,
    /// Its outcome; `None` when its rules conflict or leave the row undecided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'r Outcome>,
    /// The two rules that conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<[&'r str; 2]>,
    /// When the deciding rules are cumulative requirements that disagree, the one whose (strictest) outcome
    /// applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_by: Option<&'r str>,
    /// The deciding rules (at most eight).
    pub rules: Vec<RuleOut<'r>>,
    /// How many rules decided, when more than `rules` lists (a decision keeps the first eight inline; the
    /// full list is in `--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciding_total: Option<usize>,
}

/// What a regime's decision says, as the output writes it.
pub fn regime_out<'r>(regime: &'r str, d: &Decision<'r>) -> RegimeOut<'r> {
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
        set_by: d.set_by(),
        rules: d
            .deciding()
            .iter()
            .map(|i| RuleOut {
                rule: &rules[i].name,
                citation: rules[i].citation.as_deref(),
            })
            .collect(),
        deciding_total: (!d.deciding().is_complete()).then(|| d.deciding().total()),
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
        m.serialize_entry("status", self.status())?;
        m.serialize_entry("as_of", &AsOf(self.scenario))?;
        m.serialize_entry("proposals", &self.scenario.proposals)?;
        if !self.review.is_empty() {
            m.serialize_entry("review", self.review)?;
        }
        match &self.result {
            Err(e) => m.serialize_entry("error", e)?,
            Ok(ds) => {
                match self.summary() {
                    Some(Combined::Decided(outcome, by)) => {
                        m.serialize_entry("outcome", outcome)?;
                        m.serialize_entry("decided_by", by.as_slice())?;
                    }
                    Some(Combined::Failed(regimes)) => {
                        m.serialize_entry("failed", regimes.as_slice())?
                    }
                    _ => {}
                }
                let regimes: Vec<RegimeOut<'_>> =
                    ds.iter().map(|(r, d)| regime_out(r, d)).collect();
                m.serialize_entry("regimes", &regimes)?;
            }
        }
        m.end()
    }
}

/// The as-of date of a scenario, or `each_row_date`.
struct AsOf(Scenario);

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_of {
            Some(d) => write!(f, "{d}"),
            None => f.write_str("each_row_date"),
        }
    }
}

impl Serialize for AsOf {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
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
    /// Decided rows with a party name close to a known party, for review.
    pub review: usize,
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

/// Whether two regime names are the same, compared in line: a name is a few bytes, fewer than the library
/// comparison's call costs, and every output row compares several.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

fn column(o: &Outcome) -> usize {
    usize::from(o.level()) + 1
}

/// One count a row adds to a tally.
#[derive(Clone, Copy, Debug)]
enum Count {
    Row,
    Error,
    Outside,
    Review,
    /// Regime `.0` (or, past the regimes, "most restrictive") in column `.1`.
    Cell(usize, u8),
}

/// Calls `f` with each count `row` adds to a tally over `regimes`.
fn tally_row(regimes: &[String], row: &Screened<'_>, mut f: impl FnMut(Count)) {
    f(Count::Row);
    let Ok(ds) = &row.result else {
        return f(Count::Error);
    };
    let cell = |r: usize, col: usize| Count::Cell(r, col as u8);
    for (i, name) in regimes.iter().enumerate() {
        let col = match ds.iter().find(|(r, _)| same(r, name)) {
            None => 0,
            Some((_, d)) => match (d.outcome(), d.verdict()) {
                (Some(o), _) => column(o),
                (None, control_core::Verdict::Conflict { .. }) => 7,
                (None, _) => 8,
            },
        };
        f(cell(i, col));
    }
    let col = match row.summary() {
        Some(Combined::Decided(o, _)) => {
            if !row.review.is_empty() {
                f(Count::Review);
            }
            column(o)
        }
        Some(Combined::NoJurisdiction) => {
            f(Count::Outside);
            0
        }
        Some(Combined::Failed(failed)) => {
            f(Count::Error);
            let conflict = ds.iter().any(|(r, d)| {
                failed.contains(r) && matches!(d.verdict(), control_core::Verdict::Conflict { .. })
            });
            if conflict { 7 } else { 8 }
        }
        None => return,
    };
    f(cell(regimes.len(), col));
}

impl Tally {
    /// A tally over these regimes.
    pub fn new(regimes: &[&str]) -> Tally {
        Tally {
            rows: 0,
            errors: 0,
            outside: 0,
            review: 0,
            regimes: regimes.iter().map(|r| (*r).to_owned()).collect(),
            counts: vec![[0; 9]; regimes.len() + 1],
        }
    }

    /// Counts one output row.
    pub fn add(&mut self, row: &Screened<'_>) {
        let counts = &mut self.counts;
        let (mut rows, mut errors, mut outside, mut review) = (0, 0, 0, 0);
        tally_row(&self.regimes, row, |c| match c {
            Count::Row => rows += 1,
            Count::Error => errors += 1,
            Count::Outside => outside += 1,
            Count::Review => review += 1,
            Count::Cell(r, col) => counts[r][usize::from(col)] += 1,
        });
        self.rows += rows;
        self.errors += errors;
        self.outside += outside;
        self.review += review;
    }

    /// Adds counts that [`tally_row`] gave for a row.
    fn apply(&mut self, counts: &[Count]) {
        for c in counts {
            match *c {
                Count::Row => self.rows += 1,
                Count::Error => self.errors += 1,
                Count::Outside => self.outside += 1,
                Count::Review => self.review += 1,
                Count::Cell(r, col) => self.counts[r][usize::from(col)] += 1,
            }
        }
    }

    /// Adds the counts of `other`, a tally over the same regimes (of other rows).
    pub fn merge(&mut self, other: &Tally) {
        debug_assert_eq!(self.regimes, other.regimes);
        self.rows += other.rows;
        self.errors += other.errors;
        self.outside += other.outside;
        self.review += other.review;
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
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
        if self.review > 0 {
            write!(
                f,
                " ({} with a party name close to a known party: review them)",
                self.review
            )?;
        }
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
    let mut rec: Vec<String> = vec![
        row.line.to_string(),
        row.id.unwrap_or_default().to_owned(),
        row.status().into(),
        AsOf(row.scenario).to_string(),
        row.scenario.proposals.to_string(),
    ];
    let review: Vec<String> = row
        .review
        .iter()
        .map(|p| {
            format!(
                "{}: {} ~ {} ({})",
                p.column, p.written, p.candidate, p.score
            )
        })
        .collect();
    match &row.result {
        Ok(ds) => {
            match row.summary() {
                Some(Combined::Decided(outcome, by)) => {
                    rec.push(outcome.to_string());
                    rec.push(by.join(" "));
                }
                Some(Combined::Failed(regimes)) => {
                    rec.push(String::new());
                    rec.push(regimes.join(" "));
                }
                _ => rec.extend([String::new(), String::new()]),
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
            rec.push(review.join(" | "));
            rec.push(String::new());
        }
        Err(e) => {
            rec.extend([String::new(), String::new()]);
            rec.extend(regimes.iter().flat_map(|_| [String::new(), String::new()]));
            rec.push(review.join(" | "));
            rec.push(e.to_string());
        }
    }
    w.write_record(&rec)
}

/// The CSV header for [`write_csv_row`].
pub fn csv_header(regimes: &[&str]) -> Vec<String> {
    let mut h: Vec<String> = [
        "line",
        "id",
        "status",
        "as_of",
        "proposals",
        "outcome",
        "decided_by",
    ]
    .map(str::to_owned)
    .to_vec();
    for r in regimes {
        h.push(format!("{r}_outcome"));
        h.push(format!("{r}_rules"));
    }
    h.push("review".to_owned());
    h.push("error".to_owned());
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use control_core::Interpreter;

    use crate::test_data::acme;

    /// A CSV file with a header and one line per `(destination, day of March 2024)`: Acme exports an EAR99
    /// item to Acme there.
    fn csv(lines: impl IntoIterator<Item = (&'static str, usize)>) -> String {
        let mut csv = format!("id,{}\n", crate::input::COLUMNS.join(","));
        for (k, (d, day)) in lines.into_iter().enumerate() {
            let line =
                crate::test_data::line(&format!("r{k}"), d, "0", &format!("2024-03-{day:02}"));
            csv.push_str(&line);
            csv.push('\n');
        }
        csv
    }

    /// What [`Screener::write_json_line`] writes and [`Tally::add`] counts for `rows`.
    fn plain(screener: &Screener<'_>, rows: &[InputRow]) -> (String, Tally) {
        let (mut out, mut tally) = (Vec::new(), Tally::new(&screener.regimes()));
        for row in rows {
            let s = screener.screen(row);
            tally.add(&s);
            screener.write_json_line(&s, &mut out);
        }
        (String::from_utf8(out).unwrap(), tally)
    }

    fn screener(book: &Interpreter<Transaction>) -> Screener<'_> {
        Screener::new(
            vec![book as &dyn Evaluator<Case = Transaction>],
            Scenario::CURRENT,
        )
        .unwrap()
    }

    /// Rows whose decisions are mostly new set the memo aside for a while; what is written and counted is
    /// the same either way.
    #[test]
    fn a_memo_that_rarely_helps_is_set_aside_and_nothing_changes() {
        let destinations = ["BR", "CN", "DE", "FR", "IN", "JP", "KR", "US"];
        let rules: Vec<String> = destinations
            .iter()
            .map(|d| {
                format!(
                    r#"{{"name": "to_{d}", "when": {{"field": "destination", "eq": "{d}"}}, "then": {{"licence_required": "case_by_case"}}}}"#
                )
            })
            .collect();
        let book = Interpreter::<Transaction>::from_json(&format!(
            r#"{{"name": "each", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled",
                "applies_when": {{"always": true}}, "rules": [{}]}}"#,
            rules.join(",")
        ))
        .unwrap();
        let matcher = acme();
        let csv = csv((0..64).map(|k| (destinations[k % destinations.len()], 7)));
        let rows =
            crate::input::read_all(csv.as_bytes(), crate::input::Format::Csv, &matcher).unwrap();
        let screener = screener(&book);
        let (plain, plain_tally) = plain(&screener, &rows);
        let mut memo = screener.memo();
        // Windows of four rows: the first four decisions are all new.
        memo.decisions.window = 4;
        let (mut with_memo, mut memo_tally) = (Vec::new(), Tally::new(&screener.regimes()));
        let mut set_aside = false;
        for row in &rows {
            screener.screen_json_line(row, &mut memo, &mut with_memo, &mut memo_tally);
            set_aside |= memo.decisions.bypass > 0;
        }
        assert!(
            set_aside,
            "four new decisions in a window of four set the memo aside"
        );
        assert_eq!(String::from_utf8(with_memo).unwrap(), plain);
        assert_eq!(memo_tally, plain_tally);
        assert_eq!(memo_tally.get("XX", "case by case"), 64);
    }

    /// Lines whose values are mostly new set the memo's lines aside for a while; what is written and counted
    /// is the same either way, and lines met again while the lines are remembered are written from the memo.
    #[test]
    fn a_memo_of_lines_that_rarely_helps_is_set_aside_and_nothing_changes() {
        let book = Interpreter::<Transaction>::from_json(
            r#"{"name": "cn", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled",
                "applies_when": {"always": true},
                "rules": [{"name": "to_cn", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}]}"#,
        )
        .unwrap();
        let matcher = acme();
        // Sixteen lines that repeat two, then 48 lines over 28 dates (the first 28 of them with new values).
        let csv = csv((0..64).map(|k| {
            if k < 16 {
                (["CN", "DE"][k % 2], 2)
            } else {
                ("CN", k % 28 + 1)
            }
        }));
        let rows =
            crate::input::read_all(csv.as_bytes(), crate::input::Format::Csv, &matcher).unwrap();
        let screener = screener(&book);
        let (plain, plain_tally) = plain(&screener, &rows);
        let mut memo = screener.memo();
        // Windows of four rows.
        memo.values.window = 4;
        let (mut with_memo, mut memo_tally) = (Vec::new(), Tally::new(&screener.regimes()));
        let (mut hits, mut set_aside) = (0, false);
        let mut blocks = crate::input::Blocks::new(csv.as_bytes(), 1024);
        let layout = crate::input::Layout::read(&mut blocks, crate::input::Format::Csv).unwrap();
        let mut parser = crate::input::Parser::new(layout, &matcher);
        while let Some(block) = blocks.next_block().unwrap() {
            parser.rows(&block, |row| {
                let before = memo.values.hits;
                screener.screen_json_row(row, &mut memo, &mut with_memo, &mut memo_tally);
                hits += usize::from(memo.values.hits > before);
                set_aside |= memo.values.bypass > 0;
            });
        }
        assert!(
            hits >= 8,
            "the first sixteen lines repeat two lines: {hits} hits"
        );
        assert!(
            set_aside,
            "four new lines in a window of four set the lines aside"
        );
        assert_eq!(String::from_utf8(with_memo).unwrap(), plain);
        assert_eq!(memo_tally, plain_tally);
        assert_eq!(memo_tally.get("XX", "prohibited"), 8 + 48);
    }
}
