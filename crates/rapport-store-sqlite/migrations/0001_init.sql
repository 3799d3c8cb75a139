-- Rapport's SQLite schema, first release. Released migrations are never edited; add a new one.
-- Times are INTEGER milliseconds since the Unix epoch (UTC); money is INTEGER cents;
-- free attributes are JSON text.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    team        TEXT,
    role        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    token_sha256  TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT UNIQUE,
    name            TEXT NOT NULL,
    domain          TEXT UNIQUE,
    industry        TEXT,
    employees       INTEGER,
    country         TEXT,
    annual_revenue  REAL
);

CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    external_id  TEXT,
    name         TEXT NOT NULL UNIQUE,
    channel      TEXT,
    started_on   INTEGER,
    budget       REAL
);

CREATE TABLE content_items (
    id            INTEGER PRIMARY KEY,
    external_id   TEXT,
    title         TEXT NOT NULL,
    url           TEXT NOT NULL UNIQUE,
    content_type  TEXT,
    funnel_stage  TEXT
);

-- `account_domain` keeps the value the record gave (possibly NULL); `account_id` is what it
-- resolved to (by that domain, else by the email's domain when such an account exists).
CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT,
    email           TEXT NOT NULL UNIQUE,
    first_name      TEXT,
    last_name       TEXT,
    title           TEXT,
    account_domain  TEXT,
    account_id      INTEGER REFERENCES accounts(id),
    owner_id        INTEGER REFERENCES users(id),
    source          TEXT,
    campaign_id     INTEGER REFERENCES campaigns(id),
    country         TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX people_by_created ON people(created_at, id);
CREATE INDEX people_by_owner ON people(owner_id);
CREATE INDEX people_by_account ON people(account_id);

-- Append-only lifecycle history. `dedupe_key` is set on import events (from a person's
-- CRM history or from an opportunity) so a re-import adds nothing.
CREATE TABLE stage_events (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    from_stage     TEXT,
    to_stage       TEXT NOT NULL,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER REFERENCES users(id),
    source         TEXT NOT NULL,
    reason         TEXT,
    note           TEXT,
    owner_id       INTEGER REFERENCES users(id),
    forced         INTEGER NOT NULL DEFAULT 0,
    dedupe_key     TEXT
);
CREATE INDEX stage_events_by_person ON stage_events(person_id, at, id);
CREATE UNIQUE INDEX stage_events_dedupe ON stage_events(person_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- The current stage of each person with history: the stage of their latest event by (at, id).
-- A projection for fast lists and filters, updated in the same transaction as every append.
CREATE TABLE person_stage (
    person_id      INTEGER PRIMARY KEY REFERENCES people(id),
    stage          TEXT NOT NULL,
    since          INTEGER NOT NULL,
    last_event_id  INTEGER NOT NULL REFERENCES stage_events(id)
);
CREATE INDEX person_stage_by_stage ON person_stage(stage);

-- `dedupe_key` is the external id when given, else a hash of the touch's content.
CREATE TABLE touches (
    id           INTEGER PRIMARY KEY,
    dedupe_key   TEXT NOT NULL UNIQUE,
    external_id  TEXT,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    occurred_at  INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    channel      TEXT,
    campaign_id  INTEGER REFERENCES campaigns(id),
    content_id   INTEGER REFERENCES content_items(id),
    attributes   TEXT
);
CREATE INDEX touches_by_person ON touches(person_id, occurred_at);

CREATE TABLE opportunities (
    id                 INTEGER PRIMARY KEY,
    external_id        TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    account_domain     TEXT,
    account_id         INTEGER REFERENCES accounts(id),
    primary_person_id  INTEGER REFERENCES people(id),
    owner_id           INTEGER REFERENCES users(id),
    amount_cents       INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    stage              TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    close_date         INTEGER,
    outcome            TEXT NOT NULL,
    lost_reason        TEXT
);
CREATE INDEX opportunities_by_primary ON opportunities(primary_person_id);

-- The record's `contacts`, in the order given.
CREATE TABLE opportunity_contacts (
    opportunity_id  INTEGER NOT NULL REFERENCES opportunities(id),
    position        INTEGER NOT NULL,
    person_id       INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (opportunity_id, position)
);
CREATE INDEX opportunity_contacts_by_person ON opportunity_contacts(person_id);

CREATE TABLE rejection_reasons (
    code      TEXT PRIMARY KEY,
    label     TEXT NOT NULL,
    position  INTEGER NOT NULL
);
INSERT INTO rejection_reasons (code, label, position) VALUES
    ('bad_fit', 'Bad fit', 1),
    ('no_budget', 'No budget', 2),
    ('wrong_contact', 'Wrong contact', 3),
    ('not_ready', 'Not ready', 4),
    ('duplicate', 'Duplicate', 5),
    ('junk', 'Junk / fake', 6);
