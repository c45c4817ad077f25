//! SVG → PNG: usvg parsing with every external resource refused, resvg rendering on an opaque white
//! background, and fast PNG encoding with the `image` crate.
//!
//! Rendering on opaque white makes tiny-skia's premultiplied pixels equal to straight RGBA, so they can be
//! written as RGB without a demultiply pass; and the `image` encoder with fast compression is ~8× quicker
//! than tiny-skia's `encode_png` for a 1080×2400 page.

use std::sync::Arc;

use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use resvg::tiny_skia;
use resvg::usvg::{self, ImageHrefResolver, fontdb::Database};

use crate::RenderError;
use crate::config::MAX_WIDTH;

/// Upper bound on pixels of one raster (about 130 MB of RGBA), whatever SVG is handed in.
const MAX_PIXELS: u64 = 40_000_000;

pub(crate) fn parse(svg: &str, fontdb: Arc<Database>, family: &str) -> Result<usvg::Tree, RenderError> {
    let options = usvg::Options {
        // No relative paths can resolve to files, no <image> can load anything, no user stylesheet: the only
        // resource an SVG can reach is the font database we pass in.
        resources_dir: None,
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        style_sheet: None,
        font_family: family.to_string(),
        languages: vec!["zh-CN".to_string()],
        fontdb,
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| RenderError::Svg(e.to_string()))
}

/// Renders `tree` scaled to `width` pixels wide and encodes it as PNG.
pub(crate) fn png(tree: &usvg::Tree, width: u32) -> Result<Vec<u8>, RenderError> {
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).ceil().max(1.0) as u32;
    if width == 0 || width > MAX_WIDTH || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RenderError::TooLarge { width, height });
    }
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(RenderError::TooLarge { width, height })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    // Full-size pages are encoded for speed; previews are small enough that real compression is nearly free
    // and they are what listing pages load by the dozen.
    let compression = if u64::from(width) * u64::from(height) <= 1_000_000 {
        CompressionType::Default
    } else {
        CompressionType::Fast
    };
    PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive)
        .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(out)
}
