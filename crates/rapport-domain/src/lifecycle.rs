//! The lead lifecycle: stages, the transitions between them, and the events that record them.
//!
//! The current stage of a person is never stored as an editable field: it is the stage of their
//! latest event. This module decides which transitions are allowed; the stores call
//! [`check_transition`] inside the transaction that appends the event.

use serde::{Deserialize, Serialize};

use crate::{PersonId, StageEventId, Timestamp, UserId};

/// Lifecycle stages in funnel order, then the side exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Subscriber,
    Lead,
    /// Marketing qualified: handed to sales.
    Mql,
    /// Sales accepted.
    Sal,
    /// Sales qualified.
    Sql,
    Opportunity,
    Customer,
    /// Rejected by sales, with a reason code.
    Rejected,
    /// Sent back to nurture.
    Recycled,
    /// The opportunity was lost.
    Lost,
}

impl Stage {
    /// The funnel stages, in order.
    pub const FUNNEL: [Stage; 7] = [
        Stage::Subscriber,
        Stage::Lead,
        Stage::Mql,
        Stage::Sal,
        Stage::Sql,
        Stage::Opportunity,
        Stage::Customer,
    ];

    pub const ALL: [Stage; 10] = [
        Stage::Subscriber,
        Stage::Lead,
        Stage::Mql,
        Stage::Sal,
        Stage::Sql,
        Stage::Opportunity,
        Stage::Customer,
        Stage::Rejected,
        Stage::Recycled,
        Stage::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Subscriber => "subscriber",
            Stage::Lead => "lead",
            Stage::Mql => "mql",
            Stage::Sal => "sal",
            Stage::Sql => "sql",
            Stage::Opportunity => "opportunity",
            Stage::Customer => "customer",
            Stage::Rejected => "rejected",
            Stage::Recycled => "recycled",
            Stage::Lost => "lost",
        }
    }

    /// Accepts our names and HubSpot / Salesforce spellings
    /// ("marketingqualifiedlead", "Sales Accepted Lead", "Closed Won", …).
    pub fn parse(input: &str) -> Option<Stage> {
        let key: String =
            input.trim().to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let stage = match key.as_str() {
            "subscriber" => Stage::Subscriber,
            "lead" | "new" | "open" | "working" | "nurture" | "nurturing" => Stage::Lead,
            "mql" | "marketingqualifiedlead" | "marketingqualified" => Stage::Mql,
            "sal" | "salesacceptedlead" | "salesaccepted" | "accepted" => Stage::Sal,
            "sql" | "salesqualifiedlead" | "salesqualified" | "qualified" => Stage::Sql,
            "opportunity" | "opp" => Stage::Opportunity,
            "customer" | "closedwon" | "won" => Stage::Customer,
            "rejected" | "unqualified" | "disqualified" => Stage::Rejected,
            "recycled" | "recycle" => Stage::Recycled,
            "lost" | "closedlost" => Stage::Lost,
            _ => return None,
        };
        Some(stage)
    }

    /// The next stage in the funnel, for stage-to-stage conversion.
    pub fn next_in_funnel(self) -> Option<Stage> {
        let position = Stage::FUNNEL.iter().position(|s| *s == self)?;
        Stage::FUNNEL.get(position + 1).copied()
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejection (or loss) reason code. The list of valid codes is configuration, kept by the
/// stores; these are the defaults every workspace starts with.
pub type ReasonCode = String;

pub const DEFAULT_REJECTION_REASONS: [(&str, &str); 6] = [
    ("bad_fit", "Bad fit"),
    ("no_budget", "No budget"),
    ("wrong_contact", "Wrong contact"),
    ("not_ready", "Not ready"),
    ("duplicate", "Duplicate"),
    ("junk", "Junk / fake"),
];

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    User {
        id: UserId,
    },
    /// Rapport itself (a rule or the scoring model) or an import.
    System,
}

/// Through which door a change came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    Cli,
    Api,
    Web,
    Import,
    Rule,
    Demo,
}

impl EventSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cli => "cli",
            Self::Api => "api",
            Self::Web => "web",
            Self::Import => "import",
            Self::Rule => "rule",
            Self::Demo => "demo",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Some(match input {
            "cli" => Self::Cli,
            "api" => Self::Api,
            "web" => Self::Web,
            "import" => Self::Import,
            "rule" => Self::Rule,
            "demo" => Self::Demo,
            _ => return None,
        })
    }
}

/// A request to move a person to a stage, before it is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitionRequest {
    pub to: Stage,
    pub at: Timestamp,
    pub actor: Actor,
    pub source: EventSource,
    /// Required when rejecting; must be one of the configured codes.
    pub reason: Option<ReasonCode>,
    pub note: Option<String>,
    /// On a handoff (`to == Mql`), the sales owner who receives the lead; the SLA clock starts.
    pub owner: Option<UserId>,
    /// Record the transition even though the lifecycle does not allow it; kept on the event.
    pub force: bool,
}

