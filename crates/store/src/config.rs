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
    /// Where drafts' PNG files live: in the database row, as files under `asset_dir`, or as objects in `s3_bucket`.
    pub asset_store: AssetBackend,
    /// The folder for `asset_store = "directory"`, shared by every process that reads or writes drafts.
    pub asset_dir: String,
    /// The service for `asset_store = "s3"`: `https://host[:port]`; empty means AWS itself (from `s3_region`).
    pub s3_endpoint: String,
    /// The bucket (it must exist; tujie never creates or configures buckets).
    pub s3_bucket: String,
    /// The region the request signatures name. MinIO and most self-hosted services accept `us-east-1`.
    pub s3_region: String,
    /// The folder-like prefix our objects are named under, so a bucket can be shared (and `tujie assets gc`
    /// only ever looks under it). Empty means the bucket's root.
    pub s3_prefix: String,
    /// The access key; empty means `AWS_ACCESS_KEY_ID` from the environment, or the instance's role.
    pub s3_access_key_id: String,
    /// The secret key belonging to `s3_access_key_id` (better set through `TUJIE__DATABASE__S3_SECRET_ACCESS_KEY`).
    pub s3_secret_access_key: String,
    /// Allow an `http://` endpoint: only for a service on the same host or a private network.
    pub s3_allow_http: bool,
    /// `https://bucket.host/key` (Alibaba Cloud OSS requires it) instead of path style `https://host/bucket/key`
    /// (MinIO's default). With it on, `s3_endpoint` includes the bucket.
    pub s3_virtual_hosted_style: bool,
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
            s3_endpoint: String::new(),
            s3_bucket: String::new(),
            s3_region: "us-east-1".into(),
            s3_prefix: "drafts".into(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            s3_allow_http: false,
            s3_virtual_hosted_style: false,
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
        if self.asset_store == AssetBackend::S3 {
            errors.extend(self.s3_problems());
        }
        errors
    }

    /// Problems with the `s3_*` keys, checked when `asset_store = "s3"`.
    fn s3_problems(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        let mut push = |key: &str, problem: String| errors.push((key.to_owned(), problem));
        if self.s3_bucket.trim().is_empty() {
            push("s3_bucket", "must name a bucket when asset_store = \"s3\"".into());
        }
        if self.s3_region.trim().is_empty() {
            push("s3_region", "must name a region (MinIO and most self-hosted services accept \"us-east-1\")".into());
        }
        let endpoint = self.s3_endpoint.as_str();
        if !endpoint.is_empty() && !endpoint.starts_with("https://") && !endpoint.starts_with("http://") {
            push("s3_endpoint", format!("`{endpoint}` must start with https:// (or http:// with s3_allow_http)"));
        } else if endpoint.starts_with("http://") && !self.s3_allow_http {
            push("s3_endpoint", format!("`{endpoint}` is plain HTTP; use https://, or set s3_allow_http = true"));
        }
        if self.s3_prefix.starts_with('/') || self.s3_prefix.ends_with('/') || self.s3_prefix.contains("//") {
            push("s3_prefix", format!("`{}` must not start or end with / or contain //", self.s3_prefix));
        }
        match (self.s3_access_key_id.is_empty(), self.s3_secret_access_key.is_empty()) {
            (false, true) => push("s3_secret_access_key", "must be set when s3_access_key_id is".into()),
            (true, false) => push("s3_access_key_id", "must be set when s3_secret_access_key is".into()),
            _ => {}
        }
        errors
    }

    /// A copy safe to print: the password in the URL and the S3 secret key are masked.
    pub fn redacted(&self) -> Self {
        let secret = if self.s3_secret_access_key.is_empty() { "" } else { "***" };
        Self { url: redact_url(&self.url), s3_secret_access_key: secret.into(), ..self.clone() }
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
