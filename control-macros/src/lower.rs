//! The lowering phase: resolves schemas, then translates each rule set's syntax into control-core's surface
//! rules (every piece keeping its tokens as its origin) and lowers them with control-core's `lower`, the one
//! lowering the JSON format shares. Each typed error it returns is rendered here, in the words of `rules!`, at
//! the tokens the user wrote.

use control_core::lower::{
    Located, LowerError, LowerErrorKind, Misuse, OUTCOMES, POLICIES, SurfaceCondition,
    SurfaceGroup, SurfaceOp, SurfaceOutcome, SurfaceRule, SurfaceRuleSet, SurfaceTreatment,
    SurfaceValue, lower,
};
use control_core::{Field, FieldType, Party, PartyId, RuleSet, Schema, StructureError};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};

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
            range: None,
            list: None,
        });
    }
    Schema {
        name: decl.name.to_string(),
        fields,
        case_date: case_date.map(|c| c.0),
    }
}

/// Lowers one rule set and, if that succeeds, analyses it; the IR is returned only if both pass (and its
/// schema has no error).
pub fn rule_set<'a>(
    decl: &'a RuleSetDecl,
    schemas: &[SchemaInfo<'_>],
    errors: &mut Errors,
) -> Checked<'a> {
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
    let surface = surface(decl, schema);
    let ir = match lower(&surface) {
        Ok(ir) => Some(ir),
        Err(lowering) => {
            for e in &lowering.0 {
                render(decl, e, errors);
            }
            None
        }
    };
    let schema_ok = schema_index.is_none_or(|i| schemas[i].decl.is_some());
    let ir = ir
        .filter(|_| schema_ok)
        .filter(|ir| crate::analyse::check(decl, ir, errors));
    Checked {
        decl,
        schema: schema_index,
        ir,
    }
}

type Origin = TokenStream;

fn ident(i: &syn::Ident) -> Located<String, Origin> {
    Located::new(i.to_string(), i.to_token_stream())
}

fn value(v: &RawValue) -> Located<SurfaceValue, Origin> {
    Located::new(SurfaceValue::Text(v.text.clone()), v.tokens.clone())
}

fn text(v: &RawValue) -> Located<String, Origin> {
    Located::new(v.text.clone(), v.tokens.clone())
}

/// A token at `span`, to stand for a keyword that has only a span.
fn at_span(span: Span) -> Origin {
    quote_spanned!(span=> here)
}

/// The rule set's syntax as surface rules.
fn surface(decl: &RuleSetDecl, schema: Schema) -> SurfaceRuleSet<Origin> {
    SurfaceRuleSet {
        name: ident(&decl.name),
        regime: decl.regime.as_ref().map(syn::LitStr::value),
        doc: decl.docs.join("\n"),
        schema,
        schema_at: decl.schema.to_token_stream(),
        applies_when: decl.applies_when.as_ref().map(condition),
        groups: decl
            .groups
            .iter()
            .map(|g| SurfaceGroup {
                name: ident(&g.name),
                members: g.members.iter().map(value).collect(),
            })
            .collect(),
        parties: decl
            .parties
            .iter()
            .map(|p| Party {
                id: PartyId::new(&p.id.to_string()),
                name: p.name.value(),
                country: None,
                aliases: p.aliases.iter().map(syn::LitStr::value).collect(),
            })
            .collect(),
        list: decl
            .list
            .as_ref()
            .map(|l| Located::new(l.to_string(), l.to_token_stream())),
        treatments: decl
            .treatments
            .iter()
            .map(|t| SurfaceTreatment {
                territory: Located::new(
                    SurfaceValue::Text(t.territory.to_string()),
                    t.territory.to_token_stream(),
                ),
                as_country: Located::new(
                    SurfaceValue::Text(t.as_country.to_string()),
                    t.as_country.to_token_stream(),
                ),
                from: value(&t.from),
                citation: t.citation.as_ref().map(syn::LitStr::value),
            })
            .collect(),
        otherwise: decl.otherwise.as_ref().map(outcome),
        complete: decl.complete.map(at_span),
        cumulative: decl.cumulative.is_some(),
        rules: decl
            .rules
            .iter()
            .map(|r| SurfaceRule {
                name: ident(&r.name),
                doc: r.docs.join("\n"),
                citation: r.citation.as_ref().map(syn::LitStr::value),
                from: r.from.as_ref().map(value),
                until: r.until.as_ref().map(value),
                proposed: r.proposed.is_some(),
                overrides: r.overrides.iter().map(ident).collect(),
                overrides_at: r.overrides_span.map(at_span),
                allow_dead: r.allow_dead.is_some(),
                cumulative: r.cumulative.map(|(yes, _)| yes),
                when: r.when.as_ref().map(condition),
                then: r.then.as_ref().map(outcome),
            })
            .collect(),
    }
}

