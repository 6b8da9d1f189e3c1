//! Rule sets as JSON: every load error is typed and carries its JSON path; documents round-trip; nothing panics.

use control_core::json::{LoadErrorKind, load_rule_set, parse_rule_set, to_json};
use control_core::lower::LowerErrorKind;
use control_core::{StructureError, ValueError};
use proptest::prelude::*;
use serde_json::{Value as J, json};

fn doc(rules: J) -> J {
    json!({"name": "t", "regime": "XX", "schema": "Transaction", "list": "CCL", "otherwise": "not_controlled",
           "parties": [{"id": "huawei", "name": "Huawei Technologies Co., Ltd.", "aliases": ["华为"]}],
           "groups": {"friends": ["JP", "KR"]},
           "rules": rules})
}

fn rule(name: &str, when: J) -> J {
    json!({"name": name, "when": when, "then": "prohibited"})
}

/// Loads and returns the errors as `path: message` lines.
fn errors(doc: &J) -> Vec<String> {
    match load_rule_set(&doc.to_string()) {
        Ok(_) => panic!("expected errors for {doc}"),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn unknown_keys_are_syntax_errors_with_path_line_and_column() {
    let e = load_rule_set(
        &doc(json!([{"name": "a", "when": {"feild": "destination"}, "then": "prohibited"}]))
            .to_string(),
    )
    .unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].path, "rules[0].when.feild");
    assert!(
        matches!(&e.0[0].kind, LoadErrorKind::Syntax { message, .. } if message.starts_with("unknown field `feild`"))
    );
    let e = load_rule_set("{\"name\": \"x\",\n \"regime\": 3}").unwrap_err();
    assert_eq!(e.0[0].path, "regime");
    assert!(
        matches!(e.0[0].kind, LoadErrorKind::Syntax { line: 2, .. }),
        "{e}"
    );
    assert!(
        load_rule_set("not json")
            .unwrap_err()
            .to_string()
            .contains("line 1")
    );
}

#[test]
fn semantic_errors_are_all_reported_with_their_paths() {
    let d = doc(json!([
        rule("a", json!({"field": "destnation", "eq": "CN"})),
        rule("b", json!({"field": "destination", "eq": "UK"})),
        rule("c", json!({"field": "destination", "eq": 3})),
        rule("d", json!({"all": [{"field": "item", "under": "3B0O1"}]})),
        rule("e", json!({"field": "activity", "eq": "servicng"})),
        rule("f", json!({"field": "destination", "under": "3B001"})),
        rule("g", json!({"field": "destination", "in_group": "EAR:D5"})),
        rule("h", json!({"field": "end_user", "in": ["huawie"]})),
        rule("i", json!({"field": "activity", "lt": "export"})),
        rule(
            "j",
            json!({"any": [{"field": "destination", "eq": "CN"}], "not": {"always": true}})
        ),
        rule("k", json!({"field": "contract_date", "lt": "2024-02-30"})),
    ]));
    assert_eq!(
        errors(&d),
        [
            "rules[0].when.field: unknown field `destnation`; did you mean `destination`?",
            "rules[1].when.eq: `UK` is not an ISO 3166-1 alpha-2 code; did you mean `GB` (United Kingdom)?",
            "rules[2].when.eq: expected an ISO 3166-1 alpha-2 country code, found the number `3`",
            "rules[3].when.all[0].under: `3B0O1` is not a valid control code: character 4, `O`, should be a digit: an ECCN ends its first part in three digits",
            "rules[4].when.eq: `servicng` is not a value of Activity (did you mean `servicing`?); expected one of: export, reexport, in_country_transfer, servicing, spare_parts, technical_assistance, technology_release",
            "rules[5].when.under: `under` cannot be used on field `destination`, which is an ISO 3166-1 alpha-2 country code; `under` is for control codes, use `eq` or `in`",
            "rules[6].when.in_group: unknown country group `EAR:D5`; did you mean `EAR:D:5`?",
            "rules[7].when.in[0]: unknown party `huawie`: declare it under `parties` (did you mean `huawei`?)",
            "rules[8].when.lt: `<` cannot be used on field `activity`, which is a value of Activity (`export`, `reexport`, `in_country_transfer`, `servicing`, `spare_parts`, `technical_assistance`, `technology_release`); only numbers and dates are ordered",
            "rules[9].when: a condition has exactly one of `all`, `any`, `not`, `always`, or `field` with operators; wrap several in `all`",
            "rules[10].when.lt: `2024-02-30` is not a date in the form YYYY-MM-DD: parameter 'day' for `2024-02` is invalid, must be in range `1..=29`",
        ]
    );
}

