"""Writes reference_embeddings.json: all-MiniLM-L6-v2 sentence embeddings computed outside
Rust, to check the candle encoder against. No PyTorch wheel could be installed offline, so this
is BertModel's forward pass and sentence-transformers' mean pooling + L2 normalisation written
in NumPy (float64), from the same safetensors file and Hugging Face's `tokenizers`.

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install numpy tokenizers safetensors
    /tmp/ref/bin/python reference_embeddings.py target/test-models/all-MiniLM-L6-v2 > reference_embeddings.json
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "Is that the best you can do?",
    "Can you give us a discount?",
    "We don't have budget for this right now.",
    "The weather has been great here this week.",
    "Are you SOC 2 compliant?",
    "",
    "Our reps waste hours every week on manual data entry, and nobody trusts the pipeline numbers.",
]


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def embed(model_dir, sentence):
    config = json.load(open(f"{model_dir}/config.json"))
    weights = {k.removeprefix("bert."): v.astype(np.float64) for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    ids = tokenizer.encode(sentence).ids
    eps, heads = config["layer_norm_eps"], config["num_attention_heads"]
    w = lambda name: weights[name]
    x = w("embeddings.word_embeddings.weight")[ids] + w("embeddings.position_embeddings.weight")[: len(ids)] + w("embeddings.token_type_embeddings.weight")[0]
    x = layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), eps)
    size = x.shape[1] // heads
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        lin = lambda name, v: v @ w(p + name + ".weight").T + w(p + name + ".bias")
        split = lambda v: v.reshape(len(ids), heads, size).transpose(1, 0, 2)
        q, k, v = (split(lin(f"attention.self.{n}", x)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True)) @ v
        context = context.transpose(1, 0, 2).reshape(len(ids), -1)
        x = layer_norm(lin("attention.output.dense", context) + x, w(p + "attention.output.LayerNorm.weight"), w(p + "attention.output.LayerNorm.bias"), eps)
        h = gelu(lin("intermediate.dense", x))
        x = layer_norm(lin("output.dense", h) + x, w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"), eps)
    mean = x.mean(0)
    return (mean / np.linalg.norm(mean)).tolist(), ids


model_dir = sys.argv[1]
out = []
for sentence in SENTENCES:
    vector, ids = embed(model_dir, sentence)
    out.append({"text": sentence, "token_ids": ids, "embedding": [round(v, 6) for v in vector]})
json.dump(out, sys.stdout)
