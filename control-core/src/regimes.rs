//! Multi-regime evaluation: one case against several regimes' rule sets.
//!
//! Each regime's decision is reported on its own; the summary follows DESIGN.md's "Screening fails closed": the
//! most restrictive outcome among the regimes with jurisdiction, given only when at least one of them decided
//! and none failed (a conflict, a gap, a case that does not fit its schema). A row no regime covers says so.
//! [`combine`] is that rule, shared by [`Regimes::evaluate`] and by screening.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::evaluator::Evaluator;
use crate::ir::Outcome;
use crate::schema::CaseView;
use crate::semantics::{Decision, DecisionRecord, Scenario, Verdict};

/// Several regimes' rule sets over one case type.
pub struct Regimes<'a, C: ?Sized> {
    members: Vec<&'a dyn Evaluator<Case = C>>,
}

impl<C: CaseView + ?Sized> fmt::Debug for Regimes<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.members.iter().map(|m| m.rule_set().name()))
            .finish()
    }
}

impl<C: ?Sized> Default for Regimes<'_, C> {
    fn default() -> Self {
        Regimes {
            members: Vec::new(),
        }
    }
}

/// One regime's part of a [`MultiDecision`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegimeDecision {
    /// The regime.
    pub regime: String,
    /// Its rule set.
    pub rule_set: String,
    /// Whether the case is within its jurisdiction.
    pub in_jurisdiction: bool,
    /// Its decision, when in jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRecord>,
}

/// Regimes named by a [`Combined`]: up to four in place, more on the heap (a screener combines once per row,
/// and rarely more than two regimes give the outcome).
pub type RegimeNames<'r> = smallvec::SmallVec<[&'r str; 4]>;

/// What several regimes' decisions on one case add up to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Combined<'r> {
    /// Every regime with jurisdiction decided: the most restrictive outcome and the regimes that give it.
    Decided(&'r Outcome, RegimeNames<'r>),
    /// No regime has jurisdiction: nothing was decided, which is not "not controlled".
    NoJurisdiction,
    /// These regimes with jurisdiction could not decide (a conflict, a gap, a case that does not fit): the case
    /// has no outcome, whatever the others said.
    Failed(RegimeNames<'r>),
}

/// Whether the summary has an outcome, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryStatus {
    /// Every regime with jurisdiction decided.
    Decided,
    /// No regime has jurisdiction.
    OutsideJurisdiction,
    /// A regime with jurisdiction could not decide.
    Failed,
}

impl Combined<'_> {
    /// The status.
    pub fn status(&self) -> SummaryStatus {
        match self {
            Combined::Decided(..) => SummaryStatus::Decided,
            Combined::NoJurisdiction => SummaryStatus::OutsideJurisdiction,
            Combined::Failed(_) => SummaryStatus::Failed,
        }
    }
}

/// Combines the decisions of the regimes with jurisdiction over one case (regime, decision).
pub fn combine<'r>(decisions: &[(&'r str, Decision<'r>)]) -> Combined<'r> {
    let failed: RegimeNames<'r> = decisions
        .iter()
        .filter(|(_, d)| d.outcome().is_none())
        .map(|(r, _)| *r)
        .collect();
    if !failed.is_empty() {
        return Combined::Failed(failed);
    }
    let best = decisions
        .iter()
        .filter_map(|(_, d)| d.outcome())
        .max_by_key(|o| o.level());
    match best {
        None => Combined::NoJurisdiction,
        Some(best) => Combined::Decided(
            best,
            decisions
                .iter()
                .filter(|(_, d)| d.outcome().is_some_and(|o| o.level() == best.level()))
                .map(|(r, _)| *r)
                .collect(),
        ),
    }
}

/// The summary over regimes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Whether there is an outcome, and if not, why.
    pub status: SummaryStatus,
    /// The most restrictive outcome among the regimes with jurisdiction, when every one of them decided
    /// (`status` is `decided`); `None` otherwise.
    pub outcome: Option<Outcome>,
    /// The regimes that give that outcome.
    pub decided_by: Vec<String>,
    /// Regimes whose rules conflict on this case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// Regimes that leave this case undecided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided: Vec<String>,
    /// Regimes whose schema the case does not fit: they decided nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unfit: Vec<String>,
}

