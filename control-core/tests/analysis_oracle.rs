//! The analysis against a brute-force oracle that enumerates every case of a small schema in every scenario.
//!
//! The small schema's constants come from small pools, and the oracle enumerates those values and the values
//! around them (a country and a party no rule names, codes below and beside the named ones, numbers and dates
//! between and beyond the bounds), so it visits a case of every cell the analysis reasons about, without using
//! the analysis's own partition.

use std::collections::BTreeSet;

/// How many random rule sets a property test checks: `light` in the README's test command, `heavy` when
/// `CONTROL_HEAVY_TESTS` is set (CI sets it; so should anyone changing the analysis). Each case enumerates a
/// whole space, so the heavy counts take minutes.
fn cases(light: u32, heavy: u32) -> u32 {
    if std::env::var_os("CONTROL_HEAVY_TESTS").is_some() {
        heavy
    } else {
        light
    }
}

use control_core::analysis::{Analysis, analyse};
use control_core::jiff::civil::{Date, date};
use control_core::{
    CmpOp, Condition, ControlCode, Country, CountryGroup, CountrySet, Env, Fallback, Field,
    FieldType, Membership, Outcome, Party, PartyId, Period, Record, ReviewPolicy, Rule, RuleSet,
    RuleSetParts, Scenario, Schema, Status, Test, Treatment, Value,
};
use proptest::prelude::*;

const TO: usize = 0;
const KIND: usize = 1;
const ITEM: usize = 2;
const N: usize = 3;
const SIGNED: usize = 4;
const WHO: usize = 5;
const LISTED: usize = 6;

fn schema() -> Schema {
    let f = |name: &str, ty: FieldType| Field::new(name, ty);
    Schema {
        name: "Small".into(),
        fields: vec![
            f("to", FieldType::Country),
            f(
                "kind",
                FieldType::Enum {
                    name: "Kind".into(),
                    variants: vec!["tool".into(), "part".into()],
                },
            ),
            f("item", FieldType::Code),
            f("n", FieldType::Int),
            f("signed", FieldType::Date),
            f("who", FieldType::Party),
            f("listed", FieldType::Bool),
        ],
        case_date: Some("signed".into()),
    }
}

fn code(s: &str) -> ControlCode {
    ControlCode::parse(s).unwrap()
}

fn d(day: i8) -> Date {
    date(2024, 1, day)
}

const COUNTRY_POOL: [Country; 3] = [Country::CN, Country::JP, Country::NL];
const CODE_POOL: [&str; 3] = ["3B001", "3B001.a", "3A090"];
const GROUP: [Country; 2] = [Country::CN, Country::NL];

