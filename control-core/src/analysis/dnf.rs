//! Conditions over cells: a formula (negation normal form over atoms) expanded into a union of cubes, one
//! cell set per constrained dimension, and the clash that empties a conjunction.

use crate::analysis::cells::Cells;
use crate::analysis::space::{DimId, Formula, Space};

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

    /// The formula as a union of non-empty cubes. `Err` if it has more than [`MAX_CUBES`]. The cubes do not
    /// record their literals, and a clash names its dimension only (see [`Space::dnf_explained`]).
    pub(crate) fn dnf(&self, f: &Formula) -> Result<Dnf, ()> {
        self.expand(f, false)
    }

    /// As [`Space::dnf`], with the literals that shaped each cube, so that a clash names the tests that
    /// exclude each other.
    pub(crate) fn dnf_explained(&self, f: &Formula) -> Result<Dnf, ()> {
        self.expand(f, true)
    }

    fn expand(&self, f: &Formula, explain: bool) -> Result<Dnf, ()> {
        let lit = |a: usize, pos: bool| if explain { vec![(a, pos)] } else { Vec::new() };
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
                            lits: lit(*a, *pos),
                        }),
                    }
                } else if cells.is_all(self.dims[dim].len()) {
                    Dnf {
                        cubes: vec![Cube {
                            dims: Vec::new(),
                            lits: lit(*a, *pos),
                        }],
                        clash: None,
                    }
                } else {
                    Dnf {
                        cubes: vec![Cube {
                            dims: vec![(dim, cells)],
                            lits: lit(*a, *pos),
                        }],
                        clash: None,
                    }
                }
            }
            Formula::Or(fs) => {
                let mut cubes = Vec::new();
                let mut clash = None;
                for f in fs {
                    let d = self.expand(f, explain)?;
                    for c in d.cubes {
                        self.add_cube(&mut cubes, c);
                    }
                    clash = clash.or(d.clash);
                    if cubes.len() > MAX_CUBES {
                        return Err(());
                    }
                }
                let clash = if cubes.is_empty() { clash } else { None };
                Dnf { cubes, clash }
            }
            Formula::And(fs) => {
                // `None` stands for the one empty cube (true), which every cube meets as itself.
                let mut acc: Option<Vec<Cube>> = None;
                for f in fs {
                    if let Formula::True = f {
                        continue;
                    }
                    let d = self.expand(f, explain)?;
                    if d.cubes.is_empty() {
                        return Ok(Dnf {
                            cubes: Vec::new(),
                            clash: d.clash,
                        });
                    }
                    let Some(prev) = acc.as_mut() else {
                        acc = Some(d.cubes);
                        continue;
                    };
                    let mut next = Vec::new();
                    let mut clash = None;
                    for a in prev.iter() {
                        for b in &d.cubes {
                            match self.meet(a, b) {
                                Ok(c) => self.add_cube(&mut next, c),
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
                    *prev = next;
                }
                Dnf {
                    cubes: acc.unwrap_or_else(|| vec![Cube::default()]),
                    clash: None,
                }
            }
        })
    }

    /// Adds `c` to a union of cubes, merging it with a cube it differs from on one dimension at most (their
    /// union is then a single cube), and the result again, so that a disjunction of tests on one field, or a
    /// product of such disjunctions, stays one cube. Exact: the union of `cubes` and `c` is unchanged.
    fn add_cube(&self, cubes: &mut Vec<Cube>, mut c: Cube) {
        'merge: loop {
            for i in 0..cubes.len() {
                if let Some(merged) = self.merge(&cubes[i], &c) {
                    cubes.swap_remove(i);
                    c = merged;
                    continue 'merge;
                }
            }
            cubes.push(c);
            return;
        }
    }

    /// The union of two cubes when it is a cube: the same constrained dimensions, the same cells on all of
    /// them but one.
    fn merge(&self, a: &Cube, b: &Cube) -> Option<Cube> {
        if a.dims.len() != b.dims.len() {
            return None;
        }
        let mut apart = None;
        for (k, ((da, ca), (db, cb))) in a.dims.iter().zip(&b.dims).enumerate() {
            if da != db {
                return None;
            }
            if ca != cb {
                if apart.is_some() {
                    return None;
                }
                apart = Some(k);
            }
        }
        let mut dims = a.dims.clone();
        if let Some(k) = apart {
            let (dim, cells) = &dims[k];
            let union = cells.union(&b.dims[k].1);
            if union.is_all(self.dims[*dim].len()) {
                dims.remove(k);
            } else {
                dims[k].1 = union;
            }
        }
        let mut lits = a.lits.clone();
        lits.extend(b.lits.iter().copied().filter(|l| !a.lits.contains(l)));
        Some(Cube { dims, lits })
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

    /// Whether two boxes (as [`Cube::dims`], sorted by dimension) share a point.
    pub(crate) fn boxes_meet(a: &[(DimId, Cells)], b: &[(DimId, Cells)]) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if !a[i].1.meets(&b[j].1) {
                        return false;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        true
    }

    /// A literal in the author's terms.
    pub(crate) fn lit_text(&self, (atom, pos): (usize, bool)) -> String {
        let t = &self.atoms[atom].text;
        if pos { t.clone() } else { format!("not ({t})") }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::space::{Scenarios, SpaceBuilder};
    use crate::ir::Condition;
    use crate::schema::{Schema, Value};
    use crate::vocab::country::Country;

    #[test]
    fn conjunctions_of_exclusive_tests_clash_and_disjunctions_on_one_field_stay_one_cube() {
        let schema = Schema::transaction();
        let (dest, _) = schema.field("destination").unwrap();
        let mut b = SpaceBuilder::new(
            schema,
            Scenarios::Fixed {
                proposals: false,
                as_of: None,
            },
        );
        let cn = Condition::eq(dest, Value::Country(Country::CN));
        let jp = Condition::eq(dest, Value::Country(Country::JP));
        let fx = Scenarios::Fixed {
            proposals: false,
            as_of: None,
        };
        let both = b.condition(&Condition::All(vec![cn.clone(), jp.clone()]), &[], fx);
        let either = b.condition(&Condition::Any(vec![cn.clone(), jp.clone()]), &[], fx);
        let (origin, _) = schema.field("item_origin").unwrap();
        let us = Condition::eq(origin, Value::Country(Country::US));
        let two_fields = b.condition(&Condition::Any(vec![cn.clone(), us.clone()]), &[], fx);
        // (CN or JP) and (US or not US): the product merges back to one cube on the destination.
        let product = b.condition(
            &Condition::All(vec![
                Condition::Any(vec![cn, jp]),
                Condition::Any(vec![us.clone(), us.negate()]),
            ]),
            &[],
            fx,
        );
        let space = b.finish();
        let d = space.dnf_explained(&both).unwrap();
        assert!(d.cubes.is_empty());
        assert_eq!(d.clash.unwrap().lits.len(), 2);
        // Without explanations the clash is still found, naming its dimension only.
        let quiet = space.dnf(&both).unwrap();
        assert!(quiet.cubes.is_empty());
        let clash = quiet.clash.unwrap();
        assert_eq!((clash.dim, clash.lits.len()), (dest, 0));
        let one = space.dnf(&either).unwrap();
        assert_eq!(one.cubes.len(), 1);
        assert_eq!(one.cubes[0].dims.len(), 1);
        assert_eq!(one.cubes[0].dims[0].1.len(), 2);
        assert_eq!(space.dnf(&two_fields).unwrap().cubes.len(), 2);
        let p = space.dnf(&product).unwrap();
        assert_eq!(p.cubes.len(), 1);
        assert_eq!(p.cubes[0].dims.len(), 1);
    }
}
