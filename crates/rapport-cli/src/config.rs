//! Rapport's configuration: one typed struct, layered — defaults, then a TOML file, then
//! `RAPPORT_…` environment variables, then command-line flags.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Settings every command shares. The database URL may hold a password, so `Debug` redacts it.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the embedded database, audio and caches live.
    pub data_dir: PathBuf,
    /// `postgres://…` for a team server; empty means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Address `rapport serve` listens on.
    pub bind: String,
    /// Hours sales has to respond to a handed-over lead before it counts as an SLA breach.
    pub sla_hours: u32,
    /// Speech model: a faster-whisper model folder or a Hugging Face id.
    pub model: String,
    /// Where downloaded models are kept; empty means `data_dir/models`.
    pub model_cache: Option<PathBuf>,
    /// CPU threads per transcription; 0 means every core.
    pub threads: usize,
    /// The channel (from 0) the rep is on in recordings with one party per channel.
    pub rep_channel: u32,
    /// Where call audio is kept: a folder or `s3://bucket/prefix`; empty means `data_dir/media`.
    pub media_url: Option<String>,
    /// Transcription workers `rapport serve` runs in-process (0: none).
    pub workers: usize,
    /// How long a worker holds a job without a heartbeat before another may take it over.
    pub job_lease_seconds: u64,
    /// How often an idle worker asks for a job.
    pub job_poll_seconds: u64,
    /// Sentence-embedding model (a folder or a Hugging Face id) for smart trackers and topics
    /// on stored calls; empty turns them off.
    pub embedding_model: Option<String>,
    /// The workspace's own smart trackers (TOML, `[[smart_tracker]]` tables), fitted with the
    /// defaults.
    pub smart_trackers: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("rapport-data"),
            database_url: None,
            bind: "127.0.0.1:8080".to_owned(),
            sla_hours: 24,
            model: rapport_app::speech::DEFAULT_MODEL.to_owned(),
            model_cache: None,
            threads: 0,
            rep_channel: 0,
            media_url: None,
            workers: 1,
            job_lease_seconds: 60,
            job_poll_seconds: 2,
            embedding_model: None,
            smart_trackers: None,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("bind", &self.bind)
            .field("sla_hours", &self.sla_hours)
            .field("model", &self.model)
            .field("model_cache", &self.model_cache)
            .field("threads", &self.threads)
            .field("rep_channel", &self.rep_channel)
            .field("media_url", &self.media_url)
            .field("workers", &self.workers)
            .field("job_lease_seconds", &self.job_lease_seconds)
            .field("job_poll_seconds", &self.job_poll_seconds)
            .field("embedding_model", &self.embedding_model)
            .field("smart_trackers", &self.smart_trackers)
            .finish()
    }
}

/// Replaces the password in `scheme://user:password@host/…` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

impl Config {
    /// Builds the configuration from every layer. A config file named on the command line
    /// must exist; the default one (`DATA_DIR/rapport.toml`) is optional.
    pub fn load(overrides: &Overrides) -> anyhow::Result<Config> {
        Self::load_from(overrides, |key| std::env::var(key).ok())
    }

