//! One entry point for every pure per-call analysis: [`analyze_call`] redacts the transcript
//! first (when asked, as by default), then runs stats, trackers, questions, topics, sentiment,
//! next steps and content mentions over the redacted text, so no PII reaches a hit or quote.

use chrono::NaiveDate;
use rapport_transcript::{Transcript, Utterance};
use serde::{Deserialize, Serialize};

use crate::content::{ContentMatcher, ContentMention};
use crate::next_steps::{next_steps, NextStep};
use crate::questions::{questions, Questions};
use crate::redact::{redact_transcript, RedactionCounts};
use crate::sentiment::{call_sentiment, CallSentiment};
use crate::topics::{topic_timeline, TopicSegment};
use crate::{call_stats, CallStats, TrackerHit, TrackerMatcher};

/// What [`analyze_call`] needs besides the transcript.
#[derive(Debug, Clone, Copy)]
pub struct AnalysisOptions<'a> {
    pub trackers: &'a TrackerMatcher,
    pub content: Option<&'a ContentMatcher>,
    /// The day of the call, to turn "next Tuesday" into a date.
    pub call_date: Option<NaiveDate>,
    /// Redact PII before analysing (the product's default: true).
    pub redact: bool,
    /// Topics discovered by clustering (`rapport-embed`), one optional name per utterance.
    pub discovered_topics: Option<&'a [Option<String>]>,
}

impl<'a> AnalysisOptions<'a> {
    /// Redaction on, no content library, no date, no discovered topics.
    pub fn new(trackers: &'a TrackerMatcher) -> AnalysisOptions<'a> {
        AnalysisOptions { trackers, content: None, call_date: None, redact: true, discovered_topics: None }
    }
}

/// Everything the pure analyses say about one call. Indices (`utterance`) refer to
/// [`CallAnalysis::utterances`], the (redacted) transcript the analyses ran on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAnalysis {
    pub utterances: Vec<Utterance>,
    pub stats: CallStats,
    pub trackers: Vec<TrackerHit>,
    pub questions: Questions,
    pub topics: Vec<TopicSegment>,
    pub sentiment: CallSentiment,
    pub next_steps: Vec<NextStep>,
    pub content_mentions: Vec<ContentMention>,
    /// How many pieces of PII of each kind were redacted (empty with redaction off).
    pub redactions: RedactionCounts,
}

pub fn analyze_call(transcript: &Transcript, options: &AnalysisOptions<'_>) -> CallAnalysis {
    let mut transcript = transcript.clone();
    let redactions = if options.redact { redact_transcript(&mut transcript) } else { RedactionCounts::new() };
    CallAnalysis {
        stats: call_stats(&transcript),
        trackers: options.trackers.find(&transcript),
        questions: questions(&transcript),
        topics: topic_timeline(&transcript, options.discovered_topics),
        sentiment: call_sentiment(&transcript),
        next_steps: next_steps(&transcript, options.call_date),
        content_mentions: options.content.map(|content| content.find(&transcript)).unwrap_or_default(),
        redactions,
        utterances: transcript.utterances,
    }
}
