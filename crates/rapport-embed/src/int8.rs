//! int8 matrix products for the encoder's linear layers, on CPUs with AVX-512 VNNI.
//!
//! A one-hour call is about 13,000 tokens, and the six layers' linear projections are 95% of
//! the encoder's arithmetic (≈ 138 G multiply-adds per call). In f32 one core does at most 16
//! multiply-adds per cycle per FMA pipe; `vpdpbusd` does 64 byte products per instruction, so
//! the same projections in int8 take about a quarter of the time.
//!
//! The quantisation is the usual dynamic one (as ONNX Runtime's for this model): weights are
//! int8 with one scale per output feature, fixed at load; each input row is mapped onto the
//! 256 levels of a byte by its own range (from min(row, 0) to max(row, 0)) when the product
//! runs, so a lopsided row such as GELU's output (≥ −0.17) keeps all 8 bits instead of 7.
//! `vpdpbusd` multiplies unsigned by signed bytes, which is exactly that byte times a weight;
//! the zero point's share (`zero × Σ weights` per output) is taken off the sum afterwards.
//! Sums are exact in i32 (1536 × 255 × 127 ≪ 2³¹), so the only error is the rounding of
//! inputs and weights to their levels.
//!
//! Weights are packed once into panels of 64 output features: for each group of 4 inputs,
//! four 64-byte vectors hold the 16 × 4 weights that four accumulators need, so the kernel
//! streams each panel front to back. The kernel keeps 6 rows × 64 outputs in 24 registers.
//!
//! This is the workspace's only `unsafe` code: AVX-512 intrinsics need it. Every pointer the
//! kernel reads is derived from a slice whose size `forward` checks before entering it, and
//! the CPU features are checked at run time (`supported`) before any of it runs.
#![allow(unsafe_code)]

/// Output features per panel: four 16-lane vectors.
const PANEL: usize = 64;
/// Rows per kernel call: 6 × 4 accumulators + 4 weight vectors + 1 broadcast fit in 32
/// registers.
const ROWS: usize = 6;

/// Whether this CPU runs the int8 path (AVX-512 F/BW and VNNI). Elsewhere the encoder stays
/// in f32.
pub(crate) fn supported() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vnni")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// What follows the product, in the same pass over the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activation {
    None,
    /// BERT's GELU, `x · Φ(x)` with the exact normal CDF (erf), as `gelu_erf`.
    Gelu,
}

/// `y = x Wᵀ + b` for a weight matrix `W` of `outputs × inputs`, quantised and packed.
#[derive(Debug)]
pub(crate) struct Int8Linear {
    inputs: usize,
    outputs: usize,
    /// Inputs rounded up to a multiple of 4 (zeros beyond `inputs`).
    inputs_padded: usize,
    /// Panels of `PANEL` outputs (zeros beyond `outputs`), laid out as the kernel reads them.
    packed: Vec<i8>,
    /// Per output (padded): the weight scale, the sum of its int8 weights, and the bias.
    scales: Vec<f32>,
    weight_sums: Vec<i32>,
    bias: Vec<f32>,
    activation: Activation,
}

