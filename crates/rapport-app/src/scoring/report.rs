//! `rapport score report`: is the score still predicting outcomes? The latest model's figures
//! on its test period, drift warnings, the active definition, and how today's scores spread
//! over the grades.

use std::collections::BTreeMap;

use rapport_domain::User;
use rapport_store::Store;
use serde::Serialize;

use super::train::{self, ModelMetrics};
use crate::permissions::{require, Action};
use crate::AppError;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    pub version: i64,
    pub target: String,
    pub rows: i64,
    pub trained_at: rapport_domain::Timestamp,
    pub metrics: ModelMetrics,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    pub definition_version: Option<i64>,
    /// `None` until a model was trained; scores then come from the rules alone.
    pub model: Option<ModelSummary>,
    /// Earlier versions: (version, target, AUC on their own test period).
    pub history: Vec<(i64, String, Option<f64>)>,
    pub scored_people: usize,
    pub qualified: usize,
    pub by_grade: BTreeMap<String, usize>,
    pub warnings: Vec<String>,
}

pub fn report(store: &dyn Store, user: &User) -> Result<ScoreReport, AppError> {
    require(user, Action::ReadReports)?;
    let (definition_version, _) = super::definitions::active(store)?;
    let model = train::latest(store)?.map(|(version, _, metrics)| ModelSummary {
        version: version.version,
        target: version.target,
        rows: version.row_count,
        trained_at: version.trained_at,
        metrics,
    });
    let history = store
        .model_versions()?
        .into_iter()
        .map(|m| {
            let auc = serde_json::from_str::<ModelMetrics>(&m.metrics_json).ok().map(|x| x.auc);
            (m.version, m.target, auc)
        })
        .collect();
    let mut by_grade = BTreeMap::new();
    let (mut scored_people, mut qualified) = (0, 0);
    store.export_scores(&mut |score| {
        scored_people += 1;
        qualified += usize::from(score.qualifies);
        *by_grade.entry(score.grade).or_insert(0) += 1;
        Ok(())
    })?;
    let mut warnings = model.as_ref().map(|m| m.metrics.drift_warnings.clone()).unwrap_or_default();
    if model.is_none() {
        warnings.push(
            "no model trained yet: scores use the lead definition's rules only (rapport score train)".into(),
        );
    }
    if scored_people == 0 {
        warnings.push("no stored scores yet (rapport score refresh)".into());
    }
    Ok(ScoreReport { definition_version, model, history, scored_people, qualified, by_grade, warnings })
}
