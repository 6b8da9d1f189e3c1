//! Screening in SQL: the screening library ([`control_screen`]) as an Apache DataFusion scalar function, on one
//! machine or on a Ballista cluster.
//!
//! [`Screening`] holds the rule books (compiled, or JSON books loaded and analysed), the party data and the
//! scenario; [`Screening::register`] adds the function `screen` to a [`SessionContext`]:
//!
//! ```sql
//! screen(exporter, exporter_country, "item.ccl", "item.eu", "item.wa", "item.nl", "item.jp", "item.kr",
//!        item_origin, us_content, data_centre, tpp, performance_density, activity, destination, purchaser,
//!        intermediate_consignee, ultimate_consignee, end_user, end_use, us_person, fdp, notified, date,
//!        contract_date [, as_of, proposals])
//! ```
//!
//! The 25 arguments are the screening input's columns ([`control_screen::input::COLUMNS`]), in that order, as
//! text (numbers, booleans and dates are cast to text and read as the CSV reader reads them; dictionary-encoded
//! text is read per dictionary entry). The two optional arguments are constants that override the scenario
//! given at registration: `as_of` (`'2024-03-07'`, or `'each_row_date'` for the rules in force on each row's
//! date) and `proposals` (`true` to treat the proposed rules as adopted). They travel with the query plan, so a
//! Ballista executor decides under the scenario the query names.
//!
//! The result is a struct per row with the fields of the screening program's JSON output ([`SCREEN_FIELDS`]):
//! `status` (`decided`, `needs_review`, `outside_jurisdiction`, `failed` or `unreadable`), `summary` (the row in
//! one text to group by: the outcome when decided, else why there is none, see [`summary`]), `outcome` (only when
//! every regime with jurisdiction decided; never a default), `decided_by`, `failed`, `regimes` (each regime with
//! jurisdiction: its outcome or conflict, the deciding rules and their citations), `review` (party names close
//! to a known party), `error` (why the row could not be read: a missing value, a code that does not parse, a
//! party the party data does not have), `as_of` and `proposals`. A null argument is a missing value: the row is
//! `unreadable`, never "not controlled".
//!
//! Read one field per call where you can: DataFusion 55 pushes each field access (`s['status']`, `s['outcome']`)
//! down to the scan separately and inlines the call into each, so a query reading two fields of one `screen`
//! call screens every row twice (measured: 5.2 s against 2.7 s for 1M rows). Group by `summary`, or materialise
//! the struct first (`COPY ... TO`, `CREATE TABLE ... AS`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> datafusion::error::Result<()> {
//! use control_datafusion::Screening;
//! use datafusion::prelude::*;
//! let ctx = SessionContext::new();
//! Screening::bundled().register(&ctx)?;
//! let df = ctx
//!     .sql(&format!(
//!         "SELECT {call}['status'] AS status FROM (VALUES ('ASML', 'NL', '3B001.f.1.b.2.a', '3B001.f.4', \
//!          '3B001.f.4', '3B001.f.4', 'UNLISTED', 'UNLISTED', 'NL', '8', 'false', '0', '0', 'export', 'CN', \
//!          'none', 'none', 'none', 'SMIC', 'advanced_logic_fab', 'false', 'none', 'false', '2024-03-07', \
//!          '2023-05-01')) AS t({columns})",
//!         call = control_datafusion::screen_call(),
//!         columns = control_datafusion::column_list(),
//!     ))
//!     .await?;
//! let batches = df.collect().await?;
//! assert_eq!(batches[0].num_rows(), 1);
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use control_core::{Combined, Evaluator, Interpreter, PartyData, Scenario, Transaction};
use control_screen::input::{self, COLUMNS, Cell, InputRow, N};
use control_screen::parties::PartyMatcher;
use control_screen::screen::{Screened, Screener, regime_out};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanBuilder, ListArray, ListBuilder, StringBuilder, StructArray,
    UInt64Builder,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

pub mod parquet;

/// The function's name.
pub const NAME: &str = "screen";

