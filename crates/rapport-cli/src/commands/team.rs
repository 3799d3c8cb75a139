//! `rapport report team`: each rep's interaction stats beside the team average, and each rep's
//! trend (per month or week, with the change from the first period to the last), as a table
//! or JSON.

use std::fmt::Write as _;

use rapport_app::team_stats::{team_stats, TeamStats, TeamStatsQuery, STATS};
use rapport_store::Store;

use crate::cli_team::{TeamArgs, TeamPeriodArg};
use crate::commands::acting;
use crate::commands::search::plain;
use crate::failure::bad_input;

pub fn team(store: &dyn Store, args: &TeamArgs) -> anyhow::Result<()> {
    let by = match args.by {
        TeamPeriodArg::Month => "month",
        TeamPeriodArg::Week => "week",
    };
    let query = TeamStatsQuery::parse(
        args.from.as_deref(),
        args.to.as_deref(),
        Some(by),
        args.rep.as_deref(),
        args.team.as_deref(),
    )
    .map_err(|e| bad_input(format!("--{e}")))?;
    let viewer = acting::or_operator(store, &args.user)?;
    let report = team_stats(store, &viewer, &query)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report));
    }
    Ok(())
}

fn table(report: &TeamStats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} analysed calls; each figure is the mean over the calls where it is defined",
        report.team.calls
    );
    let names: Vec<String> = report.reps.iter().map(|r| plain(&r.rep.name)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0).max(12);
    let _ = write!(out, "\n{:<width$}  {:>5}", "rep", "calls");
    for stat in &STATS {
        let _ = write!(out, "  {:>10}", short(stat.key));
    }
    let _ = writeln!(out);
    let row = |out: &mut String, name: &str, averages: &rapport_conversation::MetricAverages| {
        let _ = write!(out, "{name:<width$}  {:>5}", averages.calls);
        for stat in &STATS {
            let _ = write!(out, "  {:>10}", stat.display((stat.value)(averages)));
        }
        let _ = writeln!(out);
    };
    for (rep, name) in report.reps.iter().zip(&names) {
        row(&mut out, name, &rep.averages);
    }
    row(&mut out, "team average", &report.team);
    for (rep, name) in report.reps.iter().zip(&names) {
        let _ = writeln!(out, "\n{name} <{}>: trend by {}", plain(&rep.rep.email), period_word(report));
        for period in &rep.trend {
            let _ = write!(out, "  {:<9} {:>3} calls", period.period, period.averages.calls);
            for stat in STATS.iter().take(6) {
                let _ = write!(out, "  {} {}", short(stat.key), stat.display((stat.value)(&period.averages)));
            }
            let _ = writeln!(out);
        }
        if !rep.change.is_empty() {
            let changes: Vec<String> = STATS
                .iter()
                .filter_map(|stat| {
                    rep.change
                        .get(stat.key)
                        .map(|v| format!("{} {}", short(stat.key), stat.display_change(Some(*v))))
                })
                .collect();
            let _ = writeln!(out, "  change, first to last: {}", changes.join(", "));
        }
    }
    out
}

fn period_word(report: &TeamStats) -> &'static str {
    match report.by {
        rapport_app::team_stats::Period::Month => "month",
        rapport_app::team_stats::Period::Week => "week",
    }
}

/// Column headings short enough for a terminal.
fn short(key: &str) -> &str {
    match key {
        "talk_ratio" => "talk",
        "longest_monologue_s" => "monologue",
        "longest_customer_story_s" => "story",
        "interactivity" => "interact",
        "patience_s" => "patience",
        "question_rate_per_hour" => "q/hour",
        "duration_s" => "length",
        "rep_words_per_minute" => "wpm",
        "rep_filler_rate" => "fillers",
        other => other,
    }
}
