//! Stratified k-fold evaluation of the modelling pipeline on one table: every row is scored
//! by a model that never saw it, and the figures are computed on those out-of-fold scores.

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::metrics::{self, CalibrationBin, DecileRow};
use crate::model::{Model, ModelError, Table, TrainOptions};

/// How many features the report lists.
const TOP_FEATURES: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureImportance {
    pub feature: String,
    /// Share of the split gain, averaged over the folds' models.
    pub importance: f64,
}

/// The backtest's figures, all on out-of-fold scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestReport {
    pub rows: usize,
    pub positives: usize,
    pub folds: usize,
    pub seed: u64,
    /// Mean of the folds' AUCs.
    pub auc: f64,
    /// Standard deviation of the folds' AUCs (sample, n − 1).
    pub auc_std: f64,
    pub fold_aucs: Vec<f64>,
    /// AUC of all out-of-fold scores pooled.
    pub pooled_auc: f64,
    pub logloss: f64,
    pub lift_at_10: f64,
    pub calibration: Vec<CalibrationBin>,
    pub deciles: Vec<DecileRow>,
    pub top_features: Vec<FeatureImportance>,
    /// Trees kept per fold (after early stopping).
    pub fold_trees: Vec<usize>,
    /// Wall-clock seconds spent fitting, all folds together (one thread).
    pub training_seconds: f64,
    /// Wall-clock seconds spent scoring the held-out rows, all folds together.
    pub scoring_seconds: f64,
}

/// Stratified fold of each row (0..folds): each outcome's rows are shuffled with the seed and
/// dealt round-robin, so every fold gets the same share of positives (±1).
pub fn fold_assignment(labels: &[bool], folds: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut assignment = vec![0; labels.len()];
    for outcome in [true, false] {
        let mut rows: Vec<usize> = (0..labels.len()).filter(|&row| labels[row] == outcome).collect();
        rows.shuffle(&mut rng);
        for (position, row) in rows.into_iter().enumerate() {
            assignment[row] = position % folds.max(1);
        }
    }
    assignment
}

/// Trains `folds` models, each on all folds but one, and scores the one left out.
pub fn backtest(
    table: &Table,
    labels: &[bool],
    folds: usize,
    seed: u64,
    options: &TrainOptions,
) -> Result<BacktestReport, ModelError> {
    backtest_with_folds(table, labels, &fold_assignment(labels, folds, seed), folds, seed, options)
}

/// [`backtest`] with the folds given (as [`fold_assignment`] returns them), for comparisons
/// that must use exactly the same split.
pub fn backtest_with_folds(
    table: &Table,
    labels: &[bool],
    assignment: &[usize],
    folds: usize,
    seed: u64,
    options: &TrainOptions,
) -> Result<BacktestReport, ModelError> {
    if table.rows() != labels.len() || assignment.len() != labels.len() {
        return Err(ModelError::LabelCount { rows: table.rows(), labels: labels.len() });
    }
    let positives = labels.iter().filter(|&&label| label).count();
    let negatives = labels.len() - positives;
    if folds < 2 {
        return Err(ModelError::InvalidOption("folds must be at least 2".into()));
    }
    if positives < folds || negatives < folds {
        return Err(ModelError::TooFewForFolds { folds, positives, negatives });
    }
    let mut out_of_fold = vec![f64::NAN; labels.len()];
    let mut fold_aucs = Vec::with_capacity(folds);
    let mut fold_trees = Vec::with_capacity(folds);
    let mut importance: Vec<(String, f64)> = Vec::new();
    let (mut training_seconds, mut scoring_seconds) = (0.0, 0.0);
    for fold in 0..folds {
        let (held_out, training): (Vec<usize>, Vec<usize>) =
            (0..labels.len()).partition(|&row| assignment[row] == fold);
        let training_labels: Vec<bool> = training.iter().map(|&row| labels[row]).collect();
        let training_table = table.select_rows(&training);
        let held_out_table = table.select_rows(&held_out);
        let started = Instant::now();
        let model = Model::fit(&training_table, &training_labels, options)?;
        training_seconds += started.elapsed().as_secs_f64();
        let started = Instant::now();
        let scores = model.predict(&held_out_table);
        scoring_seconds += started.elapsed().as_secs_f64();
        let held_out_labels: Vec<bool> = held_out.iter().map(|&row| labels[row]).collect();
        fold_aucs.push(metrics::auc(&scores, &held_out_labels));
        fold_trees.push(model.tree_count());
        for (row, score) in held_out.into_iter().zip(scores) {
            out_of_fold[row] = score;
        }
        for (feature, share) in model.feature_importance() {
            match importance.iter_mut().find(|(name, _)| *name == feature) {
                Some((_, total)) => *total += share / folds as f64,
                None => importance.push((feature, share / folds as f64)),
            }
        }
    }
    importance.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mean = fold_aucs.iter().sum::<f64>() / folds as f64;
    let variance = fold_aucs.iter().map(|auc| (auc - mean).powi(2)).sum::<f64>() / (folds - 1) as f64;
    Ok(BacktestReport {
        rows: labels.len(),
        positives,
        folds,
        seed,
        auc: mean,
        auc_std: variance.sqrt(),
        pooled_auc: metrics::auc(&out_of_fold, labels),
        logloss: metrics::logloss(&out_of_fold, labels),
        lift_at_10: metrics::lift_at(&out_of_fold, labels, 0.1),
        calibration: metrics::calibration_bins(&out_of_fold, labels, 10),
        deciles: metrics::decile_lift(&out_of_fold, labels),
        top_features: importance
            .into_iter()
            .take(TOP_FEATURES)
            .map(|(feature, importance)| FeatureImportance { feature, importance })
            .collect(),
        fold_aucs,
        fold_trees,
        training_seconds,
        scoring_seconds,
    })
}
