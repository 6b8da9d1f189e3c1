//! Exact decimals with four fractional digits, for amounts and percentages (US content for de minimis).
//!
//! Floating point would make `25 %` and `24.999999 %` hard to tell apart in a threshold rule; a scaled integer
//! keeps comparisons exact and `Copy`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal number with at most four fractional digits.
///
/// The domain is every multiple of 0.0001 from [`Decimal::MIN`] (−922337203685477.5807) to [`Decimal::MAX`]
/// (922337203685477.5807), the same in parsing, in evaluation and in the analysis: a value outside it is
/// rejected where it is read, never wrapped or clamped.
///
/// ```
/// use control_core::Decimal;
/// let x: Decimal = "25.5".parse().unwrap();
/// assert!(x > Decimal::from_int(25));
/// assert_eq!(x.to_string(), "25.5");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Decimal(i64);

/// Why a string is not a decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a decimal number: {reason}")]
pub struct DecimalError {
    /// What was written.
    pub input: String,
    /// What is wrong.
    pub reason: &'static str,
}

impl Decimal {
    /// Units per 1.
    pub const SCALE: i64 = 10_000;
    /// The largest whole part that fits.
    pub const MAX_INT: i64 = i64::MAX / Self::SCALE;
    /// The largest decimal, 922337203685477.5807.
    pub const MAX: Decimal = Decimal(i64::MAX);
    /// The smallest decimal, −922337203685477.5807 (the domain is symmetric, so negation never overflows).
    pub const MIN: Decimal = Decimal(-i64::MAX);

    /// `n` as a decimal (saturating at ±[`Decimal::MAX_INT`]).
    pub const fn from_int(n: i64) -> Decimal {
        let n = if n > Self::MAX_INT {
            Self::MAX_INT
        } else if n < -Self::MAX_INT {
            -Self::MAX_INT
        } else {
            n
        };
        Decimal(n * Self::SCALE)
    }

    /// A decimal from its count of ten-thousandths, or `None` outside [`Decimal::MIN`]..=[`Decimal::MAX`]
    /// (only `i64::MIN` is).
    pub const fn from_units(units: i64) -> Option<Decimal> {
        if units == i64::MIN {
            None
        } else {
            Some(Decimal(units))
        }
    }

    /// The count of ten-thousandths.
    pub const fn units(self) -> i64 {
        self.0
    }

    /// Parses `-12`, `12.5`, `0.0001`, `+3`.
    pub fn parse(input: &str) -> Result<Decimal, DecimalError> {
        let err = |reason| DecimalError {
            input: input.to_owned(),
            reason,
        };
        let s = input.trim();
        let (neg, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(err("it has no digits"));
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err("only digits, one `.` and a leading sign are allowed"));
        }
        if frac.len() > 4 {
            return Err(err("at most four digits may follow the decimal point"));
        }
        const TOO_LARGE: &str =
            "it is outside the decimal range, -922337203685477.5807 to 922337203685477.5807";
        let whole: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| err(TOO_LARGE))?
        };
        let frac_units: i64 = frac
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(4)
            .fold(0, |n, b| n * 10 + i64::from(b - b'0'));
        // Checked: the whole range of i64 units is symmetric (MIN is -i64::MAX), so the negation cannot overflow.
        let units = whole
            .checked_mul(Self::SCALE)
            .and_then(|u| u.checked_add(frac_units))
            .ok_or_else(|| err(TOO_LARGE))?;
        Ok(Decimal(if neg { -units } else { units }))
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / Self::SCALE as u64, abs % Self::SCALE as u64);
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let frac = format!("{frac:04}");
            write!(f, "{sign}{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Accept both `25.5` and `"25.5"`; numbers go through their shortest decimal text, never through f64 maths.
        let v = serde_json::Value::deserialize(d)?;
        let text = match &v {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected a decimal number, found {other}"
                )));
            }
        };
        Decimal::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Decimal::parse("25").unwrap(), Decimal::from_int(25));
        assert_eq!(Decimal::parse("-0.5").unwrap().units(), -5000);
        assert_eq!(Decimal::parse(".25").unwrap().to_string(), "0.25");
        assert_eq!(Decimal::parse("10.0100").unwrap().to_string(), "10.01");
        assert!(Decimal::parse("1e3").is_err());
        assert!(Decimal::parse("1.23456").is_err());
        assert!(Decimal::parse("-").is_err());
        assert!(Decimal::parse("99999999999999999999").is_err());
        // The ends of the domain, and one unit past them.
        assert_eq!(Decimal::parse("922337203685477.5807"), Ok(Decimal::MAX));
        assert_eq!(Decimal::parse("-922337203685477.5807"), Ok(Decimal::MIN));
        assert!(Decimal::parse("922337203685477.5808").is_err());
        assert!(Decimal::parse("-922337203685477.5808").is_err());
        assert!(Decimal::parse("922337203685477.9999").is_err());
        assert_eq!(Decimal::MIN.to_string(), "-922337203685477.5807");
        assert_eq!(Decimal::from_units(i64::MIN), None);
        assert_eq!(
            serde_json::from_str::<Decimal>("25.5").unwrap(),
            Decimal::parse("25.5").unwrap()
        );
        assert_eq!(
            serde_json::from_str::<Decimal>("\"10\"").unwrap(),
            Decimal::from_int(10)
        );
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(units in -i64::MAX..=i64::MAX) {
            let d = Decimal::from_units(units).unwrap();
            prop_assert_eq!(Decimal::parse(&d.to_string()), Ok(d));
        }

        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC*") {
            let _ = Decimal::parse(&s);
        }
    }
}
