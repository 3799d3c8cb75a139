//! Lead scoring, pure: the shared lead definition (`definition`: rules with decay, grades, the
//! MQL threshold, approvals and its backtest on past history), a histogram gradient-boosted
//! tree model with calibrated probabilities and per-row explanations (`model`), the accuracy
//! figures a marketer reads (`metrics`), a reader for messy CRM CSV exports (`csvdata`) and
//! stratified k-fold backtests (`backtest`). No store, no async; the only IO is
//! `csvdata::read_csv` reading the file it is given.

pub mod backtest;
pub mod csvdata;
pub mod definition;
pub mod metrics;
pub mod model;

pub use backtest::{backtest, backtest_with_folds, fold_assignment, BacktestReport, FeatureImportance};
pub use model::{Column, Contribution, Model, ModelError, Table, TrainOptions};
