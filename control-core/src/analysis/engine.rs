//! The search: split the space, one dimension at a time, into regions where the same pieces apply.
//!
//! At each node the live pieces are those that meet the region. If some live piece constrains a dimension not
//! yet split on this path, the node splits that dimension into classes of cells that every live piece either
//! contains or misses, and recurses into each class with the pieces that contain it. Where no live piece
//! constrains an unsplit dimension, every live piece covers the whole region: the set of applying rules is
//! constant there, and the visitor judges it as a leaf. Visitors prune regions that cannot matter (one outcome,
//! nothing left to learn), which is what keeps ten thousand rules fast.

use foldhash::HashSet;

use crate::analysis::cells::Cells;
use crate::analysis::space::{DimId, Space};

/// A cube of the space that belongs to a rule (or to a pseudo-rule such as "in jurisdiction"), by tag.
#[derive(Clone, Debug)]
pub(crate) struct Piece {
    pub(crate) tag: u32,
    pub(crate) dims: Vec<(DimId, Cells)>,
}

impl Piece {
    fn on(&self, dim: DimId) -> Option<&Cells> {
        self.dims.iter().find(|(d, _)| *d == dim).map(|(_, c)| c)
    }
}

/// What a search does with the regions it finds.
pub(crate) trait Visitor {
    /// Whether [`Visitor::prune`] reads `covering`. When not, the search passes an empty list and spares
    /// itself a pass over the live pieces at every node.
    const COVERING: bool = true;
    /// Every node, with its region (as for [`Visitor::leaf`]), the tags live in it (sorted, unique) and the
    /// tags of the pieces that cover the whole region: `true` skips the region.
    fn prune(&mut self, region: &[Option<u32>], tags: &[u32], covering: &[u32]) -> bool;
    /// A region where the live tags apply throughout: `true` ends the whole search.
    /// `region[d]` is a cell of dimension `d` inside the region, or `None` where any cell will do.
    fn leaf(&mut self, region: &[Option<u32>], tags: &[u32]) -> bool;
}

/// The search ran past its node budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooComplex {
    pub(crate) nodes: u64,
}

/// Searches the space covered by `pieces` (sorted by tag). Returns the number of nodes visited.
pub(crate) fn search(
    space: &Space,
    pieces: &[Piece],
    visitor: &mut impl Visitor,
    limit: u64,
) -> Result<u64, TooComplex> {
    search_first(space, pieces, &[], visitor, limit)
}

/// As [`search`], splitting the dimensions the pieces tagged `first` constrain before the others (each group
/// in the usual order): a visitor that prunes once those pieces cover a region gets there sooner.
pub(crate) fn search_first(
    space: &Space,
    pieces: &[Piece],
    first: &[u32],
    visitor: &mut impl Visitor,
    limit: u64,
) -> Result<u64, TooComplex> {
    let mut order = split_order(space, pieces);
    let early: Vec<bool> = (0..space.dims.len())
        .map(|d| {
            pieces
                .iter()
                .any(|p| first.contains(&p.tag) && p.on(d).is_some())
        })
        .collect();
    // A stable sort keeps the usual order within each group.
    order.sort_by_key(|&d| !early[d]);
    let mut s = Search {
        space,
        pieces,
        order,
        nodes: 0,
        limit,
        stop: false,
    };
    let mut region = vec![None; space.dims.len()];
    let live: Vec<u32> = (0..pieces.len() as u32).collect();
    s.node(&mut region, &live, visitor)?;
    Ok(s.nodes)
}

/// Dimensions to split first: those whose constraints cover the smallest share of their cells.
fn split_order(space: &Space, pieces: &[Piece]) -> Vec<DimId> {
    let mut share = vec![(0f64, 0u32); space.dims.len()];
    for p in pieces {
        for (d, cells) in &p.dims {
            share[*d].0 += cells.len() as f64 / f64::from(space.dims[*d].len().max(1));
            share[*d].1 += 1;
        }
    }
    let mut order: Vec<DimId> = (0..space.dims.len()).filter(|d| share[*d].1 > 0).collect();
    order.sort_by(|a, b| {
        let (sa, sb) = (
            share[*a].0 / f64::from(share[*a].1),
            share[*b].0 / f64::from(share[*b].1),
        );
        sa.total_cmp(&sb)
            .then(share[*b].1.cmp(&share[*a].1))
            .then(a.cmp(b))
    });
    order
}

struct Search<'a> {
    space: &'a Space,
    pieces: &'a [Piece],
    order: Vec<DimId>,
    nodes: u64,
    limit: u64,
    stop: bool,
}

impl Search<'_> {
    fn node<V: Visitor>(
        &mut self,
        region: &mut Vec<Option<u32>>,
        live: &[u32],
        v: &mut V,
    ) -> Result<(), TooComplex> {
        if self.stop {
            return Ok(());
        }
        self.nodes += 1;
        if self.nodes > self.limit {
            return Err(TooComplex { nodes: self.nodes });
        }
        let pieces = self.pieces;
        let mut tags: Vec<u32> = live.iter().map(|&p| pieces[p as usize].tag).collect();
        tags.dedup();
        let mut covering: Vec<u32> = Vec::new();
        if V::COVERING {
            covering.extend(
                live.iter()
                    .map(|&p| &pieces[p as usize])
                    .filter(|p| p.dims.iter().all(|(d, _)| region[*d].is_some()))
                    .map(|p| p.tag),
            );
            covering.dedup();
        }
        if v.prune(region, &tags, &covering) {
            return Ok(());
        }
        let split = self.order.iter().copied().find(|&d| {
            region[d].is_none() && live.iter().any(|&p| pieces[p as usize].on(d).is_some())
        });
        let Some(d) = split else {
            self.stop = v.leaf(region, &tags);
            return Ok(());
        };
        let n = self.space.dims[d].len();
        let mut bounds = vec![0, n];
        let (mut constrained, mut free) = (Vec::new(), Vec::new());
        for &p in live {
            match pieces[p as usize].on(d) {
                Some(cells) => {
                    constrained.push(p);
                    for &(a, b) in &cells.0 {
                        bounds.push(a);
                        bounds.push(b);
                    }
                }
                None => free.push(p),
            }
        }
        bounds.sort_unstable();
        bounds.dedup();
        let mut segments: Vec<Vec<u32>> = vec![Vec::new(); bounds.len() - 1];
        for &p in &constrained {
            if let Some(cells) = pieces[p as usize].on(d) {
                for &(a, b) in &cells.0 {
                    let (i, j) = (
                        bounds.partition_point(|x| *x < a),
                        bounds.partition_point(|x| *x < b),
                    );
                    for seg in &mut segments[i..j] {
                        seg.push(p);
                    }
                }
            }
        }
        // Segments with the same pieces form one class, represented by its first segment.
        let mut seen: HashSet<&[u32]> = HashSet::default();
        let classes: Vec<usize> = (0..segments.len())
            .filter(|&s| seen.insert(&segments[s]))
            .collect();
        for s in classes {
            let (rep, merged) = (bounds[s], merge(&free, &segments[s]));
            region[d] = Some(rep);
            self.node(region, &merged, v)?;
            if self.stop {
                break;
            }
        }
        region[d] = None;
        Ok(())
    }
}

/// The union of two ascending lists.
fn merge(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
