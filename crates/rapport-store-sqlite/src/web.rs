//! `WebStore` for [`SqliteStore`]: password hashes, sessions, login attempts, the audit log.

use rapport_domain::{Timestamp, User, UserId, UserRecord};
use rapport_store::{
    AuditEntry, AuditQuery, AuditRecord, LoginAttempt, LoginFailures, NewSession, SessionView, StoreError,
    WebStore,
};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::convert::{self, millis, now_millis, OrDatabaseError};
use crate::{revision, users, SqliteStore};

fn insert_audit(connection: &Connection, entry: &AuditEntry) -> Result<i64, StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO audit_log (at, actor_user_id, actor_label, action, target, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .or_db()?
        .execute(params![
            millis(entry.at),
            entry.actor.map(|id| id.0),
            entry.actor_label,
            entry.action,
            entry.target,
            entry.details
        ])
        .or_db()?;
    Ok(connection.last_insert_rowid())
}

fn audit_from_row(row: &Row<'_>) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        id: row.get(0).or_db()?,
        entry: AuditEntry {
            at: convert::time(row.get(1).or_db()?)?,
            actor: row.get::<_, Option<i64>>(2).or_db()?.map(UserId),
            actor_label: row.get(3).or_db()?,
            action: row.get(4).or_db()?,
            target: row.get(5).or_db()?,
            details: row.get(6).or_db()?,
        },
    })
}

impl WebStore for SqliteStore {
    fn set_password_hash(&self, user: UserId, phc: &str, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        if users::user(&transaction, user)?.is_none() {
            return Err(StoreError::NotFound { what: "user", key: user.to_string() });
        }
        transaction
            .prepare_cached(
                "INSERT INTO user_passwords (user_id, phc, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, updated_at = excluded.updated_at",
            )
            .or_db()?
            .execute(params![user.0, phc, now_millis()])
            .or_db()?;
        insert_audit(&transaction, audit)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()
    }

    fn password_hash(&self, user: UserId) -> Result<Option<String>, StoreError> {
        self.pool
            .get()?
            .prepare_cached("SELECT phc FROM user_passwords WHERE user_id = ?1")
            .or_db()?
            .query_row([user.0], |row| row.get(0))
            .optional()
            .or_db()
    }

    fn upsert_user_audited(&self, user: &UserRecord, audit: &AuditEntry) -> Result<User, StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        let stored = users::upsert_user(&transaction, user)?;
        insert_audit(&transaction, audit)?;
        revision::bump(&transaction)?;
        transaction.commit().or_db()?;
        Ok(stored)
    }

    fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        let connection = self.pool.get()?;
        // Expired sessions are swept here, so the table holds only live ones and a few stale.
        connection
            .prepare_cached("DELETE FROM web_sessions WHERE expires_at <= ?1")
            .or_db()?
            .execute([millis(session.created_at)])
            .or_db()?;
        connection
            .prepare_cached(
                "INSERT INTO web_sessions (token_sha256, user_id, csrf_token, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .or_db()?
            .execute(params![
                session.token_sha256_hex,
                session.user.0,
                session.csrf_token,
                millis(session.created_at),
                millis(session.expires_at)
            ])
            .or_db()?;
        Ok(())
    }

    fn session(&self, token_sha256_hex: &str, now: Timestamp) -> Result<Option<SessionView>, StoreError> {
        let connection = self.pool.get()?;
        let found: Option<(i64, String, i64)> = connection
            .prepare_cached(
                "SELECT user_id, csrf_token, expires_at FROM web_sessions
                 WHERE token_sha256 = ?1 AND expires_at > ?2",
            )
            .or_db()?
            .query_row(params![token_sha256_hex, millis(now)], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .or_db()?;
        let Some((user_id, csrf_token, expires_at)) = found else { return Ok(None) };
        let Some(user) = users::user(&connection, UserId(user_id))? else { return Ok(None) };
        Ok(Some(SessionView { user, csrf_token, expires_at: convert::time(expires_at)? }))
    }

    fn delete_session(&self, token_sha256_hex: &str) -> Result<(), StoreError> {
        self.pool
            .get()?
            .prepare_cached("DELETE FROM web_sessions WHERE token_sha256 = ?1")
            .or_db()?
            .execute([token_sha256_hex])
            .or_db()?;
        Ok(())
    }

    fn record_login_attempt(
        &self,
        attempt: &LoginAttempt,
        forget_before: Timestamp,
    ) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).or_db()?;
        transaction
            .prepare_cached("DELETE FROM login_attempts WHERE at < ?1")
            .or_db()?
            .execute([millis(forget_before)])
            .or_db()?;
        transaction
            .prepare_cached("INSERT INTO login_attempts (email, ip, at, succeeded) VALUES (?1, ?2, ?3, ?4)")
            .or_db()?
            .execute(params![attempt.email, attempt.ip, millis(attempt.at), attempt.succeeded])
            .or_db()?;
        transaction.commit().or_db()
    }

    fn login_failures(&self, email: &str, ip: &str, since: Timestamp) -> Result<LoginFailures, StoreError> {
        let connection = self.pool.get()?;
        let count = |column: &str, key: &str| -> Result<u32, StoreError> {
            let count: i64 = connection
                .prepare_cached(&format!(
                    "SELECT COUNT(*) FROM login_attempts WHERE {column} = ?1 AND at >= ?2 AND succeeded = 0"
                ))
                .or_db()?
                .query_row(params![key, millis(since)], |row| row.get(0))
                .or_db()?;
            Ok(count as u32)
        };
        Ok(LoginFailures { by_account: count("email", email)?, by_ip: count("ip", ip)? })
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<AuditRecord, StoreError> {
        let connection = self.pool.get()?;
        let id = insert_audit(&connection, entry)?;
        revision::bump(&connection)?;
        Ok(AuditRecord { id, entry: entry.clone() })
    }

    fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let connection = self.pool.get()?;
        let limit = if query.limit == 0 { i64::MAX } else { i64::from(query.limit) };
        let mut statement = connection
            .prepare_cached(
                "SELECT id, at, actor_user_id, actor_label, action, target, details FROM audit_log
                 WHERE (?1 IS NULL OR substr(action, 1, length(?1)) = ?1) AND (?2 IS NULL OR target = ?2)
                 ORDER BY id DESC LIMIT ?3",
            )
            .or_db()?;
        let mut rows = statement.query(params![query.action_prefix, query.target, limit]).or_db()?;
        let mut records = Vec::new();
        while let Some(row) = rows.next().or_db()? {
            records.push(audit_from_row(row)?);
        }
        Ok(records)
    }
}
