//! `rules!`: export-control rule blocks in Rust source, checked at compile time and expanded to specialised,
//! allocation-free evaluators.
//!
//! A block declares rule sets (and, if the built-in [`Transaction`](control_core::Transaction) schema does not
//! fit, its own schemas). At expansion time every name, value, date and code is checked, and the rule set is
//! handed to [`control_core::analysis`]: two rules that contradict each other, a rule that can never decide a
//! case, or (for a `complete` rule set) a case no rule decides, is a compile error that shows a concrete case.
//! All errors of a block come out together, each at the offending token; the declared types are emitted anyway
//! so that the rest of the crate keeps type-checking.
//!
//! The crate that uses `rules!` depends on `control-core` too: generated code names `::control_core` paths.
//!
//! # Example: the seed scenario's Dutch servicing rules
//!
//! ```
//! use control_core::{Evaluator, Outcome, ReviewPolicy, Scenario, Transaction};
//!
//! control_macros::rules! {
//!     /// Netherlands: advanced semiconductor manufacturing equipment (Stcrt. 2023, 18212).
//!     pub rule_set NlServicing for Transaction {
//!         regime "NL";
//!         applies when exporter_country == NL;
//!         otherwise not_controlled;
//!
//!         /// Servicing restricted lithography tools already sold to Chinese customers needs a licence,
//!         /// granted leniently. Unconfirmed: no legal text found before September 2024.
//!         rule servicing_lithography_cn {
//!             citation "Report of 7 March 2024 (seed scenario, row 5)";
//!             from 2023-09-01;
//!             when activity == servicing && item under 3B001.f.4 && destination == CN;
//!             then licence_required(presumption_of_approval);
//!         }
//!
//!         /// Proposed at the US's request: tools bought before this year's controls, presumption of denial.
//!         rule servicing_pre_control_tools_cn {
//!             citation "Report of 7 March 2024 (seed scenario, row 6)";
//!             proposed;
//!             overrides servicing_lithography_cn;
//!             when activity == servicing and item under 3B001.f.4 and destination == CN
//!                 and contract_date < 2024-01-01;
//!             then licence_required(presumption_of_denial);
//!         }
//!     }
//! }
//!
//! # let case = Transaction::from_core_fields(serde_json::json!({
//! #   "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item.nl": "3B001.f.4",
//! #   "item_origin": "NL", "us_content": 8, "activity": "servicing", "destination": "CN", "end_user": "smic",
//! #   "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-05-01"})).unwrap();
//! let today = Scenario::CURRENT;
//! let d = NlServicing.decide(&case, &today);
//! assert_eq!(d.outcome(), Some(&Outcome::LicenceRequired(ReviewPolicy::PresumptionOfApproval)));
//! let d = NlServicing.decide(&case, &today.with_proposals());
//! assert_eq!(d.outcome(), Some(&Outcome::LicenceRequired(ReviewPolicy::PresumptionOfDenial)));
//! ```
//!
//! # Example: US advanced chips and the Entity List
//!
//! ```
//! control_macros::rules! {
//!     pub rule_set UsAdvancedComputing for Transaction {
//!         regime "US";
//!         applies when exporter_country == US or item_origin == US or us_content > 25%;
//!         otherwise not_controlled;
//!         party huawei = "Huawei Technologies Co., Ltd." aka "华为", "HiSilicon";
//!
//!         /// 3A090 chips and 4A090 computers to Macau or Country Group D:5.
//!         rule advanced_chips_d5 {
//!             citation "15 CFR 742.6(a)(6); 88 FR 73458";
//!             from 2023-11-17;
//!             when (item under 3A090 || item under 4A090)
//!                 && (destination in group EAR:D:5 || destination == MO);
//!             then licence_required(presumption_of_denial);
//!         }
//!
//!         /// Proposed by members of Congress: no dealings with Huawei at all.
//!         rule huawei_prohibition {
//!             citation "Report of 7 March 2024 (seed scenario, row 12)";
//!             proposed;
//!             overrides advanced_chips_d5;
//!             when end_user == huawei;
//!             then prohibited;
//!         }
//!     }
//! }
//! # use control_core::Evaluator;
//! # assert_eq!(UsAdvancedComputing.rule_set().rules().len(), 2);
//! ```
//!
//! # Example: a schema of one's own, and a complete rule set
//!
//! ```
//! control_macros::rules! {
//!     /// A shipment of photoresist (the Japanese chemicals proposal, seed scenario row 7).
//!     pub schema Shipment {
//!         to: Country,
//!         chemical: enum Chemical { photoresist, wet_etchant, other },
//!         purity: Decimal,
//!         #[case_date] shipped: Date,
//!     }
//!
//!     pub rule_set JpChemicals for Shipment {
//!         regime "JP";
//!         complete;
//!
//!         /// Today: photoresist is not on Japan's list (no control found as of March 2024).
//!         rule resist_today {
//!             when chemical == photoresist && to == CN;
//!             then not_controlled;
//!         }
//!         /// Proposed at the US's request (JSR, Shin-Etsu).
//!         rule resist_to_china {
//!             proposed;
//!             overrides resist_today;
//!             when chemical == photoresist && to == CN;
//!             then licence_required(case_by_case);
//!         }
//!         rule everything_else {
//!             when !(chemical == photoresist && to == CN);
//!             then not_controlled;
//!         }
//!     }
//! }
//! # let _ = Chemical::Photoresist;
//! ```
//!
//! # Grammar
//!
//! ```text
//! block      := item*
//! item       := doc* vis "schema" NAME "{" field ("," field)* ","? "}"
//!             | doc* vis "rule_set" NAME "for" SCHEMA "{" clause* rule* "}"
//! field      := doc* ("#[case_date]")? NAME ":" type
//! type       := "Country" | "Code" | "Date" | "Decimal" | "Int" | "i64" | "bool" | "Party"
//!             | "enum" NAME "{" NAME ("," NAME)* "}"
//! clause     := "regime" STRING ";"
//!             | "applies" "when" cond ";"
//!             | "otherwise" outcome ";" | "complete" ";" | "cumulative" ";"
//!             | "group" NAME "=" "[" country ("," country)* "]" ";"
//!             | "party" ID "=" STRING ("aka" STRING ("," STRING)*)? ";"
//!             | "evaluator" ("inline" | "table") ";"    (see Generated code)
//! rule       := doc* "rule" NAME "{" rule_clause* "}"
//! rule_clause:= "citation" STRING ";" | "from" DATE ";" | "until" DATE ";"
//!             | "proposed" ";" | "in_force" ";" | "allow_dead" ";"
//!             | "cumulative" ";" | "not_cumulative" ";"
//!             | "overrides" NAME ("," NAME)* ";"
//!             | "when" cond ";" | "then" outcome ";"
//! cond       := and (("||" | "or") and)*
//! and        := unary (("&&" | "and") unary)*
//! unary      := ("!" | "not") unary | "(" cond ")" | "always" | "never" | test
//! test       := FIELD                                   (a bool field is true)
//!             | FIELD ("==" | "!=" | "<" | "<=" | ">" | ">=") value
//!             | FIELD "in" "[" value ("," value)* "]" | FIELD "not" "in" "[" … "]"
//!             | FIELD "in" "group" GROUP | FIELD "not" "in" "group" GROUP
//!             | FIELD "in" value (".." | "..=") value    (a range of numbers or dates)
//!             | FIELD "under" CODE                      (the code or any sub-paragraph of it)
//! outcome    := "not_controlled" | "prohibited"
//!             | "licence_exception" "(" NAME ")"
//!             | "licence_required" "(" ("presumption_of_approval" | "case_by_case" | "presumption_of_denial") ")"
//! value      := a country code (CN), an enum value (servicing), a party id (huawei), a control code (3B001.f.4),
//!               a date (2024-03-07), a number (25, 25.5, 25%), true/false, or any of these as a string literal
//! ```
//!
//! A rule applies when the scenario includes it (`proposed` rules only with proposals), the effective date
//! (the scenario's as-of date, else the case's date) is within `[from, until)`, and its condition holds. Among
//! applying rules, those that no applying rule `overrides` decide. `license_` spellings are accepted too.
//!
//! Requirements that apply *in addition to* each other (an Entity List licence requirement beside the
//! §742.6 one, 15 CFR 744.11(a)) are `cumulative`: where cumulative rules decide one case with different
//! outcomes, the most restrictive applies, every one of them is reported as deciding, and the explanation
//! names the one that set the outcome. A rule set's `cumulative;` makes every rule cumulative unless it says
//! `not_cumulative;`. Disagreement involving a rule that is not cumulative stays a contradiction, and an
//! exception is still an `overrides` (License Exception NAC overrides the requirement it excepts); a cumulative
//! rule may not override another cumulative rule, since requirements that stack are not exceptions to each
//! other.
//!
//! ```
//! control_macros::rules! {
//!     pub rule_set UsStacked for Transaction {
//!         regime "US";
//!         applies when exporter_country == US;
//!         otherwise not_controlled;
//!         rule advanced_chips_cn {
//!             cumulative;
//!             citation "15 CFR 742.6(a)(6)(iii)";
//!             when item under 3A090 && destination == CN;
//!             then licence_required(presumption_of_denial);
//!         }
//!         rule entity_list_smic {
//!             cumulative;
//!             citation "15 CFR 744.11(a)";
//!             when end_user == smic;
//!             then licence_required(case_by_case);
//!         }
//!         party smic = "Semiconductor Manufacturing International Corporation";
//!     }
//! }
//! use control_core::{Evaluator, Scenario};
//! let t = control_core::Transaction::from_core_fields(serde_json::json!({
//!     "exporter": "nvidia", "exporter_country": "US", "item": "3A090.a", "item_origin": "US",
//!     "us_content": 100, "activity": "export", "destination": "CN", "end_user": "smic",
//!     "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2024-01-10"})).unwrap();
//! let d = UsStacked.decide(&t, &Scenario::CURRENT);
//! assert_eq!(d.outcome().unwrap().to_string(), "licence required (presumption of denial)");
//! assert_eq!(d.deciding_names().count(), 2); // both requirements decide
//! assert!(UsStacked.explain(&t, &Scenario::CURRENT).to_string().contains("set by `advanced_chips_cn`"));
//! ```
//!
//! # What the compiler says
//!
//! Forget the `overrides` in the last example, and the two photoresist rules decide the same shipments
//! differently with neither an exception to the other. This does not compile:
//!
//! ```compile_fail
//! control_macros::rules! {
//!     pub schema Shipment {
//!         to: Country,
//!         chemical: enum Chemical { photoresist, other },
//!     }
//!     pub rule_set JpChemicals for Shipment {
//!         regime "JP";
//!         otherwise not_controlled;
//!         rule resist_today { when chemical == photoresist && to == CN; then not_controlled; }
//!         rule resist_to_china { proposed; when chemical == photoresist && to == CN; then licence_required(case_by_case); }
//!     }
//! }
//! ```
//!
//! and the compiler says, at `resist_to_china` (and again, briefly, at `resist_today`):
//!
//! ```text
//! error: rules `resist_today` and `resist_to_china` contradict each other: `resist_today` decides not controlled
//!        and `resist_to_china` decides licence required (case by case) for the same case, and neither overrides the other
//!          case: to = CN, chemical = photoresist; as of each transaction's date, with proposals adopted
//!          help: if one is an exception to the other, say so (`overrides resist_today` on `resist_to_china`, or the
//!                reverse); if both are requirements that apply together, add `cumulative;` to both and the
//!                stricter applies; otherwise narrow one condition so they no longer overlap
//! ```
//!
//! The UI tests (`control-macros/tests/ui`) hold every diagnostic with its exact output.
//!
//! # Generated code
//!
//! Each rule set becomes a unit struct implementing [`control_core::Evaluator`], with a dispatch table on the
//! first level of the control code (`3B001` for `3B001.f.4`) so that a decision looks only at the rules that
//! can match, country sets as constant bitmaps, and no allocation in `decide`. The rules themselves are
//! generated one of two ways, with the same decisions (the differential tests hold both to the definition):
//!
//! - **inline**: one predicate function per rule, which the optimiser specialises completely. The fastest
//!   decisions, but rustc checks every predicate: about 1.3 s of `cargo check` per 1,000 rules.
//! - **table**: every rule's period and condition as constant data (byte strings of fixed-width records, with
//!   the values, sets and groups they name), evaluated by one small matcher that is monomorphised for the case
//!   type and allocates nothing. Decisions take up to about twice as long; a 1,000-rule block adds about 0.4 s
//!   to `cargo check`, a 10,000-rule block about 3 s.
//!
//! Rule sets of up to 256 rules are inline, larger ones tables; `evaluator inline;` or `evaluator table;` in the
//! rule set chooses. BENCHMARKS.md has the figures for both.
//! `Name::ir()` gives the IR (built once), `Name::JSON` the same as JSON. A declared schema becomes a struct with
//! one public field per field, and an enum per `enum` field (values in `CamelCase`).
#![forbid(unsafe_code)]

