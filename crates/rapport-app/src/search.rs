//! Transcript search as the CLI and the API offer it: the query text and filters as raw text,
//! parsed and resolved here (unknown rep, account or value: an error naming the field), and
//! who may see what.
//!
//! Visibility: everyone who may read calls searches them; a sales rep searches only the
//! calls they made (the call's `rep`), so one rep never reads another's conversations through
//! search. Managers, marketing and admins search every call. The CLI runs as the operator of
//! the installation and sees everything.

use rapport_domain::{parse_timestamp, OpportunityOutcome, Role, Timestamp, User};
use rapport_store::analysis::{parse_search, CallSide, SearchHit, SearchQuery};
use rapport_store::Store;

use crate::leads::find_user;
use crate::permissions::{require, Action};
use crate::AppError;

pub const DEFAULT_SEARCH_LIMIT: u32 = 20;
pub const MAX_SEARCH_LIMIT: u32 = 200;

/// A search as typed: every value raw text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    pub q: String,
    /// The rep user's email.
    pub rep: Option<String>,
    /// The account's domain.
    pub account: Option<String>,
    /// Calls from this date or time on.
    pub from: Option<String>,
    /// Calls before this date or time (as in the reports: the day after the last day).
    pub to: Option<String>,
    /// A tracker's name: only calls with a hit of it.
    pub tracker: Option<String>,
    /// `rep` or `customer`.
    pub side: Option<String>,
    /// `won`, `lost` or `open` (calls without a deal count as open).
    pub outcome: Option<String>,
    pub limit: Option<u32>,
    /// How many of the newest matches are ranked (default
    /// [`rapport_store::analysis::RANK_WINDOW`], at least `limit`, at most
    /// [`rapport_store::analysis::MAX_RANK_WINDOW`]): wider reaches older calls without a
    /// filter, at the cost of time.
    pub rank_window: Option<u32>,
}

/// Parses a period bound (`from` inclusive, `to` exclusive, as in the reports).
pub fn parse_bound(field: &str, text: &str) -> Result<Timestamp, AppError> {
    parse_timestamp(text).map_err(|e| AppError::invalid(field, e.to_string()))
}

/// The store query for a request; `asker` is who searches (`None`: the installation's
/// operator, through the CLI).
pub fn search_query(
    store: &dyn Store,
    asker: Option<&User>,
    request: &SearchRequest,
) -> Result<SearchQuery, AppError> {
    if let Some(user) = asker {
        require(user, Action::ReadCalls)?;
    }
    let terms = parse_search(&request.q, "q").map_err(|e| AppError::invalid(e.field, e.message))?;
    let limit = request.limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
    if !(1..=MAX_SEARCH_LIMIT).contains(&limit) {
        return Err(AppError::invalid("limit", format!("must be between 1 and {MAX_SEARCH_LIMIT}")));
    }
    let mut query = SearchQuery::new(terms, limit);
    if let Some(window) = request.rank_window {
        query.rank_window = window;
        // The store's own check of the query, so the bounds are written once.
        query.check().map_err(|e| AppError::invalid(e.field, e.message))?;
    }
    query.rep = request.rep.as_deref().map(|email| find_user(store, "rep", email)).transpose()?;
    if let Some(domain) = request.account.as_deref() {
        let account = store
            .account_by_domain(domain)?
            .ok_or_else(|| AppError::invalid("account", format!("no account with the domain `{domain}`")))?;
        query.account = Some(account.id);
    }
    query.from = request.from.as_deref().map(|t| parse_bound("from", t)).transpose()?;
    query.to = request.to.as_deref().map(|t| parse_bound("to", t)).transpose()?;
    if let Some(name) = request.tracker.as_deref() {
        let set = store.tracker_set()?;
        let smart = crate::smart::tracker_names();
        if !set.trackers.iter().any(|t| t.tracker.name == name) && !smart.iter().any(|s| s == name) {
            return Err(AppError::invalid(
                "tracker",
                format!("no tracker named `{name}` (see `rapport trackers list`)"),
            ));
        }
        query.tracker = Some(name.to_owned());
    }
    query.side = match request.side.as_deref() {
        None => None,
        Some("rep") => Some(CallSide::Rep),
        Some("customer") => Some(CallSide::Customer),
        Some(other) => {
            return Err(AppError::invalid("side", format!("`{other}` is not one of rep, customer")))
        }
    };
    query.outcome = match request.outcome.as_deref() {
        None => None,
        Some("won") => Some(OpportunityOutcome::Won),
        Some("lost") => Some(OpportunityOutcome::Lost),
        Some("open") => Some(OpportunityOutcome::Open),
        Some(other) => {
            return Err(AppError::invalid("outcome", format!("`{other}` is not one of won, lost, open")))
        }
    };
    if let Some(user) = asker.filter(|user| user.record.role == Role::SalesRep) {
        query.visible_to_rep = Some(user.id);
    }
    Ok(query)
}

pub fn search(
    store: &dyn Store,
    asker: Option<&User>,
    request: &SearchRequest,
) -> Result<Vec<SearchHit>, AppError> {
    let query = search_query(store, asker, request)?;
    Ok(store.search_utterances(&query)?)
}
