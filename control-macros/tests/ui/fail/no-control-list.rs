// `item` means the item's classification under the rule set's control list; regime "XX" has no default one,
// and `list CCX;` names none.
control_macros::rules! {
    pub rule_set Xx for Transaction {
        regime "XX";
        otherwise not_controlled;
        rule chips { when item under 3A090; then prohibited; }
    }
    pub rule_set Yy for Transaction {
        regime "XX";
        list CCX;
        otherwise not_controlled;
        rule chips { when item under 3A090; then prohibited; }
    }
}

fn main() {}
