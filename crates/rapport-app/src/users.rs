//! Rapport's users: adding (or updating) one by email, and listing them.

use rapport_domain::{Role, User, UserRecord};
use rapport_store::Store;

use crate::leads::parse_email;
use crate::AppError;

/// A user to add or update, as raw text from a command line or request body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    /// `admin`, `marketing`, `sales_manager` or `sales_rep`.
    pub role: String,
    /// Defaults to the part of the email before the `@`.
    pub name: Option<String>,
    pub team: Option<String>,
}

/// Adds a user, or updates the name, team and role of the user with that email.
pub fn add(store: &dyn Store, new: &NewUser) -> Result<User, AppError> {
    add_audited(store, new, None, chrono::Utc::now())
}

/// [`add`], recording in the audit log who added the user or changed their role, in the same
/// transaction. `actor` is `None` for the command line.
pub fn add_audited(
    store: &dyn Store,
    new: &NewUser,
    actor: Option<&User>,
    now: rapport_domain::Timestamp,
) -> Result<User, AppError> {
    let email = parse_email("email", &new.email)?;
    let role = Role::parse(&new.role).ok_or_else(|| {
        AppError::invalid(
            "role",
            format!("`{}` is not a role (one of: admin, marketing, sales_manager, sales_rep)", new.role),
        )
    })?;
    let name = match new.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => email.as_str().split('@').next().unwrap_or_default().to_owned(),
    };
    let team = new.team.as_deref().map(str::trim).filter(|team| !team.is_empty()).map(str::to_owned);
    let (action, details) = match store.user_by_email(&email)? {
        None => ("user.add", format!("added as {}", role.as_str())),
        Some(old) if old.record.role != role => {
            ("user.role", format!("role {} → {}", old.record.role.as_str(), role.as_str()))
        }
        Some(_) => ("user.update", "name or team saved".to_owned()),
    };
    let entry = crate::audit::entry(actor, action, email.as_str(), &details, now);
    Ok(store.upsert_user_audited(&UserRecord { email, name, team, role }, &entry)?)
}

pub fn list(store: &dyn Store) -> Result<Vec<User>, AppError> {
    Ok(store.list_users()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_users_with_defaults_and_refuses_unknown_roles() {
        let fixture = crate::test_support::store();
        let store = &*fixture.store;
        let new =
            NewUser { email: "Ana@Example.com".into(), role: "sales-manager".into(), ..Default::default() };
        let user = add(store, &new).unwrap();
        assert_eq!((user.record.email.as_str(), user.record.name.as_str()), ("ana@example.com", "ana"));
        assert_eq!(user.record.role, Role::SalesManager);
        let error = add(store, &NewUser { role: "boss".into(), ..new.clone() }).unwrap_err();
        assert!(error.to_string().starts_with("role: `boss` is not a role"), "{error}");
        let error = add(store, &NewUser { email: "ana".into(), ..new }).unwrap_err();
        assert!(matches!(&error, AppError::Invalid { field, .. } if field == "email"), "{error}");
        assert_eq!(list(store).unwrap().len(), 1);
    }
}
