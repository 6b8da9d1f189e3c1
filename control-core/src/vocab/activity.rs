//! Built-in finite vocabularies: what is being done with an item (`Activity`) and what it is for (`EndUse`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::suggest::suggest;

/// A value that is not one of a finite vocabulary's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a known {vocabulary}{}; expected one of: {}", match suggestion {
    Some(s) => format!(" (did you mean `{s}`?)"),
    None => String::new(),
}, expected.join(", "))]
pub struct UnknownName {
    /// The vocabulary, such as `activity`.
    pub vocabulary: &'static str,
    /// What was written.
    pub input: String,
    /// The nearest valid name, if one is close.
    pub suggestion: Option<&'static str>,
    /// Every valid name.
    pub expected: &'static [&'static str],
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $ty:ident, $what:literal, { $($(#[doc = $doc:literal])* $variant:ident => $name:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum $ty {
            $($(#[doc = $doc])* $variant,)*
        }

        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant,)*];
            /// Every value's name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($name,)*];

            /// The snake_case name rules and data files use.
            pub const fn name(self) -> &'static str {
                Self::NAMES[self as usize]
            }

            /// The position in [`Self::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }

            /// Parses a name, ignoring case and treating `-` and space as `_`.
            pub fn parse(input: &str) -> Result<$ty, UnknownName> {
                if let Some(i) = Self::NAMES.iter().position(|n| *n == input) {
                    return Ok(Self::ALL[i]);
                }
                let norm = input.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                match Self::NAMES.iter().position(|n| *n == norm) {
                    Some(i) => Ok(Self::ALL[i]),
                    None => Err(UnknownName {
                        vocabulary: $what,
                        input: input.to_owned(),
                        suggestion: suggest(&norm, Self::NAMES.iter().copied()),
                        expected: Self::NAMES,
                    }),
                }
            }
        }

        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary! {
    /// What is done with the item.
    Activity, "activity", {
        /// Shipment or transmission out of the country.
        Export => "export",
        /// Shipment from one foreign country to another.
        Reexport => "reexport",
        /// A change of end use or end user within one foreign country.
        InCountryTransfer => "in_country_transfer",
        /// Servicing and maintenance of an item already delivered, including engineers' visits.
        Servicing => "servicing",
        /// Supply of components and spare parts for an item already delivered.
        SpareParts => "spare_parts",
        /// Technical assistance to a foreign party.
        TechnicalAssistance => "technical_assistance",
        /// Release of technology or source code (a "deemed export" when in-country).
        TechnologyRelease => "technology_release",
    }
}

vocabulary! {
    /// What the item will be used for, as declared or established by due diligence.
    EndUse, "end use", {
        /// Ordinary civil and commercial use.
        Civil => "civil",
        /// Military end use or a military end user (§744.21).
        Military => "military",
        /// Weapons of mass destruction or their delivery systems (§744.2–744.4).
        Wmd => "wmd",
        /// A fab producing logic ICs with non-planar transistors or at 16/14 nm or below (§744.6(c)(2)).
        AdvancedLogicFab => "advanced_logic_fab",
        /// A fab producing NAND of 128 layers or more, or DRAM at 18 nm half-pitch or below (§744.6(c)(2)).
        AdvancedMemoryFab => "advanced_memory_fab",
        /// A fab producing only legacy nodes.
        LegacyFab => "legacy_fab",
        /// A supercomputer (§744.23(a)(1) since 17 Nov 2023; (a)(2) in the October 2022 text).
        Supercomputer => "supercomputer",
        /// A data centre.
        DataCentre => "data_centre",
        /// The exporter could not establish the end use.
        Undisclosed => "undisclosed",
    }
}

