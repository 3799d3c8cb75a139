-- Topics discovered across the workspace's calls (clusters of utterance embeddings) and each
-- call's topic rows. A topic's id comes from its top terms, so a topic discovered again keeps
-- its id and, when a person renamed it, its name (`renamed`). The centroid is the cluster's
-- mean embedding as little-endian f32s, so later calls are assigned without clustering again.
CREATE TABLE topics (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    generated_name  TEXT NOT NULL,
    renamed         INTEGER NOT NULL DEFAULT 0 CHECK (renamed IN (0, 1)),
    top_terms       TEXT NOT NULL,
    size            INTEGER NOT NULL,
    centroid        BLOB NOT NULL,
    discovered_at   INTEGER NOT NULL,
    renamed_at      INTEGER
);

-- One row per topic a call spends utterances on; the quote is its most typical utterance.
CREATE TABLE call_topics (
    call_id        INTEGER NOT NULL REFERENCES calls(id),
    topic_id       TEXT NOT NULL REFERENCES topics(id),
    utterances     INTEGER NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    time_ms        INTEGER NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('rep', 'customer')),
    score          REAL NOT NULL,
    PRIMARY KEY (call_id, topic_id)
);
CREATE INDEX call_topics_by_topic ON call_topics(topic_id);
