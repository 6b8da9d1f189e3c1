//! The vocabulary of export controls: countries, country groups, control codes, activities, end uses,
//! parties, dates and decimals. Every type parses from text with an error that says what is wrong and, where
//! a near miss is likely, what was meant.

pub mod activity;
pub mod code;
pub mod country;
pub mod decimal;
pub mod group;
pub mod lists;
pub mod party;

use jiff::civil::Date;

/// The earliest date of the domain: 0000-01-01. Cases, rules, scenarios and the analysis all use
/// [`DATE_MIN`]..=[`DATE_MAX`], the dates written with four-digit years, so every witness can be written out as
/// `YYYY-MM-DD` and read back.
pub const DATE_MIN: Date = jiff::civil::date(0, 1, 1);
/// The latest date of the domain: 9999-12-31.
pub const DATE_MAX: Date = jiff::civil::date(9999, 12, 31);

/// Whether `d` is inside the date domain ([`DATE_MIN`]..=[`DATE_MAX`]).
pub fn date_in_domain(d: Date) -> bool {
    (DATE_MIN..=DATE_MAX).contains(&d)
}

/// A string that is not a calendar date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a date in the form YYYY-MM-DD: {reason}")]
pub struct DateError {
    /// What was written.
    pub input: String,
    /// What is wrong.
    pub reason: String,
}

/// Parses an ISO 8601 calendar date with a four-digit year (`2024-03-07`), rejecting impossible ones
/// (`2023-02-29`). Every date it returns is inside [`DATE_MIN`]..=[`DATE_MAX`].
///
/// ```
/// assert!(control_core::parse_date("2024-02-29").is_ok());
/// assert_eq!(control_core::parse_date("0000-01-01").unwrap(), control_core::vocab::DATE_MIN);
/// assert!(control_core::parse_date("2023-02-29").is_err());
/// ```
pub fn parse_date(input: &str) -> Result<Date, DateError> {
    let s = input.trim();
    let err = |reason: String| DateError {
        input: input.to_owned(),
        reason,
    };
    let b = s.as_bytes();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return Err(err(
            "expected four digits, `-`, two digits, `-`, two digits".into(),
        ));
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    Date::new(y, m as i8, d as i8).map_err(|e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date(" 2024-03-07 ").unwrap(),
            jiff::civil::date(2024, 3, 7)
        );
        assert!(
            parse_date("2024-13-01")
                .unwrap_err()
                .to_string()
                .contains("2024-13-01")
        );
        assert!(parse_date("2024-3-7").is_err());
        assert!(parse_date("7 March 2024").is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC*") {
            let _ = parse_date(&s);
        }

        #[test]
        fn display_parse_round_trip(y in 1i16..9999, m in 1i8..=12, d in 1i8..=28) {
            let date = Date::new(y, m, d).unwrap();
            prop_assert_eq!(parse_date(&date.to_string()), Ok(date));
        }
    }
}
