// The condition asks for two destinations at once, so the rule never applies.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule china_and_macau {
            when destination == CN && destination == MO;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
