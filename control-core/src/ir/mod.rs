//! The rule IR: conditions, outcomes, rules and rule sets, with the structural checks every rule set passes.
//!
//! A [`RuleSet`] can only be built through [`RuleSet::new`], which checks what must hold whatever the rule set
//! came from (a macro block or a JSON file): unique rule names, known and acyclic `overrides`, non-empty
//! periods, conditions that fit the schema. Errors name rules by position so that each front end can point at
//! its own source (a span, a JSON path). The semantics live in [`crate::semantics`]; this module only models.

mod condition;
mod outcome;

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use condition::{CmpOp, Condition, Test};
pub use outcome::{Outcome, ReviewPolicy};

use crate::schema::{FieldType, Schema};
use crate::suggest::suggest;
use crate::vocab::group::CountryGroup;
use crate::vocab::party::Party;

/// A rule's position in its rule set.
pub type RuleId = usize;
/// Whether a rule is law or a proposal.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Adopted.
    #[default]
    InForce,
    /// Asked for but not adopted; applies only in scenarios with proposals.
    Proposed,
}

/// When a rule is in effect: `[from, until)`, either end open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Period {
    /// First day in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// First day no longer in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl Period {
    /// Always in effect.
    pub const ALWAYS: Period = Period {
        from: None,
        until: None,
    };

    /// Whether `date` is inside the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }

    /// Whether no date is inside the period.
    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f >= u)
    }

    /// Whether both ends are open.
    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }
}

/// `from 2023-09-01 until 2024-01-01`, `from 2023-09-01`, `until 2024-01-01`, or `always`.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.from, self.until) {
            (None, None) => f.write_str("always"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (Some(a), Some(b)) => write!(f, "from {a} until {b}"),
        }
    }
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    /// Unique within the rule set.
    pub name: String,
    /// What the rule is for, and what about it is unconfirmed.
    pub doc: String,
    /// The legal text it encodes.
    pub citation: Option<String>,
    /// When it is in effect.
    pub period: Period,
    /// Law or proposal.
    pub status: Status,
    /// The rules this one is an exception to, by name.
    pub overrides: Vec<String>,
    /// Kept on purpose even if it can never decide a case.
    pub allow_dead: bool,
    /// A requirement that stacks: where it and other cumulative rules decide with different outcomes, the most
    /// restrictive applies (15 CFR 744.11(a): "in addition to"), instead of a contradiction.
    pub cumulative: bool,
    /// When it applies.
    pub when: Condition,
    /// What it decides.
    pub then: Outcome,
}

/// What a rule set decides for cases no rule decides.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Fallback {
    /// This outcome.
    Otherwise(Outcome),
    /// Nothing: the rule set declares itself complete, and a case no rule decides is an error.
    Complete,
}

/// A territory a regime treats as another from a date: the EAR treats Hong Kong as China from 23 Dec 2020
/// (85 FR 83765). Every test of a country field in the rule set reads `territory` as `as_country` on and after
/// `from`, so that no rule can forget it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Treatment {
    /// The territory.
    pub territory: crate::vocab::country::Country,
    /// The country it is treated as.
    #[serde(rename = "as")]
    pub as_country: crate::vocab::country::Country,
    /// The first day of the treatment.
    pub from: Date,
    /// The legal text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub citation: String,
}

/// The parts of a rule set, before the structural checks of [`RuleSet::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetParts {
    /// The rule set's name.
    pub name: String,
    /// The regime it encodes (`US`, `NL`, `JP`, …).
    pub regime: String,
    /// What it is.
    pub doc: String,
    /// The schema its cases have.
    pub schema: Schema,
    /// The cases the regime has jurisdiction over; other cases are outside it.
    pub applies_when: Condition,
    /// Country groups the rule set defines for itself.
    pub groups: Vec<CountryGroup>,
    /// Parties the rule set names.
    pub parties: Vec<Party>,
    /// Territories the regime treats as other countries, from a date.
    pub treatments: Vec<Treatment>,
    /// What cases no rule decides get.
    pub fallback: Fallback,
    /// The rules.
    pub rules: Vec<Rule>,
}

