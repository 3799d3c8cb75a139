//! The storage API every backend implements, and nothing else: no SQL, no driver.
//!
//! The API is synchronous on purpose. SQLite is a blocking library, PostgreSQL is reached
//! through the blocking `postgres` client, and the callers that are async (the HTTP server)
//! run store calls on `spawn_blocking`. A sync trait stays object-safe without boxing every
//! future, and the CLI, importers and workers stay plain code.
//!
//! Writes that belong together are one transaction: [`Store::begin_write`] hands out a
//! [`WriteTx`] that commits all or nothing; [`Store::transition`] checks and appends one stage
//! event atomically.
//!
//! Calls and the job queue take the current time as an explicit `now` parameter instead of
//! reading a clock: tests are then deterministic, and both backends compute leases and
//! retry times the same way. Workers on several machines compare their own clocks through
//! the lease times, so keep them in sync (NTP) and make leases much longer than any skew.

pub mod accounts;
pub mod analysis;
pub mod content;
pub mod decode;
mod error;
pub mod keys;
mod scoring;
pub mod topics;
mod types;
pub mod web;

pub use accounts::AccountStore;
pub use analysis::AnalysisStore;
pub use content::ContentStore;
pub use error::{RowRejection, StoreError};
pub use scoring::*;
pub use topics::TopicStore;
pub use types::*;
pub use web::{
    AuditEntry, AuditQuery, AuditRecord, LoginAttempt, LoginFailures, NewSession, SessionView, WebStore,
};

use std::time::Duration;

use rapport_domain::{
    Account, AccountRecord, AttributionFacts, Call, CallId, CallRecord, CampaignRecord, ClaimedJob,
    ContentItem, ContentRecord, EmailAddress, FactsFilter, FunnelFacts, Job, JobId, JobLease, NewJob,
    Opportunity, OpportunityRecord, PersonId, PersonRecord, Retry, StageEvent, Timestamp, TouchRecord,
    TransitionRequest, User, UserId, UserRecord, UtteranceRow,
};

/// What happened to one imported row.
pub type RowResult = Result<UpsertOutcome, RowRejection>;

/// Callback that receives exported rows one at a time, so exports stream.
pub type Sink<'a, T> = &'a mut dyn FnMut(T) -> Result<(), StoreError>;