/// Every case the oracle visits.
fn universe() -> Vec<Record> {
    let s = schema();
    let mut out = Vec::new();
    // DE is named by no generated rule: without it, a rule set whose dated group names the five others leaves
    // "any other country" out of the universe, and a change there that the analysis rightly reports looks
    // invented.
    for to in [
        Country::CN,
        Country::JP,
        Country::NL,
        Country::US,
        Country::HK,
        Country::DE,
    ] {
        for kind in 0..2 {
            for item in [
                "3B001",
                "3B001.a",
                "3B001.a.1",
                "3B001.b",
                "3A090",
                "3A090.a",
                "EAR99",
            ] {
                for n in -1..=3 {
                    for day in 1..=5 {
                        for who in ["huawei", "acme"] {
                            for listed in [false, true] {
                                let values = vec![
                                    Value::Country(to),
                                    Value::Enum(kind),
                                    Value::Code(code(item)),
                                    Value::Int(n),
                                    Value::Date(d(day)),
                                    Value::Party(PartyId::new(who)),
                                    Value::Bool(listed),
                                ];
                                out.push(Record::new(&s, values).unwrap());
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn scenarios() -> Vec<Scenario> {
    (1..=5)
        .flat_map(|day| {
            [false, true].map(|p| Scenario {
                as_of: Some(d(day)),
                proposals: p,
            })
        })
        .collect()
}

fn atom() -> impl Strategy<Value = Condition> {
    let country = prop::sample::select(COUNTRY_POOL.to_vec());
    prop_oneof![
        country
            .clone()
            .prop_map(|c| Condition::eq(TO, Value::Country(c))),
        prop::collection::vec(country, 0..3)
            .prop_map(|cs| Condition::is_in(TO, cs.into_iter().map(Value::Country).collect())),
        Just(Condition::Test {
            field: TO,
            test: Test::InGroup {
                group: "g".into(),
                members: Membership {
                    always: CountrySet::of(&GROUP),
                    dated: Vec::new()
                }
            }
        }),
        // A group whose membership changes: JP joins on day 3, US leaves on day 2, HK (treated as CN from
        // day 3 in some rule sets) is a member from day 2 to day 4, CN from day 4.
        Just(Condition::Test {
            field: TO,
            test: Test::InGroup {
                group: "dated".into(),
                members: dated_group()
            }
        }),
        (0u32..2).prop_map(|k| Condition::eq(KIND, Value::Enum(k))),
        prop::sample::select(CODE_POOL.to_vec()).prop_map(|c| Condition::under(ITEM, code(c))),
        prop::sample::select(CODE_POOL.to_vec())
            .prop_map(|c| Condition::eq(ITEM, Value::Code(code(c)))),
        (
            prop::sample::select(vec![CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge]),
            prop::sample::select(vec![0i64, 2])
        )
            .prop_map(|(op, k)| Condition::cmp(N, op, Value::Int(k))),
        prop::sample::select(vec![0i64, 2]).prop_map(|k| Condition::eq(N, Value::Int(k))),
        (
            prop::sample::select(vec![CmpOp::Lt, CmpOp::Ge]),
            prop::sample::select(vec![2i8, 4])
        )
            .prop_map(|(op, day)| Condition::cmp(SIGNED, op, Value::Date(d(day)))),
        Just(Condition::eq(WHO, Value::Party(PartyId::new("huawei")))),
        any::<bool>().prop_map(|b| Condition::eq(LISTED, Value::Bool(b))),
    ]
}

fn dated_group() -> Membership {
    Membership {
        always: CountrySet::of(&[Country::NL]),
        dated: vec![
            (
                Country::JP,
                Period {
                    from: Some(d(3)),
                    until: None,
                },
            ),
            (
                Country::US,
                Period {
                    from: None,
                    until: Some(d(2)),
                },
            ),
            (
                Country::HK,
                Period {
                    from: Some(d(2)),
                    until: Some(d(4)),
                },
            ),
            (
                Country::CN,
                Period {
                    from: Some(d(4)),
                    until: None,
                },
            ),
        ],
    }
}

/// The treatments a generated rule set may have: none, or HK read as CN from day 3.
fn treatments() -> impl Strategy<Value = Vec<Treatment>> {
    prop_oneof![
        Just(Vec::new()),
        Just(vec![Treatment {
            territory: Country::HK,
            as_country: Country::CN,
            from: d(3),
            citation: String::new(),
        }]),
    ]
}

/// The case as the treatments read it on `date`, computed apart from the library's `Env`.
fn treated<'a>(
    case: &'a Record,
    date: Date,
    treatments: &[Treatment],
) -> std::borrow::Cow<'a, Record> {
    if treatments.is_empty() {
        return std::borrow::Cow::Borrowed(case);
    }
    let mut values = case.values().to_vec();
    if let Value::Country(c) = values[TO] {
        for t in treatments {
            if t.territory == c && date >= t.from {
                values[TO] = Value::Country(t.as_country);
            }
        }
    }
    std::borrow::Cow::Owned(Record::new(&schema(), values).unwrap())
}

fn condition() -> impl Strategy<Value = Condition> {
    conditions_of(atom(), 4)
}

/// Conditions nested two deep over `atom` (weighted `weight` to 1 against `always`).
fn conditions_of(
    atom: impl Strategy<Value = Condition> + 'static,
    weight: u32,
) -> impl Strategy<Value = Condition> {
    let leaf = prop_oneof![weight => atom, 1 => Just(Condition::Always)];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::All),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Condition::Any),
            inner.prop_map(Condition::negate),
        ]
    })
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop::sample::select(vec![
        Outcome::NotControlled,
        Outcome::LicenceRequired(ReviewPolicy::CaseByCase),
        Outcome::Prohibited,
    ])
}

fn period() -> impl Strategy<Value = Period> {
    prop::sample::select(vec![
        Period::ALWAYS,
        Period {
            from: Some(d(2)),
            until: None,
        },
        Period {
            from: None,
            until: Some(d(4)),
        },
        Period {
            from: Some(d(2)),
            until: Some(d(4)),
        },
        Period {
            from: Some(d(4)),
            until: Some(d(5)),
        },
    ])
}

fn rule_set() -> impl Strategy<Value = RuleSet> {
    let rule = (
        condition(),
        outcome(),
        period(),
        any::<bool>(),
        prop::collection::vec(any::<prop::sample::Index>(), 0..2),
        any::<bool>(),
    );
    let applies = prop_oneof![3 => Just(Condition::Always), 1 => atom()];
    (
        prop::collection::vec(rule, 1..6),
        applies,
        any::<bool>(),
        treatments(),
    )
        .prop_map(|(rules, applies_when, complete, treatments)| {
            let rules = rules_of(rules);
            RuleSet::new(RuleSetParts {
                name: "small".into(),
                regime: "XX".into(),
                doc: String::new(),
                schema: schema(),
                applies_when,
                groups: vec![CountryGroup::user_defined("g", CountrySet::of(&GROUP))],
                parties: vec![Party {
                    id: PartyId::new("huawei"),
                    name: "Huawei".into(),
                    country: None,
                    aliases: vec![],
                }],
                treatments,
                fallback: if complete {
                    Fallback::Complete
                } else {
                    Fallback::Otherwise(Outcome::NotControlled)
                },
                rules,
            })
            .unwrap()
        })
}

/// A generated rule: condition, outcome, period, proposed, the earlier rules it overrides, cumulative.
type GenRule = (
    Condition,
    Outcome,
    Period,
    bool,
    Vec<prop::sample::Index>,
    bool,
);

/// Rules `r0`, `r1`, … from generated parts; each overrides only earlier rules, so the graph is a DAG, and a
/// cumulative rule overrides no cumulative rule (a structural error, tested on its own).
fn rules_of(rules: Vec<GenRule>) -> Vec<Rule> {
    // An exception cannot be cumulative (a structural error, tested on its own).
    let stacks = |r: &GenRule| r.5 && !matches!(r.1, Outcome::LicenceException(_));
    let cumulative: Vec<bool> = rules.iter().map(stacks).collect();
    rules
        .into_iter()
        .enumerate()
        .map(|(i, (when, then, period, proposed, over, _))| Rule {
            name: format!("r{i}"),
            doc: String::new(),
            citation: None,
            period,
            status: if proposed {
                Status::Proposed
            } else {
                Status::InForce
            },
            overrides: if i == 0 {
                vec![]
            } else {
                over.iter()
                    .map(|x| x.index(i))
                    .filter(|&t| !(cumulative[i] && cumulative[t]))
                    .map(|t| format!("r{t}"))
                    .collect()
            },
            allow_dead: false,
            cumulative: cumulative[i],
            when,
            then,
        })
        .collect()
}

/// What the oracle sees: contradicting pairs, rules deciding somewhere, and whether a gap exists.
fn oracle(
    rs: &RuleSet,
    cases: &[Record],
    scenarios: &[Scenario],
) -> (BTreeSet<(usize, usize)>, BTreeSet<usize>, bool) {
    let (mut pairs, mut alive, mut gap) = (BTreeSet::new(), BTreeSet::new(), false);
    let n = rs.rules().len();
    // Who overrides whom, by definition: `a` overrides `b` if it names it, or if `a` is not cumulative and
    // names a rule that is not cumulative and overrides `b`.
    let rules = rs.rules();
    let names = |i: usize, j: usize| rules[i].overrides.contains(&rules[j].name);
    let mut over: Vec<Vec<bool>> = (0..n)
        .map(|i| (0..n).map(|j| names(i, j)).collect())
        .collect();
    for _ in 0..n {
        for i in (0..n).filter(|&i| !rules[i].cumulative) {
            for k in (0..n).filter(|&k| !rules[k].cumulative) {
                if over[i][k] {
                    let through = over[k].clone();
                    for (reach, via) in over[i].iter_mut().zip(through) {
                        *reach |= via;
                    }
                }
            }
        }
    }
    let overriders: Vec<Vec<usize>> = (0..n)
        .map(|j| (0..n).filter(|&i| over[i][j]).collect())
        .collect();
    assert!(
        (0..n).all(|j| rs.overriders_of(j) == overriders[j].as_slice()),
        "{rs:?}"
    );
    for case in cases {
        // (date, in jurisdiction, which conditions hold) for the last date seen: scenarios come date by date.
        let mut on: Option<(Date, bool, Vec<bool>)> = None;
        for s in scenarios {
            // The effective date is the scenario's; group membership and treatments are read on it. The
            // treated case, built apart from `Env`, must test the same as the case read through `Env`.
            let date = s.as_of.unwrap();
            if on.as_ref().is_none_or(|(d, _, _)| *d != date) {
                let plain = treated(case, date, rs.treatments());
                let env = Env::new(Some(date), rs.treatments());
                let inside = rs.applies_when().holds(&*plain, Env::new(Some(date), &[]));
                let holds: Vec<bool> = rs
                    .rules()
                    .iter()
                    .map(|r| {
                        let h = r.when.holds(&*plain, Env::new(Some(date), &[]));
                        assert_eq!(r.when.holds(case, env), h, "{case:?} {s}");
                        h
                    })
                    .collect();
                on = Some((date, inside, holds));
            }
            let Some((_, inside, holds)) = &on else {
                unreachable!()
            };
            assert_eq!(rs.in_jurisdiction(case, s), *inside, "{case:?} {s}");
            if !inside {
                continue;
            }
            let applies: Vec<bool> = (0..n)
                .map(|i| {
                    let r = &rs.rules()[i];
                    holds[i] && s.includes(r.status) && r.period.contains(s.as_of.unwrap())
                })
                .collect();
            let deciding: Vec<usize> = (0..n)
                .filter(|&i| applies[i] && !overriders[i].iter().any(|&o| applies[o]))
                .collect();
            if deciding.is_empty() && !s.proposals && *rs.fallback() == Fallback::Complete {
                gap = true;
            }
            let rules = rs.rules();
            for (k, &a) in deciding.iter().enumerate() {
                alive.insert(a);
                for &b in &deciding[k + 1..] {
                    // A conflict needs a rule that is not cumulative among the disagreeing ones.
                    if rules[a].then != rules[b].then
                        && !(rules[a].cumulative && rules[b].cumulative)
                    {
                        pairs.insert((a, b));
                    }
                }
            }
            // The reference semantics by definition: agreement, or cumulative rules stacking to the most
            // restrictive outcome, or a conflict.
            let outcomes: BTreeSet<u8> = deciding.iter().map(|&i| rules[i].then.level()).collect();
            let expected = if deciding.is_empty() {
                None
            } else if outcomes.len() == 1 || deciding.iter().all(|&i| rules[i].cumulative) {
                deciding
                    .iter()
                    .map(|&i| &rules[i].then)
                    .max_by_key(|o| o.level())
            } else {
                None
            };
            let d = rs.decide(case, s);
            match (expected, d.verdict()) {
                (Some(o), control_core::Verdict::Decided(got)) => {
                    assert_eq!(o, got, "{case:?} {s}")
                }
                (None, control_core::Verdict::Conflict { first, second }) => {
                    assert!(deciding.contains(&first) && deciding.contains(&second));
                    assert!(rules[first].then != rules[second].then);
                    assert!(!(rules[first].cumulative && rules[second].cumulative));
                }
                (None, control_core::Verdict::Otherwise(_) | control_core::Verdict::Undecided) => {
                    assert!(deciding.is_empty(), "{case:?} {s}");
                }
                (e, v) => panic!("{case:?} {s}: expected {e:?}, decided {v:?}"),
            }
            assert_eq!(d.deciding().total(), deciding.len());
        }
    }
    (pairs, alive, gap)
}

/// The analysis finds exactly the contradicting pairs, dead rules and gaps the oracle finds over `cases` in
/// `scenarios`, and its witnesses reproduce them and read back.
fn analysis_agrees(
    rs: &RuleSet,
    cases: &[Record],
    scenarios: &[Scenario],
) -> Result<(), TestCaseError> {
    let report = analyse(rs).unwrap();
    let (pairs, alive, gap) = oracle(rs, cases, scenarios);
    let found: BTreeSet<(usize, usize)> = report
        .contradictions
        .iter()
        .map(|c| (c.first, c.second))
        .collect();
    prop_assert_eq!(&found, &pairs);
    let dead: BTreeSet<usize> = report.dead_rules.iter().map(|d| d.rule).collect();
    let expected_dead: BTreeSet<usize> = (0..rs.rules().len())
        .filter(|i| !alive.contains(i))
        .collect();
    prop_assert_eq!(dead, expected_dead);
    prop_assert_eq!(!report.gaps.is_empty(), gap);
    check(rs, &report);
    round_trips(rs, &report);
    Ok(())
}

fn check(rs: &RuleSet, report: &Analysis) {
    for c in &report.contradictions {
        let e = rs.explain(&c.witness.record, &c.witness.scenario);
        let names: Vec<&str> = e
            .decision
            .deciding
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert!(
            names.contains(&c.first_name.as_str()) && names.contains(&c.second_name.as_str()),
            "witness {} does not reproduce {c:?}",
            c.witness
        );
        assert!(e.in_jurisdiction);
    }
    for g in &report.gaps {
        let d = rs.decide(&g.witness.record, &g.witness.scenario);
        assert_eq!(
            d.verdict(),
            control_core::Verdict::Undecided,
            "gap witness {} is decided",
            g.witness
        );
        assert!(rs.in_jurisdiction(&g.witness.record, &g.witness.scenario));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::cases(500, 2000), ..ProptestConfig::default() })]

    #[test]
    fn the_analysis_agrees_with_brute_force(rs in rule_set()) {
        thread_local! {
            static CASES: Vec<Record> = universe();
        }
        CASES.with(|cases| analysis_agrees(&rs, cases, &scenarios()))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_diff_agrees_with_brute_force(
        rs in rule_set(),
        day in 1i8..=5,
        later in prop::option::of(1i8..=5),
    ) {
        thread_local! {
            static CASES: Vec<Record> = universe();
        }
        // With and without proposals, on the same day or (dated groups and treatments change) another.
        let before = Scenario { as_of: Some(d(day)), proposals: false };
        let after = Scenario { as_of: Some(d(later.unwrap_or(day))), proposals: true };
        let report = control_core::analysis::diff(&rs, before, &rs, after).unwrap();
        CASES.with(|cases| agrees_with_brute_force(&report, (&rs, before), (&rs, after), cases))?;
    }
}

