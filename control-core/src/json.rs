//! Rule sets as JSON: the document format, loading with errors that carry the JSON path, and writing back.
//!
//! Loading has two phases. Serde reads the document's shape (unknown keys, wrong JSON types) and stops at the
//! first problem, with its path, line and column. Then every condition and value is checked against the schema,
//! and the rule set's structure (names, overrides, periods) is checked; those errors are all collected.
//!
//! ```
//! let json = r#"{
//!   "name": "nl_servicing", "regime": "NL", "schema": "Transaction",
//!   "otherwise": "not_controlled",
//!   "rules": [{
//!     "name": "servicing_lithography_cn",
//!     "from": "2023-09-01",
//!     "when": {"all": [{"field": "activity", "eq": "servicing"},
//!                      {"field": "item", "under": "3B001.f"},
//!                      {"field": "destination", "in": ["CN"]}]},
//!     "then": {"licence_required": "presumption_of_approval"}
//!   }]
//! }"#;
//! let rs = control_core::json::load_rule_set(json).unwrap(); // parsed, checked and analysed
//! assert_eq!(rs.rules().len(), 1);
//! let back = control_core::json::to_json(&rs);
//! assert_eq!(control_core::json::load_rule_set(&back).unwrap(), rs);
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysed, AnalysisError, Contradiction, DeadRule, Gap, Rejected, accept};
use crate::ir::{CmpOp, Condition, Fallback, Outcome, RuleSet, Status, StructureError, Test};
use crate::lower::{
    Located, LowerErrorKind, Misuse, SurfaceCondition, SurfaceGroup, SurfaceOp, SurfaceOutcome,
    SurfaceRule, SurfaceRuleSet, SurfaceValue, lower,
};
use crate::schema::{Schema, Value, json_kind};
use crate::vocab::party::Party;

/// The version of the rule-set document format this library reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A rule set document, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetDoc {
    /// The version of this document format, [`FORMAT_VERSION`]; a document without it is read as version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u32>,
    /// The rule set's name.
    pub name: String,
    /// The regime.
    pub regime: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// `"Transaction"` for the built-in schema, or a schema object.
    pub schema: serde_json::Value,
    /// The cases within the regime's jurisdiction (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<ConditionDoc>,
    /// Country groups defined here, by name: lists of ISO codes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Vec<serde_json::Value>>,
    /// Parties named in rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// The outcome for cases no rule decides: `"not_controlled"`, `{"licence_required": "case_by_case"}`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<serde_json::Value>,
    /// Declares that every case is decided by some rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    /// The rules.
    pub rules: Vec<RuleDoc>,
}

/// A rule, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// The name.
    pub name: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// The legal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// First day in effect, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<serde_json::Value>,
    /// First day no longer in effect, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<serde_json::Value>,
    /// `in_force` (default) or `proposed`.
    #[serde(default, skip_serializing_if = "is_in_force")]
    pub status: Status,
    /// Rules this one is an exception to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Kept on purpose even if it can never decide.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_dead: bool,
    /// When it applies (required; a rule without it is reported by the lowering, like in `rules!`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<ConditionDoc>,
    /// What it decides: `"prohibited"`, `{"licence_required": "presumption_of_denial"}`, … (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<serde_json::Value>,
}

fn is_in_force(s: &Status) -> bool {
    *s == Status::InForce
}

/// A condition, as written: exactly one of `all`, `any`, `not`, `always`, or a `field` with one or more
/// operators (several operators on one field all must hold: `{"field": "date", "ge": …, "lt": …}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ConditionDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<ConditionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<ConditionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<ConditionDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<serde_json::Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub le: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ge: Option<serde_json::Value>,
}

/// One problem found while loading, at a JSON path such as `rules[2].when.all[0].eq`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct LoadError {
    /// Where in the document.
    pub path: String,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong with a rule set document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// Not JSON, or JSON of the wrong shape (an unknown key, a string where a list belongs, …).
    #[error("{message} (line {line}, column {column})")]
    Syntax {
        /// Serde's message.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A mistake in the rules, found by the lowering shared with `rules!`; rendered in JSON terms.
    #[error("{}", render(.0))]
    Lower(#[source] LowerErrorKind),
    /// A condition or outcome object of the wrong shape.
    #[error("{0}")]
    Shape(ShapeError),
    /// The document declares a format version this library does not read.
    #[error(
        "this document is in format version {0}; this version of control-core reads version {FORMAT_VERSION}: upgrade control-core, or write the rule set in version {FORMAT_VERSION}"
    )]
    Format(u32),
    /// `schema` names a schema that is not built in; only `"Transaction"` is, others are written out.
    #[error("unknown schema `{schema}`{}: write \"Transaction\" or a schema object", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownSchema {
        /// The name written.
        schema: String,
        /// The nearest built-in schema.
        suggestion: Option<String>,
    },
    /// The schema object is malformed (serde's message), or `schema` is neither a name nor an object.
    #[error("{0}")]
    Schema(String),
    /// A finding of the analysis: a contradiction, a dead rule or a gap.
    #[error("{}", render_finding(.0))]
    Finding(Finding),
    /// The analysis could not finish.
    #[error("{0}")]
    Analysis(#[source] AnalysisError),
}

