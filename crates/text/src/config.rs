//! Configuration of text extraction (`[text]` in pipeline.toml): input limit and the size budget of a draft.

use serde::{Deserialize, Serialize};

/// Limits for extraction and for the content of one draft.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TextConfig {
    /// Larger bodies are refused with `TextError::TooLarge` (bytes of body_text or body_html).
    pub max_input_bytes: usize,
    /// Longest bullet, step or date label, in characters; longer sentences lose whole clauses. A 公文 sentence that
    /// states a condition and its amount runs to about 100: at 80, 44 fixture documents lost a key fact to the cut
    /// (41 facts more shown at 100, 8 more at 120).
    pub max_bullet_chars: usize,
    /// Most bullets in one section. At 6 rather than 5 a draft holds one bullet more on average (31 rather than 30;
    /// median 27) and shows 12 more key facts of the fixtures (conditions, materials, how money is paid): an editor deletes a
    /// bullet in seconds, but finds a missing fact in the source only by reading it.
    pub max_bullets_per_section: usize,
    /// Bullets a section may take beyond `max_bullets_per_section` for facts (amounts, conditions, deadlines,
    /// steps, materials, contacts) the draft would otherwise leave out; no section limit holds when every such fact
    /// fits `max_bullets` beside what the draft shows.
    pub max_fact_bullets: usize,
    /// Most bullets in the whole draft, so that it fits one long image (`[render] max_height`): past it, a fact
    /// takes the place of the lightest bullet of any section.
    pub max_bullets: usize,
    /// Most sections in a draft.
    pub max_sections: usize,
    /// Fewest sections a draft aims for when the document has the material.
    pub min_sections: usize,
    /// Most headline figures (数字看板) at the top of a draft.
    pub max_figures: usize,
    /// Most figures inside one section.
    pub max_figures_per_section: usize,
    /// Most tables (tiers, per-group standards) in a draft.
    pub max_tables: usize,
    /// Most steps in a procedure.
    pub max_steps: usize,
    /// Most dates on the timeline.
    pub max_dates: usize,
    /// Longest figure label, in characters.
    pub max_label_chars: usize,
}

impl Default for TextConfig {
    fn default() -> Self {
        TextConfig {
            max_input_bytes: 2 * 1024 * 1024,
            max_bullet_chars: 100,
            max_bullets_per_section: 6,
            max_fact_bullets: 8,
            max_bullets: 80,
            max_sections: 8,
            min_sections: 3,
            max_figures: 6,
            max_figures_per_section: 4,
            max_tables: 3,
            max_steps: 6,
            max_dates: 6,
            max_label_chars: 16,
        }
    }
}

impl TextConfig {
    /// Every problem with the values, as `(key, problem)`; empty when the configuration is usable.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut check = |key: &str, v: usize, lo: usize, hi: usize| {
            if v < lo || v > hi {
                out.push((key.to_string(), format!("must be between {lo} and {hi}, got {v}")));
            }
        };
        check("max_input_bytes", self.max_input_bytes, 1024, 64 * 1024 * 1024);
        check("max_bullet_chars", self.max_bullet_chars, 12, 200);
        check("max_bullets_per_section", self.max_bullets_per_section, 1, 20);
        check("max_fact_bullets", self.max_fact_bullets, 0, 20);
        check("max_bullets", self.max_bullets, 1, 200);
        check("max_sections", self.max_sections, 1, 20);
        check("min_sections", self.min_sections, 1, 20);
        check("max_figures", self.max_figures, 0, 20);
        check("max_figures_per_section", self.max_figures_per_section, 0, 20);
        check("max_tables", self.max_tables, 0, 10);
        check("max_steps", self.max_steps, 0, 20);
        check("max_dates", self.max_dates, 0, 30);
        check("max_label_chars", self.max_label_chars, 4, 60);
        if self.min_sections > self.max_sections {
            out.push(("min_sections".to_string(), format!("must not exceed max_sections ({})", self.max_sections)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_problems_name_their_key() {
        assert!(TextConfig::default().validate().is_empty());
        let bad = TextConfig { max_bullet_chars: 5, max_sections: 0, ..TextConfig::default() };
        let keys: Vec<String> = bad.validate().into_iter().map(|(k, _)| k).collect();
        assert!(keys.contains(&"max_bullet_chars".to_string()));
        assert!(keys.contains(&"max_sections".to_string()));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = serde_json::from_str::<TextConfig>(r#"{"max_bulet_chars": 30}"#).unwrap_err();
        assert!(e.to_string().contains("max_bulet_chars"));
        let c: TextConfig = serde_json::from_str(r#"{"max_bullet_chars": 30}"#).unwrap();
        assert_eq!(c.max_bullet_chars, 30);
        assert_eq!(c.max_sections, 8);
    }
}
