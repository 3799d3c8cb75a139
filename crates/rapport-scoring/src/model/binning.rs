//! Turning raw columns into small integer bins, the way histogram boosting (LightGBM,
//! scikit-learn's HistGradientBoosting) does: split search then scans at most 256 bins per
//! feature instead of every distinct value.
//!
//! Bin 0 is always "missing", so a split can learn where missing values go. Numbers get up to
//! [`MAX_VALUE_BINS`] quantile bins; categories get one bin each, the most frequent
//! [`MAX_VALUE_BINS`] of them. Rarer categories and categories first seen when scoring share
//! bin 0 with the missing values: the model knows nothing about them, and "missing" is the
//! direction it learned for "no information".

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::table::Column;

/// Bins 1..=255 hold values; bin 0 holds missing (and unknown categories).
pub const MAX_VALUE_BINS: usize = 255;
pub const MISSING_BIN: u8 = 0;

/// How one feature's raw values map to bins, learned from the training rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeatureBinning {
    /// A value `v` falls in bin `1 + (number of thresholds < v)`.
    Numeric { thresholds: Vec<f64> },
    /// Category `categories[i]` falls in bin `i + 1`.
    Categorical { categories: Vec<String> },
}

impl FeatureBinning {
    /// Learns the bins of one column from its (training) values.
    pub fn fit(column: &Column) -> FeatureBinning {
        match column {
            Column::Numeric(values) => FeatureBinning::Numeric { thresholds: quantile_thresholds(values) },
            Column::Categorical(values) => {
                FeatureBinning::Categorical { categories: frequent_categories(values) }
            }
        }
    }

    pub fn is_categorical(&self) -> bool {
        matches!(self, FeatureBinning::Categorical { .. })
    }

    /// How many bins are in use, the missing bin included.
    pub fn bin_count(&self) -> usize {
        match self {
            FeatureBinning::Numeric { thresholds } => thresholds.len() + 2,
            FeatureBinning::Categorical { categories } => categories.len() + 1,
        }
    }

    /// Bins a column; a column of the other kind is converted (numbers to their text, text to
    /// numbers where it parses) so that scoring never fails on a type drift.
    pub fn bin_column(&self, column: Option<&Column>, rows: usize) -> Vec<u8> {
        let Some(column) = column else { return vec![MISSING_BIN; rows] };
        match (self, column) {
            (FeatureBinning::Numeric { thresholds }, Column::Numeric(values)) => {
                values.iter().map(|&value| numeric_bin(thresholds, value)).collect()
            }
            (FeatureBinning::Numeric { thresholds }, Column::Categorical(values)) => values
                .iter()
                .map(|value| {
                    let number = value.as_deref().and_then(|text| text.trim().parse::<f64>().ok());
                    numeric_bin(thresholds, number.unwrap_or(f64::NAN))
                })
                .collect(),
            (FeatureBinning::Categorical { categories }, Column::Categorical(values)) => {
                let index = category_index(categories);
                values
                    .iter()
                    .map(|value| value.as_deref().map_or(MISSING_BIN, |text| category_bin(&index, text)))
                    .collect()
            }
            (FeatureBinning::Categorical { categories }, Column::Numeric(values)) => {
                let index = category_index(categories);
                values
                    .iter()
                    .map(|&value| {
                        if value.is_nan() {
                            MISSING_BIN
                        } else {
                            category_bin(&index, &super::table::format_number(value))
                        }
                    })
                    .collect()
            }
        }
    }
}

