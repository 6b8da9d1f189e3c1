// The exception names a rule that does not exist (a typo).
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule servicing {
            when activity == servicing && destination == CN;
            then licence_required(presumption_of_approval);
        }
        rule old_tools {
            overrides servcing;
            when activity == servicing && destination == CN && contract_date < 2024-01-01;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
