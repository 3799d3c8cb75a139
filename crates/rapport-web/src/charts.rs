//! SVG charts drawn on the server: horizontal bars, stacked columns, a line and a funnel.
//!
//! Every chart has an accessible name (`<title>`) and description (`<desc>`), axes with
//! labelled ticks, and every bar, segment or point is a link to the rows behind it (its
//! `href`), with its exact value in a tooltip. Labels come from data (campaign names, reason
//! codes) and are escaped by `maud` like everything else; long ones are shortened on screen and
//! kept whole in the tooltip. Colours come from CSS classes (`series-0` …), so the stylesheet
//! owns the palette.

use maud::{html, Markup};

/// One bar or point: what it is, how big, how to show the value, and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Datum {
    pub label: String,
    pub value: f64,
    /// The value as the page shows it (`45.2%`, `USD 12,000`, `318`).
    pub display: String,
    pub href: String,
}

/// A stacked column: its label and one segment per series (same order as the series names).
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub label: String,
    pub segments: Vec<Datum>,
}

/// One funnel stage and the share of it that went on to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelStep {
    pub datum: Datum,
    /// Shown between this stage and the next (`42.0% → sal`).
    pub conversion: Option<String>,
}

pub(crate) const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 170.0;
const ROW: f64 = 26.0;
const MAX_LABEL_CHARS: usize = 24;

pub(crate) fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// Tick values for an axis from 0 to at least `max`: 0 and four more, rounded to a 1-2-5 step.
pub fn ticks(max: f64) -> Vec<f64> {
    // NaN and infinities are not finite, so they land here with zero and negatives.
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let rough = max / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step =
        [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= rough).unwrap_or(rough);
    let count = (max / step).ceil() as usize;
    (0..=count.max(1)).map(|i| i as f64 * step).collect()
}

