//! Video slides: 1080×1920 frames of the 音视频解读, laid out by the same measured code, section parts and theme
//! as the long image (see the parent module), so a slide can no more overflow than the image can.
//!
//! Three cards: the title card (the header, centred, with the headline 数字看板), one card per narrated section
//! (a band with the title, then the section's parts cut at an item boundary above the subtitle area), and the
//! closing card with the source. Every frame reserves the same subtitle area above the footer, so the frames of
//! one slide differ only in their caption. Unapproved slides carry the 草稿 banner and watermarks.

use tujie_model::content::InfographicContent;

use super::{BANNER_H, C_ON_PRIMARY, C_TEXT, Card, Ctx, Header, INNER_W, Laid, PAGE_W, Page, Part, Pill, Styled};
use crate::config::{Mode, RenderConfig};
use crate::fonts::FontSet;

/// Height of a slide in page units (the width is the page's 1080).
pub(crate) const SLIDE_H: i32 = 1920;
/// Subtitle text size and line height.
const CAPTION_SIZE: u32 = 52;
const CAPTION_LH: i32 = 74;
/// Space reserved for a two-line subtitle, padding included.
const CAPTION_H: i32 = 2 * CAPTION_LH + 44;

/// Which card a slide shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlideCard {
    /// Title, issuer and headline figures.
    Title,
    /// `content.sections[i]`.
    Section(usize),
    /// The source: title, link, and that the original prevails.
    Closing,
}

/// Lays out one frame: `card` with `caption` (subtitle lines, already wrapped) over its lower part.
pub(crate) fn slide(
    fonts: &FontSet,
    cfg: &RenderConfig,
    content: &InfographicContent,
    card: SlideCard,
    caption: &[String],
    site: Option<&str>,
    mode: Mode,
) -> Laid {
    let theme = cfg.theme_for(site);
    let mut cx = Ctx::new(fonts, cfg, theme);
    let footer_lines: Vec<Vec<Styled>> = [&theme.disclaimer, &theme.footer_text]
        .into_iter()
        .map(|t| cx.styled(t, false, 24, C_ON_PRIMARY))
        .filter(|s| !s.is_empty())
        .collect();
    let (mut footer, footer_h) = cx.footer(&footer_lines);
    let footer_top = SLIDE_H - footer_h;
    footer.rect.y = footer_top;
    for l in &mut footer.lines {
        l.y += footer_top;
    }
    let caption_bottom = footer_top - 56;
    let limit = caption_bottom - CAPTION_H - 40;
    let (header, cards, name) = match card {
        SlideCard::Title => title_card(&mut cx, content, limit),
        SlideCard::Section(i) => match content.sections.get(i) {
            Some(section) => {
                let header = band(&mut cx, content);
                let heading = if section.heading.trim().is_empty() {
                    section.kind.default_heading()
                } else {
                    section.heading.as_str()
                };
                let top = header.rect.h + 72;
                let (card, _, _, complete) =
                    cx.card(top, Some(heading), limit, |cx, y, limit| cx.section_parts(y, section, limit));
                if !complete {
                    cx.warn(format!("slide of section {}: items that do not fit the frame are left out", i + 1));
                }
                (header, card.into_iter().collect(), "section")
            }
            None => {
                cx.warn(format!("slide of section {}: the draft has no such section", i + 1));
                (band(&mut cx, content), Vec::new(), "section")
            }
        },
        SlideCard::Closing => closing_card(&mut cx, content, limit),
    };
    let caption = caption_pill(&mut cx, caption, caption_bottom);
    let (banner, watermarks) = cx.draft_mark(mode == Mode::Draft, SLIDE_H);
    let Ctx { warnings, missing, .. } = cx;
    Laid {
        page: Page {
            width: PAGE_W,
            height: SLIDE_H,
            font_family: fonts.family().to_string(),
            theme: theme.clone(),
            draft: mode == Mode::Draft,
            banner,
            watermarks,
            header,
            cards,
            footer,
            caption,
        },
        template: format!("slide/v1:{name}"),
        warnings,
        missing,
    }
}

