// Activities have no order; `<` is for numbers and dates.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when activity < servicing;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
