//! `tujie coverage`: one line per policy (the table fits 120 columns; `--format jsonl` has every field).

use std::process::ExitCode;

use serde::Serialize;
use tujie_config::PipelineConfig;
use tujie_store::CoverageRow;

use crate::cli::Format;
use crate::{context, output};

#[derive(Serialize)]
struct Line<'a> {
    policy_id: &'a str,
    site: Option<&'a str>,
    title: &'a str,
    status: &'a str,
    interpretations: Vec<Interp<'a>>,
    draft_id: Option<&'a str>,
    /// Why there is no draft; absent when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_draft: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fetched_from: &'a [String],
}

#[derive(Serialize)]
struct Interp<'a> {
    id: &'a str,
    title: &'a str,
    form: Option<&'a str>,
    score: f64,
    method: &'a str,
}

pub async fn coverage(cfg: &PipelineConfig, format: Format) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let rows = store.coverage().await?;
    match format {
        Format::Jsonl => output::jsonl(&rows.iter().map(line).collect::<Vec<_>>())?,
        Format::Table => output::table(
            &["policy_id", "status", "title", "interpretations (form method score)", "draft_id or why none"],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.policy_id.clone(),
                        r.status.as_str().to_owned(),
                        r.title.clone(),
                        r.interpretations
                            .iter()
                            .map(|i| format!("{} {} {:.2}", i.form.map_or("?", |f| f.as_str()), i.method, i.score))
                            .collect::<Vec<_>>()
                            .join("; "),
                        draft_or_reason(r),
                    ]
                })
                .collect::<Vec<_>>(),
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

fn line(r: &CoverageRow) -> Line<'_> {
    Line {
        policy_id: &r.policy_id,
        site: r.site.as_deref(),
        title: &r.title,
        status: r.status.as_str(),
        interpretations: r
            .interpretations
            .iter()
            .map(|i| Interp {
                id: &i.id,
                title: &i.title,
                form: i.form.map(|f| f.as_str()),
                score: (i.score * 1000.0).round() / 1000.0,
                method: &i.method,
            })
            .collect(),
        draft_id: r.draft_id.as_deref(),
        no_draft: r.no_draft.as_ref().map(ToString::to_string),
        fetched_from: &r.fetched_from,
    }
}

/// The draft's id, or why there is none: every policy without a draft says why.
fn draft_or_reason(r: &CoverageRow) -> String {
    match (&r.draft_id, &r.no_draft) {
        (Some(d), _) => d.clone(),
        (None, Some(reason)) => reason.to_string(),
        (None, None) => String::new(),
    }
}