/// A finding of the analysis that rejects a rule set.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Finding {
    /// Two rules decide one case differently.
    Contradiction(Box<Contradiction>),
    /// A rule that can never decide.
    DeadRule(Box<DeadRule>),
    /// A case a complete rule set leaves undecided.
    Gap(Box<Gap>),
}

/// A finding in the words of the JSON format.
fn render_finding(f: &Finding) -> String {
    match f {
        Finding::Contradiction(c) => format!(
            "{} (the other rule is rules[{}])\n    case: {}\n    help: {}",
            c.message(),
            c.first,
            c.witness,
            c.fix().render(&JsonSyntax)
        ),
        Finding::DeadRule(d) => {
            format!("{}\n    help: {}", d.message(), d.fix().render(&JsonSyntax))
        }
        Finding::Gap(g) => format!(
            "{}\n    case: {}\n    help: {}",
            g.message(),
            g.witness,
            g.fix().render(&JsonSyntax)
        ),
    }
}

/// A JSON object that is not one kind of condition or outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShapeError {
    /// `{}`.
    #[error(
        "an empty condition: write one of `all`, `any`, `not`, `always`, or `field` with an operator"
    )]
    EmptyCondition,
    /// Two kinds of condition in one object.
    #[error(
        "a condition has exactly one of `all`, `any`, `not`, `always`, or `field` with operators; wrap several in `all`"
    )]
    SeveralKinds,
    /// Operators without `field`.
    #[error("an operator needs a `field` to test")]
    NoField,
    /// `field` without an operator.
    #[error("field `{0}` has no operator: add `eq`, `in`, `under`, `lt`, … to say what to test")]
    NoOperator(String),
    /// An outcome that is neither a name nor a one-key object.
    #[error(
        "expected an outcome: `\"not_controlled\"`, `\"prohibited\"`, `{{\"licence_required\": \"case_by_case\"}}` or `{{\"licence_exception\": \"NAC\"}}`, found {0}"
    )]
    Outcome(String),
}

/// A lowering error in the words of the JSON format.
fn render(kind: &LowerErrorKind) -> String {
    match kind {
        LowerErrorKind::UnknownParty { party, suggestion } => format!(
            "unknown party `{party}`: declare it under `parties`{}",
            suggestion
                .as_ref()
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default()
        ),
        LowerErrorKind::Operator {
            op,
            field,
            ty,
            misuse,
        } => {
            let op = match *op {
                "in group" => "in_group",
                other => other,
            };
            let hint = match misuse {
                Misuse::NotOrdered => "; only numbers and dates are ordered",
                Misuse::NotACode => "; `under` is for control codes, use `eq` or `in`",
                Misuse::NotACountry => "; groups are sets of countries",
                _ => "",
            };
            format!("`{op}` cannot be used on field `{field}`, which is {ty}{hint}")
        }
        LowerErrorKind::OutcomeNeedsPolicy { outcome } => format!(
            "`{outcome}` needs a review policy: `{{\"{outcome}\": \"case_by_case\"}}`, or `presumption_of_approval`, `presumption_of_denial`"
        ),
        LowerErrorKind::OutcomeNeedsException { outcome } => {
            format!("`{outcome}` needs the exception's name: `{{\"{outcome}\": \"NAC\"}}`")
        }
        LowerErrorKind::OutcomeTakesNoArgument { outcome } => {
            format!("`{outcome}` takes no argument: write `\"{outcome}\"`")
        }
        LowerErrorKind::BothFallbacks => {
            "give either `otherwise` or `\"complete\": true`, not both".into()
        }
        LowerErrorKind::NoFallback { .. } => "say what cases no rule decides get: `\"otherwise\": \"not_controlled\"` (or another outcome), or declare `\"complete\": true`".into(),
        other => other.to_string(),
    }
}

