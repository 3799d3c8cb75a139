//! Self-attention of a padded batch in one pass, for the int8 encoder: from the fused
//! query/key/value rows straight to the context rows, with no transposed copies, no
//! `(batch, heads, length, length)` score tensor and no mask tensor (each sentence's real
//! length says which keys exist).
//!
//! With int8 projections, candle's general path (three strided copies, two batched products
//! over matrices of ~15 × 32, a softmax and a copy back) took a quarter of a call's time
//! for 1% of its arithmetic. Here, per sentence and head, the keys are laid out transposed
//! once so that each query scores 16 keys per instruction, and the softmax and weighted sum
//! run in registers. Like the int8 products it needs AVX-512 (checked by
//! [`crate::int8::supported`] before the encoder chooses int8).
#![allow(unsafe_code)]

use candle_core::{CpuStorage, CustomOp1, Layout, Shape};

/// Only all-MiniLM-L6-v2's head size (and BERT-base's 64 is not needed): 2 vectors of 16.
pub(crate) const HEAD_SIZE: usize = 32;

/// The op: `(batch × length, 3 × hidden)` rows of query | key | value, each `heads` heads of
/// [`HEAD_SIZE`], to `(batch × length, hidden)` context rows.
#[derive(Debug)]
pub(crate) struct Attention {
    /// Real tokens of each sentence; the rest of its `length` rows are padding.
    pub lengths: Vec<usize>,
    pub length: usize,
    pub heads: usize,
}

impl Attention {
    fn hidden(&self) -> usize {
        self.heads * HEAD_SIZE
    }

    /// The context rows of `qkv`; rows of padding (past a sentence's length) are left zero,
    /// as nothing reads them: not the pooling, and not attention (padding is no one's key).
    pub fn forward(&self, qkv: &[f32]) -> Vec<f32> {
        let hidden = self.hidden();
        assert_eq!(
            qkv.len(),
            self.lengths.len() * self.length * 3 * hidden,
            "qkv is not batch × length rows"
        );
        assert!(
            self.lengths.iter().all(|&len| len >= 1 && len <= self.length),
            "a sentence length is out of range"
        );
        assert!(crate::int8::supported(), "attention kernel on a CPU without AVX-512");
        let mut out = vec![0f32; self.lengths.len() * self.length * hidden];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU features were checked above, and the sizes of `qkv` and `out`.
        unsafe {
            simd::attention(self, qkv, &mut out);
        }
        out
    }

    /// The textbook computation, one multiply at a time, for tests.
    #[cfg(test)]
    pub fn forward_reference(&self, qkv: &[f32]) -> Vec<f32> {
        let hidden = self.hidden();
        let mut out = vec![0f32; self.lengths.len() * self.length * hidden];
        let scale = 1.0 / (HEAD_SIZE as f32).sqrt();
        let row = |b: usize, i: usize| (b * self.length + i) * 3 * hidden;
        for (b, &len) in self.lengths.iter().enumerate() {
            for h in 0..self.heads {
                for i in 0..len {
                    let q = &qkv[row(b, i) + h * HEAD_SIZE..][..HEAD_SIZE];
                    let scores: Vec<f32> = (0..len)
                        .map(|j| {
                            let k = &qkv[row(b, j) + hidden + h * HEAD_SIZE..][..HEAD_SIZE];
                            q.iter().zip(k).map(|(a, b)| a * b).sum::<f32>() * scale
                        })
                        .collect();
                    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let weights: Vec<f32> = scores.iter().map(|s| (s - max).exp()).collect();
                    let total: f32 = weights.iter().sum();
                    let context = &mut out[(b * self.length + i) * hidden + h * HEAD_SIZE..][..HEAD_SIZE];
                    for (j, w) in weights.iter().enumerate() {
                        let v = &qkv[row(b, j) + 2 * hidden + h * HEAD_SIZE..][..HEAD_SIZE];
                        for (c, x) in context.iter_mut().zip(v) {
                            *c += w / total * x;
                        }
                    }
                }
            }
        }
        out
    }
}

