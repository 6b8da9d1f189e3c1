//! The semantics of DESIGN.md, rule by rule, on small rule sets over the Transaction schema.

use control_core::jiff::civil::date;
use control_core::json::parse_rule_set as load_rule_set;
use control_core::{
    Evaluator, Interpreter, Outcome, Record, Regimes, ReviewPolicy, RuleSet, Scenario, Schema,
    Transaction, Verdict, VerdictKind,
};
use serde_json::json;

fn rules(otherwise: serde_json::Value, rules: serde_json::Value) -> RuleSet {
    let mut doc = json!({"name": "t", "regime": "XX", "schema": "Transaction", "list": "CCL", "rules": rules});
    if otherwise == json!("complete") {
        doc["complete"] = json!(true);
    } else {
        doc["otherwise"] = otherwise;
    }
    load_rule_set(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

fn case(changes: serde_json::Value) -> Transaction {
    let mut t = json!({
        "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item_origin": "NL",
        "us_content": 8, "activity": "export", "destination": "CN", "end_user": "smic",
        "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"
    });
    for (k, v) in changes.as_object().unwrap() {
        t[k] = v.clone();
    }
    Transaction::from_core_fields(t).unwrap()
}

const DENIAL: Outcome = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial);
const APPROVAL: Outcome = Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval);

fn outcome(rs: &RuleSet, t: &Transaction, s: Scenario) -> Option<Outcome> {
    rs.decide(t, &s).outcome().cloned()
}

#[test]
fn a_rule_applies_only_when_its_condition_holds() {
    let rs = rules(
        json!("not_controlled"),
        json!([
            {"name": "cn", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}
        ]),
    );
    assert_eq!(
        outcome(&rs, &case(json!({})), Scenario::CURRENT),
        Some(Outcome::Prohibited)
    );
    let d = rs.decide(&case(json!({"destination": "JP"})), &Scenario::CURRENT);
    assert_eq!(d.verdict(), Verdict::Otherwise(&Outcome::NotControlled));
    assert!(d.deciding().is_empty());
}

#[test]
fn effective_periods_are_half_open_and_use_the_case_date_unless_the_scenario_sets_one() {
    let rs = rules(
        json!("not_controlled"),
        json!([
            {"name": "p", "from": "2023-09-01", "until": "2024-09-01", "when": {"always": true}, "then": "prohibited"}
        ]),
    );
    let at = |d: &str| case(json!({"date": d}));
    assert_eq!(
        outcome(&rs, &at("2023-08-31"), Scenario::CURRENT),
        Some(Outcome::NotControlled)
    );
    assert_eq!(
        outcome(&rs, &at("2023-09-01"), Scenario::CURRENT),
        Some(Outcome::Prohibited)
    );
    assert_eq!(
        outcome(&rs, &at("2024-08-31"), Scenario::CURRENT),
        Some(Outcome::Prohibited)
    );
    assert_eq!(
        outcome(&rs, &at("2024-09-01"), Scenario::CURRENT),
        Some(Outcome::NotControlled)
    );
    // The as-of date replaces the case's own date.
    assert_eq!(
        outcome(&rs, &at("2020-01-01"), Scenario::as_of(date(2024, 1, 1))),
        Some(Outcome::Prohibited)
    );
    assert_eq!(
        rs.effective_date(&at("2020-01-01"), &Scenario::as_of(date(2024, 1, 1))),
        Some(date(2024, 1, 1))
    );
}

#[test]
fn proposals_apply_only_in_scenarios_with_proposals() {
    let rs = rules(
        json!("not_controlled"),
        json!([
            {"name": "p", "status": "proposed", "when": {"always": true}, "then": "prohibited"}
        ]),
    );
    assert_eq!(
        outcome(&rs, &case(json!({})), Scenario::CURRENT),
        Some(Outcome::NotControlled)
    );
    assert_eq!(
        outcome(&rs, &case(json!({})), Scenario::CURRENT.with_proposals()),
        Some(Outcome::Prohibited)
    );
}

