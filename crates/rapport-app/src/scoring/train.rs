//! Training the model on the workspace's closed-loop outcomes, with validation on time.
//!
//! Rows are people marketing handed to sales; features are taken at the first handoff, so
//! the model learns what was knowable then. The label is the selected target (accepted by
//! sales, became an opportunity, won). A person whose outcome may still come (handed over
//! recently, nothing decided) is left out rather than counted as a failure: a negative counts
//! once the person was rejected, recycled or lost, or the handoff is older than the target's
//! maturity (14 days to be accepted, 60 to become an opportunity, 120 to be won).
//!
//! Validation is on time: the earliest 75% of handoffs train, the latest 25% test, and the
//! figures (AUC, log loss, lift, calibration, deciles, conversion by grade) come from the test
//! period. The stored model is then refitted on every row. Drift is checked against the
//! previous model version: an AUC drop of more than 0.02, or a population stability index
//! above 0.2 between the two versions' test score distributions, is reported as a warning.

use chrono::Duration;
use rapport_domain::{Stage, Timestamp, User};
use rapport_scoring::definition::{evaluate, Grade, Outcomes};
use rapport_scoring::metrics::{
    auc, calibration_bins, decile_lift, lift_at, logloss, CalibrationBin, DecileRow,
};
use rapport_scoring::{Model, TrainOptions};
use rapport_store::{ModelVersion, NewModelVersion, Store};
use serde::{Deserialize, Serialize};

use rapport_store::analysis::{AnalysisFilter, CallAnalysisFacts};

use super::features::{self, Row};
use super::{definitions, history};
use crate::permissions::{require, Action};
use crate::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Accepted,
    Opportunity,
    Won,
}

impl Target {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "accepted" | "sal" => Some(Self::Accepted),
            "opportunity" | "opp" => Some(Self::Opportunity),
            "won" | "customer" => Some(Self::Won),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Opportunity => "opportunity",
            Self::Won => "won",
        }
    }

    fn reached(self, outcomes: Outcomes) -> bool {
        match self {
            Self::Accepted => outcomes.accepted,
            Self::Opportunity => outcomes.opportunity,
            Self::Won => outcomes.won,
        }
    }

    fn maturity_days(self) -> i64 {
        match self {
            Self::Accepted => 14,
            Self::Opportunity => 60,
            Self::Won => 120,
        }
    }
}

/// Fewest positive and negative outcomes, overall, to train at all; and in the test period,
/// to report figures worth reading.
pub const MIN_OUTCOMES: usize = 30;
pub const MIN_TEST_OUTCOMES: usize = 5;
/// Share of the latest handoffs kept for the test period.
pub const TEST_SHARE: f64 = 0.25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeConversion {
    pub grade: Grade,
    pub people: usize,
    pub converted: usize,
    pub rate: Option<f64>,
}

/// What a model version is worth, on the test period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    pub target: Target,
    pub train_rows: usize,
    pub test_rows: usize,
    /// The first handoff of the test period: the model was validated on what came after.
    pub test_from: Timestamp,
    pub test_positives: usize,
    pub base_rate: f64,
    pub auc: f64,
    pub logloss: f64,
    pub lift_at_10: f64,
    pub calibration: Vec<CalibrationBin>,
    pub deciles: Vec<DecileRow>,
    /// Grades of the rules at the handoff, and how each converted, on the test period.
    pub conversion_by_grade: Vec<GradeConversion>,
    /// AUC of the rules' total at the handoff on the same rows: is the definition predictive?
    pub rules_auc: f64,
    pub top_features: Vec<(String, f64)>,
    /// Share of test scores in each tenth of [0, 1], for the drift check.
    pub score_shares: Vec<f64>,
    pub drift_warnings: Vec<String>,
}

/// The outcome of `rapport score train`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TrainOutcome {
    Trained {
        version: i64,
        metrics: Box<ModelMetrics>,
    },
    /// Not enough outcomes yet: nothing stored, scores keep using the rules.
    TooFewOutcomes {
        positives: usize,
        negatives: usize,
        needed: usize,
        message: String,
    },
}

struct Labelled<'p> {
    row: Row<'p>,
    label: bool,
}