/// Every problem found in a document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "the rule set has {n} error{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

/// Reads a rule set from JSON text, checks its structure, and analyses it: a rule set with a contradiction, a
/// dead rule not marked `allow_dead`, or a gap (when declared complete) is rejected with every finding.
pub fn load_rule_set(text: &str) -> Result<Analysed, LoadErrors> {
    check_analysis(parse_rule_set(text)?)
}

/// Fixes in the words of the JSON document format.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonSyntax;

impl crate::analysis::Syntax for JsonSyntax {
    fn overrides(&self, rule: &str) -> String {
        format!("\"overrides\": [\"{rule}\"]")
    }
    fn allow_dead(&self) -> String {
        "\"allow_dead\": true".into()
    }
    fn complete(&self) -> String {
        "\"complete\": true".into()
    }
    fn otherwise(&self) -> String {
        "\"otherwise\"".into()
    }
}

/// Runs the analysis on a rule set and turns every finding that rejects it into a [`LoadError`] at the
/// offending rule's JSON path.
pub fn check_analysis(rs: RuleSet) -> Result<Analysed, LoadErrors> {
    let report = match accept(rs) {
        Ok(accepted) => return Ok(accepted),
        Err(Rejected::Findings { report, .. }) => report,
        Err(Rejected::Incomplete(e)) => {
            return Err(LoadErrors(vec![LoadError {
                path: "rules".into(),
                kind: LoadErrorKind::Analysis(e),
            }]));
        }
    };
    let mut errors = Vec::new();
    for c in &report.contradictions {
        errors.push(LoadError {
            path: format!("rules[{}]", c.second),
            kind: LoadErrorKind::Finding(Finding::Contradiction(Box::new(c.clone()))),
        });
    }
    for d in report.dead_rules.iter().filter(|d| !d.allowed) {
        errors.push(LoadError {
            path: format!("rules[{}]", d.rule),
            kind: LoadErrorKind::Finding(Finding::DeadRule(Box::new(d.clone()))),
        });
    }
    for g in &report.gaps {
        errors.push(LoadError {
            path: "complete".into(),
            kind: LoadErrorKind::Finding(Finding::Gap(Box::new(g.clone()))),
        });
    }
    Err(LoadErrors(errors))
}

/// Reads a rule set from JSON text and checks its structure, without the analysis.
pub fn parse_rule_set(text: &str) -> Result<RuleSet, LoadErrors> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let doc: RuleSetDoc = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let kind = LoadErrorKind::Syntax {
            message: strip_position(&inner.to_string()),
            line: inner.line(),
            column: inner.column(),
        };
        LoadErrors(vec![LoadError {
            path: if path == "." { "$".into() } else { path },
            kind,
        }])
    })?;
    from_doc(doc)
}

