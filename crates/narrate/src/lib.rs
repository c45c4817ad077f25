//! tujie-narrate: the 口播稿 of a draft and its subtitles, for the 音视频解读 (issue 15).
//!
//! Pure: no I/O, no clock. [`script::build`] turns [`tujie_model::InfographicContent`] into a narration whose
//! every sentence keeps its spans and has a written form (for subtitles and the faithfulness check) and a spoken
//! form ([`spoken::speak`]); [`subtitles`] times cues from the audio durations the edge crate (`tujie-media`)
//! measures. [`edit`] applies an editor's changes to a script. Speech synthesis, slides and video assembly live
//! there.
//!
//! Architecture invariant: pure; every number, date and 文号 of a script comes from the draft's content and keeps its
//! spans.

pub mod edit;
pub mod phrases;
pub mod script;
pub mod spoken;
pub mod subtitles;

pub use edit::{EditError, SentenceEdit};
pub use script::{Part, Phrase, Script, ScriptOptions, Sentence, Slide, Unsupported, build, check};
pub use subtitles::{CountMismatch, Cue, Timeline, cues, slide_times, srt, vtt};
