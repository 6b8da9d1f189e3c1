//! Data shared by the unit tests: one party, and CSV lines that name it.

use crate::parties::PartyMatcher;

/// A matcher of one party, Acme (BR), the party of every [`line`].
pub(crate) fn acme() -> PartyMatcher {
    let data = control_core::PartyData::from_json(
        r#"{"source": "test", "parties": [{"id": "acme", "name": "Acme", "location": "BR", "headquarters": "BR"}]}"#,
    )
    .unwrap();
    PartyMatcher::with_data(data, vec![])
}

/// A CSV line with an id and then every column of [`crate::input::COLUMNS`]: Acme (BR) exports an EAR99 item
/// to Acme in `destination`, with `us_content` percent US content, dated `date`.
pub(crate) fn line(id: &str, destination: &str, us_content: &str, date: &str) -> String {
    format!(
        "{id},acme,BR,EAR99,UNLISTED,UNLISTED,UNLISTED,UNLISTED,UNLISTED,BR,{us_content},false,0,0,export,{destination},none,none,none,acme,civil,false,none,false,{date},2024-01-01"
    )
}
