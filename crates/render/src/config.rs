//! Render configuration: page geometry, limits and the visual theme, with per-site theme overrides.
//!
//! Everything here is plain data read from `pipeline.toml` by the config crate. Unknown keys are rejected
//! (`deny_unknown_fields`) so a mistyped key fails loudly instead of silently falling back to a default;
//! [`RenderConfig::validate`] collects every problem at once so an operator fixes the file in one pass.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a draft is drawn: an unapproved draft carries a 草稿 banner and watermark so it cannot be mistaken for a
/// publishable image if it leaks out of the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Draft,
    Approved,
}

/// Colours and fixed texts of one site's infographics.
///
/// A site theme in [`RenderConfig::site_themes`] is a complete theme: keys it leaves out take the built-in
/// defaults below, not the values of [`RenderConfig::theme`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Theme {
    /// Header band, section heading bars, numbers and markers.
    pub primary: String,
    /// Footer band and header decorations; a darker shade of `primary` reads as one family.
    pub primary_dark: String,
    /// Tagline pill and heading ornaments.
    pub accent: String,
    /// Page background behind the cards.
    pub background: String,
    /// Card background.
    pub card: String,
    /// Light tint of `primary` for figure cells and step boxes.
    pub tint: String,
    /// Body text.
    pub text: String,
    /// Secondary text: figure labels, notes.
    pub muted: String,
    /// Text drawn on `primary` / `primary_dark` (header, heading bars, footer).
    pub on_primary: String,
    /// Issuing office shown at the top of the header, e.g. `某某县人民政府`. Empty hides the line.
    pub logo_text: String,
    /// Small pill above the title, e.g. `一图读懂`. Empty hides it.
    pub tagline: String,
    /// Last footer line, e.g. `某某县人民政府办公室 制`. Empty hides it.
    pub footer_text: String,
    /// Footer note that the source text prevails. Empty hides it.
    pub disclaimer: String,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            primary: "#C62828".into(),
            primary_dark: "#8E1B1B".into(),
            accent: "#FFD54F".into(),
            background: "#FBF3EA".into(),
            card: "#FFFFFF".into(),
            tint: "#FDEDEA".into(),
            text: "#2B2B2B".into(),
            muted: "#6B6B6B".into(),
            on_primary: "#FFFFFF".into(),
            logo_text: String::new(),
            tagline: "一图读懂".into(),
            footer_text: String::new(),
            disclaimer: "本图解仅供参考，具体以政策原文为准。".into(),
        }
    }
}

