//! Who sees which records, beyond what their role may do (see `permissions`):
//!
//! - a **sales rep** sees their own calls (they are the call's rep) and their own leads (they
//!   own the person now);
//! - a **sales manager** sees the calls and leads of their team's reps: users with the same
//!   `team`. A manager without a team sees all of sales — the workspace has no team model
//!   then, and managing everyone is the safe reading for a small company;
//! - **marketing** and **admins** see every call and lead.
//!
//! The web pages and the REST API both ask these functions, so a record hidden from a page is
//! hidden from the API too.

use rapport_domain::{Call, Role, User, UserId};
use rapport_store::{PersonView, Store};

use crate::AppError;

/// Which calls or leads a user may see, as a filter lists can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Everything,
    /// Only records whose rep or owner is one of these users.
    OnlyOf(Vec<UserId>),
}

impl Scope {
    pub fn allows(&self, owner: Option<UserId>) -> bool {
        match self {
            Scope::Everything => true,
            Scope::OnlyOf(users) => owner.is_some_and(|owner| users.contains(&owner)),
        }
    }
}

pub fn scope(store: &dyn Store, user: &User) -> Result<Scope, AppError> {
    Ok(match user.record.role {
        Role::Admin | Role::Marketing => Scope::Everything,
        Role::SalesRep => Scope::OnlyOf(vec![user.id]),
        Role::SalesManager => match &user.record.team {
            None => Scope::Everything,
            Some(team) => Scope::OnlyOf(
                store
                    .list_users()?
                    .into_iter()
                    .filter(|other| other.id == user.id || other.record.team.as_ref() == Some(team))
                    .map(|other| other.id)
                    .collect(),
            ),
        },
    })
}

fn forbidden(user: &User, what: &str) -> AppError {
    AppError::Forbidden(format!(
        "{} is {} and sees only {}; this {what} is not one of them",
        user.record.email,
        user.record.role.as_str(),
        match user.record.role {
            Role::SalesRep => "their own calls and leads",
            _ => "their team's calls and leads",
        }
    ))
}

/// `Forbidden` unless the user may see this call.
pub fn check_call(store: &dyn Store, user: &User, call: &Call) -> Result<(), AppError> {
    if scope(store, user)?.allows(call.rep_id) {
        Ok(())
    } else {
        Err(forbidden(user, "call"))
    }
}

/// `Forbidden` unless the user may see this person (by their current owner).
pub fn check_person(store: &dyn Store, user: &User, person: &PersonView) -> Result<(), AppError> {
    let scope = scope(store, user)?;
    if matches!(scope, Scope::Everything) {
        return Ok(());
    }
    let owner = match person.owner_email.as_deref().map(rapport_domain::EmailAddress::parse) {
        Some(Ok(email)) => store.user_by_email(&email)?.map(|owner| owner.id),
        _ => None,
    };
    if scope.allows(owner) {
        Ok(())
    } else {
        Err(forbidden(user, "person"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::user;
    use rapport_domain::UserRecord;

    #[test]
    fn reps_see_their_own_managers_their_team_marketing_everything() {
        let fixture = crate::test_support::store();
        let store = &*fixture.store;
        let in_team = |email: &str, role: Role, team: Option<&str>| {
            let mut record: UserRecord = user(store, email, role).record;
            record.team = team.map(str::to_owned);
            store.upsert_user(&record).unwrap()
        };
        let ana = in_team("ana@us.com", Role::SalesRep, Some("east"));
        let bo = in_team("bo@us.com", Role::SalesRep, Some("west"));
        let east_boss = in_team("east@us.com", Role::SalesManager, Some("east"));
        let any_boss = in_team("boss@us.com", Role::SalesManager, None);
        let marketing = in_team("mk@us.com", Role::Marketing, None);
        let check = |viewer: &User, owner: &User| scope(store, viewer).unwrap().allows(Some(owner.id));
        assert!(check(&ana, &ana));
        assert!(!check(&ana, &bo));
        assert!(check(&east_boss, &ana));
        assert!(!check(&east_boss, &bo));
        assert!(check(&any_boss, &bo));
        assert!(check(&marketing, &bo));
        assert!(!scope(store, &ana).unwrap().allows(None), "a call without a rep is not a rep's own");
        assert!(scope(store, &marketing).unwrap().allows(None));
    }
}
