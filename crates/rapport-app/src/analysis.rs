//! The analysis pipeline over stored calls: redact a transcript before it is stored, analyse
//! a call once its transcript is stored (everything `rapport_conversation::analyze_call`
//! finds — stats, tracker hits, questions, topics, sentiment, next steps, mentions of the
//! workspace's content library — stored with the hits and mentions as rows in one
//! transaction), and re-analyse stored calls in the background when the trackers change.
//!
//! Versions make re-analysis resumable without bookkeeping: each analysis records the
//! tracker-set version and [`ANALYSIS_VERSION`] it was made with, and the store lists the
//! calls whose analysis is missing or older ([`rapport_store::AnalysisStore::stale_analyses`]).
//! A re-analysis job works through them in batches; killed, it is claimed again after its
//! lease and starts from what is still stale, so nothing is done twice and nothing skipped.

use rapport_conversation::{
    redact, AnalysisOptions, CallSentiment, CallStats, ContentMatcher, NextStep, Questions, Side,
    TopicSegment, TrackerHit, TrackerMatcher,
};
use rapport_domain::{CallId, ContentId, NewJob, SpeakerRole, Timestamp, UtteranceRow};
use rapport_store::analysis::{
    ContentMentionRow, NewAnalysis, StoredAnalysis, TrackerHitRow, TrackerKind, TrackerSet,
};
use rapport_store::topics::StoredTopic;
use rapport_store::{JobQuery, Store};
use rapport_transcript::{Role, Transcript, Utterance};
use serde::{Deserialize, Serialize};

use crate::smart::{SmartAnalyzer, SmartTrackerHit};
use crate::topics::call_topic_rows;
use crate::trackers::{ensure_trackers, keyword_trackers};
use crate::AppError;

/// The job kind of analyses: with a call, that call; without, every stale call.
pub const ANALYZE_JOB: &str = "analyze";

/// Version of what an analysis holds; raising it re-analyses every stored call.
/// 2: questions, topics, sentiment, next steps and content mentions. 3: smart-tracker hits
/// and discovered topics, when an embedding model is configured.
pub const ANALYSIS_VERSION: u32 = 3;

/// The version an analysis records: `ANALYSIS_VERSION * 2`, plus one when smart trackers ran.
/// The stale check only asks "older than", so a workspace that configures an embedding model
/// later finds every call analysed without one stale (and `rapport trackers reanalyze` or a
/// worker brings them up to date, resumably), while one that drops its model keeps the smart
/// hits it has instead of re-analysing everything to lose them.
pub fn recorded_version(smart: bool) -> u32 {
    ANALYSIS_VERSION * 2 + u32::from(smart)
}

/// Calls analysed per batch of a re-analysis (one progress report each).
pub const REANALYSIS_BATCH: u32 = 100;

/// A customer's question, for reports and signals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerQuestion {
    pub utterance: u32,
    pub time_s: f64,
    pub text: String,
}

/// What is stored per call, as JSON (`call_analyses.document`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAnalysisDocument {
    pub analysis_version: u32,
    pub tracker_set_version: u64,
    pub stats: CallStats,
    pub trackers: Vec<TrackerHit>,
    /// Customer-side utterances that ask something (a sentence ending in `?`).
    pub customer_questions: Vec<CustomerQuestion>,
    /// Every question, who asked it, open or closed (absent in version-1 documents).
    #[serde(default)]
    pub questions: Option<Questions>,
    #[serde(default)]
    pub topics: Vec<TopicSegment>,
    #[serde(default)]
    pub sentiment: Option<CallSentiment>,
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
    /// Smart-tracker hits (also stored as hit rows, with their scores); empty when no
    /// embedding model was configured.
    #[serde(default)]
    pub smart_trackers: Vec<SmartTrackerHit>,
    /// The embedding model the smart trackers ran with.
    #[serde(default)]
    pub embedding_model: Option<String>,
}

/// The workspace's content library, ready to be found in transcripts.
#[derive(Debug)]
pub struct ContentLibrary {
    matcher: ContentMatcher,
    /// The stored id of each item, in the matcher's order.
    ids: Vec<ContentId>,
}

