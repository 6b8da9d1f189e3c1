//! The model for real regulations, one rule of each kind, deciding as the primary texts say (15 CFR as in
//! force on 7 Mar 2024, read from the eCFR; the 3A090.a threshold is this book's reading, unconfirmed):
//! parties in roles and their facts (headquarters, Entity List entries), item facts (data centre, TPP), US
//! persons, foreign direct products, dated country groups, a treated territory, and two control lists that
//! number the same text differently. Run with `--nocapture` to read the explanations.

use control_core::{
    ControlCode, Country, DirectProduct, EntityListing, Evaluator, Outcome, ReviewPolicy, Scenario,
    Transaction,
};
use serde_json::json;

control_macros::rules! {
    /// The EAR's advanced-computing controls of 17 Nov 2023, as the model can now state them.
    pub rule_set Ear2024 for Transaction {
        regime "US";
        // Foreign-made items are subject to the EAR as direct products (15 CFR 734.9(h)); US persons are
        // restricted wherever they are (744.6).
        applies when exporter_country == US || item_origin == US || us_content > 25% || fdp != none || us_person;
        otherwise not_controlled;
        cumulative;
        treat HK as CN from 2020-12-23, citation "85 FR 83765 (23 Dec 2020)";

        /// §742.6(a)(6)(iii), (b)(10)(ii): to Macau or a D:5 destination, presumption of denial.
        rule ac_d5 {
            citation "15 CFR 742.6(a)(6)(iii), (b)(10)(ii) (88 FR 73458)";
            from 2023-11-17;
            when item under 3A090 && (destination in group EAR:D:5 || destination == MO);
            then licence_required(presumption_of_denial);
        }

        /// §742.6(b)(10)(ii): to D:1 or D:4 (not also A:5 or A:6), for an entity headquartered, or whose
        /// ultimate parent is headquartered, in Macau or D:5: presumption of denial.
        rule ac_d1_d4_headquartered_d5 {
            citation "15 CFR 742.6(a)(6)(iii), (b)(10)(ii) (88 FR 73458)";
            from 2023-11-17;
            when item under 3A090
                && (destination in group EAR:D:1 || destination in group EAR:D:4)
                && destination not in group EAR:D:5 && destination != MO
                && destination not in group EAR:A:5 && destination not in group EAR:A:6
                && (end_user.headquarters in group EAR:D:5 || end_user.headquarters == MO
                    || end_user.parent_headquarters in group EAR:D:5 || end_user.parent_headquarters == MO);
            then licence_required(presumption_of_denial);
        }

        /// §742.6(b)(10)(ii): to D:1 or D:4 (not also A:5 or A:6) otherwise: presumption of approval.
        rule ac_d1_d4 {
            citation "15 CFR 742.6(a)(6)(iii), (b)(10)(ii) (88 FR 73458)";
            from 2023-11-17;
            when item under 3A090
                && (destination in group EAR:D:1 || destination in group EAR:D:4)
                && destination not in group EAR:D:5 && destination != MO
                && destination not in group EAR:A:5 && destination not in group EAR:A:6
                && !(end_user.headquarters in group EAR:D:5 || end_user.headquarters == MO
                    || end_user.parent_headquarters in group EAR:D:5 || end_user.parent_headquarters == MO);
            then licence_required(presumption_of_approval);
        }

        /// License Exception NAC (§740.8(a)): any 3A090 item except one designed or marketed for data centres
        /// that meets 3A090.a (read here as a TPP of 4800 or more: unconfirmed), to D:1 or D:4 destinations,
        /// and to Macau or D:5 after notifying BIS (§740.8(a)(2)).
        rule nac {
            not_cumulative;
            citation "15 CFR 740.8(a) (88 FR 73491); 3A090.a threshold unconfirmed";
            from 2023-11-17;
            overrides ac_d5, ac_d1_d4_headquartered_d5, ac_d1_d4;
            when item under 3A090 && !(data_centre && tpp >= 4800)
                && (((destination in group EAR:D:1 || destination in group EAR:D:4)
                        && destination not in group EAR:D:5 && destination != MO)
                    || ((destination in group EAR:D:5 || destination == MO) && notified));
            then licence_exception(NAC);
        }

        /// §744.11(a): a party to the transaction in any role on the Entity List (here with a presumption of
        /// denial); in addition to the other requirements, and it bars NAC (§740.8(b)(1)).
        rule entity_list {
            citation "15 CFR 744.11(a); 15 CFR 740.8(b)(1)";
            overrides nac;
            when any_party.entity_list == presumption_of_denial;
            then licence_required(presumption_of_denial);
        }

        /// §744.6(c)(2): a US person supporting an advanced fab in China, whatever the item; bars NAC.
        rule us_persons {
            citation "15 CFR 744.6(c)(2) (87 FR 62186)";
            from 2022-10-12;
            overrides nac;
            when us_person && destination == CN && end_use in [advanced_logic_fab, advanced_memory_fab];
            then licence_required(presumption_of_denial);
        }
    }

    /// The Dutch national measure reads the Dutch annex, whose `3B001.f.4` is an immersion DUV scanner.
    pub rule_set NlAnnex for Transaction {
        regime "NL";
        applies when exporter_country == NL;
        otherwise not_controlled;
        rule duv_outside_eu {
            citation "Regeling geavanceerde productieapparatuur voor halfgeleiders (Stcrt. 2023, 18212), art. 2";
            from 2023-09-01;
            when item under 3B001.f.4 && destination not in group EU27;
            then licence_required(case_by_case);
        }
    }
}

