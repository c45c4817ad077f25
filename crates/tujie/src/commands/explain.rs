//! `tujie match explain`: every candidate interpretation of one stored policy, with the evidence that decided it.

use std::process::ExitCode;

use tujie_config::PipelineConfig;

use crate::context;

pub async fn explain(cfg: &PipelineConfig, policy_id: &str) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let pipeline = context::pipeline(cfg, store, false).await?;
    match pipeline.explain(policy_id).await? {
        Some(explanation) => {
            println!("{}", serde_json::to_string_pretty(&explanation)?);
            Ok(ExitCode::SUCCESS)
        }
        None => anyhow::bail!("no policy with id `{policy_id}` is stored"),
    }
}
