//! Generates tiny demo workspaces into real SQLite files and checks the counts, determinism,
//! lifecycle validity, the story a marketer should see, and the sales calls: linked to real
//! people, accounts and deals, cleanly timed, and telling won and lost deals apart.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use rapport_demo::{generate, DemoError, DemoOptions, DemoProgress, DemoSummary, Scale, COMPETITORS};
use rapport_domain::{
    check_transition, Call, CallSource, CallStatus, EventSource, FactsFilter, FunnelFacts, FunnelStage,
    OpportunityOutcome, PersonId, Role, SpeakerRole, Stage, TouchKind, UtteranceRow,
    DEFAULT_REJECTION_REASONS,
};
use rapport_store::{CallQuery, Sink, Store, StoreError};
use rapport_store_sqlite::SqliteStore;

fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
}

/// A tiny demo for `seed` in a fresh SQLite file, with the progress reports it made.
fn tiny(seed: u64) -> (SqliteStore, tempfile::TempDir, DemoSummary, Vec<DemoProgress>) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("demo.db")).unwrap();
    let mut reports = Vec::new();
    let options = DemoOptions { scale: Scale::Tiny, seed, anchor: anchor() };
    let summary = generate(&store, &options, &mut |p| reports.push(p.clone())).unwrap();
    (store, dir, summary, reports)
}

fn facts(store: &SqliteStore) -> FunnelFacts {
    store.funnel_facts(&FactsFilter::default()).unwrap()
}

