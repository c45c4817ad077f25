//! `body_html` reduced to the article's text with its structure kept: one line per paragraph, heading and list
//! item, one line per table row (cells separated by ` | `).
//!
//! Which part of the page is the article is decided by the page's own structure ([`main_content`], a
//! Readability-style scorer of text length, Chinese punctuation and link density), not by a list of CMS templates,
//! so navigation, breadcrumbs, search words and footers of an unknown site stay out. Inside the chosen container,
//! elements whose class or id names chrome are skipped, and [`page_lines`] drops widget lines (share and print
//! bars, 字号 switches, 上一篇/下一篇, related-link lists) and reads the page's 来源 / 发布时间 line and 信息公开
//! index box as [`PageMeta`] instead of text; that line is also looked for just above and below the article.

use std::collections::{HashMap, HashSet};

use scraper::{ElementRef, Html, Node};

mod main_content;
mod page_lines;

use main_content::{NodeId, Stats, class_weight, node_id, skipped};
use page_lines::Line;
pub use page_lines::PageMeta;
pub(crate) use page_lines::{ends_with_share_bar, is_head_chrome, is_page_head, is_tail_chrome};

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

/// How many lines above and below the article are searched for the page's 来源 / 发布时间 line.
const META_REACH: usize = 40;

/// The article of a page as text, and the page's own metadata.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// One line per paragraph, heading, list item and table row (cells separated by ` | `).
    pub text: String,
    pub meta: PageMeta,
}

/// Where a line sits relative to the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Before,
    Article,
    After,
}

#[derive(Default)]
struct Writer {
    lines: Vec<(Region, Line)>,
    line: Line,
    region: Option<Region>,
    /// Per table being written (innermost last), the rows each column's merged cell (`rowspan`) still covers.
    merged: Vec<Vec<u32>>,
}

impl Writer {
    fn text(&mut self, t: &str, in_link: bool) {
        // HTML collapses white space; keep a single space so `2025 年` stays visible to the normaliser.
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}' {
                if !self.line.text.is_empty() && !self.line.text.ends_with(' ') {
                    self.line.text.push(' ');
                }
            } else {
                self.line.text.push(c);
                if !c.is_whitespace() {
                    self.line.chars += 1;
                    self.line.link_chars += u32::from(in_link);
                }
            }
        }
    }

    fn newline(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        line.text = line.text.trim().to_string();
        if !line.text.is_empty() {
            self.lines.push((self.region.unwrap_or(Region::Before), line));
        }
    }

    fn enter(&mut self, r: Region) {
        self.newline();
        self.region = Some(r);
    }
}

/// A walk over the page that marks which lines come from the article's containers.
struct Walk<'s> {
    roots: HashSet<NodeId>,
    stats: &'s HashMap<NodeId, Stats>,
}

/// Where the walk is: inside the article, inside a link, inside a data-table row (whose cells' paragraphs stay on
/// the row's one line).
#[derive(Clone, Copy, Default)]
struct At {
    article: bool,
    link: bool,
    row: bool,
}

/// A table row longer than this is page layout (a sidebar beside the article), not data.
const ROW_MAX_CHARS: u32 = 600;

impl Walk<'_> {
    fn element(&self, el: ElementRef<'_>, w: &mut Writer, mut at: At, depth: usize) {
        let root = self.roots.contains(&node_id(&el));
        // Inside the article, a container whose class or id names chrome (share bar, related links) is dropped.
        if skipped(&el) || (at.article && !root && class_weight(&el) < 0) {
            return;
        }
        if root {
            w.enter(Region::Article);
            at = At { article: true, ..At::default() };
        }
        let name = el.value().name();
        at.link |= name == "a" && el.value().attr("href").is_some();
        let block = BLOCK_TAGS.contains(&name);
        if block && at.row {
            w.text(" ", false);
        } else if block {
            w.newline();
        }
        let table = name == "table";
        if table {
            w.merged.push(Vec::new());
        }
        self.children(el, w, at, depth);
        if table {
            w.merged.pop();
        }
        if block && !at.row {
            w.newline();
        }
        if root {
            w.enter(Region::After);
        }
    }

    fn children(&self, el: ElementRef<'_>, w: &mut Writer, at: At, depth: usize) {
        let row = el.value().name() == "tr" && !at.row;
        if row {
            w.newline();
        }
        let inner = At { row: at.row || (row && self.data_row(&el)), ..at };
        let data = row && inner.row;
        let mut first_cell = true;
        let mut col = 0;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => w.text(t, at.link),
                Node::Element(_) => {
                    let Some(ce) = ElementRef::wrap(child) else { continue };
                    if row && matches!(ce.value().name(), "td" | "th") && !skipped(&ce) {
                        if data {
                            col = merged_cells(w, col, &mut first_cell);
                            col = merge_from(w, &ce, col);
                        }
                        if !first_cell {
                            w.line.text.push_str(" | ");
                        }
                        first_cell = false;
                    }
                    if depth < main_content::MAX_DEPTH {
                        self.element(ce, w, inner, depth + 1);
                    } else {
                        // Too deep to recurse into (see `MAX_DEPTH`): the subtree's text as one run.
                        w.text(&ce.text().collect::<String>(), inner.link);
                    }
                }
                _ => {}
            }
        }
        if data {
            merged_cells(w, col, &mut first_cell);
        }
        if row {
            w.newline();
        }
    }

    /// A short row of two or more cells without a table inside. A row that holds a table, or a single cell, is
    /// page layout however short its text: old CMS templates set title, source line and article in one-cell rows.
    fn data_row(&self, tr: &ElementRef<'_>) -> bool {
        let cells = tr.children().filter_map(ElementRef::wrap).filter(|c| matches!(c.value().name(), "td" | "th"));
        let nests_table = tr.descendent_elements().skip(1).any(|e| e.value().name() == "table");
        cells.count() >= 2 && !nests_table && self.stats.get(&node_id(tr)).is_some_and(|s| s.chars <= ROW_MAX_CHARS)
    }
}

