//! Typesetting: turns [`InfographicContent`] into a page of positioned boxes and text lines (the view model
//! the Tera templates draw). All geometry is decided here, in a 1080-unit wide coordinate system, from glyph
//! advances of the faces usvg will render with; templates only choose how boxes and lines look.
//!
//! The page grows downward as boxes fill; past `max_height` the rest is cut at an item boundary (a bullet,
//! a step, a row of figures, a date, a table row) and a visible note plus a warning say so. Tables are laid
//! out in [`table`].

mod slide;
mod table;

use serde::Serialize;
use tujie_model::content::{Bullet, DateItem, Figure, InfographicContent, Section, Step};

use crate::config::{Mode, RenderConfig, Theme};
use crate::fonts::{FontSet, MISSING_REPLACEMENT};
use crate::linebreak;
pub use slide::SlideCard;
pub(crate) use slide::slide;
use table::{Rule, TableCell};

/// Width of the page coordinate system; the SVG's viewBox is this wide and scales to any output width.
pub(crate) const PAGE_W: i32 = 1080;
const CARD_X: i32 = 40;
const CARD_W: i32 = PAGE_W - 2 * CARD_X;
const CARD_PAD: i32 = 40;
const INNER_X: i32 = CARD_X + CARD_PAD;
const INNER_W: i32 = CARD_W - 2 * CARD_PAD;
/// Height of the draft banner; the header starts its content below it in both modes so that Draft and
/// Approved images have identical geometry.
const BANNER_H: i32 = 64;
/// Slack kept at the right end of every line: harfrust applies kerning we do not model, and a pixel of
/// margin costs nothing visually.
const FIT_SLACK: f32 = 2.0;
/// Em-box top above the baseline for CJK faces (ideographic em box spans +0.88 … −0.12 em).
const EM_ASCENT: f32 = 0.88;

/// One run of uniformly styled text within a line.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Run {
    pub text: String,
    pub bold: bool,
    pub size: u32,
    pub fill: String,
}

