//! The row summary fails closed: a regime that cannot decide makes the row an error with no outcome, even
//! when another regime decided; a row no regime covers claims no outcome; no rule book at all is refused.

use common::Unchecked;
use control_core::json::parse_rule_set;
use control_core::{Evaluator, Interpreter, Scenario, Transaction};
use control_screen::input::{Format, read_all};
use control_screen::screen::{Screener, TALLY_COLUMNS, Tally};

mod common;

fn csv() -> String {
    format!(
        "id,{}\nCN1,{}\nBR1,{}\n",
        control_screen::input::COLUMNS.join(","),
        common::columns([
            "ASML",
            "NL",
            "3B001.f.4",
            "NL",
            "8",
            "export",
            "CN",
            "SMIC",
            "advanced_logic_fab",
            "2024-03-07",
            "2023-05-01"
        ])
        .join(","),
        common::columns([
            "Soitec",
            "FR",
            "EAR99",
            "FR",
            "0",
            "export",
            "BR",
            "acme",
            "civil",
            "2024-03-07",
            "2024-01-01"
        ])
        .join(",")
    )
}

#[test]
fn a_conflicting_regime_makes_the_row_failed_whatever_the_others_say() {
    let conflicting = Unchecked(
        parse_rule_set(
            r#"{"name": "bad", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled",
                "applies_when": {"field": "exporter_country", "eq": "NL"},
                "rules": [{"name": "a", "when": {"always": true}, "then": "prohibited"},
                          {"name": "b", "when": {"always": true}, "then": "not_controlled"}]}"#,
        )
        .unwrap(),
    );
    let fine = Interpreter::<Transaction>::from_json(
        r#"{"name": "nl", "regime": "NL", "schema": "Transaction", "otherwise": "not_controlled",
            "applies_when": {"field": "exporter_country", "eq": "NL"}, "rules": []}"#,
    )
    .unwrap();
    let books: Vec<&dyn Evaluator<Case = Transaction>> = vec![&fine, &conflicting];
    let screener = Screener::new(books, Scenario::CURRENT).unwrap();
    let rows = read_all(csv().as_bytes(), Format::Csv, &common::matcher()).unwrap();
    let out: Vec<_> = rows.iter().map(|r| screener.screen(r)).collect();
    let mut tally = Tally::new(&screener.regimes());
    for o in &out {
        tally.add(o);
    }
    assert_eq!(out[0].status(), "failed");
    let json = serde_json::to_value(&out[0]).unwrap();
    assert!(json.get("outcome").is_none(), "{json}");
    assert_eq!(json["failed"], serde_json::json!(["XX"]));
    assert_eq!(out[1].status(), "outside_jurisdiction");
    assert!(
        serde_json::to_value(&out[1])
            .unwrap()
            .get("outcome")
            .is_none()
    );
    assert_eq!((tally.errors, tally.outside), (1, 1));
    assert_eq!(tally.get("most restrictive", "not controlled"), 0);
    assert_eq!(tally.get("most restrictive", "conflict"), 1);

    // The tally matches decisions to regimes by name: the order of the decisions does not change the counts,
    // nor does a tally over more regimes than the screener's.
    let mut names: Vec<String> = (0..70).map(|i| format!("R{i}")).collect();
    names.extend(screener.regimes().iter().map(|r| (*r).to_owned()));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (mut reversed, mut many) = (Tally::new(&screener.regimes()), Tally::new(&names));
    for row in &rows {
        let mut o = screener.screen(row);
        if let Ok(decisions) = &mut o.result {
            decisions.reverse();
        }
        reversed.add(&o);
        many.add(&o);
    }
    assert_eq!(reversed, tally);
    for regime in screener.regimes().into_iter().chain(["most restrictive"]) {
        for column in TALLY_COLUMNS {
            assert_eq!(
                many.get(regime, column),
                tally.get(regime, column),
                "{regime}, {column}"
            );
        }
    }
    assert!(
        screener
            .regimes()
            .iter()
            .any(|r| tally.get(r, "not in jurisdiction") > 0)
    );
}

#[test]
fn no_rule_book_is_no_screener() {
    assert!(Screener::new(Vec::new(), Scenario::CURRENT).is_none());
}
