//! The semantics of DESIGN.md, as the reference evaluator every other evaluator must agree with.
//!
//! A rule *applies* to a case under a scenario when the scenario includes it (proposals only with proposals),
//! the effective date (the scenario's as-of date, else the case's date) is inside its period, and its condition
//! holds. The *deciding* rules are the applying rules that no other applying rule overrides, directly or
//! transitively; overriding chains through rules that are not cumulative only (see
//! [`RuleSet::overriders_of`]: a requirement that bars an exception does not silence the requirement the
//! exception excepts). Deciding rules that disagree are a conflict, unless every one of them is cumulative:
//! then the most restrictive outcome applies.
//! `decide` allocates nothing; `explain` gives the full audit trail.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ir::{Condition, Fallback, Outcome, RuleId, RuleSet, Status, Test, Treatment};
use crate::schema::{CaseView, ValueRef};

/// The world a case is evaluated in: which date's rules, and whether proposals are adopted.
///
/// ```
/// use control_core::Scenario;
/// let s = Scenario::as_of(jiff::civil::date(2024, 3, 7)).with_proposals();
/// assert!(s.proposals);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Scenario {
    /// The date whose rules apply; `None` means each case's own date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Whether proposed rules are treated as adopted.
    #[serde(default)]
    pub proposals: bool,
}

impl Scenario {
    /// Rules in force on each case's own date.
    pub const CURRENT: Scenario = Scenario {
        as_of: None,
        proposals: false,
    };

    /// Rules in force on `date`.
    #[must_use]
    pub fn as_of(date: Date) -> Scenario {
        Scenario {
            as_of: Some(date),
            proposals: false,
        }
    }

    /// The same scenario with the proposals adopted.
    #[must_use]
    pub fn with_proposals(self) -> Scenario {
        Scenario {
            proposals: true,
            ..self
        }
    }

    /// Whether a rule of `status` is part of this scenario.
    pub fn includes(&self, status: Status) -> bool {
        status == Status::InForce || self.proposals
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_of {
            Some(d) => write!(f, "as of {d}")?,
            None => f.write_str("as of each transaction's date")?,
        }
        f.write_str(if self.proposals {
            ", with proposals adopted"
        } else {
            ", rules in force only"
        })
    }
}

/// How many deciding rules a [`Decision`] keeps inline.
pub const INLINE_DECIDING: usize = 8;

/// The deciding rules of a decision, stored inline so that `decide` does not allocate.
///
/// Holds the first [`INLINE_DECIDING`] deciding rules in rule order; [`RuleIds::total`] counts all of them, and
/// [`Explanation`] lists all of them.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleIds {
    ids: [u32; INLINE_DECIDING],
    len: u8,
    total: u32,
}

impl RuleIds {
    /// No rules.
    pub const EMPTY: RuleIds = RuleIds {
        ids: [0; INLINE_DECIDING],
        len: 0,
        total: 0,
    };

    /// Adds a rule (counted, and kept if there is room).
    pub fn push(&mut self, id: RuleId) {
        if usize::from(self.len) < INLINE_DECIDING {
            self.ids[usize::from(self.len)] = id as u32;
            self.len += 1;
        }
        self.total += 1;
    }

    /// The kept rules, in rule order.
    pub fn iter(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.ids[..usize::from(self.len)]
            .iter()
            .map(|&i| i as RuleId)
    }

    /// How many rules there are in all.
    pub fn total(&self) -> usize {
        self.total as usize
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Whether every deciding rule is kept inline (at most [`INLINE_DECIDING`] decided).
    pub fn is_complete(&self) -> bool {
        self.total() == usize::from(self.len)
    }
}

impl fmt::Debug for RuleIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()?;
        if self.total() > usize::from(self.len) {
            write!(f, " (+{} more)", self.total() - usize::from(self.len))?;
        }
        Ok(())
    }
}

/// What a rule set says about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'r> {
    /// The deciding rules agree on this outcome.
    Decided(&'r Outcome),
    /// No rule applies; the rule set's `otherwise` outcome.
    Otherwise(&'r Outcome),
    /// No rule applies and the rule set declares itself complete: a gap (the analysis rejects these).
    Undecided,
    /// The case does not fit the rule set's schema (a [`crate::Record`] built for another schema): nothing
    /// was decided, and nothing may be concluded from it.
    Unfit,
    /// Two deciding rules disagree (the analysis rejects these): the first two, in rule order.
    Conflict {
        /// The first deciding rule.
        first: RuleId,
        /// The first later deciding rule with another outcome.
        second: RuleId,
    },
}

/// A decision: the verdict and the deciding rules. Allocation-free; borrows the rule set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a decision that is not looked at decides nothing"]
pub struct Decision<'r> {
    rule_set: &'r RuleSet,
    verdict: Verdict<'r>,
    deciding: RuleIds,
}

