-- tujie schema, SQLite flavour. Keep in step with ../postgres/0001_initial.sql: the same tables, columns and
-- constraints; only types and auto-increment syntax differ. Timestamps are UTC RFC 3339 text (they sort as time).

CREATE TABLE documents (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('policy', 'interpretation')),
    site           TEXT,
    url            TEXT,
    title          TEXT    NOT NULL,
    doc_number     TEXT,
    index_no       TEXT,
    issuer         TEXT,
    department     TEXT,
    written_at     TEXT,
    published_at   TEXT    NOT NULL,
    column_name    TEXT,
    topic          TEXT,
    body_text      TEXT,
    body_html      TEXT,
    document_json  TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL,
    form           TEXT,
    form_cue       TEXT,
    coverage       TEXT,
    withdrawn      INTEGER NOT NULL DEFAULT 0,
    rev            INTEGER NOT NULL,
    first_seen_at  TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX documents_kind_published ON documents (kind, published_at);
CREATE INDEX documents_rev ON documents (rev);
CREATE INDEX documents_department ON documents (department);

CREATE TABLE links (
    policy_id          TEXT NOT NULL REFERENCES documents (id),
    interpretation_id  TEXT NOT NULL REFERENCES documents (id),
    score              REAL NOT NULL,
    method             TEXT NOT NULL,
    evidence_json      TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (policy_id, interpretation_id)
);
CREATE INDEX links_interpretation ON links (interpretation_id);

CREATE TABLE drafts (
    id                   TEXT PRIMARY KEY,
    policy_id            TEXT NOT NULL REFERENCES documents (id),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
    template             TEXT NOT NULL,
    content_json         TEXT NOT NULL,
    warnings_json        TEXT NOT NULL,
    missing_glyphs_json  TEXT NOT NULL,
    source_text          TEXT NOT NULL,
    svg                  TEXT NOT NULL,
    png                  BLOB NOT NULL,
    preview_png          BLOB NOT NULL,
    revision             INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
-- At most one draft waiting for review per policy, whatever races the workers run.
CREATE UNIQUE INDEX drafts_one_pending_per_policy ON drafts (policy_id) WHERE status = 'pending';
CREATE INDEX drafts_status ON drafts (status, created_at);

CREATE TABLE draft_revisions (
    draft_id      TEXT    NOT NULL REFERENCES drafts (id),
    revision      INTEGER NOT NULL,
    content_json  TEXT    NOT NULL,
    svg           TEXT    NOT NULL,
    author        TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (draft_id, revision)
);

CREATE TABLE review_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id    TEXT NOT NULL REFERENCES drafts (id),
    action      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    comment     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX review_actions_draft ON review_actions (draft_id);

CREATE TABLE processed_events (
    event_id      TEXT PRIMARY KEY,
    event_type    TEXT NOT NULL,
    document_id   TEXT NOT NULL,
    processed_at  TEXT NOT NULL
);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT NOT NULL UNIQUE,
    routing_key  TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    sent_at      TEXT
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
