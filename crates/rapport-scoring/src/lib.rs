//! Lead scoring: the shared lead definition (rules with decay, grades, the MQL threshold, its
//! backtest on past history) and the model learned from outcomes. Pure: data in, data out.

pub mod definition;
