//! The BERT encoder all-MiniLM-L6-v2 is (6 layers, 12 heads, 384 wide), written against
//! candle-core/candle-nn. It is the forward pass of Hugging Face's `BertModel` without the
//! pooler, dropout or training paths; the query, key and value projections are fused into one
//! matrix product per layer because on short sentences the products' count, not their size,
//! dominates.
//!
//! On CPUs with AVX-512 VNNI the four linear projections of each layer run in int8
//! ([`crate::int8`], as candle custom ops, GELU fused into the intermediate one); elsewhere,
//! or when asked for [`Precision::F32`], every product is candle's f32 `Linear`.

use std::collections::HashMap;

use candle_core::{CpuStorage, CustomOp1, DType, Device, Layout, Module, Shape, Tensor, D};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};
use serde::Deserialize;

use crate::attention::{rows_of, Attention, HEAD_SIZE};
use crate::int8::{Activation, Int8Linear};

/// How a layer's attention keeps padding out: the fused int8-path kernel by sentence
/// lengths, candle's f32 path by a mask added to the scores.
enum Attend {
    Fused(Attention),
    Masked(Tensor),
}

/// How the encoder's linear projections compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// candle's f32 products: the reference, and the only choice without AVX-512 VNNI.
    F32,
    /// int8 weights and per-row int8 inputs with i32 sums (about 4× fewer cycles); sentence
    /// vectors stay within ≈ 0.99 cosine of f32's (measured by `bench/analysis/embeddings.sh`).
    Int8,
}

/// The fields of a Hugging Face `config.json` the encoder needs.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_type_vocab_size")]
    pub type_vocab_size: usize,
    #[serde(default = "default_layer_norm_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_hidden_act")]
    pub hidden_act: String,
}

fn default_type_vocab_size() -> usize {
    2
}
fn default_layer_norm_eps() -> f64 {
    1e-12
}
fn default_hidden_act() -> String {
    "gelu".into()
}

#[derive(Debug)]
struct Layer {
    qkv: Projection,
    attention_out: Projection,
    attention_norm: LayerNorm,
    /// Followed by GELU.
    intermediate: Projection,
    output: Projection,
    output_norm: LayerNorm,
}

/// A linear layer in f32, with its int8 twin when the encoder runs in int8.
#[derive(Debug)]
struct Projection {
    f32: Linear,
    int8: Option<Int8Linear>,
}

impl Projection {
    fn new(f32: Linear) -> Projection {
        Projection { f32, int8: None }
    }

    fn set_precision(&mut self, precision: Precision, activation: Activation) -> candle_core::Result<()> {
        self.int8 = match precision {
            Precision::F32 => None,
            Precision::Int8 => {
                let weight = self.f32.weight();
                let outputs = weight.dim(0)?;
                let weight = weight.flatten_all()?.to_vec1::<f32>()?;
                let bias = match self.f32.bias() {
                    Some(bias) => bias.to_vec1::<f32>()?,
                    None => vec![0.0; outputs],
                };
                Some(Int8Linear::new(&weight, &bias, outputs, activation))
            }
        };
        Ok(())
    }

    /// `x Wᵀ + b` for `x` of `(rows, inputs)`.
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        match &self.int8 {
            Some(int8) => x.apply_op1_no_bwd(int8),
            None => self.f32.forward(x),
        }
    }

    /// GELU(`x Wᵀ + b`), fused into the product in int8.
    fn forward_gelu(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        match &self.int8 {
            Some(int8) => x.apply_op1_no_bwd(int8),
            None => self.f32.forward(x)?.gelu_erf(),
        }
    }
}

impl CustomOp1 for Int8Linear {
    fn name(&self) -> &'static str {
        "int8-linear"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (data, rows, inputs) = rows_of(self.name(), storage, layout)?;
        if inputs != self.inputs() {
            candle_core::bail!("int8-linear expects {} inputs per row, got {inputs}", self.inputs());
        }
        Ok((CpuStorage::F32(self.forward(data, rows)), Shape::from((rows, self.outputs()))))
    }
}

#[derive(Debug)]
pub(crate) struct Bert {
    word_embeddings: Embedding,
    position_embeddings: Embedding,
    token_type_embeddings: Embedding,
    embeddings_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_size: usize,
    hidden: usize,
    precision: Precision,
}

