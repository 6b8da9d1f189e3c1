// `under` follows the control-code hierarchy; it does not apply to countries.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when destination under 3A090;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
