// Three unrelated mistakes: all three are reported in one compilation.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule a {
            when destination == UK;
            then prohibited;
        }
        rule b {
            when item under 3A09O;
            then prohibited;
        }
        rule c {
            when activity == exprot;
            then prohibited;
        }
    }
}

fn main() {}