/// The kinds of change the diff reports are exactly those brute force finds over `cases`, and each region's
/// witness decides as the region says (no outcome outside the jurisdiction).
fn agrees_with_brute_force(
    report: &control_core::analysis::Diff,
    (before, at_before): (&RuleSet, Scenario),
    (after, at_after): (&RuleSet, Scenario),
    cases: &[Record],
) -> Result<(), TestCaseError> {
    // A region whose decision before varies (`Varies`) stands for every change to its decision after.
    let varies = |r: &&control_core::analysis::DiffRegion| {
        r.before == control_core::analysis::SideDecision::Varies
    };
    let kinds: BTreeSet<(Option<Outcome>, Option<Outcome>)> = report
        .regions
        .iter()
        .filter(|r| !varies(r))
        .map(|r| (r.before.outcome().cloned(), r.after.outcome().cloned()))
        .collect();
    let to_any: BTreeSet<Option<Outcome>> = report
        .regions
        .iter()
        .filter(varies)
        .map(|r| r.after.outcome().cloned())
        .collect();
    let mut seen = BTreeSet::new();
    for case in cases {
        let inside = (
            before.in_jurisdiction(case, &at_before),
            after.in_jurisdiction(case, &at_after),
        );
        if !inside.0 && !inside.1 {
            continue;
        }
        let (b, a) = (
            before.decide(case, &at_before),
            after.decide(case, &at_after),
        );
        let (bo, ao) = (
            b.outcome().cloned().filter(|_| inside.0),
            a.outcome().cloned().filter(|_| inside.1),
        );
        // Entering or leaving the jurisdiction is a change, whatever the decision.
        if bo != ao
            || inside.0 != inside.1
            || b.verdict() != a.verdict() && (bo.is_none() || ao.is_none())
        {
            seen.insert((bo, ao));
        }
    }
    let regions: Vec<String> = report
        .regions
        .iter()
        .map(|r| r.witness.to_string())
        .collect();
    let explained: BTreeSet<_> = seen
        .iter()
        .filter(|(_, after)| !to_any.contains(after))
        .cloned()
        .collect();
    let explicit: BTreeSet<_> = kinds
        .iter()
        .filter(|(_, after)| !to_any.contains(after))
        .cloned()
        .collect();
    prop_assert_eq!(&explicit, &explained, "{:#?}", regions);
    // Every explicit kind, and a change to each `Varies` region's outcome, is seen.
    for k in &kinds {
        prop_assert!(
            seen.contains(k),
            "{:?} reported, not seen: {:#?}",
            k,
            regions
        );
    }
    for after in &to_any {
        prop_assert!(
            seen.iter().any(|(_, a)| a == after),
            "a change to {:?} reported, none seen: {:#?}",
            after,
            regions
        );
    }
    let judged = |rs: &RuleSet, at: &Scenario, case: &Record| {
        rs.in_jurisdiction(case, at)
            .then(|| rs.decide(case, at).outcome().cloned())
            .flatten()
    };
    for r in &report.regions {
        if varies(&r) {
            prop_assert_ne!(
                judged(before, &at_before, &r.witness.record),
                r.after.outcome().cloned()
            );
        } else {
            prop_assert_eq!(
                judged(before, &at_before, &r.witness.record),
                r.before.outcome().cloned()
            );
        }
        prop_assert_eq!(
            judged(after, &at_after, &r.witness.record),
            r.after.outcome().cloned()
        );
    }
    Ok(())
}

