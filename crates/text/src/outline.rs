//! The shape of an official document: where the header, an 印发 wrapper, the real content and the signature
//! footer lie, the heading hierarchy (第一章, 第一条, 一、, （一）, 1., （1）, ①) and the document type.
//!
//! Everything here is generic Chinese official-document structure (GB/T 9704 conventions), never tied to a
//! particular document: the marker ranks below are the usual nesting order, and a heading's parent is simply the
//! nearest earlier heading of a smaller rank, which copes with documents that skip levels.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use tujie_model::Span;

use crate::dates;
use crate::normalize::Norm;

/// The kind of marker that opens a heading or list line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// 第一章, 第一编, 第一部分.
    Chapter,
    /// 第一节.
    Section,
    /// 第一条.
    Article,
    /// 一、
    Cn,
    /// （一）
    ParenCn,
    /// 1. or 1、
    Num,
    /// （1）
    ParenNum,
    /// ①
    Circled,
    /// `具体指标：` at the top level: a short label that heads a paragraph.
    Label,
    /// ——
    Dash,
}

impl MarkerKind {
    /// Nesting order: smaller ranks contain larger ones.
    pub fn rank(self) -> u8 {
        match self {
            MarkerKind::Chapter => 0,
            MarkerKind::Section => 1,
            MarkerKind::Article => 2,
            MarkerKind::Cn | MarkerKind::Label => 3,
            MarkerKind::ParenCn => 4,
            MarkerKind::Num => 5,
            MarkerKind::ParenNum => 6,
            MarkerKind::Circled => 7,
            MarkerKind::Dash => 8,
        }
    }
}

const CN_NUM: &str = "一二三四五六七八九十百零〇";

static MARKERS: LazyLock<Vec<(MarkerKind, Regex)>> = LazyLock::new(|| {
    let cn = CN_NUM;
    [
        (MarkerKind::Chapter, format!(r"^第[{cn}\d]{{1,4}}(?:章|编|部分)\s*")),
        (MarkerKind::Section, format!(r"^第[{cn}\d]{{1,4}}节\s*")),
        (MarkerKind::Article, format!(r"^第[{cn}\d]{{1,5}}条\s*")),
        (MarkerKind::Cn, format!(r"^[{cn}]{{1,3}}[、.]\s*")),
        (MarkerKind::ParenCn, format!(r"^[（(][{cn}]{{1,3}}[）)][、.]?\s*")),
        (MarkerKind::Num, r"^\d{1,2}[.、]\s*".to_string()),
        (MarkerKind::ParenNum, r"^[（(]\d{1,2}[）)][、.]?\s*".to_string()),
        (MarkerKind::Circled, r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*".to_string()),
        (MarkerKind::Dash, r"^——?\s*".to_string()),
    ]
    .into_iter()
    .map(|(k, p)| (k, Regex::new(&p).expect("marker regex")))
    .collect()
});

static LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Han}{2,10}：").expect("label regex"));

/// The byte length of the marker at the start of `s`, 0 when there is none.
pub fn marker_len(s: &str) -> usize {
    marker_of(s).map_or(0, |(_, len)| len)
}

/// The byte length of what opens `s` as a list item and is no part of what it says: its marker, or a bullet
/// glyph ([`crate::normalize::BULLET_GLYPHS`]) and the spaces after it; 0 when there is neither.
pub fn item_mark_len(s: &str) -> usize {
    match s.strip_prefix(crate::normalize::BULLET_GLYPHS) {
        Some(rest) => s.len() - rest.trim_start().len(),
        None => marker_len(s),
    }
}

/// The marker at the start of `s` and its byte length (including trailing spaces).
pub fn marker_of(s: &str) -> Option<(MarkerKind, usize)> {
    for (k, re) in MARKERS.iter() {
        if let Some(m) = re.find(s) {
            let rest = &s[m.end()..];
            // `1.5亿` and `2019年` are numbers, not list markers.
            if *k == MarkerKind::Num && rest.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            if rest.is_empty() && *k != MarkerKind::Cn {
                continue;
            }
            return Some((*k, m.end()));
        }
    }
    None
}

