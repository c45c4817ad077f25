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

/// Opens the database named by `TUJIE_DATABASE_URL` or `[database] url`, migrating it if configured.
pub async fn open_store(cfg: &PipelineConfig) -> anyhow::Result<Store> {
    Store::connect(&cfg.database)
        .await
        .with_context(|| format!("cannot open the database {}", cfg.database.redacted().url))
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

/// Sets up logging on stderr: `[log] format` and `level`, with `RUST_LOG` taking precedence.
pub fn init_logging(cfg: &PipelineConfig) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&cfg.log.level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr);
    // A second initialisation (tests calling commands twice) is harmless; ignore its error.
    let _ = if cfg.log.format == "json" { builder.json().try_init() } else { builder.try_init() };
}
