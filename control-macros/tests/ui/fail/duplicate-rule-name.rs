// Two rules share a name.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule lithography {
            when item under 3B001.f.4 && destination == CN;
            then licence_required(case_by_case);
        }
        rule lithography {
            when item under 3B001.f.4 && destination == RU;
            then prohibited;
        }
    }
}

fn main() {}
