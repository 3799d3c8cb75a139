//! The content usage figures against a small case computed by hand.

use chrono::{TimeZone, Utc};
use rapport_domain::{ContentRecord, OpportunityFact, OpportunityId, Timestamp, TouchFact, TouchKind};
use rapport_store::content::ContentMention;

use super::*;

fn at(day: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2025, 3, day, 9, 0, 0).unwrap()
}

fn item(id: i64, title: &str) -> ContentItem {
    ContentItem {
        id: ContentId(id),
        record: ContentRecord {
            external_id: None,
            title: title.into(),
            url: format!("https://us.example/{id}"),
            content_type: Some("case_study".into()),
            funnel_stage: None,
        },
    }
}

fn said(content: Option<i64>, label: &str) -> ContentMention {
    ContentMention { content: content.map(ContentId), label: label.into() }
}

fn call(
    id: i64,
    outcome: Option<OpportunityOutcome>,
    rep: i64,
    mentions: Vec<ContentMention>,
) -> ContentCallFacts {
    ContentCallFacts { call: CallId(id), started_at: at(1), rep: Some(UserId(rep)), outcome, mentions }
}

const A: &str = "Acme case study";
const B: &str = "Pricing guide";
const C: &str = "Old whitepaper";

/// 10 won calls (4 use A, one of them twice), 10 lost (1 uses A), 2 open calls that use B,
/// one lost call with an unresolved mention said two ways; C is never said.
fn calls() -> Vec<ContentCallFacts> {
    let mut calls = Vec::new();
    for i in 0..10 {
        let mentions = match i {
            0 => vec![said(Some(1), "acme case study"), said(Some(1), "Acme Case Study")],
            1..=3 => vec![said(Some(1), A)],
            _ => Vec::new(),
        };
        calls.push(call(i, Some(OpportunityOutcome::Won), 1 + i % 2, mentions));
    }
    for i in 10..20 {
        let mentions = match i {
            10 => vec![said(Some(1), A), said(None, "The ROI calculator")],
            11 => vec![said(None, "the roi Calculator ")],
            _ => Vec::new(),
        };
        calls.push(call(i, Some(OpportunityOutcome::Lost), 3, mentions));
    }
    calls.push(call(20, Some(OpportunityOutcome::Open), 4, vec![said(Some(2), B)]));
    calls.push(call(21, None, 4, vec![said(Some(2), B)]));
    calls
}

fn touch(person: i64, day: u32, content: &str) -> TouchFact {
    TouchFact {
        person_id: PersonId(person),
        at: at(day),
        kind: TouchKind::ContentDownload,
        campaign: None,
        content: Some(content.into()),
    }
}

fn deal(id: i64, contacts: &[i64], created: u32, outcome: OpportunityOutcome) -> OpportunityFact {
    OpportunityFact {
        id: OpportunityId(id),
        name: format!("deal {id}"),
        primary_contact: contacts.first().map(|&c| PersonId(c)),
        contacts: contacts.iter().map(|&c| PersonId(c)).collect(),
        amount_cents: 100,
        currency: "USD".into(),
        created_at: at(created),
        close_date: None,
        outcome,
        lost_reason: None,
    }
}

/// Two people read C before their deals (one won, one lost; the lost deal has both of them),
/// a third read it only after their deal was created, which does not count.
fn attribution() -> AttributionFacts {
    AttributionFacts {
        opportunities: vec![
            deal(1, &[1], 10, OpportunityOutcome::Won),
            deal(2, &[2, 1], 10, OpportunityOutcome::Lost),
            deal(3, &[3], 10, OpportunityOutcome::Open),
        ],
        touches: vec![touch(1, 2, C), touch(2, 3, C), touch(3, 12, C), touch(3, 2, B)],
        people: Vec::new(),
    }
}

fn report() -> ContentUsageReport {
    compute_content_usage(&calls(), &[item(1, A), item(2, B), item(3, C)], &attribution())
}

fn used<'a>(report: &'a ContentUsageReport, title: &str) -> &'a ContentUsage {
    report.used.iter().find(|u| u.title == title).unwrap_or_else(|| panic!("{title} in {:?}", report.used))
}

#[test]
fn shares_lift_and_p_value_match_the_hand_computation() {
    let report = report();
    assert_eq!((report.calls, report.won_calls, report.lost_calls), (22, 10, 10));
    let a = used(&report, A);
    assert_eq!(a.key, ContentKey::Item(ContentId(1)));
    assert_eq!((a.overall.mentioning, a.overall.calls), (5, 22), "a call saying it twice counts once");
    assert_eq!((a.won.mentioning, a.won.calls, a.lost.mentioning, a.lost.calls), (4, 10, 1, 10));
    assert!((a.lift.unwrap() - 4.0).abs() < 1e-9);
    // Pooled p = 5/20; z = 0.3 / sqrt(0.25 · 0.75 · 0.2) = 1.5492; two-sided p = 0.12134.
    assert!((a.p_value.unwrap() - 0.121_335).abs() < 1e-4, "{:?}", a.p_value);
    assert_eq!(a.reps, vec![UserId(1), UserId(2), UserId(3)]);
    assert_eq!(report.used[0].title, A, "most used first");
}

#[test]
fn open_deals_count_only_in_the_totals_and_lift_needs_a_lost_use() {
    let report = report();
    let b = used(&report, B);
    assert_eq!((b.overall.mentioning, b.won.mentioning, b.lost.mentioning), (2, 0, 0));
    assert_eq!(b.lift, None);
    assert_eq!(b.p_value, None, "nobody in either group used it");
    assert_eq!(b.touched, TouchedDeals { people: 1, deals: 1, won: 0 });
}

#[test]
fn unresolved_mentions_are_grouped_by_their_text() {
    let report = report();
    let roi = used(&report, "The ROI calculator");
    assert_eq!(roi.key, ContentKey::Unresolved("the roi calculator".into()));
    assert_eq!((roi.overall.mentioning, roi.lost.mentioning), (2, 2));
    assert_eq!(roi.url, None);
    assert_eq!(roi.key.filter_value(&roi.title), "The ROI calculator");
    assert_eq!(used(&report, A).key.filter_value(A), "1");
}

#[test]
fn content_no_call_mentions_is_unused_with_what_touches_reached() {
    let report = report();
    assert_eq!(report.unused.iter().map(|u| u.title.as_str()).collect::<Vec<_>>(), vec![C]);
    let c = &report.unused[0];
    assert_eq!(c.overall.mentioning, 0);
    assert_eq!(c.touched, TouchedDeals { people: 2, deals: 2, won: 1 }, "the late touch does not count");
    assert!(!report.used.iter().any(|u| u.title == C));
}

#[test]
fn without_calls_every_item_is_unused_and_shares_are_absent() {
    let report = compute_content_usage(&[], &[item(1, A)], &AttributionFacts::default());
    assert!(report.used.is_empty());
    assert_eq!(report.unused.len(), 1);
    assert_eq!(report.unused[0].overall.share, None);
}