/// Serde appends " at line L column C"; the error carries those as fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Checks a parsed document and builds the rule set.
pub fn from_doc(doc: RuleSetDoc) -> Result<RuleSet, LoadErrors> {
    let mut errors = Vec::new();
    if let Some(v) = doc.format.filter(|v| *v != FORMAT_VERSION) {
        return Err(LoadErrors(vec![LoadError {
            path: "format".into(),
            kind: LoadErrorKind::Format(v),
        }]));
    }
    let schema = match &doc.schema {
        serde_json::Value::String(s) if s == "Transaction" => Schema::transaction().clone(),
        obj @ serde_json::Value::Object(_) => match serde_json::from_value::<Schema>(obj.clone()) {
            Ok(s) => s,
            Err(e) => {
                errors.push(LoadError {
                    path: "schema".into(),
                    kind: LoadErrorKind::Schema(e.to_string()),
                });
                return Err(LoadErrors(errors));
            }
        },
        serde_json::Value::String(name) => {
            return Err(LoadErrors(vec![LoadError {
                path: "schema".into(),
                kind: LoadErrorKind::UnknownSchema {
                    schema: name.clone(),
                    suggestion: crate::suggest::suggest(name, ["Transaction"]).map(str::to_owned),
                },
            }]));
        }
        other => {
            let msg = format!(
                "expected \"Transaction\" or a schema object, found {}",
                json_kind(other)
            );
            return Err(LoadErrors(vec![LoadError {
                path: "schema".into(),
                kind: LoadErrorKind::Schema(msg),
            }]));
        }
    };
    let mut shapes = Vec::new();
    let at = |value: &str, path: String| Located::new(value.to_owned(), path);
    let surface = SurfaceRuleSet {
        // The rule set's own mistakes (no `otherwise`, …) are the document's.
        name: at(&doc.name, "$".into()),
        regime: Some(doc.regime.clone()),
        doc: doc.doc.clone(),
        schema,
        applies_when: doc
            .applies_when
            .as_ref()
            .map(|c| surface_condition(c, "applies_when", &mut shapes)),
        groups: doc
            .groups
            .iter()
            .map(|(name, members)| {
                let path = format!("groups.{name}");
                let members = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Located::new(surface_value(m), format!("{path}[{i}]")))
                    .collect();
                SurfaceGroup {
                    name: at(name, path),
                    members,
                }
            })
            .collect(),
        parties: doc.parties.clone(),
        otherwise: doc
            .otherwise
            .as_ref()
            .and_then(|o| surface_outcome(o, "otherwise", &mut shapes)),
        complete: doc.complete.then(|| "complete".to_owned()),
        rules: doc
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| surface_rule(i, r, &mut shapes))
            .collect(),
    };
    // A shape error already stands for its condition; lowering what is left finds the other mistakes.
    let lowered = lower(&surface);
    let mut errors: Vec<LoadError> = shapes
        .into_iter()
        .map(|(path, e)| LoadError {
            path,
            kind: LoadErrorKind::Shape(e),
        })
        .collect();
    match lowered {
        Ok(rs) if errors.is_empty() => Ok(rs),
        Ok(_) => Err(LoadErrors(errors)),
        Err(lowering) => {
            errors.extend(lowering.into_iter().map(|e| {
                let path = match &e.kind {
                    LowerErrorKind::Structure(
                        StructureError::BadCaseDate(_) | StructureError::DuplicateField(_),
                    ) => "schema".to_owned(),
                    _ => e.at,
                };
                LoadError {
                    path,
                    kind: LoadErrorKind::Lower(e.kind),
                }
            }));
            // In document order: `rules[2]` before `rules[10]`, the document's own errors first.
            errors.sort_by_cached_key(|e| path_key(&e.path));
            Err(LoadErrors(errors))
        }
    }
}

/// A JSON path as a key that orders paths as the document does (indices as numbers).
fn path_key(path: &str) -> Vec<(String, u64)> {
    path.split(['.', '['])
        .map(
            |part| match part.strip_suffix(']').and_then(|n| n.parse().ok()) {
                Some(n) => (String::new(), n),
                None => (part.to_owned(), 0),
            },
        )
        .collect()
}

fn surface_rule(
    i: usize,
    r: &RuleDoc,
    shapes: &mut Vec<(String, ShapeError)>,
) -> SurfaceRule<String> {
    let p = format!("rules[{i}]");
    let date = |v: &Option<serde_json::Value>, key: &str| {
        v.as_ref()
            .map(|v| Located::new(surface_value(v), format!("{p}.{key}")))
    };
    SurfaceRule {
        name: Located::new(r.name.clone(), format!("{p}.name")),
        doc: r.doc.clone(),
        citation: r.citation.clone(),
        from: date(&r.from, "from"),
        until: date(&r.until, "until"),
        proposed: r.status == Status::Proposed,
        overrides: r
            .overrides
            .iter()
            .enumerate()
            .map(|(k, o)| Located::new(o.clone(), format!("{p}.overrides[{k}]")))
            .collect(),
        overrides_at: Some(format!("{p}.overrides")),
        allow_dead: r.allow_dead,
        when: r
            .when
            .as_ref()
            .map(|c| surface_condition(c, &format!("{p}.when"), shapes)),
        then: r.then.as_ref().map(|t| {
            let path = format!("{p}.then");
            // A malformed outcome is reported as a shape error; a stand-in keeps the lowering from also
            // reporting the rule as having none (a missing `then` is the lowering's to report).
            surface_outcome(t, &path, shapes).unwrap_or_else(|| SurfaceOutcome {
                kind: Located::new("not_controlled".into(), path.clone()),
                arg: None,
                at: path,
            })
        }),
    }
}

/// A JSON value as written.
fn surface_value(j: &serde_json::Value) -> SurfaceValue {
    match j {
        serde_json::Value::String(s) => SurfaceValue::Text(s.clone()),
        serde_json::Value::Number(n) => SurfaceValue::Number(n.to_string()),
        serde_json::Value::Bool(b) => SurfaceValue::Bool(*b),
        other => SurfaceValue::Invalid(json_kind(other)),
    }
}

