//! Policy text understanding: from a policy document (`body_text`, or `body_html`) to metadata, an outline and
//! faithful infographic content whose every bullet, figure, step and date carries spans into the source text.
//!
//! The crate is pure: no I/O, no clock, no async. The stages are
//! [`html`] (HTML to structured text) → [`normalize`] (width, spaces, PDF line breaks, with an offset map back to
//! the source) → [`outline`] (header, 印发 wrapper, footer, headings, document type) → [`metadata`] and [`facts`]
//! → [`compose`] (frames → plan → select → label → fit: sections, bullets, figures, tables, steps, dates).
//! [`faithful`] checks text people typed (draft edits) against the source; [`shown`] reads a draft the way a
//! person reads the image, for asking whether it shows a key fact.
//!
//! **Faithfulness invariant.** Content text is only ever assembled from slices of the normalised source, joined by
//! `：` (heading and its clause), `，` (clauses of one sentence) or `…` (an omission). Shortening drops whole clauses,
//! bracketed asides and the middle of enumerations; it never rewrites words or numbers. Section headings are either
//! a heading of the source or [`tujie_model::SectionKind::default_heading`].
//!
//! **No body.** When a document has neither `body_text` nor `body_html` with text, [`extract`] returns
//! [`TextError::NoText`] and the pipeline skips drafting: a draft made of the title alone would only restate it.
//!
//! Architecture invariant: pure; every item of the content it returns carries spans into the source text, and
//! nothing it shows is absent from that text.

pub mod clauses;
pub mod compose;
pub mod config;
pub mod dates;
pub mod facts;
pub mod faithful;
pub mod figures;
pub mod html;
pub mod metadata;
pub mod normalize;
pub mod outline;
pub mod shown;
pub mod tables;

use serde::Serialize;
use tujie_model::{Document, DocumentKind, InfographicContent, Timestamp};

pub use config::TextConfig;
pub use metadata::Metadata;
pub use outline::{DocKind, DocType, Outline, OutlineNode};
/// Loads the word-segmentation dictionary now (see [`tujie_zh::warm`]): a worker calls it once at start.
pub use tujie_zh::warm;

/// Why a document could not be turned into content. Extraction is deterministic: no error is worth retrying, so
/// the pipeline records each as the reason a policy has no draft.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The body is larger than `max_input_bytes`.
    #[error("document body is {size} bytes, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    /// Neither `body_text` nor `body_html` holds any text.
    #[error("document has no body text")]
    NoText,
    /// The configuration is unusable; the message lists every problem.
    #[error("invalid text configuration: {0}")]
    InvalidConfig(String),
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    /// The text spans point into: `body_text` as given, or the text derived from `body_html`.
    pub source_text: String,
    pub metadata: Metadata,
    pub outline: Outline,
    pub content: InfographicContent,
}

fn non_blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|t| !t.trim().is_empty())
}

/// Extracts metadata, outline and infographic content from a document.
pub fn extract(doc: &Document, cfg: &TextConfig) -> Result<Extraction, TextError> {
    let problems = cfg.validate();
    if !problems.is_empty() {
        let msg = problems.iter().map(|(k, p)| format!("{k}: {p}")).collect::<Vec<_>>().join("; ");
        return Err(TextError::InvalidConfig(msg));
    }
    let source_text = if let Some(t) = non_blank(&doc.body_text) {
        if t.len() > cfg.max_input_bytes {
            return Err(TextError::TooLarge { size: t.len(), limit: cfg.max_input_bytes });
        }
        t.to_string()
    } else if let Some(h) = non_blank(&doc.body_html) {
        if h.len() > cfg.max_input_bytes {
            return Err(TextError::TooLarge { size: h.len(), limit: cfg.max_input_bytes });
        }
        html::html_to_text(h)
    } else {
        return Err(TextError::NoText);
    };
    let norm = normalize::Norm::new(&source_text);
    if norm.text.trim().is_empty() {
        return Err(TextError::NoText);
    }
    let lay = outline::layout(&norm);
    let meta = metadata::extract(doc, &norm, &lay);
    let mut doc_type = outline::doc_type(&meta.title);
    if let (Some(_), Some((title, _))) = (lay.wrapper_line, lay.inner_title(&norm))
        && !doc_type.wrapper
    {
        // The event's title may already be the attached plan's; the body still wraps it.
        let inner = title.trim_matches(['《', '》']).to_string();
        let t = outline::doc_type(&inner);
        doc_type = DocType { kind: t.kind, name: t.name, wrapper: true, inner_title: Some(inner) };
    }
    let content_lines: Vec<_> = lay.content.clone().map(|i| lay.lines[i].clone()).collect();
    let mut facts = facts::collect(&norm, &content_lines);
    // Where to ask is often written beside the signature or in the 印发 wrapper (`（联系人：…，联系电话：…）`),
    // outside the content; it is still the document's own contact.
    let around = lay.wrapper_line.into_iter().chain(lay.footer.clone()).map(|i| lay.lines[i].clone());
    facts.contacts.extend(around.flat_map(|l| facts::contacts_in(&norm, l)));
    let mut content = compose::compose(&norm, &lay, &meta, &facts, &doc_type, cfg);
    content.source_title = Some(doc.title.clone()).filter(|t| !t.trim().is_empty());
    content.source_url = doc.url.clone();
    let content_span = match (content_lines.first(), content_lines.last()) {
        (Some(a), Some(b)) => Some(norm.span(a.start..b.end)),
        _ => None,
    };
    let outline = Outline { doc_type, content_span, nodes: lay.nodes, facts };
    Ok(Extraction { source_text, metadata: meta, outline, content })
}

