//! `tujie ingest`: JSON Lines through the pipeline, reporting bad lines by number and carrying on.

use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_pipeline::{Outcome, Pipeline};

use crate::context;

/// Counts from one ingest.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub applied: usize,
    pub duplicates: usize,
    /// Versions older than the stored one: recorded, no other effect.
    pub stale: usize,
    pub failed: usize,
    pub drafts: usize,
}

impl Summary {
    pub fn add(&mut self, other: Summary) {
        self.applied += other.applied;
        self.duplicates += other.duplicates;
        self.stale += other.stale;
        self.failed += other.failed;
        self.drafts += other.drafts;
    }

    pub fn report(&self) {
        eprintln!(
            "ingested {} events: {} applied, {} duplicates, {} stale, {} failed; {} drafts created",
            self.applied + self.duplicates + self.stale + self.failed,
            self.applied,
            self.duplicates,
            self.stale,
            self.failed,
            self.drafts
        );
    }
}

pub async fn ingest(cfg: &PipelineConfig, files: &[String], drafts: bool) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let pipeline = context::pipeline(cfg, store, drafts).await?;
    let mut total = Summary::default();
    for file in files {
        total.add(ingest_file(&pipeline, file).await?);
    }
    // The videos `[video] auto` asked for render in the background; let them finish before exiting.
    pipeline.wait_for_videos().await;
    total.report();
    Ok(if total.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Ingests one file (`-` for stdin).
pub async fn ingest_file(pipeline: &Pipeline, file: &str) -> anyhow::Result<Summary> {
    let reader: Box<dyn BufRead> = if file == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?))
    };
    let mut summary = Summary::default();
    for (index, line) in reader.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("cannot read {file}"))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match handle_with_retry(pipeline, &line).await {
            Ok(Outcome::Duplicate) => summary.duplicates += 1,
            Ok(Outcome::Stale) => summary.stale += 1,
            Ok(Outcome::Applied { draft_created, .. }) => {
                summary.applied += 1;
                summary.drafts += usize::from(draft_created.is_some());
            }
            Err(e) => {
                summary.failed += 1;
                eprintln!("{file}:{}: {e}", index + 1);
            }
        }
    }
    Ok(summary)
}

/// Retries transient failures (database busy or restarting) a few times, as the worker would.
pub(crate) async fn handle_with_retry(
    pipeline: &Pipeline,
    line: &[u8],
) -> Result<Outcome, tujie_pipeline::PipelineError> {
    let mut delay = Duration::from_millis(200);
    for _ in 0..5 {
        match pipeline.handle_bytes(line).await {
            Err(e) if e.is_transient() => {
                tracing::warn!(error = %e, "transient failure, retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other,
        }
    }
    pipeline.handle_bytes(line).await
}
