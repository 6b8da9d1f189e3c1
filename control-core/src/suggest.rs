//! "Did you mean …?": the nearest candidate by edit distance, for every "unknown X" error.

/// The Damerau–Levenshtein (optimal string alignment) distance between `a` and `b`, in characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// The candidate closest to `input` within `max` edits (ties: the first one), with its payload.
pub(crate) fn nearest<'a, T>(
    input: &str,
    candidates: impl IntoIterator<Item = (&'a str, T)>,
    max: usize,
) -> Option<T> {
    if input.is_empty() {
        return None;
    }
    let mut best: Option<(usize, T)> = None;
    for (name, payload) in candidates {
        let d = distance(input, name);
        if d <= max && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, payload));
        }
    }
    best.map(|(_, t)| t)
}

/// `nearest` over plain names.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let max = (input.chars().count() / 3).max(1);
    nearest(input, candidates.into_iter().map(|c| (c, c)), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("abc", "acb"), 1);
        assert_eq!(distance("destination", "destnation"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_within_a_third_of_the_length() {
        let fields = ["destination", "activity", "end_user"];
        assert_eq!(suggest("destnation", fields), Some("destination"));
        assert_eq!(suggest("enduser", fields), Some("end_user"));
        assert_eq!(suggest("price", fields), None);
    }
}
