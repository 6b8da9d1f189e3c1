//! The answer key (`data/answer_key.json`): transactions whose outcome under each regime was written from the
//! primary legal texts, with a reason and a citation, before looking at what the rule books say. Every regime's
//! rule book must give the key's answer on the transaction's own date, rules in force only, and again with the
//! seed scenario's proposals adopted. The test reports every disagreement at once, with the rules that decided.

use std::collections::BTreeMap;

use control_core::{Evaluator, Scenario, Transaction};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    #[allow(dead_code)]
    about: String,
    regimes: Vec<String>,
    defaults: serde_json::Map<String, serde_json::Value>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    /// The columns that differ from the defaults.
    set: serde_json::Map<String, serde_json::Value>,
    /// The law's answer per regime, rules in force on the date; a regime not named has no jurisdiction.
    law: BTreeMap<String, String>,
    /// The answers that change when the seed scenario's proposals are adopted.
    #[serde(default)]
    with_proposals: BTreeMap<String, String>,
    reason: String,
    citation: String,
}

const OUTSIDE: &str = "outside jurisdiction";

fn key() -> Key {
    let path = examples::data_dir().join("answer_key.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each case's transaction, read by the screening loader (every column, parties' facts from the bundled party
/// data as of the transaction's date), as a user's file would be.
fn transactions(key: &Key) -> Vec<Transaction> {
    let mut lines = String::new();
    for case in &key.cases {
        let mut row = key.defaults.clone();
        for (k, v) in &case.set {
            assert!(
                row.contains_key(k),
                "{}: `{k}` is not a column of the defaults",
                case.id
            );
            row.insert(k.clone(), v.clone());
        }
        row.insert("id".into(), case.id.clone().into());
        lines.push_str(&serde_json::Value::Object(row).to_string());
        lines.push('\n');
    }
    let known: Vec<control_core::Party> = examples::rulebooks::parties();
    let parties = control_screen::parties::PartyMatcher::with_data(examples::party_data(), known);
    let rows = control_screen::input::read_all(
        lines.as_bytes(),
        control_screen::input::Format::Jsonl,
        &parties,
    )
    .unwrap();
    rows.into_iter()
        .zip(&key.cases)
        .map(|(row, case)| {
            row.transaction
                .unwrap_or_else(|e| panic!("{}: the transaction cannot be read: {e}", case.id))
        })
        .collect()
}

/// What one regime's book answers, in the key's words, with the rules that decided.
fn answer(
    book: &dyn Evaluator<Case = Transaction>,
    t: &Transaction,
    scenario: &Scenario,
) -> (String, String) {
    if !book.in_jurisdiction(t, scenario) {
        return (OUTSIDE.into(), String::new());
    }
    let explanation = book.explain(t, scenario);
    let d = explanation.decision;
    let outcome = match (&d.outcome, &d.conflict) {
        (Some(o), _) => o.to_string(),
        (None, Some([a, b])) => format!("conflict between `{a}` and `{b}`"),
        (None, None) => "undecided".into(),
    };
    let deciding: Vec<&str> = d.deciding.iter().map(|r| r.name.as_str()).collect();
    (outcome, deciding.join(", "))
}

#[test]
fn the_rule_books_give_the_answers_of_the_primary_texts() {
    let key = key();
    let books = examples::rulebooks::all();
    let names: Vec<&str> = books.iter().map(|b| b.rule_set().regime()).collect();
    assert_eq!(
        names, key.regimes,
        "the key's regimes are the bundled books' regimes, in order"
    );
    let transactions = transactions(&key);
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for (case, t) in key.cases.iter().zip(&transactions) {
        for r in case.law.keys().chain(case.with_proposals.keys()) {
            assert!(key.regimes.contains(r), "{}: unknown regime `{r}`", case.id);
        }
        for (scenario, label) in [
            (Scenario::CURRENT, "in force"),
            (Scenario::CURRENT.with_proposals(), "with proposals"),
        ] {
            for book in &books {
                let regime = book.rule_set().regime();
                let law = case.law.get(regime).map_or(OUTSIDE, String::as_str);
                let expected = if scenario.proposals {
                    case.with_proposals.get(regime).map_or(law, String::as_str)
                } else {
                    law
                };
                let (got, deciding) = answer(*book, t, &scenario);
                checked += 1;
                if got != expected {
                    disagreements.push(format!(
                        "{} [{regime}, {label}]: the law says {expected}, the book says {got} (deciding: {})\n    \
                         reason: {}\n    citation: {}",
                        case.id,
                        if deciding.is_empty() { "-" } else { &deciding },
                        case.reason,
                        case.citation
                    ));
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} answers disagree with the key:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn the_key_is_large_varied_and_well_formed() {
    let key = key();
    assert!(key.cases.len() >= 80, "{} cases", key.cases.len());
    let mut ids: Vec<&str> = key.cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), key.cases.len(), "case ids are unique");
    for case in &key.cases {
        assert!(!case.reason.trim().is_empty(), "{}: no reason", case.id);
        assert!(!case.citation.trim().is_empty(), "{}: no citation", case.id);
        for outcome in case.law.values().chain(case.with_proposals.values()) {
            let known = outcome == OUTSIDE
                || outcome == "not controlled"
                || outcome == "prohibited"
                || outcome.starts_with("licence exception ")
                || [
                    "presumption of approval",
                    "case by case",
                    "presumption of denial",
                ]
                .iter()
                .any(|p| *outcome == format!("licence required ({p})"));
            assert!(known, "{}: `{outcome}` is not an outcome", case.id);
        }
    }
    // Every regime has cases where it controls (in force, or with the proposals for a regime that has only
    // proposals) and cases where it does not.
    for regime in &key.regimes {
        let answers: Vec<&str> = key
            .cases
            .iter()
            .filter_map(|c| c.law.get(regime).map(String::as_str))
            .collect();
        let proposed: Vec<&str> = key
            .cases
            .iter()
            .filter_map(|c| c.with_proposals.get(regime).map(String::as_str))
            .collect();
        assert!(
            answers
                .iter()
                .chain(&proposed)
                .any(|a| a.starts_with("licence required")),
            "{regime}: no case needs a licence"
        );
        assert!(
            answers.contains(&"not controlled"),
            "{regime}: no case is free of control"
        );
    }
}

#[test]
fn every_rule_of_every_book_decides_some_case_of_the_key() {
    let key = key();
    let transactions = transactions(&key);
    let mut undecided = Vec::new();
    for book in examples::rulebooks::all() {
        let mut decided = std::collections::BTreeSet::new();
        for t in &transactions {
            for scenario in [Scenario::CURRENT, Scenario::CURRENT.with_proposals()] {
                if book.in_jurisdiction(t, &scenario) {
                    for r in book.explain(t, &scenario).decision.deciding {
                        decided.insert(r.name);
                    }
                }
            }
        }
        for rule in book.rule_set().rules() {
            if !decided.contains(&rule.name) {
                undecided.push(format!("{}: `{}`", book.rule_set().regime(), rule.name));
            }
        }
    }
    assert!(
        undecided.is_empty(),
        "rules no case of the key exercises: {}",
        undecided.join(", ")
    );
}
