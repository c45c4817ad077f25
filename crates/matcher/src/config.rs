//! Matcher configuration: every threshold and signal weight, so operators tune matching in `pipeline.toml`
//! (`[matcher]`, `[matcher.weights]`) instead of in code.
//!
//! Unknown keys are rejected (a misspelt threshold must not silently fall back to its default) and
//! [`MatcherConfig::validate`] reports every problem at once, each naming its key.

use serde::{Deserialize, Serialize};

/// Thresholds and limits of the matcher.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatcherConfig {
    /// A candidate is linked when its score (in [0, 1]) reaches this.
    pub accept_score: f64,
    /// How many days an interpretation may precede its policy (pages are sometimes dated a day early).
    pub max_days_before: i64,
    /// How many days an interpretation may follow its policy (expert pieces come weeks later).
    pub max_days_after: i64,
    /// An interpretation published this many days after its policy (or the same day) earns `weights.date_close`.
    pub close_days: i64,
    /// Most candidates scored per document, after the cheap index lookup ranked them.
    pub max_candidates: usize,
    /// Most policies one interpretation is linked to (a joint interpretation of two documents exists, rarely).
    pub max_links_per_interpretation: usize,
    /// Fraction of a query's character-bigram weight a candidate must share to be scored at all.
    pub min_ngram_overlap: f64,
    /// Bigrams found in more than this fraction of documents are skipped when looking up candidates
    /// (they select nothing), once the index holds `stop_gram_min_docs` documents.
    pub stop_gram_ratio: f64,
    /// Below this many documents every bigram is used: document frequencies are not yet meaningful.
    pub stop_gram_min_docs: usize,
    /// Titles shorter than this many characters (after wrappers are removed) are too generic for title signals.
    pub min_title_chars: usize,
    /// A title contained in the other counts only when it covers at least this fraction of the longer one.
    pub min_containment_ratio: f64,
    /// How many characters of an interpretation's body are read for the titles, 文号 and issuing verbs that name
    /// its policy (news-style interpretations name it in the first paragraph). 0 reads no body.
    pub body_opening_chars: usize,
    /// How many days a question-and-answer text (问答, 答记者问) may precede its policy when it names the policy
    /// exactly (full title, quoted title or 文号): the policy page's date is its web publication, not its signing.
    pub max_days_before_exact: i64,
    /// How many days after its policy an interpretation whose own title or metadata names the policy (full
    /// title, 《》 title, 文号 or link) may still be linked. A late interpretation is still the policy's interpretation: the report
    /// counts it as late (逾期解读), which it cannot do when the link is refused.
    pub max_days_after_exact: i64,
    /// Signal weights; positive ones support a match, guards are negative.
    pub weights: Weights,
}

impl Default for MatcherConfig {
    fn default() -> Self {
        Self {
            accept_score: 0.6,
            max_days_before: 3,
            max_days_after: 90,
            close_days: 3,
            max_candidates: 50,
            max_links_per_interpretation: 2,
            min_ngram_overlap: 0.3,
            stop_gram_ratio: 0.02,
            stop_gram_min_docs: 10_000,
            min_title_chars: 4,
            min_containment_ratio: 0.5,
            body_opening_chars: 600,
            max_days_before_exact: 30,
            max_days_after_exact: 730,
            weights: Weights::default(),
        }
    }
}

