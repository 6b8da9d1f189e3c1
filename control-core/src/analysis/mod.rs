//! The analysis: every contradiction, dead rule and gap of a rule set, each with a concrete case; and the
//! semantic diff of two rule sets or scenarios.
//!
//! Exact on the condition language: the space of cases × scenarios is partitioned into finitely many cells per
//! field (module `partition`), and a search (module `engine`) visits every region where a different set of rules applies, so
//! nothing is missed and nothing is invented. Every finding carries a [`Witness`]: a complete case of real values
//! and the scenario in which the problem happens, which [`RuleSet::decide`] reproduces.
//!
//! The analysis considers only cases within the rule set's jurisdiction (`applies_when`): a rule that applies
//! only outside it is dead, and a gap outside it is no gap.
//!
//! # Cost
//!
//! Measured with `cargo bench -p bench --bench analysis` on the project's 2-core machine, on generated rule
//! books over the `Transaction` schema (code families, country sets and groups, activities, periods, proposals,
//! exceptions that override, cumulative requirements, parties in roles, dated groups): 100 rules 0.77 ms, 1,000
//! rules 5.7 ms, 10,000 rules 62 ms, 100,000 rules 0.72 s (medians of one run; see BENCHMARKS.md).
//!
//! ```
//! let rs = control_core::json::parse_rule_set(r#"{
//!   "name": "t", "regime": "XX", "schema": "Transaction", "list": "CCL", "otherwise": "not_controlled",
//!   "rules": [
//!     {"name": "a", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
//!     {"name": "b", "when": {"field": "item", "under": "3B001"}, "then": {"licence_required": "case_by_case"}}
//!   ]}"#).unwrap();
//! let report = control_core::analysis::analyse(&rs).unwrap();
//! assert_eq!(report.contradictions.len(), 1);
//! let w = &report.contradictions[0].witness;
//! assert!(w.text.contains("destination = CN") && w.text.contains("item.ccl = 3B001"));
//! ```

// One idea per file, each importing only those before it here: `cells` (cell-set algebra) < `partition` (each
// field's domain into cells) < `space` (atoms and formulas) < `dnf` (conditions over cells) < `engine` (the
// search) < `findings` (the reports) < this module (the analysis) and `diff`.
mod cells;
mod diff;
mod dnf;
mod engine;
mod findings;
mod partition;
mod space;

use std::collections::BTreeMap;

use crate::ir::{Fallback, RuleId, RuleSet};
use crate::schema::{Record, Value};
use crate::semantics::Scenario;
use engine::{Piece, Visitor, search};
use space::{Formula, Scenarios, Space, SpaceBuilder};

pub use diff::{Diff, DiffRegion, SideDecision, diff};
pub use findings::{
    Analysed, Analysis, AnalysisError, Contradiction, DeadReason, DeadRule, Fix, Gap, Rejected,
    Syntax, Witness, accept,
};

/// How many regions a search may visit before it gives up.
const NODE_LIMIT: u64 = 20_000_000;

/// The rule's applicability in every scenario: jurisdiction, condition, period, status; and its condition
/// alone, which is the second part (see [`condition_alone`]).
fn rule_formula(
    b: &mut SpaceBuilder<'_>,
    rs: &RuleSet,
    jur: &Formula,
    id: RuleId,
    scenarios: Scenarios,
) -> Formula {
    let r = &rs.rules()[id];
    Formula::And(vec![
        jur.clone(),
        b.condition(&r.when, rs.treatments(), scenarios),
        b.period(&r.period, scenarios),
        b.status(r.status, scenarios),
    ])
}

/// The condition part of a formula [`rule_formula`] built.
fn condition_alone(rule_formula: &Formula) -> &Formula {
    match rule_formula {
        Formula::And(parts) => &parts[1],
        _ => unreachable!("rule_formula builds a conjunction of four parts"),
    }
}