/// The rows an export streams, as debug text.
fn debug_rows<T: std::fmt::Debug>(export: impl FnOnce(Sink<'_, T>) -> Result<(), StoreError>) -> Vec<String> {
    let mut rows = Vec::new();
    export(&mut |row| {
        rows.push(format!("{row:?}"));
        Ok(())
    })
    .unwrap();
    rows
}

/// Every exported row of every kind, in id order, as text: equal text means equal workspaces.
fn export_everything(store: &SqliteStore) -> Vec<String> {
    let mut rows = debug_rows(|sink| store.export_accounts(sink));
    rows.extend(debug_rows(|sink| store.export_campaigns(sink)));
    rows.extend(debug_rows(|sink| store.export_content(sink)));
    rows.extend(debug_rows(|sink| store.export_people(sink)));
    rows.extend(debug_rows(|sink| store.export_touches(sink)));
    rows.extend(debug_rows(|sink| store.export_opportunities(sink)));
    rows.extend(facts(store).events.iter().map(|e| format!("{e:?}")));
    for (call, utterances) in calls(store) {
        rows.push(format!("{call:?}"));
        rows.extend(utterances.iter().map(|u| format!("{u:?}")));
    }
    rows
}

/// Every call, oldest first, with its transcript.
fn calls(store: &SqliteStore) -> Vec<(Call, Vec<UtteranceRow>)> {
    let mut calls = store.list_calls(&CallQuery::default()).unwrap();
    calls.reverse();
    calls
        .into_iter()
        .map(|call| {
            let utterances = store.call_utterances(call.id).unwrap();
            (call, utterances)
        })
        .collect()
}

#[test]
fn tiny_demo_has_the_expected_sizes_and_reports_them() {
    let started = std::time::Instant::now();
    let (store, _dir, summary, reports) = tiny(1);
    eprintln!("tiny demo generated in {:?}: {summary:?}", started.elapsed());
    let counts = store.counts().unwrap();
    assert_eq!(summary.people, 500);
    assert_eq!(counts.people, 500);
    assert_eq!((counts.accounts, summary.accounts), (50, 50));
    assert!((3_500..7_500).contains(&counts.touches), "{} touches", counts.touches);
    assert_eq!(counts.touches, summary.touches);
    assert_eq!(counts.campaigns, summary.campaigns);
    assert_eq!(counts.content, summary.content);
    assert_eq!(counts.opportunities, summary.opportunities);
    assert!(counts.opportunities >= 5, "{} opportunities", counts.opportunities);
    assert_eq!(counts.stage_events, summary.stage_events);
    assert_eq!(counts.users, summary.users.len() as u64);
    let roles = |role| summary.users.iter().filter(|(_, r)| *r == role).count();
    assert_eq!((roles(Role::SalesManager), roles(Role::Marketing), roles(Role::Admin)), (1, 1, 1));
    assert!(roles(Role::SalesRep) >= 3);
    let people: Vec<u64> = reports.iter().filter(|p| p.phase == "people").map(|p| p.done).collect();
    assert!(people.windows(2).all(|w| w[0] <= w[1]), "{people:?}");
    assert_eq!(people.last(), Some(&500));
    // About 20 calls at this scale, a few dozen utterances each.
    assert!((15..=30).contains(&summary.calls), "{} calls", summary.calls);
    assert!(summary.utterances > 20 * summary.calls, "{} utterances", summary.utterances);
    let last = reports.last().unwrap();
    assert_eq!((last.phase, last.done, last.total), ("calls", summary.calls, summary.calls));
}

#[test]
fn same_seed_and_anchor_give_the_same_workspace_and_another_seed_does_not() {
    let (first, _a, first_summary, _) = tiny(7);
    let (second, _b, second_summary, _) = tiny(7);
    let (other, _c, _, _) = tiny(8);
    assert_eq!(first_summary, second_summary);
    let exported = export_everything(&first);
    assert!(exported.len() > 5_000);
    assert!(exported == export_everything(&second), "same seed, different workspace");
    assert!(exported != export_everything(&other), "another seed gave the same workspace");
}

#[test]
fn a_second_demo_into_the_same_workspace_is_refused() {
    let (store, _dir, _, _) = tiny(3);
    let options = DemoOptions { scale: Scale::Tiny, seed: 3, anchor: anchor() };
    let error = generate(&store, &options, &mut |_| {}).unwrap_err();
    assert!(matches!(error, DemoError::NotEmpty), "{error}");
}

#[test]
fn every_history_is_valid_unforced_and_matches_the_current_stage() {
    let (store, _dir, _, _) = tiny(2);
    let codes: Vec<String> = DEFAULT_REJECTION_REASONS.iter().map(|(code, _)| code.to_string()).collect();
    let end = rapport_domain::parse_timestamp("2025-01-01").unwrap();
    let mut people = Vec::new();
    store
        .export_people(&mut |p| {
            people.push(p);
            Ok(())
        })
        .unwrap();
    let mut demo_events = 0;
    for person in &people {
        let history = store.stage_history(person.person.id).unwrap();
        assert!(!history.is_empty(), "{} has no history", person.person.record.email);
        let mut previous = None;
        for event in &history {
            assert!(!event.forced, "forced event {event:?}");
            assert_eq!(event.from, previous, "{event:?}");
            let request = rapport_domain::TransitionRequest {
                to: event.to,
                at: event.at,
                actor: event.actor.clone(),
                source: event.source,
                reason: event.reason.clone(),
                note: event.note.clone(),
                owner: event.owner,
                force: false,
            };
            // Lost reasons are the deal's, not rejection codes: check the step, not the code.
            if event.to != Stage::Rejected {
                assert!(check_transition(previous, &request, &codes).is_ok(), "{event:?}");
            } else {
                check_transition(previous, &request, &codes).unwrap();
                assert!(event.note.is_some(), "a rejection without a note: {event:?}");
            }
            assert!(event.at < end && event.at >= person.person.record.created_at, "{event:?}");
            assert!(matches!(event.source, EventSource::Demo | EventSource::Import), "{event:?}");
            demo_events += usize::from(event.source == EventSource::Demo);
            previous = Some(event.to);
        }
        assert_eq!(person.stage, previous, "{}", person.person.record.email);
        assert_eq!(person.stage_since, history.last().map(|e| e.at));
    }
    assert!(demo_events > 100, "{demo_events} demo events");
}

/// Per source: (accepted, rejected) handoffs, and the rejection reasons.
fn handoff_outcomes(facts: &FunnelFacts) -> BTreeMap<String, (u32, u32, BTreeMap<String, u32>)> {
    let source: HashMap<PersonId, String> =
        facts.people.iter().map(|p| (p.person_id, p.source.clone().unwrap_or_default())).collect();
    let mut outcomes: BTreeMap<String, (u32, u32, BTreeMap<String, u32>)> = BTreeMap::new();
    for pair in facts.events.windows(2) {
        let (handoff, decision) = (&pair[0], &pair[1]);
        if handoff.to != Stage::Mql || handoff.person_id != decision.person_id {
            continue;
        }
        let entry = outcomes.entry(source[&handoff.person_id].clone()).or_default();
        match decision.to {
            Stage::Sal => entry.0 += 1,
            Stage::Rejected => {
                entry.1 += 1;
                *entry.2.entry(decision.reason.clone().unwrap()).or_default() += 1;
            }
            _ => {}
        }
    }
    outcomes
}

#[test]
fn partner_and_webinar_leads_are_accepted_far_more_than_syndicated_and_listed_ones() {
    let mut outcomes: BTreeMap<String, (u32, u32, BTreeMap<String, u32>)> = BTreeMap::new();
    for seed in 1..=3 {
        let (store, _dir, _, _) = tiny(seed);
        for (source, (accepted, rejected, reasons)) in handoff_outcomes(&facts(&store)) {
            let entry = outcomes.entry(source).or_default();
            entry.0 += accepted;
            entry.1 += rejected;
            for (reason, count) in reasons {
                *entry.2.entry(reason).or_default() += count;
            }
        }
    }
    let rate = |source: &str| {
        let (accepted, rejected, _) = &outcomes[source];
        assert!(accepted + rejected >= 15, "too few decided {source} handoffs: {outcomes:?}");
        f64::from(*accepted) / f64::from(accepted + rejected)
    };
    assert!(rate("partner") > rate("content_syndication") + 0.4, "{outcomes:?}");
    assert!(rate("webinar") > rate("purchased_list") + 0.3, "{outcomes:?}");
    assert!(rate("paid_search") > rate("content_syndication"), "{outcomes:?}");
    // Syndicated leads are rejected as junk, bad fit or the wrong contact, not for timing.
    let reasons = &outcomes["content_syndication"].2;
    let poor: u32 =
        ["junk", "bad_fit", "wrong_contact"].iter().map(|r| reasons.get(*r).copied().unwrap_or(0)).sum();
    assert!(f64::from(poor) > 0.7 * f64::from(reasons.values().sum::<u32>()), "{reasons:?}");
}

#[test]
fn some_handoffs_breach_the_24_hour_sla_and_slow_reps_breach_more() {
    let (store, _dir, _, _) = tiny(4);
    let facts = facts(&store);
    let end = rapport_domain::parse_timestamp("2025-01-01").unwrap();
    let owner_email: HashMap<PersonId, String> =
        facts.people.iter().map(|p| (p.person_id, p.owner.clone().unwrap_or_default())).collect();
    let mut per_rep: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for handoff in facts.events.iter().filter(|e| e.to == Stage::Mql) {
        let deadline = handoff.at + Duration::hours(24);
        if deadline >= end {
            continue;
        }
        let answered = facts
            .sales_touches
            .iter()
            .any(|t| t.person_id == handoff.person_id && t.at >= handoff.at && t.at <= deadline);
        let entry = per_rep.entry(owner_email[&handoff.person_id].clone()).or_default();
        entry.0 += 1;
        entry.1 += u32::from(!answered);
    }
    let rates: Vec<f64> = per_rep
        .values()
        .filter(|(n, _)| *n >= 8)
        .map(|(n, breached)| f64::from(*breached) / f64::from(*n))
        .collect();
    let (fastest, slowest) = rates.iter().fold((1.0f64, 0.0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    assert!(rates.len() >= 3, "{per_rep:?}");
    assert!(slowest > fastest + 0.25, "{per_rep:?}");
    let (handoffs, breaches) = per_rep.values().fold((0, 0), |(n, b), (rn, rb)| (n + rn, b + rb));
    assert!(breaches > 0 && breaches < handoffs, "{per_rep:?}");
}

#[test]
fn won_deals_go_with_bottom_of_funnel_content_and_carry_amounts() {
    let (mut won, mut lost) = ((0u32, 0u32), (0u32, 0u32));
    for seed in 1..=3 {
        let (store, _dir, _, _) = tiny(seed);
        let mut bottom_urls = Vec::new();
        store
            .export_content(&mut |c| {
                if c.record.funnel_stage == Some(FunnelStage::Bottom) {
                    bottom_urls.push(c.record.url);
                }
                Ok(())
            })
            .unwrap();
        let mut readers = std::collections::HashSet::new();
        store
            .export_touches(&mut |t| {
                if t.kind == TouchKind::ContentDownload
                    && bottom_urls.contains(t.content_url.as_ref().unwrap())
                {
                    readers.insert(t.person_id);
                }
                Ok(())
            })
            .unwrap();
        for deal in facts(&store).opportunities {
            assert_eq!(deal.currency, "USD");
            assert!(deal.amount_cents >= 500_000, "{deal:?}");
            let read = u32::from(readers.contains(&deal.primary_contact.unwrap()));
            match deal.outcome {
                OpportunityOutcome::Won => won = (won.0 + 1, won.1 + read),
                OpportunityOutcome::Lost => {
                    assert!(deal.lost_reason.is_some(), "{deal:?}");
                    lost = (lost.0 + 1, lost.1 + read);
                }
                OpportunityOutcome::Open => assert!(deal.close_date.is_none()),
            }
        }
    }
    assert!(won.0 >= 5 && lost.0 >= 5, "won {won:?}, lost {lost:?}");
    let share = |(deals, read): (u32, u32)| f64::from(read) / f64::from(deals);
    assert!(share(won) > share(lost) + 0.2, "won {won:?}, lost {lost:?}");
}

#[test]
fn every_call_belongs_to_a_real_person_account_rep_and_deal_at_a_sensible_time() {
    let (store, _dir, summary, _) = tiny(5);
    let calls = calls(&store);
    assert_eq!(calls.len() as u64, summary.calls);
    let utterances: usize = calls.iter().map(|(_, u)| u.len()).sum();
    assert_eq!(utterances as u64, summary.utterances);
    let reps: Vec<String> = summary
        .users
        .iter()
        .filter(|(_, role)| *role == Role::SalesRep)
        .map(|(email, _)| email.clone())
        .collect();
    let mut deals = HashMap::new();
    store
        .export_opportunities(&mut |o| {
            deals.insert(o.id, o);
            Ok(())
        })
        .unwrap();
    let end = rapport_domain::parse_timestamp("2025-01-01").unwrap();
    let (mut with_deal, mut without_deal) = (0, 0);
    for (call, _) in &calls {
        assert_eq!(
            (call.status, call.record.source),
            (CallStatus::Ready, CallSource::Transcript),
            "{call:?}"
        );
        let person =
            store.person(call.person_id.expect("a call is with a person")).unwrap().expect("who exists");
        let account = call.account_id.expect("a call is with an account");
        assert_eq!(person.person.account_id, Some(account), "{call:?}");
        assert!(store.account_by_domain(call.record.account_domain.as_deref().unwrap()).unwrap().is_some());
        assert!(reps.contains(&call.record.rep_email.as_ref().unwrap().to_string()), "{call:?}");
        assert!(call.rep_id.is_some());
        // Calls come after sales accepted the person, and before the deal closed.
        let history = store.stage_history(person.person.id).unwrap();
        let accepted = history.iter().find(|e| e.to == Stage::Sal).expect("called people were accepted").at;
        assert!(call.record.started_at > accepted && call.record.started_at < end, "{call:?}");
        match call.opportunity_id {
            Some(id) => {
                with_deal += 1;
                let deal = &deals[&id];
                assert_eq!(deal.account_id, Some(account));
                assert_eq!(deal.record.primary_contact.as_ref(), Some(&person.person.record.email));
                if let Some(closed) = deal.record.close_date {
                    assert!(call.record.started_at <= closed, "{call:?} after {closed}");
                }
            }
            None => without_deal += 1,
        }
        let roles: Vec<SpeakerRole> = call.record.participants.iter().map(|p| p.role).collect();
        assert_eq!(&roles[..2], [SpeakerRole::Rep, SpeakerRole::Customer]);
    }
    assert!(with_deal > without_deal && without_deal >= 1, "{with_deal} with a deal, {without_deal} without");
}

#[test]
fn transcripts_are_ordered_never_overlap_a_speaker_and_run_near_150_words_a_minute() {
    // Pauses before a buyer speaks: (total, count) after a rep's question and after a statement.
    let (mut after_question, mut after_statement) = ((0i64, 0i64), (0i64, 0i64));
    let mut texts = std::collections::HashSet::new();
    let calls = calls(&tiny(6).0);
    for (call, utterances) in &calls {
        let text: Vec<&str> = utterances.iter().map(|u| u.text.as_str()).collect();
        assert!(texts.insert(text.join("\n")), "two calls say the same: {call:?}");
        let duration = call.record.duration_ms.expect("a transcript has a duration");
        assert!(utterances.len() >= 20, "{} utterances in {call:?}", utterances.len());
        let mut last_end: HashMap<&str, i64> = HashMap::new();
        for (index, pair) in utterances.windows(2).enumerate() {
            assert!(pair[0].start_ms <= pair[1].start_ms, "utterance {index} of {call:?}");
        }
        for (index, utterance) in utterances.iter().enumerate() {
            assert_eq!(utterance.index as usize, index);
            assert!(utterance.start_ms < utterance.end_ms && utterance.end_ms <= duration, "{utterance:?}");
            assert!(
                !utterance.text.trim().is_empty() && !utterance.text.contains(['{', '}']),
                "{utterance:?}"
            );
            let speaker = utterance.speaker.as_deref().expect("speakers are named");
            let previous = last_end.insert(speaker, utterance.end_ms).unwrap_or(-1);
            assert!(previous < utterance.start_ms, "{speaker} talks over themselves in {call:?}");
        }
        for role in [SpeakerRole::Rep, SpeakerRole::Customer] {
            assert!(utterances.iter().any(|u| u.role == role), "no {role:?} in {call:?}");
        }
        let words: usize = utterances.iter().map(|u| u.text.split_whitespace().count()).sum();
        let speaking_ms: i64 = utterances.iter().map(|u| u.end_ms - u.start_ms).sum();
        let pace = words as f64 * 60_000.0 / speaking_ms as f64;
        assert!((125.0..185.0).contains(&pace), "{pace:.0} words a minute in {call:?}");
        for pair in utterances.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let pause = after.start_ms - before.end_ms;
            if before.role == SpeakerRole::Rep && after.role == SpeakerRole::Customer && pause > 0 {
                let sum = if before.text.ends_with('?') { &mut after_question } else { &mut after_statement };
                *sum = (sum.0 + pause, sum.1 + 1);
            }
        }
    }
    // Buyers think before answering a question.
    let mean = |(total, count): (i64, i64)| total as f64 / count.max(1) as f64;
    assert!(after_question.1 > 100 && after_statement.1 > 20, "{after_question:?} {after_statement:?}");
    assert!(mean(after_question) > mean(after_statement) + 200.0, "{after_question:?} {after_statement:?}");
}

/// Per outcome: calls, and how many of them show each theme in their text.
fn themes_by_outcome(
    seeds: std::ops::RangeInclusive<u64>,
) -> BTreeMap<&'static str, (u32, BTreeMap<&'static str, u32>)> {
    let price = ["expensive", "steep", "pricey", "more than we expected", "hard to justify"];
    // The buyer agreeing to a dated next step ("Thursday at 2 pm it is.").
    let agreed =
        ["forward the invite", "loop in", "block the time", "m it is.", "0 it is.", "right people by"];
    let mut shares: BTreeMap<&str, (u32, BTreeMap<&str, u32>)> = BTreeMap::new();
    for seed in seeds {
        let (store, _dir, _, _) = tiny(seed);
        let mut outcomes = HashMap::new();
        store
            .export_opportunities(&mut |o| {
                outcomes.insert(o.id, o.record.outcome);
                Ok(())
            })
            .unwrap();
        for (call, utterances) in calls(&store) {
            let outcome = match call.opportunity_id.map(|id| outcomes[&id]) {
                Some(OpportunityOutcome::Won) => "won",
                Some(OpportunityOutcome::Lost) => "lost",
                Some(OpportunityOutcome::Open) => "open",
                None => "no deal",
            };
            let customer: String = utterances
                .iter()
                .filter(|u| u.role == SpeakerRole::Customer)
                .map(|u| u.text.to_lowercase() + " ")
                .collect();
            let everyone: String = utterances.iter().map(|u| u.text.to_lowercase() + " ").collect();
            let entry = shares.entry(outcome).or_default();
            entry.0 += 1;
            let themes = [
                ("price objection", price.iter().any(|p| customer.contains(p))),
                ("competitor", COMPETITORS.iter().any(|c| everyone.contains(&c.to_lowercase()))),
                ("case study", everyone.contains("case study,")),
                ("next step agreed", agreed.iter().any(|p| customer.contains(p))),
            ];
            for (theme, present) in themes {
                *entry.1.entry(theme).or_default() += u32::from(present);
            }
        }
    }
    shares
}

#[test]
fn lost_deals_hear_more_price_objections_and_competitors_and_won_deals_agree_next_steps() {
    let shares = themes_by_outcome(1..=6);
    eprintln!("calls with each theme, by outcome: {shares:?}");
    let share = |outcome: &str, theme: &str| {
        let (calls, themes) = &shares[outcome];
        assert!(*calls >= 15, "too few {outcome} calls: {shares:?}");
        f64::from(themes[theme]) / f64::from(*calls)
    };
    let (lost_price, won_price) = (share("lost", "price objection"), share("won", "price objection"));
    assert!(lost_price > 0.25 && lost_price > 2.0 * won_price, "{shares:?}");
    assert!(share("lost", "competitor") > share("won", "competitor"), "{shares:?}");
    assert!(share("won", "case study") > share("lost", "case study"), "{shares:?}");
    assert!(share("won", "next step agreed") > share("lost", "next step agreed") + 0.2, "{shares:?}");
}

#[test]
fn buyers_name_the_fixed_competitors_and_reps_talk_in_their_own_styles() {
    let mut named = std::collections::BTreeSet::new();
    // Per rep: their speaking time and everyone's, over the calls of a few demos.
    let mut talk: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for seed in 1..=4 {
        for (call, utterances) in calls(&tiny(seed).0) {
            for utterance in &utterances {
                for competitor in COMPETITORS {
                    if utterance.text.contains(competitor) {
                        named.insert(competitor);
                    }
                }
                let entry = talk.entry(call.record.participants[0].name.clone()).or_default();
                let spoken = utterance.end_ms - utterance.start_ms;
                entry.0 += if utterance.role == SpeakerRole::Rep { spoken } else { 0 };
                entry.1 += spoken;
            }
        }
    }
    assert!(named.len() >= 3, "{named:?}");
    let ratios: Vec<f64> = talk.values().map(|(rep, all)| *rep as f64 / *all as f64).collect();
    let (least, most) = ratios.iter().fold((1.0f64, 0.0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    assert!(talk.len() >= 4 && least < 0.58 && most > 0.64 && most - least > 0.1, "{talk:?}");
}
