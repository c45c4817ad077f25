//! Which part of a page is the article: a Readability-style scorer over the page's own structure.
//!
//! Every block that reads like a paragraph (a `p`, `td`, `pre`, `li`, `dd`, or a `div` holding no other block)
//! scores by its Chinese punctuation (，。；：), its length and how little of it is link text; the score flows to
//! its parent in full, to its grandparent by half and further up by `1 / (3 × level)`. An ancestor starts from its
//! tag (a `div` is likelier to hold an article than a list) and its class and id words: chrome words (`nav`,
//! `share`, `breadcrumb`, `footer`, `xglj` …) count against it, content words (`content`, `article`, `zoom`,
//! `TRS` …) for it. The best ancestor, discounted by its link density, is the article; siblings that score close to
//! it (an article split over two containers) join it. The known containers of common government CMSs only break
//! ties. Chrome that sits inside the chosen container is the writer's business ([`super`]).
//!
//! Two Readability ports from crates.io were measured on the same fixture pages (`tests/html_pages.rs`, 21 pages,
//! 503 chrome strings): `dom_smoothie` 0.19 leaked 2 and `libreadability` 0.3 leaked 9 (this scorer: 0), both kept
//! every first and last sentence, but both flatten tables, report no 来源/发布时间 of Chinese CMS pages and bring a
//! second HTML stack; so the scorer stays here, on `scraper`.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node};

/// Elements whose text is never content (a `form` is skipped too, unless it wraps the page: [`skipped`]).
pub(crate) const SKIP_TAGS: [&str; 13] = [
    "script", "style", "noscript", "nav", "header", "footer", "iframe", "button", "select", "textarea", "svg", "head",
    "template",
];

/// Elements that make a `div` more than a paragraph (Readability's `DIV_TO_P_ELEMS`, plus tables and sections).
const BLOCK_CHILDREN: [&str; 12] =
    ["blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "section", "article", "center"];

/// Paragraph-like elements whose text scores.
const PARAGRAPHS: [&str; 6] = ["p", "td", "pre", "li", "dd", "font"];

/// Class and id words of page chrome, matched inside a word.
const NEG_IN: [&str; 25] = [
    "share",
    "breadcrumb",
    "crumb",
    "position",
    "location",
    "search",
    "keyword",
    "related",
    "print",
    "fontsize",
    "toolbar",
    "sidebar",
    "header",
    "footer",
    "copyright",
    "login",
    "comment",
    "xgwz",
    "xglj",
    "weizhi",
    "qrcode",
    "分享",
    "banner",
    "hotword",
    "friendlink",
];
/// Class and id words of page chrome, matched as a whole word or its start (`nav`, `nav1`, `navbar`).
const NEG_WORD: [&str; 13] =
    ["nav", "menu", "hot", "top", "close", "bottom", "foot", "side", "tool", "link", "ewm", "fx", "ad"];
/// Class and id words of content, matched inside a word.
const POS_IN: [&str; 7] = ["content", "article", "zoom", "editor", "trseditor", "detail", "zhengwen"];
/// Class and id words of content, matched as a whole word or its start.
const POS_WORD: [&str; 6] = ["text", "zw", "con", "trs", "body", "正文"];

/// Known content containers of common government CMSs: a tie-breaker, not the mechanism.
const KNOWN: [&str; 9] = [
    "trs_editor",
    "ucap-content",
    "zoom",
    "pages_content",
    "article-content",
    "trs_ueditor",
    "zwgk_content",
    "article_con",
    "content",
];

const PARA_MIN_CHARS: u32 = 10;

/// An element's identity within one parsed page: the address of its node, which the tree never moves. (The
/// tree's own `NodeId` type lives in a crate this one does not name.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NodeId(usize);

pub(crate) fn node_id(el: &ElementRef<'_>) -> NodeId {
    NodeId(std::ptr::from_ref(el.value()) as usize)
}

/// Text figures of one element: visible characters (no white space), of which inside links, and punctuation.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Stats {
    pub chars: u32,
    pub link_chars: u32,
    pub punct: u32,
}

impl Stats {
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 { 0.0 } else { self.link_chars as f32 / self.chars as f32 }
    }

    fn add(&mut self, o: Stats) {
        self.chars += o.chars;
        self.link_chars += o.link_chars;
        self.punct += o.punct;
    }
}

/// Whether an element is hidden or never holds content.
pub(crate) fn skipped(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    if v.name() == "form" {
        return !wraps_the_page(el);
    }
    if SKIP_TAGS.contains(&v.name()) || v.attr("hidden").is_some() {
        return true;
    }
    v.attr("style").is_some_and(|s| s.replace(' ', "").to_ascii_lowercase().contains("display:none"))
}

