//! JSON Schemas of the funnel and attribution reports (see `rapport-funnel` for what each
//! figure means).

use serde_json::{json, Value};

use crate::schemas::{array, integer, nullable, number, object, one_of, reference, string, time};

pub(crate) fn schemas() -> Vec<(&'static str, Value)> {
    let rate = || nullable(number());
    let amounts = || reference("Amounts");
    vec![
        (
            "Amounts",
            json!({
                "type": "object",
                "description": "Integer cents per ISO 4217 currency, e.g. {\"USD\": 1234500}; never converted.",
                "additionalProperties": integer()
            }),
        ),
        ("KeyedAmounts", object(&[("key", nullable(string())), ("deals", integer()), ("amount", amounts())])),
        (
            "RevenueBreakdown",
            object(&[
                ("deals", integer()),
                ("total", amounts()),
                ("by_source", array(reference("KeyedAmounts"))),
                ("by_campaign", array(reference("KeyedAmounts"))),
            ]),
        ),
        (
            "StageCount",
            object(&[
                ("stage", reference("Stage")),
                ("reached", integer()),
                ("next_stage", nullable(reference("Stage"))),
                ("converted", nullable(integer())),
                ("conversion_rate", rate()),
            ]),
        ),
        (
            "TimeInStage",
            object(&[
                ("stage", reference("Stage")),
                ("stays", integer()),
                ("open", integer()),
                ("median_hours", rate()),
                ("p90_hours", rate()),
            ]),
        ),
        (
            "SlaReport",
            object(&[
                ("sla_hours", integer()),
                ("handoffs", integer()),
                ("met", integer()),
                ("breached", integer()),
                ("open", integer()),
                ("breach_rate", rate()),
            ]),
        ),
        (
            "RejectionReason",
            object(&[
                ("code", nullable(string())),
                ("count", integer()),
                ("share", number()),
                ("sample_notes", array(string())),
            ]),
        ),
        (
            "Cohort",
            object(&[
                ("month", string()),
                ("mql", integer()),
                ("sal", integer()),
                ("opportunity", integer()),
                ("customer", integer()),
            ]),
        ),
        (
            "GroupRow",
            object(&[
                ("key", nullable(string())),
                ("mql", integer()),
                ("accepted", integer()),
                ("rejected", integer()),
                ("pending", integer()),
                ("mql_acceptance_rate", rate()),
                ("pipeline", amounts()),
                ("won", amounts()),
            ]),
        ),
        (
            "FunnelReport",
            object(&[
                ("from", time()),
                ("to", time()),
                ("now", time()),
                ("group_by", nullable(one_of(&["source", "campaign", "owner", "industry", "size_band"]))),
                ("mql", integer()),
                ("accepted", integer()),
                ("rejected", integer()),
                ("pending", integer()),
                ("mql_acceptance_rate", rate()),
                ("stages", array(reference("StageCount"))),
                ("time_in_stage", array(reference("TimeInStage"))),
                ("sla", reference("SlaReport")),
                ("rejection_reasons", array(reference("RejectionReason"))),
                ("pipeline", reference("RevenueBreakdown")),
                ("pipeline_created", reference("RevenueBreakdown")),
                ("won_revenue", reference("RevenueBreakdown")),
                ("cohorts", array(reference("Cohort"))),
                ("groups", array(reference("GroupRow"))),
            ]),
        ),
        ("DealTotals", object(&[("deals", integer()), ("pipeline", amounts()), ("won", amounts())])),
        (
            "UnattributedDeals",
            object(&[
                ("deals", integer()),
                ("pipeline", amounts()),
                ("won", amounts()),
                ("opportunities", array(integer())),
            ]),
        ),
        (
            "CreditRow",
            object(&[
                ("key", nullable(string())),
                ("deals_touched", integer()),
                ("touches", integer()),
                ("credited_pipeline", amounts()),
                ("credited_won", amounts()),
            ]),
        ),
        (
            "AttributionReport",
            object(&[
                ("from", time()),
                ("to", time()),
                ("model", one_of(&["first", "last", "linear", "w"])),
                ("total", reference("DealTotals")),
                ("attributed", reference("DealTotals")),
                ("unattributed", reference("UnattributedDeals")),
                ("by_campaign", array(reference("CreditRow"))),
                ("by_content", array(reference("CreditRow"))),
            ]),
        ),
    ]
}
