//! Country groups: named finite sets of countries, as data with their source and snapshot date.
//!
//! Built-in groups are snapshots of public lists on a stated date; a rule set may define its own. Groups never
//! change under a rule set's feet: a rule names a group, the rule set resolves it to a [`CountrySet`] once.

use std::fmt;

use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

use crate::vocab::country::Country;

/// A set of countries as a 256-bit bitmap: `Copy`, allocation-free membership tests, cheap set algebra.
///
/// ```
/// use control_core::{Country, CountrySet};
/// let s = CountrySet::from_iter([Country::CN, Country::MO]);
/// assert!(s.contains(Country::MO));
/// assert_eq!(s.len(), 2);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct CountrySet([u64; 4]);

impl CountrySet {
    /// The empty set.
    pub const EMPTY: CountrySet = CountrySet([0; 4]);

    /// Every country.
    pub fn all() -> CountrySet {
        Country::ALL.iter().copied().collect()
    }

    /// A set of the given countries (usable in constants).
    pub const fn of(countries: &[Country]) -> CountrySet {
        let mut bits = [0u64; 4];
        let mut i = 0;
        while i < countries.len() {
            let c = countries[i].index();
            bits[c / 64] |= 1 << (c % 64);
            i += 1;
        }
        CountrySet(bits)
    }

    /// Whether `c` is in the set.
    pub const fn contains(&self, c: Country) -> bool {
        let i = c.index();
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    /// Adds `c`.
    pub fn insert(&mut self, c: Country) {
        let i = c.index();
        self.0[i / 64] |= 1 << (i % 64);
    }

    /// How many countries are in the set.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    /// Countries in both sets.
    pub fn intersection(&self, other: &CountrySet) -> CountrySet {
        CountrySet(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    /// Countries in either set.
    pub fn union(&self, other: &CountrySet) -> CountrySet {
        CountrySet(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    /// Countries in `self` but not in `other`.
    pub fn difference(&self, other: &CountrySet) -> CountrySet {
        CountrySet(std::array::from_fn(|i| self.0[i] & !other.0[i]))
    }

    /// The countries, in code order.
    pub fn iter(&self) -> impl Iterator<Item = Country> + '_ {
        Country::ALL.iter().copied().filter(|c| self.contains(*c))
    }
}

impl FromIterator<Country> for CountrySet {
    fn from_iter<I: IntoIterator<Item = Country>>(iter: I) -> Self {
        let mut s = CountrySet::EMPTY;
        for c in iter {
            s.insert(c);
        }
        s
    }
}

impl fmt::Debug for CountrySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(|c| c.code()))
            .finish()
    }
}

impl Serialize for CountrySet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for CountrySet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Country>::deserialize(d)?.into_iter().collect())
    }
}

/// How far a built-in group's membership has been checked against its legal source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Checked against the source text on the snapshot date.
    Verified,
    /// Reconstructed from secondary sources; verify against the source before relying on it.
    Reconstructed,
    /// Defined by the user in a rule set.
    UserDefined,
}

/// A country's membership of a group for a period only: it joined on `from`, left on `until`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DatedMember {
    /// The country.
    pub country: Country,
    /// When it is a member: `[from, until)`, either end open.
    #[serde(flatten)]
    pub period: crate::ir::Period,
    /// The legal text that added or removed it.
    pub source: String,
}

/// Who is a member of a group on which date: the members throughout, and the members for a period.
///
/// ```
/// use control_core::{Country, builtin_group};
/// let d5 = builtin_group("EAR:D:5").unwrap();
/// let before = control_core::parse_date("2024-03-14").ok();
/// let after = control_core::parse_date("2024-03-15").ok();
/// assert!(!d5.membership().contains_on(Country::NI, before));
/// assert!(d5.membership().contains_on(Country::NI, after));
/// assert!(d5.membership().contains_on(Country::CN, None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Membership {
    /// Members on every date.
    pub always: CountrySet,
    /// Members for a period, each `[from, until)`.
    pub dated: Vec<(Country, crate::ir::Period)>,
}

impl Membership {
    /// Whether `c` is a member on `date`; without a date, only the members throughout count.
    #[inline]
    pub fn contains_on(&self, c: Country, date: Option<Date>) -> bool {
        self.always.contains(c)
            || date.is_some_and(|d| self.dated.iter().any(|(m, p)| *m == c && p.contains(d)))
    }

