// The rule set is for a schema that is not declared (a typo).
control_macros::rules! {
    pub rule_set Us for Transacton {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when item under 3A090;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
