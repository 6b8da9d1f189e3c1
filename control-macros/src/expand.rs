//! Generates Rust from checked rule sets: a struct per schema (with its enums), and per rule set a unit type
//! implementing `::control_core::Evaluator` with one predicate per rule, a dispatch table on the first level
//! of the control code, and no allocation on the `decide` path. Generated code names only absolute paths.

use std::cell::RefCell;
use std::collections::BTreeMap;

use control_core::{
    CmpOp, Condition, Country, FieldType, Rule, RuleSet, Schema, Status, Test, Treatment, Value,
};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use crate::ast::{RuleSetDecl, SchemaDecl};
use crate::lower::{Checked, SchemaInfo};

/// An identifier for a name from the rule block (raw if it is a keyword).
pub fn ident(name: &str, span: Span) -> Ident {
    syn::parse_str::<Ident>(name)
        .map(|mut i| {
            i.set_span(span);
            i
        })
        .unwrap_or_else(|_| Ident::new_raw(name, span))
}

/// The Rust field of a schema field: a dot (`end_user.headquarters`, a fact of a party in a role) becomes `_`.
pub fn rust_field(name: &str, span: Span) -> Ident {
    ident(&name.replace('.', "_"), span)
}

/// `in_country_transfer` → `InCountryTransfer`.
pub fn camel(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn docs(lines: &[String]) -> TokenStream {
    lines.iter().map(|l| quote!(#[doc = #l])).collect()
}

/// The struct and enums of a declared schema, with `CaseView` and `CaseType`.
pub fn schema(decl: &SchemaDecl, info: &SchemaInfo<'_>) -> TokenStream {
    let schema = &info.schema;
    let name = &decl.name;
    let vis = &decl.vis;
    let doc = docs(&decl.docs);
    let json = serde_json_string(schema);
    let mut enums = TokenStream::new();
    let mut fields = TokenStream::new();
    let mut getters = TokenStream::new();
    for (i, (f, fd)) in schema.fields.iter().zip(&decl.fields).enumerate() {
        let fname = ident(&f.name, fd.name.span());
        let fdoc = docs(&fd.docs);
        let ty = match &f.ty {
            FieldType::Enum {
                name: ename,
                variants,
            } => {
                let ename = ident(ename, Span::call_site());
                let vs: Vec<Ident> = variants
                    .iter()
                    .map(|v| ident(&camel(v), Span::call_site()))
                    .collect();
                let names = variants;
                let idx: Vec<usize> = (0..variants.len()).collect();
                let edoc = format!("Values of `{}` in schema `{}`.", fd.name, schema.name);
                enums.extend(quote! {
                    #[doc = #edoc]
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    #vis enum #ename { #(#[doc = #names] #vs,)* }
                    impl #ename {
                        /// Every value, in declaration order.
                        pub const ALL: &'static [#ename] = &[#(#ename::#vs,)*];
                        /// The names the rule block uses.
                        pub const NAMES: &'static [&'static str] = &[#(#names,)*];
                        /// This value's name in the rule block.
                        pub const fn name(self) -> &'static str { Self::NAMES[self as usize] }
                        /// The value called `name`.
                        pub fn from_name(name: &str) -> ::core::option::Option<Self> {
                            match name { #(#names => ::core::option::Option::Some(#ename::#vs),)* _ => ::core::option::Option::None }
                        }
                    }
                });
                let _ = idx;
                quote!(#ename)
            }
            other => rust_type(other),
        };
        fields.extend(quote! { #fdoc pub #fname: #ty, });
        let get = match &f.ty {
            FieldType::Bool => quote!(::control_core::ValueRef::Bool(self.#fname)),
            FieldType::Int => quote!(::control_core::ValueRef::Int(self.#fname)),
            FieldType::Decimal => quote!(::control_core::ValueRef::Decimal(self.#fname)),
            FieldType::Date => quote!(::control_core::ValueRef::Date(self.#fname)),
            FieldType::Country => quote!(::control_core::ValueRef::Country(self.#fname)),
            FieldType::Code => quote!(::control_core::ValueRef::Code(self.#fname)),
            FieldType::Party => quote!(::control_core::ValueRef::Party(self.#fname.as_str())),
            FieldType::Enum { .. } => quote!(::control_core::ValueRef::Enum(self.#fname as u32)),
        };
        getters.extend(quote!(#i => #get,));
    }
    quote! {
        #enums
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #vis struct #name { #fields }
        impl #name {
            /// The schema of these cases, as the rule sets over them see it.
            pub fn schema() -> &'static ::control_core::Schema {
                static SCHEMA: ::std::sync::OnceLock<::control_core::Schema> = ::std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| ::control_core::__private_v0_1::schema_from_json(#json))
            }
        }
        impl ::control_core::CaseView for #name {
            #[inline]
            fn get(&self, field: ::control_core::FieldId) -> ::core::option::Option<::control_core::ValueRef<'_>> {
                ::core::option::Option::Some(match field { #getters _ => return ::core::option::Option::None })
            }
        }
        impl ::control_core::CaseType for #name {
            fn check_schema(schema: &::control_core::Schema) -> ::core::result::Result<(), ::control_core::SchemaMismatch> {
                if schema == Self::schema() {
                    ::core::result::Result::Ok(())
                } else {
                    ::core::result::Result::Err(::control_core::SchemaMismatch {
                        rule_set: ::std::string::String::new(),
                        schema: schema.name.clone(),
                        case_type: ::core::stringify!(#name),
                    })
                }
            }
        }
    }
}

fn serde_json_string(schema: &Schema) -> String {
    // The schema's JSON form is the one `control_core::Schema` deserialises.
    control_core::json::schema_to_json(schema)
}

fn rust_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Bool => quote!(bool),
        FieldType::Int => quote!(i64),
        FieldType::Decimal => quote!(::control_core::Decimal),
        FieldType::Date => quote!(::control_core::jiff::civil::Date),
        FieldType::Country => quote!(::control_core::Country),
        FieldType::Code => quote!(::control_core::ControlCode),
        FieldType::Party => quote!(::control_core::PartyId),
        FieldType::Enum { name, .. } => {
            let i = ident(name, Span::call_site());
            quote!(#i)
        }
    }
}

/// The case type of a rule set: `::control_core::Transaction` or the block's schema struct.
fn case_type(checked: &Checked<'_>, schemas: &[SchemaInfo<'_>]) -> TokenStream {
    match checked.schema.and_then(|i| schemas[i].decl) {
        Some(decl) => {
            let n = &decl.name;
            quote!(#n)
        }
        None => quote!(::control_core::Transaction),
    }
}

/// The declared rule set type with an `Evaluator` that cannot run, for a block with errors: the rest of the
/// user's crate still type-checks against it while the errors are fixed.
pub fn fallback(checked: &Checked<'_>, schemas: &[SchemaInfo<'_>]) -> TokenStream {
    let decl = checked.decl;
    let (name, vis, doc) = (&decl.name, &decl.vis, docs(&decl.docs));
    let case = case_type(checked, schemas);
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #name;
        impl #name {
            /// The rule set's IR, as JSON (none: the rule set has compile errors).
            pub const JSON: &'static str = "";
            /// The rule set's IR (none: the rule set has compile errors).
            pub fn ir() -> &'static ::control_core::RuleSet {
                ::core::unreachable!("the rule set has compile errors")
            }
        }
        impl ::control_core::Evaluator for #name {
            type Case = #case;
            fn rule_set(&self) -> &::control_core::RuleSet {
                ::core::unreachable!("the rule set has compile errors")
            }
            fn decide<'r>(&'r self, _: &#case, _: &::control_core::Scenario) -> ::control_core::Decision<'r> {
                ::core::unreachable!("the rule set has compile errors")
            }
        }
    }
}

/// The evaluator of a checked rule set.
pub fn rule_set(checked: &Checked<'_>, ir: &RuleSet, schemas: &[SchemaInfo<'_>]) -> TokenStream {
    let decl: &RuleSetDecl = checked.decl;
    let (name, vis) = (&decl.name, &decl.vis);
    let mut doc_lines = decl.docs.clone();
    doc_lines.push(String::new());
    doc_lines.push(format!(
        "Regime `{}`; {} rules, checked at compile time: no contradiction, no dead rule{}.",
        ir.regime(),
        ir.rules().len(),
        if decl.complete.is_some() {
            ", no gap"
        } else {
            ""
        }
    ));
    let doc = docs(&doc_lines);
    let case = case_type(checked, schemas);
    let json = control_core::json::to_json(ir);
    let schema = ir.schema();
    let eff = match schema.case_date_field() {
        Some(f) => {
            let f = rust_field(&schema.fields[f].name, Span::call_site());
            quote!(scenario.as_of.or(::core::option::Option::Some(case.#f)))
        }
        None => quote!(scenario.as_of),
    };

    let tr = ir.treatments();
    let consts = RefCell::new(Consts::default());
    let jurisdiction = cond_expr(schema, tr, &consts, ir.applies_when());
    let mut preds = TokenStream::new();
    for (i, r) in ir.rules().iter().enumerate() {
        let f = format_ident!("__rule_{}", i);
        let body = rule_expr(schema, tr, &consts, r);
        let rname = &r.name;
        let span = decl.rules[i].name.span();
        preds.extend(quote_spanned! {span=>
            #[doc = #rname]
            #[inline]
            fn #f(case: &#case, scenario: &::control_core::Scenario, eff: ::core::option::Option<::control_core::jiff::civil::Date>) -> bool {
                let _ = (case, scenario, eff);
                #body
            }
        });
    }

    let consts = consts.into_inner().defs;

    // Dispatch on the first level of the code field most rules constrain.
    let (dispatch_field, groups, always) = dispatch(schema, ir.rules());
    let push = |i: &usize| {
        let f = format_ident!("__rule_{}", i);
        let id = *i as u32;
        quote! { if #f(case, scenario, eff) { applying[n] = #id; n += 1; } }
    };
    let always_code: TokenStream = always.iter().map(push).collect();
    let max_group = groups.values().map(Vec::len).max().unwrap_or(0);
    let capacity = always.len() + max_group;
    let dispatch_code = match dispatch_field {
        Some(field) if !groups.is_empty() => {
            let f = rust_field(&schema.fields[field].name, Span::call_site());
            let roots: Vec<&String> = groups.keys().collect();
            let arms: TokenStream = groups
                .values()
                .enumerate()
                .map(|(g, rules)| {
                    let body: TokenStream = rules.iter().map(push).collect();
                    quote!(#g => { #body })
                })
                .collect();
            // Roots of at most 8 bytes (all ECCNs) dispatch on packed integers; longer ones on their text.
            let keys: Option<Vec<u64>> = roots
                .iter()
                .map(|r| ::control_core::__private_v0_1::root_key_of(r))
                .collect();
            match keys {
                Some(keys) => quote! {
                    const ROOTS: &[u64] = &[#(#keys,)*];
                    if let ::core::option::Option::Some(key) = ::control_core::__private_v0_1::code_root_key(&case.#f) {
                        if let ::core::result::Result::Ok(group) = ROOTS.binary_search(&key) {
                            match group { #arms _ => {} }
                        }
                    }
                },
                None => quote! {
                    const ROOTS: &[&str] = &[#(#roots,)*];
                    if let ::core::result::Result::Ok(group) = ROOTS.binary_search(&::control_core::__private_v0_1::code_root(&case.#f)) {
                        match group { #arms _ => {} }
                    }
                },
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #name;

        impl #name {
            /// The rule set's IR, as JSON; [`Self::ir`] parses it once.
            pub const JSON: &'static str = #json;

            /// The rule set's IR: rules, citations, metadata. Built on first use, then shared.
            pub fn ir() -> &'static ::control_core::RuleSet {
                static IR: ::std::sync::OnceLock<::control_core::RuleSet> = ::std::sync::OnceLock::new();
                IR.get_or_init(|| ::control_core::__private_v0_1::ir_from_json(Self::JSON))
            }
        }

        const _: () = {
            #consts
            #preds

            impl ::control_core::Evaluator for #name {
                type Case = #case;

                fn rule_set(&self) -> &::control_core::RuleSet {
                    #name::ir()
                }

                #[inline]
                fn in_jurisdiction(&self, case: &#case, scenario: &::control_core::Scenario) -> bool {
                    let eff: ::core::option::Option<::control_core::jiff::civil::Date> = #eff;
                    let _ = eff;
                    // A case outside the domain the analysis checked is decided (as unfit), never "outside".
                    !::control_core::CaseType::fits(case, #name::ir().schema()) || (#jurisdiction)
                }

                fn decide<'r>(&'r self, case: &#case, scenario: &::control_core::Scenario) -> ::control_core::Decision<'r> {
                    if !::control_core::CaseType::fits(case, #name::ir().schema()) {
                        return ::control_core::Decision::new(
                            #name::ir(),
                            ::control_core::Verdict::Unfit,
                            ::control_core::RuleIds::EMPTY,
                        );
                    }
                    let eff: ::core::option::Option<::control_core::jiff::civil::Date> = #eff;
                    let mut applying = [0u32; #capacity];
                    let mut n = 0usize;
                    #always_code
                    #dispatch_code
                    ::control_core::__private_v0_1::finish(#name::ir(), &mut applying[..n])
                }
            }
        };
    }
}

/// The code field to dispatch on, the rules per first-level code (sorted), and the rules to try always.
fn dispatch(
    schema: &Schema,
    rules: &[Rule],
) -> (Option<usize>, BTreeMap<String, Vec<usize>>, Vec<usize>) {
    let code_fields: Vec<usize> = schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.ty == FieldType::Code)
        .map(|(i, _)| i)
        .collect();
    let best = code_fields.iter().copied().max_by_key(|&f| {
        rules
            .iter()
            .filter(|r| r.when.code_roots(f).is_some())
            .count()
    });
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut always = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        match best.and_then(|f| r.when.code_roots(f)) {
            Some(rs) => {
                for root in rs {
                    groups.entry(root).or_default().push(i);
                }
            }
            None => always.push(i),
        }
    }
    (best, groups, always)
}

fn rule_expr(schema: &Schema, tr: &[Treatment], k: &RefCell<Consts>, r: &Rule) -> TokenStream {
    let cond = cond_expr(schema, tr, k, &r.when);
    let status = match r.status {
        Status::InForce => quote!(true),
        Status::Proposed => quote!(scenario.proposals),
    };
    let period = if r.period.is_always() {
        quote!(true)
    } else {
        let from = r.period.from.map(|d| {
            let d = k.borrow_mut().date(d);
            quote!(d >= #d)
        });
        let until = r.period.until.map(|d| {
            let d = k.borrow_mut().date(d);
            quote!(d < #d)
        });
        let parts: Vec<TokenStream> = from.into_iter().chain(until).collect();
        on_date(quote!(#(#parts)&&*))
    };
    quote!(#status && #period && #cond)
}

/// Whether the effective date `eff` is known and `test` (on `d`, the date) holds; a `match`, not a closure, so
/// that rustc checks one body per rule, not one per dated test.
fn on_date(test: TokenStream) -> TokenStream {
    quote!(match eff { ::core::option::Option::Some(d) => #test, ::core::option::Option::None => false })
}

/// The constants a rule set's predicates share, each defined once: dates and country sets. Large rule books
/// repeat a few of each in thousands of rules; one definition each keeps `cargo check` short.
#[derive(Default)]
struct Consts {
    dates: BTreeMap<control_core::jiff::civil::Date, Ident>,
    sets: BTreeMap<Vec<Country>, Ident>,
    defs: TokenStream,
}

impl Consts {
    /// The constant holding `d`.
    fn date(&mut self, d: control_core::jiff::civil::Date) -> Ident {
        if let Some(i) = self.dates.get(&d) {
            return i.clone();
        }
        let i = format_ident!("__DATE_{}", self.dates.len());
        let v = date(d);
        self.defs
            .extend(quote!(const #i: ::control_core::jiff::civil::Date = #v;));
        self.dates.insert(d, i.clone());
        i
    }

    /// The constant set of `countries`.
    fn set(&mut self, countries: impl IntoIterator<Item = Country>) -> Ident {
        let mut key: Vec<Country> = countries.into_iter().collect();
        key.sort();
        key.dedup();
        if let Some(i) = self.sets.get(&key) {
            return i.clone();
        }
        let i = format_ident!("__SET_{}", self.sets.len());
        let cs = key.iter().map(|c| value_expr(&Value::Country(*c)));
        self.defs.extend(
            quote!(const #i: ::control_core::CountrySet = ::control_core::CountrySet::of(&[#(#cs,)*]);),
        );
        self.sets.insert(key, i.clone());
        i
    }
}

fn date(d: control_core::jiff::civil::Date) -> TokenStream {
    let (y, m, day) = (d.year(), d.month(), d.day());
    quote!(::control_core::jiff::civil::date(#y, #m, #day))
}

fn cond_expr(schema: &Schema, tr: &[Treatment], k: &RefCell<Consts>, c: &Condition) -> TokenStream {
    match c {
        Condition::Always => quote!(true),
        Condition::All(cs) if cs.is_empty() => quote!(true),
        Condition::Any(cs) if cs.is_empty() => quote!(false),
        Condition::All(cs) => {
            let parts = cs.iter().map(|c| cond_expr(schema, tr, k, c));
            quote!((#(#parts)&&*))
        }
        Condition::Any(cs) => {
            let parts = cs.iter().map(|c| cond_expr(schema, tr, k, c));
            quote!((#(#parts)||*))
        }
        Condition::Not(c) => {
            let inner = cond_expr(schema, tr, k, c);
            quote!((!#inner))
        }
        Condition::Test { field, test } => test_expr(schema, tr, k, *field, test),
    }
}

fn value_expr(v: &Value) -> TokenStream {
    match v {
        Value::Bool(b) => quote!(#b),
        Value::Int(i) => quote!(#i),
        Value::Decimal(d) => {
            let u = d.units();
            quote!(::control_core::__private_v0_1::decimal(#u))
        }
        Value::Date(d) => date(*d),
        Value::Country(c) => {
            let c = ident(c.code(), Span::call_site());
            quote!(::control_core::Country::#c)
        }
        Value::Code(c) => {
            let s = c.as_str();
            quote!(#s)
        }
        Value::Party(p) => {
            let s = p.as_str();
            quote!(#s)
        }
        Value::Enum(i) => quote!(#i),
    }
}

fn test_expr(
    schema: &Schema,
    tr: &[Treatment],
    k: &RefCell<Consts>,
    field: usize,
    test: &Test,
) -> TokenStream {
    let f = &schema.fields[field];
    let name = rust_field(&f.name, Span::call_site());
    // How the field reads for comparison with `value_expr`; a country reads treated territories as their
    // country from the treatment's date.
    let lhs = match f.ty {
        FieldType::Code | FieldType::Party => quote!(case.#name.as_str()),
        FieldType::Enum { .. } => quote!((case.#name as u32)),
        FieldType::Country if !tr.is_empty() => {
            let arms = tr.iter().map(|t| {
                let (from, to) = (
                    value_expr(&Value::Country(t.territory)),
                    value_expr(&Value::Country(t.as_country)),
                );
                let d = k.borrow_mut().date(t.from);
                let on = on_date(quote!(d >= #d));
                quote!(if c == #from && #on { #to } else)
            });
            quote!({ let c = case.#name; #(#arms)* { c } })
        }
        _ => quote!(case.#name),
    };
    match test {
        Test::Eq(v) => {
            let v = value_expr(v);
            quote!((#lhs == #v))
        }
        Test::In { values, .. } if f.ty == FieldType::Country => {
            let set = k.borrow_mut().set(values.iter().filter_map(|v| match v {
                Value::Country(c) => Some(*c),
                _ => None,
            }));
            quote!(#set.contains(#lhs))
        }
        Test::In { values, .. } => {
            if values.is_empty() {
                return quote!(false);
            }
            let vs = values.iter().map(value_expr);
            quote!({ let x = #lhs; #(x == #vs)||* })
        }
        Test::InGroup { members, .. } => {
            let set = k.borrow_mut().set(members.always.iter());
            // Members for a period only: the country and the effective date both.
            let dated: Vec<TokenStream> = members
                .dated
                .iter()
                .map(|(c, p)| {
                    let c = value_expr(&Value::Country(*c));
                    let from = p.from.map(|d| {
                        let d = k.borrow_mut().date(d);
                        quote!(&& d >= #d)
                    });
                    let until = p.until.map(|d| {
                        let d = k.borrow_mut().date(d);
                        quote!(&& d < #d)
                    });
                    let on = on_date(quote!(true #from #until));
                    quote!(|| (x == #c && #on))
                })
                .collect();
            if dated.is_empty() {
                quote!(#set.contains(#lhs))
            } else {
                quote!({ let x = #lhs; #set.contains(x) #(#dated)* })
            }
        }
        Test::Under(code) => {
            let s = code.as_str();
            quote!(::control_core::__private_v0_1::code_is_under(&case.#name, #s))
        }
        Test::Cmp(op, v) => {
            let v = value_expr(v);
            let op = match op {
                CmpOp::Lt => quote!(<),
                CmpOp::Le => quote!(<=),
                CmpOp::Gt => quote!(>),
                CmpOp::Ge => quote!(>=),
            };
            quote!((#lhs #op #v))
        }
    }
}
