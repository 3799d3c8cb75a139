//! Reconciliation: on many random workspaces, every figure of the funnel and attribution reports
//! equals the figure a naive, independently written implementation of the definitions computes,
//! and the reports' own totals add up.

#[path = "reconcile/generate.rs"]
mod generate;
#[path = "reconcile/naive_attribution.rs"]
mod naive_attribution;
#[path = "reconcile/naive_funnel.rs"]
mod naive_funnel;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rapport_funnel::{
    attribution_report, funnel_report, Amounts, AttributionModel, AttributionParams, AttributionReport,
    CreditRow, FunnelParams, FunnelReport, GroupBy,
};

use generate::hour;

const SEEDS: u64 = 400;

/// Compares section by section so a failure names the section and the seed, not a page of Debug.
fn assert_same_funnel(got: &FunnelReport, want: &FunnelReport, context: &str) {
    assert_eq!(
        (got.mql, got.accepted, got.rejected, got.pending, got.mql_acceptance_rate),
        (want.mql, want.accepted, want.rejected, want.pending, want.mql_acceptance_rate),
        "acceptance, {context}"
    );
    assert_eq!(got.stages, want.stages, "stages, {context}");
    assert_eq!(got.time_in_stage, want.time_in_stage, "time in stage, {context}");
    assert_eq!(got.sla, want.sla, "sla, {context}");
    assert_eq!(got.rejection_reasons, want.rejection_reasons, "rejection reasons, {context}");
    assert_eq!(got.pipeline, want.pipeline, "pipeline, {context}");
    assert_eq!(got.pipeline_created, want.pipeline_created, "pipeline created, {context}");
    assert_eq!(got.won_revenue, want.won_revenue, "won revenue, {context}");
    assert_eq!(got.cohorts, want.cohorts, "cohorts, {context}");
    assert_eq!(got.groups, want.groups, "groups, {context}");
    assert_eq!(got, want, "whole report, {context}");
}

/// Totals that must agree within one report, whatever the definitions.
fn assert_funnel_adds_up(report: &FunnelReport, context: &str) {
    assert_eq!(report.accepted + report.rejected + report.pending, report.mql, "{context}");
    let reasons: u64 = report.rejection_reasons.iter().map(|r| r.count).sum();
    assert_eq!(reasons, report.rejected, "reasons sum to rejected, {context}");
    let sla = &report.sla;
    assert_eq!(sla.met + sla.breached + sla.open, sla.handoffs, "{context}");
    let cohort_mql: u64 = report.cohorts.iter().map(|c| c.mql).sum();
    assert!(cohort_mql <= report.mql, "cohorts count people, at most one per handoff, {context}");
    for cohort in &report.cohorts {
        assert!(
            cohort.mql >= cohort.sal
                && cohort.sal >= cohort.opportunity
                && cohort.opportunity >= cohort.customer
        );
    }
    for breakdown in [&report.pipeline, &report.pipeline_created, &report.won_revenue] {
        for list in [&breakdown.by_source, &breakdown.by_campaign] {
            let mut sum = Amounts::default();
            list.iter().for_each(|row| sum.add_all(&row.amount));
            assert_eq!(sum, breakdown.total, "breakdown sums to its total, {context}");
            assert_eq!(list.iter().map(|row| row.deals).sum::<u64>(), breakdown.deals, "{context}");
        }
    }
    if report.group_by.is_some() {
        let groups = &report.groups;
        assert_eq!(groups.iter().map(|g| g.mql).sum::<u64>(), report.mql, "groups sum to mql, {context}");
        assert_eq!(groups.iter().map(|g| g.rejected).sum::<u64>(), report.rejected, "{context}");
        let mut pipeline = Amounts::default();
        let mut won = Amounts::default();
        for group in groups {
            pipeline.add_all(&group.pipeline);
            won.add_all(&group.won);
        }
        assert_eq!(pipeline, report.pipeline.total, "groups sum to pipeline, {context}");
        assert_eq!(won, report.won_revenue.total, "groups sum to won, {context}");
    }
}

fn credited(rows: &[CreditRow], won: bool) -> Amounts {
    let mut sum = Amounts::default();
    for row in rows {
        sum.add_all(if won { &row.credited_won } else { &row.credited_pipeline });
    }
    sum
}

