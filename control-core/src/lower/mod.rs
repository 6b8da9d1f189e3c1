//! Lowering: surface rules (names, operators, value texts, each with its origin) to checked IR.
//!
//! Both front ends — the `rules!` macro and the JSON document format — translate their syntax into the
//! [`surface`] types and call [`lower`]: one place decides what a field name, a value, a group, a party or an
//! outcome means, so the two accept exactly the same rule sets. It returns every mistake at once, each a typed
//! [`LowerError`] at its origin (a span, a JSON path); rendering them is the front end's job. This module knows
//! neither JSON nor syn.
//!
//! ```
//! use control_core::lower::{lower, Located, SurfaceCondition, SurfaceOp, SurfaceOutcome, SurfaceRule,
//!     SurfaceRuleSet, SurfaceValue, LowerErrorKind};
//! let at = |s: &str| Located::new(s.to_owned(), s.to_owned());
//! let rule = SurfaceRule {
//!     name: at("cn"), doc: String::new(), citation: None, from: None, until: None, proposed: false,
//!     overrides: vec![], overrides_at: None, allow_dead: false, cumulative: None,
//!     when: Some(SurfaceCondition::Test {
//!         field: at("destnation"),
//!         ops: vec![Located::new(SurfaceOp::Eq(Located::new(SurfaceValue::Text("CN".into()), "v".into())), "op".into())],
//!     }),
//!     then: Some(SurfaceOutcome { kind: at("prohibited"), arg: None, at: "then".into() }),
//! };
//! let set = SurfaceRuleSet {
//!     name: at("t"), regime: Some("XX".into()), doc: String::new(),
//!     schema: control_core::Schema::transaction().clone(), schema_at: "schema".into(),
//!     applies_when: None, groups: vec![],
//!     parties: vec![], treatments: vec![], list: None, otherwise: Some(SurfaceOutcome { kind: at("not_controlled"), arg: None, at: "o".into() }),
//!     complete: None, cumulative: false, rules: vec![rule],
//! };
//! let errors = lower(&set).unwrap_err().0;
//! assert_eq!(errors[0].at, "destnation");
//! assert!(matches!(&errors[0].kind, LowerErrorKind::UnknownField { suggestion: Some(s), .. } if s == "destination"));
//! ```

mod error;
pub mod surface;

pub use error::{LowerError, LowerErrorKind, LowerErrors, Misuse};
pub use surface::{
    Located, SurfaceCondition, SurfaceGroup, SurfaceOp, SurfaceOutcome, SurfaceRule,
    SurfaceRuleSet, SurfaceTreatment, SurfaceValue,
};

use crate::ir::{
    CmpOp, Condition, Fallback, Outcome, Period, ReviewPolicy, Rule, RuleSet, RuleSetParts, Status,
    StructureError, Test, Treatment,
};
use crate::schema::{Field, FieldId, FieldType, Schema, Value, ValueError};
use crate::suggest::suggest;
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::decimal::Decimal;
use crate::vocab::group::{CountryGroup, CountrySet, Membership, builtin_group, builtin_groups};
use crate::vocab::parse_date;
use crate::vocab::party::PartyDirectory;

/// The outcome names, as `licence_required(…)` and the JSON format spell them (`license_*` is accepted too).
pub const OUTCOMES: &[&str] = &[
    "not_controlled",
    "licence_exception",
    "licence_required",
    "prohibited",
];

/// The review policies of `licence_required`.
pub const POLICIES: &[&str] = &[
    "presumption_of_approval",
    "case_by_case",
    "presumption_of_denial",
];