impl Theme {
    fn colours(&self) -> [(&'static str, &str); 9] {
        [
            ("primary", &self.primary),
            ("primary_dark", &self.primary_dark),
            ("accent", &self.accent),
            ("background", &self.background),
            ("card", &self.card),
            ("tint", &self.tint),
            ("text", &self.text),
            ("muted", &self.muted),
            ("on_primary", &self.on_primary),
        ]
    }

    fn validate(&self, prefix: &str, limits: &RenderConfig, out: &mut Vec<(String, String)>) {
        for (key, value) in self.colours() {
            if !is_hex_colour(value) {
                out.push((format!("{prefix}.{key}"), format!("`{value}` is not a #RRGGBB colour")));
            }
        }
        for (key, value) in [
            ("logo_text", &self.logo_text),
            ("tagline", &self.tagline),
            ("footer_text", &self.footer_text),
            ("disclaimer", &self.disclaimer),
        ] {
            if value.chars().count() > limits.max_text_chars {
                out.push((
                    format!("{prefix}.{key}"),
                    format!("longer than max_text_chars ({})", limits.max_text_chars),
                ));
            }
        }
    }
}

/// `#RRGGBB`, the only colour form the templates emit, so a theme cannot inject markup through a colour.
fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Everything the renderer needs besides fonts. Defaults suit a 1080 px wide mobile long image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RenderConfig {
    /// Width of the full-size PNG in pixels (the SVG is laid out 1080 units wide and scaled).
    pub width: u32,
    /// Width of the preview PNG in pixels.
    pub preview_width: u32,
    /// Tallest page, in 1080-wide units; content past it is cut at an item boundary with a warning.
    pub max_height: u32,
    /// Font family named in the SVG. Must be the embedded `Noto Sans SC` or a family of an extra font.
    pub font_family: String,
    /// Longest title in characters; longer titles are shortened with `…` and a warning.
    pub max_title_chars: usize,
    /// Longest bullet, step, label or subtitle in characters; longer ones are shortened with a warning.
    pub max_text_chars: usize,
    /// Most sections drawn; the rest are left out with a warning.
    pub max_sections: usize,
    /// Most bullets / figures / steps / dates drawn per section.
    pub max_items_per_section: usize,
    /// Theme used when a draft's site has no entry in `site_themes`.
    pub theme: Theme,
    /// Per-site themes keyed by site id.
    pub site_themes: BTreeMap<String, Theme>,
}

impl Default for RenderConfig {
    fn default() -> Self {
        Self {
            width: 1080,
            preview_width: 360,
            max_height: 16_000,
            font_family: crate::fonts::EMBEDDED_FAMILY.into(),
            max_title_chars: 120,
            max_text_chars: 600,
            max_sections: 20,
            max_items_per_section: 40,
            theme: Theme::default(),
            site_themes: BTreeMap::new(),
        }
    }
}

/// Bounds that keep a single draft's memory and time small: a 4096×(4096/1080·30000) RGBA pixmap is the worst.
pub(crate) const MAX_WIDTH: u32 = 4096;
pub(crate) const MAX_PAGE_HEIGHT: u32 = 30_000;

impl RenderConfig {
    /// Every problem with this configuration as `(key, problem)`; empty when it is usable.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !(320..=MAX_WIDTH).contains(&self.width) {
            out.push(("width".into(), format!("{} is outside 320..={MAX_WIDTH}", self.width)));
        }
        if self.preview_width < 64 || self.preview_width > self.width.max(64) {
            out.push(("preview_width".into(), format!("{} is outside 64..=width", self.preview_width)));
        }
        if !(1500..=MAX_PAGE_HEIGHT).contains(&self.max_height) {
            out.push(("max_height".into(), format!("{} is outside 1500..={MAX_PAGE_HEIGHT}", self.max_height)));
        }
        if self.font_family.trim().is_empty() || self.font_family.contains(['"', '\'', '<', '>', '&']) {
            out.push(("font_family".into(), "must be a plain family name".into()));
        }
        for (key, value, max) in [
            ("max_title_chars", self.max_title_chars, 400),
            ("max_text_chars", self.max_text_chars, 5000),
            ("max_sections", self.max_sections, 100),
            ("max_items_per_section", self.max_items_per_section, 200),
        ] {
            if value == 0 || value > max {
                out.push((key.into(), format!("{value} is outside 1..={max}")));
            }
        }
        self.theme.validate("theme", self, &mut out);
        for (site, theme) in &self.site_themes {
            theme.validate(&format!("site_themes.{site}"), self, &mut out);
        }
        out
    }

    /// The theme for `site`: its own entry if any, else the default theme.
    pub fn theme_for(&self, site: Option<&str>) -> &Theme {
        site.and_then(|s| self.site_themes.get(s)).unwrap_or(&self.theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        assert_eq!(RenderConfig::default().validate(), Vec::<(String, String)>::new());
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let mut cfg = RenderConfig { width: 10, max_sections: 0, ..RenderConfig::default() };
        cfg.theme.primary = "red\"/><script>".into();
        cfg.site_themes.insert("xian".into(), Theme { card: "#12345".into(), ..Theme::default() });
        let keys: Vec<String> = cfg.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["width", "preview_width", "max_sections", "theme.primary", "site_themes.xian.card"]);
    }

    #[test]
    fn mistyped_key_is_rejected() {
        let err = serde_json::from_str::<RenderConfig>(r#"{"widht": 1080}"#).unwrap_err().to_string();
        assert!(err.contains("unknown field `widht`"), "{err}");
        let cfg: RenderConfig = serde_json::from_str(r#"{"theme": {"logo_text": "某某县人民政府"}}"#).unwrap();
        assert_eq!(cfg.theme.primary, Theme::default().primary);
    }
}