impl ContentLibrary {
    /// Titles and URLs of every stored content item (`None` when there are none).
    pub fn load(store: &dyn Store) -> Result<Option<ContentLibrary>, AppError> {
        let mut items = Vec::new();
        let mut ids = Vec::new();
        store.export_content(&mut |item| {
            ids.push(item.id);
            items.push(rapport_conversation::ContentItem {
                title: item.record.title,
                url: Some(item.record.url).filter(|url| !url.is_empty()),
                aliases: Vec::new(),
            });
            Ok(())
        })?;
        if items.is_empty() {
            return Ok(None);
        }
        let matcher = ContentMatcher::new(items).map_err(|e| AppError::invalid("content", e.to_string()))?;
        Ok(Some(ContentLibrary { matcher, ids }))
    }
}

/// The stored rows as the transcript model the analyses read (seconds, roles).
pub fn transcript_of(rows: &[UtteranceRow]) -> Transcript {
    let utterances = rows
        .iter()
        .map(|row| {
            let mut utterance =
                Utterance::new(row.start_ms as f64 / 1000.0, row.end_ms as f64 / 1000.0, row.text.clone());
            utterance.speaker = row.speaker.clone();
            utterance.channel = row.channel;
            utterance.role = match row.role {
                SpeakerRole::Rep => Role::Rep,
                SpeakerRole::Customer => Role::Customer,
                SpeakerRole::Unknown => Role::Unknown,
            };
            utterance
        })
        .collect();
    Transcript { utterances, duration_s: None, source_format: None }
}

/// Analyses one call's stored rows with `matcher` (and the content library, when there is
/// one): pure, so tests and benchmarks need no store. The rows are analysed as stored — already
/// redacted when the workspace redacts — so redaction is not repeated here.
pub fn analyze_rows(
    rows: &[UtteranceRow],
    matcher: &TrackerMatcher,
    content: Option<&ContentLibrary>,
    call_date: Option<chrono::NaiveDate>,
    tracker_set_version: u64,
) -> NewAnalysis {
    let transcript = transcript_of(rows);
    let mut options = AnalysisOptions::new(matcher);
    options.redact = false;
    options.call_date = call_date;
    options.content = content.map(|library| &library.matcher);
    let analysis = rapport_conversation::analyze_call(&transcript, &options);
    let mut customer_questions: Vec<CustomerQuestion> = analysis
        .questions
        .questions
        .iter()
        .filter(|question| question.side == Side::Customer)
        .map(|question| CustomerQuestion {
            utterance: rows[question.utterance].index,
            time_s: rows[question.utterance].start_ms as f64 / 1000.0,
            text: rows[question.utterance].text.clone(),
        })
        .collect();
    // One entry per utterance, however many questions it holds (as before version 2).
    customer_questions.dedup_by_key(|question| question.utterance);
    let hit_rows = analysis
        .trackers
        .iter()
        .map(|hit| {
            let row = &rows[hit.utterance];
            TrackerHitRow {
                tracker: hit.tracker.clone(),
                utterance: row.index,
                time_ms: row.start_ms,
                side: match hit.side {
                    Side::Rep => SpeakerRole::Rep,
                    Side::Customer => SpeakerRole::Customer,
                },
                speaker: row.speaker.clone(),
                score: None,
            }
        })
        .collect();
    let content_mentions = match content {
        Some(library) => analysis
            .content_mentions
            .iter()
            .map(|mention| ContentMentionRow {
                content_id: library.ids.get(mention.content).copied(),
                label: mention.title.clone(),
                utterance: rows[mention.utterance].index,
                time_ms: rows[mention.utterance].start_ms,
            })
            .collect(),
        None => Vec::new(),
    };
    let document = CallAnalysisDocument {
        analysis_version: recorded_version(false),
        tracker_set_version,
        stats: analysis.stats,
        trackers: analysis.trackers,
        customer_questions,
        questions: Some(analysis.questions),
        topics: analysis.topics,
        sentiment: Some(analysis.sentiment),
        next_steps: analysis.next_steps,
        smart_trackers: Vec::new(),
        embedding_model: None,
    };
    NewAnalysis {
        document: serde_json::to_string(&document).expect("an analysis always serialises"),
        analysis_version: recorded_version(false),
        tracker_set_version,
        hits: hit_rows,
        content_mentions,
    }
}

