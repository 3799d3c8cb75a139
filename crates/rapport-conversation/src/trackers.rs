//! Keyword trackers as data: what a tracker is, how a TOML file of them reads, and the
//! default set the product ships. Matching lives in `matcher.rs`.
//!
//! ```toml
//! [[tracker]]
//! name = "Renewal"
//! phrases = ["renew", "contract end"]
//! word_forms = true          # "renew" also finds "renewal", "renewing", "renewed"
//! exclusions = ["renew my passport"]
//! side = "customer"          # rep | customer | anyone (default)
//! only_questions = false
//! first_minutes = 10         # or last_minutes = 5; at most one
//! ```

use serde::{Deserialize, Serialize};

use crate::Side;

/// The default trackers, checked by a test to parse; competitors are the demo's, copied as
/// data so that this crate does not depend on the demo generator.
pub const DEFAULT_TRACKERS_TOML: &str = include_str!("default_trackers.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracker {
    pub name: String,
    /// Words or phrases; matched case- and punctuation-insensitively on whole words.
    pub phrases: Vec<String>,
    /// Phrases that, said in the same utterance, cancel this tracker's hits there ("budget
    /// airline" is no budget talk).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<String>,
    /// Let each phrase's last word take a suffix (see `matcher::SUFFIXES`).
    #[serde(default)]
    pub word_forms: bool,
    #[serde(default)]
    pub side: SideFilter,
    /// Count only hits inside a question (see [`crate::is_question`]).
    #[serde(default)]
    pub only_questions: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_minutes: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_minutes: Option<f64>,
}

/// Who must have said a phrase for it to count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SideFilter {
    Rep,
    Customer,
    #[default]
    Anyone,
}

impl SideFilter {
    pub fn admits(self, side: Side) -> bool {
        match self {
            SideFilter::Anyone => true,
            SideFilter::Rep => side == Side::Rep,
            SideFilter::Customer => side == Side::Customer,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    #[error("trackers file: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("tracker {tracker:?}: phrase {phrase:?} has no words")]
    EmptyPhrase { tracker: String, phrase: String },
    #[error("tracker {0:?}: give first_minutes or last_minutes, not both")]
    BothWindows(String),
    #[error("tracker {0:?}: a time window must be a positive number of minutes")]
    BadWindow(String),
    #[error("building the tracker matcher: {0}")]
    Build(#[from] aho_corasick::BuildError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackerFile {
    #[serde(default)]
    tracker: Vec<Tracker>,
}

/// Trackers from a TOML document of `[[tracker]]` tables.
pub fn parse_trackers(toml_text: &str) -> Result<Vec<Tracker>, TrackerError> {
    let file: TrackerFile = toml::from_str(toml_text)?;
    for tracker in &file.tracker {
        let windows = [tracker.first_minutes, tracker.last_minutes];
        if windows.iter().all(Option::is_some) {
            return Err(TrackerError::BothWindows(tracker.name.clone()));
        }
        if windows.iter().flatten().any(|minutes| minutes.is_nan() || *minutes <= 0.0) {
            return Err(TrackerError::BadWindow(tracker.name.clone()));
        }
    }
    Ok(file.tracker)
}

pub fn default_trackers() -> Vec<Tracker> {
    parse_trackers(DEFAULT_TRACKERS_TOML).expect("the default trackers parse (checked by a test)")
}

/// The default set with the company's own competitors in the "Competitors" tracker (an
/// empty list drops that tracker, since a tracker without phrases matches nothing).
pub fn default_trackers_with_competitors(competitors: &[String]) -> Vec<Tracker> {
    let mut trackers = default_trackers();
    trackers.retain_mut(|tracker| {
        if tracker.name != COMPETITORS {
            return true;
        }
        tracker.phrases = competitors.to_vec();
        !competitors.is_empty()
    });
    trackers
}

/// The name of the default tracker that lists competitors.
pub const COMPETITORS: &str = "Competitors";
