//! Handoffs in one person's history and what sales decided about each.

use rapport_domain::{Stage, StageFact};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Accepted,
    Rejected,
    Pending,
}

/// One handoff: the index of its `mql` event in the person's events, and of the event that
/// decided it (none while pending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Handoff {
    pub entry: usize,
    pub outcome: Outcome,
    pub decision: Option<usize>,
}

/// What an event means for an undecided handoff. Reaching a stage past `sal` counts as
/// acceptance: only sales can have moved the lead there.
fn decides(stage: Stage) -> Option<Outcome> {
    match stage {
        Stage::Sal | Stage::Sql | Stage::Opportunity | Stage::Customer => Some(Outcome::Accepted),
        Stage::Rejected => Some(Outcome::Rejected),
        _ => None,
    }
}

/// Fills `handoffs` with the handoffs among `events` (one person's, in order). Each event is
/// looked at twice at most: once to find the handoffs, once within the span of the handoff it
/// belongs to, as spans do not overlap.
pub(crate) fn find_handoffs(events: &[StageFact], handoffs: &mut Vec<Handoff>) {
    handoffs.clear();
    let mut previous: Option<Stage> = None;
    for (index, event) in events.iter().enumerate() {
        // `mql -> mql` is a re-assignment, not a new handoff.
        if event.to == Stage::Mql && previous != Some(Stage::Mql) {
            handoffs.push(Handoff { entry: index, outcome: Outcome::Pending, decision: None });
        }
        previous = Some(event.to);
    }
    for position in 0..handoffs.len() {
        let end = handoffs.get(position + 1).map_or(events.len(), |next| next.entry);
        let handoff = &mut handoffs[position];
        let decided =
            (handoff.entry + 1..end).find_map(|i| decides(events[i].to).map(|outcome| (i, outcome)));
        if let Some((index, outcome)) = decided {
            handoff.outcome = outcome;
            handoff.decision = Some(index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use rapport_domain::PersonId;
    use Stage::*;

    fn check(stages: &[Stage], expected: &[(usize, Outcome, Option<usize>)]) {
        let events: Vec<StageFact> = stages
            .iter()
            .enumerate()
            .map(|(i, &to)| StageFact {
                person_id: PersonId(1),
                at: Utc.with_ymd_and_hms(2024, 1, 1, i as u32, 0, 0).unwrap(),
                to,
                reason: None,
                note: None,
                owner: None,
                sequence: i as i64,
            })
            .collect();
        let mut handoffs = Vec::new();
        find_handoffs(&events, &mut handoffs);
        let got: Vec<_> = handoffs.iter().map(|h| (h.entry, h.outcome, h.decision)).collect();
        assert_eq!(got, expected, "history {stages:?}");
    }

    #[test]
    fn outcomes_of_handoffs() {
        let (accepted, rejected, pending) = (Outcome::Accepted, Outcome::Rejected, Outcome::Pending);
        check(&[Lead, Mql, Sal, Sql], &[(1, accepted, Some(2))]);
        check(&[Lead, Mql, Mql, Rejected], &[(1, rejected, Some(3))]);
        check(&[Mql, Rejected, Mql, Sal], &[(0, rejected, Some(1)), (2, accepted, Some(3))]);
        check(&[Mql, Recycled, Lead, Mql], &[(0, pending, None), (3, pending, None)]);
        check(&[Mql, Opportunity, Customer], &[(0, accepted, Some(1))]);
        check(&[Lead, Sal, Mql], &[(2, pending, None)]);
        check(&[Lead, Recycled], &[]);
    }
}
