//! Web logins: email and password in, a session token out. The token (`rps_` and 64 hex
//! digits) goes to the browser in a cookie; the store keeps its SHA-256 only. Failed logins
//! are limited per account and per address, so passwords cannot be guessed online.

use chrono::Duration;
use rand::RngCore;
use rapport_domain::{Timestamp, User};
use rapport_store::{LoginAttempt, NewSession, SessionView, Store};

use crate::tokens::sha256_hex;
use crate::AppError;

pub const SESSION_PREFIX: &str = "rps_";
const RANDOM_BYTES: usize = 32;

/// How long a session lasts and how failed logins are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    pub session_hours: i64,
    pub window_minutes: i64,
    /// Failed logins per account within the window before further tries are refused.
    pub max_failures_per_account: u32,
    /// … per client address (higher: an office shares one address).
    pub max_failures_per_ip: u32,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            session_hours: 12,
            window_minutes: 15,
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
        }
    }
}

/// A new session. `Debug` hides the token so it never reaches a log.
pub struct NewSessionToken {
    pub token: String,
    pub csrf_token: String,
    pub user: User,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for NewSessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSessionToken").field("user", &self.user.record.email).finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub enum LoginOutcome {
    LoggedIn(NewSessionToken),
    /// Wrong email or password; which one is not said.
    Refused,
    /// Too many failures lately; nothing was checked.
    Limited {
        retry_after_minutes: i64,
    },
}

/// A real hash of a random password, checked for unknown emails and users without a password,
/// so a wrong email takes as long as a wrong password and does not tell which accounts exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| crate::passwords::hash(&random_hex()).unwrap_or_default())
}

pub fn login(
    store: &dyn Store,
    email: &str,
    password: &str,
    ip: &str,
    policy: &LoginPolicy,
    now: Timestamp,
) -> Result<LoginOutcome, AppError> {
    let typed = email.trim().to_lowercase();
    let window_start = now - Duration::minutes(policy.window_minutes);
    let failures = store.login_failures(&typed, ip, window_start)?;
    if failures.by_account >= policy.max_failures_per_account || failures.by_ip >= policy.max_failures_per_ip
    {
        return Ok(LoginOutcome::Limited { retry_after_minutes: policy.window_minutes });
    }
    let user = match rapport_domain::EmailAddress::parse(&typed) {
        Ok(address) => store.user_by_email(&address)?,
        Err(_) => None,
    };
    let phc = match &user {
        Some(user) => store.password_hash(user.id)?,
        None => None,
    };
    let matched = match phc.as_deref() {
        Some(phc) => crate::passwords::verify(password, phc),
        None => {
            crate::passwords::verify(password, dummy_hash());
            false
        }
    };
    let attempt = LoginAttempt { email: typed, ip: ip.to_owned(), at: now, succeeded: matched };
    // Older tries no longer count towards any limit.
    store.record_login_attempt(&attempt, window_start)?;
    match user.filter(|_| matched) {
        None => Ok(LoginOutcome::Refused),
        Some(user) => Ok(LoginOutcome::LoggedIn(start(store, user, policy, now)?)),
    }
}

fn start(
    store: &dyn Store,
    user: User,
    policy: &LoginPolicy,
    now: Timestamp,
) -> Result<NewSessionToken, AppError> {
    let token = format!("{SESSION_PREFIX}{}", random_hex());
    let csrf_token = random_hex();
    let expires_at = now + Duration::hours(policy.session_hours);
    store.create_session(&NewSession {
        token_sha256_hex: sha256_hex(&token),
        user: user.id,
        csrf_token: csrf_token.clone(),
        created_at: now,
        expires_at,
    })?;
    Ok(NewSessionToken { token, csrf_token, user, expires_at })
}

