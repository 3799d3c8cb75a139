//! How today's stored scores spread: people per grade and a histogram of probabilities (or
//! points, before a model), each bar a link to the people behind it (`?grade=B`, `?bar=7`),
//! listed below the charts with their score, only those the viewer may see.

use maud::{html, Markup};

use super::scoring::ScoringData;
use crate::charts::{bar_chart, Datum};
use crate::format::{date, query_escape, thousands};
use crate::score_cache::{HistogramOf, ScoreSummary, BARS, GRADES};

/// A histogram bar's range: `70–80%` or `20 to 30` (points).
fn bar_range(summary: &ScoreSummary, bar: usize) -> String {
    let (low, high) = (summary.edges[bar], summary.edges[(bar + 1).min(BARS)]);
    match summary.histogram_of {
        HistogramOf::Probability => format!("{:.0}–{:.0}%", low * 100.0, high * 100.0),
        HistogramOf::Points => format!("{low:.0} to {high:.0}"),
    }
}

/// A histogram bar in words: `probability 70–80%` or `points 20 to 30`.
pub(crate) fn bar_label(summary: &ScoreSummary, bar: usize) -> String {
    match summary.histogram_of {
        HistogramOf::Probability => format!("probability {}", bar_range(summary, bar)),
        HistogramOf::Points => format!("points {}", bar_range(summary, bar)),
    }
}

fn value_text(summary: &ScoreSummary, value: f64) -> String {
    match summary.histogram_of {
        HistogramOf::Probability => format!("{:.1}%", value * 100.0),
        HistogramOf::Points => format!("{value:.0} points"),
    }
}

pub(crate) fn section(data: &ScoringData) -> Markup {
    let summary = &data.summary;
    let grades: Vec<Datum> = GRADES
        .iter()
        .zip(summary.by_grade)
        .map(|(grade, people)| Datum {
            label: format!("Grade {grade}"),
            value: people as f64,
            display: thousands(people as i64),
            href: format!("/scoring?grade={grade}#people"),
        })
        .collect();
    let bars: Vec<Datum> = (0..BARS)
        .map(|bar| Datum {
            label: bar_range(summary, bar),
            value: summary.counts[bar] as f64,
            display: thousands(summary.counts[bar] as i64),
            href: format!("/scoring?bar={bar}#people"),
        })
        .collect();
    let histogram_title = match summary.histogram_of {
        HistogramOf::Probability => "People by the model's probability",
        HistogramOf::Points => "People by the definition's points",
    };
    html! {
        section.card #distribution {
            h2 { "Score distribution" }
            @if summary.people.is_empty() {
                p.muted #no-scores { "No stored scores yet: " code { "rapport score refresh" } " scores everyone with the active definition and the latest model." }
            } @else {
                p.muted { (thousands(summary.people.len() as i64)) " people scored; " (thousands(summary.qualified as i64))
                    " qualify as MQL. Each bar lists the people behind it." }
                div.grid {
                    div { (bar_chart("grades", "People per grade", &grades, false)) }
                    div { (bar_chart("histogram", histogram_title, &bars, false)) }
                }
            }
            @if let Some(list) = &data.people { (people(summary, list)) }
        }
    }
}

fn people(summary: &ScoreSummary, list: &super::scoring::DrillList) -> Markup {
    html! {
        h3 #people { "People: " (list.description) }
        p #scoring-people-summary {
            strong { (thousands(list.total as i64)) } " people"
            @if list.total > list.people.len() { ", the " (list.people.len()) " with the highest scores shown" }
            "."
            @if list.hidden > 0 { " " (thousands(list.hidden as i64)) " more are other reps' leads, which you do not see." }
        }
        div.table-wrap {
            table #scoring-people {
                thead { tr { th { "Email" } th { "Name" } th { "Score" } th { "Stage" } th { "Since" } th { "Owner" } } }
                tbody {
                    @for (person, value) in &list.people {
                        @let record = &person.person.record;
                        tr {
                            td { a href=(format!("/people/{}", query_escape(record.email.as_str()))) { (record.email.as_str()) } }
                            td { (record.first_name.as_deref().unwrap_or("")) " " (record.last_name.as_deref().unwrap_or("")) }
                            td.num { (value_text(summary, *value)) }
                            td { (person.stage.map_or("–", |s| s.as_str())) }
                            td { (person.stage_since.map(date).unwrap_or_default()) }
                            td { (person.owner_email.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            }
        }
    }
}
