//! Is the score still predicting outcomes? The latest model's figures on its test period (the
//! latest quarter of handoffs it never trained on): AUC, log loss, calibration against the
//! diagonal, lift by decile, conversion per grade of the rules, drift warnings, and AUC over
//! the model versions next to the rules' AUC on the same rows. Without a model, the page says
//! that the rules decide and how to train one.

use maud::{html, Markup};
use rapport_store::DefinitionStatus;

use super::scoring::{ModelRow, ScoringData};
use crate::charts::{bar_chart, Datum};
use crate::charts_xy::{calibration_chart, series_chart, Axis, Series, XyPoint};
use crate::format::{date, date_time, percent, thousands};

/// The figures at the top of the page, each a link to the section that explains it.
pub(crate) fn kpis(data: &ScoringData) -> Markup {
    let kpi = |name: &str, value: String, href: &str| {
        html! { a.kpi href=(href) { span.value { (value) } span.name { (name) } } }
    };
    let active = data.versions.iter().find(|v| v.status == DefinitionStatus::Active);
    let latest = data.models.first().and_then(|m| m.metrics.as_ref().map(|metrics| (m, metrics)));
    html! {
        div.kpis #scoring-kpis {
            (kpi("Lead definition", active.map_or("default".to_owned(), |v| format!("v{}", v.version)), "#definition"))
            (kpi("Drafts waiting", data.versions.iter().filter(|v| v.status == DefinitionStatus::Draft).count().to_string(), "#versions"))
            (kpi("Model AUC", latest.map_or("–".to_owned(), |(_, m)| format!("{:.3}", m.auc)), "#model"))
            (kpi("People scored", thousands(data.summary.people.len() as i64), "#distribution"))
            (kpi("Qualify as MQL", thousands(data.summary.qualified as i64), "#distribution"))
        }
    }
}

pub(crate) fn section(data: &ScoringData) -> Markup {
    let Some((model, metrics)) = data.models.first().and_then(|m| m.metrics.as_ref().map(|x| (m, x))) else {
        return html! {
            section.card #model {
                h2 { "Model accuracy" }
                p #no-model { "No model has been trained yet, so the lead definition's rules decide every score and grade. "
                    "Once enough handed-over leads have an outcome, train one with "
                    code { "rapport score train --target accepted" } " and refresh the scores with " code { "rapport score refresh" } "." }
            }
        };
    };
    html! {
        section.card #model {
            h2 { "Model accuracy" }
            p.muted {
                "Model v" (model.version) ", predicting " strong { (model.target) } ", trained " (date_time(model.trained_at))
                " on " (thousands(model.rows)) " handed-over leads. Figures are from its test period: the "
                (thousands(metrics.test_rows as i64)) " handoffs since " (date(metrics.test_from))
                ", which it did not train on (" (percent(Some(metrics.base_rate))) " of them reached the target)."
            }
            p #model-figures {
                "AUC " strong { (format!("{:.3}", metrics.auc)) } " (the rules alone: " (format!("{:.3}", metrics.rules_auc)) ")"
                " · log loss " strong { (format!("{:.3}", metrics.logloss)) }
                " · lift in the top 10% " strong { (format!("{:.2}×", metrics.lift_at_10)) }
            }
            @for warning in &metrics.drift_warnings { p.message.error role="alert" { (warning) } }
            div.grid {
                div { (calibration(metrics)) }
                div { (lift(metrics)) }
                div { (auc_over_time(&data.models)) }
                div { (conversion(metrics)) }
            }
            (deciles_table(metrics))
        }
    }
}

fn calibration(metrics: &rapport_app::scoring::train::ModelMetrics) -> Markup {
    let points: Vec<XyPoint> = metrics
        .calibration
        .iter()
        .map(|bin| {
            let bar = (bin.lower * 10.0).round() as usize;
            XyPoint {
                label: format!("{:.0}–{:.0}%", bin.lower * 100.0, bin.upper * 100.0),
                x: bin.mean_predicted,
                y: bin.observed_rate,
                display: format!(
                    "predicted {}, observed {} of {} leads",
                    percent(Some(bin.mean_predicted)),
                    percent(Some(bin.observed_rate)),
                    bin.count
                ),
                // The test period's rows are not kept; the people scored in this band today are.
                href: format!("/scoring?bar={bar}#people"),
            }
        })
        .collect();
    calibration_chart("calibration", "Calibration: predicted probability against observed rate", &points)
}

