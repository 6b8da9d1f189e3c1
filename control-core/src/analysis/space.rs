//! The finite space the analysis reasons over: each field's domain partitioned into the cells its atoms
//! distinguish, and each rule's condition as a union of boxes of cells.
//!
//! Every atom (a test of one field) is a set of cells, and every cell is uniform: all its values pass or fail
//! each atom alike. So a question about all cases is exactly a question about all combinations of cells, and
//! each cell keeps a real witness value (an ISO country, a valid code, a date) to print.
//!
//! Cells per type: countries are grouped by the atoms they satisfy; control codes are the mentioned codes and,
//! below each, "any other code under it"; numbers and dates are the intervals between the bounds the atoms use.
//! Two virtual dimensions stand for the scenario: the effective date (rule periods) and whether proposals are
//! adopted (rule status).

use std::collections::HashMap;

use jiff::civil::Date;

use crate::ir::{CmpOp, Condition, Period, Status, Test};
use crate::schema::{FieldType, Schema, Value};
use crate::vocab::code::ControlCode;
use crate::vocab::country::Country;
use crate::vocab::decimal::Decimal;
use crate::vocab::group::CountrySet;
use crate::vocab::party::PartyId;
use crate::vocab::{DATE_MAX, DATE_MIN};

/// A dimension's position in the space.
pub(crate) type DimId = usize;

/// A set of cells: sorted, disjoint, non-touching half-open ranges of cell indices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Cells(pub(crate) Vec<(u32, u32)>);

impl Cells {
    /// The cells at `indices` (any order, duplicates allowed).
    pub(crate) fn from_indices(mut indices: Vec<u32>) -> Cells {
        indices.sort_unstable();
        indices.dedup();
        let mut out: Vec<(u32, u32)> = Vec::new();
        for i in indices {
            match out.last_mut() {
                Some((_, hi)) if *hi == i => *hi += 1,
                _ => out.push((i, i + 1)),
            }
        }
        Cells(out)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn is_all(&self, n: u32) -> bool {
        self.0 == [(0, n)]
    }

    pub(crate) fn len(&self) -> u64 {
        self.0.iter().map(|(a, b)| u64::from(b - a)).sum()
    }

    pub(crate) fn intersect(&self, other: &Cells) -> Cells {
        let (mut i, mut j, mut out) = (0, 0, Vec::new());
        while i < self.0.len() && j < other.0.len() {
            let (a0, a1) = self.0[i];
            let (b0, b1) = other.0[j];
            let (lo, hi) = (a0.max(b0), a1.min(b1));
            if lo < hi {
                out.push((lo, hi));
            }
            if a1 < b1 { i += 1 } else { j += 1 }
        }
        Cells(out)
    }

    pub(crate) fn complement(&self, n: u32) -> Cells {
        let mut out = Vec::new();
        let mut at = 0;
        for &(lo, hi) in &self.0 {
            if at < lo {
                out.push((at, lo));
            }
            at = hi;
        }
        if at < n {
            out.push((at, n));
        }
        Cells(out)
    }
}

/// A test of one dimension before cells exist.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Raw {
    Countries(CountrySet),
    /// Enum variants or booleans (0 = false).
    Indices(Vec<u32>),
    Parties(Vec<PartyId>),
    CodesEq(Vec<ControlCode>),
    CodeUnder(ControlCode),
    /// Half-open intervals of keys (see [`key_of`]).
    Intervals(Vec<(i128, i128)>),
}

/// An atom: a dimension and the cells that pass.
#[derive(Clone, Debug)]
pub(crate) struct Atom {
    pub(crate) dim: DimId,
    pub(crate) cells: Cells,
    /// The atom in the rule author's terms, for explanations.
    pub(crate) text: String,
}

/// A dimension: its cells, each with a witness value.
#[derive(Clone, Debug)]
pub(crate) struct Dim {
    pub(crate) witnesses: Vec<Value>,
}

impl Dim {
    pub(crate) fn len(&self) -> u32 {
        self.witnesses.len() as u32
    }
}

/// A condition in negation normal form over atoms.
#[derive(Clone, Debug)]
pub(crate) enum Formula {
    True,
    False,
    /// An atom, or its negation when the flag is false.
    Lit(usize, bool),
    And(Vec<Formula>),
    Or(Vec<Formula>),
}

