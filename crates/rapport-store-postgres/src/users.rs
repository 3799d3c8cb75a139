//! Users and API tokens. Only a token's SHA-256 hash is stored, never the token.

use postgres::Row;
use rapport_domain::{EmailAddress, User, UserId, UserRecord};

use rapport_store::{ApiToken, StoreError};

use crate::connection::Connection;
use crate::convert::{self, get, now_millis, storable_value};

const USERS: &str = "SELECT id, email, name, team, role FROM users";

fn user_from_row(row: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(get(row, 0)?),
        record: UserRecord {
            email: convert::email(get(row, 1)?)?,
            name: get(row, 2)?,
            team: get(row, 3)?,
            role: convert::role(get(row, 4)?)?,
        },
    })
}

pub(crate) fn upsert_user(connection: &mut Connection, user: &UserRecord) -> Result<User, StoreError> {
    storable_value([("name", Some(user.name.as_str())), ("team", user.team.as_deref())])?;
    let row = connection.query_one(
        "INSERT INTO users (email, name, team, role, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, role = EXCLUDED.role
         RETURNING id, email, name, team, role",
        &[&user.email.as_str(), &user.name, &user.team, &user.role.as_str(), &now_millis()],
    )?;
    user_from_row(&row)
}

pub(crate) fn user_by_email(
    connection: &mut Connection,
    email: &EmailAddress,
) -> Result<Option<User>, StoreError> {
    let row = connection.query_opt(&format!("{USERS} WHERE email = $1"), &[&email.as_str()])?;
    row.as_ref().map(user_from_row).transpose()
}

pub(crate) fn user(connection: &mut Connection, id: UserId) -> Result<Option<User>, StoreError> {
    let row = connection.query_opt(&format!("{USERS} WHERE id = $1"), &[&id.0])?;
    row.as_ref().map(user_from_row).transpose()
}

pub(crate) fn list_users(connection: &mut Connection) -> Result<Vec<User>, StoreError> {
    connection.query(&format!("{USERS} ORDER BY id"), &[])?.iter().map(user_from_row).collect()
}

pub(crate) fn create_api_token(
    connection: &mut Connection,
    user_id: UserId,
    name: &str,
    token_sha256_hex: &str,
) -> Result<ApiToken, StoreError> {
    if user(connection, user_id)?.is_none() {
        return Err(StoreError::NotFound { what: "user", key: user_id.to_string() });
    }
    storable_value([("name", Some(name)), ("token", Some(token_sha256_hex))])?;
    let created_at = now_millis();
    // DO NOTHING instead of a unique violation: the duplicate is the caller's error.
    let inserted = connection.query_opt(
        "INSERT INTO api_tokens (user_id, name, token_sha256, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (token_sha256) DO NOTHING RETURNING id",
        &[&user_id.0, &name, &token_sha256_hex, &created_at],
    )?;
    let Some(inserted) = inserted else {
        return Err(StoreError::Invalid {
            field: "token".into(),
            message: "this token is already stored; generate a new one".into(),
        });
    };
    Ok(ApiToken {
        id: get(&inserted, 0)?,
        user_id,
        name: name.to_owned(),
        created_at: convert::time(created_at)?,
    })
}

pub(crate) fn user_for_token(
    connection: &mut Connection,
    token_sha256_hex: &str,
) -> Result<Option<User>, StoreError> {
    // One round trip: record the use and read the user.
    let row = connection.query_opt(
        "WITH used AS (
             UPDATE api_tokens SET last_used_at = $1 WHERE token_sha256 = $2 RETURNING user_id
         )
         SELECT u.id, u.email, u.name, u.team, u.role FROM users u JOIN used ON used.user_id = u.id",
        &[&now_millis(), &token_sha256_hex],
    )?;
    row.as_ref().map(user_from_row).transpose()
}
