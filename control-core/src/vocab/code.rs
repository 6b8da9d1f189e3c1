//! Hierarchical control-list codes: ECCNs (`3B001.f.4`), `EAR99`, and entries of other regimes' lists.
//!
//! Accepted forms:
//! - an ECCN: a category digit, a product group `A`–`E`, a three-digit number, then sub-paragraphs
//!   (`3A090`, `3B001.f.4`, `5A992.z`). The EU's Annex I, the Dutch annex and the Wassenaar list use the same
//!   numbering, so `3B001.f.4` names the same paragraph in all of them;
//! - `EAR99`, items subject to the EAR but on no list (it has no sub-paragraphs);
//! - `UNLISTED`, an item on no entry of the list a field holds (an item's classification under a list it is
//!   not on; it has no sub-paragraphs);
//! - a list entry with a prefix, `LIST:item.sub…`, for lists with their own numbering: `JP:7.18` is item 7(18)
//!   of Japan's Export Trade Control Order, Appended Table 1.
//!
//! Sub-paragraphs are 1–3 letters or 1–3 digits. Letters are stored lower case in sub-paragraphs and upper case
//! in roots, so `3b001.F.4` and `3B001.f.4` are the same code. `is_under` is the hierarchy: every code is under
//! itself and its ancestors.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest code, in bytes.
pub const MAX_CODE_LEN: usize = 31;

/// A validated, canonical control-list code; `Copy`, 32 bytes, no heap.
///
/// ```
/// use control_core::ControlCode;
/// let item: ControlCode = "3B001.f.4".parse().unwrap();
/// assert!(item.is_under(&"3B001".parse().unwrap()));
/// assert!(!item.is_under(&"3B001.f.1".parse().unwrap()));
/// let err = "3F001".parse::<ControlCode>().unwrap_err();
/// assert_eq!(err.to_string(), "`3F001` is not a valid control code: character 2, `F`, is not an ECCN product group (A to E)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ControlCode {
    len: u8,
    bytes: [u8; MAX_CODE_LEN],
}

/// Why a string is not a control code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid control code: {kind}")]
pub struct CodeError {
    /// What was written.
    pub input: String,
    /// 1-based position of the offending character (0 when the problem is the whole string).
    pub position: usize,
    /// What is wrong.
    pub kind: CodeErrorKind,
}

/// What is wrong with a control code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeErrorKind {
    /// Nothing was written.
    #[error(
        "it is empty; write an ECCN such as `3B001`, `EAR99`, or a list entry such as `JP:7.18`"
    )]
    Empty,
    /// Longer than [`MAX_CODE_LEN`].
    #[error("it is longer than {MAX_CODE_LEN} characters")]
    TooLong,
    /// The first character of an ECCN is not a digit.
    #[error("character {0}, `{1}`, is not an ECCN category (0 to 9); ECCNs look like `3B001`")]
    Category(usize, char),
    /// The second character of an ECCN is not A–E.
    #[error("character {0}, `{1}`, is not an ECCN product group (A to E)")]
    ProductGroup(usize, char),
    /// The ECCN's number is not three digits.
    #[error("character {0}, `{1}`, should be a digit: an ECCN ends its first part in three digits")]
    Number(usize, char),
    /// The ECCN stops before its three-digit number is complete.
    #[error("the ECCN's number is incomplete: it needs three digits after the product group")]
    ShortNumber,
    /// The ECCN's first part is longer than five characters.
    #[error("character {0}, `{1}`, follows a complete ECCN; separate sub-paragraphs with `.`")]
    MissingDot(usize, char),
    /// Two dots in a row, or a dot at the end.
    #[error("character {0}: a sub-paragraph is empty")]
    EmptySegment(usize),
    /// A character that cannot appear in a sub-paragraph.
    #[error("character {0}, `{1}`, cannot appear in a sub-paragraph (letters or digits only)")]
    SegmentChar(usize, char),
    /// A sub-paragraph mixes letters and digits.
    #[error(
        "character {0}, `{1}`: a sub-paragraph is all letters or all digits; separate them with `.`"
    )]
    MixedSegment(usize, char),
    /// A sub-paragraph longer than three characters.
    #[error("character {0}: a sub-paragraph has at most 3 characters")]
    LongSegment(usize),
    /// `EAR99` with sub-paragraphs.
    #[error("`EAR99` has no sub-paragraphs")]
    Ear99Children,
    /// `UNLISTED` with sub-paragraphs.
    #[error("`UNLISTED` has no sub-paragraphs")]
    UnlistedChildren,
    /// A list prefix that is not 2–8 letters.
    #[error("character {0}, `{1}`: a list prefix is 2 to 8 letters, as in `JP:7.18`")]
    ListPrefix(usize, char),
}

