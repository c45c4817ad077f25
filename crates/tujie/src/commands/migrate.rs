//! `tujie migrate`: brings the database schema up to date.

use std::process::ExitCode;

use tujie_config::PipelineConfig;

use crate::context;

pub async fn migrate(cfg: &PipelineConfig) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    store.migrate().await?;
    eprintln!("database is up to date ({})", cfg.database.redacted().url);
    Ok(ExitCode::SUCCESS)
}
