//! ISO 3166-1 alpha-2 countries.
//!
//! `Country` is a one-byte `Copy` enum so that cases and country sets stay small and comparisons are free.
//! It knows codes and English short names only; membership of groups lives in [`crate::vocab::group`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::suggest::nearest;

macro_rules! countries {
    ($($code:ident => $name:literal,)*) => {
        /// A country or territory with an ISO 3166-1 alpha-2 code.
        ///
        /// ```
        /// use control_core::Country;
        /// let cn: Country = "cn".parse().unwrap();
        /// assert_eq!(cn, Country::CN);
        /// assert_eq!(cn.name(), "China");
        /// let err = "CX1".parse::<Country>().unwrap_err();
        /// assert!(err.to_string().contains("not an ISO 3166-1 alpha-2 code"));
        /// ```
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub enum Country {
            $(#[doc = $name] $code,)*
        }

        impl Country {
            /// Every country, in code order.
            pub const ALL: &'static [Country] = &[$(Country::$code,)*];

            /// The two-letter code, upper case.
            pub const fn code(self) -> &'static str {
                match self { $(Country::$code => stringify!($code),)* }
            }

            /// The English short name.
            pub const fn name(self) -> &'static str {
                match self { $(Country::$code => $name,)* }
            }
        }
    };
}