fn linear(vb: &VarBuilder, input: usize, output: usize) -> candle_core::Result<Linear> {
    Ok(Linear::new(vb.get((output, input), "weight")?, Some(vb.get(output, "bias")?)))
}

fn layer_norm(vb: &VarBuilder, size: usize, eps: f64) -> candle_core::Result<LayerNorm> {
    Ok(LayerNorm::new(vb.get(size, "weight")?, vb.get(size, "bias")?, eps))
}

impl Bert {
    /// Builds the encoder from a safetensors file's tensors, named as `BertModel` saves them
    /// (with or without a `bert.` prefix).
    pub fn new(
        tensors: HashMap<String, Tensor>,
        config: &BertConfig,
        device: &Device,
    ) -> candle_core::Result<Bert> {
        if config.hidden_act != "gelu" {
            candle_core::bail!("hidden_act {:?} is not supported (only \"gelu\")", config.hidden_act);
        }
        let heads = config.num_attention_heads;
        if heads == 0 || config.hidden_size / heads * heads != config.hidden_size {
            candle_core::bail!("hidden_size is not a multiple of num_attention_heads");
        }
        let root = VarBuilder::from_tensors(tensors, DType::F32, device);
        let root = if root.contains_tensor("bert.embeddings.word_embeddings.weight") {
            root.pp("bert")
        } else {
            root
        };
        let (hidden, eps) = (config.hidden_size, config.layer_norm_eps);
        let embeddings = root.pp("embeddings");
        let embedding = |name: &str, rows: usize| -> candle_core::Result<Embedding> {
            Ok(Embedding::new(embeddings.pp(name).get((rows, hidden), "weight")?, hidden))
        };
        let word_embeddings = embedding("word_embeddings", config.vocab_size)?;
        let position_embeddings = embedding("position_embeddings", config.max_position_embeddings)?;
        let token_type_embeddings = embedding("token_type_embeddings", config.type_vocab_size)?;
        let embeddings_norm = layer_norm(&embeddings.pp("LayerNorm"), hidden, eps)?;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for index in 0..config.num_hidden_layers {
            let layer = root.pp("encoder").pp("layer").pp(index.to_string());
            let attention = layer.pp("attention");
            let own = attention.pp("self");
            let (query, key, value) = (own.pp("query"), own.pp("key"), own.pp("value"));
            let weight = Tensor::cat(
                &[
                    query.get((hidden, hidden), "weight")?,
                    key.get((hidden, hidden), "weight")?,
                    value.get((hidden, hidden), "weight")?,
                ],
                0,
            )?;
            let bias = Tensor::cat(
                &[query.get(hidden, "bias")?, key.get(hidden, "bias")?, value.get(hidden, "bias")?],
                0,
            )?;
            layers.push(Layer {
                qkv: Projection::new(Linear::new(weight, Some(bias))),
                attention_out: Projection::new(linear(&attention.pp("output").pp("dense"), hidden, hidden)?),
                attention_norm: layer_norm(&attention.pp("output").pp("LayerNorm"), hidden, eps)?,
                intermediate: Projection::new(linear(
                    &layer.pp("intermediate").pp("dense"),
                    hidden,
                    config.intermediate_size,
                )?),
                output: Projection::new(linear(
                    &layer.pp("output").pp("dense"),
                    config.intermediate_size,
                    hidden,
                )?),
                output_norm: layer_norm(&layer.pp("output").pp("LayerNorm"), hidden, eps)?,
            });
        }
        Ok(Bert {
            word_embeddings,
            position_embeddings,
            token_type_embeddings,
            embeddings_norm,
            layers,
            heads: config.num_attention_heads,
            head_size: hidden / config.num_attention_heads,
            hidden,
            precision: Precision::F32,
        })
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Why this encoder cannot run in int8 here, if it cannot.
    fn int8_refusal(&self) -> Option<String> {
        if !crate::int8::supported() {
            Some("int8 needs a CPU with AVX-512 VNNI".into())
        } else if self.head_size != HEAD_SIZE {
            Some(format!("int8 supports attention heads of {HEAD_SIZE}, not {}", self.head_size))
        } else {
            None
        }
    }

    /// int8 where the CPU has AVX-512 VNNI and the heads are the fused kernel's size, else f32.
    pub fn fastest_precision(&self) -> Precision {
        match self.int8_refusal() {
            None => Precision::Int8,
            Some(_) => Precision::F32,
        }
    }

    /// Switches every linear projection (and the attention) to `precision`.
    pub fn set_precision(&mut self, precision: Precision) -> candle_core::Result<()> {
        if precision == Precision::Int8 {
            if let Some(refusal) = self.int8_refusal() {
                candle_core::bail!("{refusal}");
            }
        }
        for layer in &mut self.layers {
            layer.qkv.set_precision(precision, Activation::None)?;
            layer.attention_out.set_precision(precision, Activation::None)?;
            layer.intermediate.set_precision(precision, Activation::Gelu)?;
            layer.output.set_precision(precision, Activation::None)?;
        }
        self.precision = precision;
        Ok(())
    }

    /// Mean-pooled, L2-normalised sentence embeddings of a padded batch: `ids` and `mask` are
    /// `(batch, length)`, `mask` 1.0 on real tokens and 0.0 on padding. Returns
    /// `(batch, hidden)`.
    pub fn embed(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, length) = ids.dims2()?;
        let device = ids.device();
        let positions = Tensor::arange(0u32, length as u32, device)?;
        let types = Tensor::zeros(length, DType::U32, device)?;
        // (batch, length, hidden) + (length, hidden): every sentence starts at position 0.
        let position_and_type =
            (self.position_embeddings.forward(&positions)? + self.token_type_embeddings.forward(&types)?)?;
        let words = self.word_embeddings.forward(ids)?;
        let x = words.broadcast_add(&position_and_type)?;
        // Rows are (batch * length, hidden) from here on, so every projection is one product.
        let mut x = self.embeddings_norm.forward(&x.reshape((batch * length, self.hidden))?)?;
        let attention = match self.precision {
            // The fused kernel reads each sentence's length instead of a mask.
            Precision::Int8 => Attend::Fused(Attention {
                lengths: mask.sum(1)?.to_vec1::<f32>()?.into_iter().map(|n| n as usize).collect(),
                length,
                heads: self.heads,
            }),
            // Padding gets a large negative score before the softmax, so no token attends to it.
            Precision::F32 => {
                Attend::Masked(((mask.ones_like()? - mask)? * -1e9f64)?.reshape((batch, 1, 1, length))?)
            }
        };
        for layer in &self.layers {
            x = self.layer(layer, &x, &attention, batch, length)?;
        }
        let x = x.reshape((batch, length, self.hidden))?;
        let mask3 = mask.unsqueeze(2)?;
        let summed = x.broadcast_mul(&mask3)?.sum(1)?;
        let counts = mask.sum_keepdim(1)?.clamp(1e-9f64, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12f64, f64::MAX)?;
        mean.broadcast_div(&norms)
    }