/// How much each signal adds to (or, for guards, takes from) a candidate's score.
///
/// Title-like signals (`explicit_link` … `ngram`) do not add up: the strongest one counts, since they all say
/// "the interpretation names this policy". The date and issuer bonuses and all guards are added to it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// The policy page links the interpretation, or the interpretation links or names the policy by URL or id.
    /// Above 1 so that a single guard does not undo what the page itself says.
    pub explicit_link: f64,
    /// The interpretation's title (or a declared target) quotes the policy's full title exactly (width and spaces
    /// normalised, wrappers and issuer kept). Decisive over a sibling that shares only the core title.
    pub exact_title: f64,
    /// The interpretation cites the policy's 文号 in its title or metadata.
    pub doc_number: f64,
    /// The opening of the body names the policy's full title exactly, as what it is about (`某委印发了《X》`).
    pub body_exact_title: f64,
    /// The 文号 written after the body's subject (`《X》（某发〔2024〕3号）`) is the policy's.
    pub body_doc_number: f64,
    /// The body's subject, in 《》, equals the policy's title without wrappers.
    pub body_quoted_title: f64,
    /// The body's opening cites the policy (title or 文号) in passing or as a basis (`根据《X》`), not as its
    /// subject. Below `accept_score` alone on purpose.
    pub body_cited: f64,
    /// The interpretation's title is one the policy page lists among its interpretations.
    pub related_title: f64,
    /// A title in 《》 in the interpretation equals the policy's title without wrappers.
    pub quoted_title: f64,
    /// Both titles are equal once wrappers (关于印发…的通知, 图解：, …答记者问) are removed.
    pub core_title: f64,
    /// One title without wrappers contains the other.
    pub containment: f64,
    /// The interpretation's 《》 title is one the policy's title quotes (e.g. the plan a 批复 approves).
    pub quoted_in_policy_title: f64,
    /// Multiplied by the IDF-weighted character-bigram similarity (0..1) of the titles.
    pub ngram: f64,
    /// Multiplied by the overlap (0..1) of the titles' words (jieba), each weighted by its rarity in the
    /// catalogue: the distinctive terms a paraphrased headline keeps. Off (0) by default: on dev, dev2 and pairs3
    /// it decides no pair up to 0.8; at 0.9 it decides one (a headline with overlap 0.67, landing exactly on
    /// `accept_score`), and at 1.0 it outranks exact references. One pair does not justify a signal nor its
    /// insert-time segmentation. Titles are segmented only when this is above 0.
    pub terms: f64,
    /// Published the same day as the policy or within `close_days` after.
    pub date_close: f64,
    /// An organisation named by the interpretation issued the policy.
    pub issuer: f64,
    /// The interpretation says what was done (印发, 重新发布, 修订, 废止) and the policy's title says the same.
    pub wrapper: f64,
    /// Guard: published more than `max_days_before` before or `max_days_after` after the policy.
    pub date_out_of_window: f64,
    /// Guard: another year, batch (第一批/第二批) or five-year plan (十四五/十五五).
    pub edition_mismatch: f64,
    /// Guard: the policy is a 批复 approving a plan, and the interpretation is about the plan.
    pub approval_reply: f64,
    /// Guard: the interpretation reports a 国务院常务会议 (or similar meeting), not an issued document.
    pub meeting_readout: f64,
    /// Guard: one side is a draft (草案, 征求意见稿) and the other is not.
    pub draft: f64,
    /// Guard: the interpretation names the policy but interprets a derived text (配套规章, 实施细则 …).
    pub derivative: f64,
    /// Guard: the interpretation names a trial version (试行, in its title or its body's subject) and the policy
    /// is not one.
    pub trial: f64,
    /// Guard: the policy is a trial version and the interpretation does not say so (titles often drop 试行).
    pub trial_unstated: f64,
    /// Guard: the interpretation and the policy say different things were done (印发 vs 重新发布/修订/废止).
    pub wrapper_mismatch: f64,
    /// Guard: national versus provincial/local, or two different provinces.
    pub jurisdiction: f64,
    /// Guard: the interpretation names a document in 《》 that is not this policy.
    pub quoted_mismatch: f64,
    /// Guard: the interpretation cites a 文号 and it is not this policy's.
    pub doc_number_conflict: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            explicit_link: 2.0,
            exact_title: 0.95,
            doc_number: 0.9,
            body_exact_title: 0.9,
            body_doc_number: 0.85,
            body_quoted_title: 0.75,
            body_cited: 0.5,
            related_title: 0.85,
            quoted_title: 0.8,
            core_title: 0.75,
            containment: 0.65,
            quoted_in_policy_title: 0.5,
            ngram: 0.6,
            terms: 0.0,
            date_close: 0.1,
            issuer: 0.05,
            wrapper: 0.05,
            date_out_of_window: -1.0,
            edition_mismatch: -1.0,
            approval_reply: -0.6,
            meeting_readout: -0.6,
            draft: -0.6,
            derivative: -0.6,
            trial: -0.4,
            trial_unstated: -0.15,
            wrapper_mismatch: -0.3,
            jurisdiction: -0.4,
            quoted_mismatch: -0.3,
            doc_number_conflict: -0.3,
        }
    }
}