mod analyse;
mod ast;
mod ctxt;
mod expand;
mod lower;
mod parse;

use proc_macro2::TokenStream;
use quote::quote;

/// Declares rule sets (and schemas); see the [crate documentation](crate).
#[proc_macro]
pub fn rules(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into()).into()
}

/// Parses, checks, analyses and expands a block; every error becomes a `compile_error!` at its token, next to
/// the declared types.
fn expand(input: TokenStream) -> TokenStream {
    let mut errors = ctxt::Errors::default();
    let block = parse::block(input, &mut errors);
    let schemas = lower::schemas(&block, &mut errors);
    let mut out = TokenStream::new();
    for (decl, info) in block.schemas.iter().zip(&schemas) {
        out.extend(expand::schema(decl, info));
    }
    for decl in &block.rule_sets {
        let checked = lower::rule_set(decl, &schemas, &mut errors);
        match &checked.ir {
            Some(ir) => out.extend(expand::rule_set(&checked, ir, &schemas)),
            None => out.extend(expand::fallback(&checked, &schemas)),
        }
    }
    let compile_errors = errors.to_compile_errors();
    quote!(#compile_errors #out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(input: TokenStream) -> Vec<String> {
        let mut errors = ctxt::Errors::default();
        let block = parse::block(input, &mut errors);
        let schemas = lower::schemas(&block, &mut errors);
        for decl in &block.rule_sets {
            let _ = lower::rule_set(decl, &schemas, &mut errors);
        }
        match errors.into_result() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_clean_block_has_no_errors() {
        let e = errors(quote! {
            rule_set A for Transaction {
                regime "US";
                otherwise not_controlled;
                rule r { when destination == CN; then prohibited; }
            }
        });
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn every_error_of_a_block_comes_out_at_once() {
        let e = errors(quote! {
            rule_set A for Transaction {
                regime "US";
                otherwise not_controlled;
                rule a { when destnation == CN; then prohibited; }
                rule b { when destination == UK; then prohibitted; }
                rule c { citaton "x"; when item under 3B0O1; then prohibited; }
                rule d { from 2023-02-30; when always; then prohibited; }
            }
        });
        assert_eq!(
            e,
            [
                "unknown rule clause `citaton`; did you mean `citation`?",
                "unknown field `destnation`; did you mean `destination`?",
                "`UK` is not an ISO 3166-1 alpha-2 code; did you mean `GB` (United Kingdom)?",
                "unknown outcome `prohibitted`; did you mean `prohibited`?",
                "`3B0O1` is not a valid control code: character 4, `O`, should be a digit: an ECCN ends its first part in three digits",
                "`2023-02-30` is not a date in the form YYYY-MM-DD: parameter 'day' for `2023-02` is invalid, must be in range `1..=28`",
            ]
        );
    }

    #[test]
    fn the_analysis_runs_at_expansion() {
        let e = errors(quote! {
            rule_set A for Transaction {
                regime "US";
                otherwise not_controlled;
                rule a { when destination == CN; then prohibited; }
                rule b { when item under 3A090; then licence_required(case_by_case); }
            }
        });
        assert_eq!(e.len(), 2);
        assert!(
            e[0].starts_with("rules `a` and `b` contradict each other"),
            "{}",
            e[0]
        );
        assert!(
            e[1].starts_with("rule `a` contradicts rule `b`"),
            "{}",
            e[1]
        );
    }
}