fn chip(changes: serde_json::Value) -> Transaction {
    let mut core = json!({
        "exporter": "nvidia", "exporter_country": "US", "item": "3A090.a", "item_origin": "TW",
        "us_content": 100, "activity": "export", "destination": "AE", "end_user": "cloud",
        "end_use": "data_centre", "date": "2024-03-07", "contract_date": "2024-01-10",
        "data_centre": true, "tpp": 4900, "performance_density": 7.5
    });
    for (k, v) in changes.as_object().unwrap() {
        core[k] = v.clone();
    }
    Transaction::from_core_fields(core).unwrap()
}

fn decide(
    b: &impl Evaluator<Case = Transaction>,
    t: &Transaction,
) -> (Option<Outcome>, Vec<String>) {
    let s = Scenario::CURRENT;
    if !b.in_jurisdiction(t, &s) {
        return (None, Vec::new());
    }
    let d = b.decide(t, &s);
    println!("{}", b.explain(t, &s));
    (
        d.outcome().cloned(),
        d.deciding_names().map(str::to_owned).collect(),
    )
}

const DENIAL: Outcome = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial);
const APPROVAL: Outcome = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval);

#[test]
fn headquarters_decide_the_review_policy_in_d1_and_d4() {
    // A data-centre chip to a cloud in the UAE (D:4): presumption of approval, unless the customer or its
    // ultimate parent is headquartered in Macau or D:5.
    let local = chip(json!({"end_user.headquarters": "AE", "end_user.parent_headquarters": "AE"}));
    assert_eq!(decide(&Ear2024, &local).0, Some(APPROVAL));
    let chinese_parent =
        chip(json!({"end_user.headquarters": "AE", "end_user.parent_headquarters": "CN"}));
    assert_eq!(
        decide(&Ear2024, &chinese_parent),
        (Some(DENIAL), vec!["ac_d1_d4_headquartered_d5".to_owned()])
    );
}

#[test]
fn any_party_on_the_entity_list_in_any_role() {
    // The end user is clean; the intermediate consignee is listed: the Entity List requirement applies in
    // addition, and the stricter policy decides.
    let mut t = chip(json!({}));
    t.intermediate_consignee = "broker".into();
    t.intermediate_consignee_entity_list = EntityListing::PresumptionOfDenial;
    let (outcome, deciding) = decide(&Ear2024, &t);
    assert_eq!(outcome, Some(DENIAL));
    assert_eq!(deciding, ["ac_d1_d4", "entity_list"]);
    let e = Ear2024.explain(&t, &Scenario::CURRENT).to_string();
    assert!(e.contains("set by `entity_list`"), "{e}");
}

