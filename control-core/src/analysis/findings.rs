//! What the analysis reports: contradictions, dead rules and gaps, each with a witness and a fix as data; the
//! report as a whole; and [`Analysed`], the proof that a rule set passed.

use std::fmt;

use serde::Serialize;

use crate::analysis::analyse;
use crate::ir::{Outcome, RuleId, RuleSet};
use crate::schema::Record;
use crate::semantics::Scenario;

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
    /// If one rule is an exception to the other, `exception` should override `overridden` (or the reverse); if
    /// both are requirements that apply together, both should be cumulative; otherwise one condition should be
    /// narrowed so they no longer overlap.
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
    /// The clause that makes a rule a cumulative requirement (`cumulative;`).
    fn cumulative(&self) -> String;
}

impl Fix {
    /// The fix in the words of `syntax`.
    pub fn render(&self, syntax: &dyn Syntax) -> String {
        match self {
            Fix::OverrideOrNarrow {
                exception,
                overridden,
            } => format!(
                "if one is an exception to the other, say so (`{}` on `{exception}`, or the reverse); if both are requirements that apply together, add `{}` to both and the stricter applies; otherwise narrow one condition so they no longer overlap",
                syntax.overrides(overridden),
                syntax.cumulative()
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
