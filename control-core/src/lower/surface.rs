//! Surface rules: a rule set as its author wrote it, before it means anything. Names are names, values are
//! text, and every piece carries its origin `O` (a span in a `rules!` block, a JSON path in a document), so
//! that lowering can report each mistake where it was made. Front ends translate their syntax into these types
//! and know nothing of each other.

use crate::ir::CmpOp;
use crate::schema::Schema;
use crate::vocab::party::Party;

/// A piece of syntax and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T, O> {
    /// What was written.
    pub value: T,
    /// Where.
    pub at: O,
}

impl<T, O> Located<T, O> {
    /// `value` at `at`.
    pub fn new(value: T, at: O) -> Self {
        Located { value, at }
    }
}

/// A value as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SurfaceValue {
    /// Text: a literal in a `rules!` block, a JSON string.
    Text(String),
    /// A number, with its exact digits (a JSON number).
    Number(String),
    /// `true` or `false` (a JSON boolean).
    Bool(bool),
    /// Something that is no value at all, described for the error (`null`, `a list`, `an object`).
    Invalid(String),
}

/// A condition as written.
#[derive(Clone, Debug, PartialEq)]
pub enum SurfaceCondition<O> {
    /// Holds for every case.
    Always,
    /// Holds for no case.
    Never,
    /// Every part holds.
    All(Vec<SurfaceCondition<O>>),
    /// Some part holds.
    Any(Vec<SurfaceCondition<O>>),
    /// The part does not hold.
    Not(Box<SurfaceCondition<O>>),
    /// Tests of one field, which all must hold.
    Test {
        /// The field's name.
        field: Located<String, O>,
        /// The tests, each with where its operator was written.
        ops: Vec<Located<SurfaceOp<O>, O>>,
    },
}

/// What a test does with its field.
#[derive(Clone, Debug, PartialEq)]
pub enum SurfaceOp<O> {
    /// A boolean field is true.
    IsTrue,
    /// `==`
    Eq(Located<SurfaceValue, O>),
    /// `!=`
    Ne(Located<SurfaceValue, O>),
    /// One of the values.
    In(Vec<Located<SurfaceValue, O>>),
    /// None of the values.
    NotIn(Vec<Located<SurfaceValue, O>>),
    /// A member of the named country group.
    InGroup(Located<String, O>),
    /// Not a member of the named country group.
    NotInGroup(Located<String, O>),
    /// The control code or one below it.
    Under(Located<String, O>),
    /// `<`, `<=`, `>`, `>=`.
    Cmp(CmpOp, Located<SurfaceValue, O>),
    /// `lo..hi` or `lo..=hi`.
    Range {
        /// The lower bound, included.
        lo: Located<SurfaceValue, O>,
        /// The upper bound.
        hi: Located<SurfaceValue, O>,
        /// Whether `hi` is included.
        inclusive: bool,
    },
}

impl<O> SurfaceOp<O> {
    /// The operator as a rule author knows it, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            SurfaceOp::IsTrue => "is true",
            SurfaceOp::Eq(_) => "==",
            SurfaceOp::Ne(_) => "!=",
            SurfaceOp::In(_) => "in",
            SurfaceOp::NotIn(_) => "not in",
            SurfaceOp::InGroup(_) => "in group",
            SurfaceOp::NotInGroup(_) => "not in group",
            SurfaceOp::Under(_) => "under",
            SurfaceOp::Cmp(op, _) => op.symbol(),
            SurfaceOp::Range { .. } => "range",
        }
    }
}

/// An outcome as written: `licence_required(case_by_case)` is kind `licence_required`, argument
/// `case_by_case`.
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceOutcome<O> {
    /// The outcome's name.
    pub kind: Located<String, O>,
    /// Its argument: a review policy, or a licence exception's name.
    pub arg: Option<Located<String, O>>,
    /// The whole outcome.
    pub at: O,
}

/// A rule as written.
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceRule<O> {
    /// The name.
    pub name: Located<String, O>,
    /// What it is for.
    pub doc: String,
    /// The legal text.
    pub citation: Option<String>,
    /// First day in effect.
    pub from: Option<Located<SurfaceValue, O>>,
    /// First day no longer in effect.
    pub until: Option<Located<SurfaceValue, O>>,
    /// Marked proposed.
    pub proposed: bool,
    /// The rules it is an exception to.
    pub overrides: Vec<Located<String, O>>,
    /// Where `overrides` was written as a whole (the keyword, the list), if at all.
    pub overrides_at: Option<O>,
    /// Kept on purpose even if it can never decide.
    pub allow_dead: bool,
    /// Declared cumulative (`Some(true)`) or not (`Some(false)`); `None` takes the rule set's default.
    pub cumulative: Option<bool>,
    /// When it applies.
    pub when: Option<SurfaceCondition<O>>,
    /// What it decides.
    pub then: Option<SurfaceOutcome<O>>,
}

/// A country group defined in a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceGroup<O> {
    /// Its name.
    pub name: Located<String, O>,
    /// Its members, ISO codes as written.
    pub members: Vec<Located<SurfaceValue, O>>,
}

/// A territory treated as another country from a date, as written: `treat HK as CN from 2020-12-23`.
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceTreatment<O> {
    /// The territory.
    pub territory: Located<SurfaceValue, O>,
    /// The country it is read as.
    pub as_country: Located<SurfaceValue, O>,
    /// The first day.
    pub from: Located<SurfaceValue, O>,
    /// The legal text.
    pub citation: Option<String>,
}

/// A rule set as written. The schema is resolved by the front end, which knows how schemas are declared.
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceRuleSet<O> {
    /// The name.
    pub name: Located<String, O>,
    /// The regime, if named.
    pub regime: Option<String>,
    /// What it is.
    pub doc: String,
    /// The schema.
    pub schema: Schema,
    /// Where the schema was named or written, for mistakes in it.
    pub schema_at: O,
    /// The cases within the regime's jurisdiction (`None`: all).
    pub applies_when: Option<SurfaceCondition<O>>,
    /// Country groups defined here.
    pub groups: Vec<SurfaceGroup<O>>,
    /// Parties named in rules.
    pub parties: Vec<Party>,
    /// Territories the regime treats as other countries from a date.
    pub treatments: Vec<SurfaceTreatment<O>>,
    /// The control list `item` means in conditions (`CCL`, `NL`, …), if declared; otherwise the regime's.
    pub list: Option<Located<String, O>>,
    /// The default outcome.
    pub otherwise: Option<SurfaceOutcome<O>>,
    /// Where `complete` was declared, if it was.
    pub complete: Option<O>,
    /// Whether rules are cumulative unless they say otherwise.
    pub cumulative: bool,
    /// The rules.
    pub rules: Vec<SurfaceRule<O>>,
}
