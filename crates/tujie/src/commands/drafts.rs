//! `tujie drafts`: list, export and review stored drafts.

use std::process::ExitCode;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_model::DraftStatus;
use tujie_store::{ReviewAction, VideoFile};

use crate::cli::{DraftsCommand, Format};
use crate::commands::draft::safe_file_stem;
use crate::{context, output};

pub async fn drafts(cfg: &PipelineConfig, cmd: DraftsCommand) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    match cmd {
        DraftsCommand::List(args) => {
            let status = match args.status.as_deref() {
                None => None,
                Some(s) => Some(DraftStatus::parse(s).with_context(|| {
                    format!("--status `{s}` is not one of pending, approved, rejected, superseded")
                })?),
            };
            let rows = store.drafts(status).await?;
            match args.format {
                Format::Jsonl => output::jsonl(&rows)?,
                Format::Table => output::table(
                    &["draft_id", "policy_id", "status", "template", "warnings", "created_at"],
                    &rows
                        .iter()
                        .map(|d| {
                            vec![
                                d.draft_id.clone(),
                                d.policy_id.clone(),
                                d.status.as_str().to_owned(),
                                d.template.clone(),
                                d.warnings.len().to_string(),
                                tujie_model::display_time(&d.created_at),
                            ]
                        })
                        .collect::<Vec<_>>(),
                )?,
            }
        }
        DraftsCommand::Export { draft_id, out } => {
            let assets = store.draft_assets(&draft_id).await?.with_context(|| format!("no draft `{draft_id}`"))?;
            std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
            let stem = safe_file_stem(&draft_id);
            for (ext, bytes) in [
                ("svg", assets.rendered.svg.as_bytes()),
                ("png", &assets.rendered.png[..]),
                ("preview.png", &assets.rendered.preview_png[..]),
                ("json", assets.content_json.as_bytes()),
            ] {
                let path = out.join(format!("{stem}.{ext}"));
                std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            }
            eprintln!("wrote {}/{stem}.{{svg,png,preview.png,json}}", out.display());
            // The files of its 音视频解读, when one was made.
            let mut video = Vec::new();
            for (ext, file) in
                [("mp4", VideoFile::Mp4), ("m4a", VideoFile::M4a), ("vtt", VideoFile::Vtt), ("srt", VideoFile::Srt)]
            {
                if let Some(bytes) = store.video_file(&draft_id, file).await? {
                    let path = out.join(format!("{stem}.{ext}"));
                    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
                    video.push(ext);
                }
            }
            if !video.is_empty() {
                eprintln!("wrote {}/{stem}.{{{}}} (its video)", out.display(), video.join(","));
            }
        }
        DraftsCommand::Approve(args) | DraftsCommand::Reject(args) if args.draft_id.is_empty() => {
            anyhow::bail!("a draft id is required")
        }
        DraftsCommand::Approve(args) => {
            // Approved drafts are drawn again without the draft mark, as in the workspace.
            let detail =
                store.draft_detail(&args.draft_id).await?.with_context(|| format!("no draft `{}`", args.draft_id))?;
            let renderer = context::renderer(cfg)?;
            let videos = context::videos(cfg, store.clone(), renderer.clone());
            let comment = args.comment.as_deref();
            tujie_review::publish::approve_with_video(&store, &renderer, Some(&videos), &detail, &args.by, comment)
                .await?;
            eprintln!("draft {} approved; its images no longer carry the draft mark", args.draft_id);
            if let Some(made) = store.draft_video(&args.draft_id).await?.and_then(|v| v.made).filter(|m| m.approved) {
                eprintln!(
                    "its video ({:.1} s) was published with it, without the draft mark",
                    made.duration_ms as f64 / 1000.0
                );
            }
        }
        DraftsCommand::Reject(args) => {
            store.review(&args.draft_id, ReviewAction::Reject, &args.by, args.comment.as_deref()).await?;
            eprintln!("draft {} rejected", args.draft_id);
        }
    }
    Ok(ExitCode::SUCCESS)
}
