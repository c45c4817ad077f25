//! Why a video or audio draft could not be made, classified so callers know whether trying again helps.

use tujie_narrate::{CountMismatch, Unsupported};
use tujie_render::RenderError;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The `[media]` configuration is unusable: `(key, problem)` pairs, every one at once.
    #[error("invalid [media] configuration: {}", .0.iter().map(|(k, p)| format!("media.{k}: {p}")).collect::<Vec<_>>().join("; "))]
    Config(Vec<(String, String)>),
    /// A program the configuration names is not installed.
    #[error("`{program}` (media.{key}) was not found: {install}")]
    MissingTool { program: String, key: &'static str, install: String },
    /// The speech backend failed on a phrase.
    #[error("speech backend `{backend}` failed: {reason}")]
    Tts { backend: String, reason: String, retryable: bool },
    /// Audio that is not linear-PCM WAV, or phrases in different formats.
    #[error("bad audio from {origin}: {reason}")]
    BadAudio { origin: String, reason: String },
    /// ffmpeg exited with an error; `stderr` is its last lines.
    #[error("ffmpeg failed to {step}: {stderr}")]
    Ffmpeg { step: &'static str, stderr: String },
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: String, source: std::io::Error },
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Timing(#[from] CountMismatch),
    /// The script says a number, date or 文号 the source lacks (an edited script).
    #[error("the script is not faithful to the source: {}", .0.iter().map(|u| format!("「{}」: {}", u.written, u.tokens.join(", "))).collect::<Vec<_>>().join("; "))]
    Unfaithful(Vec<Unsupported>),
}

impl MediaError {
    /// Whether the same request could succeed later: only a speech service that timed out or answered 5xx.
    pub fn is_retryable(&self) -> bool {
        matches!(self, MediaError::Tts { retryable: true, .. })
    }

    /// Whether an operator must install or configure something (as opposed to bad input).
    pub fn is_setup(&self) -> bool {
        matches!(self, MediaError::Config(_) | MediaError::MissingTool { .. })
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        MediaError::Io { action, path: path.display().to_string(), source }
    }
}
