//! Users and API tokens. Only a token's SHA-256 hash is stored, never the token.

use rapport_domain::{EmailAddress, User, UserId, UserRecord};
use rusqlite::{params, Connection, OptionalExtension, Row};

use rapport_store::{ApiToken, StoreError};

use crate::convert::{self, now_millis, OrDatabaseError};

const USERS: &str = "SELECT id, email, name, team, role FROM users";

fn user_from_row(row: &Row<'_>) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.get(0).or_db()?),
        record: UserRecord {
            email: convert::email(&row.get::<_, String>(1).or_db()?)?,
            name: row.get(2).or_db()?,
            team: row.get(3).or_db()?,
            role: convert::role(&row.get::<_, String>(4).or_db()?)?,
        },
    })
}

fn one_user(
    connection: &Connection,
    sql: &str,
    key: &dyn rusqlite::ToSql,
) -> Result<Option<User>, StoreError> {
    let mut found = None;
    crate::reads::for_each_row(connection, sql, &[key], |row| {
        found = Some(user_from_row(row)?);
        Ok(())
    })?;
    Ok(found)
}

pub(crate) fn upsert_user(connection: &Connection, user: &UserRecord) -> Result<User, StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO users (email, name, team, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (email) DO UPDATE SET name = excluded.name, team = excluded.team, role = excluded.role",
        )
        .or_db()?
        .execute(params![user.email.as_str(), user.name, user.team, user.role.as_str(), now_millis()])
        .or_db()?;
    user_by_email(connection, &user.email)?
        .ok_or_else(|| StoreError::Database(format!("user {} vanished after its upsert", user.email)))
}

pub(crate) fn user_by_email(
    connection: &Connection,
    email: &EmailAddress,
) -> Result<Option<User>, StoreError> {
    one_user(connection, &format!("{USERS} WHERE email = ?1"), &email.as_str())
}

pub(crate) fn user(connection: &Connection, id: UserId) -> Result<Option<User>, StoreError> {
    one_user(connection, &format!("{USERS} WHERE id = ?1"), &id.0)
}

pub(crate) fn list_users(connection: &Connection) -> Result<Vec<User>, StoreError> {
    let mut users = Vec::new();
    crate::reads::for_each_row(connection, &format!("{USERS} ORDER BY id"), &[], |row| {
        users.push(user_from_row(row)?);
        Ok(())
    })?;
    Ok(users)
}

pub(crate) fn create_api_token(
    connection: &Connection,
    user_id: UserId,
    name: &str,
    token_sha256_hex: &str,
) -> Result<ApiToken, StoreError> {
    if user(connection, user_id)?.is_none() {
        return Err(StoreError::NotFound { what: "user", key: user_id.to_string() });
    }
    let created_at = now_millis();
    let inserted = connection
        .prepare_cached(
            "INSERT INTO api_tokens (user_id, name, token_sha256, created_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .or_db()?
        .execute(params![user_id.0, name, token_sha256_hex, created_at]);
    if let Err(error) = inserted {
        return Err(match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Invalid {
                field: "token".into(),
                message: "this token is already stored; generate a new one".into(),
            },
            _ => convert::db(error),
        });
    }
    Ok(ApiToken {
        id: connection.last_insert_rowid(),
        user_id,
        name: name.to_owned(),
        created_at: convert::time(created_at)?,
    })
}

pub(crate) fn user_for_token(
    connection: &Connection,
    token_sha256_hex: &str,
) -> Result<Option<User>, StoreError> {
    let token_id: Option<i64> = connection
        .prepare_cached("SELECT id FROM api_tokens WHERE token_sha256 = ?1")
        .or_db()?
        .query_row([token_sha256_hex], |row| row.get(0))
        .optional()
        .or_db()?;
    let Some(token_id) = token_id else { return Ok(None) };
    connection
        .prepare_cached("UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2")
        .or_db()?
        .execute(params![now_millis(), token_id])
        .or_db()?;
    one_user(
        connection,
        "SELECT u.id, u.email, u.name, u.team, u.role FROM users u JOIN api_tokens t ON t.user_id = u.id WHERE t.id = ?1",
        &token_id,
    )
}
