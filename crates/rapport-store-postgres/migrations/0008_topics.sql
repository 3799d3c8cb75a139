-- Topics discovered across the workspace's calls (clusters of utterance embeddings) and each
-- call's topic rows. A topic's id comes from its top terms, so a topic discovered again keeps
-- its id and, when a person renamed it, its name (`renamed`). The centroid is the cluster's
-- mean embedding as little-endian f32s, so later calls are assigned without clustering again.
CREATE TABLE topics (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    generated_name  TEXT NOT NULL,
    renamed         BOOLEAN NOT NULL DEFAULT FALSE,
    top_terms       TEXT NOT NULL,
    size            BIGINT NOT NULL,
    centroid        BYTEA NOT NULL,
    discovered_at   BIGINT NOT NULL,
    renamed_at      BIGINT
);

-- One row per topic a call spends utterances on; the quote is its most typical utterance.
CREATE TABLE call_topics (
    call_id        BIGINT NOT NULL REFERENCES calls(id),
    topic_id       TEXT NOT NULL REFERENCES topics(id),
    utterances     INTEGER NOT NULL,
    utterance_idx  INTEGER NOT NULL,
    time_ms        BIGINT NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('rep', 'customer')),
    score          DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (call_id, topic_id)
);
CREATE INDEX call_topics_by_topic ON call_topics(topic_id);
