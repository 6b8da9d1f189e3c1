//! The seed scenario's Dutch servicing rules (SCENARIO.md rows 5 and 6), interpreted from the bundled rule
//! book, as of 2024-03-07 with and without the proposals.

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
fn servicing_a_tool_bought_in_2023_is_licensed_leniently_today_and_denied_under_the_proposal() {
    let t = servicing("2023-05-01", "CN");
    let (today, by) = decide(&t, ON_REPORT_DAY);
    assert_eq!(
        today,
        Some(Outcome::LicenceRequired(
            ReviewPolicy::PresumptionOfApproval
        ))
    );
    assert_eq!(by, ["nl_servicing_lithography_cn"]);
    let (proposed, by) = decide(&t, ON_REPORT_DAY.with_proposals());
    assert_eq!(
        proposed,
        Some(Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
    );
    assert_eq!(by, ["nl_servicing_pre_control_tools_cn"]);
}

#[test]
fn the_proposal_leaves_tools_bought_after_the_controls_alone() {
    let t = servicing("2024-02-01", "CN");
    let lenient = Some(Outcome::LicenceRequired(
        ReviewPolicy::PresumptionOfApproval,
    ));
    assert_eq!(decide(&t, ON_REPORT_DAY).0, lenient);
    assert_eq!(decide(&t, ON_REPORT_DAY.with_proposals()).0, lenient);
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
fn adopting_the_proposed_servicing_rule_changes_exactly_old_tools_serviced_in_china() {
    let book = nl();
    let rs = book.rule_set();
    let d = control_core::analysis::diff(rs, ON_REPORT_DAY, rs, ON_REPORT_DAY.with_proposals())
        .unwrap();
    assert_eq!(d.regions.len(), 1, "{d}");
    let r = &d.regions[0];
    assert_eq!(
        r.before.outcome(),
        Some(&Outcome::LicenceRequired(
            ReviewPolicy::PresumptionOfApproval
        ))
    );
    assert_eq!(
        r.after.outcome(),
        Some(&Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
    );
    let case = &r.witness.case;
    assert_eq!(
        (case["exporter_country"].as_str(), case["activity"].as_str()),
        (Some("NL"), Some("servicing"))
    );
    assert_eq!(case["destination"], "CN");
    assert!(case["contract_date"].as_str().unwrap() < "2024-01-01");
    assert!(
        control_core::ControlCode::parse(case["item.nl"].as_str().unwrap())
            .unwrap()
            .is_under(&"3B001.f.4".parse().unwrap())
    );
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
