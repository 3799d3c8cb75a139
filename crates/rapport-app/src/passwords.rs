//! Passwords: Argon2id hashes in PHC form (the algorithm, its parameters and the salt travel
//! with the hash, so stronger parameters later still verify old hashes).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use rapport_domain::{Timestamp, User};
use rapport_store::Store;

use crate::leads::parse_email;
use crate::AppError;

/// Shorter passwords are refused: with the rate limit, 10 characters resist online guessing.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes with Argon2id (v19, the crate's defaults: 19 MiB, 2 passes) and a random salt.
pub fn hash(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::invalid("password", e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::invalid("password", e.to_string()))
}

/// Whether `password` matches `phc`; a malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Checks a new password: long enough, not only spaces, not the email itself.
pub fn check_new(email: &str, password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("a password needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.trim().is_empty() || password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(AppError::invalid("password", "choose a password that is not blank nor your email"));
    }
    Ok(())
}

/// Sets a user's password, recording who did it (never the password) in the audit log.
pub fn set(
    store: &dyn Store,
    email: &str,
    password: &str,
    actor: Option<&User>,
    now: Timestamp,
) -> Result<User, AppError> {
    let email = parse_email("email", email)?;
    check_new(email.as_str(), password)?;
    let user = store
        .user_by_email(&email)?
        .ok_or_else(|| AppError::NotFound { what: "user", key: email.to_string() })?;
    let phc = hash(password)?;
    let entry = crate::audit::entry(actor, "password.set", email.as_str(), "password set", now);
    store.set_password_hash(user.id, &phc, &entry)?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify_only_the_password() {
        let first = hash("correct horse battery").unwrap();
        let second = hash("correct horse battery").unwrap();
        assert!(first.starts_with("$argon2id$v=19$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("correct horse battery", &first));
        assert!(!verify("correct horse batterY", &first));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn short_or_obvious_passwords_are_refused() {
        assert!(check_new("ana@us.com", "short").unwrap_err().to_string().starts_with("password: "));
        assert!(check_new("ana@us.com", "ANA@us.com").is_err());
        assert!(check_new("ana@us.com", "a long enough one").is_ok());
    }
}