impl<'r> Decision<'r> {
    /// A decision; for evaluators (the interpreter, generated code) that compute verdicts themselves.
    pub fn new(rule_set: &'r RuleSet, verdict: Verdict<'r>, deciding: RuleIds) -> Decision<'r> {
        Decision {
            rule_set,
            verdict,
            deciding,
        }
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict<'r> {
        self.verdict
    }

    /// The outcome, unless the case is a conflict or a gap.
    pub fn outcome(&self) -> Option<&'r Outcome> {
        match self.verdict {
            Verdict::Decided(o) | Verdict::Otherwise(o) => Some(o),
            Verdict::Undecided | Verdict::Unfit | Verdict::Conflict { .. } => None,
        }
    }

    /// The deciding rules.
    pub fn deciding(&self) -> RuleIds {
        self.deciding
    }

    /// The names of the deciding rules kept inline.
    pub fn deciding_names(&self) -> impl Iterator<Item = &'r str> + '_ {
        let rules = self.rule_set.rules();
        self.deciding.iter().map(move |id| rules[id].name.as_str())
    }

    /// The rule set that decided.
    pub fn rule_set(&self) -> &'r RuleSet {
        self.rule_set
    }

    /// When deciding cumulative rules disagree, the one whose outcome (the most restrictive) was applied.
    /// Judged from the deciding rules kept inline; an [`Explanation`] judges from all of them.
    pub fn set_by(&self) -> Option<&'r str> {
        let Verdict::Decided(o) = self.verdict else {
            return None;
        };
        let rules = self.rule_set.rules();
        if self.deciding.iter().all(|id| rules[id].then == *o) {
            return None;
        }
        // The verdict borrows the setting rule's own outcome.
        rules
            .iter()
            .find(|r| std::ptr::eq(&r.then, o))
            .map(|r| r.name.as_str())
    }

    /// An owned, serialisable copy with rule names and citations.
    pub fn to_record(&self) -> DecisionRecord {
        let rules = self.rule_set.rules();
        let (kind, outcome, conflict) = match self.verdict {
            Verdict::Decided(o) => (VerdictKind::Decided, Some(o.clone()), None),
            Verdict::Otherwise(o) => (VerdictKind::Otherwise, Some(o.clone()), None),
            Verdict::Undecided => (VerdictKind::Undecided, None, None),
            Verdict::Unfit => (VerdictKind::Unfit, None, None),
            Verdict::Conflict { first, second } => (
                VerdictKind::Conflict,
                None,
                Some([rules[first].name.clone(), rules[second].name.clone()]),
            ),
        };
        DecisionRecord {
            rule_set: self.rule_set.name().to_owned(),
            regime: self.rule_set.regime().to_owned(),
            verdict: kind,
            outcome,
            deciding: self
                .deciding
                .iter()
                .map(|id| RuleRef::of(self.rule_set, id))
                .collect(),
            deciding_total: self.deciding.total(),
            conflict,
            outcome_set_by: self.set_by().map(str::to_owned),
        }
    }
}

impl Serialize for Decision<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_record().serialize(s)
    }
}

/// The kind of a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// Decided by rules.
    Decided,
    /// No rule applied; the `otherwise` outcome.
    Otherwise,
    /// A gap in a complete rule set.
    Undecided,
    /// Deciding rules disagree.
    Conflict,
    /// The case does not fit the rule set's schema.
    Unfit,
}

/// A rule, by name, with what an auditor needs to look it up.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleRef {
    /// The rule's name.
    pub name: String,
    /// Its outcome.
    pub outcome: Outcome,
    /// The legal text it encodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Law or proposal.
    pub status: Status,
    /// A requirement that stacks with other cumulative ones.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cumulative: bool,
}

impl RuleRef {
    fn of(rs: &RuleSet, id: RuleId) -> RuleRef {
        let r = &rs.rules()[id];
        RuleRef {
            name: r.name.clone(),
            outcome: r.then.clone(),
            citation: r.citation.clone(),
            status: r.status,
            cumulative: r.cumulative,
        }
    }
}

