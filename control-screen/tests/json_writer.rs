//! The screen program writes each row with `Screener::write_json_line`, which copies the books' regimes, rule
//! names and citations from JSON written once. It must write exactly the bytes `serde_json` writes for the
//! row, on every kind of row: decided, failed (a conflict), outside jurisdiction, unreadable, for review,
//! cumulative rules with `set_by`, more deciding rules than a row lists, names that need escaping.

use common::Unchecked;
use control_core::PartyId;
use control_core::json::parse_rule_set;
use control_core::{Evaluator, Scenario, Transaction};
use control_screen::input::{Format, read_all};
use control_screen::parties::PossibleMatch;
use control_screen::screen::{Screener, Tally};

mod common;

fn book(json: &str) -> Unchecked {
    Unchecked(parse_rule_set(json).unwrap_or_else(|e| panic!("{e}")))
}

/// Rows of every kind but one: a decided row, one outside every jurisdiction, an unreadable one, and an id
/// that needs escaping. (A row for review is made from the decided one.)
fn csv() -> String {
    let row = |id: &str, exporter_country: &str, end_user: &str, date: &str| {
        format!(
            "{id},{}",
            common::columns([
                "ASML",
                exporter_country,
                "3B001.f.4",
                "NL",
                "8",
                "export",
                "CN",
                end_user,
                "advanced_logic_fab",
                date,
                "2023-05-01",
            ])
            .join(",")
        )
    };
    [
        format!("id,{}", control_screen::input::COLUMNS.join(",")),
        row("plain", "NL", "SMIC", "2024-03-07"),
        row(r#""quoted ""id"" \ é""#, "NL", "SMIC", "2024-03-07"),
        row("outside", "BR", "SMIC", "2024-03-07"),
        row("unreadable", "NL", "SMIC", "2024-02-30"),
    ]
    .join("\n")
}

#[test]
fn the_fast_writer_writes_what_serde_writes_on_every_kind_of_row() {
    let nl = r#""applies_when": {"field": "exporter_country", "eq": "NL"}"#;
    let conflicting = book(&format!(
        r#"{{"name": "bad", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled", {nl},
            "rules": [{{"name": "a", "when": {{"always": true}}, "then": "prohibited"}},
                      {{"name": "b \"quoted\"", "citation": "§ 1\n2", "when": {{"always": true}}, "then": "not_controlled"}}]}}"#
    ));
    let many: Vec<String> = (0..11)
        .map(|i| {
            format!(
                r#"{{"name": "r{i}", "citation": "Art. {i} \\ \u0001", "when": {{"always": true}}, "then": {{"licence_required": "case_by_case"}}}}"#
            )
        })
        .collect();
    let agreeing = book(&format!(
        r#"{{"name": "many", "regime": "Y\"Y", "schema": "Transaction", "otherwise": "not_controlled", {nl},
            "rules": [{}]}}"#,
        many.join(",")
    ));
    let cumulative = book(&format!(
        r#"{{"name": "stack", "regime": "ZZ", "schema": "Transaction", "otherwise": "not_controlled", {nl},
            "cumulative": true,
            "rules": [{{"name": "low", "when": {{"always": true}}, "then": {{"licence_required": "case_by_case"}}}},
                      {{"name": "high", "citation": "high one", "when": {{"always": true}}, "then": "prohibited"}}]}}"#
    ));
    let books: Vec<&dyn Evaluator<Case = Transaction>> = vec![&agreeing, &cumulative];
    let with_conflict: Vec<&dyn Evaluator<Case = Transaction>> =
        vec![&agreeing, &conflicting, &cumulative];
    let mut rows = read_all(csv().as_bytes(), Format::Csv, &common::matcher()).unwrap();
    // A row whose purchaser is close to a known party, as the party matcher reports it.
    let mut review = rows[0].clone();
    review.review.push(PossibleMatch {
        column: "purchaser",
        written: "SMIC Corp\"".into(),
        candidate: PartyId::new("smic"),
        candidate_name: "Semiconductor Manufacturing International Corporation".into(),
        score: 0.931,
    });
    rows.push(review);
    let mut statuses = Vec::new();
    for books in [books, with_conflict] {
        for scenario in [
            Scenario::CURRENT,
            Scenario {
                proposals: true,
                as_of: Some("2024-06-01".parse().unwrap()),
            },
        ] {
            let screener = Screener::new(books.clone(), scenario).unwrap();
            let mut memo = screener.memo();
            let regimes = screener.regimes();
            let (mut tally, mut remembered_tally) = (Tally::new(&regimes), Tally::new(&regimes));
            // Twice: the second time, every decided row's rendering is remembered from the first.
            for _ in 0..2 {
                for row in &rows {
                    let out = screener.screen(row);
                    statuses.push(out.status());
                    tally.add(&out);
                    let mut fast = Vec::new();
                    screener.write_json_line(&out, &mut fast);
                    let expected = format!("{}\n", serde_json::to_string(&out).unwrap());
                    assert_eq!(String::from_utf8(fast).unwrap(), expected);
                    let mut remembered = Vec::new();
                    screener.screen_json_line(
                        row,
                        &mut memo,
                        &mut remembered,
                        &mut remembered_tally,
                    );
                    assert_eq!(String::from_utf8(remembered).unwrap(), expected);
                }
            }
            assert_eq!(remembered_tally, tally);
        }
    }
    // Every kind of row was written.
    for status in [
        "decided",
        "failed",
        "outside_jurisdiction",
        "unreadable",
        "needs_review",
    ] {
        assert!(statuses.contains(&status), "no {status} row: {statuses:?}");
    }
}

/// A memo serves the screener that made it: with another screener (other books, another scenario), rows are
/// written as that screener writes them, not as the memo's screener did.
#[test]
fn a_memo_of_another_screener_is_not_used() {
    let nl = r#""applies_when": {"field": "exporter_country", "eq": "NL"}"#;
    let strict = book(&format!(
        r#"{{"name": "strict", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled", {nl},
            "rules": [{{"name": "all", "when": {{"always": true}}, "then": "prohibited"}}]}}"#
    ));
    let lenient = book(&format!(
        r#"{{"name": "lenient", "regime": "XX", "schema": "Transaction", "otherwise": "not_controlled", {nl},
            "rules": []}}"#
    ));
    let rows = read_all(csv().as_bytes(), Format::Csv, &common::matcher()).unwrap();
    let first = Screener::new(
        vec![&strict as &dyn Evaluator<Case = Transaction>],
        Scenario::CURRENT,
    )
    .unwrap();
    let second = Screener::new(
        vec![&lenient as &dyn Evaluator<Case = Transaction>],
        Scenario::CURRENT,
    )
    .unwrap();
    let mut memo = first.memo();
    let mut tally = Tally::new(&first.regimes());
    for screener in [&first, &second] {
        let mut out = Vec::new();
        screener.screen_json_line(&rows[0], &mut memo, &mut out, &mut tally);
        let expected = format!(
            "{}\n",
            serde_json::to_string(&screener.screen(&rows[0])).unwrap()
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
    assert_eq!(tally.get("XX", "prohibited"), 1);
    assert_eq!(tally.get("XX", "not controlled"), 1);
}
