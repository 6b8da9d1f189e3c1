//! What the screening tests share: a small party data file and transactions written with the first round's
//! columns, widened to every input column.

use control_core::{Decision, Evaluator, RuleSet, Scenario, Transaction};
use control_screen::input::COLUMNS;
use control_screen::parties::PartyMatcher;

/// An evaluator over the reference semantics of a rule set the analysis would reject (conflicts on purpose),
/// as a product that builds its own evaluator might have.
#[allow(dead_code)] // Each test file compiles this module; not every one uses this.
pub struct Unchecked(pub RuleSet);

impl Evaluator for Unchecked {
    type Case = Transaction;
    fn rule_set(&self) -> &RuleSet {
        &self.0
    }
    fn decide(&self, case: &Transaction, s: &Scenario) -> Decision<'_> {
        self.0.decide(case, s)
    }
}

/// Party data for the tests' parties: SMIC and Huawei listed (dates as in the bundled sample), SK hynix and
/// a fictional Acme not.
pub const PARTIES: &str = r#"{"source": "control-screen tests", "parties": [
  {"id": "smic", "name": "Semiconductor Manufacturing International Corporation", "aliases": ["SMIC"],
   "location": "CN", "headquarters": "CN",
   "entries": [{"list": "entity_list", "from": "2020-12-22", "policy": "policy_by_item", "footnote": "none", "source": "85 FR 83416"}]},
  {"id": "huawei", "name": "Huawei Technologies Co., Ltd.", "aliases": ["Huawei", "华为"],
   "location": "CN", "headquarters": "CN",
   "entries": [{"list": "entity_list", "from": "2019-05-16", "policy": "presumption_of_denial", "footnote": "footnote_1", "source": "84 FR 22961"}]},
  {"id": "sk_hynix", "name": "SK hynix Inc.", "aliases": ["SK hynix"], "location": "KR", "headquarters": "KR"},
  {"id": "acme", "name": "Acme Trading Ltd. (fictional)", "location": "BR", "headquarters": "BR"}
]}"#;

/// A matcher over [`PARTIES`].
pub fn matcher() -> PartyMatcher {
    let data = control_core::PartyData::from_json(PARTIES).unwrap_or_else(|e| panic!("{e:?}"));
    PartyMatcher::with_data(data, Vec::new())
}

/// The input values of a transaction given by the first round's columns (exporter, exporter_country, item,
/// item_origin, us_content, activity, destination, end_user, end_use, date, contract_date), in [`COLUMNS`]
/// order: the item on the CCL only, no other party, the plainest facts.
pub fn columns(old: [&str; 11]) -> Vec<String> {
    let [
        exporter,
        country,
        item,
        origin,
        us,
        activity,
        destination,
        end_user,
        end_use,
        d,
        contract,
    ] = old;
    let values = [
        exporter,
        country,
        item,
        "UNLISTED",
        "UNLISTED",
        "UNLISTED",
        "UNLISTED",
        "UNLISTED",
        origin,
        us,
        "false",
        "0",
        "0",
        activity,
        destination,
        "none",
        "none",
        "none",
        end_user,
        end_use,
        "false",
        "none",
        "false",
        d,
        contract,
    ];
    assert_eq!(values.len(), COLUMNS.len());
    values.map(str::to_owned).to_vec()
}
