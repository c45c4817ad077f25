//! What the index keeps per document: the few normalised facts matching needs, not the document.
//!
//! A catalogue of a million interpretations must fit in memory next to the pipeline, so bodies, HTML and
//! attachments are reduced at insert time to hashes (URLs, 文号, listed titles), flags and one short core title.

use chrono::Datelike;
use tujie_model::{Document, DocumentKind};

use crate::body::{self, Opening};
use crate::hash::str_hash;
use crate::title::{self, Jurisdiction, Wrapper};

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
    /// A question-and-answer text (问答, 答记者问).
    pub(crate) const QUESTIONS: u16 = 1 << 7;
    /// The body's subject is issued by its own local government (我市印发《X》).
    pub(crate) const LOCAL_SUBJECT: u16 = 1 << 8;
}

/// Where a quoted title was found, which decides how much it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// In the title, or declared in `interprets`.
    Title,
    /// In the body's opening, as what the interpretation is about (see [`crate::body`]).
    Subject,
    /// In the body's opening, cited as a basis or in passing.
    Cited,
}

impl Origin {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Origin::Title => "the title",
            Origin::Subject => "the body's opening, as its subject",
            Origin::Cited => "the body's opening, cited",
        }
    }
}

/// A quoted title as scoring sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuoteRef<'a> {
    pub core: &'a str,
    /// 0 when not known.
    pub full: u64,
    pub derivative: bool,
    pub origin: Origin,
    /// Written without 《》 after an issuing verb in the body (see [`crate::body::unquoted_titles`]).
    pub unquoted: bool,
}

/// A quoted title in compact form.
#[derive(Debug, Clone)]
pub(crate) struct QuoteF {
    pub core: Box<str>,
    /// Hash of the quote as a [`title::full_title`]; 0 when not known (a declared title).
    pub full: u64,
    pub derivative: bool,
    pub origin: Origin,
    /// Written without 《》 after an issuing verb in the body.
    pub unquoted: bool,
}

/// Sections of [`Features::keys`], in order.
#[derive(Debug, Clone, Copy)]
#[repr(usize)]
pub(crate) enum Section {
    /// URLs this page points at: `related`, `interprets[].url` and links in the body.
    Outbound,
    /// Ids this interpretation says it interprets.
    InterpretsIds,
    /// 文号 cited in the title, `doc_number` or `interprets` (interpretations).
    CitedNumbers,
    /// 文号 of the body's subject (written after it in brackets).
    SubjectNumbers,
    /// Other 文号 in the body's opening.
    BodyNumbers,
    /// Cores of the titles a policy page lists as related (its 相关解读 box).
    RelatedTitles,
    /// Batch numbers (第N批).
    Batches,
    /// Years the title is about.
    Years,
    /// Organisations named as issuer or speaker.
    Orgs,
}

const SECTIONS: usize = 9;

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
    /// Hash of the title as a [`title::full_title`] (wrappers and issuer kept).
    pub full: u64,
    /// What the title (or, for an interpretation, the verb before its body's subject) says was done.
    pub wrapper: Wrapper,
    /// Title with wrappers removed; see [`title::core`].
    pub core: Box<str>,
    /// Hashes of the words of [`Self::match_texts`] (two characters or more), sorted; empty unless segmented.
    pub terms: Box<[u32]>,
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
    if kind == DocumentKind::Interpretation && title::is_questions(normalized) {
        f |= flag::QUESTIONS;
    }
    f
}

/// Moves the title's quote of its own core into a flag (stored once, not twice); returns the flags and the rest.
fn fold_core_quote(quotes: Vec<QuoteF>, core: &str) -> (u16, Vec<QuoteF>) {
    let mut flags = 0;
    let mut rest = Vec::with_capacity(quotes.len());
    for q in quotes {
        if q.origin == Origin::Title && *q.core == *core && flags & flag::CORE_QUOTED == 0 {
            flags |= flag::CORE_QUOTED;
            if q.derivative {
                flags |= flag::CORE_QUOTE_DERIVATIVE;
            }
        } else {
            rest.push(q);
        }
    }
    (flags, rest)
}

/// `我市`, `本省` …: a text's own government.
fn is_self_reference(org: &str) -> bool {
    ["我省", "本省", "我市", "本市", "我区", "本区", "我县", "本县", "我州"].iter().any(|w| org.starts_with(w))
}

/// How a document is read: how much of an interpretation's body, and whether titles are segmented into words.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    pub opening_chars: usize,
    /// Segmenting costs tens of microseconds; the candidate lookup alone does not need words.
    pub segment: bool,
}

