//! Which policies does an interpretation (政策解读) interpret, and in what form is it?
//!
//! The pipeline keeps one [`MatchIndex`] in memory: every stored policy and interpretation is inserted at start-up
//! and new documents are upserted as their events arrive. [`MatchIndex::links_for`] answers both directions, so an
//! interpretation that arrives before its policy is still linked when the policy comes ("late arrival").
//!
//! A link is only made on evidence that names the policy: an explicit link, a 文号, the title in 《》, the title
//! with its wrappers removed, or a title listed on the policy page. Fuzzy character overlap can find candidates
//! and can, when very high, carry a match, but guards (another year or batch, a 批复 instead of the plan, a
//! 国务院常务会议 readout, a draft, another jurisdiction, a publication date far from the policy's) push near
//! misses below the acceptance score. Every signal is kept as [`tujie_model::Evidence`] so a link can be explained.
//!
//! The crate does no I/O: callers parse events and read files; this crate only scores.
//!
//! Architecture invariant: pure (no tokio, sqlx, lapin, clock or environment); a link decision depends only on the
//! two documents, the index and the configuration.

mod body;
mod config;
pub mod eval;
mod explain;
mod features;
mod form;
mod hash;
mod index;
mod multimap;
mod score;
mod title;

pub use config::{MatcherConfig, Weights};
pub use explain::{CandidateExplanation, Deciding, Explanation, SIGNALS, describe_signal};
pub use form::{FormDecision, classify_form};
pub use index::MatchIndex;
