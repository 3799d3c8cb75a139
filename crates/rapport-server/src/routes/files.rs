//! CSV in and out: imports stream the request body to a temporary file and run the importer on
//! the blocking pool; exports stream the CSV back as the store produces it.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::on;
use futures_util::StreamExt;
use rapport_app::permissions::Action;
use rapport_import::{ImportError, ImportKind, ImportOptions, ImportSummary, Preset};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::params::query;
use super::{Access, Content, Endpoint, HttpMethod, Param, ParamIn, ParamKind};
use crate::auth::{Allowed, Export, Import};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

/// The largest CSV an import accepts: big CRM exports fit, a runaway upload does not fill the
/// disk. Larger files can be split, or imported with the CLI.
pub const MAX_UPLOAD_BYTES: u64 = 2 << 30;
/// Bytes per chunk of a streamed export.
const EXPORT_CHUNK: usize = 64 * 1024;

const KINDS: &[&str] = &["people", "accounts", "touches", "opportunities", "campaigns", "content"];
const KIND: Param = Param {
    name: "kind",
    location: ParamIn::Path,
    required: true,
    kind: ParamKind::OneOf(KINDS),
    description: "What the file holds.",
};

pub(super) const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: HttpMethod::Post,
        path: "/api/imports/{kind}",
        operation_id: "importCsv",
        tag: "files",
        summary: "Import a CSV file (the request body)",
        description: "Rows are upserted in batches and re-importing a file changes nothing. Bad rows are listed \
                      with line, column and reason while the rest goes in; with `strict=true` nothing is written \
                      unless every row is good (422 `import_rolled_back`, the summary in `details`).",
        access: Access::Allowed(Action::Import),
        params: &[
            KIND,
            query("preset", ParamKind::OneOf(&["canonical", "hubspot", "salesforce"]), "Recognise this CRM's column names."),
            query("strict", ParamKind::Boolean, "All or nothing; default false."),
        ],
        body: Some(Content { media_type: "text/csv", schema: None, description: "The CSV file, UTF-8, with a header row." }),
        status: 200,
        reply: Content {
            media_type: "application/json",
            schema: Some("ImportSummary"),
            description: "What the import did, with the first 1000 row errors.",
        },
        errors: &[
            ErrorCode::NotFound,
            ErrorCode::InvalidValue,
            ErrorCode::InvalidCsv,
            ErrorCode::ImportRolledBack,
            ErrorCode::PayloadTooLarge,
        ],
        handler: |method| on(method, import),
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/api/exports/{kind}",
        operation_id: "exportCsv",
        tag: "files",
        summary: "Export every stored record of a kind as CSV",
        description: "The canonical columns, so an export imports back unchanged.",
        access: Access::Allowed(Action::Export),
        params: &[KIND],
        body: None,
        status: 200,
        reply: Content { media_type: "text/csv", schema: None, description: "The CSV file." },
        errors: &[ErrorCode::NotFound],
        handler: |method| on(method, export),
    },
];

