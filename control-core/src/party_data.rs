//! Party data loaded at run time: who each party is, where it is and is headquartered, and its list entries
//! with their dates and sources. The loader fills a [`Transaction`]'s party facts from it, as of the
//! effective date, so compiled and interpreted rule sets read the same facts through the same fields.
//!
//! The format (JSON):
//!
//! ```json
//! {
//!   "source": "who compiled this file, from what",
//!   "parties": [
//!     {
//!       "id": "smic", "name": "Semiconductor Manufacturing International Corporation",
//!       "aliases": ["SMIC", "中芯国际"],
//!       "location": "CN", "headquarters": "CN", "parent_headquarters": "CN",
//!       "entries": [
//!         {"list": "entity_list", "from": "2020-12-22", "policy": "policy_by_item", "footnote": "none",
//!          "source": "85 FR 83416 (22 Dec 2020)"}
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! `parent_headquarters` may be left out for a party without a parent (its own headquarters then). An entry
//! has `from` and optionally `until` (the first day it no longer applies); entries of one party on one list
//! may not overlap. A party named in a transaction must be in the data, except the roles that may be `none`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::transaction::Transaction;
use crate::vocab::activity::{EntityListing, ListFootnote};
use crate::vocab::country::Country;
use crate::vocab::party::{Party, PartyId};

/// The list name of the US Entity List in party data.
pub const ENTITY_LIST: &str = "entity_list";

/// The id that stands for "no party in this role".
pub const NO_PARTY: &str = "none";

/// A party's entry on a list, in force `[from, until)`.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListEntry {
    /// The list: `entity_list`.
    pub list: String,
    /// The first day in force.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::json_schema::DateText"))]
    pub from: Date,
    /// The first day no longer in force, if removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "Option<crate::json_schema::DateText>")
    )]
    pub until: Option<Date>,
    /// The licence review policy of the entry.
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub policy: EntityListing,
    /// The entry's footnote.
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub footnote: ListFootnote,
    /// The Federal Register notice (or other text) that made the entry.
    pub source: String,
}

/// A party and its facts.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRecord {
    /// The stable id transactions and rules use.
    pub id: PartyId,
    /// The legal name.
    pub name: String,
    /// Other names: former names, translations, listed addresses' names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Where it is.
    pub location: Country,
    /// Where it is headquartered.
    pub headquarters: Country,
    /// Where its ultimate parent is headquartered; absent for a party without a parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_headquarters: Option<Country>,
    /// Its list entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<ListEntry>,
}

/// A party data file.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDataDoc {
    /// Who compiled the file, from what.
    pub source: String,
    /// The parties.
    pub parties: Vec<PartyRecord>,
}

/// Why party data cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PartyDataError {
    /// The JSON path of the offending value (`parties[3].entries[0].until`).
    pub path: String,
    /// What is wrong, and how to fix it.
    pub message: String,
}

/// Checked party data, indexed by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyData {
    doc: PartyDataDoc,
    by_id: foldhash::HashMap<PartyId, usize>,
}

/// Why a transaction's party facts could not be filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{role} `{party}` is not in the party data{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
pub struct UnknownParty {
    /// The role (`end_user`, `purchaser`, …).
    pub role: &'static str,
    /// The party id.
    pub party: String,
    /// The nearest id in the data.
    pub suggestion: Option<String>,
}

/// The facts of one party on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartyFacts {
    /// Its Entity List entry's policy, or not listed.
    pub entity_list: EntityListing,
    /// The entry's footnote.
    pub footnote: ListFootnote,
    /// Where it is.
    pub location: Country,
    /// Where it is headquartered.
    pub headquarters: Country,
    /// Where its ultimate parent is headquartered.
    pub parent_headquarters: Country,
}

