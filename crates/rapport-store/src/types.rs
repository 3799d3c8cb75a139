//! Values that cross the storage API and are not domain records of their own.

use rapport_domain::{
    Account, AccountId, CallId, CallStatus, CampaignId, ContentId, JobStatus, OpportunityId, Person,
    PersonId, Stage, Timestamp, TouchId, TouchKind, UserId,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// A person with what is derived about them: current stage (from history), owner and account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    #[serde(flatten)]
    pub person: Person,
    /// The stage of the latest event; `None` for a person with no history.
    pub stage: Option<Stage>,
    pub stage_since: Option<Timestamp>,
    pub account: Option<Account>,
    /// The current owner (handoffs reassign it); the record's `owner_email` is what the CRM
    /// said. Serialised under its own name so the flattened record's key is not repeated.
    #[serde(rename = "current_owner_email")]
    pub owner_email: Option<String>,
}

/// A stored touch with its references resolved to names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchView {
    pub id: TouchId,
    pub external_id: Option<String>,
    pub person_id: PersonId,
    pub email: String,
    pub occurred_at: Timestamp,
    pub kind: TouchKind,
    pub channel: Option<String>,
    pub campaign_id: Option<CampaignId>,
    pub campaign: Option<String>,
    pub content_id: Option<ContentId>,
    pub content_url: Option<String>,
    pub attributes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleQuery {
    pub stage: Option<Stage>,
    pub owner: Option<UserId>,
    pub limit: u32,
    pub offset: u32,
}

/// Which calls [`crate::Store::list_calls`] returns: every filter given must match; newest
/// (by `started_at`) first; a `limit` of 0 means no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallQuery {
    pub rep: Option<UserId>,
    pub person: Option<PersonId>,
    pub account: Option<AccountId>,
    pub opportunity: Option<OpportunityId>,
    pub status: Option<CallStatus>,
    pub limit: u32,
    pub offset: u32,
}

/// Which jobs [`crate::Store::list_jobs`] returns: every filter given must match; newest
/// (by id) first; a `limit` of 0 means no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobQuery {
    pub status: Option<JobStatus>,
    pub kind: Option<String>,
    pub call: Option<CallId>,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCodeEntry {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub accounts: u64,
    pub people: u64,
    pub campaigns: u64,
    pub content: u64,
    pub touches: u64,
    pub opportunities: u64,
    pub stage_events: u64,
    pub users: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub created_at: Timestamp,
}
