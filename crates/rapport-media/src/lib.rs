//! Call audio in object storage: a local folder by default, an S3 bucket by URL, with
//! whole-object and byte-range reads (the range reads are what playback in a browser needs).
//!
//! Built on the `object_store` crate, which is async. The worker and the CLI are plain
//! blocking code, so [`MediaStore`]'s main API is synchronous: it drives the async calls on a
//! small runtime of its own. Callers that are async already (the HTTP server) use the
//! `*_async` methods on their own runtime instead; the blocking methods must not be called
//! from inside an async task (tokio refuses to block a runtime thread on another runtime).
//!
//! **Invariants:** knows keys and bytes, not calls, jobs or audio formats. Never logs object
//! contents; S3 credentials come from the `AWS_*` environment variables and are never shown.

mod error;
mod location;

use std::fmt;
use std::future::Future;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::buffered::BufWriter;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, PutPayload};
use tokio::io::AsyncWriteExt;

pub use bytes::Bytes;
pub use error::MediaError;
pub use location::{call_audio_key, MediaLocation};

/// What is known about a stored object without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
}

/// Chunk size for streaming a file into the store: large enough for S3's multipart minimum
/// (5 MiB), small enough that an hour of WAV never sits in memory whole.
const UPLOAD_CHUNK: usize = 8 * 1024 * 1024;

/// An opened media location. Cheap to share (`Arc`) between worker threads.
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    location: MediaLocation,
    runtime: tokio::runtime::Runtime,
}

impl fmt::Debug for MediaStore {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("MediaStore").field("location", &self.location.to_string()).finish()
    }
}

impl MediaStore {
    /// Opens `location`; a local folder is created when missing. Opening S3 reads the `AWS_*`
    /// environment (region, endpoint, credentials) but contacts nothing yet.
    pub fn open(location: &MediaLocation) -> Result<Self, MediaError> {
        let shown = location.to_string();
        let invalid = |message: String| MediaError::InvalidLocation { location: shown.clone(), message };
        let store: Arc<dyn ObjectStore> = match location {
            MediaLocation::Local(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| invalid(format!("cannot create the folder: {e}")))?;
                let local = LocalFileSystem::new_with_prefix(dir).map_err(|e| invalid(e.to_string()))?;
                Arc::new(local)
            }
            MediaLocation::S3 { bucket, prefix } => {
                let s3 = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|e| invalid(e.to_string()))?;
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(PrefixStore::new(s3, prefix.as_str()))
                }
            }
        };
        // One worker thread is plenty: the work is waiting on disk or network, and the
        // callers (worker threads, the CLI) already bring their own parallelism.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rapport-media")
            .enable_all()
            .build()
            .map_err(|e| invalid(format!("cannot start the I/O runtime: {e}")))?;
        Ok(MediaStore { store, location: location.clone(), runtime })
    }

    pub fn location(&self) -> &MediaLocation {
        &self.location
    }

    /// Stores `bytes` under `key`, replacing any object there. Whole or nothing: readers never
    /// see half an object.
    pub fn put(&self, key: &str, bytes: Vec<u8>) -> Result<ObjectInfo, MediaError> {
        let path = object_path(key)?;
        let size = bytes.len() as u64;
        self.block_on(self.store.put(&path, PutPayload::from(bytes))).map_err(|e| self.error(key, e))?;
        Ok(ObjectInfo { key: key.to_owned(), size })
    }

    /// Streams the file at `file` into `key` (multipart above a few MiB), so a long recording
    /// is never held in memory whole.
    pub fn put_file(&self, key: &str, file: &Path) -> Result<ObjectInfo, MediaError> {
        let path = object_path(key)?;
        let read_error = |source| MediaError::ReadFile { path: file.to_owned(), source };
        let mut input = std::fs::File::open(file).map_err(read_error)?;
        let mut writer = BufWriter::with_capacity(self.store.clone(), path, UPLOAD_CHUNK);
        let mut buffer = vec![0u8; UPLOAD_CHUNK];
        let mut size = 0u64;
        let written: Result<(), MediaError> = self.block_on(async {
            loop {
                let read = std::io::Read::read(&mut input, &mut buffer).map_err(read_error)?;
                if read == 0 {
                    break;
                }
                size += read as u64;
                writer.write_all(&buffer[..read]).await.map_err(|e| self.io_error(key, e))?;
            }
            writer.shutdown().await.map_err(|e| self.io_error(key, e))
        });
        if let Err(error) = written {
            // Leaves no multipart upload behind; the original error is the one to report.
            let _ = self.block_on(writer.abort());
            return Err(error);
        }
        Ok(ObjectInfo { key: key.to_owned(), size })
    }

    pub fn get(&self, key: &str) -> Result<Vec<u8>, MediaError> {
        let path = object_path(key)?;
        let read = async { self.store.get(&path).await?.bytes().await };
        self.block_on(read).map(|bytes| bytes.to_vec()).map_err(|e| self.error(key, e))
    }

    /// The bytes `range` of the object; a range running past the end is cut at the end (as
    /// HTTP range requests are), one starting at or after it is `RangeNotSatisfiable`.
    pub fn get_range(&self, key: &str, range: Range<u64>) -> Result<Vec<u8>, MediaError> {
        self.block_on(self.get_range_async(key, range)).map(|bytes| bytes.to_vec())
    }

    /// [`MediaStore::get_range`] for async callers, on their own runtime.
    pub async fn get_range_async(&self, key: &str, range: Range<u64>) -> Result<Bytes, MediaError> {
        let path = object_path(key)?;
        if range.start >= range.end {
            return Ok(Bytes::new());
        }
        match self.store.get_range(&path, range.clone()).await {
            Ok(bytes) => Ok(bytes),
            Err(error) => {
                // Backends word a range past the end differently; the size settles it.
                let info = self.head_async(key).await?;
                if range.start >= info.size {
                    return Err(MediaError::RangeNotSatisfiable {
                        key: key.to_owned(),
                        start: range.start,
                        size: info.size,
                    });
                }
                Err(self.error(key, error))
            }
        }
    }

    pub fn head(&self, key: &str) -> Result<ObjectInfo, MediaError> {
        self.block_on(self.head_async(key))
    }

    pub async fn head_async(&self, key: &str) -> Result<ObjectInfo, MediaError> {
        let path = object_path(key)?;
        let meta = self.store.head(&path).await.map_err(|e| self.error(key, e))?;
        Ok(ObjectInfo { key: key.to_owned(), size: meta.size })
    }

    /// Removes the object; removing one that is not there is not an error.
    pub fn delete(&self, key: &str) -> Result<(), MediaError> {
        let path = object_path(key)?;
        match self.block_on(self.store.delete(&path)) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(self.error(key, error)),
        }
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn error(&self, key: &str, error: object_store::Error) -> MediaError {
        let location = self.location.to_string();
        match error {
            object_store::Error::NotFound { .. } => MediaError::NotFound { key: key.to_owned(), location },
            other => MediaError::Backend { location, key: key.to_owned(), message: other.to_string() },
        }
    }

    fn io_error(&self, key: &str, error: std::io::Error) -> MediaError {
        let location = self.location.to_string();
        MediaError::Backend { location, key: key.to_owned(), message: error.to_string() }
    }
}

fn object_path(key: &str) -> Result<ObjectPath, MediaError> {
    let invalid = |message: String| MediaError::InvalidKey { key: key.to_owned(), message };
    if key.is_empty() || key.starts_with('/') || key.ends_with('/') {
        return Err(invalid("a key is a relative name like calls/abc.wav".into()));
    }
    ObjectPath::parse(key).map_err(|e| invalid(e.to_string()))
}
