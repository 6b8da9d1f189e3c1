//! The seed scenario's Dutch servicing rules (SCENARIO.md rows 5 and 6), interpreted from the bundled rule
//! book, as of 2024-03-07 with and without the proposals. Servicing is not an export under the Dutch
//! Regeling in force on that day (no legal text for the report's row 5 was found): both rows are proposals.

use control_core::jiff::civil::date;
use control_core::{Evaluator, Interpreter, Outcome, ReviewPolicy, Scenario, Transaction};
use serde_json::json;

fn nl() -> Interpreter<Transaction> {
    let text = std::fs::read_to_string(examples::data_dir().join("rulebooks/nl.json")).unwrap();
    Interpreter::from_json(&text).unwrap()
}

fn servicing(contract_date: &str, destination: &str) -> Transaction {
    Transaction::from_core_fields(json!({
        "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item.nl": "3B001.f.4", "item_origin": "NL", "us_content": 8,
        "activity": "servicing", "destination": destination, "end_user": "smic", "end_use": "advanced_logic_fab",
        "date": "2024-06-01", "contract_date": contract_date
    }))
    .unwrap()
}

const ON_REPORT_DAY: Scenario = Scenario {
    as_of: Some(date(2024, 3, 7)),
    proposals: false,
};

fn decide(t: &Transaction, s: Scenario) -> (Option<Outcome>, Vec<String>) {
    let book = nl();
    let d = book.decide(t, &s);
    (
        d.outcome().cloned(),
        d.deciding_names().map(str::to_owned).collect(),
    )
}

#[test]
fn servicing_a_tool_bought_in_2023_is_not_controlled_today_and_denied_under_the_proposal() {
    let t = servicing("2023-05-01", "CN");
    let (today, by) = decide(&t, ON_REPORT_DAY);
    assert_eq!(today, Some(Outcome::NotControlled));
    assert!(by.is_empty());
    let (proposed, by) = decide(&t, ON_REPORT_DAY.with_proposals());
    assert_eq!(
        proposed,
        Some(Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
    );
    assert_eq!(by, ["nl_servicing_pre_control_tools_cn"]);
}

#[test]
fn tools_bought_after_the_controls_would_be_licensed_leniently() {
    let t = servicing("2024-02-01", "CN");
    assert_eq!(decide(&t, ON_REPORT_DAY).0, Some(Outcome::NotControlled));
    assert_eq!(
        decide(&t, ON_REPORT_DAY.with_proposals()).0,
        Some(Outcome::LicenceRequired(
            ReviewPolicy::PresumptionOfApproval
        ))
    );
}

#[test]
fn servicing_outside_china_and_before_the_regulation_is_not_controlled() {
    assert_eq!(
        decide(
            &servicing("2023-05-01", "KR"),
            ON_REPORT_DAY.with_proposals()
        )
        .0,
        Some(Outcome::NotControlled)
    );
    let before = Scenario {
        as_of: Some(date(2023, 8, 31)),
        proposals: false,
    };
    assert_eq!(
        decide(&servicing("2023-05-01", "CN"), before).0,
        Some(Outcome::NotControlled)
    );
}

#[test]
fn the_explanation_shows_the_proposal_overriding_todays_rule() {
    let e = nl().explain(
        &servicing("2023-05-01", "CN"),
        &ON_REPORT_DAY.with_proposals(),
    );
    assert_eq!(e.effective_date, Some(date(2024, 3, 7)));
    let names: Vec<_> = e
        .applying
        .iter()
        .map(|a| (a.rule.name.as_str(), a.deciding))
        .collect();
    assert_eq!(
        names,
        [
            ("nl_servicing_lithography_cn", false),
            ("nl_servicing_pre_control_tools_cn", true)
        ]
    );
    assert_eq!(
        e.applying[0].overridden_by,
        ["nl_servicing_pre_control_tools_cn"]
    );
}

#[test]
fn every_bundled_rulebook_and_transaction_loads() {
    let books = examples::load_rulebooks(&examples::data_dir().join("rulebooks")).unwrap();
    assert_eq!(
        books
            .iter()
            .map(|b| b.rule_set().regime())
            .collect::<Vec<_>>(),
        ["NL", "US"]
    );
    let rows =
        examples::load_transactions(&examples::data_dir().join("transactions.jsonl")).unwrap();
    assert!(rows.iter().all(|(_, r)| r.is_ok()));
}

#[test]
fn adopting_the_proposals_changes_exactly_tools_serviced_in_china_old_and_new() {
    let book = nl();
    let rs = book.rule_set();
    let d = control_core::analysis::diff(rs, ON_REPORT_DAY, rs, ON_REPORT_DAY.with_proposals())
        .unwrap();
    assert_eq!(d.regions.len(), 2, "{d}");
    for r in &d.regions {
        assert_eq!(r.before.outcome(), Some(&Outcome::NotControlled));
        let case = &r.witness.case;
        assert_eq!(
            (case["exporter_country"].as_str(), case["activity"].as_str()),
            (Some("NL"), Some("servicing"))
        );
        assert_eq!(case["destination"], "CN");
        assert!(
            control_core::ControlCode::parse(case["item.nl"].as_str().unwrap())
                .unwrap()
                .is_under(&"3B001.f.4".parse().unwrap())
        );
        // Tools bought before this year's controls: denial; after: the lenient licence.
        let old = case["contract_date"].as_str().unwrap() < "2024-01-01";
        assert_eq!(
            r.after.outcome(),
            Some(&Outcome::LicenceRequired(if old {
                ReviewPolicy::PresumptionOfDenial
            } else {
                ReviewPolicy::PresumptionOfApproval
            }))
        );
    }
}

#[test]
fn the_bundled_rulebooks_pass_the_analysis() {
    for b in examples::load_rulebooks(&examples::data_dir().join("rulebooks")).unwrap() {
        let a = control_core::analysis::analyse(b.rule_set()).unwrap();
        assert!(
            a.is_clean(),
            "{}: {}",
            b.rule_set().name(),
            a.render(&control_core::json::JsonSyntax)
        );
    }
}
