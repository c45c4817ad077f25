//! `tujie reconcile`: one reconciliation pass (relink policies and draft those still lacking a rich interpretation).

use std::process::ExitCode;

use anyhow::Context as _;
use tujie_config::PipelineConfig;

use crate::context;

/// `tujie reconcile`: one pass, a summary on stderr, and the ids of drafts made on stdout. Exits 1 when a policy
/// could not be re-processed.
pub async fn reconcile(cfg: &PipelineConfig) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let pipeline = context::pipeline(cfg, store, true).await?;
    let pass = pipeline.reconcile().await.context("the reconciliation pass stopped")?;
    pipeline.wait_for_videos().await;
    for draft in &pass.drafts_created {
        println!("{draft}");
    }
    for (policy, error) in &pass.failed {
        eprintln!("tujie: policy {policy} could not be re-processed: {error}");
    }
    eprintln!(
        "reconciled: {} policies without a rich interpretation examined, {} relinked, {} drafts made, {} failed",
        pass.examined,
        pass.relinked.len(),
        pass.drafts_created.len(),
        pass.failed.len()
    );
    Ok(if pass.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