#[test]
fn an_applying_override_masks_the_rule_it_overrides_transitively() {
    let rs = rules(
        json!("not_controlled"),
        json!([
            {"name": "base", "when": {"field": "destination", "eq": "CN"}, "then": {"licence_required": "case_by_case"}},
            {"name": "mid", "overrides": ["base"], "when": {"field": "activity", "eq": "servicing"},
             "then": {"licence_required": "presumption_of_approval"}},
            {"name": "top", "overrides": ["mid"], "when": {"field": "contract_date", "lt": "2024-01-01"},
             "then": {"licence_required": "presumption_of_denial"}}
        ]),
    );
    // Only base applies.
    let export = case(json!({"contract_date": "2024-02-01"}));
    assert_eq!(
        outcome(&rs, &export, Scenario::CURRENT),
        Some(Outcome::LicenceRequired(ReviewPolicy::CaseByCase))
    );
    // base and mid apply: mid decides.
    let servicing = case(json!({"activity": "servicing", "contract_date": "2024-02-01"}));
    assert_eq!(outcome(&rs, &servicing, Scenario::CURRENT), Some(APPROVAL));
    // All three apply: top overrides mid directly and base transitively.
    let old = case(json!({"activity": "servicing"}));
    let d = rs.decide(&old, &Scenario::CURRENT);
    assert_eq!(d.outcome(), Some(&DENIAL));
    assert_eq!(d.deciding_names().collect::<Vec<_>>(), ["top"]);
    // top and base apply but mid does not: top still overrides base (transitively), so top decides alone.
    let old_export = case(json!({}));
    assert_eq!(
        rs.decide(&old_export, &Scenario::CURRENT)
            .deciding_names()
            .collect::<Vec<_>>(),
        ["top"]
    );
    assert!(rs.overrides(2, 0) && !rs.overrides(0, 2));
}

