//! The shape of each kind of call, as a path through the banks: small talk and an agenda,
//! then discovery questions, a product walkthrough, a security review or a negotiation,
//! then next steps and goodbyes. The deal's story decides which objections, competitors and
//! content come up; the rep's style decides how they ask and how long they talk.

use rand::Rng;

use crate::calls::conversation::{Conversation, BUYER, REP};
use crate::calls::deal_story::{DealStory, Incumbent};
use crate::calls::lines::deal::*;
use crate::calls::lines::demo::*;
use crate::calls::lines::discovery::*;
use crate::calls::lines::opening::*;
use crate::calls::lines::{Bank, Exchange};
use crate::calls::plan::CallKind;
use crate::story::Situation;

/// What the call is and where it sits in the deal.
#[derive(Debug)]
pub(crate) struct Scene<'a> {
    pub story: &'a DealStory,
    pub kind: CallKind,
    /// The first call with this buyer.
    pub first: bool,
    /// What the next call will be, if there is one.
    pub next: Option<CallKind>,
    /// The buyer gives the deal's decision on this call.
    pub decision: bool,
    /// The call ends with a next step that names who, what and when.
    pub firm_next_step: bool,
    /// A colleague of the buyer (or, on a technical review, their IT person) is on the call.
    pub guest: bool,
}

pub(crate) fn play(call: &mut Conversation, scene: &Scene<'_>) {
    opening(call, scene);
    match scene.kind {
        CallKind::Discovery => discovery(call, scene.story),
        CallKind::Demo => demo(call, scene),
        CallKind::Technical => technical(call, scene.story),
        CallKind::Negotiation => negotiation(call, scene),
    }
    next_steps(call, scene);
    call.rep(REP_WRAP_UPS);
    call.buyer(CUSTOMER_WRAP_UPS);
}

fn opening(call: &mut Conversation, scene: &Scene<'_>) {
    let answer = call.exchange(REP, BUYER, if scene.first { GREETINGS } else { GREETINGS_AGAIN });
    if answer.ends_with('?') {
        call.rep(REP_FINE);
    }
    if scene.guest && scene.kind != CallKind::Technical {
        call.rep(REP_WELCOME_GUEST);
        call.say(2, GUEST_HELLOS);
    }
    let rounds = if scene.first { call.rng.gen_range(1..=2) } else { call.rng.gen_range(0..=1) };
    for _ in 0..rounds {
        call.exchange(REP, BUYER, SMALL_TALK);
        if call.chance(0.6) {
            call.rep(REP_SMALL_TALK_REPLIES);
        }
    }
    let agenda = match scene.kind {
        CallKind::Discovery => REP_AGENDA_DISCOVERY,
        CallKind::Demo => REP_AGENDA_DEMO,
        CallKind::Technical => {
            call.say(2, EXPERT_INTRODUCTIONS);
            REP_AGENDA_TECHNICAL
        }
        CallKind::Negotiation => REP_AGENDA_NEGOTIATION,
    };
    call.rep(agenda);
    call.buyer(CUSTOMER_AGREES);
}

fn discovery(call: &mut Conversation, story: &DealStory) {
    if story.read_content && call.chance(0.7) {
        call.buyer(CUSTOMER_READ_CONTENT);
    }
    let open = call.rep_asks(REP_ROLE_OPEN, REP_ROLE_CLOSED);
    if open {
        call.buyer(CUSTOMER_ROLE_OPENERS);
    }
    call.buyer_answers(open, CUSTOMER_ROLE_SHORT, CUSTOMER_ROLE_DETAILS);
    follow_ups(call, ROLE_FOLLOW_UPS, 1.0);
    call.acknowledge();
    let open = call.rep_asks(REP_PROCESS_OPEN, REP_PROCESS_CLOSED);
    call.buyer_answers(open, CUSTOMER_PROCESS_SHORT, CUSTOMER_PROCESS);
    call.rep_anecdote();
    follow_ups(call, CURRENT_SETUP, 1.2);
    follow_ups(call, TECH_STACK, 1.2);
    if story.happy_with_current && call.chance(0.7) {
        call.buyer(HAPPY_WITH_CURRENT);
        call.exchange(REP, BUYER, HANDLE_CURRENT);
    }
    pains(call, story);
    follow_ups(call, PAST_ATTEMPTS, 0.5);
    follow_ups(call, METRICS, 1.0);
    if call.chance(0.3 + 0.6 * call.style.open_questions) {
        call.acknowledge();
        call.rep(REP_ASK_GOALS);
        call.buyer_answers(true, CUSTOMER_GOALS, CUSTOMER_GOALS);
    }
    competition(call, story);
    if call.chance(0.5 + 0.3 * call.style.open_questions) {
        let open = call.rep_asks(REP_ASK_DECISION_OPEN, REP_ASK_DECISION_CLOSED);
        call.buyer_answers(open, CUSTOMER_DECISION_SHORT, CUSTOMER_DECISION);
        call.acknowledge();
    }
    timeline(call, story);
    budget(call, story);
    if call.chance(if story.price_objection { 0.7 } else { 0.2 }) {
        pricing(call, story, 0.85);
    }
    call.acknowledge();
    call.rep_in_order(PITCH, 2.5);
    call.check_in();
    content(call, story, 0.5);
}

