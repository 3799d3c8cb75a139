//! `rapport score train|explain|report|refresh`: the model learned from outcomes, scores and
//! their reasons, and whether the score still predicts anything.

use chrono::Utc;
use rapport_app::scoring::{self, report, Target, TrainOutcome};
use rapport_store::Store;

use super::acting;
use crate::cli_scoring::{ScoringCommand, TargetArg};

pub fn score(store: &dyn Store, command: ScoringCommand) -> anyhow::Result<()> {
    match command {
        ScoringCommand::Train { target, json, user } => {
            let user = acting::or_operator(store, &user)?;
            let target = match target {
                TargetArg::Accepted => Target::Accepted,
                TargetArg::Opportunity => Target::Opportunity,
                TargetArg::Won => Target::Won,
            };
            let outcome = scoring::train(store, &user, target, Utc::now())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&outcome)?);
                return Ok(());
            }
            match outcome {
                TrainOutcome::Trained { version, metrics } => {
                    println!(
                        "model version {version} (target {}): AUC {:.3}, log loss {:.3}, lift at 10% {:.2} on the {} latest handoffs (rules' AUC {:.3})",
                        target.as_str(),
                        metrics.auc,
                        metrics.logloss,
                        metrics.lift_at_10,
                        metrics.test_rows,
                        metrics.rules_auc
                    );
                    for warning in &metrics.drift_warnings {
                        println!("warning: {warning}");
                    }
                    println!("run `rapport score refresh` to rescore everyone with it");
                }
                TrainOutcome::TooFewOutcomes { message, .. } => println!("{message}"),
            }
        }
        ScoringCommand::Explain { email, json, user } => {
            let user = acting::or_operator(store, &user)?;
            let details = scoring::explain(store, &user, &email, Utc::now())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&details)?);
                return Ok(());
            }
            let probability =
                details.probability.map_or("no model yet".into(), |p| format!("{:.0}%", p * 100.0));
            println!(
                "{}: grade {}, fit {:.1}, engagement {:.1}, total {:.1}, probability {}{}",
                details.email,
                details.grade.as_str(),
                details.fit,
                details.engagement,
                details.total,
                probability,
                if details.qualifies { ", qualifies as MQL" } else { "" }
            );
            for reason in &details.reasons.rules {
                println!("  rule   {}", reason.text);
            }
            for reason in &details.reasons.model {
                println!("  model  {}", reason.text);
            }
        }
        ScoringCommand::Report { json, user } => {
            let user = acting::or_operator(store, &user)?;
            let report = report::report(store, &user)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            print_report(&report);
        }
        ScoringCommand::Refresh { user } => {
            let user = acting::or_operator(store, &user)?;
            let summary = scoring::refresh(store, &user, Utc::now())?;
            let grades: Vec<String> = summary.by_grade.iter().map(|(g, n)| format!("{g}: {n}")).collect();
            println!(
                "scored {} people ({} qualify as MQL; {}) with definition {} and model {}",
                summary.people,
                summary.qualified,
                grades.join(", "),
                summary.definition_version.map_or("default".into(), |v| format!("v{v}")),
                summary.model_version.map_or("none (rules only)".into(), |v| format!("v{v}"))
            );
        }
    }
    Ok(())
}

fn print_report(report: &report::ScoreReport) {
    println!(
        "definition: {}",
        report.definition_version.map_or("default (none approved)".into(), |v| format!("version {v}"))
    );
    match &report.model {
        None => println!("model: none"),
        Some(model) => {
            let m = &model.metrics;
            println!(
                "model: version {} (target {}), trained {} on {} handoffs; tested on the {} from {}",
                model.version,
                model.target,
                model.trained_at.format("%Y-%m-%d"),
                model.rows,
                m.test_rows,
                m.test_from.format("%Y-%m-%d")
            );
            println!(
                "  AUC {:.3} (rules {:.3}), log loss {:.3}, lift at 10% {:.2}, base rate {:.1}%",
                m.auc,
                m.rules_auc,
                m.logloss,
                m.lift_at_10,
                m.base_rate * 100.0
            );
            println!("  calibration (predicted → observed):");
            for bin in &m.calibration {
                println!(
                    "    {:>4.0}–{:<4.0}% {:>5} people  {:>5.1}% → {:>5.1}%",
                    bin.lower * 100.0,
                    bin.upper * 100.0,
                    bin.count,
                    bin.mean_predicted * 100.0,
                    bin.observed_rate * 100.0
                );
            }
            println!("  lift by decile:");
            for decile in &m.deciles {
                println!(
                    "    {:>2}  {:>5} people  {:>5.1}%  lift {:.2}",
                    decile.decile,
                    decile.count,
                    decile.positive_rate * 100.0,
                    decile.lift
                );
            }
            println!("  conversion per grade:");
            for grade in &m.conversion_by_grade {
                let rate = grade.rate.map_or("-".into(), |r| format!("{:.1}%", r * 100.0));
                println!("    {}  {:>5} people  {rate}", grade.grade.as_str(), grade.people);
            }
        }
    }
    let grades: Vec<String> = report.by_grade.iter().map(|(g, n)| format!("{g}: {n}")).collect();
    println!("scores: {} people, {} qualify; {}", report.scored_people, report.qualified, grades.join(", "));
    for warning in &report.warnings {
        println!("warning: {warning}");
    }
}