/// `"prohibited"` or `{"licence_required": "case_by_case"}`.
fn surface_outcome(
    j: &serde_json::Value,
    path: &str,
    shapes: &mut Vec<(String, ShapeError)>,
) -> Option<SurfaceOutcome<String>> {
    match j {
        serde_json::Value::String(kind) => Some(SurfaceOutcome {
            kind: Located::new(kind.clone(), path.to_owned()),
            arg: None,
            at: path.to_owned(),
        }),
        serde_json::Value::Object(m) if m.len() == 1 => {
            let (kind, arg) = m.iter().next()?;
            let arg_path = format!("{path}.{kind}");
            let arg = match arg {
                serde_json::Value::String(a) => Located::new(a.clone(), arg_path),
                other => {
                    shapes.push((arg_path, ShapeError::Outcome(json_kind(other))));
                    return None;
                }
            };
            Some(SurfaceOutcome {
                kind: Located::new(kind.clone(), path.to_owned()),
                arg: Some(arg),
                at: path.to_owned(),
            })
        }
        other => {
            shapes.push((path.to_owned(), ShapeError::Outcome(json_kind(other))));
            None
        }
    }
}

/// The operators of a condition object, each with its key.
fn surface_ops(c: &ConditionDoc, path: &str) -> Vec<(&'static str, SurfaceOp<String>)> {
    let v =
        |key: &str, j: &serde_json::Value| Located::new(surface_value(j), format!("{path}.{key}"));
    let list = |key: &str, js: &[serde_json::Value]| {
        js.iter()
            .enumerate()
            .map(|(i, j)| Located::new(surface_value(j), format!("{path}.{key}[{i}]")))
            .collect()
    };
    let text = |key: &str, t: &str| Located::new(t.to_owned(), format!("{path}.{key}"));
    let mut ops = Vec::new();
    if let Some(j) = &c.eq {
        ops.push(("eq", SurfaceOp::Eq(v("eq", j))));
    }
    if let Some(j) = &c.ne {
        ops.push(("ne", SurfaceOp::Ne(v("ne", j))));
    }
    if let Some(js) = &c.in_ {
        ops.push(("in", SurfaceOp::In(list("in", js))));
    }
    if let Some(js) = &c.not_in {
        ops.push(("not_in", SurfaceOp::NotIn(list("not_in", js))));
    }
    if let Some(g) = &c.in_group {
        ops.push(("in_group", SurfaceOp::InGroup(text("in_group", g))));
    }
    if let Some(code) = &c.under {
        ops.push(("under", SurfaceOp::Under(text("under", code))));
    }
    for (key, op, bound) in [
        ("lt", CmpOp::Lt, &c.lt),
        ("le", CmpOp::Le, &c.le),
        ("gt", CmpOp::Gt, &c.gt),
        ("ge", CmpOp::Ge, &c.ge),
    ] {
        if let Some(j) = bound {
            ops.push((key, SurfaceOp::Cmp(op, v(key, j))));
        }
    }
    ops
}

/// A condition object as a surface condition; shape errors (not one kind of condition) are collected apart.
fn surface_condition(
    c: &ConditionDoc,
    path: &str,
    shapes: &mut Vec<(String, ShapeError)>,
) -> SurfaceCondition<String> {
    let ops = surface_ops(c, path);
    let kinds = [
        c.all.is_some(),
        c.any.is_some(),
        c.not.is_some(),
        c.always.is_some(),
        c.field.is_some() || !ops.is_empty(),
    ];
    let mut shape = |e| {
        shapes.push((path.to_owned(), e));
        SurfaceCondition::Always
    };
    match kinds.iter().filter(|k| **k).count() {
        0 => return shape(ShapeError::EmptyCondition),
        1 => {}
        _ => return shape(ShapeError::SeveralKinds),
    }
    if let Some(name) = &c.field {
        if ops.is_empty() {
            return shape(ShapeError::NoOperator(name.clone()));
        }
        return SurfaceCondition::Test {
            field: Located::new(name.clone(), format!("{path}.field")),
            ops: ops
                .into_iter()
                .map(|(key, op)| Located::new(op, format!("{path}.{key}")))
                .collect(),
        };
    }
    if !ops.is_empty() {
        return shape(ShapeError::NoField);
    }
    let sub = |cs: &[ConditionDoc], key: &str, shapes: &mut Vec<(String, ShapeError)>| {
        cs.iter()
            .enumerate()
            .map(|(i, c)| surface_condition(c, &format!("{path}.{key}[{i}]"), shapes))
            .collect()
    };
    if let Some(cs) = &c.all {
        SurfaceCondition::All(sub(cs, "all", shapes))
    } else if let Some(cs) = &c.any {
        SurfaceCondition::Any(sub(cs, "any", shapes))
    } else if let Some(inner) = &c.not {
        SurfaceCondition::Not(Box::new(surface_condition(
            inner,
            &format!("{path}.not"),
            shapes,
        )))
    } else if c.always == Some(false) {
        SurfaceCondition::Never
    } else {
        SurfaceCondition::Always
    }
}

