// The review policy is misspelt.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when item under 3A090;
            then licence_required(presumption_of_denail);
        }
    }
}

fn main() {}
