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

#[cfg(test)]
mod tests {
    use crate::analysis::space::{Scenarios, SpaceBuilder};
    use crate::ir::Condition;
    use crate::schema::{Schema, Value};
    use crate::vocab::country::Country;

    #[test]
    fn conjunctions_of_exclusive_tests_clash_and_disjunctions_add_cubes() {
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
        let either = b.condition(&Condition::Any(vec![cn, jp]), &[], fx);
        let space = b.finish();
        let d = space.dnf(&both).unwrap();
        assert!(d.cubes.is_empty());
        assert_eq!(d.clash.unwrap().lits.len(), 2);
        assert_eq!(space.dnf(&either).unwrap().cubes.len(), 2);
    }
}
