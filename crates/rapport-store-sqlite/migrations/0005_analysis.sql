-- Conversation analysis: trackers as data, one stored analysis per call with its tracker hits
-- and content mentions as rows (for filters and aggregates), workspace settings, and the
-- full-text index over utterances.

-- One row of workspace settings and counters of the analysis.
-- `tracker_set_version` moves on every tracker change; analyses record the version they used.
CREATE TABLE analysis_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    redact_pii           INTEGER NOT NULL DEFAULT 1 CHECK (redact_pii IN (0, 1)),
    tracker_set_version  INTEGER NOT NULL DEFAULT 0,
    trackers_seeded      INTEGER NOT NULL DEFAULT 0 CHECK (trackers_seeded IN (0, 1))
);
INSERT INTO analysis_settings (id) VALUES (1);

CREATE TABLE trackers (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('keyword', 'smart')),
    definition  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE call_analyses (
    call_id              INTEGER PRIMARY KEY REFERENCES calls(id),
    document             TEXT NOT NULL,
    analysis_version     INTEGER NOT NULL,
    tracker_set_version  INTEGER NOT NULL,
    analysed_at          INTEGER NOT NULL
);

CREATE TABLE call_tracker_hits (
    call_id        INTEGER NOT NULL REFERENCES calls(id),
    tracker        TEXT NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    time_ms        INTEGER NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('rep', 'customer')),
    speaker        TEXT,
    score          REAL
);
CREATE INDEX call_tracker_hits_by_call ON call_tracker_hits(call_id, tracker);
CREATE INDEX call_tracker_hits_by_tracker ON call_tracker_hits(tracker, call_id);

CREATE TABLE call_content_mentions (
    call_id        INTEGER NOT NULL REFERENCES calls(id),
    content_id     INTEGER REFERENCES content_items(id),
    label          TEXT NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    time_ms        INTEGER NOT NULL
);
CREATE INDEX call_content_mentions_by_call ON call_content_mentions(call_id);
CREATE INDEX call_content_mentions_by_content ON call_content_mentions(content_id) WHERE content_id IS NOT NULL;

-- The search index: an FTS5 table holding each utterance's text as stored (redacted when the
-- workspace redacts), kept in sync by triggers in the same transaction as every change to
-- `call_utterances`, so it cannot drift. `call_utterances` has no rowid (WITHOUT ROWID), so
-- the index's rowid is computed from the key: call id * 2^20 + utterance index (a call holds
-- fewer than a million utterances), which lets a delete find its row directly. The
-- highlight markers U+E000/U+E001 are stripped from indexed text so a transcript cannot forge
-- a highlight. Porter stemming: "pricing" finds "price".
CREATE VIRTUAL TABLE utterance_search USING fts5(
    text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER utterance_search_insert AFTER INSERT ON call_utterances BEGIN
    INSERT INTO utterance_search (rowid, text)
    VALUES (new.call_id * 1048576 + new.idx, replace(replace(new.text, char(57344), ''), char(57345), ''));
END;

CREATE TRIGGER utterance_search_delete AFTER DELETE ON call_utterances BEGIN
    DELETE FROM utterance_search WHERE rowid = old.call_id * 1048576 + old.idx;
END;

CREATE TRIGGER utterance_search_update AFTER UPDATE OF text ON call_utterances BEGIN
    UPDATE utterance_search
    SET text = replace(replace(new.text, char(57344), ''), char(57345), '')
    WHERE rowid = old.call_id * 1048576 + old.idx;
END;

-- Transcripts stored before this migration become searchable too.
INSERT INTO utterance_search (rowid, text)
SELECT call_id * 1048576 + idx, replace(replace(text, char(57344), ''), char(57345), '') FROM call_utterances;
