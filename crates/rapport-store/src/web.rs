//! Storage for the web app: password hashes, login sessions, login attempts (for rate limits)
//! and the audit log.
//!
//! Only hashes of secrets are stored: a password as its Argon2id PHC string, a session as the
//! SHA-256 of its token. Sessions and login attempts are bookkeeping like the job queue's
//! heartbeats: no report derives from them, so they leave the store's revision alone (a login
//! would otherwise make the next dashboard reload every fact). Password changes and audit
//! entries move it.

use rapport_domain::{Timestamp, User, UserId, UserRecord};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// A login session as stored: the token itself never is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token_sha256_hex: String,
    pub user: UserId,
    /// The per-session token every form must echo (not a secret from the user, only from other
    /// sites).
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionView {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// One login try, kept for the rate limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    /// As typed (lower-cased), so tries at unknown accounts are limited too.
    pub email: String,
    pub ip: String,
    pub at: Timestamp,
    pub succeeded: bool,
}

/// Failed logins since a time, for one account and for one address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginFailures {
    pub by_account: u32,
    pub by_ip: u32,
}

/// One line of the audit log: who changed what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// The acting user; `None` for the command line or the system.
    pub actor: Option<UserId>,
    /// The actor's email as it was, so the log stays readable if the user is renamed.
    pub actor_label: String,
    /// `stage.reject`, `user.add`, `user.role`, `reason.put`, `password.set`, …
    pub action: String,
    /// What was changed: a person's or user's email, a reason code.
    pub target: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// Which audit lines to list: newest first; a `limit` of 0 means no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub action_prefix: Option<String>,
    pub target: Option<String>,
    pub limit: u32,
}

pub trait WebStore {
    /// Stores the user's password hash (a PHC string), replacing any previous one, with its
    /// audit entry, in one transaction. `NotFound` for an unknown user.
    fn set_password_hash(&self, user: UserId, phc: &str, audit: &AuditEntry) -> Result<(), StoreError>;

    fn password_hash(&self, user: UserId) -> Result<Option<String>, StoreError>;

    /// Adds or updates a user (as [`crate::Store::upsert_user`]) and records `audit`, in one
    /// transaction.
    fn upsert_user_audited(&self, user: &UserRecord, audit: &AuditEntry) -> Result<User, StoreError>;

    fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;

    /// The session with this token hash if it has not expired at `now`.
    fn session(&self, token_sha256_hex: &str, now: Timestamp) -> Result<Option<SessionView>, StoreError>;

    /// Ends a session (logout); ending an unknown one is not an error.
    fn delete_session(&self, token_sha256_hex: &str) -> Result<(), StoreError>;

    /// Records a login try and forgets tries older than `forget_before`.
    fn record_login_attempt(
        &self,
        attempt: &LoginAttempt,
        forget_before: Timestamp,
    ) -> Result<(), StoreError>;

    /// Failed tries at or after `since` for the account and for the address.
    fn login_failures(&self, email: &str, ip: &str, since: Timestamp) -> Result<LoginFailures, StoreError>;

    fn append_audit(&self, entry: &AuditEntry) -> Result<AuditRecord, StoreError>;

    fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError>;
}
