-- Conversation analysis: trackers as data, one stored analysis per call with its tracker hits
-- and content mentions as rows (for filters and aggregates), workspace settings, and the
-- full-text index over utterances.

-- One row of workspace settings and counters of the analysis.
-- `tracker_set_version` moves on every tracker change; analyses record the version they used.
CREATE TABLE analysis_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    redact_pii           BOOLEAN NOT NULL DEFAULT TRUE,
    tracker_set_version  BIGINT NOT NULL DEFAULT 0,
    trackers_seeded      BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO analysis_settings (id) VALUES (1);

CREATE TABLE trackers (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('keyword', 'smart')),
    definition  TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- `document` is TEXT so it comes back verbatim (JSONB would reorder and respace it).
CREATE TABLE call_analyses (
    call_id              BIGINT PRIMARY KEY REFERENCES calls(id),
    document             TEXT NOT NULL,
    analysis_version     INTEGER NOT NULL,
    tracker_set_version  BIGINT NOT NULL,
    analysed_at          BIGINT NOT NULL
);

CREATE TABLE call_tracker_hits (
    call_id        BIGINT NOT NULL REFERENCES calls(id),
    tracker        TEXT NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    time_ms        BIGINT NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('rep', 'customer')),
    speaker        TEXT,
    score          DOUBLE PRECISION
);
CREATE INDEX call_tracker_hits_by_call ON call_tracker_hits(call_id, tracker);
CREATE INDEX call_tracker_hits_by_tracker ON call_tracker_hits(tracker, call_id);

CREATE TABLE call_content_mentions (
    call_id        BIGINT NOT NULL REFERENCES calls(id),
    content_id     BIGINT REFERENCES content_items(id),
    label          TEXT NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    time_ms        BIGINT NOT NULL
);
CREATE INDEX call_content_mentions_by_call ON call_content_mentions(call_id);
CREATE INDEX call_content_mentions_by_content ON call_content_mentions(content_id) WHERE content_id IS NOT NULL;

-- The search index: a generated `tsvector` of each utterance's text as stored (redacted when
-- the workspace redacts) with a GIN index. The database computes it with the row, so it
-- cannot drift. Before indexing (and before headlines) `<` and `>` become spaces, so text that
-- looks like markup is words like any other (the parser would otherwise skip tags and the
-- inside of `<script>`), and the highlight markers U+E000/U+E001 are removed, so a transcript
-- cannot forge a highlight. English stemming: "pricing" finds "price".
ALTER TABLE call_utterances ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, translate(text, U&'<>\E000\E001', '  '))) STORED;
CREATE INDEX call_utterances_search ON call_utterances USING GIN (search);
