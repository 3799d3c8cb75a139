//! Where call audio is kept: a local folder, or an S3 bucket with an optional key prefix.

use std::fmt;
use std::path::PathBuf;

use crate::MediaError;

/// A media location as configured: a folder path (or `file:///abs/path`), or
/// `s3://bucket/prefix`. Neither form holds a secret (S3 credentials come from the usual
/// `AWS_*` environment variables), so it may be shown and logged as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaLocation {
    Local(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl MediaLocation {
    pub fn parse(text: &str) -> Result<Self, MediaError> {
        let text = text.trim();
        let invalid = |message: &str| MediaError::InvalidLocation {
            location: text.to_owned(),
            message: message.to_owned(),
        };
        if text.is_empty() {
            return Err(invalid("empty; give a folder or an s3://bucket/prefix URL"));
        }
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(invalid("the URL names no bucket (s3://bucket/prefix)"));
            }
            let prefix = prefix.trim_matches('/').to_owned();
            return Ok(MediaLocation::S3 { bucket: bucket.to_owned(), prefix });
        }
        if let Some(path) = text.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(invalid("a file:// URL needs an absolute path (file:///srv/media)"));
            }
            return Ok(MediaLocation::Local(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            let message =
                format!("`{scheme}://` is not supported; use a folder or an s3://bucket/prefix URL");
            return Err(invalid(&message));
        }
        Ok(MediaLocation::Local(PathBuf::from(text)))
    }
}

impl fmt::Display for MediaLocation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaLocation::Local(path) => write!(formatter, "{}", path.display()),
            MediaLocation::S3 { bucket, prefix } if prefix.is_empty() => write!(formatter, "s3://{bucket}"),
            MediaLocation::S3 { bucket, prefix } => write!(formatter, "s3://{bucket}/{prefix}"),
        }
    }
}

/// The key a call's recording is stored under: `calls/{id}.{extension}`, the extension
/// lower-cased (decoders use it as a hint) and left out when there is none.
pub fn call_audio_key(id: &str, extension: Option<&str>) -> String {
    let extension = extension
        .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()));
    match extension {
        Some(extension) => format!("calls/{id}.{extension}"),
        None => format!("calls/{id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<MediaLocation, &str>) {
        let got = MediaLocation::parse(input).map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_owned), "{input}");
    }

    #[test]
    fn parses_folders_and_s3_urls() {
        check("rapport-data/media", Ok(MediaLocation::Local("rapport-data/media".into())));
        check("file:///srv/media", Ok(MediaLocation::Local("/srv/media".into())));
        let s3 =
            |bucket: &str, prefix: &str| MediaLocation::S3 { bucket: bucket.into(), prefix: prefix.into() };
        check("s3://calls-bucket", Ok(s3("calls-bucket", "")));
        check("s3://calls-bucket/rapport/prod/", Ok(s3("calls-bucket", "rapport/prod")));
        check("s3:///x", Err("media location `s3:///x`: the URL names no bucket (s3://bucket/prefix)"));
        check(
            "gs://b/p",
            Err("media location `gs://b/p`: `gs://` is not supported; use a folder or an s3://bucket/prefix URL"),
        );
        check(
            "file://relative",
            Err("media location `file://relative`: a file:// URL needs an absolute path (file:///srv/media)"),
        );
        assert_eq!(s3("b", "p/q").to_string(), "s3://b/p/q");
    }

    #[test]
    fn call_keys_keep_a_clean_extension() {
        assert_eq!(call_audio_key("0f3a", Some("WAV")), "calls/0f3a.wav");
        assert_eq!(call_audio_key("0f3a", Some(".mp3")), "calls/0f3a.mp3");
        assert_eq!(call_audio_key("0f3a", Some("x/../y")), "calls/0f3a");
        assert_eq!(call_audio_key("0f3a", None), "calls/0f3a");
    }
}