/// Header keys of the project's plain-text document files (a `key：value` block above a line of dashes).
const HEADER_KEYS: [&str; 5] = ["标题", "文号", "发文机关", "成文日期", "发布日期"];

/// Builds a policy document from plain text, for `tujie extract FILE.txt`.
///
/// If the text starts with a `key：value` header block closed by a line of 20 or more `-` (the layout of the
/// project's fixture files), 标题, 文号, 发文机关, 成文日期 and 发布日期 are read from it and the body is what follows.
/// Missing fields are filled from the body (title lines, 文号 line, signature). `published_at` is the 发布日期 of
/// the header, else the 成文日期, else 1970-01-01 (CST) as a documented placeholder: pure code reads no clock.
pub fn document_from_plain_text(id: &str, text: &str) -> Document {
    let mut header = std::collections::HashMap::new();
    let mut body = text;
    let lines: Vec<&str> = text.lines().take(30).collect();
    if let Some(dash) = lines.iter().position(|l| l.trim().len() >= 20 && l.trim().chars().all(|c| c == '-')) {
        for l in &lines[..dash] {
            if let Some((k, v)) = l.split_once(['：', ':']) {
                let v = v.trim();
                if HEADER_KEYS.contains(&k.trim()) && !v.is_empty() && !v.starts_with("（未知") {
                    header.insert(k.trim().to_string(), v.to_string());
                }
            }
        }
        let offset: usize = text.lines().take(dash + 1).map(|l| l.len() + 1).sum();
        body = text.get(offset.min(text.len())..).unwrap_or("");
    }
    let date_of = |k: &str| header.get(k).and_then(|v| Timestamp::parse(v.split_whitespace().next().unwrap_or("")));
    let mut doc = Document {
        id: id.to_string(),
        kind: DocumentKind::Policy,
        site: None,
        site_kind: None,
        url: None,
        title: header.get("标题").cloned().unwrap_or_default(),
        doc_number: header.get("文号").cloned(),
        index_no: None,
        issuer: header.get("发文机关").cloned(),
        department: None,
        written_at: date_of("成文日期"),
        published_at: Timestamp::parse("1970-01-01").expect("valid epoch"),
        column: None,
        topic: None,
        body_text: Some(body.to_string()),
        body_html: None,
        attachments: Vec::new(),
        related: Vec::new(),
        form: None,
        interprets: Vec::new(),
    };
    let norm = normalize::Norm::new(body);
    let lay = outline::layout(&norm);
    let meta = metadata::extract(&doc, &norm, &lay);
    doc.title = meta.title;
    doc.doc_number = meta.doc_number;
    doc.issuer = meta.issuer;
    if doc.written_at.is_none() {
        doc.written_at = meta.written_date.as_deref().and_then(Timestamp::parse);
    }
    doc.published_at = date_of("发布日期").or(doc.written_at).unwrap_or(doc.published_at);
    if doc.title.is_empty() {
        doc.title = norm.lines().first().map(|r| norm.get(r.clone()).chars().take(60).collect()).unwrap_or_default();
    }
    doc
}

/// Builds a document from a raw input: HTML (`body_html`, published 2024-01-01) when it starts with `<`, else
/// plain text as [`document_from_plain_text`] reads it. How the `fact_extraction` fuzz target and the replay of its
/// corpus (`tests/fuzz_corpus.rs`) read one input, so both hold the same document to the same checks.
pub fn document_from_input(id: &str, input: &str) -> Document {
    if !input.trim_start().starts_with('<') {
        return document_from_plain_text(id, input);
    }
    let mut doc = document_from_plain_text(id, "");
    doc.body_text = None;
    doc.body_html = Some(input.to_string());
    doc.published_at = tujie_model::Timestamp::parse("2024-01-01").expect("valid date");
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_in_the_wrapper_is_shown() {
        let text = "某区农业农村局关于印发《大豆种植补贴实施细则》的函\n各片区管理局：\n\
                    现将《大豆种植补贴实施细则》印发给你们，请按要求抓好落实。（联系人：崔婷，联系电话：0591-23153280）\n\
                    某区农业农村局\n2022年4月27日\n大豆种植补贴实施细则\n第一条 对种植大户给予每亩200元补助。\n\
                    第二条 申报时间为每年4月至5月。\n第三条 本细则自印发之日起施行。";
        let doc = document_from_plain_text("d-1", text);
        let x = extract(&doc, &TextConfig::default()).unwrap();
        let shown: Vec<&str> = x.content.texts();
        assert!(shown.iter().any(|t| t.contains("0591-23153280")), "{shown:?}");
    }

    /// Conditions listed inline hold together: each item is shown, also one whose words alone weigh nothing.
    #[test]
    fn every_item_of_an_inline_list_of_conditions_is_shown() {
        let text = "某镇奖励扶助发放条件和标准\n发放条件：\n镇级扶助：扶助对象应同时具备以下基本条件：（1）本人及配偶户口在本镇；\
                    （2）2001年以前没有违反政策规定生育；（3）现存一个女孩或现存两个女孩；（4）1960年1月1日以后出生，年满60周岁。\n\
                    发放标准：镇级扶助每人每年600元。";
        let doc = document_from_plain_text("d-2", text);
        let x = extract(&doc, &TextConfig::default()).unwrap();
        let shown: Vec<&str> = x.content.texts();
        assert!(shown.iter().any(|t| t.contains("现存一个女孩或现存两个女孩")), "{shown:?}");
    }
}
