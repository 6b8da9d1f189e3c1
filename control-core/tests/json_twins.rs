//! The JSON twins of the `rules!` UI tests (`tests/ui/fail/`): each mistake that a JSON rule book can also
//! make, made in JSON, must give the same kind of error, found by the same lowering or analysis, at the JSON
//! path of the offending value. One test per UI case, named after it.
//!
//! Not twinned, because JSON cannot make the mistake: `declared-types-survive-errors` (Rust types),
//! `scenario-us-draft-contradictions` (a Rust rule book; its contradictions are `contradiction-*`'s kind).
//! `cumulative-and-not-cumulative` (a JSON key holds one value; `cumulative_must_be_a_boolean` is the nearest).
//! `unknown-rule-clause` and `unsupported-field-type` are twinned with serde's errors for unknown keys and
//! unknown types, which is how JSON makes them.

use control_core::analysis::DeadReason;
use control_core::json::{Finding, LoadError, LoadErrorKind, load_rule_set};
use control_core::lower::{LowerErrorKind, Misuse};
use control_core::{StructureError, ValueError};
use serde_json::{Value as J, json};

fn book(rules: J) -> J {
    json!({"name": "Us", "regime": "US", "schema": "Transaction", "otherwise": "not_controlled",
           "rules": rules})
}

fn rule(name: &str, when: J, then: J) -> J {
    json!({"name": name, "when": when, "then": then})
}

fn errors(doc: &J) -> Vec<LoadError> {
    match load_rule_set(&doc.to_string()) {
        Ok(_) => panic!("expected errors for {doc}"),
        Err(e) => e.0,
    }
}

/// The one error of `doc`, its path and kind.
fn one(doc: &J) -> (String, LoadErrorKind) {
    let mut e = errors(doc);
    assert_eq!(e.len(), 1, "{e:?}");
    let e = e.remove(0);
    (e.path, e.kind)
}

fn lowered(doc: &J) -> (String, LowerErrorKind) {
    match one(doc) {
        (path, LoadErrorKind::Lower(kind)) => (path, kind),
        other => panic!("expected a lowering error, got {other:?}"),
    }
}

const DENIAL: &str = r#"{"licence_required": "presumption_of_denial"}"#;

fn denial() -> J {
    serde_json::from_str(DENIAL).unwrap()
}

#[test]
fn case_date_not_a_date() {
    let doc = json!({"name": "Jp", "regime": "JP", "otherwise": "not_controlled",
        "schema": {"name": "Shipment", "case_date": "to", "fields": [{"name": "to", "type": "country"}]},
        "rules": [rule("china", json!({"field": "to", "eq": "CN"}), json!({"licence_required": "case_by_case"}))]});
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "schema");
    assert!(matches!(kind, LowerErrorKind::Structure(StructureError::BadCaseDate(f)) if f == "to"));
}

#[test]
fn contradiction_overlapping_destinations() {
    let doc = book(json!([
        rule(
            "chips_to_d5",
            json!({"all": [{"field": "item", "under": "3A090"},
            {"field": "destination", "in_group": "EAR:D:5"}]}),
            denial()
        ),
        rule(
            "china_case_by_case",
            json!({"all": [{"field": "destination", "eq": "CN"},
            {"field": "activity", "eq": "export"}]}),
            json!({"licence_required": "case_by_case"})
        ),
    ]));
    let (path, kind) = one(&doc);
    assert_eq!(path, "rules[1]");
    let LoadErrorKind::Finding(Finding::Contradiction(c)) = kind else {
        panic!("{kind:?}")
    };
    assert_eq!(
        (c.first_name.as_str(), c.second_name.as_str()),
        ("chips_to_d5", "china_case_by_case")
    );
}

fn dead(doc: &J) -> DeadReason {
    match one(doc) {
        (_, LoadErrorKind::Finding(Finding::DeadRule(d))) => d.reason,
        other => panic!("expected a dead rule, got {other:?}"),
    }
}

