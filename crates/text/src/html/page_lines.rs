//! Lines of a page that are not the article even when they sit in its container: the page's 来源 / 发布时间 line
//! and 信息公开 index box (read as metadata), and widgets (share and print bars, 字号 switches, 上一篇/下一篇,
//! breadcrumbs, related-link lists, short link-dominated lines).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// The page's own metadata, outside the article's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageMeta {
    /// 来源 / 信息来源 / 发布机构 of the page's metadata line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 发布时间 / 发布日期 / 时间 of that line, as the page writes it (`2024-05-22 17:48`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// 浏览次数 / 点击数, when the page states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub views: Option<String>,
    /// The 信息公开 index box (索引号, 发文机关, 成文日期, 发文字号 …) as label and value, labels without spaces.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub info: Vec<(String, String)>,
}

impl PageMeta {
    /// The value of an index-box label (`成文日期`), if the page has one.
    pub fn info(&self, label: &str) -> Option<&str> {
        self.info.iter().find(|(l, _)| l == label).map(|(_, v)| v.as_str())
    }
}

/// Labels of the 来源 / 发布时间 line. The spaced forms (`来  源`) are folded before matching.
static META_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(信息来源|文章来源|稿件来源|来源单位|来源|发布机构|发布单位|发布部门|发布时间|发布日期|发表时间|发文时间|发稿时间|更新时间|时间|日期|浏览次数|浏览量|阅读次数|阅读量|点击次数|点击数|点击量|访问次数|访问量|作者|责任编辑|编辑|浏览字号|字号|字体大小|字体)[：:]",
    )
    .expect("meta label regex")
});

/// Labels of a 信息公开 index box.
static INFO_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(索引号|主题分类|组配分类|体裁分类|服务对象|发文机关|发文单位|发布机构|成文日期|发文日期|发文字号|文号|发布日期|发布机关|标题|名称|有效性|时效性|生效日期|实施日期|失效日期|废止日期|公开方式|公开范围|公开时限|信息类别|主题词|关键词|所属机构)(?:[：:]|\s\|\s)",
    )
    .expect("info label regex")
});

/// The words of a page's share bar, as alternatives of a regex.
const SHARE_WORDS: &str = "分享到|分享|微信|朋友圈|新浪微博|腾讯微博|微博|QQ空间|QQ好友|QQ|人人网|豆瓣";
/// What a page's breadcrumb opens with, as alternatives of a regex.
const BREADCRUMB_WORDS: &str = "当前位置|您的位置|您现在的位置|您现在所在的位置|你的位置|所在位置";

static SHARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^[\s|｜:：、]*(?:(?:{SHARE_WORDS})[\s|｜:：、]*)+$")).expect("share regex"));

/// A page's head as a crawler flattened it into a text body: its breadcrumb (`当前位置：首页政务公开…`), or its time
/// stamp followed by the share bar (`2017-08-04 12:01微信微博QQ空间`).
static PAGE_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?:{BREADCRUMB_WORDS})[：:]|(?:(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}\s?(?:\d{{1,2}}:\d{{2}})?)?(?:{SHARE_WORDS})+$)"
    ))
    .expect("page head regex")
});

/// The share bar's last word ends `text` (`…时间：2017-08-04 12:01 微信 微博 QQ空间`): only the words bars close with,
/// since `微信`, `分享` and the like also end sentences about them.
static SHARE_AT_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:QQ空间|朋友圈|QQ好友)\s*$").expect("share end regex"));

/// Whether a line of a text body is what a crawler kept of the page's head ([`PAGE_HEAD`]).
pub(crate) fn is_page_head(line: &str) -> bool {
    PAGE_HEAD.is_match(line)
}

/// Whether a line of a text body is page chrome a crawler kept at the article's head: its breadcrumb and time stamp
/// ([`is_page_head`]), a metadata line (`发布时间：2022-05-06 21:11 来源：四合乡 浏览次数：`), an index-box line
/// (`索引号：…`, `组配分类：…`), or a widget (`打印本稿`, `字体：[ ]`). The same readers clean an HTML page's lines.
pub(crate) fn is_head_chrome(text: &str) -> bool {
    let line = Line::plain(text);
    is_page_head(text) || widget(&line) || meta_line(&line).is_some() || !info_pairs(&line).is_empty()
}

/// Whether `text` ends with the last word of a page's share bar ([`SHARE_AT_END`]).
pub(crate) fn ends_with_share_bar(text: &str) -> bool {
    SHARE_AT_END.is_match(text)
}

