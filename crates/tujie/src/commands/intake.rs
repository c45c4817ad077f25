//! The two event sinks behind `POST /api/events` of `tujie serve` ([`tujie_review::intake`]): with
//! `[pipeline] use_broker`, a publisher to `{prefix}.events` that returns after the broker's confirms
//! ([`tujie_queue::publish_events`], the code of `tujie publish`); without, the pipeline itself, through the same
//! call as `tujie ingest` and the inbox ([`super::ingest::handle_with_retry`]).

use std::sync::Arc;

use tujie_pipeline::Pipeline;
use tujie_queue::AmqpConfig;
use tujie_review::{EventSink, IntakeEvent, SinkError, SinkFuture};

/// Publishes each event to the exchange, persistent and mandatory, and returns once every one is confirmed.
/// One connection per request: a CMS posts in batches, and a connection held open would need its own recovery.
#[derive(Debug)]
pub struct AmqpSink {
    pub config: AmqpConfig,
}

impl EventSink for AmqpSink {
    fn submit(&self, events: Vec<IntakeEvent>) -> SinkFuture<'_> {
        Box::pin(async move {
            let lines: Vec<usize> = events.iter().map(|e| e.line).collect();
            let bodies = events.into_iter().map(|e| e.body).collect();
            let report = tujie_queue::publish_events(&self.config, bodies)
                .await
                .map_err(|e| SinkError::Unavailable(format!("消息队列：{e}")))?;
            if report.failed.is_empty() {
                return Ok(());
            }
            // `publish_events` numbers what it was given from 1.
            let refused = report
                .failed
                .into_iter()
                .map(|(index, why)| (lines[index - 1], format!("消息队列未确认：{why}")))
                .collect();
            Err(SinkError::Refused(refused))
        })
    }
}

/// Processes each event in this process, as `tujie ingest` does, and returns once each is committed.
#[derive(Debug)]
pub struct PipelineSink {
    pub pipeline: Arc<Pipeline>,
}

impl EventSink for PipelineSink {
    fn submit(&self, events: Vec<IntakeEvent>) -> SinkFuture<'_> {
        Box::pin(async move {
            let mut refused = Vec::new();
            for event in events {
                match super::ingest::handle_with_retry(&self.pipeline, &event.body).await {
                    Ok(_) => {}
                    Err(e) if e.is_transient() => {
                        return Err(SinkError::Unavailable(format!("数据库：{e}")));
                    }
                    Err(e) => refused.push((event.line, format!("处理失败（{}）：{e}", e.reason()))),
                }
            }
            if refused.is_empty() { Ok(()) } else { Err(SinkError::Refused(refused)) }
        })
    }
}
