//! Small numeric helpers shared by the report sections: rates, hours and percentiles.

use rapport_domain::{Stage, Timestamp};

const MILLIS_PER_HOUR: f64 = 3_600_000.0;

/// `numerator / denominator`, or `None` (JSON `null`) when there is nothing to divide by, so a
/// dashboard shows "no data" rather than a misleading 0%.
pub(crate) fn rate(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// `to - from` in milliseconds. Through epoch milliseconds, as the stores keep times: about twice
/// as fast as subtracting the date-times, which matters for millions of stays.
pub(crate) fn millis_between(from: Timestamp, to: Timestamp) -> i64 {
    to.timestamp_millis() - from.timestamp_millis()
}

pub(crate) fn hours(millis: i64) -> f64 {
    millis as f64 / MILLIS_PER_HOUR
}

/// The 0-based index of the nearest-rank `percent` percentile among `count` sorted values:
/// the smallest value with at least `percent`% of the values at or below it.
pub(crate) fn nearest_rank_index(percent: u64, count: usize) -> usize {
    debug_assert!(count > 0 && (1..=100).contains(&percent));
    let rank = (percent * count as u64).div_ceil(100) as usize;
    rank.max(1) - 1
}

/// Median and p90 of the durations, in milliseconds. Selection rather than a full sort keeps this
/// linear for the millions of stays of a large workspace; the order of `values` is lost.
pub(crate) fn median_and_p90(values: &mut [i64]) -> Option<(i64, i64)> {
    if values.is_empty() {
        return None;
    }
    let median_index = nearest_rank_index(50, values.len());
    let p90_index = nearest_rank_index(90, values.len());
    let (_, median, above) = values.select_nth_unstable(median_index);
    let median = *median;
    // p90 is at or after the median, so it is found among the values above it.
    let p90 = if p90_index == median_index {
        median
    } else {
        *above.select_nth_unstable(p90_index - median_index - 1).1
    };
    Some((median, p90))
}

/// Position in [`Stage::FUNNEL`]; side exits have none.
pub(crate) fn funnel_position(stage: Stage) -> Option<usize> {
    match stage {
        Stage::Subscriber => Some(0),
        Stage::Lead => Some(1),
        Stage::Mql => Some(2),
        Stage::Sal => Some(3),
        Stage::Sql => Some(4),
        Stage::Opportunity => Some(5),
        Stage::Customer => Some(6),
        Stage::Rejected | Stage::Recycled | Stage::Lost => None,
    }
}

/// Position in [`Stage::ALL`].
pub(crate) fn stage_index(stage: Stage) -> usize {
    match funnel_position(stage) {
        Some(position) => position,
        None => match stage {
            Stage::Rejected => 7,
            Stage::Recycled => 8,
            _ => 9,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(values: &[i64], expected: Option<(i64, i64)>) {
        let mut values = values.to_vec();
        assert_eq!(median_and_p90(&mut values), expected, "values {values:?}");
    }

    #[test]
    fn nearest_rank_percentiles() {
        check(&[], None);
        check(&[7], Some((7, 7)));
        check(&[9, 1], Some((1, 9)));
        check(&[3, 1, 2], Some((2, 3)));
        check(&[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], Some((5, 9)));
        check(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], Some((6, 10)));
        check(&[4, 4, 4, 1], Some((4, 4)));
    }

    #[test]
    fn positions_follow_the_domain_order() {
        for (index, stage) in Stage::ALL.into_iter().enumerate() {
            assert_eq!(stage_index(stage), index);
        }
        for (index, stage) in Stage::FUNNEL.into_iter().enumerate() {
            assert_eq!(funnel_position(stage), Some(index));
        }
        assert_eq!(rate(1, 0), None);
        assert_eq!(rate(1, 4), Some(0.25));
    }
}
