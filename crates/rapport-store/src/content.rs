//! Compact facts for the content report: which analysed calls mention which items of the
//! content library. One small row per call and per mention, never the analysis documents, so
//! the report stays fast on a large workspace.

use rapport_domain::{CallId, ContentId, OpportunityOutcome, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::analysis::AnalysisFilter;
use crate::StoreError;

/// A content mention as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentMention {
    /// The library item, when the mention was resolved to one.
    pub content: Option<ContentId>,
    /// What was said or matched (title, URL or alias).
    pub label: String,
}

/// One analysed call with its content mentions (empty when it mentions none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentCallFacts {
    pub call: CallId,
    pub started_at: Timestamp,
    pub rep: Option<UserId>,
    /// The outcome of the call's opportunity (`None`: no opportunity).
    pub outcome: Option<OpportunityOutcome>,
    /// In utterance order; a call may mention an item more than once.
    pub mentions: Vec<ContentMention>,
}

pub trait ContentStore {
    /// Every analysed call matching the filter, oldest first (by start, then id), with its
    /// content mentions.
    fn content_call_facts(&self, filter: &AnalysisFilter) -> Result<Vec<ContentCallFacts>, StoreError>;
}
