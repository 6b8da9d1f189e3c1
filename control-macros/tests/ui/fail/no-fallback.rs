// The rule set neither gives an `otherwise` outcome nor declares itself complete.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        rule chips {
            when item under 3A090;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