/// The opening of an interpretation's body (`body_text`, else the text of `body_html`).
fn read_body(doc: &Document, max_chars: usize) -> Opening {
    if doc.kind != DocumentKind::Interpretation || max_chars == 0 {
        return Opening::default();
    }
    let text = match (doc.body_text.as_deref(), doc.body_html.as_deref()) {
        (Some(t), _) if !t.trim().is_empty() => body::opening(t, max_chars),
        (_, Some(h)) => body::opening(&body::html_text(h), max_chars),
        _ => return Opening::default(),
    };
    body::read_opening(&text)
}

/// Quoted titles of the title, of `interprets` and of the body's opening, with where each came from.
fn quote_features(doc: &Document, title: &str, opening: &Opening) -> Vec<QuoteF> {
    let mut out: Vec<QuoteF> = title::quotes(title)
        .into_iter()
        .map(|q| QuoteF {
            full: str_hash(&q.full),
            derivative: q.is_derivative(),
            core: q.core.into(),
            origin: Origin::Title,
            unquoted: false,
        })
        .collect();
    for t in doc.interprets.iter().filter_map(|r| r.title.as_deref()) {
        // A declared target title counts like a title quoted in 《》.
        let n = title::normalize(t);
        let c = title::core(&n);
        if !c.is_empty() {
            let full = str_hash(&title::full_title(&n));
            out.push(QuoteF { core: c.into(), full, derivative: false, origin: Origin::Title, unquoted: false });
        }
    }
    for r in &opening.refs {
        let origin = if r.subject { Origin::Subject } else { Origin::Cited };
        let q = &r.quote;
        out.push(QuoteF {
            core: q.core.as_str().into(),
            full: str_hash(&q.full),
            derivative: q.is_derivative(),
            origin,
            unquoted: r.unquoted,
        });
    }
    out
}

/// 文号 keys by section: cited by title, `doc_number` and `interprets`; of the body's subject; others in the body.
fn number_sections(doc: &Document, title: &str, opening: &Opening) -> [Vec<String>; 3] {
    let mut cited = title::doc_number_keys(title);
    for n in doc.interprets.iter().filter_map(|r| r.doc_number.as_deref()) {
        cited.extend(title::doc_number_keys(&title::normalize(n)));
    }
    if doc.kind == DocumentKind::Interpretation
        && let Some(n) = &doc.doc_number
    {
        cited.extend(title::doc_number_keys(&title::normalize(n)));
    }
    let mut subject = opening.subject_numbers.clone();
    let mut other = opening.loose_numbers.clone();
    for r in &opening.refs {
        if r.subject { subject.extend(r.numbers.iter().cloned()) } else { other.extend(r.numbers.iter().cloned()) }
    }
    [cited, subject, other]
}

/// URLs a page points at: `related`, `interprets` and links in the body.
fn outbound_urls(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = doc
        .related
        .iter()
        .map(|r| r.url.as_deref())
        .chain(doc.interprets.iter().map(|r| r.url.as_deref()))
        .filter_map(|u| u.and_then(title::url_key))
        .collect();
    match doc.kind {
        DocumentKind::Interpretation => {
            for body in [doc.body_text.as_deref(), doc.body_html.as_deref()].into_iter().flatten() {
                out.extend(title::urls_in(body));
            }
        }
        // A policy page may link its interpretations inside the body rather than in a related box.
        DocumentKind::Policy => out.extend(doc.body_html.as_deref().map(title::urls_in).unwrap_or_default()),
    }
    out
}

