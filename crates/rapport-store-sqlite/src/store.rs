//! `Store` for [`SqliteStore`]: each call borrows a pooled connection and hands it to the
//! module that owns the query.

use std::time::Duration;

use rapport_domain::{
    Account, AttributionFacts, Call, CallId, CallRecord, Campaign, ClaimedJob, ContentItem, EmailAddress,
    FactsFilter, FunnelFacts, Job, JobId, JobLease, NewJob, Opportunity, PersonId, Retry, StageEvent,
    Timestamp, TransitionRequest, User, UserId, UserRecord, UtteranceRow,
};
use rusqlite::TransactionBehavior;

use rapport_store::{
    ApiToken, Backend, CallQuery, Counts, JobQuery, PeopleQuery, PersonView, ReasonCodeEntry, Sink, Store,
    StoreError, TouchView, WriteTx,
};

use crate::convert::{millis, OrDatabaseError};
use crate::{calls, facts, jobs, lifecycle, queue, reads, revision, transcripts, users, write, SqliteStore};

impl SqliteStore {
    /// Creates a call, and the job for it when given, in one transaction.
    fn insert_call(
        &self,
        record: &CallRecord,
        job: Option<&NewJob>,
        now: Timestamp,
    ) -> Result<(Call, Option<Job>), StoreError> {
        let now = millis(now);
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let id = calls::insert(&transaction, record, now)?;
        let job = job.map(|job| jobs::insert(&transaction, job, Some(id), now)).transpose()?;
        let call = calls::existing(&transaction, id)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok((call, job))
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn begin_write(&self) -> Result<Box<dyn WriteTx + '_>, StoreError> {
        Ok(Box::new(write::SqliteWriteTx::begin(self.pool.get()?)?))
    }

    fn transition(&self, person: PersonId, request: &TransitionRequest) -> Result<StageEvent, StoreError> {
        let mut connection = self.pool.get()?;
        // IMMEDIATE takes the write lock before reading the current stage, so two concurrent
        // transitions of one person cannot both check against the same stage.
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        if !lifecycle::person_exists(&transaction, person.0)? {
            return Err(StoreError::NotFound { what: "person", key: person.to_string() });
        }
        let event = lifecycle::append_checked(&transaction, person.0, request)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok(event)
    }

    fn stage_history(&self, person: PersonId) -> Result<Vec<StageEvent>, StoreError> {
        lifecycle::history(&*self.pool.get()?, person.0)
    }

    fn rejection_reasons(&self) -> Result<Vec<ReasonCodeEntry>, StoreError> {
        lifecycle::rejection_reasons(&*self.pool.get()?)
    }

    fn put_rejection_reason(&self, entry: &ReasonCodeEntry) -> Result<(), StoreError> {
        let connection = self.pool.get()?;
        lifecycle::put_rejection_reason(&connection, entry)?;
        revision::bump(&connection)
    }

    fn person_by_email(&self, email: &EmailAddress) -> Result<Option<PersonView>, StoreError> {
        reads::person_by(&*self.pool.get()?, "email", &email.as_str())
    }

    fn person(&self, id: PersonId) -> Result<Option<PersonView>, StoreError> {
        reads::person_by(&*self.pool.get()?, "id", &id.0)
    }

    fn list_people(&self, query: &PeopleQuery) -> Result<Vec<PersonView>, StoreError> {
        reads::list_people(&*self.pool.get()?, query)
    }

    fn recent_touches(&self, person: PersonId, limit: u32) -> Result<Vec<TouchView>, StoreError> {
        reads::recent_touches(&*self.pool.get()?, person.0, limit)
    }

    fn account_by_domain(&self, domain: &str) -> Result<Option<Account>, StoreError> {
        reads::account_by_domain(&*self.pool.get()?, domain)
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        reads::counts(&*self.pool.get()?)
    }

    fn revision(&self) -> Result<u64, StoreError> {
        revision::current(&*self.pool.get()?)
    }

