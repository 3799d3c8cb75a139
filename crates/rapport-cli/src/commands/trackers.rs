//! `rapport trackers list|add|remove|test|reanalyze`: the workspace's conversation trackers
//! as data. Changes queue a background re-analysis of the stored calls.

use std::path::Path;

use chrono::Utc;
use rapport_app::analysis::analyze_stale;
use rapport_app::trackers;
use rapport_conversation::TrackerHit;
use rapport_domain::CallId;
use rapport_store::Store;

use crate::cli::TrackersCommand;
use crate::commands::search::plain;
use crate::failure::bad_input;

pub fn trackers(store: &dyn Store, command: TrackersCommand) -> anyhow::Result<()> {
    match command {
        TrackersCommand::List { json } => {
            let set = trackers::list(store, Utc::now())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&set)?);
                return Ok(());
            }
            for stored in &set.trackers {
                println!(
                    "{:<28} {:<8} v{}  {}",
                    plain(&stored.tracker.name),
                    stored.tracker.kind.as_str(),
                    stored.version,
                    stored.updated_at.format("%Y-%m-%d %H:%M")
                );
            }
            println!("{} trackers, set version {}", set.trackers.len(), set.set_version);
        }
        TrackersCommand::Add { file, now } => {
            let parsed = read_trackers(&file)?;
            let stored = trackers::put(store, &parsed, None, Utc::now())?;
            for tracker in &stored {
                println!("stored {} (version {})", plain(&tracker.tracker.name), tracker.version);
            }
            if now {
                reanalyze(store)?;
            } else {
                println!("stored calls will be re-analysed by a worker (`rapport worker`), or run `rapport trackers reanalyze`");
            }
        }
        TrackersCommand::Remove { name } => {
            trackers::remove(store, &name, None, Utc::now())?;
            println!("removed {}", plain(&name));
        }
        TrackersCommand::Test { file, call, transcript, json } => {
            let parsed = read_trackers(&file)?;
            let rows = match (call, transcript) {
                (Some(id), None) => store.call_utterances(CallId(id))?,
                (None, Some(path)) => {
                    let shown = path.display().to_string();
                    let bytes =
                        std::fs::read(&path).map_err(|e| bad_input(format!("reading {shown}: {e}")))?;
                    let parsed =
                        rapport_transcript::import(&shown, &bytes).map_err(|e| bad_input(e.to_string()))?;
                    rapport_app::transcript_rows::utterance_rows(&parsed)
                }
                _ => return Err(bad_input("give --call ID or --transcript FILE")),
            };
            let hits = trackers::test(parsed, &rows)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&hits)?);
            } else {
                print_hits(&hits, &rows);
            }
        }
        TrackersCommand::Reanalyze => reanalyze(store)?,
    }
    Ok(())
}

fn read_trackers(path: &Path) -> anyhow::Result<Vec<rapport_conversation::Tracker>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| bad_input(format!("reading {shown}: {e}")))?;
    Ok(trackers::parse_tracker_file(&shown, &text)?)
}

fn print_hits(hits: &[TrackerHit], rows: &[rapport_domain::UtteranceRow]) {
    if hits.is_empty() {
        println!("no tracker hits");
        return;
    }
    for hit in hits {
        let seconds = hit.time_s as i64;
        let text = rows.get(hit.utterance).map_or("", |row| row.text.as_str());
        println!("{:02}:{:02}  {:<24} {}", seconds / 60, seconds % 60, plain(&hit.tracker), plain(text));
    }
}

fn reanalyze(store: &dyn Store) -> anyhow::Result<()> {
    let done = crate::progress::counted("{bar:40} {pos}/{len} calls analysed ({eta})", |progress| {
        analyze_stale(store, &Utc::now, progress)
    })?;
    println!("{done} calls analysed");
    Ok(())
}