/// What kind of official document this is, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 通知, 函.
    Notice,
    /// 方案, 计划, 规划, 要点.
    Plan,
    /// 办法, 细则, 规定, 条例, 规则.
    Rules,
    /// 意见.
    Opinion,
    /// 决定.
    Decision,
    /// 公告, 通告.
    Announcement,
    /// 批复.
    Reply,
    /// 措施.
    Measures,
    /// 指南.
    Guide,
    /// 报告.
    Report,
    Other,
}

const TYPE_SUFFIXES: [(&str, DocKind); 29] = [
    ("实施方案", DocKind::Plan),
    ("工作方案", DocKind::Plan),
    ("行动方案", DocKind::Plan),
    ("行动计划", DocKind::Plan),
    ("工作要点", DocKind::Plan),
    ("方案", DocKind::Plan),
    ("计划", DocKind::Plan),
    ("规划", DocKind::Plan),
    ("要点", DocKind::Plan),
    ("实施细则", DocKind::Rules),
    ("细则", DocKind::Rules),
    ("管理办法", DocKind::Rules),
    ("实施办法", DocKind::Rules),
    ("办法", DocKind::Rules),
    ("规定", DocKind::Rules),
    ("条例", DocKind::Rules),
    ("规则", DocKind::Rules),
    ("指导意见", DocKind::Opinion),
    ("实施意见", DocKind::Opinion),
    ("意见", DocKind::Opinion),
    ("决定", DocKind::Decision),
    ("公告", DocKind::Announcement),
    ("通告", DocKind::Announcement),
    ("批复", DocKind::Reply),
    ("措施", DocKind::Measures),
    ("指南", DocKind::Guide),
    ("报告", DocKind::Report),
    ("通知", DocKind::Notice),
    ("函", DocKind::Notice),
];

/// The document type, and whether the document is an 印发 notice wrapping the real text.
#[derive(Debug, Clone, Serialize)]
pub struct DocType {
    pub kind: DocKind,
    /// The type word as the title ends (`实施方案`), empty when unknown.
    pub name: String,
    /// True for `关于印发《…》的通知`: the attached text is the content.
    pub wrapper: bool,
    /// The attached document's title when this is a wrapper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner_title: Option<String>,
}

fn kind_of_title(t: &str) -> (DocKind, String) {
    let t = t.trim_end_matches(['）', ')', '》']).trim_end_matches("（试行）").trim_end_matches("（暂行）");
    let t = t.strip_suffix("（试行").unwrap_or(t);
    TYPE_SUFFIXES
        .iter()
        .find(|(s, _)| t.ends_with(s))
        .map_or((DocKind::Other, String::new()), |(s, k)| (*k, s.to_string()))
}

/// Whether a short line reads like a document title (ends with a type word).
pub fn ends_with_doc_type(t: &str) -> bool {
    // A line that ends with a title it cites (`关于贯彻《上海市生活垃圾管理条例》`) goes on: the type is the cited one's.
    let cites = t.ends_with('》') && !t.starts_with('《');
    !cites && kind_of_title(t).0 != DocKind::Other
}

static WRAP_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:印发|转发|颁布|公布)《?([^《》]{2,80}?)》?的(?:通知|决定|公告|函)$").expect("wrap regex")
});

/// The issuer that opens a forwarded document's title (`县住房城乡建设委关于…`, `北京市财政局关于…`).
static FORWARDED_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^《》关]{2,30}?(?:委员会|委|局|厅|办公室|办|政府|部|中心|署)(关于.{4,})$").expect("issuer regex")
});

/// Document type from a title.
pub fn doc_type(title: &str) -> DocType {
    let title = title.trim();
    if let Some(c) = WRAP_TITLE.captures(title) {
        let inner = c.get(1).map_or("", |m| m.as_str());
        // `转发市财政局关于调整…标准`: the forwarded document is titled from its 关于, without its issuer.
        let inner = FORWARDED_ISSUER.captures(inner).and_then(|c| c.get(1)).map_or(inner, |m| m.as_str()).to_string();
        let (kind, name) = kind_of_title(&inner);
        return DocType { kind, name, wrapper: true, inner_title: Some(inner) };
    }
    let (kind, name) = kind_of_title(title);
    DocType { kind, name, wrapper: false, inner_title: None }
}

