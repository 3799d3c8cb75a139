//! `WebStore` for [`PostgresStore`]: password hashes, sessions, login attempts, the audit log.

use postgres::Row;
use rapport_domain::{Timestamp, User, UserId, UserRecord};
use rapport_store::decode::{millis, now_millis, time};
use rapport_store::{
    AuditEntry, AuditQuery, AuditRecord, LoginAttempt, LoginFailures, NewSession, SessionView, StoreError,
    WebStore,
};

use crate::connection::{Connection, Transaction};
use crate::convert::{get, storable_value};
use crate::{revision, users, PostgresStore};

fn insert_audit(connection: &mut Connection, entry: &AuditEntry) -> Result<i64, StoreError> {
    storable_value([
        ("actor", Some(entry.actor_label.as_str())),
        ("action", Some(entry.action.as_str())),
        ("target", Some(entry.target.as_str())),
        ("details", Some(entry.details.as_str())),
    ])?;
    let row = connection.query_one(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, action, target, details)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            &millis(entry.at),
            &entry.actor.map(|id| id.0),
            &entry.actor_label,
            &entry.action,
            &entry.target,
            &entry.details,
        ],
    )?;
    get(&row, 0)
}

fn audit_from_row(row: &Row) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        id: get(row, 0)?,
        entry: AuditEntry {
            at: time(get(row, 1)?)?,
            actor: get::<Option<i64>>(row, 2)?.map(UserId),
            actor_label: get(row, 3)?,
            action: get(row, 4)?,
            target: get(row, 5)?,
            details: get(row, 6)?,
        },
    })
}

impl WebStore for PostgresStore {
    fn set_password_hash(&self, user: UserId, phc: &str, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        if users::user(&mut transaction, user)?.is_none() {
            return Err(StoreError::NotFound { what: "user", key: user.to_string() });
        }
        transaction.execute(
            "INSERT INTO user_passwords (user_id, phc, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET phc = EXCLUDED.phc, updated_at = EXCLUDED.updated_at",
            &[&user.0, &phc, &now_millis()],
        )?;
        insert_audit(&mut transaction, audit)?;
        revision::bump(&mut transaction)?;
        transaction.commit()
    }

    fn password_hash(&self, user: UserId) -> Result<Option<String>, StoreError> {
        let row =
            self.pool.get()?.query_opt("SELECT phc FROM user_passwords WHERE user_id = $1", &[&user.0])?;
        row.as_ref().map(|row| get(row, 0)).transpose()
    }

    fn upsert_user_audited(&self, user: &UserRecord, audit: &AuditEntry) -> Result<User, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        let stored = users::upsert_user(&mut transaction, user)?;
        insert_audit(&mut transaction, audit)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(stored)
    }

    fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        let mut connection = self.pool.get()?;
        // Expired sessions are swept here, so the table holds only live ones and a few stale.
        connection
            .execute("DELETE FROM web_sessions WHERE expires_at <= $1", &[&millis(session.created_at)])?;
        connection.execute(
            "INSERT INTO web_sessions (token_sha256, user_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &session.token_sha256_hex,
                &session.user.0,
                &session.csrf_token,
                &millis(session.created_at),
                &millis(session.expires_at),
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_sha256_hex: &str, now: Timestamp) -> Result<Option<SessionView>, StoreError> {
        let mut connection = self.pool.get()?;
        let row = connection.query_opt(
            "SELECT user_id, csrf_token, expires_at FROM web_sessions WHERE token_sha256 = $1 AND expires_at > $2",
            &[&token_sha256_hex, &millis(now)],
        )?;
        let Some(row) = row else { return Ok(None) };
        let (user_id, csrf_token, expires_at): (i64, String, i64) =
            (get(&row, 0)?, get(&row, 1)?, get(&row, 2)?);
        let Some(user) = users::user(&mut connection, UserId(user_id))? else { return Ok(None) };
        Ok(Some(SessionView { user, csrf_token, expires_at: time(expires_at)? }))
    }

    fn delete_session(&self, token_sha256_hex: &str) -> Result<(), StoreError> {
        self.pool.get()?.execute("DELETE FROM web_sessions WHERE token_sha256 = $1", &[&token_sha256_hex])?;
        Ok(())
    }

    fn record_login_attempt(
        &self,
        attempt: &LoginAttempt,
        forget_before: Timestamp,
    ) -> Result<(), StoreError> {
        storable_value([("email", Some(attempt.email.as_str())), ("ip", Some(attempt.ip.as_str()))])?;
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        transaction.execute("DELETE FROM login_attempts WHERE at < $1", &[&millis(forget_before)])?;
        transaction.execute(
            "INSERT INTO login_attempts (email, ip, at, succeeded) VALUES ($1, $2, $3, $4)",
            &[&attempt.email, &attempt.ip, &millis(attempt.at), &attempt.succeeded],
        )?;
        transaction.commit()
    }

    fn login_failures(&self, email: &str, ip: &str, since: Timestamp) -> Result<LoginFailures, StoreError> {
        let mut connection = self.pool.get()?;
        let row = connection.query_one(
            "SELECT
                 COUNT(*) FILTER (WHERE email = $1),
                 COUNT(*) FILTER (WHERE ip = $2)
             FROM login_attempts WHERE at >= $3 AND NOT succeeded AND (email = $1 OR ip = $2)",
            &[&email, &ip, &millis(since)],
        )?;
        let (by_account, by_ip): (i64, i64) = (get(&row, 0)?, get(&row, 1)?);
        Ok(LoginFailures { by_account: by_account as u32, by_ip: by_ip as u32 })
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<AuditRecord, StoreError> {
        let mut connection = self.pool.get()?;
        let mut transaction = Transaction::begin(&mut connection, "BEGIN")?;
        let id = insert_audit(&mut transaction, entry)?;
        revision::bump(&mut transaction)?;
        transaction.commit()?;
        Ok(AuditRecord { id, entry: entry.clone() })
    }

    fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        let limit = if query.limit == 0 { i64::MAX } else { i64::from(query.limit) };
        let rows = self.pool.get()?.query(
            "SELECT id, at, actor_user_id, actor_label, action, target, details FROM audit_log
             WHERE ($1::TEXT IS NULL OR starts_with(action, $1)) AND ($2::TEXT IS NULL OR target = $2)
             ORDER BY id DESC LIMIT $3",
            &[&query.action_prefix, &query.target, &limit],
        )?;
        rows.iter().map(audit_from_row).collect()
    }
}
