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

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::analysis::{Analysed, Rejected, accept};
use crate::ir::{
    CmpOp, Condition, Fallback, Outcome, Period, Rule, RuleSet, RuleSetParts, Status,
    StructureError, Test,
};
use crate::schema::{FieldType, Schema, Value, ValueError, json_kind};
use crate::suggest::suggest;
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::group::{CountryGroup, CountrySet, builtin_group, builtin_groups};
use crate::vocab::party::{Party, PartyDirectory};

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
    /// Country groups defined here, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Vec<Country>>,
    /// Parties named in rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// The outcome for cases no rule decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Outcome>,
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
    /// First day in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// First day no longer in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// `in_force` (default) or `proposed`.
    #[serde(default, skip_serializing_if = "is_in_force")]
    pub status: Status,
    /// Rules this one is an exception to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Kept on purpose even if it can never decide.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_dead: bool,
    /// When it applies.
    pub when: ConditionDoc,
    /// What it decides.
    pub then: Outcome,
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct LoadError {
    /// Where in the document.
    pub path: String,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong with a rule set document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// A condition names a field the schema does not have.
    #[error("unknown field `{field}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownField {
        /// The name.
        field: String,
        /// The nearest field.
        suggestion: Option<String>,
    },
    /// A value that does not fit its field.
    #[error("{0}")]
    Value(ValueError),
    /// An operator the field's type does not support.
    #[error("`{op}` cannot be used on field `{field}`, which is {ty}{hint}")]
    Operator {
        /// The operator.
        op: &'static str,
        /// The field.
        field: String,
        /// The field's type, described.
        ty: String,
        /// How to fix it.
        hint: &'static str,
    },
    /// A condition object that is not exactly one kind of condition.
    #[error("{0}")]
    ConditionShape(String),
    /// `in_group` names a group that is neither built in nor defined.
    #[error("unknown country group `{group}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownGroup {
        /// The name.
        group: String,
        /// The nearest group name.
        suggestion: Option<String>,
    },
    /// A party value that names no declared party.
    #[error("unknown party `{party}`: declare it under `parties`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownParty {
        /// The name.
        party: String,
        /// The nearest party id.
        suggestion: Option<String>,
    },
    /// The document declares a format version this library does not read.
    #[error(
        "this document is in format version {0}; this version of control-core reads version {FORMAT_VERSION}: upgrade control-core, or write the rule set in version {FORMAT_VERSION}"
    )]
    Format(u32),
    /// The schema is neither `"Transaction"` nor a valid schema object.
    #[error("{0}")]
    Schema(String),
    /// Both or neither of `otherwise` and `complete`.
    #[error("{0}")]
    Fallback(&'static str),
    /// A structural problem (duplicate names, unknown or cyclic overrides, empty periods).
    #[error("{0}")]
    Structure(StructureError),
    /// A finding of the analysis: a contradiction, a dead rule or a gap.
    #[error("{message}{}\n    help: {help}", if case.is_empty() { String::new() } else { format!("\n    case: {case}") })]
    Finding {
        /// What is wrong.
        message: String,
        /// A case on which it happens (empty for dead rules).
        case: String,
        /// How to fix it.
        help: String,
    },
    /// The analysis could not finish.
    #[error("{0}")]
    Analysis(String),
}

