//! What can be wrong with surface rules, as data. Each error carries its origin; each front end renders the
//! kind in its own words (the `Display` text here is the front-end-neutral wording).

use std::fmt;

use crate::ir::StructureError;
use crate::schema::ValueError;

/// One mistake, where it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerError<O> {
    /// Where.
    pub at: O,
    /// What.
    pub kind: LowerErrorKind,
}

/// What an operator cannot be used on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Misuse {
    /// `<`, `<=`, `>`, `>=` or a range on a field that is not a number or a date.
    NotOrdered,
    /// `under` on a field that is not a control code.
    NotACode,
    /// A country group on a field that is not a country.
    NotACountry,
    /// A bare field as a condition, but it is not a boolean.
    NotABool,
}

/// What is wrong with a piece of surface syntax.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LowerErrorKind {
    /// A test names a field the schema does not have.
    #[error("unknown field `{field}`{}", hint(suggestion))]
    UnknownField {
        /// The name written.
        field: String,
        /// The nearest field.
        suggestion: Option<String>,
        /// The schema's name.
        schema: String,
        /// Every field of the schema.
        fields: Vec<String>,
    },
    /// A value that does not fit its field (a bad country, code, date, decimal, enum value, kind of value).
    #[error("{0}")]
    Value(#[source] ValueError),
    /// An operator the field's type does not support.
    #[error("`{op}` cannot be used on field `{field}`, which is {ty}")]
    Operator {
        /// The operator.
        op: &'static str,
        /// The field.
        field: String,
        /// The field's type, described.
        ty: String,
        /// Why not.
        misuse: Misuse,
    },
    /// A country group that is neither built in nor defined.
    #[error("unknown country group `{group}`{}", hint(suggestion))]
    UnknownGroup {
        /// The name written.
        group: String,
        /// The nearest group.
        suggestion: Option<String>,
        /// Every group that could be named.
        known: Vec<String>,
    },
    /// A party that no declared party or alias names.
    #[error("unknown party `{party}`{}", hint(suggestion))]
    UnknownParty {
        /// The name written.
        party: String,
        /// The nearest party id.
        suggestion: Option<String>,
    },
    /// An outcome name that is none of the outcomes.
    #[error("unknown outcome `{outcome}`{}", hint(suggestion))]
    UnknownOutcome {
        /// The name written.
        outcome: String,
        /// The nearest outcome.
        suggestion: Option<String>,
    },
    /// `not_controlled` or `prohibited` with an argument.
    #[error("`{outcome}` takes no argument")]
    OutcomeTakesNoArgument {
        /// The outcome as written.
        outcome: String,
    },
    /// `licence_required` without its review policy.
    #[error(
        "`{outcome}` needs a review policy: case_by_case, presumption_of_approval or presumption_of_denial"
    )]
    OutcomeNeedsPolicy {
        /// The outcome as written.
        outcome: String,
    },
    /// `licence_exception` without the exception's name.
    #[error("`{outcome}` needs the exception's name, such as NAC")]
    OutcomeNeedsException {
        /// The outcome as written.
        outcome: String,
    },
    /// A review policy that is none of the three.
    #[error("unknown review policy `{policy}`{}", hint(suggestion))]
    UnknownReviewPolicy {
        /// The name written.
        policy: String,
        /// The nearest policy.
        suggestion: Option<String>,
    },
    /// A rule without a condition.
    #[error("rule `{rule}` has no condition")]
    NoCondition {
        /// The rule.
        rule: String,
    },
    /// A rule without an outcome.
    #[error("rule `{rule}` has no outcome")]
    NoOutcome {
        /// The rule.
        rule: String,
    },
    /// A rule set that names no regime.
    #[error("rule set `{rule_set}` names no regime")]
    NoRegime {
        /// The rule set.
        rule_set: String,
    },
    /// Both an `otherwise` outcome and `complete`.
    #[error("a rule set is either complete or has an otherwise outcome, not both")]
    BothFallbacks,
    /// Neither an `otherwise` outcome nor `complete`.
    #[error("rule set `{rule_set}` does not say what cases no rule decides get")]
    NoFallback {
        /// The rule set.
        rule_set: String,
    },
    /// A code written with another list's prefix than the field's list.
    #[error(
        "`{code}` is a code of list {code_list}, but `{field}` holds codes of list {field_list}"
    )]
    CodeOfOtherList {
        /// The code as written.
        code: String,
        /// The list its prefix names.
        code_list: String,
        /// The field.
        field: String,
        /// The field's list.
        field_list: String,
        /// The field holding codes of the code's list, if the schema has one.
        other_field: Option<String>,
    },
    /// `item` in a rule set that reads no list.
    #[error("`{field}` names no field: the rule set reads no control list; declare one ({})", lists.join(", "))]
    NoList {
        /// What was written (`item`).
        field: String,
        /// The lists that can be declared.
        lists: Vec<String>,
    },
    /// A declared list that does not exist.
    #[error("unknown control list `{list}`{}; the lists: {}", hint(suggestion), lists.join(", "))]
    UnknownList {
        /// What was written.
        list: String,
        /// The nearest list.
        suggestion: Option<String>,
        /// Every list.
        lists: Vec<String>,
    },
    /// A fact of a role the schema does not have (`consignee.entity_list`).
    #[error("`{role}` is not a role of a party{}; the roles with facts: {}", hint(suggestion), roles.join(", "))]
    UnknownRole {
        /// The role written.
        role: String,
        /// The fact written.
        fact: String,
        /// The nearest role.
        suggestion: Option<String>,
        /// Roles that have facts.
        roles: Vec<String>,
    },
    /// A fact a role does not have (`purchaser.headquarters`).
    #[error("{role} has no fact `{fact}`{}; its facts: {}", hint(suggestion), facts.join(", "))]
    UnknownFact {
        /// The role (`any_party` for any of them).
        role: String,
        /// The fact written.
        fact: String,
        /// The nearest fact.
        suggestion: Option<String>,
        /// The facts it has.
        facts: Vec<String>,
    },
    /// A territory treated as itself, treated twice, or treated as a country that is itself treated.
    #[error("{problem}")]
    Treatment {
        /// What is wrong, in words.
        problem: String,
    },
    /// A rule tests a group only on dates before the group existed.
    #[error(
        "rule `{rule}` tests country group `{group}`, which exists only from {exists_from}, but the rule is in effect only until {until}: on every date it applies the group has no members yet"
    )]
    GroupBeforeExistence {
        /// The rule.
        rule: String,
        /// The group.
        group: String,
        /// When the group came into existence.
        exists_from: jiff::civil::Date,
        /// The rule's last day plus one.
        until: jiff::civil::Date,
    },
    /// A structural problem of the rule set (names, overrides, periods).
    #[error("{0}")]
    Structure(#[source] StructureError),
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

impl<O: fmt::Debug> fmt::Display for LowerError<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.at, self.kind)
    }
}

impl<O: fmt::Debug> std::error::Error for LowerError<O> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

/// Every mistake found in a surface rule set, in the order found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerErrors<O>(pub Vec<LowerError<O>>);

impl<O: fmt::Debug> fmt::Display for LowerErrors<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl<O: fmt::Debug> std::error::Error for LowerErrors<O> {}

impl<O> IntoIterator for LowerErrors<O> {
    type Item = LowerError<O>;
    type IntoIter = std::vec::IntoIter<LowerError<O>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