/// Every witness is written out as JSON and read back as the same case, which decides the same way.
fn round_trips(rs: &RuleSet, report: &Analysis) {
    let witnesses = report
        .contradictions
        .iter()
        .map(|c| &c.witness)
        .chain(report.gaps.iter().map(|g| &g.witness));
    for w in witnesses {
        let text = serde_json::to_string(&w.case).unwrap();
        let back = Record::from_json(rs.schema(), &serde_json::from_str(&text).unwrap())
            .unwrap_or_else(|e| panic!("witness {text} cannot be read back: {e:?}"));
        assert_eq!(back, w.record, "witness {text} reads back as another case");
    }
}

/// The oracle at the edges of every domain: codes with many named children at several depths (and one too
/// long to have children), decimals and integers at both ends of their range, dates at both ends of the date
/// domain, periods that reach past them; rule sets written to JSON (decimal bounds as JSON numbers) and read
/// back; diffs between two different rule sets.
mod edges {
    use super::*;
    use control_core::Decimal;

    const ITEM: usize = 0;
    const AMT: usize = 1;
    const N: usize = 2;
    const SIGNED: usize = 3;

    /// 29 characters: room for one-letter children only.
    const LONG: &str = "1A001.aaa.aaa.aaa.aaa.aaa.aaa";
    /// 31 characters: no children at all.
    const FULL: &str = "1A001.aaa.aaa.aaa.aaa.aaa.aaa.a";