    fn load_from(overrides: &Overrides, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let data_dir = overrides
            .data_dir
            .clone()
            .or_else(|| env("RAPPORT_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| Config::default().data_dir);
        let mut config = match &overrides.config_file {
            Some(path) => read_file(path)?,
            None => {
                let default_path = data_dir.join("rapport.toml");
                if default_path.exists() {
                    read_file(&default_path)?
                } else {
                    Config::default()
                }
            }
        };
        config.data_dir = data_dir;
        if let Some(url) = env("RAPPORT_DATABASE_URL").filter(|u| !u.is_empty()) {
            config.database_url = Some(url);
        }
        if let Some(bind) = env("RAPPORT_BIND") {
            config.bind = bind;
        }
        if let Some(hours) = env("RAPPORT_SLA_HOURS") {
            config.sla_hours = hours
                .parse()
                .with_context(|| format!("RAPPORT_SLA_HOURS: `{hours}` is not a whole number of hours"))?;
        }
        if let Some(model) = env("RAPPORT_MODEL").filter(|m| !m.is_empty()) {
            config.model = model;
        }
        if let Some(dir) = env("RAPPORT_MODEL_CACHE").filter(|d| !d.is_empty()) {
            config.model_cache = Some(PathBuf::from(dir));
        }
        if let Some(url) = env("RAPPORT_MEDIA_URL").filter(|u| !u.is_empty()) {
            config.media_url = Some(url);
        }
        if let Some(model) = env("RAPPORT_EMBEDDING_MODEL") {
            config.embedding_model = Some(model).filter(|m| !m.trim().is_empty());
        }
        if let Some(file) = env("RAPPORT_SMART_TRACKERS").filter(|f| !f.is_empty()) {
            config.smart_trackers = Some(PathBuf::from(file));
        }
        let number = |key: &str| -> anyhow::Result<Option<u64>> {
            let Some(text) = env(key) else { return Ok(None) };
            let value =
                text.trim().parse().with_context(|| format!("{key}: `{text}` is not a whole number"))?;
            Ok(Some(value))
        };
        if let Some(threads) = number("RAPPORT_THREADS")? {
            config.threads = threads as usize;
        }
        if let Some(channel) = number("RAPPORT_REP_CHANNEL")? {
            config.rep_channel = u32::try_from(channel).context("RAPPORT_REP_CHANNEL: too large")?;
        }
        if let Some(workers) = number("RAPPORT_WORKERS")? {
            config.workers = workers as usize;
        }
        if let Some(seconds) = number("RAPPORT_JOB_LEASE_SECONDS")? {
            config.job_lease_seconds = seconds.max(1);
        }
        if let Some(seconds) = number("RAPPORT_JOB_POLL_SECONDS")? {
            config.job_poll_seconds = seconds;
        }
        if let Some(url) = &overrides.database_url {
            config.database_url = Some(url.clone());
        }
        Ok(config)
    }
}

impl Config {
    pub fn model_cache_dir(&self) -> PathBuf {
        self.model_cache.clone().unwrap_or_else(|| self.data_dir.join("models"))
    }

    /// What smart trackers and topics on stored calls run with (`None`: no model configured).
    pub fn embedding_settings(&self) -> Option<rapport_app::smart::EmbeddingSettings> {
        let model = self.embedding_model.as_deref().map(str::trim).filter(|m| !m.is_empty())?;
        Some(rapport_app::smart::EmbeddingSettings {
            model: model.to_owned(),
            trackers_file: self.smart_trackers.clone(),
            cache_dir: None,
        })
    }

    pub fn media_location(&self) -> String {
        self.media_url.clone().unwrap_or_else(|| self.data_dir.join("media").display().to_string())
    }
}

fn read_file(path: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rapport.toml"), "sla_hours = 8\nbind = \"0.0.0.0:9000\"\n").unwrap();
        let overrides = Overrides { data_dir: Some(dir.path().to_owned()), ..Default::default() };
        let env = |key: &str| match key {
            "RAPPORT_BIND" => Some("127.0.0.1:7000".to_owned()),
            "RAPPORT_JOB_LEASE_SECONDS" => Some("5".to_owned()),
            "RAPPORT_EMBEDDING_MODEL" => Some("models/minilm".to_owned()),
            _ => None,
        };
        let config = Config::load_from(&overrides, env).unwrap();
        assert_eq!(config.sla_hours, 8, "file overrides the default");
        assert_eq!(config.bind, "127.0.0.1:7000", "environment overrides the file");
        assert_eq!(config.data_dir, dir.path());
        assert_eq!(config.job_lease_seconds, 5);
        let settings = config.embedding_settings().expect("a model is configured");
        assert_eq!((settings.model.as_str(), settings.trackers_file), ("models/minilm", None));
        assert_eq!(Config::default().embedding_settings(), None);
        assert_eq!(config.model_cache_dir(), dir.path().join("models"));
        assert_eq!(config.media_location(), dir.path().join("media").display().to_string());
        let env = |key: &str| (key == "RAPPORT_THREADS").then(|| "many".to_owned());
        let err = Config::load_from(&overrides, env).unwrap_err().to_string();
        assert_eq!(err, "RAPPORT_THREADS: `many` is not a whole number");
    }

    #[test]
    fn unknown_keys_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("custom.toml");
        std::fs::write(&path, "sla_hourz = 8\n").unwrap();
        let overrides = Overrides { config_file: Some(path.clone()), ..Default::default() };
        let err = Config::load_from(&overrides, |_| None).unwrap_err().to_string();
        assert!(err.contains("custom.toml") && err.contains("sla_hourz"), "{err}");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let config = Config {
            database_url: Some("postgres://rapport:hunter2@db:5432/rapport".into()),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://rapport:***@db:5432/rapport"), "{shown}");
    }
}
