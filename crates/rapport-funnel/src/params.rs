//! The funnel report's parameters, the attributes it groups by, and the period test.

use rapport_domain::{size_band, PersonFact, Timestamp};
use serde::{Deserialize, Serialize};

/// What a funnel report covers. `now` is a parameter, never read from a clock, so a report is
/// reproducible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelParams {
    pub from: Timestamp,
    /// Exclusive.
    pub to: Timestamp,
    /// The instant SLA deadlines are judged against.
    pub now: Timestamp,
    pub sla_hours: u32,
    pub group_by: Option<GroupBy>,
}

/// A person attribute the report can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Source,
    /// The person's original campaign.
    Campaign,
    /// The email of the person's current owner.
    Owner,
    Industry,
    /// [`rapport_domain::size_band`] of the account's employee count.
    SizeBand,
}

impl GroupBy {
    pub const ALL: [GroupBy; 5] =
        [GroupBy::Source, GroupBy::Campaign, GroupBy::Owner, GroupBy::Industry, GroupBy::SizeBand];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Campaign => "campaign",
            Self::Owner => "owner",
            Self::Industry => "industry",
            Self::SizeBand => "size_band",
        }
    }

    /// Accepts the serialised names, and `size-band` for command lines.
    pub fn parse(input: &str) -> Option<Self> {
        let normalised = input.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|g| g.as_str() == normalised)
    }

    /// The group a person falls in; `None` when the person is unknown or lacks the attribute.
    /// Borrowed from the facts so grouping never copies a string per person.
    pub(crate) fn key(self, person: Option<&PersonFact>) -> Option<&str> {
        let person = person?;
        match self {
            Self::Source => person.source.as_deref(),
            Self::Campaign => person.campaign.as_deref(),
            Self::Owner => person.owner.as_deref(),
            Self::Industry => person.industry.as_deref(),
            Self::SizeBand => Some(size_band(person.employees)),
        }
    }
}

/// `[from, to)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Period {
    pub fn contains(&self, at: Timestamp) -> bool {
        self.from <= at && at < self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_by_names_round_trip() {
        for group in GroupBy::ALL {
            assert_eq!(GroupBy::parse(group.as_str()), Some(group));
            let json = serde_json::to_string(&group).unwrap();
            assert_eq!(json, format!("\"{}\"", group.as_str()));
        }
        assert_eq!(GroupBy::parse("Size-Band"), Some(GroupBy::SizeBand));
        assert_eq!(GroupBy::parse("colour"), None);
    }
}
