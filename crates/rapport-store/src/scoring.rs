//! Storage for lead scoring: lead-definition versions and their approvals, trained model
//! versions, and each person's latest scores. The rules, the model and the approval policy
//! live in `rapport-scoring` and `rapport-app`; this trait only keeps what they decide, with
//! the invariants that must hold under concurrent writers (one approval per user and per
//! side, at most one active version) enforced by the database.

use rapport_domain::{PersonId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::{Sink, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionStatus {
    Draft,
    Active,
    Retired,
}

impl DefinitionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Retired => "retired",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Self::Draft),
            "active" => Some(Self::Active),
            "retired" => Some(Self::Retired),
            _ => None,
        }
    }
}

/// Which team an approval speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalSide {
    Marketing,
    Sales,
}

impl ApprovalSide {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::Sales => "sales",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "marketing" => Some(Self::Marketing),
            "sales" => Some(Self::Sales),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionApprovalView {
    pub user_id: UserId,
    pub user_email: String,
    pub side: ApprovalSide,
    pub approved_at: Timestamp,
}

/// One version of the lead definition: the TOML document as submitted, who wrote it, and its
/// approvals in the order they came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionVersion {
    pub version: i64,
    pub document: String,
    pub author_id: Option<UserId>,
    pub author_email: Option<String>,
    pub comment: Option<String>,
    pub status: DefinitionStatus,
    pub created_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub approvals: Vec<DefinitionApprovalView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewModelVersion {
    /// `accepted`, `opportunity` or `won`.
    pub target: String,
    /// The fitted model, serialised by `rapport-scoring`.
    pub model_json: String,
    /// Validation metrics, serialised by `rapport-app`.
    pub metrics_json: String,
    /// How many labelled people it was trained and validated on.
    pub row_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelVersion {
    pub version: i64,
    pub target: String,
    pub model_json: String,
    pub metrics_json: String,
    pub row_count: i64,
    pub trained_at: Timestamp,
}

/// A person's latest scores, as computed by `rapport score refresh`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonScore {
    pub person_id: PersonId,
    pub fit: f64,
    pub engagement: f64,
    pub total: f64,
    /// The model's calibrated probability of the target outcome, when a model is trained.
    pub probability: Option<f64>,
    /// `A` to `D`.
    pub grade: String,
    /// Whether the MQL trigger fires for this person.
    pub qualifies: bool,
    /// JSON list of reasons, as `rapport-app` writes them.
    pub reasons_json: String,
    pub model_version: Option<i64>,
    pub definition_version: Option<i64>,
    pub scored_at: Timestamp,
}

pub trait ScoringStore {
    /// Stores `document` as the next version number, status `draft`. `author` must be a user
    /// (`NotFound` otherwise).
    fn create_definition_draft(
        &self,
        document: &str,
        author: UserId,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Result<DefinitionVersion, StoreError>;

    /// Every version, oldest first, with approvals.
    fn definition_versions(&self) -> Result<Vec<DefinitionVersion>, StoreError>;

    fn definition_version(&self, version: i64) -> Result<Option<DefinitionVersion>, StoreError>;

    /// Records `user`'s approval of a draft for `side`, in one transaction. Refused (`Invalid`,
    /// field `version` or `side`) when the version is not a draft, the user already approved
    /// it, or the side already has an approval; `NotFound` for an unknown version or user.
    /// When both sides have then approved, the version becomes `active` and the previously
    /// active one `retired`, in the same transaction.
    fn approve_definition(
        &self,
        version: i64,
        user: UserId,
        side: ApprovalSide,
        now: Timestamp,
    ) -> Result<DefinitionVersion, StoreError>;

    /// Stores a trained model as the next version number.
    fn save_model_version(&self, model: &NewModelVersion, now: Timestamp)
        -> Result<ModelVersion, StoreError>;

    /// Every model version, newest first.
    fn model_versions(&self) -> Result<Vec<ModelVersion>, StoreError>;

    /// Inserts or replaces the scores of these people, in one transaction; an unknown person
    /// is `NotFound` and nothing is written.
    fn put_scores(&self, scores: &[PersonScore]) -> Result<(), StoreError>;

    fn person_score(&self, person: PersonId) -> Result<Option<PersonScore>, StoreError>;

    /// Every stored score, in person id order.
    fn export_scores(&self, sink: Sink<'_, PersonScore>) -> Result<(), StoreError>;
}

/// Why `user` may not approve `version` for `side`, checked by both backends inside the
/// approving transaction (the unique keys of the approvals table back it up).
pub fn approval_refusal(version: &DefinitionVersion, user: UserId, side: ApprovalSide) -> Option<StoreError> {
    let invalid = |field: &str, message: String| Some(StoreError::Invalid { field: field.into(), message });
    if version.status != DefinitionStatus::Draft {
        return invalid(
            "version",
            format!("version {} is {}; only drafts are approved", version.version, version.status.as_str()),
        );
    }
    if let Some(previous) = version.approvals.iter().find(|a| a.user_id == user) {
        return invalid(
            "user",
            format!(
                "{} already approved version {} (for {})",
                previous.user_email,
                version.version,
                previous.side.as_str()
            ),
        );
    }
    if version.approvals.iter().any(|a| a.side == side) {
        return invalid(
            "side",
            format!("{} has already approved version {}", side.as_str(), version.version),
        );
    }
    None
}
