//! Smart trackers: a concept learned from example sentences instead of keywords, so "asks
//! for a discount" finds "is that the best you can do?".
//!
//! ```toml
//! [[smart_tracker]]
//! name = "asks for a discount"
//! side = "customer"                    # rep | customer | anyone (default)
//! positives = ["Can you give us a discount?", "Is there any flexibility on the price?"]
//! negatives = ["We don't have budget for this."]   # optional look-alikes
//! ```
//!
//! Fitting embeds the examples, adds the built-in neutral sales-call sentences
//! (`neutral_sentences.txt`) to the negatives, fits the logistic regression of
//! `classifier.rs`, and picks the decision threshold by stratified k-fold cross-validation:
//! every example is scored by a model that never saw it, and the threshold with the best F1
//! over those scores is kept; the same out-of-fold scores give the precision, recall and F1
//! the fit reports. The final model is then fitted on all examples.

use rapport_conversation::SideFilter;
use serde::{Deserialize, Serialize};

use crate::classifier::{best_threshold, fit_logistic, precision_recall_f1, LinearModel};
use crate::{EmbedError, Embedder};

pub const DEFAULT_SMART_TRACKERS_TOML: &str = include_str!("default_smart_trackers.toml");

/// Generic sales-call sentences that belong to no tracker; every fit uses them as negatives.
pub const NEUTRAL_SENTENCES: &str = include_str!("neutral_sentences.txt");

/// Most folds of the cross-validation; fewer when a class has fewer examples.
const FOLDS: usize = 5;
/// Fewest positives a tracker may be fitted from: with fewer, cross-validation means little.
pub const MIN_POSITIVES: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmartTrackerSpec {
    pub name: String,
    #[serde(default)]
    pub side: SideFilter,
    pub positives: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub negatives: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmartTrackersFile {
    #[serde(default)]
    smart_tracker: Vec<SmartTrackerSpec>,
}

/// Reads `[[smart_tracker]]` tables, checking each has a name and enough distinct examples.
pub fn parse_smart_trackers(text: &str) -> Result<Vec<SmartTrackerSpec>, EmbedError> {
    let file: SmartTrackersFile = toml::from_str(text)?;
    let mut seen = std::collections::HashSet::new();
    for spec in &file.smart_tracker {
        let error = |message: String| EmbedError::Tracker { tracker: spec.name.clone(), message };
        if spec.name.trim().is_empty() {
            return Err(error("the name is empty".into()));
        }
        if !seen.insert(spec.name.as_str()) {
            return Err(error("the name is used twice".into()));
        }
        let positives: std::collections::HashSet<&str> =
            spec.positives.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        if positives.len() < MIN_POSITIVES {
            return Err(error(format!(
                "needs at least {MIN_POSITIVES} distinct, non-empty positives (has {})",
                positives.len()
            )));
        }
        if let Some(both) = spec.negatives.iter().find(|n| positives.contains(n.trim())) {
            return Err(error(format!("{both:?} is both a positive and a negative")));
        }
    }
    Ok(file.smart_tracker)
}

/// The shipped trackers (see `default_smart_trackers.toml`).
pub fn default_smart_trackers() -> Vec<SmartTrackerSpec> {
    parse_smart_trackers(DEFAULT_SMART_TRACKERS_TOML).expect("the default smart trackers parse (tested)")
}

fn neutral_sentences() -> Vec<&'static str> {
    NEUTRAL_SENTENCES.lines().map(str::trim).filter(|line| !line.is_empty()).collect()
}

/// A fitted tracker: serialisable, so it can be stored and reused without refitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmartTracker {
    pub name: String,
    pub side: SideFilter,
    /// Scores at or above it are hits.
    pub threshold: f32,
    pub model: LinearModel,
}

/// How well a tracker separates its own examples, measured out-of-fold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    pub precision: f32,
    pub recall: f32,
    pub f1: f32,
    pub threshold: f32,
    pub positives: usize,
    /// The tracker's own negatives plus the neutral sentences.
    pub negatives: usize,
    pub folds: usize,
}

