//! Storage errors, classified so the pipeline can decide between retry and dead-letter.

/// An error from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{0}` is not supported (expected sqlite://… or postgres://…)")]
    UnsupportedUrl(String),
    #[error("cannot prepare the SQLite file {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data for {what} is corrupt: {detail}")]
    Corrupt { what: String, detail: String },
    #[error("draft file {path}: {source}")]
    Asset { path: String, source: std::io::Error },
    /// The S3 asset store: `key` is the object's full name in the bucket.
    #[error("draft object {key} in the S3 asset store: {source}")]
    Object { key: String, source: object_store::Error },
    #[error("{0} not found")]
    NotFound(String),
    /// A review action the stored state no longer allows (the draft is not pending any more, the user name is
    /// taken). Not retried: the caller shows it to the person who asked.
    #[error("{0}")]
    Conflict(String),
}

impl StoreError {
    /// A database constraint refused the write: a unique or foreign key violation. (Not [`StoreError::Conflict`],
    /// which is a refused review action: the draft was no longer pending, the name was taken.) Between concurrent workers this is an
    /// expected race (an interpretation linked to a policy whose transaction has not committed yet) that a retry
    /// resolves; it is not poison, but it is not an outage either.
    pub fn is_constraint_race(&self) -> bool {
        let StoreError::Database(sqlx::Error::Database(db)) = self else { return false };
        let code = db.code().unwrap_or_default();
        match code.parse::<i32>() {
            // SQLITE_CONSTRAINT (19) with its extended codes: unique 2067, primary key 1555, foreign key 787.
            Ok(sqlite) => sqlite & 0xff == 19,
            Err(_) => matches!(code.as_ref(), "23505" | "23503"),
        }
    }

    /// True when the same operation may succeed later: the database is down, restarting, or busy. Such failures
    /// must not count a message as poison.
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_) => true,
                sqlx::Error::Database(db) => {
                    let code = db.code().unwrap_or_default();
                    // SQLite reports extended codes; the primary code is the low byte (5 BUSY, 6 LOCKED).
                    if let Ok(sqlite) = code.parse::<i32>() {
                        return matches!(sqlite & 0xff, 5 | 6);
                    }
                    // PostgreSQL: serialization failure, deadlock, shutdown, connection and resource classes, and
                    // statement timeout.
                    matches!(code.as_ref(), "40001" | "40P01" | "57P01" | "57P02" | "57P03" | "57014")
                        || code.starts_with("08")
                        || code.starts_with("53")
                }
                _ => false,
            },
            // A shared folder that is unmounted, full or briefly unreachable comes back like a database does; a
            // file that is simply not there will not.
            StoreError::Asset { source, .. } => source.kind() != std::io::ErrorKind::NotFound,
            // Likewise a bucket: a connection failure, a timeout, a 5xx or refused credentials can pass; an object
            // that is not there, or a name or setting the service rejects, will not.
            StoreError::Object { source, .. } => !matches!(
                source,
                object_store::Error::NotFound { .. }
                    | object_store::Error::InvalidPath { .. }
                    | object_store::Error::NotSupported { .. }
                    | object_store::Error::NotImplemented { .. }
                    | object_store::Error::UnknownConfigurationKey { .. }
            ),
            StoreError::CreateDir { .. } | StoreError::Migrate(_) => false,
            StoreError::UnsupportedUrl(_)
            | StoreError::Corrupt { .. }
            | StoreError::NotFound(_)
            | StoreError::Conflict(_) => false,
        }
    }
}
