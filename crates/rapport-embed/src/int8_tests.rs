//! The int8 kernel against a scalar reference of the same arithmetic, against the exact f32
//! product, and its fused GELU against erf in double precision.

use super::*;
use crate::rng::SplitMix64;

fn random(rng: &mut SplitMix64, count: usize, spread: f64) -> Vec<f32> {
    (0..count).map(|_| ((rng.unit() * 2.0 - 1.0) * spread) as f32).collect()
}

fn assert_close(actual: &[f32], expected: &[f32], tolerance: f32, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths");
    for (index, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!((a - e).abs() <= tolerance * (1.0 + e.abs()), "{what}: element {index} is {a}, expected {e}");
    }
}

#[test]
fn the_vector_kernel_matches_the_scalar_reference_on_every_shape() {
    if !supported() {
        eprintln!("skipped: this CPU has no AVX-512 VNNI, so the int8 path is never used");
        return;
    }
    let mut rng = SplitMix64::new(7);
    // Rows not a multiple of 6, inputs not a multiple of 4, outputs not a multiple of 64 or 16.
    for (rows, inputs, outputs) in [(1, 384, 64), (13, 384, 1152), (7, 10, 70), (6, 1536, 384), (20, 3, 5)] {
        for activation in [Activation::None, Activation::Gelu] {
            let weight = random(&mut rng, outputs * inputs, 0.2);
            let bias = random(&mut rng, outputs, 0.5);
            let x = random(&mut rng, rows * inputs, 3.0);
            let layer = Int8Linear::new(&weight, &bias, outputs, activation);
            let what = format!("{rows}×{inputs} → {outputs}, {activation:?}");
            assert_close(&layer.forward(&x, rows), &layer.forward_reference(&x, rows), 2e-5, &what);
        }
    }
}

#[test]
fn int8_products_stay_close_to_the_f32_product() {
    if !supported() {
        return;
    }
    let (rows, inputs, outputs) = (32, 384, 384);
    let mut rng = SplitMix64::new(11);
    let weight = random(&mut rng, outputs * inputs, 0.1);
    let bias = random(&mut rng, outputs, 0.1);
    let x = random(&mut rng, rows * inputs, 2.0);
    let got = Int8Linear::new(&weight, &bias, outputs, Activation::None).forward(&x, rows);
    let (mut error, mut norm) = (0f64, 0f64);
    for r in 0..rows {
        for o in 0..outputs {
            let exact: f32 =
                bias[o] + (0..inputs).map(|i| x[r * inputs + i] * weight[o * inputs + i]).sum::<f32>();
            error += f64::from(got[r * outputs + o] - exact).powi(2);
            norm += f64::from(exact).powi(2);
        }
    }
    // Two roundings to 255 levels: about 1% of the output's size, far from a wrong product.
    let relative = (error / norm).sqrt();
    assert!(relative < 0.02, "relative error {relative}");
    assert!(relative > 0.0, "an int8 product cannot be exact on random data");
}

#[test]
fn gelu_follows_the_erf_definition_to_f32_precision() {
    if !supported() {
        return;
    }
    // One input of zero and unit weights: each output is gelu(bias).
    let points: Vec<f32> = (0..=4000).map(|i| -10.0 + i as f32 * 0.005).collect();
    let layer = Int8Linear::new(&vec![1.0; points.len()], &points, points.len(), Activation::Gelu);
    let got = layer.forward(&[0.0], 1);
    for (x, y) in points.iter().zip(&got) {
        let expected = gelu_reference(*x);
        assert!((y - expected).abs() < 2e-6, "gelu({x}) = {y}, expected {expected}");
    }
}

#[test]
fn a_zero_row_gives_the_bias() {
    if !supported() {
        return;
    }
    let layer = Int8Linear::new(&[0.5, -0.25, 1.0, 2.0], &[0.1, -0.2], 2, Activation::None);
    let got = layer.forward(&[0.0, 0.0, 1.0, -1.0], 2);
    assert_eq!(got[..2], [0.1, -0.2]);
    // 0.5 + 0.25 + 0.1 and 1 − 2 − 0.2, up to the weights' rounding to 255 levels.
    assert_close(&got[2..], &[0.85, -1.2], 0.01, "second row");
}
