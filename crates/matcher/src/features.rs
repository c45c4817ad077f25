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
    /// The title quotes exactly its core (`一图读懂《X》`); stored once, not twice.
    pub(crate) const CORE_QUOTED: u16 = 1 << 5;
    /// The core quote is followed by a derived document's name.
    pub(crate) const CORE_QUOTE_DERIVATIVE: u16 = 1 << 6;
}

/// A quoted title in compact form.
#[derive(Debug, Clone)]
pub(crate) struct QuoteF {
    pub core: Box<str>,
    pub derivative: bool,
}

/// Sections of [`Features::keys`], in order.
#[derive(Debug, Clone, Copy)]
#[repr(usize)]
pub(crate) enum Section {
    /// URLs this page points at: `related`, `interprets[].url` and links in the body.
    Outbound,
    /// Ids this interpretation says it interprets.
    InterpretsIds,
    /// 文号 cited in the title, body or `interprets` (interpretations).
    CitedNumbers,
    /// Cores of the titles a policy page lists as related (its 相关解读 box).
    RelatedTitles,
    /// Batch numbers (第N批).
    Batches,
    /// Years the title is about.
    Years,
    /// Organisations named as issuer or speaker.
    Orgs,
}

const SECTIONS: usize = 7;

/// The matching view of one document, about 100 bytes plus its core title and a few hashes on the heap.
#[derive(Debug, Clone)]
pub(crate) struct Features {
    pub kind: DocumentKind,
    pub flags: u16,
    pub jurisdiction: Jurisdiction,
    /// 十X五 plan, as the middle character; `'\0'` when none.
    pub five_year: char,
    /// Days since 0001-01-01 (CST calendar date of publication).
    pub day: i32,
    pub id_hash: u64,
    /// Hash of the page's own URL key, 0 when unknown.
    pub url: u64,
    /// The document's own 文号 (policies), 0 when unknown.
    pub doc_number: u64,
    /// Title with wrappers removed; see [`text::core`].
    pub core: Box<str>,
    /// Quoted titles other than the core itself (see [`flag::CORE_QUOTED`]).
    quotes: Box<[QuoteF]>,
    /// Every hashed list, sorted within its section, one allocation per document; `lens` gives section sizes.
    keys: Box<[u64]>,
    lens: [u8; SECTIONS],
}

/// Days since 0001-01-01 of the CST publication date: an `i32` is all date arithmetic needs.
fn day_number(doc: &Document) -> i32 {
    doc.published_at.date_cst().num_days_from_ce()
}

fn hashes(items: impl IntoIterator<Item = String>) -> Vec<u64> {
    let mut v: Vec<u64> = items.into_iter().map(|s| str_hash(&s)).collect();
    v.sort_unstable();
    v.dedup();
    v
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
        let years: Vec<u64> = text::years(&title).into_iter().map(u64::from).collect();
        let orgs = hashes(text::organisations(issuer.as_deref(), &title));
        let mut flags = title_flags(&title, doc.kind);
        let mut quotes = Vec::with_capacity(quote_cores.len());
        for q in quote_cores {
            if *q.core == *core && flags & flag::CORE_QUOTED == 0 {
                flags |= flag::CORE_QUOTED;
                if q.derivative {
                    flags |= flag::CORE_QUOTE_DERIVATIVE;
                }
            } else {
                quotes.push(q);
            }
        }
        let mut jurisdiction = text::jurisdiction(issuer.as_deref(), &title, host.as_deref());
        if jurisdiction == Jurisdiction::Unknown
            && doc.kind == DocumentKind::Interpretation
            && [doc.body_text.as_deref(), doc.body_html.as_deref()].into_iter().flatten().any(text::body_is_local)
        {
            jurisdiction = Jurisdiction::Local;
        }
        let sections: [Vec<u64>; SECTIONS] = [
            hashes(outbound),
            hashes(interprets_ids),
            hashes(cited),
            related_titles,
            hashes(text::batches(&title)),
            years,
            orgs,
        ];
        let mut keys = Vec::new();
        let mut lens = [0u8; SECTIONS];
        for (k, mut v) in sections.into_iter().enumerate() {
            // A page linking hundreds of URLs is a listing, not an interpretation; the first 255 are plenty.
            v.truncate(usize::from(u8::MAX));
            lens[k] = u8::try_from(v.len()).unwrap_or(u8::MAX);
            keys.extend(v);
        }
        Features {
            kind: doc.kind,
            flags,
            jurisdiction,
            five_year: text::five_year_plan(&title).unwrap_or('\0'),
            day: day_number(doc),
            id_hash: str_hash(doc.id.trim()),
            url: doc.url.as_deref().and_then(text::url_key).map_or(0, |k| str_hash(&k)),
            doc_number: own_number,
            core: core.into(),
            quotes: quotes.into_boxed_slice(),
            keys: keys.into_boxed_slice(),
            lens,
        }
    }

    /// One section of [`Self::keys`], sorted.
    pub(crate) fn section(&self, s: Section) -> &[u64] {
        let s = s as usize;
        let start: usize = self.lens[..s].iter().map(|l| usize::from(*l)).sum();
        &self.keys[start..start + usize::from(self.lens[s])]
    }

    /// Whether a sorted section holds `key`.
    pub(crate) fn holds(&self, s: Section, key: u64) -> bool {
        self.section(s).binary_search(&key).is_ok()
    }

    /// Quoted titles (core and whether a derived document follows), the core first when the title quotes it.
    pub(crate) fn quotes(&self) -> Vec<(&str, bool)> {
        let mut v = Vec::with_capacity(self.quotes.len() + 1);
        if self.has(flag::CORE_QUOTED) {
            v.push((&*self.core, self.has(flag::CORE_QUOTE_DERIVATIVE)));
        }
        v.extend(self.quotes.iter().map(|q| (&*q.core, q.derivative)));
        v
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
            + 8 * self.keys.len()
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