/// A rule book: compiled into the program (`rules!`), or a JSON book loaded and analysed.
#[derive(Clone)]
enum Book {
    Compiled(&'static dyn Evaluator<Case = Transaction>),
    Loaded(Arc<Interpreter<Transaction>>),
}

impl Book {
    fn get(&self) -> &dyn Evaluator<Case = Transaction> {
        match self {
            Book::Compiled(b) => *b,
            Book::Loaded(b) => b.as_ref(),
        }
    }
}

/// The rule books, party data and scenario the `screen` function decides under.
///
/// Build it once per process; on a Ballista cluster, the scheduler and every executor must register the same
/// configuration (an executor built from this package does: see the README).
pub struct Screening {
    books: Vec<Book>,
    parties: Arc<PartyMatcher>,
    scenario: Scenario,
    strict_parties: bool,
}

impl std::fmt::Debug for Screening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screening")
            .field("regimes", &self.regimes())
            .field("scenario", &self.scenario)
            .field("strict_parties", &self.strict_parties)
            .finish()
    }
}

impl Screening {
    /// The bundled rule books (US, EU, NL, JP, DE, KR, compiled) and the bundled party data, deciding by the
    /// rules in force on each row's date, proposals not adopted.
    pub fn bundled() -> Screening {
        Screening::new(examples::party_data()).with_compiled(examples::rulebooks::all())
    }

    /// No rule books yet, the given party data (the parties' locations, headquarters and Entity List entries),
    /// the rules in force on each row's date.
    pub fn new(party_data: PartyData) -> Screening {
        Screening {
            books: Vec::new(),
            parties: Arc::new(PartyMatcher::with_data(party_data, Vec::new())),
            scenario: Scenario::CURRENT,
            strict_parties: false,
        }
    }

    /// Adds compiled rule books (one per regime).
    pub fn with_compiled(mut self, books: Vec<&'static dyn Evaluator<Case = Transaction>>) -> Self {
        self.books.extend(books.into_iter().map(Book::Compiled));
        self.refresh_parties();
        self
    }

    /// Adds a JSON rule book, loaded and analysed: a book with contradictory rules is refused with the
    /// analysis' findings.
    pub fn with_json_book(mut self, json: &str) -> std::result::Result<Self, String> {
        let book = Interpreter::<Transaction>::from_json(json).map_err(|e| e.to_string())?;
        self.books.push(Book::Loaded(Arc::new(book)));
        self.refresh_parties();
        Ok(self)
    }

    /// The scenario used when the call does not name one.
    pub fn scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = scenario;
        self
    }

    /// Treats a party name close to a known party as an error of the row instead of a row for review.
    pub fn strict_parties(mut self, strict: bool) -> Self {
        self.strict_parties = strict;
        self
    }

    /// The regimes, in order.
    pub fn regimes(&self) -> Vec<&str> {
        self.books
            .iter()
            .map(|b| b.get().rule_set().regime())
            .collect()
    }

    /// The rule books' own parties join the party names that resolve (as in the screening program).
    fn refresh_parties(&mut self) {
        let mut known: Vec<control_core::Party> = Vec::new();
        for p in self.books.iter().flat_map(|b| b.get().rule_set().parties()) {
            if !known.iter().any(|k| k.id == p.id) {
                known.push(p.clone());
            }
        }
        if let Some(data) = self.parties.data() {
            self.parties = Arc::new(PartyMatcher::with_data(data.clone(), known));
        }
    }

    /// The scalar function, or an error when there is no rule book (every row would be "outside
    /// jurisdiction").
    pub fn udf(self) -> Result<ScalarUDF> {
        if self.books.is_empty() {
            return plan_err!(
                "no rule books: screening against none would call every row outside jurisdiction; add compiled \
                 books with `with_compiled` or JSON books with `with_json_book`"
            );
        }
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Ok(ScalarUDF::from(ScreenUdf {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            screening: Arc::new(self),
            signature: Signature::user_defined(Volatility::Immutable),
        }))
    }

    /// Registers `screen` on `ctx`.
    pub fn register(self, ctx: &SessionContext) -> Result<()> {
        ctx.register_udf(self.udf()?);
        Ok(())
    }
}

/// The call `screen(exporter, …, contract_date)` over columns named as the input's, for building queries.
pub fn screen_call() -> String {
    format!("{NAME}({})", column_list())
}

/// The input's columns as SQL identifiers, comma-separated (`"item.ccl"` is quoted).
pub fn column_list() -> String {
    COLUMNS
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_of(item: DataType, nullable: bool) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(item, nullable)))
}

