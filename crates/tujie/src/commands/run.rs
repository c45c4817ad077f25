//! `tujie run`: everything the configuration enables. With a broker, the worker; without, the inbox folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use tujie_config::PipelineConfig;

use super::ingest::{Summary, ingest_file};
use crate::cli::RunArgs;
use crate::context;

pub async fn run(cfg: &PipelineConfig, args: RunArgs) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let pipeline = context::pipeline(cfg, store.clone(), true).await?;
    if cfg.pipeline.use_broker {
        if args.inbox.is_some() {
            anyhow::bail!("--inbox has no effect when pipeline.use_broker is true; events come from RabbitMQ");
        }
        // With --once, stop when the queue has been idle for a few seconds, like `tujie worker --until-idle 5`.
        let until_idle = args.once.then(|| Duration::from_secs(5));
        return super::worker::run_broker(cfg, pipeline, store, until_idle).await;
    }
    let inbox = args.inbox.unwrap_or_else(|| PathBuf::from(&cfg.pipeline.inbox_dir));
    std::fs::create_dir_all(&inbox).with_context(|| format!("cannot create the inbox folder {}", inbox.display()))?;
    eprintln!("processing *.jsonl event files in {} (database {})", inbox.display(), cfg.database.redacted().url);
    let shutdown = tujie_queue::shutdown_on_signals();
    let mut seen: HashMap<PathBuf, SystemTime> = HashMap::new();
    loop {
        let mut summary = Summary::default();
        let files = changed_files(&inbox, &mut seen)?;
        if files.is_empty() && args.once {
            eprintln!("no *.jsonl event files in {}; nothing to do", inbox.display());
        }
        for file in files {
            summary.add(ingest_file(&pipeline, &file.to_string_lossy()).await?);
        }
        if summary.applied + summary.duplicates + summary.failed > 0 {
            summary.report();
            let rows = store.coverage().await?;
            let missing = rows.iter().filter(|r| r.status != tujie_model::CoverageStatus::Rich).count();
            eprintln!("{} policies, {missing} without a rich interpretation; `tujie coverage` lists them", rows.len());
        }
        if args.once || shutdown.is_triggered() {
            pipeline.wait_for_videos().await;
            return Ok(if summary.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE });
        }
        tokio::select! {
            _ = shutdown.wait() => return Ok(ExitCode::SUCCESS),
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}

/// `*.jsonl` files that are new or modified since the last pass. Re-reading a file is harmless (events are
/// idempotent); this only saves work.
fn changed_files(dir: &Path, seen: &mut HashMap<PathBuf, SystemTime>) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let modified = std::fs::metadata(&path)?.modified()?;
            if seen.insert(path.clone(), modified) != Some(modified) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
