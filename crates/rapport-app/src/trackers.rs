//! Trackers as data: the workspace's trackers live in the store (seeded with the product's
//! defaults on first use), are added from TOML files or JSON bodies, checked before they are
//! stored (errors name the tracker and the field), and every change is written to the audit
//! log and queues a background re-analysis of the stored calls.

use std::collections::BTreeMap;

use rapport_conversation::{default_trackers, parse_trackers, Tracker, TrackerHit, TrackerMatcher};
use rapport_domain::{Timestamp, User, UtteranceRow};
use rapport_store::analysis::{StoredTracker, TrackerDefinition, TrackerKind, TrackerSet};
use rapport_store::Store;

use crate::analysis::{enqueue_reanalysis, transcript_of};
use crate::smart::SmartAnalyzer;
use crate::{audit, AppError};

fn definition_of(tracker: &Tracker) -> TrackerDefinition {
    TrackerDefinition {
        name: tracker.name.clone(),
        kind: TrackerKind::Keyword,
        definition: serde_json::to_string(tracker).expect("a tracker always serialises"),
    }
}

/// The product's default trackers as stored definitions.
pub fn default_definitions() -> Vec<TrackerDefinition> {
    default_trackers().iter().map(definition_of).collect()
}

/// The workspace's trackers, seeding the defaults the first time.
pub fn ensure_trackers(store: &dyn Store, now: Timestamp) -> Result<TrackerSet, AppError> {
    let set = store.tracker_set()?;
    if set.seeded {
        return Ok(set);
    }
    store.seed_trackers(&default_definitions(), now)?;
    Ok(store.tracker_set()?)
}

/// The keyword trackers of a set, parsed; a stored definition that no longer parses is an
/// internal error naming the tracker.
pub fn keyword_trackers(set: &TrackerSet) -> Result<Vec<Tracker>, AppError> {
    set.trackers
        .iter()
        .filter(|stored| stored.tracker.kind == TrackerKind::Keyword)
        .map(|stored| {
            serde_json::from_str(&stored.tracker.definition).map_err(|e| {
                AppError::invalid(
                    format!("trackers.{}", stored.tracker.name),
                    format!("stored definition: {e}"),
                )
            })
        })
        .collect()
}

/// Checks keyword trackers the way the matcher will use them, naming the file and tracker.
fn check_keyword(source: &str, trackers: &[Tracker]) -> Result<(), AppError> {
    for (position, tracker) in trackers.iter().enumerate() {
        if tracker.name.trim().is_empty() {
            return Err(AppError::invalid(
                source,
                format!("tracker[{position}].name: a tracker needs a name"),
            ));
        }
        if tracker.phrases.is_empty() {
            return Err(AppError::invalid(
                source,
                format!("tracker {:?}: phrases: give at least one phrase", tracker.name),
            ));
        }
    }
    TrackerMatcher::new(trackers.to_vec()).map_err(|e| AppError::invalid(source, e.to_string()))?;
    Ok(())
}

/// Keyword trackers from a TOML file of `[[tracker]]` tables, checked.
pub fn parse_tracker_file(file_name: &str, text: &str) -> Result<Vec<Tracker>, AppError> {
    let trackers = parse_trackers(text).map_err(|e| AppError::invalid(file_name, e.to_string()))?;
    if trackers.is_empty() {
        return Err(AppError::invalid(file_name, "no [[tracker]] tables in the file"));
    }
    check_keyword(file_name, &trackers)?;
    Ok(trackers)
}

/// A tracker from an API body: a keyword tracker's fields (see `rapport_conversation::Tracker`).
pub fn parse_tracker_json(name: &str, body: &[u8]) -> Result<Tracker, AppError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| AppError::invalid("body", e.to_string()))?;
    let Some(fields) = value.as_object_mut() else {
        return Err(AppError::invalid("body", "a tracker is a JSON object"));
    };
    // The path names the tracker; the body may repeat the name but need not.
    fields.entry("name").or_insert_with(|| serde_json::Value::String(name.to_owned()));
    let tracker: Tracker =
        serde_json::from_value(value).map_err(|e| AppError::invalid("body", e.to_string()))?;
    if tracker.name != name {
        return Err(AppError::invalid(
            "name",
            format!("the body names {:?}, the path {name:?}", tracker.name),
        ));
    }
    check_keyword("body", std::slice::from_ref(&tracker))?;
    Ok(tracker)
}