fn rule_fields() -> Fields {
    Fields::from(vec![
        Field::new("rule", DataType::Utf8, false),
        Field::new("citation", DataType::Utf8, true),
    ])
}

fn regime_fields() -> Fields {
    Fields::from(vec![
        Field::new("regime", DataType::Utf8, false),
        Field::new("outcome", DataType::Utf8, true),
        Field::new("conflict", list_of(DataType::Utf8, true), true),
        Field::new("set_by", DataType::Utf8, true),
        Field::new(
            "rules",
            list_of(DataType::Struct(rule_fields()), true),
            false,
        ),
        Field::new("deciding_total", DataType::UInt64, true),
    ])
}

/// The fields of the struct `screen` returns, in order.
pub const SCREEN_FIELDS: [&str; 10] = [
    "status",
    "summary",
    "outcome",
    "decided_by",
    "failed",
    "regimes",
    "review",
    "error",
    "as_of",
    "proposals",
];

/// The struct `screen` returns.
pub fn screen_fields() -> Fields {
    Fields::from(vec![
        Field::new(SCREEN_FIELDS[0], DataType::Utf8, false),
        Field::new(SCREEN_FIELDS[1], DataType::Utf8, false),
        Field::new(SCREEN_FIELDS[2], DataType::Utf8, true),
        Field::new(SCREEN_FIELDS[3], list_of(DataType::Utf8, true), true),
        Field::new(SCREEN_FIELDS[4], list_of(DataType::Utf8, true), true),
        Field::new(
            SCREEN_FIELDS[5],
            list_of(DataType::Struct(regime_fields()), true),
            true,
        ),
        Field::new(SCREEN_FIELDS[6], list_of(DataType::Utf8, true), false),
        Field::new(SCREEN_FIELDS[7], DataType::Utf8, true),
        Field::new(SCREEN_FIELDS[8], DataType::Utf8, false),
        Field::new(SCREEN_FIELDS[9], DataType::Boolean, false),
    ])
}

struct ScreenUdf {
    /// Tells registrations apart (DataFusion compares functions; two configurations are two functions).
    id: u64,
    screening: Arc<Screening>,
    signature: Signature,
}

impl std::fmt::Debug for ScreenUdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreenUdf")
            .field("id", &self.id)
            .field("screening", &self.screening)
            .finish()
    }
}

impl PartialEq for ScreenUdf {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for ScreenUdf {}

impl Hash for ScreenUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn usage() -> String {
    format!(
        "{NAME} takes the {N} transaction columns in this order: {}; then, optionally, the as-of date \
         ('YYYY-MM-DD' or 'each_row_date') and whether proposals are adopted (true or false)",
        COLUMNS.join(", ")
    )
}

impl ScalarUDFImpl for ScreenUdf {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(screen_fields()))
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != N && arg_types.len() != N + 2 {
            return plan_err!(
                "{NAME} was given {} arguments: {}",
                arg_types.len(),
                usage()
            );
        }
        Ok(arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| match (i, t) {
                (i, _) if i == N + 1 => DataType::Boolean,
                (_, t) if is_text(t) => t.clone(),
                (i, DataType::Dictionary(k, v)) if i < N && is_text(v) => {
                    DataType::Dictionary(k.clone(), v.clone())
                }
                _ => DataType::Utf8,
            })
            .collect())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let scenario = scenario_of(&args.args, self.screening.scenario)?;
        let arrays: Vec<ArrayRef> = args.args[..N]
            .iter()
            .map(|a| a.to_array(n))
            .collect::<Result<_>>()?;
        let out = screen_arrays(&self.screening, scenario, &arrays, n)?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// The scenario the call names, else the registered one.
