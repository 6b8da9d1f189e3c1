// Parties' facts are read by role: `consignee` is not a role (the roles are purchaser, intermediate_consignee,
// ultimate_consignee and end_user, or any_party for any of them), and the purchaser has no headquarters fact.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        rule listed_consignee {
            when consignee.entity_list != not_listed;
            then licence_required(presumption_of_denial);
        }
        rule purchaser_hq {
            when purchaser.headquarters in group EAR:D:5;
            then licence_required(presumption_of_denial);
        }
        rule any_party_colour {
            when any_party.colour == red;
            then prohibited;
        }
    }
}

fn main() {}
