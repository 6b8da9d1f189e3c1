// Requirements that stack, an exception that overrides one of them, and a requirement that bars the exception.
use control_core::{Evaluator, Scenario, Transaction};

control_macros::rules! {
    pub rule_set Us for Transaction {
        regime "US";
        applies when exporter_country == US;
        otherwise not_controlled;
        cumulative;
        party smic = "Semiconductor Manufacturing International Corporation";
        party acme = "Acme Computing";
        /// 15 CFR 742.6(a)(6)(iii): advanced chips to China.
        rule advanced_chips_cn {
            when item under 3A090 && destination == CN;
            then licence_required(presumption_of_denial);
        }
        /// 15 CFR 744.11(a): Entity List, in addition to the other requirements.
        rule entity_list_smic {
            when end_user == smic;
            then licence_required(case_by_case);
        }
        /// An exception is not cumulative: it overrides the requirement it excepts.
        rule nac {
            not_cumulative;
            overrides advanced_chips_cn;
            when item under 3A090.b && destination == CN;
            then licence_exception(NAC);
        }
        /// A Part 744 requirement bars the exception.
        rule entity_list_bars_nac {
            overrides nac;
            when end_user == smic && item under 3A090.b;
            then licence_required(presumption_of_denial);
        }
    }
}

fn case(item: &str, end_user: &str) -> Transaction {
    Transaction::from_core_fields(serde_json::json!({
        "exporter": "nvidia", "exporter_country": "US", "item": item, "item_origin": "US",
        "us_content": 100, "activity": "export", "destination": "CN", "end_user": end_user,
        "end_use": "civil", "date": "2024-03-07", "contract_date": "2024-01-10"}))
    .unwrap()
}

fn main() {
    let s = Scenario::CURRENT;
    let outcome = |t: &Transaction| Us.decide(t, &s).outcome().unwrap().to_string();
    // 742.6 and the Entity List stack: the stricter presumption of denial.
    assert_eq!(outcome(&case("3A090.a", "smic")), "licence required (presumption of denial)");
    assert_eq!(Us.decide(&case("3A090.a", "smic"), &s).deciding_names().count(), 2);
    // NAC excepts from 742.6 for .b items; to SMIC the Entity List still requires a licence and bars NAC.
    assert_eq!(outcome(&case("3A090.b", "acme")), "licence exception NAC");
    assert_eq!(outcome(&case("3A090.b", "smic")), "licence required (presumption of denial)");
    // The Entity List alone.
    assert_eq!(outcome(&case("EAR99", "smic")), "licence required (case by case)");
}
