//! The predictive model: histogram gradient-boosted trees on log loss, grown leaf-wise, with
//! early stopping on an internal validation split, Platt-calibrated probabilities and Saabas
//! per-row explanations. Deterministic for a seed (one thread, fixed tie-breaking).
//!
//! Fitting: columns are binned (`binning`), then each round fits one tree to the gradients of
//! the log loss (`grow`), shrunk by the learning rate, until the validation loss has not
//! improved for `early_stopping_rounds`; the trees after the best round are dropped and the
//! validation scores fit the calibration (`calibration`). Scoring bins the rows once and walks
//! the flattened trees (`forest`).

mod binning;
mod calibration;
mod forest;
mod grow;
mod table;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use binning::FeatureBinning;
pub use calibration::Platt;
pub use forest::Forest;
pub use table::{Column, Table};

use calibration::sigmoid;
use grow::{grow_tree, Binned, GrowParams};

/// Training settings. The defaults suit tabular CRM data of a few thousand to a few million
/// rows: they are LightGBM's and scikit-learn's usual ones (0.1, 31 leaves, 20 rows per leaf),
/// plus a little L2 on leaf values, which steadies leaves of rare categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Shrinkage: each tree's leaf values are multiplied by this.
    pub learning_rate: f64,
    /// Leaves per tree (leaf-wise growth stops here).
    pub max_leaves: usize,
    /// Upper bound on the number of trees.
    pub max_rounds: usize,
    /// Stop once the validation loss has not improved for this many rounds (0: never stop
    /// early; all `max_rounds` trees are kept).
    pub early_stopping_rounds: usize,
    /// Fewest training rows in a leaf.
    pub min_samples_leaf: usize,
    /// Share of rows held out (stratified) for early stopping and calibration; 0 trains on
    /// everything, without early stopping or calibration.
    pub validation_fraction: f64,
    /// L2 penalty on leaf values (λ in −G/(H+λ)).
    pub l2_regularization: f64,
    /// Seeds the validation split; the same seed and data give the same model.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            learning_rate: 0.1,
            max_leaves: 31,
            max_rounds: 1000,
            early_stopping_rounds: 20,
            min_samples_leaf: 20,
            validation_fraction: 0.1,
            l2_regularization: 1.0,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("{labels} labels for a table of {rows} rows")]
    LabelCount { rows: usize, labels: usize },
    #[error("no rows to train on")]
    NoRows,
    #[error("the table has no feature columns")]
    NoFeatures,
    #[error("every row has the same outcome ({}); a model needs both outcomes to learn from", if *.positive { "positive" } else { "negative" })]
    OneClass { positive: bool },
    #[error("{positives} positive and {negatives} negative rows are too few for {folds} folds (each fold needs both outcomes)")]
    TooFewForFolds { folds: usize, positives: usize, negatives: usize },
    #[error("invalid training option: {0}")]
    InvalidOption(String),
}

impl ModelError {
    /// All of these are about the data or options given, so they are the user's to fix.
    pub fn is_user_error(&self) -> bool {
        true
    }
}

/// A feature's effect on one row's score, for explanations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub feature: String,
    /// The row's value as shown to a user ("missing" when blank).
    pub value: String,
    /// Change in calibrated log-odds this feature is credited with; positive raises the score.
    pub effect: f64,
}

/// A trained model, serialisable to JSON so it can be stored and loaded back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    feature_names: Vec<String>,
    binnings: Vec<FeatureBinning>,
    /// Log-odds of the training base rate; the trees add to it.
    initial_score: f64,
    forest: Forest,
    calibration: Platt,
    /// Total split gain per feature.
    gains: Vec<f64>,
    options: TrainOptions,
    /// Validation log loss per round (empty without a validation split).
    validation_loss: Vec<f64>,
}