/// A structural problem in a rule set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StructureError {
    /// Two rules have one name.
    #[error(
        "rule `{name}` is defined twice (rules {first} and {second}); rule names must be unique"
    )]
    DuplicateRule {
        /// The name.
        name: String,
        /// The first rule with it.
        first: RuleId,
        /// The second.
        second: RuleId,
    },
    /// A rule overrides a rule that does not exist.
    #[error("rule `{rule_name}` overrides `{target}`, which is not a rule of this rule set{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownOverride {
        /// The overriding rule.
        rule: RuleId,
        /// Its name.
        rule_name: String,
        /// The name it gave.
        target: String,
        /// The nearest rule name.
        suggestion: Option<String>,
    },
    /// `overrides` goes round in a circle.
    #[error("`overrides` forms a cycle: {}; an exception cannot be an exception to itself", names.join(" overrides "))]
    OverrideCycle {
        /// The rules of the cycle, each overriding the next, the last overriding the first.
        rules: Vec<RuleId>,
        /// Their names, the first repeated at the end.
        names: Vec<String>,
    },
    /// `from` is not before `until`.
    #[error(
        "rule `{rule_name}` is in effect from {from} until {until}, which is no day at all; `until` must be after `from`"
    )]
    EmptyPeriod {
        /// The rule.
        rule: RuleId,
        /// Its name.
        rule_name: String,
        /// Start.
        from: Date,
        /// End.
        until: Date,
    },
    /// A period bound outside the date domain (years 0000 to 9999), which no case can reach.
    #[error(
        "rule `{rule_name}` is in effect {bound} {date}, outside the dates a case can hold (0000-01-01 to 9999-12-31)"
    )]
    DateOutOfDomain {
        /// The rule.
        rule: RuleId,
        /// Its name.
        rule_name: String,
        /// `from` or `until`.
        bound: &'static str,
        /// The date.
        date: Date,
    },
    /// A rule has a period but the schema has no date to check it against.
    #[error(
        "rule `{rule_name}` has an effective period, but schema `{schema}` names no case date field"
    )]
    PeriodWithoutCaseDate {
        /// The rule.
        rule: RuleId,
        /// Its name.
        rule_name: String,
        /// The schema.
        schema: String,
    },
    /// The schema's case date is not a date field.
    #[error("the case date `{0}` is not a field of type date in the schema")]
    BadCaseDate(String),
    /// A condition does not fit the schema (only possible for IR built by hand).
    #[error("{place}: {message}")]
    IllTyped {
        /// The rule, if the condition is a rule's (else the rule set's `applies_when`).
        rule: Option<RuleId>,
        /// "rule `x`" or "applies_when".
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A field's range is on a field that is not a decimal, or its minimum is above its maximum.
    #[error(
        "field `{0}` has a range, but only a decimal field can, from its minimum to its maximum"
    )]
    BadRange(String),
    /// Two fields of the schema have one name.
    #[error("the schema has two fields called `{0}`")]
    DuplicateField(String),
    /// A rule with an empty name.
    #[error("rule {0} has an empty name")]
    EmptyName(RuleId),
    /// A cumulative rule overrides another cumulative rule: two requirements that stack are not an exception
    /// to one another, and the override would let one silence the other.
    #[error(
        "rule `{rule_name}` overrides `{target}`, but both are cumulative requirements: they stack, and where both decide the stricter outcome applies; `overrides` would let `{rule_name}` silence `{target}`. Remove the override, or, if `{rule_name}` really is an exception to `{target}`, make it not cumulative"
    )]
    CumulativeOverride {
        /// The overriding rule.
        rule: RuleId,
        /// Its name.
        rule_name: String,
        /// Its position in the rule's `overrides`.
        index: usize,
        /// The overridden rule's name.
        target: String,
    },
    /// A licence exception declared cumulative: an exception does not stack with requirements, it excepts
    /// from one (and two exceptions would have no "stricter" one).
    #[error(
        "rule `{rule_name}` grants a licence exception and is declared cumulative, but an exception does not stack with requirements: make it not cumulative and let it `overrides` the requirement it excepts"
    )]
    CumulativeException {
        /// The rule.
        rule: RuleId,
        /// Its name.
        rule_name: String,
    },
}

/// Every structural problem of a rule set, in the order found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct StructureErrors(pub Vec<StructureError>);

impl IntoIterator for StructureErrors {
    type Item = StructureError;
    type IntoIter = std::vec::IntoIter<StructureError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A checked rule set: the IR every evaluator implements and the analysis reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    parts: RuleSetParts,
    /// For each rule, every rule that overrides it directly or transitively, ascending.
    overriders: Vec<Vec<RuleId>>,
    /// For each rule, the rules it overrides directly.
    overrides: Vec<Vec<RuleId>>,
    by_name: HashMap<String, RuleId>,
}

