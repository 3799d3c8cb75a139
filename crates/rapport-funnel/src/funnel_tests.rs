//! Unit tests of the funnel report on small hand-built histories.

use rapport_domain::{OpportunityOutcome, Stage, Stage::*};

use crate::fixtures::{at, deal, params, person, Facts};
use crate::{funnel_report, FunnelReport, GroupBy};

fn report(facts: Facts, from: i64, to: i64) -> FunnelReport {
    funnel_report(&facts.build(), &params(from, to, 1000, 24, None))
}

fn acceptance(report: &FunnelReport) -> (u64, u64, u64, u64, Option<f64>) {
    (report.mql, report.accepted, report.rejected, report.pending, report.mql_acceptance_rate)
}

#[test]
fn each_handoff_in_the_period_counts_with_its_own_outcome() {
    let facts = Facts::default()
        .event(1, 0, Lead)
        .handoff(1, 10)
        .event(1, 12, Sal)
        // Rejected, then handed over again and accepted: two handoffs.
        .handoff(2, 20)
        .rejection(2, 30, Some("bad_fit"), None)
        .handoff(2, 40)
        .event(2, 50, Sal)
        .handoff(3, 5)
        // Before the period, and at its exclusive end.
        .handoff(4, 0)
        .event(4, 3, Sal)
        .handoff(6, 100)
        // Decided after the period: the decision still counts.
        .handoff(5, 99)
        .rejection(5, 150, Some("junk"), None);
    assert_eq!(acceptance(&report(facts, 1, 100)), (5, 2, 2, 1, Some(0.5)));
}

#[test]
fn reassignments_and_skipped_stages() {
    let facts = Facts::default()
        .handoff(1, 10)
        .handoff(1, 11)
        .rejection(1, 12, Some("bad_fit"), None)
        // An imported deal moves the contact straight to `opportunity`: accepted.
        .handoff(2, 10)
        .event(2, 11, Opportunity)
        // Recycled without a decision stays pending, and the decision window ends at the next
        // handoff.
        .handoff(3, 10)
        .event(3, 11, Recycled)
        .handoff(3, 12)
        .event(3, 13, Sal);
    assert_eq!(acceptance(&report(facts, 0, 100)), (4, 2, 1, 1, Some(2.0 / 3.0)));
    assert_eq!(acceptance(&report(Facts::default().event(1, 1, Lead), 0, 100)), (0, 0, 0, 0, None));
}

#[test]
fn stage_counts_and_conversion() {
    let facts = Facts::default()
        .event(1, 0, Subscriber)
        .event(1, 12, Lead)
        .event(1, 20, Mql)
        .event(1, 30, Sal)
        // Converts out of `mql` after the period.
        .event(2, 15, Lead)
        .event(2, 16, Mql)
        .event(2, 200, Opportunity)
        // `subscriber -> mql` skips `lead` and still converts.
        .event(3, 11, Subscriber)
        .event(3, 13, Mql)
        // Counted once however often the stage is reached.
        .event(4, 20, Lead)
        .event(4, 25, Recycled)
        .event(4, 30, Lead)
        .event(5, 50, Customer);
    let stages: Vec<_> = report(facts, 10, 100)
        .stages
        .iter()
        .map(|s| (s.stage, s.reached, s.converted, s.conversion_rate))
        .collect();
    assert_eq!(
        stages,
        vec![
            (Subscriber, 1, Some(1), Some(1.0)),
            (Lead, 3, Some(2), Some(2.0 / 3.0)),
            (Mql, 3, Some(2), Some(2.0 / 3.0)),
            (Sal, 1, Some(0), Some(0.0)),
            (Sql, 0, Some(0), None),
            (Opportunity, 0, Some(0), None),
            (Customer, 1, None, None),
        ]
    );
}

#[test]
fn time_in_stage_counts_stays_entered_in_the_period() {
    let facts = Facts::default()
        .event(1, 0, Lead)
        .handoff(1, 10)
        .handoff(1, 12)
        .event(1, 40, Sal)
        .event(2, 5, Lead)
        .event(2, 7, Mql)
        .rejection(2, 8, Some("junk"), None)
        .event(3, -10, Lead)
        .event(3, 50, Mql)
        .event(4, 90, Lead)
        .event(4, 150, Mql);
    let times: Vec<_> = report(facts, 0, 100)
        .time_in_stage
        .iter()
        .map(|t| (t.stage, t.stays, t.open, t.median_hours, t.p90_hours))
        .collect();
    assert_eq!(
        times,
        vec![
            (Subscriber, 0, 0, None, None),
            (Lead, 3, 0, Some(10.0), Some(60.0)),
            (Mql, 2, 1, Some(1.0), Some(30.0)),
            (Sal, 0, 1, None, None),
            (Sql, 0, 0, None, None),
            (Opportunity, 0, 0, None, None),
            (Customer, 0, 0, None, None),
            (Rejected, 0, 1, None, None),
            (Recycled, 0, 0, None, None),
            (Lost, 0, 0, None, None),
        ]
    );
}