/// Every regime's decision on one case, and the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultiDecision {
    /// The scenario.
    pub scenario: Scenario,
    /// Each regime, in the order added.
    pub regimes: Vec<RegimeDecision>,
    /// The most restrictive outcome.
    pub summary: Summary,
}

impl<'a, C: CaseView + ?Sized> Regimes<'a, C> {
    /// No regimes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a regime.
    pub fn with(mut self, evaluator: &'a dyn Evaluator<Case = C>) -> Self {
        self.members.push(evaluator);
        self
    }

    /// The regimes' evaluators.
    pub fn members(&self) -> &[&'a dyn Evaluator<Case = C>] {
        &self.members
    }

    /// Evaluates `case` against every regime.
    pub fn evaluate(&self, case: &C, scenario: &Scenario) -> MultiDecision {
        let mut regimes = Vec::with_capacity(self.members.len());
        let mut decided: Vec<(&str, Decision<'_>)> = Vec::new();
        for m in &self.members {
            let rs = m.rule_set();
            let in_jurisdiction = m.in_jurisdiction(case, scenario);
            let decision = in_jurisdiction.then(|| {
                let d = m.decide(case, scenario);
                decided.push((rs.regime(), d));
                if d.deciding().is_complete() {
                    d.to_record()
                } else {
                    // More deciding rules than a decision keeps inline: the audit record lists them all.
                    m.explain(case, scenario).decision
                }
            });
            regimes.push(RegimeDecision {
                regime: rs.regime().to_owned(),
                rule_set: rs.name().to_owned(),
                in_jurisdiction,
                decision,
            });
        }
        let combined = combine(&decided);
        let named = |kind: fn(&Verdict<'_>) -> bool| -> Vec<String> {
            decided
                .iter()
                .filter(|(_, d)| kind(&d.verdict()))
                .map(|(r, _)| (*r).to_owned())
                .collect()
        };
        let (outcome, decided_by) = match &combined {
            Combined::Decided(o, by) => (
                Some((*o).clone()),
                by.iter().map(|r| (*r).to_owned()).collect(),
            ),
            _ => (None, Vec::new()),
        };
        let summary = Summary {
            status: combined.status(),
            outcome,
            decided_by,
            conflicts: named(|v| matches!(v, Verdict::Conflict { .. })),
            undecided: named(|v| matches!(v, Verdict::Undecided)),
            unfit: named(|v| matches!(v, Verdict::Unfit)),
        };
        MultiDecision {
            scenario: *scenario,
            regimes,
            summary,
        }
    }
}

impl fmt::Display for MultiDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.regimes {
            match &r.decision {
                None => writeln!(f, "  {:<4} not in jurisdiction", r.regime)?,
                Some(d) => {
                    let what = match (&d.outcome, &d.conflict) {
                        (Some(o), _) => o.to_string(),
                        (None, Some([a, b])) => format!("CONFLICT between `{a}` and `{b}`"),
                        (None, None) => "UNDECIDED".into(),
                    };
                    let by: Vec<String> = d
                        .deciding
                        .iter()
                        .map(|r| match &r.citation {
                            Some(c) => format!("{} ({c})", r.name),
                            None => r.name.clone(),
                        })
                        .collect();
                    if by.is_empty() {
                        writeln!(f, "  {:<4} {what} (no rule applies)", r.regime)?;
                    } else {
                        writeln!(f, "  {:<4} {what}, by {}", r.regime, by.join("; "))?;
                    }
                }
            }
        }
        match &self.summary.outcome {
            Some(o) => write!(
                f,
                "  most restrictive: {o} ({})",
                self.summary.decided_by.join(", ")
            )?,
            None if self.summary.status == SummaryStatus::OutsideJurisdiction => {
                write!(f, "  most restrictive: none (no regime has jurisdiction)")?
            }
            None => write!(
                f,
                "  most restrictive: NONE (a regime with jurisdiction could not decide)"
            )?,
        }
        for c in &self.summary.conflicts {
            write!(f, "\n  warning: {c} rules conflict on this case")?;
        }
        for u in &self.summary.undecided {
            write!(f, "\n  warning: {u} rules leave this case undecided")?;
        }
        for u in &self.summary.unfit {
            write!(f, "\n  warning: the case does not fit {u}'s schema")?;
        }
        Ok(())
    }
}