impl RuleSet {
    /// Checks `parts` and builds the rule set; every problem found is returned, not just the first.
    pub fn new(parts: RuleSetParts) -> Result<RuleSet, StructureErrors> {
        let mut errors = Vec::new();
        let mut seen_fields = HashMap::new();
        for f in &parts.schema.fields {
            if seen_fields.insert(f.name.as_str(), ()).is_some() {
                errors.push(StructureError::DuplicateField(f.name.clone()));
            }
        }
        for f in &parts.schema.fields {
            let bad = match (&f.ty, f.range) {
                (_, None) => false,
                (FieldType::Decimal, Some([lo, hi])) => lo > hi,
                (_, Some(_)) => true,
            };
            if bad {
                errors.push(StructureError::BadRange(f.name.clone()));
            }
        }
        if let Some(cd) = &parts.schema.case_date
            && !matches!(parts.schema.field(cd), Some((_, f)) if f.ty == FieldType::Date)
        {
            errors.push(StructureError::BadCaseDate(cd.clone()));
        }
        let mut by_name = HashMap::new();
        for (id, rule) in parts.rules.iter().enumerate() {
            if rule.name.trim().is_empty() {
                errors.push(StructureError::EmptyName(id));
            }
            if let Some(&first) = by_name.get(&rule.name) {
                errors.push(StructureError::DuplicateRule {
                    name: rule.name.clone(),
                    first,
                    second: id,
                });
            } else {
                by_name.insert(rule.name.clone(), id);
            }
            if let (true, Some(from), Some(until)) =
                (rule.period.is_empty(), rule.period.from, rule.period.until)
            {
                errors.push(StructureError::EmptyPeriod {
                    rule: id,
                    rule_name: rule.name.clone(),
                    from,
                    until,
                });
            }
            for (bound, d) in [("from", rule.period.from), ("until", rule.period.until)] {
                if let Some(date) = d.filter(|d| !crate::vocab::date_in_domain(*d)) {
                    errors.push(StructureError::DateOutOfDomain {
                        rule: id,
                        rule_name: rule.name.clone(),
                        bound,
                        date,
                    });
                }
            }
            if !rule.period.is_always() && parts.schema.case_date.is_none() {
                let schema = parts.schema.name.clone();
                errors.push(StructureError::PeriodWithoutCaseDate {
                    rule: id,
                    rule_name: rule.name.clone(),
                    schema,
                });
            }
            if let Err(message) = check_condition(&parts.schema, &rule.when) {
                errors.push(StructureError::IllTyped {
                    rule: Some(id),
                    place: format!("rule `{}`", rule.name),
                    message,
                });
            }
        }
        if let Err(message) = check_condition(&parts.schema, &parts.applies_when) {
            errors.push(StructureError::IllTyped {
                rule: None,
                place: "applies_when".into(),
                message,
            });
        }
        for (id, rule) in parts.rules.iter().enumerate() {
            if rule.cumulative && matches!(rule.then, Outcome::LicenceException(_)) {
                errors.push(StructureError::CumulativeException {
                    rule: id,
                    rule_name: rule.name.clone(),
                });
            }
        }
        let mut overrides = vec![Vec::new(); parts.rules.len()];
        for (id, rule) in parts.rules.iter().enumerate() {
            for (index, target) in rule.overrides.iter().enumerate() {
                match by_name.get(target) {
                    // A cumulative exception is reported as such (CumulativeException), not twice.
                    Some(&t)
                        if rule.cumulative
                            && parts.rules[t].cumulative
                            && !matches!(rule.then, Outcome::LicenceException(_))
                            && !matches!(parts.rules[t].then, Outcome::LicenceException(_)) =>
                    {
                        errors.push(StructureError::CumulativeOverride {
                            rule: id,
                            rule_name: rule.name.clone(),
                            index,
                            target: target.clone(),
                        });
                    }
                    Some(&t) => overrides[id].push(t),
                    None => errors.push(StructureError::UnknownOverride {
                        rule: id,
                        rule_name: rule.name.clone(),
                        target: target.clone(),
                        suggestion: suggest(target, parts.rules.iter().map(|r| r.name.as_str()))
                            .map(str::to_owned),
                    }),
                }
            }
            overrides[id].sort_unstable();
            overrides[id].dedup();
        }
        for cycle in find_cycles(&overrides) {
            let mut names: Vec<String> =
                cycle.iter().map(|&r| parts.rules[r].name.clone()).collect();
            names.push(names[0].clone());
            errors.push(StructureError::OverrideCycle {
                rules: cycle,
                names,
            });
        }
        if !errors.is_empty() {
            return Err(StructureErrors(errors));
        }
        let chains: Vec<bool> = parts.rules.iter().map(|r| !r.cumulative).collect();
        let overriders = transitive_overriders(&overrides, &chains);
        Ok(RuleSet {
            parts,
            overriders,
            overrides,
            by_name,
        })
    }