/// Hashes of the words (two characters or more) of some texts, sorted and deduplicated.
pub(crate) fn term_hashes<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut out = Vec::new();
    for t in texts {
        for r in tujie_zh::words::words(t) {
            let w = &t[r];
            if w.chars().count() >= 2 && w.chars().all(char::is_alphanumeric) {
                // The low 32 bits of a 64-bit hash: collisions only blur two rare words together.
                out.push(str_hash(w) as u32);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Features {
    pub(crate) fn of(doc: &Document, reading: Reading) -> Self {
        let title = title::normalize(&doc.title);
        let core = title::core(&title);
        let opening = read_body(doc, reading.opening_chars);
        let quote_list = quote_features(doc, &title, &opening);
        let [cited, subject_numbers, body_numbers] = number_sections(doc, &title, &opening);
        let interprets_ids = doc.interprets.iter().filter_map(|r| r.id.as_deref()).map(|s| s.trim().to_owned());
        let own_number = match doc.kind {
            DocumentKind::Policy => doc
                .doc_number
                .as_deref()
                .and_then(|n| title::doc_number_keys(&title::normalize(n)).into_iter().next())
                .map_or(0, |k| str_hash(&k)),
            DocumentKind::Interpretation => 0,
        };
        let related_titles = hashes(
            doc.related
                .iter()
                .filter_map(|r| r.title.as_deref())
                .map(|t| title::core(&title::normalize(t)))
                .filter(|c| !c.is_empty()),
        );
        let host = doc.url.as_deref().and_then(title::url_host);
        let issuer = doc.issuer.as_deref().map(title::normalize);
        let years: Vec<u64> = title::years(&title).into_iter().map(u64::from).collect();
        let mut org_names = title::organisations(issuer.as_deref(), &title);
        if let Some((org, _)) = title::publisher_prefix(&title) {
            org_names.extend(title::split_orgs(org));
        }
        org_names.extend(opening.refs.iter().filter(|r| r.subject).filter_map(|r| r.issuer.clone()));
        let mut flags = title_flags(&title, doc.kind);
        if opening.refs.iter().find(|r| r.subject).is_some_and(|r| r.quote.full.contains("试行")) {
            flags |= flag::TRIAL;
        }
        let (flags2, quotes) = fold_core_quote(quote_list, &core);
        flags |= flags2;
        let local_subject =
            opening.refs.iter().filter(|r| r.subject).filter_map(|r| r.issuer.as_deref()).any(is_self_reference);
        if local_subject {
            flags |= flag::LOCAL_SUBJECT;
        }
        let mut jurisdiction = title::jurisdiction(issuer.as_deref(), &title, host.as_deref());
        if jurisdiction == Jurisdiction::Unknown
            && doc.kind == DocumentKind::Interpretation
            && (local_subject
                || [doc.body_text.as_deref(), doc.body_html.as_deref()].into_iter().flatten().any(title::body_is_local))
        {
            jurisdiction = Jurisdiction::Local;
        }
        let wrapper = match title::wrapper(&title) {
            Wrapper::Unknown => opening
                .refs
                .iter()
                .find(|r| r.subject)
                .and_then(|r| r.verb)
                .map_or(Wrapper::Unknown, title::wrapper_of_verb),
            w => w,
        };
        let sections: [Vec<u64>; SECTIONS] = [
            hashes(outbound_urls(doc)),
            hashes(interprets_ids),
            hashes(cited),
            hashes(subject_numbers),
            hashes(body_numbers),
            related_titles,
            hashes(title::batches(&title)),
            years,
            hashes(org_names),
        ];
        let mut keys = Vec::new();
        let mut lens = [0u8; SECTIONS];
        for (k, mut v) in sections.into_iter().enumerate() {
            // A page linking hundreds of URLs is a listing, not an interpretation; the first 255 are plenty.
            v.truncate(usize::from(u8::MAX));
            lens[k] = u8::try_from(v.len()).unwrap_or(u8::MAX);
            keys.extend(v);
        }
        let mut f = Features {
            kind: doc.kind,
            flags,
            jurisdiction,
            five_year: title::five_year_plan(&title).unwrap_or('\0'),
            day: day_number(doc),
            id_hash: str_hash(doc.id.trim()),
            url: doc.url.as_deref().and_then(title::url_key).map_or(0, |k| str_hash(&k)),
            doc_number: own_number,
            full: str_hash(&title::full_title(&title)),
            wrapper,
            core: core.into(),
            terms: Box::default(),
            quotes: quotes.into_boxed_slice(),
            keys: keys.into_boxed_slice(),
            lens,
        };
        if reading.segment {
            f.terms = term_hashes(f.match_texts()).into_boxed_slice();
        }
        f
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

    /// Quoted titles, the core first when the title quotes it. Indices are stable: a link remembers which quote
    /// named its policy.
    pub(crate) fn quotes(&self) -> Vec<QuoteRef<'_>> {
        let mut v = Vec::with_capacity(self.quotes.len() + 1);
        if self.has(flag::CORE_QUOTED) {
            let derivative = self.has(flag::CORE_QUOTE_DERIVATIVE);
            v.push(QuoteRef { core: &self.core, full: 0, derivative, origin: Origin::Title, unquoted: false });
        }
        v.extend(self.quotes.iter().map(|q| QuoteRef {
            core: &q.core,
            full: q.full,
            derivative: q.derivative,
            origin: q.origin,
            unquoted: q.unquoted,
        }));
        v
    }

    /// Hashes of the full texts of quoted titles, as [`title::full_title`]s.
    pub(crate) fn quote_fulls(&self) -> impl Iterator<Item = u64> + '_ {
        self.quotes.iter().map(|q| q.full).filter(|h| *h != 0)
    }

    /// The texts whose bigrams represent this document in the n-gram index: its core and the titles it quotes in
    /// its title or as its body's subject (not those its body merely cites).
    pub(crate) fn match_texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&*self.core).chain(self.quotes.iter().filter(|q| q.origin != Origin::Cited).map(|q| &*q.core))
    }

    /// Distinct bigrams of [`Self::match_texts`].
    pub(crate) fn grams(&self) -> Vec<u64> {
        let mut g = Vec::new();
        for t in self.match_texts() {
            title::bigrams(t, &mut g);
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
            + 4 * self.terms.len()
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