    /// The members on `date`.
    pub fn on(&self, date: Option<Date>) -> CountrySet {
        let mut s = self.always;
        for (c, p) in &self.dated {
            if date.is_some_and(|d| p.contains(d)) {
                s.insert(*c);
            }
        }
        s
    }

    /// Whether membership changes with the date.
    pub fn is_dated(&self) -> bool {
        !self.dated.is_empty()
    }
}

/// A named group of countries as of a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryGroup {
    /// The name rules use, such as `EAR:D:5` or `EU27`.
    pub name: String,
    /// What the group is.
    pub description: String,
    /// The legal or official source.
    pub source: String,
    /// The date the membership is a snapshot of.
    pub as_of: Option<Date>,
    /// How far the membership has been checked.
    pub provenance: Provenance,
    /// The members on every date the group exists.
    pub members: CountrySet,
    /// Members for a period only (Nicaragua in `EAR:D:5` from 15 Mar 2024), each with its source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dated: Vec<DatedMember>,
    /// When the group came into existence, if after the earliest date; a test of it on an earlier date is a
    /// mistake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists_from: Option<Date>,
}

impl CountryGroup {
    /// A group a rule set defines for itself.
    pub fn user_defined(name: impl Into<String>, members: CountrySet) -> CountryGroup {
        CountryGroup {
            name: name.into(),
            description: String::new(),
            source: "defined in the rule set".into(),
            as_of: None,
            provenance: Provenance::UserDefined,
            members,
            dated: Vec::new(),
            exists_from: None,
        }
    }

    /// Whether `c` is a member on every date (see [`CountryGroup::membership`] for dated members).
    pub fn contains(&self, c: Country) -> bool {
        self.members.contains(c)
    }

    /// Membership by date.
    pub fn membership(&self) -> Membership {
        Membership {
            always: self.members,
            dated: self.dated.iter().map(|m| (m.country, m.period)).collect(),
        }
    }
}

use Country::*;

const EAR_SOURCE: &str = "15 CFR part 740, Supplement No. 1 (Country Groups)";
const EAR_AS_OF: Date = date(2024, 3, 7);

struct Builtin {
    name: &'static str,
    description: &'static str,
    source: &'static str,
    as_of: Date,
    provenance: Provenance,
    members: &'static [Country],
    /// Members for a period: country, from, until, source.
    dated: &'static [(Country, Option<Date>, Option<Date>, &'static str)],
    /// When the group was created, where that matters for the dates rule books encode.
    exists_from: Option<Date>,
}

/// Country Groups A:5 and A:6 were created with License Exception STA (76 FR 35276, 16 Jun 2011; date
/// unconfirmed).
const STA_2011: Option<Date> = Some(date(2011, 6, 16));