fn tick_label(value: f64, percent: bool) -> String {
    if percent {
        format!("{:.0}%", value * 100.0)
    } else if value >= 1_000_000.0 {
        format!("{:.1}M", value / 1_000_000.0)
    } else if value >= 10_000.0 {
        format!("{:.0}k", value / 1000.0)
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The ticks of an axis from 0 to at least `max`, and the value at its top.
fn axis(max: f64) -> (Vec<f64>, f64) {
    let ticks = ticks(max);
    let top = *ticks.last().unwrap_or(&1.0);
    (ticks, top)
}

/// The largest value to plot: 100% for shares, else the largest datum.
fn largest(data: &[Datum], percent: bool) -> f64 {
    if percent {
        1.0
    } else {
        data.iter().map(|d| d.value).fold(0.0, f64::max)
    }
}

/// A chart's text alternative listing every datum: "3 bars: a 10%; b 20%; c 5%".
fn listing(noun: &str, data: &[Datum]) -> String {
    format!(
        "{} {noun}: {}",
        data.len(),
        data.iter().map(|d| format!("{} {}", d.label, d.display)).collect::<Vec<_>>().join("; ")
    )
}

pub(crate) fn frame(id: &str, title: &str, description: &str, height: f64, body: Markup) -> Markup {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        figure.chart id=(id) {
            svg role="img" aria-labelledby=(format!("{title_id} {desc_id}"))
                viewBox=(format!("0 0 {WIDTH} {height}")) preserveAspectRatio="xMinYMin meet" {
                title id=(title_id) { (title) }
                desc id=(desc_id) { (description) }
                (body)
            }
            figcaption { (title) }
        }
    }
}

/// Horizontal bars, one row per datum, scaled to the largest (or to 1 for shares).
pub fn bar_chart(id: &str, title: &str, data: &[Datum], percent: bool) -> Markup {
    if data.is_empty() {
        return empty(title);
    }
    let (ticks, top) = axis(largest(data, percent));
    let plot = WIDTH - LABEL_WIDTH - 90.0;
    let x = |value: f64| LABEL_WIDTH + plot * (value / top).clamp(0.0, 1.0);
    let height = data.len() as f64 * ROW + 30.0;
    let description = listing("bars", data);
    frame(
        id,
        title,
        &description,
        height,
        html! {
            g.axis {
                @for tick in &ticks {
                    line.grid x1=(x(*tick)) x2=(x(*tick)) y1="0" y2=(height - 24.0) {}
                    text.tick x=(x(*tick)) y=(height - 8.0) text-anchor="middle" { (tick_label(*tick, percent)) }
                }
            }
            @for (row, datum) in data.iter().enumerate() {
                @let y = row as f64 * ROW + 4.0;
                a.datum href=(datum.href) {
                    title { (datum.label) ": " (datum.display) }
                    text.label x=(LABEL_WIDTH - 8.0) y=(y + 14.0) text-anchor="end" { (short(&datum.label)) }
                    rect.bar.series-0 x=(LABEL_WIDTH) y=(y) width=(format!("{:.1}", (x(datum.value) - LABEL_WIDTH).max(1.0))) height=(ROW - 8.0) {}
                    text.value x=(x(datum.value) + 6.0) y=(y + 14.0) { (datum.display) }
                }
            }
        },
    )
}

/// Columns stacked from the series (`names`), one column per stack, with a legend.
pub fn stacked_chart(id: &str, title: &str, names: &[&str], stacks: &[Stack]) -> Markup {
    if stacks.is_empty() {
        return empty(title);
    }
    let (ticks, top) =
        axis(stacks.iter().map(|s| s.segments.iter().map(|d| d.value).sum::<f64>()).fold(0.0, f64::max));
    let (left, bottom, plot_top, height) = (50.0, 210.0, 30.0, 240.0);
    let column = (WIDTH - left - 10.0) / stacks.len() as f64;
    let y = |value: f64| bottom - (bottom - plot_top) * (value / top).clamp(0.0, 1.0);
    let description = format!("{} columns of {}", stacks.len(), names.join(", "));
    frame(
        id,
        title,
        &description,
        height,
        html! {
            g.legend {
                @for (index, name) in names.iter().enumerate() {
                    rect class=(format!("series-{index}")) x=(left + index as f64 * 130.0) y="4" width="12" height="12" {}
                    text x=(left + index as f64 * 130.0 + 16.0) y="14" { (name) }
                }
            }
            g.axis {
                @for tick in &ticks {
                    line.grid x1=(left) x2=(WIDTH - 10.0) y1=(y(*tick)) y2=(y(*tick)) {}
                    text.tick x=(left - 6.0) y=(y(*tick) + 4.0) text-anchor="end" { (tick_label(*tick, false)) }
                }
            }
            @for (index, stack) in stacks.iter().enumerate() {
                @let x0 = left + index as f64 * column + column * 0.15;
                @for (series, (low, high, datum)) in cumulative(&stack.segments).into_iter().enumerate() {
                    a.datum href=(datum.href) {
                        title { (stack.label) ", " (names.get(series).copied().unwrap_or("")) ": " (datum.display) }
                        rect class=(format!("series-{series}")) x=(format!("{x0:.1}")) y=(format!("{:.1}", y(high)))
                            width=(format!("{:.1}", column * 0.7)) height=(format!("{:.1}", (y(low) - y(high)).max(0.0))) {}
                    }
                }
                text.tick x=(format!("{:.1}", x0 + column * 0.35)) y=(bottom + 16.0) text-anchor="middle" { (short(&stack.label)) }
            }
        },
    )
}

/// A line through the points, left to right, each point a link; `percent` scales to 0–100%.
pub fn line_chart(id: &str, title: &str, points: &[Datum], percent: bool) -> Markup {
    if points.is_empty() {
        return empty(title);
    }
    let (ticks, top) = axis(largest(points, percent));
    let (left, bottom, plot_top, height) = (50.0, 190.0, 12.0, 220.0);
    let step = (WIDTH - left - 30.0) / (points.len().max(2) - 1) as f64;
    let x = |index: usize| left + 10.0 + index as f64 * step;
    let y = |value: f64| bottom - (bottom - plot_top) * (value / top).clamp(0.0, 1.0);
    let path: Vec<String> =
        points.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.value))).collect();
    let description = listing("points", points);
    frame(
        id,
        title,
        &description,
        height,
        html! {
            g.axis {
                @for tick in &ticks {
                    line.grid x1=(left) x2=(WIDTH - 10.0) y1=(y(*tick)) y2=(y(*tick)) {}
                    text.tick x=(left - 6.0) y=(y(*tick) + 4.0) text-anchor="end" { (tick_label(*tick, percent)) }
                }
            }
            polyline.line points=(path.join(" ")) {}
            @for (index, point) in points.iter().enumerate() {
                a.datum href=(point.href) {
                    title { (point.label) ": " (point.display) }
                    circle.point cx=(format!("{:.1}", x(index))) cy=(format!("{:.1}", y(point.value))) r="5" {}
                }
                text.tick x=(format!("{:.1}", x(index))) y=(bottom + 18.0) text-anchor="middle" { (short(&point.label)) }
            }
        },
    )
}