    /// The rule set's name.
    pub fn name(&self) -> &str {
        &self.parts.name
    }

    /// The regime it encodes.
    pub fn regime(&self) -> &str {
        &self.parts.regime
    }

    /// What it is.
    pub fn doc(&self) -> &str {
        &self.parts.doc
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.parts.schema
    }

    /// The cases the regime has jurisdiction over.
    pub fn applies_when(&self) -> &Condition {
        &self.parts.applies_when
    }

    /// User-defined country groups.
    pub fn groups(&self) -> &[CountryGroup] {
        &self.parts.groups
    }

    /// Territories treated as other countries (see [`Treatment`]).
    pub fn treatments(&self) -> &[Treatment] {
        &self.parts.treatments
    }

    /// Parties the rule set names.
    pub fn parties(&self) -> &[Party] {
        &self.parts.parties
    }

    /// What undecided cases get.
    pub fn fallback(&self) -> &Fallback {
        &self.parts.fallback
    }

    /// The rules.
    pub fn rules(&self) -> &[Rule] {
        &self.parts.rules
    }

    /// The rule called `name`.
    pub fn rule_id(&self, name: &str) -> Option<RuleId> {
        self.by_name.get(name).copied()
    }

    /// Rule `id`, if this rule set has it.
    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.parts.rules.get(id)
    }

    /// The rules `rule` overrides directly (none for an id this rule set does not have).
    pub fn overrides_of(&self, rule: RuleId) -> &[RuleId] {
        self.overrides.get(rule).map_or(&[], Vec::as_slice)
    }

    /// Every rule that overrides `rule`, directly or transitively, ascending (none for an id this rule set
    /// does not have). A rule is overridden where one of these applies.
    ///
    /// Overriding is transitive through rules that are not cumulative: an exception to an exception overrides
    /// the rule the first exception excepts. It does not chain through a cumulative rule, nor from one: a
    /// licence requirement that bars an exception (a part 744 requirement barring License Exception NAC)
    /// overrides the exception, not the requirement the exception excepts, which still decides beside it
    /// where the exception does not apply.
    pub fn overriders_of(&self, rule: RuleId) -> &[RuleId] {
        self.overriders.get(rule).map_or(&[], Vec::as_slice)
    }

    /// Whether `a` overrides `b`, directly or transitively (see [`RuleSet::overriders_of`]).
    pub fn overrides(&self, a: RuleId, b: RuleId) -> bool {
        self.overriders_of(b).binary_search(&a).is_ok()
    }

    /// The parts the rule set was built from.
    pub fn parts(&self) -> &RuleSetParts {
        &self.parts
    }

    /// Gives the parts back, to change and check again.
    pub fn into_parts(self) -> RuleSetParts {
        self.parts
    }
}

/// Checks that every test in `cond` names a field of `schema` and fits its type.
pub fn check_condition(schema: &Schema, cond: &Condition) -> Result<(), String> {
    for (field, test) in cond.tests() {
        let Some(f) = schema.fields.get(field) else {
            return Err(format!("field #{field} is not in schema `{}`", schema.name));
        };
        let fits = match test {
            Test::Eq(v) => f.ty.accepts(v),
            Test::In { values, .. } => values.iter().all(|v| f.ty.accepts(v)),
            Test::InGroup { .. } => f.ty == FieldType::Country,
            Test::Under(_) => f.ty == FieldType::Code,
            Test::Cmp(_, v) => f.ty.is_ordered() && f.ty.accepts(v),
        };
        if !fits {
            return Err(format!(
                "a test of field `{}` does not fit its type, {}",
                f.name,
                f.ty.describe()
            ));
        }
    }
    Ok(())
}

