//! Gives the AST its meaning: resolves schemas, fields, values, groups, parties and outcomes into
//! `control_core` IR, reporting every mistake at its token. Then hands the IR to `control_core`'s structural
//! checks and, if all is well so far, to its analysis, turning every finding into an error at the rules involved.

use control_core::analysis::analyse;
use control_core::{
    CmpOp, Condition, Country, CountryGroup, CountrySet, Fallback, Field, FieldType, Outcome,
    Party, PartyDirectory, PartyId, Period, ReviewPolicy, Rule, RuleSet, RuleSetParts, Schema,
    Status, StructureError, Test, Value, builtin_group, builtin_groups, parse_date,
};
use proc_macro2::Span;
use syn::Ident;

use crate::ast::*;
use crate::ctxt::Errors;

/// A schema the block can use: the built-in one, or one it declares.
pub struct SchemaInfo<'a> {
    pub schema: Schema,
    /// The declaration, for a schema of this block.
    pub decl: Option<&'a SchemaDecl>,
}

/// The outcome of checking one rule set.
pub struct Checked<'a> {
    pub decl: &'a RuleSetDecl,
    /// The schema's index in the block's schema list, or `None` for `Transaction`.
    pub schema: Option<usize>,
    /// The IR, when the rule set has no error.
    pub ir: Option<RuleSet>,
}

/// Checks every schema of the block.
pub fn schemas<'a>(block: &'a Block, errors: &mut Errors) -> Vec<SchemaInfo<'a>> {
    let mut out: Vec<SchemaInfo<'a>> = Vec::new();
    for decl in &block.schemas {
        if decl.name == "Transaction" || out.iter().any(|s| decl.name == s.schema.name) {
            errors.at(
                decl.name.span(),
                format!(
                    "a schema called `{}` already exists; choose another name",
                    decl.name
                ),
            );
        }
        out.push(SchemaInfo {
            schema: schema(decl, errors),
            decl: Some(decl),
        });
    }
    out
}

const TYPES: &str = "Country, Code, Date, Decimal, Int, bool, Party, or `enum Name { a, b }`";

fn schema(decl: &SchemaDecl, errors: &mut Errors) -> Schema {
    let mut fields: Vec<Field> = Vec::new();
    let mut case_date: Option<(String, Span)> = None;
    for f in &decl.fields {
        let name = f.name.to_string();
        if fields.iter().any(|g| g.name == name) {
            errors.at(
                f.name.span(),
                format!("field `{name}` is declared twice in schema `{}`", decl.name),
            );
        }
        let ty = match &f.ty {
            TypeDecl::Named(t) => match t.to_string().as_str() {
                "Country" => FieldType::Country,
                "Code" | "ControlCode" => FieldType::Code,
                "Date" => FieldType::Date,
                "Decimal" => FieldType::Decimal,
                "Int" | "i64" => FieldType::Int,
                "bool" => FieldType::Bool,
                "Party" | "PartyId" => FieldType::Party,
                other => {
                    errors.at(
                        t.span(),
                        format!("unsupported field type `{other}`; a field is one of: {TYPES}"),
                    );
                    FieldType::Bool
                }
            },
            TypeDecl::Enum {
                name: ename,
                variants,
            } => {
                if variants.is_empty() {
                    errors.at(
                        ename.span(),
                        format!(
                            "enum `{ename}` has no values; list them: `enum {ename} {{ a, b }}`"
                        ),
                    );
                }
                let mut names: Vec<String> = Vec::new();
                for v in variants {
                    let v_name = v.to_string();
                    if names.contains(&v_name) {
                        errors.at(
                            v.span(),
                            format!("`{v_name}` is listed twice in enum `{ename}`"),
                        );
                    }
                    names.push(v_name);
                }
                FieldType::Enum {
                    name: ename.to_string(),
                    variants: names,
                }
            }
            TypeDecl::Other(tokens) => {
                errors.over(
                    tokens,
                    format!("unsupported field type; a field is one of: {TYPES}"),
                );
                FieldType::Bool
            }
        };
        if let Some(span) = f.case_date {
            if ty != FieldType::Date {
                errors.at(
                    span,
                    format!("`#[case_date]` marks a date field, but `{name}` is not a `Date`"),
                );
            } else if let Some((other, _)) = &case_date {
                errors.at(
                    span,
                    format!("only one field can be the case date, and `{other}` already is"),
                );
            } else {
                case_date = Some((name.clone(), span));
            }
        }
        fields.push(Field {
            name,
            ty,
            doc: f.docs.join("\n"),
        });
    }
    Schema {
        name: decl.name.to_string(),
        fields,
        case_date: case_date.map(|c| c.0),
    }
}

