//! Platt scaling: the calibrated log-odds are `slope · raw + intercept`, fitted by Newton's
//! method on held-out raw scores (the early-stopping split).
//!
//! Why Platt and not isotonic regression: boosting on log loss is already close to calibrated,
//! and what early stopping and shrinkage leave is mostly a scale and shift of the log-odds,
//! which two parameters capture; two parameters cannot overfit a validation split of a few
//! hundred rows, where isotonic steps would; and a strictly increasing map keeps the ranking,
//! so the AUC is exactly that of the trees and explanations stay additive (each contribution
//! is scaled by the slope).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub slope: f64,
    pub intercept: f64,
}

impl Platt {
    pub const IDENTITY: Platt = Platt { slope: 1.0, intercept: 0.0 };

    pub fn apply(&self, raw: f64) -> f64 {
        self.slope * raw + self.intercept
    }

    /// Fits on held-out scores; identity when they cannot support a fit (one class, too few
    /// rows) or the fit would turn the ranking around.
    pub fn fit(raw: &[f64], labels: &[bool]) -> Platt {
        let positives = labels.iter().filter(|&&label| label).count();
        if raw.len() < 50 || positives == 0 || positives == labels.len() {
            return Platt::IDENTITY;
        }
        let (mut slope, mut intercept) = (1.0f64, 0.0f64);
        let mut loss = log_loss(raw, labels, slope, intercept);
        for _ in 0..100 {
            // Gradient and Hessian of the mean log loss in (slope, intercept).
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for (&score, &label) in raw.iter().zip(labels) {
                let p = sigmoid(slope * score + intercept);
                let residual = p - f64::from(u8::from(label));
                let weight = (p * (1.0 - p)).max(1e-12);
                ga += residual * score;
                gb += residual;
                haa += weight * score * score;
                hab += weight * score;
                hbb += weight;
            }
            let determinant = haa * hbb - hab * hab;
            if determinant.abs() < 1e-12 {
                break;
            }
            let step_a = (hbb * ga - hab * gb) / determinant;
            let step_b = (haa * gb - hab * ga) / determinant;
            // Halve the step until the loss goes down (Newton can overshoot far from the optimum).
            let mut scale = 1.0;
            let mut improved = false;
            while scale > 1e-6 {
                let (next_slope, next_intercept) = (slope - scale * step_a, intercept - scale * step_b);
                let next_loss = log_loss(raw, labels, next_slope, next_intercept);
                if next_loss < loss {
                    (slope, intercept, loss, improved) = (next_slope, next_intercept, next_loss, true);
                    break;
                }
                scale /= 2.0;
            }
            if !improved || (step_a.abs() + step_b.abs()) * scale < 1e-10 {
                break;
            }
        }
        if slope > 0.0 && slope.is_finite() && intercept.is_finite() {
            Platt { slope, intercept }
        } else {
            Platt::IDENTITY
        }
    }
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn log_loss(raw: &[f64], labels: &[bool], slope: f64, intercept: f64) -> f64 {
    let total: f64 = raw
        .iter()
        .zip(labels)
        .map(|(&score, &label)| {
            let z = slope * score + intercept;
            // log(1 + e^z) − y·z, computed without overflow.
            let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
            softplus - if label { z } else { 0.0 }
        })
        .sum();
    total / raw.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_scale_and_shift() {
        // Labels drawn with true log-odds 2·raw − 1, from a fixed sequence of uniforms.
        let mut state = 12345u64;
        let mut uniform = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let raw: Vec<f64> = (0..20_000).map(|i| f64::from(i % 400) / 100.0 - 2.0).collect();
        let labels: Vec<bool> = raw.iter().map(|&score| uniform() < sigmoid(2.0 * score - 1.0)).collect();
        let platt = Platt::fit(&raw, &labels);
        assert!((platt.slope - 2.0).abs() < 0.1, "{platt:?}");
        assert!((platt.intercept + 1.0).abs() < 0.1, "{platt:?}");
    }

    #[test]
    fn one_class_leaves_scores_alone() {
        assert_eq!(Platt::fit(&[0.5; 100], &[true; 100]), Platt::IDENTITY);
    }
}
