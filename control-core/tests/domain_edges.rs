//! Regression tests of the analysis at the edges of each domain: codes with many named children, decimals at
//! the ends of their range, decimal bounds written as JSON numbers, dates at the ends of the date domain.
//! Each case is one of the disagreements with an independent oracle that the engine once had.

use control_core::analysis::{DeadReason, analyse};
use control_core::json::{load_rule_set, parse_rule_set};
use control_core::{Decimal, Record, RuleSet, Test, Value, Verdict};
use serde_json::{Value as J, json};

fn small(fields: J, rules: J, fallback: J) -> J {
    let mut doc = json!({"name": "gen", "regime": "XX",
        "schema": {"name": "Small", "fields": fields}, "rules": rules});
    match fallback {
        J::Bool(true) => doc["complete"] = J::Bool(true),
        other => doc["otherwise"] = other,
    }
    doc
}

fn parse(doc: &J) -> RuleSet {
    parse_rule_set(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every witness the analysis reports is written out as JSON, read back, and decides the same way.
fn witnesses_round_trip(rs: &RuleSet) {
    let report = analyse(rs).unwrap();
    let mut all: Vec<&control_core::analysis::Witness> =
        report.contradictions.iter().map(|c| &c.witness).collect();
    all.extend(report.gaps.iter().map(|g| &g.witness));
    for w in all {
        let text = serde_json::to_string(&w.case).unwrap();
        let back = Record::from_json(rs.schema(), &serde_json::from_str(&text).unwrap())
            .unwrap_or_else(|e| panic!("witness {text} cannot be read back: {e:?}"));
        assert_eq!(back, w.record, "witness {text} reads back as another case");
        assert_eq!(
            rs.decide(&back, &w.scenario).verdict(),
            rs.decide(&w.record, &w.scenario).verdict()
        );
    }
}

#[test]
fn a_code_with_many_named_children_still_has_an_unnamed_one() {
    let doc = small(
        json!([{"name": "item", "type": "code"}]),
        json!([
            {"name": "r0", "when": {"field": "item", "under": "3A090.ab"}, "then": "prohibited"},
            {"name": "r1", "when": {"any": [
                {"field": "item", "under": "3A090.ab.zz"}, {"field": "item", "under": "3A090.ab.x"},
                {"field": "item", "under": "3A090.ab.y"}, {"field": "item", "under": "3A090.ab.z"},
                {"field": "item", "under": "3A090.ab.998"}, {"field": "item", "under": "3A090.ab.999"},
                {"field": "item", "eq": "3A090.ab"}]}, "then": "prohibited", "overrides": ["r0"]},
            {"name": "r2", "when": {"always": true}, "then": {"licence_required": "presumption_of_approval"}}
        ]),
        json!("not_controlled"),
    );
    let rs = parse(&doc);
    let report = analyse(&rs).unwrap();
    let pairs: Vec<(&str, &str)> = report
        .contradictions
        .iter()
        .map(|c| (c.first_name.as_str(), c.second_name.as_str()))
        .collect();
    assert!(pairs.contains(&("r0", "r2")), "{pairs:?}");
    let w = &report
        .contradictions
        .iter()
        .find(|c| c.first_name == "r0" && c.second_name == "r2")
        .unwrap()
        .witness;
    let Value::Code(item) = &w.record.values()[0] else {
        panic!()
    };
    assert!(item.as_str().starts_with("3A090.ab."), "{item}");
    witnesses_round_trip(&rs);
}

#[test]
fn a_long_code_with_its_short_children_named_is_not_dead() {
    // 29 characters: room for one-letter children only.
    let long = "1A001.aaa.aaa.aaa.aaa.aaa.aaa";
    assert_eq!(long.len(), 29);
    let doc = small(
        json!([{"name": "item", "type": "code"}]),
        json!([
            {"name": "under_long", "when": {"field": "item", "under": long}, "then": "prohibited"},
            {"name": "named_children", "when": {"any": [
                {"field": "item", "eq": long},
                {"field": "item", "under": format!("{long}.x")},
                {"field": "item", "under": format!("{long}.y")},
                {"field": "item", "under": format!("{long}.z")}]},
             "then": "not_controlled", "overrides": ["under_long"]}
        ]),
        json!("not_controlled"),
    );
    let report = analyse(&parse(&doc)).unwrap();
    assert!(report.dead_rules.is_empty(), "{:?}", report.dead_rules);
}

#[test]
fn a_code_too_long_for_children_has_no_other_child_cell() {
    // 31 characters: no code is under it but itself, so "under" and "==" are the same test.
    let full = "1A001.aaa.aaa.aaa.aaa.aaa.aaa.a";
    assert_eq!(full.len(), 31);
    let doc = small(
        json!([{"name": "item", "type": "code"}]),
        json!([
            {"name": "under_it", "when": {"field": "item", "under": full}, "then": "prohibited"},
            {"name": "exactly_it", "when": {"field": "item", "eq": full}, "then": "not_controlled",
             "overrides": ["under_it"]}
        ]),
        json!("not_controlled"),
    );
    let report = analyse(&parse(&doc)).unwrap();
    let dead: Vec<&str> = report.dead_rules.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(dead, ["under_it"]);
}

fn decimal_field() -> J {
    json!([{"name": "amt", "type": "decimal"}])
}

#[test]
fn decimals_just_above_the_largest_whole_number_exist() {
    let doc = small(
        decimal_field(),
        json!([{"name": "big", "when": {"field": "amt", "gt": 922337203685477u64}, "then": "prohibited"}]),
        json!("not_controlled"),
    );
    let rs = parse(&doc);
    let report = analyse(&rs).unwrap();
    assert!(report.dead_rules.is_empty(), "{:?}", report.dead_rules);
    let case = Record::from_json(rs.schema(), &json!({"amt": "922337203685477.0001"})).unwrap();
    assert_ne!(
        rs.decide(&case, &control_core::Scenario::CURRENT).verdict(),
        Verdict::Undecided
    );
}

#[test]
fn decimals_past_the_ends_of_the_range_are_rejected_not_wrapped() {
    for text in [
        "-922337203685477.5808",
        "922337203685477.9999",
        "922337203685477.5808",
    ] {
        let doc = small(
            decimal_field(),
            json!([{"name": "r", "when": {"field": "amt", "gt": text}, "then": "prohibited"}]),
            json!("not_controlled"),
        );
        let e = load_rule_set(&doc.to_string()).unwrap_err().to_string();
        assert!(e.contains("outside the decimal range"), "{text}: {e}");
    }
    assert_eq!(
        Decimal::parse("-922337203685477.5807").unwrap(),
        Decimal::MIN
    );
}

#[test]
fn a_gap_at_the_smallest_decimal_is_found() {
    let doc = small(
        decimal_field(),
        json!([{"name": "not_smallest", "when": {"not": {"field": "amt", "le": "-922337203685477.5807"}},
                "then": "prohibited"}]),
        json!(true),
    );
    let rs = parse(&doc);
    let report = analyse(&rs).unwrap();
    assert_eq!(report.gaps.len(), 1);
    assert_eq!(
        report.gaps[0].witness.record.values()[0],
        Value::Decimal(Decimal::MIN)
    );
    witnesses_round_trip(&rs);
}

#[test]
fn decimal_bounds_written_as_json_numbers_keep_every_digit() {
    let doc = small(decimal_field(), json!([]), json!("not_controlled"));
    let mut doc = doc.to_string();
    // Written by hand: `json!` would store the number as f64 before we see it.
    doc = doc.replace(
        "\"rules\":[]",
        r#""rules":[{"name":"n","when":{"field":"amt","ge":12345678901234.568},"then":"prohibited"},
                    {"name":"s","when":{"field":"amt","lt":"12345678901234.568"},"then":"not_controlled"}]"#,
    );
    let rs = parse_rule_set(&doc).unwrap();
    let want = Decimal::parse("12345678901234.568").unwrap();
    match &rs.rules()[0].when {
        control_core::Condition::Test {
            test: Test::Cmp(_, Value::Decimal(d)),
            ..
        } => assert_eq!(*d, want),
        other => panic!("{other:?}"),
    }
    // The two rules split the line exactly: no overlap, and with `complete` no gap.
    let complete = doc.replace("\"otherwise\":\"not_controlled\"", "\"complete\":true");
    let rs = load_rule_set(&complete).unwrap_or_else(|e| panic!("{e}"));
    let report = analyse(&rs).unwrap();
    assert!(report.is_clean());
}

#[test]
fn decimal_witnesses_are_written_exactly() {
    let doc = small(
        decimal_field(),
        json!([{"name": "a", "when": {"field": "amt", "ge": "12345678901234.5678"}, "then": "prohibited"},
               {"name": "b", "when": {"field": "amt", "le": "12345678901234.5678"}, "then": "not_controlled"}]),
        json!("not_controlled"),
    );
    let rs = parse(&doc);
    let report = analyse(&rs).unwrap();
    assert_eq!(report.contradictions.len(), 1);
    let text = serde_json::to_string(&report.contradictions[0].witness.case).unwrap();
    assert!(text.contains("12345678901234.5678"), "{text}");
    witnesses_round_trip(&rs);
}

fn dated() -> J {
    json!({"name": "Small", "case_date": "signed",
           "fields": [{"name": "signed", "type": "date"}, {"name": "n", "type": "int"}]})
}

#[test]
fn witnesses_stay_inside_the_date_domain() {
    let doc = json!({"name": "gen", "regime": "XX", "schema": dated(), "complete": true,
        "rules": [{"name": "late", "from": "2024-01-01", "when": {"always": true}, "then": "prohibited"}]});
    let rs = parse(&doc);
    let report = analyse(&rs).unwrap();
    assert_eq!(report.gaps.len(), 1);
    witnesses_round_trip(&rs);
    let Value::Date(d) = report.gaps[0].witness.record.values()[0] else {
        panic!()
    };
    assert!(control_core::vocab::date_in_domain(d), "{d}");
}

#[test]
fn a_rule_in_effect_only_before_the_earliest_date_is_dead() {
    let doc = json!({"name": "gen", "regime": "XX", "schema": dated(), "otherwise": "not_controlled",
        "rules": [{"name": "never", "until": "0000-01-01", "when": {"always": true}, "then": "prohibited"}]});
    let report = analyse(&parse(&doc)).unwrap();
    assert_eq!(report.dead_rules.len(), 1);
    assert!(
        matches!(
            report.dead_rules[0].reason,
            DeadReason::NeverInEffect { .. }
        ),
        "{:?}",
        report.dead_rules[0]
    );
    assert!(
        report.dead_rules[0].message().contains("until 0000-01-01"),
        "{}",
        report.dead_rules[0].message()
    );
}

#[test]
fn periods_and_cases_outside_the_date_domain_are_rejected() {
    let doc = json!({"name": "gen", "regime": "XX", "schema": dated(), "otherwise": "not_controlled",
        "rules": [{"name": "old", "until": "-000001-12-31", "when": {"always": true}, "then": "prohibited"}]});
    let e = load_rule_set(&doc.to_string()).unwrap_err();
    assert_eq!(e.0[0].path, "rules[0].until", "{e}");
    let schema = parse(&json!({"name": "gen", "regime": "XX", "schema": dated(),
        "otherwise": "not_controlled", "rules": []}))
    .schema()
    .clone();
    assert!(Record::from_json(&schema, &json!({"signed": "-000001-12-31", "n": 0})).is_err());
    let far = control_core::jiff::civil::date(-1, 12, 31);
    assert!(Record::new(&schema, vec![Value::Date(far), Value::Int(0)]).is_err());
}
