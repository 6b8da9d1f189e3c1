//! The semantic diff: every region of cases whose decision differs between two rule sets, or between two
//! scenarios of one rule set ("what changes if the proposals are adopted"), each with a witness case.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::analysis::engine::{Piece, Visitor, search_first};
use crate::analysis::space::{Formula, Scenarios, Space, SpaceBuilder};
use crate::analysis::{AnalysisError, NODE_LIMIT, Witness, witness};
use crate::ir::{Fallback, Outcome, RuleSet, Status};
use crate::semantics::{Scenario, Verdict};

/// What one side decides in a region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SideDecision {
    /// The case is outside the rule set's jurisdiction.
    OutOfJurisdiction,
    /// Rules decide.
    Decided {
        /// The outcome.
        outcome: Outcome,
        /// The deciding rules.
        by: Vec<String>,
    },
    /// No rule applies; the rule set's default.
    Otherwise {
        /// The default outcome.
        outcome: Outcome,
    },
    /// Deciding rules disagree.
    Conflict {
        /// One rule.
        first: String,
        /// Another, with another outcome.
        second: String,
    },
    /// No rule applies in a complete rule set.
    Undecided,
    /// The decision before varies over the region (every part of it differs from the decision after, which
    /// is one proposed rule's alone): the analysis does not split the region further.
    Varies,
}

impl SideDecision {
    /// The outcome, if there is one.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            SideDecision::Decided { outcome, .. } | SideDecision::Otherwise { outcome } => {
                Some(outcome)
            }
            _ => None,
        }
    }

    /// Whether two decisions differ in what they let happen (kind or outcome), ignoring which rules decide.
    fn differs(&self, other: &SideDecision) -> bool {
        match (self.outcome(), other.outcome()) {
            (Some(a), Some(b)) => a != b,
            _ => std::mem::discriminant(self) != std::mem::discriminant(other) || self != other,
        }
    }
}

impl fmt::Display for SideDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SideDecision::OutOfJurisdiction => f.write_str("outside jurisdiction"),
            SideDecision::Decided { outcome, by } => write!(f, "{outcome} (by {})", by.join(", ")),
            SideDecision::Otherwise { outcome } => write!(f, "{outcome} (no rule applies)"),
            SideDecision::Conflict { first, second } => {
                write!(f, "conflict between `{first}` and `{second}`")
            }
            SideDecision::Undecided => f.write_str("undecided"),
            SideDecision::Varies => f.write_str("whatever the rules decide (it varies)"),
        }
    }
}

/// A region of cases with one decision before and another after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiffRegion {
    /// The decision before.
    pub before: SideDecision,
    /// The decision after.
    pub after: SideDecision,
    /// A case of the region.
    pub witness: Witness,
    /// How many elementary regions the analysis merged into this one.
    pub parts: usize,
}

/// Every change of decision between two rule sets or scenarios.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// The rule set and scenario before.
    pub before: String,
    /// The rule set and scenario after.
    pub after: String,
    /// The regions whose decision changes, sorted by the outcome after (most restrictive first).
    pub regions: Vec<DiffRegion>,
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "before: {}", self.before)?;
        writeln!(f, "after:  {}", self.after)?;
        if self.regions.is_empty() {
            return writeln!(f, "no case changes its decision");
        }
        for (i, r) in self.regions.iter().enumerate() {
            writeln!(f, "{:>3}. {}  ->  {}", i + 1, r.before, r.after)?;
            writeln!(f, "     e.g. {}", r.witness.text)?;
        }
        Ok(())
    }
}