#[test]
fn deciding_rules_that_disagree_are_a_conflict_never_resolved_by_order() {
    let rs = rules(
        json!("not_controlled"),
        json!([
            {"name": "a", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
            {"name": "b", "when": {"field": "activity", "eq": "export"}, "then": {"licence_required": "case_by_case"}},
            {"name": "c", "when": {"field": "item", "under": "3B001"}, "then": "prohibited"}
        ]),
    );
    let d = rs.decide(&case(json!({})), &Scenario::CURRENT);
    assert_eq!(
        d.verdict(),
        Verdict::Conflict {
            first: 0,
            second: 1
        }
    );
    assert_eq!(d.outcome(), None);
    assert_eq!(d.deciding().total(), 3);
    let rec = d.to_record();
    assert_eq!(rec.verdict, VerdictKind::Conflict);
    assert_eq!(rec.conflict, Some(["a".to_string(), "b".to_string()]));
    // Agreeing deciding rules are not a conflict: both are reported.
    let d = rs.decide(&case(json!({"activity": "servicing"})), &Scenario::CURRENT);
    assert_eq!(d.outcome(), Some(&Outcome::Prohibited));
    assert_eq!(d.deciding_names().collect::<Vec<_>>(), ["a", "c"]);
}

#[test]
fn a_complete_rule_set_reports_a_gap_as_undecided() {
    let rs = rules(
        json!("complete"),
        json!([
            {"name": "cn", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}
        ]),
    );
    assert_eq!(
        rs.decide(&case(json!({"destination": "FR"})), &Scenario::CURRENT)
            .verdict(),
        Verdict::Undecided
    );
}

#[test]
fn many_deciding_rules_are_counted_and_all_explained() {
    let many: Vec<_> = (0..12)
        .map(|i| json!({"name": format!("r{i}"), "when": {"always": true}, "then": "prohibited"}))
        .collect();
    let rs = rules(json!("not_controlled"), json!(many));
    let d = rs.decide(&case(json!({})), &Scenario::CURRENT);
    assert_eq!(d.deciding().total(), 12);
    assert_eq!(
        d.deciding().iter().count(),
        control_core::semantics::INLINE_DECIDING
    );
    let e = rs.explain(&case(json!({})), &Scenario::CURRENT);
    assert_eq!(e.decision.deciding.len(), 12);
    assert_eq!(e.applying.len(), 12);
}

#[test]
fn the_explanation_lists_every_applying_rule_what_overrode_it_and_the_citations() {
    let rs = rules(
        json!("not_controlled"),
        json!([
            {"name": "base", "citation": "Reg. art. 2", "when": {"always": true}, "then": {"licence_required": "case_by_case"}},
            {"name": "exc", "citation": "Reg. art. 3", "overrides": ["base"], "status": "proposed",
             "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
            {"name": "other", "when": {"field": "destination", "eq": "JP"}, "then": "prohibited"}
        ]),
    );
    let s = Scenario::as_of(date(2024, 3, 7)).with_proposals();
    let e = rs.explain(&case(json!({})), &s);
    assert_eq!(e.decision.outcome, Some(Outcome::Prohibited));
    assert_eq!(e.applying.len(), 2);
    assert_eq!(e.applying[0].rule.name, "base");
    assert!(!e.applying[0].deciding);
    assert_eq!(e.applying[0].overridden_by, ["exc"]);
    assert_eq!(e.applying[1].rule.citation.as_deref(), Some("Reg. art. 3"));
    assert!(e.applying[1].deciding);
    let text = e.to_string();
    assert!(text.contains("decision: prohibited"), "{text}");
    assert!(
        text.contains("base [overridden]: licence required (case by case), overridden by exc"),
        "{text}"
    );
    assert!(text.contains("citation: Reg. art. 3"), "{text}");
    // Explanations round-trip through serde.
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        serde_json::from_str::<control_core::Explanation>(&json).unwrap(),
        e
    );
    // And the decision serialises with names and citations.
    let d = serde_json::to_value(rs.decide(&case(json!({})), &s)).unwrap();
    assert_eq!(d["deciding"][0]["name"], "exc");
    assert_eq!(d["deciding"][0]["citation"], "Reg. art. 3");
}

#[test]
fn decide_allocates_nothing() {
    let doc = json!({"name": "t", "regime": "XX", "schema": "Transaction", "list": "CCL", "otherwise": "not_controlled",
        "parties": [{"id": "smic", "name": "Semiconductor Manufacturing International Corp."}],
        "rules": [
        {"name": "a", "when": {"all": [{"field": "destination", "in_group": "EAR:D:5"}, {"field": "item", "under": "3B001"}]},
         "then": {"licence_required": "case_by_case"}},
        {"name": "b", "overrides": ["a"], "when": {"field": "end_user", "in": ["smic"]}, "then": "prohibited"}
    ]});
    let rs = load_rule_set(&doc.to_string()).unwrap();
    let cases = [
        case(json!({})),
        case(json!({"end_user": "acme"})),
        case(json!({"destination": "FR", "end_user": "acme"})),
    ];
    let s = Scenario::CURRENT.with_proposals();
    let mut outcomes = Vec::with_capacity(cases.len());
    let info = allocation_counter::measure(|| {
        for c in &cases {
            let d = rs.decide(c, &s);
            outcomes.push(d.outcome().map(Outcome::level));
        }
    });
    assert_eq!(info.count_total, 0);
    assert_eq!(outcomes, [Some(5), Some(3), Some(0)]);
}

#[test]
fn the_interpreter_checks_the_case_type_against_the_schema() {
    let custom = json!({"name": "c", "regime": "XX", "otherwise": "not_controlled",
        "schema": {"name": "Shipment", "fields": [{"name": "to", "type": "country"}]},
        "rules": [{"name": "r", "when": {"field": "to", "eq": "CN"}, "then": "prohibited"}]});
    let err = Interpreter::<Transaction>::from_json(&custom.to_string()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "rule set `c` is written for schema `Shipment`, but the cases are Transactions"
    );
    let i = Interpreter::<Record>::from_json(&custom.to_string()).unwrap();
    let rec = Record::from_json(i.rule_set().schema(), &json!({"to": "CN"})).unwrap();
    assert_eq!(
        i.decide(&rec, &Scenario::CURRENT).outcome(),
        Some(&Outcome::Prohibited)
    );
    assert_ne!(i.rule_set().schema(), Schema::transaction());
}

#[test]
fn regimes_report_each_decision_and_the_most_restrictive() {
    let load = |regime: &str, exporter: &str, then: serde_json::Value| {
        let doc = json!({"name": format!("{regime}_rules"), "regime": regime, "schema": "Transaction", "list": "CCL",
            "applies_when": {"field": "exporter_country", "eq": exporter}, "otherwise": "not_controlled",
            "rules": [{"name": "r", "citation": format!("{regime} art. 1"), "when": {"field": "destination", "eq": "CN"}, "then": then}]});
        Interpreter::<Transaction>::from_json(&doc.to_string()).unwrap()
    };
    let nl = load("NL", "NL", json!({"licence_required": "case_by_case"}));
    let nl2 = load("NL2", "NL", json!({"licence_required": "case_by_case"}));
    let us = load("US", "US", json!("prohibited"));
    let jp = load("JP", "NL", json!({"licence_exception": "X"}));
    let all = Regimes::new().with(&nl).with(&us).with(&nl2).with(&jp);
    let m = all.evaluate(&case(json!({})), &Scenario::CURRENT);
    assert_eq!(m.regimes.len(), 4);
    assert!(!m.regimes[1].in_jurisdiction && m.regimes[1].decision.is_none());
    assert_eq!(
        m.summary.outcome,
        Some(Outcome::LicenceRequired(ReviewPolicy::CaseByCase))
    );
    assert_eq!(m.summary.decided_by, ["NL", "NL2"]);
    let text = m.to_string();
    assert!(text.contains("US   not in jurisdiction"), "{text}");
    assert!(
        text.contains("NL   licence required (case by case), by r (NL art. 1)"),
        "{text}"
    );
    assert!(
        text.contains("most restrictive: licence required (case by case) (NL, NL2)"),
        "{text}"
    );
    let none = all.evaluate(&case(json!({"exporter_country": "FR"})), &Scenario::CURRENT);
    assert_eq!(none.summary.outcome, None);
}

#[test]
fn regimes_name_conflicting_rule_sets_in_the_summary() {
    let doc = json!({"name": "bad", "regime": "XX", "schema": "Transaction", "list": "CCL", "otherwise": "not_controlled",
        "rules": [{"name": "a", "when": {"always": true}, "then": "prohibited"},
                  {"name": "b", "when": {"always": true}, "then": "not_controlled"}]});
    // The analysis rejects this rule set, so no Interpreter can be built for it...
    let rs = load_rule_set(&doc.to_string()).unwrap();
    assert!(control_core::analysis::accept(rs.clone()).is_err());
    // ...but an evaluator written by hand over the reference semantics still shows the conflict, never an outcome.
    struct Unchecked(control_core::RuleSet);
    impl Evaluator for Unchecked {
        type Case = Transaction;
        fn rule_set(&self) -> &control_core::RuleSet {
            &self.0
        }
        fn decide(&self, case: &Transaction, s: &Scenario) -> control_core::Decision<'_> {
            self.0.decide(case, s)
        }
    }
    let bad = Unchecked(rs);
    let m = Regimes::new()
        .with(&bad)
        .evaluate(&case(json!({})), &Scenario::CURRENT);
    assert_eq!(m.summary.conflicts, ["XX"]);
    assert_eq!(m.summary.outcome, None);
    assert!(m.to_string().contains("CONFLICT between `a` and `b`"));
}

