//! Scoring throughput for `bench/scoring`: trains on a CSV with the default options, then
//! scores the whole table repeatedly on one thread (raw values in, calibrated probabilities
//! out, binning included) and prints one JSON line with rows per second.
//!
//!     cargo run --release -p rapport-scoring --example score_throughput -- FILE TARGET [DROP,…]

use std::path::PathBuf;
use std::time::Instant;

use rapport_scoring::csvdata::{read_csv, CsvSpec};
use rapport_scoring::{Model, TrainOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: score_throughput FILE TARGET [DROP,…]";
    let path = PathBuf::from(args.next().expect(usage));
    let target = args.next().expect(usage);
    let drop = args.next().map(|list| list.split(',').map(str::to_string).collect()).unwrap_or_default();
    let spec = CsvSpec { target, drop, ..CsvSpec::default() };
    let data = read_csv(&path, &spec).unwrap_or_else(|error| panic!("{error}"));
    let started = Instant::now();
    let model = Model::fit(&data.table, &data.labels, &TrainOptions::default()).expect("training");
    let training_seconds = started.elapsed().as_secs_f64();
    // Repeat until at least a million rows and two seconds, so the figure is not a blip.
    let (mut scored, mut checksum) = (0usize, 0.0);
    let started = Instant::now();
    while scored < 1_000_000 || started.elapsed().as_secs_f64() < 2.0 {
        checksum += model.predict(&data.table).iter().sum::<f64>();
        scored += data.table.rows();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"rows_per_second\": {:.0}, \"rows\": {scored}, \"seconds\": {seconds:.3}, \"trees\": {}, \"training_seconds\": {training_seconds:.3}, \"checksum\": {checksum:.6}}}",
        scored as f64 / seconds,
        model.tree_count()
    );
}
