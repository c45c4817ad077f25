//! The 口播稿: what the voice says, built from a draft's content in the order a listener needs it.
//!
//! An opening names the policy and its issuer; then who it is for, how much, how to apply and when (the
//! sections of those kinds, in that order; a draft with none of them is narrated from its 主要内容); a closing
//! points to the original. Every sentence keeps the spans of the items it was made from, its *written* form
//! (the draft's text, shown in subtitles and checked by [`check`]) and its *spoken* form ([`crate::spoken`]),
//! and is cut into [`Phrase`]s short enough for one two-line subtitle cue.
//!
//! Nothing here invents a fact: the words added around the items (`先看…`, `第一步，`) carry no number, and
//! [`check`] runs [`tujie_text::faithful::unsupported_tokens`] on every sentence.

use serde::{Deserialize, Serialize};
use tujie_model::content::{InfographicContent, Section, SectionKind, Span};

use crate::phrases;
use crate::spoken::{cardinal, speak};

/// Where a sentence belongs in the narration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Opening,
    /// 适用对象.
    Who,
    /// 标准 and headline figures.
    HowMuch,
    /// 办事指引 and 联系方式.
    How,
    /// 时间安排.
    When,
    /// 主要内容 or 目标, only when the draft has none of the four above (a 决定, a 意见).
    Main,
    Closing,
}

impl Part {
    /// The part a section is narrated in, if any.
    fn of(kind: SectionKind) -> Option<Part> {
        match kind {
            SectionKind::Eligibility => Some(Part::Who),
            SectionKind::Standards => Some(Part::HowMuch),
            SectionKind::HowToApply | SectionKind::Contact => Some(Part::How),
            SectionKind::Timeline => Some(Part::When),
            SectionKind::MainContent | SectionKind::Goals => Some(Part::Main),
            SectionKind::Background | SectionKind::Safeguards => None,
        }
    }

    /// The part a section is narrated in: a chapter that holds a table of standards (a 若干措施 shows its tiers in
    /// the chapter they belong to) is said with the standards.
    fn of_section(s: &Section) -> Option<Part> {
        match Part::of(s.kind)? {
            Part::Main if !s.tables.is_empty() => Some(Part::HowMuch),
            p => Some(p),
        }
    }
}

/// The slide shown while a sentence is spoken: the title card, the card of `content.sections[i]`, or the
/// closing card with the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slide {
    Title,
    Section(usize),
    Closing,
}

/// One piece of a sentence synthesised on its own and shown as one subtitle cue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrase {
    pub written: String,
    pub spoken: String,
}

/// One sentence of the narration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub part: Part,
    pub slide: Slide,
    /// As the draft writes it (`每孩每年3600元。`).
    pub written: String,
    /// As the voice reads it (`每孩每年三千六百元。`).
    pub spoken: String,
    /// The spans of the items the sentence came from; empty for the opening and closing, which are made from
    /// the title and the issuer.
    pub spans: Vec<Span>,
    pub phrases: Vec<Phrase>,
}

/// The narration of one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    pub title: String,
    pub sentences: Vec<Sentence>,
}

impl Script {
    /// The script as an editor reads it: one written sentence per line, a blank line between parts.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut last = None;
        for s in &self.sentences {
            if last.is_some_and(|p| p != s.part) {
                out.push('\n');
            }
            out.push_str(&s.written);
            out.push('\n');
            last = Some(s.part);
        }
        out
    }

    /// Every phrase in speaking order, with the index of its sentence.
    pub fn phrases(&self) -> impl Iterator<Item = (usize, &Phrase)> {
        self.sentences.iter().enumerate().flat_map(|(i, s)| s.phrases.iter().map(move |p| (i, p)))
    }

    /// The sections that get a slide, in narration order.
    pub fn section_slides(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for s in &self.sentences {
            if let Slide::Section(i) = s.slide
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        out
    }
}

/// Limits of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptOptions {
    /// Items (bullets, figures, table rows, steps, dates) narrated per section; the rest stay on the image.
    pub max_items_per_section: usize,
    /// Characters per subtitle line; a phrase is at most two lines.
    pub line_chars: usize,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        Self { max_items_per_section: 3, line_chars: 16 }
    }
}

