//! ffmpeg: the one external program that encodes. Slides come in as PNG frames with durations (the concat
//! demuxer), narration as WAV; out go an H.264/AAC MP4 (`yuv420p`, `+faststart`, so phones and 视频号 play it)
//! and an AAC M4A.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use crate::MediaError;

const INSTALL: &str = "install it with `apt-get install ffmpeg` (Debian) or point media.ffmpeg at an ffmpeg binary";

/// Fails with how to install ffmpeg when `program` cannot be run.
pub fn check(program: &str) -> Result<(), MediaError> {
    let out = Command::new(program).args(["-hide_banner", "-version"]).output().map_err(|e| missing(program, &e))?;
    if !out.status.success() {
        return Err(MediaError::MissingTool { program: program.into(), key: "ffmpeg", install: INSTALL.into() });
    }
    Ok(())
}

fn missing(program: &str, e: &std::io::Error) -> MediaError {
    if e.kind() == std::io::ErrorKind::NotFound {
        MediaError::MissingTool { program: program.into(), key: "ffmpeg", install: INSTALL.into() }
    } else {
        MediaError::Ffmpeg { step: "start", stderr: e.to_string() }
    }
}

/// The concat demuxer's list: each frame for its duration; the last frame is listed twice because the demuxer
/// ignores the duration of the final entry.
pub fn concat_list(frames: &[(String, f64)]) -> String {
    let mut out = String::from("ffconcat version 1.0\n");
    for (file, secs) in frames {
        out.push_str(&format!("file '{file}'\nduration {secs:.3}\n"));
    }
    if let Some((file, _)) = frames.last() {
        out.push_str(&format!("file '{file}'\n"));
    }
    out
}

/// Encoding settings.
#[derive(Debug, Clone)]
pub struct Encode<'a> {
    pub program: &'a str,
    pub fps: u32,
    pub preset: &'a str,
    pub audio_kbps: u32,
}

impl Encode<'_> {
    fn base(&self) -> Command {
        let mut c = Command::new(self.program);
        c.args(["-y", "-hide_banner", "-nostdin", "-loglevel", "error"]).stdout(Stdio::null()).stderr(Stdio::piped());
        c
    }

    /// Starts the audio-only M4A (AAC) of `wav`; finish it with [`wait`].
    pub fn spawn_audio(&self, wav: &Path, out: &Path) -> Result<Child, MediaError> {
        let mut c = self.base();
        c.arg("-i").arg(wav).args(["-c:a", "aac", "-b:a", &format!("{}k", self.audio_kbps), "-movflags", "+faststart"]);
        c.arg(out).spawn().map_err(|e| missing(self.program, &e))
    }

    /// The MP4: frames from the concat `list` (paths relative to it), sound from `wav`.
    pub fn video(&self, list: &Path, wav: &Path, out: &Path) -> Result<(), MediaError> {
        let mut c = self.base();
        c.args(["-f", "concat", "-safe", "0", "-i"]).arg(list).arg("-i").arg(wav);
        c.args(["-map", "0:v:0", "-map", "1:a:0", "-vf", &format!("fps={},format=yuv420p", self.fps)]);
        c.args(["-c:v", "libx264", "-preset", self.preset, "-tune", "stillimage", "-pix_fmt", "yuv420p"]);
        c.args(["-c:a", "aac", "-b:a", &format!("{}k", self.audio_kbps), "-movflags", "+faststart"]);
        let child = c.arg(out).spawn().map_err(|e| missing(self.program, &e))?;
        wait(child, "encode the video")
    }
}

/// Waits for an ffmpeg run and turns a failure into its stderr.
pub fn wait(child: Child, step: &'static str) -> Result<(), MediaError> {
    let Output { status, stderr, .. } =
        child.wait_with_output().map_err(|e| MediaError::Ffmpeg { step, stderr: e.to_string() })?;
    if status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&stderr);
    let lines: Vec<&str> = text.trim().lines().collect();
    Err(MediaError::Ffmpeg { step, stderr: lines[lines.len().saturating_sub(4)..].join(" / ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_list_repeats_the_last_frame() {
        let l = concat_list(&[("a.png".into(), 1.5), ("b.png".into(), 0.25)]);
        assert_eq!(
            l,
            "ffconcat version 1.0\nfile 'a.png'\nduration 1.500\nfile 'b.png'\nduration 0.250\nfile 'b.png'\n"
        );
    }
}
