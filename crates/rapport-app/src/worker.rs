//! The transcription worker: claims `transcribe` jobs from the durable queue, decodes and
//! transcribes the call's audio, and stores the transcript.
//!
//! Crash safety comes from the store: a job is held under a lease that the heartbeat
//! extends; a worker killed mid-job simply stops extending it, and once it expires another
//! worker claims the job as a new attempt. Writing the transcript replaces the call's
//! utterances in one transaction, so a job run twice leaves one transcript, never two.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use rapport_asr::AsrError;
use rapport_domain::{Backoff, CallId, ClaimedJob, Retry};
use rapport_media::MediaStore;
use rapport_store::{Store, StoreError};

use crate::analysis::{analyze_call, analyze_or_enqueue, analyze_stale, prepare_for_storage, ANALYZE_JOB};
use crate::calls::{TranscribePayload, TRANSCRIBE_JOB};
use crate::heartbeat::{with_heartbeat, JobPulse};
use crate::speech::{transcribe_audio, ChannelRoles, SpeakerNames, SpeechError, SpeechModel};
use crate::transcript_rows::utterance_rows;
use crate::AppError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerOptions {
    /// Names this worker in the queue (`host-pid-n`), so an operator can tell who ran what.
    pub worker_id: String,
    /// How long a claim holds without a heartbeat; heartbeats come three times per lease
    /// (at least every 5 s).
    pub lease: Duration,
    /// How long to wait before asking again when no job is due.
    pub poll_interval: Duration,
    pub backoff: Backoff,
    /// Stop once no job is due instead of waiting for more (`rapport worker --once`).
    pub once: bool,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            worker_id: format!("worker-{}", std::process::id()),
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_secs(2),
            backoff: Backoff::default(),
            once: false,
        }
    }
}

/// What one worker did before it stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerSummary {
    pub succeeded: u32,
    /// Failed and queued again for a later attempt.
    pub retried: u32,
    /// Failed for good (bad input, or attempts spent).
    pub failed: u32,
    /// Taken over by another worker after this one's lease expired; results discarded.
    pub lost: u32,
}

/// Works the queue until `stop` is set (or, with `once`, until no job is due). A job that
/// has started is finished first: the speech engine cannot be interrupted mid-window, and
/// finishing costs less than redoing. Queue errors are logged and retried after the poll
/// interval, except with `once`, where they end the run.
pub fn run_worker(
    store: &dyn Store,
    media: &MediaStore,
    model: &SpeechModel,
    options: &WorkerOptions,
    stop: &AtomicBool,
) -> Result<WorkerSummary, AppError> {
    let mut summary = WorkerSummary::default();
    while !stop.load(Ordering::Relaxed) {
        let kinds = [TRANSCRIBE_JOB, ANALYZE_JOB];
        let claimed = match store.claim_job(&options.worker_id, &kinds, options.lease, Utc::now()) {
            Ok(claimed) => claimed,
            Err(error) if options.once => return Err(error.into()),
            Err(error) => {
                tracing::error!(%error, "cannot claim a job; trying again");
                sleep_unless_stopped(options.poll_interval, stop);
                continue;
            }
        };
        let Some(claimed) = claimed else {
            if options.once {
                break;
            }
            sleep_unless_stopped(options.poll_interval, stop);
            continue;
        };
        if claimed.job.kind == ANALYZE_JOB {
            run_analysis_job(store, options, &claimed, &mut summary);
        } else {
            run_job(store, media, model, options, &claimed, &mut summary);
        }
    }
    Ok(summary)
}

/// A job's failure: the reason kept on the job, and whether trying again can help.
#[derive(Debug)]
struct JobFailure {
    reason: String,
    retry: bool,
}

impl JobFailure {
    fn bad_input(reason: impl ToString) -> Self {
        JobFailure { reason: reason.to_string(), retry: false }
    }

    fn transient(reason: impl ToString) -> Self {
        JobFailure { reason: reason.to_string(), retry: true }
    }

    fn from_store(error: StoreError) -> Self {
        if error.is_user_error() {
            Self::bad_input(error)
        } else {
            Self::transient(error)
        }
    }
}

fn run_job(
    store: &dyn Store,
    media: &MediaStore,
    model: &SpeechModel,
    options: &WorkerOptions,
    claimed: &ClaimedJob,
    summary: &mut WorkerSummary,
) {
    let (job, lease) = (&claimed.job, &claimed.lease);
    let started = Instant::now();
    tracing::info!(job = %job.id, attempt = lease.attempt, "transcribing");
    let pulse = JobPulse::default();
    // Three beats per lease, so one missed beat costs nothing; at most 5 s apart, so progress
    // in `jobs list` moves visibly; never a busy loop.
    let interval = (options.lease / 3).min(Duration::from_secs(5)).max(Duration::from_millis(100));
    let outcome = with_heartbeat(store, lease, interval, &pulse, || {
        transcribe_job(store, media, model, claimed, &pulse)
    });
    let now = Utc::now();
    let result = match outcome {
        _ if pulse.lost() => {
            summary.lost += 1;
            return;
        }
        Ok((call, rows, duration_ms)) => {
            prepare_for_storage(store, rows).map_err(JobFailure::transient).and_then(|rows| {
                store.replace_transcript(call, &rows, duration_ms, now).map_err(JobFailure::from_store)?;
                analyze_or_enqueue(store, call, now);
                store.complete_job(lease, now).map_err(JobFailure::from_store).map(|_| rows.len())
            })
        }
        Err(failure) => Err(failure),
    };
    record_outcome(store, options, job, lease, started, result, summary);
}

