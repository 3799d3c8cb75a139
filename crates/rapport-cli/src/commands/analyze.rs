//! `rapport analyze FILE`: a transcript file in, its interaction stats and keyword-tracker
//! hits out, with no database (both are pure, so this is the quickest way to try them).

use std::fmt::Write as _;

use rapport_conversation::{
    call_stats, default_trackers, parse_trackers, CallStats, SideStats, Tracker, TrackerHit, TrackerMatcher,
};
use rapport_transcript::{RoleRules, Transcript};
use serde::Serialize;

use crate::cli::AnalyzeArgs;
use crate::failure::bad_input;

/// The `--json` document: the parsed transcript's utterances, their stats and tracker hits.
#[derive(Debug, Serialize)]
struct Analysis<'a> {
    utterances: &'a [rapport_transcript::Utterance],
    stats: &'a CallStats,
    trackers: &'a [TrackerHit],
}

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
    let hits = matcher.find(&transcript);
    let stats = call_stats(&transcript);
    if args.json {
        let analysis = Analysis { utterances: &transcript.utterances, stats: &stats, trackers: &hits };
        println!("{}", serde_json::to_string_pretty(&analysis)?);
    } else {
        print!("{}", table(&stats));
        println!();
        print!("{}", hits_table(&hits));
    }
    Ok(())
}

fn read_trackers(path: &std::path::Path) -> anyhow::Result<Vec<Tracker>> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|error| bad_input(format!("reading {shown}: {error}")))?;
    parse_trackers(&text).map_err(|error| bad_input(format!("{shown}: {error}")))
}

/// One line per hit: time, side, tracker and the words that matched.
fn hits_table(hits: &[TrackerHit]) -> String {
    if hits.is_empty() {
        return "no tracker hits\n".to_owned();
    }
    let width = hits.iter().map(|hit| hit.tracker.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for hit in hits {
        let (minutes, seconds) = ((hit.time_s / 60.0).floor(), hit.time_s % 60.0);
        let side = match hit.side {
            rapport_conversation::Side::Rep => "rep",
            rapport_conversation::Side::Customer => "customer",
        };
        let _ =
            writeln!(out, "{minutes:02}:{seconds:04.1}  {side:<8}  {:<width$}  {}", hit.tracker, hit.matched);
    }
    out
}

/// The stats as aligned "label  value" lines, undefined figures shown as "-".
fn table(stats: &CallStats) -> String {
    let mut rows: Vec<(String, String)> = vec![
        ("call duration".into(), seconds(stats.duration_s)),
        ("talk ratio (rep)".into(), optional(stats.talk_ratio, |ratio| format!("{:.0}%", ratio * 100.0))),
        ("longest monologue".into(), seconds(stats.longest_monologue_s)),
        ("longest customer story".into(), seconds(stats.longest_customer_story_s)),
        ("interactivity (0-10)".into(), format!("{:.1}", stats.interactivity)),
        ("patience".into(), optional(stats.patience_s, seconds)),
        (
            "rep questions per hour".into(),
            optional(stats.question_rate_per_hour, |rate| format!("{rate:.1}")),
        ),
        ("silence".into(), seconds(stats.silence_s)),
        ("overlap".into(), seconds(stats.overlap_s)),
        ("interruptions".into(), stats.interruptions.to_string()),
    ];
    side_rows(&mut rows, "rep", &stats.rep);
    side_rows(&mut rows, "customer", &stats.customer);
    for speaker in &stats.speakers {
        let label = format!("{} ({})", speaker.speaker, speaker.role.as_str());
        let value = format!(
            "{} spoken, {} words, {} wpm",
            seconds(speaker.speaking_s),
            speaker.words,
            optional(speaker.words_per_minute, |wpm| format!("{wpm:.0}"))
        );
        rows.push((label, value));
    }
    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in rows {
        let _ = writeln!(out, "{label:<width$}  {value}");
    }
    out
}

fn side_rows(rows: &mut Vec<(String, String)>, side: &str, stats: &SideStats) {
    rows.push((format!("{side} speaking time"), seconds(stats.speaking_s)));
    rows.push((
        format!("{side} words per minute"),
        optional(stats.words_per_minute, |wpm| format!("{wpm:.0}")),
    ));
    rows.push((format!("{side} questions"), stats.questions.to_string()));
    let fillers = optional(stats.filler_rate, |rate| format!("{rate:.1} per 100 words"));
    rows.push((format!("{side} fillers"), format!("{} ({fillers})", stats.fillers)));
}

fn seconds(value: f64) -> String {
    format!("{value:.1} s")
}

fn optional(value: Option<f64>, show: impl Fn(f64) -> String) -> String {
    value.map_or_else(|| "-".to_owned(), show)
}