/// Appends the cubes of `f` to `pieces`, tagged `tag`.
fn pieces_of(
    space: &Space,
    tag: u32,
    f: &Formula,
    name: &str,
    pieces: &mut Vec<Piece>,
) -> Result<(), AnalysisError> {
    let dnf = space
        .dnf(f)
        .map_err(|()| AnalysisError::ConditionTooLarge(name.to_owned()))?;
    pieces.extend(dnf.cubes.into_iter().map(|c| Piece { tag, dims: c.dims }));
    Ok(())
}

/// Finds every contradiction, dead rule and gap of `rs`.
pub fn analyse(rs: &RuleSet) -> Result<Analysis, AnalysisError> {
    let scenarios = Scenarios::All;
    let mut b = SpaceBuilder::new(rs.schema(), scenarios);
    let jur = b.condition(rs.applies_when(), rs.treatments(), scenarios);
    let formulas: Vec<Formula> = (0..rs.rules().len())
        .map(|id| rule_formula(&mut b, rs, &jur, id, scenarios))
        .collect();
    let universe = Formula::And(vec![jur.clone(), b.no_proposals()]);
    let space = b.finish();

    // Each rule's cubes, in order of rules: rule `id`'s are `pieces[starts[id]..starts[id + 1]]`.
    let mut pieces = Vec::with_capacity(formulas.len());
    let mut starts = Vec::with_capacity(formulas.len() + 1);
    for (id, f) in formulas.iter().enumerate() {
        starts.push(pieces.len());
        pieces_of(&space, id as u32, f, &rs.rules()[id].name, &mut pieces)?;
    }
    starts.push(pieces.len());
    let cubes = |id: usize| &pieces[starts[id]..starts[id + 1]];

    // Contradictions and live rules.
    let n = rs.rules().len();
    let mut v = DecideVisitor {
        rs,
        space: &space,
        alive: vec![false; n],
        pairs: BTreeMap::new(),
        mark: vec![0; n],
        epoch: 0,
    };
    let mut regions = search(&space, &pieces, &mut v, NODE_LIMIT)
        .map_err(|e| AnalysisError::TooComplex(e.nodes))?;

    let contradictions = v
        .pairs
        .iter()
        .map(|(&(a, b), w)| {
            let (ra, rb) = (&rs.rules()[a as usize], &rs.rules()[b as usize]);
            Contradiction {
                first: a as usize,
                second: b as usize,
                first_name: ra.name.clone(),
                second_name: rb.name.clone(),
                first_outcome: ra.then.clone(),
                second_outcome: rb.then.clone(),
                witness: w.clone(),
            }
        })
        .collect();

    let mut dead_rules = Vec::new();
    for id in (0..n).filter(|&id| !v.alive[id]) {
        let rule = &rs.rules()[id];
        let reason = if cubes(id).is_empty() {
            let own = space
                .dnf_explained(condition_alone(&formulas[id]))
                .map_err(|()| AnalysisError::ConditionTooLarge(rule.name.clone()))?;
            let within = Formula::And(vec![jur.clone(), condition_alone(&formulas[id]).clone()]);
            let within = space
                .dnf(&within)
                .map_err(|()| AnalysisError::ConditionTooLarge(rule.name.clone()))?;
            if own.cubes.is_empty() {
                let clash = own
                    .clash
                    .map(|c| c.lits.iter().map(|l| space.lit_text(*l)).collect())
                    .unwrap_or_default();
                DeadReason::Unsatisfiable { clash }
            } else if within.cubes.is_empty() {
                DeadReason::OutsideJurisdiction
            } else {
                // The condition holds for some case in the jurisdiction, so the period holds on no date of
                // the domain (or on none where the case-date field can be).
                DeadReason::NeverInEffect {
                    period: rule.period.to_string(),
                }
            }
        } else {
            let by = rs
                .overriders_of(id)
                .iter()
                .filter(|&&o| {
                    cubes(o).iter().any(|co| {
                        cubes(id)
                            .iter()
                            .any(|cr| Space::boxes_meet(&co.dims, &cr.dims))
                    })
                })
                .map(|&o| rs.rules()[o].name.clone())
                .collect();
            DeadReason::Masked { by }
        };
        dead_rules.push(DeadRule {
            rule: id,
            name: rule.name.clone(),
            reason,
            allowed: rule.allow_dead,
        });
    }

    let mut gaps = Vec::new();
    if *rs.fallback() == Fallback::Complete {
        let universe_tag = n as u32;
        let mut gap_pieces: Vec<Piece> = pieces
            .iter()
            .filter(|p| rs.rules()[p.tag as usize].status == crate::ir::Status::InForce)
            .cloned()
            .collect();
        pieces_of(
            &space,
            universe_tag,
            &universe,
            "applies_when",
            &mut gap_pieces,
        )?;
        let mut g = GapVisitor {
            rs,
            space: &space,
            universe: universe_tag,
            found: Vec::new(),
            max: 1,
        };
        regions += search(&space, &gap_pieces, &mut g, NODE_LIMIT)
            .map_err(|e| AnalysisError::TooComplex(e.nodes))?;
        gaps = g.found.into_iter().map(|witness| Gap { witness }).collect();
    }
    Ok(Analysis {
        contradictions,
        dead_rules,
        gaps,
        regions,
    })
}

