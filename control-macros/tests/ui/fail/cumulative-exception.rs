// A rule set whose rules stack by default, and a licence exception that forgot to say it is not one of them.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        cumulative;
        rule advanced_chips_cn {
            when item under 3A090 && destination == CN;
            then licence_required(presumption_of_denial);
        }
        rule nac {
            overrides advanced_chips_cn;
            when item under 3A090.b && destination == CN;
            then licence_exception(NAC);
        }
    }
}

fn main() {}