#[test]
fn sla_met_breached_and_open() {
    let facts = Facts::default()
        .handoff(1, 10)
        .sales_touch(1, 20)
        .handoff(2, 10)
        .event(2, 40, Sal)
        // Exactly on the deadline is met.
        .handoff(3, 10)
        .sales_touch(3, 34)
        // No response, deadline long past at `now`.
        .handoff(4, 10)
        // No response yet, deadline ahead.
        .handoff(5, 290)
        // A touch before the handoff is no response to it.
        .sales_touch(6, 5)
        .handoff(6, 10)
        .rejection(6, 60, Some("junk"), None)
        // Without an owner there is no SLA clock.
        .event(7, 10, Mql)
        // A re-assignment starts the new owner's clock.
        .handoff(8, 100)
        .handoff(8, 110)
        .sales_touch(8, 120);
    let sla = funnel_report(&facts.build(), &params(0, 1000, 300, 24, None)).sla;
    let got = (sla.sla_hours, sla.handoffs, sla.met, sla.breached, sla.open, sla.breach_rate);
    assert_eq!(got, (24, 8, 4, 3, 1, Some(3.0 / 7.0)));
}

#[test]
fn rejection_reasons_with_recent_notes() {
    let mut facts = Facts::default();
    for (person, note) in [(1, "a"), (2, "  "), (3, "c"), (4, "d"), (5, "e")] {
        facts = facts.handoff(person, 0).rejection(person, person, Some("bad_fit"), Some(note));
    }
    let facts = facts
        .handoff(6, 0)
        .rejection(6, 6, Some("no_budget"), None)
        .handoff(8, 0)
        .rejection(8, 8, None, Some("legacy import"))
        // A rejection that decides no handoff is not counted.
        .event(7, 0, Lead)
        .rejection(7, 7, Some("duplicate"), Some("x"));
    let reasons: Vec<_> = report(facts, 0, 1000)
        .rejection_reasons
        .into_iter()
        .map(|r| (r.code, r.count, r.share, r.sample_notes))
        .collect();
    let strings = |notes: &[&str]| notes.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(
        reasons,
        vec![
            (Some("bad_fit".to_owned()), 5, 5.0 / 7.0, strings(&["e", "d", "c"])),
            (None, 1, 1.0 / 7.0, strings(&["legacy import"])),
            (Some("no_budget".to_owned()), 1, 1.0 / 7.0, vec![]),
        ]
    );
}

fn keyed(list: &[crate::KeyedAmounts]) -> Vec<(Option<&str>, u64, i64, i64)> {
    list.iter().map(|k| (k.key.as_deref(), k.deals, k.amount.get("USD"), k.amount.get("EUR"))).collect()
}

#[test]
fn pipeline_and_won_revenue_by_source_and_campaign() {
    let mut organic = person(1);
    organic.source = Some("organic".to_owned());
    organic.campaign = Some("Launch".to_owned());
    let mut paid = person(2);
    paid.source = Some("paid".to_owned());
    let outcome = |mut d: rapport_domain::OpportunityFact, outcome, close: Option<i64>| {
        d.outcome = outcome;
        d.close_date = close.map(at);
        d
    };
    let mut euro = deal(2, 2, 500, 20);
    euro.currency = "EUR".to_owned();
    let facts = Facts::default()
        .person(organic)
        .person(paid)
        .deal(deal(1, 1, 1000, 10))
        .deal(euro)
        .deal(outcome(deal(3, 1, 700, 30), OpportunityOutcome::Won, Some(50)))
        .deal(outcome(deal(4, 2, 300, -50), OpportunityOutcome::Won, Some(60)))
        .deal(outcome(deal(5, 1, 200, 40), OpportunityOutcome::Won, Some(150)))
        .deal(outcome(deal(6, 2, 900, 50), OpportunityOutcome::Lost, None))
        .deal(deal(7, 1, 100, 120));
    let report = report(facts, 0, 100);
    assert_eq!((report.pipeline.deals, report.pipeline.total.get("USD")), (2, 1000));
    assert_eq!(report.pipeline.total.get("EUR"), 500);
    assert_eq!(
        keyed(&report.pipeline.by_source),
        vec![(Some("organic"), 1, 1000, 0), (Some("paid"), 1, 0, 500)]
    );
    assert_eq!(keyed(&report.pipeline.by_campaign), vec![(None, 1, 0, 500), (Some("Launch"), 1, 1000, 0)]);
    let created = &report.pipeline_created;
    assert_eq!((created.deals, created.total.get("USD"), created.total.get("EUR")), (5, 2800, 500));
    assert_eq!((report.won_revenue.deals, report.won_revenue.total.get("USD")), (2, 1000));
    assert_eq!(
        keyed(&report.won_revenue.by_source),
        vec![(Some("organic"), 1, 700, 0), (Some("paid"), 1, 300, 0)]
    );
}

