//! tujie-review: the editors' review workspace behind `tujie serve`.
//!
//! An axum router over the store and the renderer: Chinese server-rendered pages for editors and supervisors
//! ([`web`], [`pages`]) and a JSON API beside them ([`api`]), both calling the same [`actions`], so access rules
//! (editors see their own department, supervisors everything), the faithfulness check on edits ([`edit`]) and
//! optimistic concurrency (an edit names the revision it was based on) hold whichever way a draft is changed.
//! Edits are re-rendered on the blocking pool and stored as new revisions; approving queues `draft.approved`
//! through [`tujie_store::Store::review`], the same path as `tujie drafts approve`.
//!
//! The server speaks plain HTTP and is meant to sit behind a reverse proxy that terminates TLS
//! (`[review] secure_cookie` then marks the session cookie `Secure`). Logins are described in [`auth`] and
//! throttled by [`throttle`]; forgery, framing and caching defences are in [`security`].
//!
//! Routes: `/login`, `/logout`, `/drafts` (queue), `/drafts/{id}` (page), `/drafts/{id}/edit|approve|reject`
//! (forms), `/drafts/{id}/image.png|preview.png|image.svg`, the 音视频解读 ([`video`]: `/drafts/{id}/video|script`
//! (forms), `/drafts/{id}/video.mp4|audio.m4a|subtitles.vtt|subtitles.srt`), `/report` (the period report of [`tujie_report`]: `?from=&to=&department=`), `/static/app.css|app.js`, `/healthz`,
//! `/metrics` ([`metrics`]: request latency by route, drawing time, drafts by template),
//! and `/api/me`, `/api/drafts`, `/api/drafts/{id}`, `/api/drafts/{id}/edit|approve|reject`,
//! `/api/drafts/{id}/video|script` and the video's files, `/api/report`, and
//! `POST /api/events` ([`intake`]: events from a CMS, for a service account, handed to an [`intake::EventSink`]).
//!
//! Architecture invariant: every write goes through the store's checked operations and every edit through
//! `tujie_text::faithful`; a request never reaches another department's drafts.

pub mod actions;
mod api;
pub mod auth;
mod config;
pub mod departments;
pub mod edit;
mod error;
pub mod intake;
mod metrics;
pub mod pages;
pub mod publish;
pub mod security;
mod state;
pub mod throttle;
pub mod video;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use tujie_render::Renderer;
use tujie_store::Store;

pub use config::ReviewConfig;
pub use error::{ApiError, PageError, ReviewError};
pub use intake::{EventSink, Intake, IntakeEvent, SinkError, SinkFuture};
pub use state::AppState;

/// The whole workspace as one router; `text` is how a rejected draft is extracted again, `report` how the
/// supervisors' report is made. It takes no events (`POST /api/events` answers 503); see [`router_with_intake`].
pub fn router(
    store: Store,
    renderer: Arc<Renderer>,
    config: ReviewConfig,
    text: tujie_text::TextConfig,
    report: tujie_report::ReportConfig,
) -> Router {
    router_with_intake(store, renderer, config, text, report, None, None)
}

/// [`router`], with `POST /api/events` handing valid events to `intake`, and the drafts' 音视频解读 made by `videos`
/// ([`video`]; without, the draft page has no video part).
pub fn router_with_intake(
    store: Store,
    renderer: Arc<Renderer>,
    config: ReviewConfig,
    text: tujie_text::TextConfig,
    report: tujie_report::ReportConfig,
    intake: Option<Intake>,
    videos: Option<tujie_media::VideoDrafts>,
) -> Router {
    let body_limit = config.intake_max_body_bytes;
    let mut state = AppState::new(store, renderer, config, text, report, intake);
    state.videos = videos;
    Router::new()
        .route("/", get(|| async { Redirect::to("/drafts") }))
        .route("/login", get(web::login_form).post(web::login))
        .route("/logout", post(web::logout))
        .route("/drafts", get(web::list))
        .route("/drafts/{id}", get(web::show))
        .route("/drafts/{id}/edit", post(web::edit))
        .route("/drafts/{id}/video", post(video::page_request))
        .route("/drafts/{id}/script", post(video::page_script))
        // `approve` and `reject` (POST) and the image files (GET); `edit` above is matched first.
        .route("/drafts/{id}/{name}", get(web::asset).post(web::decide))
        .route("/report", get(web::report))
        .route("/static/app.css", get(|| async { static_file("text/css; charset=utf-8", STYLE) }))
        .route("/static/app.js", get(|| async { static_file("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics::export))
        // Outside `api::router()`: it takes JSON Lines as well as JSON, and its own body limit.
        .route("/api/events", post(intake::receive).layer(DefaultBodyLimit::max(body_limit)))
        .nest("/api", api::router())
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

/// The style sheet and the one script of the pages, compiled in.
const STYLE: &str = include_str!("static/app.css");
const SCRIPT: &str = include_str!("static/app.js");

fn static_file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(CONTENT_TYPE, content_type), (CACHE_CONTROL, "public, max-age=3600")], body)
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address is what login throttling counts per address.
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