fn lift(metrics: &rapport_app::scoring::train::ModelMetrics) -> Markup {
    let bars: Vec<Datum> = metrics
        .deciles
        .iter()
        .map(|row| Datum {
            label: format!("Decile {}", row.decile),
            value: row.lift,
            display: format!("{:.2}×", row.lift),
            href: format!("#decile-{}", row.decile),
        })
        .collect();
    bar_chart("lift", "Lift by decile (1 = the highest scores)", &bars, false)
}

fn auc_over_time(models: &[ModelRow]) -> Markup {
    let ordered: Vec<&ModelRow> = models.iter().rev().filter(|m| m.metrics.is_some()).collect();
    let labels: Vec<String> =
        ordered.iter().map(|m| format!("v{} {}", m.version, date(m.trained_at))).collect();
    let series = |name: &str, value: fn(&rapport_app::scoring::train::ModelMetrics) -> f64| Series {
        name: name.to_owned(),
        points: ordered
            .iter()
            .zip(&labels)
            .map(|(model, label)| {
                model.metrics.as_ref().map(|metrics| Datum {
                    label: label.clone(),
                    value: value(metrics),
                    display: format!("AUC {:.3} ({})", value(metrics), model.target),
                    href: format!("#model-{}", model.version),
                })
            })
            .collect(),
    };
    let lines = [series("model", |m| m.auc), series("rules alone", |m| m.rules_auc)];
    html! {
        (series_chart("auc-history", "AUC over model versions", &labels, &lines, Axis::Unit))
        div.table-wrap {
            table #models {
                thead { tr { th { "Model" } th { "Target" } th { "Trained" } th.num { "Rows" } th.num { "AUC" } } }
                tbody {
                    @for model in models {
                        tr id=(format!("model-{}", model.version)) {
                            td { "v" (model.version) } td { (model.target) } td { (date_time(model.trained_at)) }
                            td.num { (thousands(model.rows)) }
                            td.num { (model.metrics.as_ref().map_or("–".to_owned(), |m| format!("{:.3}", m.auc))) }
                        }
                    }
                }
            }
        }
    }
}

fn conversion(metrics: &rapport_app::scoring::train::ModelMetrics) -> Markup {
    let bars: Vec<Datum> = metrics
        .conversion_by_grade
        .iter()
        .map(|row| Datum {
            label: format!("Grade {}", row.grade.as_str()),
            value: row.rate.unwrap_or(0.0),
            display: format!("{} ({} of {})", percent(row.rate), row.converted, row.people),
            href: format!("/scoring?grade={}#people", row.grade.as_str()),
        })
        .collect();
    bar_chart("grade-conversion", "Conversion per grade of the rules, on the test period", &bars, true)
}

fn deciles_table(metrics: &rapport_app::scoring::train::ModelMetrics) -> Markup {
    html! {
        div.table-wrap {
            table #deciles {
                thead { tr { th { "Decile" } th.num { "Leads" } th.num { "Reached the target" } th.num { "Rate" } th.num { "Lift" } th.num { "Share of all found" } } }
                tbody {
                    @for row in &metrics.deciles {
                        tr id=(format!("decile-{}", row.decile)) {
                            td { (row.decile) } td.num { (row.count) } td.num { (row.positives) }
                            td.num { (percent(Some(row.positive_rate))) } td.num { (format!("{:.2}×", row.lift)) }
                            td.num { (percent(Some(row.cumulative_capture))) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::score_cache::ScoreSummary;

    #[test]
    fn without_a_model_the_page_says_the_rules_decide() {
        let data = ScoringData {
            versions: Vec::new(),
            active_document: String::new(),
            models: Vec::new(),
            summary: Arc::new(ScoreSummary::from_rows(&[], 0)),
            backtest: None,
            people: None,
        };
        let html = section(&data).into_string();
        assert!(html.contains("id=\"no-model\"") && html.contains("rapport score train"), "{html}");
        assert!(!html.contains("id=\"calibration\""), "no charts without a model: {html}");
        assert!(kpis(&data).into_string().contains("default"), "the default definition in the figures");
    }
}
