//! MQL acceptance: handoffs in the period, sales' decisions on them, and why leads are rejected.

use rapport_domain::{PersonId, StageFact, Timestamp};
use serde::{Deserialize, Serialize};

use crate::handoffs::{Handoff, Outcome};
use crate::hashing::FastMap;
use crate::params::Period;
use crate::stats::rate;

const SAMPLE_NOTES: usize = 3;

/// How many handoffs there were and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AcceptanceCounts {
    pub mql: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub pending: u64,
}

impl AcceptanceCounts {
    fn count(&mut self, outcome: Outcome) {
        self.mql += 1;
        match outcome {
            Outcome::Accepted => self.accepted += 1,
            Outcome::Rejected => self.rejected += 1,
            Outcome::Pending => self.pending += 1,
        }
    }

    pub fn acceptance_rate(&self) -> Option<f64> {
        rate(self.accepted, self.accepted + self.rejected)
    }
}

/// One rejection reason among the period's rejected handoffs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionReason {
    /// The reason code; `null` for rejections recorded without one.
    pub code: Option<String>,
    pub count: u64,
    /// `count / rejected`.
    pub share: f64,
    /// Up to three non-blank notes, the most recent first.
    pub sample_notes: Vec<String>,
}

/// A note with what orders it: most recent first, ties broken by person and event.
type DatedNote<'a> = (Timestamp, PersonId, i64, &'a str);

#[derive(Debug, Default)]
struct ReasonTally<'a> {
    count: u64,
    notes: Vec<DatedNote<'a>>,
}

#[derive(Debug, Default)]
pub(crate) struct Acceptance<'a> {
    pub totals: AcceptanceCounts,
    pub by_group: FastMap<Option<&'a str>, AcceptanceCounts>,
    reasons: FastMap<Option<&'a str>, ReasonTally<'a>>,
}

impl<'a> Acceptance<'a> {
    /// Counts one person's handoffs in the period. `group` is `Some(key)` when the report is
    /// grouped.
    pub fn observe(
        &mut self,
        events: &'a [StageFact],
        handoffs: &[Handoff],
        period: &Period,
        group: Option<Option<&'a str>>,
    ) {
        for handoff in handoffs.iter().filter(|h| period.contains(events[h.entry].at)) {
            self.totals.count(handoff.outcome);
            if let Some(key) = group {
                self.by_group.entry(key).or_default().count(handoff.outcome);
            }
            if let (Outcome::Rejected, Some(decision)) = (handoff.outcome, handoff.decision) {
                self.tally_reason(&events[decision]);
            }
        }
    }

    fn tally_reason(&mut self, rejection: &'a StageFact) {
        let tally = self.reasons.entry(rejection.reason.as_deref()).or_default();
        tally.count += 1;
        let Some(note) = rejection.note.as_deref().filter(|n| !n.trim().is_empty()) else { return };
        let candidate = (rejection.at, rejection.person_id, rejection.sequence, note);
        // Keeping only the best few as we go avoids holding every note of a large workspace.
        if tally.notes.len() < SAMPLE_NOTES || candidate > tally.notes[tally.notes.len() - 1] {
            tally.notes.push(candidate);
            tally.notes.sort_unstable_by(|a, b| b.cmp(a));
            tally.notes.truncate(SAMPLE_NOTES);
        }
    }

    /// The reasons, most frequent first (ties by code, `null` first).
    pub fn rejection_reasons(&self) -> Vec<RejectionReason> {
        let mut reasons: Vec<RejectionReason> = self
            .reasons
            .iter()
            .map(|(code, tally)| RejectionReason {
                code: code.map(str::to_owned),
                count: tally.count,
                share: tally.count as f64 / self.totals.rejected as f64,
                sample_notes: tally.notes.iter().map(|note| note.3.to_owned()).collect(),
            })
            .collect();
        reasons.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        reasons
    }
}