countries! {
    AD => "Andorra", AE => "United Arab Emirates", AF => "Afghanistan", AG => "Antigua and Barbuda",
    AI => "Anguilla", AL => "Albania", AM => "Armenia", AO => "Angola", AQ => "Antarctica",
    AR => "Argentina", AS => "American Samoa", AT => "Austria", AU => "Australia", AW => "Aruba",
    AX => "Åland Islands", AZ => "Azerbaijan",
    BA => "Bosnia and Herzegovina", BB => "Barbados", BD => "Bangladesh", BE => "Belgium",
    BF => "Burkina Faso", BG => "Bulgaria", BH => "Bahrain", BI => "Burundi", BJ => "Benin",
    BL => "Saint Barthélemy", BM => "Bermuda", BN => "Brunei Darussalam", BO => "Bolivia",
    BQ => "Bonaire, Sint Eustatius and Saba", BR => "Brazil", BS => "Bahamas", BT => "Bhutan",
    BV => "Bouvet Island", BW => "Botswana", BY => "Belarus", BZ => "Belize",
    CA => "Canada", CC => "Cocos (Keeling) Islands", CD => "Congo, Democratic Republic of the",
    CF => "Central African Republic", CG => "Congo", CH => "Switzerland", CI => "Côte d'Ivoire",
    CK => "Cook Islands", CL => "Chile", CM => "Cameroon", CN => "China", CO => "Colombia",
    CR => "Costa Rica", CU => "Cuba", CV => "Cabo Verde", CW => "Curaçao", CX => "Christmas Island",
    CY => "Cyprus", CZ => "Czechia",
    DE => "Germany", DJ => "Djibouti", DK => "Denmark", DM => "Dominica", DO => "Dominican Republic",
    DZ => "Algeria",
    EC => "Ecuador", EE => "Estonia", EG => "Egypt", EH => "Western Sahara", ER => "Eritrea",
    ES => "Spain", ET => "Ethiopia",
    FI => "Finland", FJ => "Fiji", FK => "Falkland Islands (Malvinas)", FM => "Micronesia",
    FO => "Faroe Islands", FR => "France",
    GA => "Gabon", GB => "United Kingdom", GD => "Grenada", GE => "Georgia", GF => "French Guiana",
    GG => "Guernsey", GH => "Ghana", GI => "Gibraltar", GL => "Greenland", GM => "Gambia",
    GN => "Guinea", GP => "Guadeloupe", GQ => "Equatorial Guinea", GR => "Greece",
    GS => "South Georgia and the South Sandwich Islands", GT => "Guatemala", GU => "Guam",
    GW => "Guinea-Bissau", GY => "Guyana",
    HK => "Hong Kong", HM => "Heard Island and McDonald Islands", HN => "Honduras", HR => "Croatia",
    HT => "Haiti", HU => "Hungary",
    ID => "Indonesia", IE => "Ireland", IL => "Israel", IM => "Isle of Man", IN => "India",
    IO => "British Indian Ocean Territory", IQ => "Iraq", IR => "Iran", IS => "Iceland", IT => "Italy",
    JE => "Jersey", JM => "Jamaica", JO => "Jordan", JP => "Japan",
    KE => "Kenya", KG => "Kyrgyzstan", KH => "Cambodia", KI => "Kiribati", KM => "Comoros",
    KN => "Saint Kitts and Nevis", KP => "North Korea", KR => "South Korea", KW => "Kuwait",
    KY => "Cayman Islands", KZ => "Kazakhstan",
    LA => "Laos", LB => "Lebanon", LC => "Saint Lucia", LI => "Liechtenstein", LK => "Sri Lanka",
    LR => "Liberia", LS => "Lesotho", LT => "Lithuania", LU => "Luxembourg", LV => "Latvia",
    LY => "Libya",
    MA => "Morocco", MC => "Monaco", MD => "Moldova", ME => "Montenegro",
    MF => "Saint Martin (French part)", MG => "Madagascar", MH => "Marshall Islands",
    MK => "North Macedonia", ML => "Mali", MM => "Myanmar", MN => "Mongolia", MO => "Macao",
    MP => "Northern Mariana Islands", MQ => "Martinique", MR => "Mauritania", MS => "Montserrat",
    MT => "Malta", MU => "Mauritius", MV => "Maldives", MW => "Malawi", MX => "Mexico",
    MY => "Malaysia", MZ => "Mozambique",
    NA => "Namibia", NC => "New Caledonia", NE => "Niger", NF => "Norfolk Island", NG => "Nigeria",
    NI => "Nicaragua", NL => "Netherlands", NO => "Norway", NP => "Nepal", NR => "Nauru",
    NU => "Niue", NZ => "New Zealand",
    OM => "Oman",
    PA => "Panama", PE => "Peru", PF => "French Polynesia", PG => "Papua New Guinea",
    PH => "Philippines", PK => "Pakistan", PL => "Poland", PM => "Saint Pierre and Miquelon",
    PN => "Pitcairn", PR => "Puerto Rico", PS => "Palestine", PT => "Portugal", PW => "Palau",
    PY => "Paraguay",
    QA => "Qatar",
    RE => "Réunion", RO => "Romania", RS => "Serbia", RU => "Russia", RW => "Rwanda",
    SA => "Saudi Arabia", SB => "Solomon Islands", SC => "Seychelles", SD => "Sudan", SE => "Sweden",
    SG => "Singapore", SH => "Saint Helena, Ascension and Tristan da Cunha", SI => "Slovenia",
    SJ => "Svalbard and Jan Mayen", SK => "Slovakia", SL => "Sierra Leone", SM => "San Marino",
    SN => "Senegal", SO => "Somalia", SR => "Suriname", SS => "South Sudan",
    ST => "Sao Tome and Principe", SV => "El Salvador", SX => "Sint Maarten (Dutch part)",
    SY => "Syria", SZ => "Eswatini",
    TC => "Turks and Caicos Islands", TD => "Chad", TF => "French Southern Territories", TG => "Togo",
    TH => "Thailand", TJ => "Tajikistan", TK => "Tokelau", TL => "Timor-Leste", TM => "Turkmenistan",
    TN => "Tunisia", TO => "Tonga", TR => "Türkiye", TT => "Trinidad and Tobago", TV => "Tuvalu",
    TW => "Taiwan", TZ => "Tanzania",
    UA => "Ukraine", UG => "Uganda", UM => "United States Minor Outlying Islands",
    US => "United States", UY => "Uruguay", UZ => "Uzbekistan",
    VA => "Holy See", VC => "Saint Vincent and the Grenadines", VE => "Venezuela",
    VG => "Virgin Islands (British)", VI => "Virgin Islands (U.S.)", VN => "Vietnam", VU => "Vanuatu",
    WF => "Wallis and Futuna", WS => "Samoa",
    YE => "Yemen", YT => "Mayotte",
    ZA => "South Africa", ZM => "Zambia", ZW => "Zimbabwe",
}

/// Codes people write that ISO does not use, with the code they mean.
const ALIASES: &[(&str, Country)] = &[
    ("UK", Country::GB),
    ("EL", Country::GR),
    // ISO alpha-3 codes of the countries export-control data names most.
    ("CHN", Country::CN),
    ("USA", Country::US),
    ("NLD", Country::NL),
    ("DEU", Country::DE),
    ("JPN", Country::JP),
    ("KOR", Country::KR),
    ("PRK", Country::KP),
    ("TWN", Country::TW),
    ("RUS", Country::RU),
    ("GBR", Country::GB),
    ("FRA", Country::FR),
    ("MAC", Country::MO),
    ("HKG", Country::HK),
    ("IND", Country::IN),
    ("IRN", Country::IR),
];

impl Country {
    /// The position of this country in [`Country::ALL`] (0..249).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The country at `index` in [`Country::ALL`].
    pub fn from_index(index: usize) -> Option<Country> {
        Self::ALL.get(index).copied()
    }
}

