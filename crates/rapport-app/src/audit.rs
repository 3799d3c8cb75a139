//! The audit log: who changed stages, users, roles, passwords, reason codes and the lead
//! definition (drafts and approvals), when.
//! Entries name the actor by id and by email as it was then.

use rapport_domain::{Timestamp, User};
use rapport_store::{AuditEntry, AuditQuery, AuditRecord, Store};

use crate::AppError;

/// An entry by `actor` (`None`: the command line, which has no signed-in user).
pub fn entry(actor: Option<&User>, action: &str, target: &str, details: &str, at: Timestamp) -> AuditEntry {
    AuditEntry {
        at,
        actor: actor.map(|user| user.id),
        actor_label: actor.map_or_else(|| "command line".to_owned(), |user| user.record.email.to_string()),
        action: action.to_owned(),
        target: target.to_owned(),
        details: details.to_owned(),
    }
}

pub fn record(store: &dyn Store, entry: &AuditEntry) -> Result<AuditRecord, AppError> {
    Ok(store.append_audit(entry)?)
}

/// The newest entries first, at most `limit` (1 to 1000).
pub fn list(
    store: &dyn Store,
    action_prefix: Option<String>,
    limit: u32,
) -> Result<Vec<AuditRecord>, AppError> {
    if !(1..=1000).contains(&limit) {
        return Err(AppError::invalid("limit", "must be between 1 and 1000"));
    }
    Ok(store.audit_log(&AuditQuery { action_prefix, target: None, limit })?)
}