/// Lowers a surface rule set to a checked [`RuleSet`], or returns every mistake found.
pub fn lower<O: Clone>(s: &SurfaceRuleSet<O>) -> Result<RuleSet, LowerErrors<O>> {
    let mut errors = Vec::new();
    let regime = match &s.regime {
        Some(r) => r.clone(),
        None => {
            errors.push(LowerError {
                at: s.name.at.clone(),
                kind: LowerErrorKind::NoRegime {
                    rule_set: s.name.value.clone(),
                },
            });
            String::new()
        }
    };
    let groups: Vec<CountryGroup> = s
        .groups
        .iter()
        .map(|g| {
            let members: CountrySet = g
                .members
                .iter()
                .filter_map(|m| match m.value.clone() {
                    SurfaceValue::Text(t) => match Country::parse(&t) {
                        Ok(c) => Some(c),
                        Err(e) => {
                            errors.push(value_error(&m.at, ValueError::Country(e)));
                            None
                        }
                    },
                    other => {
                        let e = wrong_kind(&FieldType::Country, &other);
                        errors.push(value_error(&m.at, e));
                        None
                    }
                })
                .collect();
            CountryGroup::user_defined(g.name.value.clone(), members)
        })
        .collect();
    let treatments = treatments(s, &mut errors);
    let item_field = item_field(s, &regime, &mut errors);
    let cx = Cx {
        item_field,
        schema: &s.schema,
        groups: &groups,
        parties: PartyDirectory::new(s.parties.clone()),
        rule: std::cell::Cell::new(None),
    };
    let mut errs = |e: LowerError<O>| errors.push(e);
    let applies_when = s
        .applies_when
        .as_ref()
        .map_or(Condition::Always, |c| cx.condition(c, &mut errs));
    let fallback = match (&s.otherwise, &s.complete) {
        (Some(o), None) => {
            Fallback::Otherwise(outcome(o, &mut errs).unwrap_or(Outcome::NotControlled))
        }
        (None, Some(_)) => Fallback::Complete,
        (Some(_), Some(at)) => {
            errs(LowerError {
                at: at.clone(),
                kind: LowerErrorKind::BothFallbacks,
            });
            Fallback::Complete
        }
        (None, None) => {
            errs(LowerError {
                at: s.name.at.clone(),
                kind: LowerErrorKind::NoFallback {
                    rule_set: s.name.value.clone(),
                },
            });
            Fallback::Complete
        }
    };
    let rules: Vec<Rule> = s
        .rules
        .iter()
        .map(|r| cx.rule(r, s.cumulative, &mut errs))
        .collect();
    let parts = RuleSetParts {
        name: s.name.value.clone(),
        regime,
        doc: s.doc.clone(),
        schema: s.schema.clone(),
        applies_when,
        groups,
        parties: s.parties.clone(),
        treatments,
        fallback,
        rules,
    };
    match RuleSet::new(parts) {
        Ok(rs) if errors.is_empty() => Ok(rs),
        Ok(_) => Err(LowerErrors(errors)),
        Err(structural) => {
            errors.extend(structural.into_iter().map(|e| LowerError {
                at: structure_origin(s, &e),
                kind: LowerErrorKind::Structure(e),
            }));
            Err(LowerErrors(errors))
        }
    }
}

/// The territories treated as other countries: each a real country, none treated as itself, twice, or as a
/// country that is itself treated (a chain would make the answer depend on the order of reading).
fn treatments<O: Clone>(s: &SurfaceRuleSet<O>, errors: &mut Vec<LowerError<O>>) -> Vec<Treatment> {
    let mut out: Vec<Treatment> = Vec::new();
    for t in &s.treatments {
        let mut country = |v: &Located<SurfaceValue, O>| match &v.value {
            SurfaceValue::Text(x) => Country::parse(x)
                .map_err(|e| errors.push(value_error(&v.at, ValueError::Country(e))))
                .ok(),
            other => {
                errors.push(value_error(&v.at, wrong_kind(&FieldType::Country, other)));
                None
            }
        };
        let (territory, as_country) = (country(&t.territory), country(&t.as_country));
        let from = match &t.from.value {
            SurfaceValue::Text(x) => parse_date(x)
                .map_err(|e| errors.push(value_error(&t.from.at, ValueError::Date(e))))
                .ok(),
            other => {
                errors.push(value_error(&t.from.at, wrong_kind(&FieldType::Date, other)));
                None
            }
        };
        let (Some(territory), Some(as_country), Some(from)) = (territory, as_country, from) else {
            continue;
        };
        let problem = if territory == as_country {
            Some(format!(
                "`{territory}` is treated as itself; name another country"
            ))
        } else if out.iter().any(|o| o.territory == territory) {
            Some(format!(
                "`{territory}` is treated as another country twice; keep one treatment"
            ))
        } else if let Some(o) = out.iter().find(|o| o.territory == as_country) {
            Some(format!(
                "`{as_country}` is itself read as `{}`, so `{territory}` would be read as `{as_country}` and then as `{}`; treat `{territory}` as `{}` directly",
                o.as_country, o.as_country, o.as_country
            ))
        } else {
            out.iter().find(|o| o.as_country == territory).map(|o| {
                format!(
                    "`{}` is already read as `{territory}`, so treating `{territory}` as `{as_country}` would chain; treat `{}` as `{as_country}` too, or drop one treatment",
                    o.territory, o.territory
                )
            })
        };
        if let Some(problem) = problem {
            errors.push(LowerError {
                at: t.territory.at.clone(),
                kind: LowerErrorKind::Treatment { problem },
            });
            continue;
        }
        out.push(Treatment {
            territory,
            as_country,
            from,
            citation: t.citation.clone().unwrap_or_default(),
        });
    }
    out
}