#[test]
fn value_errors_are_typed() {
    let d = doc(json!([rule(
        "a",
        json!({"field": "destination", "eq": "UK"})
    )]));
    let e = load_rule_set(&d.to_string()).unwrap_err();
    assert!(
        matches!(&e.0[0].kind, LoadErrorKind::Lower(LowerErrorKind::Value(ValueError::Country(c))) if c.input == "UK")
    );
}

#[test]
fn structural_errors_carry_the_rule_path() {
    let mut d = doc(json!([
        rule("a", json!({"always": true})),
        {"name": "a", "when": {"always": true}, "then": "prohibited"},
        {"name": "b", "overrides": ["c", "nope"], "when": {"always": true}, "then": "prohibited"},
        {"name": "c", "overrides": ["d"], "when": {"always": true}, "then": "prohibited"},
        {"name": "d", "overrides": ["b"], "when": {"always": true}, "then": "prohibited"},
        {"name": "e", "from": "2024-03-07", "until": "2024-03-07", "when": {"always": true}, "then": "prohibited"},
    ]));
    d["otherwise"] = J::Null;
    assert_eq!(
        errors(&d),
        [
            "$: say what cases no rule decides get: `\"otherwise\": \"not_controlled\"` (or another outcome), or declare `\"complete\": true`",
            "rules[1].name: rule `a` is defined twice (rules 0 and 1); rule names must be unique",
            "rules[2].overrides: `overrides` forms a cycle: b overrides c overrides d overrides b; an exception cannot be an exception to itself",
            "rules[2].overrides[1]: rule `b` overrides `nope`, which is not a rule of this rule set",
            "rules[5].until: rule `e` is in effect from 2024-03-07 until 2024-03-07, which is no day at all; `until` must be after `from`",
        ]
    );
    let e = load_rule_set(&d.to_string()).unwrap_err();
    let cycle = e.0.iter().find_map(|e| match &e.kind {
        LoadErrorKind::Lower(LowerErrorKind::Structure(StructureError::OverrideCycle {
            rules,
            ..
        })) => Some(rules.clone()),
        _ => None,
    });
    assert_eq!(cycle, Some(vec![2, 3, 4]));
}

#[test]
fn both_otherwise_and_complete_is_an_error() {
    let mut d = doc(json!([]));
    d["complete"] = json!(true);
    assert_eq!(
        errors(&d),
        ["complete: give either `otherwise` or `\"complete\": true`, not both"]
    );
}

#[test]
fn aliases_resolve_to_the_party_id_and_user_groups_to_their_members() {
    let d = doc(json!([
        rule("a", json!({"field": "end_user", "eq": "华为"})),
        rule("b", json!({"field": "destination", "in_group": "friends"})),
    ]));
    let rs = load_rule_set(&d.to_string()).unwrap();
    let back: J = serde_json::from_str(&to_json(&rs)).unwrap();
    assert_eq!(
        back["rules"][0]["when"],
        json!({"field": "end_user", "eq": "huawei"})
    );
    assert_eq!(
        back["rules"][1]["when"],
        json!({"field": "destination", "in_group": "friends"})
    );
}

