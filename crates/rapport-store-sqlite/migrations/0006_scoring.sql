-- Lead scoring: versions of the shared lead definition with their approvals, trained model
-- versions, and each person's latest scores.
CREATE TABLE definition_versions (
    version       INTEGER PRIMARY KEY,
    document      TEXT NOT NULL,
    author_id     INTEGER REFERENCES users (id),
    comment       TEXT,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
    created_at    INTEGER NOT NULL,
    activated_at  INTEGER
);
-- At most one active version, whatever the writers do.
CREATE UNIQUE INDEX definition_versions_one_active ON definition_versions (status) WHERE status = 'active';

-- One approval per user and one per side, so neither side can approve twice.
CREATE TABLE definition_approvals (
    version      INTEGER NOT NULL REFERENCES definition_versions (version),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    side         TEXT NOT NULL CHECK (side IN ('marketing', 'sales')),
    approved_at  INTEGER NOT NULL,
    PRIMARY KEY (version, user_id),
    UNIQUE (version, side)
);

CREATE TABLE model_versions (
    version     INTEGER PRIMARY KEY,
    target      TEXT NOT NULL,
    model       TEXT NOT NULL,
    metrics     TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    trained_at  INTEGER NOT NULL
);

CREATE TABLE person_scores (
    person_id           INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    fit                 REAL NOT NULL,
    engagement          REAL NOT NULL,
    total               REAL NOT NULL,
    probability         REAL,
    grade               TEXT NOT NULL,
    qualifies           INTEGER NOT NULL,
    reasons             TEXT NOT NULL,
    model_version       INTEGER REFERENCES model_versions (version),
    definition_version  INTEGER REFERENCES definition_versions (version),
    scored_at           INTEGER NOT NULL
);