impl ControlCode {
    /// Parses and canonicalises a code.
    pub fn parse(input: &str) -> Result<ControlCode, CodeError> {
        let err = |position, kind| CodeError {
            input: input.to_owned(),
            position,
            kind,
        };
        let text = input.trim();
        if text.is_empty() {
            return Err(err(0, CodeErrorKind::Empty));
        }
        // Positions are 1-based character positions within the trimmed text.
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(chars.len());
        let rest_start;
        if text.eq_ignore_ascii_case("EAR99") {
            out.push_str("EAR99");
            rest_start = chars.len();
        } else if text.eq_ignore_ascii_case("UNLISTED") {
            out.push_str("UNLISTED");
            rest_start = chars.len();
        } else if text
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("UNLISTED."))
        {
            return Err(err(9, CodeErrorKind::UnlistedChildren));
        } else if text
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("EAR99"))
            && chars.get(5) == Some(&'.')
        {
            return Err(err(6, CodeErrorKind::Ear99Children));
        } else if let Some(colon) = chars.iter().position(|c| *c == ':') {
            for (i, c) in chars[..colon].iter().enumerate() {
                if !c.is_ascii_alphabetic() {
                    return Err(err(i + 1, CodeErrorKind::ListPrefix(i + 1, *c)));
                }
            }
            if !(2..=8).contains(&colon) {
                return Err(err(colon + 1, CodeErrorKind::ListPrefix(colon + 1, ':')));
            }
            out.extend(chars[..colon].iter().map(|c| c.to_ascii_uppercase()));
            out.push(':');
            let rest: String = chars[colon + 1..].iter().collect();
            // A list numbered like the ECCNs (the Dutch annex's `NL:3B001.f.4`) keeps that form.
            let eccn = (!rest.contains(':')
                && rest.as_bytes().first().is_some_and(u8::is_ascii_digit))
            .then(|| ControlCode::parse(&rest).ok())
            .flatten()
            .filter(|c| c.as_str() != "EAR99" && c.as_str() != "UNLISTED");
            if let Some(eccn) = eccn {
                out.push_str(eccn.as_str());
                rest_start = chars.len();
            } else {
                // The item number after the prefix is the first segment.
                let end = chars[colon + 1..]
                    .iter()
                    .position(|c| *c == '.')
                    .map_or(chars.len(), |p| colon + 1 + p);
                segment(&chars, colon + 1, end, &mut out).map_err(|(p, k)| err(p, k))?;
                rest_start = end;
            }
        } else {
            let c0 = chars[0];
            if !c0.is_ascii_digit() {
                return Err(err(1, CodeErrorKind::Category(1, c0)));
            }
            out.push(c0);
            match chars.get(1) {
                Some(c) if ('A'..='E').contains(&c.to_ascii_uppercase()) => {
                    out.push(c.to_ascii_uppercase())
                }
                Some(c) => return Err(err(2, CodeErrorKind::ProductGroup(2, *c))),
                None => return Err(err(0, CodeErrorKind::ShortNumber)),
            }
            for i in 2..5 {
                match chars.get(i) {
                    Some(c) if c.is_ascii_digit() => out.push(*c),
                    Some(c) => return Err(err(i + 1, CodeErrorKind::Number(i + 1, *c))),
                    None => return Err(err(0, CodeErrorKind::ShortNumber)),
                }
            }
            if let Some(c) = chars.get(5).filter(|c| **c != '.') {
                return Err(err(6, CodeErrorKind::MissingDot(6, *c)));
            }
            rest_start = 5;
        }
        let mut i = rest_start;
        while i < chars.len() {
            // chars[i] is a dot.
            out.push('.');
            let end = chars[i + 1..]
                .iter()
                .position(|c| *c == '.')
                .map_or(chars.len(), |p| i + 1 + p);
            segment(&chars, i + 1, end, &mut out).map_err(|(p, k)| err(p, k))?;
            i = end;
        }
        if out.len() > MAX_CODE_LEN {
            return Err(err(0, CodeErrorKind::TooLong));
        }
        let mut bytes = [0u8; MAX_CODE_LEN];
        bytes[..out.len()].copy_from_slice(out.as_bytes());
        Ok(ControlCode {
            len: out.len() as u8,
            bytes,
        })
    }

    /// `UNLISTED`: on no entry of the list.
    pub fn unlisted() -> ControlCode {
        let mut bytes = [0u8; MAX_CODE_LEN];
        bytes[..8].copy_from_slice(b"UNLISTED");
        ControlCode { len: 8, bytes }
    }

    /// The list prefix the code was written with (`JP` for `JP:7.18`), if any.
    pub fn list_prefix(&self) -> Option<&str> {
        self.as_str().split_once(':').map(|(p, _)| p)
    }

    /// The canonical text's bytes (ASCII), without the UTF-8 check of [`ControlCode::as_str`]: for code on
    /// the decision path. Inlined into other crates (generated evaluators call it for every `under` test).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The first level of the code (`3B001` of `3B001.f.4`, `JP:7` of `JP:7.18`) packed big-endian into an
    /// integer, if it has at most 8 bytes: the dispatch key of compiled evaluators (packing keeps the order of
    /// the texts). Reads a fixed 8-byte word and masks it: no copy of variable length on the decision path.
    #[inline]
    pub fn root_key(&self) -> Option<u64> {
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.bytes[..8]);
        let word = u64::from_be_bytes(word);
        // Bytes after the text are zero, so only a dot inside the word needs masking.
        match self.bytes[..9].iter().position(|&b| b == b'.') {
            Some(0) => Some(0),
            Some(p) => Some(word & (u64::MAX << (8 * (8 - p)))),
            None if self.len <= 8 => Some(word),
            None => None,
        }
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// Whether this code is `ancestor` or a sub-paragraph of it, at any depth.
    pub fn is_under(&self, ancestor: &ControlCode) -> bool {
        let (me, up) = (self.as_bytes(), ancestor.as_bytes());
        me == up || (me.starts_with(up) && me[up.len()] == b'.')
    }

    /// The enclosing paragraph, if this code has one (`3B001.f` for `3B001.f.4`).
    pub fn parent(&self) -> Option<ControlCode> {
        let s = self.as_str();
        let cut = s.rfind('.')?;
        let mut bytes = [0u8; MAX_CODE_LEN];
        bytes[..cut].copy_from_slice(&s.as_bytes()[..cut]);
        Some(ControlCode {
            len: cut as u8,
            bytes,
        })
    }

    /// The number of levels: 1 for `3B001`, 3 for `3B001.f.4`.
    pub fn depth(&self) -> usize {
        self.as_str().split('.').count()
    }
}