vocabulary! {
    /// A party's entry on the Entity List (Supplement No. 4 to 15 CFR part 744) on the effective date: not
    /// listed, or listed with the entry's licence review policy.
    EntityListing, "Entity List entry", {
        /// No entry in force on the effective date.
        NotListed => "not_listed",
        /// Listed; applications reviewed with a presumption of approval.
        PresumptionOfApproval => "presumption_of_approval",
        /// Listed; applications reviewed case by case.
        CaseByCase => "case_by_case",
        /// Listed; applications reviewed with a presumption of denial.
        PresumptionOfDenial => "presumption_of_denial",
        /// Listed with a policy that depends on the item (SMIC: presumption of denial for items uniquely
        /// required for 10 nm and below, case by case otherwise); rules decide by the item.
        PolicyByItem => "policy_by_item",
    }
}

vocabulary! {
    /// The footnote of a party's Entity List entry (Supplement No. 4 to 15 CFR part 744), which brings a foreign
    /// direct product rule of 15 CFR 734.9 to bear. As read in the text in force on 7 Mar 2024: footnote 1 ties
    /// to §734.9(e)(1) (§744.11(a)(2)(i)), footnote 3 to §734.9(g), footnote 4 to §734.9(e)(2)
    /// (§744.11(a)(2)(ii)); footnote 2's meaning is unconfirmed; footnote 5 came later.
    ListFootnote, "Entity List footnote", {
        /// No footnote, or not listed.
        None => "none",
        /// Footnote 1: the Entity List FDP rule of §734.9(e)(1).
        Footnote1 => "footnote_1",
        /// Footnote 2 (meaning unconfirmed).
        Footnote2 => "footnote_2",
        /// Footnote 3: a Russia/Belarus 'military end user', §734.9(g).
        Footnote3 => "footnote_3",
        /// Footnote 4: the Entity List FDP rule of §734.9(e)(2).
        Footnote4 => "footnote_4",
    }
}

vocabulary! {
    /// Whether a foreign-made item is the direct product of US technology, software or plant within a foreign
    /// direct product rule of 15 CFR 734.9 (paragraphs as in force on 7 Mar 2024), decided upstream (by the
    /// exporter's classification), as the one paragraph that applies.
    DirectProduct, "foreign direct product status", {
        /// Not a foreign direct product within any paragraph (or not foreign-made).
        None => "none",
        /// §734.9(b), the National Security FDP rule.
        NationalSecurity => "national_security",
        /// §734.9(c), the 9x515 FDP rule.
        Series9x515 => "series_9x515",
        /// §734.9(d), the "600 series" FDP rule.
        Series600 => "series_600",
        /// §734.9(e), the Entity List FDP rule (footnote 1 and footnote 4 entities).
        EntityList => "entity_list",
        /// §734.9(f), the Russia/Belarus/temporarily occupied Crimea region FDP rule.
        RussiaBelarus => "russia_belarus",
        /// §734.9(g), the Russia/Belarus-Military End User FDP rule.
        RussiaBelarusMilitaryEndUser => "russia_belarus_military_end_user",
        /// §734.9(h), the Advanced computing FDP rule.
        AdvancedComputing => "advanced_computing",
        /// §734.9(i), the "Supercomputer" FDP rule.
        Supercomputer => "supercomputer",
        /// §734.9(j), the Iran FDP rule.
        Iran => "iran",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Activity::ALL {
            assert_eq!(Activity::parse(a.name()), Ok(*a));
        }
        for e in EndUse::ALL {
            assert_eq!(e.name().parse::<EndUse>(), Ok(*e));
        }
        assert_eq!(Activity::parse("Spare parts"), Ok(Activity::SpareParts));
        assert_eq!(
            Activity::parse("in-country-transfer"),
            Ok(Activity::InCountryTransfer)
        );
    }

    #[test]
    fn unknown_names_suggest() {
        let e = Activity::parse("servicng").unwrap_err();
        assert_eq!(e.suggestion, Some("servicing"));
        assert!(
            e.to_string()
                .starts_with("`servicng` is not a known activity (did you mean `servicing`?)")
        );
        assert_eq!(EndUse::parse("banana").unwrap_err().suggestion, None);
    }
}