    fn funnel_facts(&self, filter: &FactsFilter) -> Result<FunnelFacts, StoreError> {
        // One read transaction so the four vectors come from the same snapshot.
        let mut connection = self.pool.get()?;
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        facts::funnel_facts(&snapshot, filter)
    }

    fn attribution_facts(&self, filter: &FactsFilter) -> Result<AttributionFacts, StoreError> {
        let mut connection = self.pool.get()?;
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        facts::attribution_facts(&snapshot, filter)
    }

    fn export_accounts(&self, sink: Sink<'_, Account>) -> Result<(), StoreError> {
        reads::export_accounts(&*self.pool.get()?, sink)
    }

    fn export_people(&self, sink: Sink<'_, PersonView>) -> Result<(), StoreError> {
        reads::export_people(&*self.pool.get()?, sink)
    }

    fn export_touches(&self, sink: Sink<'_, TouchView>) -> Result<(), StoreError> {
        reads::export_touches(&*self.pool.get()?, sink)
    }

    fn export_opportunities(&self, sink: Sink<'_, Opportunity>) -> Result<(), StoreError> {
        reads::export_opportunities(&*self.pool.get()?, sink)
    }

    fn export_campaigns(&self, sink: Sink<'_, Campaign>) -> Result<(), StoreError> {
        reads::export_campaigns(&*self.pool.get()?, sink)
    }

    fn export_content(&self, sink: Sink<'_, ContentItem>) -> Result<(), StoreError> {
        reads::export_content(&*self.pool.get()?, sink)
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
        calls::call(&*self.pool.get()?, id.0)
    }

    fn list_calls(&self, query: &CallQuery) -> Result<Vec<Call>, StoreError> {
        calls::list(&*self.pool.get()?, query)
    }

    fn replace_transcript(
        &self,
        call: CallId,
        utterances: &[UtteranceRow],
        duration_ms: Option<i64>,
        now: Timestamp,
    ) -> Result<Call, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        if !transcripts::call_exists(&transaction, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        transcripts::replace(&transaction, call.0, utterances, duration_ms, millis(now))?;
        let stored = calls::existing(&transaction, call.0)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok(stored)
    }

    fn call_utterances(&self, call: CallId) -> Result<Vec<UtteranceRow>, StoreError> {
        let mut connection = self.pool.get()?;
        // One snapshot, so the words read belong to the utterances read.
        let snapshot = connection.transaction_with_behavior(TransactionBehavior::Deferred).or_db()?;
        if !transcripts::call_exists(&snapshot, call.0)? {
            return Err(StoreError::NotFound { what: "call", key: call.to_string() });
        }
        transcripts::utterances(&snapshot, call.0)
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
        queue::heartbeat(&*self.pool.get()?, lease, progress, now)
    }

    fn complete_job(&self, lease: &JobLease, now: Timestamp) -> Result<Job, StoreError> {
        queue::complete(&*self.pool.get()?, lease, now)
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
        jobs::job(&*self.pool.get()?, id.0)
    }

    fn list_jobs(&self, query: &JobQuery) -> Result<Vec<Job>, StoreError> {
        jobs::list(&*self.pool.get()?, query)
    }

    fn upsert_user(&self, user: &UserRecord) -> Result<User, StoreError> {
        let connection = self.pool.get()?;
        let user = users::upsert_user(&connection, user)?;
        revision::bump(&connection)?;
        Ok(user)
    }

    fn user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, StoreError> {
        users::user_by_email(&*self.pool.get()?, email)
    }

    fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        users::user(&*self.pool.get()?, id)
    }

    fn list_users(&self) -> Result<Vec<User>, StoreError> {
        users::list_users(&*self.pool.get()?)
    }

    fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_sha256_hex: &str,
    ) -> Result<ApiToken, StoreError> {
        users::create_api_token(&*self.pool.get()?, user, name, token_sha256_hex)
    }

    fn user_for_token(&self, token_sha256_hex: &str) -> Result<Option<User>, StoreError> {
        users::user_for_token(&*self.pool.get()?, token_sha256_hex)
    }
}