/// Builds the witness of a region.
fn witness(
    rs: &RuleSet,
    space: &Space,
    region: &[Option<u32>],
    fixed: Option<Scenario>,
) -> Witness {
    let schema = rs.schema();
    let cell = |d: usize| region[d].unwrap_or(0) as usize;
    let mut values: Vec<Value> = space
        .field_dim
        .iter()
        .map(|&d| space.dims[d].witnesses[cell(d)].clone())
        .collect();
    let mut scenario = fixed.unwrap_or_default();
    if let Some(d) = space.proposals {
        scenario.proposals = matches!(space.dims[d].witnesses[cell(d)], Value::Bool(true));
    }
    if let Some(d) = space.effective
        && let (Some(_), Value::Date(eff)) = (region[d], &space.dims[d].witnesses[cell(d)])
    {
        // Prefer "the case's own date" when the case date is free to be the effective date.
        match schema.case_date_field() {
            Some(f) if region[space.field_dim[f]].is_none() || values[f] == Value::Date(*eff) => {
                values[f] = Value::Date(*eff);
                scenario.as_of = None;
            }
            _ => scenario.as_of = Some(*eff),
        }
    }
    // Witness values come from each field's own cells, so they have the field's type.
    let record = Record::from_checked_values(values);
    let case = record.to_json(schema);
    // Name the fields the rules look at here; any value of the others will do (the JSON form has them all).
    let case_date = schema.case_date_field();
    let relevant = |i: usize| {
        region[space.field_dim[i]].is_some()
            || (Some(i) == case_date
                && scenario.as_of.is_none()
                && space.effective.is_some_and(|d| region[d].is_some()))
    };
    let fields: Vec<String> = schema
        .fields
        .iter()
        .zip(record.values())
        .enumerate()
        .filter(|(i, _)| relevant(*i))
        .map(|(_, (f, v))| format!("{} = {}", f.name, f.ty.display_value(v)))
        .collect();
    let others = if fields.len() == schema.fields.len() {
        ""
    } else if fields.is_empty() {
        "any case"
    } else {
        " (other fields: any value)"
    };
    let text = format!("{}{others}; {}", fields.join(", "), scenario);
    Witness {
        record,
        case,
        scenario,
        text,
    }
}

struct DecideVisitor<'a> {
    rs: &'a RuleSet,
    space: &'a Space,
    alive: Vec<bool>,
    pairs: BTreeMap<(u32, u32), Witness>,
    mark: Vec<u32>,
    epoch: u32,
}