#[test]
fn dead_rule_masked() {
    let doc = book(json!([
        rule("d5", json!({"field": "destination", "in_group": "EAR:D:5"}), json!({"licence_required": "case_by_case"})),
        {"name": "china", "overrides": ["d5"], "when": {"field": "destination", "eq": "CN"}, "then": denial()},
        {"name": "china_everything", "overrides": ["china"], "when": {"field": "destination", "eq": "CN"},
         "then": "prohibited"},
    ]));
    assert!(matches!(dead(&doc), DeadReason::Masked { by } if by == ["china_everything"]));
}

#[test]
fn dead_rule_outside_jurisdiction() {
    let mut doc = book(json!([rule(
        "japanese_tools",
        json!({"all": [{"field": "exporter_country", "eq": "JP"}, {"field": "item", "under": "3B001"}]}),
        json!({"licence_required": "case_by_case"})
    )]));
    doc["applies_when"] = json!({"field": "exporter_country", "eq": "NL"});
    assert_eq!(dead(&doc), DeadReason::OutsideJurisdiction);
}

#[test]
fn dead_rule_unsatisfiable() {
    let doc = book(json!([rule(
        "china_and_macau",
        json!({"all": [{"field": "destination", "eq": "CN"}, {"field": "destination", "eq": "MO"}]}),
        denial()
    )]));
    assert!(matches!(dead(&doc), DeadReason::Unsatisfiable { clash } if clash.len() == 2));
}

#[test]
fn duplicate_rule_name() {
    let doc = book(json!([
        rule(
            "lithography",
            json!({"field": "item", "under": "3B001"}),
            json!("prohibited")
        ),
        rule(
            "lithography",
            json!({"field": "item", "under": "3B002"}),
            json!("prohibited")
        ),
    ]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[1].name");
    assert!(matches!(
        kind,
        LowerErrorKind::Structure(StructureError::DuplicateRule { .. })
    ));
}

#[test]
fn empty_effective_period() {
    let doc = book(
        json!([{"name": "lithography", "from": "2024-03-07", "until": "2024-03-07",
        "when": {"field": "item", "under": "3B001"}, "then": "prohibited"}]),
    );
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].until");
    assert!(matches!(
        kind,
        LowerErrorKind::Structure(StructureError::EmptyPeriod { .. })
    ));
}

#[test]
fn every_error_in_one_pass() {
    let doc = book(json!([
        rule(
            "a",
            json!({"field": "destination", "eq": "UK"}),
            json!("prohibited")
        ),
        rule(
            "b",
            json!({"field": "item", "under": "3A09O"}),
            json!("prohibited")
        ),
        rule(
            "c",
            json!({"field": "activity", "eq": "exprot"}),
            json!("prohibited")
        ),
    ]));
    let e = errors(&doc);
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "rules[0].when.eq",
            "rules[1].when.under",
            "rules[2].when.eq"
        ]
    );
    assert!(matches!(
        &e[0].kind,
        LoadErrorKind::Lower(LowerErrorKind::Value(ValueError::Country(_)))
    ));
    assert!(matches!(
        &e[1].kind,
        LoadErrorKind::Lower(LowerErrorKind::Value(ValueError::Code(_)))
    ));
    assert!(matches!(
        &e[2].kind,
        LoadErrorKind::Lower(LowerErrorKind::Value(ValueError::UnknownVariant { suggestion: Some(s), .. })) if s == "export"
    ));
}

#[test]
fn gap_in_complete_rule_set() {
    let mut doc = book(json!([
        rule(
            "china",
            json!({"field": "destination", "eq": "CN"}),
            denial()
        ),
        rule(
            "elsewhere",
            json!({"field": "destination", "not_in": ["CN", "MO"]}),
            json!("not_controlled")
        ),
    ]));
    doc["otherwise"] = J::Null;
    doc["complete"] = json!(true);
    let (path, kind) = one(&doc);
    assert_eq!(path, "complete");
    let LoadErrorKind::Finding(Finding::Gap(g)) = kind else {
        panic!("{kind:?}")
    };
    assert!(g.witness.text.contains("destination = MO"), "{}", g.witness);
}

fn value_error(doc: &J) -> (String, ValueError) {
    match lowered(doc) {
        (path, LowerErrorKind::Value(e)) => (path, e),
        other => panic!("expected a value error, got {other:?}"),
    }
}

