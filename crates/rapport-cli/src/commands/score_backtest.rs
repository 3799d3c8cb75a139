//! `rapport score backtest --csv FILE --target COL`: the scoring model evaluated by stratified
//! k-fold cross-validation on any CRM export, with no database, so a prospect can check the
//! model on their own data before adopting Rapport.

use std::fmt::Write as _;

use rapport_scoring::csvdata::{read_csv, CoercedColumn, CsvSpec};
use rapport_scoring::{backtest_with_folds, fold_assignment, BacktestReport, TrainOptions};
use serde::Serialize;

use crate::cli::ScoreBacktestArgs;
use crate::failure::bad_input;

/// The `--json` document: the report's fields plus what the reader made of the file.
#[derive(Debug, Serialize)]
struct Output<'a> {
    file: String,
    features: usize,
    rows_without_target: usize,
    coerced: Vec<Coerced<'a>>,
    #[serde(flatten)]
    report: &'a BacktestReport,
}

#[derive(Debug, Serialize)]
struct Coerced<'a> {
    column: &'a str,
    values: usize,
    example: &'a str,
}

pub fn backtest(args: &ScoreBacktestArgs) -> anyhow::Result<()> {
    let spec = CsvSpec {
        target: args.target.clone(),
        positive: args.positive.clone(),
        id: args.id.clone(),
        drop: args
            .drop
            .iter()
            .map(|column| column.trim().to_string())
            .filter(|column| !column.is_empty())
            .collect(),
    };
    let dataset = read_csv(&args.csv, &spec).map_err(|error| bad_input(error.to_string()))?;
    for note in &dataset.coerced {
        tracing::warn!("{}", coerced_sentence(note));
    }
    let folds = usize::from(args.folds);
    let options = TrainOptions { seed: args.seed, ..TrainOptions::default() };
    let assignment = fold_assignment(&dataset.labels, folds, args.seed);
    if let Some(path) = &args.write_folds {
        let mut text = String::with_capacity(assignment.len() * 2);
        for fold in &assignment {
            writeln!(text, "{fold}").expect("writing to a String");
        }
        std::fs::write(path, text)
            .map_err(|error| bad_input(format!("writing {}: {error}", path.display())))?;
    }
    let report =
        backtest_with_folds(&dataset.table, &dataset.labels, &assignment, folds, args.seed, &options)
            .map_err(|error| bad_input(format!("{}: {error}", args.csv.display())))?;
    let features = dataset.table.column_names().len();
    if args.json {
        let output = Output {
            file: args.csv.display().to_string(),
            features,
            rows_without_target: dataset.rows_without_target,
            coerced: dataset
                .coerced
                .iter()
                .map(|note| Coerced { column: &note.column, values: note.values, example: &note.example })
                .collect(),
            report: &report,
        };
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        print!("{}", table(&args.csv.display().to_string(), features, dataset.rows_without_target, &report));
    }
    Ok(())
}

fn coerced_sentence(note: &CoercedColumn) -> String {
    format!(
        "column {:?} is numeric; {} value(s) that are not numbers (such as {:?}) count as missing",
        note.column, note.values, note.example
    )
}

fn table(file: &str, features: usize, rows_without_target: usize, report: &BacktestReport) -> String {
    let mut out = String::new();
    let rate = report.positives as f64 / report.rows as f64 * 100.0;
    let _ = writeln!(
        out,
        "{file}: {} rows, {} positive ({rate:.1}%), {features} features; {} folds, seed {}",
        report.rows, report.positives, report.folds, report.seed
    );
    if rows_without_target > 0 {
        let _ = writeln!(out, "{rows_without_target} rows without a target value were left out");
    }
    let fold_aucs: Vec<String> = report.fold_aucs.iter().map(|auc| format!("{auc:.3}")).collect();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "AUC           {:.3} ± {:.3}   (folds: {})",
        report.auc,
        report.auc_std,
        fold_aucs.join(", ")
    );
    let _ = writeln!(out, "Log loss      {:.4}", report.logloss);
    let _ = writeln!(out, "Lift at 10%   {:.2}×", report.lift_at_10);
    let trees: Vec<String> = report.fold_trees.iter().map(usize::to_string).collect();
    let _ = writeln!(
        out,
        "Training      {:.1} s   (trees per fold: {})",
        report.training_seconds,
        trees.join(", ")
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "Calibration (out of fold)   predicted  observed     rows");
    for bin in &report.calibration {
        let _ = writeln!(
            out,
            "  {:.1}–{:.1}                      {:>6.3}    {:>6.3}  {:>7}",
            bin.lower, bin.upper, bin.mean_predicted, bin.observed_rate, bin.count
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Decile   rows  positive rate   lift  positives found");
    for decile in &report.deciles {
        let _ = writeln!(
            out,
            "  {:>2}   {:>6}         {:>6.3}  {:>5.2}           {:>5.1}%",
            decile.decile,
            decile.count,
            decile.positive_rate,
            decile.lift,
            decile.cumulative_capture * 100.0
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Top features (share of split gain)");
    for feature in &report.top_features {
        let _ = writeln!(out, "  {:<24} {:>5.1}%", feature.feature, feature.importance * 100.0);
    }
    out
}