/// Builds the narration of `content`.
pub fn build(content: &InfographicContent, opts: &ScriptOptions) -> Script {
    let title = strip_book_marks(&content.title);
    let mut b = Builder { opts, sentences: Vec::new() };
    b.opening(content, &title);
    let mut parts: Vec<(Part, usize)> =
        content.sections.iter().enumerate().filter_map(|(i, s)| Some((Part::of_section(s)?, i))).collect();
    if parts.iter().any(|(p, _)| *p != Part::Main) {
        parts.retain(|(p, _)| *p != Part::Main);
    }
    parts.sort_by_key(|&(p, i)| (p, i));
    let has_standards = parts.iter().any(|(p, _)| *p == Part::HowMuch);
    if !has_standards && !content.figures.is_empty() {
        // No 标准 section to say them with: the headline figures are said with the title, whose card shows them.
        let items = content.figures.iter().map(|f| figure_item(&f.label, &f.value, &f.unit, &f.spans)).collect();
        b.items(Part::Opening, Slide::Title, items);
    }
    let n = parts.len();
    for (k, &(part, i)) in parts.iter().enumerate() {
        let section = &content.sections[i];
        let mut items = section_items(section);
        if part == Part::HowMuch {
            // Headline figures are narrated with the standards unless the section already says them.
            items.splice(0..0, content.figures.iter().map(|f| figure_item(&f.label, &f.value, &f.unit, &f.spans)));
        }
        let items = dedupe(items);
        if items.is_empty() {
            continue;
        }
        let lead = match k {
            0 => "先看",
            _ if k + 1 == n => "最后看",
            _ => "再看",
        };
        let heading = heading_of(section);
        b.sentence(part, Slide::Section(i), format!("{lead}{heading}。"), Vec::new());
        b.items(part, Slide::Section(i), items);
    }
    b.closing(&title);
    Script { title, sentences: b.sentences }
}

struct Builder<'a> {
    opts: &'a ScriptOptions,
    sentences: Vec<Sentence>,
}

impl Sentence {
    /// A sentence written `written`, with its spoken form and its phrases of at most two subtitle lines of
    /// `line_chars`.
    pub fn new(part: Part, slide: Slide, written: String, spans: Vec<Span>, line_chars: usize) -> Sentence {
        // Four characters short of two full lines, so that the two lines can break between words.
        let phrases = phrases::split(&written, 2 * line_chars.max(4) - 4)
            .into_iter()
            .map(|w| Phrase { spoken: speak(&w), written: w })
            .collect();
        Sentence { part, slide, spoken: speak(&written), written, spans, phrases }
    }
}

impl Builder<'_> {
    fn sentence(&mut self, part: Part, slide: Slide, written: String, spans: Vec<Span>) {
        self.sentences.push(Sentence::new(part, slide, written, spans, self.opts.line_chars));
    }

    fn items(&mut self, part: Part, slide: Slide, items: Vec<Item>) {
        for it in items.into_iter().take(self.opts.max_items_per_section) {
            self.sentence(part, slide, it.text, it.spans);
        }
    }

    fn opening(&mut self, content: &InfographicContent, title: &str) {
        self.sentence(Part::Opening, Slide::Title, format!("今天为您解读《{title}》。"), Vec::new());
        if let Some(issuer) = issuer(&content.subtitle) {
            self.sentence(Part::Opening, Slide::Title, format!("这份文件由{issuer}发布。"), Vec::new());
        }
    }

    fn closing(&mut self, title: &str) {
        let text = format!("以上是《{title}》的要点，具体以政策原文为准，欢迎查阅原文。");
        self.sentence(Part::Closing, Slide::Closing, text, Vec::new());
    }
}

/// A candidate sentence from one item.
#[derive(Debug, Clone)]
struct Item {
    text: String,
    spans: Vec<Span>,
}

impl Item {
    fn core(&self) -> &str {
        self.text.trim_end_matches(['。', '；', '，'])
    }
}

fn sentence_end(text: &str) -> String {
    let t = text.trim().trim_end_matches(['。', '；', '，', '、', '：', ';', ',']);
    if t.ends_with(['？', '！']) { t.to_string() } else { format!("{t}。") }
}

fn figure_item(label: &str, value: &str, unit: &str, spans: &[Span]) -> Item {
    Item { text: sentence_end(&format!("{}{value}{unit}", label.trim())), spans: spans.to_vec() }
}

