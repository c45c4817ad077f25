//! Storage for tujie on SQLite (the embedded default) or PostgreSQL (production).
//!
//! One SQL dialect serves both backends through sqlx's `Any` driver: the statements use only what SQLite 3.35+
//! and PostgreSQL share (`$n` parameters, `ON CONFLICT`, `RETURNING`, partial indexes), timestamps are stored as
//! UTC RFC 3339 text and JSON as text. Only the migrations differ per backend (types, identity columns). This keeps
//! one implementation of every query instead of two that drift apart; the price is that PostgreSQL does not see
//! native `timestamptz`/`jsonb` columns, which nothing here needs.
//!
//! Every effect of one event is written by [`Store::apply`] in one transaction that first records the event id,
//! so a redelivered event changes nothing, and that also writes the produced events to the outbox. Reads are in
//! `queries.rs`; the outbox and its relays' claims in `outbox.rs`; editors' approvals and rejections in
//! `decisions.rs`; the review workspace's accounts, sessions and draft edits in `review.rs`; the per-department
//! report in `report.rs`; the drafts' 音视频解读 (script edits, render state, MP4/M4A/subtitles) in `videos.rs`;
//! drafts' files (inline, folder or S3 bucket) in `assets/`, and removing the ones no row names in `gc.rs`.
//!
//! Architecture invariant: the only crate that speaks SQL; one event is applied in one transaction, and produced
//! events leave only through the outbox.

mod apply;
mod assets;
mod config;
mod connect;
mod decisions;
mod error;
mod gc;
mod outbox;
mod queries;
mod report;
mod review;
mod rows;
mod videos;

pub use apply::{ApplyOutcome, Change, CoverageChange, DocumentAction, NewDocument, NewDraft};
pub use assets::AssetBackend;
pub use config::DatabaseConfig;
pub use connect::{Backend, Store};
pub use decisions::{PublishedImages, ReviewAction};
pub use error::StoreError;
pub use gc::GcReport;
pub use outbox::OutboxRow;
pub use queries::{CoverageInterpretation, CoverageRow, DraftAssets, DraftSummary};
pub use report::{DepartmentReport, MissingPolicy, ReportFacts, UNASSIGNED_DEPARTMENT};
pub use review::{
    DepartmentFilter, DraftDetail, DraftPolicy, EditedDraft, HistoryEntry, ReviewItem, Role, SaveOutcome, User,
};
pub use rows::StoredDocument;
pub use videos::{DraftVideo, ScriptSave, VideoFile, VideoFiles, VideoMade, VideoStatus};
