//! Reading stored rows back into domain types, and the text encodings the schema uses.

use sqlx::Row;
use sqlx::any::AnyRow;
use tujie_model::{CoverageStatus, Document, Form, Timestamp};

use crate::StoreError;

/// A document as stored, with what the pipeline derived for it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocument {
    pub document: Document,
    /// The classified form (interpretations only).
    pub form: Option<Form>,
    /// The cue that decided the form, e.g. `title:一图读懂`.
    pub form_cue: Option<String>,
    /// Coverage status (policies only).
    pub coverage: Option<CoverageStatus>,
    pub withdrawn: bool,
    /// Monotonic change counter: the in-memory match index catches up by reading rows with a greater `rev`.
    pub rev: i64,
    /// When the stored version happened at the source (its event's `occurred_at`); re-applying the stored version
    /// must use it, or a newer upstream event could be refused as stale.
    pub source_at: Option<Timestamp>,
}

pub(crate) const DOCUMENT_COLUMNS: &str = "document_json, form, form_cue, coverage, withdrawn, rev, source_at";

impl StoredDocument {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let json: String = row.try_get("document_json")?;
        let document: Document =
            serde_json::from_str(&json).map_err(|e| corrupt("documents.document_json", e.to_string()))?;
        let form: Option<String> = row.try_get("form")?;
        let coverage: Option<String> = row.try_get("coverage")?;
        let source_at: Option<String> = row.try_get("source_at")?;
        Ok(StoredDocument {
            source_at: source_at.map(|s| parse_db_time("documents.source_at", &s)).transpose()?,
            form: form.as_deref().and_then(Form::parse),
            form_cue: row.try_get("form_cue")?,
            coverage: coverage.as_deref().and_then(parse_coverage),
            withdrawn: row.try_get::<i64, _>("withdrawn")? != 0,
            rev: row.try_get("rev")?,
            document,
        })
    }
}

pub(crate) fn parse_coverage(s: &str) -> Option<CoverageStatus> {
    [CoverageStatus::Rich, CoverageStatus::TextOnly, CoverageStatus::None].into_iter().find(|c| c.as_str() == s)
}

/// UTC RFC 3339 with a fixed width, so that text order is time order in both backends.
pub(crate) fn db_time(t: &Timestamp) -> String {
    t.0.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Like [`now`], with milliseconds: outbox claims are compared only with each other and with the claimer's clock,
/// and leases shorter than a few seconds would be coarse at whole seconds. Fixed width, so it still sorts as time.
pub(crate) fn lease_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `now()` plus `after`, in the same fixed-width form (for expiry times compared as text).
pub(crate) fn now_plus(after: std::time::Duration) -> String {
    let after = chrono::Duration::from_std(after).unwrap_or(chrono::Duration::MAX);
    let at = chrono::Utc::now().checked_add_signed(after).unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn parse_db_time(what: &str, s: &str) -> Result<Timestamp, StoreError> {
    Timestamp::parse(s).ok_or_else(|| corrupt(what, format!("`{s}` is not a timestamp")))
}

pub(crate) fn corrupt(what: &str, detail: String) -> StoreError {
    StoreError::Corrupt { what: what.to_owned(), detail }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain types serialise to JSON")
}
