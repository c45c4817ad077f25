//! Supervisors' reports (issue 12): the official working-day calendar, how soon policies got their
//! interpretations, whether each site's columns are kept up to date, and the report formats.
//!
//! Pure: no I/O, no clock. The store hands over [`PolicyFacts`] and [`Publication`]s, the caller passes the
//! period (and so "today"), and [`build`] returns a [`Report`] that [`format::render`] turns into Markdown, HTML,
//! CSV, JSON or XLSX bytes.
//!
//! Architecture invariant: pure; the period, "today" and the calendar are inputs, so the same facts give the same
//! report.

pub mod calendar;
pub mod config;
pub mod figures;
pub mod format;
pub mod freshness;
pub mod timeliness;
pub mod weekly;

pub use calendar::{CalendarError, DayKind, WorkCalendar};
pub use config::{ColumnConfig, ColumnKind, ReportConfig, SiteConfig};
pub use figures::{
    Figures, InterpretationFacts, PolicyFacts, PolicyLine, Report, ReportError, ReportRequest, UNASSIGNED, build,
    quarter_start,
};
pub use format::{Format, render};
pub use freshness::{ColumnFreshness, Publication};
pub use timeliness::Timeliness;
