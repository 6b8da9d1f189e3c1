// The rule set says it decides every case, but Macau falls between its two rules.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        complete;
        rule china {
            when destination == CN;
            then licence_required(presumption_of_denial);
        }
        rule elsewhere {
            when destination not in [CN, MO];
            then not_controlled;
        }
    }
}

fn main() {}
