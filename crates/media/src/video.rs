//! One 音视频解读 draft from one draft's content: script → speech (phrase by phrase) → subtitles timed from the
//! audio → one frame per cue (slide + subtitle) → MP4 and M4A.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use tujie_model::InfographicContent;
use tujie_narrate::{Cue, Script, ScriptOptions, Slide, Timeline};
use tujie_render::{Mode, Renderer, SlideCard};

use crate::config::MediaConfig;
use crate::ffmpeg::{self, Encode};
use crate::{MediaError, Tts, Wav};

/// Files written into the output folder.
pub const SCRIPT_TXT: &str = "script.txt";
pub const SCRIPT_JSON: &str = "script.json";
pub const SRT: &str = "subtitles.srt";
pub const VTT: &str = "subtitles.vtt";
pub const WAV: &str = "narration.wav";
pub const M4A: &str = "audio.m4a";
pub const MP4: &str = "video.mp4";

/// What to make and how.
#[derive(Debug)]
pub struct Request<'a> {
    pub content: &'a InfographicContent,
    /// The source text the content's spans point into; when given, the script must pass the faithfulness check.
    pub source_text: Option<&'a str>,
    pub site: Option<&'a str>,
    pub mode: Mode,
    pub out_dir: &'a Path,
    /// The 口播稿 to speak (an editor's edit of it); `None` builds it from `content`. Checked like a built one.
    pub script: Option<&'a Script>,
}

/// Wall-clock time of each stage.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    pub speech: Duration,
    pub slides: Duration,
    pub encoding: Duration,
}

/// What was made.
#[derive(Debug, Clone, Serialize)]
pub struct Made {
    pub script: Script,
    pub cues: Vec<Cue>,
    /// Length of the narration (and of the video), milliseconds.
    pub duration_ms: u64,
    pub frames: usize,
    pub files: Vec<PathBuf>,
    pub warnings: Vec<String>,
    pub timings: Timings,
}

/// Makes the script, subtitles, narration, audio version and video of `req.content` in `req.out_dir`.
pub fn make(cfg: &MediaConfig, tts: &dyn Tts, renderer: &Renderer, req: &Request<'_>) -> Result<Made, MediaError> {
    let problems = cfg.validate();
    if !problems.is_empty() {
        return Err(MediaError::Config(problems));
    }
    ffmpeg::check(&cfg.ffmpeg)?;
    let script = match req.script {
        Some(script) => script.clone(),
        None => tujie_narrate::build(req.content, &script_options(cfg)),
    };
    if let Some(source) = req.source_text {
        let bad = tujie_narrate::check(&script, req.content, source);
        if !bad.is_empty() {
            return Err(MediaError::Unfaithful(bad));
        }
    }
    std::fs::create_dir_all(req.out_dir).map_err(|e| MediaError::io("create", req.out_dir, e))?;
    let mut timings = Timings::default();

    let started = Instant::now();
    let (narration, timeline) = speak(cfg, tts, &script)?;
    timings.speech = started.elapsed();
    let cues = tujie_narrate::cues(&script, &timeline, cfg.line_chars);
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, MediaError> {
        let path = req.out_dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| MediaError::io("write", &path, e))?;
        Ok(path)
    };
    let record = serde_json::json!({ "script": script, "cues": cues });
    let mut files = vec![
        write(SCRIPT_TXT, script.to_text().as_bytes())?,
        write(SCRIPT_JSON, serde_json::to_string_pretty(&record).unwrap_or_default().as_bytes())?,
        write(SRT, tujie_narrate::srt(&cues).as_bytes())?,
        write(VTT, tujie_narrate::vtt(&cues).as_bytes())?,
        write(WAV, &narration.to_bytes())?,
    ];

    let started = Instant::now();
    let frames_dir = tempdir_in(req.out_dir)?;
    let (frames, warnings) = render_frames(renderer, req, &cues, &frames_dir)?;
    timings.slides = started.elapsed();

    let started = Instant::now();
    let enc =
        Encode { program: &cfg.ffmpeg, fps: cfg.fps, preset: &cfg.x264_preset, audio_kbps: cfg.audio_bitrate_kbps };
    let list = frames_dir.join("frames.txt");
    std::fs::write(&list, ffmpeg::concat_list(&frames)).map_err(|e| MediaError::io("write", &list, e))?;
    let (wav, m4a, mp4) = (req.out_dir.join(WAV), req.out_dir.join(M4A), req.out_dir.join(MP4));
    let audio = enc.spawn_audio(&wav, &m4a)?;
    let video = enc.video(&list, &wav, &mp4);
    let audio = ffmpeg::wait(audio, "encode the audio version");
    let _ = std::fs::remove_dir_all(&frames_dir);
    video?;
    audio?;
    timings.encoding = started.elapsed();
    files.extend([m4a, mp4]);
    Ok(Made { duration_ms: timeline.total_ms(), frames: frames.len(), script, cues, files, warnings, timings })
}