#[test]
fn impossible_date() {
    let doc = book(
        json!([{"name": "r", "from": "2023-02-30", "when": {"always": true}, "then": "prohibited"}]),
    );
    let (path, e) = value_error(&doc);
    assert_eq!(path, "rules[0].from");
    assert!(matches!(e, ValueError::Date(_)));
}

#[test]
fn licence_required_without_policy() {
    let doc = book(json!([rule(
        "chips",
        json!({"field": "item", "under": "3A090"}),
        json!("licence_required")
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].then");
    assert!(matches!(kind, LowerErrorKind::OutcomeNeedsPolicy { .. }));
}

#[test]
fn malformed_control_code() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "item", "under": "3B0O1.f.4"}),
        json!("prohibited")
    )]));
    let (path, e) = value_error(&doc);
    assert_eq!(path, "rules[0].when.under");
    assert!(matches!(e, ValueError::Code(c) if c.position == 4));
}

#[test]
fn malformed_date() {
    let doc = book(
        json!([{"name": "r", "from": "01-09-2023", "when": {"always": true}, "then": "prohibited"}]),
    );
    let (path, e) = value_error(&doc);
    assert_eq!(path, "rules[0].from");
    assert!(matches!(e, ValueError::Date(_)));
}

#[test]
fn no_fallback() {
    let mut doc = book(json!([rule(
        "r",
        json!({"always": true}),
        json!("prohibited")
    )]));
    doc["otherwise"] = J::Null;
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "$");
    assert!(matches!(kind, LowerErrorKind::NoFallback { .. }));
}

#[test]
fn ordering_an_enum() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "activity", "lt": "servicing"}),
        json!("prohibited")
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.lt");
    assert!(matches!(
        kind,
        LowerErrorKind::Operator {
            misuse: Misuse::NotOrdered,
            ..
        }
    ));
}

#[test]
fn override_cycle() {
    let doc = book(json!([
        {"name": "a", "overrides": ["b"], "when": {"always": true}, "then": "prohibited"},
        {"name": "b", "overrides": ["c"], "when": {"always": true}, "then": "prohibited"},
        {"name": "c", "overrides": ["a"], "when": {"always": true}, "then": "prohibited"},
    ]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].overrides");
    assert!(matches!(
        kind,
        LowerErrorKind::Structure(StructureError::OverrideCycle { .. })
    ));
}

#[test]
fn overrides_unknown_rule() {
    let doc = book(json!([
        rule("servicing", json!({"field": "activity", "eq": "servicing"}), json!("prohibited")),
        {"name": "old_tools", "overrides": ["servcing"], "when": {"field": "activity", "eq": "servicing"},
         "then": denial()},
    ]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[1].overrides[0]");
    assert!(
        matches!(kind, LowerErrorKind::Structure(StructureError::UnknownOverride { suggestion: Some(s), .. }) if s == "servicing")
    );
}

#[test]
fn rule_without_then() {
    let doc = book(json!([{"name": "chips", "when": {"field": "item", "under": "3A090"}}]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].name");
    assert!(matches!(kind, LowerErrorKind::NoOutcome { rule } if rule == "chips"));
}

#[test]
fn under_on_a_country() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "destination", "under": "3B001"}),
        json!("prohibited")
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.under");
    assert!(matches!(
        kind,
        LowerErrorKind::Operator {
            misuse: Misuse::NotACode,
            ..
        }
    ));
}

#[test]
fn unknown_country_code() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "destination", "eq": "UK"}),
        json!("prohibited")
    )]));
    let (_, e) = value_error(&doc);
    assert!(matches!(e, ValueError::Country(c) if c.input == "UK"));
}

#[test]
fn unknown_country_group() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "destination", "in_group": "EAR:D5"}),
        json!("prohibited")
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.in_group");
    assert!(
        matches!(kind, LowerErrorKind::UnknownGroup { suggestion: Some(s), .. } if s == "EAR:D:5")
    );
}

#[test]
fn unknown_field() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "destnation", "eq": "CN"}),
        json!("prohibited")
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.field");
    assert!(
        matches!(kind, LowerErrorKind::UnknownField { suggestion: Some(s), .. } if s == "destination")
    );
}