/// The long image's header, made taller and with its content centred, then the headline figures.
fn title_card(cx: &mut Ctx<'_>, content: &InfographicContent, limit: i32) -> (Header, Vec<Card>, &'static str) {
    let mut header = cx.header(content);
    let target = if content.figures.is_empty() { limit - 120 } else { 980 };
    let dy = ((target - header.rect.h) / 2).max(0);
    header.rect.h = header.rect.h.max(target);
    let lines = header.logo.iter_mut().chain(header.title.iter_mut()).chain(header.subtitle.iter_mut());
    for l in lines {
        l.y += dy;
    }
    if let Some(tag) = header.tag.as_mut() {
        tag.rect.y += dy;
        for l in &mut tag.lines {
            l.y += dy;
        }
    }
    let mut cards = Vec::new();
    if !content.figures.is_empty() {
        let figures = &content.figures[..content.figures.len().min(cx.cfg.max_items_per_section)];
        let (card, _, _, _) = cx.card(header.rect.h - 56, None, limit, |cx, y, limit| {
            let (part, bottom, n) = cx.figures(y, figures, limit);
            (vec![part], bottom, n, n == figures.len())
        });
        cards.extend(card);
    }
    (header, cards, "title")
}

/// The band at the top of section and closing slides: the policy's title, smaller.
fn band(cx: &mut Ctx<'_>, content: &InfographicContent) -> Header {
    let mut rect = cx.rect(0, 0, PAGE_W, 0);
    let top = BANNER_H + 40;
    let text = cx.styled(&content.title, true, 42, C_ON_PRIMARY);
    let (title, h) = cx.lines(&rect.id.clone(), &text, PAGE_W / 2, top, PAGE_W - 144, 58, "middle");
    rect.h = top + h + 64;
    Header { rect, logo: Vec::new(), tag: None, title, subtitle: Vec::new() }
}

/// The source card: 信息来源, 原文链接 and the disclaimer, in body text.
fn closing_card(cx: &mut Ctx<'_>, content: &InfographicContent, limit: i32) -> (Header, Vec<Card>, &'static str) {
    let header = band(cx, content);
    let mut texts: Vec<Vec<Styled>> = Vec::new();
    let mut labelled = |cx: &mut Ctx<'_>, label: &str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            texts.push(cx.with_lead_in(&format!("{label}：{v}"), 34));
        }
    };
    labelled(cx, "信息来源", content.source_title.as_deref().or(Some(content.title.as_str())));
    labelled(cx, "原文链接", content.source_url.as_deref());
    let note = cx.styled("具体内容以政策原文为准，欢迎查阅原文。", true, 36, C_TEXT);
    texts.push(note);
    let top = header.rect.h + 120;
    let (card, _, _, _) = cx.card(top, Some("政策原文"), limit, |cx, mut y, limit| {
        let mut lines = Vec::new();
        let card_box = cx.current_card.clone();
        for t in &texts {
            let (l, h) = cx.lines(&card_box, t, PAGE_W / 2 - INNER_W / 2, y, INNER_W, 54, "start");
            if y + h > limit {
                break;
            }
            lines.extend(l);
            y += h + 24;
        }
        let n = lines.len();
        (vec![Part::Note { lines }], y - 24, n, true)
    });
    (header, card.into_iter().collect(), "closing")
}

/// The subtitle over the frame, bottom at `bottom`, one measured line per given line (wrapped further only if
/// a line is wider than the frame).
fn caption_pill(cx: &mut Ctx<'_>, caption: &[String], bottom: i32) -> Option<Pill> {
    let caption: Vec<&String> = caption.iter().filter(|l| !l.trim().is_empty()).collect();
    if caption.is_empty() {
        return None;
    }
    let mut rect = cx.rect(60, 0, PAGE_W - 120, 0);
    let mut lines = Vec::new();
    let mut y = 22;
    for text in caption {
        let styled = cx.styled(text, true, CAPTION_SIZE, C_ON_PRIMARY);
        let (l, h) = cx.lines(&rect.id.clone(), &styled, PAGE_W / 2, y, rect.w - 48, CAPTION_LH, "middle");
        lines.extend(l);
        y += h;
    }
    rect.h = y + 22;
    rect.y = bottom - rect.h;
    for l in &mut lines {
        l.y += rect.y;
    }
    Some(Pill { rect, lines })
}