impl Int8Linear {
    /// `weight` is row-major `outputs × inputs` (PyTorch's `Linear.weight`), `bias` has
    /// `outputs` values.
    pub fn new(weight: &[f32], bias: &[f32], outputs: usize, activation: Activation) -> Int8Linear {
        assert!(outputs > 0 && weight.len().is_multiple_of(outputs) && bias.len() == outputs);
        let inputs = weight.len() / outputs;
        let inputs_padded = inputs.div_ceil(4) * 4;
        let outputs_padded = outputs.div_ceil(PANEL) * PANEL;
        let groups = inputs_padded / 4;
        let mut packed = vec![0i8; outputs_padded * inputs_padded];
        let mut scales = vec![0f32; outputs_padded];
        let mut weight_sums = vec![0i32; outputs_padded];
        let mut bias_padded = vec![0f32; outputs_padded];
        for output in 0..outputs {
            let row = &weight[output * inputs..(output + 1) * inputs];
            let largest = row.iter().fold(0f32, |m, w| m.max(w.abs()));
            let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
            let (panel, lane) = (output / PANEL, output % PANEL);
            let (vector, column) = (lane / 16, lane % 16);
            let mut sum = 0i32;
            for (input, w) in row.iter().enumerate() {
                let q = (w / scale).round().clamp(-127.0, 127.0) as i8;
                sum += i32::from(q);
                let (group, byte) = (input / 4, input % 4);
                let at = ((panel * groups + group) * 4 + vector) * 64 + column * 4 + byte;
                packed[at] = q;
            }
            scales[output] = scale;
            weight_sums[output] = sum;
            bias_padded[output] = bias[output];
        }
        Int8Linear {
            inputs,
            outputs,
            inputs_padded,
            packed,
            scales,
            weight_sums,
            bias: bias_padded,
            activation,
        }
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `x` is row-major `rows × inputs`; returns `rows × outputs`. Only call when
    /// [`supported`] is true.
    pub fn forward(&self, x: &[f32], rows: usize) -> Vec<f32> {
        assert_eq!(x.len(), rows * self.inputs, "input is not rows × inputs");
        assert!(supported(), "int8 path on a CPU without AVX-512 VNNI");
        let mut quantised = vec![0u8; rows * self.inputs_padded];
        let mut row_scales = vec![RowScale::default(); rows];
        let mut y = vec![0f32; rows * self.outputs];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `supported()` checked the target features; every buffer is sized above.
        unsafe {
            for ((row, out), scale) in x
                .chunks_exact(self.inputs)
                .zip(quantised.chunks_exact_mut(self.inputs_padded))
                .zip(&mut row_scales)
            {
                *scale = vnni::quantise_row(row, &mut out[..self.inputs]);
            }
            vnni::product(self, &quantised, &row_scales, rows, &mut y);
        }
        y
    }

    /// The same result computed one multiply at a time, for tests of the kernel.
    #[cfg(test)]
    pub fn forward_reference(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let groups = self.inputs_padded / 4;
        let mut y = vec![0f32; rows * self.outputs];
        for r in 0..rows {
            let mut q = vec![0u8; self.inputs_padded];
            let row = quantise_row(&x[r * self.inputs..(r + 1) * self.inputs], &mut q[..self.inputs]);
            for o in 0..self.outputs {
                let (panel, lane) = (o / PANEL, o % PANEL);
                let mut sum = 0i32;
                for (i, &byte) in q.iter().enumerate() {
                    let at = ((panel * groups + i / 4) * 4 + lane / 16) * 64 + (lane % 16) * 4 + i % 4;
                    sum += i32::from(byte) * i32::from(self.packed[at]);
                }
                let v =
                    (sum - row.zero * self.weight_sums[o]) as f32 * row.scale * self.scales[o] + self.bias[o];
                y[r * self.outputs + o] = match self.activation {
                    Activation::None => v,
                    Activation::Gelu => gelu_reference(v),
                };
            }
        }
        y
    }
}

/// How one quantised input row maps back: value = (byte − zero) × scale.
#[derive(Debug, Clone, Copy, Default)]
struct RowScale {
    scale: f32,
    zero: i32,
}

impl RowScale {
    /// The byte levels for values from `low` ≤ 0 to `high` ≥ 0; 0 is exactly level `zero`.
    fn spanning(low: f32, high: f32) -> RowScale {
        let range = high - low;
        if !range.is_finite() {
            return RowScale { scale: f32::NAN, zero: 0 };
        }
        if range == 0.0 {
            return RowScale { scale: 1.0, zero: 0 };
        }
        let scale = range / 255.0;
        RowScale { scale, zero: (-low / scale).round_ties_even() as i32 }
    }

