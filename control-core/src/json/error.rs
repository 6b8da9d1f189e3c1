//! What can be wrong with a document, typed, with the JSON path of each problem, rendered in JSON terms.

use std::fmt;

use crate::analysis::{AnalysisError, Contradiction, DeadRule, Gap};
use crate::json::{FORMAT_VERSION, JsonSyntax};
use crate::lower::{LowerErrorKind, Misuse};

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
        LowerErrorKind::UnknownOutcome {
            outcome,
            suggestion: None,
        } => format!(
            "unknown outcome `{outcome}`: write `\"not_controlled\"`, `\"prohibited\"`, `{{\"licence_required\": \"case_by_case\"}}` (or another review policy) or `{{\"licence_exception\": \"NAC\"}}`"
        ),
        LowerErrorKind::Structure(crate::ir::StructureError::CumulativeOverride {
            rule_name,
            target,
            ..
        }) => format!(
            "rule `{rule_name}` overrides `{target}`, but both are cumulative requirements: they stack, and where both decide the stricter outcome applies; `overrides` would let `{rule_name}` silence `{target}`. Remove `\"{target}\"` from its `overrides`, or, if `{rule_name}` really is an exception to `{target}`, give it `\"cumulative\": false`"
        ),
        LowerErrorKind::Structure(crate::ir::StructureError::CumulativeException {
            rule_name,
            ..
        }) => format!(
            "rule `{rule_name}` grants a licence exception and is cumulative, but an exception does not stack with requirements: give it `\"cumulative\": false` and let it `overrides` the requirement it excepts"
        ),
        LowerErrorKind::Treatment { problem } => format!("in `treat`: {problem}"),
        LowerErrorKind::NoList { field, lists } => format!(
            "`{field}` means the item's classification under the rule set's control list, and this regime has no default one: add `\"list\": \"CCL\"` (or another of {}) to the rule set, or name the field (`\"item.ccl\"`)",
            lists.join(", ")
        ),
        LowerErrorKind::CodeOfOtherList {
            code,
            code_list,
            field,
            field_list,
            other_field,
        } => format!(
            "`{code}` is a code of list {code_list}, but `{field}` holds the item's classification under list {field_list}: codes of different lists are never compared; {}",
            match other_field {
                Some(o) => format!("test `\"field\": \"{o}\"` for it, or write the {field_list} code"),
                None => format!("write the {field_list} code"),
            }
        ),
        LowerErrorKind::GroupBeforeExistence {
            rule,
            group,
            exists_from,
            until,
        } => format!(
            "rule `{rule}` tests country group `{group}`, which exists only from {exists_from}, but the rule is in effect only until {until}: on every day it applies the group does not exist yet; test the countries themselves (`\"in\": [..]`), or move `until` after {exists_from}"
        ),
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
