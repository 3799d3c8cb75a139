//! Time in stage: how long stays that began in the period lasted, per stage.

use rapport_domain::{Stage, StageFact};
use serde::{Deserialize, Serialize};

use crate::params::Period;
use crate::stats::{hours, median_and_p90, millis_between, stage_index};

/// Stays in one stage that began in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeInStage {
    pub stage: Stage,
    /// Completed stays: the person has since moved to another stage.
    pub stays: u64,
    /// Stays not over yet; they give no duration.
    pub open: u64,
    /// Nearest-rank median of the completed stays, in hours.
    pub median_hours: Option<f64>,
    /// Nearest-rank 90th percentile of the completed stays, in hours.
    pub p90_hours: Option<f64>,
}

#[derive(Debug, Default)]
pub(crate) struct TimesInStage {
    /// Durations in milliseconds, per stage in [`Stage::ALL`] order.
    durations: [Vec<i64>; Stage::ALL.len()],
    open: [u64; Stage::ALL.len()],
}

impl TimesInStage {
    pub fn observe(&mut self, events: &[StageFact], period: &Period) {
        let mut start = 0;
        while start < events.len() {
            let entered = &events[start];
            // Consecutive events to the same stage (re-assignments) are one stay; it ends at the
            // first event to another stage.
            let mut end = start + 1;
            while end < events.len() && events[end].to == entered.to {
                end += 1;
            }
            if period.contains(entered.at) {
                let stage = stage_index(entered.to);
                match events.get(end) {
                    Some(left) => self.durations[stage].push(millis_between(entered.at, left.at)),
                    None => self.open[stage] += 1,
                }
            }
            start = end;
        }
    }

    pub fn finish(mut self) -> Vec<TimeInStage> {
        Stage::ALL
            .iter()
            .enumerate()
            .map(|(index, &stage)| {
                let durations = &mut self.durations[index];
                let percentiles = median_and_p90(durations);
                TimeInStage {
                    stage,
                    stays: durations.len() as u64,
                    open: self.open[index],
                    median_hours: percentiles.map(|(median, _)| hours(median)),
                    p90_hours: percentiles.map(|(_, p90)| hours(p90)),
                }
            })
            .collect()
    }
}
