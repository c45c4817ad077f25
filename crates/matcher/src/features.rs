//! What the index keeps per document: the few normalised facts matching needs, not the document.
//!
//! A catalogue of a million interpretations must fit in memory next to the pipeline, so bodies, HTML and
//! attachments are reduced at insert time to hashes (URLs, 文号, listed titles), flags and one short core title.

use chrono::Datelike;
use tujie_model::{Document, DocumentKind};

use crate::hash::str_hash;
use crate::text::{self, Jurisdiction};

/// Flags derived from a title.
pub(crate) mod flag {
    /// The policy is a 批复 (approval reply).
    pub(crate) const APPROVAL_REPLY: u16 = 1;
    /// The text mentions 批复 at all (an interpretation of a 批复 says so).
    pub(crate) const MENTIONS_APPROVAL: u16 = 1 << 1;
    /// A meeting readout: 常务会议, 审议通过.
    pub(crate) const MEETING: u16 = 1 << 2;
    /// A draft: 草案, 征求意见稿, 送审稿.
    pub(crate) const DRAFT: u16 = 1 << 3;
    /// A trial version: 试行.
    pub(crate) const TRIAL: u16 = 1 << 4;
}

/// A quoted title in compact form.
#[derive(Debug, Clone)]
pub(crate) struct QuoteF {
    pub core: Box<str>,
    pub derivative: bool,
}

/// The matching view of one document.
#[derive(Debug, Clone)]
pub(crate) struct Features {
    pub kind: DocumentKind,
    pub id_hash: u64,
    /// Days since 0001-01-01 (CST calendar date of publication).
    pub day: i32,
    /// Title with wrappers removed; see [`text::core`].
    pub core: Box<str>,
    pub quotes: Box<[QuoteF]>,
    /// Hash of the page's own URL key, 0 when unknown.
    pub url: u64,
    /// URLs this page points at: `related`, `interprets[].url` and links in the body.
    pub outbound: Box<[u64]>,
    /// Ids this interpretation says it interprets.
    pub interprets_ids: Box<[u64]>,
    /// The document's own 文号 (policies), 0 when unknown.
    pub doc_number: u64,
    /// 文号 cited in the title, body or `interprets` (interpretations).
    pub cited_numbers: Box<[u64]>,
    /// Cores of the titles a policy page lists as related (its 相关解读 box), hashed.
    pub related_titles: Box<[u64]>,
    pub years: Box<[u16]>,
    pub batches: Box<[u64]>,
    /// 十X五 plan, as the middle character; `'\0'` when none.
    pub five_year: char,
    pub flags: u16,
    pub jurisdiction: Jurisdiction,
    /// Hashes of organisations named as issuer or speaker.
    pub orgs: Box<[u32]>,
}

/// Days since 0001-01-01 of the CST publication date: an `i32` is all date arithmetic needs.
fn day_number(doc: &Document) -> i32 {
    doc.published_at.date_cst().num_days_from_ce()
}

fn hashes(items: impl IntoIterator<Item = String>) -> Box<[u64]> {
    let mut v: Vec<u64> = items.into_iter().map(|s| str_hash(&s)).collect();
    v.sort_unstable();
    v.dedup();
    v.into_boxed_slice()
}

fn title_flags(normalized: &str, kind: DocumentKind) -> u16 {
    let mut f = 0;
    if kind == DocumentKind::Policy && (normalized.ends_with("批复") || normalized.contains("的批复")) {
        f |= flag::APPROVAL_REPLY;
    }
    if normalized.contains("批复") {
        f |= flag::MENTIONS_APPROVAL;
    }
    if ["常务会议", "常务会", "审议通过"].iter().any(|w| normalized.contains(w)) {
        f |= flag::MEETING;
    }
    if ["草案", "征求意见稿", "征求意见", "送审稿"].iter().any(|w| normalized.contains(w)) {
        f |= flag::DRAFT;
    }
    if normalized.contains("试行") {
        f |= flag::TRIAL;
    }
    f
}

