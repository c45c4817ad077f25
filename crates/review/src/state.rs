//! What every handler shares: the store, the renderer, the configuration, the login throttle and the event intake.

use std::sync::Arc;

use tujie_media::VideoDrafts;
use tujie_render::Renderer;
use tujie_report::ReportConfig;
use tujie_store::Store;
use tujie_text::TextConfig;

use crate::ReviewConfig;
use crate::intake::Intake;
use crate::throttle::LoginThrottle;

/// Cheap to clone: everything inside is shared.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    /// Re-renders edited drafts; rendering is CPU-bound and runs on the blocking pool.
    pub renderer: Arc<Renderer>,
    pub config: Arc<ReviewConfig>,
    /// Counts wrong logins per account and per address.
    pub throttle: Arc<LoginThrottle>,
    /// How a rejected draft is extracted again (重新生成): the pipeline's `[text]` settings.
    pub text: Arc<TextConfig>,
    /// The supervisors' report page: the pipeline's `[report]` settings.
    pub report: Arc<ReportConfig>,
    /// Where `POST /api/events` hands valid events; `None` when the server takes no events (503).
    pub intake: Option<Intake>,
    /// Makes the drafts' 音视频解读; `None` when the server offers none (the draft page then shows no video part).
    pub videos: Option<VideoDrafts>,
    /// What `/metrics` reports ([`crate::metrics`]).
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn new(
        store: Store,
        renderer: Arc<Renderer>,
        config: ReviewConfig,
        text: TextConfig,
        report: ReportConfig,
        intake: Option<Intake>,
    ) -> Self {
        let throttle = LoginThrottle::new(
            config.login_max_failures_per_account,
            config.login_max_failures_per_address,
            config.lockout(),
        );
        Self {
            store,
            renderer,
            config: Arc::new(config),
            throttle: Arc::new(throttle),
            text: Arc::new(text),
            report: Arc::new(report),
            intake,
            videos: None,
            metrics: Arc::default(),
        }
    }
}