#[test]
fn unknown_outcome() {
    let doc = book(json!([rule(
        "r",
        json!({"always": true}),
        json!("prohibitted")
    )]));
    let (_, kind) = lowered(&doc);
    assert!(
        matches!(kind, LowerErrorKind::UnknownOutcome { suggestion: Some(s), .. } if s == "prohibited")
    );
}

#[test]
fn unknown_party() {
    let mut doc = book(json!([rule(
        "r",
        json!({"field": "end_user", "eq": "huawie"}),
        json!("prohibited")
    )]));
    doc["parties"] = json!([{"id": "huawei", "name": "Huawei Technologies Co., Ltd."}]);
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.eq");
    assert!(
        matches!(kind, LowerErrorKind::UnknownParty { suggestion: Some(s), .. } if s == "huawei")
    );
}

#[test]
fn unknown_review_policy() {
    let doc = book(json!([rule(
        "r",
        json!({"always": true}),
        json!({"licence_required": "presumption_of_denail"})
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].then.licence_required");
    assert!(
        matches!(kind, LowerErrorKind::UnknownReviewPolicy { suggestion: Some(s), .. } if s == "presumption_of_denial")
    );
}

#[test]
fn unknown_rule_clause() {
    let doc = book(
        json!([{"name": "r", "citaton": "x", "when": {"always": true}, "then": "prohibited"}]),
    );
    let (path, kind) = one(&doc);
    assert_eq!(path, "rules[0].citaton");
    assert!(
        matches!(kind, LoadErrorKind::Syntax { message, .. } if message.starts_with("unknown field `citaton`"))
    );
}

#[test]
fn unknown_schema() {
    let mut doc = book(json!([]));
    doc["schema"] = json!("Transacton");
    let (path, kind) = one(&doc);
    assert_eq!(path, "schema");
    assert!(
        matches!(kind, LoadErrorKind::UnknownSchema { suggestion: Some(s), .. } if s == "Transaction")
    );
}

#[test]
fn unsupported_field_type() {
    let doc = json!({"name": "Jp", "regime": "JP", "otherwise": "not_controlled",
        "schema": {"name": "S", "fields": [{"name": "x", "type": "f64"}]}, "rules": []});
    let (path, kind) = one(&doc);
    assert_eq!(path, "schema");
    assert!(matches!(kind, LoadErrorKind::Schema(m) if m.contains("unknown variant `f64`")));
}

#[test]
fn value_of_the_wrong_kind() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "destination", "eq": "2024-03-07"}),
        denial()
    )]));
    let (path, e) = value_error(&doc);
    assert_eq!(path, "rules[0].when.eq");
    assert!(matches!(e, ValueError::Country(_)));
}

#[test]
fn license_spelling_is_accepted_as_in_rules() {
    let doc = book(json!([rule(
        "r",
        json!({"field": "item", "under": "3A090"}),
        json!({"license_required": "case_by_case"})
    )]));
    assert!(load_rule_set(&doc.to_string()).is_ok());
}