/// The section's items in the order the card shows them: figures, table rows, bullets, steps, dates.
fn section_items(s: &Section) -> Vec<Item> {
    let mut out: Vec<Item> = s.figures.iter().map(|f| figure_item(&f.label, &f.value, &f.unit, &f.spans)).collect();
    for t in &s.tables {
        for row in &t.rows {
            let mut parts = Vec::new();
            for (i, cell) in row.iter().enumerate() {
                let head = t.header.get(i).map(|h| h.text.trim()).unwrap_or("");
                let text = cell.text.trim();
                if text.is_empty() {
                    continue;
                }
                parts.push(if i == 0 || head.is_empty() { text.to_string() } else { format!("{head}{text}") });
            }
            let spans = row.iter().flat_map(|c| c.spans.iter().copied()).collect();
            out.push(Item { text: sentence_end(&parts.join("，")), spans });
        }
    }
    for b in &s.bullets {
        if let Some(text) = without_marker(&b.text) {
            out.push(Item { text: sentence_end(text), spans: b.spans.clone() });
        }
    }
    for (n, st) in s.steps.iter().enumerate() {
        if let Some(text) = without_marker(&st.text) {
            let text = format!("第{}步，{}", cardinal(n as u64 + 1), text);
            out.push(Item { text: sentence_end(&text), spans: st.spans.clone() });
        }
    }
    for d in &s.dates {
        let label = d.label.trim();
        let date = d.date.trim();
        let text = if label.contains(date.trim_end_matches(['起', '前'])) {
            label.to_string()
        } else {
            format!("{date}，{label}")
        };
        out.push(Item { text: sentence_end(&text), spans: d.spans.clone() });
    }
    out
}

/// Drops an item whose text another item of the section already says in full (a figure repeated by the bullet
/// it came from), keeping the fuller one where the shorter stood.
fn dedupe(items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for it in items {
        if out.iter().any(|o| o.core().contains(it.core())) {
            continue;
        }
        if let Some(pos) = out.iter().position(|o| it.core().contains(o.core())) {
            // Later items it also covers go too.
            let covered: Vec<bool> = out.iter().map(|o| it.core().contains(o.core())).collect();
            let mut k = 0;
            out.retain(|_| {
                k += 1;
                k - 1 == pos || !covered[k - 1]
            });
            out[pos] = it;
            continue;
        }
        out.push(it);
    }
    out
}

/// Enumeration markers opening a bullet (`（一）`, `二、`, `3.`, `（4）`, `①`); read aloud they are noise.
fn strip_marker(text: &str) -> &str {
    let t = text.trim();
    let chinese = "一二三四五六七八九十";
    let end = if let Some(rest) = t.strip_prefix(['（', '(']) {
        rest.find(['）', ')'])
            .filter(|&i| {
                let inner = &rest[..i];
                !inner.is_empty() && inner.chars().all(|c| chinese.contains(c) || c.is_ascii_digit())
            })
            .map(|i| t.len() - rest.len() + i + rest[i..].chars().next().map_or(0, char::len_utf8))
    } else {
        let lead: usize =
            t.chars().take_while(|c| chinese.contains(*c) || c.is_ascii_digit()).map(char::len_utf8).sum();
        let sep = t[lead..].chars().next();
        (lead > 0 && matches!(sep, Some('、' | '.' | '．'))).then(|| lead + sep.map_or(0, char::len_utf8))
    };
    let end = end.or_else(|| {
        t.starts_with(|c: char| ('①'..='⑳').contains(&c)).then(|| t.chars().next().map_or(0, char::len_utf8))
    });
    t[end.unwrap_or(0)..].trim_start()
}

/// The text of a bullet or step without its enumeration marker, or `None` when it is only a heading the
/// extraction kept as a bullet (`（一）补贴对象`: a marker, a short name and no clause).
fn without_marker(text: &str) -> Option<&str> {
    let rest = strip_marker(text);
    let heading_only =
        rest.len() < text.trim().len() && rest.chars().count() <= 10 && !rest.contains(['，', '。', '；', '：', '、']);
    (!rest.is_empty() && !heading_only).then_some(rest)
}

fn heading_of(s: &Section) -> String {
    let h = strip_marker(&s.heading).trim_end_matches(['：', '。']);
    if h.is_empty() { s.kind.default_heading().to_string() } else { h.to_string() }
}

fn strip_book_marks(title: &str) -> String {
    let t = title.trim();
    let t = t.strip_prefix('《').and_then(|t| t.strip_suffix('》')).unwrap_or(t);
    if t.is_empty() { "这份政策".to_string() } else { t.to_string() }
}