    fn layer(
        &self,
        layer: &Layer,
        x: &Tensor,
        attention: &Attend,
        batch: usize,
        length: usize,
    ) -> candle_core::Result<Tensor> {
        let (heads, head_size, hidden) = (self.heads, self.head_size, self.hidden);
        let qkv = layer.qkv.forward(x)?;
        let context = match attention {
            Attend::Fused(op) => qkv.apply_op1_no_bwd(op)?,
            Attend::Masked(bias) => {
                let qkv = qkv.reshape((batch, length, 3, heads, head_size))?;
                // (batch, heads, length, head_size) for each of query, key and value.
                let part = |index: usize| qkv.narrow(2, index, 1)?.squeeze(2)?.transpose(1, 2)?.contiguous();
                let (query, key, value) = (part(0)?, part(1)?, part(2)?);
                let scale = 1.0 / (head_size as f64).sqrt();
                let scores = (query.matmul(&key.t()?.contiguous()?)? * scale)?.broadcast_add(bias)?;
                let probabilities = candle_nn::ops::softmax_last_dim(&scores)?;
                probabilities
                    .matmul(&value)?
                    .transpose(1, 2)?
                    .contiguous()?
                    .reshape((batch * length, hidden))?
            }
        };
        let attended = layer.attention_norm.forward(&(layer.attention_out.forward(&context)? + x)?)?;
        let intermediate = layer.intermediate.forward_gelu(&attended)?;
        layer.output_norm.forward(&(layer.output.forward(&intermediate)? + &attended)?)
    }
}
