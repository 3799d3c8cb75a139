//! `rapport report voc`: the voice-of-the-customer report (tracker shares of calls by
//! segment, won vs lost with lift and p-value, by month, with quotes) as a table or JSON.

use rapport_app::search::parse_bound;
use rapport_app::voc::{voc_report, Segment, VocKind, VocReport};
use rapport_store::analysis::AnalysisFilter;
use rapport_store::Store;

use crate::cli::VocArgs;
use crate::cli_search::VocSegmentArg;
use crate::commands::search::plain;

pub fn voc(store: &dyn Store, args: &VocArgs) -> anyhow::Result<()> {
    let filter = AnalysisFilter {
        from: args.from.as_deref().map(|t| parse_bound("from", t)).transpose()?,
        to: args.to.as_deref().map(|t| parse_bound("to", t)).transpose()?,
    };
    let by = args.by.map(|by| match by {
        VocSegmentArg::Industry => Segment::Industry,
        VocSegmentArg::SizeBand => Segment::SizeBand,
        VocSegmentArg::Source => Segment::Source,
        VocSegmentArg::Campaign => Segment::Campaign,
    });
    let report = voc_report(store, &filter, by)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report));
    }
    Ok(())
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn kind(kind: VocKind) -> &'static str {
    match kind {
        VocKind::Keyword => "keyword",
        VocKind::Smart => "smart",
        VocKind::Topic => "topic",
    }
}

fn table(report: &VocReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} analysed calls ({} on won deals, {} on lost); a call mentions a tracker or topic when the customer side says it",
        report.calls, report.won_calls, report.lost_calls
    );
    let _ = writeln!(out, "significance: {}", report.significance_test);
    let _ = writeln!(out);
    let width = report.trackers.iter().map(|t| t.tracker.chars().count()).max().unwrap_or(7).max(7);
    let _ = writeln!(
        out,
        "{:<width$}  {:<7}  {:>6}  {:>6}  {:>6}  {:>6}  {:>8}",
        "tracker", "kind", "calls", "won", "lost", "lift", "p"
    );
    for item in &report.trackers {
        let _ = writeln!(
            out,
            "{:<width$}  {:<7}  {:>6}  {:>6}  {:>6}  {:>6}  {:>8}",
            plain(&item.tracker),
            kind(item.kind),
            percent(item.overall.share),
            percent(item.won.share),
            percent(item.lost.share),
            item.lift.map_or_else(|| "-".to_owned(), |l| format!("{l:.2}")),
            item.p_value.map_or_else(|| "-".to_owned(), |p| format!("{p:.4}")),
        );
        for segment in &item.segments {
            let _ = writeln!(
                out,
                "    {}: {} of {} calls",
                plain(&segment.group),
                percent(segment.share.share),
                segment.share.calls
            );
        }
        for quote in &item.quotes {
            let seconds = quote.time_ms / 1000;
            let _ = writeln!(
                out,
                "    \"{}\" (call {}, {:02}:{:02})",
                plain(&quote.text),
                quote.call,
                seconds / 60,
                seconds % 60
            );
        }
    }
    out
}
