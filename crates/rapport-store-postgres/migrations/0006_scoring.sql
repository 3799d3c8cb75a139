-- Lead scoring: versions of the shared lead definition with their approvals, trained model
-- versions, and each person's latest scores.
CREATE TABLE definition_versions (
    version       BIGINT PRIMARY KEY,
    document      TEXT NOT NULL,
    author_id     BIGINT REFERENCES users (id),
    comment       TEXT,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
    created_at    BIGINT NOT NULL,
    activated_at  BIGINT
);
-- At most one active version, whatever the writers do.
CREATE UNIQUE INDEX definition_versions_one_active ON definition_versions (status) WHERE status = 'active';

-- One approval per user and one per side, so neither side can approve twice.
CREATE TABLE definition_approvals (
    version      BIGINT NOT NULL REFERENCES definition_versions (version),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    side         TEXT NOT NULL CHECK (side IN ('marketing', 'sales')),
    approved_at  BIGINT NOT NULL,
    PRIMARY KEY (version, user_id),
    UNIQUE (version, side)
);

CREATE TABLE model_versions (
    version     BIGINT PRIMARY KEY,
    target      TEXT NOT NULL,
    model       TEXT NOT NULL,
    metrics     TEXT NOT NULL,
    row_count   BIGINT NOT NULL,
    trained_at  BIGINT NOT NULL
);

CREATE TABLE person_scores (
    person_id           BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    fit                 DOUBLE PRECISION NOT NULL,
    engagement          DOUBLE PRECISION NOT NULL,
    total               DOUBLE PRECISION NOT NULL,
    probability         DOUBLE PRECISION,
    grade               TEXT NOT NULL,
    qualifies           BOOLEAN NOT NULL,
    reasons             TEXT NOT NULL,
    model_version       BIGINT REFERENCES model_versions (version),
    definition_version  BIGINT REFERENCES definition_versions (version),
    scored_at           BIGINT NOT NULL
);