/// A string that is not an ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not an ISO 3166-1 alpha-2 code{}", match suggestion {
    Some(c) => format!("; did you mean `{}` ({})?", c.code(), c.name()),
    None => String::new(),
})]
pub struct UnknownCountry {
    /// What was written.
    pub input: String,
    /// The valid code nearest to it, if any is close.
    pub suggestion: Option<Country>,
}

impl Country {
    /// Parses a two-letter code, ignoring case and surrounding white space.
    pub fn parse(input: &str) -> Result<Country, UnknownCountry> {
        let code = input.trim();
        if let [a, b] = code.as_bytes() {
            let upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
            if let Ok(i) = Self::ALL.binary_search_by(|c| c.code().as_bytes().cmp(&upper[..])) {
                return Ok(Self::ALL[i]);
            }
        }
        Err(UnknownCountry {
            input: input.to_owned(),
            suggestion: Self::suggest(code),
        })
    }

    /// The country whose English short name is `name`, ignoring case.
    pub fn from_name(name: &str) -> Option<Country> {
        let name = name.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }

    fn suggest(input: &str) -> Option<Country> {
        let upper = input.to_ascii_uppercase();
        if let Some(&(_, c)) = ALIASES.iter().find(|(alias, _)| *alias == upper) {
            return Some(c);
        }
        if input.chars().count() > 3 {
            // Longer input is usually a name ("Chnia", "Netherland").
            if let Some(c) = Self::from_name(input) {
                return Some(c);
            }
            let lower = input.to_lowercase();
            let names = Self::ALL
                .iter()
                .map(|c| (c.name().to_lowercase(), *c))
                .collect::<Vec<_>>();
            return nearest(&lower, names.iter().map(|(n, c)| (n.as_str(), *c)), 3);
        }
        // Two or three letters are one edit from a dozen codes; the likeliest slip keeps the first letter
        // (`CX` for `CN` is a typo, `XN` less so). Without such a code there is no good guess.
        let first = upper.chars().next()?;
        nearest(
            &upper,
            Self::ALL
                .iter()
                .filter(|c| c.code().starts_with(first))
                .map(|c| (c.code(), *c)),
            1,
        )
    }
}

impl FromStr for Country {
    type Err = UnknownCountry;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Country::parse(s)
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Country::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table_is_complete_and_sorted() {
        assert_eq!(Country::ALL.len(), 249);
        assert!(Country::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
        for (i, c) in Country::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Country::from_index(i), Some(*c));
        }
    }

    #[test]
    fn parses_case_insensitively() {
        assert_eq!(Country::parse("nl"), Ok(Country::NL));
        assert_eq!(Country::parse(" Cn "), Ok(Country::CN));
        assert_eq!(Country::from_name("south korea"), Some(Country::KR));
    }

    #[test]
    fn unknown_codes_suggest_the_nearest() {
        let err = Country::parse("UK").unwrap_err();
        assert_eq!(err.suggestion, Some(Country::GB));
        assert_eq!(
            err.to_string(),
            "`UK` is not an ISO 3166-1 alpha-2 code; did you mean `GB` (United Kingdom)?"
        );
        assert_eq!(
            Country::parse("Chnia").unwrap_err().suggestion,
            Some(Country::CN)
        );
        assert_eq!(
            Country::parse("Netherland").unwrap_err().suggestion,
            Some(Country::NL)
        );
        assert_eq!(
            Country::parse("QQ").unwrap_err().suggestion,
            Some(Country::QA)
        );
        assert_eq!(Country::parse("XX").unwrap_err().suggestion, None);
        assert_eq!(
            Country::parse("CHI").unwrap_err().suggestion,
            Some(Country::CH)
        );
        assert_eq!(
            Country::parse("NLD").unwrap_err().suggestion,
            Some(Country::NL)
        );
        assert_eq!(
            Country::parse("USA").unwrap_err().suggestion,
            Some(Country::US)
        );
        assert_eq!(Country::parse("").unwrap_err().suggestion, None);
        assert_eq!(Country::parse("zzzzzzzzzzzz").unwrap_err().suggestion, None);
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(serde_json::to_string(&Country::JP).unwrap(), "\"JP\"");
        assert_eq!(
            serde_json::from_str::<Country>("\"kr\"").unwrap(),
            Country::KR
        );
        assert!(serde_json::from_str::<Country>("\"XX\"").is_err());
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(i in 0usize..249) {
            let c = Country::from_index(i).unwrap();
            prop_assert_eq!(Country::parse(&c.to_string()), Ok(c));
            prop_assert_eq!(Country::parse(&c.code().to_lowercase()), Ok(c));
        }

        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC*") {
            let _ = Country::parse(&s);
        }
    }
}