/// The trackers to analyse with, ready to match, and the set's version; with an embedding
/// model, the smart trackers and the discovered topics too.
#[derive(Debug)]
pub struct Analyzer {
    matcher: TrackerMatcher,
    content: Option<ContentLibrary>,
    set_version: u64,
    smart: Option<std::sync::Arc<SmartAnalyzer>>,
    topics: Vec<StoredTopic>,
}

impl Analyzer {
    /// The workspace's trackers (the defaults seeded on first use), and the process's smart
    /// analyzer when an embedding model is configured (`crate::smart::shared`).
    pub fn load(store: &dyn Store, now: Timestamp) -> Result<Analyzer, AppError> {
        Self::load_with(store, now, crate::smart::shared()?)
    }

    /// As [`Analyzer::load`], with the smart analyzer given (`None`: no smart trackers).
    pub fn load_with(
        store: &dyn Store,
        now: Timestamp,
        smart: Option<std::sync::Arc<SmartAnalyzer>>,
    ) -> Result<Analyzer, AppError> {
        let mut set = ensure_trackers(store, now)?;
        if let Some(smart) = &smart {
            // The smart trackers' rows move the set's version when their file or model changed.
            if crate::trackers::sync_smart(store, &set, smart, now)? {
                set = store.tracker_set()?;
            }
        }
        let mut analyzer = Self::from_set(&set)?;
        analyzer.content = ContentLibrary::load(store)?;
        if smart.is_some() {
            analyzer.topics = store.topics()?;
        }
        analyzer.smart = smart;
        Ok(analyzer)
    }

    pub fn from_set(set: &TrackerSet) -> Result<Analyzer, AppError> {
        let trackers = keyword_trackers(set)?;
        let matcher =
            TrackerMatcher::new(trackers).map_err(|e| AppError::invalid("trackers", e.to_string()))?;
        Ok(Analyzer { matcher, content: None, set_version: set.set_version, smart: None, topics: Vec::new() })
    }

    pub fn set_version(&self) -> u64 {
        self.set_version
    }

    /// The analysis version this analyzer records (see [`recorded_version`]).
    pub fn analysis_version(&self) -> u32 {
        recorded_version(self.smart.is_some())
    }

    /// Analyses the call's stored transcript and stores the result (analysis and hit rows in
    /// one transaction).
    pub fn analyze_call(
        &self,
        store: &dyn Store,
        call: CallId,
        now: Timestamp,
    ) -> Result<NewAnalysis, AppError> {
        let rows = store.call_utterances(call)?;
        let call_date = store.call(call)?.map(|call| call.record.started_at.date_naive());
        let mut analysis =
            analyze_rows(&rows, &self.matcher, self.content.as_ref(), call_date, self.set_version);
        let Some(smart) = &self.smart else {
            store.put_analysis(call, &analysis, now)?;
            return Ok(analysis);
        };
        analysis.analysis_version = self.analysis_version();
        // One embedding per utterance serves the smart trackers and the topics alike.
        let embeddings = smart.embed_rows(&rows)?;
        let (hit_rows, hits) = smart.hits(&rows, &embeddings);
        analysis.hits.extend(hit_rows);
        analysis.document =
            with_smart_hits(&analysis.document, analysis.analysis_version, hits, smart.model());
        store.put_analysis(call, &analysis, now)?;
        if !self.topics.is_empty() {
            store.put_call_topics(call, &call_topic_rows(&self.topics, &rows, &embeddings))?;
        }
        Ok(analysis)
    }
}

/// The document with its version and smart-tracker hits set.
fn with_smart_hits(
    document: &str,
    version: u32,
    smart_trackers: Vec<SmartTrackerHit>,
    model: &str,
) -> String {
    let mut parsed: CallAnalysisDocument =
        serde_json::from_str(document).expect("a document made by analyze_rows parses");
    parsed.analysis_version = version;
    parsed.smart_trackers = smart_trackers;
    parsed.embedding_model = Some(model.to_owned());
    serde_json::to_string(&parsed).expect("an analysis always serialises")
}

/// Analyses one call with the workspace's current trackers.
pub fn analyze_call(store: &dyn Store, call: CallId, now: Timestamp) -> Result<NewAnalysis, AppError> {
    Analyzer::load(store, now)?.analyze_call(store, call, now)
}

