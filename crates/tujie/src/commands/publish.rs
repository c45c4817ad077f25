//! `tujie publish`: event files (JSON Lines, `-` for standard input) onto the exchange with publisher confirms.

use std::process::ExitCode;

use anyhow::Context as _;
use tujie_config::PipelineConfig;

/// Publishes every line of every file; a line that is not a valid event is reported with its file and line number.
pub async fn publish(cfg: &PipelineConfig, files: &[String]) -> anyhow::Result<ExitCode> {
    let mut failed = 0;
    let mut published = 0;
    for file in files {
        let bytes = if file == "-" {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).context("cannot read standard input")?;
            buf
        } else {
            std::fs::read(file).with_context(|| format!("cannot read {file}"))?
        };
        let lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
        let report = tujie_queue::publish_events(&cfg.amqp, lines).await?;
        for (line, problem) in &report.failed {
            eprintln!("{file}:{line}: {problem}");
        }
        failed += report.failed.len();
        published += report.published;
    }
    eprintln!("published {published} events, {failed} lines not published");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
