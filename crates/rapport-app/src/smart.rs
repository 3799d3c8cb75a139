//! Smart trackers on stored calls: when an embedding model is configured, the analysis of a
//! call embeds its utterances once and runs the fitted smart trackers (the product's defaults
//! plus the workspace's own `[[smart_tracker]]` file) over them; the same vectors assign the
//! call to the discovered topics ([`crate::topics`]).
//!
//! Loading the model and fitting the trackers takes seconds, so it happens once per process:
//! the binary calls [`configure`] at start, and [`shared`] loads on first use and hands every
//! later caller the same [`SmartAnalyzer`]. Without a configured model, [`shared`] is `None`
//! and calls are analysed without smart trackers (their analysis version says so, so they are
//! analysed again once a model is configured; see `analysis::recorded_version`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rapport_domain::{SpeakerRole, UtteranceRow};
use rapport_embed::{
    default_smart_trackers, find_smart_hits, parse_smart_trackers, EmbedError, Embedder, SmartHit,
    SmartTracker, SmartTrackerSpec,
};
use rapport_store::analysis::{TrackerDefinition, TrackerHitRow, TrackerKind};
use rapport_store::StoreError;
use serde::{Deserialize, Serialize};

use crate::analysis::transcript_of;
use crate::AppError;

/// Where the embedding model and the workspace's smart trackers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddingSettings {
    /// A model folder or a Hugging Face id (`sentence-transformers/all-MiniLM-L6-v2`).
    pub model: String,
    /// More smart trackers (TOML, `[[smart_tracker]]` tables), fitted together with the
    /// defaults; one with a default's name replaces it.
    pub trackers_file: Option<PathBuf>,
    /// The Hugging Face cache for an id (`None`: `HF_HOME`'s).
    pub cache_dir: Option<PathBuf>,
}

/// A smart-tracker hit as the analysis document keeps it (the hit rows carry the same).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmartTrackerHit {
    pub tracker: String,
    /// The utterance's index in the call.
    pub utterance: u32,
    pub time_s: f64,
    pub side: rapport_conversation::Side,
    pub score: f32,
}

/// The embedding model with the fitted smart trackers, shared by every analysis of a process.
#[derive(Debug)]
pub struct SmartAnalyzer {
    embedder: Embedder,
    trackers: Vec<SmartTracker>,
    /// The trackers as stored rows (see [`SmartAnalyzer::definitions`]), made once.
    definitions: Vec<TrackerDefinition>,
    /// The model as configured, recorded in each analysis.
    model: String,
}

pub(crate) fn embed_error(error: EmbedError) -> AppError {
    if error.is_user_error() {
        AppError::invalid("embedding_model", error.to_string())
    } else {
        AppError::Store(StoreError::Database(format!("embedding model: {error}")))
    }
}

