//! The user a scoring command acts as: the one named by `--as`, or, for commands that only
//! read or recompute, the command line itself with an admin's rights (whoever runs `rapport`
//! against the database already holds every right over it).

use rapport_domain::{EmailAddress, Role, User, UserId, UserRecord};
use rapport_store::Store;

use crate::cli_scoring::ActingUser;
use crate::failure::bad_input;

pub fn named(store: &dyn Store, user: &ActingUser, why: &str) -> anyhow::Result<User> {
    let Some(email) = &user.actor else {
        return Err(bad_input(format!("--as EMAIL is required: {why}")));
    };
    let parsed = EmailAddress::parse(email).map_err(|e| bad_input(format!("--as: {e}")))?;
    store.user_by_email(&parsed)?.ok_or_else(|| bad_input(format!("--as: no user `{email}`")))
}

pub fn or_operator(store: &dyn Store, user: &ActingUser) -> anyhow::Result<User> {
    if user.actor.is_some() {
        return named(store, user, "");
    }
    let email = EmailAddress::parse("operator@localhost.localdomain").expect("a valid address");
    Ok(User {
        id: UserId(0),
        record: UserRecord { email, name: "command line".into(), team: None, role: Role::Admin },
    })
}