/// What only a site's footer says: its 备案 numbers, its site code, its copyright, who runs it (`主办单位：…` beside
/// `承办单位：…`), or a bar of the site's own links (`设为首页| 加入收藏| 网站地图| 联系我们`). Every government site
/// carries such a footer (58 of the fixtures' HTML pages do); a crawler that kept a page as text keeps it too.
static SITE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"ICP备|ICP证|公网安备|网站标识码|版权所有|技术支持[：:]|主办单位[：:].*(?:承办|协办)单位[：:]|",
        r"^(?:[\s|｜]*(?:设为首页|加入收藏|免责声明|网站地图|联系我们|关于我们|网站声明|隐私声明|使用帮助)[\s|｜]*){2,}$|",
        r"^<!--.*-->$",
    ))
    .expect("site footer regex")
});

/// Whether a line of a text body is what a crawler kept of the page's foot: the site's footer ([`SITE_FOOTER`]) or a
/// widget (`扫一扫在手机打开当前页`, `打印本页 关闭窗口`).
pub(crate) fn is_tail_chrome(text: &str) -> bool {
    let line = Line::plain(text);
    SITE_FOOTER.is_match(text) || widget(&line)
}

static TOOLS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\s|｜]*(?:[【\[［(（]?\s*(?:打印本页|打印此页|打印文章|打印|关闭本页|关闭窗口|关闭|收藏本页|加入收藏|收藏|返回顶部|返回|保存本页|我要纠错|纠错|视力保护色|字号|字体|[大中小]|默认|[:：])\s*[】\]］)）]?[\s|｜]*)+$",
    )
    .expect("tools regex")
});

static WIDGET_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[【\[]?(?:上一篇|下一篇|上一条|下一条|{BREADCRUMB_WORDS}|扫一扫|手机扫描|扫描二维码)"))
        .expect("widget regex")
});

static RELATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[【\[]?(?:相关链接|相关文件|相关解读|相关阅读|相关新闻|相关文章|相关稿件|相关政策|相关附件|延伸阅读)[】\]]?[：:]?")
        .expect("related regex")
});

/// A line that is only a date in figures with dashes (`2026-02-26`, `2025-03-31 17:14`): a page's publication
/// time, as signatures write dates in 年月日.
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$").expect("bare date regex")
});

static FILE_EXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\.(?:docx?|pdf|xlsx?|wps|et|ofd|zip|rar|txt)\b").expect("file regex"));

/// One line of a page's text with how much of it is link text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub text: String,
    pub chars: u32,
    pub link_chars: u32,
}

impl Line {
    /// A line of a text body, where nothing is a link.
    fn plain(text: &str) -> Self {
        Self { text: text.into(), chars: text.chars().filter(|c| !c.is_whitespace()).count() as u32, link_chars: 0 }
    }

    fn link_density(&self) -> f32 {
        if self.chars == 0 { 0.0 } else { self.link_chars as f32 / self.chars as f32 }
    }

    /// Text without white space, so that `来  源：` reads as `来源：`.
    fn compact(&self) -> String {
        self.text.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

/// `label：value` pairs of a line, each value running to the next label (of either kind) or table cell.
fn labelled(text: &str, re: &Regex) -> Vec<(String, String)> {
    let mut stops: Vec<usize> =
        META_LABEL.find_iter(text).chain(INFO_LABEL.find_iter(text)).map(|m| m.start()).collect();
    stops.extend(text.match_indices(" | ").map(|(i, _)| i));
    let mut out = Vec::new();
    for c in re.captures_iter(text) {
        let m = c.get(0).expect("match");
        // A label cell's value is in the next cell: `索引号： | 1144…`.
        let rest = &text[m.end()..];
        let start = match rest.trim_start().strip_prefix('|') {
            Some(after) => text.len() - after.len(),
            None => m.end(),
        };
        let end = stops.iter().copied().filter(|&p| p >= start).min().unwrap_or(text.len());
        let value = text[start..end].trim_matches(|c: char| c.is_whitespace() || "|｜【】[]：:".contains(c));
        out.push((c[1].to_string(), value.to_string()));
    }
    out
}

/// Whether a line is the page's 来源 / 发布时间 line, and if so what it says. A bare 时间 or 日期 needs a second
/// label beside it, so that a notice's own `时间：…` line stays content.
fn meta_line(line: &Line) -> Option<Vec<(String, String)>> {
    let text = spaced_labels_folded(&line.text);
    let first = META_LABEL.find(&text)?;
    // Nothing but a bracket may precede the first label, or a date the page left unlabelled (`2022-11-16 来源:`).
    let lead = text[..first.start()].trim_matches(|c: char| c.is_whitespace() || "【[|｜".contains(c));
    let dated = BARE_DATE.is_match(lead);
    if (!lead.is_empty() && !dated) || text.chars().count() > 150 || text.contains('。') {
        return None;
    }
    let mut pairs = labelled(&text, &META_LABEL);
    if dated {
        pairs.push(("时间".to_string(), lead.to_string()));
    }
    let weak = |l: &str| matches!(l, "时间" | "日期" | "作者" | "编辑" | "浏览字号" | "字号" | "字体大小" | "字体");
    (pairs.iter().any(|(l, _)| !weak(l)) || pairs.len() >= 2).then_some(pairs)
}

/// `来  源：` and `索 引 号：` with the spaces inside a short label removed; other text unchanged.
fn spaced_labels_folded(text: &str) -> String {
    static SPACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\p{Han})[\s\u{3000}\u{2002}\u{a0}]+(\p{Han})(?:[\s\u{3000}\u{2002}\u{a0}]+(\p{Han}))?\s*([：:])")
            .expect("spaced label regex")
    });
    SPACED.replace_all(text, "$1$2$3$4").into_owned()
}

