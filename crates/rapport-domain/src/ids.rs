//! Typed ids, so a person id can never be passed where an account id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type! {
    /// A company.
    AccountId,
    /// A person (contact or lead).
    PersonId,
    /// A marketing campaign.
    CampaignId,
    /// An item in the content library.
    ContentId,
    /// One engagement event of a person.
    TouchId,
    /// A sales opportunity (deal).
    OpportunityId,
    /// A Rapport user (marketer, rep, manager, admin).
    UserId,
    /// One lifecycle stage event.
    StageEventId,
    /// A recorded or imported sales call.
    CallId,
    /// One job of the durable job queue (transcribing a call, …).
    JobId,
}
