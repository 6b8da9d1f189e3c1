// The rule has a typo, but the code using the rule set type still type-checks: only the typo is reported.
use control_core::{Evaluator, Scenario, Transaction};

control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when item under 3A090 && destination == CN;
            then licence_required(presumption_of_dinial);
        }
    }
}

pub fn screen(t: &Transaction) -> bool {
    Us.decide(t, &Scenario::CURRENT).outcome().is_some()
}

fn main() {}

pub fn rules() -> usize {
    Us::ir().rules().len()
}