fn info_pairs(line: &Line) -> Vec<(String, String)> {
    let text = spaced_labels_folded(&line.text);
    let Some(first) = INFO_LABEL.find(&text) else { return Vec::new() };
    if text.chars().count() > 200 || text[..first.start()].chars().filter(|c| !c.is_whitespace()).count() > 0 {
        return Vec::new();
    }
    labelled(&text, &INFO_LABEL)
}

/// A widget line: share bar, print and close buttons, 字号 switch, 上一篇/下一篇, breadcrumb, QR-code caption.
fn widget(line: &Line) -> bool {
    let c = line.compact();
    SHARE.is_match(&c) || TOOLS.is_match(&c) || (WIDGET_START.is_match(&c) && c.chars().count() <= 80)
}

/// A short line made mostly of links that does not read as prose and names no attachment.
fn link_line(line: &Line) -> bool {
    let c = line.compact();
    line.link_density() >= 0.5
        && c.chars().count() <= 60
        && !c.contains(['。', '；'])
        && !c.contains("附件")
        && !FILE_EXT.is_match(&c)
}

/// A label standing alone on its line (`来源：`, `发表时间：`), whose value the page put on the next line.
fn label_only(text: &str) -> bool {
    let t = spaced_labels_folded(text);
    let t = t.trim();
    [&*META_LABEL, &*INFO_LABEL].iter().any(|re| re.find(t).is_some_and(|m| m.start() == 0 && m.end() == t.len()))
}

/// Lines with a label alone joined to the short, unlabelled line after them.
pub(crate) fn join_labels(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut()
            && label_only(&prev.text)
            && line.chars <= 40
            && !META_LABEL.is_match(&line.text)
            && !INFO_LABEL.is_match(&line.text)
        {
            prev.text = format!("{} {}", prev.text, line.text);
            prev.chars += line.chars;
            prev.link_chars += line.link_chars;
            continue;
        }
        out.push(line);
    }
    out
}

/// The article's lines without the page's metadata, index box and widgets, and what those said.
pub(crate) fn clean(lines: Vec<Line>, meta: &mut PageMeta) -> Vec<Line> {
    let info: Vec<Vec<(String, String)>> = lines.iter().map(info_pairs).collect();
    let mut out = Vec::new();
    let mut in_related = false;
    for (i, line) in lines.into_iter().enumerate() {
        let c = line.compact();
        if in_related && (line.link_density() >= 0.5 || c.is_empty()) {
            continue;
        }
        in_related = false;
        if !info[i].is_empty() && in_info_box(&info, i) {
            meta.info.extend(info[i].iter().cloned());
            if let Some(pairs) = meta_line(&line) {
                take_meta(meta, pairs);
            }
        } else if let Some(pairs) = meta_line(&line) {
            take_meta(meta, pairs);
        } else if RELATED.is_match(&c) && c.chars().count() <= 60 {
            in_related = true;
        } else if !widget(&line) && !link_line(&line) {
            out.push(line);
        }
    }
    out
}

/// An index-box line has a neighbour that is one too (or holds two labels itself).
fn in_info_box(info: &[Vec<(String, String)>], i: usize) -> bool {
    info[i].len() >= 2 || (i > 0 && !info[i - 1].is_empty()) || info.get(i + 1).is_some_and(|n| !n.is_empty())
}

