// The Dutch rule set only covers exports from the Netherlands, but this rule is about exports from Japan.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        applies when exporter_country == NL;
        otherwise not_controlled;
        rule japanese_tools {
            when exporter_country == JP && item under 3B001;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
