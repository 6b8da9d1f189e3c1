// The rule tests a field the Transaction schema does not have (a typo of `destination`).
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips_to_china {
            when destnation == CN;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
