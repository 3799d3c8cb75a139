//! API tokens: `rpt_` and 64 hex digits of randomness, shown once; the store keeps only the
//! SHA-256 hash, so a leaked database does not leak working tokens.

use rand::RngCore;
use rapport_domain::User;
use rapport_store::{ApiToken, Store};
use sha2::{Digest, Sha256};

use crate::leads::parse_email;
use crate::AppError;

/// Every token starts with this, so a leaked one is recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "rpt_";
const RANDOM_BYTES: usize = 32;

/// A freshly created token. `Debug` hides the token so it never reaches a log.
pub struct NewToken {
    /// The token itself; it cannot be recovered later.
    pub token: String,
    pub info: ApiToken,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken").field("token", &"rpt_<redacted>").field("info", &self.info).finish()
    }
}

pub fn create(store: &dyn Store, user_email: &str, name: &str) -> Result<NewToken, AppError> {
    let email = parse_email("user", user_email)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "a token needs a name, to tell tokens apart when revoking one",
        ));
    }
    let user = store
        .user_by_email(&email)?
        .ok_or_else(|| AppError::NotFound { what: "user", key: email.to_string() })?;
    let mut bytes = [0u8; RANDOM_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let info = store.create_api_token(user.id, name, &sha256_hex(&token))?;
    Ok(NewToken { token, info })
}

/// The user a presented token belongs to, or `None` for anything that is not a live token.
pub fn authenticate(store: &dyn Store, presented: &str) -> Result<Option<User>, AppError> {
    let presented = presented.trim();
    // A string that cannot be one of our tokens is not worth a database round trip.
    let well_formed = presented
        .strip_prefix(TOKEN_PREFIX)
        .is_some_and(|rest| rest.len() == RANDOM_BYTES * 2 && rest.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Ok(None);
    }
    Ok(store.user_for_token(&sha256_hex(presented))?)
}

pub(crate) fn sha256_hex(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    #[test]
    fn created_tokens_authenticate_their_user_and_nothing_else_does() {
        let fixture = test_support::store();
        let store = &*fixture.store;
        test_support::user(store, "rep@example.com", rapport_domain::Role::SalesRep);
        let created = create(store, "Rep@Example.com", "laptop").unwrap();
        assert!(created.token.starts_with("rpt_") && created.token.len() == 4 + 64, "{}", created.token);
        assert!(!format!("{created:?}").contains(&created.token), "Debug must not show the token");
        let user = authenticate(store, &created.token).unwrap().unwrap();
        assert_eq!(user.record.email.as_str(), "rep@example.com");
        let mut tampered = created.token.clone();
        tampered.replace_range(10..11, if &created.token[10..11] == "0" { "1" } else { "0" });
        assert_eq!(authenticate(store, &tampered).unwrap(), None);
        assert_eq!(authenticate(store, "rpt_short").unwrap(), None);
        assert_eq!(authenticate(store, "").unwrap(), None);
    }

    #[test]
    fn tokens_need_a_known_user_and_a_name() {
        let fixture = test_support::store();
        let store = &*fixture.store;
        let error = create(store, "nobody@example.com", "x").unwrap_err();
        assert!(matches!(error, AppError::NotFound { what: "user", .. }), "{error}");
        let error = create(store, "not an email", "x").unwrap_err();
        assert!(matches!(&error, AppError::Invalid { field, .. } if field == "user"), "{error}");
        test_support::user(store, "rep@example.com", rapport_domain::Role::SalesRep);
        let error = create(store, "rep@example.com", "  ").unwrap_err();
        assert!(matches!(&error, AppError::Invalid { field, .. } if field == "name"), "{error}");
    }
}
