//! Scoring one policy–interpretation pair: which signals fire, which guards object, and the resulting score.
//!
//! Title-like signals all say "the interpretation names this policy", so only the strongest counts (the others
//! are kept in the evidence with weight 0); bonuses and guards are added to it; the sum is clamped to [0, 1].

use tujie_model::Evidence;

use crate::config::{MatcherConfig, Weights};
use crate::features::{Features, Origin, QuoteRef, Section, flag};
use crate::hash::str_hash;
use crate::title::{self, Jurisdiction, Wrapper};

/// The outcome of scoring a pair.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub score: f64,
    /// The sum before clamping, so that two candidates both above 1 are still ordered.
    pub raw: f64,
    /// The strongest title-like signal, `none` when nothing named the policy.
    pub method: &'static str,
    pub evidence: Vec<Evidence>,
    /// Which of the interpretation's quoted titles matched, so a second link needs a second quote.
    pub quote: Option<usize>,
    /// Interpretation date minus policy date, in days.
    pub gap_days: i64,
}

/// Title-like methods, strongest evidence first: what the pages say beats what we infer, an exact reference
/// beats a shared core title.
const METHOD_RANK: &[&str] = &[
    "explicit_link",
    "exact_title",
    "doc_number",
    "body_exact_title",
    "body_doc_number",
    "related_title",
    "quoted_title",
    "body_quoted_title",
    "core_title",
    "containment",
    "quoted_in_policy_title",
    "terms",
    "ngram",
    "body_cited",
];

/// Methods that name one document exactly: a full title, a 文号, a link.
/// Methods by which the interpretation's own title or metadata names the policy: only these link a late
/// interpretation. A body that names an older document exactly is often a new document that extends or replaces
/// it (pairs3: an extension notice's Q&A names the notice it extends).
const TITLE_NAMES: &[&str] = &["explicit_link", "exact_title", "doc_number", "quoted_title"];

const EXACT: &[&str] = &["explicit_link", "exact_title", "doc_number", "body_exact_title", "body_doc_number"];

impl Scored {
    /// Signals strong enough to justify linking an interpretation to more than one policy.
    pub(crate) fn is_strong(&self) -> bool {
        EXACT.contains(&self.method) || matches!(self.method, "quoted_title" | "body_quoted_title")
    }

    /// Whether the link rests on an exact reference (full title, 文号, link).
    pub(crate) fn is_exact(&self) -> bool {
        EXACT.contains(&self.method)
    }

    /// Ordering of methods when scores tie.
    pub(crate) fn method_rank(&self) -> usize {
        METHOD_RANK.iter().position(|m| *m == self.method).unwrap_or(METHOD_RANK.len())
    }
}

fn ev(signal: &str, detail: String, weight: f64) -> Evidence {
    Evidence { signal: signal.to_owned(), detail, weight }
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// IDF-weighted Dice coefficient of two sorted, deduplicated key sets, in [0, 1].
fn weighted_dice<T: Ord + Copy>(a: &[T], b: &[T], idf: impl Fn(T) -> f64) -> f64 {
    let wa: f64 = a.iter().map(|g| idf(*g)).sum();
    let wb: f64 = b.iter().map(|g| idf(*g)).sum();
    if wa + wb <= 0.0 {
        return 0.0;
    }
    let shared: f64 = a.iter().filter(|g| b.binary_search(g).is_ok()).map(|g| idf(*g)).sum();
    2.0 * shared / (wa + wb)
}

/// IDF-weighted Dice coefficient of the character bigrams of two texts, in [0, 1].
pub(crate) fn similarity(a: &str, b: &str, idf: &dyn Fn(u64) -> f64) -> f64 {
    let (mut ga, mut gb) = (Vec::new(), Vec::new());
    title::bigrams(a, &mut ga);
    title::bigrams(b, &mut gb);
    for g in [&mut ga, &mut gb] {
        g.sort_unstable();
        g.dedup();
    }
    weighted_dice(&ga, &gb, idf)
}

/// How much of the longer text the shorter covers when one contains the other.
fn containment(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (char_len(a), char_len(b));
    if la == 0 || lb == 0 || a == b {
        return None;
    }
    if a.contains(b) {
        Some(lb as f64 / la as f64)
    } else if b.contains(a) {
        Some(la as f64 / lb as f64)
    } else {
        None
    }
}

/// Document frequencies the scorer needs: of bigrams and of words.
pub(crate) struct Rarity<'a> {
    pub gram: &'a dyn Fn(u64) -> f64,
    pub term: &'a dyn Fn(u32) -> f64,
}