/// 32 random bytes from the OS as 64 hex digits: session and CSRF tokens.
pub fn random_hex() -> String {
    let mut bytes = [0u8; RANDOM_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn well_formed(presented: &str) -> bool {
    presented
        .strip_prefix(SESSION_PREFIX)
        .is_some_and(|rest| rest.len() == RANDOM_BYTES * 2 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The live session a cookie's token belongs to.
pub fn authenticate(
    store: &dyn Store,
    presented: &str,
    now: Timestamp,
) -> Result<Option<SessionView>, AppError> {
    if !well_formed(presented) {
        return Ok(None);
    }
    Ok(store.session(&sha256_hex(presented), now)?)
}

pub fn logout(store: &dyn Store, presented: &str) -> Result<(), AppError> {
    if well_formed(presented) {
        store.delete_session(&sha256_hex(presented))?;
    }
    Ok(())
}

/// Compares a submitted CSRF token with the session's in constant time.
pub fn csrf_matches(expected: &str, submitted: &str) -> bool {
    expected.len() == submitted.len()
        && expected.bytes().zip(submitted.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, user};
    use rapport_domain::Role;

    #[test]
    fn a_right_password_logs_in_and_the_session_authenticates_until_logout() {
        let fixture = crate::test_support::store();
        let store = &*fixture.store;
        user(store, "rep@example.com", Role::SalesRep);
        crate::passwords::set(store, "rep@example.com", "a good password", None, at(1)).unwrap();
        let policy = LoginPolicy::default();
        let LoginOutcome::LoggedIn(session) =
            login(store, " Rep@Example.com ", "a good password", "10.0.0.1", &policy, at(2)).unwrap()
        else {
            panic!("the right password must log in")
        };
        assert!(session.token.starts_with(SESSION_PREFIX));
        let found = authenticate(store, &session.token, at(2)).unwrap().unwrap();
        assert_eq!(
            (found.user.id, found.csrf_token.as_str()),
            (session.user.id, session.csrf_token.as_str())
        );
        assert!(authenticate(store, &session.token, at(3)).unwrap().is_none(), "12 hours later it expired");
        logout(store, &session.token).unwrap();
        assert!(authenticate(store, &session.token, at(2)).unwrap().is_none());
        let audit = store.audit_log(&rapport_store::AuditQuery::default()).unwrap();
        assert_eq!(audit[0].entry.action, "password.set");
        assert!(!audit[0].entry.details.contains("a good password"));
    }

    #[test]
    fn failures_are_limited_per_account_then_even_the_right_password_waits() {
        let fixture = crate::test_support::store();
        let store = &*fixture.store;
        user(store, "rep@example.com", Role::SalesRep);
        crate::passwords::set(store, "rep@example.com", "a good password", None, at(1)).unwrap();
        let policy = LoginPolicy::default();
        for _ in 0..policy.max_failures_per_account {
            let outcome =
                login(store, "rep@example.com", "wrong guess!", "10.0.0.1", &policy, at(2)).unwrap();
            assert!(matches!(outcome, LoginOutcome::Refused), "{outcome:?}");
        }
        let outcome = login(store, "rep@example.com", "a good password", "10.0.0.2", &policy, at(2)).unwrap();
        assert!(matches!(outcome, LoginOutcome::Limited { .. }), "{outcome:?}");
        let unknown =
            login(store, "ghost@example.com", "whatever it is", "10.0.0.3", &policy, at(2)).unwrap();
        assert!(matches!(unknown, LoginOutcome::Refused));
        let later = at(2) + Duration::minutes(policy.window_minutes + 1);
        let outcome = login(store, "rep@example.com", "a good password", "10.0.0.2", &policy, later).unwrap();
        assert!(matches!(outcome, LoginOutcome::LoggedIn(_)), "{outcome:?}");
    }

    #[test]
    fn csrf_tokens_compare_whole() {
        assert!(csrf_matches("abc123", "abc123"));
        assert!(!csrf_matches("abc123", "abc12"));
        assert!(!csrf_matches("abc123", "abc124"));
        assert!(!csrf_matches("abc123", ""));
    }
}
