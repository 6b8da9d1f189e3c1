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
    /// The members.
    pub members: CountrySet,
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
        }
    }

    /// Whether `c` is a member.
    pub fn contains(&self, c: Country) -> bool {
        self.members.contains(c)
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
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "EAR:A:1",
        description: "Wassenaar Arrangement participating states, except Malta, Russia and Ukraine",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AR, AU, AT, BE, BG, CA, HR, CZ, DK, EE, FI, FR, DE, GR, HU, IN, IE, IT, JP, LV, LT, LU,
            MX, NL, NZ, NO, PL, PT, KR, RO, SK, SI, ZA, ES, SE, CH, TR, GB, US,
        ],
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
    },
    Builtin {
        name: "EAR:A:6",
        description: "Further allies for License Exception STA (more conditions than A:5)",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[AL, CY, IL, MT, MX, SG, ZA, TW],
    },
    Builtin {
        name: "EAR:D:1",
        description: "Countries of national security concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AM, AZ, BY, MM, KH, CN, GE, IR, IQ, KZ, KP, KG, LA, LY, MO, MD, MN, RU, TJ, TM, UZ, VE,
            VN, YE,
        ],
    },
    Builtin {
        name: "EAR:D:2",
        description: "Countries of nuclear proliferation concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[CU, IR, IQ, IL, LY, KP, PK, RU, VE],
    },
    Builtin {
        name: "EAR:D:3",
        description: "Countries of chemical and biological weapons concern",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Reconstructed,
        members: &[
            AF, AM, AZ, BH, BY, MM, CN, CU, EG, GE, IN, IR, IQ, IL, JO, KZ, KP, KW, KG, LB, LY, MO,
            MD, MN, OM, PK, QA, RU, SA, SY, TW, TJ, TM, AE, UZ, VE, VN, YE,
        ],
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
    },
    Builtin {
        name: "EAR:E:1",
        description: "Terrorist supporting countries",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Verified,
        members: &[IR, KP, SY],
    },
    Builtin {
        name: "EAR:E:2",
        description: "Unilateral embargo",
        source: EAR_SOURCE,
        as_of: EAR_AS_OF,
        provenance: Provenance::Verified,
        members: &[CU],
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
        })
        .collect();
    groups.push(CountryGroup {
        name: "EAR:B".into(),
        description: "Countries eligible for License Exception GBS and others".into(),
        source: EAR_SOURCE.into(),
        as_of: Some(EAR_AS_OF),
        provenance: Provenance::Reconstructed,
        members: CountrySet::all().difference(&CountrySet::of(NOT_IN_EAR_B)),
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
        let b = builtin_group("EAR:B").unwrap();
        assert!(b.contains(NL) && !b.contains(CN));
    }

    #[test]
    fn a1_is_wassenaar_less_malta_russia_and_ukraine() {
        let a1 = builtin_group("EAR:A:1").unwrap().members;
        let was = builtin_group("WASSENAAR").unwrap().members;
        assert_eq!(was.difference(&a1), CountrySet::of(&[MT, RU, UA]));
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