/// Writes an empty cell (`| 二档 | 400` after `城市 | 一档 | 500`) for each column from `col` on that a merged
/// cell of an earlier row still covers; the table reader fills it from the row above (`tables::page_tables`), so the
/// text holds the merged cell once. Returns the next column.
fn merged_cells(w: &mut Writer, mut col: usize, first_cell: &mut bool) -> usize {
    while let Some(left) = w.merged.last_mut().and_then(|m| m.get_mut(col)).filter(|n| **n > 0) {
        *left -= 1;
        if !*first_cell {
            w.line.text.push_str(" | ");
        }
        // A space keeps the cell when the line is trimmed; the table reader trims it again.
        w.line.text.push(' ');
        *first_cell = false;
        col += 1;
    }
    col
}

/// Records the rows a cell's `rowspan` covers below it, at column `col`; returns the column after its `colspan`.
fn merge_from(w: &mut Writer, cell: &ElementRef<'_>, col: usize) -> usize {
    let attr = |name: &str| cell.value().attr(name).and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).max(1);
    let (rows, cols) = (attr("rowspan").min(100), attr("colspan").min(20) as usize);
    if let Some(m) = w.merged.last_mut() {
        if m.len() < col + cols {
            m.resize(col + cols, 0);
        }
        for c in &mut m[col..col + cols] {
            *c = rows - 1;
        }
    }
    col + cols
}

/// The article's containers: the scorer's choice, else a known CMS container, else the whole page.
fn choose_roots<'a>(doc: &'a Html, st: &HashMap<NodeId, Stats>) -> Vec<ElementRef<'a>> {
    let roots = main_content::article_roots(doc, st);
    if !roots.is_empty() {
        return roots;
    }
    vec![main_content::known_container(doc, st).unwrap_or_else(|| doc.root_element())]
}

/// The article of an HTML page as structured text, with the page's 来源 / 发布时间 line and 信息公开 index box as
/// metadata. See the module documentation for what is kept.
pub fn extract_page(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let st = main_content::stats(&doc);
    let roots = choose_roots(&doc, &st);
    let walk = Walk { roots: roots.iter().map(node_id).collect(), stats: &st };
    let mut w = Writer::default();
    walk.element(doc.root_element(), &mut w, At::default(), 0);
    w.newline();
    let (mut before, mut article, mut after) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen_article = false;
    for (r, line) in w.lines {
        match r {
            Region::Article => {
                seen_article = true;
                article.push(line);
            }
            _ if !seen_article => before.push(line),
            _ => after.push(line),
        }
    }
    let (before, article, after) =
        (page_lines::join_labels(before), page_lines::join_labels(article), page_lines::join_labels(after));
    let mut meta = PageMeta::default();
    let kept = page_lines::clean(article, &mut meta);
    page_lines::meta_around(&before, &after, META_REACH, &mut meta);
    let text = kept.into_iter().map(|l| l.text).collect::<Vec<_>>().join("\n");
    Page { text, meta }
}

