//! Building what commands need from the configuration: the store, the renderer, the pipeline.

use std::sync::Arc;

use anyhow::Context as _;
use tujie_config::{PipelineConfig, Source};
use tujie_media::VideoDrafts;
use tujie_pipeline::{Pipeline, PipelineOptions};
use tujie_render::Renderer;
use tujie_store::Store;

/// Loads and validates the configuration (file, then environment).
pub fn load_config(path: Option<&str>) -> anyhow::Result<PipelineConfig> {
    let source = path.map_or(Source::Default, |p| Source::File(p.to_owned()));
    Ok(tujie_config::load(&source)?)
}

/// Opens the database named by `TUJIE_DATABASE_URL` or `[database] url`, migrating it if configured. A SQLite
/// file that does not exist yet is created, and the command says so and where: a command run from another folder
/// would otherwise show an empty database without a word.
pub async fn open_store(cfg: &PipelineConfig) -> anyhow::Result<Store> {
    if let Some(file) = new_sqlite_file(&cfg.database.url) {
        eprintln!(
            "tujie: creating a new SQLite database at {file} (set [database] url or TUJIE_DATABASE_URL to use another)"
        );
    }
    Store::connect(&cfg.database)
        .await
        .with_context(|| format!("cannot open the database {}", cfg.database.redacted().url))
}

/// The file of a `sqlite://` URL when it does not exist yet.
fn new_sqlite_file(url: &str) -> Option<&str> {
    let path = url.strip_prefix("sqlite://")?;
    let file = path.split_once('?').map_or(path, |(f, _)| f);
    (!file.starts_with(':') && !std::path::Path::new(file).exists()).then_some(file)
}

/// The renderer with the embedded font plus any configured font files, loaded once per process.
pub fn renderer(cfg: &PipelineConfig) -> anyhow::Result<Arc<Renderer>> {
    let mut extra = Vec::new();
    for path in &cfg.pipeline.font_files {
        extra.push(std::fs::read(path).with_context(|| format!("cannot read font file {path} (pipeline.font_files)"))?);
    }
    Ok(Arc::new(Renderer::new(cfg.render.clone(), extra).context("cannot set up the renderer")?))
}

/// The processing pipeline over `store`.
pub async fn pipeline(cfg: &PipelineConfig, store: Store, drafts: bool) -> anyhow::Result<Arc<Pipeline>> {
    let drafts = drafts && cfg.pipeline.drafts;
    // Loading the segmenter's dictionary takes about a second; do it while the index is built, not on the first
    // delivery.
    drop(tokio::task::spawn_blocking(tujie_text::warm));
    let renderer = if drafts { Some(renderer(cfg)?) } else { None };
    let options = PipelineOptions {
        text: cfg.text.clone(),
        matcher: cfg.matcher.clone(),
        drafts,
        max_message_bytes: cfg.amqp.max_message_bytes,
    };
    let videos = match &renderer {
        Some(r) if cfg.video.auto => Some(videos(cfg, store.clone(), r.clone())),
        _ => None,
    };
    let mut pipeline = Pipeline::new(store, renderer, options).await.context("cannot build the match index")?;
    if let Some(videos) = videos {
        pipeline = pipeline.with_videos(videos);
    }
    if cfg.fetch.enabled() {
        pipeline = pipeline.with_fetcher(Arc::new(tujie_fetch::Fetcher::new(cfg.fetch.clone())));
    }
    Ok(Arc::new(pipeline))
}

/// The 音视频解读 of stored drafts (`[media]`, `[video]`), rendered with `renderer`.
pub fn videos(cfg: &PipelineConfig, store: Store, renderer: Arc<Renderer>) -> VideoDrafts {
    VideoDrafts::new(store, renderer, cfg.media.clone(), &cfg.video)
}

/// The filter a command logs with when `RUST_LOG` is not set: `[log] level` for the long-running commands, whose
/// logs are their record, and warnings only for one-shot commands, whose output is their result.
pub fn default_log_level(cfg: &PipelineConfig, long_running: bool) -> &str {
    if long_running { &cfg.log.level } else { "warn" }
}

/// Sets up logging on stderr (stdout carries results): `[log] format`, and [`default_log_level`] unless
/// `RUST_LOG` is set.
pub fn init_logging(cfg: &PipelineConfig, long_running: bool) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_log_level(cfg, long_running)));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr);
    // A second initialisation (tests calling commands twice) is harmless; ignore its error.
    let _ = if cfg.log.format == "json" { builder.json().try_init() } else { builder.try_init() };
}
