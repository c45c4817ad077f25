//! The `[database]` section of `pipeline.toml`.

use serde::{Deserialize, Serialize};

use crate::AssetBackend;

/// Where and how to store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user:pass@host/db`.
    pub url: String,
    /// Connection pool size (PostgreSQL, and SQLite readers; SQLite always writes through one connection).
    pub max_connections: u32,
    /// How long a SQLite connection waits for a lock before failing, in milliseconds.
    pub busy_timeout_ms: u64,
    /// How long to wait for a pooled connection before giving up, in milliseconds.
    pub acquire_timeout_ms: u64,
    /// Run pending migrations when the store opens.
    pub auto_migrate: bool,
    /// Where drafts' PNG files live: in the database row, or as files under `asset_dir`.
    pub asset_store: AssetBackend,
    /// The folder for `asset_store = "directory"`, shared by every process that reads or writes drafts.
    pub asset_dir: String,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://data/tujie.db".into(),
            max_connections: 8,
            busy_timeout_ms: 5_000,
            acquire_timeout_ms: 10_000,
            auto_migrate: true,
            asset_store: AssetBackend::Database,
            asset_dir: String::new(),
        }
    }
}

impl DatabaseConfig {
    /// Problems with this section, as `(key, problem)` pairs.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        if crate::Backend::from_url(&self.url).is_none() {
            errors
                .push(("url".into(), format!("`{}` must start with sqlite:// or postgres://", redact_url(&self.url))));
        }
        if self.max_connections == 0 {
            errors.push(("max_connections".into(), "must be at least 1".into()));
        }
        if self.acquire_timeout_ms == 0 {
            errors.push(("acquire_timeout_ms".into(), "must be greater than 0".into()));
        }
        if self.asset_store == AssetBackend::Directory && self.asset_dir.trim().is_empty() {
            errors.push(("asset_dir".into(), "must name a folder when asset_store = \"directory\"".into()));
        }
        errors
    }

    /// A copy safe to print: the password in the URL is masked.
    pub fn redacted(&self) -> Self {
        Self { url: redact_url(&self.url), ..self.clone() }
    }
}

/// Masks the password in `scheme://user:password@host/…`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((userinfo, host)) = rest.split_once('@') else { return url.to_owned() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}
