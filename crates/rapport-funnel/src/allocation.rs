//! How an attribution model weighs a deal's touches, and how a deal's cents are split by weight
//! so the credits add up to the deal exactly.

use rapport_domain::Timestamp;

use crate::attribution::AttributionModel;

/// Integer weights for touches at `times` (in order, at least one), so the split below is exact.
///
/// W-shaped: the first touch, the lead-creation touch (nearest `lead_created`, the earlier one on
/// a tie; the first touch when the time is unknown) and the opportunity-creation touch (the last)
/// get 30% each, merged when they coincide; the other `k` touches share 10%. Scaled by `k`
/// that is 30·k per role and 10 per other touch. With no other touch the roles' weights are
/// simply renormalised (two roles on one touch and one on another: 2/3 and 1/3).
pub(crate) fn weights(
    model: AttributionModel,
    times: &[Timestamp],
    lead_created: Option<Timestamp>,
    weights: &mut Vec<u64>,
) {
    let count = times.len();
    weights.clear();
    weights.resize(count, 0);
    if count == 0 {
        return;
    }
    match model {
        AttributionModel::First => weights[0] = 1,
        AttributionModel::Last => weights[count - 1] = 1,
        AttributionModel::Linear => weights.fill(1),
        AttributionModel::W => {
            let lead = lead_created.map_or(0, |created| nearest(times, created));
            let mut roles = vec![0u64; count];
            roles[0] += 1;
            roles[lead] += 1;
            roles[count - 1] += 1;
            let others = roles.iter().filter(|&&r| r == 0).count() as u64;
            let role_weight = 30 * others.max(1);
            for (weight, role) in weights.iter_mut().zip(&roles) {
                *weight = if *role == 0 { 10 } else { role * role_weight };
            }
        }
    }
}

/// Index of the time nearest `target`, the earliest on a tie.
fn nearest(times: &[Timestamp], target: Timestamp) -> usize {
    let distance = |t: Timestamp| (t - target).abs();
    let mut best = 0;
    for (index, &time) in times.iter().enumerate().skip(1) {
        if distance(time) < distance(times[best]) {
            best = index;
        }
    }
    best
}

/// Splits `amount` cents by `weights` (not all zero) with the largest-remainder method: each
/// share is rounded down, and the cents left over go one each to the largest remainders (the
/// earlier touch on a tie). The shares sum to `amount` exactly.
pub(crate) fn split_cents(amount: i64, weights: &[u64], shares: &mut Vec<i64>) {
    let total: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    assert!(total > 0, "a split needs a positive weight");
    shares.clear();
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (index, &weight) in weights.iter().enumerate() {
        let product = i128::from(amount) * i128::from(weight);
        shares.push(product.div_euclid(total) as i64);
        remainders.push((product.rem_euclid(total), index));
    }
    // The remainders sum to `left_over * total`, each below `total`, so 0 <= left_over < count.
    let left_over = amount - shares.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, index) in remainders.iter().take(left_over as usize) {
        shares[index] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn day(d: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn check(model: AttributionModel, days: &[u32], lead: Option<u32>, amount: i64, expected: &[i64]) {
        let times: Vec<_> = days.iter().map(|&d| day(d)).collect();
        let mut w = Vec::new();
        weights(model, &times, lead.map(day), &mut w);
        let mut shares = Vec::new();
        split_cents(amount, &w, &mut shares);
        assert_eq!(shares, expected, "{model:?} {days:?} lead {lead:?}: weights {w:?}");
        assert_eq!(shares.iter().sum::<i64>(), amount);
    }

    #[test]
    fn single_touch_models() {
        use AttributionModel::*;
        check(First, &[1, 2, 3], None, 100, &[100, 0, 0]);
        check(Last, &[1, 2, 3], None, 100, &[0, 0, 100]);
        check(Linear, &[1, 2, 3], None, 100, &[34, 33, 33]);
        check(Linear, &[1, 2, 3], None, -100, &[-33, -33, -34]);
    }

    #[test]
    fn w_shaped_roles_merge_and_renormalise() {
        use AttributionModel::W;
        // first, lead (day 3), two others, last: 30/30/5/5/30.
        check(W, &[1, 3, 4, 5, 9], Some(3), 10_000, &[3000, 3000, 500, 500, 3000]);
        // The lead touch is the first: 60% there, 30% last, 10% the middle one.
        check(W, &[1, 5, 9], Some(1), 1000, &[600, 100, 300]);
        // Two touches, lead on the first: 2/3 and 1/3, the spare cent to the larger remainder.
        check(W, &[1, 9], Some(2), 100, &[67, 33]);
        // One touch takes everything; unknown lead time falls on the first touch.
        check(W, &[4], None, 999, &[999]);
        check(W, &[1, 2, 9], None, 1000, &[600, 100, 300]);
        // A tie in distance goes to the earlier touch.
        check(W, &[1, 3, 5, 9], Some(4), 1000, &[300, 300, 100, 300]);
    }
}