/// Validates `chars[start..end]` as a sub-paragraph and appends it, canonical, to `out`.
fn segment(
    chars: &[char],
    start: usize,
    end: usize,
    out: &mut String,
) -> Result<(), (usize, CodeErrorKind)> {
    if start >= end {
        return Err((start + 1, CodeErrorKind::EmptySegment(start + 1)));
    }
    let digits = chars[start].is_ascii_digit();
    for (i, c) in chars[start..end].iter().enumerate() {
        let pos = start + i + 1;
        if !c.is_ascii_alphanumeric() {
            return Err((pos, CodeErrorKind::SegmentChar(pos, *c)));
        }
        if c.is_ascii_digit() != digits {
            return Err((pos, CodeErrorKind::MixedSegment(pos, *c)));
        }
        if i == 3 {
            return Err((pos, CodeErrorKind::LongSegment(pos)));
        }
        out.push(c.to_ascii_lowercase());
    }
    Ok(())
}

/// Codes order by their text, so a paragraph comes right before its sub-paragraphs.
impl ControlCode {
    /// The code as two big-endian words whose order is the order of the texts: only non-zero ASCII is
    /// stored and the rest of the buffer is zero, so a code that is a prefix of another sorts first.
    pub(crate) fn order_key(&self) -> (u128, u128) {
        const _: () = assert!(MAX_CODE_LEN <= 32);
        let (mut hi, mut lo) = ([0u8; 16], [0u8; 16]);
        hi.copy_from_slice(&self.bytes[..16]);
        lo[..MAX_CODE_LEN - 16].copy_from_slice(&self.bytes[16..]);
        (u128::from_be_bytes(hi), u128::from_be_bytes(lo))
    }
}

