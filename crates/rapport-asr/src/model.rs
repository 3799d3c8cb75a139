//! Finding a model directory: a local folder as given, or a Hugging Face model id resolved
//! in a cache laid out like `huggingface_hub`'s (so a copy faster-whisper already downloaded
//! is found too), downloading it once when it is missing.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::AsrError;

/// Where a model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A faster-whisper model directory.
    Local(PathBuf),
    /// A model id such as `Systran/faster-whisper-base.en`, cached under `cache_dir`.
    HuggingFace { id: String, cache_dir: PathBuf },
}

/// Files every model needs. The vocabulary may also come as `vocabulary.json`.
const REQUIRED: [&str; 3] = ["model.bin", "config.json", "tokenizer.json"];
/// Files some model repositories lack: older ones have no preprocessor config (the
/// 80-bin Whisper defaults apply), newer converters write the vocabulary as JSON.
const OPTIONAL: [&str; 3] = ["vocabulary.txt", "vocabulary.json", "preprocessor_config.json"];

/// The model directory of `source`; downloads into the cache at most once, calling
/// `progress(bytes_done, bytes_total)` as it goes. Honours `HF_ENDPOINT` and
/// `HF_HUB_OFFLINE=1` as `huggingface_hub` does.
pub fn resolve_model(source: &ModelSource, progress: &mut dyn FnMut(u64, u64)) -> Result<PathBuf, AsrError> {
    match source {
        ModelSource::Local(dir) => {
            check_model_dir(dir)?;
            Ok(dir.clone())
        }
        ModelSource::HuggingFace { id, cache_dir } => {
            let endpoint = std::env::var("HF_ENDPOINT").unwrap_or_else(|_| "https://huggingface.co".into());
            let offline = std::env::var("HF_HUB_OFFLINE").is_ok_and(|v| v == "1" || v == "true");
            resolve_hugging_face(id, cache_dir, &endpoint, offline, progress)
        }
    }
}

/// An error naming the first file a model directory lacks.
pub fn check_model_dir(dir: &Path) -> Result<(), AsrError> {
    let missing = |file: &str| AsrError::ModelMissing { dir: dir.into(), file: file.into() };
    if let Some(file) = REQUIRED.iter().find(|file| !dir.join(file).is_file()) {
        return Err(missing(file));
    }
    if !dir.join("vocabulary.txt").is_file() && !dir.join("vocabulary.json").is_file() {
        return Err(missing("vocabulary.txt"));
    }
    Ok(())
}

pub(crate) fn resolve_hugging_face(
    id: &str,
    cache_dir: &Path,
    endpoint: &str,
    offline: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<PathBuf, AsrError> {
    let valid = |part: &str| {
        !part.is_empty()
            && part != ".."
            && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    if !matches!(id.split('/').collect::<Vec<_>>()[..], [owner, name] if valid(owner) && valid(name)) {
        return Err(AsrError::InvalidOption(format!("{id:?} is not a Hugging Face model id (owner/name)")));
    }
    let repo_dir = cache_dir.join(format!("models--{}", id.replace('/', "--")));
    if let Some(found) = cached_snapshot(&repo_dir) {
        return Ok(found);
    }
    let offline_error = |reason: String| {
        AsrError::Offline {
        id: id.into(),
        reason,
        files: "model.bin, config.json, tokenizer.json, vocabulary.txt (or vocabulary.json) and, if the repository has it, preprocessor_config.json".into(),
        dir: repo_dir.join("snapshots").join("main"),
    }
    };
    if offline {
        return Err(offline_error("HF_HUB_OFFLINE is set".into()));
    }
    download(id, &repo_dir, endpoint.trim_end_matches('/'), progress).map_err(|error| match error {
        DownloadError::Unreachable(reason) => offline_error(reason),
        DownloadError::Failed(error) => error,
    })
}

/// The snapshot `refs/main` points at, or else any complete snapshot (one a user unpacked
/// by hand into `snapshots/main`, say).
fn cached_snapshot(repo_dir: &Path) -> Option<PathBuf> {
    let snapshots = repo_dir.join("snapshots");
    let referenced =
        fs::read_to_string(repo_dir.join("refs").join("main")).ok().map(|c| snapshots.join(c.trim()));
    let others = fs::read_dir(&snapshots).into_iter().flatten().flatten().map(|entry| entry.path());
    referenced.into_iter().chain(others).find(|dir| check_model_dir(dir).is_ok())
}

enum DownloadError {
    /// No answer at all: offline, DNS, firewall.
    Unreachable(String),
    Failed(AsrError),
}

fn download(
    id: &str,
    repo_dir: &Path,
    endpoint: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<PathBuf, DownloadError> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(15))
        .timeout_read(Duration::from_secs(60))
        .build();
    let staging = repo_dir.join("snapshots").join(".incomplete");
    let io = |context: String| move |error| DownloadError::Failed(AsrError::io(context, error));
    fs::create_dir_all(&staging).map_err(io(format!("creating {}", staging.display())))?;
    let (mut done, mut total, mut commit) = (0u64, 0u64, None::<String>);
    // The weights first: they are nearly all the bytes, so the progress total is right early.
    for (index, file) in REQUIRED.iter().chain(OPTIONAL.iter()).enumerate() {
        let url = format!("{endpoint}/{id}/resolve/main/{file}");
        let response = match agent.get(&url).call() {
            Ok(response) => response,
            Err(ureq::Error::Status(404, _)) if index >= REQUIRED.len() => continue,
            Err(ureq::Error::Status(code, _)) => {
                let hint = if matches!(code, 401 | 403 | 404) {
                    " (is the model id right, and public?)"
                } else {
                    ""
                };
                return Err(DownloadError::Failed(AsrError::Download {
                    url,
                    message: format!("HTTP {code}{hint}"),
                }));
            }
            Err(error) if done == 0 => return Err(DownloadError::Unreachable(error.to_string())),
            Err(error) => {
                return Err(DownloadError::Failed(AsrError::Download { url, message: error.to_string() }))
            }
        };
        commit = commit.or_else(|| response.header("X-Repo-Commit").map(str::to_owned));
        total += response.header("Content-Length").and_then(|l| l.parse().ok()).unwrap_or(0);
        let path = staging.join(file);
        let mut out = fs::File::create(&path).map_err(io(format!("creating {}", path.display())))?;
        let mut reader = response.into_reader();
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let read = reader.read(&mut buffer).map_err(|error| {
                DownloadError::Failed(AsrError::Download { url: url.clone(), message: error.to_string() })
            })?;
            if read == 0 {
                break;
            }
            out.write_all(&buffer[..read]).map_err(io(format!("writing {}", path.display())))?;
            done += read as u64;
            progress(done, total.max(done));
        }
    }
    check_model_dir(&staging).map_err(DownloadError::Failed)?;
    // Only a complete download gets a snapshot name, so an interrupted one is never used.
    let commit =
        commit.filter(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric())).unwrap_or_else(|| "main".into());
    let snapshot = repo_dir.join("snapshots").join(&commit);
    let _ = fs::remove_dir_all(&snapshot);
    fs::rename(&staging, &snapshot).map_err(io(format!("moving the download to {}", snapshot.display())))?;
    fs::create_dir_all(repo_dir.join("refs")).map_err(io("creating refs".into()))?;
    fs::write(repo_dir.join("refs").join("main"), &commit).map_err(io("writing refs/main".into()))?;
    Ok(snapshot)
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
