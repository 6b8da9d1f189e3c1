// The EAR's Country Group D:5 is written `EAR:D:5`.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule arms_embargoed {
            when destination in group EAR:D5;
            then prohibited;
        }
    }
}

fn main() {}
