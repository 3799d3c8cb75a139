//! The model on synthetic data whose true probabilities are known: interactions (XOR),
//! missing values that carry signal, categories (seen and unseen), calibration, explanations'
//! additivity, determinism and serialisation.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rapport_scoring::metrics::{auc, calibration_bins};
use rapport_scoring::{Model, ModelError, Table, TrainOptions};

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// x1, x2 uniform in [−1, 1], a noise column, and y = (x1 > 0) XOR (x2 > 0) with 5% flipped.
fn xor(rows: usize, seed: u64) -> (Table, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut x1, mut x2, mut noise, mut labels) = (vec![], vec![], vec![], vec![]);
    for _ in 0..rows {
        let (a, b): (f64, f64) = (rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0));
        x1.push(a);
        x2.push(b);
        noise.push(rng.gen_range(-1.0..1.0));
        labels.push(((a > 0.0) != (b > 0.0)) != (rng.gen::<f64>() < 0.05));
    }
    let mut table = Table::new();
    table.push_numeric("x1", x1);
    table.push_numeric("x2", x2);
    table.push_numeric("noise", noise);
    (table, labels)
}

#[test]
fn trees_learn_an_interaction_no_single_feature_shows() {
    let (train, train_labels) = xor(4000, 1);
    let (test, test_labels) = xor(2000, 2);
    let model = Model::fit(&train, &train_labels, &TrainOptions::default()).unwrap();
    let score = auc(&model.predict(&test), &test_labels);
    // Each feature alone has AUC ≈ 0.5; the best possible with 5% noise is ≈ 0.95.
    assert!(score > 0.9, "AUC {score}");
    let importance = model.feature_importance();
    assert_eq!(importance.last().unwrap().0, "noise", "{importance:?}");
    assert!((importance.iter().map(|(_, share)| share).sum::<f64>() - 1.0).abs() < 1e-9);
}

/// A column missing in 30% of rows, where missing means an 80% positive rate and present
/// values mean 10% whatever they are.
fn missing_signal(rows: usize, seed: u64) -> (Table, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut values, mut labels) = (vec![], vec![]);
    for _ in 0..rows {
        let missing = rng.gen::<f64>() < 0.3;
        values.push(if missing { f64::NAN } else { rng.gen_range(0.0..100.0) });
        labels.push(rng.gen::<f64>() < if missing { 0.8 } else { 0.1 });
    }
    let mut table = Table::new();
    table.push_numeric("last_visit_days", values);
    (table, labels)
}

#[test]
fn missing_values_learn_their_own_direction() {
    let (train, labels) = missing_signal(5000, 3);
    let model = Model::fit(&train, &labels, &TrainOptions::default()).unwrap();
    let mut probe = Table::new();
    probe.push_numeric("last_visit_days", vec![f64::NAN, 10.0, 90.0]);
    let scores = model.predict(&probe);
    assert!((scores[0] - 0.8).abs() < 0.06, "{scores:?}");
    assert!((scores[1] - 0.1).abs() < 0.06 && (scores[2] - 0.1).abs() < 0.06, "{scores:?}");
    // A table without the column at all scores as missing.
    let mut other = Table::new();
    other.push_numeric("unrelated", vec![1.0]);
    assert!((model.predict(&other)[0] - scores[0]).abs() < 1e-12);
}

#[test]
fn categories_split_natively_and_unseen_ones_score_without_failing() {
    let industries = ["software", "education", "retail", "finance", "health", "media", "energy", "travel"];
    let rates = [0.6, 0.05, 0.2, 0.5, 0.3, 0.1, 0.4, 0.15];
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let (mut values, mut labels) = (vec![], vec![]);
    for _ in 0..8000 {
        let pick = rng.gen_range(0..industries.len());
        values.push(Some(industries[pick].to_string()));
        labels.push(rng.gen::<f64>() < rates[pick]);
    }
    let mut table = Table::new();
    table.push_categorical("industry", values);
    let model = Model::fit(&table, &labels, &TrainOptions::default()).unwrap();
    let mut probe = Table::new();
    let mut names: Vec<Option<String>> = industries.iter().map(|name| Some(name.to_string())).collect();
    names.push(Some("aerospace".to_string()));
    names.push(None);
    probe.push_categorical("industry", names);
    let scores = model.predict(&probe);
    for (index, rate) in rates.iter().enumerate() {
        assert!((scores[index] - rate).abs() < 0.06, "{}: {} vs {rate}", industries[index], scores[index]);
    }
    assert!(
        scores[8] > 0.0 && scores[8] < 1.0 && scores[8] == scores[9],
        "unseen scores as missing: {scores:?}"
    );
}

/// y ~ Bernoulli(sigmoid(1.5·a − b + c·[kind = "x"])), with a, b, c uniform.
fn smooth(rows: usize, seed: u64) -> (Table, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut a, mut b, mut kind, mut labels) = (vec![], vec![], vec![], vec![]);
    for _ in 0..rows {
        let (x, y): (f64, f64) = (rng.gen_range(-2.0..2.0), rng.gen_range(-2.0..2.0));
        let k = rng.gen_bool(0.5);
        a.push(x);
        b.push(y);
        kind.push(Some(if k { "x" } else { "y" }.to_string()));
        labels.push(rng.gen::<f64>() < sigmoid(1.5 * x - y + if k { 1.0 } else { -1.0 }));
    }
    let mut table = Table::new();
    table.push_numeric("a", a);
    table.push_numeric("b", b);
    table.push_categorical("kind", kind);
    (table, labels)
}