/// One heading (or marked list item) of the outline.
#[derive(Debug, Clone, Serialize)]
pub struct OutlineNode {
    pub marker_kind: MarkerKind,
    /// The marker as written (`（三）`).
    pub marker: String,
    /// Depth in the tree, 0 for top-level headings.
    pub depth: usize,
    /// Index of the parent node in [`Outline::nodes`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// The heading text without marker and closing 。, when the line has a short heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading_span: Option<Span>,
    /// The whole line.
    pub span: Span,
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    pub heading_range: Option<Range<usize>>,
    /// The body after the heading on the same line.
    #[serde(skip)]
    pub body_range: Option<Range<usize>>,
}

/// Where things are in the normalised text, by line index.
#[derive(Debug, Clone)]
pub struct Layout {
    pub lines: Vec<Range<usize>>,
    /// Title lines at the top, if the text carries its own title.
    pub title_lines: Vec<usize>,
    pub doc_number_line: Option<usize>,
    pub addressee_line: Option<usize>,
    /// The 印发 paragraph of a wrapper notice.
    pub wrapper_line: Option<usize>,
    /// The attached document's title line (its last line when the title wraps).
    pub inner_title_line: Option<usize>,
    /// The line that opens the attached document's title when it wraps over two lines (`周浦镇住宅小区物业服务补贴达标`
    /// over `考核奖励实施办法`).
    pub inner_title_head: Option<usize>,
    /// Lines of the content proper, `[start, end)`.
    pub content: Range<usize>,
    /// Signature, date and 此件公开 lines after the content.
    pub footer: Range<usize>,
    /// The signature date line of the whole document, if any.
    pub signature_date_line: Option<usize>,
    pub nodes: Vec<OutlineNode>,
    /// For each line, the deepest node it belongs to (its own node for heading lines).
    pub line_node: Vec<Option<usize>>,
}

/// A line that is one 文号 and nothing else.
static DOC_NO_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{}$", tujie_zh::doc_number::pattern())).expect("doc no line"));
static WRAPPER_PARA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:现将|现予|予以|特此)?印发.{0,20}(?:请|，|。|$)|现将《.{2,80}》.{0,10}(?:印发|转发)")
        .expect("wrapper regex")
});
/// Whether a paragraph hands on an attached text (`现将《…》印发给你们`): an 印发 of [`WRAPPER_PARA`] outside any
/// 《》, since a preamble's citation (`根据《…关于印发<…办法>的通知》`) names another document's wrapper, and not
/// right after a date (the colophon `…办公室2023年3月14日印发`).
fn wraps(t: &str) -> bool {
    WRAPPER_PARA.find_iter(t).any(|m| {
        let before = &t[..m.start()];
        // `…办公室2023年3月14日印发` is the colophon of a flattened page, not a wrapper.
        before.matches('《').count() <= before.matches('》').count() && !before.ends_with('日')
    })
}

/// The 来源 line a page prints under the article (`来源：平潭综合实验区教育局`, `来源：…局附件下载`): chrome, not content.
static PAGE_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:信息|文章)?来源[：:][^，。；]{2,40}$").expect("来源 regex"));
/// `（此件公开发布）`, or the `公开方式：主动公开` line that 规范性文件 pages print under the signature.
static THIS_DOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[（(]此件.{0,20}[）)]|公开方式[：:].{0,12})$").expect("此件 regex"));

/// Whether the line before an attached document's title line is the first line of that title: a short plain line
/// that is not the wrapper's signature date, its 版记 (`…印发`, `（共印120份）`), a heading or a title of its own.
fn opens_wrapped_title(t: &str) -> bool {
    is_plain_short(t, 30)
        && !dates::is_date_line(t)
        && !t.contains("印发")
        && !t.starts_with(['（', '('])
        && !THIS_DOC.is_match(t)
        && marker_of(t).is_none()
        && !ends_with_doc_type(t)
}

impl Layout {
    /// The attached document's title as its lines give it, the wrapped first line joined to the title line.
    pub fn inner_title(&self, norm: &Norm) -> Option<(String, Range<usize>)> {
        let last = self.lines[self.inner_title_line?].clone();
        let first = self.inner_title_head.map_or(last.clone(), |h| self.lines[h].clone());
        let text = if first == last {
            norm.get(last.clone()).to_string()
        } else {
            format!("{}{}", norm.get(first.clone()), norm.get(last.clone()))
        };
        Some((text, first.start..last.end))
    }
}

fn is_plain_short(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.contains(['。', '，', '；', '：', '！', '？'])
}