/// Ends a job: completed, or failed with retry or for good, counted in `summary`.
fn record_outcome(
    store: &dyn Store,
    options: &WorkerOptions,
    job: &rapport_domain::Job,
    lease: &rapport_domain::JobLease,
    started: Instant,
    result: Result<usize, JobFailure>,
    summary: &mut WorkerSummary,
) {
    let now = Utc::now();
    let failure = match result {
        Ok(utterances) => {
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!(job = %job.id, kind = %job.kind, items = utterances, seconds, "done");
            summary.succeeded += 1;
            return;
        }
        Err(failure) => failure,
    };
    let retry = if failure.retry { Retry::Backoff(options.backoff) } else { Retry::Never };
    match store.fail_job(lease, &failure.reason, retry, now) {
        Ok(job) if job.status == rapport_domain::JobStatus::Queued => {
            tracing::warn!(job = %job.id, reason = %failure.reason, "failed; will retry");
            summary.retried += 1;
        }
        Ok(job) => {
            tracing::warn!(job = %job.id, reason = %failure.reason, "failed");
            summary.failed += 1;
        }
        Err(StoreError::JobNotHeld { .. }) => summary.lost += 1,
        Err(error) => {
            tracing::error!(job = %job.id, %error, "cannot record the failure; the lease will expire")
        }
    }
}

/// An `analyze` job: one call (the job's call), or every stale call in batches, with
/// progress; killed, it is claimed again after its lease and resumes with what is still stale.
fn run_analysis_job(
    store: &dyn Store,
    options: &WorkerOptions,
    claimed: &ClaimedJob,
    summary: &mut WorkerSummary,
) {
    let (job, lease) = (&claimed.job, &claimed.lease);
    let started = Instant::now();
    let pulse = JobPulse::default();
    let interval = (options.lease / 3).min(Duration::from_secs(5)).max(Duration::from_millis(100));
    let outcome = with_heartbeat(store, lease, interval, &pulse, || match job.call_id {
        Some(call) => analyze_call(store, call, Utc::now()).map(|_| 1),
        None => analyze_stale(store, &Utc::now, &mut |done, total| {
            pulse.set_progress(if total == 0 { 1.0 } else { done as f64 / total as f64 })
        })
        .map(|done| done as usize),
    });
    if pulse.lost() {
        summary.lost += 1;
        return;
    }
    let result = outcome
        .map_err(|error| {
            if error.is_user_error() {
                JobFailure::bad_input(error)
            } else {
                JobFailure::transient(error)
            }
        })
        .and_then(|done| store.complete_job(lease, Utc::now()).map_err(JobFailure::from_store).map(|_| done));
    record_outcome(store, options, job, lease, started, result, summary);
}

type Transcribed = (CallId, Vec<rapport_domain::UtteranceRow>, Option<i64>);

fn transcribe_job(
    store: &dyn Store,
    media: &MediaStore,
    model: &SpeechModel,
    claimed: &ClaimedJob,
    pulse: &JobPulse,
) -> Result<Transcribed, JobFailure> {
    let job = &claimed.job;
    let payload: TranscribePayload = serde_json::from_str(&job.payload_json)
        .map_err(|e| JobFailure::bad_input(format!("job payload: {e}")))?;
    let call_id = job.call_id.ok_or_else(|| JobFailure::bad_input("a transcribe job needs a call"))?;
    let call = store
        .call(call_id)
        .map_err(JobFailure::from_store)?
        .ok_or_else(|| JobFailure::bad_input(format!("call {call_id} no longer exists")))?;
    let bytes = media.get(&payload.audio_key).map_err(|error| match error.is_transient() {
        true => JobFailure::transient(error),
        false => JobFailure::bad_input(error),
    })?;
    let audio = rapport_audio::decode_bytes(&payload.file_name, &bytes, &mut |_| {})
        .map_err(JobFailure::bad_input)?;
    drop(bytes);
    let transcriber = model.transcriber(&mut |_, _| {}).map_err(JobFailure::transient)?;
    let roles = ChannelRoles { rep_channel: payload.rep_channel, per_channel: payload.per_channel };
    let names = speaker_names(store, &call);
    let transcript =
        transcribe_audio(&transcriber, &audio, roles, &names, &mut |share| pulse.set_progress(share))
            .map_err(|error| match error {
                SpeechError::Audio(error) => JobFailure::bad_input(error),
                SpeechError::Asr(error @ AsrError::InvalidOption(_)) => JobFailure::bad_input(error),
                SpeechError::Asr(error) => JobFailure::transient(error),
            })?;
    let duration_ms = (audio.duration_s * 1000.0).round() as i64;
    Ok((call_id, utterance_rows(&transcript), Some(duration_ms)))
}

/// The rep user's and the contact's names, for the per-channel speakers; lookups that fail
/// only cost the names ("Rep", "Customer").
fn speaker_names(store: &dyn Store, call: &rapport_domain::Call) -> SpeakerNames {
    let rep = call.rep_id.and_then(|id| store.user(id).ok().flatten()).map(|user| user.record.name);
    let customer = call.person_id.and_then(|id| store.person(id).ok().flatten()).and_then(|view| {
        let record = view.person.record;
        let name = [record.first_name, record.last_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
        (!name.trim().is_empty()).then_some(name)
    });
    SpeakerNames { rep, customer }
}

/// Sleeps up to `duration`, waking early when `stop` is set, so Ctrl-C is answered at once.
fn sleep_unless_stopped(duration: Duration, stop: &AtomicBool) {
    let until = Instant::now() + duration;
    while !stop.load(Ordering::Relaxed) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50).min(until.saturating_duration_since(Instant::now())));
    }
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
