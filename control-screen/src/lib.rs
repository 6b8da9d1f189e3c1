//! Fail-closed screening of transactions against several regimes' rule books, with an audit trail.
//!
//! - [`input`]: CSV (with a header) or JSON Lines, one record per physical line; every line after the header
//!   becomes exactly one row, a transaction or an error naming the line.
//! - [`parties`]: party names resolve exactly, and a name close to a known party is flagged for review.
//! - [`screen`]: each row against every regime; the row's summary is control-core's [`control_core::combine`]:
//!   an outcome only when every regime with jurisdiction decided; a row no regime covers says so.
//! - [`audit`]: what a run was decided under (scenario, rule books with content hashes, versions).
//! - [`cli`]: the screening command line (flags, output formats, exit statuses), shared by the programs.
//!
//! ```
//! use control_screen::{input::{self, Format}, parties::PartyMatcher, screen::Screener};
//! use control_core::{Evaluator, Interpreter, Scenario, Transaction};
//! let nl = Interpreter::<Transaction>::from_json(r#"{"name": "nl", "regime": "NL", "schema": "Transaction",
//!   "applies_when": {"field": "exporter_country", "eq": "NL"}, "otherwise": "not_controlled",
//!   "rules": [{"name": "litho", "when": {"field": "item", "under": "3B001.f.4"},
//!              "then": {"licence_required": "case_by_case"}}]}"#).unwrap();
//! let books: Vec<&dyn Evaluator<Case = Transaction>> = vec![&nl];
//! let screener = Screener::new(books, Scenario::CURRENT).unwrap();
//! let parties = control_core::PartyData::from_json(r#"{"source": "example", "parties": [
//!   {"id": "smic", "name": "SMIC", "location": "CN", "headquarters": "CN"},
//!   {"id": "acme", "name": "Acme", "location": "BR", "headquarters": "BR"}]}"#).unwrap();
//! let csv = "id,exporter,exporter_country,item.ccl,item.eu,item.wa,item.nl,item.jp,item.kr,item_origin,us_content,\
//!            data_centre,tpp,performance_density,activity,destination,purchaser,intermediate_consignee,\
//!            ultimate_consignee,end_user,end_use,us_person,fdp,notified,date,contract_date\n\
//!            A1,ASML,NL,3B001.f.4,3B001.f.4,3B001.f.4,3B001.f.4,UNLISTED,UNLISTED,NL,8,false,0,0,export,CN,none,\
//!            none,none,SMIC,advanced_logic_fab,false,none,false,2024-03-07,2023-05-01\n\
//!            A2,Soitec,FR,EAR99,UNLISTED,UNLISTED,UNLISTED,UNLISTED,UNLISTED,FR,0,false,0,0,export,BR,none,none,\
//!            none,acme,civil,false,none,false,2024-03-07,2024-01-01\n";
//! let matcher = PartyMatcher::with_data(parties, vec![]);
//! let rows = input::read_all(csv.as_bytes(), Format::Csv, &matcher).unwrap();
//! let out: Vec<&str> = rows.iter().map(|r| screener.screen(r).status()).collect();
//! assert_eq!(out, ["decided", "outside_jurisdiction"]);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod audit;
pub mod cli;
pub mod input;
pub mod parties;
pub mod screen;
#[cfg(test)]
mod test_data;