/// The stored analysis of a call, `NotFound` when it has none yet.
pub fn stored_analysis(store: &dyn Store, call: i64) -> Result<StoredAnalysis, AppError> {
    store
        .analysis(CallId(call))?
        .ok_or_else(|| AppError::NotFound { what: "analysis of call", key: call.to_string() })
}

/// Analyses every call whose analysis is missing or stale, in batches, reporting
/// `(done, total)` after each; returns how many were analysed. Resumable: run again, it
/// continues with what is still stale. The trackers are read once, so a tracker change
/// during the run leaves its calls stale for the next run (which the change enqueues).
pub fn analyze_stale(
    store: &dyn Store,
    now: &dyn Fn() -> Timestamp,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, AppError> {
    analyze_stale_with(store, &Analyzer::load(store, now())?, now, progress)
}

/// [`analyze_stale`] with a given analyzer.
pub fn analyze_stale_with(
    store: &dyn Store,
    analyzer: &Analyzer,
    now: &dyn Fn() -> Timestamp,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, AppError> {
    let stale =
        store.stale_analyses(analyzer.analysis_version(), analyzer.set_version, None, u32::MAX)?.calls;
    let total = stale.len() as u64;
    let mut done = 0;
    progress(0, total);
    for batch in stale.chunks(REANALYSIS_BATCH as usize) {
        for &call in batch {
            match analyzer.analyze_call(store, call, now()) {
                Ok(_) => {}
                // A call deleted or re-transcribed meanwhile is analysed by its own job.
                Err(error) if error.is_user_error() => tracing::warn!(%call, %error, "call skipped"),
                Err(error) => return Err(error),
            }
            done += 1;
        }
        progress(done, total);
    }
    Ok(done)
}

/// Queues a background re-analysis of every stale call, unless one is already waiting.
pub fn enqueue_reanalysis(store: &dyn Store, now: Timestamp) -> Result<(), AppError> {
    let waiting = store.list_jobs(&JobQuery {
        status: Some(rapport_domain::JobStatus::Queued),
        kind: Some(ANALYZE_JOB.into()),
        ..JobQuery::default()
    })?;
    if waiting.iter().any(|job| job.call_id.is_none()) {
        return Ok(());
    }
    store.enqueue_job(&NewJob::new(ANALYZE_JOB, "{}", now), now)?;
    Ok(())
}

/// Queues the analysis of one call (after its transcript was stored by someone who does not
/// analyse it right away, or when analysing it failed).
pub fn enqueue_call_analysis(store: &dyn Store, call: CallId, now: Timestamp) -> Result<(), AppError> {
    let mut job = NewJob::new(ANALYZE_JOB, "{}", now);
    job.call = Some(call);
    store.enqueue_job(&job, now)?;
    Ok(())
}

/// Analyses a call just stored; a failure is logged and queued for a worker, never lost
/// and never failing the caller (the transcript is stored either way).
pub fn analyze_or_enqueue(store: &dyn Store, call: CallId, now: Timestamp) {
    if let Err(error) = analyze_call(store, call, now) {
        tracing::warn!(%call, %error, "analysis failed; queued for a worker");
        if let Err(error) = enqueue_call_analysis(store, call, now) {
            tracing::error!(%call, %error, "cannot queue the analysis");
        }
    }
}

/// The transcript as it will be stored: with PII redacted when the workspace redacts (the
/// default). Words are redacted one by one too, so an address said as one word is gone from
/// them as well.
pub fn prepare_for_storage(
    store: &dyn Store,
    mut rows: Vec<UtteranceRow>,
) -> Result<Vec<UtteranceRow>, AppError> {
    if !store.analysis_settings()?.redact_pii {
        return Ok(rows);
    }
    for row in &mut rows {
        row.text = redact(&row.text).text;
        for word in &mut row.words {
            let redacted = redact(&word.text);
            if !redacted.found.is_empty() {
                word.text = redacted.text;
            }
        }
    }
    Ok(rows)
}

/// Whether a stored tracker is one the keyword matcher runs.
pub fn is_keyword(kind: TrackerKind) -> bool {
    kind == TrackerKind::Keyword
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
