// A date written day-first instead of YYYY-MM-DD.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule lithography {
            from 01-09-2023;
            when item under 3B001.f.4;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
