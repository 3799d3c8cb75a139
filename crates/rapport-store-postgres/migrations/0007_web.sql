-- The web app: password hashes (Argon2id PHC strings), login sessions (only the SHA-256 of a
-- session's token), login attempts for the rate limit, and the audit log.
CREATE TABLE user_passwords (
    user_id     BIGINT PRIMARY KEY REFERENCES users(id),
    phc         TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE web_sessions (
    token_sha256  TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at);

CREATE TABLE login_attempts (
    id         BIGSERIAL PRIMARY KEY,
    email      TEXT NOT NULL,
    ip         TEXT NOT NULL,
    at         BIGINT NOT NULL,
    succeeded  BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_email ON login_attempts(email, at);
CREATE INDEX login_attempts_by_ip ON login_attempts(ip, at);

CREATE TABLE audit_log (
    id             BIGSERIAL PRIMARY KEY,
    at             BIGINT NOT NULL,
    actor_user_id  BIGINT REFERENCES users(id),
    actor_label    TEXT NOT NULL,
    action         TEXT NOT NULL,
    target         TEXT NOT NULL,
    details        TEXT NOT NULL
);
CREATE INDEX audit_log_by_target ON audit_log(target, id);