impl SmartTracker {
    /// Embeds the spec's examples with `embedder` and fits (see the module documentation).
    pub fn fit(
        spec: &SmartTrackerSpec,
        embedder: &Embedder,
    ) -> Result<(SmartTracker, FitReport), EmbedError> {
        let (positives, negatives) = examples(spec)?;
        let texts: Vec<&str> = positives.iter().chain(&negatives).copied().collect();
        let vectors = embedder.embed(&texts)?;
        let labels: Vec<bool> = (0..texts.len()).map(|index| index < positives.len()).collect();
        Ok(fit_vectors(spec, &vectors, &labels))
    }

    /// Fits a set of trackers together: each one's negatives also include every other
    /// tracker's positives (one-vs-rest), because the concepts a team tracks are mostly
    /// exclusive and their nearest look-alikes are each other — "we can't afford that" must
    /// not count as a discount ask. Every distinct sentence is embedded once.
    pub fn fit_all(
        specs: &[SmartTrackerSpec],
        embedder: &Embedder,
    ) -> Result<Vec<(SmartTracker, FitReport)>, EmbedError> {
        let mut sentences: Vec<&str> = distinct(
            specs
                .iter()
                .flat_map(|spec| spec.positives.iter().chain(&spec.negatives).map(String::as_str))
                .chain(neutral_sentences()),
        );
        sentences.sort_unstable();
        let vectors = embedder.embed(&sentences)?;
        let vector_of = |text: &str| -> &Vec<f32> {
            &vectors[sentences.binary_search(&text.trim()).expect("every example was embedded")]
        };
        specs
            .iter()
            .map(|spec| {
                let (positives, mut negatives) = examples(spec)?;
                let others = specs.iter().filter(|other| other.name != spec.name);
                let more: Vec<&str> =
                    distinct(others.flat_map(|other| other.positives.iter().map(String::as_str)))
                        .into_iter()
                        .filter(|text| !positives.contains(text) && !negatives.contains(text))
                        .collect();
                negatives.extend(more);
                let examples: Vec<Vec<f32>> =
                    positives.iter().chain(&negatives).map(|text| vector_of(text).clone()).collect();
                let labels: Vec<bool> = (0..examples.len()).map(|index| index < positives.len()).collect();
                Ok(fit_vectors(spec, &examples, &labels))
            })
            .collect()
    }

    /// The probability-like score (0–1) of each embedding; compare with `threshold`.
    pub fn score(&self, embeddings: &[Vec<f32>]) -> Vec<f32> {
        embeddings.iter().map(|vector| self.model.probability(vector)).collect()
    }
}

/// Fits a tracker on already-embedded examples (`labels[i]`: is `vectors[i]` a positive).
pub fn fit_vectors(
    spec: &SmartTrackerSpec,
    vectors: &[Vec<f32>],
    labels: &[bool],
) -> (SmartTracker, FitReport) {
    let positives = labels.iter().filter(|label| **label).count();
    let negatives = labels.len() - positives;
    let folds = FOLDS.min(positives).min(negatives).max(2);
    let fold_of = stratified_folds(labels, folds);
    let mut out_of_fold = vec![0.0f32; labels.len()];
    for fold in 0..folds {
        let training: Vec<(&[f32], bool)> = (0..labels.len())
            .filter(|&index| fold_of[index] != fold)
            .map(|index| (&vectors[index][..], labels[index]))
            .collect();
        let model = fit_logistic(&training);
        for index in (0..labels.len()).filter(|&index| fold_of[index] == fold) {
            out_of_fold[index] = model.probability(&vectors[index]);
        }
    }
    let threshold = best_threshold(&out_of_fold, labels);
    let (precision, recall, f1) = precision_recall_f1(&out_of_fold, labels, threshold);
    let all: Vec<(&[f32], bool)> = vectors.iter().map(Vec::as_slice).zip(labels.iter().copied()).collect();
    let tracker =
        SmartTracker { name: spec.name.clone(), side: spec.side, threshold, model: fit_logistic(&all) };
    (tracker, FitReport { precision, recall, f1, threshold, positives, negatives, folds })
}

