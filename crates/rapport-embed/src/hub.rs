//! A Hugging Face model id to local files, through hf-hub's blocking API and its cache
//! (`models--owner--name/{refs,snapshots,blobs}`, the layout Python's `huggingface_hub`
//! writes, so a copy sentence-transformers already downloaded is reused). A file already in
//! the cache is used without touching the network; a missing one is downloaded once.
//! `HF_HUB_OFFLINE=1` forbids downloads; `HF_ENDPOINT` and `HF_HOME` apply as in Python.

use std::path::{Path, PathBuf};

use hf_hub::api::sync::ApiBuilder;
use hf_hub::{Cache, Repo};

use crate::EmbedError;

/// Where each of a model's three files lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    pub config: PathBuf,
    pub tokenizer: PathBuf,
    pub weights: PathBuf,
}

/// The files of `model_id` at its `main` revision, from the cache in `cache_dir` (or hf-hub's
/// default cache), downloading what is missing unless `HF_HUB_OFFLINE` is set.
pub fn resolve(model_id: &str, cache_dir: Option<&Path>) -> Result<ModelFiles, EmbedError> {
    let offline = std::env::var("HF_HUB_OFFLINE").is_ok_and(|value| value == "1" || value == "true");
    resolve_with(model_id, cache_dir, offline, std::env::var("HF_ENDPOINT").ok())
}

/// `resolve` with the environment's settings passed in: `endpoint` replaces
/// `https://huggingface.co` (a mirror, or a test server).
pub fn resolve_with(
    model_id: &str,
    cache_dir: Option<&Path>,
    offline: bool,
    endpoint: Option<String>,
) -> Result<ModelFiles, EmbedError> {
    check_id(model_id)?;
    let cache = match cache_dir {
        Some(dir) => Cache::new(dir.to_path_buf()),
        None => Cache::from_env(),
    };
    let cached = cache.repo(Repo::model(model_id.to_owned()));
    let download_error =
        |reason: String| EmbedError::Download { id: model_id.into(), cache: cache.path().clone(), reason };
    // hf-hub's `get` looks in the cache first too; asking the cache alone first keeps an
    // offline machine from even building an HTTP client.
    let mut api = None;
    let mut fetch = |file: &str| -> Result<PathBuf, EmbedError> {
        if let Some(path) = cached.get(file) {
            return Ok(path);
        }
        if offline {
            return Err(download_error(format!("{file} is not cached and HF_HUB_OFFLINE is set")));
        }
        if api.is_none() {
            let mut builder = ApiBuilder::from_cache(cache.clone()).with_progress(false);
            if let Some(endpoint) = endpoint.clone() {
                builder = builder.with_endpoint(endpoint);
            }
            api = Some(builder.build().map_err(|error| download_error(error.to_string()))?);
        }
        let client = api.as_ref().expect("built above");
        client
            .model(model_id.to_owned())
            .get(file)
            .map_err(|error| download_error(format!("{file}: {error}")))
    };
    Ok(ModelFiles {
        config: fetch("config.json")?,
        tokenizer: fetch("tokenizer.json")?,
        weights: fetch("model.safetensors")?,
    })
}

fn check_id(model_id: &str) -> Result<(), EmbedError> {
    let valid = |part: &str| {
        !part.is_empty()
            && part != ".."
            && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    match model_id.split('/').collect::<Vec<_>>()[..] {
        [owner, name] if valid(owner) && valid(name) => Ok(()),
        _ => Err(EmbedError::BadModelId(model_id.into())),
    }
}

/// Copies a model folder into `cache_dir` in hf-hub's layout under `model_id` (one snapshot
/// named `revision`, `refs/main` pointing at it), so that `resolve` finds it offline. This is
/// how an air-gapped install seeds its cache, and how the tests exercise the id path without
/// the network.
pub fn seed_cache(
    model_dir: &Path,
    model_id: &str,
    cache_dir: &Path,
    revision: &str,
) -> Result<PathBuf, EmbedError> {
    check_id(model_id)?;
    let io = |path: &Path, error: std::io::Error| EmbedError::ModelInvalid {
        path: path.into(),
        message: error.to_string(),
    };
    let repo = cache_dir.join(format!("models--{}", model_id.replace('/', "--")));
    let snapshot = repo.join("snapshots").join(revision);
    std::fs::create_dir_all(&snapshot).map_err(|error| io(&snapshot, error))?;
    for file in crate::embedder::MODEL_FILES {
        let (from, to) = (model_dir.join(file), snapshot.join(file));
        std::fs::copy(&from, &to).map_err(|error| io(&from, error))?;
    }
    let refs = repo.join("refs");
    std::fs::create_dir_all(&refs).map_err(|error| io(&refs, error))?;
    std::fs::write(refs.join("main"), revision).map_err(|error| io(&refs, error))?;
    Ok(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_owner_slash_name() {
        for bad in ["", "name", "a/b/c", "../x", "a/..", "a b/c"] {
            assert!(matches!(check_id(bad), Err(EmbedError::BadModelId(_))), "{bad:?}");
        }
        check_id("sentence-transformers/all-MiniLM-L6-v2").unwrap();
    }

    #[test]
    fn offline_without_a_cached_copy_says_what_to_fetch() {
        let cache = tempfile::tempdir().unwrap();
        let error = resolve_with("sentence-transformers/all-MiniLM-L6-v2", Some(cache.path()), true, None)
            .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, EmbedError::Download { .. }), "{message}");
        assert!(message.contains("config.json is not cached and HF_HUB_OFFLINE is set"), "{message}");
        assert!(
            message.contains("https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2"),
            "{message}"
        );
    }
}
