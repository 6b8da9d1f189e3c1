//! Outcomes and review policies, ordered by restrictiveness.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// How a licence application will be reviewed.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    /// Licences are generally granted ("granted leniently").
    PresumptionOfApproval,
    /// Each application is judged on its merits.
    CaseByCase,
    /// Licences are generally refused.
    PresumptionOfDenial,
}

/// What a rule decides for a case.
///
/// Outcomes are ordered by restrictiveness: not controlled < licence exception < licence required (presumption of
/// approval < case by case < presumption of denial) < prohibited. Two licence exceptions are equally
/// restrictive; `Ord` breaks that tie by name so that the order is total and sorting is deterministic.
///
/// ```
/// use control_core::{Outcome, ReviewPolicy};
/// let denial = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial);
/// assert!(Outcome::NotControlled < Outcome::LicenceException("NAC".into()));
/// assert!(denial < Outcome::Prohibited);
/// assert_eq!(denial.to_string(), "licence required (presumption of denial)");
/// ```
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No licence needed under this rule set.
    NotControlled,
    /// Allowed without a licence under the named licence exception (`NAC`, `STA`, …).
    LicenceException(String),
    /// A licence is needed, reviewed under the given policy.
    LicenceRequired(ReviewPolicy),
    /// Not allowed at all.
    Prohibited,
}

impl Outcome {
    /// The restrictiveness level, 0 (not controlled) to 5 (prohibited).
    pub fn level(&self) -> u8 {
        match self {
            Outcome::NotControlled => 0,
            Outcome::LicenceException(_) => 1,
            Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval) => 2,
            Outcome::LicenceRequired(ReviewPolicy::CaseByCase) => 3,
            Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial) => 4,
            Outcome::Prohibited => 5,
        }
    }

    /// Whether the transaction may go ahead without a licence.
    pub fn is_permitted_without_licence(&self) -> bool {
        self.level() <= 1
    }
}

impl Ord for Outcome {
    fn cmp(&self, other: &Self) -> Ordering {
        self.level()
            .cmp(&other.level())
            .then_with(|| match (self, other) {
                (Outcome::LicenceException(a), Outcome::LicenceException(b)) => a.cmp(b),
                _ => Ordering::Equal,
            })
    }
}

impl PartialOrd for Outcome {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::NotControlled => f.write_str("not controlled"),
            Outcome::LicenceException(name) => write!(f, "licence exception {name}"),
            Outcome::LicenceRequired(p) => write!(f, "licence required ({p})"),
            Outcome::Prohibited => f.write_str("prohibited"),
        }
    }
}

impl fmt::Display for ReviewPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReviewPolicy::PresumptionOfApproval => "presumption of approval",
            ReviewPolicy::CaseByCase => "case by case",
            ReviewPolicy::PresumptionOfDenial => "presumption of denial",
        })
    }
}