/// Fold numbers 0..folds, each class dealt round-robin after a fixed shuffle, so every fold
/// holds about the same share of positives and the result is the same on every run.
fn stratified_folds(labels: &[bool], folds: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    // Examples are often written grouped by phrasing, and a fold made of one group would
    // test on phrasings the model never saw.
    crate::rng::SplitMix64::new(0x5eed).shuffle(&mut order);
    let mut fold_of = vec![0; labels.len()];
    let (mut next_positive, mut next_negative) = (0, 0);
    for index in order {
        let next = if labels[index] { &mut next_positive } else { &mut next_negative };
        fold_of[index] = *next % folds;
        *next += 1;
    }
    fold_of
}

/// A spec's distinct positives, and its negatives plus the neutral set minus any positive.
fn examples(spec: &SmartTrackerSpec) -> Result<(Vec<&str>, Vec<&str>), EmbedError> {
    let positives: Vec<&str> = distinct(spec.positives.iter().map(String::as_str));
    if positives.len() < MIN_POSITIVES {
        return Err(EmbedError::Tracker {
            tracker: spec.name.clone(),
            message: format!("needs at least {MIN_POSITIVES} distinct positives (has {})", positives.len()),
        });
    }
    let negatives = distinct(spec.negatives.iter().map(String::as_str).chain(neutral_sentences()))
        .into_iter()
        .filter(|negative| !positives.contains(negative))
        .collect();
    Ok((positives, negatives))
}

fn distinct<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    texts.map(str::trim).filter(|text| !text.is_empty() && seen.insert(*text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_parse_with_enough_examples() {
        let specs = default_smart_trackers();
        let names: Vec<&str> = specs.iter().map(|spec| spec.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "asks for a discount",
                "budget objection",
                "evaluating a competitor",
                "describes a pain",
                "agrees to a next step",
                "asks about security",
                "requests a proposal"
            ]
        );
        assert!(specs.iter().all(|spec| (15..=25).contains(&spec.positives.len())));
        assert!(neutral_sentences().len() >= 100);
    }

    #[test]
    fn bad_files_name_the_tracker_and_the_problem() {
        let check = |text: &str, expected: &str| {
            let message = parse_smart_trackers(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{message}");
        };
        check("[[smart_tracker]]\nname = \"x\"\npositives = [\"a\", \"b\"]", "\"x\": needs at least 4");
        check(
            "[[smart_tracker]]\nname = \"x\"\npositives = [\"a\", \"b\", \"c\", \"d\"]\nnegatives = [\"c\"]",
            "\"c\" is both a positive and a negative",
        );
        check(
            "[[smart_tracker]]\nname = \" \"\npositives = [\"a\", \"b\", \"c\", \"d\"]",
            "the name is empty",
        );
        check(
            "[[smart_tracker]]\nname = \"x\"\nphrases = [\"a\"]\npositives = []",
            "unknown field `phrases`",
        );
        check("[[smart_tracker]]\nname = \"x\"\nside = \"boss\"\npositives = []", "unknown variant `boss`");
    }

    #[test]
    fn folds_are_stratified_and_stable() {
        let labels: Vec<bool> = (0..23).map(|index| index % 4 == 0).collect();
        let folds = stratified_folds(&labels, 5);
        assert_eq!(folds, stratified_folds(&labels, 5));
        for fold in 0..5 {
            let positives = (0..23).filter(|&i| labels[i] && folds[i] == fold).count();
            assert!((1..=2).contains(&positives), "fold {fold}: {positives} positives");
        }
    }
}
