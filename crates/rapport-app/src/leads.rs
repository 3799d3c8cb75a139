//! Lead actions by email: show a person, list people, and move a lead through the handoff
//! (hand off to a sales owner, accept, reject with a reason, recycle to nurture).
//!
//! The lifecycle rules themselves live in `rapport_domain::check_transition`, applied by the
//! store inside the transaction that appends the event; this module only turns emails into
//! ids and options into a [`TransitionRequest`].

use rapport_domain::{EmailAddress, Stage, StageEvent, TransitionRequest, UserId};
use rapport_store::{PeopleQuery, PersonView, Store, TouchView};
use serde::Serialize;

use crate::{AppError, ChangeOptions};

/// How many recent touches [`show`] returns.
pub const RECENT_TOUCHES: u32 = 20;
/// People per page when the caller does not say.
pub const DEFAULT_LIST_LIMIT: u32 = 50;
/// The most people one page may hold, so one request cannot read a whole workspace.
pub const MAX_LIST_LIMIT: u32 = 500;

/// A person with their full stage history and most recent touches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadDetails {
    pub person: PersonView,
    /// Oldest first.
    pub history: Vec<StageEvent>,
    /// Newest first, at most [`RECENT_TOUCHES`].
    pub touches: Vec<TouchView>,
}

/// Which people to list; values are raw text from a command line or query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// A stage name (`mql`, `Sales Accepted Lead`, …).
    pub stage: Option<String>,
    /// The owning user's email.
    pub owner: Option<String>,
    /// 1 to [`MAX_LIST_LIMIT`]; [`DEFAULT_LIST_LIMIT`] when absent.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// Parses an email given for `field`, naming the field when it is not an address.
pub fn parse_email(field: &str, input: &str) -> Result<EmailAddress, AppError> {
    EmailAddress::parse(input).map_err(|error| AppError::invalid(field, error.to_string()))
}

pub fn show(store: &dyn Store, email: &str) -> Result<LeadDetails, AppError> {
    let person = find_person(store, email)?;
    let history = store.stage_history(person.person.id)?;
    let touches = store.recent_touches(person.person.id, RECENT_TOUCHES)?;
    Ok(LeadDetails { person, history, touches })
}

/// People with their current stage, newest first.
pub fn list(store: &dyn Store, query: &ListQuery) -> Result<Vec<PersonView>, AppError> {
    let stage = match query.stage.as_deref() {
        None => None,
        Some(text) => Some(Stage::parse(text).ok_or_else(|| {
            let known: Vec<&str> = Stage::ALL.iter().map(|s| s.as_str()).collect();
            AppError::invalid("stage", format!("`{text}` is not a stage (one of: {})", known.join(", ")))
        })?),
    };
    let owner = match query.owner.as_deref() {
        None => None,
        Some(text) => Some(find_user(store, "owner", text)?),
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIST_LIMIT);
    if !(1..=MAX_LIST_LIMIT).contains(&limit) {
        return Err(AppError::invalid("limit", format!("must be between 1 and {MAX_LIST_LIMIT}")));
    }
    let offset = query.offset.unwrap_or(0);
    Ok(store.list_people(&PeopleQuery { stage, owner, limit, offset })?)
}

/// Hands the lead to sales: moves it to `mql` with `owner_email` as its owner, which starts the
/// SLA clock. Handing off an MQL again re-assigns it.
pub fn handoff(
    store: &dyn Store,
    email: &str,
    owner_email: &str,
    options: &ChangeOptions,
) -> Result<StageEvent, AppError> {
    let owner = find_user(store, "owner", owner_email)?;
    change(store, email, Stage::Mql, None, Some(owner), options)
}

/// Sales accepts a handed-over lead (`mql` → `sal`).
pub fn accept(store: &dyn Store, email: &str, options: &ChangeOptions) -> Result<StageEvent, AppError> {
    change(store, email, Stage::Sal, None, None, options)
}

/// Sales rejects a lead with one of the configured reason codes. A blank reason is passed on
/// as none, so the store's answer lists the codes to choose from.
pub fn reject(
    store: &dyn Store,
    email: &str,
    reason: &str,
    options: &ChangeOptions,
) -> Result<StageEvent, AppError> {
    let reason = Some(reason.trim()).filter(|r| !r.is_empty()).map(str::to_owned);
    change(store, email, Stage::Rejected, reason, None, options)
}

/// Sends the lead back to nurture.
pub fn recycle(store: &dyn Store, email: &str, options: &ChangeOptions) -> Result<StageEvent, AppError> {
    change(store, email, Stage::Recycled, None, None, options)
}

fn change(
    store: &dyn Store,
    email: &str,
    to: Stage,
    reason: Option<String>,
    owner: Option<UserId>,
    options: &ChangeOptions,
) -> Result<StageEvent, AppError> {
    let person = find_person(store, email)?;
    let request = TransitionRequest {
        to,
        at: options.at,
        actor: options.actor.clone(),
        source: options.source,
        reason,
        note: options.note.clone().filter(|note| !note.trim().is_empty()),
        owner,
        force: options.force,
    };
    Ok(store.transition(person.person.id, &request)?)
}

pub(crate) fn find_person(store: &dyn Store, email: &str) -> Result<PersonView, AppError> {
    let email = parse_email("email", email)?;
    store
        .person_by_email(&email)?
        .ok_or_else(|| AppError::NotFound { what: "person", key: email.to_string() })
}

/// A user named in a field of the request: one that does not exist is the field's fault.
pub(crate) fn find_user(store: &dyn Store, field: &str, email: &str) -> Result<UserId, AppError> {
    let parsed = parse_email(field, email)?;
    match store.user_by_email(&parsed)? {
        Some(user) => Ok(user.id),
        None => {
            Err(AppError::invalid(field, format!("no user `{parsed}`; add them as a Rapport user first")))
        }
    }
}

#[cfg(test)]
#[path = "leads_tests.rs"]
mod tests;