    pub(super) fn schema() -> Schema {
        let f = |name: &str, ty: FieldType| Field::new(name, ty);
        Schema {
            name: "Edges".into(),
            fields: vec![
                f("item", FieldType::Code),
                f("amt", FieldType::Decimal),
                f("n", FieldType::Int),
                f("signed", FieldType::Date),
            ],
            case_date: Some("signed".into()),
        }
    }

    fn code_pool() -> Vec<String> {
        let mut pool: Vec<String> = ["3A090", "3A090.ab"].map(String::from).to_vec();
        for child in ["x", "y", "z", "zz", "998", "999"] {
            pool.push(format!("3A090.ab.{child}"));
        }
        pool.push(LONG.into());
        for child in ["x", "y", "z"] {
            pool.push(format!("{LONG}.{child}"));
        }
        pool.push(FULL.into());
        pool
    }

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    fn decimal_pool() -> Vec<Decimal> {
        [
            "-922337203685477.5807",
            "-922337203685477.5806",
            "0",
            "922337203685477",
            "922337203685477.5806",
            "922337203685477.5807",
            "12345678901234.5678",
        ]
        .map(dec)
        .to_vec()
    }

    fn date_pool() -> Vec<Date> {
        vec![
            date(0, 1, 1),
            date(0, 1, 2),
            date(2024, 1, 2),
            date(9999, 12, 30),
            date(9999, 12, 31),
        ]
    }

