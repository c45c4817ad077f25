//! `tujie video`: the 音视频解读 of one document (script, subtitles, narration, M4A, MP4), no database.

use std::process::ExitCode;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_media::video::{self, Request};
use tujie_render::Mode;

use crate::cli::VideoArgs;
use crate::commands::draft::{content_of, read_document};
use crate::context;

pub async fn video(cfg: &PipelineConfig, args: VideoArgs) -> anyhow::Result<ExitCode> {
    let doc = read_document(cfg, &args.file)?;
    let (content, source_text) = content_of(cfg, &doc, args.content.as_deref())?;
    let renderer = context::renderer(cfg)?;
    let media = cfg.media.clone();
    let mode = if args.approved { Mode::Approved } else { Mode::Draft };
    let out = args.out.clone();
    let site = doc.site.clone();
    // Speech, rendering and ffmpeg block: run them off the async runtime.
    let made = tokio::task::spawn_blocking(move || {
        let tts = tujie_media::from_config(&media);
        let req = Request {
            content: &content,
            source_text: source_text.as_deref(),
            site: site.as_deref(),
            mode,
            out_dir: &out,
        };
        video::make(&media, tts.as_ref(), &renderer, &req)
    })
    .await
    .context("the video task panicked")?
    .with_context(|| format!("cannot make the video of {}", doc.id))?;
    for w in &made.warnings {
        eprintln!("warning: {w}");
    }
    let t = made.timings;
    eprintln!(
        "wrote {} files to {} ({} sentences, {} cues, {} frames, {:.1} s of narration; speech {:.1} s, slides {:.1} s, encoding {:.1} s)",
        made.files.len(),
        args.out.display(),
        made.script.sentences.len(),
        made.cues.len(),
        made.frames,
        made.duration_ms as f64 / 1000.0,
        t.speech.as_secs_f64(),
        t.slides.as_secs_f64(),
        t.encoding.as_secs_f64(),
    );
    Ok(ExitCode::SUCCESS)
}
