// February 2023 has no 30th.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule lithography {
            from 2023-02-30;
            when item under 3B001.f.4;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