/// Every region of cases on which `before` under `before_scenario` and `after` under `after_scenario` decide
/// differently. The rule sets must share a schema. A scenario without an as-of date uses each case's own date.
///
/// ```
/// use control_core::{Scenario, analysis::diff, json::parse_rule_set};
/// let rs = parse_rule_set(r#"{"name": "t", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled",
///   "rules": [{"name": "p", "status": "proposed", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}]}"#).unwrap();
/// let d = diff(&rs, Scenario::CURRENT, &rs, Scenario::CURRENT.with_proposals()).unwrap();
/// assert_eq!(d.regions.len(), 1);
/// assert!(d.regions[0].witness.text.contains("destination = CN"));
/// ```
pub fn diff(
    before: &RuleSet,
    before_scenario: Scenario,
    after: &RuleSet,
    after_scenario: Scenario,
) -> Result<Diff, AnalysisError> {
    if before.schema() != after.schema() {
        return Err(AnalysisError::DifferentSchemas(
            before.schema().name.clone(),
            after.schema().name.clone(),
        ));
    }
    let fixed = |s: Scenario| Scenarios::Fixed {
        proposals: s.proposals,
        as_of: s.as_of,
    };
    let mut b = SpaceBuilder::new(before.schema(), fixed(before_scenario));
    let side = |b: &mut SpaceBuilder<'_>, rs: &RuleSet, s: Scenario| -> (Formula, Vec<Formula>) {
        let jur = b.condition(rs.applies_when(), rs.treatments(), fixed(s));
        let rules = rs
            .rules()
            .iter()
            .map(|r| {
                Formula::And(vec![
                    b.condition(&r.when, rs.treatments(), fixed(s)),
                    b.period(&r.period, fixed(s)),
                    b.status(r.status, fixed(s)),
                ])
            })
            .collect();
        (jur, rules)
    };
    let (jur_a, rules_a) = side(&mut b, before, before_scenario);
    let (jur_b, rules_b) = side(&mut b, after, after_scenario);
    let space = b.finish();
    let (na, nb) = (rules_a.len() as u32, rules_b.len() as u32);
    let mut pieces = Vec::new();
    let formulas = rules_a.iter().chain(&rules_b).chain([&jur_a, &jur_b]);
    for (tag, f) in formulas.enumerate() {
        let name = match tag as u32 {
            t if t < na => before.rules()[t as usize].name.as_str(),
            t if t < na + nb => after.rules()[(t - na) as usize].name.as_str(),
            _ => "applies_when",
        };
        let dnf = space
            .dnf(f)
            .map_err(|()| AnalysisError::ConditionTooLarge(name.to_owned()))?;
        pieces.extend(dnf.cubes.into_iter().map(|c| Piece {
            tag: tag as u32,
            dims: c.dims,
        }));
    }
    let mirror = before == after && before_scenario.as_of == after_scenario.as_of;
    let mut v = DiffVisitor {
        sides: [(before, 0, na + nb), (after, na, na + nb + 1)],
        space: &space,
        scenario: before_scenario,
        mirror,
        found: HashMap::new(),
        order: Vec::new(),
    };
    // With and without proposals, split first where the proposed rules and the jurisdiction are decided: where
    // a proposed rule alone decides after, the region is recorded whole (`DiffVisitor::forced`).
    let first: Vec<u32> = if mirror {
        (0..nb)
            .filter(|&r| after.rules()[r as usize].status != Status::InForce)
            .map(|r| na + r)
            .chain([na + nb + 1])
            .collect()
    } else {
        Vec::new()
    };
    search_first(&space, &pieces, &first, &mut v, NODE_LIMIT)
        .map_err(|e| AnalysisError::TooComplex(e.nodes))?;
    let mut regions: Vec<DiffRegion> = v.order.iter().map(|k| v.found[k].clone()).collect();
    regions.sort_by(|x, y| {
        let level = |d: &SideDecision| d.outcome().map_or(6, Outcome::level);
        level(&y.after)
            .cmp(&level(&x.after))
            .then(level(&y.before).cmp(&level(&x.before)))
    });
    let label = |rs: &RuleSet, s: Scenario| format!("{} ({}), {s}", rs.name(), rs.regime());
    Ok(Diff {
        before: label(before, before_scenario),
        after: label(after, after_scenario),
        regions,
    })
}