#[test]
fn cohorts_by_month_of_first_handoff() {
    let day = |d: i64| d * 24;
    let facts = Facts::default()
        .handoff(1, day(4))
        .event(1, day(5), Sal)
        .event(1, day(6), Opportunity)
        .event(1, day(7), Customer)
        .handoff(2, day(9))
        .rejection(2, day(10), Some("bad_fit"), None)
        .handoff(2, day(32))
        .handoff(3, day(-1))
        .handoff(4, day(40))
        .event(4, day(41), Opportunity);
    let cohorts: Vec<_> = report(facts, 0, day(60))
        .cohorts
        .into_iter()
        .map(|c| (c.month, c.mql, c.sal, c.opportunity, c.customer))
        .collect();
    assert_eq!(cohorts, vec![("2024-01".to_owned(), 2, 1, 1, 1), ("2024-02".to_owned(), 1, 1, 1, 0)]);
}

#[test]
fn groups_carry_the_headline_figures() {
    let with = |id: i64, source: Option<&str>, employees: Option<u32>| {
        let mut p = person(id);
        p.source = source.map(str::to_owned);
        p.employees = employees;
        p
    };
    let mut won = deal(2, 1, 500, 5);
    won.outcome = OpportunityOutcome::Won;
    won.close_date = Some(at(30));
    let facts = || {
        Facts::default()
            .person(with(1, Some("organic"), Some(10)))
            .person(with(2, Some("organic"), Some(300)))
            .person(with(3, None, None))
            .person(with(4, Some("paid"), None))
            .handoff(1, 10)
            .event(1, 11, Sal)
            .handoff(2, 10)
            .rejection(2, 12, Some("junk"), None)
            .handoff(3, 10)
            .deal(deal(1, 4, 1000, 20))
            .deal(won.clone())
            .build()
    };
    let rows = |group_by: Option<GroupBy>| {
        funnel_report(&facts(), &params(0, 100, 100, 24, group_by))
            .groups
            .into_iter()
            .map(|g| {
                let key = g.key.clone();
                (
                    key,
                    g.mql,
                    g.accepted,
                    g.rejected,
                    g.pending,
                    g.mql_acceptance_rate,
                    g.pipeline.get("USD"),
                    g.won.get("USD"),
                )
            })
            .collect::<Vec<_>>()
    };
    let s = |text: &str| Some(text.to_owned());
    assert_eq!(
        rows(Some(GroupBy::Source)),
        vec![
            (None, 1, 0, 0, 1, None, 0, 0),
            (s("organic"), 2, 1, 1, 0, Some(0.5), 0, 500),
            (s("paid"), 0, 0, 0, 0, None, 1000, 0),
        ]
    );
    assert_eq!(
        rows(Some(GroupBy::SizeBand)),
        vec![
            (s("1-49"), 1, 1, 0, 0, Some(1.0), 0, 500),
            (s("200-999"), 1, 0, 1, 0, Some(0.0), 0, 0),
            (s("unknown"), 1, 0, 0, 1, None, 1000, 0),
        ]
    );
    assert_eq!(rows(None), vec![]);
}

#[test]
fn input_order_does_not_change_the_report() {
    let facts = Facts::default()
        .person(person(1))
        .person(person(2))
        .handoff(1, 10)
        .sales_touch(1, 11)
        .event(1, 12, Sal)
        .handoff(2, 10)
        .sales_touch(2, 40)
        .rejection(2, 41, Some("junk"), Some("spam"))
        .build();
    let mut shuffled = facts.clone();
    shuffled.people.reverse();
    shuffled.events.reverse();
    shuffled.sales_touches.reverse();
    let params = params(0, 100, 100, 24, Some(GroupBy::Owner));
    assert_eq!(funnel_report(&shuffled, &params), funnel_report(&facts, &params));
}

#[test]
fn report_json_shape() {
    let mut ana = person(1);
    ana.source = Some("organic".to_owned());
    let facts = Facts::default()
        .person(ana)
        .person(person(2))
        .history(1, &[Stage::Subscriber, Stage::Lead])
        .handoff(1, 10)
        .sales_touch(1, 11)
        .event(1, 12, Sal)
        .event(1, 20, Opportunity)
        .handoff(2, 10)
        .rejection(2, 40, Some("bad_fit"), Some("student"))
        .deal(deal(1, 1, 1_234_500, 20))
        .build();
    let report = funnel_report(&facts, &params(0, 24 * 31, 24 * 40, 24, Some(GroupBy::Source)));
    insta::assert_json_snapshot!(report);
}