/// Finds header, wrapper, content and footer, then the headings of the content.
pub fn layout(norm: &Norm) -> Layout {
    let lines = norm.lines();
    let text = |i: usize| norm.get(lines[i].clone());
    let n = before_tail_chrome(&text, lines.len());
    let head_window = n.min(20);

    let doc_number_line = (0..head_window).find(|&i| DOC_NO_LINE.is_match(text(i)));
    // The addressee (主送机关) stands above the body: never after a heading of the body, never with figures.
    let first_heading = (0..head_window).find(|&i| marker_of(text(i)).is_some()).unwrap_or(head_window);
    let addressee_line = (0..first_heading).find(|&i| {
        let t = text(i);
        t.ends_with('：')
            && t.chars().count() <= 150
            && (t.starts_with('各') || t.contains('、'))
            && !t.contains('。')
            && !t.contains(|c: char| c.is_ascii_digit())
            && marker_of(t).is_none()
    });
    let header_end = match (doc_number_line, addressee_line) {
        (_, Some(a)) => a + 1,
        (Some(d), None) => d + 1,
        (None, None) => 0,
    };
    // Title lines: short plain lines before the doc number or addressee.
    let title_limit = doc_number_line.or(addressee_line).unwrap_or(0);
    let mut title_lines: Vec<usize> = (0..title_limit).filter(|&i| is_plain_short(text(i), 60)).collect();
    if let Some(last_type) = title_lines.iter().rposition(|&i| ends_with_doc_type(text(i))) {
        // Keep the lines that make up the title: the type line and the lines just before it that continue it.
        let end = title_lines[last_type];
        let mut start = end;
        while start > 0 && title_lines.contains(&(start - 1)) && !ends_with_doc_type(text(start - 1)) {
            let prev = text(start - 1);
            let cur = text(start);
            if cur.starts_with("关于") || prev.contains("关于") || (!prev.contains("关于") && !cur.contains("关于"))
            {
                start -= 1;
                if text(start).contains("关于") {
                    break;
                }
            } else {
                break;
            }
        }
        title_lines = (start..=end).collect();
    } else {
        title_lines.clear();
    }

    // Footer: walk back over signature, date, 此件 and 印发 lines.
    let mut footer_start = n;
    let mut signature_date_line = None;
    while footer_start > header_end {
        let t = text(footer_start - 1);
        let is_date = dates::is_date_line(t);
        let footerish = is_date
            || THIS_DOC.is_match(t)
            || t.starts_with("抄送")
            || t.starts_with("附件")
            || PAGE_SOURCE.is_match(t)
            || (t.contains("印发")
                && t.chars().count() <= 40
                && !dates::find_dates(norm, lines[footer_start - 1].clone()).is_empty())
            || (is_plain_short(t, 40)
                && marker_of(t).is_none()
                && footer_start < n
                && {
                    let next = text(footer_start);
                    dates::is_date_line(next)
                        || THIS_DOC.is_match(next)
                        || next.starts_with("抄送")
                        || is_plain_short(next, 40)
                }
                && !ends_with_doc_type(t));
        if !footerish {
            break;
        }
        if is_date && !t.contains("印发") {
            signature_date_line = Some(footer_start - 1);
        }
        footer_start -= 1;
    }

    // Wrapper: an 印发 paragraph right after the header, then the attached text's own title.
    let mut content_start = header_end;
    let mut wrapper_line = None;
    let mut inner_title_line = None;
    let mut inner_title_head = None;
    for i in header_end..n.min(header_end + 4).min(footer_start) {
        let t = text(i);
        if t.chars().count() < 400 && wraps(t) && t.contains(['《', '》']) | t.contains("印发给你们") {
            wrapper_line = Some(i);
            break;
        }
    }
    if let Some(w) = wrapper_line {
        let name = text(w).split_once('《').and_then(|(_, r)| r.split_once('》')).map(|(a, _)| a.to_string());
        let search_end = n.min(w + 14).min(footer_start.max(w + 1));
        for i in w + 1..search_end {
            let t = text(i);
            if dates::is_date_line(t) && signature_date_line.is_none_or(|s| s > i) {
                signature_date_line = Some(i);
            }
            let names_match = name.as_deref().is_some_and(|nm| t == nm || t.trim_matches(['《', '》']) == nm);
            // A numbered heading of the body (`三、主要措施`) is never the attached text's title.
            let heading = marker_of(t).is_some();
            if is_plain_short(t, 60) && (names_match || ends_with_doc_type(t)) && !dates::is_date_line(t) && !heading {
                inner_title_line = Some(i);
                break;
            }
        }
        inner_title_head = inner_title_line.filter(|&i| i > w + 1 && opens_wrapped_title(text(i - 1))).map(|i| i - 1);
        content_start = match inner_title_line {
            Some(i) => i + 1,
            None => {
                // No inner title line: skip the wrapper's own signature block.
                let mut j = w + 1;
                while j < footer_start {
                    let t = text(j);
                    if dates::is_date_line(t) || THIS_DOC.is_match(t) || is_plain_short(t, 30) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                j
            }
        };
    } else if header_end == 0 {
        // A bare text: skip leading title lines.
        content_start = title_lines.last().map_or(0, |&l| l + 1);
    }
    // Leftover header lines between the wrapper signature and the content (e.g. 此件公开) are skipped too.
    // So is what a crawler kept of the page's head in a text body: its breadcrumb and its time stamp with the share bar.
    while content_start < footer_start
        && (THIS_DOC.is_match(text(content_start)) || crate::html::is_page_head(text(content_start)))
    {
        content_start += 1;
    }
    content_start = after_head_chrome(&text, content_start, footer_start);
    let content = content_start..footer_start.max(content_start);

    let (nodes, line_node) = build_nodes(norm, &lines, content.clone());
    Layout {
        lines,
        title_lines,
        doc_number_line,
        addressee_line,
        wrapper_line,
        inner_title_line,
        inner_title_head,
        content,
        footer: footer_start.max(content_start)..n,
        signature_date_line,
        nodes,
        line_node,
    }
}

/// Where a text body ends before the page's foot a crawler kept after the article ([`crate::html::is_tail_chrome`]:
/// `扫一扫在手机打开当前页` · `打印本页 关闭窗口` · `设为首页| 加入收藏| …` · `主办单位：…  承办单位：…` · `备案/许可证编号：…ICP备…`
/// · `网站标识码：… 联系电话：…`). Those lines are neither content nor the document's footer: the site's phone is not
/// where to ask about the policy.
fn before_tail_chrome<'a>(text: &impl Fn(usize) -> &'a str, n: usize) -> usize {
    let mut end = n;
    while end > 1 && crate::html::is_tail_chrome(text(end - 1)) {
        end -= 1;
    }
    end
}

