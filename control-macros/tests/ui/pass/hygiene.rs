// The user's crate has its own `Country`, `Result`, `Option`, `Some` and `Evaluator`: generated code is unaffected.
#![allow(dead_code, non_snake_case)]

struct Country;
type Result<T> = core::result::Result<T, ()>;
enum Option { None }
struct Evaluator;
fn Some() {}
mod control_core {}

control_macros::rules! {
    pub rule_set Hygienic for Transaction {
        regime "XX";
        list CCL;
        otherwise not_controlled;
        rule r { from 2024-01-01; when destination in [CN, MO] && item under 3B001; then prohibited; }
    }
}

// The same as tables.
control_macros::rules! {
    pub rule_set HygienicTable for Transaction {
        regime "XX";
        list CCL;
        otherwise not_controlled;
        evaluator table;
        rule r { from 2024-01-01; when destination in [CN, MO] && item under 3B001; then prohibited; }
    }
}

fn main() {
    use ::control_core::Evaluator as _;
    let _: &::control_core::RuleSet = Hygienic.rule_set();
    let _: &::control_core::RuleSet = HygienicTable.rule_set();
}
