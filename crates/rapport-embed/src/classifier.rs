//! The classifier behind a smart tracker: L2-regularised logistic regression on sentence
//! embeddings, with classes weighted to equal total weight (a tracker has ~20 positives and
//! ~150 negatives), fitted by full-batch gradient descent with Nesterov momentum; the loss is
//! convex, so the result does not depend on a seed.
//!
//! Why logistic regression rather than nearest-centroid: a centroid weighs every one of the
//! 384 dimensions alike, so "we have no budget" sits nearly as close to "is that the best you
//! can do?" as a discount ask does; a linear model learns the few directions that separate a
//! concept from its look-alikes (the negatives), which is what negatives are for. With a
//! few hundred examples it fits in milliseconds.

use serde::{Deserialize, Serialize};

/// Strength of the L2 penalty on the weights (not the bias), per weighted example.
pub(crate) const L2: f32 = 1e-3;
const STEPS: usize = 400;
const LEARNING_RATE: f32 = 2.0;
const MOMENTUM: f32 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    pub weights: Vec<f32>,
    pub bias: f32,
}

impl LinearModel {
    /// Probability that `x` belongs to the concept.
    pub fn probability(&self, x: &[f32]) -> f32 {
        let z: f32 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>() + self.bias;
        1.0 / (1.0 + (-z).exp())
    }
}

/// Fits on `examples` (vector, is-positive). Both classes must be present.
pub(crate) fn fit_logistic(examples: &[(&[f32], bool)]) -> LinearModel {
    let dimensions = examples.first().map_or(0, |(x, _)| x.len());
    let positives = examples.iter().filter(|(_, label)| *label).count().max(1) as f32;
    let negatives = (examples.len() as f32 - positives).max(1.0);
    // Each class carries half the total weight, whatever its size.
    let weight_of = |label: bool| if label { 0.5 / positives } else { 0.5 / negatives };
    let mut model = LinearModel { weights: vec![0.0; dimensions], bias: 0.0 };
    let mut velocity = LinearModel { weights: vec![0.0; dimensions], bias: 0.0 };
    let mut gradient = vec![0.0f32; dimensions];
    for _ in 0..STEPS {
        // Nesterov: the gradient is taken at the point the momentum is about to carry us to.
        let look_ahead = LinearModel {
            weights: model.weights.iter().zip(&velocity.weights).map(|(w, v)| w + MOMENTUM * v).collect(),
            bias: model.bias + MOMENTUM * velocity.bias,
        };
        gradient.iter_mut().zip(&look_ahead.weights).for_each(|(g, w)| *g = L2 * w);
        let mut bias_gradient = 0.0;
        for (x, label) in examples {
            let error = (look_ahead.probability(x) - if *label { 1.0 } else { 0.0 }) * weight_of(*label);
            gradient.iter_mut().zip(x.iter()).for_each(|(g, v)| *g += error * v);
            bias_gradient += error;
        }
        for ((w, v), g) in model.weights.iter_mut().zip(velocity.weights.iter_mut()).zip(&gradient) {
            *v = MOMENTUM * *v - LEARNING_RATE * g;
            *w += *v;
        }
        velocity.bias = MOMENTUM * velocity.bias - LEARNING_RATE * bias_gradient;
        model.bias += velocity.bias;
    }
    model
}

/// Precision, recall and F1 of `scores` against `labels` at `threshold` (a score at or above
/// it is a hit). An empty denominator gives 0.
pub(crate) fn precision_recall_f1(scores: &[f32], labels: &[bool], threshold: f32) -> (f32, f32, f32) {
    let (mut true_positives, mut false_positives, mut false_negatives) = (0usize, 0usize, 0usize);
    for (score, label) in scores.iter().zip(labels) {
        match (*score >= threshold, *label) {
            (true, true) => true_positives += 1,
            (true, false) => false_positives += 1,
            (false, true) => false_negatives += 1,
            (false, false) => {}
        }
    }
    let ratio = |num: usize, den: usize| if den == 0 { 0.0 } else { num as f32 / den as f32 };
    let precision = ratio(true_positives, true_positives + false_positives);
    let recall = ratio(true_positives, true_positives + false_negatives);
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (precision, recall, f1)
}

/// The threshold with the best F1 over `scores`: candidates are midpoints between
/// consecutive distinct scores; among equally good ones the middle one is taken, so the
/// threshold sits in the middle of the gap rather than against one example.
pub(crate) fn best_threshold(scores: &[f32], labels: &[bool]) -> f32 {
    let mut sorted: Vec<f32> = scores.to_vec();
    sorted.sort_by(f32::total_cmp);
    sorted.dedup();
    let candidates: Vec<f32> = sorted.windows(2).map(|pair| (pair[0] + pair[1]) / 2.0).collect();
    if candidates.is_empty() {
        return 0.5;
    }
    let f1s: Vec<f32> = candidates.iter().map(|&t| precision_recall_f1(scores, labels, t).2).collect();
    let best = f1s.iter().copied().fold(f32::MIN, f32::max);
    let tied: Vec<f32> =
        candidates.iter().zip(&f1s).filter(|(_, f1)| **f1 == best).map(|(&t, _)| t).collect();
    tied[tied.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_two_directions() {
        let positives: Vec<Vec<f32>> = (0..5).map(|i| vec![1.0, 0.1 * i as f32]).collect();
        let negatives: Vec<Vec<f32>> = (0..20).map(|i| vec![-1.0, 0.05 * i as f32]).collect();
        let examples: Vec<(&[f32], bool)> = positives
            .iter()
            .map(|x| (&x[..], true))
            .chain(negatives.iter().map(|x| (&x[..], false)))
            .collect();
        let model = fit_logistic(&examples);
        assert!(model.probability(&[0.9, 0.2]) > 0.9);
        assert!(model.probability(&[-0.9, 0.2]) < 0.1);
    }

    #[test]
    fn precision_recall_and_threshold() {
        let scores = [0.9, 0.8, 0.4, 0.3, 0.2];
        let labels = [true, true, false, true, false];
        let (precision, recall, f1) = precision_recall_f1(&scores, &labels, 0.5);
        assert_eq!(precision, 1.0);
        assert!((recall - 2.0 / 3.0).abs() < 1e-6 && (f1 - 0.8).abs() < 1e-6, "{recall} {f1}");
        assert_eq!(precision_recall_f1(&scores, &labels, 0.95), (0.0, 0.0, 0.0));
        // Best F1 (6/7) is at 0.25: all three positives and one false positive.
        assert_eq!(best_threshold(&scores, &labels), 0.25);
    }
}
