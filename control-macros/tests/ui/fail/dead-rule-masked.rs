// Every case of the narrow rule is taken by the exception that overrides it.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule d5 {
            when destination in group EAR:D:5;
            then licence_required(case_by_case);
        }
        rule china {
            overrides d5;
            when destination == CN;
            then licence_required(presumption_of_denial);
        }
        rule china_everything {
            overrides china;
            when destination == CN;
            then prohibited;
        }
    }
}

fn main() {}