#[test]
fn custom_schemas_load_and_round_trip() {
    let d = json!({"name": "c", "regime": "XX", "complete": true,
        "schema": {"name": "Shipment", "case_date": "on", "fields": [
            {"name": "on", "type": "date"},
            {"name": "kind", "type": {"enum": {"name": "Kind", "variants": ["tool", "part"]}}},
            {"name": "value", "type": "decimal"}, {"name": "listed", "type": "bool"}, {"name": "n", "type": "int"}]},
        "rules": [
            {"name": "r", "from": "2024-01-01", "when": {"all": [
                {"field": "kind", "ne": "part"}, {"field": "value", "ge": 10.5, "lt": "20"},
                {"field": "listed", "eq": true}, {"field": "n", "gt": 3}]}, "then": "prohibited"},
            {"name": "s", "when": {"not": {"field": "kind", "in": ["tool"]}}, "then": "not_controlled"}]});
    let rs = parse_rule_set(&d.to_string()).unwrap();
    assert_eq!(parse_rule_set(&to_json(&rs)).unwrap(), rs);
    // Declared complete, it leaves tools outside the value range undecided: the analysis rejects it on load.
    assert_eq!(
        errors(&d),
        [
            "complete: the rule set is declared complete, but no rule decides this case\n    case: kind = tool, value = 10.4999 (other fields: any value); as of each transaction's date, rules in force only\n    help: add a rule that covers it, or replace `\"complete\": true` with an `\"otherwise\"` outcome"
        ]
    );
    let mut bad = d.clone();
    bad["schema"]["case_date"] = json!("kind");
    assert_eq!(
        errors(&bad),
        ["schema: the case date `kind` is not a field of type date in the schema"]
    );
    let mut bad = d;
    bad["schema"]["fields"][0]["type"] = json!("money");
    assert!(errors(&bad)[0].starts_with("schema: unknown variant `money`"));
}

// ---- Generated rule sets: round trips and robustness ----

fn country() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["CN", "MO", "NL", "JP", "KR", "DE", "US", "RU", "TW"])
}

fn atom() -> impl Strategy<Value = J> {
    prop_oneof![
        country().prop_map(|c| json!({"field": "destination", "eq": c})),
        prop::collection::vec(country(), 0..4)
            .prop_map(|cs| json!({"field": "destination", "in": cs})),
        prop::sample::select(vec!["EAR:D:5", "EAR:D:1", "EU27", "friends"])
            .prop_map(|g| json!({"field": "exporter_country", "in_group": g})),
        prop::sample::select(vec!["3B001", "3B001.f", "3B001.f.4", "3A090.a", "EAR99",])
            .prop_map(|c| json!({"field": "item", "under": c})),
        prop::sample::select(vec!["JP:7.18", "JP:7", "3B001"])
            .prop_map(|c| json!({"field": "item.jp", "under": c})),
        prop::sample::select(vec!["presumption_of_denial", "not_listed"])
            .prop_map(|p| json!({"field": "any_party.entity_list", "eq": p})),
        prop::sample::select(vec!["export", "servicing", "spare_parts"])
            .prop_map(|a| json!({"field": "activity", "ne": a})),
        (2020i16..2026, 1i8..=12)
            .prop_map(|(y, m)| json!({"field": "contract_date", "lt": format!("{y}-{m:02}-01")})),
        (0i64..100).prop_map(|n| json!({"field": "us_content", "gt": n})),
        Just(json!({"field": "end_user", "not_in": ["huawei"]})),
        any::<bool>().prop_map(|b| json!({"always": b})),
    ]
}

fn condition() -> impl Strategy<Value = J> {
    atom().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|cs| json!({"all": cs})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|cs| json!({"any": cs})),
            inner.prop_map(|c| json!({"not": c})),
        ]
    })
}

fn outcome() -> impl Strategy<Value = J> {
    prop::sample::select(vec![
        json!("not_controlled"),
        json!({"licence_exception": "NAC"}),
        json!({"licence_required": "presumption_of_approval"}),
        json!({"licence_required": "case_by_case"}),
        json!({"licence_required": "presumption_of_denial"}),
        json!("prohibited"),
    ])
}

