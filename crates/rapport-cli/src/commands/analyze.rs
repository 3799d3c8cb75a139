//! `rapport analyze FILE`: a transcript file in, every pure per-call analysis out (stats,
//! trackers, questions, topics, sentiment, next steps, content mentions), PII redacted first
//! unless `--no-redact`; no database. The readable report is in `analyze_text.rs`.

use std::path::Path;

use rapport_conversation::{
    analyze_call, default_trackers, parse_content_csv, parse_content_toml, parse_trackers, AnalysisOptions,
    ContentItem, ContentMatcher, Tracker, TrackerMatcher,
};
use rapport_transcript::{RoleRules, Transcript};
use serde::Serialize;

use super::analyze_text::report;
use crate::cli::AnalyzeArgs;
use crate::failure::bad_input;

pub fn analyze(args: &AnalyzeArgs) -> anyhow::Result<()> {
    let shown = args.file.display().to_string();
    // A missing or unreadable file is the user's to fix, like a malformed one (exit code 2).
    let bytes = std::fs::read(&args.file).map_err(|error| bad_input(format!("reading {shown}: {error}")))?;
    // The importer names the file in its errors, so the path goes in as the name.
    let mut transcript: Transcript =
        rapport_transcript::import(&shown, &bytes).map_err(|error| bad_input(error.to_string()))?;
    if !args.rep.is_empty() {
        let rules = RoleRules { reps: args.rep.clone(), ..RoleRules::default() };
        for unmatched in rapport_transcript::assign_roles(&mut transcript, &rules) {
            tracing::warn!("--rep {unmatched:?} matches no speaker in {shown}");
        }
    }
    let trackers = match &args.trackers {
        Some(path) => read_trackers(path)?,
        None => default_trackers(),
    };
    let matcher = TrackerMatcher::new(trackers).map_err(|error| bad_input(error.to_string()))?;
    let content = match &args.content {
        Some(path) => {
            let items = read_content(path)?;
            let shown = path.display();
            Some(ContentMatcher::new(items).map_err(|error| bad_input(format!("{shown}: {error}")))?)
        }
        None => None,
    };
    let options = AnalysisOptions {
        content: content.as_ref(),
        call_date: args.call_date,
        redact: !args.no_redact,
        ..AnalysisOptions::new(&matcher)
    };
    let analysis = analyze_call(&transcript, &options);
    // Smart trackers read the same (redacted) utterances the other analyses did, so no PII
    // reaches their hits either.
    let analysed = Transcript { utterances: analysis.utterances.clone(), ..transcript };
    let smart_trackers = super::smart::analyze_hits(&analysed, args.embedding_model.as_deref())?;
    if args.json {
        let document = Document { analysis: &analysis, smart_trackers: smart_trackers.as_deref() };
        println!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        print!("{}", report(&analysis));
        if let Some(hits) = &smart_trackers {
            println!();
            print!("{}", super::smart::hits_table(hits));
        }
    }
    Ok(())
}

/// The `--json` document: every pure analysis, plus smart-tracker hits when an embedding model
/// is configured (the key is absent otherwise).
#[derive(Debug, Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    analysis: &'a rapport_conversation::CallAnalysis,
    #[serde(skip_serializing_if = "Option::is_none")]
    smart_trackers: Option<&'a [rapport_embed::SmartHit]>,
}

fn read_trackers(path: &Path) -> anyhow::Result<Vec<Tracker>> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|error| bad_input(format!("reading {shown}: {error}")))?;
    parse_trackers(&text).map_err(|error| bad_input(format!("{shown}: {error}")))
}

/// A content library: CSV or TOML by extension.
fn read_content(path: &Path) -> anyhow::Result<Vec<ContentItem>> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|error| bad_input(format!("reading {shown}: {error}")))?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let parsed = match extension.as_str() {
        "csv" => parse_content_csv(&text),
        "toml" => parse_content_toml(&text),
        _ => return Err(bad_input(format!("{shown}: a content library is a .csv or .toml file"))),
    };
    parsed.map_err(|error| bad_input(format!("{shown}: {error}")))
}
