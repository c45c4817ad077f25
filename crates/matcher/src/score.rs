//! Scoring one policy–interpretation pair: which signals fire, which guards object, and the resulting score.
//!
//! Title-like signals all say "the interpretation names this policy", so only the strongest counts (the others
//! are kept in the evidence with weight 0); bonuses and guards are added to it; the sum is clamped to [0, 1].

use tujie_model::Evidence;

use crate::config::MatcherConfig;
use crate::features::{Features, Section, flag};
use crate::hash::str_hash;
use crate::text;

/// The outcome of scoring a pair.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub score: f64,
    /// The strongest title-like signal, `none` when nothing named the policy.
    pub method: &'static str,
    pub evidence: Vec<Evidence>,
    /// Which of the interpretation's quoted titles matched, so a second link needs a second quote.
    pub quote: Option<usize>,
    /// Interpretation date minus policy date, in days.
    pub gap_days: i64,
}

impl Scored {
    /// Signals strong enough to justify linking an interpretation to more than one policy.
    pub(crate) fn is_strong(&self) -> bool {
        matches!(self.method, "explicit_link" | "doc_number" | "quoted_title")
    }

    /// Ordering of methods when scores tie: what the pages say beats what we infer.
    pub(crate) fn method_rank(&self) -> u8 {
        match self.method {
            "explicit_link" => 0,
            "doc_number" => 1,
            "related_title" => 2,
            "quoted_title" => 3,
            "core_title" => 4,
            "containment" => 5,
            "quoted_in_policy_title" => 6,
            "ngram" => 7,
            _ => 8,
        }
    }
}

