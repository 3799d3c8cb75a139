//! `Store` for [`PostgresStore`]: each call borrows a pooled connection and hands it to the
//! module that owns the query.

use std::time::Duration;

use rapport_domain::{
    Account, AttributionFacts, Call, CallId, CallRecord, Campaign, ClaimedJob, ContentItem, EmailAddress,
    FactsFilter, FunnelFacts, Job, JobId, JobLease, NewJob, Opportunity, PersonId, Retry, StageEvent,
    Timestamp, TransitionRequest, User, UserId, UserRecord, UtteranceRow,
};

use rapport_store::{
    ApiToken, Backend, CallQuery, Counts, JobQuery, PeopleQuery, PersonView, ReasonCodeEntry, Sink, Store,
    StoreError, TouchView, WriteTx,
};

use crate::connection::Transaction;
use crate::convert::millis;
use crate::{
    calls, facts, jobs, lifecycle, queue, reads, revision, transcripts, users, write, PostgresStore,
};

/// Facts are read in one snapshot, so the vectors agree with each other; their queries scan
/// much of the data, so they are planned for the filter at hand (see `write::BEGIN_WRITE`).
const SNAPSHOT: &str =
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan";

impl PostgresStore {
    /// Creates a call, and the job for it when given, in one transaction.
    fn insert_call(
        &self,
        record: &CallRecord,
        job: Option<&NewJob>,
        now: Timestamp,
    ) -> Result<(Call, Option<Job>), StoreError> {
        let now = millis(now);
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        let id = calls::insert(&mut transaction, record, now)?;
        let job = job.map(|job| jobs::insert(&mut transaction, job, Some(id), now)).transpose()?;
        let call = calls::existing(&mut transaction, id)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok((call, job))
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn begin_write(&self) -> Result<Box<dyn WriteTx + '_>, StoreError> {
        Ok(Box::new(write::PostgresWriteTx::begin(self.pool.get()?)?))
    }