/// Checks one rule set; the IR is returned only if the rule set (and its schema) has no error.
pub fn rule_set<'a>(
    decl: &'a RuleSetDecl,
    schemas: &[SchemaInfo<'_>],
    errors: &mut Errors,
) -> Checked<'a> {
    let before = errors.count();
    let (schema_index, schema) = if decl.schema == "Transaction" {
        (None, Schema::transaction().clone())
    } else if let Some(i) = schemas.iter().position(|s| decl.schema == s.schema.name) {
        (Some(i), schemas[i].schema.clone())
    } else {
        let names: Vec<String> = std::iter::once("Transaction".to_owned())
            .chain(schemas.iter().map(|s| s.schema.name.clone()))
            .collect();
        let hint =
            match control_core::suggest(&decl.schema.to_string(), names.iter().map(String::as_str))
            {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "use `Transaction`, or declare it in this block: `schema {} {{ … }}`",
                    decl.schema
                ),
            };
        errors.at(
            decl.schema.span(),
            format!("unknown schema `{}`; {hint}", decl.schema),
        );
        return Checked {
            decl,
            schema: None,
            ir: None,
        };
    };

    let regime = match &decl.regime {
        Some(r) => r.value(),
        None => {
            errors.at(decl.name.span(), format!("rule set `{}` names no regime; add `regime \"US\";` (or the regime it encodes)", decl.name));
            String::new()
        }
    };
    let mut groups = Vec::new();
    for g in &decl.groups {
        let members: CountrySet = g
            .members
            .iter()
            .filter_map(|m| country(m, errors))
            .collect();
        groups.push(CountryGroup::user_defined(g.name.to_string(), members));
    }
    let parties: Vec<Party> = decl
        .parties
        .iter()
        .map(|p| Party {
            id: PartyId::new(&p.id.to_string()),
            name: p.name.value(),
            country: None,
            aliases: p.aliases.iter().map(syn::LitStr::value).collect(),
        })
        .collect();
    let cx = Cx {
        schema: &schema,
        groups: &groups,
        parties: PartyDirectory::new(parties.clone()),
    };
    let applies_when = decl
        .applies_when
        .as_ref()
        .map_or(Condition::Always, |c| cx.condition(c, errors));
    let fallback = match (&decl.otherwise, decl.complete) {
        (Some(o), None) => {
            Fallback::Otherwise(outcome(o, errors).unwrap_or(Outcome::NotControlled))
        }
        (None, Some(_)) => Fallback::Complete,
        (Some(_), Some(span)) => {
            errors.at(
                span,
                "a rule set is either `complete;` or has an `otherwise` outcome, not both",
            );
            Fallback::Complete
        }
        (None, None) => {
            errors.at(
                decl.name.span(),
                format!("rule set `{}` does not say what cases no rule decides get: add `otherwise not_controlled;` (or another outcome), or declare `complete;`", decl.name),
            );
            Fallback::Complete
        }
    };
    let rules: Vec<Rule> = decl.rules.iter().map(|r| cx.rule(r, errors)).collect();
    let parts = RuleSetParts {
        name: decl.name.to_string(),
        regime,
        doc: decl.docs.join("\n"),
        schema,
        applies_when,
        groups,
        parties,
        fallback,
        rules,
    };
    let ir = match RuleSet::new(parts) {
        Ok(ir) => Some(ir),
        Err(structural) => {
            for e in structural {
                structure_error(decl, &e, errors);
            }
            None
        }
    };
    let schema_ok = schema_index.is_none_or(|i| schemas[i].decl.is_some());
    if errors.count() > before || !schema_ok {
        return Checked {
            decl,
            schema: schema_index,
            ir: None,
        };
    }
    let ir = ir.filter(|ir| analysis(decl, ir, errors));
    Checked {
        decl,
        schema: schema_index,
        ir,
    }
}