impl SmartAnalyzer {
    /// Loads the model and fits the defaults plus the trackers file.
    pub fn load(settings: &EmbeddingSettings) -> Result<SmartAnalyzer, AppError> {
        let mut specs = default_smart_trackers();
        if let Some(path) = &settings.trackers_file {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|error| AppError::invalid("smart_trackers", format!("reading {shown}: {error}")))?;
            let own = parse_smart_trackers(&text)
                .map_err(|error| AppError::invalid("smart_trackers", format!("{shown}: {error}")))?;
            specs.retain(|spec| own.iter().all(|mine| mine.name != spec.name));
            specs.extend(own);
        }
        let started = std::time::Instant::now();
        let embedder =
            Embedder::from_dir_or_hub(&settings.model, settings.cache_dir.as_deref()).map_err(embed_error)?;
        let analyzer = SmartAnalyzer::new(embedder, &specs, &settings.model)?;
        tracing::info!(
            model = %settings.model,
            trackers = analyzer.trackers.len(),
            seconds = started.elapsed().as_secs_f64(),
            "smart trackers fitted"
        );
        Ok(analyzer)
    }

    /// Fits `specs` together (see `SmartTracker::fit_all`) with `embedder`.
    pub fn new(
        embedder: Embedder,
        specs: &[SmartTrackerSpec],
        model: &str,
    ) -> Result<SmartAnalyzer, AppError> {
        let trackers = SmartTracker::fit_all(specs, &embedder)
            .map_err(embed_error)?
            .into_iter()
            .map(|(tracker, _)| tracker)
            .collect();
        let definitions = specs
            .iter()
            .map(|spec| TrackerDefinition {
                name: spec.name.clone(),
                kind: TrackerKind::Smart,
                definition: serde_json::json!({ "model": model, "spec": spec }).to_string(),
            })
            .collect();
        Ok(SmartAnalyzer { embedder, trackers, definitions, model: model.to_owned() })
    }

    /// The smart trackers as stored tracker rows: the model and the examples they were fitted
    /// from, so that changing either changes the row and re-analyses the stored calls.
    pub fn definitions(&self) -> &[TrackerDefinition] {
        &self.definitions
    }

    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    pub fn trackers(&self) -> &[SmartTracker] {
        &self.trackers
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// One vector per stored utterance, in order.
    pub fn embed_rows(&self, rows: &[UtteranceRow]) -> Result<Vec<Vec<f32>>, AppError> {
        let texts: Vec<&str> = rows.iter().map(|row| row.text.as_str()).collect();
        self.embedder.embed(&texts).map_err(embed_error)
    }

    /// The smart trackers' hits in a call, as rows (with their scores) and as the document
    /// keeps them. `embeddings[i]` is the vector of `rows[i]`.
    pub fn hits(
        &self,
        rows: &[UtteranceRow],
        embeddings: &[Vec<f32>],
    ) -> (Vec<TrackerHitRow>, Vec<SmartTrackerHit>) {
        let hits: Vec<SmartHit> = find_smart_hits(&transcript_of(rows), embeddings, &self.trackers);
        hits.into_iter()
            .map(|hit| {
                let row = &rows[hit.utterance_index];
                let side = match hit.side {
                    rapport_conversation::Side::Rep => SpeakerRole::Rep,
                    rapport_conversation::Side::Customer => SpeakerRole::Customer,
                };
                let stored = TrackerHitRow {
                    tracker: hit.tracker.clone(),
                    utterance: row.index,
                    time_ms: row.start_ms,
                    side,
                    speaker: row.speaker.clone(),
                    score: Some(f64::from(hit.score)),
                };
                let kept = SmartTrackerHit {
                    tracker: hit.tracker,
                    utterance: row.index,
                    time_s: row.start_ms as f64 / 1000.0,
                    side: hit.side,
                    score: hit.score,
                };
                (stored, kept)
            })
            .unzip()
    }
}

/// The names of the smart trackers this process runs (the defaults, and the configured
/// file's when it parses), without loading the model: what filters by tracker accept.
pub fn tracker_names() -> Vec<String> {
    let mut names: Vec<String> = default_smart_trackers().into_iter().map(|spec| spec.name).collect();
    let file = SHARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).settings.clone();
    if let Some(path) = file.and_then(|settings| settings.trackers_file) {
        let own = std::fs::read_to_string(path).ok().and_then(|text| parse_smart_trackers(&text).ok());
        names.extend(own.into_iter().flatten().map(|spec| spec.name));
    }
    names
}

struct Shared {
    settings: Option<EmbeddingSettings>,
    loaded: Option<Arc<SmartAnalyzer>>,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared { settings: None, loaded: None });

/// Sets the process's embedding model (`None`: smart trackers off). Called once at start by
/// the binary; a different setting drops the loaded model.
pub fn configure(settings: Option<EmbeddingSettings>) {
    let mut shared = SHARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if shared.settings != settings {
        shared.settings = settings;
        shared.loaded = None;
    }
}

/// The process's smart analyzer, loaded and fitted on first use; `None` when no model is
/// configured. A failed load is not kept, so the next call tries again (a model copied in
/// meanwhile is found).
pub fn shared() -> Result<Option<Arc<SmartAnalyzer>>, AppError> {
    // Held while loading: concurrent first callers wait for one load instead of making several.
    let mut shared = SHARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(loaded) = &shared.loaded {
        return Ok(Some(loaded.clone()));
    }
    let Some(settings) = shared.settings.clone() else { return Ok(None) };
    let loaded = Arc::new(SmartAnalyzer::load(&settings)?);
    shared.loaded = Some(loaded.clone());
    Ok(Some(loaded))
}
