// The rule names a party the rule set did not declare.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        party huawei = "Huawei Technologies Co., Ltd.";
        rule entity_list {
            when end_user == huawie;
            then licence_required(presumption_of_denial);
        }
    }
}

fn main() {}
