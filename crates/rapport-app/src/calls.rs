//! Calls in: a transcript file becomes a ready call at once; a recording goes to the media
//! store and a `transcribe` job for the worker. Listing and showing calls and jobs.

use std::path::Path;

use rapport_domain::{
    parse_timestamp, Call, CallId, CallRecord, CallSource, CallStatus, EmailAddress, Job, JobId, JobStatus,
    NewJob, Timestamp, UtteranceRow,
};
use rapport_media::{call_audio_key, MediaError, MediaStore};
use rapport_store::{CallQuery, JobQuery, Store, StoreError};
use rapport_transcript::{assign_roles, CompanyUser, RoleRules, Transcript};
use serde::{Deserialize, Serialize};

use crate::leads::{find_user, parse_email, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT};
use crate::speech::ChannelRoles;
use crate::transcript_rows::{participants, utterance_rows};
use crate::AppError;

/// The job kind workers claim to transcribe a call's recording.
pub const TRANSCRIBE_JOB: &str = "transcribe";

/// What a transcription job needs, as stored in its payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscribePayload {
    /// The recording's key in the media store.
    pub audio_key: String,
    /// The file name it came in as: decoders use its extension, failures name it.
    pub file_name: String,
    pub rep_channel: u32,
    /// See [`ChannelRoles::per_channel`]; absent means "decide from the audio".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_channel: Option<bool>,
}

/// A call to add, as raw text from a command line or a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCall {
    /// Defaults to the file's name without its extension.
    pub title: Option<String>,
    /// Defaults to now.
    pub started_at: Option<String>,
    pub person_email: Option<String>,
    pub account_domain: Option<String>,
    pub opportunity: Option<String>,
    /// Names or emails of the company's side. The first email is the call's rep and must be
    /// a user; each one marks the matching speakers as reps.
    pub reps: Vec<String>,
    /// For recordings; `None` decides from the audio with the rep on channel 0.
    pub channels: Option<ChannelRoles>,
}

/// A call just added: ready with its transcript, or queued with its job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddedCall {
    pub call: Call,
    pub job: Option<Job>,
    pub utterances: usize,
    /// `reps` that matched no speaker of the transcript (a typo, or someone silent).
    pub unmatched_reps: Vec<String>,
}

/// A call with its transcript and its latest job, as `calls show` and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallDetails {
    #[serde(flatten)]
    pub call: Call,
    pub utterances: Vec<UtteranceRow>,
    pub job: Option<Job>,
}

/// Imports a transcript file (any format `rapport-transcript` reads): parsed and checked
/// before anything is written, so bad input creates no call.
pub fn add_transcript(
    store: &dyn Store,
    new: &NewCall,
    file_name: &str,
    bytes: &[u8],
    now: Timestamp,
) -> Result<AddedCall, AppError> {
    let mut transcript = rapport_transcript::import(file_name, bytes).map_err(|error| {
        let message = error.to_string();
        let message = message.strip_prefix(&format!("{file_name}: ")).unwrap_or(&message).to_owned();
        AppError::invalid(file_name, message)
    })?;
    let rep_email = call_rep(store, &new.reps)?;
    let rules = role_rules(store, new, rep_email.as_ref())?;
    let unmatched_reps = assign_roles(&mut transcript, &rules);
    let rows = crate::analysis::prepare_for_storage(store, utterance_rows(&transcript))?;
    for (position, row) in rows.iter().enumerate() {
        row.check(position).map_err(|e| AppError::invalid(file_name, e.to_string()))?;
    }
    let mut record = call_record(new, file_name, CallSource::Transcript, rep_email, now)?;
    record.duration_ms = Some(duration_ms(&transcript));
    record.participants = participants(&transcript);
    let call = store.create_call(&record, now)?;
    let call = store.replace_transcript(call.id, &rows, record.duration_ms, now)?;
    crate::analysis::analyze_or_enqueue(store, call.id, now);
    Ok(AddedCall { call, job: None, utterances: rows.len(), unmatched_reps })
}

