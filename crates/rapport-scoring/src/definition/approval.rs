//! Who must approve a definition version before it becomes active.
//!
//! A version needs one approval from the marketing side and one from the sales side. Sales
//! managers and sales reps approve for sales; marketing users for marketing. An admin (revenue
//! operations) may approve for either side, but must say which, and one person counts for one
//! side only: an admin cannot approve both sides alone, so two people always agree.

use rapport_domain::{Role, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Marketing,
    Sales,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::Sales => "sales",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "marketing" => Some(Self::Marketing),
            "sales" => Some(Self::Sales),
            _ => None,
        }
    }
}

/// An approval already recorded for a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub user: UserId,
    pub side: Side,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("a {role} user cannot approve for {side}", role = .0.as_str(), side = .1.as_str())]
    WrongRole(Role, Side),
    #[error("an admin approves for one side at a time: say which (marketing or sales)")]
    SideNeeded,
    #[error("{side} has already approved this version", side = .0.as_str())]
    SideAlreadyApproved(Side),
    #[error("this user has already approved this version (for {side})", side = .0.as_str())]
    UserAlreadyApproved(Side),
}

/// The side `role` approves for; `wanted` is required for admins and must fit the role.
pub fn side_for(role: Role, wanted: Option<Side>) -> Result<Side, ApprovalError> {
    let natural = match role {
        Role::Marketing => Some(Side::Marketing),
        Role::SalesManager | Role::SalesRep => Some(Side::Sales),
        Role::Admin => None,
    };
    match (natural, wanted) {
        (Some(side), None) => Ok(side),
        (Some(side), Some(w)) if side == w => Ok(side),
        (Some(_), Some(w)) => Err(ApprovalError::WrongRole(role, w)),
        (None, Some(w)) => Ok(w),
        (None, None) => Err(ApprovalError::SideNeeded),
    }
}

/// Checks a new approval against the recorded ones; `Ok(side)` is the side it adds.
pub fn check_approval(
    existing: &[Approval],
    user: UserId,
    role: Role,
    wanted: Option<Side>,
) -> Result<Side, ApprovalError> {
    let side = side_for(role, wanted)?;
    if let Some(previous) = existing.iter().find(|a| a.user == user) {
        return Err(ApprovalError::UserAlreadyApproved(previous.side));
    }
    if existing.iter().any(|a| a.side == side) {
        return Err(ApprovalError::SideAlreadyApproved(side));
    }
    Ok(side)
}

/// Whether both sides have approved.
pub fn fully_approved(approvals: &[Approval]) -> bool {
    [Side::Marketing, Side::Sales].iter().all(|side| approvals.iter().any(|a| a.side == *side))
}
