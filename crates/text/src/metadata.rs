//! Document metadata: what the event says, completed from the text when the event lacks it (title, 文号, issuer,
//! 成文日期), plus validity (自…起施行, 有效期…) and attachments (附件：…) which only the text carries.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use tujie_model::{Document, Span};

use crate::dates::{self, DateMention};
use crate::facts::Located;
use crate::normalize::Norm;
use crate::outline::Layout;

static VALIDITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"自[^。；，]{1,30}?起(?:施行|实施|执行|生效)|有效期(?:至|为|限为|[^。；，内])[^。；，]{0,20}|[^。；，]{0,30}同时废止",
    )
    .expect("validity regex")
});
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附件\s*\d*\s*[：:]?\s*(?:\d{1,2}[.、．]\s*)?(?P<t>.{2,100})$").expect("attachment regex")
});
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}[.、]\s*(?P<t>.{2,100})$").expect("item regex"));

/// Metadata of one document, with source spans where the value was found in the text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metadata {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_span: Option<Span>,
    /// 文号 with its brackets normalised to 〔〕.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number_span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_span: Option<Span>,
    /// 成文日期 as `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_date: Option<String>,
    /// 成文日期 as the text writes it, when found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_date_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_date_span: Option<Span>,
    /// 自…起施行, 有效期…, …同时废止.
    pub validity: Vec<Located>,
    /// Attachment titles (附件：…).
    pub attachments: Vec<Located>,
    /// Every date in the text.
    pub dates: Vec<DateMention>,
    /// 来源 / 信息来源 of the CMS page's metadata line, when the body came as HTML (not part of the source text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_source: Option<String>,
    /// 发布时间 of that line as the page writes it (`2024-05-22 17:48`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_published: Option<String>,
    /// The page's 信息公开 index box (索引号, 发文机关, 成文日期 …) as label and value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub page_info: Vec<(String, String)>,
}

/// The first 文号 in `s` in its standard spelling ([`tujie_zh::doc_number`]), or `None` if `s` holds none.
pub fn normalize_doc_number(s: &str) -> Option<String> {
    tujie_zh::doc_number::normalize(&Norm::new(s).text)
}

fn find_in(norm: &Norm, needle: &str) -> Option<Span> {
    if needle.is_empty() {
        return None;
    }
    let n = Norm::new(needle);
    norm.text.find(&n.text).map(|p| norm.span(p..p + n.text.len()))
}

/// Whether a validity match states a term: `有效期至2028年…`, `有效期五年`, `有效期限为3年`; not a rule about some
/// other thing's validity (`商品房预售许可证有效期的截止日期为商品房交付使用日期`). 施行 and 废止 statements pass.
fn states_a_term(v: &str) -> bool {
    let Some(rest) = v.find("有效期").map(|i| &v[i..]) else { return true };
    rest.contains(|c: char| c.is_ascii_digit() || "一二三四五六七八九十两〇零".contains(c))
}

