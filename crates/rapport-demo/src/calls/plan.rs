//! Which people get calls and when. Calls follow the deal's life: a discovery call soon
//! after sales accepted the lead (before it was qualified), a demo early in the opportunity,
//! for bigger companies often a security review midway, and the proposal and negotiation
//! call before the close; open deals have had the calls of their stage so far. A few
//! accepted leads that never became deals had a discovery call. The people are drawn at
//! random (by a hash of the seed and the person) until the scale's number of calls is
//! reached, seven in ten deal calls from closed deals so won and lost can be compared.

use chrono::{Datelike, Duration, Weekday};
use rand::Rng;
use rapport_domain::Timestamp;

use crate::accounts::AccountPlan;
use crate::calendar::{days, midnight, Calendar};
use crate::calls::deal_story::DealStory;
use crate::calls::{CallCandidate, ContentTitles};
use crate::rng::{between, chance, hash, stream, Stream};
use crate::story::{CLOSED_DEAL_CALL_SHARE, LEAD_CALL_SHARE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    Discovery,
    Demo,
    Technical,
    Negotiation,
}

/// A person with calls: who they are, their deal, and what the calls are about.
#[derive(Debug)]
pub(crate) struct Subject {
    pub candidate: CallCandidate,
    pub story: DealStory,
}

/// One call to generate.
#[derive(Debug, Clone)]
pub(crate) struct PlannedCall {
    /// Index into the subjects.
    pub subject: usize,
    /// Position among the subject's calls, from 0.
    pub number: usize,
    pub kind: CallKind,
    pub started_at: Timestamp,
    /// The subject's next call, which this one's next steps lead to.
    pub next: Option<(CallKind, Timestamp)>,
    /// The last call of a deal that closed: the buyer may give the decision on it.
    pub closing: bool,
}

/// The subjects and their calls, in order of start time.
pub(crate) fn plan_calls(
    candidates: Vec<CallCandidate>,
    target: usize,
    seed: u64,
    calendar: &Calendar,
    accounts: &[AccountPlan],
    titles: &ContentTitles,
) -> (Vec<Subject>, Vec<PlannedCall>) {
    let (mut closed, mut open, mut leads) = (Vec::new(), Vec::new(), Vec::new());
    for candidate in candidates {
        let queue = match &candidate.deal {
            Some((_, deal)) if deal.closed.is_some() => &mut closed,
            Some(_) => &mut open,
            None => &mut leads,
        };
        queue.push((hash(seed, Stream::CallStories, candidate.person_index), candidate));
    }
    let lead_target = ((target as f64 * LEAD_CALL_SHARE).round() as usize).max(1).min(target);
    let deal_target = target - lead_target;
    let closed_target = (deal_target as f64 * CLOSED_DEAL_CALL_SHARE).round() as usize;
    let targets = [closed_target, deal_target - closed_target, lead_target];
    let mut subjects = Vec::new();
    let mut calls = Vec::new();
    // What one queue cannot fill passes to the next.
    let mut carried = 0;
    for (queue, target) in [&mut closed, &mut open, &mut leads].into_iter().zip(targets) {
        queue.sort_unstable_by_key(|(key, candidate)| (*key, candidate.person_index));
        let budget = target + carried;
        let mut taken = 0;
        for (_, candidate) in queue.drain(..) {
            if taken >= budget {
                break;
            }
            let mut rng = stream(seed, Stream::CallStories, candidate.person_index);
            let account = &accounts[candidate.account];
            let schedule = schedule(&candidate, account.size_band, calendar, &mut rng);
            let Some(&(_, first_call)) = schedule.first() else { continue };
            let story = DealStory::draw(&candidate, account, titles, first_call, &mut rng);
            let closes = candidate.deal.as_ref().is_some_and(|(_, deal)| deal.closed.is_some());
            for (number, &(kind, started_at)) in schedule.iter().enumerate() {
                let next = schedule.get(number + 1).copied();
                let closing = closes && next.is_none();
                calls.push(PlannedCall { subject: subjects.len(), number, kind, started_at, next, closing });
            }
            taken += schedule.len();
            subjects.push(Subject { candidate, story });
        }
        carried = budget.saturating_sub(taken);
    }
    calls.sort_by_key(|call| (call.started_at, call.subject, call.number));
    (subjects, calls)
}

