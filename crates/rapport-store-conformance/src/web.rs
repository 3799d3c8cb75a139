//! Checks of the web app's storage: password hashes, sessions, login attempts, the audit log.

use chrono::Duration;
use rapport_domain::{Role, UserId};
use rapport_store::{AuditEntry, AuditQuery, LoginAttempt, NewSession, Store, StoreError};

use crate::fixtures::*;

fn audit(action: &str, target: &str, actor: Option<UserId>) -> AuditEntry {
    AuditEntry {
        at: day(10, 9),
        actor,
        actor_label: "admin@us.com".into(),
        action: action.into(),
        target: target.into(),
        details: format!("{action} {target}"),
    }
}

pub fn passwords_are_stored_per_user_with_their_audit_entry(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    assert_eq!(store.password_hash(rep.id).unwrap(), None);
    let before = store.revision().unwrap();
    store.set_password_hash(rep.id, "$argon2id$one", &audit("password.set", "rep@us.com", None)).unwrap();
    assert!(store.revision().unwrap() > before, "a password change moves the revision");
    store.set_password_hash(rep.id, "$argon2id$two", &audit("password.set", "rep@us.com", None)).unwrap();
    assert_eq!(store.password_hash(rep.id).unwrap().as_deref(), Some("$argon2id$two"));
    let missing = store.set_password_hash(UserId(rep.id.0 + 99), "x", &audit("password.set", "x", None));
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    let log =
        store.audit_log(&AuditQuery { target: Some("rep@us.com".into()), ..Default::default() }).unwrap();
    assert_eq!(log.len(), 2, "one entry per stored password, none for the refused one");
}

pub fn sessions_are_found_by_hash_until_they_expire(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    let session = NewSession {
        token_sha256_hex: "a".repeat(64),
        user: rep.id,
        csrf_token: "csrf-1".into(),
        created_at: day(10, 9),
        expires_at: day(10, 17),
    };
    let revision = store.revision().unwrap();
    store.create_session(&session).unwrap();
    assert_eq!(store.revision().unwrap(), revision, "sessions are bookkeeping, not data");
    let found = store.session(&"a".repeat(64), day(10, 12)).unwrap().unwrap();
    assert_eq!((found.user.id, found.csrf_token.as_str()), (rep.id, "csrf-1"));
    assert_eq!(found.expires_at, day(10, 17));
    assert!(store.session(&"a".repeat(64), day(10, 17)).unwrap().is_none(), "expired at its end");
    assert!(store.session(&"b".repeat(64), day(10, 12)).unwrap().is_none());
    store.delete_session(&"a".repeat(64)).unwrap();
    assert!(store.session(&"a".repeat(64), day(10, 12)).unwrap().is_none(), "logged out");
    store.delete_session(&"a".repeat(64)).unwrap();
}

pub fn login_failures_count_per_account_and_address_in_the_window(store: &dyn Store) {
    let attempt = |email: &str, ip: &str, minute: i64, succeeded: bool| LoginAttempt {
        email: email.into(),
        ip: ip.into(),
        at: day(10, 9) + Duration::minutes(minute),
        succeeded,
    };
    let forget = day(9, 0);
    for minute in 0..3 {
        store.record_login_attempt(&attempt("ana@us.com", "10.0.0.1", minute, false), forget).unwrap();
    }
    store.record_login_attempt(&attempt("bo@us.com", "10.0.0.1", 4, false), forget).unwrap();
    store.record_login_attempt(&attempt("ana@us.com", "10.0.0.2", 5, true), forget).unwrap();
    let failures = store.login_failures("ana@us.com", "10.0.0.1", day(10, 9)).unwrap();
    assert_eq!((failures.by_account, failures.by_ip), (3, 4));
    let later = store.login_failures("ana@us.com", "10.0.0.1", day(10, 9) + Duration::minutes(2)).unwrap();
    assert_eq!((later.by_account, later.by_ip), (1, 2), "only failures inside the window count");
    store.record_login_attempt(&attempt("cy@us.com", "10.0.0.3", 60, false), day(10, 10)).unwrap();
    let forgotten = store.login_failures("ana@us.com", "10.0.0.1", day(1, 0)).unwrap();
    assert_eq!((forgotten.by_account, forgotten.by_ip), (0, 0), "old tries are forgotten");
}

pub fn audit_entries_are_listed_newest_first_and_filtered(store: &dyn Store) {
    let admin = store.upsert_user(&user("admin@us.com", Role::Admin)).unwrap();
    let rep = user("rep@us.com", Role::SalesRep);
    let revision = store.revision().unwrap();
    let added = store.upsert_user_audited(&rep, &audit("user.add", "rep@us.com", Some(admin.id))).unwrap();
    assert!(store.revision().unwrap() > revision);
    assert_eq!(store.user(added.id).unwrap().unwrap().record.role, Role::SalesRep);
    store.append_audit(&audit("stage.reject", "ana@acme.com", Some(admin.id))).unwrap();
    store.append_audit(&audit("user.role", "rep@us.com", None)).unwrap();
    let all = store.audit_log(&AuditQuery::default()).unwrap();
    let actions: Vec<&str> = all.iter().map(|r| r.entry.action.as_str()).collect();
    assert_eq!(actions, ["user.role", "stage.reject", "user.add"]);
    assert_eq!(all[1].entry.actor, Some(admin.id));
    assert_eq!(all[0].entry.actor, None);
    let users =
        store.audit_log(&AuditQuery { action_prefix: Some("user.".into()), ..Default::default() }).unwrap();
    assert_eq!(users.len(), 2);
    let one = store.audit_log(&AuditQuery { limit: 1, ..Default::default() }).unwrap();
    assert_eq!(one[0].entry.action, "user.role");
}
