-- The change counter behind documents.rev. Taking the next value updates this one row, which stays locked until the
-- transaction ends, so write transactions that change documents commit in the order of their numbers: a reader that
-- has seen rev N has seen every change numbered below N. MAX(rev) + 1 gave no such guarantee on PostgreSQL.
CREATE TABLE change_counter (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  BIGINT  NOT NULL
);
INSERT INTO change_counter (id, value) SELECT 1, COALESCE(MAX(rev), 0) FROM documents;

-- When the version of a document that is stored happened at the source (the event's occurred_at). A retried older
-- event must not overwrite a newer version, nor bring back a withdrawn document.
ALTER TABLE documents ADD COLUMN source_at TEXT;