impl PartyData {
    /// Reads and checks party data: every error found, each with its JSON path.
    ///
    /// ```
    /// let data = control_core::PartyData::from_json(r#"{"source": "example", "parties": [
    ///   {"id": "smic", "name": "SMIC", "location": "CN", "headquarters": "CN",
    ///    "entries": [{"list": "entity_list", "from": "2020-12-22", "policy": "policy_by_item",
    ///                 "footnote": "none", "source": "85 FR 83416"}]}]}"#).unwrap();
    /// let on = |d| control_core::parse_date(d).unwrap();
    /// let f = data.facts(&"smic".into(), on("2024-01-01")).unwrap();
    /// assert_eq!(f.entity_list, control_core::EntityListing::PolicyByItem);
    /// let before = data.facts(&"smic".into(), on("2020-12-21")).unwrap();
    /// assert_eq!(before.entity_list, control_core::EntityListing::NotListed);
    /// ```
    pub fn from_json(text: &str) -> Result<PartyData, Vec<PartyDataError>> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let doc: PartyDataDoc = serde_path_to_error::deserialize(de).map_err(|e| {
            vec![PartyDataError {
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
            }]
        })?;
        PartyData::new(doc)
    }

    /// Checks a parsed document: unique ids, no party called `none`, entries on the known list with a policy,
    /// a period that is some day, and no two entries of one party in force on the same day.
    pub fn new(doc: PartyDataDoc) -> Result<PartyData, Vec<PartyDataError>> {
        let mut errors = Vec::new();
        let mut by_id = foldhash::HashMap::default();
        for (i, p) in doc.parties.iter().enumerate() {
            let at = |rest: &str| format!("parties[{i}]{rest}");
            if p.id.as_str() == NO_PARTY || p.id.as_str().is_empty() {
                errors.push(PartyDataError {
                    path: at(".id"),
                    message: format!(
                        "`{}` cannot be a party's id: `none` means no party in a role",
                        p.id
                    ),
                });
            }
            if let Some(first) = by_id.insert(p.id.clone(), i) {
                errors.push(PartyDataError {
                    path: at(".id"),
                    message: format!(
                        "party `{}` is already defined at parties[{first}]; ids are unique",
                        p.id
                    ),
                });
            }
            for (k, e) in p.entries.iter().enumerate() {
                let at = |rest: &str| format!("parties[{i}].entries[{k}]{rest}");
                if e.list != ENTITY_LIST {
                    errors.push(PartyDataError {
                        path: at(".list"),
                        message: format!(
                            "unknown list `{}`; the lists party data can hold: `{ENTITY_LIST}`",
                            e.list
                        ),
                    });
                }
                if e.policy == EntityListing::NotListed {
                    errors.push(PartyDataError {
                        path: at(".policy"),
                        message: "an entry lists the party: give the entry's review policy (`presumption_of_denial`, `case_by_case`, `presumption_of_approval` or `policy_by_item`), or remove the entry".into(),
                    });
                }
                if e.until.is_some_and(|u| u <= e.from) {
                    errors.push(PartyDataError {
                        path: at(".until"),
                        message: format!("the entry is in force from {} until {}, which is no day at all; `until` is the first day it no longer applies", e.from, e.until.unwrap_or(e.from)),
                    });
                }
                for (j, o) in p.entries.iter().enumerate().take(k) {
                    let overlap = o.list == e.list
                        && o.until.is_none_or(|u| e.from < u)
                        && e.until.is_none_or(|u| o.from < u);
                    if overlap {
                        errors.push(PartyDataError {
                            path: at(".from"),
                            message: format!("the entry overlaps entries[{j}] of the same list; end the earlier one (`until`) where this one starts"),
                        });
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(PartyData { doc, by_id })
        } else {
            Err(errors)
        }
    }

    /// The parties, as names and aliases for resolving what documents call them.
    pub fn directory_parties(&self) -> Vec<Party> {
        self.doc
            .parties
            .iter()
            .map(|p| Party {
                id: p.id.clone(),
                name: p.name.clone(),
                country: Some(p.headquarters),
                aliases: p.aliases.clone(),
            })
            .collect()
    }

    /// The records.
    pub fn records(&self) -> &[PartyRecord] {
        &self.doc.parties
    }

    /// Where the data comes from.
    pub fn source(&self) -> &str {
        &self.doc.source
    }

    /// The party with id `id`.
    pub fn get(&self, id: &PartyId) -> Option<&PartyRecord> {
        self.by_id.get(id).map(|&i| &self.doc.parties[i])
    }

    /// The facts of party `id` on `date`, or `None` if the data does not have it.
    pub fn facts(&self, id: &PartyId, date: Date) -> Option<PartyFacts> {
        let p = self.get(id)?;
        let entry = p
            .entries
            .iter()
            .find(|e| e.list == ENTITY_LIST && e.from <= date && e.until.is_none_or(|u| date < u));
        Some(PartyFacts {
            entity_list: entry.map_or(EntityListing::NotListed, |e| e.policy),
            footnote: entry.map_or(ListFootnote::None, |e| e.footnote),
            location: p.location,
            headquarters: p.headquarters,
            parent_headquarters: p.parent_headquarters.unwrap_or(p.headquarters),
        })
    }

    /// Fills `t`'s party facts as of `date` (the effective date: the scenario's as-of date, else the
    /// transaction's). Roles other than the end user may be `none`; every party named must be in the data.
    pub fn fill(&self, t: &mut Transaction, date: Date) -> Result<(), Vec<UnknownParty>> {
        let mut errors = Vec::new();
        let none = PartyFacts {
            entity_list: EntityListing::NotListed,
            footnote: ListFootnote::None,
            location: t.destination,
            headquarters: t.destination,
            parent_headquarters: t.destination,
        };
        let mut facts = |role: &'static str, id: &PartyId, may_be_none: bool| {
            if may_be_none && id.as_str() == NO_PARTY {
                return none;
            }
            match self.facts(id, date) {
                Some(f) => f,
                None => {
                    errors.push(UnknownParty {
                        role,
                        party: id.to_string(),
                        suggestion: crate::suggest::suggest(
                            id.as_str(),
                            self.doc.parties.iter().map(|p| p.id.as_str()),
                        )
                        .map(str::to_owned),
                    });
                    none
                }
            }
        };
        let p = facts("purchaser", &t.purchaser, true);
        let i = facts("intermediate_consignee", &t.intermediate_consignee, true);
        let u = facts("ultimate_consignee", &t.ultimate_consignee, true);
        let e = facts("end_user", &t.end_user, false);
        if !errors.is_empty() {
            return Err(errors);
        }
        (t.purchaser_entity_list, t.purchaser_entity_list_footnote) = (p.entity_list, p.footnote);
        (
            t.intermediate_consignee_entity_list,
            t.intermediate_consignee_entity_list_footnote,
        ) = (i.entity_list, i.footnote);
        (
            t.ultimate_consignee_entity_list,
            t.ultimate_consignee_entity_list_footnote,
        ) = (u.entity_list, u.footnote);
        (t.end_user_entity_list, t.end_user_entity_list_footnote) = (e.entity_list, e.footnote);
        t.end_user_location = e.location;
        t.end_user_headquarters = e.headquarters;
        t.end_user_parent_headquarters = e.parent_headquarters;
        Ok(())
    }
}