impl DecideVisitor<'_> {
    fn mark(&mut self, tags: &[u32]) {
        self.epoch += 1;
        for &t in tags {
            self.mark[t as usize] = self.epoch;
        }
    }

    fn overridden_here(&self, t: u32) -> bool {
        self.rs
            .overriders_of(t as usize)
            .iter()
            .any(|&o| self.mark[o] == self.epoch)
    }
}

impl DecideVisitor<'_> {
    /// Whether two rules deciding one case make it a conflict: they disagree, and not both are cumulative
    /// (cumulative requirements stack; a case is a conflict as soon as a rule that is not cumulative disagrees
    /// with another deciding rule, so every conflicting case has such a pair).
    fn clash(&self, a: u32, b: u32) -> bool {
        let (ra, rb) = (&self.rs.rules()[a as usize], &self.rs.rules()[b as usize]);
        ra.then != rb.then && !(ra.cumulative && rb.cumulative)
    }

    /// Whether one of two rules overrides the other: then they never decide one case together, and are never
    /// a conflicting pair, wherever both apply.
    fn ordered(&self, a: u32, b: u32) -> bool {
        self.rs.overriders_of(a as usize).contains(&(b as usize))
            || self.rs.overriders_of(b as usize).contains(&(a as usize))
    }
}

impl Visitor for DecideVisitor<'_> {
    const COVERING: bool = false;

    fn prune(&mut self, _region: &[Option<u32>], tags: &[u32], _covering: &[u32]) -> bool {
        if tags.is_empty() {
            return true;
        }
        // No pair clashes: every rule is cumulative, or all agree.
        let rules = self.rs.rules();
        let first = &rules[tags[0] as usize].then;
        let same = tags.iter().all(|&t| rules[t as usize].cumulative)
            || tags.iter().all(|&t| rules[t as usize].then == *first);
        self.mark(tags);
        let related = tags.iter().any(|&t| self.overridden_here(t));
        if !related {
            // Each live rule applies somewhere here, and nothing here overrides it: each decides somewhere.
            for &t in tags {
                self.alive[t as usize] = true;
            }
        }
        let all_alive = tags.iter().all(|&t| self.alive[t as usize]);
        if same {
            return all_alive;
        }
        // Nothing new to learn if every disagreeing pair is known already.
        all_alive
            && tags.len() <= 32
            && tags.iter().enumerate().all(|(i, &a)| {
                tags[i + 1..].iter().all(|&b| {
                    !self.clash(a, b) || self.ordered(a, b) || self.pairs.contains_key(&(a, b))
                })
            })
    }

    fn leaf(&mut self, region: &[Option<u32>], tags: &[u32]) -> bool {
        self.mark(tags);
        let deciding: Vec<u32> = tags
            .iter()
            .copied()
            .filter(|&t| !self.overridden_here(t))
            .collect();
        for (i, &a) in deciding.iter().enumerate() {
            self.alive[a as usize] = true;
            for &b in &deciding[i + 1..] {
                if self.clash(a, b) && !self.pairs.contains_key(&(a, b)) {
                    let w = witness(self.rs, self.space, region, None);
                    self.pairs.insert((a, b), w);
                }
            }
        }
        false
    }
}

struct GapVisitor<'a> {
    rs: &'a RuleSet,
    space: &'a Space,
    universe: u32,
    found: Vec<Witness>,
    max: usize,
}

impl Visitor for GapVisitor<'_> {
    fn prune(&mut self, _region: &[Option<u32>], tags: &[u32], covering: &[u32]) -> bool {
        // Outside the jurisdiction (or with proposals), or covered by a rule: no gap here.
        tags.last() != Some(&self.universe) || covering.iter().any(|&t| t != self.universe)
    }

    fn leaf(&mut self, region: &[Option<u32>], tags: &[u32]) -> bool {
        if tags == [self.universe] {
            self.found.push(witness(self.rs, self.space, region, None));
        }
        self.found.len() >= self.max
    }
}