fn assert_attribution_adds_up(report: &AttributionReport, context: &str) {
    for (rows, dimension) in [(&report.by_campaign, "campaign"), (&report.by_content, "content")] {
        assert_eq!(credited(rows, false), report.attributed.pipeline, "{dimension} pipeline, {context}");
        assert_eq!(credited(rows, true), report.attributed.won, "{dimension} won, {context}");
        assert!(rows.iter().all(|r| r.deals_touched <= report.attributed.deals), "{context}");
    }
    let mut total = report.attributed.pipeline.clone();
    total.add_all(&report.unattributed.pipeline);
    assert_eq!(total, report.total.pipeline, "attributed + unattributed = total, {context}");
    assert_eq!(report.attributed.deals + report.unattributed.deals, report.total.deals, "{context}");
    assert_eq!(report.unattributed.opportunities.len() as u64, report.unattributed.deals, "{context}");
}

/// A few periods per workspace: everything, a month, a narrow window, an empty one.
fn periods(rng: &mut ChaCha8Rng) -> Vec<(i64, i64)> {
    let start = rng.gen_range(-200..2000);
    vec![(-10_000, 10_000), (744, 1440), (start, start + rng.gen_range(1..400)), (500, 500)]
}

#[test]
fn funnel_report_matches_the_naive_definitions() {
    let group_bys = [
        None,
        Some(GroupBy::Source),
        Some(GroupBy::Campaign),
        Some(GroupBy::Owner),
        Some(GroupBy::Industry),
        Some(GroupBy::SizeBand),
    ];
    let mut checked_rates = 0;
    for seed in 0..SEEDS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (facts, _) = generate::facts(&mut rng);
        for (index, (from, to)) in periods(&mut rng).into_iter().enumerate() {
            let params = FunnelParams {
                from: hour(from),
                to: hour(to),
                now: hour(rng.gen_range(0..3000)),
                sla_hours: [0, 1, 24, 48][rng.gen_range(0..4)],
                group_by: group_bys[(seed as usize + index) % group_bys.len()],
            };
            let context = format!("seed {seed}, params {params:?}");
            let report = funnel_report(&facts, &params);
            assert_same_funnel(&report, &naive_funnel::funnel_report(&facts, &params), &context);
            assert_funnel_adds_up(&report, &context);
            checked_rates += usize::from(report.mql_acceptance_rate.is_some());
        }
    }
    // Guard against a generator that never exercises the interesting paths.
    assert!(checked_rates > SEEDS as usize, "only {checked_rates} reports had decided handoffs");
}

#[test]
fn attribution_report_matches_the_naive_definitions_for_every_model() {
    let mut attributed_deals = 0;
    for seed in 0..SEEDS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (_, facts) = generate::facts(&mut rng);
        for (from, to) in periods(&mut rng) {
            for model in AttributionModel::ALL {
                let params = AttributionParams { from: hour(from), to: hour(to), model };
                let context = format!("seed {seed}, params {params:?}");
                let report = attribution_report(&facts, &params);
                let naive = naive_attribution::attribution_report(&facts, &params);
                assert_eq!(report.by_campaign, naive.by_campaign, "by campaign, {context}");
                assert_eq!(report.by_content, naive.by_content, "by content, {context}");
                assert_eq!(report, naive, "{context}");
                assert_attribution_adds_up(&report, &context);
                attributed_deals += report.attributed.deals;
            }
        }
    }
    assert!(attributed_deals > 1000, "only {attributed_deals} attributed deals");
}

#[test]
fn reports_do_not_depend_on_input_order() {
    type Shuffle = fn(&mut rapport_domain::FunnelFacts);
    // Each input out of order on its own, then all together: every order check must notice.
    let shuffles: [(&str, Shuffle); 5] = [
        ("people", |f| f.people.reverse()),
        ("events", |f| f.events.reverse()),
        ("sales touches", |f| f.sales_touches.reverse()),
        ("opportunities", |f| f.opportunities.reverse()),
        ("everything", |f| {
            f.people.reverse();
            f.events.reverse();
            f.sales_touches.reverse();
            f.opportunities.reverse();
        }),
    ];
    for seed in 0..50 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (funnel, attribution) = generate::facts(&mut rng);
        let params = FunnelParams {
            from: hour(0),
            to: hour(2000),
            now: hour(2500),
            sla_hours: 24,
            group_by: Some(GroupBy::Source),
        };
        let expected = funnel_report(&funnel, &params);
        for (what, shuffle) in shuffles {
            let mut shuffled = funnel.clone();
            shuffle(&mut shuffled);
            assert_eq!(funnel_report(&shuffled, &params), expected, "seed {seed}, {what} reversed");
        }
        let mut shuffled = attribution.clone();
        shuffled.people.reverse();
        shuffled.opportunities.reverse();
        let params = AttributionParams { from: hour(-1000), to: hour(3000), model: AttributionModel::W };
        let (got, want) = (attribution_report(&shuffled, &params), attribution_report(&attribution, &params));
        // Deals count once per row whatever their order; only their ids' order could differ.
        assert_eq!(got, want, "seed {seed}");
    }
}
