//! The partition of each field's domain into the cells its atoms distinguish, each cell with a witness.
//!
//! Cells per type: countries are grouped by the atoms they satisfy; control codes are the mentioned codes and,
//! below each, "another sub-paragraph of it" that no atom names; numbers and dates are the intervals between
//! the bounds the atoms use, within the type's domain (the same domain every reader accepts). Every cell is
//! uniform (its values pass or fail each atom alike) and non-empty (its witness is in it).

use foldhash::HashMap;
use smallvec::{SmallVec, smallvec};
use std::borrow::Cow;

use jiff::civil::Date;

use crate::analysis::cells::{Cells, Ranges};
use crate::ir::{CmpOp, Test};
use crate::schema::{FieldType, Value};
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::decimal::Decimal;
use crate::vocab::group::CountrySet;
use crate::vocab::party::PartyId;
use crate::vocab::{DATE_MAX, DATE_MIN};

/// A test of one dimension before cells exist.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Raw {
    Countries(CountrySet),
    /// Enum variants or booleans (0 = false).
    Indices(Vec<u32>),
    Parties(Vec<PartyId>),
    CodesEq(Vec<ControlCode>),
    CodeUnder(ControlCode),
    /// Half-open intervals of keys (see `value_key`): one for a comparison or a period, in place, since the
    /// atom map compares many of them.
    Intervals(SmallVec<[(i128, i128); 1]>),
}

/// The raw atom of a test: the values it accepts, before the field's cells are known.
pub(crate) fn raw_test(test: &Test) -> Raw {
    match test {
        Test::Eq(v) => raw_values(std::slice::from_ref(v)),
        Test::In { values, .. } => raw_values(values),
        // Dated members are atoms of their own (see `SpaceBuilder::condition`).
        Test::InGroup { members, .. } => Raw::Countries(members.always),
        Test::Under(code) => Raw::CodeUnder(*code),
        Test::Cmp(op, v) => {
            let k = value_key(v).unwrap_or(0);
            Raw::Intervals(smallvec![match op {
                CmpOp::Lt => (MIN_KEY, k),
                CmpOp::Le => (MIN_KEY, k + 1),
                CmpOp::Gt => (k + 1, MAX_KEY),
                CmpOp::Ge => (k, MAX_KEY),
            }])
        }
    }
}

/// A test of field `name` in the rule author's terms, for explanations.
pub(crate) fn test_text(name: &str, ty: &FieldType, test: &Test) -> String {
    let show = |v: &Value| ty.display_value(v);
    match test {
        Test::Eq(v) => format!("{name} == {}", show(v)),
        Test::In { values, .. } => {
            let list: Vec<String> = values.iter().map(show).collect();
            format!("{name} in [{}]", list.join(", "))
        }
        Test::InGroup { group, .. } => format!("{name} in group {group}"),
        Test::Under(code) => format!("{name} under {code}"),
        Test::Cmp(op, v) => format!("{name} {} {}", op.symbol(), show(v)),
    }
}