/// Plain text of an HTML page's article.
pub fn html_to_text(html: &str) -> String {
    extract_page(html).text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell merged over the rows below it (`rowspan`) leaves those rows an empty cell, so every row keeps its
    /// columns and the text holds the merged cell once.
    #[test]
    fn a_merged_cell_leaves_the_rows_it_covers_an_empty_cell() {
        let html = r#"<html><body><div class="article"><p>补贴标准如下：</p><table>
            <tr><td>类别</td><td>档次</td><td>标准</td></tr>
            <tr><td rowspan="2">城市</td><td>一档</td><td>500元</td></tr><tr><td>二档</td><td>400元</td></tr>
            <tr><td>农村</td><td>一档</td><td rowspan="2">300元</td></tr><tr><td>农村</td><td>二档</td></tr>
            </table></div></body></html>"#;
        let text = html_to_text(html);
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            rows,
            ["类别 | 档次 | 标准", "城市 | 一档 | 500元", "| 二档 | 400元", "农村 | 一档 | 300元", "农村 | 二档 |"]
        );
    }

    #[test]
    fn markup_nested_20000_deep_is_read_without_overflowing_the_stack() {
        let depth = 20_000;
        let html = format!(
            "<html><body>{}<p>补贴标准为每人每月500元。</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        // A worker thread's stack (tokio's default, 2 MiB): the size that overflowed before.
        let text = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || html_to_text(&html))
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(text.contains("补贴标准为每人每月500元。"), "{text}");
    }

    #[test]
    fn keeps_structure_and_drops_chrome() {
        let html = r#"<html><head><style>p{}</style></head><body><div class="nav">首页 &gt; 政策</div>
            <div class="TRS_Editor"><h2>一、补贴对象</h2><p>符合条件的  居民。</p><script>x()</script>
            <table><tr><td>项目</td><td>标准</td></tr><tr><td>补贴</td><td>3600元</td></tr></table>
            <div class="bdsharebuttonbox">分享到</div><ul><li>甲</li><li>乙</li></ul></div></body></html>"#;
        let t = html_to_text(html);
        assert_eq!(t, "一、补贴对象\n符合条件的 居民。\n项目 | 标准\n补贴 | 3600元\n甲\n乙");
    }

    /// An ASP.NET / DotNetNuke page: one `<form>` wraps the page, the article sits in a layout table whose short
    /// rows nest further tables, and an empty module has a `Content` id.
    #[test]
    fn reads_a_page_wide_form_with_a_table_layout() {
        let html = r#"<html><body><form id="Form" method="post"><div id="ess_ctr1_ModuleContent">热点</div>
            <table><tr><td><table><tr><td class="crumb">当前位置：首页 &gt; 政策法规</td></tr>
            <tr><td>某区关于公共租赁住房的规定</td></tr>
            <tr><td id="zoom"><p>一、申请人应在本区连续工作5年以上。</p><p>二、家庭年收入低于10万元（含）。</p>
            <p>三、向所在街道办事处提出申请，由区住房保障部门审核。</p></td></tr></table></td></tr></table>
            <input type="text" name="q"></form></body></html>"#;
        let t = html_to_text(html);
        assert!(t.contains("一、申请人应在本区连续工作5年以上。\n二、家庭年收入"), "{t}");
        assert!(!t.contains("热点") && !t.contains("当前位置"), "{t}");
    }

    #[test]
    fn a_search_form_stays_out() {
        let html = r#"<html><body><form><p>热门搜索：补贴 社保 公积金</p></form>
            <div class="content"><p>为做好补贴发放工作，现将有关事项通知如下：</p><p>补贴标准为每人每月200元。</p></div>
            </body></html>"#;
        let t = html_to_text(html);
        assert!(!t.contains("热门搜索"), "{t}");
        assert!(t.contains("每人每月200元"), "{t}");
    }

    #[test]
    fn cells_with_paragraphs_stay_on_the_row_and_the_source_line_is_metadata() {
        let html = r#"<html><body><ul class="nav"><li><a href="/">首页</a></li></ul><div class="main">
            <h1>关于发放补贴的通知</h1><div class="info">发布时间：2025-03-01 10:00 来源：某某局 【字号：大 中 小】</div>
            <div class="box"><p>各有关单位：</p><p>为做好补贴发放工作，现将有关事项通知如下。</p>
            <p>一、补贴对象为本区户籍、年满60周岁、未享受其他同类补贴的居民，由本人或家属向户籍所在地社区申请。</p>
            <table><tr><td><p>对象</p></td><td><p>标准，每人每月</p><p>300元</p></td></tr></table>
            <p>【打印本页】【关闭窗口】</p><p>上一篇：关于某事的通知</p></div>
            <div class="share">分享到：微信 微博</div></div><div class="footer">版权所有：某某网站</div></body></html>"#;
        let page = extract_page(html);
        assert_eq!(
            page.text,
            "各有关单位：\n为做好补贴发放工作，现将有关事项通知如下。\n\
             一、补贴对象为本区户籍、年满60周岁、未享受其他同类补贴的居民，由本人或家属向户籍所在地社区申请。\n\
             对象 | 标准，每人每月 300元"
        );
        assert_eq!(page.meta.source.as_deref(), Some("某某局"));
        assert_eq!(page.meta.published.as_deref(), Some("2025-03-01 10:00"));
    }
}
