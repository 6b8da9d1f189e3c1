//! The syntax of a rule block, as written: every node keeps the tokens it came from so that any error can
//! point at them. Nothing here is checked beyond the grammar; `validate` gives it meaning.

use proc_macro2::{Span, TokenStream};
use syn::{Ident, LitStr, Visibility};

/// A whole `rules!` invocation.
pub struct Block {
    pub schemas: Vec<SchemaDecl>,
    pub rule_sets: Vec<RuleSetDecl>,
}

/// `pub schema Shipment { to: Country, kind: enum Kind { tool, part }, #[case_date] signed: Date }`
pub struct SchemaDecl {
    pub docs: Vec<String>,
    pub vis: Visibility,
    pub name: Ident,
    pub fields: Vec<FieldDecl>,
}

pub struct FieldDecl {
    pub docs: Vec<String>,
    /// `#[case_date]`, with its span.
    pub case_date: Option<Span>,
    pub name: Ident,
    pub ty: TypeDecl,
}

pub enum TypeDecl {
    /// `Country`, `Code`, `Date`, `Decimal`, `Int`/`i64`, `bool`, `Party`, or something unsupported.
    Named(Ident),
    /// `enum Kind { tool, part }`
    Enum { name: Ident, variants: Vec<Ident> },
    /// Any other type syntax, kept to point at.
    Other(TokenStream),
}

/// `pub rule_set Name for Schema { … }`
pub struct RuleSetDecl {
    pub docs: Vec<String>,
    pub vis: Visibility,
    pub name: Ident,
    pub schema: Ident,
    pub regime: Option<LitStr>,
    pub applies_when: Option<Cond>,
    pub otherwise: Option<OutcomeAst>,
    /// `complete;`, with its span.
    pub complete: Option<Span>,
    /// `cumulative;`: every rule is a cumulative requirement unless it says `not_cumulative;`.
    pub cumulative: Option<Span>,
    pub groups: Vec<GroupDecl>,
    pub parties: Vec<PartyDecl>,
    pub treatments: Vec<TreatDecl>,
    /// `list NL;`: the control list `item` means.
    pub list: Option<Ident>,
    /// `evaluator inline;` or `evaluator table;`: how the evaluator is generated (by default, by the number of
    /// rules).
    pub evaluator: Option<Ident>,
    pub rules: Vec<RuleDecl>,
}

/// `treat HK as CN from 2020-12-23, citation "85 FR 83765";`
pub struct TreatDecl {
    pub territory: Ident,
    pub as_country: Ident,
    pub from: RawValue,
    pub citation: Option<LitStr>,
}

/// `group friendly = [JP, KR];`
pub struct GroupDecl {
    pub name: Ident,
    pub members: Vec<RawValue>,
}

/// `party huawei = "Huawei Technologies Co., Ltd." aka "华为", "HiSilicon";`
pub struct PartyDecl {
    pub id: Ident,
    pub name: LitStr,
    pub aliases: Vec<LitStr>,
}

/// `rule name { citation "…"; from 2023-09-01; until …; proposed; overrides a, b; allow_dead; when …; then …; }`
pub struct RuleDecl {
    pub docs: Vec<String>,
    pub name: Ident,
    pub citation: Option<LitStr>,
    pub from: Option<RawValue>,
    pub until: Option<RawValue>,
    pub proposed: Option<Span>,
    pub overrides: Vec<Ident>,
    /// The `overrides` keyword, for errors about the list as a whole.
    pub overrides_span: Option<Span>,
    pub allow_dead: Option<Span>,
    /// `cumulative;` (`true`) or `not_cumulative;` (`false`), with the keyword's span.
    pub cumulative: Option<(bool, Span)>,
    pub when: Option<Cond>,
    pub then: Option<OutcomeAst>,
}

/// A condition.
pub enum Cond {
    /// `always`
    Always,
    /// `never`
    Never,
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Test {
        field: FieldPath,
        op: Op,
    },
}

/// A field as written: `destination`, `item.nl`, `end_user.headquarters`, `any_party.entity_list`.
#[derive(Clone)]
pub struct FieldPath {
    pub text: String,
    pub tokens: TokenStream,
}

/// What a test does with its field.
pub enum Op {
    /// A bare boolean field: `listed`.
    IsTrue,
    Eq(RawValue),
    Ne(RawValue),
    /// `<`, `<=`, `>`, `>=`, with the operator's tokens.
    Cmp(control_core::CmpOp, TokenStream, RawValue),
    In(Vec<RawValue>),
    NotIn(Vec<RawValue>),
    InGroup(RawValue),
    NotInGroup(RawValue),
    Under(RawValue),
    /// `in lo..hi` or `in lo..=hi`.
    Range {
        lo: RawValue,
        hi: RawValue,
        inclusive: bool,
    },
}

/// A value as written: its text (the tokens glued together, or a string literal's content) and its tokens.
#[derive(Clone)]
pub struct RawValue {
    pub text: String,
    pub tokens: TokenStream,
}

/// `licence_required(presumption_of_denial)`, `prohibited`, …
pub struct OutcomeAst {
    pub kind: Ident,
    pub arg: Option<RawValue>,
    pub tokens: TokenStream,
}