/// Follow-up questions from `table`: more from reps who ask open questions.
fn follow_ups(call: &mut Conversation, table: &'static [Exchange], typical: f64) {
    let leaning = 0.5 + 1.5 * call.style.open_questions;
    let count = (typical * leaning * call.rng.gen_range(0.6..1.4)).round() as usize;
    for _ in 0..count.min(table.len()) {
        call.acknowledge();
        call.exchange(REP, BUYER, table);
        elaborate(call);
    }
}

/// An engaged buyer adds a sentence of context now and then, more often to a rep who asks
/// open questions and lets them talk.
fn elaborate(call: &mut Conversation) {
    if call.chance((0.15 + 0.55 * call.style.open_questions) * call.mood.engagement) {
        call.buyer(CUSTOMER_ELABORATIONS);
    }
}

/// The buyer side asks from `table`, the rep answers and, the more talkative, adds to it.
fn rep_answers(call: &mut Conversation, guest_share: f64, table: &'static [Exchange], more: Bank) {
    let asker = call.buyer_side(guest_share);
    call.exchange(asker, REP, table);
    if call.chance(0.15 + 0.25 * call.style.verbosity) {
        call.rep(more);
    }
}

fn pains(call: &mut Conversation, story: &DealStory) {
    for (position, &pain) in story.pains.iter().enumerate() {
        let pain = &PAINS[pain];
        call.slots.pain_now = pain.short.to_owned();
        if position == 0 {
            if !call.rep_asks(REP_PAIN_INVITES, REP_PAIN_INVITES_CLOSED) {
                call.buyer(CUSTOMER_CONFIRMS);
            }
        } else {
            call.rep(REP_MORE_PAINS);
        }
        call.buyer(pain.statements);
        call.rep_anecdote();
        // Listeners dig into the pain; talkers move on, or pitch.
        if call.chance(0.4 + 0.6 * call.style.open_questions) {
            call.exchange(REP, BUYER, pain.exchanges);
        } else if call.chance(0.5 * call.mood.engagement) {
            let (_, impact) = pain.exchanges[call.rng.gen_range(0..pain.exchanges.len())];
            call.say_exactly(BUYER, impact);
        }
        let leaning = 0.5 + 3.0 * call.style.open_questions;
        let deeper = (leaning * call.mood.engagement * call.rng.gen_range(0.5..1.2)).round() as usize;
        for _ in 0..deeper {
            call.acknowledge();
            call.exchange(REP, BUYER, DEEPENING);
            elaborate(call);
        }
        if call.chance(call.style.check_ins * 0.6) {
            call.rep(REP_SUMMARIES);
            call.buyer(CUSTOMER_CONFIRMS_SUMMARY);
        } else if call.chance(0.6) {
            call.rep(REP_EMPATHY);
        }
        // Talkers answer a pain with a pitch.
        if call.chance(call.style.verbosity / 4.0) {
            call.rep_in_order(&PITCH[1..], 1.0);
        }
    }
}

