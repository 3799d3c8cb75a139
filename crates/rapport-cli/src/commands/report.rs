//! `rapport report`: the funnel and attribution reports, as JSON or as a terminal summary.
//!
//! The terminal summary reads the report through its JSON form, so this file shows exactly the
//! figures the API and `--json` give, under the same names.

use chrono::Utc;
use rapport_app::reports::{self, ReportQuery};
use rapport_domain::FactsFilter;
use rapport_funnel::{AttributionModel, GroupBy};
use rapport_store::Store;
use serde_json::Value;

use crate::cli::{FilterArgs, GroupByArg, ModelArg, ReportCommand};
use crate::config::Config;
use crate::period;

pub fn report(store: &dyn Store, config: &Config, command: ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Funnel { period, filter, by, json } => {
            let (from, to) = period::resolve(period.from.as_deref(), period.to.as_deref())?;
            let query = ReportQuery { from, to, filter: filter_of(filter) };
            let report = reports::funnel(store, &query, by.map(group_by), config.sla_hours, Utc::now())?;
            let value = serde_json::to_value(&report)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                print_funnel(&value);
            }
        }
        ReportCommand::Attribution { model, period, filter, json } => {
            let (from, to) = period::resolve(period.from.as_deref(), period.to.as_deref())?;
            let query = ReportQuery { from, to, filter: filter_of(filter) };
            let report = reports::attribution(store, &query, attribution_model(model))?;
            let value = serde_json::to_value(&report)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                print_attribution(&value);
            }
        }
        ReportCommand::Voc(args) => super::voc::voc(store, &args)?,
        ReportCommand::Team(args) => super::team::team(store, &args)?,
    }
    Ok(())
}

fn filter_of(args: FilterArgs) -> FactsFilter {
    FactsFilter {
        source: args.source,
        campaign: args.campaign,
        owner: args.owner,
        industry: args.industry,
        size_band: args.size_band,
    }
}

fn group_by(arg: GroupByArg) -> GroupBy {
    match arg {
        GroupByArg::Source => GroupBy::Source,
        GroupByArg::Campaign => GroupBy::Campaign,
        GroupByArg::Owner => GroupBy::Owner,
        GroupByArg::Industry => GroupBy::Industry,
        GroupByArg::SizeBand => GroupBy::SizeBand,
    }
}

fn attribution_model(arg: ModelArg) -> AttributionModel {
    match arg {
        ModelArg::First => AttributionModel::First,
        ModelArg::Last => AttributionModel::Last,
        ModelArg::Linear => AttributionModel::Linear,
        ModelArg::W => AttributionModel::W,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f:.3}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn percent(value: &Value) -> String {
    value.as_f64().map_or_else(|| "-".to_owned(), |rate| format!("{:.1}%", rate * 100.0))
}

/// Amounts are integer cents per currency (`{"USD": 1234500}`), never added across currencies.
fn money(amounts: &Value) -> String {
    let Some(by_currency) = amounts.as_object().filter(|m| !m.is_empty()) else { return "0".to_owned() };
    by_currency
        .iter()
        .map(|(currency, cents)| {
            let cents = cents.as_i64().unwrap_or_default();
            format!("{currency} {}.{:02}", cents / 100, (cents % 100).abs())
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn print_funnel(report: &Value) {
    println!(
        "MQLs handed over: {}   accepted: {}   rejected: {}   pending: {}",
        text(&report["mql"]),
        text(&report["accepted"]),
        text(&report["rejected"]),
        text(&report["pending"])
    );
    println!("MQL acceptance rate: {}", percent(&report["mql_acceptance_rate"]));
    println!("\nstages:");
    for stage in report["stages"].as_array().into_iter().flatten() {
        println!(
            "  {:<12} {:>9}   → next {}",
            text(&stage["stage"]),
            text(&stage["reached"]),
            percent(&stage["conversion_rate"])
        );
    }
    println!("\nrejection reasons:");
    for reason in report["rejection_reasons"].as_array().into_iter().flatten() {
        println!(
            "  {:<16} {:>7}  {}",
            text(&reason["code"]),
            text(&reason["count"]),
            percent(&reason["share"])
        );
    }
    let sla = &report["sla"];
    println!(
        "\nSLA ({} h): {} handoffs, {} breached ({})",
        text(&sla["sla_hours"]),
        text(&sla["handoffs"]),
        text(&sla["breached"]),
        percent(&sla["breach_rate"])
    );
    println!("pipeline (open): {}", money(&report["pipeline"]["total"]));
    println!("won revenue:     {}", money(&report["won_revenue"]["total"]));
    if let Some(groups) = report["groups"].as_array().filter(|g| !g.is_empty()) {
        println!(
            "\n{:<28} {:>8} {:>8} {:>8} {:>8} {:>9}",
            "group", "mql", "accepted", "rejected", "pending", "rate"
        );
        for group in groups {
            println!(
                "{:<28} {:>8} {:>8} {:>8} {:>8} {:>9}",
                text(&group["key"]),
                text(&group["mql"]),
                text(&group["accepted"]),
                text(&group["rejected"]),
                text(&group["pending"]),
                percent(&group["mql_acceptance_rate"])
            );
        }
    }
}

fn print_attribution(report: &Value) {
    println!(
        "model {}: {} deals, pipeline {}, won {}; unattributed: {} deals",
        text(&report["model"]),
        text(&report["total"]["deals"]),
        money(&report["total"]["pipeline"]),
        money(&report["total"]["won"]),
        text(&report["unattributed"]["deals"])
    );
    for (title, key) in [("campaigns", "by_campaign"), ("content", "by_content")] {
        println!("\n{title}:");
        println!("  {:<44} {:>18} {:>18} {:>6}", "", "credited pipeline", "credited won", "deals");
        for row in report[key].as_array().into_iter().flatten() {
            println!(
                "  {:<44} {:>18} {:>18} {:>6}",
                text(&row["key"]),
                money(&row["credited_pipeline"]),
                money(&row["credited_won"]),
                text(&row["deals_touched"])
            );
        }
    }
}