/// A [`Decision`] with names instead of references: owned, serialisable both ways.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// The rule set.
    pub rule_set: String,
    /// Its regime.
    pub regime: String,
    /// The kind of verdict.
    pub verdict: VerdictKind,
    /// The outcome, unless a conflict or a gap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The deciding rules. From [`Decision::to_record`] alone, at most [`INLINE_DECIDING`] (the decision did not
    /// allocate to keep more; `deciding_total` says how many there were); [`Explanation`]s and
    /// [`crate::Regimes`] list every one, for an audit record.
    pub deciding: Vec<RuleRef>,
    /// How many rules decided.
    pub deciding_total: usize,
    /// The two disagreeing rules, for a conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<[String; 2]>,
    /// When the deciding rules are cumulative requirements that disagree, the one that set the outcome (the
    /// most restrictive; the first in rule order among equals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_set_by: Option<String>,
}

/// One applying rule in an explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedRule {
    /// The rule.
    #[serde(flatten)]
    pub rule: RuleRef,
    /// Whether it is among the deciding rules.
    pub deciding: bool,
    /// The applying rules that override it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden_by: Vec<String>,
}

/// The full account of a decision: every applying rule, what overrode what, citations and the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The scenario.
    pub scenario: Scenario,
    /// The date whose rules were applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<Date>,
    /// Whether the case is within the regime's jurisdiction (`applies_when`).
    pub in_jurisdiction: bool,
    /// The decision, with every deciding rule.
    pub decision: DecisionRecord,
    /// Every applying rule, in rule order.
    pub applying: Vec<AppliedRule>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.decision;
        write!(f, "{} ({}), {}", d.regime, d.rule_set, self.scenario)?;
        if let Some(date) = self.effective_date {
            write!(f, ", effective date {date}")?;
        }
        writeln!(f)?;
        if !self.in_jurisdiction {
            writeln!(f, "  note: the case is outside this regime's jurisdiction")?;
        }
        match (&d.verdict, &d.outcome, &d.conflict) {
            (VerdictKind::Decided, Some(o), _) => match &d.outcome_set_by {
                Some(by) => writeln!(
                    f,
                    "  decision: {o} (the strictest of cumulative requirements, set by `{by}`)"
                )?,
                None => writeln!(f, "  decision: {o}")?,
            },
            (VerdictKind::Otherwise, Some(o), _) => writeln!(
                f,
                "  decision: {o} (no rule applies; the rule set's default)"
            )?,
            (VerdictKind::Conflict, _, Some([a, b])) => {
                writeln!(f, "  decision: CONFLICT between `{a}` and `{b}`")?
            }
            (VerdictKind::Unfit, _, _) => writeln!(
                f,
                "  decision: NONE (the case does not fit this rule set's schema)"
            )?,
            _ => writeln!(f, "  decision: UNDECIDED (no rule applies to this case)")?,
        }
        for a in &self.applying {
            let mark = match (a.deciding, a.rule.cumulative) {
                (true, true) => "decides, cumulative",
                (true, false) => "decides",
                (false, _) => "overridden",
            };
            write!(f, "  - {} [{}]: {}", a.rule.name, mark, a.rule.outcome)?;
            if a.rule.status == Status::Proposed {
                f.write_str(" (proposed)")?;
            }
            if !a.overridden_by.is_empty() {
                write!(f, ", overridden by {}", a.overridden_by.join(", "))?;
            }
            writeln!(f)?;
            if let Some(c) = &a.rule.citation {
                writeln!(f, "      citation: {c}")?;
            }
        }
        Ok(())
    }
}

/// What a condition is evaluated against beside the case: the effective date (group membership changes on
/// dates) and the territories the rule set treats as other countries.
///
/// ```
/// use control_core::{Country, Env, Treatment, parse_date};
/// let hk = [Treatment { territory: Country::HK, as_country: Country::CN, from: parse_date("2020-12-23").unwrap(), citation: String::new() }];
/// assert_eq!(Env::new(parse_date("2021-01-01").ok(), &hk).country(Country::HK), Country::CN);
/// assert_eq!(Env::new(parse_date("2020-12-22").ok(), &hk).country(Country::HK), Country::HK);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Env<'a> {
    /// The effective date, if known.
    pub date: Option<Date>,
    /// Territories read as other countries.
    pub treatments: &'a [Treatment],
}