fn competition(call: &mut Conversation, story: &DealStory) {
    let asks = 0.4 + 0.5 * call.style.open_questions;
    if !call.chance(if story.competitor.is_some() { asks.max(0.8) } else { asks }) {
        return;
    }
    call.rep_asks(REP_ASK_COMPETITION_OPEN, REP_ASK_COMPETITION_CLOSED);
    if matches!(story.incumbent, Incumbent::Competitor(_)) && call.chance(0.6) {
        call.buyer(CUSTOMER_INCUMBENT);
    }
    match story.competitor {
        Some(_) => {
            call.buyer(CUSTOMER_COMPETITOR_EVALUATING);
            if call.chance(0.6 * call.mood.engagement) {
                call.buyer(CUSTOMER_COMPETITOR_DETAILS);
            }
            call.rep(REP_COMPETITOR_RESPONSES);
        }
        None => call.buyer(CUSTOMER_NO_COMPETITOR),
    }
}

fn timeline(call: &mut Conversation, story: &DealStory) {
    if !call.chance(0.8) {
        return;
    }
    call.rep_asks(REP_ASK_TIMELINE_OPEN, REP_ASK_TIMELINE_CLOSED);
    let hopeful = matches!(story.situation, Situation::Won | Situation::Open);
    let firm = !story.not_a_priority && call.chance(if hopeful { 0.8 } else { 0.4 });
    call.buyer(if firm { CUSTOMER_TIMELINE_FIRM } else { CUSTOMER_TIMELINE_VAGUE });
    if story.not_a_priority && call.chance(0.7) {
        call.buyer(NOT_A_PRIORITY);
        call.exchange(REP, BUYER, PRIORITY_HANDLING);
    }
}

fn budget(call: &mut Conversation, story: &DealStory) {
    if !story.budget_objection && !call.chance(0.6) {
        return;
    }
    call.rep_asks(REP_ASK_BUDGET_OPEN, REP_ASK_BUDGET_CLOSED);
    if story.budget_objection {
        call.buyer(CUSTOMER_BUDGET_NO);
        call.rep(REP_HANDLE_BUDGET);
    } else if matches!(story.situation, Situation::Won | Situation::Open) && call.chance(0.6) {
        call.buyer(CUSTOMER_BUDGET_YES);
    } else {
        call.buyer(CUSTOMER_BUDGET_DEPENDS);
    }
}

/// The buyer asks what it costs; a buyer who finds it too expensive says so `objecting` of
/// the time.
fn pricing(call: &mut Conversation, story: &DealStory, objecting: f64) {
    call.buyer(CUSTOMER_ASK_PRICE);
    call.rep(REP_PRICE);
    if story.price_objection && call.chance(objecting) {
        call.buyer(PRICE_OBJECTIONS);
        call.exchange(REP, BUYER, PRICE_HANDLING);
        if call.chance(0.3) {
            call.rep(REP_ROI);
        }
    } else {
        call.react(BUYER);
    }
}

/// The rep names a case study (when this deal's story has one) or another piece of content.
fn content(call: &mut Conversation, story: &DealStory, case_study: f64) {
    if story.case_study && call.chance(case_study) {
        call.rep(REP_CASE_STUDIES);
    } else if call.chance(0.35) {
        call.rep(REP_CONTENT);
    }
}

