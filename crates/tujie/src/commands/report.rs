//! `tujie report`: per-department counts for supervisors.

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde::Serialize;
use tujie_config::PipelineConfig;
use tujie_model::CoverageStatus;

use crate::cli::Format;
use crate::{context, output};

#[derive(Debug, Default, Serialize)]
struct DepartmentLine {
    department: String,
    policies: usize,
    rich: usize,
    text_only: usize,
    none: usize,
    drafts_pending_review: usize,
    /// Policies without a rich interpretation, for follow-up.
    missing: Vec<String>,
}

pub async fn report(cfg: &PipelineConfig, format: Format) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let pending: std::collections::HashSet<String> =
        store.drafts(Some(tujie_model::DraftStatus::Pending)).await?.into_iter().map(|d| d.policy_id).collect();
    let mut by_department: BTreeMap<String, DepartmentLine> = BTreeMap::new();
    for row in store.coverage().await? {
        let department = row.department.clone().unwrap_or_else(|| "（未标注责任单位）".to_owned());
        let line = by_department
            .entry(department.clone())
            .or_insert_with(|| DepartmentLine { department, ..Default::default() });
        line.policies += 1;
        match row.status {
            CoverageStatus::Rich => line.rich += 1,
            CoverageStatus::TextOnly => line.text_only += 1,
            CoverageStatus::None => line.none += 1,
        }
        if row.status != CoverageStatus::Rich {
            line.missing.push(row.policy_id.clone());
        }
        line.drafts_pending_review += usize::from(pending.contains(&row.policy_id));
    }
    let lines: Vec<DepartmentLine> = by_department.into_values().collect();
    match format {
        Format::Jsonl => output::jsonl(&lines)?,
        Format::Table => output::table(
            &["department", "policies", "rich", "text_only", "none", "drafts_pending_review"],
            &lines
                .iter()
                .map(|l| {
                    vec![
                        l.department.clone(),
                        l.policies.to_string(),
                        l.rich.to_string(),
                        l.text_only.to_string(),
                        l.none.to_string(),
                        l.drafts_pending_review.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