struct DiffVisitor<'a> {
    /// Each side: the rule set, the first tag of its rules, and the tag of its jurisdiction.
    sides: [(&'a RuleSet, u32, u32); 2],
    space: &'a Space,
    scenario: Scenario,
    mirror: bool,
    found: HashMap<(SideDecision, SideDecision), DiffRegion>,
    order: Vec<(SideDecision, SideDecision)>,
}

impl DiffVisitor<'_> {
    /// One rule set with and without its proposals: where, throughout the region, the case is in
    /// jurisdiction and a proposed rule that is not cumulative applies, is overridden by no live rule and
    /// overrides every other live rule of the side with proposals, that rule alone decides after; if no rule
    /// live before (nor the default) gives its outcome, every part of the region changes. The change is
    /// recorded once for the region (the decision before exactly where it is the same throughout, `Varies`
    /// otherwise) instead of splitting it into every decision the rules in force make there: exact, and it
    /// keeps a prohibition proposed over a large rule book analysable.
    fn forced(&mut self, region: &[Option<u32>], tags: &[u32], covering: &[u32]) -> bool {
        let (rs, _, _) = self.sides[0];
        let (n, jur_b) = (rs.rules().len() as u32, self.sides[1].2);
        if !covering.contains(&jur_b) {
            return false;
        }
        let rules = rs.rules();
        let live_b: Vec<usize> = tags
            .iter()
            .filter(|&&t| t >= n && t < 2 * n)
            .map(|&t| (t - n) as usize)
            .collect();
        let live_a: Vec<usize> = tags
            .iter()
            .filter(|&&t| t < n)
            .map(|&t| t as usize)
            .collect();
        let alone = covering
            .iter()
            .filter(|&&t| t >= n && t < 2 * n)
            .map(|&t| (t - n) as usize)
            .find(|&p| {
                rules[p].status != Status::InForce
                    && !rules[p].cumulative
                    && !rs.overriders_of(p).iter().any(|o| live_b.contains(o))
                    && live_b
                        .iter()
                        .all(|&r| r == p || rs.overriders_of(r).contains(&p))
            });
        let Some(p) = alone else {
            return false;
        };
        let after = &rules[p].then;
        let default = match rs.fallback() {
            Fallback::Otherwise(o) => Some(o),
            Fallback::Complete => None,
        };
        if default == Some(after) || live_a.iter().any(|&r| rules[r].then == *after) {
            return false;
        }
        let before = if live_a.iter().all(|&r| covering.contains(&(r as u32))) {
            self.decide(0, tags)
        } else {
            SideDecision::Varies
        };
        let after = SideDecision::Decided {
            outcome: after.clone(),
            by: vec![rules[p].name.clone()],
        };
        self.record(region, before, after);
        true
    }

    fn record(&mut self, region: &[Option<u32>], before: SideDecision, after: SideDecision) {
        let key = (before, after);
        match self.found.get_mut(&key) {
            Some(r) => r.parts += 1,
            None => {
                let w = witness(self.sides[0].0, self.space, region, Some(self.scenario));
                let r = DiffRegion {
                    before: key.0.clone(),
                    after: key.1.clone(),
                    witness: w,
                    parts: 1,
                };
                self.order.push(key.clone());
                self.found.insert(key, r);
            }
        }
    }

    fn decide(&self, side: usize, tags: &[u32]) -> SideDecision {
        let (rs, first, jur) = self.sides[side];
        if !tags.contains(&jur) {
            return SideDecision::OutOfJurisdiction;
        }
        let n = rs.rules().len() as u32;
        let live: Vec<usize> = tags
            .iter()
            .filter(|&&t| t >= first && t < first + n)
            .map(|&t| (t - first) as usize)
            .collect();
        let deciding: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&r| {
                !rs.overriders_of(r)
                    .iter()
                    .any(|o| live.binary_search(o).is_ok())
            })
            .collect();
        let rules = rs.rules();
        // The verdict as every evaluator reaches it (cumulative rules stack, others conflict).
        match rs.conclude(deciding.iter().copied()).verdict() {
            Verdict::Otherwise(o) => SideDecision::Otherwise { outcome: o.clone() },
            Verdict::Undecided | Verdict::Unfit => SideDecision::Undecided,
            Verdict::Conflict { first, second } => SideDecision::Conflict {
                first: rules[first].name.clone(),
                second: rules[second].name.clone(),
            },
            Verdict::Decided(o) => SideDecision::Decided {
                outcome: o.clone(),
                by: deciding.iter().map(|&r| rules[r].name.clone()).collect(),
            },
        }
    }
}

impl Visitor for DiffVisitor<'_> {
    fn prune(&mut self, region: &[Option<u32>], tags: &[u32], covering: &[u32]) -> bool {
        if tags.is_empty() {
            return true;
        }
        // Outside both jurisdictions throughout: nothing is decided on either side, nothing changes.
        if !tags.contains(&self.sides[0].2) && !tags.contains(&self.sides[1].2) {
            return true;
        }
        if !self.mirror {
            return false;
        }
        if self.forced(region, tags, covering) {
            return true;
        }
        // One rule set, one date, with and without proposals: where the same rules are live on both sides,
        // they apply alike, so the decisions agree throughout.
        let (rs, _, jur_a) = self.sides[0];
        let n = rs.rules().len() as u32;
        let a: Vec<u32> = tags.iter().copied().filter(|&t| t < n).collect();
        let b: Vec<u32> = tags
            .iter()
            .copied()
            .filter(|&t| t >= n && t < 2 * n)
            .map(|t| t - n)
            .collect();
        a == b && tags.contains(&jur_a) == tags.contains(&self.sides[1].2)
    }

    fn leaf(&mut self, region: &[Option<u32>], tags: &[u32]) -> bool {
        let (before, after) = (self.decide(0, tags), self.decide(1, tags));
        if before.differs(&after) {
            self.record(region, before, after);
        }
        false
    }
}
