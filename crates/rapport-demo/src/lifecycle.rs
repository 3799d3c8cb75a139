//! A person's journey through the lifecycle: subscriber or lead, the handoff to a rep, the
//! rep's response (fast or slow), acceptance or rejection with a reason, recycling, and for
//! accepted leads qualification, an opportunity and its outcome. Every step is one the
//! lifecycle allows, so nothing is ever forced.

use rand::Rng;
use rapport_domain::{Actor, EventSource, OpportunityOutcome, Stage, Timestamp, TransitionRequest};

use crate::calendar::{add_business_hours, days, hours, Calendar};
use crate::deals::{deal_end, plan_deal, DealPlan};
use crate::notes::{handoff_note, qualification_note, recycle_note, rejection_note};
use crate::people::PersonDraft;
use crate::rng::{between, chance, exponential, weighted, DemoRng};
use crate::story::{
    acceptance_chance, opportunity_chance, qualification_chance, Seniority, BOTTOM_CONTENT_SHARE,
    REJECTION_CODES,
};
use crate::users::Rep;

/// How far a person got, which decides how much they engage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Reached {
    Subscriber,
    Lead,
    Handed,
    Accepted,
    Qualified,
    Opportunity,
}

#[derive(Debug)]
pub(crate) struct Journey {
    /// Stages before the handoff, recorded as the CRM's history on the person record.
    pub history: Vec<(Stage, Timestamp)>,
    /// Checked transitions from the handoff up to the deal.
    pub handoffs: Vec<TransitionRequest>,
    pub deal: Option<DealPlan>,
    /// Checked transitions after the deal closed (a lost deal recycled).
    pub after_deal: Vec<TransitionRequest>,
    /// Sales activities (call, email, meeting) with their times.
    pub sales_touches: Vec<(Timestamp, &'static str)>,
    pub mql_at: Vec<Timestamp>,
    pub sql_at: Option<Timestamp>,
    pub reached: Reached,
}

/// The outcome of one handoff.
enum Handoff {
    Accepted(Timestamp),
    /// Rejected and recycled; handed over again at this time.
    HandAgain(Timestamp),
    /// Pending, rejected for good, or out of history.
    Over,
}

pub(crate) fn simulate(
    draft: &PersonDraft,
    rep: &Rep,
    size_band: usize,
    calendar: &Calendar,
    rng: &mut DemoRng,
) -> Journey {
    let mut journey = Journey {
        history: Vec::new(),
        handoffs: Vec::new(),
        deal: None,
        after_deal: Vec::new(),
        sales_touches: Vec::new(),
        mql_at: Vec::new(),
        sql_at: None,
        reached: Reached::Lead,
    };
    let end = calendar.end;
    let source = draft.source;
    let mut lead_at = draft.created_at;
    if chance(rng, source.subscriber_share) {
        journey.history.push((Stage::Subscriber, draft.created_at));
        lead_at = draft.created_at + days(1.0 + exponential(rng, 45.0));
        if !chance(rng, 0.5) || lead_at >= end {
            journey.reached = Reached::Subscriber;
            return journey;
        }
    }
    journey.history.push((Stage::Lead, lead_at));
    if !chance(rng, source.mql_rate) {
        return journey;
    }
    let mut handed_at = lead_at + hours(1.0) + days(exponential(rng, source.mql_delay_days));
    // Most handoffs follow something the lead did during the working day.
    if chance(rng, 0.8) {
        handed_at = add_business_hours(handed_at, between(rng, 0.0, 0.5));
    }
    let mut accepted_at = None;
    for attempt in 0..2 {
        if handed_at >= end {
            return journey;
        }
        match hand_over(&mut journey, draft, rep, handed_at, attempt, end, rng) {
            Handoff::Accepted(at) => {
                accepted_at = Some(at);
                break;
            }
            Handoff::HandAgain(at) => handed_at = at,
            Handoff::Over => return journey,
        }
    }
    let Some(accepted_at) = accepted_at else { return journey };
    progress(&mut journey, draft, rep, size_band, accepted_at, end, rng);
    journey
}

/// One handoff: the MQL event, the rep's first touch (or none: the lead waits), then the
/// decision. Rejections carry the source's typical reasons; some go back to nurture.
fn hand_over(
    journey: &mut Journey,
    draft: &PersonDraft,
    rep: &Rep,
    at: Timestamp,
    attempt: usize,
    end: Timestamp,
    rng: &mut DemoRng,
) -> Handoff {
    let note = handoff_note(draft.source.name, rng);
    journey
        .handoffs
        .push(TransitionRequest { owner: Some(rep.id), ..request(Stage::Mql, at, None, None, note) });
    journey.mql_at.push(at);
    journey.reached = journey.reached.max(Reached::Handed);
    if chance(rng, rep.forget_rate) {
        return Handoff::Over;
    }
    let first_touch = add_business_hours(at, exponential(rng, rep.response_hours));
    if first_touch >= end {
        return Handoff::Over;
    }
    journey.sales_touches.push((first_touch, if chance(rng, 0.6) { "call" } else { "email" }));
    let decided = add_business_hours(first_touch, 0.5 + exponential(rng, 8.0));
    if decided >= end {
        return Handoff::Over;
    }
    // A lead handed over a second time has been nurtured and is more likely ready.
    let boost = if attempt == 0 { 1.0 } else { 1.2 };
    if chance(rng, acceptance_chance(draft.source, draft.fit, draft.seniority) * boost) {
        journey.handoffs.push(request(Stage::Sal, decided, Some(rep), None, String::new()));
        journey.reached = journey.reached.max(Reached::Accepted);
        return Handoff::Accepted(decided);
    }
    let reason = if draft.seniority == Seniority::Junior && chance(rng, 0.5) {
        2 // wrong_contact: students and interns cannot buy.
    } else if draft.freemail && chance(rng, 0.4) {
        5 // junk: a personal address with a made-up company.
    } else {
        weighted(rng, &draft.source.rejections)
    };
    let note = rejection_note(reason, draft.source.name, rng);
    journey.handoffs.push(request(Stage::Rejected, decided, Some(rep), Some(REJECTION_CODES[reason]), note));
    let recycle_chance = match REJECTION_CODES[reason] {
        "not_ready" => 0.7,
        "no_budget" => 0.5,
        "bad_fit" => 0.1,
        _ => 0.0,
    };
    if !chance(rng, recycle_chance) {
        return Handoff::Over;
    }
    let recycled = decided + days(7.0 + exponential(rng, 30.0));
    if recycled >= end {
        return Handoff::Over;
    }
    journey.handoffs.push(request(Stage::Recycled, recycled, Some(rep), None, recycle_note(rng)));
    if attempt > 0 || !chance(rng, 0.3) {
        return Handoff::Over;
    }
    Handoff::HandAgain(recycled + days(14.0 + exponential(rng, 45.0)))
}

/// After acceptance: qualification, the opportunity and its outcome, or a stall back to
/// nurture. Reps keep calling, emailing and meeting along the way.
fn progress(
    journey: &mut Journey,
    draft: &PersonDraft,
    rep: &Rep,
    size_band: usize,
    accepted_at: Timestamp,
    end: Timestamp,
    rng: &mut DemoRng,
) {
    let stall = |journey: &mut Journey, from: Timestamp, mean_days: f64, rng: &mut DemoRng| {
        let at = from + days(20.0 + exponential(rng, mean_days));
        if at < end {
            journey.handoffs.push(request(Stage::Recycled, at, Some(rep), None, recycle_note(rng)));
        }
    };
    let fit = draft.fit;
    // A personal address with no company behind it never turns into a deal.
    if draft.freemail || !chance(rng, qualification_chance(fit)) {
        return stall(journey, accepted_at, 25.0, rng);
    }
    let sql_at = accepted_at + days(1.0 + exponential(rng, 7.0));
    if sql_at >= end {
        return;
    }
    journey.sales_touches.push((accepted_at + (sql_at - accepted_at) / 2, "meeting"));
    journey.handoffs.push(request(Stage::Sql, sql_at, Some(rep), None, qualification_note(rng)));
    journey.sql_at = Some(sql_at);
    journey.reached = Reached::Qualified;
    if !chance(rng, opportunity_chance(fit)) {
        return stall(journey, sql_at, 30.0, rng);
    }
    let opened = sql_at + days(1.0 + exponential(rng, 6.0));
    if opened >= end {
        return;
    }
    let deal = plan_deal(opened, end, size_band, fit, chance(rng, BOTTOM_CONTENT_SHARE), rng);
    let worked_until = deal_end(&deal, end);
    let meetings = 2 + rng.gen_range(0..5);
    for step in 0..meetings {
        let at = opened + (worked_until - opened) * (step + 1) / (meetings + 1);
        journey.sales_touches.push((at, if step % 2 == 0 { "meeting" } else { "email" }));
    }
    if deal.outcome == OpportunityOutcome::Lost && chance(rng, 0.4) {
        let at = worked_until + days(30.0 + exponential(rng, 40.0));
        if at < end {
            journey.after_deal.push(request(Stage::Recycled, at, Some(rep), None, recycle_note(rng)));
        }
    }
    journey.deal = Some(deal);
    journey.reached = Reached::Opportunity;
}

/// A checked, unforced transition from the demo; rep decisions name the rep as actor.
fn request(
    to: Stage,
    at: Timestamp,
    rep: Option<&Rep>,
    reason: Option<&str>,
    note: String,
) -> TransitionRequest {
    TransitionRequest {
        to,
        at,
        actor: rep.map_or(Actor::System, |rep| Actor::User { id: rep.id }),
        source: EventSource::Demo,
        reason: reason.map(str::to_owned),
        note: (!note.is_empty()).then_some(note),
        owner: None,
        force: false,
    }
}
