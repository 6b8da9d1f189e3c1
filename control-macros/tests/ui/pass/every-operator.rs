// Every operator of the condition language, on the built-in Transaction schema, in one clean rule set.
use control_core::{Evaluator, Outcome, Scenario, Transaction};

control_macros::rules! {
    /// Every operator.
    pub rule_set Everything for Transaction {
        regime "XX";
        list CCL;
        applies when exporter_country != FR;
        otherwise not_controlled;
        treat HK as CN from 2020-12-23, citation "85 FR 83765";
        group friends = [JP, KR];
        party huawei = "Huawei Technologies Co., Ltd." aka "华为";

        rule eq_and_in { when destination == CN && activity in [export, reexport] && item == 3A090.a; then prohibited; }
        rule not_in_list { when destination not in [CN, MO, RU] && item under 3B001; then licence_required(case_by_case); }
        rule groups { when destination in group EAR:D:1 && destination not in group EAR:D:5 && item under 4A090; then licence_required(presumption_of_denial); }
        rule user_group { when destination in group friends && item under 5A992; then licence_exception(STA); }
        rule comparisons { when us_content >= 10 && us_content < 25.5% && item under 0A001; then licence_required(presumption_of_approval); }
        rule ranges { when date in 2023-01-01..2024-01-01 && contract_date in 2022-01-01..=2022-12-31 && item under 1C001; then prohibited; }
        rule words { when (item under 9E003 or item under 9E004) and not (end_use == civil); then prohibited; }
        rule parties { when (end_user == huawei || end_user == "华为") && item under 6A001; then prohibited; }
        rule strings { when item.jp under "JP:7.18" && item == EAR99 && destination == "cn"; then licence_required(case_by_case); }
        // The second round's model: roles and their facts, other lists, item and transaction facts, dated groups.
        rule any_party_listed { when any_party.entity_list == presumption_of_denial && item under 2B001; then prohibited; }
        rule headquarters { when end_user.headquarters in group EAR:D:5 && end_user.parent_headquarters != US && item under 2B002; then licence_required(presumption_of_denial); }
        rule dutch_annex { when item.nl under "NL:3B001.f.4" && item under 2B003; then licence_required(case_by_case); }
        rule chips { when data_centre && tpp >= 4800 && performance_density < 5.92 && item under 2B004; then licence_required(presumption_of_denial); }
        rule persons { when us_person && !notified && fdp == advanced_computing && item under 2B005; then licence_required(case_by_case); }
        rule bounded { from 2023-09-01; until 2025-01-01; when item under 3B090; then licence_required(case_by_case); }
        rule proposal { proposed; when item under 3C001; then licence_required(case_by_case); }
        rule spelling { when item under 3D001; then license_required(case_by_case); }
        rule catch_none { allow_dead; when never; then prohibited; }
    }
}

fn main() {
    let t = Transaction::from_core_fields(serde_json::json!({
        "exporter": "x", "exporter_country": "US", "item": "3A090.a", "item_origin": "US", "us_content": 100,
        "activity": "export", "destination": "CN", "end_user": "y", "end_use": "civil",
        "date": "2024-03-07", "contract_date": "2024-01-01"})).unwrap();
    assert_eq!(Everything.decide(&t, &Scenario::CURRENT).outcome(), Some(&Outcome::Prohibited));
    assert_eq!(Everything::ir().rules().len(), 18);
}
