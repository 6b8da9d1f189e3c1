//! Party names: exact matches resolve to the rule books' party ids; a name that matches no party exactly but is
//! close to one is never passed silently.
//!
//! "Close" compares normalised names (case, punctuation and legal-form words such as "Co., Ltd." removed,
//! tokens in either order) with the Jaro-Winkler similarity of the `strsim` crate, against every known party's
//! id, name and aliases (transliterations are aliases: `华为` for Huawei). A close name is screened as written
//! (so it does not get the party's list status) and its row is marked for review, naming the candidate and the
//! score.

use std::collections::HashMap;
use std::sync::Mutex;

use control_core::jiff::civil::Date;
use control_core::{Party, PartyData, PartyDirectory, PartyId};
use serde::Serialize;

/// Below this similarity a name is a different party.
pub const THRESHOLD: f64 = 0.9;

/// Words that name a legal form, not a party.
const LEGAL_FORMS: &[&str] = &[
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "nv",
    "bv",
    "sa",
    "sas",
    "spa",
    "kk",
    "kabushiki",
    "kaisha",
    "the",
];

/// A party name close to a known party, for a reviewer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PossibleMatch {
    /// The input column.
    pub column: &'static str,
    /// The name as written.
    pub written: String,
    /// The known party it is close to.
    pub candidate: PartyId,
    /// That party's name.
    pub candidate_name: String,
    /// The similarity, from [`THRESHOLD`] to 1.
    pub score: f64,
}

/// Resolves party names against the rule books' parties.
#[derive(Debug)]
pub struct PartyMatcher {
    directory: PartyDirectory,
    /// The parties' facts, with their dates.
    data: Option<PartyData>,
    /// The date the facts are read on, when the scenario fixes one.
    as_of: Option<Date>,
    /// Normalised forms of every id, name and alias, with the party's index.
    keys: Vec<(String, usize)>,
    /// Verdicts on names already seen: a file names the same parties again and again.
    seen: Mutex<HashMap<String, Option<(usize, f64)>>>,
}

impl PartyMatcher {
    /// A matcher over `parties`.
    pub fn new(parties: Vec<Party>) -> PartyMatcher {
        let mut keys = Vec::new();
        for (i, p) in parties.iter().enumerate() {
            for k in std::iter::once(p.id.as_str())
                .chain(std::iter::once(p.name.as_str()))
                .chain(p.aliases.iter().map(String::as_str))
            {
                keys.push((normalise(k), i));
            }
        }
        PartyMatcher {
            directory: PartyDirectory::new(parties),
            data: None,
            as_of: None,
            keys,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// A matcher over the parties of `data` (names and aliases) and `more` (the rule books' parties), whose
    /// facts transactions get from `data`.
    pub fn with_data(data: PartyData, more: Vec<Party>) -> PartyMatcher {
        let mut parties = data.directory_parties();
        parties.extend(more);
        let mut m = PartyMatcher::new(parties);
        m.data = Some(data);
        m
    }

    /// Reads the parties' facts on `date` (a scenario's as-of date) instead of each transaction's date.
    pub fn as_of(mut self, date: Option<Date>) -> PartyMatcher {
        self.as_of = date;
        self
    }

    /// The party data, if loaded.
    pub fn data(&self) -> Option<&PartyData> {
        self.data.as_ref()
    }

    /// The date facts are read on, if fixed.
    pub fn fixed_date(&self) -> Option<Date> {
        self.as_of
    }

    /// The exact directory.
    pub fn directory(&self) -> &PartyDirectory {
        &self.directory
    }

    /// The party id `text` names, and a possible match when it names none exactly but is close to one.
    pub fn resolve(&self, column: &'static str, text: &str) -> (PartyId, Option<PossibleMatch>) {
        if let Some(p) = self.directory.resolve(text) {
            return (p.id.clone(), None);
        }
        let near = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            match seen.get(text) {
                Some(v) => *v,
                None => {
                    let v = self.nearest(text);
                    seen.insert(text.to_owned(), v);
                    v
                }
            }
        };
        let possible = near.map(|(i, score)| {
            let p = &self.directory.parties()[i];
            PossibleMatch {
                column,
                written: text.trim().to_owned(),
                candidate: p.id.clone(),
                candidate_name: p.name.clone(),
                score: (score * 1000.0).round() / 1000.0,
            }
        });
        (PartyId::new(text), possible)
    }

    fn nearest(&self, text: &str) -> Option<(usize, f64)> {
        let n = normalise(text);
        if n.is_empty() {
            return None;
        }
        self.keys
            .iter()
            .map(|(k, i)| (*i, similarity(&n, k)))
            .filter(|(_, s)| *s >= THRESHOLD)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// Lower case, letters and digits only, legal forms dropped, tokens sorted.
fn normalise(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !LEGAL_FORMS.contains(t))
        .collect();
    tokens.sort_unstable();
    tokens.join(" ")
}

fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    strsim::jaro_winkler(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn huawei() -> PartyMatcher {
        PartyMatcher::new(vec![Party {
            id: PartyId::new("huawei"),
            name: "Huawei Technologies Co., Ltd.".into(),
            country: None,
            aliases: vec!["华为".into()],
        }])
    }

    #[test]
    fn exact_names_and_aliases_resolve_without_review() {
        let m = huawei();
        for name in ["huawei", "HUAWEI", "Huawei Technologies Co., Ltd.", "华为"] {
            let (id, possible) = m.resolve("end_user", name);
            assert_eq!(id.as_str(), "huawei", "{name}");
            assert!(possible.is_none(), "{name}");
        }
    }

    #[test]
    fn near_names_are_flagged_with_the_candidate() {
        let m = huawei();
        for name in [
            "Huawey",
            "Huawei Technologies",
            "Technologies Huawei Co Ltd",
            "huawei technologies co. ltd",
        ] {
            let (id, possible) = m.resolve("end_user", name);
            assert_ne!(id.as_str(), "huawei", "{name}");
            let p = possible.unwrap_or_else(|| panic!("{name} passed silently"));
            assert_eq!(p.candidate.as_str(), "huawei");
            assert!(p.score >= THRESHOLD);
        }
    }

    #[test]
    fn different_names_are_not_flagged() {
        let m = huawei();
        for name in ["Hua Hong Semiconductor", "Infineon", "acme", "SMIC"] {
            assert!(m.resolve("end_user", name).1.is_none(), "{name}");
        }
    }
}