fn demo(call: &mut Conversation, scene: &Scene<'_>) {
    let story = scene.story;
    call.rep(REP_DEMO_RECAPS);
    call.buyer(CUSTOMER_UPDATES);
    if story.case_study && call.chance(0.3) {
        call.buyer(CUSTOMER_READ_CASE_STUDY);
    }
    call.rep(REP_SHARE_SCREEN);
    call.buyer(CUSTOMER_SEES_SCREEN);
    let mut shown: Vec<usize> = Vec::new();
    let wanted = call.rng.gen_range(5..=6);
    while shown.len() < wanted {
        let feature = call.rng.gen_range(0..FEATURES.len());
        if !shown.contains(&feature) {
            shown.push(feature);
        }
    }
    for (position, &feature) in shown.iter().enumerate() {
        let feature = &FEATURES[feature];
        if position > 0 {
            call.rep(REP_NEXT_FEATURE);
        }
        call.rep_in_order(feature.walkthrough, 5.0);
        if call.chance(0.3 + 0.2 * call.style.verbosity) {
            call.rep(DEMO_NARRATION);
        }
        if call.chance(call.style.verbosity / 3.0) {
            call.rep(FEATURE_ELABORATIONS);
        }
        let questions = (call.rng.gen_range(1.5..4.0) * call.mood.engagement).round() as usize;
        for _ in 0..questions {
            let table = if call.chance(0.5) { feature.open } else { feature.closed };
            rep_answers(call, 0.4, table, FEATURE_ELABORATIONS);
            if call.chance(call.style.verbosity / 3.0) {
                call.rep(DEMO_NARRATION);
            }
            if call.chance(0.6) {
                let reacting = call.buyer_side(0.4);
                call.react(reacting);
            }
        }
        if call.chance(0.2 + 0.7 * call.style.open_questions) {
            call.rep(REP_FIT_QUESTIONS);
            call.buyer(CUSTOMER_FIT_ANSWERS);
            elaborate(call);
            if call.chance(0.7 * call.style.open_questions) {
                call.rep(REP_TELL_ME_MORE);
                call.buyer(CUSTOMER_ELABORATIONS);
                elaborate(call);
            }
        } else if questions == 0 || call.chance(0.3) {
            call.check_in();
        }
    }
    follow_ups(call, USE_CASES, 1.0);
    if story.competitor.is_some() && call.chance(0.6) {
        call.buyer(CUSTOMER_COMPETITOR_COMPARISONS);
        call.rep(REP_COMPARISON_ANSWERS);
        call.react(BUYER);
    }
    for _ in 0..call.rng.gen_range(1..=3) {
        rep_answers(call, 0.4, INTEGRATIONS, FEATURE_ELABORATIONS);
    }
    if call.chance(0.45) {
        rep_answers(call, 0.6, SECURITY, SECURITY_ELABORATIONS);
    }
    if story.missing_feature {
        feature_gap(call, story);
    }
    // Without a negotiation call ahead, price comes up now.
    if scene.next != Some(CallKind::Negotiation) || call.chance(0.5) {
        pricing(call, story, 0.9);
        if story.discount_ask && call.chance(0.3) {
            call.buyer(DISCOUNT_ASKS);
            call.rep(REP_DISCOUNT_OFFERS);
        }
    }
    content(call, story, 0.7);
}

fn feature_gap(call: &mut Conversation, story: &DealStory) {
    let asker = call.buyer_side(0.5);
    call.say(asker, CUSTOMER_FEATURE_GAP_QUESTIONS);
    call.rep(REP_FEATURE_GAP_ANSWERS);
    let blocker = story.situation == Situation::Lost("missing_feature");
    call.say(asker, if blocker { CUSTOMER_FEATURE_GAP_BLOCKERS } else { CUSTOMER_FEATURE_GAP_SHRUGS });
}

fn technical(call: &mut Conversation, story: &DealStory) {
    const EXPERT: usize = 2;
    call.rep_in_order(ARCHITECTURE, 4.0);
    call.say(EXPERT, EXPERT_FOLLOW_UPS);
    for _ in 0..call.rng.gen_range(7..=10) {
        call.exchange(EXPERT, REP, SECURITY);
        if call.chance(0.15 + 0.25 * call.style.verbosity) {
            call.rep(SECURITY_ELABORATIONS);
        }
        if call.chance(0.7) {
            call.exchange(EXPERT, REP, TECHNICAL_FOLLOW_UPS);
        } else if call.chance(0.5) {
            call.say(EXPERT, EXPERT_FOLLOW_UPS);
        }
    }
    for _ in 0..call.rng.gen_range(2..=4) {
        rep_answers(call, 0.5, INTEGRATIONS, FEATURE_ELABORATIONS);
    }
    if story.missing_feature && call.chance(0.6) {
        feature_gap(call, story);
    }
    if call.chance(0.5) {
        call.say(EXPERT, EXPERT_FOLLOW_UPS);
    }
}