impl ControlCode {
    /// An order key above every code under this one (itself included) and below every other code that sorts
    /// after it: the key of the text followed by `/`, the character after `.`.
    pub(crate) fn subtree_end_key(&self) -> (u128, u128) {
        let mut next = *self;
        match next.bytes.get_mut(usize::from(self.len)) {
            Some(b) => *b = b'/',
            // A code of the longest length has no sub-paragraphs: the key just above its own.
            None => {
                let (hi, lo) = self.order_key();
                return (hi, lo + 1);
            }
        }
        next.order_key()
    }
}

/// The order of the texts (`3B001` < `3B001.a` < `3B001.b` < `3B002`).
impl Ord for ControlCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl PartialOrd for ControlCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for ControlCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ControlCode::parse(s)
    }
}

impl fmt::Display for ControlCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ControlCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ControlCode({})", self.as_str())
    }
}

impl Serialize for ControlCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ControlCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ControlCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> ControlCode {
        ControlCode::parse(s).unwrap()
    }

    #[test]
    fn accepts_the_forms_in_use() {
        for s in [
            "3B001.f.4",
            "3A090.a",
            "4A090",
            "5A992.z",
            "EAR99",
            "3B001.d.12",
            "3D007",
            "JP:7.18",
            "JP:7.18.a",
        ] {
            assert_eq!(code(s).as_str(), s);
        }
        assert_eq!(code(" 3b001.F.4 ").as_str(), "3B001.f.4");
        assert_eq!(code("ear99").as_str(), "EAR99");
        assert_eq!(code("unlisted"), ControlCode::unlisted());
        assert_eq!(code("NL:3B001.f.4").list_prefix(), Some("NL"));
        assert_eq!(code("3B001.f.4").list_prefix(), None);
        assert_eq!(
            ControlCode::parse("UNLISTED.a").unwrap_err().kind,
            CodeErrorKind::UnlistedChildren
        );
        assert_eq!(code("jp:7").as_str(), "JP:7");
    }

    #[test]
    fn hierarchy() {
        assert!(code("3B001.f.4").is_under(&code("3B001")));
        assert!(code("3B001.f.4").is_under(&code("3B001.f")));
        assert!(code("3B001").is_under(&code("3B001")));
        assert!(!code("3B001").is_under(&code("3B001.f")));
        assert!(ControlCode::parse("3B0010").is_err());
        assert!(!code("3B001.f.10").is_under(&code("3B001.f.1")));
        assert_eq!(code("3B001.f.4").parent(), Some(code("3B001.f")));
        assert_eq!(code("3B001").parent(), None);
        assert_eq!(code("3B001.f.4").depth(), 3);
    }

    #[test]
    fn errors_name_the_character_and_the_reason() {
        let e = |s: &str| ControlCode::parse(s).unwrap_err();
        assert_eq!(e("").kind, CodeErrorKind::Empty);
        assert_eq!(e("X3B001").kind, CodeErrorKind::Category(1, 'X'));
        assert_eq!(e("3B0O1").kind, CodeErrorKind::Number(4, 'O'));
        assert_eq!(e("3B01").kind, CodeErrorKind::ShortNumber);
        assert_eq!(e("3B001..f").kind, CodeErrorKind::EmptySegment(7));
        assert_eq!(e("3B001.f.").kind, CodeErrorKind::EmptySegment(9));
        assert_eq!(e("3B001.f1").kind, CodeErrorKind::MixedSegment(8, '1'));
        assert_eq!(e("3B001.f-1").kind, CodeErrorKind::SegmentChar(8, '-'));
        assert_eq!(e("3B001f").kind, CodeErrorKind::MissingDot(6, 'f'));
        assert_eq!(e("3B001.abcd").kind, CodeErrorKind::LongSegment(10));
        assert_eq!(e("EAR99.a").kind, CodeErrorKind::Ear99Children);
        assert_eq!(e("J:7").kind, CodeErrorKind::ListPrefix(2, ':'));
        assert_eq!(e("J1:7").kind, CodeErrorKind::ListPrefix(2, '1'));
        assert_eq!(
            e(&format!("3B001{}", ".a.1".repeat(7))).kind,
            CodeErrorKind::TooLong
        );
        assert_eq!(
            e("3B0O1").to_string(),
            "`3B0O1` is not a valid control code: character 4, `O`, should be a digit: an ECCN ends its first part in three digits"
        );
    }

    #[test]
    fn codes_of_the_longest_length_sort_on_their_last_character() {
        let long = |last: &str| code(&format!("3B001.aaa.bbb.ccc.ddd.eee.fff.{last}"));
        assert_eq!(long("a").as_str().len(), MAX_CODE_LEN);
        assert!(long("a") < long("b") && long("b") < long("z"));
        assert!(long("a").order_key() < long("a").subtree_end_key());
        assert!(long("a").subtree_end_key() < long("b").order_key());
        assert!(code("3B001.aaa.bbb.ccc.ddd.eee.fff") < long("a"));
        assert!(code("JP:7.18") < code("JP:7.18.a") && code("EAR99") > code("9E999"));
    }

    fn arb_code() -> impl Strategy<Value = String> {
        let seg = prop_oneof!["[a-z]{1,3}", "[0-9]{1,3}"];
        ("[0-9][A-E][0-9]{3}", prop::collection::vec(seg, 0..4)).prop_map(|(root, segs)| {
            std::iter::once(root)
                .chain(segs)
                .collect::<Vec<_>>()
                .join(".")
        })
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(s in arb_code()) {
            let c = code(&s);
            prop_assert_eq!(c.to_string(), s.clone());
            prop_assert_eq!(code(&c.to_string()), c);
            let json = serde_json::to_string(&c).unwrap();
            prop_assert_eq!(serde_json::from_str::<ControlCode>(&json).unwrap(), c);
        }

        #[test]
        fn every_code_is_under_each_ancestor(s in arb_code()) {
            let c = code(&s);
            let mut up = Some(c);
            while let Some(a) = up {
                prop_assert!(c.is_under(&a));
                up = a.parent();
            }
        }

        #[test]
        fn codes_sort_as_their_texts(a in arb_code(), b in arb_code()) {
            let (ca, cb) = (code(&a), code(&b));
            prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
            // The codes under `cb` are a range of the order, ending below `subtree_end_key`.
            let inside = cb <= ca && ca.order_key() < cb.subtree_end_key();
            prop_assert_eq!(inside, ca.is_under(&cb));
            let mut up = Some(ca);
            while let Some(p) = up {
                prop_assert!(p <= ca && ca.order_key() < p.subtree_end_key());
                prop_assert!(p.subtree_end_key() <= cb.order_key() || cb.is_under(&p) || cb < p);
                up = p.parent();
            }
            if let Some(p) = cb.parent() {
                prop_assert_eq!(ca.cmp(&p), a.as_str().cmp(p.as_str()));
                prop_assert!(p < cb);
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC*") {
            let _ = ControlCode::parse(&s);
        }
    }
}
