//! Unit tests of attribution on one deal with two contacts, one deal without touches, and one
//! outside the period.

use rapport_domain::{AttributionFacts, OpportunityOutcome, PersonId, TouchKind};

use crate::fixtures::{at, deal, person, touch};
use crate::{attribution_report, AttributionModel, AttributionParams, AttributionReport, CreditRow};

/// Deal 1 (1000, won, created at 40) has contacts 1 and 2, whose touches before its creation are,
/// in order: (A, X) at 1, (A, Y) at 3, (B, -) at 6, (-, X) at 40.
fn facts() -> AttributionFacts {
    let mut won = deal(1, 1, 1000, 40);
    won.contacts = vec![PersonId(1), PersonId(2)];
    won.outcome = OpportunityOutcome::Won;
    let mut sales_call = touch(1, 20, Some("A"), None);
    sales_call.kind = TouchKind::SalesActivity;
    let mut second = person(2);
    second.created_at = at(5);
    AttributionFacts {
        opportunities: vec![won, deal(2, 3, 500, 10), deal(3, 1, 50, 200)],
        touches: vec![
            touch(1, 1, Some("A"), Some("X")),
            touch(1, 6, Some("B"), None),
            sales_call,
            // After the deal was created: no credit.
            touch(1, 50, Some("C"), None),
            touch(2, 3, Some("A"), Some("Y")),
            // At the very instant of creation: counts.
            touch(2, 40, None, Some("X")),
        ],
        people: vec![person(1), second],
    }
}

fn report(model: AttributionModel) -> AttributionReport {
    attribution_report(&facts(), &AttributionParams { from: at(0), to: at(100), model })
}

/// (key, credited pipeline, credited won, deals touched, touches) in USD.
fn rows(rows: &[CreditRow]) -> Vec<(Option<&str>, i64, i64, u64, u64)> {
    rows.iter()
        .map(|r| {
            (
                r.key.as_deref(),
                r.credited_pipeline.get("USD"),
                r.credited_won.get("USD"),
                r.deals_touched,
                r.touches,
            )
        })
        .collect()
}

fn check(model: AttributionModel, campaigns: [i64; 3], contents: [i64; 3]) {
    let report = report(model);
    let [no_campaign, a, b] = campaigns;
    assert_eq!(
        rows(&report.by_campaign),
        vec![(None, no_campaign, no_campaign, 1, 1), (Some("A"), a, a, 1, 2), (Some("B"), b, b, 1, 1)],
        "{model:?} by campaign"
    );
    let [no_content, x, y] = contents;
    assert_eq!(
        rows(&report.by_content),
        vec![(None, no_content, no_content, 1, 1), (Some("X"), x, x, 1, 2), (Some("Y"), y, y, 1, 1)],
        "{model:?} by content"
    );
}

#[test]
fn credits_per_model() {
    use AttributionModel::*;
    check(First, [0, 1000, 0], [0, 1000, 0]);
    check(Last, [1000, 0, 0], [0, 1000, 0]);
    check(Linear, [250, 500, 250], [250, 500, 250]);
    // Lead created at 0: the first touch is also the lead-creation touch (60%), the last gets
    // 30%, the two others 5% each.
    check(W, [300, 650, 50], [50, 900, 50]);
}

#[test]
fn totals_and_unattributed_deals() {
    let report = report(AttributionModel::Linear);
    assert_eq!(
        (report.total.deals, report.total.pipeline.get("USD"), report.total.won.get("USD")),
        (2, 1500, 1000)
    );
    let attributed = &report.attributed;
    assert_eq!(
        (attributed.deals, attributed.pipeline.get("USD"), attributed.won.get("USD")),
        (1, 1000, 1000)
    );
    let unattributed = &report.unattributed;
    assert_eq!(
        (unattributed.deals, unattributed.pipeline.get("USD"), unattributed.won.is_empty()),
        (1, 500, true)
    );
    assert_eq!(unattributed.opportunities, vec![rapport_domain::OpportunityId(2)]);
}

#[test]
fn model_names() {
    for model in AttributionModel::ALL {
        assert_eq!(AttributionModel::parse(model.as_str()), Some(model));
        assert_eq!(serde_json::to_string(&model).unwrap(), format!("\"{}\"", model.as_str()));
    }
    assert_eq!(AttributionModel::parse("W-shaped"), Some(AttributionModel::W));
    assert_eq!(serde_json::from_str::<AttributionModel>("\"w_shaped\"").unwrap(), AttributionModel::W);
    assert_eq!(AttributionModel::parse("time_decay"), None);
}

#[test]
fn report_json_shape() {
    insta::assert_json_snapshot!(report(AttributionModel::W));
}
