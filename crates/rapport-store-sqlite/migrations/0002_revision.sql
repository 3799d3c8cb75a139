-- A counter every committed write moves forward, so readers that keep derived data (the
-- report cache) can tell in one cheap query whether anything changed since they computed it.
CREATE TABLE store_revision (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  INTEGER NOT NULL
);
INSERT INTO store_revision (id, value) VALUES (1, 0);