#[test]
fn nac_turns_on_data_centre_tpp_and_notification() {
    // Not for data centres: NAC to a D:4 destination; a data-centre item meeting 3A090.a: no NAC.
    let consumer =
        chip(json!({"item": "3A090.b", "data_centre": false, "tpp": 2600, "end_use": "civil"}));
    assert_eq!(
        decide(&Ear2024, &consumer).0,
        Some(Outcome::LicenceException("NAC".into()))
    );
    assert_eq!(decide(&Ear2024, &chip(json!({}))).0, Some(APPROVAL));
    // To China (D:5): NAC only after notifying BIS.
    let to_china =
        chip(json!({"item": "3A090.b", "data_centre": false, "tpp": 2600, "destination": "CN"}));
    assert_eq!(decide(&Ear2024, &to_china).0, Some(DENIAL));
    let notified = chip(
        json!({"item": "3A090.b", "data_centre": false, "tpp": 2600, "destination": "CN", "notified": true}),
    );
    assert_eq!(
        decide(&Ear2024, &notified).0,
        Some(Outcome::LicenceException("NAC".into()))
    );
}

#[test]
fn us_persons_and_foreign_direct_products_are_within_reach() {
    // A Japanese firm's EAR99 service at an advanced fab in China: outside the EAR, unless a US person takes
    // part.
    let service = json!({"exporter": "tel", "exporter_country": "JP", "item": "EAR99", "item_origin": "JP",
        "us_content": 0, "activity": "servicing", "end_use": "advanced_logic_fab", "destination": "CN",
        "data_centre": false, "tpp": 0, "performance_density": 0});
    assert_eq!(decide(&Ear2024, &chip(service.clone())).0, None);
    let mut with_us_person = service;
    with_us_person["us_person"] = json!(true);
    assert_eq!(decide(&Ear2024, &chip(with_us_person)).0, Some(DENIAL));
    // A chip made and shipped abroad with no US content: subject to the EAR only as a direct product.
    let foreign = json!({"exporter_country": "TW", "item_origin": "TW", "us_content": 0, "destination": "CN"});
    assert_eq!(decide(&Ear2024, &chip(foreign.clone())).0, None);
    let mut fdp = chip(foreign);
    fdp.fdp = DirectProduct::AdvancedComputing;
    assert_eq!(decide(&Ear2024, &fdp).0, Some(DENIAL));
}

#[test]
fn dated_groups_and_hong_kong() {
    // Nicaragua joined D:5 on 15 Mar 2024 (89 FR 18780): before, not D:1, D:4 or D:5; after, denial.
    let to_ni = |date: &str| chip(json!({"destination": "NI", "date": date}));
    assert_eq!(
        decide(&Ear2024, &to_ni("2024-03-14")).0,
        Some(Outcome::NotControlled)
    );
    assert_eq!(decide(&Ear2024, &to_ni("2024-03-15")).0, Some(DENIAL));
    // Hong Kong is read as China: D:5.
    let to_hk = chip(json!({"destination": "HK"}));
    assert_eq!(
        decide(&Ear2024, &to_hk),
        (Some(DENIAL), vec!["ac_d5".to_owned()])
    );
    assert_eq!(to_hk.destination, Country::HK);
}

#[test]
fn one_code_text_two_items() {
    // The CCL's 3B001.f.4 (direct-write lithography) is not the Dutch annex's 3B001.f.4 (immersion DUV).
    let tool = |ccl: &str, nl: &str| {
        let mut t = chip(
            json!({"exporter": "asml", "exporter_country": "NL", "item": ccl, "item_origin": "NL",
            "us_content": 8, "destination": "CN", "end_use": "advanced_logic_fab", "data_centre": false,
            "tpp": 0, "performance_density": 0}),
        );
        t.item_nl = ControlCode::parse(nl).unwrap();
        t
    };
    let direct_write = tool("3B001.f.4", "UNLISTED");
    assert_eq!(
        decide(&NlAnnex, &direct_write).0,
        Some(Outcome::NotControlled)
    );
    let duv = tool("3B001.f.1", "3B001.f.4");
    assert_eq!(
        decide(&NlAnnex, &duv).0,
        Some(Outcome::LicenceRequired(ReviewPolicy::CaseByCase))
    );
}
