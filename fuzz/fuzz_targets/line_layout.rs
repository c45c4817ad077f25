//! The renderer's typesetting (`Renderer::to_svg`: line breaking, measuring, fitting, the SVG templates) on
//! content made of arbitrary strings: never panics, never fails (a template error is a bug in the crate), and the
//! SVG it returns parses and rasterizes.
//!
//! The input, read as UTF-8 lossily, is split at newlines: the first piece is the title, the second the
//! subtitle, and the rest fill bullets, figures (value|unit|label), steps, dates (date|label) and a table
//! (cells split at `|`) in turn, a new section every six pieces.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tujie_model::{Bullet, Cell, DateItem, Figure, InfographicContent, Section, SectionKind, Span, Step, Table};
use tujie_render::{Mode, RenderConfig, Renderer};

static RENDERER: LazyLock<Renderer> =
    LazyLock::new(|| Renderer::new(RenderConfig::default(), Vec::new()).expect("renderer"));

const KINDS: [SectionKind; 4] =
    [SectionKind::Eligibility, SectionKind::Standards, SectionKind::HowToApply, SectionKind::Timeline];

fn field(parts: &[&str], i: usize) -> String {
    parts.get(i).copied().unwrap_or("").to_string()
}

fn content(text: &str) -> InfographicContent {
    let mut pieces = text.split('\n');
    let title = pieces.next().unwrap_or("").to_string();
    let subtitle = pieces.next().unwrap_or("").to_string();
    let span = vec![Span::new(0, 0)];
    let mut c = InfographicContent {
        title,
        subtitle,
        source_title: None,
        source_url: None,
        figures: Vec::new(),
        sections: Vec::new(),
    };
    for (i, piece) in pieces.take(120).enumerate() {
        if i % 6 == 0 {
            let kind = KINDS[(i / 6) % KINDS.len()];
            c.sections.push(Section::new(kind, piece));
            continue;
        }
        let s = c.sections.last_mut().expect("a section");
        let parts: Vec<&str> = piece.split('|').collect();
        match i % 6 {
            1 => s.bullets.push(Bullet { text: piece.to_string(), spans: span.clone() }),
            2 => {
                let f = Figure {
                    value: field(&parts, 0),
                    unit: field(&parts, 1),
                    label: field(&parts, 2),
                    spans: span.clone(),
                };
                if c.figures.len() < 4 {
                    c.figures.push(f.clone());
                }
                s.figures.push(f);
            }
            3 => s.steps.push(Step { text: piece.to_string(), spans: span.clone() }),
            4 => s.dates.push(DateItem { date: field(&parts, 0), label: field(&parts, 1), spans: span.clone() }),
            _ => {
                let cells: Vec<Cell> = parts.iter().map(|p| Cell::new(*p, span.clone())).collect();
                match s.tables.last_mut() {
                    Some(t) if t.rows.len() < 8 => {
                        let mut row = cells;
                        row.resize(t.header.len(), Cell::new("", span.clone()));
                        t.rows.push(row);
                    }
                    _ => s.tables.push(Table { caption: String::new(), header: cells, rows: Vec::new() }),
                }
            }
        }
    }
    c
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let c = content(&text);
    let mode = if data.first().is_some_and(|b| b & 1 == 1) { Mode::Approved } else { Mode::Draft };
    let draft = match RENDERER.to_svg(&c, Some("fuzz"), mode) {
        Ok(d) => d,
        Err(e) => panic!("to_svg failed: {e}"),
    };
    // The SVG must be one the renderer itself can read back (no markup from the content leaking into it).
    if let Err(e) = RENDERER.rasterize(&draft.svg, 54) {
        panic!("the renderer's own SVG does not rasterize: {e}");
    }
});