    fn int_pool() -> Vec<i64> {
        vec![i64::MIN, i64::MIN + 1, 0, i64::MAX - 1, i64::MAX]
    }

    /// Every case the oracle visits: the pools, and values beside and between them.
    fn universe() -> Vec<Record> {
        let s = schema();
        let mut items = code_pool();
        items.extend(
            [
                "3A090.ab.c",
                "3A090.ab.500",
                "3A090.ac",
                "3A090.b",
                "EAR99",
                "9E999",
            ]
            .map(String::from),
        );
        items.push(format!("{LONG}.w"));
        // A sub-paragraph below each named code, where one fits (codes have at most 31 characters).
        for c in code_pool() {
            for child in ["q", "500"] {
                if c.len() + 1 + child.len() <= 31 {
                    items.push(format!("{c}.{child}"));
                }
            }
        }
        let amts = [
            "-922337203685477.5807",
            "-922337203685477.5806",
            "-1",
            "0",
            "12345678901234.5677",
            "12345678901234.5678",
            "12345678901234.5679",
            "922337203685477",
            "922337203685477.0001",
            "922337203685477.5806",
            "922337203685477.5807",
        ]
        .map(dec);
        // One value in each interval between the pools' bounds `k` and `k + 1` (what `<=` and `>` cut at).
        let ns = [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX];
        let mut out = Vec::new();
        for item in &items {
            for amt in amts {
                for n in ns {
                    for day in scenario_dates() {
                        let values = vec![
                            Value::Code(code(item)),
                            Value::Decimal(amt),
                            Value::Int(n),
                            Value::Date(day),
                        ];
                        out.push(Record::new(&s, values).unwrap());
                    }
                }
            }
        }
        out
    }

    fn scenario_dates() -> Vec<Date> {
        vec![
            date(0, 1, 1),
            date(0, 1, 2),
            date(0, 1, 3),
            date(2024, 1, 1),
            date(2024, 1, 2),
            date(2024, 1, 3),
            date(9999, 12, 30),
            date(9999, 12, 31),
        ]
    }

    pub(super) fn scenarios() -> Vec<Scenario> {
        scenario_dates()
            .into_iter()
            .flat_map(|day| {
                [false, true].map(|p| Scenario {
                    as_of: Some(day),
                    proposals: p,
                })
            })
            .collect()
    }

    fn op() -> impl Strategy<Value = CmpOp> {
        prop::sample::select(vec![CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge])
    }

    /// "Under one of the named children" of a code: every child a witness might pick is named at once.
    fn all_children_named() -> impl Strategy<Value = Condition> {
        prop::sample::select(vec![
            ("3A090.ab", vec!["x", "y", "z", "zz", "998", "999"]),
            (LONG, vec!["x", "y", "z"]),
        ])
        .prop_flat_map(|(parent, children)| {
            let named = Condition::Any(
                std::iter::once(Condition::eq(ITEM, Value::Code(code(parent))))
                    .chain(
                        children
                            .iter()
                            .map(|c| Condition::under(ITEM, code(&format!("{parent}.{c}")))),
                    )
                    .collect(),
            );
            // The named children, or the rest of the parent: its sub-paragraphs that no rule names.
            let rest = Condition::All(vec![
                Condition::under(ITEM, code(parent)),
                Condition::negate(named.clone()),
            ]);
            prop::sample::select(vec![named, rest])
        })
    }

    fn atom() -> impl Strategy<Value = Condition> {
        let codes = prop::sample::select(code_pool());
        prop_oneof![
            all_children_named(),
            all_children_named(),
            codes.clone().prop_map(|c| Condition::under(ITEM, code(&c))),
            codes
                .clone()
                .prop_map(|c| Condition::eq(ITEM, Value::Code(code(&c)))),
            prop::collection::vec(codes, 1..4).prop_map(|cs| Condition::is_in(
                ITEM,
                cs.iter().map(|c| Value::Code(code(c))).collect()
            )),
            (op(), prop::sample::select(decimal_pool())).prop_map(|(op, d)| Condition::cmp(
                AMT,
                op,
                Value::Decimal(d)
            )),
            prop::sample::select(decimal_pool())
                .prop_map(|d| Condition::eq(AMT, Value::Decimal(d))),
            (op(), prop::sample::select(int_pool())).prop_map(|(op, k)| Condition::cmp(
                N,
                op,
                Value::Int(k)
            )),
            prop::sample::select(int_pool()).prop_map(|k| Condition::eq(N, Value::Int(k))),
            (op(), prop::sample::select(date_pool())).prop_map(|(op, d)| Condition::cmp(
                SIGNED,
                op,
                Value::Date(d)
            )),
        ]
    }

    fn condition() -> impl Strategy<Value = Condition> {
        conditions_of(atom(), 6)
    }

    fn period() -> impl Strategy<Value = Period> {
        let pool = date_pool();
        (
            prop::option::of(prop::sample::select(pool.clone())),
            prop::option::of(prop::sample::select(pool)),
        )
            .prop_filter_map(
                "an empty period is rejected before the analysis",
                |(from, until)| {
                    let p = Period { from, until };
                    (!p.is_empty()).then_some(p)
                },
            )
    }