#[test]
fn a_record_of_another_schema_is_unfit_never_not_controlled() {
    let doc = |fields: serde_json::Value| {
        json!({"name": "t", "regime": "XX", "otherwise": "not_controlled",
               "schema": {"name": "S", "fields": fields},
               "rules": [{"name": "big", "when": {"field": "n", "gt": 10}, "then": "prohibited"}]})
    };
    let rs =
        Interpreter::<Record>::from_json(&doc(json!([{"name": "n", "type": "int"}])).to_string())
            .unwrap();
    let own = Record::from_json(rs.rule_set().schema(), &json!({"n": 11})).unwrap();
    assert_eq!(
        rs.decide(&own, &Scenario::CURRENT).outcome(),
        Some(&Outcome::Prohibited)
    );
    // The same field name with another type, and a record with one field too many.
    let other: Schema = serde_json::from_value(json!({"name": "S",
        "fields": [{"name": "n", "type": "decimal"}]}))
    .unwrap();
    let foreign = Record::from_json(&other, &json!({"n": 11})).unwrap();
    let wider: Schema = serde_json::from_value(json!({"name": "S",
        "fields": [{"name": "n", "type": "int"}, {"name": "m", "type": "int"}]}))
    .unwrap();
    let too_long = Record::from_json(&wider, &json!({"n": 11, "m": 1})).unwrap();
    for case in [&foreign, &too_long] {
        let d = rs.decide(case, &Scenario::CURRENT);
        assert_eq!(d.verdict(), Verdict::Unfit);
        assert_eq!(d.outcome(), None);
        assert!(rs.in_jurisdiction(case, &Scenario::CURRENT));
        assert_eq!(
            rs.explain(case, &Scenario::CURRENT).decision.verdict,
            VerdictKind::Unfit
        );
        let m = Regimes::new().with(&rs).evaluate(case, &Scenario::CURRENT);
        assert_eq!(m.summary.outcome, None);
        assert_eq!(m.summary.unfit, ["XX"]);
    }
}

