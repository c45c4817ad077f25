//! `body_html` reduced to plain text with its structure kept: one line per paragraph, heading and list item, one
//! line per table row (cells separated by ` | `), and scripts, styles, navigation and share widgets dropped.
//!
//! Government CMSs wrap the article in a known container (`.TRS_Editor`, `#zoom`, …); when one is present only its
//! text is taken, so breadcrumbs, menus and footers of the page do not end up in a draft.

use scraper::{ElementRef, Html, Node, Selector};

/// Content containers of common government CMSs, most specific first.
const CONTAINERS: [&str; 12] = [
    ".TRS_Editor",
    "#UCAP-CONTENT",
    "#zoom",
    ".pages_content",
    ".article-content",
    ".view.TRS_UEDITOR",
    "#Zoom",
    ".zwgk_content",
    ".article_con",
    "#content",
    "article",
    "body",
];

const SKIP_TAGS: [&str; 14] = [
    "script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "button", "select", "textarea", "svg",
    "head", "template",
];

const BLOCK_TAGS: [&str; 24] = [
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "dl",
    "hr",
    "center",
    "tbody",
];

/// Class or id words that mark page chrome rather than content.
fn is_chrome(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    let words = v.classes().chain(v.id()).map(str::to_ascii_lowercase);
    for w in words {
        if w.contains("share")
            || w.contains("breadcrumb")
            || w == "nav"
            || w.starts_with("nav-")
            || w.contains("toolbar")
            || w.contains("print")
            || w.contains("fontsize")
            || w.contains("bdshare")
        {
            return true;
        }
    }
    false
}

struct Writer {
    out: String,
    line: String,
}

impl Writer {
    fn text(&mut self, t: &str) {
        // HTML collapses white space; keep a single space so `2025 年` stays visible to the normaliser.
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}' {
                if !self.line.is_empty() && !self.line.ends_with(' ') {
                    self.line.push(' ');
                }
            } else {
                self.line.push(c);
            }
        }
    }

    fn newline(&mut self) {
        let l = self.line.trim();
        if !l.is_empty() {
            self.out.push_str(l);
            self.out.push('\n');
        }
        self.line.clear();
    }
}

fn walk(el: ElementRef<'_>, w: &mut Writer) {
    let name = el.value().name();
    if SKIP_TAGS.contains(&name) || is_chrome(&el) {
        return;
    }
    let block = BLOCK_TAGS.contains(&name);
    if block {
        w.newline();
    }
    let mut first_cell = true;
    for child in el.children() {
        match child.value() {
            Node::Text(t) => w.text(t),
            Node::Element(_) => {
                if let Some(ce) = ElementRef::wrap(child) {
                    let cn = ce.value().name();
                    if name == "tr" && (cn == "td" || cn == "th") {
                        if !first_cell {
                            w.line.push_str(" | ");
                        }
                        first_cell = false;
                    }
                    walk(ce, w);
                }
            }
            _ => {}
        }
    }
    if block {
        w.newline();
    }
}

/// Plain text of an HTML body.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut root = None;
    for sel in CONTAINERS {
        let Ok(s) = Selector::parse(sel) else { continue };
        if let Some(el) = doc.select(&s).find(|e| e.text().map(|t| t.trim().chars().count()).sum::<usize>() >= 20) {
            root = Some(el);
            break;
        }
    }
    let root = root.unwrap_or_else(|| doc.root_element());
    let mut w = Writer { out: String::new(), line: String::new() };
    walk(root, &mut w);
    w.newline();
    w.out.trim_end().to_string()
}

/// The page's own 来源 / 发布时间 line, read as metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub source: Option<String>,
    pub published: Option<String>,
}

/// The article of a page as text, and the page's metadata line.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub text: String,
    pub meta: PageMeta,
}

/// Baseline: the article text and no metadata.
pub fn extract_page(html: &str) -> Page {
    Page { text: html_to_text(html), meta: PageMeta::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_structure_and_drops_chrome() {
        let html = r#"<html><head><style>p{}</style></head><body><div class="nav">首页 &gt; 政策</div>
            <div class="TRS_Editor"><h2>一、补贴对象</h2><p>符合条件的  居民。</p><script>x()</script>
            <table><tr><td>项目</td><td>标准</td></tr><tr><td>补贴</td><td>3600元</td></tr></table>
            <div class="bdsharebuttonbox">分享到</div><ul><li>甲</li><li>乙</li></ul></div></body></html>"#;
        let t = html_to_text(html);
        assert_eq!(t, "一、补贴对象\n符合条件的 居民。\n项目 | 标准\n补贴 | 3600元\n甲\n乙");
    }
}