fn scenario_of(args: &[ColumnarValue], registered: Scenario) -> Result<Scenario> {
    if args.len() == N {
        return Ok(registered);
    }
    if args.len() != N + 2 {
        return exec_err!("{NAME} was given {} arguments: {}", args.len(), usage());
    }
    let as_of = match &args[N] {
        ColumnarValue::Scalar(
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)),
        ) => {
            if s.trim().eq_ignore_ascii_case("each_row_date") {
                None
            } else {
                Some(control_core::parse_date(s.trim()).map_err(|e| {
                    DataFusionError::Execution(format!(
                        "{NAME}: the as-of date `{s}` is not a date ('YYYY-MM-DD' or 'each_row_date'): {e}"
                    ))
                })?)
            }
        }
        _ => {
            return exec_err!(
                "{NAME}: the as-of date (argument {}) must be a constant text, 'YYYY-MM-DD' or 'each_row_date'",
                N + 1
            );
        }
    };
    let proposals = match &args[N + 1] {
        ColumnarValue::Scalar(ScalarValue::Boolean(Some(b))) => *b,
        _ => {
            return exec_err!(
                "{NAME}: whether proposals are adopted (argument {}) must be a constant true or false",
                N + 2
            );
        }
    };
    Ok(Scenario { as_of, proposals })
}

/// One column of a batch read: each distinct text's cell, and for each row the index of its cell.
struct Column {
    cells: Vec<Cell>,
    index: Vec<u32>,
}

/// Reads column `i`: each distinct value is parsed once (a dictionary's entries once each), a null is a
/// missing value.
fn read_column(i: usize, array: &dyn Array, n: usize, parties: &PartyMatcher) -> Result<Column> {
    if let Some(dict) = array.as_any_dictionary_opt() {
        let values = dict.values();
        let mut cells: Vec<Cell> = texts(i, values.as_ref())?
            .map(|v| input::cell(i, Some(v.unwrap_or("")), parties))
            .collect();
        let missing = cells.len() as u32;
        cells.push(input::cell(i, Some(""), parties));
        let keys = dict.normalized_keys();
        let index = (0..n)
            .map(|r| {
                if array.is_null(r) {
                    missing
                } else {
                    keys[r] as u32
                }
            })
            .collect();
        return Ok(Column { cells, index });
    }
    let mut seen: HashMap<Option<&str>, u32> = HashMap::new();
    let mut cells = Vec::new();
    let mut index = Vec::with_capacity(n);
    for v in texts(i, array)? {
        let k = *seen.entry(v).or_insert_with(|| {
            cells.push(input::cell(i, Some(v.unwrap_or("")), parties));
            (cells.len() - 1) as u32
        });
        index.push(k);
    }
    Ok(Column { cells, index })
}

/// The texts of a text array.
fn texts<'a>(
    i: usize,
    array: &'a dyn Array,
) -> Result<Box<dyn Iterator<Item = Option<&'a str>> + 'a>> {
    Ok(match array.data_type() {
        DataType::Utf8 => Box::new(array.as_string::<i32>().iter()),
        DataType::LargeUtf8 => Box::new(array.as_string::<i64>().iter()),
        DataType::Utf8View => Box::new(array.as_string_view().iter()),
        other => {
            return exec_err!(
                "{NAME}: column `{}` arrived as {other}, not text (the function's argument coercion casts it)",
                COLUMNS[i]
            );
        }
    })
}

/// Screens `n` rows given as the [`N`] input columns.
fn screen_arrays(
    screening: &Screening,
    scenario: Scenario,
    arrays: &[ArrayRef],
    n: usize,
) -> Result<StructArray> {
    let parties = screening.parties.as_ref();
    let columns: Vec<Column> = arrays
        .iter()
        .enumerate()
        .map(|(i, a)| read_column(i, a.as_ref(), n, parties))
        .collect::<Result<_>>()?;
    let books: Vec<&dyn Evaluator<Case = Transaction>> =
        screening.books.iter().map(Book::get).collect();
    let screener = Screener::new(books, scenario)
        .ok_or_else(|| DataFusionError::Plan(format!("{NAME}: no rule books")))?
        .strict_parties(screening.strict_parties);
    let mut out = Output::new(n);
    for r in 0..n {
        let (transaction, review) = input::assemble(
            |i| &columns[i].cells[columns[i].index[r] as usize],
            parties,
            scenario.as_of,
        );
        let row = InputRow {
            line: r + 1,
            id: None,
            transaction,
            review,
        };
        out.push(&screener.screen(&row));
    }
    out.finish()
}

/// The row in one text, to group by: the outcome when decided; otherwise why there is none.
pub fn summary(s: &Screened<'_>) -> String {
    match s.summary() {
        Some(Combined::Decided(outcome, _)) if s.status() == "needs_review" => {
            format!("needs review: {outcome}")
        }
        Some(Combined::Decided(outcome, _)) => outcome.to_string(),
        Some(Combined::Failed(regimes)) => format!("failed: {}", regimes.join(" ")),
        Some(Combined::NoJurisdiction) => "outside every regime's jurisdiction".into(),
        None => "unreadable".into(),
    }
}