/// Registers the atoms of conditions, then builds the dimensions' cells.
pub(crate) struct SpaceBuilder<'s> {
    schema: &'s Schema,
    dims: Vec<(String, FieldType)>,
    field_dim: Vec<DimId>,
    effective: Option<DimId>,
    proposals: Option<DimId>,
    atoms: Vec<(DimId, Raw, String)>,
    atom_ids: HashMap<(DimId, Raw), usize>,
}

/// The built space.
#[derive(Debug)]
pub(crate) struct Space {
    pub(crate) dims: Vec<Dim>,
    pub(crate) atoms: Vec<Atom>,
    pub(crate) field_dim: Vec<DimId>,
    pub(crate) effective: Option<DimId>,
    pub(crate) proposals: Option<DimId>,
}

/// How rule periods and statuses enter the space.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scenarios {
    /// Every scenario: the effective date and the proposals flag are free dimensions.
    All,
    /// One scenario family: proposals fixed; periods tested against the fixed date, or, without one,
    /// against the schema's case-date field.
    Fixed {
        proposals: bool,
        as_of: Option<Date>,
    },
}

impl<'s> SpaceBuilder<'s> {
    pub(crate) fn new(schema: &'s Schema, scenarios: Scenarios) -> Self {
        let mut dims: Vec<(String, FieldType)> = schema
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect();
        let field_dim = (0..schema.fields.len()).collect();
        let (mut effective, mut proposals) = (None, None);
        if let Scenarios::All = scenarios {
            effective = Some(dims.len());
            dims.push(("as-of date".into(), FieldType::Date));
            proposals = Some(dims.len());
            dims.push(("proposals adopted".into(), FieldType::Bool));
        }
        SpaceBuilder {
            schema,
            dims,
            field_dim,
            effective,
            proposals,
            atoms: Vec::new(),
            atom_ids: HashMap::new(),
        }
    }

    fn atom(&mut self, dim: DimId, raw: Raw, text: String) -> usize {
        if let Some(&id) = self.atom_ids.get(&(dim, raw.clone())) {
            return id;
        }
        let id = self.atoms.len();
        self.atom_ids.insert((dim, raw.clone()), id);
        self.atoms.push((dim, raw, text));
        id
    }

    /// The condition as a formula, registering its atoms.
    pub(crate) fn condition(&mut self, c: &Condition) -> Formula {
        self.nnf(c, true)
    }

    fn nnf(&mut self, c: &Condition, pos: bool) -> Formula {
        match c {
            Condition::Always => {
                if pos {
                    Formula::True
                } else {
                    Formula::False
                }
            }
            Condition::All(cs) => {
                let parts = cs.iter().map(|c| self.nnf(c, pos)).collect();
                if pos {
                    Formula::And(parts)
                } else {
                    Formula::Or(parts)
                }
            }
            Condition::Any(cs) => {
                let parts = cs.iter().map(|c| self.nnf(c, pos)).collect();
                if pos {
                    Formula::Or(parts)
                } else {
                    Formula::And(parts)
                }
            }
            Condition::Not(c) => self.nnf(c, !pos),
            Condition::Test { field, test } => {
                let dim = self.field_dim[*field];
                let name = self.schema.fields[*field].name.clone();
                let ty = self.schema.fields[*field].ty.clone();
                let (raw, text) = raw_test(&name, &ty, test);
                Formula::Lit(self.atom(dim, raw, text), pos)
            }
        }
    }

    /// The formula "the rule's period contains the effective date" for `scenarios`.
    pub(crate) fn period(&mut self, p: &Period, scenarios: Scenarios) -> Formula {
        if p.is_always() {
            return Formula::True;
        }
        let dim = match (scenarios, self.effective) {
            (_, Some(d)) => d,
            (Scenarios::Fixed { as_of: Some(d), .. }, None) => {
                return if p.contains(d) {
                    Formula::True
                } else {
                    Formula::False
                };
            }
            (Scenarios::Fixed { as_of: None, .. } | Scenarios::All, None) => {
                match self.schema.case_date_field() {
                    Some(f) => self.field_dim[f],
                    // A period without a case date cannot be built (RuleSet::new rejects it).
                    None => return Formula::False,
                }
            }
        };
        let name = self.dims[dim].0.clone();
        let mut parts = Vec::new();
        if let Some(from) = p.from {
            let k = date_key(from);
            parts.push(Formula::Lit(
                self.atom(
                    dim,
                    Raw::Intervals(vec![(k, MAX_KEY)]),
                    format!("{name} >= {from}"),
                ),
                true,
            ));
        }
        if let Some(until) = p.until {
            let k = date_key(until);
            parts.push(Formula::Lit(
                self.atom(
                    dim,
                    Raw::Intervals(vec![(MIN_KEY, k)]),
                    format!("{name} < {until}"),
                ),
                true,
            ));
        }
        Formula::And(parts)
    }

