// A date is compared with a country field.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips_to_china {
            when destination == 2024-03-07;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
