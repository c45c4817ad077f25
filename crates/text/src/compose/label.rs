//! The label pass: the draft's title and subtitle, and the figures (数字看板 and section figures), each labelled
//! by [`crate::figures`] with the subject and measure of its own clause.
//!
//! A 标准 or 目标 section shows the figures whose number lies inside its bullets; the 看板 at the top shows the best
//! figures of the whole content, no label twice.

use std::ops::Range;

use tujie_model::{Figure, SectionKind, Span};

use super::select::Drafted;
use crate::TextConfig;
use crate::facts::Facts;
use crate::metadata::Metadata;
use crate::normalize::Norm;
use crate::outline::{DocType, Layout};

/// Gives 标准 and 目标 sections the figures inside their bullets and returns the headline figures.
pub fn figures(
    norm: &Norm,
    facts: &Facts,
    range: Range<usize>,
    cfg: &TextConfig,
    sections: &mut [Drafted],
) -> Vec<Figure> {
    let figs = crate::figures::candidates(norm, facts, range, cfg.max_label_chars);
    for d in sections.iter_mut() {
        let s = &mut d.section;
        if !matches!(s.kind, SectionKind::Standards | SectionKind::Goals) {
            continue;
        }
        let ranges: Vec<Span> = s.bullets.iter().flat_map(|b| b.spans.clone()).collect();
        let inside = |f: &Figure| {
            f.spans.first().is_some_and(|fs| ranges.iter().any(|r| r.start <= fs.start && fs.end <= r.end))
        };
        s.figures =
            figs.iter().map(|(f, _)| f).filter(|f| inside(f)).take(cfg.max_figures_per_section).cloned().collect();
    }
    crate::figures::headline(&figs, cfg.max_figures)
}

/// The draft's title: the attached document's title for an 印发 wrapper, else the document's, without 《》.
pub fn title(norm: &Norm, lay: &Layout, meta: &Metadata, doc_type: &DocType) -> String {
    let title = if doc_type.wrapper {
        let line = lay.inner_title(norm).map(|(t, _)| t.trim_matches(['《', '》']).to_string());
        let quoted = doc_type.inner_title.clone();
        match (line, quoted) {
            // A title wrapped over two lines leaves only its last line as the attached text's title line; the
            // wrapper's 《》 holds it whole.
            (Some(l), Some(q)) if q.ends_with(&l) => q,
            (Some(l), _) => l,
            (None, q) => q.unwrap_or_else(|| meta.title.clone()),
        }
    } else {
        meta.title.clone()
    };
    title.trim_matches(['《', '》']).to_string()
}

/// `文号 · 发文机关 日期`, leaving out what is unknown: the 文号 as it heads the document, then issuer and date
/// as the document signs off (`平潭综合实验区管委会 2020年12月30日`), the date as the text writes it or else as
/// `YYYY年M月D日`; a document without one shows its page's publication date as `发布日期：2022-11-21`. Readers (and the people who list what a 一图读懂 must say) name an issuer with its date.
pub fn subtitle(meta: &Metadata) -> String {
    // Without its own date (成文日期), a page's publication date says when the policy came out, labelled as such.
    let published = || meta.page_published.as_deref().and_then(|p| p.split_whitespace().next());
    let date = meta
        .written_date_text
        .clone()
        .or_else(|| meta.written_date.as_deref().map(chinese_date))
        .or_else(|| published().map(|p| format!("发布日期：{p}")));
    let signature: Vec<String> = [meta.issuer.clone(), date].into_iter().flatten().filter(|s| !s.is_empty()).collect();
    let signature = signature.join(" ");
    [meta.doc_number.clone().unwrap_or_default(), signature]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `2023-03-14` as `2023年3月14日`; anything else as it is.
fn chinese_date(iso: &str) -> String {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] => format!("{y}年{m}月{d}日"),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tujie_model::{Bullet, Section};

    #[test]
    fn the_subtitle_signs_off_with_issuer_and_date() {
        let meta = Metadata {
            issuer: Some("某县人民政府".into()),
            doc_number: Some("某政〔2024〕3号".into()),
            written_date: Some("2024-05-02".into()),
            ..Metadata::default()
        };
        assert_eq!(subtitle(&meta), "某政〔2024〕3号 · 某县人民政府 2024年5月2日");
        let meta = Metadata { written_date_text: Some("2024年5月2日".into()), doc_number: None, ..meta };
        assert_eq!(subtitle(&meta), "某县人民政府 2024年5月2日");
        assert_eq!(subtitle(&Metadata::default()), "");
        // A page without a date of its own shows when it was published, and says so.
        let page = Metadata {
            issuer: Some("某县人社局".into()),
            page_published: Some("2022-11-21 18:03".into()),
            ..Metadata::default()
        };
        assert_eq!(subtitle(&page), "某县人社局 发布日期：2022-11-21");
        let signed = Metadata { written_date: Some("2022-11-20".into()), ..page };
        assert_eq!(subtitle(&signed), "某县人社局 2022年11月20日");
    }

    fn draft_title(text: &str) -> String {
        let doc = crate::document_from_plain_text("p", text);
        crate::extract(&doc, &crate::TextConfig::default()).expect("extract").content.title
    }

    #[test]
    fn an_inner_title_wrapped_after_a_cited_title_is_shown_whole() {
        let text = "标题：某区关于印发某方案的通知\n--------------------\n各街镇：\n《某方案》已经区政府同意，现印发给你们，请认真执行。\n某区人民政府办公室\n2019年5月5日\n关于贯彻《某市垃圾管理条例》\n推进分类体系建设的实施方案\n一、工作目标\n到2020年建成达标小区500个。";
        assert_eq!(draft_title(text), "关于贯彻《某市垃圾管理条例》推进分类体系建设的实施方案");
    }

    #[test]
    fn a_wrapped_inner_title_is_shown_whole() {
        let text = "标题：某区管委会关于印发《某区推动设备更新和以旧换新工作方案》的通知\n--------------------\n各有关单位：\n现将《某区推动设备更新和以旧换新工作方案》印发给你们，请认真贯彻执行。\n某区管委会\n2024年5月22日\n某区推动设备更新\n和以旧换新工作方案\n一、主要目标\n到2027年更新设备200套以上。";
        assert_eq!(draft_title(text), "某区推动设备更新和以旧换新工作方案");
    }

    #[test]
    fn a_standards_section_shows_the_figures_of_its_bullets() {
        let text = "新能源乘用车每辆补贴4000元，燃油乘用车每辆补贴3000元。";
        let norm = Norm::new(text);
        let f = crate::facts::collect(&norm, &norm.lines());
        let mut section = Section::new(SectionKind::Standards, "标准");
        section.bullets.push(Bullet { text: text.into(), spans: vec![norm.span(0..norm.text.len())] });
        let mut sections = vec![Drafted { section, score: 0, pos: 0 }];
        let head = figures(&norm, &f, 0..norm.text.len(), &TextConfig::default(), &mut sections);
        assert_eq!(sections[0].section.figures.len(), 2);
        assert_eq!(head.len(), 2);
        assert!(head.iter().all(|f| f.label.ends_with("每辆补贴")), "{head:?}");
    }
}