fn labelled(people: &[history::ScoringPerson], target: Target, now: Timestamp) -> Vec<Labelled<'_>> {
    let mut rows: Vec<Labelled<'_>> = people
        .iter()
        .filter_map(|person| {
            let handoff = person.first_handoff()?;
            let label = target.reached(Outcomes::of(&person.history.stages));
            let closed = person
                .history
                .stages
                .iter()
                .any(|s| matches!(s, Stage::Rejected | Stage::Recycled | Stage::Lost));
            let mature = handoff + Duration::days(target.maturity_days()) <= now;
            (label || closed || mature).then_some(Labelled { row: Row { person, cutoff: handoff }, label })
        })
        .collect();
    rows.sort_by_key(|l| (l.row.cutoff, l.row.person.id));
    rows
}

pub fn score_shares(probabilities: &[f64]) -> Vec<f64> {
    let mut counts = [0usize; 10];
    for p in probabilities {
        counts[((p.clamp(0.0, 1.0) * 10.0) as usize).min(9)] += 1;
    }
    let n = probabilities.len().max(1) as f64;
    counts.iter().map(|c| *c as f64 / n).collect()
}

/// Population stability index between two share vectors (a small floor keeps empty bins finite).
pub fn psi(expected: &[f64], actual: &[f64]) -> f64 {
    expected
        .iter()
        .zip(actual)
        .map(|(e, a)| {
            let (e, a) = (e.max(1e-4), a.max(1e-4));
            (a - e) * (a / e).ln()
        })
        .sum()
}

fn drift(previous: Option<&ModelMetrics>, current: &ModelMetrics) -> Vec<String> {
    let Some(previous) = previous else { return Vec::new() };
    let mut warnings = Vec::new();
    if previous.auc - current.auc > 0.02 {
        warnings.push(format!(
            "AUC fell from {:.3} to {:.3} since the previous model",
            previous.auc, current.auc
        ));
    }
    let index = psi(&previous.score_shares, &current.score_shares);
    if index > 0.2 {
        warnings
            .push(format!("the score distribution shifted (PSI {index:.2} > 0.2): the mix of leads changed"));
    }
    warnings
}

/// Trains a model for `target` and stores it with its metrics; with too few outcomes it says
/// so and stores nothing (scores then use the rules alone).
pub fn train(
    store: &dyn Store,
    user: &User,
    target: Target,
    now: Timestamp,
) -> Result<TrainOutcome, AppError> {
    require(user, Action::TrainModel)?;
    let people = history::load(store)?;
    // Every analysed call; each row keeps only its person's calls before the handoff.
    let calls = store.analysis_facts(&AnalysisFilter::default())?;
    train_on(store, &people, target, &calls, now)
}

