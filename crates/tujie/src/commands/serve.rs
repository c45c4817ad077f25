//! `tujie serve`: the review workspace, with its event intake.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use tujie_config::PipelineConfig;
use tujie_review::{EventSink, Intake};

use super::intake::{AmqpSink, PipelineSink};
use crate::cli::ServeArgs;
use crate::context;

pub async fn serve(cfg: &PipelineConfig, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut review = cfg.review.clone();
    if let Some(listen) = args.listen {
        review.listen = listen;
        if let Some((_, problem)) = review.validate().into_iter().find(|(key, _)| key == "listen") {
            anyhow::bail!("--listen {problem}");
        }
    }
    let store = context::open_store(cfg).await?;
    let renderer = context::renderer(cfg)?;
    let listener = tokio::net::TcpListener::bind(&review.listen)
        .await
        .with_context(|| format!("cannot listen on {} (review.listen)", review.listen))?;
    let address = listener.local_addr()?;
    // `POST /api/events`: to the broker when the deployment has one, else through the pipeline in this process.
    let sink: Arc<dyn EventSink> = if cfg.pipeline.use_broker {
        eprintln!("POST /api/events publishes to RabbitMQ (exchange {})", cfg.amqp.events_exchange());
        Arc::new(AmqpSink { config: cfg.amqp.clone() })
    } else {
        Arc::new(PipelineSink { pipeline: context::pipeline(cfg, store.clone(), true).await? })
    };
    let intake = Intake { sink, max_event_bytes: cfg.amqp.max_message_bytes };
    if store.users().await?.is_empty() {
        eprintln!("no accounts yet: create one with `tujie user add NAME --department 部门` (or --role supervisor)");
    }
    // Printed for operators and for tests that listen on port 0.
    eprintln!("review workspace listening on http://{address}/ (plain HTTP: serve it to others through a TLS proxy)");
    let videos = context::videos(cfg, store.clone(), renderer.clone());
    let app = tujie_review::router_with_intake(
        store.clone(),
        renderer,
        review,
        cfg.text.clone(),
        cfg.report.clone(),
        Some(intake),
        Some(videos),
    );
    let shutdown = tujie_queue::shutdown_on_signals();
    tujie_review::serve(listener, app, async move { shutdown.wait().await }).await.context("review server failed")?;
    store.close().await;
    eprintln!("review workspace stopped");
    Ok(ExitCode::SUCCESS)
}
