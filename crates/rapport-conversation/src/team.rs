//! Team averages and each rep's trend over time, from many calls' [`CallStats`].
//!
//! Every metric is the mean over the calls where it is defined (a call with no customer turn
//! has no patience, and is left out of that mean rather than counted as zero). Months are
//! calendar months of the call's date (`2024-03`); a rep's trend lists the months they had
//! calls in, oldest first.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::CallStats;

/// One call of one rep, as the team report needs it.
#[derive(Debug, Clone, Copy)]
pub struct RepCall<'a> {
    pub rep: &'a str,
    pub date: NaiveDate,
    pub stats: &'a CallStats,
}

/// Means of the per-call metrics over a set of calls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricAverages {
    pub calls: usize,
    pub talk_ratio: Option<f64>,
    pub longest_monologue_s: Option<f64>,
    pub longest_customer_story_s: Option<f64>,
    pub interactivity: Option<f64>,
    pub patience_s: Option<f64>,
    pub question_rate_per_hour: Option<f64>,
    pub rep_words_per_minute: Option<f64>,
    pub rep_filler_rate: Option<f64>,
    pub duration_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthAverages {
    /// `YYYY-MM`.
    pub month: String,
    pub averages: MetricAverages,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepTrend {
    pub rep: String,
    pub overall: MetricAverages,
    pub months: Vec<MonthAverages>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamReport {
    pub team: MetricAverages,
    /// Reps in name order.
    pub reps: Vec<RepTrend>,
}

pub fn team_report(calls: &[RepCall<'_>]) -> TeamReport {
    let all: Vec<&CallStats> = calls.iter().map(|call| call.stats).collect();
    let mut by_rep: BTreeMap<&str, BTreeMap<(i32, u32), Vec<&CallStats>>> = BTreeMap::new();
    for call in calls {
        let month = (call.date.year(), call.date.month());
        by_rep.entry(call.rep).or_default().entry(month).or_default().push(call.stats);
    }
    let reps = by_rep
        .into_iter()
        .map(|(rep, months)| {
            let overall: Vec<&CallStats> = months.values().flatten().copied().collect();
            RepTrend {
                rep: rep.to_owned(),
                overall: averages(&overall),
                months: months
                    .iter()
                    .map(|((year, month), stats)| MonthAverages {
                        month: format!("{year:04}-{month:02}"),
                        averages: averages(stats),
                    })
                    .collect(),
            }
        })
        .collect();
    TeamReport { team: averages(&all), reps }
}

/// Means of each metric over `calls`, each over the calls where it is defined.
pub fn averages(calls: &[&CallStats]) -> MetricAverages {
    let mean = |value: &dyn Fn(&CallStats) -> Option<f64>| {
        let values: Vec<f64> = calls.iter().filter_map(|stats| value(stats)).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    MetricAverages {
        calls: calls.len(),
        talk_ratio: mean(&|s| s.talk_ratio),
        longest_monologue_s: mean(&|s| Some(s.longest_monologue_s)),
        longest_customer_story_s: mean(&|s| Some(s.longest_customer_story_s)),
        interactivity: mean(&|s| Some(s.interactivity)),
        patience_s: mean(&|s| s.patience_s),
        question_rate_per_hour: mean(&|s| s.question_rate_per_hour),
        rep_words_per_minute: mean(&|s| s.rep.words_per_minute),
        rep_filler_rate: mean(&|s| s.rep.filler_rate),
        duration_s: mean(&|s| Some(s.duration_s)),
    }
}
