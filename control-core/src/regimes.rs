//! Multi-regime evaluation: one case against several regimes' rule sets.
//!
//! Each regime's decision is reported on its own; the summary is the most restrictive outcome among the
//! regimes with jurisdiction. A regime whose rule set conflicts or leaves the case undecided is named in the
//! summary, never silently skipped.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::evaluator::Evaluator;
use crate::ir::Outcome;
use crate::schema::CaseView;
use crate::semantics::{DecisionRecord, Scenario, VerdictKind};

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

/// The summary over regimes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The most restrictive outcome among the regimes with jurisdiction that decided; `None` if none did.
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
        let mut summary = Summary {
            outcome: None,
            decided_by: Vec::new(),
            conflicts: Vec::new(),
            undecided: Vec::new(),
            unfit: Vec::new(),
        };
        for m in &self.members {
            let rs = m.rule_set();
            let in_jurisdiction = m.in_jurisdiction(case);
            let decision = in_jurisdiction.then(|| {
                let d = m.decide(case, scenario);
                if d.deciding().is_complete() {
                    d.to_record()
                } else {
                    // More deciding rules than a decision keeps inline: the audit record lists them all.
                    m.explain(case, scenario).decision
                }
            });
            if let Some(d) = &decision {
                match (d.verdict, &d.outcome) {
                    (VerdictKind::Conflict, _) => summary.conflicts.push(rs.regime().to_owned()),
                    (VerdictKind::Unfit, _) => summary.unfit.push(rs.regime().to_owned()),
                    (VerdictKind::Undecided, _) | (_, None) => {
                        summary.undecided.push(rs.regime().to_owned())
                    }
                    (_, Some(o)) => match &summary.outcome {
                        Some(best) if best.level() > o.level() => {}
                        Some(best) if best.level() == o.level() => {
                            summary.decided_by.push(rs.regime().to_owned())
                        }
                        _ => {
                            summary.outcome = Some(o.clone());
                            summary.decided_by = vec![rs.regime().to_owned()];
                        }
                    },
                }
            }
            regimes.push(RegimeDecision {
                regime: rs.regime().to_owned(),
                rule_set: rs.name().to_owned(),
                in_jurisdiction,
                decision,
            });
        }
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
            None => write!(
                f,
                "  most restrictive: none (no regime with jurisdiction decided)"
            )?,
        }
        for c in &self.summary.conflicts {
            write!(f, "\n  warning: {c} rules conflict on this case")?;
        }
        for u in &self.summary.undecided {
            write!(f, "\n  warning: {u} rules leave this case undecided")?;
        }
        Ok(())
    }
}
