//! Errors of the render crate. Rendering is a pure function of content, config and fonts, so the same input
//! fails the same way again: none of them is worth retrying (the pipeline stores the policy with
//! `NoDraftReason::RenderFailed` instead).

/// Why a draft could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The configuration failed [`crate::RenderConfig::validate`]; lists `key: problem`.
    #[error("invalid render config: {}", .0.iter().map(|(k, p)| format!("{k}: {p}")).collect::<Vec<_>>().join("; "))]
    Config(Vec<(String, String)>),
    /// A font could not be loaded or the configured family has no regular or bold face.
    #[error("font: {0}")]
    Font(String),
    /// A template failed to render; a bug in this crate, not in the content.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// The SVG handed to [`crate::Renderer::rasterize`] could not be parsed.
    #[error("invalid svg: {0}")]
    Svg(String),
    /// The requested raster would exceed the size bounds.
    #[error("image too large: {width}×{height} px")]
    TooLarge { width: u32, height: u32 },
    /// PNG encoding failed.
    #[error("png encoding: {0}")]
    Encode(String),
}
