//! The finite space the analysis reasons over: each field's domain partitioned into the cells its atoms
//! distinguish, and each rule's condition as a union of boxes of cells.
//!
//! Every atom (a test of one field) is a set of cells, and every cell is uniform: all its values pass or fail
//! each atom alike. So a question about all cases is exactly a question about all combinations of cells, and
//! each cell keeps a real witness value (an ISO country, a valid code, a date) to print.
//!
//! The cells themselves are built in [`partition`](super::partition); two virtual dimensions stand for the
//! scenario: the effective date (rule periods) and whether proposals are adopted (rule status).

use std::collections::hash_map::Entry;

use foldhash::HashMap;
use smallvec::smallvec;

use jiff::civil::Date;

use crate::analysis::cells::Cells;
use crate::analysis::partition::{MAX_KEY, MIN_KEY, Raw, date_key, partition, raw_test, test_text};
use crate::ir::{Condition, Period, Status, Test, Treatment};
use crate::schema::{FieldId, FieldType, Schema, Value};
use crate::vocab::decimal::Decimal;
use crate::vocab::group::{CountrySet, Membership};

/// A dimension's position in the space.
pub(crate) type DimId = usize;
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

/// The negation of a formula, in negation normal form.
pub(crate) fn negate(f: Formula) -> Formula {
    match f {
        Formula::True => Formula::False,
        Formula::False => Formula::True,
        Formula::Lit(a, p) => Formula::Lit(a, !p),
        Formula::And(fs) => Formula::Or(fs.into_iter().map(negate).collect()),
        Formula::Or(fs) => Formula::And(fs.into_iter().map(negate).collect()),
    }
}

/// Registers the atoms of conditions, then builds the dimensions' cells.
pub(crate) struct SpaceBuilder<'s> {
    schema: &'s Schema,
    dims: Vec<(&'s str, FieldType, Option<[Decimal; 2]>)>,
    field_dim: Vec<DimId>,
    effective: Option<DimId>,
    proposals: Option<DimId>,
    atoms: Vec<(DimId, Raw, String)>,
    atom_ids: HashMap<(DimId, Raw), usize>,
    /// The formula of each group with dated members, by its members (looked up without copying them), then by
    /// dimension and scenarios.
    dated_groups: HashMap<Membership, Vec<GroupFormula>>,
}

