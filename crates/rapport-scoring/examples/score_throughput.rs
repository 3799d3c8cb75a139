//! Timings for `bench/scoring`, in CPU seconds of this thread (the benchmark machine is
//! shared, so wall-clock time would measure the neighbours): trains on the folds written by
//! `rapport score backtest --write-folds`, then scores the whole table repeatedly (raw values
//! in, calibrated probabilities out, binning included). Prints one JSON line.
//!
//!     cargo run --release -p rapport-scoring --example score_throughput -- FILE TARGET DROP FOLDS

use std::path::PathBuf;

use rapport_scoring::csvdata::{read_csv, CsvSpec};
use rapport_scoring::metrics::auc;
use rapport_scoring::{Model, TrainOptions};

/// CPU time of the calling thread, from Linux's scheduler statistics (nanoseconds on CPU).
fn thread_cpu_seconds() -> f64 {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux /proc");
    let nanoseconds: f64 =
        text.split_whitespace().next().and_then(|field| field.parse().ok()).expect("schedstat");
    nanoseconds / 1e9
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, target, drop, folds] = &args[..] else {
        panic!("usage: score_throughput FILE TARGET DROP,… FOLDS_FILE");
    };
    let drop = drop.split(',').filter(|column| !column.is_empty()).map(str::to_string).collect();
    let spec = CsvSpec { target: target.clone(), drop, ..CsvSpec::default() };
    let data = read_csv(&PathBuf::from(path), &spec).unwrap_or_else(|error| panic!("{error}"));
    let assignment: Vec<usize> = std::fs::read_to_string(folds)
        .expect("folds file")
        .lines()
        .map(|line| line.parse().expect("a fold"))
        .collect();
    assert_eq!(assignment.len(), data.labels.len(), "one fold per row");
    let fold_count = assignment.iter().max().unwrap() + 1;
    let options = TrainOptions::default();
    let (mut training, mut aucs, mut model) = (0.0, Vec::new(), None);
    for fold in 0..fold_count {
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..assignment.len()).partition(|&row| assignment[row] == fold);
        let labels: Vec<bool> = train.iter().map(|&row| data.labels[row]).collect();
        let table = data.table.select_rows(&train);
        let started = thread_cpu_seconds();
        let fitted = Model::fit(&table, &labels, &options).expect("training");
        training += thread_cpu_seconds() - started;
        let scores = fitted.predict(&data.table.select_rows(&test));
        aucs.push(auc(&scores, &test.iter().map(|&row| data.labels[row]).collect::<Vec<_>>()));
        model = Some(fitted);
    }
    let model = model.expect("at least one fold");
    // Repeat until at least a million rows and one CPU second, so the figure is not a blip.
    let (mut scored, mut checksum) = (0usize, 0.0);
    let started = thread_cpu_seconds();
    while scored < 1_000_000 || thread_cpu_seconds() - started < 1.0 {
        checksum += model.predict(&data.table).iter().sum::<f64>();
        scored += data.table.rows();
    }
    let seconds = thread_cpu_seconds() - started;
    println!(
        "{{\"auc\": {:.6}, \"training_cpu_seconds\": {training:.3}, \"rows_per_cpu_second\": {:.0}, \"scored_rows\": {scored}, \"trees_last_fold\": {}, \"checksum\": {checksum:.3}}}",
        aucs.iter().sum::<f64>() / aucs.len() as f64,
        scored as f64 / seconds,
        model.tree_count()
    );
}