impl<'a> Env<'a> {
    /// An environment on `date` with `treatments`.
    pub fn new(date: Option<Date>, treatments: &'a [Treatment]) -> Env<'a> {
        Env { date, treatments }
    }

    /// The country `c` is read as on the effective date.
    #[inline]
    pub fn country(&self, c: crate::vocab::country::Country) -> crate::vocab::country::Country {
        for t in self.treatments {
            if t.territory == c && self.date.is_some_and(|d| d >= t.from) {
                return t.as_country;
            }
        }
        c
    }
}

impl Condition {
    /// Whether the condition holds for `case` in `env`. A field the case lacks, or of another type, fails its
    /// test.
    pub fn holds<C: CaseView + ?Sized>(&self, case: &C, env: Env<'_>) -> bool {
        match self {
            Condition::Always => true,
            Condition::All(cs) => cs.iter().all(|c| c.holds(case, env)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(case, env)),
            Condition::Not(c) => !c.holds(case, env),
            Condition::Test { field, test } => case.get(*field).is_some_and(|v| {
                let v = match v {
                    ValueRef::Country(c) => ValueRef::Country(env.country(c)),
                    other => other,
                };
                test.holds(v, env.date)
            }),
        }
    }
}

impl Test {
    /// Whether `value` passes the test on the effective date `date` (group membership depends on it).
    pub fn holds(&self, value: ValueRef<'_>, date: Option<Date>) -> bool {
        match self {
            Test::Eq(v) => v.as_ref() == value,
            Test::In { values, countries } => match value {
                ValueRef::Country(c) => countries.contains(c),
                other => values.iter().any(|v| v.as_ref() == other),
            },
            Test::InGroup { members, .. } => {
                matches!(value, ValueRef::Country(c) if members.contains_on(c, date))
            }
            Test::Under(code) => matches!(value, ValueRef::Code(c) if c.is_under(code)),
            Test::Cmp(op, bound) => compare(value, bound.as_ref()).is_some_and(|o| op.holds(o)),
        }
    }
}

/// Orders two values of one ordered type; `None` across types.
fn compare(a: ValueRef<'_>, b: ValueRef<'_>) -> Option<Ordering> {
    match (a, b) {
        (ValueRef::Int(x), ValueRef::Int(y)) => Some(x.cmp(&y)),
        (ValueRef::Decimal(x), ValueRef::Decimal(y)) => Some(x.cmp(&y)),
        (ValueRef::Date(x), ValueRef::Date(y)) => Some(x.cmp(&y)),
        _ => None,
    }
}

impl RuleSet {
    /// The date whose rules apply to `case`: the scenario's as-of date, else the case's own date.
    pub fn effective_date<C: CaseView + ?Sized>(
        &self,
        case: &C,
        scenario: &Scenario,
    ) -> Option<Date> {
        scenario.as_of.or_else(
            || match self.schema().case_date_field().and_then(|f| case.get(f)) {
                Some(ValueRef::Date(d)) => Some(d),
                _ => None,
            },
        )
    }

    /// The environment conditions are evaluated in for `case` under `scenario`.
    pub fn env<C: CaseView + ?Sized>(&self, case: &C, scenario: &Scenario) -> Env<'_> {
        Env::new(self.effective_date(case, scenario), self.treatments())
    }

    /// Whether the case is within the regime's jurisdiction under `scenario` (group membership and treated
    /// territories are read on the effective date).
    pub fn in_jurisdiction<C: CaseView + ?Sized>(&self, case: &C, scenario: &Scenario) -> bool {
        self.applies_when().holds(case, self.env(case, scenario))
    }

    /// Whether rule `id` applies to `case` under `scenario`, on `date` (from [`RuleSet::effective_date`]).
    pub fn applies_on<C: CaseView + ?Sized>(
        &self,
        id: RuleId,
        case: &C,
        scenario: &Scenario,
        date: Option<Date>,
    ) -> bool {
        // An id of another rule set names no rule here: it applies to nothing.
        let Some(rule) = self.rule(id) else {
            return false;
        };
        scenario.includes(rule.status)
            && (rule.period.is_always() || date.is_some_and(|d| rule.period.contains(d)))
            && rule.when.holds(case, Env::new(date, self.treatments()))
    }

    /// Whether rule `id` applies to `case` under `scenario`.
    pub fn applies<C: CaseView + ?Sized>(&self, id: RuleId, case: &C, scenario: &Scenario) -> bool {
        self.applies_on(id, case, scenario, self.effective_date(case, scenario))
    }