/// Every problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
        Err(e) => {
            return Err(LoadErrors(vec![LoadError {
                path: "rules".into(),
                kind: LoadErrorKind::Analysis(e.to_string()),
            }]));
        }
    };
    let mut errors = Vec::new();
    for c in &report.contradictions {
        let message = format!("{} (the other rule is rules[{}])", c.message(), c.first);
        let kind = LoadErrorKind::Finding {
            message,
            case: c.witness.text.clone(),
            help: c.fix().render(&JsonSyntax),
        };
        errors.push(LoadError {
            path: format!("rules[{}]", c.second),
            kind,
        });
    }
    for d in report.dead_rules.iter().filter(|d| !d.allowed) {
        let kind = LoadErrorKind::Finding {
            message: d.message(),
            case: String::new(),
            help: d.fix().render(&JsonSyntax),
        };
        errors.push(LoadError {
            path: format!("rules[{}]", d.rule),
            kind,
        });
    }
    for g in &report.gaps {
        let kind = LoadErrorKind::Finding {
            message: g.message(),
            case: g.witness.text.clone(),
            help: g.fix().render(&JsonSyntax),
        };
        errors.push(LoadError {
            path: "complete".into(),
            kind,
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
        serde_json::Value::String(s) if s.eq_ignore_ascii_case("transaction") => {
            Schema::transaction().clone()
        }
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
    let groups: Vec<CountryGroup> = doc
        .groups
        .iter()
        .map(|(name, members)| {
            CountryGroup::user_defined(name.clone(), members.iter().copied().collect())
        })
        .collect();
    let parties = PartyDirectory::new(doc.parties.clone());
    let cx = Cx {
        schema: &schema,
        groups: &groups,
        parties: &parties,
    };

    let applies_when = match &doc.applies_when {
        Some(c) => cx.condition(c, "applies_when", &mut errors),
        None => Condition::Always,
    };
    let fallback = match (&doc.otherwise, doc.complete) {
        (Some(o), false) => Fallback::Otherwise(o.clone()),
        (None, true) => Fallback::Complete,
        (Some(_), true) => {
            let kind = LoadErrorKind::Fallback(
                "give either `otherwise` or `\"complete\": true`, not both",
            );
            errors.push(LoadError {
                path: "complete".into(),
                kind,
            });
            Fallback::Complete
        }
        (None, false) => {
            let kind = LoadErrorKind::Fallback(
                "say what cases no rule decides get: `\"otherwise\": \"not_controlled\"` (or another outcome), or declare `\"complete\": true`",
            );
            errors.push(LoadError {
                path: "$".into(),
                kind,
            });
            Fallback::Complete
        }
    };
    let rules: Vec<Rule> = doc
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| Rule {
            name: r.name.clone(),
            doc: r.doc.clone(),
            citation: r.citation.clone(),
            period: Period {
                from: r.from,
                until: r.until,
            },
            status: r.status,
            overrides: r.overrides.clone(),
            allow_dead: r.allow_dead,
            when: cx.condition(&r.when, &format!("rules[{i}].when"), &mut errors),
            then: r.then.clone(),
        })
        .collect();
    let parts = RuleSetParts {
        name: doc.name,
        regime: doc.regime,
        doc: doc.doc,
        schema,
        applies_when,
        groups,
        parties: doc.parties,
        fallback,
        rules,
    };
    match RuleSet::new(parts) {
        Ok(rs) if errors.is_empty() => Ok(rs),
        Ok(_) => Err(LoadErrors(errors)),
        Err(structural) => {
            errors.extend(structural.into_iter().map(|e| LoadError {
                path: structure_path(&e),
                kind: LoadErrorKind::Structure(e),
            }));
            Err(LoadErrors(errors))
        }
    }
}

fn structure_path(e: &StructureError) -> String {
    match e {
        StructureError::DuplicateRule { second, .. } => format!("rules[{second}].name"),
        StructureError::UnknownOverride { rule, .. } => format!("rules[{rule}].overrides"),
        StructureError::OverrideCycle { rules, .. } => format!("rules[{}].overrides", rules[0]),
        StructureError::EmptyPeriod { rule, .. } => format!("rules[{rule}].until"),
        StructureError::PeriodWithoutCaseDate { rule, .. } => format!("rules[{rule}].from"),
        StructureError::DateOutOfDomain { rule, bound, .. } => format!("rules[{rule}].{bound}"),
        StructureError::EmptyName(rule) => format!("rules[{rule}].name"),
        StructureError::IllTyped {
            rule: Some(rule), ..
        } => format!("rules[{rule}].when"),
        StructureError::IllTyped { rule: None, .. } => "applies_when".into(),
        StructureError::BadCaseDate(_) | StructureError::DuplicateField(_) => "schema".into(),
    }
}

/// What resolving a condition needs.
struct Cx<'a> {
    schema: &'a Schema,
    groups: &'a [CountryGroup],
    parties: &'a PartyDirectory,
}

