//! Lead scoring use cases: the lead definition's versions (draft, approve by both teams,
//! backtest), the model trained on the workspace's outcomes (features as of the handoff,
//! validation on time, drift), everyone's scores with reasons, the score report and the
//! target-account list. The rules and the model themselves are pure code in
//! `rapport-scoring`; this module reads the store, calls them, and stores what they decide.

pub mod accounts;
pub mod definitions;
pub mod features;
pub mod history;
pub mod refresh;
pub mod report;
pub mod train;

pub use refresh::{explain, refresh, refresh_all, ScoreDetails};
pub use train::{train, Target, TrainOutcome};

#[cfg(test)]
mod tests;