    fn transition(&self, person: PersonId, request: &TransitionRequest) -> Result<StageEvent, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        // The row lock makes concurrent transitions of one person take turns, so each checks
        // against the stage the previous one left.
        if !lifecycle::lock_person(&mut transaction, person.0)? {
            return Err(StoreError::NotFound { what: "person", key: person.to_string() });
        }
        let event = lifecycle::append_checked(&mut transaction, person.0, request)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(event)
    }

    fn stage_history(&self, person: PersonId) -> Result<Vec<StageEvent>, StoreError> {
        lifecycle::history(&mut *self.pool.get()?, person.0)
    }

    fn rejection_reasons(&self) -> Result<Vec<ReasonCodeEntry>, StoreError> {
        lifecycle::rejection_reasons(&mut *self.pool.get()?)
    }

    fn put_rejection_reason(&self, entry: &ReasonCodeEntry) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        lifecycle::put_rejection_reason(&mut connection, entry)?;
        revision::bump(&mut connection)
    }

    fn person_by_email(&self, email: &EmailAddress) -> Result<Option<PersonView>, StoreError> {
        reads::person_by_email(&mut *self.pool.get()?, email.as_str())
    }

    fn person(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        reads::person_by_id(&mut *self.pool.get()?, id.0)
    }

    fn list_people(&self, query: &PeopleQuery) -> Result<Vec<PersonView>, StoreError> {
        reads::list_people(&mut *self.pool.get()?, query)
    }

    fn recent_touches(&self, person: PersonId, limit: u32) -> Result<Vec<TouchView>, StoreError> {
        reads::recent_touches(&mut *self.pool.get()?, person.0, limit)
    }

    fn account_by_domain(&self, domain: &str) -> Result<Option<Account>, StoreError> {
        reads::account_by_domain(&mut *self.pool.get()?, domain)
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        reads::counts(&mut *self.pool.get()?)
    }

    fn revision(&self) -> Result<u64, StoreError> {
        revision::current(&mut *self.pool.get()?)
    }

    fn funnel_facts(&self, filter: &FactsFilter) -> Result<FunnelFacts, StoreError> {
        let mut connection = self.pool.get()?;
        let mut snapshot = Transaction::begin(&mut connection, SNAPSHOT)?;
        let facts = facts::funnel_facts(&mut snapshot, filter)?;
        snapshot.commit()?;
        Ok(facts)
    }

    fn attribution_facts(&self, filter: &FactsFilter) -> Result<AttributionFacts, StoreError> {
        let mut connection = self.pool.get()?;
        let mut snapshot = Transaction::begin(&mut connection, SNAPSHOT)?;
        let facts = facts::attribution_facts(&mut snapshot, filter)?;
        snapshot.commit()?;
        Ok(facts)
    }

    fn export_accounts(&self, sink: Sink<'_, Account>) -> Result<(), StoreError> {
        reads::export_accounts(&mut *self.pool.get()?, sink)
    }

    fn export_people(&self, sink: Sink<'_, PersonView>) -> Result<(), StoreError> {
        reads::export_people(&mut *self.pool.get()?, sink)
    }

    fn export_touches(&self, sink: Sink<'_, TouchView>) -> Result<(), StoreError> {
        reads::export_touches(&mut *self.pool.get()?, sink)
    }

    fn export_opportunities(&self, sink: Sink<'_, Opportunity>) -> Result<(), StoreError> {
        reads::export_opportunities(&mut *self.pool.get()?, sink)
    }

    fn export_campaigns(&self, sink: Sink<'_, Campaign>) -> Result<(), StoreError> {
        reads::export_campaigns(&mut *self.pool.get()?, sink)
    }

    fn export_content(&self, sink: Sink<'_, ContentItem>) -> Result<(), StoreError> {
        reads::export_content(&mut *self.pool.get()?, sink)
    }

    fn create_call(&self, record: &CallRecord, now: Timestamp) -> Result<Call, StoreError> {
        Ok(self.insert_call(record, None, now)?.0)
    }

    fn create_call_with_job(
        &self,
        record: &CallRecord,
        job: &NewJob,
        now: Timestamp,
    ) -> Result<(Call, Job), StoreError> {
        match self.insert_call(record, Some(job), now)? {
            (call, Some(job)) => Ok((call, job)),
            (call, None) => Err(StoreError::Database(format!("call {} was stored without its job", call.id))),
        }
    }

    fn call(&self, id: CallId) -> Result<Option<Call>, StoreError> {
        calls::call(&mut *self.pool.get()?, id.0)
    }

    fn list_calls(&self, query: &CallQuery) -> Result<Vec<Call>, StoreError> {
        calls::list(&mut *self.pool.get()?, query)
    }

    fn replace_transcript(
        &self,
        call: CallId,
        utterances: &[UtteranceRow],
        duration_ms: Option<i64>,
        now: Timestamp,
    ) -> Result<Call, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        if !transcripts::lock_call(&mut transaction, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        transcripts::replace(&mut transaction, call.0, utterances, duration_ms, millis(now))?;
        let stored = calls::existing(&mut transaction, call.0)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(stored)
    }

    fn call_utterances(&self, call: CallId) -> Result<Vec<UtteranceRow>, StoreError> {
        let mut connection = self.pool.get()?;
        // One snapshot, so the words read belong to the utterances read.
        let mut snapshot =
            Transaction::begin(&mut connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        if !transcripts::call_exists(&mut snapshot, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        let utterances = transcripts::utterances(&mut snapshot, call.0)?;
        snapshot.commit()?;
        Ok(utterances)
    }

    fn enqueue_job(&self, job: &NewJob, now: Timestamp) -> Result<Job, StoreError> {
        queue::enqueue(&mut *self.pool.get()?, job, now)
    }

    fn claim_job(
        &self,
        worker_id: &str,
        kinds: &[&str],
        lease: Duration,
        now: Timestamp,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        queue::claim(&mut *self.pool.get()?, worker_id, kinds, lease, now)
    }

    fn heartbeat_job(&self, lease: &JobLease, progress: f64, now: Timestamp) -> Result<Job, StoreError> {
        queue::heartbeat(&mut *self.pool.get()?, lease, progress, now)
    }

    fn complete_job(&self, lease: &JobLease, now: Timestamp) -> Result<Job, StoreError> {
        queue::complete(&mut *self.pool.get()?, lease, now)
    }

    fn fail_job(
        &self,
        lease: &JobLease,
        reason: &str,
        retry: Retry,
        now: Timestamp,
    ) -> Result<Job, StoreError> {
        queue::fail(&mut *self.pool.get()?, lease, reason, retry, now)
    }

    fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        jobs::job(&mut *self.pool.get()?, id.0)
    }

    fn list_jobs(&self, query: &JobQuery) -> Result<Vec<Job>, StoreError> {
        jobs::list(&mut *self.pool.get()?, query)
    }

    fn upsert_user(&self, user: &UserRecord) -> Result<User, StoreError> {
        let mut connection = self.pool.get()?;
        let user = users::upsert_user(&mut connection, user)?;
        revision::bump(&mut connection)?;
        Ok(user)
    }

    fn user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, StoreError> {
        users::user_by_email(&mut *self.pool.get()?, email)
    }

    fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        users::user(&mut *self.pool.get()?, id)
    }

    fn list_users(&self) -> Result<Vec<User>, StoreError> {
        users::list_users(&mut *self.pool.get()?)
    }

    fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_sha256_hex: &str,
    ) -> Result<ApiToken, StoreError> {
        users::create_api_token(&mut *self.pool.get()?, user, name, token_sha256_hex)
    }

    fn user_for_token(&self, token_sha256_hex: &str) -> Result<Option<User>, StoreError> {
        users::user_for_token(&mut *self.pool.get()?, token_sha256_hex)
    }
}
