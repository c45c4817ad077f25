//! `tujie dlq`: inspect and replay dead letters.

use std::process::ExitCode;

use serde_json::json;
use tujie_config::PipelineConfig;
use tujie_queue::dlq;

use crate::cli::DlqCommand;

pub async fn dlq(cfg: &PipelineConfig, cmd: DlqCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DlqCommand::List { limit } => {
            for letter in dlq::list(&cfg.amqp, limit).await? {
                let line = json!({
                    "reason": letter.reason,
                    "last_reason": letter.last_reason,
                    "error": letter.error,
                    "routing_key": letter.routing_key,
                    "message_id": letter.message_id,
                    "body": String::from_utf8_lossy(&letter.body),
                });
                println!("{line}");
            }
        }
        DlqCommand::Requeue { limit } => eprintln!("requeued {} dead letters", dlq::requeue(&cfg.amqp, limit).await?),
        DlqCommand::Purge => eprintln!("purged {} dead letters", dlq::purge(&cfg.amqp).await?),
    }
    Ok(ExitCode::SUCCESS)
}