fn rule_set() -> impl Strategy<Value = J> {
    let r = (
        condition(),
        outcome(),
        any::<bool>(),
        prop::option::of(2021i16..2025),
        prop::collection::vec(any::<prop::sample::Index>(), 0..2),
    );
    prop::collection::vec(r, 0..6).prop_map(|rules| {
        let n = rules.len();
        let rules: Vec<J> = rules
            .into_iter()
            .enumerate()
            .map(|(i, (when, then, proposed, from, over))| {
                let mut r = json!({"name": format!("r{i}"), "when": when, "then": then});
                if proposed {
                    r["status"] = json!("proposed");
                }
                if let Some(y) = from {
                    r["from"] = json!(format!("{y}-01-01"));
                }
                // Overrides point at earlier rules only, so the graph is a DAG.
                let over: Vec<String> = if i == 0 {
                    vec![]
                } else {
                    over.iter().map(|x| format!("r{}", x.index(i))).collect()
                };
                if !over.is_empty() {
                    r["overrides"] = json!(over);
                }
                r
            })
            .collect();
        let _ = n;
        doc(json!(rules))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_rule_sets_round_trip(d in rule_set()) {
        let rs = parse_rule_set(&d.to_string()).unwrap();
        let text = to_json(&rs);
        let again = parse_rule_set(&text).unwrap();
        prop_assert_eq!(&again, &rs);
        prop_assert_eq!(to_json(&again), text);
    }

    #[test]
    fn damaged_documents_never_panic(d in rule_set(), cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..4)) {
        let mut text: Vec<char> = d.to_string().chars().collect();
        for (at, c) in cuts {
            let i = at.index(text.len());
            text[i] = c;
        }
        let text: String = text.into_iter().collect();
        let _ = load_rule_set(&text);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC*") {
        let _ = load_rule_set(&s);
    }
}

#[test]
fn loading_rejects_contradictions_and_dead_rules_at_their_rule_paths() {
    let mut d = doc(json!([
        {"name": "cn", "when": {"field": "destination", "eq": "CN"}, "then": "prohibited"},
        {"name": "chips", "when": {"field": "item", "under": "3A090"}, "then": {"licence_required": "case_by_case"}},
        {"name": "never", "when": {"all": [{"field": "destination", "eq": "CN"}, {"field": "destination", "eq": "JP"}]},
         "then": "prohibited"},
        {"name": "kept", "allow_dead": true, "when": {"always": false}, "then": "prohibited"},
    ]));
    d["parties"] = json!([]);
    assert_eq!(
        errors(&d),
        [
            "rules[1]: rules `cn` and `chips` contradict each other: `cn` decides prohibited and `chips` decides licence required (case by case) for the same case, and neither overrides the other (the other rule is rules[0])\n    case: item.ccl = 3A090, destination = CN (other fields: any value); as of each transaction's date, rules in force only\n    help: if one is an exception to the other, say so (`\"overrides\": [\"cn\"]` on `chips`, or the reverse); if both are requirements that apply together, add `\"cumulative\": true` to both and the stricter applies; otherwise narrow one condition so they no longer overlap",
            "rules[2]: rule `never` can never decide a case: its condition can never hold: `destination == CN` and `destination == JP` exclude each other\n    help: remove the rule or correct its condition; if it is kept on purpose, add `\"allow_dead\": true` to it",
        ]
    );
}

#[test]
fn documents_carry_their_format_version_and_other_versions_are_refused() {
    let d = doc(json!([rule(
        "a",
        json!({"field": "destination", "eq": "CN"})
    )]));
    let rs = parse_rule_set(&d.to_string()).unwrap();
    let written: J = serde_json::from_str(&to_json(&rs)).unwrap();
    assert_eq!(written["format"], json!(1));
    let mut future = d.clone();
    future["format"] = json!(2);
    let e = load_rule_set(&future.to_string()).unwrap_err();
    assert_eq!(e.0[0].path, "format");
    assert!(e.to_string().contains("format version 2"), "{e}");
}

#[test]
fn a_document_that_is_not_an_object_is_told_what_a_rule_book_is() {
    for (text, found) in [
        ("[1, 2]", "found a list"),
        ("\n  \"nl\"", "found the string `nl`"),
        ("42", "found the number `42`"),
    ] {
        let e = control_core::json::parse_rule_set(text).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].path, "$");
        let msg = e.0[0].to_string();
        assert!(
            msg.contains("expected a rule book, a JSON object with `name`"),
            "{msg}"
        );
        assert!(msg.contains(found), "{msg}");
    }
    let e = control_core::json::parse_rule_set("\n  \"nl\"").unwrap_err();
    assert!(e.0[0].to_string().contains("(line 2, column 3)"), "{e}");
}