/// Builds the result column.
struct Output {
    status: StringBuilder,
    summary: StringBuilder,
    outcome: StringBuilder,
    decided_by: ListBuilder<StringBuilder>,
    failed: ListBuilder<StringBuilder>,
    regimes_offsets: Vec<i32>,
    regimes_valid: Vec<bool>,
    regime: StringBuilder,
    regime_outcome: StringBuilder,
    conflict: ListBuilder<StringBuilder>,
    set_by: StringBuilder,
    deciding_total: UInt64Builder,
    rules_offsets: Vec<i32>,
    rule: StringBuilder,
    citation: StringBuilder,
    review: ListBuilder<StringBuilder>,
    error: StringBuilder,
    as_of: StringBuilder,
    proposals: BooleanBuilder,
}

impl Output {
    fn new(n: usize) -> Output {
        let mut regimes_offsets = Vec::with_capacity(n + 1);
        regimes_offsets.push(0);
        Output {
            status: StringBuilder::with_capacity(n, n * 8),
            summary: StringBuilder::with_capacity(n, n * 24),
            outcome: StringBuilder::with_capacity(n, n * 16),
            decided_by: ListBuilder::new(StringBuilder::new()),
            failed: ListBuilder::new(StringBuilder::new()),
            regimes_offsets,
            regimes_valid: Vec::with_capacity(n),
            regime: StringBuilder::new(),
            regime_outcome: StringBuilder::new(),
            conflict: ListBuilder::new(StringBuilder::new()),
            set_by: StringBuilder::new(),
            deciding_total: UInt64Builder::new(),
            rules_offsets: vec![0],
            rule: StringBuilder::new(),
            citation: StringBuilder::new(),
            review: ListBuilder::new(StringBuilder::new()),
            error: StringBuilder::new(),
            as_of: StringBuilder::with_capacity(n, n * 10),
            proposals: BooleanBuilder::with_capacity(n),
        }
    }

    fn push(&mut self, s: &Screened<'_>) {
        self.status.append_value(s.status());
        self.summary.append_value(summary(s));
        match s.scenario.as_of {
            Some(d) => self.as_of.append_value(d.to_string()),
            None => self.as_of.append_value("each_row_date"),
        }
        self.proposals.append_value(s.scenario.proposals);
        for p in s.review {
            self.review.values().append_value(format!(
                "{}: {} ~ {} ({})",
                p.column, p.written, p.candidate, p.score
            ));
        }
        self.review.append(true);
        match &s.result {
            Err(e) => {
                self.outcome.append_null();
                self.decided_by.append_null();
                self.failed.append_null();
                self.regimes_offsets
                    .push(*self.regimes_offsets.last().unwrap_or(&0));
                self.regimes_valid.push(false);
                self.error.append_value(e);
            }
            Ok(decisions) => {
                match s.summary() {
                    Some(Combined::Decided(outcome, by)) => {
                        self.outcome.append_value(outcome.to_string());
                        for r in by {
                            self.decided_by.values().append_value(r);
                        }
                        self.decided_by.append(true);
                        self.failed.append_null();
                    }
                    Some(Combined::Failed(regimes)) => {
                        self.outcome.append_null();
                        self.decided_by.append_null();
                        for r in regimes {
                            self.failed.values().append_value(r);
                        }
                        self.failed.append(true);
                    }
                    Some(Combined::NoJurisdiction) | None => {
                        self.outcome.append_null();
                        self.decided_by.append_null();
                        self.failed.append_null();
                    }
                }
                for (regime, d) in decisions {
                    let o = regime_out(regime, d);
                    self.regime.append_value(o.regime);
                    match o.outcome {
                        Some(x) => self.regime_outcome.append_value(x.to_string()),
                        None => self.regime_outcome.append_null(),
                    }
                    match o.conflict {
                        Some(pair) => {
                            for r in pair {
                                self.conflict.values().append_value(r);
                            }
                            self.conflict.append(true);
                        }
                        None => self.conflict.append_null(),
                    }
                    self.set_by.append_option(o.set_by);
                    self.deciding_total
                        .append_option(o.deciding_total.map(|t| t as u64));
                    for rule in &o.rules {
                        self.rule.append_value(rule.rule);
                        self.citation.append_option(rule.citation);
                    }
                    let last = *self.rules_offsets.last().unwrap_or(&0);
                    self.rules_offsets.push(last + o.rules.len() as i32);
                }
                let last = *self.regimes_offsets.last().unwrap_or(&0);
                self.regimes_offsets.push(last + decisions.len() as i32);
                self.regimes_valid.push(true);
                self.error.append_null();
            }
        }
    }

