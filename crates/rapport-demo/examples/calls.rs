//! Generates a demo into a SQLite file and prints what its calls hold, all read back from the
//! store: one transcript, each rep's talk ratio, and how often themes come up in won, lost and
//! open deals and on leads' intro calls:
//! `cargo run --release -p rapport-demo --example calls -- small [seed] [call number]`.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::NaiveDate;
use rapport_demo::{generate, DemoOptions, Scale, COMPETITORS};
use rapport_domain::{OpportunityOutcome, SpeakerRole, UtteranceRow};
use rapport_store::{CallQuery, Store};
use rapport_store_sqlite::SqliteStore;

/// Themes as a keyword tracker would see them, by phrases that mark them.
const THEMES: [(&str, &[&str]); 8] = [
    (
        "next step agreed",
        &["forward the invite", "loop in", "block the time", "m it is.", "0 it is.", "right people by"],
    ),
    ("price objection", &["expensive", "steep", "pricey", "more than we expected", "hard to justify"]),
    ("budget objection", &["no budget", "budgets are frozen", "don't have budget"]),
    ("not a priority", &["not a priority"]),
    ("happy with current tool", &["happy with"]),
    ("discount ask", &["best you can do", "flexibility on the price", "discount", "sharpen", "room to move"]),
    ("case study", &["case study,"]),
    ("security question", &["soc 2", "single sign-on", "encrypted at rest", "gdpr"]),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = match args.first().map(String::as_str).unwrap_or("tiny") {
        "tiny" => Scale::Tiny,
        "small" => Scale::Small,
        "medium" => Scale::Medium,
        "large" => Scale::Large,
        other => return Err(format!("unknown scale `{other}`").into()),
    };
    let seed = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(42);
    let shown: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("demo.db"))?;
    let anchor = NaiveDate::from_ymd_opt(2024, 12, 31).ok_or("bad anchor")?;
    let started = Instant::now();
    let mut calls_started = None;
    let summary = generate(&store, &DemoOptions { scale, seed, anchor }, &mut |p| {
        if p.phase == "calls" && calls_started.is_none() {
            calls_started = Some(Instant::now());
        }
    })?;
    let calls_seconds = calls_started.map_or(0.0, |t| t.elapsed().as_secs_f64());
    println!(
        "generated in {:.1} s, of which calls {calls_seconds:.1} s: {} calls, {} utterances, {} people, {} opportunities",
        started.elapsed().as_secs_f64(),
        summary.calls,
        summary.utterances,
        summary.people,
        summary.opportunities
    );
    let mut outcomes = HashMap::new();
    store.export_opportunities(&mut |o| {
        outcomes.insert(o.id, o.record.outcome);
        Ok(())
    })?;
    let mut calls = store.list_calls(&CallQuery::default())?;
    calls.reverse();
    let mut by_outcome: BTreeMap<&str, (u32, BTreeMap<&str, u32>)> = BTreeMap::new();
    let mut by_rep: BTreeMap<String, (i64, i64, u32)> = BTreeMap::new();
    let mut by_rep_kind: BTreeMap<(String, &str), (i64, i64)> = BTreeMap::new();
    let (mut minutes, mut words, mut turns) = (0.0, 0u64, 0usize);
    let mut by_kind: BTreeMap<String, (u32, f64)> = BTreeMap::new();
    for call in &calls {
        let utterances = store.call_utterances(call.id)?;
        if call.record.external_id.as_deref() == Some(&format!("demo-c{shown}")) {
            print_transcript(&call.record.title, &utterances);
        }
        let outcome = match call.opportunity_id.and_then(|id| outcomes.get(&id)) {
            Some(OpportunityOutcome::Won) => "won",
            Some(OpportunityOutcome::Lost) => "lost",
            Some(OpportunityOutcome::Open) => "open",
            None => "lead",
        };
        let text = utterances.iter().map(|u| u.text.to_lowercase()).collect::<Vec<_>>().join(" ");
        let entry = by_outcome.entry(outcome).or_default();
        entry.0 += 1;
        for (theme, phrases) in THEMES {
            *entry.1.entry(theme).or_default() += u32::from(phrases.iter().any(|p| text.contains(p)));
        }
        let competitor = COMPETITORS.iter().any(|c| text.contains(&c.to_lowercase()));
        *entry.1.entry("competitor named").or_default() += u32::from(competitor);
        let rep_name = call.record.participants[0].name.clone();
        let rep = by_rep.entry(rep_name.clone()).or_default();
        let per_kind = by_rep_kind.entry((rep_name, kind_of(&call.record.title))).or_default();
        for u in &utterances {
            let spoken = u.end_ms - u.start_ms;
            if u.role == SpeakerRole::Rep {
                rep.0 += spoken;
                per_kind.0 += spoken;
            }
            rep.1 += spoken;
            per_kind.1 += spoken;
        }
        rep.2 += 1;
        let call_minutes = call.record.duration_ms.unwrap_or_default() as f64 / 60_000.0;
        minutes += call_minutes;
        let kind = kind_of(&call.record.title);
        let entry = by_kind.entry(kind.to_owned()).or_default();
        entry.0 += 1;
        entry.1 += call_minutes;
        words += utterances.iter().map(|u| u.text.split_whitespace().count() as u64).sum::<u64>();
        turns += utterances.len();
    }
    let count = calls.len().max(1) as f64;
    println!(
        "\n{} calls: {:.1} minutes, {:.0} utterances and {:.0} words each on average",
        calls.len(),
        minutes / count,
        turns as f64 / count,
        words as f64 / count
    );
    for (kind, (calls, minutes)) in &by_kind {
        println!("  {kind:<10} {calls:>5} calls, {:.1} minutes on average", minutes / f64::from(*calls));
    }
    println!("\nshare of calls with each theme, by the deal's outcome:");
    for (outcome, (calls, themes)) in &by_outcome {
        let shares: Vec<String> = themes
            .iter()
            .map(|(theme, n)| format!("{theme} {:.0}%", 100.0 * f64::from(*n) / f64::from(*calls)))
            .collect();
        println!("  {outcome:<5} ({calls:>4} calls): {}", shares.join(", "));
    }
    println!("\nrep talk ratio (share of speaking time):");
    for (rep, (rep_ms, all_ms, calls)) in by_rep {
        let kinds: Vec<String> = by_rep_kind
            .iter()
            .filter(|((name, _), _)| *name == rep)
            .map(|((_, kind), (r, a))| format!("{kind} {:.0}%", 100.0 * *r as f64 / (*a).max(1) as f64))
            .collect();
        let ratio = 100.0 * rep_ms as f64 / all_ms.max(1) as f64;
        println!("  {rep:<16} {ratio:>4.0}% over {calls:>3} calls ({})", kinds.join(", "));
    }
    Ok(())
}

/// The kind of call, from the demo's titles.
fn kind_of(title: &str) -> &'static str {
    match title {
        t if t.starts_with("Intro call") => "intro",
        t if t.starts_with("Discovery") => "discovery",
        t if t.starts_with("Rapport demo") => "demo",
        t if t.ends_with("review") && t.contains("security") => "technical",
        _ => "proposal",
    }
}

fn print_transcript(title: &str, utterances: &[UtteranceRow]) {
    println!("\n== {title} ==");
    for u in utterances {
        let seconds = u.start_ms / 1000;
        let speaker = u.speaker.as_deref().unwrap_or("?");
        println!("[{:02}:{:02}] {speaker} ({}): {}", seconds / 60, seconds % 60, u.role.as_str(), u.text);
    }
}