    pub(super) fn rule_set() -> impl Strategy<Value = RuleSet> {
        let rule = (
            condition(),
            outcome(),
            period(),
            any::<bool>(),
            prop::collection::vec(any::<prop::sample::Index>(), 0..2),
            any::<bool>(),
        );
        (prop::collection::vec(rule, 1..5), any::<bool>()).prop_map(|(rules, complete)| {
            let rules = rules_of(rules);
            RuleSet::new(RuleSetParts {
                name: "edges".into(),
                regime: "XX".into(),
                doc: String::new(),
                schema: schema(),
                applies_when: Condition::Always,
                groups: vec![],
                parties: vec![],
                treatments: vec![],
                fallback: if complete {
                    Fallback::Complete
                } else {
                    Fallback::Otherwise(Outcome::NotControlled)
                },
                rules,
            })
            .unwrap()
        })
    }

    thread_local! {
        pub(super) static CASES: Vec<Record> = universe();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::cases(100, 400), ..ProptestConfig::default() })]

    #[test]
    fn the_analysis_agrees_with_brute_force_at_the_edges(rs in edges::rule_set()) {
        // Written to JSON (decimals as JSON numbers) and read back, the rule set is the same.
        let text = control_core::json::to_json(&rs);
        let back = control_core::json::parse_rule_set(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(&back, &rs);
        edges::CASES.with(|cases| analysis_agrees(&rs, cases, &edges::scenarios()))?;
    }

    #[test]
    fn the_diff_of_two_different_rule_sets_agrees_with_brute_force(
        before in edges::rule_set(),
        after in edges::rule_set(),
        at in prop::sample::select(edges::scenarios()),
    ) {
        let report = control_core::analysis::diff(&before, at, &after, at).unwrap();
        let kinds: BTreeSet<(Option<Outcome>, Option<Outcome>)> =
            report.regions.iter().map(|r| (r.before.outcome().cloned(), r.after.outcome().cloned())).collect();
        let mut seen = BTreeSet::new();
        edges::CASES.with(|cases| {
            for case in cases {
                let (b, a) = (before.decide(case, &at), after.decide(case, &at));
                let (bo, ao) = (b.outcome().cloned(), a.outcome().cloned());
                if bo != ao || b.verdict() != a.verdict() && (bo.is_none() || ao.is_none()) {
                    seen.insert((bo, ao));
                }
            }
        });
        prop_assert_eq!(&kinds, &seen);
        for r in &report.regions {
            prop_assert_eq!(before.decide(&r.witness.record, &at).outcome(), r.before.outcome());
            prop_assert_eq!(after.decide(&r.witness.record, &at).outcome(), r.after.outcome());
            let text = serde_json::to_string(&r.witness.case).unwrap();
            let back = Record::from_json(before.schema(), &serde_json::from_str(&text).unwrap()).unwrap();
            prop_assert_eq!(&back, &r.witness.record);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// What a treatment changes, found by the diff of a rule set with and without it, is exactly what brute
    /// force sees; as of a fixed date and as of each case's own date.
    #[test]
    fn the_diff_of_a_treatment_agrees_with_brute_force(
        rs in rule_set(),
        day in prop::option::of(1i8..=5),
    ) {
        thread_local! {
            static CASES: Vec<Record> = universe();
        }
        let mut parts = rs.clone().into_parts();
        parts.treatments = vec![Treatment {
            territory: Country::HK,
            as_country: Country::CN,
            from: d(3),
            citation: String::new(),
        }];
        let with = RuleSet::new(parts.clone()).unwrap();
        parts.treatments = Vec::new();
        let without = RuleSet::new(parts).unwrap();
        let at = Scenario { as_of: day.map(d), proposals: false };
        let report = control_core::analysis::diff(&without, at, &with, at).unwrap();
        CASES.with(|cases| agrees_with_brute_force(&report, (&without, at), (&with, at), cases))?;
    }
}

/// The oracle on the second round's model as the JSON front end writes it: parties in roles with a listing
/// fact each (`any_party.listed` lowers to a test of every role), two control lists (`item` is the rule set's
/// CCL field, `item.jp` the Japanese list's, with its own `JP:` numbering and an unprefixed code too), and
/// cumulative rules mixed with others.
mod roles {
    use super::*;
    use serde_json::json;

    pub(super) fn schema() -> serde_json::Value {
        let listing = json!({"enum": {"name": "Listing", "variants": ["no", "cbc", "pod"]}});
        json!({"name": "Roles", "case_date": "signed", "fields": [
            {"name": "to", "type": "country"},
            {"name": "item.ccl", "type": "code", "list": "CCL"},
            {"name": "item.jp", "type": "code", "list": "JP"},
            {"name": "buyer", "type": "party"},
            {"name": "buyer.listed", "type": listing},
            {"name": "user", "type": "party"},
            {"name": "user.listed", "type": listing},
            {"name": "signed", "type": "date"}
        ]})
    }

    fn atom() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            prop::sample::select(vec!["CN", "JP"]).prop_map(|c| json!({"field": "to", "eq": c})),
            prop::sample::select(vec!["3B001", "3B001.a", "3A090"])
                .prop_map(|c| json!({"field": "item", "under": c})),
            prop::sample::select(vec!["JP:7", "JP:7.18", "3B001"])
                .prop_map(|c| json!({"field": "item.jp", "under": c})),
            prop::sample::select(vec!["cbc", "pod"])
                .prop_map(|l| json!({"field": "any_party.listed", "eq": l})),
            prop::sample::select(vec!["no", "pod"])
                .prop_map(|l| json!({"field": "buyer.listed", "ne": l})),
            Just(json!({"field": "user", "eq": "huawei"})),
            Just(json!({"field": "signed", "ge": "2024-01-02"})),
        ]
    }

    fn condition() -> impl Strategy<Value = serde_json::Value> {
        atom().prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..3).prop_map(|cs| json!({"all": cs})),
                prop::collection::vec(inner.clone(), 1..3).prop_map(|cs| json!({"any": cs})),
                inner.prop_map(|c| json!({"not": c})),
            ]
        })
    }

    pub(super) fn rule_set() -> impl Strategy<Value = RuleSet> {
        let rule = (
            condition(),
            prop::sample::select(vec![
                json!("not_controlled"),
                json!({"licence_required": "case_by_case"}),
                json!({"licence_required": "presumption_of_denial"}),
                json!("prohibited"),
            ]),
            any::<bool>(),
            any::<bool>(),
        );
        (prop::collection::vec(rule, 1..5), any::<bool>()).prop_map(|(rules, complete)| {
            let rules: Vec<serde_json::Value> = rules
                .into_iter()
                .enumerate()
                .map(|(i, (when, then, cumulative, proposed))| {
                    let mut r = json!({"name": format!("r{i}"), "when": when, "then": then,
                                       "cumulative": cumulative});
                    if proposed {
                        r["status"] = json!("proposed");
                    }
                    r
                })
                .collect();
            let mut doc = json!({"name": "roles", "regime": "XX", "list": "CCL", "schema": schema(),
                                 "parties": [{"id": "huawei", "name": "Huawei"}], "rules": rules});
            if complete {
                doc["complete"] = json!(true);
            } else {
                doc["otherwise"] = json!("not_controlled");
            }
            control_core::json::parse_rule_set(&doc.to_string())
                .unwrap_or_else(|e| panic!("{e}\n{doc}"))
        })
    }

    /// Every case over the values the atoms distinguish, and one beside each.
    pub(super) fn universe() -> Vec<Record> {
        let s: Schema = serde_json::from_value(schema()).unwrap();
        let mut out = Vec::new();
        for to in [Country::CN, Country::JP, Country::US] {
            for item in ["3B001", "3B001.a", "3A090", "EAR99"] {
                for jp in ["JP:7", "JP:7.18", "3B001", "UNLISTED"] {
                    for buyer in ["none", "huawei"] {
                        for bl in 0..3 {
                            for user in ["acme", "huawei"] {
                                for ul in 0..3 {
                                    for day in 1..=3 {
                                        let values = vec![
                                            Value::Country(to),
                                            Value::Code(code(item)),
                                            Value::Code(code(jp)),
                                            Value::Party(PartyId::new(buyer)),
                                            Value::Enum(bl),
                                            Value::Party(PartyId::new(user)),
                                            Value::Enum(ul),
                                            Value::Date(d(day)),
                                        ];
                                        out.push(Record::new(&s, values).unwrap());
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }

    pub(super) fn scenarios() -> Vec<Scenario> {
        (1..=3)
            .flat_map(|day| {
                [false, true].map(|p| Scenario {
                    as_of: Some(d(day)),
                    proposals: p,
                })
            })
            .collect()
    }

    thread_local! {
        pub(super) static CASES: Vec<Record> = universe();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn the_analysis_agrees_with_brute_force_on_roles_and_lists(rs in roles::rule_set()) {
        // `any_party.listed` is every role's test: the lowering wrote an alternative per role.
        roles::CASES.with(|cases| analysis_agrees(&rs, cases, &roles::scenarios()))?;
    }
}

/// `any_party.fact` means the fact of some party in some role: every role that has the fact is tested, checked
/// here case by case apart from the lowering (the oracle above checks the analysis against the lowered IR).
#[test]
fn any_party_means_some_role() {
    let doc = serde_json::json!({"name": "r", "regime": "XX", "list": "CCL", "schema": roles::schema(),
        "otherwise": "not_controlled",
        "rules": [{"name": "listed", "when": {"field": "any_party.listed", "eq": "pod"}, "then": "prohibited"}]});
    let rs = control_core::json::parse_rule_set(&doc.to_string()).unwrap();
    roles::CASES.with(|cases| {
        for case in cases {
            let listed = |field: usize| case.values()[field] == Value::Enum(2);
            let expected = listed(4) || listed(6);
            let got = rs.rules()[0].when.holds(case, Env::new(Some(d(1)), &[]));
            assert_eq!(got, expected, "{case:?}");
        }
    });
}