/// A group's formula on a dimension under some scenarios.
type GroupFormula = ((DimId, Scenarios), Formula);

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
        let mut dims: Vec<(&'s str, FieldType, Option<[Decimal; 2]>)> = schema
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.ty.clone(), f.range))
            .collect();
        let field_dim = (0..schema.fields.len()).collect();
        let (mut effective, mut proposals) = (None, None);
        if let Scenarios::All = scenarios {
            effective = Some(dims.len());
            dims.push(("as-of date", FieldType::Date, None));
            proposals = Some(dims.len());
            dims.push(("proposals adopted", FieldType::Bool, None));
        }
        SpaceBuilder {
            schema,
            dims,
            field_dim,
            effective,
            proposals,
            atoms: Vec::new(),
            atom_ids: HashMap::default(),
            dated_groups: HashMap::default(),
        }
    }

    /// The atom testing `raw` on `dim`, registered on first use with the explanation `text` builds (so the
    /// text of a test that many rules share is written once).
    fn atom(&mut self, dim: DimId, raw: Raw, text: impl FnOnce() -> String) -> usize {
        match self.atom_ids.entry((dim, raw)) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                let id = self.atoms.len();
                self.atoms.push((dim, e.key().1.clone(), text()));
                e.insert(id);
                id
            }
        }
    }

    /// The condition as a formula, registering its atoms: group tests read membership on the effective date,
    /// and country fields read each treated territory as its country from the treatment's date, both under
    /// `scenarios` (the effective date is a dimension, the case's date, or fixed).
    ///
    /// Treatments are factored out of the whole condition rather than each test: for every country field the
    /// condition tests, either the field holds no treated territory on the effective date, or it holds
    /// territory `t` on or after `t`'s date and every test of the field reads `t`'s country instead. That is
    /// one copy of the condition per combination, instead of a disjunction inside every test.
    pub(crate) fn condition(
        &mut self,
        c: &Condition,
        treatments: &[Treatment],
        scenarios: Scenarios,
    ) -> Formula {
        if treatments.is_empty() {
            return self.nnf(c, true, &[], scenarios);
        }
        let mut fields: Vec<FieldId> = c
            .tests()
            .into_iter()
            .map(|(f, _)| f)
            .filter(|f| self.schema.fields[*f].ty == FieldType::Country)
            .collect();
        fields.sort_unstable();
        fields.dedup();
        if fields.is_empty() {
            return self.nnf(c, true, &[], scenarios);
        }
        // For each field, its state: 0 = no treated territory, i + 1 = territory of treatment i, treated.
        let states = treatments.len() + 1;
        let combos = states.pow(fields.len() as u32);
        let mut alternatives = Vec::with_capacity(combos);
        for combo in 0..combos {
            let mut guard = Vec::new();
            let mut subst = Vec::new();
            let mut k = combo;
            for &f in &fields {
                let state = k % states;
                k /= states;
                let dim = self.field_dim[f];
                let name = &self.schema.fields[f].name;
                let treated = |b: &mut Self, t: &Treatment| {
                    let is_t = b.atom(dim, Raw::Countries(CountrySet::of(&[t.territory])), || {
                        format!("{name} == {}", t.territory)
                    });
                    let on = b.period(
                        &Period {
                            from: Some(t.from),
                            until: None,
                        },
                        scenarios,
                    );
                    Formula::And(vec![Formula::Lit(is_t, true), on])
                };
                if state == 0 {
                    for t in treatments {
                        guard.push(negate(treated(self, t)));
                    }
                } else {
                    let t = &treatments[state - 1];
                    guard.push(treated(self, t));
                    subst.push((f, t.as_country));
                }
            }
            let body = self.nnf(c, true, &subst, scenarios);
            guard.push(body);
            alternatives.push(Formula::And(guard));
        }
        Formula::Or(alternatives)
    }

    /// `c` (negated unless `pos`) in negation normal form; tests of the fields in `subst` read the given
    /// country instead of the field.
    fn nnf(
        &mut self,
        c: &Condition,
        pos: bool,
        subst: &[(FieldId, crate::vocab::country::Country)],
        scenarios: Scenarios,
    ) -> Formula {
        match c {
            Condition::Always => {
                if pos {
                    Formula::True
                } else {
                    Formula::False
                }
            }
            Condition::All(cs) => {
                let parts = cs
                    .iter()
                    .map(|c| self.nnf(c, pos, subst, scenarios))
                    .collect();
                if pos {
                    Formula::And(parts)
                } else {
                    Formula::Or(parts)
                }
            }
            Condition::Any(cs) => {
                let parts = cs
                    .iter()
                    .map(|c| self.nnf(c, pos, subst, scenarios))
                    .collect();
                if pos {
                    Formula::Or(parts)
                } else {
                    Formula::And(parts)
                }
            }
            Condition::Not(c) => self.nnf(c, !pos, subst, scenarios),
            Condition::Test { field, test } => {
                let dim = self.field_dim[*field];
                let schema = self.schema;
                let (name, ty) = (&schema.fields[*field].name, &schema.fields[*field].ty);
                let f = if let Some(&(_, country)) = subst.iter().find(|(f, _)| f == field) {
                    self.constant_country_test(test, country, scenarios)
                } else if let Test::InGroup { members, .. } = test
                    && members.is_dated()
                {
                    // Many rules test one group: its formula is built once (the same atoms, so the same
                    // formula, as building it again).
                    let key = (dim, scenarios);
                    let known = self.dated_groups.get(members).into_iter().flatten();
                    if let Some((_, f)) = known.into_iter().find(|(k, _)| *k == key) {
                        return if pos { f.clone() } else { negate(f.clone()) };
                    }
                    // A member throughout, or a dated member during its period.
                    let all_along = self.atom(dim, raw_test(test), || test_text(name, ty, test));
                    let mut parts = vec![Formula::Lit(all_along, true)];
                    for (c, p) in &members.dated {
                        let one = self.atom(dim, Raw::Countries(CountrySet::of(&[*c])), || {
                            format!("{name} == {c}")
                        });
                        let during = self.period(p, scenarios);
                        parts.push(Formula::And(vec![Formula::Lit(one, true), during]));
                    }
                    let f = Formula::Or(parts);
                    self.dated_groups
                        .entry(members.clone())
                        .or_default()
                        .push((key, f.clone()));
                    f
                } else {
                    let atom = self.atom(dim, raw_test(test), || test_text(name, ty, test));
                    return Formula::Lit(atom, pos);
                };
                if pos { f } else { negate(f) }
            }
        }
    }

    /// A country test of a field known to read `country`: a constant, or, for a dated member, its period.
    fn constant_country_test(
        &mut self,
        test: &Test,
        country: crate::vocab::country::Country,
        scenarios: Scenarios,
    ) -> Formula {
        match test {
            Test::InGroup { members, .. } if !members.always.contains(country) => {
                let periods: Vec<Period> = members
                    .dated
                    .iter()
                    .filter(|(c, _)| *c == country)
                    .map(|(_, p)| *p)
                    .collect();
                Formula::Or(periods.iter().map(|p| self.period(p, scenarios)).collect())
            }
            Test::InGroup { .. } => Formula::True,
            _ => {
                if test.holds(crate::schema::ValueRef::Country(country), None) {
                    Formula::True
                } else {
                    Formula::False
                }
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
        let name = self.dims[dim].0;
        let mut parts = Vec::new();
        if let Some(from) = p.from {
            let k = date_key(from);
            parts.push(Formula::Lit(
                self.atom(dim, Raw::Intervals(smallvec![(k, MAX_KEY)]), || {
                    format!("{name} >= {from}")
                }),
                true,
            ));
        }
        if let Some(until) = p.until {
            let k = date_key(until);
            parts.push(Formula::Lit(
                self.atom(dim, Raw::Intervals(smallvec![(MIN_KEY, k)]), || {
                    format!("{name} < {until}")
                }),
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
                self.atom(d, Raw::Indices(vec![1]), || "proposals are adopted".into()),
                true,
            ),
            (Status::Proposed, Scenarios::All, None) => Formula::False,
        }
    }

    /// "Proposals are not adopted", for the gap search.
    pub(crate) fn no_proposals(&mut self) -> Formula {
        match self.proposals {
            Some(d) => Formula::Lit(
                self.atom(d, Raw::Indices(vec![1]), || "proposals are adopted".into()),
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
        for (d, (_, ty, range)) in self.dims.iter().enumerate() {
            let raws: Vec<&Raw> = by_dim[d].iter().map(|&a| &self.atoms[a].1).collect();
            let (witnesses, sets) = partition(ty, *range, &raws);
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