/// A form that holds running Chinese prose is not a search box but a page-wide form: ASP.NET WebForms and
/// DotNetNuke sites wrap the whole page, article included, in one `<form>`.
fn wraps_the_page(form: &ElementRef<'_>) -> bool {
    let sentence_ends = form.text().flat_map(str::chars).filter(|&c| matches!(c, '。' | '；' | '，'));
    sentence_ends.take(3).count() == 3
}

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// +25 for content words, −25 for chrome words, for the class and for the id (Readability's class weight).
pub(crate) fn class_weight(el: &ElementRef<'_>) -> i32 {
    let v = el.value();
    let class = v.attr("class").unwrap_or("");
    let id = v.attr("id").unwrap_or("");
    [class, id].iter().map(|s| hint_weight(s)).sum()
}

/// Words inside a name are matched with `-` and `_` removed (`font-size`, `bd_share`); whole words on the parts.
fn hint_weight(s: &str) -> i32 {
    let (mut neg, mut pos) = (false, false);
    for name in s.split_whitespace() {
        let joined: String = name.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_lowercase();
        neg |= NEG_IN.iter().any(|h| joined.contains(h));
        pos |= POS_IN.iter().any(|h| joined.contains(h));
    }
    for w in words(s) {
        let word_hit = |list: &[&str]| list.iter().any(|h| w.starts_with(h));
        neg |= word_hit(&NEG_WORD);
        pos |= word_hit(&POS_WORD);
    }
    25 * (pos as i32 - neg as i32)
}

fn is_known(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    let mut names = v.classes().chain(v.id()).map(str::to_ascii_lowercase);
    names.any(|n| KNOWN.contains(&n.as_str()))
}

fn is_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：')
}

/// Figures of every element that is not skipped, bottom-up.
pub(crate) fn stats(doc: &Html) -> HashMap<NodeId, Stats> {
    let mut map = HashMap::new();
    collect(doc.root_element(), false, 0, &mut map);
    map
}

/// Elements nested deeper than this are read as one run of text. The walks over the tree recurse, and an event's
/// `body_html` of 20,000 nested `<div>`s overflowed a worker thread's stack (an abort, not an error). No real page
/// nests anywhere near this deep.
pub(crate) const MAX_DEPTH: usize = 256;

/// The figures of a subtree below [`MAX_DEPTH`], without recursing: its text as one run.
fn flat_stats(el: ElementRef<'_>, in_link: bool) -> Stats {
    let (mut chars, mut punct) = (0, 0);
    for t in el.text() {
        chars += t.chars().filter(|c| !c.is_whitespace()).count() as u32;
        punct += t.chars().filter(|&c| is_punct(c)).count() as u32;
    }
    Stats { chars, link_chars: if in_link { chars } else { 0 }, punct }
}

fn collect(el: ElementRef<'_>, in_link: bool, depth: usize, map: &mut HashMap<NodeId, Stats>) -> Stats {
    let mut s = Stats::default();
    if skipped(&el) {
        return s;
    }
    let in_link = in_link || (el.value().name() == "a" && el.value().attr("href").is_some());
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                let chars = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
                let punct = t.chars().filter(|&c| is_punct(c)).count() as u32;
                s.add(Stats { chars, link_chars: if in_link { chars } else { 0 }, punct });
            }
            Node::Element(_) => {
                if let Some(ce) = ElementRef::wrap(child) {
                    s.add(if depth < MAX_DEPTH {
                        collect(ce, in_link, depth + 1, map)
                    } else {
                        flat_stats(ce, in_link)
                    });
                }
            }
            _ => {}
        }
    }
    map.insert(node_id(&el), s);
    s
}

fn is_paragraph(el: &ElementRef<'_>) -> bool {
    let name = el.value().name();
    if PARAGRAPHS.contains(&name) {
        return true;
    }
    (name == "div" || name == "section" || name == "span")
        && !el.children().filter_map(ElementRef::wrap).any(|c| BLOCK_CHILDREN.contains(&c.value().name()))
}

