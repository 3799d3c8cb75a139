//! Two more SVG charts, in the manner of [`crate::charts`]: a calibration chart (predicted
//! against observed rate on two 0–1 axes, with the diagonal where they agree) and a chart of
//! several series over shared labels (a draft against the active definition month by month,
//! the model's AUC against the rules' over versions). Every point is a link with its value in
//! a tooltip; labels are escaped by `maud`.

use maud::{html, Markup};

use crate::charts::{empty, frame, short, ticks, Datum, WIDTH};

/// A point on two numeric axes.
#[derive(Debug, Clone, PartialEq)]
pub struct XyPoint {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub display: String,
    pub href: String,
}

/// One named line; its points follow the chart's labels, `None` where it has no value.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Option<Datum>>,
}

/// How the value axis reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// From 0 to the largest value, whole numbers.
    Count,
    /// From 0 to 1, two decimals (AUC, rates as fractions).
    Unit,
}

fn unit_ticks() -> Vec<f64> {
    vec![0.0, 0.25, 0.5, 0.75, 1.0]
}

fn axis_label(value: f64, axis: Axis) -> String {
    match axis {
        Axis::Unit => format!("{value:.2}"),
        Axis::Count if value >= 10_000.0 => format!("{:.0}k", value / 1000.0),
        Axis::Count => format!("{value:.0}"),
    }
}

/// Observed against predicted rate, one point per bin; points on the diagonal are calibrated.
pub fn calibration_chart(id: &str, title: &str, points: &[XyPoint]) -> Markup {
    if points.is_empty() {
        return empty(title);
    }
    let (left, right, top, bottom, height) = (60.0, WIDTH - 20.0, 12.0, 250.0, 290.0);
    let x = |value: f64| left + (right - left) * value.clamp(0.0, 1.0);
    let y = |value: f64| bottom - (bottom - top) * value.clamp(0.0, 1.0);
    let description = format!(
        "{} bins, predicted against observed: {}",
        points.len(),
        points.iter().map(|p| format!("{} {}", p.label, p.display)).collect::<Vec<_>>().join("; ")
    );
    frame(
        id,
        title,
        &description,
        height,
        html! {
            g.axis {
                @for tick in unit_ticks() {
                    line.grid x1=(left) x2=(right) y1=(y(tick)) y2=(y(tick)) {}
                    line.grid x1=(x(tick)) x2=(x(tick)) y1=(top) y2=(bottom) {}
                    text.tick x=(left - 6.0) y=(y(tick) + 4.0) text-anchor="end" { (axis_label(tick, Axis::Unit)) }
                    text.tick x=(x(tick)) y=(bottom + 16.0) text-anchor="middle" { (axis_label(tick, Axis::Unit)) }
                }
                text.tick x=((left + right) / 2.0) y=(height - 4.0) text-anchor="middle" { "predicted probability" }
                text.tick x="12" y=((top + bottom) / 2.0) text-anchor="middle"
                    transform=(format!("rotate(-90 12 {})", (top + bottom) / 2.0)) { "observed rate" }
            }
            line.diagonal x1=(x(0.0)) y1=(y(0.0)) x2=(x(1.0)) y2=(y(1.0)) {}
            @for point in points {
                a.datum href=(point.href) {
                    title { (point.label) ": " (point.display) }
                    circle.point cx=(format!("{:.1}", x(point.x))) cy=(format!("{:.1}", y(point.y))) r="6" {}
                }
            }
        },
    )
}

