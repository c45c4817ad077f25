//! `tujie worker`: the RabbitMQ edge, and the adapters that plug the pipeline and the store into the queue crate's
//! traits.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_pipeline::{Outcome, Pipeline};
use tujie_queue::{EventHandler, HandleError, Handled, OutboxMessage, OutboxSource, Shutdown, metrics};
use tujie_store::Store;

use crate::context;

/// The pipeline as the queue sees it. Pipeline errors are classified here into the three fates.
struct PipelineHandler(Arc<Pipeline>);

impl EventHandler for PipelineHandler {
    async fn handle(&self, body: &[u8]) -> Result<Handled, HandleError> {
        match self.0.handle_bytes(body).await {
            // A stale version had no effect beyond being recorded, exactly like a duplicate.
            Ok(Outcome::Duplicate | Outcome::Stale) => Ok(Handled::Duplicate),
            Ok(Outcome::Applied { draft_cost, .. }) => {
                if let Some(c) = draft_cost {
                    metrics::draft_made(&c.template, c.extraction, c.rendering);
                }
                Ok(Handled::Applied)
            }
            Err(e) if e.is_invalid() => {
                Err(HandleError::Invalid { reason: e.reason().to_owned(), message: e.to_string() })
            }
            Err(e) if e.is_transient() => Err(HandleError::Transient(e.to_string())),
            Err(e) => Err(HandleError::Failed { reason: e.reason().to_owned(), message: e.to_string() }),
        }
    }
}

/// The store's outbox as the relay sees it.
struct StoreOutbox(Store);

impl OutboxSource for StoreOutbox {
    async fn claim_unsent(&self, owner: &str, limit: usize, lease: Duration) -> Result<Vec<OutboxMessage>, String> {
        let rows = self.0.outbox_claim(owner, limit, lease).await.map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMessage {
                id: r.id,
                event_id: r.event_id,
                routing_key: r.routing_key,
                payload: r.payload.into_bytes(),
            })
            .collect())
    }

    async fn mark_sent(&self, ids: &[i64]) -> Result<(), String> {
        self.0.outbox_mark_sent(ids).await.map_err(|e| e.to_string())
    }

    async fn release(&self, owner: &str) -> Result<(), String> {
        self.0.outbox_release(owner).await.map(drop).map_err(|e| e.to_string())
    }

    async fn unsent(&self) -> Result<u64, String> {
        self.0.outbox_backlog().await.map(|n| n.unsigned_abs()).map_err(|e| e.to_string())
    }
}

pub async fn worker(cfg: &PipelineConfig, until_idle: Option<Duration>) -> anyhow::Result<ExitCode> {
    let store = context::open_store(cfg).await?;
    let pipeline = context::pipeline(cfg, store.clone(), true).await?;
    run_broker(cfg, pipeline, store, until_idle).await
}

/// Runs the consumer, the outbox relay and the metrics endpoint until a signal (or idleness) stops them.
pub async fn run_broker(
    cfg: &PipelineConfig,
    pipeline: Arc<Pipeline>,
    store: Store,
    until_idle: Option<Duration>,
) -> anyhow::Result<ExitCode> {
    let signals = tujie_queue::shutdown_on_signals();
    let (relay_trigger, relay_shutdown) = tujie_queue::shutdown_pair();
    let outbox = Arc::new(StoreOutbox(store));
    let handler = Arc::new(PipelineHandler(pipeline));

    let metrics_server = {
        let addr = cfg.amqp.metrics_addr.clone();
        let shutdown = relay_shutdown.clone();
        tokio::spawn(async move { metrics::serve(&addr, shutdown).await })
    };
    let relay = {
        let amqp = cfg.amqp.clone();
        let outbox = outbox.clone();
        let shutdown = relay_shutdown.clone();
        tokio::spawn(async move { tujie_queue::run_relay(&amqp, outbox, shutdown, None).await })
    };
    let reconciler = (cfg.pipeline.reconcile_interval_secs > 0).then(|| {
        let every = Duration::from_secs(cfg.pipeline.reconcile_interval_secs);
        let shutdown = relay_shutdown.clone();
        let pipeline = handler.0.clone();
        tokio::spawn(async move { reconcile_every(&pipeline, every, shutdown).await })
    });
    let weekly = cfg.report.weekly_digest.then(|| {
        let (cfg, store, shutdown) = (cfg.clone(), outbox.0.clone(), relay_shutdown.clone());
        tokio::spawn(async move { super::report::weekly_every(&cfg, &store, shutdown).await })
    });
    let stats = tujie_queue::run_worker(&cfg.amqp, handler.clone(), signals.clone(), until_idle).await;
    if !signals.is_triggered() {
        // Idle: let the videos of `[video] auto` finish (a signal does not wait; their next request overtakes them).
        handler.0.wait_for_videos().await;
    }
    // The relay outlives the consumer so that effects of the last deliveries are published too.
    relay_trigger.trigger();
    for task in [reconciler, weekly].into_iter().flatten() {
        let _ = task.await;
    }
    let relay_result = relay.await.context("the outbox relay task failed")?;
    let stats = stats.context("the worker stopped with an error")?;
    relay_result.context("the outbox relay stopped with an error")?;
    if !signals.is_triggered() {
        let drained = tujie_queue::run_relay(&cfg.amqp, outbox, Shutdown::never(), Some(Duration::from_millis(500)))
            .await
            .context("draining the outbox failed")?;
        tracing::info!(published = drained.published, "outbox drained");
    }
    match metrics_server.await {
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics server stopped with an error"),
        Err(e) => tracing::warn!(error = %e, "metrics server task failed"),
        Ok(Ok(())) => {}
    }
    eprintln!(
        "worker stopped: {} deliveries, {} applied, {} duplicates, {} retried, {} dead-lettered",
        stats.deliveries, stats.applied, stats.duplicates, stats.retried, stats.dead_lettered
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs a reconciliation pass every `every` until shutdown. The first pass waits one interval: a worker that
/// starts has events to handle first, and the pass is a safety net, not the main path.
async fn reconcile_every(pipeline: &Pipeline, every: Duration, shutdown: Shutdown) {
    loop {
        tokio::select! {
            () = shutdown.wait() => return,
            () = tokio::time::sleep(every) => {}
        }
        match pipeline.reconcile().await {
            Ok(pass) => {
                for (policy, error) in &pass.failed {
                    tracing::warn!(policy = %policy, error = %error, "reconciliation could not re-process a policy");
                }
                tracing::info!(
                    examined = pass.examined,
                    relinked = pass.relinked.len(),
                    drafts_created = pass.drafts_created.len(),
                    failed = pass.failed.len(),
                    "reconciliation pass"
                );
            }
            Err(e) => tracing::warn!(error = %e, "reconciliation pass stopped; the next one retries"),
        }
    }
}
