// The rule ends the day it starts: it is never in effect.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule lithography {
            from 2024-03-07;
            until 2024-03-07;
            when item under 3B001.f.4;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
