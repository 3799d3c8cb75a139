-- The web app: password hashes (Argon2id PHC strings), login sessions (only the SHA-256 of a
-- session's token), login attempts for the rate limit, and the audit log.
CREATE TABLE user_passwords (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    phc         TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE web_sessions (
    token_sha256  TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    csrf_token    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at);

CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    ip         TEXT NOT NULL,
    at         INTEGER NOT NULL,
    succeeded  INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_email ON login_attempts(email, at);
CREATE INDEX login_attempts_by_ip ON login_attempts(ip, at);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER REFERENCES users(id),
    actor_label    TEXT NOT NULL,
    action         TEXT NOT NULL,
    target         TEXT NOT NULL,
    details        TEXT NOT NULL
);
CREATE INDEX audit_log_by_target ON audit_log(target, id);