const NI_D1_D5: &str = "89 FR 18780 (15 Mar 2024): Nicaragua moved from Country Group B to D:1 and added to D:5, effective 15 Mar 2024";
const BY_2022: &str = "87 FR 13048 (8 Mar 2022), effective 2 Mar 2022: Belarus added to Country Groups D:2 and D:4 (effective date unconfirmed)";
const VE_2019: &str = "84 FR 24018 (24 May 2019): Venezuela added to Country Group D:4 (publication date unconfirmed)";
const HK_2020: &str = "85 FR 83765 (23 Dec 2020): Hong Kong removed as a separate destination in Supplement No. 1 to part 740";

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "EAR:A:1",
        description: "Wassenaar Arrangement participating states, except Malta, Russia and Ukraine (and the US, which the EAR's groups do not list)",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AR, AU, AT, BE, BG, CA, HR, CZ, DK, EE, FI, FR, DE, GR, HU, IN, IE, IT, JP, LV, LT, LU,
            MX, NL, NZ, NO, PL, PT, KR, RO, SK, SI, ZA, ES, SE, CH, TR, GB,
        ],
        dated: &[],
        exists_from: None,
    },
    Builtin {
        name: "EAR:A:5",
        description: "Closest allies for License Exception STA",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AR, AU, AT, BE, BG, CA, HR, CZ, DK, EE, FI, FR, DE, GR, HU, IS, IN, IE, IT, JP, KR, LV,
            LT, LU, NL, NZ, NO, PL, PT, RO, SK, SI, ES, SE, CH, TR, GB,
        ],
        dated: &[],
        exists_from: STA_2011,
    },
    Builtin {
        name: "EAR:A:6",
        description: "Further allies for License Exception STA (more conditions than A:5)",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[AL, CY, IL, MT, MX, SG, ZA, TW],
        dated: &[],
        exists_from: STA_2011,
    },
    Builtin {
        name: "EAR:D:1",
        description: "Countries of national security concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AM, AZ, BY, MM, KH, CN, GE, IQ, KZ, KP, KG, LA, LY, MO, MD, MN, RU, TJ, TM, UZ, VE, VN,
            YE,
        ],
        dated: &[(NI, Some(date(2024, 3, 15)), None, NI_D1_D5)],
        exists_from: None,
    },
    Builtin {
        name: "EAR:D:2",
        description: "Countries of nuclear proliferation concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[CU, IR, IQ, IL, LY, KP, PK, RU, VE],
        dated: &[(BY, Some(date(2022, 3, 2)), None, BY_2022)],
        exists_from: None,
    },
    Builtin {
        name: "EAR:D:3",
        description: "Countries of chemical and biological weapons concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AF, AM, AZ, BH, BY, MM, CN, CU, EG, GE, IR, IQ, IL, JO, KZ, KP, KW, KG, LB, LY, MO, MD,
            MN, OM, PK, QA, RU, SA, SY, TW, TJ, TM, AE, UZ, VE, VN, YE,
        ],
        dated: &[],
        exists_from: None,
    },
    Builtin {
        name: "EAR:D:4",
        description: "Countries of missile technology concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            BH, CN, EG, IR, IQ, IL, JO, KW, LB, LY, MO, KP, OM, PK, QA, RU, SA, SY, AE, YE,
        ],
        dated: &[
            (VE, Some(date(2019, 5, 24)), None, VE_2019),
            (BY, Some(date(2022, 3, 2)), None, BY_2022),
        ],
        exists_from: None,
    },
    Builtin {
        name: "EAR:D:5",
        description: "U.S. arms embargoed countries",
        source: "15 CFR part 740, Supplement No. 1; list as given in the seed scenario (inferred; Nicaragua added 15 Mar 2024)",
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AF, BY, MM, KH, CF, CN, CD, CU, ER, HT, IR, IQ, KP, LB, LY, RU, SO, SS, SD, SY, VE, ZW,
        ],
        dated: &[(NI, Some(date(2024, 3, 15)), None, NI_D1_D5)],
        exists_from: None,
    },
    Builtin {
        name: "EAR:E:1",
        description: "Terrorist supporting countries",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[IR, KP, SY],
        dated: &[],
        exists_from: None,
    },
    Builtin {
        name: "EAR:E:2",
        description: "Unilateral embargo",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[CU],
        dated: &[],
        exists_from: None,
    },
    Builtin {
        name: "EU27",
        description: "Member states of the European Union",
        source: "Treaty on European Union, art. 52",
        as_of: EAR_AS_OF,
        provenance: Provenance::Verified,
        members: &[
            AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL, PT,
            RO, SK, SI, ES, SE,
        ],
        dated: &[],
        exists_from: None,
    },
    Builtin {
        name: "WASSENAAR",
        description: "Participating states of the Wassenaar Arrangement",
        source: "wassenaar.org, participating states",
        as_of: EAR_AS_OF,
        provenance: Provenance::Verified,
        members: &[
            AR, AU, AT, BE, BG, CA, HR, CZ, DK, EE, FI, FR, DE, GR, HU, IN, IE, IT, JP, LV, LT, LU,
            MT, MX, NL, NZ, NO, PL, PT, KR, RO, RU, SK, SI, ZA, ES, SE, CH, TR, UA, GB, US,
        ],
        dated: &[],
        exists_from: None,
    },
];

/// The EAR's Country Group B (countries eligible for License Exception GBS and others) is all countries
/// except those listed here. Reconstructed: verify against the Supplement before relying on it.
const NOT_IN_EAR_B: &[Country] = &[
    AF, AM, AZ, BY, MM, KH, CN, CU, GE, IR, IQ, KZ, KP, KG, LA, LY, MO, MD, MN, RU, SY, TJ, TM, UZ,
    VE, VN, YE,
];