/// The issuer from a draft's subtitle (`文号 · 发文机关 日期`, see `tujie_text::compose::label::subtitle`): the
/// words of the part that is no 文号, without its date; several issuers are read as a list.
fn issuer(subtitle: &str) -> Option<String> {
    let is_doc_number = |p: &&str| p.contains(['〔', '[']) && p.contains('号');
    let signature = subtitle.split(" · ").find(|p| !is_doc_number(p))?;
    let is_date = |w: &str| w.chars().any(|c| c.is_ascii_digit()) || (w.contains('年') && w.ends_with('日'));
    // A parenthetical after the name is a note about the page (`（转载）`), not part of the issuer.
    let names: Vec<&str> = signature
        .split_whitespace()
        .filter(|w| !is_date(w))
        .filter_map(|w| w.split(['（', '(']).next().map(str::trim))
        .filter(|w| !w.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join("、"))
}

/// A sentence whose written form says a number, date or 文号 its evidence lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unsupported {
    pub sentence: usize,
    pub written: String,
    pub tokens: Vec<String>,
}

/// The faithfulness check of [`tujie_text::faithful`] on a script: every sentence made from items is checked
/// against the source text, the opening and closing against the source plus the draft's title and subtitle
/// (which come from the event's metadata). Also reports a phrase whose spoken form is not the reading of its
/// written form (a script edited by hand) under the token `spoken≠written`.
pub fn check(script: &Script, content: &InfographicContent, source: &str) -> Vec<Unsupported> {
    let with_meta = format!("{source}\n{}\n{}", content.title, content.subtitle);
    let mut out = Vec::new();
    for (i, s) in script.sentences.iter().enumerate() {
        let evidence = if s.spans.is_empty() { with_meta.as_str() } else { source };
        let mut tokens = tujie_text::faithful::unsupported_tokens(&s.written, evidence);
        if s.phrases.iter().any(|p| p.spoken != speak(&p.written)) || s.spoken != speak(&s.written) {
            tokens.push("spoken≠written".into());
        }
        if !tokens.is_empty() {
            out.push(Unsupported { sentence: i, written: s.written.clone(), tokens });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_stripped_and_heading_bullets_skipped() {
        assert_eq!(strip_marker("（一）补贴对象"), "补贴对象");
        assert_eq!(strip_marker("二、领取时限"), "领取时限");
        assert_eq!(strip_marker("3.符合条件的"), "符合条件的");
        assert_eq!(strip_marker("①申请人"), "申请人");
        assert_eq!(strip_marker("2025年1月1日起"), "2025年1月1日起");
        assert_eq!(without_marker("（一）补贴对象"), None);
        assert_eq!(
            without_marker("（三）未在规定的年度内提出申领的，视为放弃"),
            Some("未在规定的年度内提出申领的，视为放弃")
        );
        assert_eq!(without_marker("符合条件的次年可按规定继续申领"), Some("符合条件的次年可按规定继续申领"));
    }

    #[test]
    fn an_item_another_says_in_full_is_dropped_and_the_fuller_one_keeps_its_place() {
        let it = |t: &str| Item { text: t.into(), spans: Vec::new() };
        let out = dedupe(vec![it("每人每月500元。"), it("甲。"), it("补贴按月发放，每人每月500元。"), it("甲。")]);
        let texts: Vec<&str> = out.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, ["补贴按月发放，每人每月500元。", "甲。"]);
    }

    #[test]
    fn issuer_is_the_signature_of_the_subtitle_without_its_date() {
        assert_eq!(issuer("甲委员会 乙厅 2025年12月1日").as_deref(), Some("甲委员会、乙厅"));
        assert_eq!(issuer("某政发〔2024〕3号 · 某县人民政府 2024年1月2日").as_deref(), Some("某县人民政府"));
        assert_eq!(issuer("某政发〔2024〕3号 · 2024年1月2日"), None);
        assert_eq!(issuer("某县人民政府 二〇二四年一月二日").as_deref(), Some("某县人民政府"));
        assert_eq!(issuer(""), None);
        assert_eq!(issuer("某市民政局（页面转载） 2022年1月1日").as_deref(), Some("某市民政局"));
        assert_eq!(issuer("某县人社局 发布日期：2022-11-21").as_deref(), Some("某县人社局"));
    }
}