fn take_meta(meta: &mut PageMeta, pairs: Vec<(String, String)>) {
    for (label, value) in pairs {
        if value.is_empty() {
            continue;
        }
        let slot = match label.as_str() {
            "时间" | "日期" | "发布时间" | "发布日期" | "发表时间" | "发文时间" | "发稿时间" | "更新时间" => {
                &mut meta.published
            }
            l if l.contains("来源") || l.starts_with("发布") => &mut meta.source,
            l if l.contains("次数") || l.contains('量') || l.starts_with("点击") => &mut meta.views,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// The page's metadata from the lines around the article, nearest first: up to `reach` lines above it, then below.
pub(crate) fn meta_around(before: &[Line], after: &[Line], reach: usize, meta: &mut PageMeta) {
    for line in before.iter().rev().take(reach).chain(after.iter().take(reach)) {
        if meta.source.is_some() && meta.published.is_some() {
            break;
        }
        if let Some(pairs) = meta_line(line) {
            take_meta(meta, pairs);
        }
    }
    if meta.published.is_none() {
        meta.published = before
            .iter()
            .rev()
            .take(reach)
            .find(|l| BARE_DATE.is_match(l.text.trim()))
            .map(|l| l.text.trim().to_string());
    }
    if meta.info.is_empty() {
        let info: Vec<_> = before.iter().map(info_pairs).collect();
        for i in 0..info.len() {
            if !info[i].is_empty() && in_info_box(&info, i) {
                meta.info.extend(info[i].iter().cloned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> Line {
        Line { text: t.into(), chars: t.chars().filter(|c| !c.is_whitespace()).count() as u32, link_chars: 0 }
    }

    #[test]
    fn reads_the_source_line() {
        let p = meta_line(&line("来源：平潭综合实验区社会事业局 时间：2014-04-10 09:57")).unwrap();
        let mut m = PageMeta::default();
        take_meta(&mut m, p);
        assert_eq!(m.source.as_deref(), Some("平潭综合实验区社会事业局"));
        assert_eq!(m.published.as_deref(), Some("2014-04-10 09:57"));
        let p = meta_line(&line("发布时间：2025-03-01 浏览次数： 字号：[ 大 中 小 ]")).unwrap();
        take_meta(&mut m, p);
        assert_eq!(m.views, None);
        let mut m = PageMeta::default();
        take_meta(&mut m, meta_line(&line("2022-11-16 来源: 广州市民政局")).unwrap());
        assert_eq!((m.source.as_deref(), m.published.as_deref()), (Some("广州市民政局"), Some("2022-11-16")));
        assert!(meta_line(&line("来  源：某某局")).is_some());
    }

    #[test]
    fn a_notice_time_line_is_content() {
        assert!(meta_line(&line("时间：2025年3月1日上午9时")).is_none());
        assert!(meta_line(&line("一、活动时间：2025年3月1日至3月31日")).is_none());
        assert!(meta_line(&line("资金来源：区财政安排")).is_none());
    }

    #[test]
    fn widgets() {
        for t in [
            "分享到：微信 微博 QQ空间",
            "【打印本页】【关闭窗口】",
            "字号：大 中 小",
            "上一篇：关于某事的通知",
            "当前位置：首页 > 政务公开",
        ] {
            assert!(widget(&line(t)), "{t}");
        }
        for t in ["一、补贴对象", "中", "本通知自2020年8月1日起执行。"] {
            assert_eq!(widget(&line(t)), t == "中", "{t}");
        }
    }

    #[test]
    fn index_box_needs_two_labels() {
        let lines = vec![line("索 引 号： PZ00101-1700"), line("发文机关： 某某局"), line("正文第一段，内容。")];
        let mut m = PageMeta::default();
        let kept = clean(lines, &mut m);
        assert_eq!(kept.len(), 1);
        assert_eq!(m.info("索引号"), Some("PZ00101-1700"));
        let mut m = PageMeta::default();
        assert_eq!(clean(vec![line("标题：一个标题")], &mut m).len(), 1);
        let mut m = PageMeta::default();
        clean(
            vec![line("索引号： | 1144/2023-00331 | 分类： | "), line("发布机构： | 某局 | 成文日期： | 2023-10-19")],
            &mut m,
        );
        assert_eq!(m.info("索引号"), Some("1144/2023-00331"));
        assert_eq!(m.info("分类"), None);
        assert_eq!(m.info("成文日期"), Some("2023-10-19"));
    }
}
