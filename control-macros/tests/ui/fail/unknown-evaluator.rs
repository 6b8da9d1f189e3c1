// The evaluator is neither `inline` nor `table`.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        list CCL;
        otherwise not_controlled;
        evaluator tables;
        rule chips { when item under 3A090; then prohibited; }
    }
}

fn main() {}