fn negotiation(call: &mut Conversation, scene: &Scene<'_>) {
    let story = scene.story;
    let situation = story.situation;
    if story.case_study && call.chance(0.3) {
        call.buyer(CUSTOMER_READ_CASE_STUDY);
    }
    let hopeful = matches!(situation, Situation::Won | Situation::Open);
    let positive = if hopeful { call.chance(0.8) } else { call.chance(0.3) };
    call.buyer(if positive { CUSTOMER_PROPOSAL_POSITIVE } else { CUSTOMER_PROPOSAL_NEGATIVE });
    call.rep_in_order(PROPOSAL_WALKTHROUGH, 4.0);
    call.rep(REP_PRICE);
    call.check_in();
    for _ in 0..call.rng.gen_range(3..=5) {
        rep_answers(call, 0.5, COMMERCIAL_TERMS, TERMS_ELABORATIONS);
    }
    if !positive {
        follow_ups(call, OBJECTION_PROBES, 2.0);
    }
    if story.price_objection {
        call.buyer(PRICE_OBJECTIONS);
        call.exchange(REP, BUYER, PRICE_HANDLING);
    }
    if story.discount_ask || story.price_objection {
        call.buyer(DISCOUNT_ASKS);
        call.rep(REP_DISCOUNT_OFFERS);
        let accepts = situation == Situation::Won || (situation == Situation::Open && call.chance(0.6));
        if accepts {
            call.buyer(CUSTOMER_ACCEPT_OFFERS);
        } else {
            call.buyer(CUSTOMER_RESIST_OFFERS);
            if call.chance(0.6) {
                call.buyer(DISCOUNT_ASKS);
                call.rep(REP_FINAL_OFFERS);
            }
        }
    }
    if story.competitor.is_some() && (situation == Situation::Lost("competitor") || call.chance(0.3)) {
        call.buyer(CUSTOMER_COMPETITOR_COMPARISONS);
        call.rep(REP_COMPARISON_ANSWERS);
    }
    if story.not_a_priority && !hopeful {
        call.buyer(NOT_A_PRIORITY);
        call.exchange(REP, BUYER, PRIORITY_HANDLING);
    }
    if story.budget_objection && !hopeful && call.chance(0.5) {
        call.buyer(CUSTOMER_BUDGET_NO);
    }
    if situation == Situation::Lost("missing_feature") && story.missing_feature {
        feature_gap(call, story);
    }
    if hopeful {
        for _ in 0..call.rng.gen_range(1..=2) {
            call.buyer(CUSTOMER_PROCUREMENT);
            call.rep(REP_PROCUREMENT);
        }
        for _ in 0..call.rng.gen_range(1..=2) {
            rep_answers(call, 0.5, LEGAL, TERMS_ELABORATIONS);
        }
        for _ in 0..call.rng.gen_range(3..=5) {
            rep_answers(call, 0.3, ROLLOUT, TERMS_ELABORATIONS);
        }
    }
    if scene.decision {
        let (decision, response): (Bank, Bank) = match situation {
            Situation::Won => (DECISION_WON, REP_WIN_RESPONSES),
            Situation::Lost("competitor") if story.competitor.is_some() => {
                (DECISION_LOST_COMPETITOR, REP_LOSS_RESPONSES)
            }
            Situation::Lost("no_decision") => (DECISION_LOST_NO_DECISION, REP_LOSS_RESPONSES),
            Situation::Lost("timing") => (DECISION_LOST_TIMING, REP_LOSS_RESPONSES),
            Situation::Lost("missing_feature") => (DECISION_LOST_FEATURE, REP_LOSS_RESPONSES),
            _ => (DECISION_LOST_PRICE, REP_LOSS_RESPONSES),
        };
        call.buyer(decision);
        call.rep(response);
    }
    if situation == Situation::Won {
        content(call, story, 0.4);
    }
}

fn next_steps(call: &mut Conversation, scene: &Scene<'_>) {
    let won = scene.story.situation == Situation::Won;
    let proposal: Bank = match scene.next {
        Some(CallKind::Demo) => NEXT_DEMO,
        Some(CallKind::Technical) => NEXT_TECHNICAL,
        Some(CallKind::Negotiation) => NEXT_PROPOSAL,
        _ if won && scene.kind == CallKind::Negotiation => NEXT_SIGNATURE,
        _ => NEXT_FOLLOW_UP,
    };
    if scene.firm_next_step {
        call.acknowledge();
        call.rep(proposal);
        call.buyer(CUSTOMER_AGREE_NEXT);
        if call.chance(0.3 + 0.5 * call.style.check_ins) {
            call.rep(REP_RECAP_FIRM);
        }
    } else {
        if !scene.decision && call.chance(0.5) {
            call.rep(proposal);
        }
        call.buyer(CUSTOMER_VAGUE_NEXT);
        call.rep(REP_RECAP_VAGUE);
    }
}
