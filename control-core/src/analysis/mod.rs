//! The analysis: every contradiction, dead rule and gap of a rule set, each with a concrete case; and the
//! semantic diff of two rule sets or scenarios.
//!
//! Exact on the condition language: the space of cases × scenarios is partitioned into finitely many cells per
//! field ([`space`]), and a search ([`engine`]) visits every region where a different set of rules applies, so
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
//! exceptions that override): 100 rules 0.81 ms, 1,000 rules 7.0 ms, 10,000 rules 79 ms (medians; see BENCHMARKS.md).
//!
//! ```
//! let rs = control_core::json::parse_rule_set(r#"{
//!   "name": "t", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled",
//!   "rules": [
//!     {"name": "a", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
//!     {"name": "b", "when": {"field": "item", "under": "3B001"}, "then": {"licence_required": "case_by_case"}}
//!   ]}"#).unwrap();
//! let report = control_core::analysis::analyse(&rs).unwrap();
//! assert_eq!(report.contradictions.len(), 1);
//! let w = &report.contradictions[0].witness;
//! assert!(w.text.contains("destination = CN") && w.text.contains("item = 3B001"));
//! ```

mod diff;
mod engine;
mod space;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::ir::{Fallback, Outcome, RuleId, RuleSet};
use crate::schema::{Record, Value};
use crate::semantics::Scenario;
use engine::{Piece, Visitor, search};
use space::{Cube, Formula, Scenarios, Space, SpaceBuilder};

pub use diff::{Diff, DiffRegion, SideDecision, diff};

/// How many regions a search may visit before it gives up.
const NODE_LIMIT: u64 = 20_000_000;

/// A complete, concrete case and the scenario in which a finding happens.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Witness {
    /// The case, one value per field of the schema.
    #[serde(skip)]
    pub record: Record,
    /// The case as a JSON object.
    pub case: serde_json::Value,
    /// The scenario.
    pub scenario: Scenario,
    /// `field = value, …` and the scenario, for people.
    pub text: String,
}

impl fmt::Display for Witness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Two rules that decide one case differently, neither overriding the other.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contradiction {
    /// The earlier rule.
    pub first: RuleId,
    /// The later rule.
    pub second: RuleId,
    /// The earlier rule's name.
    pub first_name: String,
    /// The later rule's name.
    pub second_name: String,
    /// What the earlier rule decides.
    pub first_outcome: Outcome,
    /// What the later rule decides.
    pub second_outcome: Outcome,
    /// A case on which both decide.
    pub witness: Witness,
}

impl Contradiction {
    /// The finding in the rule author's words.
    pub fn message(&self) -> String {
        format!(
            "rules `{}` and `{}` contradict each other: `{}` decides {} and `{}` decides {} for the same case, and neither overrides the other",
            self.first_name,
            self.second_name,
            self.first_name,
            self.first_outcome,
            self.second_name,
            self.second_outcome
        )
    }

    /// How to fix it.
    pub fn fix(&self) -> Fix {
        Fix::OverrideOrNarrow {
            exception: self.second_name.clone(),
            overridden: self.first_name.clone(),
        }
    }
}

/// How to fix a finding, as data: each front end renders it in its own syntax ([`Fix::render`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum Fix {
    /// If one rule is an exception to the other, `exception` should override `overridden` (or the reverse);
    /// otherwise one condition should be narrowed so they no longer overlap.
    OverrideOrNarrow {
        /// The rule that would carry the `overrides`.
        exception: String,
        /// The rule it would override.
        overridden: String,
    },
    /// Remove the rule or correct its condition; if it is kept on purpose, allow it to be dead.
    RemoveOrAllowDead {
        /// The rule.
        rule: String,
    },
    /// Add a rule that covers the case, or give the rule set an `otherwise` outcome instead of `complete`.
    CoverOrFallback,
}

