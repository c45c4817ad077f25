-- The editors' review workspace (`tujie serve`): accounts and login sessions. Keep in step with
-- ../postgres/0004_review_workspace.sql. Only SHA-256 hashes of login tokens and session cookies are stored, so a
-- copy of the database lets nobody log in. Timestamps are UTC RFC 3339 text (they sort as time).

CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    -- The 责任单位 whose drafts an editor reviews (documents.department); optional for supervisors.
    department  TEXT,
    role        TEXT    NOT NULL CHECK (role IN ('editor', 'supervisor')),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

-- The review queue lists drafts by status and the department of their policy.
CREATE INDEX drafts_policy ON drafts (policy_id);
