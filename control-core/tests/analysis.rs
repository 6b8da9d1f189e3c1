//! Findings of the analysis on hand-written rule sets: each reason for a dead rule, gaps, the diff.

use control_core::analysis::{DeadReason, SideDecision, analyse, diff};
use control_core::json::parse_rule_set;
use control_core::{Outcome, ReviewPolicy, Scenario};
use serde_json::json;

fn rs(rules: serde_json::Value, extra: serde_json::Value) -> control_core::RuleSet {
    let mut doc = json!({"name": "t", "regime": "XX", "schema": "Transaction", "list": "CCL", "otherwise": "not_controlled", "rules": rules});
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    parse_rule_set(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_rule_always_overridden_is_dead_and_names_its_maskers() {
    let r = rs(
        json!([
            {"name": "broad", "when": {"field": "destination", "in_group": "EAR:D:5"}, "then": "prohibited"},
            {"name": "narrow", "overrides": ["broad"], "when": {"field": "destination", "eq": "CN"}, "then": {"licence_required": "presumption_of_denial"}},
            {"name": "cn_only", "overrides": ["narrow"], "when": {"field": "destination", "eq": "CN"}, "then": {"licence_required": "case_by_case"}}
        ]),
        json!({}),
    );
    let a = analyse(&r).unwrap();
    assert!(a.contradictions.is_empty());
    assert_eq!(a.dead_rules.len(), 1);
    assert_eq!(a.dead_rules[0].name, "narrow");
    assert_eq!(
        a.dead_rules[0].reason,
        DeadReason::Masked {
            by: vec!["cn_only".into()]
        }
    );
    assert_eq!(
        a.dead_rules[0].message(),
        "rule `narrow` can never decide a case: wherever it applies, `cn_only` overrides it"
    );
    assert!(!a.is_clean());
}

#[test]
fn a_proposal_overriding_a_rule_does_not_kill_it() {
    // Without proposals the base rule decides; the proposal decides only with proposals.
    let r = rs(
        json!([
            {"name": "base", "when": {"field": "destination", "eq": "CN"}, "then": {"licence_required": "case_by_case"}},
            {"name": "prop", "status": "proposed", "overrides": ["base"], "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}
        ]),
        json!({}),
    );
    let a = analyse(&r).unwrap();
    assert!(
        a.is_clean(),
        "{}",
        a.render(&control_core::json::JsonSyntax)
    );
}

#[test]
fn periods_that_never_overlap_cannot_contradict() {
    let r = rs(
        json!([
            {"name": "old", "until": "2023-11-17", "when": {"field": "item", "under": "3A090"}, "then": {"licence_required": "case_by_case"}},
            {"name": "new", "from": "2023-11-17", "when": {"field": "item", "under": "3A090"}, "then": {"licence_required": "presumption_of_denial"}}
        ]),
        json!({}),
    );
    assert!(analyse(&r).unwrap().is_clean());
    let r = rs(
        json!([
            {"name": "old", "until": "2023-11-18", "when": {"field": "item", "under": "3A090"}, "then": {"licence_required": "case_by_case"}},
            {"name": "new", "from": "2023-11-17", "when": {"field": "item", "under": "3A090"}, "then": {"licence_required": "presumption_of_denial"}}
        ]),
        json!({}),
    );
    let a = analyse(&r).unwrap();
    assert_eq!(a.contradictions.len(), 1);
    // The one day both are in effect.
    assert!(
        a.contradictions[0]
            .witness
            .text
            .contains("date = 2023-11-17"),
        "{}",
        a.contradictions[0].witness
    );
}

#[test]
fn a_rule_outside_the_jurisdiction_is_dead() {
    let r = rs(
        json!([
            {"name": "nl_only", "when": {"field": "exporter_country", "eq": "NL"}, "then": "prohibited"},
            {"name": "us", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"}
        ]),
        json!({"applies_when": {"field": "exporter_country", "eq": "US"}}),
    );
    let a = analyse(&r).unwrap();
    assert_eq!(a.dead_rules.len(), 1);
    assert_eq!(a.dead_rules[0].reason, DeadReason::OutsideJurisdiction);
}

#[test]
fn unsatisfiable_conditions_name_the_clash_and_may_be_allowed() {
    let r = rs(
        json!([
            {"name": "x", "allow_dead": true, "when": {"all": [{"field": "us_content", "gt": 25}, {"field": "us_content", "le": 10}]}, "then": "prohibited"}
        ]),
        json!({}),
    );
    let a = analyse(&r).unwrap();
    assert_eq!(
        a.dead_rules[0].reason,
        DeadReason::Unsatisfiable {
            clash: vec!["us_content > 25".into(), "us_content <= 10".into()]
        }
    );
    assert!(a.dead_rules[0].allowed);
    assert!(a.is_clean());
}

#[test]
fn a_complete_rule_set_shows_a_gap() {
    let mut doc = json!({"name": "t", "regime": "XX", "schema": "Transaction", "complete": true, "rules": [
        {"name": "cn", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
        {"name": "rest", "when": {"not": {"field": "destination", "in": ["CN", "MO"]}}, "then": "not_controlled"}
    ]});
    let r = parse_rule_set(&doc.to_string()).unwrap();
    let a = analyse(&r).unwrap();
    assert_eq!(a.gaps.len(), 1);
    assert!(
        a.gaps[0].witness.text.contains("destination = MO"),
        "{}",
        a.gaps[0].witness
    );
    doc["rules"][1]["when"] = json!({"not": {"field": "destination", "eq": "CN"}});
    assert!(
        analyse(&parse_rule_set(&doc.to_string()).unwrap())
            .unwrap()
            .gaps
            .is_empty()
    );
}

#[test]
fn the_diff_of_adopting_a_proposal_is_exactly_its_region() {
    let r = rs(
        json!([
            {"name": "servicing", "when": {"all": [{"field": "activity", "eq": "servicing"}, {"field": "destination", "eq": "CN"}]},
             "then": {"licence_required": "presumption_of_approval"}},
            {"name": "old_tools", "status": "proposed", "overrides": ["servicing"],
             "when": {"all": [{"field": "activity", "eq": "servicing"}, {"field": "destination", "eq": "CN"}, {"field": "contract_date", "lt": "2024-01-01"}]},
             "then": {"licence_required": "presumption_of_denial"}}
        ]),
        json!({}),
    );
    let today = Scenario::CURRENT;
    let d = diff(&r, today, &r, today.with_proposals()).unwrap();
    assert_eq!(d.regions.len(), 1, "{d}");
    let region = &d.regions[0];
    assert_eq!(
        region.before,
        SideDecision::Decided {
            outcome: Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval),
            by: vec!["servicing".into()]
        }
    );
    assert_eq!(
        region.after,
        SideDecision::Decided {
            outcome: Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial),
            by: vec!["old_tools".into()]
        }
    );
    let w = &region.witness;
    assert_eq!(
        r.decide(&w.record, &today).outcome(),
        region.before.outcome()
    );
    assert_eq!(
        r.decide(&w.record, &today.with_proposals()).outcome(),
        region.after.outcome()
    );
    assert!(w.text.contains("contract_date = 2023-12-31"), "{w}");
    assert!(d.to_string().contains("licence required (presumption of approval) (by servicing)  ->  licence required (presumption of denial) (by old_tools)"), "{d}");
    // Nothing changes between a rule set and itself.
    assert!(diff(&r, today, &r, today).unwrap().regions.is_empty());
}
