//! Checks of leases and failures: a job whose worker died (lease expired) is claimed again and
//! the old worker is refused; failures back off exponentially and finally fail with the reason
//! kept; a call's status follows its job.

use std::time::Duration;

use rapport_domain::{Backoff, CallStatus, JobStatus, NewJob, Retry};
use rapport_store::{Store, StoreError};

use crate::calls::{linked_call, seed_crm};
use crate::fixtures::day;
use crate::jobs::{at, claim, enqueue};
use crate::transcripts::utterances;

fn assert_not_held<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(StoreError::JobNotHeld { .. }) => {}
        other => panic!("{what}: expected JobNotHeld, got {other:?}"),
    }
}

pub fn an_expired_lease_is_claimed_again_and_the_old_worker_refused(store: &dyn Store) {
    let id = enqueue(store, "transcribe_call", day(2, 0));
    let old = claim(store, "old", &[], at(3, 0, 0)).unwrap();
    assert!(claim(store, "new", &[], at(3, 0, 30)).is_none(), "a live lease is not taken over");
    store.heartbeat_job(&old.lease, 0.5, at(3, 0, 50)).unwrap();
    assert!(claim(store, "new", &[], at(3, 0, 109)).is_none(), "the heartbeat renewed it");

    // `old` is killed: no heartbeat until its lease ends at 0:01:50.
    let new = claim(store, "new", &[], at(3, 0, 110)).unwrap();
    assert_eq!(new.job.id, id);
    assert_eq!(
        (new.job.attempts, new.lease.attempt, new.job.progress),
        (2, 2, 0.0),
        "a new attempt from scratch"
    );
    let reason = new.job.last_error.clone().unwrap_or_default();
    assert!(reason.contains("old") && reason.contains("expired"), "the takeover is explained: {reason:?}");
    assert_not_held(store.heartbeat_job(&old.lease, 0.9, at(3, 0, 111)), "the old worker's heartbeat");
    assert_not_held(store.complete_job(&old.lease, at(3, 0, 112)), "the old worker's completion");
    assert_not_held(
        store.fail_job(&old.lease, "boom", Retry::Never, at(3, 0, 113)),
        "the old worker's failure",
    );
    let job = store.job(id).unwrap().unwrap();
    assert_eq!((job.status, job.worker_id.as_deref(), job.progress), (JobStatus::Running, Some("new"), 0.0));

    // The same worker id claiming again (a restarted process) still fences the earlier claim.
    let again = claim(store, "new", &[], at(3, 0, 300)).unwrap();
    assert_eq!(again.lease.attempt, 3);
    assert_not_held(
        store.heartbeat_job(&new.lease, 0.1, at(3, 0, 301)),
        "the earlier claim of the same worker",
    );
    let done = store.complete_job(&again.lease, at(3, 0, 302)).unwrap();
    assert_eq!(done.status, JobStatus::Succeeded);
}

pub fn a_lease_expired_on_the_last_attempt_fails_the_job(store: &dyn Store) {
    seed_crm(store);
    let job = NewJob { max_attempts: 2, ..NewJob::new("transcribe_call", "{}", day(2, 0)) };
    let (call, job) = store.create_call_with_job(&linked_call("a"), &job, day(2, 0)).unwrap();
    claim(store, "w1", &[], at(3, 0, 0)).unwrap();
    claim(store, "w2", &[], at(3, 0, 60)).unwrap();
    let revision = store.revision().unwrap();
    assert!(claim(store, "w3", &[], at(3, 0, 120)).is_none(), "no attempts are left");
    let failed = store.job(job.id).unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.attempts, failed.finished_at),
        (JobStatus::Failed, 2, Some(at(3, 0, 120)))
    );
    let reason = failed.last_error.unwrap();
    assert!(reason.contains("w2") && reason.contains("expired"), "{reason}");
    let call = store.call(call.id).unwrap().unwrap();
    assert_eq!((call.status, call.failure), (CallStatus::Failed, Some(reason)));
    assert!(store.revision().unwrap() > revision, "the call's status changed");
}

