//! Generated workloads over the `Transaction` schema, shaped like real rule books: many control codes by
//! prefix, country sets and groups (with dated members), activities, effective periods, a few proposals and
//! exceptions that override the rule they narrow, families of cumulative requirements, and conditions on the
//! parties in their roles (who the end user is, its Entity List entry, where its parent is headquartered).
//! Deterministic for a seed, so benchmark runs compare like with like.
#![forbid(unsafe_code)]

use control_core::jiff::civil::{Date, date};
use control_core::transaction::fields;
use control_core::{
    Activity, Condition, ControlCode, Country, EntityListing, Fallback, FieldId, Outcome, Party,
    PartyId, Period, ReviewPolicy, Rule, RuleSet, RuleSetParts, Schema, Status, Test, Transaction,
    Value, builtin_group,
};

pub mod engines;
#[cfg(feature = "peers")]
pub mod peers;
pub mod workload;

pub use workload::Rng;

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// `true` with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const COUNTRIES: &[Country] = &[
    Country::CN,
    Country::MO,
    Country::RU,
    Country::IR,
    Country::KP,
    Country::SY,
    Country::CU,
    Country::VE,
    Country::BY,
    Country::MM,
    Country::VN,
    Country::IN,
    Country::PK,
    Country::AE,
    Country::SA,
    Country::TR,
    Country::IL,
    Country::SG,
    Country::MY,
    Country::TH,
    Country::ID,
    Country::BR,
    Country::MX,
    Country::ZA,
    Country::EG,
    Country::KZ,
    Country::UZ,
    Country::GE,
    Country::AM,
    Country::TW,
    Country::KR,
    Country::JP,
    Country::US,
    Country::GB,
    Country::DE,
    Country::FR,
    Country::NL,
    Country::IT,
    Country::ES,
    Country::SE,
];
const GROUPS: &[&str] = &[
    "EAR:D:1", "EAR:D:3", "EAR:D:4", "EAR:D:5", "EAR:E:1", "EU27", "EAR:A:5",
];
const SUB: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "h", "l", "m", "z"];

/// The ECCN of family `k`: ten categories × five product groups × numbers.
fn eccn(k: usize) -> String {
    format!(
        "{}{}{:03}",
        k % 10,
        ["A", "B", "C", "D", "E"][(k / 10) % 5],
        k / 50 + 1
    )
}

fn code(s: &str) -> ControlCode {
    ControlCode::parse(s).unwrap_or_else(|e| panic!("generated code: {e}"))
}

fn day(rng: &mut Rng) -> Date {
    date(
        2019 + rng.below(7) as i16,
        1 + rng.below(12) as i8,
        1 + rng.below(28) as i8,
    )
}

/// The outcome every rule of one code family gives, so that overlapping rules agree unless one is an exception.
fn family_outcome(family: usize) -> Outcome {
    match family % 5 {
        0 => Outcome::LicenceRequired(ReviewPolicy::CaseByCase),
        1 => Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial),
        2 => Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval),
        3 => Outcome::Prohibited,
        _ => Outcome::LicenceException("NAC".into()),
    }
}

/// The parties the generated rules name.
const PARTIES: usize = 20;

fn party(k: usize) -> PartyId {
    PartyId::new(&format!("party_{k}"))
}

/// `field` (a country) is in one of the country groups, with the group's dated members.
fn in_a_group(rng: &mut Rng, field: FieldId) -> Condition {
    let g = *rng.pick(GROUPS);
    let members = builtin_group(g).map(|g| g.membership()).unwrap_or_default();
    Condition::Test {
        field,
        test: Test::InGroup {
            group: g.into(),
            members,
        },
    }
}

/// Whether the rules of `family` are cumulative requirements (one family in seven): they may disagree, the
/// strictest applies, and no exception overrides them.
fn cumulative(family: usize) -> bool {
    family % 7 == 3
}