impl Features {
    pub(crate) fn of(doc: &Document) -> Self {
        let title = text::normalize(&doc.title);
        let core = text::core(&title);
        let quotes = text::quotes(&title);
        let mut outbound = Vec::new();
        for r in &doc.related {
            outbound.extend(r.url.as_deref().and_then(text::url_key));
        }
        let mut cited = text::doc_number_keys(&title);
        let mut interprets_ids = Vec::new();
        let mut quote_cores: Vec<QuoteF> =
            quotes.iter().map(|q| QuoteF { core: q.core.as_str().into(), derivative: q.is_derivative() }).collect();
        for r in &doc.interprets {
            outbound.extend(r.url.as_deref().and_then(text::url_key));
            interprets_ids.extend(r.id.as_deref().map(|s| s.trim().to_owned()));
            if let Some(n) = &r.doc_number {
                cited.extend(text::doc_number_keys(&text::normalize(n)));
            }
            // A declared target title counts like a title quoted in 《》.
            if let Some(t) = &r.title {
                let c = text::core(&text::normalize(t));
                if !c.is_empty() {
                    quote_cores.push(QuoteF { core: c.into(), derivative: false });
                }
            }
        }
        if doc.kind == DocumentKind::Interpretation {
            for body in [doc.body_text.as_deref(), doc.body_html.as_deref()].into_iter().flatten() {
                outbound.extend(text::urls_in(body));
                cited.extend(text::doc_number_keys(&text::normalize(body)));
            }
            if let Some(n) = &doc.doc_number {
                cited.extend(text::doc_number_keys(&text::normalize(n)));
            }
        } else if let Some(html) = doc.body_html.as_deref() {
            // A policy page may link its interpretations inside the body rather than in a related box.
            outbound.extend(text::urls_in(html));
        }
        let own_number = match doc.kind {
            DocumentKind::Policy => doc
                .doc_number
                .as_deref()
                .and_then(|n| text::doc_number_keys(&text::normalize(n)).into_iter().next())
                .map_or(0, |k| str_hash(&k)),
            DocumentKind::Interpretation => 0,
        };
        let related_titles = hashes(
            doc.related
                .iter()
                .filter_map(|r| r.title.as_deref())
                .map(|t| text::core(&text::normalize(t)))
                .filter(|c| !c.is_empty()),
        );
        let host = doc.url.as_deref().and_then(text::url_host);
        let issuer = doc.issuer.as_deref().map(text::normalize);
        let years = text::years(&title);
        let mut orgs: Vec<u32> =
            text::organisations(issuer.as_deref(), &title).iter().map(|o| (str_hash(o) >> 32) as u32).collect();
        orgs.sort_unstable();
        orgs.dedup();
        Features {
            kind: doc.kind,
            id_hash: str_hash(doc.id.trim()),
            day: day_number(doc),
            core: core.into(),
            quotes: quote_cores.into_boxed_slice(),
            url: doc.url.as_deref().and_then(text::url_key).map_or(0, |k| str_hash(&k)),
            outbound: hashes(outbound),
            interprets_ids: hashes(interprets_ids),
            doc_number: own_number,
            cited_numbers: hashes(cited),
            related_titles,
            years: years.into_boxed_slice(),
            batches: hashes(text::batches(&title)),
            five_year: text::five_year_plan(&title).unwrap_or('\0'),
            flags: title_flags(&title, doc.kind),
            jurisdiction: text::jurisdiction(issuer.as_deref(), &title, host.as_deref()),
            orgs: orgs.into_boxed_slice(),
        }
    }

    /// The texts whose bigrams represent this document in the n-gram index: its core and its quoted titles.
    pub(crate) fn match_texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&*self.core).chain(self.quotes.iter().map(|q| &*q.core))
    }

    /// Distinct bigrams of [`Self::match_texts`].
    pub(crate) fn grams(&self) -> Vec<u64> {
        let mut g = Vec::new();
        for t in self.match_texts() {
            text::bigrams(t, &mut g);
        }
        g.sort_unstable();
        g.dedup();
        g
    }

    pub(crate) fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    /// Approximate heap bytes held by this value (for the memory report).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.core.len()
            + self.quotes.iter().map(|q| q.core.len() + std::mem::size_of::<QuoteF>()).sum::<usize>()
            + 8 * (self.outbound.len()
                + self.interprets_ids.len()
                + self.cited_numbers.len()
                + self.related_titles.len()
                + self.batches.len())
            + 2 * self.years.len()
            + 4 * self.orgs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tujie_model::Timestamp;

    #[test]
    fn day_numbers_are_consecutive_across_months_and_years() {
        let mk = |d: &str| {
            let mut doc: Document = serde_json_doc();
            doc.published_at = Timestamp::parse(d).unwrap();
            day_number(&doc)
        };
        assert_eq!(mk("2024-03-01") - mk("2024-02-28"), 2);
        assert_eq!(mk("2025-01-01") - mk("2024-12-31"), 1);
    }

    fn serde_json_doc() -> Document {
        serde_json::from_str(r#"{"id":"x","kind":"policy","title":"t","published_at":"2024-01-01"}"#).unwrap()
    }
}