#[test]
fn a_range_on_a_field_that_cannot_have_one() {
    let doc = json!({"name": "S", "regime": "XX", "otherwise": "not_controlled",
        "schema": {"name": "S", "fields": [{"name": "to", "type": "country", "range": ["0", "1"]},
                                           {"name": "x", "type": "decimal", "range": ["5", "1"]}]},
        "rules": []});
    let e = errors(&doc);
    let names: Vec<String> = e
        .iter()
        .map(|e| match &e.kind {
            LoadErrorKind::Lower(LowerErrorKind::Structure(StructureError::BadRange(f))) => {
                f.clone()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["to", "x"]);
    assert!(e.iter().all(|e| e.path == "schema"));
}

#[test]
fn cumulative_override() {
    let mut smic = rule(
        "entity_list_smic",
        json!({"field": "end_user", "eq": "smic"}),
        json!({"licence_required": "case_by_case"}),
    );
    smic["cumulative"] = json!(true);
    smic["overrides"] = json!(["advanced_chips_cn"]);
    let mut chips = rule(
        "advanced_chips_cn",
        json!({"field": "item", "under": "3A090"}),
        denial(),
    );
    chips["cumulative"] = json!(true);
    let mut doc = book(json!([chips, smic]));
    doc["parties"] = json!([{"id": "smic", "name": "SMIC"}]);
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[1].overrides[0]");
    assert!(
        matches!(&kind, LowerErrorKind::Structure(StructureError::CumulativeOverride { target, .. }) if target == "advanced_chips_cn")
    );
    let text = errors(&doc)[0].to_string();
    assert!(text.contains("give it `\"cumulative\": false`"), "{text}");
}

#[test]
fn cumulative_exception() {
    let mut nac = rule(
        "nac",
        json!({"field": "item", "under": "3A090.b"}),
        json!({"licence_exception": "NAC"}),
    );
    nac["overrides"] = json!(["advanced_chips_cn"]);
    let mut doc = book(json!([
        rule(
            "advanced_chips_cn",
            json!({"field": "item", "under": "3A090"}),
            denial()
        ),
        nac
    ]));
    doc["cumulative"] = json!(true);
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[1].then");
    assert!(
        matches!(&kind, LowerErrorKind::Structure(StructureError::CumulativeException { rule_name, .. }) if rule_name == "nac")
    );
    // Saying so on the exception fixes it.
    doc["rules"][1]["cumulative"] = json!(false);
    assert!(load_rule_set(&doc.to_string()).is_ok());
}

/// `cumulative-and-not-cumulative` has no twin: a JSON key holds one value. Its nearest JSON mistake, a
/// non-boolean, is serde's.
#[test]
fn cumulative_must_be_a_boolean() {
    let mut r = rule("r", json!({"field": "item", "under": "3A090"}), denial());
    r["cumulative"] = json!("yes");
    match one(&book(json!([r]))) {
        (path, LoadErrorKind::Syntax { message, .. }) => {
            assert_eq!(path, "rules[0].cumulative");
            assert!(message.contains("expected a boolean"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cumulative_rules_stack_when_loaded_from_json() {
    let mut chips = rule(
        "advanced_chips_cn",
        json!({"field": "item", "under": "3A090"}),
        denial(),
    );
    chips["cumulative"] = json!(true);
    let mut smic = rule(
        "entity_list_smic",
        json!({"field": "end_user", "eq": "smic"}),
        json!({"licence_required": "case_by_case"}),
    );
    smic["cumulative"] = json!(true);
    let mut doc = book(json!([smic, chips]));
    doc["parties"] = json!([{"id": "smic", "name": "SMIC"}]);
    let rs = load_rule_set(&doc.to_string()).unwrap();
    let t = control_core::Transaction::from_core_fields(json!({
        "exporter": "nvidia", "exporter_country": "US", "item": "3A090.a", "item_origin": "US",
        "us_content": 100, "activity": "export", "destination": "CN", "end_user": "smic",
        "end_use": "civil", "date": "2024-03-07", "contract_date": "2024-01-10"}))
    .unwrap();
    let e = rs.rule_set().explain(&t, &control_core::Scenario::CURRENT);
    assert_eq!(
        e.decision.outcome_set_by.as_deref(),
        Some("advanced_chips_cn")
    );
    assert_eq!(e.decision.deciding.len(), 2);
    let text = e.to_string();
    assert!(text.contains("decision: licence required (presumption of denial) (the strictest of cumulative requirements, set by `advanced_chips_cn`)"), "{text}");
    assert!(
        text.contains("entity_list_smic [decides, cumulative]"),
        "{text}"
    );
    // Written back, the rule set says so per rule and loads the same.
    let back = control_core::json::to_json(rs.rule_set());
    assert_eq!(back.matches("\"cumulative\": true").count(), 2);
    assert_eq!(
        control_core::json::parse_rule_set(&back).unwrap(),
        *rs.rule_set()
    );
}

#[test]
fn treatment_chain() {
    let mut doc = book(json!([rule(
        "chips_cn",
        json!({"all": [{"field": "item", "under": "3A090"}, {"field": "destination", "eq": "CN"}]}),
        denial()
    )]));
    doc["treat"] = json!([
        {"territory": "HK", "as": "CN", "from": "2020-12-23", "citation": "85 FR 83765"},
        {"territory": "CN", "as": "CN", "from": "2020-12-23"},
        {"territory": "HK", "as": "CN", "from": "2021-01-01"},
        {"territory": "MO", "as": "HK", "from": "2023-01-17"},
    ]);
    let found: Vec<(String, String)> = errors(&doc)
        .into_iter()
        .map(|e| match e.kind {
            LoadErrorKind::Lower(LowerErrorKind::Treatment { problem }) => (e.path, problem),
            other => panic!("expected a treatment error, got {other:?}"),
        })
        .collect();
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "treat[1].territory",
            "treat[2].territory",
            "treat[3].territory"
        ]
    );
    assert!(found[0].1.contains("treated as itself"), "{found:?}");
    assert!(found[1].1.contains("twice"), "{found:?}");
    assert!(
        found[2].1.contains("treat `MO` as `CN` directly"),
        "{found:?}"
    );
}

#[test]
fn group_before_it_existed() {
    let doc = book(json!([{
        "name": "allies_before_sta", "until": "2010-01-01",
        "when": {"all": [{"field": "item", "under": "3A090"}, {"field": "destination", "in_group": "EAR:A:5"}]},
        "then": {"licence_required": "presumption_of_approval"}
    }]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.all[1].in_group");
    assert!(
        matches!(&kind, LowerErrorKind::GroupBeforeExistence { group, .. } if group == "EAR:A:5"),
        "{kind:?}"
    );
}

#[test]
fn code_of_another_list() {
    let doc = book(json!([rule(
        "duv_scanners",
        json!({"all": [{"field": "item", "under": "NL:3B001.f.4"}, {"field": "destination", "eq": "CN"}]}),
        json!({"licence_required": "case_by_case"})
    )]));
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.all[0].under");
    assert!(
        matches!(&kind, LowerErrorKind::CodeOfOtherList { field, other_field: Some(o), .. } if field == "item.ccl" && o == "item.nl"),
        "{kind:?}"
    );
}

#[test]
fn fact_of_unknown_role() {
    let doc = book(json!([
        rule(
            "listed_consignee",
            json!({"field": "consignee.entity_list", "ne": "not_listed"}),
            denial()
        ),
        rule(
            "purchaser_hq",
            json!({"field": "purchaser.headquarters", "in_group": "EAR:D:5"}),
            denial()
        ),
        rule(
            "any_party_colour",
            json!({"field": "any_party.colour", "eq": "red"}),
            json!("prohibited")
        ),
    ]));
    let kinds: Vec<(String, LoadErrorKind)> =
        errors(&doc).into_iter().map(|e| (e.path, e.kind)).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(
        matches!(&kinds[0], (p, LoadErrorKind::Lower(LowerErrorKind::UnknownRole { role, .. })) if p == "rules[0].when.field" && role == "consignee"),
        "{kinds:?}"
    );
    assert!(
        matches!(&kinds[1], (p, LoadErrorKind::Lower(LowerErrorKind::UnknownFact { role, .. })) if p == "rules[1].when.field" && role == "purchaser"),
        "{kinds:?}"
    );
    assert!(
        matches!(&kinds[2], (_, LoadErrorKind::Lower(LowerErrorKind::UnknownFact { role, .. })) if role == "any_party"),
        "{kinds:?}"
    );
}

#[test]
fn no_control_list() {
    let mut doc = book(json!([rule(
        "chips",
        json!({"field": "item", "under": "3A090"}),
        json!("prohibited")
    )]));
    doc["regime"] = json!("XX");
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "rules[0].when.field");
    assert!(matches!(kind, LowerErrorKind::NoList { .. }), "{kind:?}");
    doc["list"] = json!("CCX");
    let (path, kind) = lowered(&doc);
    assert_eq!(path, "list");
    assert!(
        matches!(&kind, LowerErrorKind::UnknownList { suggestion: Some(s), .. } if s == "CCL"),
        "{kind:?}"
    );
    doc["list"] = json!("CCL");
    assert!(control_core::json::load_rule_set(&doc.to_string()).is_ok());
}