/// Finds a category's bin. Scoring looks up every categorical value, and CRM categories are
/// few and short ("admin.", "may", "Education"), so comparing the bytes of the few
/// categories of the same length beats hashing each value; columns with many categories of
/// one length (codes, ids) fall back to a hash map.
#[derive(Debug)]
enum CategoryIndex<'a> {
    ByLength(Vec<Vec<(&'a [u8], u8)>>),
    Hashed(HashMap<&'a str, u8>),
}

/// Most categories of one length scanned one by one.
const SCAN_LIMIT: usize = 8;
const SCAN_MAX_LENGTH: usize = 48;

fn category_index(categories: &[String]) -> CategoryIndex<'_> {
    let mut buckets: Vec<Vec<(&[u8], u8)>> = vec![Vec::new(); SCAN_MAX_LENGTH];
    for (index, name) in categories.iter().enumerate() {
        let bin = (index + 1) as u8;
        match buckets.get_mut(name.len()) {
            Some(bucket) if bucket.len() < SCAN_LIMIT => bucket.push((name.as_bytes(), bin)),
            _ => {
                return CategoryIndex::Hashed(
                    categories
                        .iter()
                        .enumerate()
                        .map(|(index, name)| (name.as_str(), (index + 1) as u8))
                        .collect(),
                )
            }
        }
    }
    CategoryIndex::ByLength(buckets)
}

fn category_bin(index: &CategoryIndex<'_>, text: &str) -> u8 {
    match index {
        CategoryIndex::ByLength(buckets) => buckets
            .get(text.len())
            .and_then(|bucket| bucket.iter().find(|(name, _)| *name == text.as_bytes()).map(|&(_, bin)| bin)),
        CategoryIndex::Hashed(map) => map.get(text).copied(),
    }
    .unwrap_or(MISSING_BIN)
}

fn numeric_bin(thresholds: &[f64], value: f64) -> u8 {
    if value.is_nan() {
        return MISSING_BIN;
    }
    (1 + thresholds.partition_point(|&threshold| threshold < value)) as u8
}

/// Up to 254 thresholds: midpoints between distinct values when there are few enough, else
/// cuts at equal-count quantiles of the distinct values weighted by their counts.
fn quantile_thresholds(values: &[f64]) -> Vec<f64> {
    let mut present: Vec<f64> = values.iter().copied().filter(|value| !value.is_nan()).collect();
    present.sort_by(f64::total_cmp);
    let mut distinct: Vec<(f64, usize)> = Vec::new();
    for value in present.iter().copied() {
        match distinct.last_mut() {
            Some((last, count)) if *last == value => *count += 1,
            _ => distinct.push((value, 1)),
        }
    }
    if distinct.len() <= MAX_VALUE_BINS {
        return distinct.windows(2).map(|pair| midpoint(pair[0].0, pair[1].0)).collect();
    }
    let per_bin = present.len() as f64 / MAX_VALUE_BINS as f64;
    let mut thresholds = Vec::with_capacity(MAX_VALUE_BINS - 1);
    let mut seen = 0usize;
    for pair in distinct.windows(2) {
        seen += pair[0].1;
        // Cut once the running count passes the next quantile, so a heavy value (a spike of
        // zeros, say) gets a bin of its own instead of sharing one with its neighbours.
        if seen as f64 >= per_bin * (thresholds.len() + 1) as f64 && thresholds.len() < MAX_VALUE_BINS - 1 {
            thresholds.push(midpoint(pair[0].0, pair[1].0));
        }
    }
    thresholds
}

fn midpoint(low: f64, high: f64) -> f64 {
    let middle = low + (high - low) / 2.0;
    if middle.is_finite() {
        middle
    } else {
        low
    }
}

/// The most frequent categories first (ties by name, so the order is deterministic).
fn frequent_categories(values: &[Option<String>]) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for value in values.iter().flatten() {
        *counts.entry(value.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    ranked.into_iter().take(MAX_VALUE_BINS).map(|(name, _)| name.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_get_a_bin_each_and_missing_gets_bin_zero() {
        let column = Column::Numeric(vec![1.0, 2.0, 2.0, f64::NAN, 5.0]);
        let binning = FeatureBinning::fit(&column);
        assert_eq!(binning, FeatureBinning::Numeric { thresholds: vec![1.5, 3.5] });
        assert_eq!(binning.bin_column(Some(&column), 5), vec![1, 2, 2, 0, 3]);
    }

    #[test]
    fn many_distinct_values_get_at_most_255_bins_of_similar_size() {
        let values: Vec<f64> = (0..10_000).map(|i| f64::from(i) * 0.37).collect();
        let column = Column::Numeric(values);
        let binning = FeatureBinning::fit(&column);
        let bins = binning.bin_column(Some(&column), 10_000);
        let mut counts = [0usize; 256];
        for bin in bins {
            counts[bin as usize] += 1;
        }
        let used: Vec<usize> = counts.iter().copied().filter(|&count| count > 0).collect();
        assert!(used.len() <= 255 && used.len() > 200, "{} bins", used.len());
        assert!(used.iter().all(|&count| (30..=50).contains(&count)), "{used:?}");
    }

    #[test]
    fn rare_and_unseen_categories_share_the_missing_bin() {
        let column = Column::Categorical(vec![Some("a".into()), Some("b".into()), Some("a".into()), None]);
        let binning = FeatureBinning::fit(&column);
        let scored = Column::Categorical(vec![Some("b".into()), Some("never seen".into()), Some("a".into())]);
        assert_eq!(binning.bin_column(Some(&scored), 3), vec![2, 0, 1]);
        // Many categories of one length are looked up by hash instead; the bins are the same.
        let codes: Vec<Option<String>> = (0..300).map(|i| Some(format!("C{:03}", i % 40))).collect();
        let binning = FeatureBinning::fit(&Column::Categorical(codes.clone()));
        let FeatureBinning::Categorical { categories } = &binning else { unreachable!() };
        let bins = binning.bin_column(Some(&Column::Categorical(codes.clone())), 300);
        for (code, bin) in codes.iter().zip(bins) {
            assert_eq!(categories[bin as usize - 1], *code.as_ref().unwrap());
        }
        assert_eq!(binning.bin_column(None, 2), vec![0, 0]);
    }
}
