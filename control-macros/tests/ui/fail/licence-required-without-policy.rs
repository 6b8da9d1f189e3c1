// A licence requirement must say how applications are reviewed.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule chips {
            when item under 3A090;
            then licence_required;
        }
    }
}

fn main() {}