/// The document of a rule set; loading it gives the rule set back.
pub fn to_doc(rs: &RuleSet) -> RuleSetDoc {
    let schema = rs.schema();
    let schema_json = if schema == Schema::transaction() {
        serde_json::Value::String("Transaction".into())
    } else {
        serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
    };
    RuleSetDoc {
        format: Some(FORMAT_VERSION),
        name: rs.name().to_owned(),
        regime: rs.regime().to_owned(),
        doc: rs.doc().to_owned(),
        schema: schema_json,
        applies_when: (*rs.applies_when() != Condition::Always)
            .then(|| condition_doc(schema, rs.applies_when())),
        groups: rs
            .groups()
            .iter()
            .map(|g| {
                let members = g.members.iter().map(|c| c.code().into()).collect();
                (g.name.clone(), members)
            })
            .collect(),
        parties: rs.parties().to_vec(),
        otherwise: match rs.fallback() {
            Fallback::Otherwise(o) => Some(outcome_json(o)),
            Fallback::Complete => None,
        },
        complete: *rs.fallback() == Fallback::Complete,
        rules: rs
            .rules()
            .iter()
            .map(|r| RuleDoc {
                name: r.name.clone(),
                doc: r.doc.clone(),
                citation: r.citation.clone(),
                from: r.period.from.map(|d| d.to_string().into()),
                until: r.period.until.map(|d| d.to_string().into()),
                status: r.status,
                overrides: r.overrides.clone(),
                allow_dead: r.allow_dead,
                when: Some(condition_doc(schema, &r.when)),
                then: Some(outcome_json(&r.then)),
            })
            .collect(),
    }
}

fn outcome_json(o: &Outcome) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or(serde_json::Value::Null)
}

/// A schema as JSON, in the form [`RuleSetDoc::schema`] takes.
pub fn schema_to_json(schema: &Schema) -> String {
    serde_json::to_string(schema).unwrap_or_default()
}

/// The rule set as pretty-printed JSON.
pub fn to_json(rs: &RuleSet) -> String {
    serde_json::to_string_pretty(&to_doc(rs)).unwrap_or_default()
}

fn condition_doc(schema: &Schema, c: &Condition) -> ConditionDoc {
    match c {
        Condition::Always => ConditionDoc {
            always: Some(true),
            ..Default::default()
        },
        Condition::All(cs) => ConditionDoc {
            all: Some(cs.iter().map(|c| condition_doc(schema, c)).collect()),
            ..Default::default()
        },
        Condition::Any(cs) => ConditionDoc {
            any: Some(cs.iter().map(|c| condition_doc(schema, c)).collect()),
            ..Default::default()
        },
        Condition::Not(c) => ConditionDoc {
            not: Some(Box::new(condition_doc(schema, c))),
            ..Default::default()
        },
        Condition::Test { field, test } => {
            let f = &schema.fields[*field];
            let j = |v: &Value| f.ty.value_to_json(v);
            let mut d = ConditionDoc {
                field: Some(f.name.clone()),
                ..Default::default()
            };
            match test {
                Test::Eq(v) => d.eq = Some(j(v)),
                Test::In { values, .. } => d.in_ = Some(values.iter().map(j).collect()),
                Test::InGroup { group, .. } => d.in_group = Some(group.clone()),
                Test::Under(code) => d.under = Some(code.to_string()),
                Test::Cmp(CmpOp::Lt, v) => d.lt = Some(j(v)),
                Test::Cmp(CmpOp::Le, v) => d.le = Some(j(v)),
                Test::Cmp(CmpOp::Gt, v) => d.gt = Some(j(v)),
                Test::Cmp(CmpOp::Ge, v) => d.ge = Some(j(v)),
            }
            d
        }
    }
}