/// A recorded stage change. History is append-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageEvent {
    pub id: StageEventId,
    pub person_id: PersonId,
    pub from: Option<Stage>,
    pub to: Stage,
    pub at: Timestamp,
    pub actor: Actor,
    pub source: EventSource,
    pub reason: Option<ReasonCode>,
    pub note: Option<String>,
    pub owner: Option<UserId>,
    /// True when the transition broke the lifecycle rules and was forced.
    pub forced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("cannot move from {} to {to}: {hint}", from.map_or("no stage", Stage::as_str))]
    NotAllowed { from: Option<Stage>, to: Stage, hint: &'static str },
    #[error("rejecting a lead needs a reason code (one of: {allowed})")]
    ReasonRequired { allowed: String },
    #[error("`{code}` is not a rejection reason (one of: {allowed})")]
    UnknownReason { code: String, allowed: String },
}

/// Whether `from -> to` is a step the lifecycle allows. Forced requests skip this check, but
/// never the reason-code checks: a rejection without a valid reason is useless to marketing.
pub fn check_transition(
    from: Option<Stage>,
    request: &TransitionRequest,
    reason_codes: &[String],
) -> Result<(), TransitionError> {
    use Stage::*;
    if request.to == Rejected {
        let allowed = reason_codes.join(", ");
        match &request.reason {
            None => return Err(TransitionError::ReasonRequired { allowed }),
            Some(code) if !reason_codes.iter().any(|c| c == code) => {
                return Err(TransitionError::UnknownReason { code: code.clone(), allowed })
            }
            Some(_) => {}
        }
    }
    if request.force {
        return Ok(());
    }
    let to = request.to;
    let allowed = match from {
        None => matches!(to, Subscriber | Lead | Mql),
        Some(Subscriber) => matches!(to, Lead | Mql),
        Some(Lead) => matches!(to, Mql | Recycled),
        // Mql -> Mql is a re-assignment to another owner.
        Some(Mql) => matches!(to, Mql | Sal | Rejected | Recycled),
        Some(Sal) => matches!(to, Sql | Opportunity | Rejected | Recycled),
        Some(Sql) => matches!(to, Opportunity | Rejected | Recycled),
        Some(Opportunity) => matches!(to, Customer | Lost),
        Some(Customer) => false,
        Some(Rejected) => matches!(to, Recycled | Mql),
        Some(Recycled) => matches!(to, Lead | Mql),
        Some(Lost) => matches!(to, Recycled | Opportunity),
    };
    if allowed {
        return Ok(());
    }
    let hint = match (from, to) {
        (_, Sal) | (_, Rejected) => {
            "only a lead handed to sales (an MQL) can be accepted or rejected; hand it off first"
        }
        (Some(Customer), _) => "customers leave the lifecycle only through a forced change",
        (_, Customer) | (_, Lost) => "only an opportunity can be won or lost",
        _ => "the lifecycle does not allow this step; use --force to record it anyway",
    };
    Err(TransitionError::NotAllowed { from, to, hint })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn request(to: Stage, reason: Option<&str>, force: bool) -> TransitionRequest {
        TransitionRequest {
            to,
            at: chrono::Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            actor: Actor::System,
            source: EventSource::Cli,
            reason: reason.map(str::to_owned),
            note: None,
            owner: None,
            force,
        }
    }

    fn check(from: Option<Stage>, to: Stage, reason: Option<&str>, force: bool) -> Result<(), String> {
        let codes: Vec<String> = DEFAULT_REJECTION_REASONS.iter().map(|(c, _)| c.to_string()).collect();
        check_transition(from, &request(to, reason, force), &codes).map_err(|e| e.to_string())
    }

    #[test]
    fn handoff_path_is_allowed() {
        assert_eq!(check(None, Stage::Lead, None, false), Ok(()));
        assert_eq!(check(Some(Stage::Lead), Stage::Mql, None, false), Ok(()));
        assert_eq!(check(Some(Stage::Mql), Stage::Sal, None, false), Ok(()));
        assert_eq!(check(Some(Stage::Mql), Stage::Rejected, Some("bad_fit"), false), Ok(()));
        assert_eq!(check(Some(Stage::Rejected), Stage::Recycled, None, false), Ok(()));
        assert_eq!(check(Some(Stage::Opportunity), Stage::Customer, None, false), Ok(()));
    }

    #[test]
    fn skipping_the_handoff_is_refused_unless_forced() {
        let err = check(Some(Stage::Lead), Stage::Sal, None, false).unwrap_err();
        assert!(err.contains("cannot move from lead to sal"), "{err}");
        assert!(err.contains("hand it off first"), "{err}");
        assert_eq!(check(Some(Stage::Lead), Stage::Sal, None, true), Ok(()));
        assert!(check(Some(Stage::Customer), Stage::Lead, None, false).is_err());
    }

    #[test]
    fn rejection_needs_a_known_reason_even_when_forced() {
        let err = check(Some(Stage::Mql), Stage::Rejected, None, true).unwrap_err();
        assert!(err.starts_with("rejecting a lead needs a reason code"), "{err}");
        let err = check(Some(Stage::Mql), Stage::Rejected, Some("meh"), false).unwrap_err();
        assert!(err.contains("`meh` is not a rejection reason"), "{err}");
    }

    #[test]
    fn parses_crm_stage_names() {
        assert_eq!(Stage::parse("marketingqualifiedlead"), Some(Stage::Mql));
        assert_eq!(Stage::parse("Sales Accepted Lead"), Some(Stage::Sal));
        assert_eq!(Stage::parse("Closed Won"), Some(Stage::Customer));
        assert_eq!(Stage::parse("banana"), None);
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}