/// The words a front end writes rule sets in, for rendering a [`Fix`].
pub trait Syntax {
    /// The clause that makes a rule override `rule` (`overrides x` in `rules!`).
    fn overrides(&self, rule: &str) -> String;
    /// The clause that allows a rule to be dead (`allow_dead;`).
    fn allow_dead(&self) -> String;
    /// The declaration that a rule set is complete (`complete;`).
    fn complete(&self) -> String;
    /// The keyword of the default outcome (`otherwise`).
    fn otherwise(&self) -> String;
}

impl Fix {
    /// The fix in the words of `syntax`.
    pub fn render(&self, syntax: &dyn Syntax) -> String {
        match self {
            Fix::OverrideOrNarrow {
                exception,
                overridden,
            } => format!(
                "if one is an exception to the other, say so (`{}` on `{exception}`, or the reverse); otherwise narrow one condition so they no longer overlap",
                syntax.overrides(overridden)
            ),
            Fix::RemoveOrAllowDead { .. } => format!(
                "remove the rule or correct its condition; if it is kept on purpose, add `{}` to it",
                syntax.allow_dead()
            ),
            Fix::CoverOrFallback => format!(
                "add a rule that covers it, or replace `{}` with an `{}` outcome",
                syntax.complete(),
                syntax.otherwise()
            ),
        }
    }
}

/// Why a rule can never decide a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DeadReason {
    /// Its condition holds for no case; `clash` names the tests that exclude each other.
    Unsatisfiable {
        /// The clashing tests, in the author's terms.
        clash: Vec<String>,
    },
    /// Its condition holds only for cases outside the regime's jurisdiction.
    OutsideJurisdiction,
    /// Its effective period contains no date of the domain (0000-01-01 to 9999-12-31) on which its condition
    /// can hold.
    NeverInEffect {
        /// The period, as written.
        period: String,
    },
    /// Wherever it applies, a rule that overrides it applies too.
    Masked {
        /// The overriding rules that meet it.
        by: Vec<String>,
    },
}

/// A rule that decides no case in any scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadRule {
    /// The rule.
    pub rule: RuleId,
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: DeadReason,
    /// The rule is marked as kept on purpose.
    pub allowed: bool,
}

impl DeadRule {
    /// The finding in the rule author's words.
    pub fn message(&self) -> String {
        let why = match &self.reason {
            DeadReason::Unsatisfiable { clash } if clash.len() >= 2 => {
                format!("its condition can never hold: {} exclude each other", quote_list(clash))
            }
            DeadReason::Unsatisfiable { clash } if clash.len() == 1 => {
                format!("its condition can never hold: `{}` is true of no case", clash[0])
            }
            DeadReason::Unsatisfiable { .. } => "its condition can never hold".to_owned(),
            DeadReason::OutsideJurisdiction => {
                "its condition holds only for cases outside the rule set's jurisdiction (`applies_when`)".to_owned()
            }
            DeadReason::NeverInEffect { period } => {
                format!("it is in effect {period}, which contains no date a case can have (0000-01-01 to 9999-12-31)")
            }
            DeadReason::Masked { by } => {
                format!("wherever it applies, {} overrides it", quote_list(by))
            }
        };
        format!("rule `{}` can never decide a case: {why}", self.name)
    }

    /// How to fix it.
    pub fn fix(&self) -> Fix {
        Fix::RemoveOrAllowDead {
            rule: self.name.clone(),
        }
    }
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// A case that no rule of a complete rule set decides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// The case.
    pub witness: Witness,
}

impl Gap {
    /// The finding in the rule author's words.
    pub fn message(&self) -> String {
        "the rule set is declared complete, but no rule decides this case".to_owned()
    }

    /// How to fix it.
    pub fn fix(&self) -> Fix {
        Fix::CoverOrFallback
    }
}

/// Everything the analysis found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// Every contradicting pair of rules, sorted.
    pub contradictions: Vec<Contradiction>,
    /// Every dead rule (including those allowed), sorted.
    pub dead_rules: Vec<DeadRule>,
    /// Cases a complete rule set leaves undecided (the first few found; empty if there is no gap).
    pub gaps: Vec<Gap>,
    /// How many regions the searches visited.
    pub regions: u64,
}