impl Model {
    /// Trains on `table` with `labels` (true = positive outcome).
    pub fn fit(table: &Table, labels: &[bool], options: &TrainOptions) -> Result<Model, ModelError> {
        check_inputs(table, labels, options)?;
        let rows = table.rows();
        let feature_names: Vec<String> = table.column_names().iter().map(|name| name.to_string()).collect();
        let (train, validation) = validation_split(labels, options);
        // Binning is unsupervised (no labels), so learning it on every row leaks nothing.
        let binnings: Vec<FeatureBinning> =
            table.columns().map(|(_, column)| FeatureBinning::fit(column)).collect();
        let columns: Vec<Vec<u8>> = table
            .columns()
            .zip(&binnings)
            .map(|((_, column), binning)| binning.bin_column(Some(column), rows))
            .collect();
        let categorical: Vec<bool> = binnings.iter().map(FeatureBinning::is_categorical).collect();
        let bin_counts: Vec<usize> = binnings.iter().map(FeatureBinning::bin_count).collect();
        let data = Binned { columns: &columns, categorical: &categorical, bin_counts: &bin_counts };

        let positives = train.iter().filter(|&&row| labels[row as usize]).count() as f64;
        let base_rate = (positives / train.len() as f64).clamp(1e-6, 1.0 - 1e-6);
        let initial_score = (base_rate / (1.0 - base_rate)).ln();
        let params = GrowParams {
            max_leaves: options.max_leaves,
            min_samples_leaf: options.min_samples_leaf.max(1),
            l2: options.l2_regularization,
            learning_rate: options.learning_rate,
        };
        let mut scores = vec![initial_score; rows];
        let mut gradients = vec![0.0; rows];
        let mut hessians = vec![0.0; rows];
        let mut forest = Forest::default();
        let mut gains = vec![0.0; feature_names.len()];
        let mut gains_at_best = gains.clone();
        let mut validation_loss = Vec::new();
        let mut best: Option<(usize, f64, usize, usize)> = None; // (trees, loss, nodes, leaves)
        let validation_rows: Vec<Vec<u8>> = validation
            .iter()
            .map(|&row| columns.iter().map(|column| column[row as usize]).collect())
            .collect();
        for round in 0..options.max_rounds {
            for &row in &train {
                let row = row as usize;
                let p = sigmoid(scores[row]);
                gradients[row] = p - f64::from(u8::from(labels[row]));
                hessians[row] = (p * (1.0 - p)).max(1e-16);
            }
            let root = forest.roots.len();
            let leaves =
                grow_tree(&data, &gradients, &hessians, train.clone(), &params, &mut forest, &mut gains);
            for (leaf_rows, value) in &leaves {
                for &row in leaf_rows {
                    scores[row as usize] += value;
                }
            }
            // A tree that could not split only adds a constant, and the next round would see
            // almost the same gradients: stop instead of adding hundreds of constants.
            if leaves.len() == 1 && round > 0 {
                break;
            }
            if validation.is_empty() || options.early_stopping_rounds == 0 {
                continue;
            }
            let tree_root = forest.roots[root];
            for (&row, bins) in validation.iter().zip(&validation_rows) {
                scores[row as usize] += forest.leaves[forest.leaf_of(tree_root, bins)];
            }
            let loss =
                mean_log_loss(validation.iter().map(|&row| (scores[row as usize], labels[row as usize])));
            validation_loss.push(loss);
            if best.is_none_or(|(_, best_loss, _, _)| loss < best_loss - 1e-12) {
                best = Some((round + 1, loss, forest.nodes.len(), forest.leaves.len()));
                gains_at_best.clone_from(&gains);
            } else if best.is_some_and(|(trees, _, _, _)| round + 1 - trees >= options.early_stopping_rounds)
            {
                break;
            }
        }
        if let Some((trees, _, nodes, leaves)) = best {
            forest.truncate(trees, nodes, leaves);
            gains = gains_at_best;
        }
        let calibration = if validation.is_empty() {
            Platt::IDENTITY
        } else {
            let raw: Vec<f64> =
                validation_rows.iter().map(|bins| initial_score + forest.raw_sum(bins)).collect();
            let outcomes: Vec<bool> = validation.iter().map(|&row| labels[row as usize]).collect();
            Platt::fit(&raw, &outcomes)
        };
        Ok(Model {
            feature_names,
            binnings,
            initial_score,
            forest,
            calibration,
            gains,
            options: options.clone(),
            validation_loss,
        })
    }

    /// Calibrated probabilities of the positive outcome, one per row. Columns are matched by
    /// name: a missing column counts as all-missing, extra columns are ignored.
    pub fn predict(&self, table: &Table) -> Vec<f64> {
        self.predict_log_odds(table).into_iter().map(sigmoid).collect()
    }

    /// Calibrated log-odds, one per row (what [`Model::explain`]'s effects add up to).
    pub fn predict_log_odds(&self, table: &Table) -> Vec<f64> {
        let matrix = self.bin_rows(table);
        let mut scores = vec![self.initial_score; table.rows()];
        self.forest.add_raw(&matrix, self.feature_names.len(), &mut scores);
        for score in &mut scores {
            *score = self.calibration.apply(*score);
        }
        scores
    }

    /// The calibrated log-odds before looking at any feature; a row's contributions add up to
    /// its log-odds minus this.
    pub fn base_log_odds(&self) -> f64 {
        self.calibration.apply(self.initial_score + self.forest.root_sum())
    }