/// The raw atom of "is one of `values`" (all of one type).
fn raw_values(values: &[Value]) -> Raw {
    match values.first() {
        None => Raw::Indices(Vec::new()),
        Some(Value::Country(_)) => Raw::Countries(
            values
                .iter()
                .filter_map(|v| {
                    if let Value::Country(c) = v {
                        Some(*c)
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        Some(Value::Enum(_) | Value::Bool(_)) => {
            let mut ix: Vec<u32> = values
                .iter()
                .filter_map(|v| match v {
                    Value::Enum(i) => Some(*i),
                    Value::Bool(b) => Some(u32::from(*b)),
                    _ => None,
                })
                .collect();
            ix.sort_unstable();
            ix.dedup();
            Raw::Indices(ix)
        }
        Some(Value::Party(_)) => {
            let mut ps: Vec<PartyId> = values
                .iter()
                .filter_map(|v| {
                    if let Value::Party(p) = v {
                        Some(p.clone())
                    } else {
                        None
                    }
                })
                .collect();
            ps.sort();
            ps.dedup();
            Raw::Parties(ps)
        }
        Some(Value::Code(_)) => {
            let mut cs: Vec<ControlCode> = values
                .iter()
                .filter_map(|v| {
                    if let Value::Code(c) = v {
                        Some(*c)
                    } else {
                        None
                    }
                })
                .collect();
            cs.sort();
            cs.dedup();
            Raw::CodesEq(cs)
        }
        Some(Value::Int(_) | Value::Decimal(_) | Value::Date(_)) => {
            let mut ks: Vec<i128> = values.iter().filter_map(value_key).collect();
            ks.sort_unstable();
            ks.dedup();
            Raw::Intervals(ks.into_iter().map(|k| (k, k + 1)).collect())
        }
    }
}

/// Keys order values of the ordered types on one line.
pub(crate) const MIN_KEY: i128 = i64::MIN as i128 - 1;
pub(crate) const MAX_KEY: i128 = i64::MAX as i128 + 2;

fn epoch() -> Date {
    jiff::civil::date(1970, 1, 1)
}

pub(crate) fn date_key(d: Date) -> i128 {
    d.since(epoch())
        .map(|s| i128::from(s.get_days()))
        .unwrap_or(0)
}

fn key_date(k: i128) -> Option<Date> {
    let days = i64::try_from(k).ok()?;
    epoch()
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

fn value_key(v: &Value) -> Option<i128> {
    match v {
        Value::Int(i) => Some(i128::from(*i)),
        Value::Decimal(d) => Some(i128::from(d.units())),
        Value::Date(d) => Some(date_key(*d)),
        _ => None,
    }
}

/// The smallest and largest key of an ordered type.
fn key_range(ty: &FieldType) -> (i128, i128) {
    match ty {
        FieldType::Int => (i128::from(i64::MIN), i128::from(i64::MAX)),
        FieldType::Decimal => (
            i128::from(Decimal::MIN.units()),
            i128::from(Decimal::MAX.units()),
        ),
        // The date domain every reader accepts (four-digit years), not jiff's wider one.
        _ => (date_key(DATE_MIN), date_key(DATE_MAX)),
    }
}

fn key_value(ty: &FieldType, k: i128) -> Option<Value> {
    match ty {
        FieldType::Int => i64::try_from(k).ok().map(Value::Int),
        FieldType::Decimal => i64::try_from(k)
            .ok()
            .and_then(Decimal::from_units)
            .map(Value::Decimal),
        _ => key_date(k).map(Value::Date),
    }
}

/// Countries shown in witnesses when any member of a cell will do: well-known ones first.
const PREFERRED: &[Country] = &[
    Country::US,
    Country::CN,
    Country::NL,
    Country::JP,
    Country::DE,
    Country::KR,
    Country::TW,
    Country::GB,
    Country::FR,
    Country::IN,
    Country::SG,
    Country::BR,
    Country::CA,
    Country::AU,
    Country::MO,
    Country::RU,
    Country::IR,
    Country::CU,
    Country::CH,
    Country::SE,
    Country::IT,
    Country::ES,
    Country::MX,
    Country::VN,
];

/// The cells of one dimension (with witnesses) and each raw atom's cell set.
/// `range` narrows a decimal field's domain (a percentage is 0 to 100).
pub(crate) fn partition(
    ty: &FieldType,
    range: Option<[Decimal; 2]>,
    raws: &[&Raw],
) -> (Vec<Value>, Vec<Cells>) {
    match ty {
        FieldType::Country => partition_countries(raws),
        FieldType::Enum { variants, .. } => {
            partition_indices(variants.len() as u32, raws, Value::Enum)
        }
        FieldType::Bool => partition_indices(2, raws, |i| Value::Bool(i == 1)),
        FieldType::Party => partition_parties(raws),
        FieldType::Code => partition_codes(raws),
        FieldType::Int | FieldType::Decimal | FieldType::Date => {
            let keys = range.map(|[lo, hi]| (i128::from(lo.units()), i128::from(hi.units())));
            partition_ordered(ty, keys.unwrap_or_else(|| key_range(ty)), raws)
        }
    }
}

fn partition_countries(raws: &[&Raw]) -> (Vec<Value>, Vec<Cells>) {
    // Group countries by the atoms they satisfy.
    let mut sig: Vec<Vec<u32>> = vec![Vec::new(); Country::ALL.len()];
    for (a, raw) in raws.iter().enumerate() {
        if let Raw::Countries(set) = raw {
            for c in set.iter() {
                sig[c.index()].push(a as u32);
            }
        }
    }
    let mut class_of: HashMap<&Vec<u32>, u32> = HashMap::default();
    let mut members: Vec<CountrySet> = Vec::new();
    let mut cell_of = vec![0u32; Country::ALL.len()];
    for c in Country::ALL {
        let next = members.len() as u32;
        let k = *class_of.entry(&sig[c.index()]).or_insert(next);
        if k == next {
            members.push(CountrySet::EMPTY);
        }
        members[k as usize].insert(*c);
        cell_of[c.index()] = k;
    }
    let witnesses = members
        .iter()
        .map(|m| {
            let c = PREFERRED
                .iter()
                .copied()
                .find(|c| m.contains(*c))
                .or_else(|| m.iter().next())
                .unwrap_or(Country::US);
            Value::Country(c)
        })
        .collect();
    let sets = raws
        .iter()
        .map(|raw| match raw {
            Raw::Countries(set) => {
                Cells::from_indices(set.iter().map(|c| cell_of[c.index()]).collect())
            }
            _ => Cells::default(),
        })
        .collect();
    (witnesses, sets)
}

fn partition_indices(
    n: u32,
    raws: &[&Raw],
    value: impl Fn(u32) -> Value,
) -> (Vec<Value>, Vec<Cells>) {
    let witnesses = (0..n).map(value).collect();
    let sets = raws
        .iter()
        .map(|raw| match raw {
            Raw::Indices(ix) => {
                Cells::from_indices(ix.iter().copied().filter(|i| *i < n).collect())
            }
            _ => Cells::default(),
        })
        .collect();
    (witnesses, sets)
}

fn partition_parties(raws: &[&Raw]) -> (Vec<Value>, Vec<Cells>) {
    let mut named: Vec<PartyId> = raws
        .iter()
        .flat_map(|r| {
            if let Raw::Parties(ps) = r {
                ps.clone()
            } else {
                Vec::new()
            }
        })
        .collect();
    named.sort();
    named.dedup();
    // One more party that no rule names.
    let mut other = String::from("unlisted-party");
    while named.iter().any(|p| p.as_str() == other) {
        other.push('x');
    }
    let index: HashMap<&PartyId, u32> = named
        .iter()
        .enumerate()
        .map(|(i, p)| (p, i as u32))
        .collect();
    let sets = raws
        .iter()
        .map(|raw| match raw {
            Raw::Parties(ps) => {
                Cells::from_indices(ps.iter().filter_map(|p| index.get(p).copied()).collect())
            }
            _ => Cells::default(),
        })
        .collect();
    let mut witnesses: Vec<Value> = named.iter().cloned().map(Value::Party).collect();
    witnesses.push(Value::Party(PartyId::new(&other)));
    (witnesses, sets)
}

fn partition_codes(raws: &[&Raw]) -> (Vec<Value>, Vec<Cells>) {
    let mut mentioned: Vec<ControlCode> = raws
        .iter()
        .flat_map(|r| match r {
            Raw::CodesEq(cs) => cs.as_slice(),
            Raw::CodeUnder(c) => std::slice::from_ref(c),
            _ => &[],
        })
        .copied()
        .collect();
    mentioned.sort_unstable();
    mentioned.dedup();
    let is_mentioned = |c: &ControlCode| mentioned.binary_search(c).is_ok();
    // Elements: each mentioned code; below each, another code under it and under no deeper mentioned code;
    // and a code under no mentioned code. A code's cell is decided by its deepest mentioned ancestor-or-self.
    // Only the mentioned codes are exact elements: the others are codes no rule names.
    let mut elements: Vec<(ControlCode, bool)> = Vec::with_capacity(2 * mentioned.len() + 1); // (witness, exact)
    for m in &mentioned {
        elements.push((*m, true));
        // "Another sub-paragraph of m": a direct child that no rule names. It is under no deeper mentioned code
        // (its only mentioned ancestors-or-self are m and m's ancestors), so it stands for every code whose
        // deepest mentioned ancestor is m. None exists only when m is too long to have children at all.
        if let Some(c) = unnamed_child(m, &is_mentioned) {
            elements.push((c, false));
        }
    }
    let under_any = |c: &ControlCode| {
        let mut up = Some(*c);
        while let Some(a) = up {
            if is_mentioned(&a) {
                return true;
            }
            up = a.parent();
        }
        false
    };
    // A code under no mentioned code: list-prefixed codes are unbounded in number, so one always exists.
    let outside = ["EAR99", "0A999", "9E999", "1C999", "2B999", "JPX:999"]
        .iter()
        .filter_map(|s| ControlCode::parse(s).ok())
        .chain((0u32..).filter_map(|i| ControlCode::parse(&format!("{}:1", list_prefix(i))).ok()))
        .find(|c| !under_any(c));
    if let Some(c) = outside {
        elements.push((c, false));
    }
    // Sorted by witness text, every `under` set is a contiguous range. No two elements have one code.
    elements.sort_unstable_by_key(|e| e.0);
    let sets = raws
        .iter()
        .map(|raw| match raw {
            Raw::CodesEq(cs) => Cells::from_indices(
                cs.iter()
                    .filter_map(|c| elements.binary_search_by_key(c, |e| e.0).ok())
                    .filter(|&i| elements[i].1)
                    .map(|i| i as u32)
                    .collect(),
            ),
            Raw::CodeUnder(q) => {
                // The codes under `q` are exactly the texts from `q` up to, not including, `q/` ('/' follows '.').
                let lo = elements.partition_point(|e| e.0 < *q);
                let end = q.subtree_end_key();
                let hi = lo + elements[lo..].partition_point(|e| e.0.order_key() < end);
                Cells::range(lo as u32, hi as u32)
            }
            _ => Cells::default(),
        })
        .collect();
    (
        elements.into_iter().map(|(w, _)| Value::Code(w)).collect(),
        sets,
    )
}

/// A direct child of `m` that `is_mentioned` rejects, if `m` can have children at all.
///
/// Friendly names first (`.z`, `.y`, `.x`, `.999`), then every segment of one, two and three letters or digits
/// in turn: at most as many candidates are rejected as codes are mentioned, so the search is short.
fn unnamed_child(
    m: &ControlCode,
    is_mentioned: &impl Fn(&ControlCode) -> bool,
) -> Option<ControlCode> {
    let room = crate::vocab::code::MAX_CODE_LEN.saturating_sub(m.as_str().len() + 1);
    if m.as_str() == "EAR99" || room == 0 {
        return None;
    }
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    let friendly = ["z", "y", "x", "999", "998", "zz"].map(Cow::Borrowed);
    let letters = (1..=3usize).flat_map(|len| {
        (0..26usize.pow(len as u32)).map(move |mut i| {
            let mut seg = vec![b'a'; len];
            for b in seg.iter_mut().rev() {
                *b = LETTERS[i % 26];
                i /= 26;
            }
            Cow::Owned(String::from_utf8(seg).unwrap_or_default())
        })
    });
    let digits = (1..=3usize).flat_map(|len| {
        (0..10usize.pow(len as u32)).map(move |i| Cow::Owned(format!("{i:0len$}")))
    });
    friendly
        .into_iter()
        .chain(letters)
        .chain(digits)
        .filter(|seg| seg.len() <= room)
        .filter_map(|seg| ControlCode::parse(&format!("{m}.{seg}")).ok())
        .find(|c| !is_mentioned(c))
}

/// The `i`-th list prefix of two to eight letters (`AA`, `AB`, …), for codes under no mentioned code.
fn list_prefix(mut i: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    while out.len() < 2 {
        out.push(b'A');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn partition_ordered(
    ty: &FieldType,
    (lo, hi): (i128, i128),
    raws: &[&Raw],
) -> (Vec<Value>, Vec<Cells>) {
    let clamp = |k: i128| k.clamp(lo, hi + 1);
    let mut bounds: Vec<i128> = vec![lo, hi + 1];
    for raw in raws {
        if let Raw::Intervals(ivs) = raw {
            for &(a, b) in ivs {
                bounds.push(clamp(a));
                bounds.push(clamp(b));
            }
        }
    }
    bounds.sort_unstable();
    bounds.dedup();
    // Cell i is [bounds[i], bounds[i+1]).
    let n = bounds.len() - 1;
    let witnesses = (0..n)
        .map(|i| {
            if n == 1 {
                // Nothing distinguishes values of this dimension: show a plain one.
                return match ty {
                    FieldType::Int => Value::Int(0),
                    FieldType::Decimal => Value::Decimal(Decimal::from_int(0)),
                    _ => Value::Date(jiff::civil::date(2024, 1, 1)),
                };
            }
            // The first cell reaches down to the type's minimum: show its top value, nearer the rules' bounds.
            let k = if i == 0 && n > 1 {
                bounds[1] - 1
            } else {
                bounds[i]
            };
            key_value(ty, k).unwrap_or(Value::Int(0))
        })
        .collect();
    let idx = |k: i128| bounds.partition_point(|b| *b < clamp(k)) as u32;
    let sets = raws
        .iter()
        .map(|raw| match raw {
            Raw::Intervals(ivs) => {
                let mut out = Ranges::new();
                for &(a, b) in ivs {
                    let (i, j) = (idx(a), idx(b).min(n as u32));
                    if i < j {
                        match out.last_mut() {
                            Some((_, e)) if *e >= i => *e = (*e).max(j),
                            _ => out.push((i, j)),
                        }
                    }
                }
                Cells(out)
            }
            _ => Cells::default(),
        })
        .collect();
    (witnesses, sets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> ControlCode {
        ControlCode::parse(s).unwrap()
    }

    fn witnesses(raws: &[Raw]) -> Vec<String> {
        let refs: Vec<&Raw> = raws.iter().collect();
        partition(&FieldType::Code, None, &refs)
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_named_code_keeps_an_unnamed_child() {
        let mut named: Vec<Raw> = ["x", "y", "z", "zz", "998", "999"]
            .iter()
            .map(|c| Raw::CodeUnder(code(&format!("3A090.ab.{c}"))))
            .collect();
        named.push(Raw::CodeUnder(code("3A090.ab")));
        let w = witnesses(&named);
        // Some witness is under 3A090.ab but under none of its named children.
        assert!(
            w.iter().any(|c| c.starts_with("3A090.ab.")
                && !["x", "y", "z", "zz", "998", "999"]
                    .iter()
                    .any(|n| c.starts_with(&format!("3A090.ab.{n}")))),
            "{w:?}"
        );
        // And some witness is under no named code at all.
        assert!(w.iter().any(|c| !c.starts_with("3A090.ab")), "{w:?}");
    }

    #[test]
    fn a_code_with_no_room_for_children_has_none() {
        let full = code("1A001.aaa.aaa.aaa.aaa.aaa.aaa.a");
        assert_eq!(unnamed_child(&full, &|_| false), None);
        let long = code("1A001.aaa.aaa.aaa.aaa.aaa.aaa");
        let named = [code("1A001.aaa.aaa.aaa.aaa.aaa.aaa.z")];
        let child = unnamed_child(&long, &|c| named.contains(c)).unwrap();
        assert_eq!(child.as_str().len(), 31);
        assert!(!named.contains(&child));
    }

    #[test]
    fn ordered_cells_reach_both_ends_of_the_domain() {
        let raw = Raw::Intervals(smallvec![(i128::from(Decimal::MAX.units()), MAX_KEY)]);
        let (w, sets) = partition(&FieldType::Decimal, None, &[&raw]);
        assert_eq!(w.len(), 2);
        assert_eq!(w[1], Value::Decimal(Decimal::MAX));
        assert_eq!(sets[0].0.as_slice(), [(1, 2)]);
        let raw = Raw::Intervals(smallvec![(MIN_KEY, date_key(DATE_MIN) + 1)]);
        let (w, _) = partition(&FieldType::Date, None, &[&raw]);
        assert_eq!(w[0], Value::Date(DATE_MIN));
    }

    #[test]
    fn countries_are_grouped_by_the_atoms_they_satisfy() {
        let a = Raw::Countries([Country::CN, Country::MO].into_iter().collect());
        let b = Raw::Countries([Country::CN].into_iter().collect());
        let (w, sets) = partition(&FieldType::Country, None, &[&a, &b]);
        // CN (in both), MO (in a only), everyone else.
        assert_eq!(w.len(), 3);
        assert_eq!(sets[0].len(), 2);
        assert_eq!(sets[1].len(), 1);
    }
}
