//! Dated vocabulary in the bundled US rule books, compiled and loaded from JSON: Hong Kong is read as China
//! from 23 Dec 2020 (85 FR 83765), and Nicaragua is in Country Group D:5 from 15 Mar 2024, so the advanced
//! computing rule of 15 CFR 742.6(a)(6)(iii) reaches both on the dates the law says.

use control_core::{Evaluator, Interpreter, Outcome, ReviewPolicy, Scenario, Transaction};
use serde_json::json;

fn chip_to(destination: &str, date: &str) -> Transaction {
    Transaction::from_core_fields(json!({
        "exporter": "nvidia", "exporter_country": "US", "item": "3A090.a", "item_origin": "US",
        "us_content": 100, "activity": "export", "destination": destination, "end_user": "acme",
        "end_use": "civil", "date": date, "contract_date": date
    }))
    .unwrap()
}

fn books() -> Vec<Box<dyn Evaluator<Case = Transaction>>> {
    let text = std::fs::read_to_string(examples::data_dir().join("rulebooks/us.json")).unwrap();
    vec![
        Box::new(examples::rulebooks::UsEar),
        Box::new(Interpreter::<Transaction>::from_json(&text).unwrap()),
    ]
}

fn outcome(t: &Transaction) -> Vec<Option<Outcome>> {
    books()
        .iter()
        .map(|b| b.decide(t, &Scenario::CURRENT).outcome().cloned())
        .collect()
}

const DENIAL: Option<Outcome> = Some(Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial));

#[test]
fn hong_kong_is_china_for_the_ear() {
    // The October 2023 rule, in force from 17 Nov 2023, names D:5 and Macau; China is in D:5.
    assert_eq!(outcome(&chip_to("CN", "2024-01-10")), [DENIAL, DENIAL]);
    assert_eq!(outcome(&chip_to("HK", "2024-01-10")), [DENIAL, DENIAL]);
    // The rule book names no other Hong Kong rule: a shipment there is decided as one to China.
    let e = examples::rulebooks::UsEar.explain(&chip_to("HK", "2024-01-10"), &Scenario::CURRENT);
    assert_eq!(e.decision.deciding[0].name, "ac_d5");
}

#[test]
fn nicaragua_joins_d5_on_15_march_2024() {
    let before = chip_to("NI", "2024-03-14");
    let after = chip_to("NI", "2024-03-15");
    assert_eq!(
        outcome(&before),
        [Some(Outcome::NotControlled), Some(Outcome::NotControlled)]
    );
    assert_eq!(outcome(&after), [DENIAL, DENIAL]);
    // A scenario's as-of date is the effective date: the same shipment, judged as of the report's day.
    let on_report_day = Scenario::as_of(control_core::jiff::civil::date(2024, 3, 7));
    for b in books() {
        assert_eq!(
            b.decide(&after, &on_report_day).outcome(),
            Some(&Outcome::NotControlled)
        );
        assert!(b.in_jurisdiction(&after, &on_report_day));
    }
}