    /// Decides `case` by the definition: the reference semantics. Allocates nothing.
    pub fn decide<C: CaseView + ?Sized>(&self, case: &C, scenario: &Scenario) -> Decision<'_> {
        let date = self.effective_date(case, scenario);
        let deciding = (0..self.rules().len()).filter(|&id| {
            self.applies_on(id, case, scenario, date)
                && !self
                    .overriders_of(id)
                    .iter()
                    .any(|&o| self.applies_on(o, case, scenario, date))
        });
        self.conclude(deciding)
    }

    /// The decision given the deciding rules in rule order: their outcome if they agree; the most restrictive
    /// if they disagree and every one is cumulative (requirements that stack); else a conflict between a rule
    /// that is not cumulative and the first rule, in rule order, that disagrees with it. No rule: the fallback.
    /// Every evaluator ends here. Allocates nothing.
    pub fn conclude(&self, deciding: impl Iterator<Item = RuleId>) -> Decision<'_> {
        let rules = self.rules();
        let mut ids = RuleIds::EMPTY;
        let mut first: Option<RuleId> = None;
        // The first rule that disagrees with `first`, and the most restrictive so far (first among equals).
        let mut differs: Option<RuleId> = None;
        let mut strictest: Option<RuleId> = None;
        // The first rule that is not cumulative, and the conflict it is in, if any.
        let mut exclusive: Option<RuleId> = None;
        let mut conflict: Option<(RuleId, RuleId)> = None;
        // Ids this rule set does not have name no rule; evaluators pass only their own.
        for id in deciding.filter(|&id| id < rules.len()) {
            ids.push(id);
            let r = &rules[id];
            let f = *first.get_or_insert(id);
            if differs.is_none() && r.then != rules[f].then {
                differs = Some(id);
            }
            if strictest.is_none_or(|m| r.then.level() > rules[m].then.level()) {
                strictest = Some(id);
            }
            if conflict.is_some() {
                continue;
            }
            match exclusive {
                None if !r.cumulative => {
                    exclusive = Some(id);
                    // Every rule before it: does one disagree with it? They all agree with `first` unless
                    // `differs` is one of them.
                    let earlier = if rules[f].then != r.then {
                        Some(f)
                    } else {
                        differs.filter(|&d| d != id)
                    };
                    conflict = earlier.map(|e| (e, id));
                }
                Some(x) if r.then != rules[x].then => conflict = Some((x, id)),
                _ => {}
            }
        }
        let verdict = match (first, conflict) {
            (_, Some((a, b))) => Verdict::Conflict {
                first: a.min(b),
                second: a.max(b),
            },
            (Some(f), None) => match (differs, strictest) {
                // Cumulative requirements that disagree: the strictest applies.
                (Some(_), Some(m)) => Verdict::Decided(&rules[m].then),
                _ => Verdict::Decided(&rules[f].then),
            },
            (None, None) => match self.fallback() {
                Fallback::Otherwise(o) => Verdict::Otherwise(o),
                Fallback::Complete => Verdict::Undecided,
            },
        };
        Decision::new(self, verdict, ids)
    }

    /// Explains the decision on `case`: every applying rule, which overrode which, the citations.
    pub fn explain<C: CaseView + ?Sized>(&self, case: &C, scenario: &Scenario) -> Explanation {
        let date = self.effective_date(case, scenario);
        let applying: Vec<RuleId> = (0..self.rules().len())
            .filter(|&id| self.applies_on(id, case, scenario, date))
            .collect();
        let decision = self.decide(case, scenario);
        let mut record = decision.to_record();
        let mut rows = Vec::with_capacity(applying.len());
        let mut all_deciding = Vec::new();
        for &id in &applying {
            let overridden_by: Vec<String> = self
                .overriders_of(id)
                .iter()
                .filter(|o| applying.binary_search(o).is_ok())
                .map(|&o| self.rules()[o].name.clone())
                .collect();
            let deciding = overridden_by.is_empty();
            if deciding {
                all_deciding.push(RuleRef::of(self, id));
            }
            rows.push(AppliedRule {
                rule: RuleRef::of(self, id),
                deciding,
                overridden_by,
            });
        }
        // Which rule set the outcome, judged from every deciding rule.
        record.outcome_set_by = match &record.outcome {
            Some(o)
                if record.verdict == VerdictKind::Decided
                    && all_deciding.iter().any(|r| r.outcome != *o) =>
            {
                all_deciding
                    .iter()
                    .find(|r| r.outcome == *o)
                    .map(|r| r.name.clone())
            }
            _ => None,
        };
        record.deciding = all_deciding;
        Explanation {
            scenario: *scenario,
            effective_date: date,
            in_jurisdiction: self.in_jurisdiction(case, scenario),
            decision: record,
            applying: rows,
        }
    }
}