/// Most lines of a crawler's page head before the article (accessibility links, the site's name, breadcrumb,
/// index box, title, time stamp).
const MAX_HEAD_LINES: usize = 24;

/// Where the article starts after the page chrome a crawler kept at the head of a text body: after the last
/// chrome line ([`crate::html::is_head_chrome`]: breadcrumb, index box, metadata, widgets) among the short lines
/// before the first sentence (`• 无障碍` · `四合乡` · `您现在所在的位置：…` · `索引号：…` · … · `发布时间：… 来源：…
/// 浏览次数： 字体：[ ]`). Seen in the stored pages of a township, two counties and a league (field19, field20,
/// field21), besides the breadcrumb heads of the Pingtan crawl.
fn after_head_chrome<'a>(text: &impl Fn(usize) -> &'a str, start: usize, end: usize) -> usize {
    let head = (start..end.min(start + MAX_HEAD_LINES))
        .take_while(|&i| !text(i).contains('。') && text(i).chars().count() <= 120);
    head.filter(|&i| crate::html::is_head_chrome(text(i))).last().map_or(start, |i| i + 1)
}

/// Splits an item line into a short heading and the rest: `（一）补贴对象。从…` gives `补贴对象` and `从…`.
fn split_heading(norm: &Norm, r: Range<usize>, kind: MarkerKind) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let t = norm.get(r.clone());
    let max_heading = 30;
    if t.is_empty() {
        return (None, None);
    }
    if let Some(p) = t.find(['。', '：', '；', '！', '？']) {
        let head = &t[..p];
        let after = p + t[p..].chars().next().map_or(0, char::len_utf8);
        let rest = t[after..].trim_start();
        // A `：` inside brackets (`普通高校（本科：4830元/生•年；专科：…）`) ends no heading.
        let open = head.matches(['（', '《', '“']).count() > head.matches(['）', '》', '”']).count();
        let head_ok = head.chars().count() <= max_heading && !head.contains('，') && !head.is_empty() && !open;
        if head_ok && rest.is_empty() {
            return (Some(r.start..r.start + p), None);
        }
        if head_ok && kind != MarkerKind::Article {
            let body_start = r.end - rest.len();
            return (Some(r.start..r.start + p), Some(body_start..r.end));
        }
        return (None, Some(r));
    }
    // A short line alone is a heading; under a `一、` or `（一）` marker even with one comma (`以法控辍，加大宣传力度`,
    // `强化组织领导，压实工作责任`), while a numbered step keeps its comma as a sentence (`先扫二维码，关注公众号`).
    let commas = t.matches('，').count();
    let chapter = matches!(kind, MarkerKind::Cn | MarkerKind::ParenCn);
    if t.chars().count() <= max_heading && (commas == 0 || (chapter && commas == 1 && t.chars().count() <= 20)) {
        return (Some(r), None);
    }
    (None, Some(r))
}