impl Cx<'_> {
    fn condition(&self, c: &ConditionDoc, path: &str, errors: &mut Vec<LoadError>) -> Condition {
        let err =
            |errors: &mut Vec<LoadError>, p: String, kind| errors.push(LoadError { path: p, kind });
        let has_ops = c.eq.is_some()
            || c.ne.is_some()
            || c.in_.is_some()
            || c.not_in.is_some()
            || c.in_group.is_some()
            || c.under.is_some()
            || c.lt.is_some()
            || c.le.is_some()
            || c.gt.is_some()
            || c.ge.is_some();
        let kinds = [
            c.all.is_some(),
            c.any.is_some(),
            c.not.is_some(),
            c.always.is_some(),
            c.field.is_some() || has_ops,
        ];
        let n = kinds.iter().filter(|k| **k).count();
        if n != 1 {
            let msg = if n == 0 {
                "an empty condition: write one of `all`, `any`, `not`, `always`, or `field` with an operator".to_owned()
            } else {
                "a condition has exactly one of `all`, `any`, `not`, `always`, or `field` with operators; wrap several in `all`".to_owned()
            };
            err(errors, path.to_owned(), LoadErrorKind::ConditionShape(msg));
            return Condition::Always;
        }
        if let Some(cs) = &c.all {
            return Condition::All(
                cs.iter()
                    .enumerate()
                    .map(|(i, c)| self.condition(c, &format!("{path}.all[{i}]"), errors))
                    .collect(),
            );
        }
        if let Some(cs) = &c.any {
            return Condition::Any(
                cs.iter()
                    .enumerate()
                    .map(|(i, c)| self.condition(c, &format!("{path}.any[{i}]"), errors))
                    .collect(),
            );
        }
        if let Some(inner) = &c.not {
            return self
                .condition(inner, &format!("{path}.not"), errors)
                .negate();
        }
        if let Some(b) = c.always {
            return if b {
                Condition::Always
            } else {
                Condition::Any(Vec::new())
            };
        }
        let Some(name) = &c.field else {
            err(
                errors,
                path.to_owned(),
                LoadErrorKind::ConditionShape("an operator needs a `field` to test".into()),
            );
            return Condition::Always;
        };
        let Some((field, f)) = self.schema.field(name) else {
            let suggestion = self.schema.suggest_field(name).map(str::to_owned);
            err(
                errors,
                format!("{path}.field"),
                LoadErrorKind::UnknownField {
                    field: name.clone(),
                    suggestion,
                },
            );
            return Condition::Always;
        };
        if !has_ops {
            let msg = format!(
                "field `{name}` has no operator: add `eq`, `in`, `under`, `lt`, … to say what to test"
            );
            err(errors, path.to_owned(), LoadErrorKind::ConditionShape(msg));
            return Condition::Always;
        }
        let op_err = |op, hint| LoadErrorKind::Operator {
            op,
            field: name.clone(),
            ty: f.ty.describe(),
            hint,
        };
        let mut tests = Vec::new();
        let value =
            |j: &serde_json::Value, p: String, errors: &mut Vec<LoadError>| -> Option<Value> {
                match self.value(&f.ty, j) {
                    Ok(v) => Some(v),
                    Err(kind) => {
                        errors.push(LoadError { path: p, kind });
                        None
                    }
                }
            };
        if let Some(j) = &c.eq {
            if let Some(v) = value(j, format!("{path}.eq"), errors) {
                tests.push(Condition::eq(field, v));
            }
        }
        if let Some(j) = &c.ne {
            if let Some(v) = value(j, format!("{path}.ne"), errors) {
                tests.push(Condition::eq(field, v).negate());
            }
        }
        for (key, list, negate) in [("in", &c.in_, false), ("not_in", &c.not_in, true)] {
            if let Some(list) = list {
                let vals: Vec<Value> = list
                    .iter()
                    .enumerate()
                    .filter_map(|(i, j)| value(j, format!("{path}.{key}[{i}]"), errors))
                    .collect();
                let t = Condition::is_in(field, vals);
                tests.push(if negate { t.negate() } else { t });
            }
        }
        if let Some(g) = &c.in_group {
            if f.ty != FieldType::Country {
                err(
                    errors,
                    format!("{path}.in_group"),
                    op_err("in_group", "; groups are sets of countries"),
                );
            } else {
                match self.group(g) {
                    Some(members) => tests.push(Condition::Test {
                        field,
                        test: Test::InGroup {
                            group: g.clone(),
                            members,
                        },
                    }),
                    None => {
                        let names: Vec<String> = self
                            .groups
                            .iter()
                            .map(|g| g.name.clone())
                            .chain(builtin_groups().into_iter().map(|g| g.name))
                            .collect();
                        let suggestion =
                            suggest(g, names.iter().map(String::as_str)).map(str::to_owned);
                        err(
                            errors,
                            format!("{path}.in_group"),
                            LoadErrorKind::UnknownGroup {
                                group: g.clone(),
                                suggestion,
                            },
                        );
                    }
                }
            }
        }
        if let Some(code) = &c.under {
            if f.ty != FieldType::Code {
                err(
                    errors,
                    format!("{path}.under"),
                    op_err("under", "; `under` is for control codes, use `eq` or `in`"),
                );
            } else {
                match ControlCode::parse(code) {
                    Ok(code) => tests.push(Condition::under(field, code)),
                    Err(e) => err(
                        errors,
                        format!("{path}.under"),
                        LoadErrorKind::Value(ValueError::Code(e)),
                    ),
                }
            }
        }
        for (key, op, bound) in [
            ("lt", CmpOp::Lt, &c.lt),
            ("le", CmpOp::Le, &c.le),
            ("gt", CmpOp::Gt, &c.gt),
            ("ge", CmpOp::Ge, &c.ge),
        ] {
            if let Some(j) = bound {
                if !f.ty.is_ordered() {
                    err(
                        errors,
                        format!("{path}.{key}"),
                        op_err(op.symbol(), "; only numbers and dates are ordered"),
                    );
                } else if let Some(v) = value(j, format!("{path}.{key}"), errors) {
                    tests.push(Condition::cmp(field, op, v));
                }
            }
        }
        if tests.len() == 1 {
            tests.pop().unwrap_or(Condition::Always)
        } else {
            Condition::All(tests)
        }
    }

    fn value(&self, ty: &FieldType, json: &serde_json::Value) -> Result<Value, LoadErrorKind> {
        let v = ty.value_from_json(json).map_err(LoadErrorKind::Value)?;
        match v {
            Value::Party(p) => match self.parties.resolve(p.as_str()) {
                Some(party) => Ok(Value::Party(party.id.clone())),
                None => {
                    let ids = self.parties.parties().iter().map(|p| p.id.as_str());
                    Err(LoadErrorKind::UnknownParty {
                        party: p.to_string(),
                        suggestion: suggest(p.as_str(), ids).map(str::to_owned),
                    })
                }
            },
            v => Ok(v),
        }
    }

    fn group(&self, name: &str) -> Option<CountrySet> {
        self.groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.members)
            .or_else(|| builtin_group(name).map(|g| g.members))
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
            .map(|g| (g.name.clone(), g.members.iter().collect()))
            .collect(),
        parties: rs.parties().to_vec(),
        otherwise: match rs.fallback() {
            Fallback::Otherwise(o) => Some(o.clone()),
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
                from: r.period.from,
                until: r.period.until,
                status: r.status,
                overrides: r.overrides.clone(),
                allow_dead: r.allow_dead,
                when: condition_doc(schema, &r.when),
                then: r.then.clone(),
            })
            .collect(),
    }
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
