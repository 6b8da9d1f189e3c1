// An early draft: the chip rule and the China rule overlap on chips to China, and neither is the exception.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips_to_d5 {
            when item under 3A090 && destination in group EAR:D:5;
            then licence_required(presumption_of_denial);
        }
        rule china_case_by_case {
            when destination == CN && activity == export;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