/// Every elementary cycle reachable in the override graph, each reported once, starting at its smallest rule.
fn find_cycles(edges: &[Vec<RuleId>]) -> Vec<Vec<RuleId>> {
    // Iterative DFS with colours; each back edge closes one cycle. Enough to name every rule on some cycle.
    let n = edges.len();
    let mut colour = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut cycles: Vec<Vec<RuleId>> = Vec::new();
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(RuleId, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let pos = stack.iter().position(|(r, _)| *r == to).unwrap_or(0);
                        let mut cycle: Vec<RuleId> = stack[pos..].iter().map(|(r, _)| *r).collect();
                        let min = cycle
                            .iter()
                            .enumerate()
                            .min_by_key(|(_, r)| **r)
                            .map_or(0, |(i, _)| i);
                        cycle.rotate_left(min);
                        if !cycles.contains(&cycle) {
                            cycles.push(cycle);
                        }
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    cycles.sort();
    cycles
}

/// For each rule, every rule from which it is reachable along `edges` (its direct and indirect overriders),
/// where a path may continue past a rule only if it `chains` (is not cumulative): a rule reaches its direct
/// targets, and, if it chains, whatever they reach through rules that chain.
fn transitive_overriders(edges: &[Vec<RuleId>], chains: &[bool]) -> Vec<Vec<RuleId>> {
    let n = edges.len();
    let mut result = vec![Vec::new(); n];
    for a in 0..n {
        // Everything `a` reaches is overridden by `a`.
        let mut seen = vec![false; n];
        let mut todo = edges[a].clone();
        while let Some(b) = todo.pop() {
            if !std::mem::replace(&mut seen[b], true) {
                result[b].push(a);
                if chains[a] && chains[b] {
                    todo.extend_from_slice(&edges[b]);
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cmp::Ordering;

    fn outcome() -> impl Strategy<Value = Outcome> {
        prop_oneof![
            Just(Outcome::NotControlled),
            "[A-Z]{3}".prop_map(Outcome::LicenceException),
            Just(Outcome::LicenceRequired(
                ReviewPolicy::PresumptionOfApproval
            )),
            Just(Outcome::LicenceRequired(ReviewPolicy::CaseByCase)),
            Just(Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial)),
            Just(Outcome::Prohibited),
        ]
    }

    proptest! {
        #[test]
        fn outcome_order_is_a_total_order(a in outcome(), b in outcome(), c in outcome()) {
            prop_assert_eq!(a.cmp(&a), Ordering::Equal);
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
            if a <= b && b <= c { prop_assert!(a <= c); }
            prop_assert_eq!(a.level() < b.level(), a < b && a.level() != b.level());
        }

        #[test]
        fn outcome_json_round_trip(a in outcome()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), a);
        }
    }

    #[test]
    fn restrictiveness_chain() {
        use ReviewPolicy::*;
        let chain = [
            Outcome::NotControlled,
            Outcome::LicenceException("NAC".into()),
            Outcome::LicenceRequired(PresumptionOfApproval),
            Outcome::LicenceRequired(CaseByCase),
            Outcome::LicenceRequired(PresumptionOfDenial),
            Outcome::Prohibited,
        ];
        assert!(chain.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            serde_json::to_string(&chain[4]).unwrap(),
            r#"{"licence_required":"presumption_of_denial"}"#
        );
        assert_eq!(
            serde_json::to_string(&chain[0]).unwrap(),
            r#""not_controlled""#
        );
    }

    #[test]
    fn periods_are_half_open() {
        let d = |m, day| jiff::civil::date(2024, m, day);
        let p = Period {
            from: Some(d(1, 1)),
            until: Some(d(3, 7)),
        };
        assert!(p.contains(d(1, 1)) && p.contains(d(3, 6)) && !p.contains(d(3, 7)));
        assert!(
            Period {
                from: Some(d(3, 7)),
                until: Some(d(3, 7))
            }
            .is_empty()
        );
        assert!(Period::ALWAYS.contains(d(5, 5)));
    }

    #[test]
    fn cycles_name_every_rule_once() {
        let edges = vec![vec![1], vec![2], vec![0], vec![3]];
        assert_eq!(find_cycles(&edges), vec![vec![0, 1, 2], vec![3]]);
        assert!(find_cycles(&[vec![1], vec![]]).is_empty());
    }

    #[test]
    fn overriders_are_transitive() {
        // 0 overrides 1, 1 overrides 2.
        let t = transitive_overriders(&[vec![1], vec![2], vec![]], &[true; 3]);
        assert_eq!(t, vec![vec![], vec![0], vec![0, 1]]);
    }

    #[test]
    fn overriding_does_not_chain_through_or_from_a_cumulative_rule() {
        // 0 (cumulative, bars the exception) overrides 1 (the exception), which overrides 2 (the requirement).
        let t = transitive_overriders(&[vec![1], vec![2], vec![]], &[false, true, true]);
        assert_eq!(t, vec![vec![], vec![0], vec![1]]);
        // 0 overrides 1 (cumulative), which overrides 2: 0 does not reach 2 through 1.
        let t = transitive_overriders(&[vec![1], vec![2], vec![]], &[true, false, true]);
        assert_eq!(t, vec![vec![], vec![0], vec![1]]);
    }
}
