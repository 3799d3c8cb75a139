//! How good a score is, in the figures a marketer reads: AUC (ranking), log loss (honest
//! probabilities), lift at the top, calibration bins and lift by decile.
//!
//! Where the order of rows with equal scores would change a figure (lift at a cut), ties keep
//! the input order, so the figures are deterministic; AUC counts a tied pair as half.

use serde::{Deserialize, Serialize};

/// Area under the ROC curve: the chance a random positive scores above a random negative,
/// ties counting half (Mann–Whitney with average ranks). NaN without both outcomes.
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    assert_eq!(scores.len(), labels.len(), "one label per score");
    let positives = labels.iter().filter(|&&label| label).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return f64::NAN;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut positive_rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[start]] {
            end += 1;
        }
        // Ranks start..=end (1-based: start+1..=end+1) share their average.
        let average_rank = (start + end) as f64 / 2.0 + 1.0;
        let tied_positives = order[start..=end].iter().filter(|&&row| labels[row]).count();
        positive_rank_sum += average_rank * tied_positives as f64;
        start = end + 1;
    }
    let positives = positives as f64;
    (positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives as f64)
}

/// Mean negative log-likelihood of the labels under the probabilities (natural log), with
/// probabilities clipped to [1e-15, 1 − 1e-15] so one confident mistake is costly, not infinite.
pub fn logloss(probabilities: &[f64], labels: &[bool]) -> f64 {
    assert_eq!(probabilities.len(), labels.len(), "one label per score");
    if labels.is_empty() {
        return f64::NAN;
    }
    let total: f64 = probabilities
        .iter()
        .zip(labels)
        .map(|(&p, &label)| {
            let p = p.clamp(1e-15, 1.0 - 1e-15);
            -if label { p.ln() } else { (1.0 - p).ln() }
        })
        .sum();
    total / labels.len() as f64
}

/// Positive rate among the top `fraction` of rows by score (at least one row), divided by the
/// overall positive rate: 3.0 means the top tenth converts three times as often as average.
pub fn lift_at(scores: &[f64], labels: &[bool], fraction: f64) -> f64 {
    assert_eq!(scores.len(), labels.len(), "one label per score");
    let positives = labels.iter().filter(|&&label| label).count();
    if labels.is_empty() || positives == 0 {
        return f64::NAN;
    }
    let order = descending(scores);
    let top = ((fraction * labels.len() as f64).ceil() as usize).clamp(1, labels.len());
    let top_positives = order[..top].iter().filter(|&&row| labels[row]).count();
    (top_positives as f64 / top as f64) / (positives as f64 / labels.len() as f64)
}

/// Row indices by descending score, ties in input order.
fn descending(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order
}

/// One bin of a calibration curve: rows whose predicted probability is in [lower, upper).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    pub mean_predicted: f64,
    pub observed_rate: f64,
}

/// Equal-width probability bins (the last one includes 1.0); empty bins are left out.
pub fn calibration_bins(probabilities: &[f64], labels: &[bool], bins: usize) -> Vec<CalibrationBin> {
    assert_eq!(probabilities.len(), labels.len(), "one label per score");
    let bins = bins.max(1);
    let mut sums = vec![(0usize, 0.0f64, 0usize); bins];
    for (&p, &label) in probabilities.iter().zip(labels) {
        let index = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        sums[index].0 += 1;
        sums[index].1 += p;
        sums[index].2 += usize::from(label);
    }
    sums.into_iter()
        .enumerate()
        .filter(|(_, (count, _, _))| *count > 0)
        .map(|(index, (count, predicted, positives))| CalibrationBin {
            lower: index as f64 / bins as f64,
            upper: (index + 1) as f64 / bins as f64,
            count,
            mean_predicted: predicted / count as f64,
            observed_rate: positives as f64 / count as f64,
        })
        .collect()
}

/// One tenth of the rows, best scores first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecileRow {
    /// 1 = the highest scores.
    pub decile: usize,
    pub count: usize,
    pub positives: usize,
    pub positive_rate: f64,
    /// This decile's positive rate over the overall rate.
    pub lift: f64,
    /// Share of all positives found in deciles 1..=this one.
    pub cumulative_capture: f64,
}