impl Analysis {
    /// Whether the rule set may be accepted: no contradiction, no gap, no dead rule that is not allowed.
    pub fn is_clean(&self) -> bool {
        self.contradictions.is_empty()
            && self.gaps.is_empty()
            && self.dead_rules.iter().all(|d| d.allowed)
    }

    /// Every finding that rejects the rule set, as `message`, `help` and the witness, one after another, with
    /// fixes in `syntax`.
    pub fn render(&self, syntax: &dyn Syntax) -> String {
        let mut out = String::new();
        for c in &self.contradictions {
            out += &format!(
                "error: {}\n  case: {}\n  help: {}\n",
                c.message(),
                c.witness,
                c.fix().render(syntax)
            );
        }
        for d in self.dead_rules.iter().filter(|d| !d.allowed) {
            out += &format!(
                "error: {}\n  help: {}\n",
                d.message(),
                d.fix().render(syntax)
            );
        }
        for g in &self.gaps {
            out += &format!(
                "error: {}\n  case: {}\n  help: {}\n",
                g.message(),
                g.witness,
                g.fix().render(syntax)
            );
        }
        out
    }
}

/// A rule set the analysis accepted: no contradiction, no gap, no dead rule that is not allowed.
///
/// Only [`accept`] makes one, so a value of this type is proof that the analysis ran and passed; the
/// [`Interpreter`](crate::Interpreter) evaluates nothing else. It derefs to the [`RuleSet`].
///
/// ```
/// let rs = control_core::json::parse_rule_set(r#"{"name": "t", "regime": "XX", "schema": "Transaction",
///   "otherwise": "not_controlled",
///   "rules": [{"name": "a", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}]}"#).unwrap();
/// let accepted = control_core::analysis::accept(rs).unwrap();
/// assert_eq!(accepted.rules().len(), 1);
/// assert!(accepted.report().is_clean());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Analysed {
    rule_set: RuleSet,
    report: Analysis,
}

impl Analysed {
    /// The rule set.
    pub fn rule_set(&self) -> &RuleSet {
        &self.rule_set
    }

    /// What the analysis found (dead rules allowed on purpose may be listed).
    pub fn report(&self) -> &Analysis {
        &self.report
    }

    /// The rule set, giving up the proof.
    pub fn into_rule_set(self) -> RuleSet {
        self.rule_set
    }
}

impl std::ops::Deref for Analysed {
    type Target = RuleSet;
    fn deref(&self) -> &RuleSet {
        &self.rule_set
    }
}

impl PartialEq<RuleSet> for Analysed {
    fn eq(&self, other: &RuleSet) -> bool {
        self.rule_set == *other
    }
}

/// Why [`accept`] refused a rule set.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejected {
    /// The analysis found contradictions, gaps or dead rules; the report has every one.
    #[error("rule set `{name}` is rejected by the analysis:\n{}", report.render(&crate::json::JsonSyntax))]
    Findings {
        /// The rule set's name.
        name: String,
        /// Every finding.
        report: Box<Analysis>,
    },
    /// The analysis could not finish.
    #[error(transparent)]
    Incomplete(#[from] AnalysisError),
}

/// Analyses `rule_set` and accepts it if it is clean.
pub fn accept(rule_set: RuleSet) -> Result<Analysed, Rejected> {
    let report = analyse(&rule_set)?;
    if report.is_clean() {
        Ok(Analysed { rule_set, report })
    } else {
        Err(Rejected::Findings {
            name: rule_set.name().to_owned(),
            report: Box::new(report),
        })
    }
}