    fn finish(mut self) -> Result<StructArray> {
        let rules = StructArray::try_new(
            rule_fields(),
            vec![
                Arc::new(self.rule.finish()) as ArrayRef,
                Arc::new(self.citation.finish()),
            ],
            None,
        )?;
        let rules = ListArray::try_new(
            Arc::new(Field::new_list_field(DataType::Struct(rule_fields()), true)),
            OffsetBuffer::new(self.rules_offsets.into()),
            Arc::new(rules),
            None,
        )?;
        let regimes = StructArray::try_new(
            regime_fields(),
            vec![
                Arc::new(self.regime.finish()) as ArrayRef,
                Arc::new(self.regime_outcome.finish()),
                Arc::new(self.conflict.finish()),
                Arc::new(self.set_by.finish()),
                Arc::new(rules),
                Arc::new(self.deciding_total.finish()),
            ],
            None,
        )?;
        let regimes = ListArray::try_new(
            Arc::new(Field::new_list_field(
                DataType::Struct(regime_fields()),
                true,
            )),
            OffsetBuffer::new(self.regimes_offsets.into()),
            Arc::new(regimes),
            Some(NullBuffer::from(self.regimes_valid)),
        )?;
        Ok(StructArray::try_new(
            screen_fields(),
            vec![
                Arc::new(self.status.finish()) as ArrayRef,
                Arc::new(self.summary.finish()),
                Arc::new(self.outcome.finish()),
                Arc::new(self.decided_by.finish()),
                Arc::new(self.failed.finish()),
                Arc::new(regimes),
                Arc::new(self.review.finish()),
                Arc::new(self.error.finish()),
                Arc::new(self.as_of.finish()),
                Arc::new(self.proposals.finish()),
            ],
            None,
        )?)
    }
}

/// Registers `screen` on a session state: the state a Ballista scheduler or executor is built from (see the
/// `cluster` program). For a client context use [`ballista_standalone`] or [`ballista_remote`].
pub fn register_on_state(
    screening: Screening,
    state: &mut datafusion::execution::SessionState,
) -> Result<()> {
    use datafusion::execution::FunctionRegistry;
    state.register_udf(Arc::new(screening.udf()?))?;
    Ok(())
}

/// A context on an in-process Ballista cluster (a scheduler and an executor on loopback, Ballista's standalone
/// mode) with `screen` registered on all three: the scheduler and the executor are built from the state given,
/// and the client's state, which Ballista rebuilds with its own function list, gets it again. `config` is a
/// Ballista configuration (`SessionConfig::new_with_ballista()` and its settings).
pub async fn ballista_standalone(
    screening: Screening,
    config: datafusion::prelude::SessionConfig,
) -> Result<SessionContext> {
    use ballista::prelude::SessionContextExt;
    use datafusion::execution::FunctionRegistry;
    let udf = screening.udf()?;
    let mut state = datafusion::execution::SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    state.register_udf(Arc::new(udf.clone()))?;
    let ctx = SessionContext::standalone_with_state(state).await?;
    ctx.register_udf(udf);
    Ok(ctx)
}

/// A context on the Ballista cluster whose scheduler is at `url` (`df://host:50050`), with `screen`
/// registered on the client. The scheduler and executors must have it registered too, under the same
/// configuration: run them from the `cluster` program (or a copy of it with your `Screening`).
pub async fn ballista_remote(
    url: &str,
    screening: Screening,
    config: datafusion::prelude::SessionConfig,
) -> Result<SessionContext> {
    use ballista::prelude::SessionContextExt;
    let udf = screening.udf()?;
    let state = datafusion::execution::SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    let ctx = SessionContext::remote_with_state(url, state).await?;
    ctx.register_udf(udf);
    Ok(ctx)
}