fn parse_kind(text: &str) -> Result<ImportKind, ApiError> {
    text.parse().map_err(|error: ImportError| ApiError::new(ErrorCode::NotFound, error.to_string()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportParams {
    preset: Option<String>,
    #[serde(default)]
    strict: bool,
}

async fn import(
    _: Allowed<Import>,
    State(state): State<AppState>,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Body,
) -> Result<Response, ApiError> {
    let kind = parse_kind(&kind)?;
    let preset = match params.preset.as_deref() {
        None => Preset::Canonical,
        Some(text) => text.parse().map_err(|error: ImportError| ApiError::invalid("preset", error))?,
    };
    let options = ImportOptions { preset, strict: params.strict, ..ImportOptions::default() };
    let upload = receive(
        body,
        "upload.csv",
        csv_broken,
        "imports take at most {MiB} MiB; split the file or use `rapport import`",
    )
    .await?;
    let summary = state
        .run(move |store| {
            let result = rapport_import::import_file(store, kind, &upload.path, &options, &mut |_| {});
            result.map_err(|error| import_error(error, &upload.path))
        })
        .await?;
    if summary.rolled_back {
        return Err(rolled_back(&summary));
    }
    Ok(axum::Json(summary).into_response())
}

fn csv_broken(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidCsv, message)
}

/// The uploaded file, deleted with its folder when dropped.
#[derive(Debug)]
pub(super) struct Upload {
    pub(super) path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// Streams the body to disk, as `file_name` in a folder of its own, so a large file never sits
/// in memory. `broken` makes the error for a body that did not arrive whole; `too_large` is the
/// message for one over [`MAX_UPLOAD_BYTES`], `{MiB}` standing for the limit.
pub(super) async fn receive(
    body: Body,
    file_name: &str,
    broken: fn(String) -> ApiError,
    too_large: &str,
) -> Result<Upload, ApiError> {
    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
    let path = dir.path().join(file_name);
    let mut file = tokio::fs::File::create(&path).await.map_err(ApiError::internal)?;
    let mut stream = body.into_data_stream();
    let mut received: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| broken(format!("the upload did not arrive whole: {error}")))?;
        received += chunk.len() as u64;
        if received > MAX_UPLOAD_BYTES {
            let message = too_large.replace("{MiB}", &(MAX_UPLOAD_BYTES >> 20).to_string());
            return Err(ApiError::new(ErrorCode::PayloadTooLarge, message));
        }
        file.write_all(&chunk).await.map_err(ApiError::internal)?;
    }
    // tokio finishes writes in the background; flushing makes them land before the import reads.
    file.flush().await.map_err(ApiError::internal)?;
    Ok(Upload { path, _dir: dir })
}

fn import_error(error: ImportError, path: &std::path::Path) -> ApiError {
    match error {
        ImportError::Store { source, .. } | ImportError::ExportStore { source, .. } => {
            rapport_app::AppError::from(source).into()
        }
        ImportError::Read { .. } | ImportError::Write { .. } => ApiError::internal(error),
        ImportError::UnknownKind(_) => ApiError::new(ErrorCode::NotFound, error.to_string()),
        ImportError::UnknownPreset(_) => ApiError::invalid("preset", error),
        // The message names the server's temporary file; the client knows it as their upload.
        other => ApiError::new(
            ErrorCode::InvalidCsv,
            other.to_string().replace(&path.display().to_string(), "the uploaded CSV"),
        ),
    }
}

fn rolled_back(summary: &ImportSummary) -> ApiError {
    let first = summary.errors.first().map(|error| format!("; the first: {error}")).unwrap_or_default();
    let message = format!(
        "{} of {} rows failed, so nothing was imported (strict mode){first}",
        summary.failed, summary.rows
    );
    let details = serde_json::to_value(summary).unwrap_or_default();
    ApiError::new(ErrorCode::ImportRolledBack, message).with_details(details)
}

async fn export(
    _: Allowed<Export>,
    State(state): State<AppState>,
    ApiPath(kind): ApiPath<String>,
) -> Result<Response, ApiError> {
    let kind = parse_kind(&kind)?;
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let store = state.store.clone();
    let task = tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter { buffer: Vec::with_capacity(EXPORT_CHUNK), sender, sent: false };
        let result = rapport_import::export(&*store, kind, &mut out).and_then(|rows| {
            std::io::Write::flush(&mut out)
                .map(|()| rows)
                .map_err(|source| ImportError::Write { kind: kind.as_str(), source })
        });
        if let Err(error) = &result {
            if out.sent {
                // Too late for an error status: break the transfer so the client cannot
                // mistake a truncated file for a whole one.
                tracing::error!(%error, "export failed after it started streaming");
                let _ = out.sender.blocking_send(Err(std::io::Error::other("the export failed")));
            }
        }
        result
    });
    // The first chunk decides the status: an export that fails before writing anything still
    // answers with a JSON error.
    let first = match receiver.recv().await {
        Some(first) => first,
        None => match task.await {
            Ok(Ok(_)) => Ok(Bytes::new()),
            Ok(Err(error)) => return Err(import_error(error, std::path::Path::new(""))),
            Err(join_error) => return Err(ApiError::internal(join_error)),
        },
    };
    let rest = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    let body = Body::from_stream(futures_util::stream::once(async move { first }).chain(rest));
    let disposition = format!("attachment; filename=\"{}.csv\"", kind.as_str());
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// A `Write` that hands the export to the response body in chunks, from the blocking pool.
struct ChannelWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    sent: bool,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= EXPORT_CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(EXPORT_CHUNK)));
        self.sent = true;
        // A closed channel means the client went away; stop reading the store.
        self.sender.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client closed the connection")
        })
    }
}