pub trait Store:
    Send
    + Sync
    + std::fmt::Debug
    + AnalysisStore
    + ScoringStore
    + WebStore
    + ContentStore
    + AccountStore
    + TopicStore
{
    /// Which backend this is, for messages and benchmarks.
    fn backend(&self) -> Backend;

    /// Starts a write transaction. Dropping it without [`WriteTx::commit`] rolls back.
    fn begin_write(&self) -> Result<Box<dyn WriteTx + '_>, StoreError>;

    // ---- lifecycle -------------------------------------------------------------------------

    /// Checks `request` against the person's current stage (with
    /// [`rapport_domain::check_transition`] and the configured reason codes) and appends the
    /// event, in one transaction; concurrent transitions of one person serialise.
    fn transition(&self, person: PersonId, request: &TransitionRequest) -> Result<StageEvent, StoreError>;

    /// The person's events, oldest first.
    fn stage_history(&self, person: PersonId) -> Result<Vec<StageEvent>, StoreError>;

    /// Rejection reason codes with their labels, in display order.
    fn rejection_reasons(&self) -> Result<Vec<ReasonCodeEntry>, StoreError>;

    /// Adds a reason code, or relabels an existing one.
    fn put_rejection_reason(&self, entry: &ReasonCodeEntry) -> Result<(), StoreError>;

    // ---- reads -----------------------------------------------------------------------------

    fn person_by_email(&self, email: &EmailAddress) -> Result<Option<PersonView>, StoreError>;

    fn person(&self, id: PersonId) -> Result<Option<PersonView>, StoreError>;

    /// People with their current stage, newest first, for lists and queues.
    fn list_people(&self, query: &PeopleQuery) -> Result<Vec<PersonView>, StoreError>;

    /// The person's most recent touches, newest first.
    fn recent_touches(&self, person: PersonId, limit: u32) -> Result<Vec<TouchView>, StoreError>;

    fn account_by_domain(&self, domain: &str) -> Result<Option<Account>, StoreError>;

    fn counts(&self) -> Result<Counts, StoreError>;

    /// A number that every committed write moves forward (imports, transitions, users,
    /// reason codes, calls and transcripts, a call's status), across processes and machines.
    /// Caches of derived data compare it to tell whether they are still current; equal
    /// revisions mean no write came in between. The job queue's own bookkeeping (claims,
    /// heartbeats, completions, retries of jobs) leaves it alone unless it changes a call's
    /// status: no report derives from it, and heartbeats every few seconds would otherwise
    /// keep every cache cold.
    fn revision(&self) -> Result<u64, StoreError>;

    // ---- analytics facts -------------------------------------------------------------------

    fn funnel_facts(&self, filter: &FactsFilter) -> Result<FunnelFacts, StoreError>;

    fn attribution_facts(&self, filter: &FactsFilter) -> Result<AttributionFacts, StoreError>;

    // ---- exports (streaming, in id order) --------------------------------------------------

    fn export_accounts(&self, sink: Sink<'_, Account>) -> Result<(), StoreError>;
    fn export_people(&self, sink: Sink<'_, PersonView>) -> Result<(), StoreError>;
    fn export_touches(&self, sink: Sink<'_, TouchView>) -> Result<(), StoreError>;
    fn export_opportunities(&self, sink: Sink<'_, Opportunity>) -> Result<(), StoreError>;
    fn export_campaigns(&self, sink: Sink<'_, rapport_domain::Campaign>) -> Result<(), StoreError>;
    fn export_content(&self, sink: Sink<'_, ContentItem>) -> Result<(), StoreError>;

    // ---- calls and transcripts -------------------------------------------------------------

    /// Stores a new call with status `queued`. The person (by email), account (by domain;
    /// when absent, the person's account), opportunity (by external id) and rep (a user, by
    /// email) must exist: an unknown one is `NotFound` naming it (`person`, `account`,
    /// `opportunity`, `user`). A bad value (see [`CallRecord::check`]) or an external id
    /// already taken is `Invalid` naming the field.
    fn create_call(&self, record: &CallRecord, now: Timestamp) -> Result<Call, StoreError>;

    /// [`Store::create_call`] and [`Store::enqueue_job`] in one transaction, the job linked to
    /// the new call (the job's own `call` is ignored): either both are stored or neither,
    /// so no call waits for a job that was never enqueued.
    fn create_call_with_job(
        &self,
        record: &CallRecord,
        job: &NewJob,
        now: Timestamp,
    ) -> Result<(Call, Job), StoreError>;

    fn call(&self, id: CallId) -> Result<Option<Call>, StoreError>;

    /// Calls matching the query, newest first (by start time, then id).
    fn list_calls(&self, query: &CallQuery) -> Result<Vec<Call>, StoreError>;

    /// Replaces the call's transcript in one transaction: deletes its utterances and words,
    /// inserts `utterances` (each checked with [`UtteranceRow::check`]), sets the status to
    /// `ready` (clearing any failure) and, when given, the duration. A re-run (a worker killed
    /// and restarted) therefore never leaves duplicates, and a refused row leaves the previous
    /// transcript as it was. Concurrent replacements of one call take turns; the last wins.
    fn replace_transcript(
        &self,
        call: CallId,
        utterances: &[UtteranceRow],
        duration_ms: Option<i64>,
        now: Timestamp,
    ) -> Result<Call, StoreError>;

    /// The call's utterances in order, each with its words in order; `NotFound` for an
    /// unknown call, empty before a transcript is stored.
    fn call_utterances(&self, call: CallId) -> Result<Vec<UtteranceRow>, StoreError>;

    // ---- the durable job queue -------------------------------------------------------------
    //
    // queued --claim--> running --complete--> succeeded
    //   ^                 |  |
    //   +--fail (retry)---+  +--fail (no retry, or attempts spent)--> failed
    // A running job whose lease expired (its worker died) is claimable again as a new attempt,
    // or fails when its attempts are spent. Heartbeats, completion and failure name the
    // [`JobLease`] of the claim; once the job was claimed again they are refused with
    // [`StoreError::JobNotHeld`]. A job linked to a call moves the call's status with it:
    // queued -> `queued`, running -> `transcribing`, failed -> `failed` (with the reason);
    // [`Store::replace_transcript`] makes the call `ready`.

    /// Adds a job, claimable from `job.run_after`. An unknown `job.call` is `NotFound`; a bad
    /// value (see [`NewJob::check`]) is `Invalid`.
    fn enqueue_job(&self, job: &NewJob, now: Timestamp) -> Result<Job, StoreError>;

    /// Takes the claimable job of one of `kinds` (any kind when empty) that has been due the
    /// longest, for `worker_id`, for `lease` from `now`: status `running`, attempts + 1,
    /// progress 0. Claimable: queued with `run_after <= now`, or running with an expired
    /// lease. Each job goes to exactly one of any number of concurrent claimers (PostgreSQL:
    /// `FOR UPDATE SKIP LOCKED`; SQLite: one writer at a time). An expired job whose attempts
    /// are spent is marked failed instead. `None` when nothing is due.
    fn claim_job(
        &self,
        worker_id: &str,
        kinds: &[&str],
        lease: Duration,
        now: Timestamp,
    ) -> Result<Option<ClaimedJob>, StoreError>;

    /// Records progress (0 to 1, the share of the audio done) and extends the lease to `now`
    /// plus the claim's lease. Also accepted after the lease expired, as long as nobody
    /// claimed the job since.
    fn heartbeat_job(&self, lease: &JobLease, progress: f64, now: Timestamp) -> Result<Job, StoreError>;

    /// Marks the job `succeeded` (progress 1).
    fn complete_job(&self, lease: &JobLease, now: Timestamp) -> Result<Job, StoreError>;

    /// Records `reason` as the job's last error. With [`Retry::Backoff`] and attempts left the
    /// job is queued again for `now + backoff.delay(attempts)`; otherwise it is `failed`.
    fn fail_job(
        &self,
        lease: &JobLease,
        reason: &str,
        retry: Retry,
        now: Timestamp,
    ) -> Result<Job, StoreError>;

    fn job(&self, id: JobId) -> Result<Option<Job>, StoreError>;

    /// Jobs matching the query, newest first.
    fn list_jobs(&self, query: &JobQuery) -> Result<Vec<Job>, StoreError>;

    // ---- users and API tokens --------------------------------------------------------------

    fn upsert_user(&self, user: &UserRecord) -> Result<User, StoreError>;
    fn user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, StoreError>;
    fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    fn list_users(&self) -> Result<Vec<User>, StoreError>;

    /// Stores a token's SHA-256 hash (never the token) for a user.
    fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_sha256_hex: &str,
    ) -> Result<ApiToken, StoreError>;
    /// The user a token hash belongs to; also records the token's last use.
    fn user_for_token(&self, token_sha256_hex: &str) -> Result<Option<User>, StoreError>;
}

/// One write transaction. Each `upsert_*` takes a batch and returns one result per row, in
/// order: a row that references something missing or holds a bad value is rejected with
/// the field named, without writing anything for that row and without failing the batch.
/// Re-upserting an identical row reports [`UpsertOutcome::Unchanged`] and writes nothing.
pub trait WriteTx {
    fn upsert_accounts(&mut self, rows: &[AccountRecord]) -> Result<Vec<RowResult>, StoreError>;
    fn upsert_campaigns(&mut self, rows: &[CampaignRecord]) -> Result<Vec<RowResult>, StoreError>;
    fn upsert_content(&mut self, rows: &[ContentRecord]) -> Result<Vec<RowResult>, StoreError>;
    /// People; the account, owner and campaign are resolved by natural key (a missing
    /// account domain creates the account; a missing owner is a rejection). New entries of
    /// `stage_history` become events with source `import`, recorded as the CRM had them.
    fn upsert_people(&mut self, rows: &[PersonRecord]) -> Result<Vec<RowResult>, StoreError>;
    /// Touches; the person must exist; an unknown campaign is created; unknown content is a
    /// rejection. A touch without an external id is keyed by its content, so re-imports
    /// add nothing.
    fn upsert_touches(&mut self, rows: &[TouchRecord]) -> Result<Vec<RowResult>, StoreError>;
    /// Opportunities; on insert (and on a change of outcome) the primary contact's lifecycle
    /// gets the matching `opportunity` / `customer` / `lost` events with source `import`.
    fn upsert_opportunities(&mut self, rows: &[OpportunityRecord]) -> Result<Vec<RowResult>, StoreError>;
    /// Appends checked stage events for one person inside this transaction (the demo
    /// generator and bulk tools use this; interactive changes use [`Store::transition`]).
    fn append_transitions(
        &mut self,
        person: &EmailAddress,
        requests: &[TransitionRequest],
    ) -> Result<Vec<StageEvent>, StoreError>;
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}
