//! The answer to `tujie match explain POLICY_ID`: every candidate the matcher considered for a policy, its score,
//! its evidence, and why it was or was not linked.

use serde::Serialize;
use tujie_model::Evidence;

/// Every candidate considered for one policy.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub policy_id: String,
    /// The policy title with wrappers removed, as the matcher compares it.
    pub policy_core: String,
    pub accept_score: f64,
    /// Best first.
    pub candidates: Vec<CandidateExplanation>,
    /// Chinese and English descriptions of every signal in the candidates' evidence.
    pub signals: std::collections::BTreeMap<String, [&'static str; 2]>,
}

/// One candidate interpretation and the verdict on it.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateExplanation {
    pub interpretation_id: String,
    pub interpretation_core: String,
    pub score: f64,
    /// The strongest signal, or `none`.
    pub method: String,
    pub accepted: bool,
    /// `linked`, `score below accept_score`, or `the interpretation is linked to …, which scores higher`.
    pub reason: String,
    /// The evidence that decided, described in Chinese and English (see [`SIGNALS`]).
    pub deciding: Option<Deciding>,
    pub evidence: Vec<Evidence>,
}

/// The evidence that decided a candidate: its strongest title-like signal, described.
#[derive(Debug, Clone, Serialize)]
pub struct Deciding {
    pub signal: String,
    pub zh: &'static str,
    pub en: &'static str,
    pub detail: String,
}

/// What each signal means, in Chinese and English, for every signal name the matcher writes into evidence.
pub const SIGNALS: &[(&str, &str, &str)] = &[
    ("explicit_link", "页面互链或声明了政策", "the pages link each other, or the interpretation declares the policy"),
    ("exact_title", "标题引用政策完整标题", "the title quotes the policy's full title exactly"),
    ("doc_number", "标题或元数据引用政策文号", "the title or metadata cites the policy's 文号"),
    (
        "body_exact_title",
        "正文开头以完整标题说明所解读的文件",
        "the body's opening names the policy's full title as its subject",
    ),
    ("body_doc_number", "正文开头所解读文件的文号", "the 文号 after the body's subject is the policy's"),
    ("related_title", "政策页面列出的解读标题", "the policy page lists this interpretation's title"),
    ("quoted_title", "标题《》内为政策名称", "the title quotes the policy's name in 《》"),
    ("body_quoted_title", "正文开头《》内为政策名称", "the body's subject in 《》 is the policy's name"),
    ("body_cited", "正文开头顺带引用（依据等）", "the body's opening cites the policy in passing or as a basis"),
    ("core_title", "去掉外壳后标题相同", "the titles are equal once wrappers are removed"),
    ("containment", "标题相互包含", "one title contains the other"),
    ("quoted_in_policy_title", "政策标题引用了同一文件", "the policy's title quotes the same document"),
    ("terms", "特征词重合（按稀有度加权）", "shared distinctive words, weighted by rarity"),
    ("ngram", "字符二元组相似", "character-bigram similarity"),
    ("date_close", "发布时间接近", "published with the policy or within close_days after"),
    (
        "date_before_exact",
        "问答早于政策页面发布，但引用准确",
        "a Q&A published before the policy page, naming it exactly",
    ),
    (
        "date_late_exact",
        "解读晚于窗口发布（逾期），但标题点明政策",
        "published after max_days_after (a late interpretation), its title naming the policy",
    ),
    ("issuer", "发文机关一致", "an organisation named by the interpretation issued the policy"),
    ("wrapper", "发文方式一致（重新发布/修订/废止）", "both say the same was done (重新发布, 修订, 废止)"),
    ("date_out_of_window", "发布时间超出窗口", "published outside the date window"),
    ("edition_mismatch", "年份、批次或五年规划不同", "another year, batch or five-year plan"),
    ("approval_reply", "政策为批复", "the policy is a 批复 approving what the interpretation is about"),
    ("meeting_readout", "会议报道而非文件", "a meeting readout, not the issued document"),
    ("draft", "一方为草案或征求意见稿", "only one side is a draft"),
    ("derivative", "解读的是配套或细则", "the interpretation is about a derived text"),
    ("trial", "解读称试行，政策不是", "the interpretation names a 试行 version; the policy is not one"),
    ("trial_unstated", "政策为试行，解读未提", "the policy is a 试行 version; the interpretation does not say so"),
    (
        "wrapper_mismatch",
        "发文方式不同（印发/重新发布/修订/废止）",
        "different things were done (印发 vs 重新发布/修订/废止)",
    ),
    ("jurisdiction", "层级或地区不同", "national versus local, or two provinces"),
    (
        "jurisdiction_overridden",
        "地区不同，但完整标题准确引用",
        "different jurisdictions, but the title is quoted exactly",
    ),
    ("quoted_mismatch", "《》内是其他文件", "the interpretation names another document in 《》"),
    ("doc_number_conflict", "引用了其他文号", "the interpretation cites another 文号"),
];

/// The Chinese and English description of a signal, if it is one the matcher writes.
pub fn describe_signal(signal: &str) -> Option<(&'static str, &'static str)> {
    SIGNALS.iter().find(|(s, _, _)| *s == signal).map(|(_, zh, en)| (*zh, *en))
}

/// The deciding evidence of a candidate: the evidence entry of its method.
pub(crate) fn deciding(method: &str, evidence: &[Evidence]) -> Option<Deciding> {
    let e = evidence.iter().find(|e| e.signal == method && e.weight != 0.0)?;
    let (zh, en) = describe_signal(method)?;
    Some(Deciding { signal: e.signal.clone(), zh, en, detail: e.detail.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every signal name the scorer writes (`ev("…"`, `(("…"`, or a `("…", w.…)` pair) has a description.
    #[test]
    fn every_signal_is_described() {
        let src = include_str!("score.rs");
        let re = regex::Regex::new(r#"(?:ev\(|\(\(|\(|=> \()"([a-z_]+)", (?:w\.|d|format|"|weight)"#).unwrap();
        let names: std::collections::BTreeSet<&str> =
            re.captures_iter(src).map(|c| c.get(1).unwrap().as_str()).collect();
        assert!(names.len() >= 25, "{names:?}");
        for n in names {
            assert!(describe_signal(n).is_some(), "signal `{n}` has no description in SIGNALS");
        }
    }
}
