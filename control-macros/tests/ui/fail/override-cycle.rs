// Three rules each claim to be the exception to the next.
control_macros::rules! {
    pub rule_set Nl for Transaction {
        regime "NL";
        otherwise not_controlled;
        rule a {
            overrides b;
            when destination == CN;
            then prohibited;
        }
        rule b {
            overrides c;
            when destination == CN;
            then prohibited;
        }
        rule c {
            overrides a;
            when destination == CN;
            then prohibited;
        }
    }
}

fn main() {}
