// The rule never says what it decides.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when item under 3A090;
        }
    }
}

fn main() {}