pub fn failures_back_off_then_fail_with_the_reason_kept(store: &dyn Store) {
    let backoff = Backoff { base: Duration::from_secs(10), max: Duration::from_secs(15) };
    let job = NewJob { max_attempts: 3, ..NewJob::new("transcribe_call", "{}", day(2, 0)) };
    let id = store.enqueue_job(&job, day(1, 0)).unwrap().id;

    let first = claim(store, "w", &[], at(3, 0, 0)).unwrap();
    store.heartbeat_job(&first.lease, 0.4, at(3, 0, 5)).unwrap();
    let retried = store
        .fail_job(&first.lease, "object store timed out", Retry::Backoff(backoff), at(3, 0, 10))
        .unwrap();
    assert_eq!(
        (retried.status, retried.run_after),
        (JobStatus::Queued, at(3, 0, 20)),
        "the first retry waits `base`"
    );
    assert_eq!(retried.last_error.as_deref(), Some("object store timed out"));
    assert_eq!((retried.lease_expires_at, retried.finished_at, retried.progress), (None, None, 0.0));
    assert_not_held(store.heartbeat_job(&first.lease, 0.5, at(3, 0, 11)), "a heartbeat after failing");
    assert!(claim(store, "w", &[], at(3, 0, 19)).is_none(), "not before the backoff ends");

    let second = claim(store, "w", &[], at(3, 0, 20)).unwrap();
    assert_eq!(second.job.last_error.as_deref(), Some("object store timed out"), "kept while retrying");
    let retried =
        store.fail_job(&second.lease, "timed out again", Retry::Backoff(backoff), at(3, 0, 30)).unwrap();
    assert_eq!(retried.run_after, at(3, 0, 45), "20 s doubled from 10 s, capped at 15 s");

    let third = claim(store, "w", &[], at(3, 0, 45)).unwrap();
    assert_eq!(third.job.attempts, 3);
    let failed =
        store.fail_job(&third.lease, "still timing out", Retry::Backoff(backoff), at(3, 0, 50)).unwrap();
    assert_eq!(
        (failed.status, failed.finished_at),
        (JobStatus::Failed, Some(at(3, 0, 50))),
        "attempts are spent"
    );
    assert_eq!(failed.last_error.as_deref(), Some("still timing out"));
    assert_eq!(store.job(id).unwrap(), Some(failed));
    assert!(claim(store, "w", &[], day(30, 0)).is_none(), "a failed job stays failed");

    let id = enqueue(store, "transcribe_call", day(2, 0));
    let claimed = claim(store, "w", &[], at(4, 0, 0)).unwrap();
    let failed =
        store.fail_job(&claimed.lease, "corrupt audio: no MP3 frames\0", Retry::Never, at(4, 0, 1)).unwrap();
    assert_eq!(
        (failed.id, failed.status, failed.attempts),
        (id, JobStatus::Failed, 1),
        "no retry, attempts left or not"
    );
    assert_eq!(
        failed.last_error.as_deref(),
        Some("corrupt audio: no MP3 frames\u{FFFD}"),
        "a reason is always storable"
    );
}

pub fn a_call_follows_its_job(store: &dyn Store) {
    seed_crm(store);
    let job = NewJob::new("transcribe_call", "{}", day(2, 0));
    let (call, job) = store.create_call_with_job(&linked_call("a"), &job, day(2, 0)).unwrap();
    let status = |store: &dyn Store| store.call(call.id).unwrap().unwrap().status;
    let first = claim(store, "w", &[], at(3, 0, 0)).unwrap();
    assert_eq!((first.job.call_id, status(store)), (Some(call.id), CallStatus::Transcribing));
    store
        .fail_job(&first.lease, "model download failed", Retry::Backoff(Backoff::default()), at(3, 0, 1))
        .unwrap();
    assert_eq!(status(store), CallStatus::Queued, "waiting for its retry");

    let second = claim(store, "w", &[], day(4, 0)).unwrap();
    assert_eq!(status(store), CallStatus::Transcribing);
    store.replace_transcript(call.id, &utterances(2, "hello there"), Some(4_000), day(4, 1)).unwrap();
    assert_eq!(status(store), CallStatus::Ready);
    store.complete_job(&second.lease, day(4, 1)).unwrap();
    assert_eq!(status(store), CallStatus::Ready);

    // A second transcription of the same call (a better model) queues it again.
    let mut again = NewJob::new("transcribe_call", "{}", day(5, 0));
    again.call = Some(call.id);
    let again = store.enqueue_job(&again, day(5, 0)).unwrap();
    assert_eq!((again.call_id, status(store)), (Some(call.id), CallStatus::Queued));
    let third = claim(store, "w", &[], day(6, 0)).unwrap();
    assert_eq!(third.job.id, again.id);
    store.fail_job(&third.lease, "the audio is gone from the object store", Retry::Never, day(6, 1)).unwrap();
    let failed = store.call(call.id).unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.failure.as_deref()),
        (CallStatus::Failed, Some("the audio is gone from the object store"))
    );
    assert_eq!(store.job(job.id).unwrap().unwrap().status, JobStatus::Succeeded);
}