/// What both custom ops take: a contiguous f32 matrix, as its slice, rows and width.
pub(crate) fn rows_of<'a>(
    op: &str,
    storage: &'a CpuStorage,
    layout: &Layout,
) -> candle_core::Result<(&'a [f32], usize, usize)> {
    let CpuStorage::F32(data) = storage else {
        candle_core::bail!("{op} takes f32 input");
    };
    let (rows, width) = layout.shape().dims2()?;
    let Some((start, end)) = layout.contiguous_offsets() else {
        candle_core::bail!("{op} needs a contiguous input");
    };
    Ok((&data[start..end], rows, width))
}

impl CustomOp1 for Attention {
    fn name(&self) -> &'static str {
        "fused-attention"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (data, rows, width) = rows_of(self.name(), storage, layout)?;
        if rows != self.lengths.len() * self.length || width != 3 * self.hidden() {
            candle_core::bail!("fused-attention got {rows} × {width}, not batch × length rows of q|k|v");
        }
        Ok((CpuStorage::F32(self.forward(data)), Shape::from((rows, self.hidden()))))
    }
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    use super::{Attention, HEAD_SIZE};
    use crate::int8::exp_nonpositive;

    /// What every group of queries of one sentence and head shares.
    struct Head {
        /// The sentence's first row of q|k|v, and of context.
        rows: *const f32,
        context: *mut f32,
        /// Row strides of the two, and the head's offset in a row.
        stride: usize,
        hidden: usize,
        offset: usize,
        len: usize,
        blocks: usize,
        width: usize,
    }

    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn attention(op: &Attention, qkv: &[f32], out: &mut [f32]) {
        let hidden = op.heads * HEAD_SIZE;
        let stride = 3 * hidden;
        // Keys of one sentence and head, transposed: HEAD_SIZE rows of `blocks × 16` keys.
        let blocks = op.length.div_ceil(16);
        let width = blocks * 16;
        let mut keys = vec![0f32; HEAD_SIZE * width];
        let mut scores = vec![0f32; QUERIES * width];
        for (b, &len) in op.lengths.iter().enumerate() {
            for h in 0..op.heads {
                let head = Head {
                    rows: qkv.as_ptr().add(b * op.length * stride),
                    context: out.as_mut_ptr().add(b * op.length * hidden),
                    stride,
                    hidden,
                    offset: h * HEAD_SIZE,
                    len,
                    blocks,
                    width,
                };
                keys.fill(0.0);
                for j in 0..len {
                    let key = head.rows.add(j * stride + hidden + head.offset);
                    for d in 0..HEAD_SIZE {
                        keys[d * width + j] = *key.add(d);
                    }
                }
                // Padded queries are skipped: their rows are never pooled, and no real token
                // reads them (they are not keys of anyone), so their context stays zero.
                let mut first = 0;
                while first < len {
                    let (keys, scores) = (keys.as_ptr(), scores.as_mut_ptr());
                    match (len - first).min(QUERIES) {
                        4 => queries::<4>(&head, first, keys, scores),
                        3 => queries::<3>(&head, first, keys, scores),
                        2 => queries::<2>(&head, first, keys, scores),
                        _ => queries::<1>(&head, first, keys, scores),
                    }
                    first += QUERIES;
                }
            }
        }
    }

    /// Queries handled together: each key vector loaded serves all of them, and their sums
    /// are independent chains that keep both FMA pipes busy.
    const QUERIES: usize = 4;

    /// Context rows of queries `first..first + Q` of one sentence and head.
    #[inline(always)]
    unsafe fn queries<const Q: usize>(head: &Head, first: usize, keys: *const f32, scores: *mut f32) {
        let query = |q: usize| head.rows.add((first + q) * head.stride + head.offset);
        let scale = _mm512_set1_ps(1.0 / (HEAD_SIZE as f32).sqrt());
        let mut largest = [_mm512_set1_ps(f32::MIN); Q];
        for block in 0..head.blocks {
            // Even and odd dimensions in separate sums: 2 × Q independent chains.
            let mut sums = [[_mm512_setzero_ps(); 2]; Q];
            for d in (0..HEAD_SIZE).step_by(2) {
                let even = _mm512_loadu_ps(keys.add(d * head.width + block * 16));
                let odd = _mm512_loadu_ps(keys.add((d + 1) * head.width + block * 16));
                for (q, sum) in sums.iter_mut().enumerate() {
                    sum[0] = _mm512_fmadd_ps(_mm512_set1_ps(*query(q).add(d)), even, sum[0]);
                    sum[1] = _mm512_fmadd_ps(_mm512_set1_ps(*query(q).add(d + 1)), odd, sum[1]);
                }
            }
            let real = real_lanes(head.len, block);
            for (q, sum) in sums.iter().enumerate() {
                let score = _mm512_mul_ps(_mm512_add_ps(sum[0], sum[1]), scale);
                let score = _mm512_mask_mov_ps(_mm512_set1_ps(f32::MIN), real, score);
                largest[q] = _mm512_max_ps(largest[q], score);
                _mm512_storeu_ps(scores.add(q * head.width + block * 16), score);
            }
        }
        let mut inverse = [0f32; Q];
        for (q, largest) in largest.iter().enumerate() {
            let largest = _mm512_set1_ps(_mm512_reduce_max_ps(*largest));
            let mut total = _mm512_setzero_ps();
            for block in 0..head.blocks {
                let at = scores.add(q * head.width + block * 16);
                let e = exp_nonpositive(_mm512_sub_ps(_mm512_loadu_ps(at), largest));
                let e = _mm512_maskz_mov_ps(real_lanes(head.len, block), e);
                total = _mm512_add_ps(total, e);
                _mm512_storeu_ps(at, e);
            }
            inverse[q] = 1.0 / _mm512_reduce_add_ps(total);
        }
        // Each value row loaded once for all Q queries: 2 × Q independent chains again.
        let mut context = [[_mm512_setzero_ps(); 2]; Q];
        for j in 0..head.len {
            let value = head.rows.add(j * head.stride + 2 * head.hidden + head.offset);
            let (low, high) = (_mm512_loadu_ps(value), _mm512_loadu_ps(value.add(16)));
            for (q, sum) in context.iter_mut().enumerate() {
                let weight = _mm512_set1_ps(*scores.add(q * head.width + j));
                sum[0] = _mm512_fmadd_ps(weight, low, sum[0]);
                sum[1] = _mm512_fmadd_ps(weight, high, sum[1]);
            }
        }
        for (q, sum) in context.iter().enumerate() {
            let inverse = _mm512_set1_ps(inverse[q]);
            let row = head.context.add((first + q) * head.hidden + head.offset);
            _mm512_storeu_ps(row, _mm512_mul_ps(sum[0], inverse));
            _mm512_storeu_ps(row.add(16), _mm512_mul_ps(sum[1], inverse));
        }
    }

    /// Lanes of key block `block` that are real keys of a sentence of `len` tokens.
    #[inline(always)]
    fn real_lanes(len: usize, block: usize) -> __mmask16 {
        let left = len.saturating_sub(block * 16);
        if left >= 16 {
            u16::MAX
        } else {
            (1u16 << left) - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    #[test]
    fn the_kernel_matches_textbook_attention() {
        if !crate::int8::supported() {
            eprintln!("skipped: no AVX-512 VNNI, the fused attention is never used");
            return;
        }
        let mut rng = SplitMix64::new(3);
        // A sentence of one token, one filling its padded length exactly, one crossing a
        // block of 16 keys, and a length of 40 (three blocks).
        let op = Attention { lengths: vec![1, 40, 17, 33], length: 40, heads: 3 };
        let qkv: Vec<f32> = (0..4 * 40 * 3 * op.hidden()).map(|_| (rng.unit() * 4.0 - 2.0) as f32).collect();
        let (got, expected) = (op.forward(&qkv), op.forward_reference(&qkv));
        for (index, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert!((g - e).abs() < 1e-5 * (1.0 + e.abs()), "element {index}: {g} vs {e}");
        }
        // Padding keys are never attended to: changing them changes nothing.
        let mut changed = qkv.clone();
        let pad_key = (5 * 3 * op.hidden()) + op.hidden();
        changed[pad_key] = 1e6;
        assert_eq!(op.forward(&changed)[..40 * op.hidden()], got[..40 * op.hidden()]);
    }
}
