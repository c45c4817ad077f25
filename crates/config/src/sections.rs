//! The sections of `pipeline.toml` and the ones owned here (`[pipeline]`, `[log]`).

use serde::{Deserialize, Serialize};
pub use tujie_fetch::FetchConfig;
use tujie_matcher::MatcherConfig;
pub use tujie_media::{MediaConfig, VideoConfig};
use tujie_queue::AmqpConfig;
use tujie_render::RenderConfig;
pub use tujie_report::ReportConfig;
pub use tujie_review::ReviewConfig;
use tujie_store::DatabaseConfig;
use tujie_text::TextConfig;

/// The whole configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PipelineConfig {
    pub pipeline: ProcessingConfig,
    pub database: DatabaseConfig,
    pub amqp: AmqpConfig,
    pub text: TextConfig,
    pub matcher: MatcherConfig,
    pub render: RenderConfig,
    pub review: ReviewConfig,
    pub fetch: FetchConfig,
    pub report: ReportConfig,
    pub media: MediaConfig,
    pub video: VideoConfig,
    pub log: LogConfig,
}

impl PipelineConfig {
    /// A copy safe to print: passwords in URLs are masked.
    pub fn redacted(&self) -> Self {
        Self { database: self.database.redacted(), amqp: self.amqp.redacted(), ..self.clone() }
    }
}

/// `[pipeline]`: what the processing does and where `tujie run` finds its input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProcessingConfig {
    /// Make infographic drafts for policies that lack a rich interpretation.
    pub drafts: bool,
    /// Folder `tujie run` watches for `*.jsonl` event files when no broker is enabled.
    pub inbox_dir: String,
    /// Consume from RabbitMQ in `tujie run` (needs `[amqp]`); otherwise process the inbox folder.
    pub use_broker: bool,
    /// Extra font files (TTF/OTF) loaded besides the embedded Noto Sans SC, e.g. a site's own typeface.
    pub font_files: Vec<String>,
    /// Seconds between the worker's reconciliation passes (missed links, policies that lost their rich
    /// interpretation); 0 turns them off.
    pub reconcile_interval_secs: u64,
}

impl Default for ProcessingConfig {
    fn default() -> Self {
        Self {
            drafts: true,
            inbox_dir: "inbox".into(),
            use_broker: false,
            font_files: Vec::new(),
            reconcile_interval_secs: 600,
        }
    }
}

impl ProcessingConfig {
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        if self.inbox_dir.trim().is_empty() {
            errors.push(("inbox_dir".into(), "must not be empty".into()));
        }
        for (i, f) in self.font_files.iter().enumerate() {
            if f.trim().is_empty() {
                errors.push((format!("font_files[{i}]"), "must not be empty".into()));
            }
        }
        if (1..10).contains(&self.reconcile_interval_secs) {
            errors.push((
                "reconcile_interval_secs".into(),
                "must be 0 (off) or at least 10: every pass re-reads all uncovered policies".into(),
            ));
        }
        errors
    }
}

/// `[log]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` for people, `json` for log collectors.
    pub format: String,
    /// A tracing filter such as `info` or `tujie=debug,sqlx=warn` for the long-running commands (worker, serve,
    /// run); one-shot commands log at `warn`. `RUST_LOG` wins for every command when set.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: "text".into(), level: "info".into() }
    }
}

impl LogConfig {
    pub fn validate(&self) -> Vec<(String, String)> {
        if matches!(self.format.as_str(), "text" | "json") {
            vec![]
        } else {
            vec![("format".into(), format!("must be `text` or `json`, got `{}`", self.format))]
        }
    }
}
