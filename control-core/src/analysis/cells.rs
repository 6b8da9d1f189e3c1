//! The algebra of cell sets: one dimension's cells as sorted, disjoint ranges of indices, with intersection
//! and complement. It knows nothing of values or rules.

use smallvec::SmallVec;

/// The ranges of a cell set: most sets are one or two ranges, kept in place (the analysis builds and copies
/// millions of them).
pub(crate) type Ranges = SmallVec<[(u32, u32); 2]>;

/// A set of cells: sorted, disjoint, non-touching half-open ranges of cell indices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Cells(pub(crate) Ranges);

impl Cells {
    /// The cells at `indices` (any order, duplicates allowed).
    pub(crate) fn from_indices(mut indices: Vec<u32>) -> Cells {
        indices.sort_unstable();
        indices.dedup();
        let mut out = Ranges::new();
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
        self.0.as_slice() == [(0, n)]
    }

    pub(crate) fn len(&self) -> u64 {
        self.0.iter().map(|(a, b)| u64::from(b - a)).sum()
    }

    /// The cells of one range.
    pub(crate) fn range(lo: u32, hi: u32) -> Cells {
        let mut out = Ranges::new();
        if lo < hi {
            out.push((lo, hi));
        }
        Cells(out)
    }

    /// Whether the two sets share a cell.
    pub(crate) fn meets(&self, other: &Cells) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < other.0.len() {
            let ((a0, a1), (b0, b1)) = (self.0[i], other.0[j]);
            if a0.max(b0) < a1.min(b1) {
                return true;
            }
            if a1 < b1 { i += 1 } else { j += 1 }
        }
        false
    }

    pub(crate) fn intersect(&self, other: &Cells) -> Cells {
        let (mut i, mut j, mut out) = (0, 0, Ranges::new());
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

    pub(crate) fn union(&self, other: &Cells) -> Cells {
        let mut all: SmallVec<[(u32, u32); 4]> = self.0.iter().chain(&other.0).copied().collect();
        all.sort_unstable();
        let mut out = Ranges::new();
        for (lo, hi) in all {
            match out.last_mut() {
                Some((_, h)) if *h >= lo => *h = (*h).max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Cells(out)
    }

    pub(crate) fn complement(&self, n: u32) -> Cells {
        let mut out = Ranges::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_become_ranges() {
        assert_eq!(
            Cells::from_indices(vec![3, 1, 2, 7, 7]).0.as_slice(),
            [(1, 4), (7, 8)]
        );
        assert!(Cells::from_indices(vec![]).is_empty());
        assert_eq!(Cells::from_indices(vec![0, 1, 2]).len(), 3);
        assert!(Cells::from_indices(vec![0, 1, 2]).is_all(3));
    }

    #[test]
    fn intersection_and_complement() {
        let a = Cells(Ranges::from_slice(&[(0, 3), (5, 8)]));
        let b = Cells::range(2, 6);
        assert_eq!(a.intersect(&b).0.as_slice(), [(2, 3), (5, 6)]);
        assert_eq!(a.complement(10).0.as_slice(), [(3, 5), (8, 10)]);
        assert_eq!(Cells::default().complement(4).0.as_slice(), [(0, 4)]);
        assert!(a.intersect(&a.complement(10)).is_empty());
        assert!(a.meets(&b) && !a.meets(&a.complement(10)) && !a.meets(&Cells::default()));
        assert!(!Cells::range(0, 3).meets(&Cells::range(3, 5)));
    }
}
