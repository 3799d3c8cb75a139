//! Stage counts: who reached each funnel stage in the period, and who went on from there.

use rapport_domain::{Stage, StageFact};
use serde::{Deserialize, Serialize};

use crate::params::Period;
use crate::stats::{funnel_position, rate};

const FUNNEL_STAGES: usize = Stage::FUNNEL.len();

/// One funnel stage in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    pub stage: Stage,
    /// Distinct people with an event to this stage in the period.
    pub reached: u64,
    /// `null` for the last stage.
    pub next_stage: Option<Stage>,
    /// Of `reached`, the people who afterwards reached the next stage or one beyond it.
    pub converted: Option<u64>,
    /// `converted / reached`.
    pub conversion_rate: Option<f64>,
}

#[derive(Debug, Default)]
pub(crate) struct Stages {
    reached: [u64; FUNNEL_STAGES],
    converted: [u64; FUNNEL_STAGES],
}

impl Stages {
    pub fn observe(&mut self, events: &[StageFact], period: &Period) {
        // The first event to each funnel stage in the period: the person is counted once, and
        // converts if anything after that event goes further down the funnel.
        let mut first_in_period: [Option<usize>; FUNNEL_STAGES] = [None; FUNNEL_STAGES];
        for (index, event) in events.iter().enumerate() {
            if let Some(position) = funnel_position(event.to) {
                if first_in_period[position].is_none() && period.contains(event.at) {
                    first_in_period[position] = Some(index);
                }
            }
        }
        // Walking backwards, `furthest_after` is the furthest funnel stage of the later events.
        let mut furthest_after: Option<usize> = None;
        for (index, event) in events.iter().enumerate().rev() {
            let position = funnel_position(event.to);
            if let Some(position) = position {
                if first_in_period[position] == Some(index) {
                    self.reached[position] += 1;
                    if furthest_after.is_some_and(|furthest| furthest > position) {
                        self.converted[position] += 1;
                    }
                }
            }
            furthest_after = furthest_after.max(position);
        }
    }

    pub fn finish(&self) -> Vec<StageCount> {
        Stage::FUNNEL
            .iter()
            .enumerate()
            .map(|(position, &stage)| {
                let next_stage = stage.next_in_funnel();
                let converted = next_stage.map(|_| self.converted[position]);
                StageCount {
                    stage,
                    reached: self.reached[position],
                    next_stage,
                    converted,
                    conversion_rate: converted.and_then(|c| rate(c, self.reached[position])),
                }
            })
            .collect()
    }
}
