//! Checks of users and API tokens.

use rapport_domain::Role;
use rapport_store::{Store, StoreError};

use crate::fixtures::*;

pub fn users_upsert_and_lookup(store: &dyn Store) {
    let rep = store.upsert_user(&user("rep@us.com", Role::SalesRep)).unwrap();
    let admin = store.upsert_user(&user("admin@us.com", Role::Admin)).unwrap();
    assert_ne!(rep.id, admin.id);
    let mut promoted = user("REP@us.com", Role::SalesManager);
    promoted.name = "Rita Rep".to_owned();
    let again = store.upsert_user(&promoted).unwrap();
    assert_eq!(again.id, rep.id, "the email is the natural key");
    assert_eq!(again.record.role, Role::SalesManager);
    assert_eq!(store.user(rep.id).unwrap().unwrap(), again);
    assert_eq!(store.user_by_email(&email("rep@us.com")).unwrap().unwrap(), again);
    assert!(store.user_by_email(&email("ghost@us.com")).unwrap().is_none());
    let listed: Vec<_> =
        store.list_users().unwrap().into_iter().map(|u| u.record.email.to_string()).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&"admin@us.com".to_owned()));
    assert_eq!(store.counts().unwrap().users, 2);
}

pub fn api_tokens_are_found_by_hash_only(store: &dyn Store) {
    let rep = add_user(store, "rep@us.com");
    let hash = "a".repeat(64);
    let token = store.create_api_token(rep.id, "laptop", &hash).unwrap();
    assert_eq!((token.user_id, token.name.as_str()), (rep.id, "laptop"));
    assert_eq!(store.user_for_token(&hash).unwrap().map(|u| u.id), Some(rep.id));
    assert_eq!(store.user_for_token(&"b".repeat(64)).unwrap(), None);
    assert_eq!(store.user_for_token("").unwrap(), None);
    let missing_user = store.create_api_token(rapport_domain::UserId(rep.id.0 + 99), "x", &"c".repeat(64));
    assert!(matches!(missing_user, Err(StoreError::NotFound { .. })), "{missing_user:?}");
    let duplicate = store.create_api_token(rep.id, "again", &hash);
    assert!(duplicate.is_err(), "a token hash is stored once");
    assert_eq!(store.user_for_token(&hash).unwrap().map(|u| u.id), Some(rep.id));
}
