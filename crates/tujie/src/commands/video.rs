//! `tujie video`: the 音视频解读 (script, subtitles, narration, M4A, MP4) of one document, with no database, or of
//! one stored draft, from its current content and 口播稿, recorded as the draft's video.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_media::video::{self, Made, Request};

use crate::cli::VideoArgs;
use crate::commands::draft::{content_of, read_document};
use crate::context;

pub async fn video(cfg: &PipelineConfig, args: VideoArgs) -> anyhow::Result<ExitCode> {
    if !args.file.exists() {
        return stored(cfg, &args).await;
    }
    let doc = read_document(cfg, &args.file)?;
    let (content, source_text) = content_of(cfg, &doc, args.draw.content.as_deref())?;
    let renderer = context::renderer(cfg)?;
    let media = cfg.media.clone();
    let mode = args.draw.mode();
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
            script: None,
        };
        video::make(&media, tts.as_ref(), &renderer, &req)
    })
    .await
    .context("the video task panicked")?
    .with_context(|| format!("cannot make the video of {}", doc.id))?;
    summary(&made, &args.out);
    Ok(ExitCode::SUCCESS)
}

/// `tujie video DRAFT_ID`: through the same recorded path as the workspace's 生成视频.
async fn stored(cfg: &PipelineConfig, args: &VideoArgs) -> anyhow::Result<ExitCode> {
    let draft_id = args.file.to_string_lossy().into_owned();
    if args.draw.content.is_some() || args.draw.approved {
        anyhow::bail!(
            "--content and --approved apply to a file; a stored draft is narrated from its current content and \
             口播稿 (edit them in the workspace) and drawn as a draft until it is approved"
        );
    }
    let store = context::open_store(cfg).await?;
    if store.draft_detail(&draft_id).await?.is_none() {
        anyhow::bail!("{draft_id} is neither a file nor a stored draft (`tujie drafts list` shows the drafts)");
    }
    let videos = context::videos(cfg, store.clone(), context::renderer(cfg)?);
    let result = videos.make(&draft_id, "cli", &args.out).await;
    store.close().await;
    let done = result
        .map_err(|e| anyhow::anyhow!("{}", e.reason()))
        .with_context(|| format!("cannot make the video of draft {draft_id} (recorded with the draft's video)"))?;
    summary(&done.made, &args.out);
    if done.stored {
        eprintln!("recorded as the video of draft {draft_id}");
    } else {
        eprintln!("not recorded: a newer request for the video of draft {draft_id} came in meanwhile");
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(made: &Made, out: &Path) {
    for w in &made.warnings {
        eprintln!("warning: {w}");
    }
    let t = made.timings;
    eprintln!(
        "wrote {} files to {} ({} sentences, {} cues, {} frames, {:.1} s of narration; speech {:.1} s, slides {:.1} s, encoding {:.1} s)",
        made.files.len(),
        out.display(),
        made.script.sentences.len(),
        made.cues.len(),
        made.frames,
        made.duration_ms as f64 / 1000.0,
        t.speech.as_secs_f64(),
        t.slides.as_secs_f64(),
        t.encoding.as_secs_f64(),
    );
}
