//! The handoff SLA: did sales respond to each lead handed to an owner within the agreed hours?

use rapport_domain::{Stage, StageFact, Timestamp, TouchFact};
use serde::{Deserialize, Serialize};

use crate::params::Period;
use crate::stats::{millis_between, rate};

/// SLA figures for the handoffs to an owner in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaReport {
    pub sla_hours: u32,
    /// Events to `mql` naming an owner, in the period (re-assignments included).
    pub handoffs: u64,
    pub met: u64,
    pub breached: u64,
    /// No response yet, deadline not passed at `now`.
    pub open: u64,
    /// `breached / (met + breached)`.
    pub breach_rate: Option<f64>,
}

#[derive(Debug)]
pub(crate) struct Sla {
    sla_hours: u32,
    /// `sla_hours` in milliseconds.
    limit: i64,
    now: Timestamp,
    handoffs: u64,
    met: u64,
    breached: u64,
    open: u64,
}

/// Events that show sales picked the lead up.
fn is_response(stage: Stage) -> bool {
    matches!(stage, Stage::Sal | Stage::Rejected | Stage::Recycled)
}

impl Sla {
    pub fn new(sla_hours: u32, now: Timestamp) -> Self {
        Sla {
            sla_hours,
            limit: i64::from(sla_hours) * 3_600_000,
            now,
            handoffs: 0,
            met: 0,
            breached: 0,
            open: 0,
        }
    }

    /// `sales_touches` are the person's, ordered by time.
    pub fn observe(&mut self, events: &[StageFact], sales_touches: &[TouchFact], period: &Period) {
        // Walking backwards, `next_response` is the time of the first response event after the
        // current one, so each handoff finds its response without a forward scan.
        let mut next_response: Option<Timestamp> = None;
        for event in events.iter().rev() {
            if event.to == Stage::Mql && event.owner.is_some() && period.contains(event.at) {
                let first_touch = sales_touches.partition_point(|t| t.at < event.at);
                let touch_response = sales_touches.get(first_touch).map(|t| t.at);
                let response = match (next_response, touch_response) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                self.judge(event.at, response);
            }
            if is_response(event.to) {
                next_response = Some(event.at);
            }
        }
    }

    fn judge(&mut self, handoff: Timestamp, response: Option<Timestamp>) {
        self.handoffs += 1;
        match response {
            Some(at) if millis_between(handoff, at) <= self.limit => self.met += 1,
            Some(_) => self.breached += 1,
            None if millis_between(handoff, self.now) > self.limit => self.breached += 1,
            None => self.open += 1,
        }
    }

    pub fn finish(&self) -> SlaReport {
        SlaReport {
            sla_hours: self.sla_hours,
            handoffs: self.handoffs,
            met: self.met,
            breached: self.breached,
            open: self.open,
            breach_rate: rate(self.breached, self.met + self.breached),
        }
    }
}