fn outcome(o: &OutcomeAst) -> SurfaceOutcome<Origin> {
    SurfaceOutcome {
        kind: ident(&o.kind),
        arg: o.arg.as_ref().map(text),
        at: o.tokens.clone(),
    }
}

fn condition(c: &Cond) -> SurfaceCondition<Origin> {
    match c {
        Cond::Always => SurfaceCondition::Always,
        Cond::Never => SurfaceCondition::Never,
        Cond::All(cs) => SurfaceCondition::All(cs.iter().map(condition).collect()),
        Cond::Any(cs) => SurfaceCondition::Any(cs.iter().map(condition).collect()),
        Cond::Not(c) => SurfaceCondition::Not(Box::new(condition(c))),
        Cond::Test { field, op } => {
            // Each operator's origin is where a mistake about it is best shown.
            let (op, at) = match op {
                Op::IsTrue => (SurfaceOp::IsTrue, field.tokens.clone()),
                Op::Eq(v) => (SurfaceOp::Eq(value(v)), v.tokens.clone()),
                Op::Ne(v) => (SurfaceOp::Ne(value(v)), v.tokens.clone()),
                Op::Cmp(op, tokens, v) => (SurfaceOp::Cmp(*op, value(v)), tokens.clone()),
                Op::In(vs) => (
                    SurfaceOp::In(vs.iter().map(value).collect()),
                    field.tokens.clone(),
                ),
                Op::NotIn(vs) => (
                    SurfaceOp::NotIn(vs.iter().map(value).collect()),
                    field.tokens.clone(),
                ),
                Op::InGroup(g) => (SurfaceOp::InGroup(text(g)), g.tokens.clone()),
                Op::NotInGroup(g) => (SurfaceOp::NotInGroup(text(g)), g.tokens.clone()),
                Op::Under(v) => (SurfaceOp::Under(text(v)), v.tokens.clone()),
                Op::Range { lo, hi, inclusive } => (
                    SurfaceOp::Range {
                        lo: value(lo),
                        hi: value(hi),
                        inclusive: *inclusive,
                    },
                    lo.tokens.clone(),
                ),
            };
            SurfaceCondition::Test {
                field: Located::new(field.text.clone(), field.tokens.clone()),
                ops: vec![Located::new(op, at)],
            }
        }
    }
}