/// Metadata from the event, completed from the text.
pub fn extract(doc: &Document, norm: &Norm, lay: &Layout) -> Metadata {
    let line = |i: usize| norm.get(lay.lines[i].clone());
    let mut m = Metadata::default();

    // Title: the event's, else the text's title lines, else an attached document's title line.
    let text_title = if lay.title_lines.is_empty() {
        lay.inner_title(norm)
    } else {
        let first = lay.lines[lay.title_lines[0]].clone();
        let last = lay.lines[*lay.title_lines.last().expect("non-empty")].clone();
        let t: String = lay.title_lines.iter().map(|&i| line(i)).collect();
        Some((t, first.start..last.end))
    };
    if !doc.title.trim().is_empty() {
        m.title = doc.title.trim().to_string();
        m.title_span = find_in(norm, &m.title).or_else(|| text_title.as_ref().map(|(_, r)| norm.span(r.clone())));
    } else if let Some((t, r)) = text_title {
        m.title = t;
        m.title_span = Some(norm.span(r));
    }

    // 文号.
    let text_no = lay.doc_number_line.and_then(|i| {
        let r = lay.lines[i].clone();
        normalize_doc_number(line(i)).map(|n| (n, norm.span(r)))
    });
    m.doc_number =
        doc.doc_number.as_deref().and_then(normalize_doc_number).or_else(|| text_no.as_ref().map(|x| x.0.clone()));
    if let Some(no) = &m.doc_number {
        m.doc_number_span = text_no.filter(|(n, _)| n == no).map(|(_, s)| s);
    }

    // 成文日期: the signature date line.
    let sig = lay
        .signature_date_line
        .map(|i| dates::find_dates(norm, lay.lines[i].clone()))
        .and_then(|d| d.into_iter().next());
    let event_date = doc.written_at.map(|t| t.date_cst().format("%Y-%m-%d").to_string());
    m.written_date = event_date.clone().or_else(|| sig.as_ref().and_then(|d| d.iso.clone()));
    if let Some(d) = sig.filter(|d| m.written_date.is_none() || d.iso == m.written_date) {
        m.written_date_text = Some(d.text.clone());
        m.written_date_span = Some(d.span);
    }

    // Issuer: the event's, else the signature lines above the date, else the title before 关于.
    if let Some(iss) = doc.issuer.as_deref().filter(|s| !s.trim().is_empty()) {
        m.issuer = Some(iss.trim().to_string());
        m.issuer_span = find_in(norm, iss.trim());
    } else if let Some(d) = lay.signature_date_line.filter(|&d| d > 0) {
        let prev = d - 1;
        let t = line(prev);
        if t.chars().count() <= 40 && !t.contains(['。', '，', '：']) && !dates::is_date_line(t) {
            m.issuer = Some(t.to_string());
            m.issuer_span = Some(norm.span(lay.lines[prev].clone()));
        }
    }
    if m.issuer.is_none()
        && let Some(p) = m.title.find("关于")
        && p > 0
    {
        let iss = m.title[..p].to_string();
        m.issuer_span = find_in(norm, &iss);
        m.issuer = Some(iss);
    }

    for (i, r) in lay.lines.iter().enumerate() {
        let t = norm.get(r.clone());
        for v in VALIDITY.find_iter(t).filter(|v| states_a_term(v.as_str())) {
            m.validity.push(Located::new(norm, r.start + v.start()..r.start + v.end()));
        }
        if let Some(c) = ATTACHMENT.captures(t) {
            let g = c.name("t").expect("group");
            m.attachments.push(Located::new(norm, r.start + g.start()..r.start + g.end()));
            // Following numbered lines list the other attachments.
            for j in i + 1..lay.lines.len() {
                let tj = norm.get(lay.lines[j].clone());
                let Some(cj) = LIST_ITEM.captures(tj) else { break };
                let g = cj.name("t").expect("group");
                m.attachments.push(Located::new(norm, lay.lines[j].start + g.start()..lay.lines[j].start + g.end()));
            }
        }
    }
    m.dates = dates::find_dates(norm, 0..norm.text.len());
    if let Some(page) = page_meta(doc) {
        m.page_source = page.source;
        m.page_published = page.published;
        m.page_info = page.info;
    } else {
        m.page_published = (0..lay.content.start).find_map(|i| head_published(line(i)));
    }
    m
}

/// The publication date a crawler kept in a text body's page head, as the page writes it: `发布日期:2022-11-21 18:03`
/// gives `2022-11-21`, `名称: … 发布日期: 2023年12月14日` gives `2023年12月14日`, `日期: 2023-11-23 浏览量:202` gives
/// `2023-11-23`. Five county and township pages of the fixtures keep such a line (and 生成日期 beside it is no
/// publication).
fn head_published(line: &str) -> Option<String> {
    static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:发布日期|发布时间|发表时间|发稿时间|(?:^|[\s|｜])(?:日期|时间))\s*[:：]\s*((?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日))",
        )
        .expect("published regex")
    });
    PUBLISHED.captures(line).map(|c| c[1].to_string())
}

/// The page metadata of a document whose source text comes from `body_html` (no `body_text`). The page is parsed
/// a second time here, which keeps [`crate::extract`]'s signature as it is.
fn page_meta(doc: &Document) -> Option<crate::html::PageMeta> {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
    if !blank(&doc.body_text) || blank(&doc.body_html) {
        return None;
    }
    Some(crate::html::extract_page(doc.body_html.as_deref()?).meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validity_states_a_term() {
        assert!(states_a_term("有效期至2028年4月30日"));
        assert!(states_a_term("有效期五年"));
        assert!(states_a_term("自2025年7月1日起施行"));
        assert!(!states_a_term("有效期的截止日期为商品房交付使用日期"));
    }

    #[test]
    fn a_page_head_line_gives_the_publication_date_as_written() {
        assert_eq!(head_published("发布日期:2022-11-21 18:03    来源: 某县人社局").as_deref(), Some("2022-11-21"));
        assert_eq!(
            head_published("名       称: 某补贴申领 发布日期: 2023年12月14日").as_deref(),
            Some("2023年12月14日")
        );
        assert_eq!(head_published("日期: 2023-11-23 浏览量:202 来源:某区人社局").as_deref(), Some("2023-11-23"));
        assert_eq!(head_published("来源:某县民政局发布日期:2019-07-08 05:22").as_deref(), Some("2019-07-08"));
        assert_eq!(head_published("生成日期: 2022-05-06"), None, "a generated date is no publication");
        assert_eq!(head_published("申报时间：2022年5月6日至6月30日，逾期不予受理。"), None);
    }
}
