//! The workspace's own Prometheus metrics at `GET /metrics`: request latency by route, the time a draft takes to
//! be drawn again (after an edit, and extracted and drawn on 重新生成), and the stored drafts by template and status.
//! The first drawing of a draft is the worker's (`tujie_stage_seconds{stage="extract"|"render"}`).
//!
//! One registry per router (`AppState::metrics`), not a process global, so that tests of one binary do not see each
//! other's requests. The drafts by template are read from the store when scraped: they count what the database
//! holds, whichever process made the drafts. Names follow the worker's (`docs/deploy.md`).

use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use tujie_model::draft::LATENCY_BUCKETS_SECONDS;

use crate::state::AppState;

/// A request: method, route pattern (`/drafts/{id}`, never the id itself) and status class (`2xx`).
type RequestLabels = [(&'static str, String); 3];
/// A drawing: why (`edit`, `regenerate`) and the step (`extract`, `render`).
type DrawLabels = [(&'static str, &'static str); 2];
/// Stored drafts: template name and status.
type DraftLabels = [(&'static str, String); 2];

/// The workspace's metrics and the registry that encodes them.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    draws: Family<DrawLabels, Histogram, fn() -> Histogram>,
    drafts: Family<DraftLabels, Gauge>,
}

fn histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS_SECONDS)
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Metrics {
            registry: Registry::default(),
            requests: Family::new_with_constructor(histogram),
            draws: Family::new_with_constructor(histogram),
            drafts: Family::default(),
        };
        let r = &mut m.registry;
        r.register(
            "tujie_workspace_request_seconds",
            "Workspace request latency by method, route and status class",
            m.requests.clone(),
        );
        r.register(
            "tujie_workspace_draw_seconds",
            "Time to draw a draft again in the workspace, by action (edit, regenerate) and step (extract, render)",
            m.draws.clone(),
        );
        r.register("tujie_drafts", "Stored drafts by template and status", m.drafts.clone());
        m
    }
}

impl Metrics {
    /// Records one step of drawing a draft again.
    pub fn observe_draw(&self, action: &'static str, step: &'static str, took: Duration) {
        self.draws.get_or_create(&[("action", action), ("step", step)]).observe(took.as_secs_f64());
    }

    fn observe_request(&self, method: &str, route: &str, status: u16, took: Duration) {
        let labels =
            [("method", method.to_owned()), ("route", route.to_owned()), ("status", format!("{}xx", status / 100))];
        self.requests.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// The text exposition (Prometheus 0.0.4, as the worker's), with the stored drafts counted now.
    fn encode(&self, counts: &[(String, String, i64)]) -> String {
        self.drafts.clear();
        for (template, status, n) in counts {
            self.drafts.get_or_create(&[("template", template.clone()), ("status", status.clone())]).set(*n);
        }
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

/// Times every request under its route pattern; requests no route matched count as `unmatched`.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = request.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    state.metrics.observe_request(&method, &route, response.status().as_u16(), started.elapsed());
    response
}

/// `GET /metrics`: the text exposition, or 503 when the store cannot be read.
pub async fn export(State(state): State<AppState>) -> Response {
    let counts = match state.store.draft_counts_by_template().await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "cannot count drafts for /metrics");
            return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "数据库暂不可用").into_response();
        }
    };
    ([(CONTENT_TYPE, prometheus_text::CONTENT_TYPE)], state.metrics.encode(&counts)).into_response()
}
