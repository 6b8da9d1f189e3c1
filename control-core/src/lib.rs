//! Export-control rules as code: the vocabulary, the rule IR and its semantics, and an interpreter.
//!
//! - [`vocab`]: countries, country groups, control codes, activities, end uses, parties, dates, decimals.
//! - [`Transaction`]: the built-in schema of one export-control case; [`schema`] for custom schemas.
//! - [`ir`]: conditions, outcomes, rules and checked [`RuleSet`]s.
//! - [`lower`]: surface rules (as a front end read them, each piece with its origin) to IR, with typed errors:
//!   the one lowering the `rules!` macro and the JSON format share.
//! - [`analysis`]: the exact analysis (contradictions, dead rules, gaps, semantic diff); [`analysis::accept`]
//!   gives the [`analysis::Analysed`] rule sets the [`Interpreter`] evaluates.
//! - [`semantics`]: applies / deciding / decision / explanation, under a [`Scenario`] (as-of date, proposals).
//! - [`Evaluator`]: the trait compiled rule sets and the [`Interpreter`] implement.
//! - [`json`]: rule sets as JSON, with errors that carry the JSON path.
//! - [`Regimes`]: one case against several regimes, with a fail-closed summary ([`combine`]).
//!
//! ```
//! use control_core::{Interpreter, Regimes, Scenario, Transaction};
//! let nl = Interpreter::<Transaction>::from_json(r#"{
//!   "name": "nl_2023", "regime": "NL", "schema": "Transaction",
//!   "applies_when": {"field": "exporter_country", "eq": "NL"},
//!   "otherwise": "not_controlled",
//!   "rules": [{"name": "lithography_export", "citation": "Stcrt. 2023, 18212, art. 2",
//!              "from": "2023-09-01",
//!              "when": {"all": [{"field": "item", "under": "3B001.f.4"},
//!                               {"field": "destination", "not_in": ["AT","BE","DE","FR"]}]},
//!              "then": {"licence_required": "case_by_case"}}]
//! }"#).unwrap();
//! let case = Transaction::from_core_fields(serde_json::json!({
//!   "exporter": "asml", "exporter_country": "NL", "item": "3B001.f.4", "item.nl": "3B001.f.4",
//!   "item_origin": "NL", "us_content": 10, "activity": "export", "destination": "CN", "end_user": "smic",
//!   "end_use": "advanced_logic_fab", "date": "2024-03-07", "contract_date": "2023-06-01"})).unwrap();
//! let all = Regimes::new().with(&nl).evaluate(&case, &Scenario::CURRENT);
//! assert_eq!(all.summary.outcome.unwrap().to_string(), "licence required (case by case)");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod evaluator;
pub mod ir;
pub mod json;
#[cfg(feature = "schemars")]
pub mod json_schema;
pub mod lower;
pub mod party_data;
#[doc(hidden)]
pub mod __private_v0_1 {
    //! Support for generated code; see `private.rs`. Versioned: the macro of another release of this crate
    //! names another module, so a mismatch is a compile error, never silently different code.
    pub use crate::private::*;
}
mod private;
pub mod regimes;
pub mod schema;
pub mod semantics;
mod suggest;
pub mod transaction;
pub mod vocab;

pub use evaluator::{CaseType, Evaluator, Interpreter, InterpreterError, SchemaMismatch};
pub use ir::{
    CmpOp, Condition, Fallback, Outcome, Period, ReviewPolicy, Rule, RuleId, RuleSet, RuleSetParts,
    Status, StructureError, StructureErrors, Test, Treatment,
};
pub use party_data::{ListEntry, PartyData, PartyFacts, PartyRecord, UnknownParty};
pub use regimes::{
    Combined, MultiDecision, RegimeDecision, RegimeNames, Regimes, Summary, SummaryStatus, combine,
};
pub use schema::{
    CaseView, Field, FieldId, FieldType, Record, RecordError, Schema, Value, ValueError, ValueRef,
};
pub use semantics::{
    AppliedRule, Decision, DecisionRecord, Env, Explanation, RuleIds, RuleRef, Scenario, Verdict,
    VerdictKind,
};
pub use suggest::suggest;
pub use transaction::Transaction;
pub use vocab::activity::{Activity, DirectProduct, EndUse, EntityListing, ListFootnote};
pub use vocab::code::{CodeError, ControlCode};
pub use vocab::country::{Country, UnknownCountry};
pub use vocab::decimal::Decimal;
pub use vocab::group::{
    CountryGroup, CountrySet, DatedMember, Membership, Provenance, builtin_group, builtin_groups,
};
pub use vocab::party::{Party, PartyDirectory, PartyId};
pub use vocab::{DateError, parse_date};

/// This library's version, for audit records.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Re-exported so generated code and users name one date type.
pub use jiff;