    /// The formula "the scenario includes a rule of `status`".
    pub(crate) fn status(&mut self, s: Status, scenarios: Scenarios) -> Formula {
        match (s, scenarios, self.proposals) {
            (Status::InForce, _, _) => Formula::True,
            (Status::Proposed, Scenarios::Fixed { proposals, .. }, _) => {
                if proposals {
                    Formula::True
                } else {
                    Formula::False
                }
            }
            (Status::Proposed, Scenarios::All, Some(d)) => Formula::Lit(
                self.atom(d, Raw::Indices(vec![1]), "proposals are adopted".into()),
                true,
            ),
            (Status::Proposed, Scenarios::All, None) => Formula::False,
        }
    }

    /// "Proposals are not adopted", for the gap search.
    pub(crate) fn no_proposals(&mut self) -> Formula {
        match self.proposals {
            Some(d) => Formula::Lit(
                self.atom(d, Raw::Indices(vec![1]), "proposals are adopted".into()),
                false,
            ),
            None => Formula::True,
        }
    }

    /// Builds every dimension's cells and every atom's cell set.
    pub(crate) fn finish(self) -> Space {
        let mut by_dim: Vec<Vec<usize>> = vec![Vec::new(); self.dims.len()];
        for (id, (dim, _, _)) in self.atoms.iter().enumerate() {
            by_dim[*dim].push(id);
        }
        let mut atom_cells: Vec<Option<Cells>> = vec![None; self.atoms.len()];
        let mut dims = Vec::with_capacity(self.dims.len());
        for (d, (_, ty)) in self.dims.iter().enumerate() {
            let raws: Vec<&Raw> = by_dim[d].iter().map(|&a| &self.atoms[a].1).collect();
            let (witnesses, sets) = partition(ty, &raws);
            for (&a, set) in by_dim[d].iter().zip(sets) {
                atom_cells[a] = Some(set);
            }
            dims.push(Dim { witnesses });
        }
        let atoms = self
            .atoms
            .into_iter()
            .zip(atom_cells)
            .map(|((dim, _, text), cells)| Atom {
                dim,
                cells: cells.unwrap_or_default(),
                text,
            })
            .collect();
        Space {
            dims,
            atoms,
            field_dim: self.field_dim,
            effective: self.effective,
            proposals: self.proposals,
        }
    }
}