/// One line of text: exactly one `<text>` element in the SVG.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Line {
    /// `t{box}_{n}`: the box this line must stay inside is the rect with id `b{box}`.
    pub id: String,
    pub x: i32,
    pub y: i32,
    pub anchor: &'static str,
    /// The line's base style (first run); further runs become `<tspan>`s.
    pub size: u32,
    pub bold: bool,
    pub fill: String,
    pub first: String,
    pub rest: Vec<Run>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rect {
    pub id: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    pub rect: Rect,
    pub logo: Vec<Line>,
    pub tag: Option<Pill>,
    pub title: Vec<Line>,
    pub subtitle: Vec<Line>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pill {
    pub rect: Rect,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card {
    pub rect: Rect,
    pub heading: Option<Pill>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell {
    pub rect: Rect,
    pub cx: i32,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BulletItem {
    pub cx: i32,
    pub cy: i32,
    pub lines: Vec<Line>,
}

/// One step of a 流程图, stacked (with a connector to the next) or side by side in a flow (with arrows).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepItem {
    pub rect: Rect,
    pub cx: i32,
    pub cy: i32,
    pub number: String,
    pub number_y: i32,
    pub lines: Vec<Line>,
    /// Arrow from this step's badge down to the next one: `(y1, y2)`.
    pub connector: Option<(i32, i32)>,
}

/// A right-pointing arrow centred at `(x, y)`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Arrow {
    pub x: i32,
    pub y: i32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateEntry {
    pub cy: i32,
    pub lines: Vec<Line>,
}

/// A section part; its `kind` selects the section template.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Part {
    Figures {
        cells: Vec<Cell>,
    },
    Bullets {
        items: Vec<BulletItem>,
    },
    Steps {
        items: Vec<StepItem>,
    },
    /// Short steps side by side with arrows between them (a horizontal 流程图).
    Flow {
        items: Vec<StepItem>,
        arrows: Vec<Arrow>,
    },
    Timeline {
        x: i32,
        y1: i32,
        y2: i32,
        items: Vec<DateEntry>,
    },
    /// A 表格: header row in the theme colour, banded rows, thin rules; every cell its own box.
    Table {
        caption: Vec<Line>,
        frame: Rect,
        cells: Vec<TableCell>,
        rules: Vec<Rule>,
    },
    /// A table with too many columns for a grid, one `表头：值；表头：值` line per row.
    TableLines {
        caption: Vec<Line>,
        items: Vec<BulletItem>,
    },
    Note {
        lines: Vec<Line>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Watermark {
    pub x: i32,
    pub y: i32,
}

/// Everything the page template draws.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Page {
    pub width: i32,
    pub height: i32,
    pub font_family: String,
    pub theme: Theme,
    pub draft: bool,
    pub banner: Option<Pill>,
    pub watermarks: Vec<Watermark>,
    pub header: Header,
    pub cards: Vec<Card>,
    pub footer: Pill,
    /// A video slide's subtitle, drawn over the lower part of the frame; `None` on the long image.
    pub caption: Option<Pill>,
}

/// The typesetting result: the page plus what the reviewer must be told.
#[derive(Debug)]
pub(crate) struct Laid {
    pub page: Page,
    pub template: String,
    pub warnings: Vec<String>,
    pub missing: Vec<char>,
}

/// A character with the style it is measured and drawn in.
#[derive(Debug, Clone, Copy)]
struct Styled {
    ch: char,
    bold: bool,
    size: u32,
    colour: u8,
}

struct Ctx<'a> {
    fonts: &'a FontSet,
    cfg: &'a RenderConfig,
    theme: &'a Theme,
    warnings: Vec<String>,
    missing: Vec<char>,
    next_box: u32,
    /// Rect id of the card being filled; bullets and dates are checked against it.
    current_card: String,
    next_line: u32,
}

/// Colour slots a run can use; indices into [`Ctx::colour`].
const C_TEXT: u8 = 0;
const C_PRIMARY: u8 = 1;
const C_MUTED: u8 = 2;
const C_ON_PRIMARY: u8 = 3;
const C_PRIMARY_DARK: u8 = 4;
const C_BANNER: u8 = 5;

pub(crate) fn typeset(
    fonts: &FontSet,
    cfg: &RenderConfig,
    content: &InfographicContent,
    site: Option<&str>,
    mode: Mode,
) -> Laid {
    let theme = cfg.theme_for(site);
    let mut cx = Ctx::new(fonts, cfg, theme);
    let mut parts: Vec<&'static str> = Vec::new();

    let header = cx.header(content);
    let mut y = header.rect.h;

    // The footer is laid out first so that the cut-off budget for the sections is known.
    let footer_lines = cx.footer_texts(content);
    let (mut footer, footer_h) = cx.footer(&footer_lines);
    let note_h = 160;
    let budget = cfg.max_height as i32 - footer_h - note_h;

    let mut cards = Vec::new();
    let mut cut = false;
    let mut omitted = 0usize;
    if !content.figures.is_empty() {
        y -= 56; // the headline board overlaps the header, the usual 一图读懂 look
        let items = cx.cap(&content.figures, "顶部数字");
        let (card, bottom, placed, complete) = cx.card(y, None, budget, |cx, y, limit| {
            let (part, y, n) = cx.figures(y, items, limit);
            (vec![part], y, n, n == items.len())
        });
        if !complete {
            cut = true;
            omitted += items.len() - placed;
        }
        if let Some(card) = card {
            parts.push("figures");
            cards.push(card);
            y = bottom + 72;
        }
    } else {
        y += 72;
    }

    let sections = &content.sections[..content.sections.len().min(cfg.max_sections)];
    if sections.len() < content.sections.len() {
        let n = content.sections.len() - sections.len();
        cx.warn(format!("内容共 {} 节，图中最多画 {} 节，后 {n} 节未画出", content.sections.len(), cfg.max_sections));
    }
    for section in sections {
        let total = section_items(section);
        if cut {
            omitted += total;
            continue;
        }
        if total == 0 {
            continue;
        }
        let heading =
            if section.heading.trim().is_empty() { section.kind.default_heading() } else { section.heading.as_str() };
        let (card, bottom, placed, complete) =
            cx.card(y, Some(heading), budget, |cx, y, limit| cx.section_parts(y, section, limit));
        if !complete {
            cut = true;
            omitted += total.saturating_sub(placed);
        }
        if let Some(card) = card {
            for p in &card.parts {
                let name = match p {
                    Part::Figures { .. } => "figures",
                    Part::Bullets { .. } => "bullets",
                    Part::Steps { .. } | Part::Flow { .. } => "steps",
                    Part::Timeline { .. } => "timeline",
                    Part::Table { .. } | Part::TableLines { .. } => "table",
                    Part::Note { .. } => continue,
                };
                if !parts.contains(&name) {
                    parts.push(name);
                }
            }
            cards.push(card);
            y = bottom + 72;
        }
    }
    if cut {
        cx.warn(format!(
            "图片已达最大高度（{} 像素），其后 {omitted} 条内容未画出；请删减内容，或把草稿分成两张图",
            cfg.max_height
        ));
        let rect = cx.rect(CARD_X, y - 40, CARD_W, 0);
        let text = cx.styled("（篇幅所限，其余内容从略，详见政策原文）", false, 30, C_MUTED);
        let (lines, h) = cx.lines(&rect.id, &text, PAGE_W / 2, y - 40 + 28, INNER_W, 46, "middle");
        let mut rect = rect;
        rect.h = h + 56;
        y = rect.y + rect.h + 48;
        cards.push(Card { rect, heading: None, parts: vec![Part::Note { lines }] });
    } else {
        y -= 24;
    }

    // Place the footer now that its top is known.
    let dy = y - footer.rect.y;
    footer.rect.y += dy;
    for l in &mut footer.lines {
        l.y += dy;
    }
    let height = y + footer_h;

    let draft = mode == Mode::Draft;
    let (banner, watermarks) = cx.draft_mark(draft, height);

    let template = format!("long/v1:{}", if parts.is_empty() { "header".to_string() } else { parts.join("+") });
    let Ctx { warnings, missing, .. } = cx;
    Laid {
        page: Page {
            width: PAGE_W,
            height,
            font_family: fonts.family().to_string(),
            theme: theme.clone(),
            draft,
            banner,
            watermarks,
            header,
            cards,
            footer,
            caption: None,
        },
        template,
        warnings,
        missing,
    }
}

/// Wraps a paragraph and then evens it out; the text's break opportunities (and its segmentation into
/// words) are found once and reused for every width tried. Centred text (titles, labels, headings) is balanced: the narrowest
/// measure that keeps the same number of lines, so `某某省2025年设备更新改造实 / 施方案` becomes two even
/// lines. Left-aligned text only avoids a widow: a last line of three characters or fewer pulls a few more down.
fn shape_paragraph(text: &str, widths: &[f32], max_w: f32, balance: bool) -> Vec<std::ops::Range<usize>> {
    let breaks = linebreak::Breaks::new(text);
    let wrap = |w: f32| breaks.wrap(w, widths);
    let ranges = wrap(max_w);
    let n = ranges.len();
    if n < 2 {
        return ranges;
    }
    if balance && n == 2 {
        return two_lines(&breaks, widths, max_w).unwrap_or(ranges);
    }
    if balance {
        let (mut lo, mut hi, mut best) = (0.0f32, max_w, ranges);
        for _ in 0..10 {
            let mid = (lo + hi) / 2.0;
            let r = wrap(mid);
            if r.len() <= n {
                hi = mid;
                best = r;
            } else {
                lo = mid;
            }
        }
        return best;
    }
    if ranges[n - 1].len() > 3 {
        return ranges;
    }
    let em = widths.iter().copied().fold(0.0, f32::max);
    for k in 1..=4 {
        let r = wrap(max_w - k as f32 * em);
        if r.len() != n {
            break;
        }
        if r[n - 1].len() > 3 {
            return r;
        }
    }
    ranges
}

/// Chooses the break of a two-line centred text (most titles): among the permitted breaks where both lines
/// fit, and between words whenever such a break fits, the one with the most even lines, preferring to break
/// after a function word or a date (`关于|`, `的|`, `2018年度|`): `国务院关于2018年度 / 某某科学技术奖励的决定`
/// rather than `…2018年度国 / 家科学…`. A good break may cost up to three em of imbalance.
fn two_lines(breaks: &linebreak::Breaks, widths: &[f32], max_w: f32) -> Option<Vec<std::ops::Range<usize>>> {
    const GOOD_AFTER: &str = "于的和与及之在对年度、，：；）》」』";
    const GOOD_BEFORE: &str = "（《「『";
    let chars = breaks.chars();
    let em = widths.iter().copied().fold(0.0, f32::max);
    let trimmed = |r: std::ops::Range<usize>| {
        let (mut a, mut b) = (r.start, r.end);
        while a < b && chars[a].is_whitespace() {
            a += 1;
        }
        while b > a && chars[b - 1].is_whitespace() {
            b -= 1;
        }
        a..b
    };
    // The best break between words, and the best of any kind.
    let mut best: [Option<(f32, Vec<std::ops::Range<usize>>)>; 2] = [None, None];
    for i in 1..chars.len() {
        if !breaks.allowed[i] {
            continue;
        }
        let (a, b) = (trimmed(0..i), trimmed(i..chars.len()));
        let (wa, wb): (f32, f32) = (widths[a.clone()].iter().sum(), widths[b.clone()].iter().sum());
        if a.is_empty() || b.is_empty() || wa > max_w || wb > max_w {
            continue;
        }
        let good = GOOD_AFTER.contains(chars[i - 1]) || GOOD_BEFORE.contains(chars[i]);
        let score = (wa - wb).abs() + if good { 0.0 } else { 3.0 * em };
        for (k, slot) in best.iter_mut().enumerate() {
            if (k == 1 || breaks.preferred(i)) && slot.as_ref().is_none_or(|(s, _)| score < *s) {
                *slot = Some((score, vec![a.clone(), b.clone()]));
            }
        }
    }
    let [between_words, any] = best;
    between_words.or(any).map(|(_, r)| r)
}

/// What a cut counts: figures, bullets, steps, dates and table rows.
fn section_items(s: &Section) -> usize {
    s.figures.len()
        + s.bullets.len()
        + s.steps.len()
        + s.dates.len()
        + s.tables.iter().map(|t| t.rows.len()).sum::<usize>()
}

impl<'a> Ctx<'a> {
    fn new(fonts: &'a FontSet, cfg: &'a RenderConfig, theme: &'a Theme) -> Self {
        Self {
            fonts,
            cfg,
            theme,
            warnings: Vec::new(),
            missing: Vec::new(),
            next_box: 0,
            current_card: String::new(),
            next_line: 0,
        }
    }

    /// The 草稿 banner and watermarks of an unapproved page `height` units tall; nothing when approved.
    fn draft_mark(&mut self, draft: bool, height: i32) -> (Option<Pill>, Vec<Watermark>) {
        if !draft {
            return (None, Vec::new());
        }
        let rect = self.rect(0, 0, PAGE_W, BANNER_H);
        let text = self.styled("草稿 · 待审核，请勿发布", true, 30, C_BANNER);
        let (lines, _) = self.lines(&rect.id, &text, PAGE_W / 2, 9, PAGE_W - 80, 46, "middle");
        let watermarks = (0..)
            .map(|i| 640 + i * 1100)
            .take_while(|&wy| wy < height)
            .map(|wy| Watermark { x: PAGE_W / 2, y: wy })
            .collect();
        (Some(Pill { rect, lines }), watermarks)
    }

    fn warn(&mut self, w: String) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    fn colour(&self, c: u8) -> &str {
        match c {
            C_PRIMARY => &self.theme.primary,
            C_MUTED => &self.theme.muted,
            C_ON_PRIMARY => &self.theme.on_primary,
            C_PRIMARY_DARK => &self.theme.primary_dark,
            C_BANNER => "#3A2A00",
            _ => &self.theme.text,
        }
    }

    fn rect(&mut self, x: i32, y: i32, w: i32, h: i32) -> Rect {
        self.next_box += 1;
        Rect { id: format!("b{}", self.next_box), x, y, w, h }
    }

    fn cap<'t, T>(&mut self, items: &'t [T], what: &str) -> &'t [T] {
        let max = self.cfg.max_items_per_section;
        if items.len() > max {
            self.warn(format!("「{what}」每节最多画 {max} 条，后 {} 条未画出", items.len() - max));
            &items[..max]
        } else {
            items
        }
    }

    /// Normalises a text for drawing: whitespace collapsed, invisible format characters dropped, length capped,
    /// and every character without a glyph replaced by 〓 and recorded (never drawn as a box or lost silently).
    fn clean(&mut self, s: &str, max_chars: usize) -> String {
        let mut out = String::with_capacity(s.len());
        let mut last_space = true;
        let mut count = 0;
        for ch in s.chars() {
            if ch.is_whitespace() && ch != '\u{3000}' {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
                continue;
            }
            // Zero-width and bidi controls, variation selectors: invisible by design, nothing to lose.
            if ch.is_control()
                || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
            {
                continue;
            }
            last_space = false;
            count += 1;
            if count > max_chars {
                let shown: String = out.chars().take(max_chars.saturating_sub(1)).collect();
                self.warn(format!(
                    "文字超过 {max_chars} 字，已截短：「{}…」",
                    shown.chars().take(20).collect::<String>()
                ));
                out = shown;
                out.push('…');
                break;
            }
            if self.fonts.has_glyph(ch) {
                out.push(ch);
            } else {
                if !self.missing.contains(&ch) {
                    self.missing.push(ch);
                    self.warnings.push(format!(
                        "字体中没有「{ch}」（U+{:04X}），图中显示为 {MISSING_REPLACEMENT}；请修改文字，或请管理员添加含这个字的字体",
                        ch as u32
                    ));
                }
                out.push(MISSING_REPLACEMENT);
            }
        }
        out.trim_end().to_string()
    }

    fn styled(&mut self, s: &str, bold: bool, size: u32, colour: u8) -> Vec<Styled> {
        let max = self.cfg.max_text_chars;
        self.clean(s, max).chars().map(|ch| Styled { ch, bold, size, colour }).collect()
    }

    fn width(&self, text: &[Styled]) -> f32 {
        text.iter().map(|s| self.advance(s)).sum()
    }

    fn advance(&self, s: &Styled) -> f32 {
        self.fonts.advance(s.ch, s.bold).unwrap_or(1.0) * s.size as f32
    }

    /// Wraps `text` to `max_w` and positions the lines from `top`, `lh` apart; returns lines and total height.
    #[allow(clippy::too_many_arguments)]
    fn lines(
        &mut self,
        box_id: &str,
        text: &[Styled],
        x: i32,
        top: i32,
        max_w: i32,
        lh: i32,
        anchor: &'static str,
    ) -> (Vec<Line>, i32) {
        let plain: String = text.iter().map(|s| s.ch).collect();
        let widths: Vec<f32> = text.iter().map(|s| self.advance(s)).collect();
        let ranges = shape_paragraph(&plain, &widths, max_w as f32 - FIT_SLACK, anchor == "middle");
        let mut out = Vec::with_capacity(ranges.len());
        for (n, r) in ranges.into_iter().enumerate() {
            let chars = &text[r];
            // Baseline so that the line's tallest em box is centred in its line box.
            let size = chars.iter().map(|s| s.size).max().unwrap_or(0) as f32;
            let y = top + n as i32 * lh + ((lh as f32 - size) / 2.0 + EM_ASCENT * size).round() as i32;
            let mut runs: Vec<Run> = Vec::new();
            for s in chars {
                let fill = self.colour(s.colour);
                match runs.last_mut() {
                    Some(r) if r.bold == s.bold && r.size == s.size && r.fill == fill => r.text.push(s.ch),
                    _ => runs.push(Run { text: s.ch.to_string(), bold: s.bold, size: s.size, fill: fill.to_string() }),
                }
            }
            let first = runs.remove(0);
            self.next_line += 1;
            out.push(Line {
                id: format!("t{}_{}", box_id.trim_start_matches('b'), self.next_line),
                x,
                y,
                anchor,
                size: first.size,
                bold: first.bold,
                fill: first.fill,
                first: first.text,
                rest: runs,
            });
        }
        let h = out.len() as i32 * lh;
        (out, h)
    }

    fn header(&mut self, content: &InfographicContent) -> Header {
        let rect_id = self.rect(0, 0, PAGE_W, 0);
        let box_id = rect_id.id.clone();
        let text_w = PAGE_W - 144;
        let mut y = BANNER_H + 44;
        let theme = self.theme;
        let logo_text = self.styled(&theme.logo_text, false, 30, C_ON_PRIMARY);
        let (logo, h) = self.lines(&box_id, &logo_text, PAGE_W / 2, y, text_w, 44, "middle");
        if h > 0 {
            y += h + 20;
        }
        let tag_text = self.styled(&theme.tagline, true, 30, C_PRIMARY_DARK);
        let tag = (!tag_text.is_empty()).then(|| {
            let w = (self.width(&tag_text).ceil() as i32 + 64).min(text_w);
            let mut rect = self.rect(PAGE_W / 2 - w / 2, y, w, 0);
            let (lines, h) = self.lines(&rect.id, &tag_text, PAGE_W / 2, y + 6, w - 40, 44, "middle");
            rect.h = h + 12;
            y += rect.h + 28;
            Pill { rect, lines }
        });
        let title = self.clean(&content.title, self.cfg.max_title_chars);
        let title = if title.is_empty() { "（无标题）".to_string() } else { title };
        // A long title steps down in size before it wraps past two lines; past the smallest size it wraps on.
        let mut chosen = Vec::new();
        for size in [68u32, 62, 56, 50, 44] {
            let text: Vec<Styled> =
                title.chars().map(|ch| Styled { ch, bold: true, size, colour: C_ON_PRIMARY }).collect();
            let lh = (size as f32 * 1.32).round() as i32;
            let (lines, h) = self.lines(&box_id, &text, PAGE_W / 2, y, text_w, lh, "middle");
            let fits = lines.len() <= 2;
            chosen = vec![(lines, h)];
            if fits {
                break;
            }
        }
        let (title_lines, h) = chosen.pop().expect("at least one size tried");
        y += h;
        let sub_text = self.styled(&content.subtitle, false, 28, C_ON_PRIMARY);
        let (subtitle, h) = self.lines(&box_id, &sub_text, PAGE_W / 2, y + 20, text_w, 42, "middle");
        if h > 0 {
            y += h + 20;
        }
        let mut rect = rect_id;
        rect.h = y + if content.figures.is_empty() { 56 } else { 112 };
        Header { rect, logo, tag, title: title_lines, subtitle }
    }

    fn footer_texts(&mut self, content: &InfographicContent) -> Vec<Vec<Styled>> {
        let mut out = Vec::new();
        if let Some(t) = content.source_title.as_deref().filter(|t| !t.trim().is_empty()) {
            let mut s = self.styled("信息来源：", true, 24, C_ON_PRIMARY);
            s.extend(self.styled(t, false, 24, C_ON_PRIMARY));
            out.push(s);
        }
        if let Some(u) = content.source_url.as_deref().filter(|t| !t.trim().is_empty()) {
            let mut s = self.styled("原文链接：", true, 24, C_ON_PRIMARY);
            s.extend(self.styled(u, false, 24, C_ON_PRIMARY));
            out.push(s);
        }
        let theme = self.theme;
        for t in [&theme.disclaimer, &theme.footer_text] {
            let s = self.styled(t, false, 24, C_ON_PRIMARY);
            if !s.is_empty() {
                out.push(s);
            }
        }
        out
    }

    /// Lays the footer out at y = 0 (moved into place later); returns it and its height.
    fn footer(&mut self, texts: &[Vec<Styled>]) -> (Pill, i32) {
        let mut rect = self.rect(0, 0, PAGE_W, 0);
        let mut y = 40;
        let mut lines = Vec::new();
        for t in texts {
            let (l, h) = self.lines(&rect.id.clone(), t, 64, y, PAGE_W - 128, 38, "start");
            lines.extend(l);
            y += h + 6;
        }
        rect.h = y + 40;
        let h = rect.h;
        (Pill { rect, lines }, h)
    }

    /// A card at `top` with an optional heading pill. `fill` lays the parts out from a y within a bottom limit
    /// and returns (parts, bottom, items placed, all placed). Returns the card (None if nothing fit), its
    /// bottom, the items placed and whether all were.
    fn card(
        &mut self,
        top: i32,
        heading: Option<&str>,
        budget: i32,
        fill: impl FnOnce(&mut Self, i32, i32) -> (Vec<Part>, i32, usize, bool),
    ) -> (Option<Card>, i32, usize, bool) {
        let mut rect = self.rect(CARD_X, top, CARD_W, 0);
        self.current_card = rect.id.clone();
        let mut y = top + CARD_PAD;
        let heading = heading.map(|h| {
            let text = self.styled(h, true, 38, C_ON_PRIMARY);
            let w = (self.width(&text).ceil() as i32 + 96).min(CARD_W - 40);
            let mut pill = self.rect(PAGE_W / 2 - w / 2, top - 30, w, 0);
            let (lines, h) = self.lines(&pill.id, &text, PAGE_W / 2, top - 30 + 10, w - 64, 52, "middle");
            pill.h = h + 20;
            y = pill.y + pill.h + 32;
            Pill { rect: pill, lines }
        });
        let (parts, bottom, placed, complete) = fill(self, y, budget - CARD_PAD);
        if placed == 0 {
            return (None, top, 0, complete);
        }
        rect.h = bottom + CARD_PAD - top;
        let bottom = rect.y + rect.h;
        (Some(Card { rect, heading, parts }), bottom, placed, complete)
    }

    fn section_parts(&mut self, mut y: i32, s: &Section, limit: i32) -> (Vec<Part>, i32, usize, bool) {
        let mut parts = Vec::new();
        let mut placed = 0;
        let what = if s.heading.is_empty() { s.kind.default_heading().to_string() } else { s.heading.clone() };
        let figures = self.cap(&s.figures, &what);
        let bullets = self.cap(&s.bullets, &what);
        let steps = self.cap(&s.steps, &what);
        let dates = self.cap(&s.dates, &what);
        // Lays out `$len` items with `self.$f(start, .., limit)`; stops the section when not all fit.
        macro_rules! part {
            ($len:expr, $f:ident ( $($arg:expr),* )) => {
                if $len > 0 {
                    let start = if parts.is_empty() { y } else { y + 36 };
                    let (part, bottom, n) = self.$f(start, $($arg,)* limit);
                    if n > 0 {
                        parts.push(part);
                        y = bottom;
                    }
                    placed += n;
                    if n < $len {
                        return (parts, y, placed, false);
                    }
                }
            };
            ($items:expr, $f:ident) => {
                part!($items.len(), $f($items))
            };
        }
        // Order within a section: the numbers first (figures, then tables of tiers or groups), then the prose,
        // then procedure and dates.
        part!(figures, figures);
        for t in &s.tables {
            let rows = t.rows.len().min(self.cfg.max_items_per_section);
            part!(rows, table(t, &what));
        }
        part!(bullets, bullets);
        part!(steps, steps);
        part!(dates, timeline);
        (parts, y, placed, true)
    }

    fn figures(&mut self, top: i32, figs: &[Figure], limit: i32) -> (Part, i32, usize) {
        let cols: usize = match figs.len() {
            1 => 1,
            2 | 4 => 2,
            _ => 3,
        };
        let gap = 20;
        let cell_w = (INNER_W - gap * (cols as i32 - 1)) / cols as i32;
        let text_w = cell_w - 32;
        let mut cells = Vec::new();
        let mut y = top;
        let mut placed = 0;
        for row in figs.chunks(cols) {
            let mut row_cells = Vec::new();
            let mut row_h = 0;
            // A short last row is centred rather than left hanging.
            let offset = (cols - row.len()) as i32 * (cell_w + gap) / 2;
            for (i, f) in row.iter().enumerate() {
                let x = INNER_X + offset + i as i32 * (cell_w + gap);
                let mut rect = self.rect(x, y, cell_w, 0);
                // Keep value and unit on one line by stepping the size down; only at the smallest size wrap.
                let mut value_lines = (Vec::new(), 0);
                for size in [64u32, 56, 48, 40, 34] {
                    let mut text = self.styled(&f.value, true, size, C_PRIMARY);
                    let unit_size = ((size as f32 * 0.45).round() as u32).max(24);
                    text.extend(self.styled(&f.unit, true, unit_size, C_PRIMARY));
                    let lh = (size as f32 * 1.25).round() as i32;
                    let fits = self.width(&text) <= text_w as f32 - FIT_SLACK;
                    value_lines = self.lines(&rect.id, &text, x + cell_w / 2, y + 22, text_w, lh, "middle");
                    if fits {
                        break;
                    }
                }
                let label = self.styled(&f.label, false, 26, C_MUTED);
                let (mut lines, vh) = value_lines;
                let (label_lines, lh) =
                    self.lines(&rect.id, &label, x + cell_w / 2, y + 22 + vh + 4, text_w, 38, "middle");
                lines.extend(label_lines);
                let h = 22 + vh + 4 + lh + 24;
                row_h = row_h.max(h);
                rect.h = h;
                row_cells.push(Cell { rect, cx: x + cell_w / 2, lines });
            }
            if y + row_h > limit {
                break;
            }
            // Equal heights across the row; contents centred vertically in the taller cells.
            for c in &mut row_cells {
                let dy = (row_h - c.rect.h) / 2;
                c.rect.h = row_h;
                for l in &mut c.lines {
                    l.y += dy;
                }
            }
            placed += row_cells.len();
            cells.extend(row_cells);
            y += row_h + gap;
        }
        (Part::Figures { cells }, y - gap, placed)
    }

    fn bullets(&mut self, top: i32, bullets: &[Bullet], limit: i32) -> (Part, i32, usize) {
        let mut items = Vec::new();
        let mut y = top;
        let card_box = self.current_card.clone();
        let mut placed = 0;
        for b in bullets {
            let styled = self.with_lead_in(&b.text, 32);
            let (lines, h) = self.lines(&card_box, &styled, INNER_X + 32, y, INNER_W - 32, 52, "start");
            if y + h > limit {
                break;
            }
            placed += 1;
            if lines.is_empty() {
                continue;
            }
            items.push(BulletItem { cx: INNER_X + 10, cy: y + 26, lines });
            y += h + 14;
        }
        (Part::Bullets { items }, y - 14, placed)
    }

    /// Body text whose leading `小标题：` (2–14 characters, no clause punctuation) is set in bold primary, the
    /// way 一图读懂 pages set lead-ins.
    fn with_lead_in(&mut self, text: &str, size: u32) -> Vec<Styled> {
        let text = self.clean(text, self.cfg.max_text_chars);
        let lead = text.find('：').filter(|&i| {
            let head = &text[..i];
            (2..=14).contains(&head.chars().count()) && !head.contains(['，', '。', '；', '、'])
        });
        text.char_indices()
            .map(|(i, ch)| {
                let in_lead = lead.is_some_and(|l| i <= l);
                Styled { ch, bold: in_lead, size, colour: if in_lead { C_PRIMARY } else { C_TEXT } }
            })
            .collect()
    }

    fn steps(&mut self, top: i32, steps: &[Step], limit: i32) -> (Part, i32, usize) {
        if let Some(flow) = self.flow(top, steps, limit) {
            return flow;
        }
        let mut items: Vec<StepItem> = Vec::new();
        let mut y = top;
        let box_x = INNER_X + 84;
        let box_w = INNER_W - 84;
        for (n, st) in steps.iter().enumerate() {
            let mut rect = self.rect(box_x, y, box_w, 0);
            let text = self.with_lead_in(&st.text, 32);
            let (lines, h) = self.lines(&rect.id, &text, box_x + 28, y + 18, box_w - 56, 48, "start");
            rect.h = (h + 36).max(84);
            // Centre one-line texts in the minimum-height box.
            let dy = (rect.h - 36 - h) / 2;
            let lines = lines
                .into_iter()
                .map(|mut l| {
                    l.y += dy;
                    l
                })
                .collect();
            if y + rect.h > limit {
                break;
            }
            let cy = y + 42;
            if let Some(prev) = items.last_mut() {
                prev.connector = Some((prev.cy + 34, cy - 34));
            }
            y += rect.h + 32;
            items.push(StepItem {
                cx: INNER_X + 34,
                cy,
                number: (n + 1).to_string(),
                number_y: cy + 12,
                lines,
                connector: None,
                rect,
            });
        }
        let n = items.len();
        (Part::Steps { items }, y - 32, n)
    }

    /// Two to five short steps (each fitting three lines of a column) read best as a horizontal flow; returns
    /// `None` when they do not fit, and the caller stacks them vertically instead.
    fn flow(&mut self, top: i32, steps: &[Step], limit: i32) -> Option<(Part, i32, usize)> {
        let n = steps.len();
        if !(2..=5).contains(&n) {
            return None;
        }
        let gap = 44;
        let w = (INNER_W - gap * (n as i32 - 1)) / n as i32;
        let mut texts = Vec::with_capacity(n);
        for st in steps {
            let text = self.styled(&st.text, true, 30, C_TEXT);
            let plain: String = text.iter().map(|s| s.ch).collect();
            let widths: Vec<f32> = text.iter().map(|s| self.advance(s)).collect();
            if shape_paragraph(&plain, &widths, (w - 32) as f32 - FIT_SLACK, true).len() > 3 {
                return None;
            }
            texts.push(text);
        }
        let badge = 28;
        let text_top = top + badge + 34;
        let mut items = Vec::with_capacity(n);
        let mut max_h = 0;
        for (i, text) in texts.iter().enumerate() {
            let x = INNER_X + i as i32 * (w + gap);
            let rect = self.rect(x, top + badge, w, 0);
            let (lines, h) = self.lines(&rect.id, text, x + w / 2, text_top, w - 32, 44, "middle");
            max_h = max_h.max(h);
            let cy = top + badge;
            items.push(StepItem {
                rect,
                cx: x + w / 2,
                cy,
                number: (i + 1).to_string(),
                number_y: cy + 11,
                lines,
                connector: None,
            });
        }
        let box_h = 34 + max_h + 24;
        if top + badge + box_h > limit {
            return None;
        }
        for it in &mut items {
            it.rect.h = box_h;
            // Centre shorter texts vertically under the badge.
            let h = it.lines.len() as i32 * 44;
            for l in &mut it.lines {
                l.y += (max_h - h) / 2;
            }
        }
        let arrows =
            (1..n as i32).map(|i| Arrow { x: INNER_X + i * (w + gap) - gap / 2, y: top + badge + box_h / 2 }).collect();
        Some((Part::Flow { items, arrows }, top + badge + box_h, n))
    }

    fn timeline(&mut self, top: i32, dates: &[DateItem], limit: i32) -> (Part, i32, usize) {
        let mut items = Vec::new();
        let mut y = top;
        let card_box = self.current_card.clone();
        let x = INNER_X + 14;
        for d in dates {
            let mut text = self.styled(&d.date, true, 32, C_PRIMARY);
            let (mut lines, h1) = self.lines(&card_box, &text, INNER_X + 48, y, INNER_W - 48, 48, "start");
            text = self.styled(&d.label, false, 30, C_TEXT);
            let (label, h2) = self.lines(&card_box, &text, INNER_X + 48, y + h1, INNER_W - 48, 46, "start");
            if y + h1 + h2 > limit {
                break;
            }
            lines.extend(label);
            items.push(DateEntry { cy: y + 24, lines });
            y += h1 + h2 + 28;
        }
        let (y1, y2) = (items.first().map_or(top, |d| d.cy), items.last().map_or(top, |d| d.cy));
        let n = items.len();
        (Part::Timeline { x, y1, y2, items }, y - 28, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, max: f32) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let widths: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).collect();
        shape_paragraph(text, &widths, max, true).into_iter().map(|r| chars[r].iter().collect()).collect()
    }

    #[test]
    fn two_line_titles_break_after_function_words_when_nearly_even() {
        assert_eq!(
            split("国务院关于2018年度某某科学技术奖励的决定", 13.7),
            ["国务院关于2018年度", "某某科学技术奖励的决定"]
        );
        // No good break near the middle: the evenest split wins.
        assert_eq!(split("某某省2025年设备更新改造实施方案", 13.7), ["某某省2025年设备", "更新改造实施方案"]);
    }

    #[test]
    fn centred_text_is_balanced() {
        // Greedy 10-9-4 becomes 7-9-7, every break between words.
        assert_eq!(
            split("县民政局会同县财政局负责组织实施本办法有关工作", 10.0),
            ["县民政局会同县", "财政局负责组织实施", "本办法有关工作"]
        );
    }
}
