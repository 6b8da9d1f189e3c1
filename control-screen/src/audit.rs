//! What a run was decided under, for the audit trail: the scenario, each rule book's regime, name and content
//! hash, and the versions of the tool and the library. Written as the first line of JSON Lines output, or
//! beside CSV output.

use control_core::{Evaluator, Scenario, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One rule book of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BookRecord {
    /// The regime.
    pub regime: String,
    /// The rule set's name.
    pub name: String,
    /// SHA-256 of the rule set's canonical JSON (`control_core::json::to_json`): the same rules give the same
    /// hash whether compiled or loaded.
    pub sha256: String,
    /// How many rules it has.
    pub rules: usize,
}

/// A run's audit record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    /// The program and its version.
    pub tool: String,
    /// The version of control-core that decided.
    pub control_core: &'static str,
    /// The version of control-screen.
    pub control_screen: &'static str,
    /// The scenario: the as-of date or `each_row_date`, and whether proposals were adopted.
    pub as_of: String,
    /// Whether proposed rules were treated as adopted.
    pub proposals: bool,
    /// Every rule book, in regime order.
    pub rule_books: Vec<BookRecord>,
    /// The party data the parties' facts came from: its source line and the SHA-256 of its file.
    pub party_data: PartyDataRecord,
}

/// The party data of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartyDataRecord {
    /// Where the file says it comes from.
    pub source: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// How many parties it has.
    pub parties: usize,
}

impl PartyDataRecord {
    /// The record of party data read from `bytes`.
    pub fn new(data: &control_core::PartyData, bytes: &[u8]) -> PartyDataRecord {
        let digest = Sha256::digest(bytes);
        PartyDataRecord {
            source: data.source().to_owned(),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
            parties: data.records().len(),
        }
    }
}

impl RunRecord {
    /// The record of a run of `tool` over `books` under `scenario`.
    pub fn new(
        tool: impl Into<String>,
        books: &[&dyn Evaluator<Case = Transaction>],
        scenario: Scenario,
        party_data: PartyDataRecord,
    ) -> RunRecord {
        RunRecord {
            tool: tool.into(),
            control_core: control_core::VERSION,
            control_screen: env!("CARGO_PKG_VERSION"),
            as_of: scenario
                .as_of
                .map_or_else(|| "each_row_date".to_owned(), |d| d.to_string()),
            proposals: scenario.proposals,
            rule_books: books.iter().map(|b| book_record(b.rule_set())).collect(),
            party_data,
        }
    }
}

fn book_record(rs: &control_core::RuleSet) -> BookRecord {
    let digest = Sha256::digest(control_core::json::to_json(rs).as_bytes());
    BookRecord {
        regime: rs.regime().to_owned(),
        name: rs.name().to_owned(),
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        rules: rs.rules().len(),
    }
}