/// A rule set of `n` rules over the Transaction schema. Rules of one code family agree (or are cumulative
/// requirements, whose disagreement is allowed), and exceptions override the rule they narrow, so findings are few (as in a real draft: a handful of contradictions between an
/// exception and a sibling rule it forgot to override, and exceptions swallowed by later ones, marked
/// `allow_dead`): the analysis must search the whole space rather than stop at the first finding.
pub fn rule_set(n: usize, seed: u64) -> RuleSet {
    let mut rng = Rng::new(seed);
    let families = (n / 4).max(4);
    let mut rules: Vec<Rule> = Vec::with_capacity(n);
    // Per family: the rules so far, to narrow with exceptions.
    let mut by_family: Vec<Vec<usize>> = vec![Vec::new(); families];
    for i in 0..n {
        let family = rng.below(families);
        let last = by_family[family].last().filter(|_| !cumulative(family));
        if let (true, Some(&base)) = (rng.chance(10), last) {
            // An exception: the base rule's condition, narrowed to one destination and one activity, with another
            // outcome, overriding the base rule.
            let b: &Rule = &rules[base];
            let dest = *rng.pick(COUNTRIES);
            let when = Condition::All(vec![
                b.when.clone(),
                Condition::eq(fields::DESTINATION, Value::Country(dest)),
                Condition::eq(
                    fields::ACTIVITY,
                    Value::Enum(rng.below(Activity::ALL.len()) as u32),
                ),
            ]);
            let then = match &b.then {
                Outcome::Prohibited => Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial),
                _ => Outcome::Prohibited,
            };
            rules.push(Rule {
                name: format!("r{i}_exception"),
                doc: String::new(),
                citation: Some(format!("Generated exception {i}")),
                period: b.period,
                status: b.status,
                overrides: vec![b.name.clone()],
                // Exceptions may be swallowed by a later exception of the same base.
                allow_dead: true,
                cumulative: false,
                when,
                then,
            });
            continue;
        }
        let root = eccn(family);
        let item = if rng.chance(50) {
            root
        } else {
            format!("{root}.{}", rng.pick(SUB))
        };
        let mut parts = vec![Condition::under(fields::ITEM_CCL, code(&item))];
        if rng.chance(50) {
            parts.push(in_a_group(&mut rng, fields::DESTINATION));
        } else {
            let k = 1 + rng.below(4);
            let cs = (0..k)
                .map(|_| Value::Country(*rng.pick(COUNTRIES)))
                .collect();
            parts.push(Condition::is_in(fields::DESTINATION, cs));
        }
        if rng.chance(40) {
            let acts = (0..1 + rng.below(3))
                .map(|_| Value::Enum(rng.below(Activity::ALL.len()) as u32))
                .collect();
            parts.push(Condition::is_in(fields::ACTIVITY, acts));
        }
        // The parties in their roles: who the end user is, its Entity List entry, its parent's headquarters.
        if rng.chance(10) {
            let k = rng.below(PARTIES);
            parts.push(Condition::eq(fields::END_USER, Value::Party(party(k))));
        }
        if rng.chance(10) {
            parts.push(Condition::eq(
                fields::END_USER_ENTITY_LIST,
                Value::Enum(1 + rng.below(EntityListing::ALL.len() - 1) as u32),
            ));
        }
        if rng.chance(10) {
            parts.push(in_a_group(&mut rng, fields::END_USER_PARENT_HEADQUARTERS));
        }
        let period = if rng.chance(70) {
            let (a, b) = (day(&mut rng), day(&mut rng));
            if a == b {
                Period {
                    from: Some(a),
                    until: None,
                }
            } else {
                Period {
                    from: Some(a.min(b)),
                    until: Some(a.max(b)),
                }
            }
        } else {
            Period::ALWAYS
        };
        let status = if rng.chance(10) {
            Status::Proposed
        } else {
            Status::InForce
        };
        by_family[family].push(rules.len());
        rules.push(Rule {
            name: format!("r{i}"),
            doc: String::new(),
            citation: Some(format!("Generated rule {i}, {item}")),
            period,
            status,
            overrides: Vec::new(),
            allow_dead: true,
            cumulative: cumulative(family),
            when: Condition::All(parts),
            // Cumulative requirements of one family need not agree (a licence exception does not stack).
            then: if cumulative(family) {
                family_outcome(rng.below(4))
            } else {
                family_outcome(family)
            },
        });
    }
    transaction_rule_set(format!("generated_{n}"), "GEN", rules)
}

/// A rule set over the `Transaction` schema, applying everywhere, with `not_controlled` as its default.
pub fn transaction_rule_set(name: String, regime: &str, rules: Vec<Rule>) -> RuleSet {
    RuleSet::new(RuleSetParts {
        name,
        regime: regime.into(),
        doc: String::new(),
        schema: Schema::transaction().clone(),
        applies_when: Condition::Always,
        groups: Vec::new(),
        parties: (0..PARTIES)
            .map(|k| Party {
                id: party(k),
                name: format!("Party {k}"),
                country: None,
                aliases: Vec::new(),
            })
            .collect(),
        treatments: Vec::new(),
        fallback: Fallback::Otherwise(Outcome::NotControlled),
        rules,
    })
    .unwrap_or_else(|e| panic!("generated rule set: {e:?}"))
}

/// `n` transactions over the same vocabulary: some match rules, most do not.
pub fn transactions(n: usize, seed: u64) -> Vec<Transaction> {
    let mut rng = Rng::new(seed ^ 0x5EED);
    let plain = plain_transaction();
    (0..n)
        .map(|_| {
            let family = rng.below(400);
            let item = if rng.chance(50) {
                eccn(family)
            } else {
                format!("{}.{}", eccn(family), rng.pick(SUB))
            };
            Transaction {
                exporter: "exporter".into(),
                exporter_country: *rng.pick(COUNTRIES),
                item_ccl: code(&item),
                item_origin: *rng.pick(COUNTRIES),
                us_content: control_core::Decimal::from_int(rng.below(100) as i64),
                activity: *rng.pick(Activity::ALL),
                destination: *rng.pick(COUNTRIES),
                end_user: "customer".into(),
                end_use: *rng.pick(control_core::EndUse::ALL),
                date: day(&mut rng),
                contract_date: day(&mut rng),
                ..plain.clone()
            }
        })
        .collect()
}

/// A transaction whose fields beyond the first round's are the plainest (see
/// [`Transaction::from_core_fields`]); the workloads set the fields their rules test.
pub fn plain_transaction() -> Transaction {
    Transaction::from_core_fields(serde_json::json!({
        "exporter": "exporter", "exporter_country": "US", "item": "EAR99", "item_origin": "US",
        "us_content": 0, "activity": "export", "destination": "US", "end_user": "customer",
        "end_use": "civil", "date": "2024-03-07", "contract_date": "2024-01-01"
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}
