//! Domain types shared by every tujie crate.
//!
//! This crate is the vocabulary of the system: the documents the CMS publishes, the events that carry them,
//! the forms an interpretation can take, the links the matcher finds, the infographic content the text crate
//! extracts and the drafts editors review. It does no I/O and depends on no async runtime, so every other crate,
//! pure or not, can use it.
//!
//! Architecture invariant: pure types and checks shared by every crate; it depends on no other tujie crate.

pub mod content;
pub mod document;
pub mod draft;
pub mod event;
pub mod form;
pub mod link;
pub mod no_draft;
pub mod produced;
pub mod time;

pub use content::{Bullet, Cell, DateItem, Figure, InfographicContent, Section, SectionKind, Span, Step, Table};
pub use document::{Attachment, Document, DocumentKind, InterpretsRef, RelatedLink, SiteKind};
pub use draft::{DraftStatus, RenderedDraft};
pub use event::{EventType, FieldError, InboundEvent, ValidationError};
pub use form::Form;
pub use link::{CoverageStatus, Evidence, Link};
pub use no_draft::NoDraftReason;
pub use produced::{
    ApprovedVideo, CoverageChanged, DraftApproved, DraftCreated, DraftRejected, DraftSuperseded, MediaAsset,
    OutboundEvent, OutboundType, ProducedData, SupersedeReason,
};
pub use time::{Timestamp, display_date, display_time};
