//! Time covered by a set of possibly overlapping intervals, so overlapping speech is
//! counted once rather than once per utterance.

/// Total length of the union of `[start, end)` intervals; reversed intervals count zero.
pub fn union_length(intervals: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let mut sorted: Vec<(f64, f64)> = intervals.into_iter().filter(|(start, end)| end > start).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut total = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for (start, end) in sorted {
        current = match current {
            Some((open, close)) if start <= close => Some((open, close.max(end))),
            Some((open, close)) => {
                total += close - open;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(0.0, |(open, close)| close - open)
}

#[cfg(test)]
mod tests {
    use super::union_length;

    fn check(intervals: &[(f64, f64)], expected: f64) {
        let got = union_length(intervals.iter().copied());
        assert!((got - expected).abs() < 1e-9, "{intervals:?}: got {got}, expected {expected}");
    }

    #[test]
    fn union_counts_overlaps_once() {
        check(&[], 0.0);
        check(&[(0.0, 10.0)], 10.0);
        check(&[(0.0, 10.0), (5.0, 15.0)], 15.0);
        check(&[(0.0, 10.0), (2.0, 3.0)], 10.0);
        check(&[(20.0, 30.0), (0.0, 10.0)], 20.0);
        check(&[(0.0, 10.0), (10.0, 12.0)], 12.0);
        check(&[(5.0, 1.0)], 0.0);
    }
}
