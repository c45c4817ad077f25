//! tujie-media: the I/O edge of the 音视频解读 (issue 15). The pure parts live elsewhere: the script and subtitle
//! timing in `tujie-narrate`, the slides in `tujie-render`. Here: speech through the [`Tts`] trait (espeak-ng,
//! a command, an HTTP service), WAV parsing and joining ([`wav`]), and ffmpeg ([`ffmpeg`]); [`video::make`] ties
//! them together; [`drafts::VideoDrafts`] makes and records the videos of stored drafts (the workspace, `tujie
//! video DRAFT_ID`, `[video] auto`).
//!
//! Architecture invariant: the only crate that runs speech engines and ffmpeg; it never changes the content it is
//! given, and refuses a script the faithfulness check rejects.

pub mod config;
pub mod drafts;
pub mod error;
pub mod ffmpeg;
pub mod tts;
pub mod video;
pub mod wav;

pub use config::{MediaConfig, TtsBackend, VideoConfig};
pub use drafts::{MadeVideo, VideoDraftError, VideoDrafts};
pub use error::MediaError;
pub use tts::{Http, Process, Tts, from_config};
pub use video::{Made, Request, Timings, make};
pub use wav::{Format, Wav};
