//! Email addresses, normalised to lower case so they work as a natural key for people.

use serde::{Deserialize, Serialize};

/// A syntactically plausible, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not an email address: {reason}")]
pub struct EmailError {
    pub input: String,
    pub reason: &'static str,
}

impl EmailAddress {
    /// Parses and normalises an address. Deliberately lenient (RFC 5322 allows far more than
    /// CRMs export) but strict enough to reject the usual junk: blanks, missing `@`, spaces.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        let fail = |reason| EmailError { input: input.to_owned(), reason };
        if trimmed.is_empty() {
            return Err(fail("it is empty"));
        }
        if trimmed.len() > 254 {
            return Err(fail("it is longer than 254 characters"));
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(fail("it contains white space"));
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(fail("it has no `@`"));
        };
        if local.is_empty() {
            return Err(fail("nothing stands before the `@`"));
        }
        if domain.is_empty() || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(fail("the part after the `@` is not a domain"));
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The domain part, used to match people to accounts.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, &str>) {
        let got = EmailAddress::parse(input).map(|e| e.0).map_err(|e| e.reason);
        assert_eq!(got.as_deref().map_err(|e| *e), expected, "input {input:?}");
    }

    #[test]
    fn parses_and_normalises() {
        check(" Ana.Lopez@Example.COM ", Ok("ana.lopez@example.com"));
        check("a+tag@sub.example.co.uk", Ok("a+tag@sub.example.co.uk"));
        check("", Err("it is empty"));
        check("no-at.example.com", Err("it has no `@`"));
        check("@example.com", Err("nothing stands before the `@`"));
        check("a@localhost", Err("the part after the `@` is not a domain"));
        check("a b@example.com", Err("it contains white space"));
    }
}