#[test]
fn multi_regime_records_list_every_deciding_rule_even_past_the_inline_ones() {
    let many: Vec<serde_json::Value> = (0..12)
        .map(|i| {
            json!({"name": format!("r{i}"), "when": {"field": "destination", "eq": "CN"},
                        "then": "prohibited"})
        })
        .collect();
    let doc = json!({"name": "t", "regime": "XX", "schema": "Transaction", "list": "CCL", "otherwise": "not_controlled",
                     "rules": many});
    let rs = Interpreter::<Transaction>::from_json(&doc.to_string()).unwrap();
    let d = rs.decide(&case(json!({})), &Scenario::CURRENT);
    assert_eq!(d.deciding().total(), 12);
    assert!(!d.deciding().is_complete());
    let m = Regimes::new()
        .with(&rs)
        .evaluate(&case(json!({})), &Scenario::CURRENT);
    let record = m.regimes[0].decision.as_ref().unwrap();
    assert_eq!(record.deciding.len(), 12);
    assert_eq!(record.deciding_total, 12);
}

#[test]
fn a_rule_id_of_another_rule_set_never_panics() {
    let rs = rules(
        json!("not_controlled"),
        json!([{"name": "a", "when": {"always": true}, "then": "prohibited"}]),
    );
    let foreign = 7;
    assert!(rs.rule(foreign).is_none());
    assert!(rs.overriders_of(foreign).is_empty() && rs.overrides_of(foreign).is_empty());
    assert!(!rs.overrides(0, foreign));
    assert!(!rs.applies(foreign, &case(json!({})), &Scenario::CURRENT));
    let d = rs.conclude([0, foreign].into_iter());
    assert_eq!(d.outcome(), Some(&Outcome::Prohibited));
    assert_eq!(d.deciding().total(), 1);
}

#[test]
fn us_content_outside_0_to_100_is_refused_on_reading_and_unfit_in_code() {
    let e = Transaction::from_core_fields(json!({
        "exporter": "x", "exporter_country": "US", "item": "3A090.a", "item_origin": "US", "us_content": 150,
        "activity": "export", "destination": "CN", "end_user": "y", "end_use": "civil",
        "date": "2024-03-07", "contract_date": "2024-01-01"}))
    .unwrap_err();
    assert!(
        e.to_string().contains("not a percentage from 0 to 100"),
        "{e}"
    );
    let rs = Interpreter::<Transaction>::from_json(
        &json!({"name": "t", "regime": "US", "schema": "Transaction", "otherwise": "not_controlled",
                "applies_when": {"field": "us_content", "gt": 25},
                "rules": [{"name": "a", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}]})
        .to_string(),
    )
    .unwrap();
    let mut t = case(json!({}));
    t.us_content = control_core::Decimal::from_int(150);
    assert_eq!(rs.decide(&t, &Scenario::CURRENT).verdict(), Verdict::Unfit);
    assert!(rs.in_jurisdiction(&t, &Scenario::CURRENT));
    // The analysis' domain is the field's range: a rule for more than 100 % can never apply.
    let dead = control_core::json::load_rule_set(
        &json!({"name": "t", "regime": "US", "schema": "Transaction", "otherwise": "not_controlled",
                "rules": [{"name": "over", "when": {"field": "us_content", "gt": 100}, "then": "prohibited"}]})
        .to_string(),
    )
    .unwrap_err();
    assert!(
        dead.to_string()
            .contains("rule `over` can never decide a case"),
        "{dead}"
    );
}