/// How `cfg` shapes a script built from content.
pub fn script_options(cfg: &MediaConfig) -> ScriptOptions {
    ScriptOptions { max_items_per_section: cfg.max_items_per_section, line_chars: cfg.line_chars }
}

/// Synthesises every phrase, in order, and joins them with the sentence pauses.
fn speak(cfg: &MediaConfig, tts: &dyn Tts, script: &Script) -> Result<(Wav, Timeline), MediaError> {
    let mut parts = Vec::new();
    for (_, phrase) in script.phrases() {
        parts.push(tts.synthesize(&phrase.spoken)?);
    }
    let format = parts.first().map(|w| w.format).ok_or_else(|| MediaError::BadAudio {
        origin: tts.name().into(),
        reason: "the script has no phrase to speak".into(),
    })?;
    let rate = u64::from(format.sample_rate);
    let pause = cfg.sentence_pause_ms * rate / 1000;
    let durations: Vec<u64> = parts.iter().map(Wav::frames).collect();
    let timeline = Timeline::new(script, &durations, pause, format.sample_rate)?;
    let mut narration = Wav { format, data: Vec::new() };
    for (part, silence) in parts.iter().zip(&timeline.pauses) {
        narration.append(part, *silence)?;
    }
    Ok((narration, timeline))
}

fn card(slide: Slide) -> SlideCard {
    match slide {
        Slide::Title => SlideCard::Title,
        Slide::Section(i) => SlideCard::Section(i),
        Slide::Closing => SlideCard::Closing,
    }
}

/// Frame files (relative to their folder) with how long each is shown, in seconds.
type Frames = Vec<(String, f64)>;

/// One PNG per cue, rendered on two threads; returns (file name, seconds) in order and the layout warnings.
fn render_frames(
    renderer: &Renderer,
    req: &Request<'_>,
    cues: &[Cue],
    dir: &Path,
) -> Result<(Frames, Vec<String>), MediaError> {
    let render = |i: usize, cue: &Cue| -> Result<Vec<String>, MediaError> {
        let draft = renderer.slide_svg(req.content, card(cue.slide), &cue.lines, req.site, req.mode)?;
        let png = renderer.rasterize(&draft.svg, draft_width())?;
        let path = dir.join(frame_name(i));
        std::fs::write(&path, png).map_err(|e| MediaError::io("write", &path, e))?;
        Ok(draft.warnings)
    };
    let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 4);
    let results: Vec<Result<Vec<String>, MediaError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    cues.iter().enumerate().skip(w).step_by(workers).map(|(i, c)| (i, render(i, c))).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, Result<Vec<String>, MediaError>)> =
            handles.into_iter().flat_map(|h| h.join().expect("frame renderer panicked")).collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    });
    let mut warnings = Vec::new();
    for r in results {
        for w in r? {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    }
    let frames = cues
        .iter()
        .enumerate()
        .map(|(i, c)| (frame_name(i), c.end_ms.saturating_sub(c.start_ms) as f64 / 1000.0))
        .collect();
    Ok((frames, warnings))
}

/// Frames are 1080 pixels wide (the layout's own width), 1920 high.
fn draft_width() -> u32 {
    1080
}

fn frame_name(i: usize) -> String {
    format!("f{i:05}.png")
}

/// A fresh working folder inside `parent`, removed after encoding.
fn tempdir_in(parent: &Path) -> Result<PathBuf, MediaError> {
    let dir = parent.join(format!(".frames-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| MediaError::io("create", &dir, e))?;
    Ok(dir)
}
