//! tujie-render: lays out [`InfographicContent`] as a long 一图读懂 image (SVG, full-size PNG and preview PNG).
//!
//! The pipeline is content → typeset page ([`typeset`]) → SVG through Tera templates ([`svg`]) → PNG through
//! resvg ([`raster`]). Text is measured with the same font faces resvg draws with ([`fonts`]), and broken into
//! lines by UAX #14 plus Chinese typesetting rules ([`linebreak`]), so what was laid out is what is drawn:
//! no overflow, no clipped lines, no missing glyphs drawn as boxes.
//!
//! The crate does no I/O: fonts are embedded or passed in as bytes, templates are compiled in, and outputs are
//! returned as values. Same input, same config, same fonts → byte-identical SVG.
//!
//! Architecture invariant: pure and deterministic; it draws the content it is given and never adds text of its own
//! beyond the theme's fixed labels.

mod config;
mod error;
mod fonts;
mod linebreak;
mod raster;
mod svg;
mod typeset;

use std::sync::Arc;

pub use config::{Mode, RenderConfig, Theme};
pub use error::RenderError;
pub use fonts::{EMBEDDED_FAMILY, MISSING_REPLACEMENT};
use tujie_model::RenderedDraft;
use tujie_model::content::InfographicContent;
pub use typeset::SlideCard;

/// An SVG draft and what the reviewer must be told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgDraft {
    pub svg: String,
    /// Template name and the section kinds used, e.g. `long/v1:figures+bullets+steps`.
    pub template: String,
    /// Human-readable problems: text cut, characters replaced, limits hit. Empty for a clean draft.
    pub warnings: Vec<String>,
    /// Characters no loaded font can draw, in order of first appearance; each was drawn as `〓`.
    pub missing_glyphs: Vec<String>,
    /// SVG height in page units (the SVG is 1080 units wide).
    pub height: u32,
}

/// Renders drafts. Immutable after construction, `Send + Sync`; share one per process behind an `Arc`.
#[derive(Debug)]
pub struct Renderer {
    cfg: RenderConfig,
    fonts: Arc<fonts::FontSet>,
    tera: tera::Tera,
}

impl Renderer {
    /// Validates `cfg`, loads the embedded Noto Sans SC (once per process) plus `extra_fonts` (font file bytes,
    /// used as fallbacks or as `cfg.font_family`), and compiles the templates.
    pub fn new(cfg: RenderConfig, extra_fonts: Vec<Vec<u8>>) -> Result<Self, RenderError> {
        let problems = cfg.validate();
        if !problems.is_empty() {
            return Err(RenderError::Config(problems));
        }
        let fonts = fonts::FontSet::get(&cfg.font_family, extra_fonts)?;
        let tera = svg::templates()?;
        Ok(Self { cfg, fonts, tera })
    }

    pub fn config(&self) -> &RenderConfig {
        &self.cfg
    }

    /// Content → SVG, PNG and preview PNG.
    pub fn render(
        &self,
        content: &InfographicContent,
        site: Option<&str>,
        mode: Mode,
    ) -> Result<RenderedDraft, RenderError> {
        let draft = self.to_svg(content, site, mode)?;
        // Parse once, rasterize twice: parsing (text shaping and outlining) is the larger half of the cost.
        let tree = raster::parse(&draft.svg, self.fonts.db(), self.fonts.family())?;
        let png = raster::png(&tree, self.cfg.width)?;
        let preview_png = raster::png(&tree, self.cfg.preview_width)?;
        Ok(RenderedDraft {
            template: draft.template,
            warnings: draft.warnings,
            missing_glyphs: draft.missing_glyphs,
            svg: draft.svg,
            png,
            preview_png,
        })
    }

    /// Content → SVG only (self-contained: text is drawn with the renderer's fonts, no external references).
    pub fn to_svg(
        &self,
        content: &InfographicContent,
        site: Option<&str>,
        mode: Mode,
    ) -> Result<SvgDraft, RenderError> {
        self.draw(typeset::typeset(&self.fonts, &self.cfg, content, site, mode))
    }

    /// A laid-out page drawn as SVG, with what the reviewer must be told.
    fn draw(&self, laid: typeset::Laid) -> Result<SvgDraft, RenderError> {
        let svg = svg::draw(&self.tera, &laid.page)?;
        Ok(SvgDraft {
            svg,
            template: laid.template,
            warnings: laid.warnings,
            missing_glyphs: laid.missing.iter().map(|c| c.to_string()).collect(),
            height: laid.page.height.max(0) as u32,
        })
    }

    /// One 1080×1920 frame of the video: `card` with `caption` (subtitle lines) drawn over its lower part, in
    /// the same theme and with the same typesetting as the long image.
    pub fn slide_svg(
        &self,
        content: &InfographicContent,
        card: SlideCard,
        caption: &[String],
        site: Option<&str>,
        mode: Mode,
    ) -> Result<SvgDraft, RenderError> {
        self.draw(typeset::slide(&self.fonts, &self.cfg, content, card, caption, site, mode))
    }

    /// Any SVG → PNG `width` pixels wide, with this renderer's fonts and no external resources.
    pub fn rasterize(&self, svg: &str, width: u32) -> Result<Vec<u8>, RenderError> {
        let tree = raster::parse(svg, self.fonts.db(), self.fonts.family())?;
        raster::png(&tree, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderer_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Renderer>();
    }
}
