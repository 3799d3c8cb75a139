//! Checks of the job queue's claims: each job goes to exactly one of many concurrent
//! claimers, only due jobs of the asked kinds are claimed, oldest due first; progress and
//! completion are visible through `job`; lists filter and page.

use std::collections::HashSet;
use std::time::Duration;

use rapport_domain::{CallId, ClaimedJob, JobId, JobStatus, NewJob, Timestamp};
use rapport_store::{JobQuery, Store, StoreError};

use crate::fixtures::day;

pub const MINUTE: Duration = Duration::from_secs(60);

pub fn at(day_of_year: u32, hour: u32, seconds: i64) -> Timestamp {
    day(day_of_year, hour) + chrono::Duration::seconds(seconds)
}

/// Enqueues a job of `kind` due at `run_after`.
pub fn enqueue(store: &dyn Store, kind: &str, run_after: Timestamp) -> JobId {
    store.enqueue_job(&NewJob::new(kind, r#"{"n":1}"#, run_after), day(1, 0)).unwrap().id
}

pub fn claim(store: &dyn Store, worker: &str, kinds: &[&str], now: Timestamp) -> Option<ClaimedJob> {
    store.claim_job(worker, kinds, MINUTE, now).unwrap()
}

pub fn each_job_goes_to_exactly_one_of_many_claimers(store: &dyn Store) {
    let jobs: HashSet<JobId> = (0..40).map(|_| enqueue(store, "transcribe_call", day(2, 0))).collect();
    let other = enqueue(store, "other_kind", day(2, 0));
    let now = day(3, 0);
    // Eight workers race until the queue is empty; none may get a job another one got.
    let claimed: Vec<(String, JobId, u32)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|w| {
                scope.spawn(move || {
                    let worker = format!("worker-{w}");
                    let mut mine = Vec::new();
                    while let Some(claimed) = claim(store, &worker, &["transcribe_call"], now) {
                        assert_eq!(claimed.lease.worker_id, worker);
                        mine.push((worker.clone(), claimed.job.id, claimed.job.attempts));
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    let distinct: HashSet<JobId> = claimed.iter().map(|(_, id, _)| *id).collect();
    assert_eq!(claimed.len(), 40, "every job was claimed once: {claimed:?}");
    assert_eq!(distinct, jobs, "no job went to two workers");
    assert!(claimed.iter().all(|(_, _, attempts)| *attempts == 1));
    for (worker, id, _) in &claimed {
        let job = store.job(*id).unwrap().unwrap();
        assert_eq!((job.status, job.worker_id.as_deref()), (JobStatus::Running, Some(worker.as_str())));
        assert_eq!(job.lease_expires_at, Some(now + chrono::Duration::minutes(1)));
        assert_eq!(job.started_at, Some(now));
    }
    assert_eq!(store.job(other).unwrap().unwrap().status, JobStatus::Queued, "other kinds are left alone");
}

pub fn only_due_jobs_of_the_asked_kinds_are_claimed_oldest_first(store: &dyn Store) {
    let later = enqueue(store, "transcribe_call", day(5, 0));
    let sooner = enqueue(store, "transcribe_call", day(4, 0));
    let analyse = enqueue(store, "analyse_call", day(3, 0));
    assert!(claim(store, "w", &["transcribe_call"], day(3, 23)).is_none(), "nothing is due yet");
    let first = claim(store, "w", &["transcribe_call"], day(6, 0)).unwrap();
    assert_eq!(first.job.id, sooner, "the job due longest goes first, not the one enqueued first");
    assert_eq!(claim(store, "w", &["transcribe_call", "analyse_call"], day(6, 0)).unwrap().job.id, analyse);
    assert_eq!(claim(store, "w", &[], day(6, 0)).unwrap().job.id, later, "no kinds means any kind");
    assert!(claim(store, "w", &[], day(6, 0)).is_none());
    for (worker, lease) in [("", MINUTE), ("w", Duration::ZERO)] {
        let error = store.claim_job(worker, &[], lease, day(6, 0)).unwrap_err();
        assert!(matches!(error, StoreError::Invalid { .. }), "{error:?}");
    }
}

pub fn progress_and_completion_are_visible_through_job(store: &dyn Store) {
    let id = enqueue(store, "transcribe_call", day(2, 0));
    let claimed = claim(store, "w", &[], at(3, 0, 0)).unwrap();
    let job = store.heartbeat_job(&claimed.lease, 0.25, at(3, 0, 20)).unwrap();
    assert_eq!(job.progress, 0.25);
    assert_eq!(job.lease_expires_at, Some(at(3, 0, 80)), "a heartbeat renews the whole lease");
    assert_eq!(store.job(id).unwrap().unwrap().progress, 0.25);
    for bad in [-0.1, 1.5, f64::NAN] {
        let error = store.heartbeat_job(&claimed.lease, bad, at(3, 0, 30)).unwrap_err();
        assert!(matches!(&error, StoreError::Invalid { field, .. } if field == "progress"), "{error:?}");
    }
    store.heartbeat_job(&claimed.lease, 0.75, at(3, 0, 40)).unwrap();
    // Late (the lease ended at 1:40) but nobody claimed the job meanwhile: still accepted.
    let late = store.heartbeat_job(&claimed.lease, 0.8, at(3, 0, 150)).unwrap();
    assert_eq!(late.lease_expires_at, Some(at(3, 0, 210)));
    let done = store.complete_job(&claimed.lease, at(3, 0, 160)).unwrap();
    assert_eq!(
        (done.status, done.progress, done.finished_at),
        (JobStatus::Succeeded, 1.0, Some(at(3, 0, 160)))
    );
    assert_eq!(done.lease_expires_at, None);
    assert_eq!(store.job(id).unwrap(), Some(done));
    assert!(claim(store, "w2", &[], day(30, 0)).is_none(), "a finished job is never claimed again");
    let error = store.complete_job(&claimed.lease, at(3, 1, 0)).unwrap_err();
    assert!(matches!(error, StoreError::JobNotHeld { .. }), "completing twice is refused: {error:?}");
    assert_eq!(store.job(JobId(id.0 + 100)).unwrap(), None);
}

pub fn jobs_are_checked_and_listed_newest_first(store: &dyn Store) {
    let mut unknown_call = NewJob::new("transcribe_call", "{}", day(2, 0));
    unknown_call.call = Some(CallId(999));
    let error = store.enqueue_job(&unknown_call, day(1, 0)).unwrap_err();
    assert!(matches!(error, StoreError::NotFound { what: "call", .. }), "{error:?}");
    let error = store.enqueue_job(&NewJob::new("", "{}", day(2, 0)), day(1, 0)).unwrap_err();
    assert!(matches!(&error, StoreError::Invalid { field, .. } if field == "kind"), "{error:?}");

    let ids: Vec<JobId> =
        (0..5).map(|i| enqueue(store, if i % 2 == 0 { "even" } else { "odd" }, day(2, 0))).collect();
    claim(store, "w", &["odd"], day(3, 0)).unwrap();
    let listed =
        |query: JobQuery| -> Vec<JobId> { store.list_jobs(&query).unwrap().iter().map(|j| j.id).collect() };
    assert_eq!(listed(JobQuery::default()), ids.iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(listed(JobQuery { limit: 2, offset: 1, ..Default::default() }), [ids[3], ids[2]]);
    assert_eq!(listed(JobQuery { kind: Some("odd".into()), ..Default::default() }), [ids[3], ids[1]]);
    assert_eq!(listed(JobQuery { status: Some(JobStatus::Running), ..Default::default() }), [ids[1]]);
    let queued_even = JobQuery {
        status: Some(JobStatus::Queued),
        kind: Some("even".into()),
        limit: 2,
        offset: 0,
        call: None,
    };
    assert_eq!(listed(queued_even), [ids[4], ids[2]]);
}