/// One lowering error, in the words of `rules!`, at its tokens.
fn render(decl: &RuleSetDecl, e: &LowerError<Origin>, errors: &mut Errors) {
    let hint = |suggestion: &Option<String>, otherwise: String| match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise,
    };
    let message = match &e.kind {
        LowerErrorKind::UnknownField {
            field,
            suggestion,
            schema,
            fields,
        } => format!(
            "unknown field `{field}`; {}",
            hint(
                suggestion,
                format!("the fields of `{schema}` are: {}", fields.join(", "))
            )
        ),
        LowerErrorKind::Operator {
            op,
            field,
            ty,
            misuse,
            ..
        } => match (misuse, *op) {
            (Misuse::NotABool, _) => {
                format!("`{field}` is {ty}, not true or false: compare it, e.g. `{field} == …`")
            }
            (Misuse::NotOrdered, "range") => {
                format!("a range needs numbers or dates, but `{field}` is {ty}; use `in [..]`")
            }
            (Misuse::NotOrdered, op) => format!(
                "`{op}` compares numbers and dates, but `{field}` is {ty}; use `==`, `!=` or `in`"
            ),
            (Misuse::NotACountry, _) => {
                format!("country groups hold countries, but `{field}` is {ty}")
            }
            (Misuse::NotACode, _) => format!(
                "`under` follows the control-code hierarchy, but `{field}` is {ty}; use `==` or `in`"
            ),
            _ => e.kind.to_string(),
        },
        LowerErrorKind::UnknownGroup {
            group,
            suggestion,
            known,
        } => format!(
            "unknown country group `{group}`; {}",
            hint(suggestion, format!("known groups: {}", known.join(", ")))
        ),
        LowerErrorKind::UnknownParty { party, suggestion } => format!(
            "unknown party `{party}`; {}",
            hint(
                suggestion,
                format!(
                    "declare it: `party {} = \"Legal Name\";`",
                    party.to_lowercase()
                )
            )
        ),
        LowerErrorKind::UnknownOutcome {
            outcome,
            suggestion,
        } => format!(
            "unknown outcome `{outcome}`; {}",
            hint(
                suggestion,
                format!("an outcome is one of: {}", OUTCOMES.join(", "))
            )
        ),
        LowerErrorKind::OutcomeNeedsPolicy { outcome } => format!(
            "`{outcome}` needs a review policy: `{outcome}(case_by_case)`, or `presumption_of_approval`, `presumption_of_denial`"
        ),
        LowerErrorKind::OutcomeNeedsException { outcome } => {
            format!("`{outcome}` needs the exception's name: `{outcome}(NAC)`")
        }
        LowerErrorKind::UnknownReviewPolicy { policy, suggestion } => format!(
            "unknown review policy `{policy}`; {}",
            hint(
                suggestion,
                format!("expected one of: {}", POLICIES.join(", "))
            )
        ),
        LowerErrorKind::NoCondition { rule } => format!(
            "rule `{rule}` has no `when` clause: say when it applies, e.g. `when destination == CN;` (or `when always;`)"
        ),
        LowerErrorKind::NoOutcome { rule } => format!(
            "rule `{rule}` has no `then` clause: say what it decides, e.g. `then licence_required(case_by_case);`"
        ),
        LowerErrorKind::NoRegime { rule_set } => format!(
            "rule set `{rule_set}` names no regime; add `regime \"US\";` (or the regime it encodes)"
        ),
        LowerErrorKind::BothFallbacks => {
            "a rule set is either `complete;` or has an `otherwise` outcome, not both".to_owned()
        }
        LowerErrorKind::NoFallback { rule_set } => format!(
            "rule set `{rule_set}` does not say what cases no rule decides get: add `otherwise not_controlled;` (or another outcome), or declare `complete;`"
        ),
        LowerErrorKind::Treatment { problem } => format!("in `treat`: {problem}"),
        LowerErrorKind::CodeOfOtherList {
            code,
            code_list,
            field,
            field_list,
            other_field,
        } => {
            format!(
                "`{code}` is a code of list {code_list}, but `{field}` holds the item's classification under list {field_list}: codes of different lists are never compared; {}",
                match other_field {
                    Some(o) => format!(
                        "test `{o}` for it (`{o} under \"{code}\"`), or write the {field_list} code"
                    ),
                    None => format!("write the {field_list} code"),
                }
            )
        }
        LowerErrorKind::NoList { field, lists } => format!(
            "`{field}` means the item's classification under the rule set's control list, and this regime has no default one: declare it, e.g. `list CCL;` (lists: {})",
            lists.join(", ")
        ),
        LowerErrorKind::UnknownList {
            list,
            suggestion,
            lists,
        } => format!(
            "unknown control list `{list}`; {}",
            hint(suggestion, format!("the lists: {}", lists.join(", ")))
        ),
        LowerErrorKind::UnknownRole {
            role,
            fact,
            suggestion,
            roles,
        } => format!(
            "`{role}` is not a role a party plays; {} (e.g. `end_user.{fact}`, or `any_party.{fact}` for any of them)",
            hint(suggestion, format!("the roles: {}", roles.join(", ")))
        ),
        LowerErrorKind::UnknownFact {
            role,
            fact,
            suggestion,
            facts,
        } => format!(
            "`{role}` has no fact `{fact}`; {}",
            hint(suggestion, format!("its facts: {}", facts.join(", ")))
        ),
        LowerErrorKind::GroupBeforeExistence {
            rule,
            group,
            exists_from,
            until,
        } => format!(
            "rule `{rule}` tests country group `{group}`, which exists only from {exists_from}, but the rule is in effect only until {until}: on every day it applies the group does not exist yet; test the countries themselves (`destination in [..]`), or move `until` after {exists_from}"
        ),
        LowerErrorKind::Structure(s) => structure_message(decl, s),
        other => other.to_string(),
    };
    errors.over(&e.at, message);
}

fn structure_message(decl: &RuleSetDecl, e: &StructureError) -> String {
    match e {
        StructureError::DuplicateRule { name, .. } => format!(
            "rule `{name}` is defined twice in rule set `{}`; rule names must be unique",
            decl.name
        ),
        StructureError::UnknownOverride {
            rule_name,
            target,
            suggestion,
            ..
        } => format!(
            "rule `{rule_name}` overrides `{target}`, which is not a rule of this rule set{}",
            suggestion
                .as_ref()
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default()
        ),
        StructureError::OverrideCycle { names, .. } => format!(
            "`overrides` forms a cycle: {}; an exception cannot be an exception to itself, so remove one of these `overrides`",
            names.join(" overrides ")
        ),
        StructureError::PeriodWithoutCaseDate {
            rule_name, schema, ..
        } => format!(
            "rule `{rule_name}` has an effective period, but schema `{schema}` has no case date to check it against; mark a date field `#[case_date]`"
        ),
        StructureError::CumulativeOverride {
            rule_name, target, ..
        } => format!(
            "rule `{rule_name}` overrides `{target}`, but both are cumulative requirements: they stack, and where both decide the stricter outcome applies; `overrides` would let `{rule_name}` silence `{target}`. Remove `{target}` from its `overrides`, or, if `{rule_name}` really is an exception to `{target}`, write `not_cumulative;` in it"
        ),
        StructureError::CumulativeException { rule_name, .. } => format!(
            "rule `{rule_name}` grants a licence exception and is cumulative, but an exception does not stack with requirements: write `not_cumulative;` in it (or remove its `cumulative;`) and let it `overrides` the requirement it excepts"
        ),
        other => other.to_string(),
    }
}