/// Rows sorted by descending score and cut into ten groups whose sizes differ by at most one
/// (the larger ones first); fewer than ten rows give fewer deciles.
pub fn decile_lift(scores: &[f64], labels: &[bool]) -> Vec<DecileRow> {
    assert_eq!(scores.len(), labels.len(), "one label per score");
    let total_positives = labels.iter().filter(|&&label| label).count();
    let rows = labels.len();
    if rows == 0 {
        return Vec::new();
    }
    let overall = total_positives as f64 / rows as f64;
    let order = descending(scores);
    let mut result = Vec::new();
    let mut start = 0;
    let mut captured = 0;
    for decile in 0..10 {
        let size = rows / 10 + usize::from(decile < rows % 10);
        if size == 0 {
            continue;
        }
        let positives = order[start..start + size].iter().filter(|&&row| labels[row]).count();
        captured += positives;
        let rate = positives as f64 / size as f64;
        result.push(DecileRow {
            decile: decile + 1,
            count: size,
            positives,
            positive_rate: rate,
            lift: if overall > 0.0 { rate / overall } else { f64::NAN },
            cumulative_capture: if total_positives > 0 {
                captured as f64 / total_positives as f64
            } else {
                f64::NAN
            },
        });
        start += size;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, expected: f64) {
        assert!((got - expected).abs() < 1e-12, "got {got}, expected {expected}");
    }

    #[test]
    fn auc_counts_pairs_and_ties_by_hand() {
        // Positives 0.9, 0.5; negatives 0.5, 0.1. Pairs: (0.9>0.5)=1, (0.9>0.1)=1,
        // (0.5=0.5)=½, (0.5>0.1)=1 → 3.5 / 4.
        close(auc(&[0.9, 0.5, 0.5, 0.1], &[true, true, false, false]), 0.875);
        close(auc(&[0.1, 0.2, 0.3], &[true, false, false]), 0.0);
        close(auc(&[0.3, 0.3, 0.3, 0.3], &[true, false, true, false]), 0.5);
        assert!(auc(&[0.1, 0.2], &[true, true]).is_nan());
    }

    #[test]
    fn logloss_by_hand() {
        // −(ln 0.8 + ln(1 − 0.4)) / 2
        close(logloss(&[0.8, 0.4], &[true, false]), -(0.8f64.ln() + 0.6f64.ln()) / 2.0);
        // A certain mistake is clipped, not infinite: −ln(1e-15).
        close(logloss(&[0.0], &[true]), -(1e-15f64).ln());
    }

    #[test]
    fn lift_by_hand() {
        // 10 rows, 2 positives (rate 0.2); the top 20% (2 rows) hold 1 positive → 0.5/0.2.
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
        let labels = [true, false, false, false, false, true, false, false, false, false];
        close(lift_at(&scores, &labels, 0.2), 2.5);
        close(lift_at(&scores, &labels, 0.1), 5.0);
        close(lift_at(&scores, &labels, 1.0), 1.0);
    }

    #[test]
    fn calibration_bins_by_hand() {
        let bins = calibration_bins(&[0.05, 0.15, 0.12, 1.0], &[false, true, false, true], 10);
        assert_eq!(bins.len(), 3);
        assert_eq!((bins[1].count, bins[1].observed_rate), (2, 0.5));
        close(bins[1].mean_predicted, 0.135);
        assert_eq!((bins[2].lower, bins[2].count), (0.9, 1));
    }

    #[test]
    fn deciles_split_evenly_and_capture_everything() {
        let scores: Vec<f64> = (0..25).map(f64::from).collect();
        let labels: Vec<bool> = (0..25).map(|i| i >= 20).collect();
        let deciles = decile_lift(&scores, &labels);
        assert_eq!(deciles.iter().map(|d| d.count).collect::<Vec<_>>(), [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
        // The five positives are the five highest scores: 3 in decile 1, 2 in decile 2.
        assert_eq!((deciles[0].positives, deciles[1].positives), (3, 2));
        close(deciles[0].lift, 1.0 / 0.2);
        close(deciles[9].cumulative_capture, 1.0);
    }
}
