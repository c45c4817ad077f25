//! `[media]`: the speech backend, pauses, subtitle lines and the ffmpeg encoding of video drafts; `[video]`: when
//! the drafts' videos are made and how many at once.

use serde::{Deserialize, Serialize};

/// Which [`crate::Tts`] speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TtsBackend {
    /// Debian's espeak-ng with `voice` (Mandarin `cmn`): offline, robotic, everywhere.
    #[serde(rename = "espeak-ng")]
    EspeakNg,
    /// `command`: a program that reads the text on stdin and writes WAV on stdout.
    #[serde(rename = "command")]
    Command,
    /// `http_url`: POST the text (UTF-8 `text/plain`), receive WAV.
    #[serde(rename = "http")]
    Http,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    pub tts: TtsBackend,
    /// The espeak-ng program (a name on PATH or a path).
    pub espeak_program: String,
    /// espeak-ng voice.
    pub voice: String,
    /// espeak-ng speed in words per minute.
    pub rate_wpm: u32,
    /// Program and arguments for `tts = "command"`, e.g. `["/opt/tts/say", "--wav"]`.
    pub command: Vec<String>,
    /// `http://host:port/path` for `tts = "http"` (plain HTTP on the intranet; for HTTPS use `command` with curl).
    pub http_url: String,
    /// Seconds to wait for one phrase from the HTTP service.
    pub http_timeout_secs: u64,
    /// Silence between sentences, in milliseconds.
    pub sentence_pause_ms: u64,
    /// Items narrated per section (the rest stay on the image).
    pub max_items_per_section: usize,
    /// Characters per subtitle line (cues have at most two lines).
    pub line_chars: usize,
    /// The ffmpeg program.
    pub ffmpeg: String,
    /// Output frame rate; slides change on frame boundaries.
    pub fps: u32,
    /// libx264 preset (`ultrafast` … `veryslow`).
    pub x264_preset: String,
    /// AAC bit rate of the video's and the audio version's sound, kbit/s.
    pub audio_bitrate_kbps: u32,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            tts: TtsBackend::EspeakNg,
            espeak_program: "espeak-ng".into(),
            voice: "cmn".into(),
            rate_wpm: 260,
            command: Vec::new(),
            http_url: String::new(),
            http_timeout_secs: 30,
            sentence_pause_ms: 250,
            max_items_per_section: 3,
            line_chars: 16,
            ffmpeg: "ffmpeg".into(),
            fps: 10,
            x264_preset: "veryfast".into(),
            audio_bitrate_kbps: 96,
        }
    }
}

/// `[video]`: when the 音视频解读 of stored drafts is made, and how many renders run at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VideoConfig {
    /// Make the video and audio of every new image draft right after it is stored (in the background: a failure
    /// is recorded with the video and never holds up the image draft). Off: editors ask for it in the workspace,
    /// or `tujie video DRAFT_ID` makes it.
    pub auto: bool,
    /// Renders running at once in one process (the workspace's and the automatic ones together); the others wait.
    /// Each takes a speech engine, frame rendering on up to four threads and two ffmpeg processes.
    pub max_concurrent: usize,
}

impl Default for VideoConfig {
    fn default() -> Self {
        Self { auto: false, max_concurrent: 1 }
    }
}

impl VideoConfig {
    /// Every problem as `(key, message)`.
    pub fn validate(&self) -> Vec<(String, String)> {
        if (1..=16).contains(&self.max_concurrent) {
            Vec::new()
        } else {
            vec![("max_concurrent".into(), "must be between 1 and 16".into())]
        }
    }
}

const PRESETS: [&str; 9] =
    ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

impl MediaConfig {
    /// Every problem as `(key, message)`.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut e: Vec<(String, String)> = Vec::new();
        let mut need = |ok: bool, key: &str, msg: &str| {
            if !ok {
                e.push((key.into(), msg.into()));
            }
        };
        need(!self.espeak_program.trim().is_empty(), "espeak_program", "must not be empty");
        need(!self.voice.trim().is_empty(), "voice", "must not be empty (Mandarin is `cmn`)");
        need((80..=450).contains(&self.rate_wpm), "rate_wpm", "must be between 80 and 450");
        need(
            self.tts != TtsBackend::Command || self.command.first().is_some_and(|p| !p.trim().is_empty()),
            "command",
            "must name a program when tts = \"command\"",
        );
        need(
            self.tts != TtsBackend::Http || self.http_url.starts_with("http://"),
            "http_url",
            "must be an http:// URL when tts = \"http\" (for https use tts = \"command\" with curl)",
        );
        need((1..=600).contains(&self.http_timeout_secs), "http_timeout_secs", "must be between 1 and 600");
        need(self.sentence_pause_ms <= 2000, "sentence_pause_ms", "must be at most 2000");
        need((1..=20).contains(&self.max_items_per_section), "max_items_per_section", "must be between 1 and 20");
        need((8..=30).contains(&self.line_chars), "line_chars", "must be between 8 and 30");
        need(!self.ffmpeg.trim().is_empty(), "ffmpeg", "must not be empty");
        need((1..=60).contains(&self.fps), "fps", "must be between 1 and 60");
        need(PRESETS.contains(&self.x264_preset.as_str()), "x264_preset", "must be a libx264 preset such as veryfast");
        need((32..=320).contains(&self.audio_bitrate_kbps), "audio_bitrate_kbps", "must be between 32 and 320");
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_errors_name_keys() {
        assert!(MediaConfig::default().validate().is_empty());
        let bad = MediaConfig { tts: TtsBackend::Http, fps: 0, ..MediaConfig::default() };
        let keys: Vec<String> = bad.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["http_url", "fps"]);
        assert!(VideoConfig::default().validate().is_empty());
        let keys: Vec<String> = VideoConfig { max_concurrent: 0, ..VideoConfig::default() }
            .validate()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["max_concurrent"]);
    }
}