pub(crate) fn train_on(
    store: &dyn Store,
    people: &[history::ScoringPerson],
    target: Target,
    calls: &[CallAnalysisFacts],
    now: Timestamp,
) -> Result<TrainOutcome, AppError> {
    let rows = labelled(people, target, now);
    let positives = rows.iter().filter(|r| r.label).count();
    let negatives = rows.len() - positives;
    let split = ((rows.len() as f64) * (1.0 - TEST_SHARE)).round() as usize;
    let test_positives = rows[split.min(rows.len())..].iter().filter(|r| r.label).count();
    let test_negatives = rows.len() - split.min(rows.len()) - test_positives;
    if positives < MIN_OUTCOMES
        || negatives < MIN_OUTCOMES
        || test_positives < MIN_TEST_OUTCOMES
        || test_negatives < MIN_TEST_OUTCOMES
    {
        return Ok(TrainOutcome::TooFewOutcomes {
            positives,
            negatives,
            needed: MIN_OUTCOMES,
            message: format!(
                "too few outcomes to train on: {positives} people reached `{}` and {negatives} did not \
                 (at least {MIN_OUTCOMES} of each, and {MIN_TEST_OUTCOMES} of each among the latest {:.0}%, are needed); \
                 scores keep using the lead definition's rules",
                target.as_str(),
                TEST_SHARE * 100.0
            ),
        });
    }
    let feature_rows: Vec<Row<'_>> = rows.iter().map(|r| r.row).collect();
    let labels: Vec<bool> = rows.iter().map(|r| r.label).collect();
    let conversation = features::conversation_at(calls, &feature_rows);
    let table = features::table(&feature_rows, &conversation);
    let train_index: Vec<usize> = (0..split).collect();
    let test_index: Vec<usize> = (split..rows.len()).collect();
    let options = TrainOptions::default();
    let model = Model::fit(&table.select_rows(&train_index), &labels[..split], &options)
        .map_err(|e| AppError::invalid("training data", e.to_string()))?;
    let test_table = table.select_rows(&test_index);
    let test_labels = &labels[split..];
    let predicted = model.predict(&test_table);

    let (_, definition) = definitions::active(store)?;
    let rules: Vec<(f64, Grade)> = rows[split..]
        .iter()
        .map(|r| {
            let e = evaluate(
                &definition,
                &r.row.person.history.input,
                &r.row.person.history.touches,
                r.row.cutoff,
            );
            (e.total, e.grade)
        })
        .collect();
    let rule_totals: Vec<f64> = rules.iter().map(|r| r.0).collect();
    let conversion_by_grade = Grade::ALL
        .iter()
        .map(|grade| {
            let members: Vec<bool> =
                rules.iter().zip(test_labels).filter(|(r, _)| r.1 == *grade).map(|(_, l)| *l).collect();
            let converted = members.iter().filter(|l| **l).count();
            GradeConversion {
                grade: *grade,
                people: members.len(),
                converted,
                rate: (!members.is_empty()).then(|| converted as f64 / members.len() as f64),
            }
        })
        .collect();

    let final_model = Model::fit(&table, &labels, &options)
        .map_err(|e| AppError::invalid("training data", e.to_string()))?;
    let previous: Option<ModelMetrics> = store
        .model_versions()?
        .into_iter()
        .find(|m| m.target == target.as_str())
        .and_then(|m| serde_json::from_str(&m.metrics_json).ok());
    let mut metrics = ModelMetrics {
        target,
        train_rows: split,
        test_rows: test_labels.len(),
        test_from: rows[split].row.cutoff,
        test_positives,
        base_rate: test_positives as f64 / test_labels.len() as f64,
        auc: auc(&predicted, test_labels),
        logloss: logloss(&predicted, test_labels),
        lift_at_10: lift_at(&predicted, test_labels, 0.1),
        calibration: calibration_bins(&predicted, test_labels, 10),
        deciles: decile_lift(&predicted, test_labels),
        conversion_by_grade,
        rules_auc: auc(&rule_totals, test_labels),
        top_features: final_model.feature_importance().into_iter().take(10).collect(),
        score_shares: score_shares(&predicted),
        drift_warnings: Vec::new(),
    };
    metrics.drift_warnings = drift(previous.as_ref(), &metrics);
    let stored = store.save_model_version(
        &NewModelVersion {
            target: target.as_str().to_owned(),
            model_json: serde_json::to_string(&final_model)
                .map_err(|e| AppError::invalid("model", e.to_string()))?,
            metrics_json: serde_json::to_string(&metrics)
                .map_err(|e| AppError::invalid("metrics", e.to_string()))?,
            row_count: rows.len() as i64,
        },
        now,
    )?;
    Ok(TrainOutcome::Trained { version: stored.version, metrics: Box::new(metrics) })
}

/// The newest stored model and its metrics, if any.
pub fn latest(store: &dyn Store) -> Result<Option<(ModelVersion, Model, ModelMetrics)>, AppError> {
    let Some(version) = store.model_versions()?.into_iter().next() else { return Ok(None) };
    let corrupt = |what: &str, e: serde_json::Error| {
        AppError::Store(rapport_store::StoreError::Database(format!(
            "model version {}: {what}: {e}",
            version.version
        )))
    };
    let model: Model = serde_json::from_str(&version.model_json).map_err(|e| corrupt("model", e))?;
    let metrics: ModelMetrics =
        serde_json::from_str(&version.metrics_json).map_err(|e| corrupt("metrics", e))?;
    Ok(Some((version, model, metrics)))
}
