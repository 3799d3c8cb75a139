//! Integration tests of the scoring crate: the model on synthetic data whose answer is known,
//! the CSV reader on malformed fixtures, and the backtest on the bank-marketing data.

mod bank;
mod csv_files;
mod synthetic;