fn tag_weight(name: &str) -> f32 {
    match name {
        "div" | "article" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn initial_score(el: &ElementRef<'_>) -> f32 {
    tag_weight(el.value().name()) + class_weight(el) as f32 + if is_known(el) { 3.0 } else { 0.0 }
}

/// A paragraph's own score: 1, plus its punctuation, plus up to 3 for length, less its share of link text.
fn paragraph_score(s: &Stats) -> f32 {
    let base = 1.0 + s.punct as f32 + (s.chars / 100).min(3) as f32;
    base * (1.0 - s.link_density())
}

/// Candidate containers with their scores, before the link-density discount.
fn score_candidates<'a>(doc: &'a Html, st: &HashMap<NodeId, Stats>) -> HashMap<NodeId, (ElementRef<'a>, f32)> {
    let mut scores: HashMap<NodeId, (ElementRef<'a>, f32)> = HashMap::new();
    for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
        let Some(s) = st.get(&node_id(&el)) else { continue };
        // A paragraph nested in a paragraph (a `font` in a `p`) counts once, through the outer one.
        let nested = el.parent().and_then(ElementRef::wrap).is_some_and(|p| is_paragraph(&p));
        if s.chars < PARA_MIN_CHARS || nested || !is_paragraph(&el) {
            continue;
        }
        let score = paragraph_score(s);
        for (level, anc) in el.ancestors().filter_map(ElementRef::wrap).take(5).enumerate() {
            let id = node_id(&anc);
            if !st.contains_key(&id) {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            scores.entry(id).or_insert_with(|| (anc, initial_score(&anc))).1 += score / divider;
        }
    }
    scores
}

/// The article's containers in document order: the best candidate and the siblings that score close to it.
/// Empty when nothing on the page reads like a paragraph.
pub(crate) fn article_roots<'a>(doc: &'a Html, st: &HashMap<NodeId, Stats>) -> Vec<ElementRef<'a>> {
    let scores = score_candidates(doc, st);
    let final_score = |id: &NodeId| scores[id].1 * (1.0 - st[id].link_density()) * text_share(&st[id]);
    let best = scores.keys().copied().max_by(|a, b| final_score(a).total_cmp(&final_score(b)).then(b.cmp(a)));
    let Some(top) = best else { return Vec::new() };
    let threshold = (final_score(&top) * 0.2).max(10.0);
    let top_el = scores[&top].0;
    let Some(parent) = top_el.parent() else { return vec![top_el] };
    let mut roots = Vec::new();
    for sib in parent.children().filter_map(ElementRef::wrap) {
        let id = node_id(&sib);
        let scored = scores.contains_key(&id) && final_score(&id) >= threshold && class_weight(&sib) >= 0;
        let prose = sib.value().name() == "p" && st.get(&id).is_some_and(loose_paragraph);
        if id == top || scored || prose {
            roots.push(sib);
        }
    }
    roots
}

/// Containers with fewer characters than this cannot be the article, whatever their class and id say: their
/// score is scaled down by their share of it. (A DotNetNuke page names every module `…_ModuleContent`, and an
/// empty one of 13 characters outscored the module holding a 600-character notice written as one `<p>` with
/// `<br>` lines.)
const ARTICLE_MIN_CHARS: f32 = 50.0;

fn text_share(s: &Stats) -> f32 {
    (s.chars as f32 / ARTICLE_MIN_CHARS).min(1.0)
}

/// A sibling paragraph that reads as prose: long with few links, or short with none and sentence punctuation.
fn loose_paragraph(s: &Stats) -> bool {
    (s.chars > 80 && s.link_density() < 0.25) || (s.chars > 0 && s.link_chars == 0 && s.punct > 0)
}

/// The first known container of common government CMSs with some text, for pages too short to score.
pub(crate) fn known_container<'a>(doc: &'a Html, st: &HashMap<NodeId, Stats>) -> Option<ElementRef<'a>> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| is_known(e) && st.get(&node_id(e)).is_some_and(|s| s.chars >= 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots_text(html: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let st = stats(&doc);
        article_roots(&doc, &st).into_iter().map(|e| e.text().collect::<String>()).collect()
    }

    #[test]
    fn hints_weigh_class_and_id() {
        assert_eq!(hint_weight("article_content font_family_cn"), 25);
        assert_eq!(hint_weight("bdsharebuttonbox"), -25);
        assert_eq!(hint_weight("nav1"), -25);
        assert_eq!(hint_weight("links_con"), 0);
        assert_eq!(hint_weight("photo"), 0);
        assert_eq!(hint_weight("font-size"), -25);
        assert_eq!(hint_weight("bd_share_box"), -25);
    }

    #[test]
    fn picks_the_prose_over_link_lists() {
        let nav: String = (0..30).map(|i| format!("<li><a href='#'>栏目链接名称第{i}项</a></li>")).collect();
        let html = format!(
            "<html><body><ul class='menu'>{nav}</ul><div class='wrap'><div class='box'>\
             <p>为进一步做好相关工作，现将有关事项通知如下：</p><p>一、补贴对象为本区户籍居民，每人每月发放200元。</p>\
             </div></div><div class='copyright'>版权所有：某某网站，地址：某某路1号。</div></body></html>"
        );
        let t = roots_text(&html);
        assert_eq!(t.len(), 1);
        assert!(t[0].starts_with("为进一步") && t[0].ends_with("200元。"), "{t:?}");
    }

    #[test]
    fn empty_page_has_no_roots() {
        assert!(roots_text("<html><body><a href='#'>首页</a></body></html>").is_empty());
    }
}