fn structure_error(decl: &RuleSetDecl, e: &StructureError, errors: &mut Errors) {
    let rule = |i: usize| &decl.rules[i];
    match e {
        StructureError::DuplicateRule { name, .. } => {
            // Point at the second definition.
            if let Some(r) = decl.rules.iter().filter(|r| r.name == name).nth(1) {
                errors.at(r.name.span(), format!("rule `{name}` is defined twice in rule set `{}`; rule names must be unique", decl.name));
            }
        }
        StructureError::UnknownOverride {
            rule: i,
            target,
            suggestion,
            ..
        } => {
            let r = rule(*i);
            let span = r
                .overrides
                .iter()
                .find(|o| *o == target)
                .map_or(r.name.span(), Ident::span);
            let hint = suggestion
                .as_ref()
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            errors.at(
                span,
                format!(
                    "rule `{}` overrides `{target}`, which is not a rule of this rule set{hint}",
                    r.name
                ),
            );
        }
        StructureError::OverrideCycle { rules, names } => {
            let r = rule(rules[0]);
            errors.at(
                r.overrides_span.unwrap_or(r.name.span()),
                format!("`overrides` forms a cycle: {}; an exception cannot be an exception to itself, so remove one of these `overrides`", names.join(" overrides ")),
            );
        }
        StructureError::EmptyPeriod {
            rule: i,
            from,
            until,
            ..
        } => {
            let r = rule(*i);
            let msg = format!(
                "rule `{}` is in effect from {from} until {until}, which is no day at all; `until` must be after `from`",
                r.name
            );
            match &r.until {
                Some(u) => errors.over(&u.tokens, msg),
                None => errors.at(r.name.span(), msg),
            }
        }
        StructureError::PeriodWithoutCaseDate {
            rule: i, schema, ..
        } => {
            let r = rule(*i);
            let msg = format!(
                "rule `{}` has an effective period, but schema `{schema}` has no case date to check it against; mark a date field `#[case_date]`",
                r.name
            );
            match r.from.as_ref().or(r.until.as_ref()) {
                Some(v) => errors.over(&v.tokens, msg),
                None => errors.at(r.name.span(), msg),
            }
        }
        other => errors.at(decl.name.span(), other.to_string()),
    }
}

/// Fixes in the words of `rules!`.
struct RustSyntax;

impl control_core::analysis::Syntax for RustSyntax {
    fn overrides(&self, rule: &str) -> String {
        format!("overrides {rule}")
    }
    fn allow_dead(&self) -> String {
        "allow_dead;".into()
    }
    fn complete(&self) -> String {
        "complete;".into()
    }
    fn otherwise(&self) -> String {
        "otherwise".into()
    }
}

/// Runs the analysis; `true` if the rule set is accepted.
fn analysis(decl: &RuleSetDecl, ir: &RuleSet, errors: &mut Errors) -> bool {
    let report = match analyse(ir) {
        Ok(r) => r,
        Err(e) => {
            errors.at(decl.name.span(), e.to_string());
            return false;
        }
    };
    let name = |i: usize| &decl.rules[i].name;
    for c in &report.contradictions {
        errors.at(
            name(c.second).span(),
            format!(
                "{}\n  case: {}\n  help: {}",
                c.message(),
                c.witness,
                c.fix().render(&RustSyntax)
            ),
        );
        errors.at(
            name(c.first).span(),
            format!("rule `{}` contradicts rule `{}` (decides {} where `{}` decides {}); see the error on `{}`", c.first_name, c.second_name, c.first_outcome, c.second_name, c.second_outcome, c.second_name),
        );
    }
    for d in report.dead_rules.iter().filter(|d| !d.allowed) {
        errors.at(
            name(d.rule).span(),
            format!(
                "{}\n  help: {}",
                d.message(),
                d.fix().render(&RustSyntax)
            ),
        );
    }
    for g in &report.gaps {
        errors.at(
            decl.complete.unwrap_or(decl.name.span()),
            format!(
                "{}\n  case: {}\n  help: {}",
                g.message(),
                g.witness,
                g.fix().render(&RustSyntax)
            ),
        );
    }
    report.is_clean()
}

fn country(v: &RawValue, errors: &mut Errors) -> Option<Country> {
    match Country::parse(&v.text) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.over(&v.tokens, e);
            None
        }
    }
}