/// Stores a recording in the media store and enqueues its transcription, the call and the
/// job in one transaction. A call the store refuses (an unknown person, …) leaves no audio.
pub fn add_audio(
    store: &dyn Store,
    media: &MediaStore,
    new: &NewCall,
    file: &Path,
    now: Timestamp,
) -> Result<AddedCall, AppError> {
    let file_name =
        file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into());
    let extension = file.extension().and_then(|e| e.to_str());
    let rep_email = call_rep(store, &new.reps)?;
    let mut record = call_record(new, &file_name, CallSource::Audio, rep_email, now)?;
    let key = call_audio_key(&new_object_id(), extension);
    media.put_file(&key, file).map_err(media_error)?;
    record.audio_key = Some(key.clone());
    record.audio_content_type = extension.and_then(content_type).map(str::to_owned);
    let channels = new.channels.unwrap_or(ChannelRoles { rep_channel: 0, per_channel: None });
    let payload = TranscribePayload {
        audio_key: key.clone(),
        file_name,
        rep_channel: channels.rep_channel,
        per_channel: channels.per_channel,
    };
    let payload_json = serde_json::to_string(&payload).expect("a payload always serialises");
    let job = NewJob::new(TRANSCRIBE_JOB, payload_json, now);
    match store.create_call_with_job(&record, &job, now) {
        Ok((call, job)) => Ok(AddedCall { call, job: Some(job), utterances: 0, unmatched_reps: Vec::new() }),
        Err(error) => {
            if let Err(cleanup) = media.delete(&key) {
                tracing::warn!(%cleanup, "the refused call's audio could not be removed");
            }
            Err(error.into())
        }
    }
}

pub fn show(store: &dyn Store, id: i64) -> Result<CallDetails, AppError> {
    let id = CallId(id);
    let call = store.call(id)?.ok_or_else(|| AppError::NotFound { what: "call", key: id.to_string() })?;
    let utterances = store.call_utterances(id)?;
    let query = JobQuery { call: Some(id), limit: 1, ..JobQuery::default() };
    let job = store.list_jobs(&query)?.into_iter().next();
    Ok(CallDetails { call, utterances, job })
}

pub fn list(store: &dyn Store, query: &CallQuery) -> Result<Vec<Call>, AppError> {
    Ok(store.list_calls(query)?)
}

pub fn jobs(store: &dyn Store, query: &JobQuery) -> Result<Vec<Job>, AppError> {
    Ok(store.list_jobs(query)?)
}

pub fn job(store: &dyn Store, id: i64) -> Result<Job, AppError> {
    let id = JobId(id);
    store.job(id)?.ok_or_else(|| AppError::NotFound { what: "job", key: id.to_string() })
}

/// Which calls to list; values are raw text from a command line or query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// The rep user's email.
    pub rep: Option<String>,
    /// The person's email.
    pub person: Option<String>,
    /// The account's domain.
    pub account: Option<String>,
    /// `queued`, `transcribing`, `ready` or `failed`.
    pub status: Option<String>,
    /// 1 to [`MAX_LIST_LIMIT`]; [`DEFAULT_LIST_LIMIT`] when absent.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// Which jobs to list; values are raw text from a command line or query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFilter {
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: Option<String>,
    pub kind: Option<String>,
    pub call: Option<i64>,
    /// 1 to [`MAX_LIST_LIMIT`]; [`DEFAULT_LIST_LIMIT`] when absent.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// [`CallFilter`] resolved to ids; an unknown rep, person or account is refused.
pub fn call_query(store: &dyn Store, filter: &CallFilter) -> Result<CallQuery, AppError> {
    let rep = filter.rep.as_deref().map(|email| find_user(store, "rep", email)).transpose()?;
    let person = match filter.person.as_deref() {
        None => None,
        Some(text) => {
            let email = parse_email("person", text)?;
            let person = store
                .person_by_email(&email)?
                .ok_or_else(|| AppError::invalid("person", format!("no person `{email}`")))?;
            Some(person.person.id)
        }
    };
    let account = match filter.account.as_deref() {
        None => None,
        Some(domain) => {
            let account = store.account_by_domain(domain)?.ok_or_else(|| {
                AppError::invalid("account", format!("no account with the domain `{domain}`"))
            })?;
            Some(account.id)
        }
    };
    let status = filter
        .status
        .as_deref()
        .map(|text| {
            CallStatus::parse(text).ok_or_else(|| {
                AppError::invalid(
                    "status",
                    format!("`{text}` is not one of queued, transcribing, ready, failed"),
                )
            })
        })
        .transpose()?;
    let (limit, offset) = page(filter.limit, filter.offset)?;
    Ok(CallQuery { rep, person, account, opportunity: None, status, limit, offset })
}

/// [`JobFilter`] as a store query.
pub fn job_query(filter: &JobFilter) -> Result<JobQuery, AppError> {
    let status = filter
        .status
        .as_deref()
        .map(|text| {
            JobStatus::parse(text).ok_or_else(|| {
                AppError::invalid(
                    "status",
                    format!("`{text}` is not one of queued, running, succeeded, failed"),
                )
            })
        })
        .transpose()?;
    let (limit, offset) = page(filter.limit, filter.offset)?;
    Ok(JobQuery { status, kind: filter.kind.clone(), call: filter.call.map(CallId), limit, offset })
}

