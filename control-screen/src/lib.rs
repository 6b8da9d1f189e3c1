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
//! let csv = "id,exporter,exporter_country,item,item_origin,us_content,activity,destination,end_user,end_use,date,contract_date\n\
//!            A1,ASML,NL,3B001.f.4,NL,8,export,CN,SMIC,advanced_logic_fab,2024-03-07,2023-05-01\n\
//!            A2,Soitec,FR,EAR99,FR,0,export,BR,acme,civil,2024-03-07,2024-01-01\n";
//! let rows = input::read_all(csv.as_bytes(), Format::Csv, &PartyMatcher::new(vec![])).unwrap();
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
