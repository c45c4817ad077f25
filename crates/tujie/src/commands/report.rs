//! `tujie report`: per-department counts for supervisors (the same figures as the review workspace's 统计报表,
//! from `Store::department_report`).

use std::process::ExitCode;

use tujie_config::PipelineConfig;

use crate::cli::Format;
use crate::{context, output};

pub async fn report(cfg: &PipelineConfig, format: Format) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let lines = store.department_report().await?;
    match format {
        Format::Jsonl => output::jsonl(&lines)?,
        Format::Table => output::table(
            &[
                "department",
                "policies",
                "rich",
                "text_only",
                "none",
                "text_missing",
                "drafts_pending_review",
                "drafts_approved",
            ],
            &lines
                .iter()
                .map(|l| {
                    vec![
                        l.department.clone(),
                        l.policies.to_string(),
                        l.rich.to_string(),
                        l.text_only.to_string(),
                        l.none.to_string(),
                        l.text_missing.to_string(),
                        l.drafts_pending_review.to_string(),
                        l.drafts_approved.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
