// Two requirements that stack, one claiming to be the exception to the other: the first US book's mistake,
// which let a case-by-case Entity List rule silence the presumption of denial for advanced chips.
control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        otherwise not_controlled;
        party smic = "Semiconductor Manufacturing International Corporation";
        rule advanced_chips_cn {
            cumulative;
            when item under 3A090 && destination == CN;
            then licence_required(presumption_of_denial);
        }
        rule entity_list_smic {
            cumulative;
            overrides advanced_chips_cn;
            when end_user == smic;
            then licence_required(case_by_case);
        }
    }
}

fn main() {}