fn page(limit: Option<u32>, offset: Option<u32>) -> Result<(u32, u32), AppError> {
    let limit = limit.unwrap_or(DEFAULT_LIST_LIMIT);
    if !(1..=MAX_LIST_LIMIT).contains(&limit) {
        return Err(AppError::invalid("limit", format!("must be between 1 and {MAX_LIST_LIMIT}")));
    }
    Ok((limit, offset.unwrap_or(0)))
}

/// Whether a file is a recording rather than a transcript: by extension, then by the
/// signatures of the containers `rapport-audio` reads.
pub fn is_audio(file_name: &str, head: &[u8]) -> bool {
    let extension = Path::new(file_name).extension().and_then(|e| e.to_str()).unwrap_or("");
    if content_type(extension).is_some() {
        return true;
    }
    let starts = |magic: &[u8]| head.starts_with(magic);
    let mpeg_frame = head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0;
    starts(b"RIFF")
        || starts(b"ID3")
        || starts(b"fLaC")
        || starts(b"OggS")
        || head.get(4..8) == Some(b"ftyp")
        || mpeg_frame
}

fn content_type(extension: &str) -> Option<&'static str> {
    Some(match extension.to_ascii_lowercase().as_str() {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "ogg" | "oga" => "audio/ogg",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "aac" => "audio/aac",
        _ => return None,
    })
}

/// The first email among `reps`: the user who made the call.
fn call_rep(store: &dyn Store, reps: &[String]) -> Result<Option<EmailAddress>, AppError> {
    let Some(email) = reps.iter().find(|rep| rep.contains('@')) else { return Ok(None) };
    let email = parse_email("rep", email)?;
    match store.user_by_email(&email)? {
        Some(_) => Ok(Some(email)),
        None => Err(AppError::NotFound { what: "user", key: email.to_string() }),
    }
}

/// Explicit reps (with the rep user's own name, which is what transcripts show) and every
/// company user, whose names mark the company's side.
fn role_rules(store: &dyn Store, new: &NewCall, rep: Option<&EmailAddress>) -> Result<RoleRules, AppError> {
    let users = store.list_users()?;
    let mut reps = new.reps.clone();
    if let Some(user) = rep.and_then(|email| users.iter().find(|user| &user.record.email == email)) {
        reps.push(user.record.name.clone());
    }
    let users = users
        .into_iter()
        .map(|user| CompanyUser { name: user.record.name, email: Some(user.record.email.to_string()) })
        .collect();
    let rep_channel = new.channels.map(|channels| channels.rep_channel);
    Ok(RoleRules { reps, rep_channel, users })
}

fn call_record(
    new: &NewCall,
    file_name: &str,
    source: CallSource,
    rep_email: Option<EmailAddress>,
    now: Timestamp,
) -> Result<CallRecord, AppError> {
    let started_at = match new.started_at.as_deref() {
        Some(text) => parse_timestamp(text).map_err(|e| AppError::invalid("started_at", e.to_string()))?,
        None => now,
    };
    let stem = Path::new(file_name).file_stem().map(|s| s.to_string_lossy().into_owned());
    let title =
        new.title.clone().filter(|t| !t.trim().is_empty()).or(stem).unwrap_or_else(|| file_name.to_owned());
    let person_email = new.person_email.as_deref().map(|email| parse_email("person", email)).transpose()?;
    Ok(CallRecord {
        external_id: None,
        title,
        started_at,
        duration_ms: None,
        source,
        participants: Vec::new(),
        person_email,
        account_domain: new.account_domain.clone(),
        opportunity_external_id: new.opportunity.clone(),
        rep_email,
        audio_key: None,
        audio_content_type: None,
    })
}

/// The source's own length when it gives one, else the end of the last utterance.
fn duration_ms(transcript: &Transcript) -> i64 {
    let seconds = transcript.duration_s.unwrap_or_else(|| transcript.last_end());
    (seconds.max(0.0) * 1000.0).round() as i64
}

/// A random id (UUID v4 form) for an object key: unguessable, and unique without asking
/// the database first, so the audio can be stored before the call exists.
fn new_object_id() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Media failures as the app reports them: what the caller can fix is `Invalid`; a failing
/// backend is a storage failure (the message is for logs).
pub(crate) fn media_error(error: MediaError) -> AppError {
    if error.is_user_error() {
        AppError::invalid("audio", error.to_string())
    } else {
        AppError::Store(StoreError::Database(error.to_string()))
    }
}

#[cfg(test)]
#[path = "calls_tests.rs"]
mod tests;
