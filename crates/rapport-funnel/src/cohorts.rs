//! Monthly cohorts: people by the month of their first handoff in the period, and how far they
//! went afterwards.

use std::collections::BTreeMap;

use chrono::Datelike;
use rapport_domain::{Stage, StageFact};
use serde::{Deserialize, Serialize};

use crate::handoffs::Handoff;
use crate::params::Period;
use crate::stats::funnel_position;

/// The people first handed over in one calendar month (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    /// `YYYY-MM`.
    pub month: String,
    pub mql: u64,
    /// Of `mql`, how many afterwards reached `sal` or a later funnel stage.
    pub sal: u64,
    /// … `opportunity` or `customer`.
    pub opportunity: u64,
    /// … `customer`.
    pub customer: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Cohorts {
    by_month: BTreeMap<(i32, u32), [u64; 4]>,
}

impl Cohorts {
    pub fn observe(&mut self, events: &[StageFact], handoffs: &[Handoff], period: &Period) {
        let Some(first) = handoffs.iter().find(|h| period.contains(events[h.entry].at)) else { return };
        let handed_over = events[first.entry].at;
        let furthest = events[first.entry + 1..].iter().filter_map(|e| funnel_position(e.to)).max();
        let reached = |stage: Stage| u64::from(furthest >= funnel_position(stage));
        let counts = self.by_month.entry((handed_over.year(), handed_over.month())).or_default();
        counts[0] += 1;
        counts[1] += reached(Stage::Sal);
        counts[2] += reached(Stage::Opportunity);
        counts[3] += reached(Stage::Customer);
    }

    pub fn finish(&self) -> Vec<Cohort> {
        self.by_month
            .iter()
            .map(|(&(year, month), &[mql, sal, opportunity, customer])| Cohort {
                month: format!("{year:04}-{month:02}"),
                mql,
                sal,
                opportunity,
                customer,
            })
            .collect()
    }
}