/// The funnel: one centred bar per stage, its width the stage's share of the first, with the
/// conversion to the next stage between them.
pub fn funnel_chart(id: &str, title: &str, steps: &[FunnelStep]) -> Markup {
    if steps.is_empty() {
        return empty(title);
    }
    let max = steps.iter().map(|s| s.datum.value).fold(0.0, f64::max).max(1.0);
    let step_height = 44.0;
    let height = steps.len() as f64 * step_height + 6.0;
    let plot = WIDTH - LABEL_WIDTH - 150.0;
    let centre = LABEL_WIDTH + plot / 2.0;
    let description = steps
        .iter()
        .map(|s| format!("{} {}", s.datum.label, s.datum.display))
        .collect::<Vec<_>>()
        .join(", then ");
    frame(
        id,
        title,
        &description,
        height,
        html! {
            @for (index, step) in steps.iter().enumerate() {
                @let y = index as f64 * step_height + 4.0;
                @let width = (plot * step.datum.value / max).max(2.0);
                a.datum href=(step.datum.href) {
                    title { (step.datum.label) ": " (step.datum.display) }
                    text.label x=(LABEL_WIDTH - 8.0) y=(y + 17.0) text-anchor="end" { (short(&step.datum.label)) }
                    rect.bar.series-0 x=(format!("{:.1}", centre - width / 2.0)) y=(y) width=(format!("{width:.1}")) height="24" {}
                    text.value x=(LABEL_WIDTH + plot + 8.0) y=(y + 17.0) { (step.datum.display) }
                }
                @if let Some(conversion) = &step.conversion {
                    text.conversion x=(centre) y=(y + 38.0) text-anchor="middle" { "↓ " (conversion) }
                }
            }
        },
    )
}

/// Each segment with where it starts and ends in its stack.
fn cumulative(segments: &[Datum]) -> Vec<(f64, f64, &Datum)> {
    let mut base = 0.0;
    segments
        .iter()
        .map(|datum| {
            let low = base;
            base += datum.value;
            (low, base, datum)
        })
        .collect()
}

pub(crate) fn empty(title: &str) -> Markup {
    html! { figure.chart.empty { p { "No data for " (title) " in this period and filter." } } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datum(label: &str, value: f64) -> Datum {
        Datum { label: label.into(), value, display: format!("{value}"), href: format!("/people?x={value}") }
    }

    #[test]
    fn ticks_cover_the_maximum_in_round_steps() {
        assert_eq!(ticks(1.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(37.0), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(ticks(0.0), vec![0.0, 1.0]);
        assert!(*ticks(123_456.0).last().unwrap() >= 123_456.0);
    }

    #[test]
    fn bars_link_to_their_rows_and_escape_their_labels() {
        let svg =
            bar_chart("c", "Reasons", &[datum("<script>alert(1)</script>", 3.0), datum("b", 1.0)], false)
                .into_string();
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert_eq!(svg.matches("<a class=\"datum\" href=\"/people?x=").count(), 2, "{svg}");
        assert!(svg.contains("<title id=\"c-title\">Reasons</title>"), "{svg}");
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""), "{svg}");
    }

    #[test]
    fn every_chart_kind_draws_one_link_per_datum() {
        let points = [datum("2025-01", 0.5), datum("2025-02", 0.25), datum("2025-03", 1.0)];
        assert_eq!(line_chart("l", "Rate", &points, true).into_string().matches("<circle").count(), 3);
        let stacks = vec![
            Stack { label: "Jan".into(), segments: vec![datum("a", 1.0), datum("r", 2.0)] },
            Stack { label: "Feb".into(), segments: vec![datum("a", 3.0), datum("r", 0.0)] },
        ];
        let svg = stacked_chart("s", "Decisions", &["accepted", "rejected"], &stacks).into_string();
        assert_eq!(svg.matches("<a class=\"datum\"").count(), 4, "{svg}");
        let steps = vec![
            FunnelStep { datum: datum("mql", 10.0), conversion: Some("40% → sal".into()) },
            FunnelStep { datum: datum("sal", 4.0), conversion: None },
        ];
        let svg = funnel_chart("f", "Funnel", &steps).into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("40% → sal"));
        assert!(bar_chart("e", "Nothing", &[], false).into_string().contains("No data for Nothing"));
    }
}
