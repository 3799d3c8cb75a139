//! Scores for people: the rules of the active definition and the latest model at one `now`,
//! with reasons in words. `refresh` recomputes and stores everyone's; `explain` computes one
//! person's on demand.

use std::collections::BTreeMap;

use rapport_domain::{PersonId, Timestamp, User};
use rapport_scoring::definition::{evaluate, Definition, Evaluation, Grade, Reason};
use rapport_scoring::{Model, Table};
use rapport_store::{PersonScore, Store};
use serde::{Deserialize, Serialize};

use rapport_store::analysis::{AnalysisFilter, CallAnalysisFacts};

use super::features::{self, Row};
use super::history::{self, ScoringPerson};
use super::{definitions, train};
use crate::permissions::{require, Action};
use crate::AppError;

/// Model contributions smaller than this (in log-odds) are not worth a sentence.
const MIN_EFFECT: f64 = 0.05;
/// Sentences per person from the model.
const MODEL_REASONS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelReason {
    pub feature: String,
    pub value: String,
    /// Log-odds; positive raises the probability.
    pub effect: f64,
    /// "Visited the pricing page 3 times in the last 30 days (+)".
    pub text: String,
}

/// What is stored as a score's reasons, and shown by `score explain`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reasons {
    pub rules: Vec<Reason>,
    pub model: Vec<ModelReason>,
}

/// One person's scores with their reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreDetails {
    pub email: String,
    pub fit: f64,
    pub engagement: f64,
    pub total: f64,
    pub grade: Grade,
    pub probability: Option<f64>,
    pub qualifies: bool,
    pub definition_version: Option<i64>,
    pub model_version: Option<i64>,
    pub model_target: Option<String>,
    pub reasons: Reasons,
    pub scored_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefreshSummary {
    pub people: usize,
    pub qualified: usize,
    pub by_grade: BTreeMap<String, usize>,
    pub definition_version: Option<i64>,
    pub model_version: Option<i64>,
}

fn model_reasons(model: &Model, table: &Table, row: usize) -> Vec<ModelReason> {
    model
        .explain(table, row)
        .into_iter()
        .filter(|c| c.effect.abs() >= MIN_EFFECT)
        .take(MODEL_REASONS)
        .map(|c| ModelReason {
            text: features::sentence(&c.feature, &c.value, c.effect),
            feature: c.feature,
            value: c.value,
            effect: c.effect,
        })
        .collect()
}

struct Scorer {
    definition_version: Option<i64>,
    definition: Definition,
    model: Option<(i64, String, Model)>,
    /// Analysed calls, for the model's conversation signals (read only when there is a model).
    calls: Vec<CallAnalysisFacts>,
}

impl Scorer {
    fn load(store: &dyn Store) -> Result<Self, AppError> {
        let (definition_version, definition) = definitions::active(store)?;
        let model = train::latest(store)?.map(|(version, model, _)| (version.version, version.target, model));
        let calls =
            if model.is_some() { store.analysis_facts(&AnalysisFilter::default())? } else { Vec::new() };
        Ok(Self { definition_version, definition, model, calls })
    }

    fn score(&self, people: &[ScoringPerson], now: Timestamp, explain: bool) -> Vec<ScoreDetails> {
        let rows: Vec<Row<'_>> = people.iter().map(|person| Row { person, cutoff: now }).collect();
        let table = self
            .model
            .as_ref()
            .map(|_| features::table(&rows, &features::conversation_at(&self.calls, &rows)));
        let probabilities = match (&self.model, &table) {
            (Some((_, _, model)), Some(table)) => Some(model.predict(table)),
            _ => None,
        };
        people
            .iter()
            .enumerate()
            .map(|(i, person)| {
                let evaluation: Evaluation =
                    evaluate(&self.definition, &person.history.input, &person.history.touches, now);
                let probability = probabilities.as_ref().map(|p| p[i]);
                let model = match (&self.model, &table, explain) {
                    (Some((_, _, model)), Some(table), true) => model_reasons(model, table, i),
                    _ => Vec::new(),
                };
                ScoreDetails {
                    email: person.email.clone(),
                    fit: evaluation.fit,
                    engagement: evaluation.engagement,
                    total: evaluation.total,
                    grade: evaluation.grade,
                    probability,
                    qualifies: self.definition.trigger.fires(
                        evaluation.qualifies,
                        probability,
                        self.definition.min_probability,
                    ),
                    definition_version: self.definition_version,
                    model_version: self.model.as_ref().map(|m| m.0),
                    model_target: self.model.as_ref().map(|m| m.1.clone()),
                    reasons: Reasons { rules: evaluation.reasons, model },
                    scored_at: now,
                }
            })
            .collect()
    }
}

/// Recomputes and stores every person's scores, in one transaction.
pub fn refresh(store: &dyn Store, user: &User, now: Timestamp) -> Result<RefreshSummary, AppError> {
    require(user, Action::RefreshScores)?;
    refresh_all(store, now)
}

/// [`refresh`] without a user, for the demo and the worker.
pub fn refresh_all(store: &dyn Store, now: Timestamp) -> Result<RefreshSummary, AppError> {
    let scorer = Scorer::load(store)?;
    let people = history::load(store)?;
    let details = scorer.score(&people, now, true);
    let mut by_grade = BTreeMap::new();
    let mut rows = Vec::with_capacity(details.len());
    for (person, score) in people.iter().zip(&details) {
        *by_grade.entry(score.grade.as_str().to_owned()).or_insert(0) += 1;
        rows.push(stored(person.id, score)?);
    }
    store.put_scores(&rows)?;
    Ok(RefreshSummary {
        people: details.len(),
        qualified: details.iter().filter(|d| d.qualifies).count(),
        by_grade,
        definition_version: scorer.definition_version,
        model_version: scorer.model.as_ref().map(|m| m.0),
    })
}

fn stored(person: PersonId, score: &ScoreDetails) -> Result<PersonScore, AppError> {
    Ok(PersonScore {
        person_id: person,
        fit: score.fit,
        engagement: score.engagement,
        total: score.total,
        probability: score.probability,
        grade: score.grade.as_str().to_owned(),
        qualifies: score.qualifies,
        reasons_json: serde_json::to_string(&score.reasons)
            .map_err(|e| AppError::invalid("reasons", e.to_string()))?,
        model_version: score.model_version,
        definition_version: score.definition_version,
        scored_at: score.scored_at,
    })
}

/// One person's scores and reasons at `now`, computed from their records (not the stored
/// scores, so it is current even before a refresh).
pub fn explain(
    store: &dyn Store,
    user: &User,
    email: &str,
    now: Timestamp,
) -> Result<ScoreDetails, AppError> {
    require(user, Action::ReadLeads)?;
    let person = history::load_one(store, email)?;
    let scorer = Scorer::load(store)?;
    Ok(scorer.score(std::slice::from_ref(&person), now, true).remove(0))
}