fn ev(signal: &str, detail: String, weight: f64) -> Evidence {
    Evidence { signal: signal.to_owned(), detail, weight }
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// IDF-weighted Dice coefficient of the character bigrams of two texts, in [0, 1].
pub(crate) fn similarity(a: &str, b: &str, idf: &dyn Fn(u64) -> f64) -> f64 {
    let (mut ga, mut gb) = (Vec::new(), Vec::new());
    text::bigrams(a, &mut ga);
    text::bigrams(b, &mut gb);
    ga.sort_unstable();
    ga.dedup();
    gb.sort_unstable();
    gb.dedup();
    let wa: f64 = ga.iter().map(|g| idf(*g)).sum();
    let wb: f64 = gb.iter().map(|g| idf(*g)).sum();
    if wa + wb <= 0.0 {
        return 0.0;
    }
    let shared: f64 = ga.iter().filter(|g| gb.binary_search(g).is_ok()).map(|g| idf(*g)).sum();
    2.0 * shared / (wa + wb)
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

/// Scores policy `p` against interpretation `i`.
pub(crate) fn score(cfg: &MatcherConfig, p: &Features, i: &Features, idf: &dyn Fn(u64) -> f64) -> Scored {
    let w = &cfg.weights;
    let min = cfg.min_title_chars;
    // Title-like signals: (name, weight, detail, matched quote).
    let mut named: Vec<(&'static str, f64, String, Option<usize>)> = Vec::new();

    if i.url != 0 && p.holds(Section::Outbound, i.url) {
        named.push(("explicit_link", w.explicit_link, "the policy page links to the interpretation".into(), None));
    }
    if p.url != 0 && i.holds(Section::Outbound, p.url) {
        named.push(("explicit_link", w.explicit_link, "the interpretation links to the policy".into(), None));
    }
    if i.holds(Section::InterpretsIds, p.id_hash) {
        named.push(("explicit_link", w.explicit_link, "the interpretation declares the policy id".into(), None));
    }
    if p.doc_number != 0 && i.holds(Section::CitedNumbers, p.doc_number) {
        named.push(("doc_number", w.doc_number, "the interpretation cites the policy's 文号".into(), None));
    }
    let core_ok = char_len(&p.core) >= min;
    if char_len(&i.core) >= min && p.holds(Section::RelatedTitles, str_hash(&i.core)) {
        named.push(("related_title", w.related_title, format!("the policy page lists `{}`", i.core), None));
    }
    let i_quotes = i.quotes();
    let p_quotes = p.quotes();
    for (k, (q, _)) in i_quotes.iter().enumerate() {
        if core_ok && *q == &*p.core {
            named.push(("quoted_title", w.quoted_title, format!("《{q}》"), Some(k)));
        } else if char_len(q) >= min && p_quotes.iter().any(|(pq, _)| pq == q) {
            named.push((
                "quoted_in_policy_title",
                w.quoted_in_policy_title,
                format!("《{q}》 is quoted by the policy title `{}`", p.core),
                Some(k),
            ));
        }
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
        .map(|(t, pt)| similarity(t, pt, idf))
        .fold(0.0, f64::max);
    if sim > 0.0 {
        named.push(("ngram", w.ngram * sim, format!("bigram similarity {sim:.2}"), None));
    }

    let mut evidence = Vec::new();
    let best = named.iter().enumerate().max_by(|a, b| a.1.1.total_cmp(&b.1.1).then(b.0.cmp(&a.0))).map(|(k, _)| k);
    let (method, base, quote) = match best {
        Some(k) => (named[k].0, named[k].1, named[k].3),
        None => ("none", 0.0, None),
    };
    for (k, (name, weight, detail, _)) in named.into_iter().enumerate() {
        if Some(k) == best {
            evidence.push(ev(name, detail, weight));
        } else {
            evidence.push(ev(name, format!("{detail} (subsumed by {method})"), 0.0));
        }
    }
    let mut total = base;
    let mut add = |e: Evidence, total: &mut f64| {
        *total += e.weight;
        evidence.push(e);
    };

    // Dates: an interpretation is published with its policy or after it, rarely before.
    let gap = i64::from(i.day) - i64::from(p.day);
    if gap < -cfg.max_days_before || gap > cfg.max_days_after {
        let when = if gap < 0 { format!("{} days before", -gap) } else { format!("{gap} days after") };
        add(ev("date_out_of_window", format!("published {when} the policy"), w.date_out_of_window), &mut total);
    } else if (0..=cfg.close_days).contains(&gap) {
        add(ev("date_close", format!("published {gap} days after the policy"), w.date_close), &mut total);
    }

    let p_orgs = p.section(Section::Orgs);
    if !p_orgs.is_empty() && i.section(Section::Orgs).iter().any(|o| p_orgs.binary_search(o).is_ok()) {
        add(ev("issuer", "an organisation named by the interpretation issued the policy".into(), w.issuer), &mut total);
    }

    // Guards.
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
    if !edition.is_empty() {
        add(ev("edition_mismatch", edition.join("; "), w.edition_mismatch), &mut total);
    }
    if p.has(flag::APPROVAL_REPLY) && !i.has(flag::MENTIONS_APPROVAL) {
        add(
            ev(
                "approval_reply",
                "the policy is a 批复; the interpretation is about what it approves".into(),
                w.approval_reply,
            ),
            &mut total,
        );
    }
    if i.has(flag::MEETING) && !p.has(flag::MEETING) {
        add(
            ev(
                "meeting_readout",
                "the interpretation reports a meeting, not the issued document".into(),
                w.meeting_readout,
            ),
            &mut total,
        );
    }
    if i.has(flag::DRAFT) != p.has(flag::DRAFT) {
        let which = if i.has(flag::DRAFT) { "interpretation" } else { "policy" };
        add(ev("draft", format!("only the {which} is a draft (草案/征求意见稿)"), w.draft), &mut total);
    }
    if i.has(flag::TRIAL) != p.has(flag::TRIAL) {
        let which = if i.has(flag::TRIAL) { "interpretation" } else { "policy" };
        add(ev("trial", format!("only the {which} names a 试行 version"), w.trial), &mut total);
    }
    if i_quotes.iter().any(|(q, derivative)| *derivative && *q == &*p.core) {
        add(
            ev(
                "derivative",
                "the interpretation is about a text derived from the policy (配套, 细则 …)".into(),
                w.derivative,
            ),
            &mut total,
        );
    }
    if i.jurisdiction.conflicts(p.jurisdiction) {
        add(
            ev(
                "jurisdiction",
                format!("{} interpretation vs {} policy", i.jurisdiction.describe(), p.jurisdiction.describe()),
                w.jurisdiction,
            ),
            &mut total,
        );
    }
    let names_by_page = matches!(method, "explicit_link" | "doc_number" | "related_title");
    if !names_by_page && !i_quotes.is_empty() {
        let relates = |q: &str| {
            q == &*p.core
                || p_quotes.iter().any(|(pq, _)| *pq == q)
                || containment(q, &p.core).is_some()
                || similarity(q, &p.core, idf) >= 0.5
        };
        if !i_quotes.iter().any(|(q, _)| relates(q)) {
            let names: Vec<String> = i_quotes.iter().map(|(q, _)| format!("《{q}》")).collect();
            add(
                ev("quoted_mismatch", format!("the interpretation names {}", names.join("")), w.quoted_mismatch),
                &mut total,
            );
        }
    }
    let cited = i.section(Section::CitedNumbers);
    if p.doc_number != 0 && !cited.is_empty() && cited.binary_search(&p.doc_number).is_err() {
        add(
            ev("doc_number_conflict", "the interpretation cites another 文号".into(), w.doc_number_conflict),
            &mut total,
        );
    }

    let score = if method == "none" { 0.0 } else { total.clamp(0.0, 1.0) };
    Scored { score, method, evidence, quote, gap_days: gap }
}