/// The candidate's calls and their start times, inside the history, in order.
fn schedule(
    candidate: &CallCandidate,
    size_band: usize,
    calendar: &Calendar,
    rng: &mut crate::rng::DemoRng,
) -> Vec<(CallKind, Timestamp)> {
    let accepted = candidate.accepted_at;
    let qualified = candidate.qualified_at.unwrap_or(accepted + days(between(rng, 2.0, 6.0)));
    let discovery = accepted + share_of(qualified - accepted, between(rng, 0.1, 0.6));
    let mut planned = vec![(CallKind::Discovery, discovery)];
    if let Some((_, deal)) = &candidate.deal {
        let cycle = deal.expected_close - deal.created;
        let at = |share: f64| deal.created + share_of(cycle, share);
        planned.push((CallKind::Demo, at(between(rng, 0.05, 0.3))));
        if chance(rng, if size_band >= 2 { 0.55 } else { 0.25 }) {
            planned.push((CallKind::Technical, at(between(rng, 0.4, 0.6))));
        }
        planned.push((CallKind::Negotiation, at(between(rng, 0.75, 0.95))));
    }
    let mut calls: Vec<(CallKind, Timestamp)> = Vec::with_capacity(planned.len());
    for (kind, at) in planned {
        let slot = meeting_slot(at, rng);
        let after_previous = calls.last().is_none_or(|(_, previous)| slot > *previous + Duration::hours(2));
        if slot < calendar.end - Duration::hours(2) && after_previous {
            calls.push((kind, slot));
        }
    }
    calls
}

fn share_of(span: Duration, share: f64) -> Duration {
    Duration::milliseconds((span.num_milliseconds() as f64 * share) as i64)
}

/// The first meeting slot at or after `at`: a weekday, on the hour or half hour between 9:00
/// and 16:30, sometimes an hour or two later, started a minute or two late.
pub(crate) fn meeting_slot(at: Timestamp, rng: &mut crate::rng::DemoRng) -> Timestamp {
    let mut day = at.date_naive();
    let mut earliest = at;
    loop {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let opens = midnight(day) + Duration::hours(9);
            let closes = midnight(day) + Duration::minutes(16 * 60 + 30);
            let from = earliest.max(opens);
            // Round up to the next half hour.
            let minutes = (from - midnight(day)).num_minutes();
            let mut slot = midnight(day) + Duration::minutes((minutes + 29) / 30 * 30);
            slot += Duration::minutes(30 * rng.gen_range(0..4));
            if slot <= closes {
                return slot + Duration::seconds(rng.gen_range(0..150));
            }
        }
        day = day.succ_opt().unwrap_or(day);
        earliest = midnight(day);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn meetings_start_on_weekdays_in_working_hours() {
        let mut rng = stream(1, Stream::CallStories, 0);
        // 2024-03-01 is a Friday.
        let friday_evening = rapport_domain::parse_timestamp("2024-03-01 17:10").unwrap();
        for _ in 0..50 {
            let slot = meeting_slot(friday_evening, &mut rng);
            assert_eq!(slot.weekday(), Weekday::Mon, "{slot}");
            assert!((9..17).contains(&slot.hour()) && slot.minute() % 30 <= 2, "{slot}");
        }
        let tuesday_morning = rapport_domain::parse_timestamp("2024-03-05 10:40").unwrap();
        let slot = meeting_slot(tuesday_morning, &mut rng);
        assert!(slot >= tuesday_morning && slot.date_naive() == tuesday_morning.date_naive(), "{slot}");
    }
}
