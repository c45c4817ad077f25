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
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
}

impl StoreError {
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
                    // SQLITE_BUSY / SQLITE_LOCKED; PostgreSQL serialization, deadlock, shutdown and connection classes.
                    let code = db.code().unwrap_or_default();
                    matches!(code.as_ref(), "5" | "6" | "40001" | "40P01" | "57P01" | "57P02" | "57P03")
                        || code.starts_with("08")
                }
                _ => false,
            },
            StoreError::CreateDir { .. } | StoreError::Migrate(_) => false,
            StoreError::UnsupportedUrl(_)
            | StoreError::Corrupt { .. }
            | StoreError::NotFound(_)
            | StoreError::Conflict(_) => false,
        }
    }
}