fn raw_test(name: &str, ty: &FieldType, test: &Test) -> (Raw, String) {
    let show = |v: &Value| ty.display_value(v);
    let list = |vs: &[Value]| vs.iter().map(show).collect::<Vec<_>>().join(", ");
    match test {
        Test::Eq(v) => (
            raw_values(std::slice::from_ref(v)),
            format!("{name} == {}", show(v)),
        ),
        Test::In { values, .. } => (raw_values(values), format!("{name} in [{}]", list(values))),
        Test::InGroup { group, members } => {
            (Raw::Countries(*members), format!("{name} in group {group}"))
        }
        Test::Under(code) => (Raw::CodeUnder(*code), format!("{name} under {code}")),
        Test::Cmp(op, v) => {
            let k = value_key(v).unwrap_or(0);
            let iv = match op {
                CmpOp::Lt => (MIN_KEY, k),
                CmpOp::Le => (MIN_KEY, k + 1),
                CmpOp::Gt => (k + 1, MAX_KEY),
                CmpOp::Ge => (k, MAX_KEY),
            };
            (
                Raw::Intervals(vec![iv]),
                format!("{name} {} {}", op.symbol(), show(v)),
            )
        }
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
const MIN_KEY: i128 = i64::MIN as i128 - 1;
const MAX_KEY: i128 = i64::MAX as i128 + 2;

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
fn partition(ty: &FieldType, raws: &[&Raw]) -> (Vec<Value>, Vec<Cells>) {
    match ty {
        FieldType::Country => partition_countries(raws),
        FieldType::Enum { variants, .. } => {
            partition_indices(variants.len() as u32, raws, Value::Enum)
        }
        FieldType::Bool => partition_indices(2, raws, |i| Value::Bool(i == 1)),
        FieldType::Party => partition_parties(raws),
        FieldType::Code => partition_codes(raws),
        FieldType::Int | FieldType::Decimal | FieldType::Date => partition_ordered(ty, raws),
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
    let mut class_of: HashMap<&Vec<u32>, u32> = HashMap::new();
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
            Raw::CodesEq(cs) => cs.clone(),
            Raw::CodeUnder(c) => vec![*c],
            _ => Vec::new(),
        })
        .collect();
    mentioned.sort();
    mentioned.dedup();
    let is_mentioned = |c: &ControlCode| mentioned.binary_search(c).is_ok();
    // Elements: each mentioned code; below each, another code under it and under no deeper mentioned code;
    // and a code under no mentioned code. A code's cell is decided by its deepest mentioned ancestor-or-self.
    let mut elements: Vec<(ControlCode, Option<ControlCode>, bool)> = Vec::new(); // (witness, anchor, exact)
    for m in &mentioned {
        elements.push((*m, Some(*m), true));
        // "Another sub-paragraph of m": a direct child that no rule names. It is under no deeper mentioned code
        // (its only mentioned ancestors-or-self are m and m's ancestors), so it stands for every code whose
        // deepest mentioned ancestor is m. None exists only when m is too long to have children at all.
        if let Some(c) = unnamed_child(m, &is_mentioned) {
            elements.push((c, Some(*m), false));
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
        elements.push((c, None, false));
    }
    // Sorted by witness text, every `under` set is a contiguous range.
    elements.sort_by_key(|e| e.0);
    let mut exact_index: HashMap<ControlCode, u32> = HashMap::new();
    for (i, (w, _, exact)) in elements.iter().enumerate() {
        if *exact {
            exact_index.insert(*w, i as u32);
        }
    }
    let sets = raws
        .iter()
        .map(|raw| match raw {
            Raw::CodesEq(cs) => Cells::from_indices(
                cs.iter()
                    .filter_map(|c| exact_index.get(c).copied())
                    .collect(),
            ),
            Raw::CodeUnder(q) => {
                // The codes under `q` are exactly the texts from `q` up to, not including, `q/` ('/' follows '.').
                let (lo_text, hi_text) = (q.as_str().to_owned(), format!("{q}/"));
                let lo = elements.partition_point(|e| e.0.as_str() < lo_text.as_str());
                let hi = elements.partition_point(|e| e.0.as_str() < hi_text.as_str());
                if lo < hi {
                    Cells(vec![(lo as u32, hi as u32)])
                } else {
                    Cells::default()
                }
            }
            _ => Cells::default(),
        })
        .collect();
    (
        elements
            .into_iter()
            .map(|(w, _, _)| Value::Code(w))
            .collect(),
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
    let friendly = ["z", "y", "x", "999", "998", "zz"].map(String::from);
    let letters = (1..=3usize).flat_map(|len| {
        (0..26usize.pow(len as u32)).map(move |mut i| {
            let mut seg = vec![b'a'; len];
            for b in seg.iter_mut().rev() {
                *b = LETTERS[i % 26];
                i /= 26;
            }
            String::from_utf8(seg).unwrap_or_default()
        })
    });
    let digits = (1..=3usize)
        .flat_map(|len| (0..10usize.pow(len as u32)).map(move |i| format!("{i:0len$}")));
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

fn partition_ordered(ty: &FieldType, raws: &[&Raw]) -> (Vec<Value>, Vec<Cells>) {
    let (lo, hi) = key_range(ty);
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
                let mut out: Vec<(u32, u32)> = Vec::new();
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

/// A conjunction of cell sets, one per constrained dimension (sorted by dimension).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cube {
    pub(crate) dims: Vec<(DimId, Cells)>,
    /// The literals that shaped each dimension, for explaining an empty intersection.
    pub(crate) lits: Vec<(usize, bool)>,
}

/// Why a conjunction is empty: the dimension and the literals on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clash {
    pub(crate) dim: DimId,
    pub(crate) lits: Vec<(usize, bool)>,
}

/// A condition as a union of cubes, or why none exist.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dnf {
    pub(crate) cubes: Vec<Cube>,
    pub(crate) clash: Option<Clash>,
}

/// A condition has more than this many cubes: not analysable in reasonable time.
pub(crate) const MAX_CUBES: usize = 4096;

impl Space {
    /// The cell set of literal `(atom, positive)`.
    fn lit_cells(&self, atom: usize, pos: bool) -> (DimId, Cells) {
        let a = &self.atoms[atom];
        let n = self.dims[a.dim].len();
        (
            a.dim,
            if pos {
                a.cells.clone()
            } else {
                a.cells.complement(n)
            },
        )
    }

    /// The formula as a union of non-empty cubes. `Err` if it has more than [`MAX_CUBES`].
    pub(crate) fn dnf(&self, f: &Formula) -> Result<Dnf, ()> {
        Ok(match f {
            Formula::True => Dnf {
                cubes: vec![Cube::default()],
                clash: None,
            },
            Formula::False => Dnf::default(),
            Formula::Lit(a, pos) => {
                let (dim, cells) = self.lit_cells(*a, *pos);
                if cells.is_empty() {
                    Dnf {
                        cubes: Vec::new(),
                        clash: Some(Clash {
                            dim,
                            lits: vec![(*a, *pos)],
                        }),
                    }
                } else if cells.is_all(self.dims[dim].len()) {
                    Dnf {
                        cubes: vec![Cube {
                            dims: Vec::new(),
                            lits: vec![(*a, *pos)],
                        }],
                        clash: None,
                    }
                } else {
                    Dnf {
                        cubes: vec![Cube {
                            dims: vec![(dim, cells)],
                            lits: vec![(*a, *pos)],
                        }],
                        clash: None,
                    }
                }
            }
            Formula::Or(fs) => {
                let mut cubes = Vec::new();
                let mut clash = None;
                for f in fs {
                    let d = self.dnf(f)?;
                    cubes.extend(d.cubes);
                    clash = clash.or(d.clash);
                    if cubes.len() > MAX_CUBES {
                        return Err(());
                    }
                }
                let clash = if cubes.is_empty() { clash } else { None };
                Dnf { cubes, clash }
            }
            Formula::And(fs) => {
                let mut acc = vec![Cube::default()];
                for f in fs {
                    let d = self.dnf(f)?;
                    if d.cubes.is_empty() {
                        return Ok(Dnf {
                            cubes: Vec::new(),
                            clash: d.clash,
                        });
                    }
                    let mut next = Vec::new();
                    let mut clash = None;
                    for a in &acc {
                        for b in &d.cubes {
                            match self.meet(a, b) {
                                Ok(c) => next.push(c),
                                Err(c) => clash = clash.or(Some(c)),
                            }
                        }
                        if next.len() > MAX_CUBES {
                            return Err(());
                        }
                    }
                    if next.is_empty() {
                        return Ok(Dnf {
                            cubes: Vec::new(),
                            clash,
                        });
                    }
                    acc = next;
                }
                Dnf {
                    cubes: acc,
                    clash: None,
                }
            }
        })
    }

    /// The intersection of two cubes, or the clash that empties it.
    pub(crate) fn meet(&self, a: &Cube, b: &Cube) -> Result<Cube, Clash> {
        let mut dims = Vec::with_capacity(a.dims.len() + b.dims.len());
        let (mut i, mut j) = (0, 0);
        while i < a.dims.len() || j < b.dims.len() {
            let take_a = j == b.dims.len() || (i < a.dims.len() && a.dims[i].0 < b.dims[j].0);
            let take_b = i == a.dims.len() || (j < b.dims.len() && b.dims[j].0 < a.dims[i].0);
            if take_a {
                dims.push(a.dims[i].clone());
                i += 1;
            } else if take_b {
                dims.push(b.dims[j].clone());
                j += 1;
            } else {
                let dim = a.dims[i].0;
                let cells = a.dims[i].1.intersect(&b.dims[j].1);
                if cells.is_empty() {
                    let on_dim = |l: &&(usize, bool)| self.atoms[l.0].dim == dim;
                    let lits = a
                        .lits
                        .iter()
                        .filter(on_dim)
                        .chain(b.lits.iter().filter(on_dim))
                        .copied()
                        .collect();
                    return Err(Clash { dim, lits });
                }
                dims.push((dim, cells));
                i += 1;
                j += 1;
            }
        }
        let mut lits = a.lits.clone();
        lits.extend(b.lits.iter().copied());
        Ok(Cube { dims, lits })
    }

    /// A literal in the author's terms.
    pub(crate) fn lit_text(&self, (atom, pos): (usize, bool)) -> String {
        let t = &self.atoms[atom].text;
        if pos { t.clone() } else { format!("not ({t})") }
    }
}
