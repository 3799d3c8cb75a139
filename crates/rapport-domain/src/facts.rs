//! Compact, read-only projections of stored records that the pure analytics crates compute on.
//! The stores produce them with one query each; analytics never sees SQL.

use serde::{Deserialize, Serialize};

use crate::{OpportunityId, OpportunityOutcome, PersonId, Stage, Timestamp, TouchKind, UserId};

/// Which people a report covers. `None` means no restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsFilter {
    pub source: Option<String>,
    /// Original campaign name.
    pub campaign: Option<String>,
    /// Owner's email.
    pub owner: Option<String>,
    pub industry: Option<String>,
    /// One of [`crate::size_band`]'s labels.
    pub size_band: Option<String>,
}

/// The attributes of a person that reports group and filter by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonFact {
    pub person_id: PersonId,
    pub created_at: Timestamp,
    pub source: Option<String>,
    pub campaign: Option<String>,
    /// Owner's email.
    pub owner: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<u32>,
}

/// One stage event, trimmed to what analytics needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageFact {
    pub person_id: PersonId,
    pub at: Timestamp,
    pub to: Stage,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub owner: Option<UserId>,
    /// Events with equal times keep their insertion order through this.
    pub sequence: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityFact {
    pub id: OpportunityId,
    pub name: String,
    pub primary_contact: Option<PersonId>,
    /// Every contact on the deal, the primary one included.
    pub contacts: Vec<PersonId>,
    pub amount_cents: i64,
    pub currency: String,
    pub created_at: Timestamp,
    pub close_date: Option<Timestamp>,
    pub outcome: OpportunityOutcome,
    pub lost_reason: Option<String>,
}

/// A touch as attribution and SLA checks see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchFact {
    pub person_id: PersonId,
    pub at: Timestamp,
    pub kind: TouchKind,
    pub campaign: Option<String>,
    /// Content title.
    pub content: Option<String>,
}

/// Everything the funnel report needs, for the people the filter selects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunnelFacts {
    pub people: Vec<PersonFact>,
    /// All stage events of those people, ordered by (person, at, sequence).
    pub events: Vec<StageFact>,
    /// Sales-activity touches of those people (they stop the SLA clock), ordered by (person, at).
    pub sales_touches: Vec<TouchFact>,
    /// Opportunities whose primary contact is one of those people.
    pub opportunities: Vec<OpportunityFact>,
}

/// Everything attribution needs: the deals, and the marketing touches of their contacts up to
/// each deal's creation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributionFacts {
    pub opportunities: Vec<OpportunityFact>,
    /// Touches (other than sales activity) of every contact on those deals, ordered by
    /// (person, at).
    pub touches: Vec<TouchFact>,
    /// When each of those contacts became a lead (their record's creation time).
    pub people: Vec<PersonFact>,
}