/// Several lines over the same labels, with a legend; every point a link.
pub fn series_chart(id: &str, title: &str, labels: &[String], series: &[Series], axis: Axis) -> Markup {
    if labels.is_empty() || series.iter().all(|s| s.points.iter().all(Option::is_none)) {
        return empty(title);
    }
    let ticks = match axis {
        Axis::Unit => unit_ticks(),
        Axis::Count => {
            ticks(series.iter().flat_map(|s| s.points.iter().flatten()).map(|d| d.value).fold(0.0, f64::max))
        }
    };
    let top_value = *ticks.last().unwrap_or(&1.0);
    let (left, bottom, plot_top, height) = (50.0, 210.0, 30.0, 240.0);
    // Room at the right for the last label, centred on its point.
    let step = (WIDTH - left - 50.0) / (labels.len().max(2) - 1) as f64;
    let x = |index: usize| left + 10.0 + index as f64 * step;
    let y = |value: f64| bottom - (bottom - plot_top) * (value / top_value).clamp(0.0, 1.0);
    // Every label when they fit, else every n-th, so month names never overlap.
    let every = labels.len().div_ceil(12).max(1);
    let description = series
        .iter()
        .map(|s| {
            let values: Vec<String> =
                s.points.iter().flatten().map(|d| format!("{} {}", d.label, d.display)).collect();
            format!("{}: {}", s.name, values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    frame(
        id,
        title,
        &description,
        height,
        html! {
            g.legend {
                @for (index, s) in series.iter().enumerate() {
                    rect class=(format!("series-{index}")) x=(left + index as f64 * 170.0) y="4" width="12" height="12" {}
                    text x=(left + index as f64 * 170.0 + 16.0) y="14" { (short(&s.name)) }
                }
            }
            g.axis {
                @for tick in &ticks {
                    line.grid x1=(left) x2=(WIDTH - 10.0) y1=(y(*tick)) y2=(y(*tick)) {}
                    text.tick x=(left - 6.0) y=(y(*tick) + 4.0) text-anchor="end" { (axis_label(*tick, axis)) }
                }
                @for (index, label) in labels.iter().enumerate() {
                    @if index % every == 0 {
                        text.tick x=(format!("{:.1}", x(index))) y=(bottom + 18.0) text-anchor="middle" { (short(label)) }
                    }
                }
            }
            @for (number, s) in series.iter().enumerate() {
                @let path: Vec<String> = s.points.iter().enumerate()
                    .filter_map(|(i, d)| d.as_ref().map(|d| format!("{:.1},{:.1}", x(i), y(d.value)))).collect();
                polyline class=(format!("line line-{number}")) points=(path.join(" ")) {}
                @for (index, point) in s.points.iter().enumerate() {
                    @if let Some(point) = point {
                        a.datum href=(point.href) {
                            title { (s.name) ", " (point.label) ": " (point.display) }
                            circle class=(format!("point line-{number}")) cx=(format!("{:.1}", x(index))) cy=(format!("{:.1}", y(point.value))) r="4" {}
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datum(label: &str, value: f64) -> Datum {
        Datum { label: label.into(), value, display: format!("{value}"), href: format!("/scoring?m={label}") }
    }

    #[test]
    fn calibration_draws_the_diagonal_and_one_link_per_bin() {
        let points: Vec<XyPoint> = [(0.1, 0.12), (0.5, 0.4)]
            .iter()
            .enumerate()
            .map(|(i, (x, y))| XyPoint {
                label: format!("<bin {i}>"),
                x: *x,
                y: *y,
                display: format!("{y}"),
                href: format!("/scoring?bin={i}"),
            })
            .collect();
        let svg = calibration_chart("cal", "Calibration", &points).into_string();
        assert_eq!(svg.matches("<line class=\"diagonal\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("<a class=\"datum\" href=\"/scoring?bin=").count(), 2, "{svg}");
        assert!(svg.contains("&lt;bin 0&gt;") && !svg.contains("<bin 0>"), "{svg}");
    }

    #[test]
    fn series_share_the_labels_and_skip_missing_points() {
        let labels: Vec<String> = ["2025-01", "2025-02", "2025-03"].map(String::from).to_vec();
        let series = vec![
            Series {
                name: "draft".into(),
                points: vec![
                    Some(datum("2025-01", 4.0)),
                    Some(datum("2025-02", 6.0)),
                    Some(datum("2025-03", 5.0)),
                ],
            },
            Series {
                name: "active".into(),
                points: vec![None, Some(datum("2025-02", 3.0)), Some(datum("2025-03", 8.0))],
            },
        ];
        let svg = series_chart("bt", "MQLs per month", &labels, &series, Axis::Count).into_string();
        assert_eq!(svg.matches("<circle").count(), 5, "{svg}");
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert!(svg.contains("active, 2025-03: 8"), "{svg}");
        let none = series_chart(
            "e",
            "Nothing",
            &labels,
            &[Series { name: "x".into(), points: vec![None] }],
            Axis::Unit,
        );
        assert!(none.into_string().contains("No data for Nothing"));
    }
}