/// The field `item` means in conditions: the declared list's field, else the regime's list's, if the schema
/// has it. A schema with an `item` field of its own keeps it.
fn item_field<O: Clone>(
    s: &SurfaceRuleSet<O>,
    regime: &str,
    errors: &mut Vec<LowerError<O>>,
) -> Result<String, Option<LowerErrorKind>> {
    use crate::vocab::lists;
    let names = || {
        lists::LISTS
            .iter()
            .map(|l| l.name.to_owned())
            .collect::<Vec<_>>()
    };
    let in_schema = |l: &lists::ControlList| {
        s.schema
            .fields
            .iter()
            .find(|f| f.list.as_deref() == Some(l.name))
            .map(|f| f.name.clone())
    };
    let no_list = || {
        Some(LowerErrorKind::NoList {
            field: "item".into(),
            lists: names(),
        })
    };
    match &s.list {
        Some(declared) => match lists::list(&declared.value) {
            Some(l) => in_schema(l).ok_or_else(no_list),
            None => {
                errors.push(LowerError {
                    at: declared.at.clone(),
                    kind: LowerErrorKind::UnknownList {
                        list: declared.value.clone(),
                        suggestion: suggest(&declared.value, lists::LISTS.iter().map(|l| l.name))
                            .map(str::to_owned),
                        lists: names(),
                    },
                });
                // Reported once, here; `item` in the rules is then not reported again.
                Err(None)
            }
        },
        None => lists::default_for_regime(regime)
            .and_then(in_schema)
            .ok_or_else(no_list),
    }
}

/// Where a structural error points: the second definition, the unknown override, the period's bound.
fn structure_origin<O: Clone>(s: &SurfaceRuleSet<O>, e: &StructureError) -> O {
    let rule = |i: usize| s.rules.get(i);
    let name_of = |i: usize| rule(i).map_or(s.name.at.clone(), |r| r.name.at.clone());
    match e {
        StructureError::DuplicateRule { second, .. } => name_of(*second),
        StructureError::UnknownOverride {
            rule: i, target, ..
        } => rule(*i)
            .and_then(|r| r.overrides.iter().find(|o| o.value == *target))
            .map_or_else(|| name_of(*i), |o| o.at.clone()),
        StructureError::OverrideCycle { rules, .. } => rules
            .first()
            .and_then(|&i| rule(i))
            .and_then(|r| r.overrides_at.clone())
            .unwrap_or_else(|| name_of(rules.first().copied().unwrap_or(0))),
        StructureError::EmptyPeriod { rule: i, .. } => rule(*i)
            .and_then(|r| r.until.as_ref())
            .map_or_else(|| name_of(*i), |u| u.at.clone()),
        StructureError::PeriodWithoutCaseDate { rule: i, .. } => rule(*i)
            .and_then(|r| r.from.as_ref().or(r.until.as_ref()))
            .map_or_else(|| name_of(*i), |v| v.at.clone()),
        StructureError::DateOutOfDomain { rule: i, bound, .. } => rule(*i)
            .and_then(|r| {
                if *bound == "from" {
                    r.from.as_ref()
                } else {
                    r.until.as_ref()
                }
            })
            .map_or_else(|| name_of(*i), |v| v.at.clone()),
        StructureError::EmptyName(i) => name_of(*i),
        StructureError::CumulativeException { rule: i, .. } => rule(*i)
            .and_then(|r| r.then.as_ref())
            .map_or_else(|| name_of(*i), |t| t.at.clone()),
        StructureError::CumulativeOverride { rule: i, index, .. } => rule(*i)
            .and_then(|r| r.overrides.get(*index))
            .map_or_else(|| name_of(*i), |o| o.at.clone()),
        StructureError::IllTyped { rule: Some(i), .. } => name_of(*i),
        StructureError::BadCaseDate(_)
        | StructureError::DuplicateField(_)
        | StructureError::BadRange(_) => s.schema_at.clone(),
        _ => s.name.at.clone(),
    }
}