fn outcome(o: &OutcomeAst, errors: &mut Errors) -> Option<Outcome> {
    const KINDS: &[&str] = &[
        "not_controlled",
        "licence_exception",
        "licence_required",
        "prohibited",
    ];
    const POLICIES: &[&str] = &[
        "presumption_of_approval",
        "case_by_case",
        "presumption_of_denial",
    ];
    let kind = o.kind.to_string().replace("license", "licence");
    let needs_arg = matches!(kind.as_str(), "licence_exception" | "licence_required");
    match (&o.arg, needs_arg) {
        (Some(arg), false) if KINDS.contains(&kind.as_str()) => {
            errors.over(&arg.tokens, format!("`{}` takes no argument", o.kind));
            return None;
        }
        (None, true) if kind == "licence_required" => {
            errors.over(&o.tokens, format!("`{}` needs a review policy: `{}(case_by_case)`, or `presumption_of_approval`, `presumption_of_denial`", o.kind, o.kind));
            return None;
        }
        (None, true) => {
            errors.over(
                &o.tokens,
                format!("`{}` needs the exception's name: `{}(NAC)`", o.kind, o.kind),
            );
            return None;
        }
        _ => {}
    }
    match kind.as_str() {
        "not_controlled" => Some(Outcome::NotControlled),
        "prohibited" => Some(Outcome::Prohibited),
        "licence_exception" => o
            .arg
            .as_ref()
            .map(|a| Outcome::LicenceException(a.text.clone())),
        "licence_required" => {
            let arg = o.arg.as_ref()?;
            match arg.text.as_str() {
                "presumption_of_approval" => Some(Outcome::LicenceRequired(
                    ReviewPolicy::PresumptionOfApproval,
                )),
                "case_by_case" => Some(Outcome::LicenceRequired(ReviewPolicy::CaseByCase)),
                "presumption_of_denial" => {
                    Some(Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial))
                }
                other => {
                    let hint = control_core::suggest(other, POLICIES.iter().copied()).map_or_else(
                        || format!("expected one of: {}", POLICIES.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                    errors.over(
                        &arg.tokens,
                        format!("unknown review policy `{other}`; {hint}"),
                    );
                    None
                }
            }
        }
        other => {
            let hint = control_core::suggest(other, KINDS.iter().copied()).map_or_else(
                || format!("an outcome is one of: {}", KINDS.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            errors.at(
                o.kind.span(),
                format!("unknown outcome `{}`; {hint}", o.kind),
            );
            None
        }
    }
}

/// What resolving a rule set's conditions needs.
struct Cx<'a> {
    schema: &'a Schema,
    groups: &'a [CountryGroup],
    parties: PartyDirectory,
}

impl Cx<'_> {
    fn rule(&self, r: &RuleDecl, errors: &mut Errors) -> Rule {
        let date = |v: &Option<RawValue>, errors: &mut Errors| {
            v.as_ref().and_then(|v| match parse_date(&v.text) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.over(&v.tokens, e);
                    None
                }
            })
        };
        let when = match &r.when {
            Some(c) => self.condition(c, errors),
            None => {
                errors.at(r.name.span(), format!("rule `{}` has no `when` clause: say when it applies, e.g. `when destination == CN;` (or `when always;`)", r.name));
                Condition::Always
            }
        };
        let then = match &r.then {
            Some(o) => outcome(o, errors).unwrap_or(Outcome::NotControlled),
            None => {
                errors.at(r.name.span(), format!("rule `{}` has no `then` clause: say what it decides, e.g. `then licence_required(case_by_case);`", r.name));
                Outcome::NotControlled
            }
        };
        Rule {
            name: r.name.to_string(),
            doc: r.docs.join("\n"),
            citation: r.citation.as_ref().map(syn::LitStr::value),
            period: Period {
                from: date(&r.from, errors),
                until: date(&r.until, errors),
            },
            status: if r.proposed.is_some() {
                Status::Proposed
            } else {
                Status::InForce
            },
            overrides: r.overrides.iter().map(ToString::to_string).collect(),
            allow_dead: r.allow_dead.is_some(),
            when,
            then,
        }
    }

    fn condition(&self, c: &Cond, errors: &mut Errors) -> Condition {
        match c {
            Cond::Always => Condition::Always,
            Cond::Never => Condition::Any(Vec::new()),
            Cond::All(cs) => Condition::All(cs.iter().map(|c| self.condition(c, errors)).collect()),
            Cond::Any(cs) => Condition::Any(cs.iter().map(|c| self.condition(c, errors)).collect()),
            Cond::Not(c) => self.condition(c, errors).negate(),
            Cond::Test { field, op } => self.test(field, op, errors).unwrap_or(Condition::Always),
        }
    }

    fn test(&self, field: &Ident, op: &Op, errors: &mut Errors) -> Option<Condition> {
        let name = field.to_string();
        let Some((id, f)) = self.schema.field(&name) else {
            let hint = match self.schema.suggest_field(&name) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the fields of `{}` are: {}",
                    self.schema.name,
                    self.schema
                        .fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            errors.at(field.span(), format!("unknown field `{name}`; {hint}"));
            return None;
        };
        let ty = &f.ty;
        let what = ty.describe();
        Some(match op {
            Op::IsTrue => {
                if *ty != FieldType::Bool {
                    errors.at(
                        field.span(),
                        format!(
                            "`{name}` is {what}, not true or false: compare it, e.g. `{name} == …`"
                        ),
                    );
                    return None;
                }
                Condition::eq(id, Value::Bool(true))
            }
            Op::Eq(v) => Condition::eq(id, self.value(ty, v, errors)?),
            Op::Ne(v) => Condition::eq(id, self.value(ty, v, errors)?).negate(),
            Op::Cmp(op, tokens, v) => {
                if !ty.is_ordered() {
                    errors.over(tokens, format!("`{}` compares numbers and dates, but `{name}` is {what}; use `==`, `!=` or `in`", op.symbol()));
                    return None;
                }
                Condition::cmp(id, *op, self.value(ty, v, errors)?)
            }
            Op::In(vs) | Op::NotIn(vs) => {
                let values: Vec<Value> = vs
                    .iter()
                    .filter_map(|v| self.value(ty, v, errors))
                    .collect();
                if values.len() != vs.len() {
                    return None;
                }
                let c = Condition::is_in(id, values);
                if matches!(op, Op::NotIn(_)) {
                    c.negate()
                } else {
                    c
                }
            }
            Op::InGroup(g) | Op::NotInGroup(g) => {
                if *ty != FieldType::Country {
                    errors.over(
                        &g.tokens,
                        format!("country groups hold countries, but `{name}` is {what}"),
                    );
                    return None;
                }
                let members = match self.groups.iter().find(|x| x.name == g.text) {
                    Some(x) => x.members,
                    None => match builtin_group(&g.text) {
                        Some(x) => x.members,
                        None => {
                            let names: Vec<String> = self
                                .groups
                                .iter()
                                .map(|x| x.name.clone())
                                .chain(builtin_groups().into_iter().map(|x| x.name))
                                .collect();
                            let hint =
                                control_core::suggest(&g.text, names.iter().map(String::as_str))
                                    .map_or_else(
                                        || format!("known groups: {}", names.join(", ")),
                                        |s| format!("did you mean `{s}`?"),
                                    );
                            errors.over(
                                &g.tokens,
                                format!("unknown country group `{}`; {hint}", g.text),
                            );
                            return None;
                        }
                    },
                };
                let c = Condition::Test {
                    field: id,
                    test: Test::InGroup {
                        group: g.text.clone(),
                        members,
                    },
                };
                if matches!(op, Op::NotInGroup(_)) {
                    c.negate()
                } else {
                    c
                }
            }
            Op::Under(v) => {
                if *ty != FieldType::Code {
                    errors.over(&v.tokens, format!("`under` follows the control-code hierarchy, but `{name}` is {what}; use `==` or `in`"));
                    return None;
                }
                match control_core::ControlCode::parse(&v.text) {
                    Ok(code) => Condition::under(id, code),
                    Err(e) => {
                        errors.over(&v.tokens, e);
                        return None;
                    }
                }
            }
            Op::Range { lo, hi, inclusive } => {
                if !ty.is_ordered() {
                    errors.over(
                        &lo.tokens,
                        format!(
                            "a range needs numbers or dates, but `{name}` is {what}; use `in [..]`"
                        ),
                    );
                    return None;
                }
                let (lo, hi) = (self.value(ty, lo, errors), self.value(ty, hi, errors));
                let (lo, hi) = (lo?, hi?);
                Condition::All(vec![
                    Condition::cmp(id, CmpOp::Ge, lo),
                    Condition::cmp(id, if *inclusive { CmpOp::Le } else { CmpOp::Lt }, hi),
                ])
            }
        })
    }

    fn value(&self, ty: &FieldType, v: &RawValue, errors: &mut Errors) -> Option<Value> {
        if *ty == FieldType::Party {
            return match self.parties.resolve(&v.text) {
                Some(p) => Some(Value::Party(p.id.clone())),
                None => {
                    let ids: Vec<&str> = self
                        .parties
                        .parties()
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect();
                    let hint = control_core::suggest(&v.text.to_lowercase(), ids.iter().copied())
                        .map_or_else(
                            || {
                                format!(
                                    "declare it: `party {} = \"Legal Name\";`",
                                    v.text.to_lowercase()
                                )
                            },
                            |s| format!("did you mean `{s}`?"),
                        );
                    errors.over(&v.tokens, format!("unknown party `{}`; {hint}", v.text));
                    None
                }
            };
        }
        match ty.parse_value(&v.text) {
            Ok(value) => Some(value),
            Err(e) => {
                errors.over(&v.tokens, e);
                None
            }
        }
    }
}
