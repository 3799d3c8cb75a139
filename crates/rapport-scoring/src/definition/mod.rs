//! The shared lead definition: a versioned TOML document both teams approve, with fit rules
//! (who the person and their company are), negative rules, engagement rules (what they did,
//! decayed by a half-life and capped per rule) and the MQL threshold.
//!
//! [`parse_definition`] checks a document (errors name the line and field);
//! [`evaluate`] scores a person at an explicit `now` (no clock), giving fit, engagement, total,
//! a grade ([`grade`] documents the A–D mapping) and signed reasons; [`backtest`] replays past
//! history to count the MQLs a version would have produced per month and what became of them;
//! [`approval`] holds who may approve for which side.

pub mod approval;
mod backtest;
mod document;
mod evaluate;
pub mod grade;

pub use backtest::{
    backtest, compare, crossing_time, BacktestReport, Comparison, HistoryPerson, MonthRow, Outcomes,
};
pub use document::{
    parse_definition, Condition, Definition, DefinitionError, EngagementRule, Field, FitRule, GradeBands,
    Trigger,
};
pub use evaluate::{decay, evaluate, Evaluation, PersonInput, Reason, ReasonKind, TouchInput};
pub use grade::Grade;

/// The definition Rapport ships with, written for the demo workspace's data.
pub const DEFAULT_DEFINITION: &str = include_str!("default.toml");

#[cfg(test)]
mod tests;
