//! Conversions between domain values and their stored forms (milliseconds, text codes), the
//! mapping of driver errors to [`StoreError`], and keeping passwords out of messages.

use postgres::types::FromSql;
use postgres::Row;
use rapport_store::{RowRejection, StoreError};

/// Maps a driver error to the store's error. Values the server refuses (a data exception,
/// such as an out-of-range number) are the caller's fault, as with SQLite's checks; the
/// rest is internal (logged, never shown to users).
pub(crate) fn db(error: postgres::Error) -> StoreError {
    match error.as_db_error() {
        Some(server) if server.code().code().starts_with("22") => StoreError::Invalid {
            field: server.column().unwrap_or("value").to_owned(),
            message: server.message().to_owned(),
        },
        _ => StoreError::Database(error.to_string()),
    }
}

/// Reads one column, reporting a type mismatch as an error instead of panicking.
pub(crate) fn get<'row, T: FromSql<'row>>(row: &'row Row, index: usize) -> Result<T, StoreError> {
    row.try_get(index).map_err(db)
}

/// PostgreSQL text cannot hold the NUL character (SQLite's can), so such a value is refused
/// up front with its field named, instead of failing the whole batch on the server.
pub(crate) fn storable<'v>(
    fields: impl IntoIterator<Item = (&'static str, Option<&'v str>)>,
) -> Result<(), RowRejection> {
    for (field, value) in fields {
        if value.is_some_and(|v| v.contains('\0')) {
            return Err(RowRejection::new(field, "contains a NUL character, which cannot be stored"));
        }
    }
    Ok(())
}

/// [`storable`] for values of single calls (users, reason codes, transitions).
pub(crate) fn storable_value<'v>(
    fields: impl IntoIterator<Item = (&'static str, Option<&'v str>)>,
) -> Result<(), StoreError> {
    storable(fields).map_err(|r| StoreError::Invalid { field: r.field, message: r.message })
}

pub(crate) use rapport_store::decode::{
    email, employees, funnel_stage, millis, now_millis, optional_email, optional_stage, optional_time,
    outcome, role, source, stage, time, touch_kind,
};

/// Touch attributes as stored: JSON text, or NULL when there are none.
pub(crate) fn attributes_json(
    attributes: &std::collections::BTreeMap<String, String>,
) -> Result<Option<String>, StoreError> {
    if attributes.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(attributes).map(Some).map_err(|e| StoreError::Database(e.to_string()))
}

pub(crate) fn attributes(
    json: Option<&str>,
) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
    match json {
        Some(json) => {
            serde_json::from_str(json).map_err(|e| StoreError::Database(format!("touch attributes: {e}")))
        }
        None => Ok(Default::default()),
    }
}

/// The password of a `postgres://user:password@host/db` URL or of a `password=` setting.
pub(crate) fn url_password(url: &str) -> Option<String> {
    if let Some((start, end)) = userinfo_password(url) {
        return Some(url[start..end].to_owned());
    }
    let at = url.find("password=")? + "password=".len();
    let rest = &url[at..];
    let end = rest.find(['&', ' ']).unwrap_or(rest.len());
    Some(rest[..end].to_owned()).filter(|p| !p.is_empty())
}

/// Byte range of the password in the URL's `user:password@` part.
fn userinfo_password(url: &str) -> Option<(usize, usize)> {
    let authority_start = url.find("://")? + 3;
    let authority_end = url[authority_start..].find(['/', '?']).map_or(url.len(), |i| authority_start + i);
    let at = url[authority_start..authority_end].rfind('@')? + authority_start;
    let colon = url[authority_start..at].find(':')? + authority_start;
    Some((colon + 1, at))
}

/// The URL with its password (if any) replaced by `***`, for messages and logs.
pub(crate) fn redact_url(url: &str) -> String {
    match url_password(url) {
        Some(password) => scrub(url, Some(&password)),
        None => url.to_owned(),
    }
}

/// `message` with every occurrence of `secret` replaced by `***`.
pub(crate) fn scrub(message: &str, secret: Option<&str>) -> String {
    match secret.filter(|s| !s.is_empty()) {
        Some(secret) => message.replace(secret, "***"),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expected: &str) {
        assert_eq!(redact_url(url), expected);
    }

    #[test]
    fn passwords_are_redacted() {
        check("postgres://rapport:s3cret@db:5432/rapport", "postgres://rapport:***@db:5432/rapport");
        check("postgresql://rapport@db/rapport", "postgresql://rapport@db/rapport");
        check(
            "postgres://db/rapport?user=r&password=s3cret&x=1",
            "postgres://db/rapport?user=r&password=***&x=1",
        );
        check("host=db user=r password=s3cret dbname=x", "host=db user=r password=*** dbname=x");
        check("postgres://u:p%40ss@db/x", "postgres://u:***@db/x");
    }

    #[test]
    fn nul_characters_are_refused_with_their_field() {
        assert_eq!(storable([("title", Some("CMO")), ("country", None)]), Ok(()));
        let refused = storable([("title", Some("CMO")), ("country", Some("E\0S"))]).unwrap_err();
        assert_eq!(refused.field, "country");
    }
}
