// A rule that says both.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule advanced_chips_cn {
            cumulative;
            not_cumulative;
            when item under 3A090 && destination == CN;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
