//! Named parties (exporters, end users) with their aliases.
//!
//! A rule names a party by a stable id (`huawei`); a transaction loader resolves whatever name a document
//! uses ("Huawei Technologies Co., Ltd.", "华为") to that id through a [`PartyDirectory`], before evaluation.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::vocab::country::Country;

/// A party's stable identifier, as rules and cases use it. Written in JSON as a string.
///
/// Shared, not copied: a screened row names up to five parties, and copying an id is a reference count, not
/// an allocation.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(transparent))]
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartyId(std::sync::Arc<str>);

impl PartyId {
    /// An id; white space is trimmed and letters lowered, so `Huawei` and `huawei` are one party.
    pub fn new(id: &str) -> PartyId {
        PartyId(id.trim().to_lowercase().into())
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PartyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PartyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartyId({})", self.0)
    }
}

impl Serialize for PartyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The string as written, as the rule books and party data spell their ids.
impl<'de> Deserialize<'de> for PartyId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| PartyId(s.into()))
    }
}

impl From<&str> for PartyId {
    fn from(s: &str) -> Self {
        PartyId::new(s)
    }
}

/// A named party.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// The stable id.
    pub id: PartyId,
    /// The legal name.
    pub name: String,
    /// Where it is headquartered, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// Other names it goes by: former names, translations, affiliates listed under the same entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// Resolves names and aliases to parties.
///
/// ```
/// use control_core::{Party, PartyDirectory, PartyId};
/// let dir = PartyDirectory::new(vec![Party {
///     id: PartyId::new("huawei"),
///     name: "Huawei Technologies Co., Ltd.".into(),
///     country: Some(control_core::Country::CN),
///     aliases: vec!["华为".into(), "HiSilicon".into()],
/// }]);
/// assert_eq!(dir.resolve("hisilicon").unwrap().id.as_str(), "huawei");
/// assert!(dir.resolve("Acme").is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartyDirectory {
    parties: Vec<Party>,
    /// Every id, name and alias, lower case, to the party's position.
    index: std::collections::HashMap<String, usize>,
}

impl PartyDirectory {
    /// A directory of `parties`. Where two parties share a name or alias, the first keeps it.
    pub fn new(parties: Vec<Party>) -> PartyDirectory {
        let mut index = std::collections::HashMap::new();
        for (i, p) in parties.iter().enumerate() {
            let keys = std::iter::once(p.id.as_str().to_owned())
                .chain(std::iter::once(p.name.to_lowercase()))
                .chain(p.aliases.iter().map(|a| a.to_lowercase()));
            for k in keys {
                index.entry(k.trim().to_owned()).or_insert(i);
            }
        }
        PartyDirectory { parties, index }
    }

    /// The party whose id, name or alias is `name` (ignoring case and surrounding space).
    pub fn resolve(&self, name: &str) -> Option<&Party> {
        let name = name.trim();
        let hit = match self.index.get(name) {
            Some(i) => Some(*i),
            None => self.index.get(&name.to_lowercase()).copied(),
        };
        hit.map(|i| &self.parties[i])
    }

    /// The parties.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }
}