/// The analysis could not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// A condition expands to too many alternatives (deeply nested `any` inside `all`).
    #[error(
        "the condition of rule `{0}` has too many alternatives to analyse; split it into several rules"
    )]
    ConditionTooLarge(String),
    /// The rule set has more distinct regions than the analysis will visit.
    #[error("the rule set distinguishes more than {0} regions of cases; the analysis gave up")]
    TooComplex(u64),
    /// A diff of rule sets over different schemas.
    #[error("cannot compare rule sets over different schemas (`{0}` and `{1}`)")]
    DifferentSchemas(String, String),
}

/// The rule's applicability in every scenario: jurisdiction, condition, period, status.
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
        b.condition(&r.when),
        b.period(&r.period, scenarios),
        b.status(r.status, scenarios),
    ])
}

fn pieces_of(
    space: &Space,
    tag: u32,
    f: &Formula,
    name: &str,
) -> Result<(Vec<Cube>, Vec<Piece>), AnalysisError> {
    let dnf = space
        .dnf(f)
        .map_err(|()| AnalysisError::ConditionTooLarge(name.to_owned()))?;
    let pieces = dnf
        .cubes
        .iter()
        .map(|c| Piece {
            tag,
            dims: c.dims.clone(),
        })
        .collect();
    Ok((dnf.cubes, pieces))
}

/// Finds every contradiction, dead rule and gap of `rs`.
pub fn analyse(rs: &RuleSet) -> Result<Analysis, AnalysisError> {
    let scenarios = Scenarios::All;
    let mut b = SpaceBuilder::new(rs.schema(), scenarios);
    let jur = b.condition(rs.applies_when());
    let formulas: Vec<Formula> = (0..rs.rules().len())
        .map(|id| rule_formula(&mut b, rs, &jur, id, scenarios))
        .collect();
    let alone: Vec<Formula> = rs.rules().iter().map(|r| b.condition(&r.when)).collect();
    let universe = Formula::And(vec![jur.clone(), b.no_proposals()]);
    let space = b.finish();

    let mut cubes = Vec::with_capacity(formulas.len());
    let mut pieces = Vec::new();
    for (id, f) in formulas.iter().enumerate() {
        let (c, p) = pieces_of(&space, id as u32, f, &rs.rules()[id].name)?;
        cubes.push(c);
        pieces.extend(p);
    }

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
        let reason = if cubes[id].is_empty() {
            let own = space
                .dnf(&alone[id])
                .map_err(|()| AnalysisError::ConditionTooLarge(rule.name.clone()))?;
            let within = Formula::And(vec![jur.clone(), alone[id].clone()]);
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
                    cubes[o]
                        .iter()
                        .any(|co| cubes[id].iter().any(|cr| space.meet(co, cr).is_ok()))
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
        gap_pieces.extend(pieces_of(&space, universe_tag, &universe, "applies_when")?.1);
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
    if let Some(d) = space.effective {
        if let (Some(_), Value::Date(eff)) = (region[d], &space.dims[d].witnesses[cell(d)]) {
            // Prefer "the case's own date" when the case date is free to be the effective date.
            match schema.case_date_field() {
                Some(f)
                    if region[space.field_dim[f]].is_none() || values[f] == Value::Date(*eff) =>
                {
                    values[f] = Value::Date(*eff);
                    scenario.as_of = None;
                }
                _ => scenario.as_of = Some(*eff),
            }
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

impl Visitor for DecideVisitor<'_> {
    fn prune(&mut self, tags: &[u32], _covering: &[u32]) -> bool {
        let Some(&first) = tags.first() else {
            return true;
        };
        let rules = self.rs.rules();
        let same = tags
            .iter()
            .all(|&t| rules[t as usize].then == rules[first as usize].then);
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
                    rules[a as usize].then == rules[b as usize].then
                        || self.pairs.contains_key(&(a, b))
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
        let rules = self.rs.rules();
        for (i, &a) in deciding.iter().enumerate() {
            self.alive[a as usize] = true;
            for &b in &deciding[i + 1..] {
                if rules[a as usize].then != rules[b as usize].then
                    && !self.pairs.contains_key(&(a, b))
                {
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
    fn prune(&mut self, tags: &[u32], covering: &[u32]) -> bool {
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