fn build_nodes(norm: &Norm, lines: &[Range<usize>], content: Range<usize>) -> (Vec<OutlineNode>, Vec<Option<usize>>) {
    let mut nodes: Vec<OutlineNode> = Vec::new();
    let mut line_node = vec![None; lines.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut seen_cn = false;
    for li in content {
        let r = lines[li].clone();
        let t = norm.get(r.clone());
        let mut found = marker_of(t);
        if found.is_none() && !seen_cn && LABEL.is_match(t) {
            let label_end = t.find('：').unwrap_or(0);
            // Only at the top level, and only when a real paragraph follows the label.
            if t[label_end..].chars().count() > 10 {
                found = Some((MarkerKind::Label, 0));
            }
        }
        let Some((kind, mlen)) = found else {
            line_node[li] = stack.last().copied();
            continue;
        };
        seen_cn |= matches!(kind, MarkerKind::Cn | MarkerKind::Chapter);
        let rank = kind.rank();
        while let Some(&top) = stack.last() {
            if nodes[top].marker_kind.rank() >= rank {
                stack.pop();
            } else {
                break;
            }
        }
        let body = r.start + mlen..r.end;
        let (heading, body_range) = if kind == MarkerKind::Label {
            let p = t.find('：').unwrap_or(0);
            (Some(r.start..r.start + p), Some(r.start + p + '：'.len_utf8()..r.end))
        } else {
            split_heading(norm, body, kind)
        };
        let idx = nodes.len();
        nodes.push(OutlineNode {
            marker_kind: kind,
            marker: t[..mlen].trim().to_string(),
            depth: stack.len(),
            parent: stack.last().copied(),
            heading: heading.clone().map(|h| norm.get(h).to_string()),
            heading_span: heading.clone().map(|h| norm.span(h)),
            span: norm.span(r.clone()),
            line: li,
            heading_range: heading,
            body_range,
        });
        stack.push(idx);
        line_node[li] = Some(idx);
    }
    (nodes, line_node)
}

/// The outline of a document: type, headings and the facts found in the content.
#[derive(Debug, Clone, Serialize)]
pub struct Outline {
    pub doc_type: DocType,
    /// Source span of the content proper (after any header and 印发 wrapper, before the footer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_span: Option<Span>,
    pub nodes: Vec<OutlineNode>,
    pub facts: crate::facts::Facts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_paragraph_that_hands_on_a_text_wraps_it() {
        assert!(wraps("现将《某区大豆种植补贴实施细则》印发给你们，请认真贯彻执行。"));
        assert!(!wraps("根据《财政部关于印发<中等职业学校国家助学金管理办法>的通知》，现下达助学金。"));
        assert!(!wraps("追究相关人员责任。附件：补助表 某区社会事业局办公室2023年3月14日印发"));
    }

    #[test]
    fn a_colon_inside_brackets_ends_no_heading() {
        let n = Norm::new("3.普通高校（本科：4830元/生•年；专科：4500元/生•年）");
        let (head, body) = split_heading(&n, 2..n.text.len(), MarkerKind::Num);
        assert_eq!(head, None);
        assert!(body.is_some());
        let n = Norm::new("1.补贴对象：本市户籍居民");
        let (head, _) = split_heading(&n, 2..n.text.len(), MarkerKind::Num);
        assert_eq!(head.map(|h| n.get(h)), Some("补贴对象"));
    }

    /// A crawler's page head before a text body's article is no content: the article starts after its last chrome
    /// line (breadcrumb, index box, time stamp and widgets), not at a heading-like line of the page.
    #[test]
    fn a_page_head_in_a_text_body_is_no_content() {
        let text = "• 无障碍\n某某镇\n您现在所在的位置: 网站首页> 政府信息公开 > 某某镇\n索引号: 11341723/202205-00004 组配分类: 财政\n\
                    某镇补贴项目表\n发布时间:2022-05-06 21:11 来源:某某镇 浏览次数: 字体:[ ]\n品种\n补贴\n小麦\n20\n水稻\n30";
        let n = Norm::new(text);
        let lay = layout(&n);
        assert_eq!(n.get(lay.lines[lay.content.start].clone()), "品种");
        let plain = Norm::new("某镇补贴项目表\n一、补贴对象：本镇农户。\n二、补贴标准：每亩20元。");
        let lay = layout(&plain);
        assert!(lay.content.start <= 1, "a text without chrome keeps its first item");
    }

    /// A crawler's page foot after a text body's article (widgets, the site's link bar, who runs it, its 备案 numbers)
    /// is neither content nor the document's footer; a closing sentence of the article that names a phone stays.
    #[test]
    fn a_page_foot_in_a_text_body_is_neither_content_nor_footer() {
        let text = "住院医疗救助\n1、救助对象\n城乡低保人员。\n2、救助标准\n按70%给予救助。\n咨询电话：0000-1234567。\n\
                    <!--EndFragment-->\n扫一扫在手机打开当前页\n打印本页 关闭窗口\n设为首页| 加入收藏| 免责声明| 网站地图| 联系我们\n\
                    主办单位:某某市人民政府  承办单位:某某市数据局 |\n备案/许可证编号:湘ICP备00000000号\n\
                    网站标识码:0000000000   联系电话:0000-7654321";
        let n = Norm::new(text);
        let lay = layout(&n);
        let last = lay.content.end.max(lay.footer.end) - 1;
        assert_eq!(n.get(lay.lines[last].clone()), "咨询电话：0000-1234567。");
        assert_eq!(lay.lines.len(), last + 8, "the seven chrome lines are left out");
        let plain = Norm::new("某镇补贴项目表\n一、补贴标准：每亩20元。\n二、如有疑问，请联系我们。");
        let lay = layout(&plain);
        assert_eq!(lay.content.end.max(lay.footer.end), 3, "a closing sentence of the article is no chrome");
    }

    #[test]
    fn markers() {
        assert_eq!(marker_of("一、总体要求").map(|m| m.0), Some(MarkerKind::Cn));
        assert_eq!(marker_of("（十二）落实").map(|m| m.0), Some(MarkerKind::ParenCn));
        assert_eq!(marker_of("1.申领人").map(|m| m.0), Some(MarkerKind::Num));
        assert_eq!(marker_of("1.5亿元").map(|m| m.0), None);
        assert_eq!(marker_of("2022年出生").map(|m| m.0), None);
        assert_eq!(marker_of("第三条 为了").map(|m| m.0), Some(MarkerKind::Article));
        assert_eq!(marker_of("（1）材料").map(|m| m.0), Some(MarkerKind::ParenNum));
        assert_eq!(marker_of("②窗口").map(|m| m.0), Some(MarkerKind::Circled));
    }

    #[test]
    fn doc_types() {
        let t = doc_type("某省商务厅等4部门关于印发《某省2025年设备更新实施方案》的通知");
        assert!(t.wrapper);
        assert_eq!(t.kind, DocKind::Plan);
        assert_eq!(t.name, "实施方案");
        assert_eq!(doc_type("某某关于做好某项工作的若干意见").kind, DocKind::Opinion);
        let t = doc_type("某县人民政府办公室转发县住房城乡建设委关于某县公共租赁住房配租管理办法的通知");
        assert_eq!(t.inner_title.as_deref(), Some("关于某县公共租赁住房配租管理办法"));
        assert_eq!(t.kind, DocKind::Rules);
        assert_eq!(doc_type("某市某项补贴管理办法（试行）").kind, DocKind::Rules);
    }
}
