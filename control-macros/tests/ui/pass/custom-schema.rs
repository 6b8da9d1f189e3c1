// A schema declared in the block: its struct, its enums, and a complete rule set over it.
use control_core::{Evaluator, Outcome, ReviewPolicy, Scenario};

control_macros::rules! {
    /// A shipment of chemicals.
    pub schema Shipment {
        /// Where it goes.
        to: Country,
        chemical: enum Chemical { photoresist, wet_etchant },
        purity: Decimal,
        batches: Int,
        listed: bool,
        buyer: Party,
        code: Code,
        #[case_date] shipped: Date,
    }

    pub rule_set Chemicals for Shipment {
        regime "JP";
        complete;
        party jsr = "JSR Corporation";
        rule listed_buyer { when listed; then prohibited; }
        rule resist { overrides listed_buyer; when chemical == photoresist && to == CN && purity > 99.9 && batches >= 2; then licence_required(case_by_case); }
        rule rest { when !listed && !(chemical == photoresist && to == CN && purity > 99.9 && batches >= 2); then not_controlled; }
    }
}

fn main() {
    let s = Shipment {
        to: control_core::Country::CN,
        chemical: Chemical::Photoresist,
        purity: "99.99".parse().unwrap(),
        batches: 3,
        listed: true,
        buyer: "jsr".into(),
        code: "1C999".parse().unwrap(),
        shipped: control_core::jiff::civil::date(2024, 3, 7),
    };
    assert_eq!(Chemicals.decide(&s, &Scenario::CURRENT).outcome(), Some(&Outcome::LicenceRequired(ReviewPolicy::CaseByCase)));
    assert_eq!(Chemical::from_name("wet_etchant"), Some(Chemical::WetEtchant));
    assert_eq!(Shipment::schema().fields.len(), 8);
}
