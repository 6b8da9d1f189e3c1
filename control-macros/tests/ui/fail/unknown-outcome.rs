// The outcome is misspelt.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule huawei {
            when destination == CN;
            then prohibitted;
        }
    }
}

fn main() {}
