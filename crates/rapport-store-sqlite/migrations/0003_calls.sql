-- Calls, their transcripts, and the durable job queue that transcribes them.
-- Times are INTEGER milliseconds since the Unix epoch (UTC); utterance and word times are
-- milliseconds from the start of the recording.

-- Natural keys the record gave are kept only where resolution may differ from them:
-- `account_domain` as given (possibly NULL) and `account_id` as resolved (by that domain,
-- else the person's account). Person, opportunity and rep are read back through their ids.
-- `participants` is a JSON array of {name, email, role}, read only with the call.
CREATE TABLE calls (
    id                  INTEGER PRIMARY KEY,
    external_id         TEXT UNIQUE,
    title               TEXT NOT NULL,
    started_at          INTEGER NOT NULL,
    duration_ms         INTEGER CHECK (duration_ms >= 0),
    source              TEXT NOT NULL CHECK (source IN ('audio', 'transcript')),
    participants        TEXT NOT NULL,
    person_id           INTEGER REFERENCES people(id),
    account_domain      TEXT,
    account_id          INTEGER REFERENCES accounts(id),
    opportunity_id      INTEGER REFERENCES opportunities(id),
    rep_id              INTEGER REFERENCES users(id),
    audio_key           TEXT,
    audio_content_type  TEXT,
    status              TEXT NOT NULL CHECK (status IN ('queued', 'transcribing', 'ready', 'failed')),
    failure             TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX calls_by_started ON calls(started_at, id);
CREATE INDEX calls_by_rep ON calls(rep_id, started_at);
CREATE INDEX calls_by_person ON calls(person_id, started_at);
CREATE INDEX calls_by_account ON calls(account_id, started_at);
CREATE INDEX calls_by_opportunity ON calls(opportunity_id, started_at);

-- WITHOUT ROWID: rows are stored in primary-key order, so a call's transcript is one range
-- read, and the key itself makes a duplicated utterance impossible.
CREATE TABLE call_utterances (
    call_id   INTEGER NOT NULL REFERENCES calls(id),
    idx       INTEGER NOT NULL CHECK (idx >= 0),
    speaker   TEXT,
    role      TEXT NOT NULL CHECK (role IN ('rep', 'customer', 'unknown')),
    channel   INTEGER,
    start_ms  INTEGER NOT NULL CHECK (start_ms >= 0),
    end_ms    INTEGER NOT NULL CHECK (end_ms >= start_ms),
    text      TEXT NOT NULL,
    PRIMARY KEY (call_id, idx)
) WITHOUT ROWID;

CREATE TABLE call_words (
    call_id        INTEGER NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    idx            INTEGER NOT NULL CHECK (idx >= 0),
    text           TEXT NOT NULL,
    start_ms       INTEGER NOT NULL CHECK (start_ms >= 0),
    end_ms         INTEGER NOT NULL CHECK (end_ms >= start_ms),
    confidence     REAL,
    PRIMARY KEY (call_id, utterance_idx, idx),
    FOREIGN KEY (call_id, utterance_idx) REFERENCES call_utterances(call_id, idx)
) WITHOUT ROWID;

-- The job queue. `due_at` is when the job can next be claimed: `run_after` while queued, the
-- lease's end while running, NULL once finished; one indexed column makes the claim a single
-- index range scan for both fresh jobs and jobs whose worker died. `lease_ms` is the length
-- of the current lease, which heartbeats renew.
CREATE TABLE jobs (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,
    payload           TEXT NOT NULL,
    call_id           INTEGER REFERENCES calls(id),
    status            TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    max_attempts      INTEGER NOT NULL CHECK (max_attempts >= 1),
    run_after         INTEGER NOT NULL,
    due_at            INTEGER,
    worker_id         TEXT,
    lease_ms          INTEGER,
    lease_expires_at  INTEGER,
    progress          REAL NOT NULL DEFAULT 0,
    last_error        TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER
);
CREATE INDEX jobs_due ON jobs(due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX jobs_by_status ON jobs(status, id);
CREATE INDEX jobs_by_call ON jobs(call_id) WHERE call_id IS NOT NULL;
