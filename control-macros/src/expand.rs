//! Generates Rust from checked rule sets: a struct per schema (with its enums), and per rule set a unit type
//! implementing `::control_core::Evaluator` with one predicate per rule, a dispatch table on the first level
//! of the control code, and no allocation on the `decide` path. Generated code names only absolute paths.

use std::cell::RefCell;
use std::collections::BTreeMap;

use control_core::{
    CmpOp, Condition, Country, FieldType, Rule, RuleSet, Schema, Status, Test, Treatment, Value,
};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
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
    let (dispatch_field, groups, always) = dispatch(schema, ir.rules());
    let tables = match &decl.evaluator {
        Some(how) => how == "table",
        None => ir.rules().len() > TABLES_ABOVE,
    };
    let max_group = groups.values().map(Vec::len).max().unwrap_or(0);
    // Tables dispatch on packed roots only; with a longer root they try every rule.
    let capacity = if tables
        && groups
            .keys()
            .any(|r| control_core::__private_v0_1::root_key_of(r).is_none())
    {
        ir.rules().len()
    } else {
        always.len() + max_group
    };

    // The rules: one predicate each, or one table for all. `rules` defines them; `run(ids)` adds those of `ids`
    // that apply to `applying[..n]`.
    // With tables, the matcher dispatches too: the generated `decide` hands it the case's packed code root.
    let table_dispatch = tables && dispatch_field.is_some();
    let (rules, always_code, group_code): (TokenStream, TokenStream, TokenStream) = if tables {
        let table = Table::build(schema, &consts, ir.rules(), &groups, &always);
        let root = match dispatch_field {
            Some(field) if table.dispatches => {
                let f = rust_field(&schema.fields[field].name, Span::call_site());
                quote!(::control_core::__private_v0_1::code_root_key(&case.#f))
            }
            _ => quote!(::core::option::Option::None),
        };
        let tokens = table.tokens;
        let defs = quote! {
            use ::control_core::__private_v0_1::table::{Dated as __Dated, Tables as __Tables, Val as __Val};
            use ::control_core::Country as __Country;
            use ::core::option::Option::{None as __None, Some as __Some};
            static __TABLES: __Tables = #tokens;
        };
        let always_code = quote! {
            let env = ::control_core::Env::new(eff, #name::ir().treatments());
            n = __TABLES.applying(case, scenario, env, #root, &mut applying);
        };
        (defs, always_code, TokenStream::new())
    } else {
        let mut preds = TokenStream::new();
        for (i, r) in ir.rules().iter().enumerate() {
            // The predicate is named at the rule (where an error in it would point); its parameters and body
            // have the block's call-site hygiene, so a block written by a `macro_rules!` macro compiles too.
            let f = Ident::new(&format!("__rule_{i}"), decl.rules[i].name.span());
            let body = rule_expr(schema, tr, &consts, r);
            let rname = &r.name;
            preds.extend(quote! {
                #[doc = #rname]
                #[inline]
                fn #f(case: &#case, scenario: &::control_core::Scenario, eff: ::core::option::Option<::control_core::jiff::civil::Date>) -> bool {
                    let _ = (case, scenario, eff);
                    #body
                }
            });
        }
        let push = |i: &usize| {
            let f = format_ident!("__rule_{}", i);
            let id = *i as u32;
            quote! { if #f(case, scenario, eff) { applying[n] = #id; n += 1; } }
        };
        let always_code: TokenStream = always.iter().map(push).collect();
        let arms: TokenStream = groups
            .values()
            .enumerate()
            .map(|(g, rules)| {
                let body: TokenStream = rules.iter().map(push).collect();
                quote!(#g => { #body })
            })
            .collect();
        (preds, always_code, quote!(match group { #arms _ => {} }))
    };
    let consts = consts.into_inner().defs;

    // Dispatch on the first level of the code field most rules constrain.
    let dispatch_code = match dispatch_field {
        Some(field) if !groups.is_empty() && !table_dispatch => {
            let f = rust_field(&schema.fields[field].name, Span::call_site());
            let roots: Vec<&String> = groups.keys().collect();
            // Roots of at most 8 bytes (all ECCNs) dispatch on packed integers; longer ones on their text.
            let keys: Option<Vec<u64>> = roots
                .iter()
                .map(|r| ::control_core::__private_v0_1::root_key_of(r))
                .collect();
            match keys {
                Some(keys) => {
                    let keys = int_list(keys);
                    quote! {
                        const ROOTS: &[u64] = &[#keys];
                        if let ::core::option::Option::Some(key) = ::control_core::__private_v0_1::code_root_key(&case.#f) {
                            if let ::core::result::Result::Ok(group) = ROOTS.binary_search(&key) {
                                #group_code
                            }
                        }
                    }
                }
                None => quote! {
                    const ROOTS: &[&str] = &[#(#roots,)*];
                    if let ::core::result::Result::Ok(group) = ROOTS.binary_search(&::control_core::__private_v0_1::code_root(&case.#f)) {
                        #group_code
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
            #rules

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
    sets: BTreeMap<Vec<Country>, usize>,
    /// The sets' constants, in the order they were first used.
    set_names: Vec<Ident>,
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
        let i = self.set_index(countries);
        self.set_names[i].clone()
    }

    /// The position of the constant set of `countries` among all sets (see [`Consts::set_names`]).
    fn set_index(&mut self, countries: impl IntoIterator<Item = Country>) -> usize {
        let mut key: Vec<Country> = countries.into_iter().collect();
        key.sort();
        key.dedup();
        if let Some(&i) = self.sets.get(&key) {
            return i;
        }
        let i = self.set_names.len();
        let name = format_ident!("__SET_{}", i);
        let cs = key.iter().map(|c| value_expr(&Value::Country(*c)));
        self.defs.extend(
            quote!(const #name: ::control_core::CountrySet = ::control_core::CountrySet::of(&[#(#cs,)*]);),
        );
        self.sets.insert(key, i);
        self.set_names.push(name);
        i
    }
}

/// Rule sets with more rules than this get [`Table`]s unless they say `evaluator inline;`.
pub const TABLES_ABOVE: usize = 256;

/// The tables of `control_core::__private_v0_1::table` for a rule set: every rule's status, period and
/// condition as constant data, which one generic matcher evaluates, with the dispatch index. Rules, nodes and
/// the index are byte strings; the values, lists, sets, groups and periods they point to are written once each,
/// as text handed to the compiler in one piece (building tokens one at a time through the proc-macro bridge
/// costs more than checking them).
struct Table<'a> {
    schema: &'a Schema,
    consts: &'a RefCell<Consts>,
    nodes: Vec<u8>,
    node_count: u32,
    values: Text,
    lists: Text,
    groups: Text,
    dated: Vec<String>,
    periods: Text,
}

/// Entries of a typed table as text, each once.
#[derive(Default)]
struct Text {
    index: std::collections::HashMap<String, u32>,
    text: String,
    len: u32,
}

impl Text {
    /// The position of `entry`, added if new.
    fn of(&mut self, entry: String) -> u32 {
        if let Some(&i) = self.index.get(&entry) {
            return i;
        }
        self.text += &entry;
        self.text.push(',');
        self.index.insert(entry, self.len);
        self.len += 1;
        self.len - 1
    }

    /// Appends `entries` as a run (not shared); returns its start.
    fn run(&mut self, entries: impl IntoIterator<Item = String>) -> u32 {
        let start = self.len;
        for e in entries {
            self.text += &e;
            self.text.push(',');
            self.len += 1;
        }
        start
    }
}

/// A rule set's tables as a `Tables` expression, and whether they dispatch on code roots.
struct Built {
    tokens: TokenStream,
    dispatches: bool,
}

impl<'a> Table<'a> {
    fn build(
        schema: &'a Schema,
        consts: &'a RefCell<Consts>,
        rules: &[Rule],
        groups: &BTreeMap<String, Vec<usize>>,
        always: &[usize],
    ) -> Built {
        use control_core::__private_v0_1::table;
        let mut t = Table {
            schema,
            consts,
            nodes: Vec::new(),
            node_count: 0,
            values: Text::default(),
            lists: Text::default(),
            groups: Text::default(),
            dated: Vec::new(),
            periods: Text::default(),
        };
        let mut rows = Vec::with_capacity(rules.len() * table::RULE_BYTES);
        for r in rules {
            let period = format!(
                "({}, {})",
                t.opt_date(r.period.from),
                t.opt_date(r.period.until)
            );
            let period = t.periods.of(period);
            let when = t.node_count;
            t.node(&r.when);
            table::push_rule(&mut rows, r.status == Status::Proposed, period, when);
        }
        // The dispatch index: roots packed into integers, sorted as their texts are; a root longer than a
        // packed key leaves every rule to be tried for every case.
        let keys: Option<Vec<u64>> = groups
            .keys()
            .map(|r| control_core::__private_v0_1::root_key_of(r))
            .collect();
        let (mut always_ids, mut roots, mut root_at, mut by_root) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let dispatches = keys.is_some();
        let u32_of = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        match keys {
            Some(keys) => {
                for &i in always {
                    always_ids.extend_from_slice(&u32_of(i).to_le_bytes());
                }
                let mut at = 0usize;
                for (key, ids) in keys.iter().zip(groups.values()) {
                    roots.extend_from_slice(&key.to_be_bytes());
                    root_at.extend_from_slice(&u32_of(at).to_le_bytes());
                    for &i in ids {
                        by_root.extend_from_slice(&u32_of(i).to_le_bytes());
                    }
                    at += ids.len();
                }
                root_at.extend_from_slice(&u32_of(at).to_le_bytes());
            }
            None => {
                for i in 0..rules.len() {
                    always_ids.extend_from_slice(&u32_of(i).to_le_bytes());
                }
            }
        }
        let bytes = |b: &[u8]| proc_macro2::Literal::byte_string(b);
        let (rules, nodes) = (bytes(&rows), bytes(&t.nodes));
        let (always, roots, root_at, by_root) = (
            bytes(&always_ids),
            bytes(&roots),
            bytes(&root_at),
            bytes(&by_root),
        );
        let sets = consts.borrow().set_names.clone();
        let (periods, values, lists, groups, dated) = (
            tokens(&t.periods.text),
            tokens(&t.values.text),
            tokens(&t.lists.text),
            tokens(&t.groups.text),
            tokens(&t.dated.concat()),
        );
        Built {
            tokens: quote! {
                __Tables {
                    rules: #rules,
                    nodes: #nodes,
                    periods: &[#periods],
                    values: &[#values],
                    lists: &[#lists],
                    sets: &[#(#sets,)*],
                    groups: &[#groups],
                    dated: &[#dated],
                    always: #always,
                    roots: #roots,
                    root_at: #root_at,
                    by_root: #by_root,
                }
            },
            dispatches,
        }
    }

    fn opt_date(&self, d: Option<control_core::jiff::civil::Date>) -> String {
        match d {
            Some(d) => format!("__Some({})", self.consts.borrow_mut().date(d)),
            None => "__None".to_string(),
        }
    }

    /// Appends the nodes of `c`; returns how many.
    fn node(&mut self, c: &Condition) -> u32 {
        use control_core::__private_v0_1::table::{kind, push_node, set_arg};
        let (k, children): (u8, &[Condition]) = match c {
            Condition::Always => return self.push(kind::TRUE, 0, 0),
            Condition::All(cs) if cs.is_empty() => return self.push(kind::TRUE, 0, 0),
            Condition::Any(cs) if cs.is_empty() => return self.push(kind::FALSE, 0, 0),
            Condition::All(cs) => (kind::ALL, cs),
            Condition::Any(cs) => (kind::ANY, cs),
            Condition::Not(c) => (kind::NOT, std::slice::from_ref(&**c)),
            Condition::Test { field, test } => {
                let (k, arg) = self.test(*field, test);
                let field = u32::try_from(*field).unwrap_or(u32::MAX);
                return self.push(k, field, arg);
            }
        };
        // The length comes first but is known last.
        let at = self.node_count as usize;
        push_node(&mut self.nodes, k, 0, 0);
        self.node_count += 1;
        let len = 1 + children.iter().map(|c| self.node(c)).sum::<u32>();
        set_arg(&mut self.nodes, at, len);
        len
    }

    fn push(&mut self, kind: u8, field: u32, arg: u32) -> u32 {
        control_core::__private_v0_1::table::push_node(&mut self.nodes, kind, field, arg);
        self.node_count += 1;
        1
    }

    /// The node kind and argument of a test.
    fn test(&mut self, field: usize, test: &Test) -> (u8, u32) {
        use control_core::__private_v0_1::table::kind;
        let is_country = self.schema.fields[field].ty == FieldType::Country;
        match test {
            Test::Eq(v) => (kind::EQ, self.value(v)),
            Test::In { values, .. } if is_country => {
                let set =
                    self.consts
                        .borrow_mut()
                        .set_index(values.iter().filter_map(|v| match v {
                            Value::Country(c) => Some(*c),
                            _ => None,
                        }));
                (kind::IN_SET, u32::try_from(set).unwrap_or(u32::MAX))
            }
            Test::In { values, .. } => {
                let texts: Vec<String> = values.iter().map(|v| self.val(v)).collect();
                let key = texts.concat();
                let list = match self.lists.index.get(&key) {
                    Some(&i) => i,
                    None => {
                        let start = self.values.run(texts);
                        let i = self.lists.run([format!("({start}, {})", values.len())]);
                        self.lists.index.insert(key, i);
                        i
                    }
                };
                (kind::IN, list)
            }
            Test::InGroup { members, .. } => {
                let set = self.consts.borrow_mut().set_index(members.always.iter());
                let dated: Vec<String> = members
                    .dated
                    .iter()
                    .map(|(c, p)| {
                        let (from, until) = (self.opt_date(p.from), self.opt_date(p.until));
                        format!(
                            "__Dated {{ country: __Country::{}, from: {from}, until: {until} }},",
                            c.code()
                        )
                    })
                    .collect();
                let key = format!("{set}:{}", dated.concat());
                let group = match self.groups.index.get(&key) {
                    Some(&i) => i,
                    None => {
                        let start = self.dated.len();
                        let len = dated.len();
                        self.dated.extend(dated);
                        let i = self.groups.run([format!("({set}, {start}, {len})")]);
                        self.groups.index.insert(key, i);
                        i
                    }
                };
                (kind::IN_GROUP, group)
            }
            Test::Under(code) => (kind::UNDER, self.value(&Value::Code(*code))),
            Test::Cmp(op, v) => {
                let k = match op {
                    CmpOp::Lt => kind::LT,
                    CmpOp::Le => kind::LE,
                    CmpOp::Gt => kind::GT,
                    CmpOp::Ge => kind::GE,
                };
                (k, self.value(v))
            }
        }
    }

    /// The position of `v` in the values table.
    fn value(&mut self, v: &Value) -> u32 {
        let text = self.val(v);
        self.values.of(text)
    }

    fn val(&self, v: &Value) -> String {
        match v {
            Value::Bool(b) => format!("__Val::Bool({b})"),
            Value::Int(i) => format!("__Val::Int({i})"),
            Value::Decimal(d) => format!("__Val::Decimal({})", d.units()),
            Value::Date(d) => format!("__Val::Date({})", self.consts.borrow_mut().date(*d)),
            Value::Country(c) => format!("__Val::Country(__Country::{})", c.code()),
            Value::Code(c) => format!("__Val::Code({:?})", c.as_str()),
            Value::Party(p) => format!("__Val::Party({:?})", p.as_str()),
            Value::Enum(i) => format!("__Val::Enum({i})"),
        }
    }
}

/// Rust source the expansion wrote as text, as tokens (call-site spans). The text is ours, so it always
/// parses; if it did not, the error names the bug instead of panicking.
fn tokens(text: &str) -> TokenStream {
    // Inside the compiler, its own lexer: proc_macro2's `parse` first re-lexes the text to validate it, which
    // for a large rule set took longer than everything else the expansion does.
    if proc_macro::is_available()
        && let Ok(ts) = text.parse::<proc_macro::TokenStream>()
    {
        return ts.into();
    }
    text.parse().unwrap_or_else(|e| {
        let msg =
            format!("control_macros wrote tables that do not parse ({e}); please report this");
        quote!(::core::compile_error!(#msg))
    })
}

/// Integers as the text of a `[u32]` or `[u64]` literal's elements.
fn int_list<T: std::fmt::Display>(xs: impl IntoIterator<Item = T>) -> TokenStream {
    let mut s = String::new();
    for x in xs {
        s += &x.to_string();
        s.push(',');
    }
    tokens(&s)
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
