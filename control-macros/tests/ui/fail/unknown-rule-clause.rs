// A rule clause keyword is misspelt.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            citaton "15 CFR 742.6(a)(6)";
            when item under 3A090;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
