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

mod error;
mod types;

pub use error::{RowRejection, StoreError};
pub use types::*;

use rapport_domain::{
    Account, AccountRecord, AttributionFacts, CampaignRecord, ContentItem, ContentRecord, EmailAddress,
    FactsFilter, FunnelFacts, Opportunity, OpportunityRecord, PersonId, PersonRecord, StageEvent,
    TouchRecord, TransitionRequest, User, UserId, UserRecord,
};

/// What happened to one imported row.
pub type RowResult = Result<UpsertOutcome, RowRejection>;

/// Callback that receives exported rows one at a time, so exports stream.
pub type Sink<'a, T> = &'a mut dyn FnMut(T) -> Result<(), StoreError>;

pub trait Store: Send + Sync + std::fmt::Debug {
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
    /// reason codes), across processes and machines. Caches of derived data compare it to
    /// tell whether they are still current; equal revisions mean no write came in between.
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
