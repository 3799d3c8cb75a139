//! The worker's failure paths against a real store and media folder: what is bad input fails
//! for good with its reason kept, what may pass is retried. (Transcription itself runs with
//! the real model in the CLI's end-to-end tests.)

use std::path::Path;

use rapport_asr::{ModelSource, TranscriberOptions};
use rapport_domain::{CallStatus, Job, JobStatus};
use rapport_store::JobQuery;

use super::*;
use crate::calls::{add_audio, NewCall};
use crate::test_support::{self, at};

fn options() -> WorkerOptions {
    WorkerOptions { once: true, worker_id: "test-worker".into(), ..WorkerOptions::default() }
}

/// A model that does not exist: loading it fails, as when the cache is empty offline.
fn missing_model(dir: &Path) -> SpeechModel {
    SpeechModel::new(ModelSource::Local(dir.join("no-model")), TranscriberOptions::default())
}

/// Adds `bytes` as a recording named `name` and runs one worker pass over the queue.
fn run_once(name: &str, bytes: &[u8]) -> (WorkerSummary, Job, rapport_domain::Call) {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let dir = tempfile::tempdir().unwrap();
    let media = test_support::media(dir.path());
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let added = add_audio(store, &media, &NewCall::default(), &file, at(2)).unwrap();
    let summary =
        run_worker(store, &media, &missing_model(dir.path()), &options(), &AtomicBool::new(false)).unwrap();
    let job = store.job(added.job.unwrap().id).unwrap().unwrap();
    let call = store.call(added.call.id).unwrap().unwrap();
    (summary, job, call)
}

#[test]
fn corrupt_audio_fails_for_good_naming_the_file() {
    let mut bytes = test_support::wav(&[vec![0.2; 16_000]], 16_000);
    bytes.truncate(2_000);
    let (summary, job, call) = run_once("cut.wav", &bytes);
    assert_eq!(summary, WorkerSummary { failed: 1, ..WorkerSummary::default() });
    assert_eq!((job.status, job.attempts), (JobStatus::Failed, 1));
    let reason = job.last_error.unwrap();
    assert!(reason.starts_with("cut.wav: truncated"), "{reason}");
    assert_eq!(call.status, CallStatus::Failed);
    assert_eq!(call.failure.as_deref(), Some(reason.as_str()));
}

#[test]
fn text_posing_as_audio_fails_for_good() {
    let (summary, job, _) = run_once("notes.mp3", b"these are meeting notes, not audio");
    assert_eq!(summary.failed, 1);
    assert!(job.last_error.unwrap().starts_with("notes.mp3: "));
}

#[test]
fn a_missing_model_is_retried_later() {
    let tone: Vec<f32> = (0..16_000).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
    let (summary, job, call) = run_once("tone.wav", &test_support::wav(&[tone], 16_000));
    assert_eq!(summary, WorkerSummary { retried: 1, ..WorkerSummary::default() });
    assert_eq!((job.status, job.attempts), (JobStatus::Queued, 1));
    assert!(job.run_after > job.updated_at, "the retry waits for the backoff");
    let reason = job.last_error.unwrap();
    assert!(reason.contains("no-model") && reason.contains("model.bin"), "{reason}");
    assert_eq!(call.status, CallStatus::Queued);
}

#[test]
fn a_missing_recording_fails_for_good() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let dir = tempfile::tempdir().unwrap();
    let media = test_support::media(dir.path());
    let file = dir.path().join("call.wav");
    std::fs::write(&file, test_support::wav(&[vec![0.0; 160]], 16_000)).unwrap();
    let added = add_audio(store, &media, &NewCall::default(), &file, at(2)).unwrap();
    media.delete(added.call.record.audio_key.as_deref().unwrap()).unwrap();
    let summary =
        run_worker(store, &media, &missing_model(dir.path()), &options(), &AtomicBool::new(false)).unwrap();
    assert_eq!(summary.failed, 1);
    let job = store.list_jobs(&JobQuery::default()).unwrap().remove(0);
    assert!(job.last_error.unwrap().starts_with("no media object `calls/"));
}

#[test]
fn a_stopped_worker_claims_nothing() {
    let fixture = test_support::store();
    let store = &*fixture.store;
    let dir = tempfile::tempdir().unwrap();
    let media = test_support::media(dir.path());
    let file = dir.path().join("call.wav");
    std::fs::write(&file, test_support::wav(&[vec![0.0; 160]], 16_000)).unwrap();
    add_audio(store, &media, &NewCall::default(), &file, at(2)).unwrap();
    let waiting = WorkerOptions { once: false, ..options() };
    let summary =
        run_worker(store, &media, &missing_model(dir.path()), &waiting, &AtomicBool::new(true)).unwrap();
    assert_eq!(summary, WorkerSummary::default());
    let job = store.list_jobs(&JobQuery::default()).unwrap().remove(0);
    assert_eq!((job.status, job.attempts), (JobStatus::Queued, 0));
}