impl Weights {
    fn supports(&self) -> [(&'static str, f64); 17] {
        [
            ("explicit_link", self.explicit_link),
            ("exact_title", self.exact_title),
            ("doc_number", self.doc_number),
            ("body_exact_title", self.body_exact_title),
            ("body_doc_number", self.body_doc_number),
            ("body_quoted_title", self.body_quoted_title),
            ("body_cited", self.body_cited),
            ("related_title", self.related_title),
            ("quoted_title", self.quoted_title),
            ("core_title", self.core_title),
            ("containment", self.containment),
            ("quoted_in_policy_title", self.quoted_in_policy_title),
            ("ngram", self.ngram),
            ("terms", self.terms),
            ("date_close", self.date_close),
            ("issuer", self.issuer),
            ("wrapper", self.wrapper),
        ]
    }

    fn guards(&self) -> [(&'static str, f64); 12] {
        [
            ("date_out_of_window", self.date_out_of_window),
            ("edition_mismatch", self.edition_mismatch),
            ("approval_reply", self.approval_reply),
            ("meeting_readout", self.meeting_readout),
            ("draft", self.draft),
            ("derivative", self.derivative),
            ("trial", self.trial),
            ("trial_unstated", self.trial_unstated),
            ("wrapper_mismatch", self.wrapper_mismatch),
            ("jurisdiction", self.jurisdiction),
            ("quoted_mismatch", self.quoted_mismatch),
            ("doc_number_conflict", self.doc_number_conflict),
        ]
    }
}

impl MatcherConfig {
    /// Every problem with the configuration as `(key, problem)`; empty when it is usable.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errs = Vec::new();
        let mut bad = |key: &str, problem: String| errs.push((key.to_owned(), problem));
        if !(self.accept_score > 0.0 && self.accept_score <= 1.0) {
            bad("accept_score", format!("must be in (0, 1], got {}", self.accept_score));
        }
        for (key, v) in [("max_days_before", self.max_days_before), ("max_days_after", self.max_days_after)] {
            if !(0..=3650).contains(&v) {
                bad(key, format!("must be between 0 and 3650 days, got {v}"));
            }
        }
        if !(0..=3650).contains(&self.max_days_before_exact) || self.max_days_before_exact < self.max_days_before {
            bad(
                "max_days_before_exact",
                format!(
                    "must be between max_days_before ({}) and 3650 days, got {}",
                    self.max_days_before, self.max_days_before_exact
                ),
            );
        }
        if !(0..=3650).contains(&self.max_days_after_exact) || self.max_days_after_exact < self.max_days_after {
            bad(
                "max_days_after_exact",
                format!(
                    "must be between max_days_after ({}) and 3650 days, got {}",
                    self.max_days_after, self.max_days_after_exact
                ),
            );
        }
        if self.body_opening_chars > 100_000 {
            bad("body_opening_chars", format!("must be at most 100000, got {}", self.body_opening_chars));
        }
        if self.close_days < 0 || self.close_days > self.max_days_after {
            bad(
                "close_days",
                format!("must be between 0 and max_days_after ({}), got {}", self.max_days_after, self.close_days),
            );
        }
        if self.max_candidates == 0 {
            bad("max_candidates", "must be at least 1".into());
        }
        if self.max_links_per_interpretation == 0 {
            bad("max_links_per_interpretation", "must be at least 1".into());
        }
        for (key, v) in [
            ("min_ngram_overlap", self.min_ngram_overlap),
            ("stop_gram_ratio", self.stop_gram_ratio),
            ("min_containment_ratio", self.min_containment_ratio),
        ] {
            if !(0.0..=1.0).contains(&v) {
                bad(key, format!("must be in [0, 1], got {v}"));
            }
        }
        if self.min_title_chars == 0 {
            bad("min_title_chars", "must be at least 1".into());
        }
        for (name, v) in self.weights.supports() {
            if !v.is_finite() || v < 0.0 {
                bad(&format!("weights.{name}"), format!("must be a finite number >= 0, got {v}"));
            }
        }
        for (name, v) in self.weights.guards() {
            if !v.is_finite() || v > 0.0 {
                bad(&format!("weights.{name}"), format!("is a guard and must be a finite number <= 0, got {v}"));
            }
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert!(MatcherConfig::default().validate().is_empty());
    }

    #[test]
    fn reports_every_problem_by_key() {
        let cfg = MatcherConfig {
            accept_score: 1.5,
            max_candidates: 0,
            weights: Weights { trial: 0.4, ngram: f64::NAN, ..Weights::default() },
            ..MatcherConfig::default()
        };
        let keys: Vec<_> = cfg.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["accept_score", "max_candidates", "weights.ngram", "weights.trial"]);
    }

    #[test]
    fn partial_tables_fill_defaults_and_unknown_keys_fail() {
        let cfg: MatcherConfig = serde_json::from_str(r#"{"accept_score": 0.7, "weights": {"ngram": 0.5}}"#).unwrap();
        assert_eq!(cfg.accept_score, 0.7);
        assert_eq!(cfg.weights.ngram, 0.5);
        assert_eq!(cfg.max_days_after, MatcherConfig::default().max_days_after);
        let err = serde_json::from_str::<MatcherConfig>(r#"{"accept_scor": 0.7}"#).unwrap_err().to_string();
        assert!(err.contains("unknown field `accept_scor`"), "{err}");
    }
}