fn value_error<O: Clone>(at: &O, e: ValueError) -> LowerError<O> {
    LowerError {
        at: at.clone(),
        kind: LowerErrorKind::Value(e),
    }
}

fn wrong_kind(ty: &FieldType, v: &SurfaceValue) -> ValueError {
    ValueError::WrongKind {
        expected: ty.describe(),
        found: match v {
            SurfaceValue::Text(t) => format!("`{t}`"),
            SurfaceValue::Number(n) => format!("the number `{n}`"),
            SurfaceValue::Bool(b) => format!("`{b}`"),
            SurfaceValue::Invalid(what) => what.clone(),
        },
    }
}

/// Reads an outcome: `license_*` is accepted for `licence_*`.
pub fn outcome<O: Clone>(
    o: &SurfaceOutcome<O>,
    errs: &mut impl FnMut(LowerError<O>),
) -> Option<Outcome> {
    let written = o.kind.value.as_str();
    let kind = written.replace("license", "licence");
    let err = |kind| LowerError {
        at: o.at.clone(),
        kind,
    };
    let outcome = written.to_owned();
    match (kind.as_str(), &o.arg) {
        ("not_controlled" | "prohibited", Some(arg)) => {
            errs(LowerError {
                at: arg.at.clone(),
                kind: LowerErrorKind::OutcomeTakesNoArgument { outcome },
            });
            None
        }
        ("not_controlled", None) => Some(Outcome::NotControlled),
        ("prohibited", None) => Some(Outcome::Prohibited),
        ("licence_required", None) => {
            errs(err(LowerErrorKind::OutcomeNeedsPolicy { outcome }));
            None
        }
        ("licence_exception", None) => {
            errs(err(LowerErrorKind::OutcomeNeedsException { outcome }));
            None
        }
        ("licence_exception", Some(arg)) => Some(Outcome::LicenceException(arg.value.clone())),
        ("licence_required", Some(arg)) => match arg.value.as_str() {
            "presumption_of_approval" => Some(Outcome::LicenceRequired(
                ReviewPolicy::PresumptionOfApproval,
            )),
            "case_by_case" => Some(Outcome::LicenceRequired(ReviewPolicy::CaseByCase)),
            "presumption_of_denial" => {
                Some(Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
            }
            other => {
                errs(LowerError {
                    at: arg.at.clone(),
                    kind: LowerErrorKind::UnknownReviewPolicy {
                        policy: other.to_owned(),
                        suggestion: suggest(other, POLICIES.iter().copied()).map(str::to_owned),
                    },
                });
                None
            }
        },
        (other, _) => {
            errs(LowerError {
                at: o.kind.at.clone(),
                kind: LowerErrorKind::UnknownOutcome {
                    outcome: outcome.clone(),
                    suggestion: suggest(other, OUTCOMES.iter().copied()).map(str::to_owned),
                },
            });
            None
        }
    }
}

/// What resolving conditions needs.
struct Cx<'a> {
    /// The field `item` means: the declared list's, else the regime's (`Err` with the error's kind when
    /// neither names one the schema has).
    item_field: Result<String, Option<LowerErrorKind>>,
    schema: &'a Schema,
    groups: &'a [CountryGroup],
    parties: PartyDirectory,
    /// The rule whose condition is being lowered, and the end of its period: a group test on dates before the
    /// group existed is a mistake.
    rule: std::cell::Cell<Option<(std::rc::Rc<str>, Option<jiff::civil::Date>)>>,
}

