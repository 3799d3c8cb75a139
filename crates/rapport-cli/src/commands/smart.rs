//! `rapport smart-trackers list|fit|test` and the smart-tracker part of `rapport analyze`:
//! concepts learned from example sentences, run with the sentence-embedding model on this
//! machine (no database).

use std::fmt::Write as _;
use std::path::Path;

use rapport_embed::{
    default_smart_trackers, find_smart_hits, parse_smart_trackers, EmbedError, Embedder, FitReport, SmartHit,
    SmartTracker, SmartTrackerSpec,
};
use rapport_transcript::{RoleRules, Transcript};
use serde::Serialize;

use crate::cli::{SmartFitArgs, SmartTrackersCommand};
use crate::failure::bad_input;

pub fn smart_trackers(command: SmartTrackersCommand) -> anyhow::Result<()> {
    match command {
        SmartTrackersCommand::List { json } => list(json),
        SmartTrackersCommand::Fit(args) => {
            let fitted = fit(&args, &load(&args.embedding_model)?)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&reports(&fitted))?);
            } else {
                print!("{}", report_table(&fitted));
            }
            Ok(())
        }
        SmartTrackersCommand::Test(args) => {
            let transcript = read_transcript(&args.transcript, &args.rep)?;
            let embedder = load(&args.fit.embedding_model)?;
            let fitted = fit(&args.fit, &embedder)?;
            let trackers: Vec<SmartTracker> = fitted.iter().map(|(tracker, _)| tracker.clone()).collect();
            let hits = hits_in(&transcript, &embedder, &trackers)?;
            if args.fit.json {
                #[derive(Serialize)]
                struct Test<'a> {
                    trackers: Vec<Report<'a>>,
                    smart_trackers: &'a [SmartHit],
                }
                println!(
                    "{}",
                    serde_json::to_string_pretty(&Test {
                        trackers: reports(&fitted),
                        smart_trackers: &hits
                    })?
                );
            } else {
                print!("{}", report_table(&fitted));
                println!();
                print!("{}", hits_table(&hits));
            }
            Ok(())
        }
    }
}

/// The default smart trackers' hits in `transcript` when an embedding model is configured
/// (`--embedding-model` or `RAPPORT_EMBEDDING_MODEL`); `None`, with a note, when not.
pub fn analyze_hits(transcript: &Transcript, model: Option<&str>) -> anyhow::Result<Option<Vec<SmartHit>>> {
    let Some(model) = model else {
        tracing::info!(
            "smart trackers skipped: no embedding model (--embedding-model or RAPPORT_EMBEDDING_MODEL)"
        );
        return Ok(None);
    };
    let embedder = load(model)?;
    let trackers: Vec<SmartTracker> = SmartTracker::fit_all(&default_smart_trackers(), &embedder)
        .map_err(user_or_failure)?
        .into_iter()
        .map(|(tracker, _)| tracker)
        .collect();
    Ok(Some(hits_in(transcript, &embedder, &trackers)?))
}

fn list(json: bool) -> anyhow::Result<()> {
    let specs = default_smart_trackers();
    if json {
        println!("{}", serde_json::to_string_pretty(&specs)?);
        return Ok(());
    }
    let width = specs.iter().map(|spec| spec.name.chars().count()).max().unwrap_or(0);
    for spec in &specs {
        let side = serde_json::to_value(spec.side)?;
        println!(
            "{:<width$}  {:<8}  {} positives, {} negatives",
            spec.name,
            side.as_str().unwrap_or(""),
            spec.positives.len(),
            spec.negatives.len()
        );
    }
    Ok(())
}

fn fit(args: &SmartFitArgs, embedder: &Embedder) -> anyhow::Result<Vec<(SmartTracker, FitReport)>> {
    let specs: Vec<SmartTrackerSpec> = match &args.file {
        Some(path) => {
            let shown = path.display();
            let text = std::fs::read_to_string(path)
                .map_err(|error| bad_input(format!("reading {shown}: {error}")))?;
            parse_smart_trackers(&text).map_err(|error| bad_input(format!("{shown}: {error}")))?
        }
        None => default_smart_trackers(),
    };
    SmartTracker::fit_all(&specs, embedder).map_err(user_or_failure)
}

fn load(model: &str) -> anyhow::Result<Embedder> {
    Embedder::from_dir_or_hub(model, None).map_err(user_or_failure)
}

fn user_or_failure(error: EmbedError) -> anyhow::Error {
    if error.is_user_error() {
        bad_input(error.to_string())
    } else {
        error.into()
    }
}

fn read_transcript(path: &Path, reps: &[String]) -> anyhow::Result<Transcript> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| bad_input(format!("reading {shown}: {error}")))?;
    let mut transcript =
        rapport_transcript::import(&shown, &bytes).map_err(|error| bad_input(error.to_string()))?;
    if !reps.is_empty() {
        let rules = RoleRules { reps: reps.to_vec(), ..RoleRules::default() };
        for unmatched in rapport_transcript::assign_roles(&mut transcript, &rules) {
            tracing::warn!("--rep {unmatched:?} matches no speaker in {shown}");
        }
    }
    Ok(transcript)
}

fn hits_in(
    transcript: &Transcript,
    embedder: &Embedder,
    trackers: &[SmartTracker],
) -> anyhow::Result<Vec<SmartHit>> {
    let texts: Vec<&str> = transcript.utterances.iter().map(|utterance| utterance.text.as_str()).collect();
    let embeddings = embedder.embed(&texts).map_err(user_or_failure)?;
    Ok(find_smart_hits(transcript, &embeddings, trackers))
}

#[derive(Serialize)]
struct Report<'a> {
    name: &'a str,
    #[serde(flatten)]
    report: &'a FitReport,
}

fn reports(fitted: &[(SmartTracker, FitReport)]) -> Vec<Report<'_>> {
    fitted.iter().map(|(tracker, report)| Report { name: &tracker.name, report }).collect()
}

/// One line per tracker with its cross-validated figures.
fn report_table(fitted: &[(SmartTracker, FitReport)]) -> String {
    let width = fitted.iter().map(|(tracker, _)| tracker.name.chars().count()).max().unwrap_or(0).max(7);
    let mut out = format!("{:<width$}  precision  recall  F1    threshold  examples (+/-)\n", "tracker");
    for (tracker, report) in fitted {
        let _ = writeln!(
            out,
            "{:<width$}  {:>9.2}  {:>6.2}  {:.2}  {:>9.3}  {}/{}",
            tracker.name,
            report.precision,
            report.recall,
            report.f1,
            report.threshold,
            report.positives,
            report.negatives
        );
    }
    out.push_str("(cross-validated on the examples: each scored by a model fitted without it)\n");
    out
}

/// One line per hit: time, tracker, score and what was said (control characters blanked, so
/// a transcript cannot drive the terminal).
pub fn hits_table(hits: &[SmartHit]) -> String {
    if hits.is_empty() {
        return "no smart-tracker hits\n".to_owned();
    }
    let width = hits.iter().map(|hit| hit.tracker.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for hit in hits {
        let (minutes, seconds) = ((hit.start / 60.0).floor(), hit.start % 60.0);
        let text: String = hit.text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let _ =
            writeln!(out, "{minutes:02}:{seconds:04.1}  {:<width$}  {:.2}  {text}", hit.tracker, hit.score);
    }
    out
}
