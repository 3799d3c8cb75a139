//! Checks of the job queue that only PostgreSQL can show: a claim skips a job another
//! transaction has locked instead of waiting for it (`SKIP LOCKED`), and workers in separate
//! stores (separate processes or machines, each with its own pool) share one queue with no job
//! run twice.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::TimeZone;
use rapport_domain::{JobId, JobStatus, NewJob, Timestamp};
use rapport_store::{JobQuery, Store};
use rapport_store_postgres::{PostgresStore, TemporarySchema};

fn test_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn day(day: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2024, 3, day, 0, 0, 0).unwrap()
}

fn enqueue(store: &dyn Store, run_after: Timestamp) -> JobId {
    store.enqueue_job(&NewJob::new("transcribe_call", "{}", run_after), day(1)).unwrap().id
}

#[test]
fn a_claim_skips_a_locked_job_instead_of_waiting() {
    let schema = TemporarySchema::new(&test_url(), "queue").unwrap();
    let store = schema.open_store().unwrap();
    let oldest = enqueue(&store, day(2));
    let next = enqueue(&store, day(3));

    // Another worker's claim transaction, caught between locking the oldest job and updating it.
    let mut config: postgres::Config = test_url().parse().unwrap();
    config.options(&format!("-c search_path={}", schema.name()));
    let mut other = config.connect(postgres::NoTls).unwrap();
    let mut holding = other.transaction().unwrap();
    holding.query_one("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", &[&oldest.0]).unwrap();

    let started = Instant::now();
    let claimed = store.claim_job("w", &[], Duration::from_secs(60), day(4)).unwrap().unwrap();
    assert_eq!(claimed.job.id, next, "the locked job is skipped");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "without waiting for the lock: {:?}",
        started.elapsed()
    );
    assert!(store.claim_job("w", &[], Duration::from_secs(60), day(4)).unwrap().is_none());

    holding.rollback().unwrap();
    let claimed = store.claim_job("w", &[], Duration::from_secs(60), day(4)).unwrap().unwrap();
    assert_eq!(claimed.job.id, oldest, "released, it is claimable again");
    drop(store);
}

#[test]
fn workers_in_separate_stores_run_each_job_once() {
    let schema = TemporarySchema::new(&test_url(), "queue").unwrap();
    let stores: Vec<PostgresStore> = (0..4).map(|_| schema.open_store().unwrap()).collect();
    let jobs: HashSet<JobId> = (0..120).map(|_| enqueue(&stores[0], day(2))).collect();
    let now = day(3);
    let lease = Duration::from_secs(300);
    // Three workers per store; each runs what it claims to completion, reporting progress.
    let ran: Vec<JobId> = std::thread::scope(|scope| {
        let workers: Vec<_> = stores
            .iter()
            .enumerate()
            .flat_map(|(s, store)| (0..3).map(move |t| (format!("host{s}-worker{t}"), store)))
            .map(|(worker, store)| {
                scope.spawn(move || {
                    let mut ran = Vec::new();
                    while let Some(claimed) =
                        store.claim_job(&worker, &["transcribe_call"], lease, now).unwrap()
                    {
                        store.heartbeat_job(&claimed.lease, 0.5, now).unwrap();
                        store.complete_job(&claimed.lease, now).unwrap();
                        ran.push(claimed.job.id);
                    }
                    ran
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(ran.len(), jobs.len(), "every job ran exactly once");
    assert_eq!(ran.iter().copied().collect::<HashSet<_>>(), jobs);
    let done = JobQuery { status: Some(JobStatus::Succeeded), ..Default::default() };
    assert_eq!(stores[1].list_jobs(&done).unwrap().len(), jobs.len());
    assert!(stores[2].list_jobs(&done).unwrap().iter().all(|job| job.attempts == 1));
    drop(stores);
}
