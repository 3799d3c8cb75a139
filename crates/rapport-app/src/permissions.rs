//! Who may do what: one small table from actions to the roles allowed to take them.
//!
//! Marketing hands leads to sales and takes them back to nurture; sales decides on them
//! (accept or reject). Everyone reads. Only admins manage users; reason codes are shared
//! vocabulary, so marketing and sales managers may add them too.

use rapport_domain::{Role, User};
use serde::Serialize;

use crate::AppError;

/// Which records a user sees, beyond what their role may do.
pub use crate::visibility::{check_call, check_person, scope, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ReadReports,
    ReadLeads,
    /// Sales' decision on a handed-over lead: accept or reject.
    ChangeLead,
    /// Hand a lead to a sales owner (or re-assign it).
    HandOffLead,
    /// Send a lead back to nurture.
    RecycleLead,
    ManageUsers,
    ManageReasons,
    Import,
    Export,
    /// List and show calls, their transcripts, recordings and jobs.
    ReadCalls,
    /// Add calls (a transcript or a recording).
    AddCalls,
    /// Propose a new version of the lead definition (both teams may).
    DraftDefinition,
    /// Approve a draft for one's side (marketing, or sales: managers and reps).
    ApproveDefinition,
    /// Train the scoring model.
    TrainModel,
    /// Recompute everyone's scores.
    RefreshScores,
    /// Add, change and remove conversation trackers (which re-analyses stored calls).
    ManageTrackers,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Self::ReadReports,
        Self::ReadLeads,
        Self::ChangeLead,
        Self::HandOffLead,
        Self::RecycleLead,
        Self::ManageUsers,
        Self::ManageReasons,
        Self::Import,
        Self::Export,
        Self::ReadCalls,
        Self::AddCalls,
        Self::DraftDefinition,
        Self::ApproveDefinition,
        Self::TrainModel,
        Self::RefreshScores,
        Self::ManageTrackers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadReports => "read_reports",
            Self::ReadLeads => "read_leads",
            Self::ChangeLead => "change_lead",
            Self::HandOffLead => "hand_off_lead",
            Self::RecycleLead => "recycle_lead",
            Self::ManageUsers => "manage_users",
            Self::ManageReasons => "manage_reasons",
            Self::Import => "import",
            Self::Export => "export",
            Self::ReadCalls => "read_calls",
            Self::AddCalls => "add_calls",
            Self::DraftDefinition => "draft_definition",
            Self::ApproveDefinition => "approve_definition",
            Self::TrainModel => "train_model",
            Self::RefreshScores => "refresh_scores",
            Self::ManageTrackers => "manage_trackers",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The roles allowed to take `action`: the whole permission model.
pub fn roles_for(action: Action) -> &'static [Role] {
    use Role::*;
    match action {
        Action::ReadReports | Action::ReadLeads => &[Admin, Marketing, SalesManager, SalesRep],
        Action::ChangeLead => &[Admin, SalesManager, SalesRep],
        Action::HandOffLead | Action::RecycleLead => &[Admin, Marketing, SalesManager, SalesRep],
        Action::ManageUsers => &[Admin],
        Action::ManageReasons => &[Admin, Marketing, SalesManager],
        Action::Import | Action::Export => &[Admin, Marketing],
        Action::ReadCalls | Action::AddCalls => &[Admin, Marketing, SalesManager, SalesRep],
        Action::DraftDefinition => &[Admin, Marketing, SalesManager],
        Action::ApproveDefinition => &[Admin, Marketing, SalesManager, SalesRep],
        Action::TrainModel | Action::RefreshScores => &[Admin, Marketing, SalesManager],
        Action::ManageTrackers => &[Admin, Marketing, SalesManager],
    }
}

pub fn can(user: &User, action: Action) -> bool {
    roles_for(action).contains(&user.record.role)
}

/// [`can`] as a `Result`, with a message that says which roles may.
pub fn require(user: &User, action: Action) -> Result<(), AppError> {
    if can(user, action) {
        return Ok(());
    }
    let roles: Vec<&str> = roles_for(action).iter().map(|role| role.as_str()).collect();
    Err(AppError::Forbidden(format!(
        "{} is {} and may not {}; this needs the role {}",
        user.record.email,
        user.record.role.as_str(),
        action.as_str().replace('_', " "),
        roles.join(" or ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_domain::{EmailAddress, UserId, UserRecord};

    fn user(role: Role) -> User {
        let email = EmailAddress::parse("someone@example.com").unwrap();
        User { id: UserId(1), record: UserRecord { email, name: "Someone".into(), team: None, role } }
    }

    fn check(role: Role, allowed: &[Action]) {
        for action in Action::ALL {
            assert_eq!(can(&user(role), action), allowed.contains(&action), "{role:?} {action:?}");
        }
    }

    #[test]
    fn each_role_may_do_what_its_job_needs() {
        use Action::*;
        check(Role::Admin, &Action::ALL);
        check(
            Role::Marketing,
            &[
                ReadReports,
                ReadLeads,
                HandOffLead,
                RecycleLead,
                ManageReasons,
                Import,
                Export,
                ReadCalls,
                AddCalls,
                DraftDefinition,
                ApproveDefinition,
                TrainModel,
                RefreshScores,
                ManageTrackers,
            ],
        );
        check(
            Role::SalesManager,
            &[
                ReadReports,
                ReadLeads,
                ChangeLead,
                HandOffLead,
                RecycleLead,
                ManageReasons,
                ReadCalls,
                AddCalls,
                DraftDefinition,
                ApproveDefinition,
                TrainModel,
                RefreshScores,
                ManageTrackers,
            ],
        );
        check(
            Role::SalesRep,
            &[
                ReadReports,
                ReadLeads,
                ChangeLead,
                HandOffLead,
                RecycleLead,
                ReadCalls,
                AddCalls,
                ApproveDefinition,
            ],
        );
    }

    #[test]
    fn refusals_name_the_roles_that_may() {
        let error = require(&user(Role::SalesRep), Action::ManageUsers).unwrap_err().to_string();
        assert_eq!(
            error,
            "someone@example.com is sales_rep and may not manage users; this needs the role admin"
        );
    }
}
