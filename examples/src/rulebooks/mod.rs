//! The seed scenario's rule books, one per regime, as `rules!` blocks. They compile, so the analysis has
//! proved each free of contradictions and dead rules.

mod de;
mod eu;
mod jp;
mod kr;
mod nl;
mod us;

pub use de::DeProposals;
pub use eu::EuDualUse;
pub use jp::JpSemiconductor;
pub use kr::KrProposals;
pub use nl::NlSemiconductor;
pub use us::UsEar;

use control_core::{Evaluator, Party, Regimes, Transaction};

/// Every regime's rule book, in a fixed order (US, EU, NL, JP, DE, KR).
pub fn all() -> Vec<&'static dyn Evaluator<Case = Transaction>> {
    vec![
        &UsEar,
        &EuDualUse,
        &NlSemiconductor,
        &JpSemiconductor,
        &DeProposals,
        &KrProposals,
    ]
}

/// All regimes together, for multi-regime evaluation.
pub fn regimes() -> Regimes<'static, Transaction> {
    all().into_iter().fold(Regimes::new(), Regimes::with)
}

/// Every party the rule books name (for resolving names and aliases in input files).
pub fn parties() -> Vec<Party> {
    let mut out: Vec<Party> = Vec::new();
    for book in all() {
        for p in book.rule_set().parties() {
            if !out.iter().any(|q| q.id == p.id) {
                out.push(p.clone());
            }
        }
    }
    out
}