    /// Why `row` scored as it did: one contribution per feature, largest |effect| first.
    /// The effects (Saabas path attribution, scaled by the calibration slope) add up exactly
    /// to the row's calibrated log-odds minus [`Model::base_log_odds`].
    ///
    /// # Panics
    /// When `row` is out of range.
    pub fn explain(&self, table: &Table, row: usize) -> Vec<Contribution> {
        assert!(row < table.rows(), "row {row} of a table of {} rows", table.rows());
        let one = table.select_rows(&[row]);
        let bins = self.bin_rows(&one);
        let mut credits = vec![0.0; self.feature_names.len()];
        self.forest.attribute(&bins, &mut credits);
        let mut contributions: Vec<Contribution> = self
            .feature_names
            .iter()
            .zip(credits)
            .map(|(name, credit)| Contribution {
                feature: name.clone(),
                value: one.column(name).map_or_else(|| "missing".to_string(), |column| column.display(0)),
                effect: credit * self.calibration.slope,
            })
            .collect();
        contributions.sort_by(|a, b| {
            b.effect.abs().total_cmp(&a.effect.abs()).then_with(|| a.feature.cmp(&b.feature))
        });
        contributions
    }

    /// Each feature's share of the total split gain, largest first (ties by name).
    pub fn feature_importance(&self) -> Vec<(String, f64)> {
        let total: f64 = self.gains.iter().sum();
        let mut importance: Vec<(String, f64)> = self
            .feature_names
            .iter()
            .zip(&self.gains)
            .map(|(name, &gain)| (name.clone(), if total > 0.0 { gain / total } else { 0.0 }))
            .collect();
        importance.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        importance
    }

    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Trees kept after early stopping.
    pub fn tree_count(&self) -> usize {
        self.forest.tree_count()
    }

    pub fn options(&self) -> &TrainOptions {
        &self.options
    }

    pub fn calibration(&self) -> Platt {
        self.calibration
    }

    /// Validation log loss after each round trained (before truncation to the best round).
    pub fn validation_loss(&self) -> &[f64] {
        &self.validation_loss
    }

    /// The table's rows as bins, row-major (one row's features side by side, which is what
    /// the tree walk reads).
    fn bin_rows(&self, table: &Table) -> Vec<u8> {
        let rows = table.rows();
        let features = self.feature_names.len();
        let mut matrix = vec![0u8; rows * features];
        for (feature, (name, binning)) in self.feature_names.iter().zip(&self.binnings).enumerate() {
            let bins = binning.bin_column(table.column(name), rows);
            for (row, bin) in bins.into_iter().enumerate() {
                matrix[row * features + feature] = bin;
            }
        }
        matrix
    }
}

fn check_inputs(table: &Table, labels: &[bool], options: &TrainOptions) -> Result<(), ModelError> {
    if table.rows() != labels.len() {
        return Err(ModelError::LabelCount { rows: table.rows(), labels: labels.len() });
    }
    if table.column_names().is_empty() {
        return Err(ModelError::NoFeatures);
    }
    if labels.is_empty() {
        return Err(ModelError::NoRows);
    }
    if labels.iter().all(|&label| label == labels[0]) {
        return Err(ModelError::OneClass { positive: labels[0] });
    }
    let invalid = |what: &str| Err(ModelError::InvalidOption(what.to_string()));
    if !(options.learning_rate > 0.0 && options.learning_rate <= 1.0) {
        return invalid("learning_rate must be in (0, 1]");
    }
    if options.max_leaves < 2 {
        return invalid("max_leaves must be at least 2");
    }
    if options.max_rounds == 0 {
        return invalid("max_rounds must be at least 1");
    }
    if !(0.0..0.9).contains(&options.validation_fraction) {
        return invalid("validation_fraction must be in [0, 0.9)");
    }
    if !(options.l2_regularization >= 0.0 && options.l2_regularization.is_finite()) {
        return invalid("l2_regularization must be a non-negative number");
    }
    Ok(())
}

/// Stratified: the same share of each outcome is held out, so a rare outcome is in both parts.
fn validation_split(labels: &[bool], options: &TrainOptions) -> (Vec<u32>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut train = Vec::with_capacity(labels.len());
    let mut validation = Vec::new();
    for outcome in [false, true] {
        let mut rows: Vec<u32> =
            (0..labels.len() as u32).filter(|&row| labels[row as usize] == outcome).collect();
        rows.shuffle(&mut rng);
        let held = (rows.len() as f64 * options.validation_fraction).round() as usize;
        // Too few rows of an outcome to spare any: train on all and skip early stopping.
        if options.validation_fraction > 0.0 && (held == 0 || held == rows.len()) {
            let mut all: Vec<u32> = (0..labels.len() as u32).collect();
            all.sort_unstable();
            return (all, Vec::new());
        }
        validation.extend_from_slice(&rows[..held]);
        train.extend_from_slice(&rows[held..]);
    }
    // Row order affects nothing in training but keeps memory access sequential.
    train.sort_unstable();
    validation.sort_unstable();
    (train, validation)
}

fn mean_log_loss(pairs: impl Iterator<Item = (f64, bool)>) -> f64 {
    let (mut total, mut count) = (0.0, 0usize);
    for (score, label) in pairs {
        let z = if label { -score } else { score };
        total += if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
        count += 1;
    }
    total / count.max(1) as f64
}