/// Every built-in group, sorted by name.
pub fn builtin_groups() -> Vec<CountryGroup> {
    let mut groups: Vec<CountryGroup> = BUILTINS
        .iter()
        .map(|b| CountryGroup {
            name: b.name.into(),
            description: b.description.into(),
            source: b.source.into(),
            as_of: Some(b.as_of),
            provenance: b.provenance,
            members: CountrySet::of(b.members),
            dated: b
                .dated
                .iter()
                .map(|&(country, from, until, source)| DatedMember {
                    country,
                    period: crate::ir::Period { from, until },
                    source: source.into(),
                })
                .collect(),
            exists_from: b.exists_from,
        })
        .collect();
    groups.push(CountryGroup {
        name: "EAR:B".into(),
        description: "Countries eligible for License Exception GBS and others".into(),
        source: EAR_SOURCE.into(),
        as_of: Some(EAR_AS_OF),
        provenance: Provenance::Reconstructed,
        members: CountrySet::all()
            .difference(&CountrySet::of(&[HK]).union(&CountrySet::of(NOT_IN_EAR_B))),
        dated: vec![
            DatedMember {
                country: HK,
                period: crate::ir::Period {
                    from: None,
                    until: Some(date(2020, 12, 23)),
                },
                source: HK_2020.into(),
            },
            DatedMember {
                country: NI,
                period: crate::ir::Period {
                    from: None,
                    until: Some(date(2024, 3, 15)),
                },
                source: NI_D1_D5.into(),
            },
        ],
        exists_from: None,
    });
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    groups
}

/// The built-in group called `name` (exact, case-insensitive).
pub fn builtin_group(name: &str) -> Option<CountryGroup> {
    builtin_groups()
        .into_iter()
        .find(|g| g.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_sizes_match_their_sources() {
        let size = |n: &str| builtin_group(n).unwrap().members.len();
        assert_eq!(size("EAR:D:5"), 22);
        assert_eq!(size("EU27"), 27);
        assert_eq!(size("WASSENAAR"), 42);
        assert_eq!(size("EAR:E:1"), 3);
    }

    #[test]
    fn membership_queries() {
        let d5 = builtin_group("ear:d:5").unwrap();
        assert!(d5.contains(CN));
        assert!(
            !d5.contains(MO),
            "Macau is named separately in the EAR's advanced-computing rules"
        );
        assert!(!d5.contains(NI), "Nicaragua joined D:5 only on 15 Mar 2024");
        let m = d5.membership();
        assert!(!m.contains_on(NI, Some(date(2024, 3, 14))));
        assert!(m.contains_on(NI, Some(date(2024, 3, 15))));
        assert!(m.contains_on(NI, Some(crate::vocab::DATE_MAX)));
        assert!(
            !m.contains_on(NI, None),
            "without a date only the permanent members count"
        );
        let d4 = builtin_group("EAR:D:4").unwrap().membership();
        assert!(
            !d4.contains_on(BY, Some(date(2022, 3, 1)))
                && d4.contains_on(BY, Some(date(2022, 3, 2)))
        );
        let d1 = builtin_group("EAR:D:1").unwrap();
        assert!(
            !d1.contains(IR),
            "Iran is in D:2, D:3, D:4, D:5 and E:1, not D:1"
        );
        let b = builtin_group("EAR:B").unwrap();
        assert!(b.contains(NL) && !b.contains(CN));
    }

    #[test]
    fn a1_is_wassenaar_less_malta_russia_ukraine_and_the_us() {
        let a1 = builtin_group("EAR:A:1").unwrap().members;
        let was = builtin_group("WASSENAAR").unwrap().members;
        // The EAR's country groups list foreign destinations only.
        assert_eq!(was.difference(&a1), CountrySet::of(&[MT, RU, UA, US]));
        assert!(a1.difference(&was).is_empty());
    }

    #[test]
    fn set_algebra() {
        let a = CountrySet::of(&[CN, MO, RU]);
        let b = CountrySet::of(&[RU, US]);
        assert_eq!(a.intersection(&b), CountrySet::of(&[RU]));
        assert_eq!(a.union(&b).len(), 4);
        assert_eq!(a.difference(&b), CountrySet::of(&[CN, MO]));
        assert_eq!(CountrySet::all().len(), Country::ALL.len());
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"["CN","MO","RU"]"#);
    }
}