/// A title-like signal: (name, weight, detail, matched quote).
type Named = (&'static str, f64, String, Option<usize>);

/// Links and 文号: what names the policy without reading titles.
fn named_by_keys(w: &Weights, p: &Features, i: &Features, named: &mut Vec<Named>) {
    if i.url != 0 && p.holds(Section::Outbound, i.url) {
        named.push(("explicit_link", w.explicit_link, "the policy page links to the interpretation".into(), None));
    }
    if p.url != 0 && i.holds(Section::Outbound, p.url) {
        named.push(("explicit_link", w.explicit_link, "the interpretation links to the policy".into(), None));
    }
    if i.holds(Section::InterpretsIds, p.id_hash) {
        named.push(("explicit_link", w.explicit_link, "the interpretation declares the policy id".into(), None));
    }
    if p.doc_number == 0 {
        return;
    }
    if i.holds(Section::CitedNumbers, p.doc_number) {
        named.push(("doc_number", w.doc_number, "the interpretation cites the policy's 文号".into(), None));
    }
    if i.holds(Section::SubjectNumbers, p.doc_number) {
        let d = "the body's opening gives the policy's 文号 after its subject".into();
        named.push(("body_doc_number", w.body_doc_number, d, None));
    }
    if i.holds(Section::BodyNumbers, p.doc_number) {
        named.push(("body_cited", w.body_cited, "the body's opening cites the policy's 文号 in passing".into(), None));
    }
}

/// Quoted titles: exact full titles, then cores, by where the quote was found.
fn named_by_quotes(w: &Weights, min: usize, p: &Features, i_quotes: &[QuoteRef<'_>], named: &mut Vec<Named>) {
    let core_ok = char_len(&p.core) >= min;
    let p_quotes = p.quotes();
    for (k, q) in i_quotes.iter().enumerate() {
        let place = q.origin.describe();
        let named_as = if q.unquoted { format!("`{}` (without 《》)", q.core) } else { format!("《{}》", q.core) };
        if core_ok && q.full != 0 && q.full == p.full {
            let (name, weight) = match q.origin {
                Origin::Title => ("exact_title", w.exact_title),
                Origin::Subject => ("body_exact_title", w.body_exact_title),
                Origin::Cited => ("body_cited", w.body_cited),
            };
            named.push((name, weight, format!("{named_as} is the policy's full title, in {place}"), Some(k)));
        } else if core_ok && q.core == &*p.core {
            let (name, weight) = match q.origin {
                Origin::Title => ("quoted_title", w.quoted_title),
                Origin::Subject => ("body_quoted_title", w.body_quoted_title),
                Origin::Cited => ("body_cited", w.body_cited),
            };
            named.push((name, weight, format!("{named_as} in {place}"), Some(k)));
        } else if q.origin != Origin::Cited && char_len(q.core) >= min && p_quotes.iter().any(|pq| pq.core == q.core) {
            let d = format!("《{}》 is quoted by the policy title `{}`", q.core, p.core);
            named.push(("quoted_in_policy_title", w.quoted_in_policy_title, d, Some(k)));
        }
    }
}

/// Titles compared as text: equal cores, containment, shared bigrams, shared distinctive words.
fn named_by_text(cfg: &MatcherConfig, p: &Features, i: &Features, rarity: &Rarity<'_>, named: &mut Vec<Named>) {
    let (w, min) = (&cfg.weights, cfg.min_title_chars);
    let core_ok = char_len(&p.core) >= min;
    if char_len(&i.core) >= min && p.holds(Section::RelatedTitles, str_hash(&i.core)) {
        named.push(("related_title", w.related_title, format!("the policy page lists `{}`", i.core), None));
    }
    if core_ok && i.core == p.core {
        named.push(("core_title", w.core_title, format!("`{}`", p.core), None));
    }
    if core_ok {
        let best = i
            .match_texts()
            .filter(|t| char_len(t) >= min)
            .filter_map(|t| containment(t, &p.core).map(|r| (r, t)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((ratio, t)) = best
            && ratio >= cfg.min_containment_ratio
        {
            named.push(("containment", w.containment, format!("`{t}` / `{}` (covers {ratio:.2})", p.core), None));
        }
    }
    let sim = i
        .match_texts()
        .flat_map(|t| p.match_texts().map(move |pt| (t, pt)))
        .map(|(t, pt)| similarity(t, pt, rarity.gram))
        .fold(0.0, f64::max);
    if sim > 0.0 {
        named.push(("ngram", w.ngram * sim, format!("bigram similarity {sim:.2}"), None));
    }
    let terms = weighted_dice(&i.terms, &p.terms, rarity.term);
    if terms > 0.0 {
        named.push(("terms", w.terms * terms, format!("distinctive-word overlap {terms:.2}"), None));
    }
}

/// Scores policy `p` against interpretation `i`.
pub(crate) fn score(cfg: &MatcherConfig, p: &Features, i: &Features, rarity: &Rarity<'_>) -> Scored {
    let w = &cfg.weights;
    let i_quotes = i.quotes();
    let mut named: Vec<Named> = Vec::new();
    named_by_keys(w, p, i, &mut named);
    named_by_quotes(w, cfg.min_title_chars, p, &i_quotes, &mut named);
    named_by_text(cfg, p, i, rarity, &mut named);

    let mut evidence = Vec::new();
    let rank = |m: &str| METHOD_RANK.iter().position(|x| *x == m).unwrap_or(METHOD_RANK.len());
    let best = named
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.1.total_cmp(&b.1.1).then(rank(b.1.0).cmp(&rank(a.1.0))).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k);
    let (method, base, mut quote) = match best {
        Some(k) => (named[k].0, named[k].1, named[k].3),
        None => ("none", 0.0, None),
    };
    if quote.is_none() {
        // Decided by a 文号 or a link: still remember a quote that names this policy, so that a sibling sharing
        // that quote's core title is not linked as a second policy.
        quote = named.iter().find_map(|n| n.3);
    }
    for (k, (name, weight, detail, _)) in named.into_iter().enumerate() {
        if Some(k) == best {
            evidence.push(ev(name, detail, weight));
        } else {
            evidence.push(ev(name, format!("{detail} (subsumed by {method})"), 0.0));
        }
    }
    let mut total = base;
    let gap = i64::from(i.day) - i64::from(p.day);
    for e in bonuses(cfg, p, i, gap, method).into_iter().chain(guards(cfg, p, i, &i_quotes, method, rarity)) {
        total += e.weight;
        evidence.push(e);
    }
    let score = if method == "none" { 0.0 } else { total.clamp(0.0, 1.0) };
    let raw = if method == "none" { 0.0 } else { total };
    Scored { score, raw, method, evidence, quote, gap_days: gap }
}

/// Date, issuer and wrapper: added to the strongest title-like signal.
fn bonuses(cfg: &MatcherConfig, p: &Features, i: &Features, gap: i64, method: &str) -> Vec<Evidence> {
    let w = &cfg.weights;
    let mut out = Vec::new();
    let exact = EXACT.contains(&method);
    // Dates: an interpretation is published with its policy or after it, rarely before; a Q&A that names the
    // policy exactly may come before the page of the policy, which is dated by its web publication.
    let early_questions = exact && i.has(flag::QUESTIONS) && gap < 0 && -gap <= cfg.max_days_before_exact;
    if early_questions && -gap > cfg.max_days_before {
        let d = format!("published {} days before the policy: a Q&A naming it exactly", -gap);
        out.push(ev("date_before_exact", d, 0.0));
    } else if TITLE_NAMES.contains(&method) && gap > cfg.max_days_after && gap <= cfg.max_days_after_exact {
        let d = format!("published {gap} days after the policy: late, but naming it exactly");
        out.push(ev("date_late_exact", d, 0.0));
    } else if gap < -cfg.max_days_before || gap > cfg.max_days_after {
        let when = if gap < 0 { format!("{} days before", -gap) } else { format!("{gap} days after") };
        out.push(ev("date_out_of_window", format!("published {when} the policy"), w.date_out_of_window));
    } else if (0..=cfg.close_days).contains(&gap) {
        out.push(ev("date_close", format!("published {gap} days after the policy"), w.date_close));
    }
    let p_orgs = p.section(Section::Orgs);
    if !p_orgs.is_empty() && i.section(Section::Orgs).iter().any(|o| p_orgs.binary_search(o).is_ok()) {
        out.push(ev("issuer", "an organisation named by the interpretation issued the policy".into(), w.issuer));
    }
    if p.wrapper != Wrapper::Unknown && i.wrapper != Wrapper::Unknown {
        // Both saying 印发 is the common case and tells nothing; both saying 重新发布, 修订 or 废止 does.
        if p.wrapper == i.wrapper && p.wrapper != Wrapper::Issue {
            out.push(ev("wrapper", format!("both say {}", p.wrapper.describe()), w.wrapper));
        } else if p.wrapper != Wrapper::Issue || i.wrapper != Wrapper::Issue {
            let d = format!("the interpretation says {}, the policy {}", i.wrapper.describe(), p.wrapper.describe());
            out.push(ev("wrapper_mismatch", d, w.wrapper_mismatch));
        }
    }
    out
}

/// Another year, batch or five-year plan.
fn edition_guard(w: &Weights, p: &Features, i: &Features) -> Option<Evidence> {
    let mut edition = Vec::new();
    let disjoint = |a: &[u64], b: &[u64]| !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x));
    let (p_years, i_years) = (p.section(Section::Years), i.section(Section::Years));
    if disjoint(p_years, i_years) {
        edition.push(format!("years {i_years:?} vs {p_years:?}"));
    }
    if disjoint(p.section(Section::Batches), i.section(Section::Batches)) {
        edition.push("another batch (第N批)".to_owned());
    }
    if p.five_year != '\0' && i.five_year != '\0' && p.five_year != i.five_year {
        edition.push(format!("十{}五 vs 十{}五", i.five_year, p.five_year));
    }
    (!edition.is_empty()).then(|| ev("edition_mismatch", edition.join("; "), w.edition_mismatch))
}

/// Methods by which a page names the other document itself (a link, a listing, a 文号), not by its title text.
fn names_by_page(method: &str) -> bool {
    matches!(method, "explicit_link" | "doc_number" | "related_title" | "body_doc_number")
}

/// Flags that say the two texts are not the same kind of thing (批复, meeting, draft, trial, derived text).
fn kind_guards(
    w: &Weights,
    p: &Features,
    i: &Features,
    i_quotes: &[QuoteRef<'_>],
    method: &str,
    out: &mut Vec<Evidence>,
) {
    // The 批复 guard infers from titles what the interpretation is about; when the policy page itself links or
    // lists the interpretation, the page has said so (pairs3: the 巴中 批复 page lists its 一图读懂).
    if p.has(flag::APPROVAL_REPLY) && !i.has(flag::MENTIONS_APPROVAL) && !names_by_page(method) {
        let d = "the policy is a 批复; the interpretation is about what it approves".into();
        out.push(ev("approval_reply", d, w.approval_reply));
    }
    if i.has(flag::MEETING) && !p.has(flag::MEETING) {
        let d = "the interpretation reports a meeting, not the issued document".into();
        out.push(ev("meeting_readout", d, w.meeting_readout));
    }
    if i.has(flag::DRAFT) != p.has(flag::DRAFT) {
        let which = if i.has(flag::DRAFT) { "interpretation" } else { "policy" };
        out.push(ev("draft", format!("only the {which} is a draft (草案/征求意见稿)"), w.draft));
    }
    if i.has(flag::TRIAL) && !p.has(flag::TRIAL) {
        out.push(ev("trial", "the interpretation names a 试行 version; the policy is not one".into(), w.trial));
    } else if p.has(flag::TRIAL) && !i.has(flag::TRIAL) {
        let d = "the policy is a 试行 version; the interpretation does not say so".into();
        out.push(ev("trial_unstated", d, w.trial_unstated));
    }
    if i_quotes.iter().any(|q| q.derivative && q.origin != Origin::Cited && q.core == &*p.core) {
        let d = "the interpretation is about a text derived from the policy (配套, 细则 …)".into();
        out.push(ev("derivative", d, w.derivative));
    }
}

/// Guards: each subtracts from the score.
fn guards(
    cfg: &MatcherConfig,
    p: &Features,
    i: &Features,
    i_quotes: &[QuoteRef<'_>],
    method: &str,
    rarity: &Rarity<'_>,
) -> Vec<Evidence> {
    let w = &cfg.weights;
    let mut out: Vec<Evidence> = edition_guard(w, p, i).into_iter().collect();
    kind_guards(w, p, i, i_quotes, method, &mut out);
    if i.jurisdiction.conflicts(p.jurisdiction) {
        let d = format!("{} interpretation vs {} policy", i.jurisdiction.describe(), p.jurisdiction.describe());
        // A national policy's interpretation is reposted on provincial sites (国家政策解读): an exact title
        // overrides, unless the body says its own government issued the document.
        let exact_title = matches!(method, "exact_title" | "body_exact_title" | "quoted_title");
        if exact_title && p.jurisdiction == Jurisdiction::National && !i.has(flag::LOCAL_SUBJECT) {
            out.push(ev("jurisdiction_overridden", format!("{d}, but the title is quoted exactly"), 0.0));
        } else {
            out.push(ev("jurisdiction", d, w.jurisdiction));
        }
    }
    let naming: Vec<&QuoteRef<'_>> = i_quotes.iter().filter(|q| q.origin != Origin::Cited).collect();
    if !names_by_page(method) && !naming.is_empty() {
        let p_quotes = p.quotes();
        let relates = |q: &QuoteRef<'_>| {
            q.core == &*p.core
                || (q.full != 0 && q.full == p.full)
                || p_quotes.iter().any(|pq| pq.core == q.core)
                || containment(q.core, &p.core).is_some()
                || similarity(q.core, &p.core, rarity.gram) >= 0.5
        };
        if !naming.iter().any(|q| relates(q)) {
            let names: Vec<String> = naming.iter().map(|q| format!("《{}》", q.core)).collect();
            let d = format!("the interpretation names {}", names.join(""));
            out.push(ev("quoted_mismatch", d, w.quoted_mismatch));
        }
    }
    let cited = i.section(Section::CitedNumbers);
    let subject = i.section(Section::SubjectNumbers);
    let conflict = |s: &[u64]| !s.is_empty() && s.binary_search(&p.doc_number).is_err();
    if p.doc_number != 0 && !EXACT.contains(&method) && (conflict(cited) || conflict(subject)) {
        out.push(ev("doc_number_conflict", "the interpretation cites another 文号".into(), w.doc_number_conflict));
    }
    out
}
