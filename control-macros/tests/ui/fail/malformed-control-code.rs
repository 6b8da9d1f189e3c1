// The ECCN has the letter O where a zero belongs.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule lithography {
            when item under 3B0O1.f.4;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