pub fn list(store: &dyn Store, now: Timestamp) -> Result<TrackerSet, AppError> {
    ensure_trackers(store, now)
}

/// Stores the trackers (replacing those of the same names), writes an audit entry for each
/// (by `actor`; `None` is the command line) and queues a re-analysis.
pub fn put(
    store: &dyn Store,
    trackers: &[Tracker],
    actor: Option<&User>,
    now: Timestamp,
) -> Result<Vec<StoredTracker>, AppError> {
    ensure_trackers(store, now)?;
    let mut stored = Vec::new();
    for tracker in trackers {
        let saved = store.put_tracker(&definition_of(tracker), now)?;
        let details = format!("version {}: {}", saved.version, saved.tracker.definition);
        audit::record(store, &audit::entry(actor, "tracker.put", &tracker.name, &details, now))?;
        stored.push(saved);
    }
    enqueue_reanalysis(store, now)?;
    Ok(stored)
}

/// Removes a tracker (and its hits), writes an audit entry and queues a re-analysis.
pub fn remove(store: &dyn Store, name: &str, actor: Option<&User>, now: Timestamp) -> Result<(), AppError> {
    ensure_trackers(store, now)?;
    store.remove_tracker(name, now)?;
    audit::record(store, &audit::entry(actor, "tracker.remove", name, "removed", now))?;
    enqueue_reanalysis(store, now)?;
    Ok(())
}

/// Stores the smart trackers this process fitted as tracker rows of kind `smart` (removing
/// stored smart trackers it no longer has), so that editing the workspace's smart-tracker file
/// or switching models moves the tracker set's version like any tracker change: the stored
/// calls become stale and a re-analysis is queued. Rows that already match are left alone, so
/// a restart with the same file changes nothing. A keyword tracker keeps its name: a smart
/// tracker named like one is not stored (its hits still are, under that name). Returns
/// whether anything changed. `set` is the store's current tracker set.
pub fn sync_smart(
    store: &dyn Store,
    set: &TrackerSet,
    smart: &SmartAnalyzer,
    now: Timestamp,
) -> Result<bool, AppError> {
    let stored: BTreeMap<&str, &TrackerDefinition> =
        set.trackers.iter().map(|s| (s.tracker.name.as_str(), &s.tracker)).collect();
    let wanted = smart.definitions();
    let mut changed = Vec::new();
    for definition in wanted {
        match stored.get(definition.name.as_str()) {
            Some(existing) if existing.kind == TrackerKind::Keyword => {
                tracing::warn!(tracker = %definition.name, "a keyword tracker has this smart tracker's name");
            }
            Some(existing) if existing.definition == definition.definition => {}
            _ => {
                store.put_tracker(definition, now)?;
                changed.push(format!("stored {}", definition.name));
            }
        }
    }
    for old in set.trackers.iter().filter(|s| s.tracker.kind == TrackerKind::Smart) {
        if wanted.iter().all(|w| w.name != old.tracker.name) {
            store.remove_tracker(&old.tracker.name, now)?;
            changed.push(format!("removed {}", old.tracker.name));
        }
    }
    if changed.is_empty() {
        return Ok(false);
    }
    let details = format!("model {}: {}", smart.model(), changed.join(", "));
    audit::record(store, &audit::entry(None, "tracker.smart_sync", "smart trackers", &details, now))?;
    enqueue_reanalysis(store, now)?;
    Ok(true)
}

/// Trackers as the `[[tracker]]` TOML that [`parse_tracker_file`] reads back, for editing.
pub fn trackers_toml(trackers: &[Tracker]) -> String {
    #[derive(serde::Serialize)]
    struct File<'a> {
        tracker: &'a [Tracker],
    }
    toml::to_string(&File { tracker: trackers }).expect("a tracker always serialises as TOML")
}

/// Runs trackers over a transcript without storing anything (`rapport trackers test`).
pub fn test(trackers: Vec<Tracker>, rows: &[UtteranceRow]) -> Result<Vec<TrackerHit>, AppError> {
    let matcher = TrackerMatcher::new(trackers).map_err(|e| AppError::invalid("trackers", e.to_string()))?;
    Ok(matcher.find(&transcript_of(rows)))
}