    fn byte(self, value: f32) -> u8 {
        // Ties to even, as the vector conversion does.
        ((value / self.scale).round_ties_even() as i32 + self.zero).clamp(0, 255) as u8
    }
}

/// Quantises a row onto bytes; the tests' reference for `vnni::quantise_row`.
#[cfg(test)]
fn quantise_row(row: &[f32], out: &mut [u8]) -> RowScale {
    let low = row.iter().fold(0f32, |m, &v| m.min(v));
    let high = row.iter().fold(0f32, |m, &v| m.max(v));
    let scale = RowScale::spanning(low, high);
    for (byte, &v) in out.iter_mut().zip(row) {
        *byte = scale.byte(v);
    }
    scale
}

#[cfg(test)]
fn gelu_reference(x: f32) -> f32 {
    0.5 * x * (1.0 + erf_reference(f64::from(x) / std::f64::consts::SQRT_2) as f32)
}

/// erf to double precision (Abramowitz–Stegun 7.1.28 is too coarse; this is the series /
/// continued fraction split), only for tests.
#[cfg(test)]
fn erf_reference(x: f64) -> f64 {
    if x.abs() < 2.5 {
        // Maclaurin series: converges fast below 2.5.
        let (mut term, mut sum, x2) = (x, x, x * x);
        for n in 1..60 {
            term *= -x2 / n as f64;
            sum += term / (2 * n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    } else {
        // erfc by its continued fraction, accurate well beyond 2.5.
        let mut fraction = 0.0;
        for n in (1..60).rev() {
            fraction = (n as f64 / 2.0) / (x.abs() + fraction);
        }
        let erfc = (-x * x).exp() / (std::f64::consts::PI.sqrt() * (x.abs() + fraction));
        (1.0 - erfc).copysign(x)
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use vnni::exp as exp_nonpositive;

#[cfg(target_arch = "x86_64")]
mod vnni {
    use std::arch::x86_64::*;

    use super::{Activation, Int8Linear, RowScale, PANEL, ROWS};

    /// Fills `y` (`rows × outputs`) from the quantised rows.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) unsafe fn product(
        layer: &Int8Linear,
        a: &[u8],
        a_scales: &[RowScale],
        rows: usize,
        y: &mut [f32],
    ) {
        let groups = layer.inputs_padded / 4;
        let panels = layer.scales.len() / PANEL;
        for panel in 0..panels {
            let weights = layer.packed.as_ptr().add(panel * groups * 4 * 64);
            let mut row = 0;
            while row < rows {
                let count = ROWS.min(rows - row);
                let mut acc = [[_mm512_setzero_si512(); 4]; ROWS];
                let a_rows = a.as_ptr().add(row * layer.inputs_padded);
                match count {
                    6 => kernel::<6>(a_rows, layer.inputs_padded, weights, groups, &mut acc),
                    5 => kernel::<5>(a_rows, layer.inputs_padded, weights, groups, &mut acc),
                    4 => kernel::<4>(a_rows, layer.inputs_padded, weights, groups, &mut acc),
                    3 => kernel::<3>(a_rows, layer.inputs_padded, weights, groups, &mut acc),
                    2 => kernel::<2>(a_rows, layer.inputs_padded, weights, groups, &mut acc),
                    _ => kernel::<1>(a_rows, layer.inputs_padded, weights, groups, &mut acc),
                }
                for (r, sums) in acc.iter().take(count).enumerate() {
                    let out = &mut y[(row + r) * layer.outputs..(row + r + 1) * layer.outputs];
                    store(layer, panel, sums, a_scales[row + r], out);
                }
                row += count;
            }
        }
    }

    /// As the scalar `quantise_row`, sixteen values at a time (conversion rounds ties to even).
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) unsafe fn quantise_row(row: &[f32], out: &mut [u8]) -> RowScale {
        let full = row.len() / 16 * 16;
        let (mut low, mut high) = (_mm512_setzero_ps(), _mm512_setzero_ps());
        for start in (0..full).step_by(16) {
            let v = _mm512_loadu_ps(row.as_ptr().add(start));
            low = _mm512_min_ps(low, v);
            high = _mm512_max_ps(high, v);
        }
        let tail = &row[full..];
        let low = tail.iter().fold(_mm512_reduce_min_ps(low), |m, &v| m.min(v));
        let high = tail.iter().fold(_mm512_reduce_max_ps(high), |m, &v| m.max(v));
        let scale = RowScale::spanning(low, high);
        // Division, not multiplication by a reciprocal, so the bytes equal the scalar ones.
        let (divisor, zero) = (_mm512_set1_ps(scale.scale), _mm512_set1_epi32(scale.zero));
        let (floor, ceiling) = (_mm512_setzero_si512(), _mm512_set1_epi32(255));
        for start in (0..full).step_by(16) {
            let q = _mm512_cvtps_epi32(_mm512_div_ps(_mm512_loadu_ps(row.as_ptr().add(start)), divisor));
            let q = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(q, zero), floor), ceiling);
            _mm_storeu_si128(out.as_mut_ptr().add(start).cast(), _mm512_cvtepi32_epi8(q));
        }
        for (byte, &v) in out[full..].iter_mut().zip(tail) {
            *byte = scale.byte(v);
        }
        scale
    }

    /// Accumulates `R` rows × 64 outputs over all input groups.
    #[inline(always)]
    unsafe fn kernel<const R: usize>(
        a: *const u8,
        stride: usize,
        weights: *const i8,
        groups: usize,
        acc: &mut [[__m512i; 4]; ROWS],
    ) {
        let mut sums = [[_mm512_setzero_si512(); 4]; R];
        for group in 0..groups {
            let w = weights.add(group * 4 * 64);
            let w0 = _mm512_loadu_si512(w.cast());
            let w1 = _mm512_loadu_si512(w.add(64).cast());
            let w2 = _mm512_loadu_si512(w.add(128).cast());
            let w3 = _mm512_loadu_si512(w.add(192).cast());
            for (r, sum) in sums.iter_mut().enumerate() {
                let four = std::ptr::read_unaligned(a.add(r * stride + group * 4).cast::<i32>());
                let broadcast = _mm512_set1_epi32(four);
                sum[0] = _mm512_dpbusd_epi32(sum[0], broadcast, w0);
                sum[1] = _mm512_dpbusd_epi32(sum[1], broadcast, w1);
                sum[2] = _mm512_dpbusd_epi32(sum[2], broadcast, w2);
                sum[3] = _mm512_dpbusd_epi32(sum[3], broadcast, w3);
            }
        }
        acc[..R].copy_from_slice(&sums);
    }

    /// Scales one row's 64 sums back to f32, adds the bias, applies the activation and
    /// stores the outputs that exist (the last panel may be partly padding).
    #[inline(always)]
    unsafe fn store(layer: &Int8Linear, panel: usize, sums: &[__m512i; 4], row: RowScale, out: &mut [f32]) {
        let (a_scale, zero) = (_mm512_set1_ps(row.scale), _mm512_set1_epi32(row.zero));
        for (vector, sum) in sums.iter().enumerate() {
            let first = panel * PANEL + vector * 16;
            if first >= layer.outputs {
                break;
            }
            let weight_sums = _mm512_loadu_si512(layer.weight_sums.as_ptr().add(first).cast());
            let offsets = _mm512_mullo_epi32(weight_sums, zero);
            let scales = _mm512_mul_ps(_mm512_loadu_ps(layer.scales.as_ptr().add(first)), a_scale);
            let bias = _mm512_loadu_ps(layer.bias.as_ptr().add(first));
            let exact = _mm512_cvtepi32_ps(_mm512_sub_epi32(*sum, offsets));
            let mut v = _mm512_fmadd_ps(exact, scales, bias);
            if layer.activation == Activation::Gelu {
                v = gelu(v);
            }
            let left = layer.outputs - first;
            if left >= 16 {
                _mm512_storeu_ps(out.as_mut_ptr().add(first), v);
            } else {
                _mm512_mask_storeu_ps(out.as_mut_ptr().add(first), (1u16 << left) - 1, v);
            }
        }
    }

    /// `x · Φ(x)`: Φ from erf by Abramowitz–Stegun 7.1.26 (absolute error ≤ 1.5e-7, below
    /// f32's own rounding of Φ), with exp from a degree-6 polynomial on [−½, ½] scaled by a
    /// power of two.
    #[inline(always)]
    unsafe fn gelu(x: __m512) -> __m512 {
        let z = _mm512_mul_ps(x, _mm512_set1_ps(std::f32::consts::FRAC_1_SQRT_2));
        let a = _mm512_abs_ps(z);
        let t = _mm512_div_ps(
            _mm512_set1_ps(1.0),
            _mm512_fmadd_ps(a, _mm512_set1_ps(0.327_591_1), _mm512_set1_ps(1.0)),
        );
        let mut p = _mm512_set1_ps(1.061_405_4);
        for c in [-1.453_152_1f32, 1.421_413_8, -0.284_496_74, 0.254_829_6] {
            p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(c));
        }
        p = _mm512_mul_ps(p, t);
        let e = exp(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a)));
        let erf_abs = _mm512_fnmadd_ps(p, e, _mm512_set1_ps(1.0));
        // erf is odd: put z's sign back.
        let sign = _mm512_and_si512(_mm512_castps_si512(z), _mm512_set1_epi32(i32::MIN));
        let erf = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(erf_abs), sign));
        let half_x = _mm512_mul_ps(x, _mm512_set1_ps(0.5));
        _mm512_fmadd_ps(half_x, erf, half_x)
    }

    /// eˣ for x ≤ 0 (all GELU and softmax need): 2^(x log₂e) split into an integer power,
    /// applied by `scalef`, and a fraction in [−½, ½] by its Taylor polynomial.
    #[inline(always)]
    pub(crate) unsafe fn exp(x: __m512) -> __m512 {
        let t =
            _mm512_mul_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0)), _mm512_set1_ps(std::f32::consts::LOG2_E));
        let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(t);
        let f = _mm512_mul_ps(_mm512_sub_ps(t, n), _mm512_set1_ps(std::f32::consts::LN_2));
        let mut p = _mm512_set1_ps(1.0 / 720.0);
        for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
            p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(c));
        }
        _mm512_scalef_ps(p, n)
    }
}

#[cfg(test)]
#[path = "int8_tests.rs"]
mod tests;