#[test]
fn calibrated_probabilities_match_observed_rates_on_held_out_rows() {
    let (train, train_labels) = smooth(20_000, 5);
    let (test, test_labels) = smooth(20_000, 6);
    let model = Model::fit(&train, &train_labels, &TrainOptions::default()).unwrap();
    let scores = model.predict(&test);
    for bin in calibration_bins(&scores, &test_labels, 10) {
        if bin.count >= 300 {
            assert!((bin.mean_predicted - bin.observed_rate).abs() < 0.05, "{bin:?}");
        }
    }
    let slope = model.calibration().slope;
    assert!(slope > 0.5 && slope < 2.0, "calibration slope {slope}");
}

#[test]
fn contributions_add_up_to_the_log_odds_minus_the_base() {
    let (table, labels) = smooth(5000, 7);
    let model = Model::fit(&table, &labels, &TrainOptions::default()).unwrap();
    let log_odds = model.predict_log_odds(&table);
    let probabilities = model.predict(&table);
    for row in [0, 1, 17, 999, 4999] {
        let contributions = model.explain(&table, row);
        assert_eq!(contributions.len(), 3);
        let total: f64 = contributions.iter().map(|c| c.effect).sum();
        assert!((model.base_log_odds() + total - log_odds[row]).abs() < 1e-9, "row {row}");
        assert!((sigmoid(log_odds[row]) - probabilities[row]).abs() < 1e-12);
        assert!(contributions.windows(2).all(|pair| pair[0].effect.abs() >= pair[1].effect.abs()));
    }
    // The row's own values are shown: "kind" is categorical, "a" numeric.
    let shown = model.explain(&table, 0);
    let kind = shown.iter().find(|c| c.feature == "kind").unwrap();
    assert!(kind.value == "x" || kind.value == "y");
    // Signs follow the generating model: a large `a` raises the score.
    let mut probe = Table::new();
    probe.push_numeric("a", vec![1.9]);
    probe.push_numeric("b", vec![0.0]);
    probe.push_categorical("kind", vec![Some("x".into())]);
    let a = model.explain(&probe, 0).into_iter().find(|c| c.feature == "a").unwrap();
    assert!(a.effect > 0.5 && a.value == "1.9", "{a:?}");
}

#[test]
fn the_same_seed_gives_the_same_model_and_it_survives_json() {
    let (table, labels) = smooth(3000, 8);
    let options = TrainOptions { seed: 11, ..TrainOptions::default() };
    let first = Model::fit(&table, &labels, &options).unwrap();
    let second = Model::fit(&table, &labels, &options).unwrap();
    assert_eq!(first, second);
    let other = Model::fit(&table, &labels, &TrainOptions { seed: 12, ..options }).unwrap();
    assert_ne!(first, other, "the seed picks the validation split");
    let json = serde_json::to_string(&first).unwrap();
    let loaded: Model = serde_json::from_str(&json).unwrap();
    // serde_json's default float parsing may differ from the written value in the last bit.
    for (loaded, original) in loaded.predict(&table).iter().zip(first.predict(&table)) {
        assert!((loaded - original).abs() < 1e-12);
    }
}

#[test]
fn scoring_in_blocks_gives_each_row_its_own_score() {
    let (table, labels) = smooth(3000, 13);
    let model = Model::fit(&table, &labels, &TrainOptions::default()).unwrap();
    // Sizes around the walk's groups of four and blocks of 256 rows.
    for rows in [1, 3, 4, 5, 7, 256, 257, 263, 3000] {
        let indices: Vec<usize> = (0..rows).collect();
        let together = model.predict(&table.select_rows(&indices));
        for row in [0, rows / 2, rows - 1] {
            let alone = model.predict(&table.select_rows(&[row]));
            assert_eq!(together[row], alone[0], "row {row} of {rows}");
        }
    }
}

#[test]
fn early_stopping_keeps_the_best_round() {
    let (table, labels) = missing_signal(3000, 9);
    let model = Model::fit(&table, &labels, &TrainOptions::default()).unwrap();
    let losses = model.validation_loss();
    let best = losses.iter().copied().fold(f64::INFINITY, f64::min);
    let best_round = losses.iter().position(|&loss| loss == best).unwrap() + 1;
    assert_eq!(model.tree_count(), best_round);
    assert!(losses.len() < 1000, "stopped early after {} rounds", losses.len());
}

#[test]
fn bad_training_input_is_refused_with_a_reason() {
    let (table, labels) = missing_signal(100, 10);
    let options = TrainOptions::default();
    assert_eq!(
        Model::fit(&table, &labels[..50], &options).unwrap_err(),
        ModelError::LabelCount { rows: 100, labels: 50 }
    );
    assert_eq!(
        Model::fit(&table, &[false; 100], &options).unwrap_err(),
        ModelError::OneClass { positive: false }
    );
    assert_eq!(Model::fit(&Table::new(), &[], &options).unwrap_err(), ModelError::NoFeatures);
    let error = Model::fit(&table, &labels, &TrainOptions { max_leaves: 1, ..options }).unwrap_err();
    assert!(error.to_string().contains("max_leaves"), "{error}");
}