impl Cx<'_> {
    /// The fields a name in a condition means: the field itself; `item`, the rule set's list's field;
    /// `any_party.fact`, the fact of every role that has it. `Err(None)`: already reported.
    fn resolve(&self, name: &str) -> Result<Vec<FieldId>, Option<LowerErrorKind>> {
        if let Some((id, _)) = self.schema.field(name) {
            return Ok(vec![id]);
        }
        if name == "item" {
            return match &self.item_field {
                Ok(f) => Ok(self.schema.field(f).map(|(id, _)| id).into_iter().collect()),
                Err(e) => Err(e.clone()),
            };
        }
        let roles: Vec<&str> = {
            let mut r: Vec<&str> = self
                .schema
                .fields
                .iter()
                .filter_map(|f| f.name.split_once('.').map(|(role, _)| role))
                .filter(|role| {
                    self.schema
                        .field(role)
                        .is_some_and(|(_, f)| f.ty == FieldType::Party)
                })
                .collect();
            r.dedup();
            r
        };
        let facts_of = |role: &str| -> Vec<String> {
            self.schema
                .fields
                .iter()
                .filter_map(|f| f.name.strip_prefix(role)?.strip_prefix('.'))
                .map(str::to_owned)
                .collect()
        };
        if let Some((role, fact)) = name.split_once('.') {
            if role == "any_party" {
                let ids: Vec<FieldId> = roles
                    .iter()
                    .filter_map(|r| self.schema.field(&format!("{r}.{fact}")).map(|(id, _)| id))
                    .collect();
                if !ids.is_empty() {
                    return Ok(ids);
                }
                let mut facts: Vec<String> = roles.iter().flat_map(|r| facts_of(r)).collect();
                facts.sort();
                facts.dedup();
                return Err(Some(LowerErrorKind::UnknownFact {
                    role: "any_party".into(),
                    fact: fact.into(),
                    suggestion: suggest(fact, facts.iter().map(String::as_str)).map(str::to_owned),
                    facts,
                }));
            }
            if roles.contains(&role) {
                let facts = facts_of(role);
                return Err(Some(LowerErrorKind::UnknownFact {
                    role: role.into(),
                    fact: fact.into(),
                    suggestion: suggest(fact, facts.iter().map(String::as_str)).map(str::to_owned),
                    facts,
                }));
            }
            if !roles.is_empty() && self.schema.field(role).is_none() {
                let mut all: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
                all.push("any_party".into());
                return Err(Some(LowerErrorKind::UnknownRole {
                    role: role.into(),
                    fact: fact.into(),
                    suggestion: suggest(role, all.iter().map(String::as_str)).map(str::to_owned),
                    roles: all,
                }));
            }
        }
        Err(Some(LowerErrorKind::UnknownField {
            field: name.to_owned(),
            suggestion: self.schema.suggest_field(name).map(str::to_owned),
            schema: self.schema.name.clone(),
            fields: self.schema.fields.iter().map(|f| f.name.clone()).collect(),
        }))
    }

    fn rule<O: Clone>(
        &self,
        r: &SurfaceRule<O>,
        cumulative_default: bool,
        errs: &mut impl FnMut(LowerError<O>),
    ) -> Rule {
        let mut date = |v: &Option<Located<SurfaceValue, O>>| {
            let v = v.as_ref()?;
            let parsed = match &v.value {
                SurfaceValue::Text(t) => parse_date(t).map_err(ValueError::Date),
                other => Err(wrong_kind(&FieldType::Date, other)),
            };
            match parsed {
                Ok(d) => Some(d),
                Err(e) => {
                    errs(value_error(&v.at, e));
                    None
                }
            }
        };
        let period = Period {
            from: date(&r.from),
            until: date(&r.until),
        };
        self.rule
            .set(Some((r.name.value.as_str().into(), period.until)));
        let when = match &r.when {
            Some(c) => self.condition(c, errs),
            None => {
                errs(LowerError {
                    at: r.name.at.clone(),
                    kind: LowerErrorKind::NoCondition {
                        rule: r.name.value.clone(),
                    },
                });
                Condition::Always
            }
        };
        let then = match &r.then {
            Some(o) => outcome(o, errs).unwrap_or(Outcome::NotControlled),
            None => {
                errs(LowerError {
                    at: r.name.at.clone(),
                    kind: LowerErrorKind::NoOutcome {
                        rule: r.name.value.clone(),
                    },
                });
                Outcome::NotControlled
            }
        };
        Rule {
            name: r.name.value.clone(),
            doc: r.doc.clone(),
            citation: r.citation.clone(),
            period,
            status: if r.proposed {
                Status::Proposed
            } else {
                Status::InForce
            },
            overrides: r.overrides.iter().map(|o| o.value.clone()).collect(),
            allow_dead: r.allow_dead,
            cumulative: r.cumulative.unwrap_or(cumulative_default),
            when,
            then,
        }
    }

    fn condition<O: Clone>(
        &self,
        c: &SurfaceCondition<O>,
        errs: &mut impl FnMut(LowerError<O>),
    ) -> Condition {
        match c {
            SurfaceCondition::Always => Condition::Always,
            SurfaceCondition::Never => Condition::Any(Vec::new()),
            SurfaceCondition::All(cs) => {
                Condition::All(cs.iter().map(|c| self.condition(c, errs)).collect())
            }
            SurfaceCondition::Any(cs) => {
                Condition::Any(cs.iter().map(|c| self.condition(c, errs)).collect())
            }
            SurfaceCondition::Not(c) => self.condition(c, errs).negate(),
            SurfaceCondition::Test { field, ops } => {
                let ids = match self.resolve(&field.value) {
                    Ok(ids) => ids,
                    Err(Some(kind)) => {
                        errs(LowerError {
                            at: field.at.clone(),
                            kind,
                        });
                        return Condition::Always;
                    }
                    Err(None) => return Condition::Always,
                };
                // `any_party.fact` is the fact of some party: one test per role.
                let mut alternatives: Vec<Condition> = ids
                    .iter()
                    .map(|&id| {
                        let f = &self.schema.fields[id];
                        let mut tests: Vec<Condition> = ops
                            .iter()
                            .filter_map(|op| self.test(id, f, op, errs))
                            .collect();
                        if tests.len() == 1 {
                            tests.pop().unwrap_or(Condition::Always)
                        } else {
                            Condition::All(tests)
                        }
                    })
                    .collect();
                if alternatives.len() == 1 {
                    alternatives.pop().unwrap_or(Condition::Always)
                } else {
                    Condition::Any(alternatives)
                }
            }
        }
    }

    fn test<O: Clone>(
        &self,
        id: usize,
        f: &Field,
        op: &Located<SurfaceOp<O>, O>,
        errs: &mut impl FnMut(LowerError<O>),
    ) -> Option<Condition> {
        let ty = &f.ty;
        let misuse = |misuse, errs: &mut dyn FnMut(LowerError<O>)| {
            errs(LowerError {
                at: op.at.clone(),
                kind: LowerErrorKind::Operator {
                    op: op.value.name(),
                    field: f.name.clone(),
                    ty: ty.describe(),
                    misuse,
                },
            });
            None
        };
        let other_list = |code: &ControlCode| -> Option<LowerErrorKind> {
            let field_list = f.list.as_ref()?;
            let code_list = code.list_prefix()?;
            (code_list != field_list && crate::vocab::lists::is_known(code_list)).then(|| {
                LowerErrorKind::CodeOfOtherList {
                    code: code.to_string(),
                    code_list: code_list.to_owned(),
                    field: f.name.clone(),
                    field_list: field_list.clone(),
                    other_field: self
                        .schema
                        .fields
                        .iter()
                        .find(|g| g.list.as_deref() == Some(code_list))
                        .map(|g| g.name.clone()),
                }
            })
        };
        let mut value = |v: &Located<SurfaceValue, O>| match self.value(ty, &v.value) {
            Ok(Value::Code(c)) if other_list(&c).is_some() => {
                if let Some(kind) = other_list(&c) {
                    errs(LowerError {
                        at: v.at.clone(),
                        kind,
                    });
                }
                None
            }
            Ok(x) => Some(x),
            Err(kind) => {
                errs(LowerError {
                    at: v.at.clone(),
                    kind,
                });
                None
            }
        };
        Some(match &op.value {
            SurfaceOp::IsTrue => {
                if *ty != FieldType::Bool {
                    return misuse(Misuse::NotABool, errs);
                }
                Condition::eq(id, Value::Bool(true))
            }
            SurfaceOp::Eq(v) => Condition::eq(id, value(v)?),
            SurfaceOp::Ne(v) => Condition::eq(id, value(v)?).negate(),
            SurfaceOp::In(vs) | SurfaceOp::NotIn(vs) => {
                let values: Vec<Value> = vs.iter().filter_map(&mut value).collect();
                if values.len() != vs.len() {
                    return None;
                }
                let c = Condition::is_in(id, values);
                if matches!(op.value, SurfaceOp::NotIn(_)) {
                    c.negate()
                } else {
                    c
                }
            }
            SurfaceOp::Cmp(cmp, v) => {
                if !ty.is_ordered() {
                    return misuse(Misuse::NotOrdered, errs);
                }
                Condition::cmp(id, *cmp, value(v)?)
            }
            SurfaceOp::Range { lo, hi, inclusive } => {
                if !ty.is_ordered() {
                    return misuse(Misuse::NotOrdered, errs);
                }
                let (lo, hi) = (value(lo), value(hi));
                let (lo, hi) = (lo?, hi?);
                Condition::All(vec![
                    Condition::cmp(id, CmpOp::Ge, lo),
                    Condition::cmp(id, if *inclusive { CmpOp::Le } else { CmpOp::Lt }, hi),
                ])
            }
            SurfaceOp::InGroup(g) | SurfaceOp::NotInGroup(g) => {
                if *ty != FieldType::Country {
                    return misuse(Misuse::NotACountry, errs);
                }
                let Some(members) = self.group(&g.value) else {
                    let known: Vec<String> = self
                        .groups
                        .iter()
                        .map(|x| x.name.clone())
                        .chain(builtin_groups().into_iter().map(|x| x.name))
                        .collect();
                    errs(LowerError {
                        at: g.at.clone(),
                        kind: LowerErrorKind::UnknownGroup {
                            group: g.value.clone(),
                            suggestion: suggest(&g.value, known.iter().map(String::as_str))
                                .map(str::to_owned),
                            known,
                        },
                    });
                    return None;
                };
                if let Some((rule, Some(until))) = self.rule.take() {
                    if let Some(exists_from) = self.group_exists_from(&g.value)
                        && until <= exists_from
                    {
                        errs(LowerError {
                            at: g.at.clone(),
                            kind: LowerErrorKind::GroupBeforeExistence {
                                rule: rule.to_string(),
                                group: g.value.clone(),
                                exists_from,
                                until,
                            },
                        });
                    }
                    self.rule.set(Some((rule, Some(until))));
                }
                let c = Condition::Test {
                    field: id,
                    test: Test::InGroup {
                        group: g.value.clone(),
                        members,
                    },
                };
                if matches!(op.value, SurfaceOp::NotInGroup(_)) {
                    c.negate()
                } else {
                    c
                }
            }
            SurfaceOp::Under(code) => {
                if *ty != FieldType::Code {
                    return misuse(Misuse::NotACode, errs);
                }
                match ControlCode::parse(&code.value) {
                    Ok(c) => {
                        if let Some(kind) = other_list(&c) {
                            errs(LowerError {
                                at: code.at.clone(),
                                kind,
                            });
                            return None;
                        }
                        Condition::under(id, c)
                    }
                    Err(e) => {
                        errs(value_error(&code.at, ValueError::Code(e)));
                        return None;
                    }
                }
            }
        })
    }

    /// A value of `ty`: text is parsed as the type's values are everywhere; numbers only for numeric fields.
    fn value(&self, ty: &FieldType, v: &SurfaceValue) -> Result<Value, LowerErrorKind> {
        let parsed = match (ty, v) {
            (FieldType::Party, SurfaceValue::Text(t)) => match self.parties.resolve(t) {
                Some(p) => Ok(Value::Party(p.id.clone())),
                None => {
                    return Err(LowerErrorKind::UnknownParty {
                        party: t.clone(),
                        suggestion: suggest(
                            &t.to_lowercase(),
                            self.parties.parties().iter().map(|p| p.id.as_str()),
                        )
                        .map(str::to_owned),
                    });
                }
            },
            (_, SurfaceValue::Text(t)) => ty.parse_value(t),
            (FieldType::Int, SurfaceValue::Number(n)) => n
                .parse::<i64>()
                .map(Value::Int)
                .map_err(|_| wrong_kind(ty, v)),
            (FieldType::Decimal, SurfaceValue::Number(n)) => Decimal::parse(n)
                .map(Value::Decimal)
                .map_err(ValueError::Decimal),
            (FieldType::Bool, SurfaceValue::Bool(b)) => Ok(Value::Bool(*b)),
            _ => Err(wrong_kind(ty, v)),
        };
        parsed.map_err(LowerErrorKind::Value)
    }

    /// When the group named `name` came into existence, if it says.
    fn group_exists_from(&self, name: &str) -> Option<jiff::civil::Date> {
        match self.groups.iter().find(|g| g.name == name) {
            Some(g) => g.exists_from,
            None => builtin_group(name).and_then(|g| g.exists_from),
        }
    }

    fn group(&self, name: &str) -> Option<Membership> {
        self.groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.membership())
            .or_else(|| builtin_group(name).map(|g| g.membership()))
    }
}
