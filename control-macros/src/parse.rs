//! Parses a rule block into the AST, recovering at every `;` and every `rule { … }` so that one typo does
//! not hide the next: each clause is parsed on its own, and a clause that fails is reported and skipped.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, LitStr, Token, Visibility, bracketed, parenthesized};

use crate::ast::*;
use crate::ctxt::Errors;

const SET_CLAUSES: &[&str] = &[
    "regime",
    "applies",
    "applies_when",
    "otherwise",
    "complete",
    "cumulative",
    "group",
    "party",
    "treat",
    "list",
    "evaluator",
    "rule",
];
const RULE_CLAUSES: &[&str] = &[
    "citation",
    "from",
    "until",
    "proposed",
    "in_force",
    "overrides",
    "allow_dead",
    "cumulative",
    "not_cumulative",
    "when",
    "then",
];

/// Parses the whole block; syntax errors go to `errors`, and whatever parsed is returned.
pub fn block(input: TokenStream, errors: &mut Errors) -> Block {
    let mut block = Block {
        schemas: Vec::new(),
        rule_sets: Vec::new(),
    };
    for item in split_items(input, &["schema", "rule_set"], errors) {
        let parsed = (|input: ParseStream| {
            let attrs = input.call(Attribute::parse_outer)?;
            let docs = docs(&attrs, errors, &[]).0;
            let vis: Visibility = input.parse()?;
            let kw: Ident = input.parse()?;
            match kw.to_string().as_str() {
                "schema" => Ok(Some(Item::Schema(schema(input, docs, vis, errors)?))),
                "rule_set" => Ok(Some(Item::RuleSet(Box::new(rule_set(
                    input, docs, vis, errors,
                )?)))),
                other => Err(syn::Error::new(
                    kw.span(),
                    unknown("item", other, &["schema", "rule_set"]),
                )),
            }
        })
        .parse2(item);
        match parsed {
            Ok(Some(Item::Schema(s))) => block.schemas.push(s),
            Ok(Some(Item::RuleSet(r))) => block.rule_sets.push(*r),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    block
}

enum Item {
    Schema(SchemaDecl),
    RuleSet(Box<RuleSetDecl>),
}

/// "unknown X `y`; did you mean `z`?" or "expected one of …".
fn unknown(what: &str, found: &str, expected: &[&str]) -> String {
    match control_core::suggest(found, expected.iter().copied()) {
        Some(s) => format!("unknown {what} `{found}`; did you mean `{s}`?"),
        None => format!(
            "unknown {what} `{found}`; expected one of: {}",
            expected.join(", ")
        ),
    }
}

/// Splits tokens into items: each ends after the brace group that follows one of `braced` keywords (an item
/// such as `rule x { … }`), or at a `;` (a clause). Attributes stay with the item they precede.
fn split_items(input: TokenStream, braced: &[&str], errors: &mut Errors) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut seen_keyword = false;
    for tt in input {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ';' => {
                if current.is_empty() {
                    errors.at(p.span(), "unexpected `;`");
                } else {
                    items.push(current.drain(..).collect());
                }
                seen_keyword = false;
                continue;
            }
            TokenTree::Ident(i) if braced.iter().any(|k| i == k) => seen_keyword = true,
            _ => {}
        }
        let ends =
            seen_keyword && matches!(&tt, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
        current.push(tt);
        if ends {
            items.push(current.drain(..).collect());
            seen_keyword = false;
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// Doc comments as lines; `#[case_date]` and other attributes named in `allowed` as spans; others are errors.
fn docs(
    attrs: &[Attribute],
    errors: &mut Errors,
    allowed: &[&str],
) -> (Vec<String>, Vec<(String, Span)>) {
    let mut lines = Vec::new();
    let mut others = Vec::new();
    for a in attrs {
        if a.path().is_ident("doc") {
            if let syn::Meta::NameValue(nv) = &a.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                lines.push(s.value().trim().to_owned());
            }
            continue;
        }
        let name = a
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if allowed.contains(&name.as_str()) {
            others.push((
                name,
                a.path()
                    .get_ident()
                    .map_or_else(Span::call_site, Ident::span),
            ));
        } else if allowed.is_empty() {
            errors.over(a, "attributes other than doc comments are not allowed here");
        } else {
            errors.over(
                a,
                format!(
                    "unknown attribute; expected {}",
                    allowed
                        .iter()
                        .map(|s| format!("`#[{s}]`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            );
        }
    }
    (lines, others)
}

fn schema(
    input: ParseStream,
    docs_: Vec<String>,
    vis: Visibility,
    errors: &mut Errors,
) -> syn::Result<SchemaDecl> {
    let name: Ident = input.parse()?;
    let content;
    syn::braced!(content in input);
    let mut fields = Vec::new();
    while !content.is_empty() {
        let attrs = content.call(Attribute::parse_outer)?;
        let (fdocs, marks) = docs(&attrs, errors, &["case_date"]);
        let fname: Ident = content.parse()?;
        content.parse::<Token![:]>()?;
        let ty = if content.peek(Token![enum]) {
            content.parse::<Token![enum]>()?;
            let ename: Ident = content.parse()?;
            let body;
            syn::braced!(body in content);
            let variants = body
                .parse_terminated(syn::ext::IdentExt::parse_any, Token![,])?
                .into_iter()
                .collect();
            TypeDecl::Enum {
                name: ename,
                variants,
            }
        } else if content.peek(Ident) && (content.peek2(Token![,]) || peek_end(&content)) {
            TypeDecl::Named(content.parse()?)
        } else {
            // Collect the type's tokens up to the next comma, to point at them.
            let mut tokens = TokenStream::new();
            while !content.is_empty() && !content.peek(Token![,]) {
                tokens.extend([content.parse::<TokenTree>()?]);
            }
            TypeDecl::Other(tokens)
        };
        fields.push(FieldDecl {
            docs: fdocs,
            case_date: marks.first().map(|m| m.1),
            name: fname,
            ty,
        });
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(SchemaDecl {
        docs: docs_,
        vis,
        name,
        fields,
    })
}

fn peek_end(input: ParseStream) -> bool {
    let fork = input.fork();
    fork.parse::<Ident>().is_ok() && fork.is_empty()
}

fn rule_set(
    input: ParseStream,
    docs_: Vec<String>,
    vis: Visibility,
    errors: &mut Errors,
) -> syn::Result<RuleSetDecl> {
    let name: Ident = input.parse()?;
    if !input.peek(Token![for]) {
        return Err(
            input.error("expected `for` and the schema: `rule_set Name for Transaction { … }`")
        );
    }
    input.parse::<Token![for]>()?;
    let schema: Ident = input.parse()?;
    let content;
    syn::braced!(content in input);
    let body: TokenStream = content.parse()?;
    let mut rs = RuleSetDecl {
        docs: docs_,
        vis,
        name,
        schema,
        regime: None,
        applies_when: None,
        otherwise: None,
        complete: None,
        cumulative: None,
        groups: Vec::new(),
        parties: Vec::new(),
        treatments: Vec::new(),
        list: None,
        evaluator: None,
        rules: Vec::new(),
    };
    for item in split_items(body, &["rule"], errors) {
        if let Err(e) = (|input: ParseStream| set_clause(input, &mut rs, errors)).parse2(item) {
            errors.push(e);
        }
    }
    Ok(rs)
}

/// One clause of a rule set, or a rule.
fn set_clause(input: ParseStream, rs: &mut RuleSetDecl, errors: &mut Errors) -> syn::Result<()> {
    let attrs = input.call(Attribute::parse_outer)?;
    let kw: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    let key = kw.to_string();
    if !matches!(key.as_str(), "rule" | "group" | "party") && !attrs.is_empty() {
        errors.over(
            &attrs[0],
            "doc comments belong on a `rule`, a `group` or a `party`",
        );
    } else if key != "rule" {
        // Doc comments on groups and parties document the source; other attributes are mistakes.
        docs(&attrs, errors, &[]);
    }
    let dup = |errors: &mut Errors, already: bool| {
        if already {
            errors.at(
                kw.span(),
                format!("`{key}` is given twice in this rule set"),
            );
        }
    };
    match key.as_str() {
        "regime" => {
            dup(errors, rs.regime.is_some());
            rs.regime = Some(input.parse()?);
        }
        "applies" | "applies_when" => {
            if key == "applies" {
                let w: Ident = input.parse()?;
                if w != "when" {
                    return Err(syn::Error::new(
                        w.span(),
                        "expected `applies when <condition>;`",
                    ));
                }
            }
            dup(errors, rs.applies_when.is_some());
            rs.applies_when = Some(condition(input)?);
        }
        "otherwise" => {
            dup(errors, rs.otherwise.is_some());
            rs.otherwise = Some(outcome(input)?);
        }
        "complete" => {
            dup(errors, rs.complete.is_some());
            rs.complete = Some(kw.span());
        }
        "cumulative" => {
            dup(errors, rs.cumulative.is_some());
            rs.cumulative = Some(kw.span());
        }
        "group" => {
            let name: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            rs.groups.push(GroupDecl {
                name,
                members: list(input)?,
            });
        }
        "evaluator" => {
            dup(errors, rs.evaluator.is_some());
            let how: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            if how != "inline" && how != "table" {
                errors.at(
                    how.span(),
                    format!(
                        "unknown evaluator `{how}`: write `evaluator inline;` (one function per rule, the fastest \
                         decisions) or `evaluator table;` (constant tables, the shortest compile for thousands of rules)"
                    ),
                );
            }
            rs.evaluator = Some(how);
        }
        "list" => {
            dup(errors, rs.list.is_some());
            rs.list = Some(input.call(syn::ext::IdentExt::parse_any)?);
        }
        "treat" => {
            // `treat HK as CN from 2020-12-23, citation "85 FR 83765";`
            let territory: Ident = input.parse()?;
            input.parse::<Token![as]>().map_err(|e| {
                syn::Error::new(e.span(), "expected `treat HK as CN from 2020-12-23;`")
            })?;
            let as_country: Ident = input.parse()?;
            let from: Ident = input.parse()?;
            if from != "from" {
                return Err(syn::Error::new(
                    from.span(),
                    "expected `from` and the first day of the treatment: `treat HK as CN from 2020-12-23;`",
                ));
            }
            let date = value(input)?;
            let citation = if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
                let kw: Ident = input.parse()?;
                if kw != "citation" {
                    return Err(syn::Error::new(
                        kw.span(),
                        "expected `citation \"…\"` after the date: `treat HK as CN from 2020-12-23, citation \"85 FR 83765\";`",
                    ));
                }
                Some(input.parse::<LitStr>()?)
            } else {
                None
            };
            rs.treatments.push(TreatDecl {
                territory,
                as_country,
                from: date,
                citation,
            });
        }
        "party" => {
            let id: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            input.parse::<Token![=]>()?;
            let name: LitStr = input.parse()?;
            let mut aliases = Vec::new();
            if input.peek(Ident) {
                let aka: Ident = input.parse()?;
                if aka != "aka" {
                    return Err(syn::Error::new(
                        aka.span(),
                        "expected `aka` and the party's other names",
                    ));
                }
                aliases =
                    syn::punctuated::Punctuated::<LitStr, Token![,]>::parse_separated_nonempty(
                        input,
                    )?
                    .into_iter()
                    .collect();
            }
            rs.parties.push(PartyDecl { id, name, aliases });
        }
        "rule" => {
            let rdocs = docs(&attrs, errors, &[]).0;
            rs.rules.push(rule(input, rdocs, errors)?);
            return Ok(());
        }
        other => {
            return Err(syn::Error::new(
                kw.span(),
                unknown("rule set clause", other, SET_CLAUSES),
            ));
        }
    }
    if !input.is_empty() {
        return Err(input.error("expected `;` after the clause"));
    }
    Ok(())
}

fn rule(input: ParseStream, docs_: Vec<String>, errors: &mut Errors) -> syn::Result<RuleDecl> {
    let name: Ident = input.parse()?;
    let content;
    syn::braced!(content in input);
    let body: TokenStream = content.parse()?;
    if !input.is_empty() {
        return Err(input.error("unexpected tokens after the rule's body"));
    }
    let mut r = RuleDecl {
        docs: docs_,
        name,
        citation: None,
        from: None,
        until: None,
        proposed: None,
        overrides: Vec::new(),
        overrides_span: None,
        allow_dead: None,
        cumulative: None,
        when: None,
        then: None,
    };
    for clause in split_items(body, &[], errors) {
        if let Err(e) = (|input: ParseStream| rule_clause(input, &mut r, errors)).parse2(clause) {
            errors.push(e);
        }
    }
    Ok(r)
}

fn rule_clause(input: ParseStream, r: &mut RuleDecl, errors: &mut Errors) -> syn::Result<()> {
    let kw: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    let key = kw.to_string();
    let dup = |errors: &mut Errors, already: bool| {
        if already {
            errors.at(
                kw.span(),
                format!("`{key}` is given twice in rule `{}`", r.name),
            );
        }
    };
    match key.as_str() {
        "citation" => {
            dup(errors, r.citation.is_some());
            r.citation = Some(input.parse()?);
        }
        "from" => {
            dup(errors, r.from.is_some());
            r.from = Some(value(input)?);
        }
        "until" => {
            dup(errors, r.until.is_some());
            r.until = Some(value(input)?);
        }
        "proposed" => {
            dup(errors, r.proposed.is_some());
            r.proposed = Some(kw.span());
        }
        "in_force" => {}
        "overrides" => {
            dup(errors, r.overrides_span.is_some());
            r.overrides_span = Some(kw.span());
            r.overrides =
                syn::punctuated::Punctuated::<Ident, Token![,]>::parse_separated_nonempty(input)?
                    .into_iter()
                    .collect();
        }
        "allow_dead" => {
            dup(errors, r.allow_dead.is_some());
            r.allow_dead = Some(kw.span());
        }
        "cumulative" | "not_cumulative" => {
            let yes = key == "cumulative";
            match r.cumulative {
                Some((before, _)) if before == yes => dup(errors, true),
                Some(_) => errors.at(
                    kw.span(),
                    format!(
                        "rule `{}` is declared both `cumulative` and `not_cumulative`: keep one",
                        r.name
                    ),
                ),
                None => r.cumulative = Some((yes, kw.span())),
            }
        }
        "when" => {
            dup(errors, r.when.is_some());
            r.when = Some(condition(input)?);
        }
        "then" => {
            dup(errors, r.then.is_some());
            r.then = Some(outcome(input)?);
        }
        other => {
            return Err(syn::Error::new(
                kw.span(),
                unknown("rule clause", other, RULE_CLAUSES),
            ));
        }
    }
    if !input.is_empty() {
        return Err(input.error(format!(
            "unexpected tokens after `{key}`: end the clause with `;`"
        )));
    }
    Ok(())
}

fn outcome(input: ParseStream) -> syn::Result<OutcomeAst> {
    let start = input.fork();
    let kind: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    let arg = if input.peek(syn::token::Paren) {
        let inner;
        parenthesized!(inner in input);
        let v = value(&inner)?;
        if !inner.is_empty() {
            return Err(inner.error("expected one argument"));
        }
        Some(v)
    } else {
        None
    };
    let tokens = tokens_between(&start, input);
    Ok(OutcomeAst { kind, arg, tokens })
}

/// The tokens consumed between a fork taken earlier and the stream now.
fn tokens_between(start: ParseStream, now: ParseStream) -> TokenStream {
    let mut out = TokenStream::new();
    let end = now.cursor();
    let mut c = start.cursor();
    while c != end {
        match c.token_tree() {
            Some((tt, next)) => {
                out.extend([tt]);
                c = next;
            }
            None => break,
        }
    }
    out
}

/// `[a, b, c]`
fn list(input: ParseStream) -> syn::Result<Vec<RawValue>> {
    let inner;
    bracketed!(inner in input);
    let mut out = Vec::new();
    while !inner.is_empty() {
        out.push(value(&inner)?);
        if inner.is_empty() {
            break;
        }
        inner.parse::<Token![,]>()?;
    }
    Ok(out)
}

/// A value: a string literal, or the tokens up to the next `,`, `;`, `&&`, `||`, `and`, `or`, `..` or end,
/// glued together (`3B001.f.4`, `2023-09-01`, `EAR:D:5`, `-3`, `25.5%`).
pub fn value(input: ParseStream) -> syn::Result<RawValue> {
    if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        return Ok(RawValue {
            text: s.value(),
            tokens: quote::quote!(#s),
        });
    }
    input.step(|cursor| {
        let mut c = *cursor;
        let mut text = String::new();
        let mut tokens = TokenStream::new();
        loop {
            if let Some((p, next)) = c.punct() {
                let ch = p.as_char();
                let two = next.punct().map(|(q, _)| q.as_char());
                let stop = matches!(
                    ch,
                    ',' | ';' | '&' | '|' | ')' | ']' | '=' | '<' | '>' | '!'
                ) || (ch == '.' && two == Some('.'));
                if stop || !matches!(ch, '.' | '-' | '+' | ':' | '%') {
                    break;
                }
                if ch != '%' {
                    text.push(ch);
                }
                tokens.extend([TokenTree::Punct(p)]);
                c = next;
            } else if let Some((i, next)) = c.ident() {
                if (i == "and" || i == "or") && !text.is_empty() {
                    break;
                }
                text.push_str(&i.to_string());
                tokens.extend([TokenTree::Ident(i)]);
                c = next;
            } else if let Some((l, next)) = c.literal() {
                text.push_str(&l.to_string());
                tokens.extend([TokenTree::Literal(l)]);
                c = next;
            } else {
                break;
            }
        }
        if text.is_empty() {
            return Err(cursor.error("expected a value"));
        }
        Ok((RawValue { text, tokens }, c))
    })
}

/// A condition: `or` of `and` of unary terms, with `&&`/`and`, `||`/`or`, `!`/`not` and parentheses.
pub fn condition(input: ParseStream) -> syn::Result<Cond> {
    let mut parts = vec![and_term(input)?];
    while input.peek(Token![||]) || peek_word(input, "or") {
        if input.peek(Token![||]) {
            input.parse::<Token![||]>()?;
        } else {
            input.parse::<Ident>()?;
        }
        parts.push(and_term(input)?);
    }
    Ok(if parts.len() == 1 {
        parts.pop().unwrap_or(Cond::Always)
    } else {
        Cond::Any(parts)
    })
}

fn and_term(input: ParseStream) -> syn::Result<Cond> {
    let mut parts = vec![unary(input)?];
    while input.peek(Token![&&]) || peek_word(input, "and") {
        if input.peek(Token![&&]) {
            input.parse::<Token![&&]>()?;
        } else {
            input.parse::<Ident>()?;
        }
        parts.push(unary(input)?);
    }
    Ok(if parts.len() == 1 {
        parts.pop().unwrap_or(Cond::Always)
    } else {
        Cond::All(parts)
    })
}

fn peek_word(input: ParseStream, word: &str) -> bool {
    input.cursor().ident().is_some_and(|(i, _)| i == word)
}

fn unary(input: ParseStream) -> syn::Result<Cond> {
    if input.peek(Token![!]) && !input.peek(Token![!=]) {
        input.parse::<Token![!]>()?;
        return Ok(Cond::Not(Box::new(unary(input)?)));
    }
    if peek_word(input, "not") {
        input.parse::<Ident>()?;
        return Ok(Cond::Not(Box::new(unary(input)?)));
    }
    if input.peek(syn::token::Paren) {
        let inner;
        parenthesized!(inner in input);
        let c = condition(&inner)?;
        if !inner.is_empty() {
            return Err(inner.error("expected `)`, `&&` or `||`"));
        }
        return Ok(c);
    }
    if peek_word(input, "always") {
        input.parse::<Ident>()?;
        return Ok(Cond::Always);
    }
    if peek_word(input, "never") {
        input.parse::<Ident>()?;
        return Ok(Cond::Never);
    }
    if !input.peek(Ident) {
        return Err(input.error("expected a condition: a field test such as `destination == CN`, `!`, `(`, `always` or `never`"));
    }
    let field = field_path(input)?;
    let op = operator(input)?;
    Ok(Cond::Test { field, op })
}

/// A field name, with facts of parties and lists after dots: `end_user.headquarters`, `item.nl`.
fn field_path(input: ParseStream) -> syn::Result<FieldPath> {
    let first: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    let mut text = first.to_string();
    let mut tokens = quote::quote!(#first);
    while input.peek(Token![.]) && !input.peek(Token![..]) && input.peek2(Ident) {
        let dot: Token![.] = input.parse()?;
        let next: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        text.push('.');
        text.push_str(&next.to_string());
        tokens.extend(quote::quote!(#dot #next));
    }
    Ok(FieldPath { text, tokens })
}

fn at_term_end(input: ParseStream) -> bool {
    input.is_empty()
        || input.peek(Token![&&])
        || input.peek(Token![||])
        || peek_word(input, "and")
        || peek_word(input, "or")
}

fn operator(input: ParseStream) -> syn::Result<Op> {
    use control_core::CmpOp;
    if at_term_end(input) {
        return Ok(Op::IsTrue);
    }
    if input.peek(Token![==]) {
        input.parse::<Token![==]>()?;
        return Ok(Op::Eq(value(input)?));
    }
    if input.peek(Token![!=]) {
        input.parse::<Token![!=]>()?;
        return Ok(Op::Ne(value(input)?));
    }
    for (op, sym) in [
        (CmpOp::Le, "<="),
        (CmpOp::Ge, ">="),
        (CmpOp::Lt, "<"),
        (CmpOp::Gt, ">"),
    ] {
        let fork = input.fork();
        let tokens = match sym {
            "<=" => fork.parse::<Token![<=]>().map(|t| quote::quote!(#t)),
            ">=" => fork.parse::<Token![>=]>().map(|t| quote::quote!(#t)),
            "<" => fork.parse::<Token![<]>().map(|t| quote::quote!(#t)),
            _ => fork.parse::<Token![>]>().map(|t| quote::quote!(#t)),
        };
        if let Ok(tokens) = tokens {
            use syn::parse::discouraged::Speculative;
            input.advance_to(&fork);
            return Ok(Op::Cmp(op, tokens, value(input)?));
        }
    }
    if input.peek(Token![in]) {
        input.parse::<Token![in]>()?;
        return in_rest(input, false);
    }
    if peek_word(input, "not") {
        input.parse::<Ident>()?;
        input.parse::<Token![in]>()?;
        return in_rest(input, true);
    }
    if peek_word(input, "under") {
        input.parse::<Ident>()?;
        return Ok(Op::Under(value(input)?));
    }
    Err(input.error("expected an operator: `==`, `!=`, `<`, `<=`, `>`, `>=`, `in [..]`, `not in [..]`, `in group ..`, `in lo..hi` or `under`"))
}

fn in_rest(input: ParseStream, negated: bool) -> syn::Result<Op> {
    if input.peek(syn::token::Bracket) {
        let l = list(input)?;
        return Ok(if negated { Op::NotIn(l) } else { Op::In(l) });
    }
    if peek_word(input, "group") {
        input.parse::<Ident>()?;
        let g = value(input)?;
        return Ok(if negated {
            Op::NotInGroup(g)
        } else {
            Op::InGroup(g)
        });
    }
    if negated {
        return Err(input.error("expected a list `[..]` or `group NAME` after `not in`"));
    }
    let lo = value(input)?;
    let inclusive = if input.peek(Token![..=]) {
        input.parse::<Token![..=]>()?;
        true
    } else if input.peek(Token![..]) {
        input.parse::<Token![..]>()?;
        false
    } else {
        return Err(input.error("expected a list `[..]`, `group NAME`, or a range `lo..hi`"));
    };
    Ok(Op::Range {
        lo,
        hi: value(input)?,
        inclusive,
    })
}
