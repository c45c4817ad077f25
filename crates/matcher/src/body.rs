//! Reading the opening of an interpretation's body: which documents it names, and which of them it is about.
//!
//! News-style interpretations often carry no policy title in their headline; their first paragraph names it:
//! `近日，市某委印发了《X》（某发〔2024〕3号）` or `《X》（以下简称《措施》）…`. Bodies also cite the documents a
//! policy is based on (`根据《Y》…`, `为贯彻落实《Z》精神`), which must not count as much. So every 《》 title in
//! the opening is a [`BodyRef`], and it is the *subject* when an issuing verb introduces it, when it opens the
//! body, or when it is followed by `（以下简称…）` or `印发`; otherwise it is merely cited. News reports also
//! write the title without 《》 right after the verb (`某委员会发布关于X的通知。`); such a title is read as if
//! it were quoted (see [`unquoted_titles`]).

use std::sync::LazyLock;

use regex::Regex;

use crate::title::{self, ISSUING_VERBS, Quote};

/// A 《》 title in the opening of a body.
#[derive(Debug, Clone)]
pub(crate) struct BodyRef {
    pub quote: Quote,
    /// 文号 keys written right after the title, in its parenthetical.
    pub numbers: Vec<String>,
    /// The interpretation is about this document, rather than citing it as a basis.
    pub subject: bool,
    /// The issuing verb that introduces it (`印发`, `重新发布` …), if any.
    pub verb: Option<&'static str>,
    /// The organisation before that verb (`市某委`), normalised.
    pub issuer: Option<String>,
    /// Written without 《》 (`某委发布关于X的通知。`).
    pub unquoted: bool,
}

/// What the opening of a body names.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opening {
    pub refs: Vec<BodyRef>,
    /// 文号 keys not attached to any 《》 title, introduced by an issuing verb (when no title is the subject).
    pub subject_numbers: Vec<String>,
    /// Other 文号 keys not attached to any 《》 title.
    pub loose_numbers: Vec<String>,
}

/// Words that make a title in the same clause a basis of the text rather than its subject.
const BASIS_WORDS: &[&str] = &["根据", "依据", "按照", "贯彻", "落实", "参照", "对照"];

/// What, right after a title (and its parenthetical), marks it as the subject.
const SUBJECT_AFTER: &[&str] =
    &["(以下简称", "(下称", "(简称", "印发", "出台", "发布", "正式", "已经", "政策解读", "解读"];

/// Characters that end a clause: an issuing verb and its object share one clause.
fn is_clause_break(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '，' | ',' | '！' | '？' | '!' | '?' | ':' | '：')
}

/// Body text without markup: tags dropped, common entities decoded. Crude, but only the opening is read.
pub(crate) fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ").replace("&lt;", "〈").replace("&gt;", "〉").replace("&amp;", "&")
}

/// The first `max_chars` characters of a text, normalised (see [`title::normalize`]).
pub(crate) fn opening(body: &str, max_chars: usize) -> String {
    let head: String = body.chars().take(max_chars).collect();
    title::normalize(&head)
}

/// The parenthetical right after a title (`(某发〔2024〕3号)`, `(以下简称…)`) and the byte offset after it.
fn parenthetical(s: &str, at: usize) -> (&str, usize) {
    let rest = &s[at..];
    if rest.starts_with('(')
        && let Some(close) = rest.find(')')
        && rest[..close].chars().count() <= 40
    {
        return (&rest[..=close], at + close + 1);
    }
    ("", at)
}

/// The issuing verb ending right before `quote_start` in its clause (allowing `了` and `关于` after it), and the
/// clause text before the verb.
fn verb_before(s: &str, clause_start: usize, quote_start: usize) -> Option<(&'static str, &str)> {
    let mut before = &s[clause_start..quote_start];
    for filler in ["关于", "了"] {
        before = before.strip_suffix(filler).unwrap_or(before);
    }
    let verb = ISSUING_VERBS.iter().find(|v| before.ends_with(*v))?;
    Some((verb, &before[..before.len() - verb.len()]))
}

/// The organisation at the end of the text before an issuing verb: `近日市某委` → `市某委`.
fn issuer_before(clause: &str) -> Option<String> {
    let clause = clause.trim_end_matches("联合").trim_end_matches("正式");
    let chars: Vec<char> = clause.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(24)..].iter().collect();
    let tail = tail.rsplit(['日', ')']).next().unwrap_or_default();
    title::split_orgs(tail).into_iter().max_by_key(String::len)
}

/// `对《X》进行解读`, `就《X》答记者问`: the text says it addresses the title, after it in the same clause.
fn addressed(clause: &str, after: &str) -> bool {
    let rest: String = after.chars().take_while(|c| !is_clause_break(*c)).take(30).collect();
    (clause.ends_with('对') || clause.ends_with('就'))
        && ["解读", "答记者问", "回答记者"].iter().any(|w| rest.contains(w))
}

/// An issuing verb, then a title without 《》: `关于…的` and a document type, ending the clause (or followed by its
/// 文号 in brackets). Seen in news-style reports of local policies: in pairs3 the 殷都区 and 遂宁 reports
/// (p3-35's 实施意见, the 遂宁 通知), and in the same source database at least twenty more pages such as
/// POL_34904F0421172B3C6B48 (北海: `…管理委员会近日发布关于调整优化住房公积金使用政策的通知。`),
/// POL_B1613A62D873426DFBB2 (淮安) and POL_DBCEDE8CCD07022E1EFB (贵阳), each naming the policy of its row.
static UNQUOTED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:印发|出台|发布|制定|公布|颁布|下发)了?(关于[^《》()。,;:!?、]{2,60}?的(?:通知|实施意见|意见|办法|实施方案|方案|若干措施|措施|规定|决定|实施细则|细则|通告|公告))(?:[。,;:!?、(]|$)",
    )
    .expect("valid regex")
});

/// Titles an issuing verb introduces without 《》, as [`Quote`]s spanning the title text alone.
pub(crate) fn unquoted_titles(s: &str) -> Vec<Quote> {
    UNQUOTED_TITLE
        .captures_iter(s)
        .filter_map(|c| c.get(1))
        .map(|m| Quote {
            core: title::core(m.as_str()),
            full: title::full_title(m.as_str()),
            span: m.range(),
            tail: String::new(),
        })
        .filter(|q| !q.core.is_empty())
        .collect()
}

/// Reads a normalised opening.
pub(crate) fn read_opening(s: &str) -> Opening {
    let mut out = Opening::default();
    let mut attached: Vec<String> = Vec::new();
    let mut prev_end = 0usize;
    let mut titles = title::quotes(s);
    titles.extend(unquoted_titles(s));
    titles.sort_by_key(|q| q.span.start);
    for quote in titles {
        let (start, end) = (quote.span.start, quote.span.end);
        if start < prev_end {
            // Inside the previous title's parenthetical: an abbreviation (以下简称《办法》), not another document.
            continue;
        }
        let (paren, after) = parenthetical(s, end);
        let numbers = title::doc_number_keys(paren);
        attached.extend(numbers.iter().cloned());
        let clause_start =
            s[..start].rfind(is_clause_break).map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
        let clause_start = clause_start.max(prev_end);
        let clause = &s[clause_start..start];
        let verb = verb_before(s, clause_start, start);
        let chained = prev_end > 0 && matches!(&s[prev_end..start], "" | "、" | "和" | "及");
        let based = BASIS_WORDS.iter().any(|w| clause.contains(w));
        let opens = s[..start].chars().count() <= 2;
        let follows = SUBJECT_AFTER.iter().any(|w| s[after..].starts_with(w) || paren.starts_with(w));
        let prev_subject = chained && out.refs.last().is_some_and(|r: &BodyRef| r.subject);
        let addressed = addressed(clause, &s[after..]);
        // Only the first document introduced as a subject is the subject (with titles listed right after it):
        // later ones are background (`今年6月，市政府出台《旧措施》`).
        let first = !out.refs.iter().any(|r| r.subject) || prev_subject;
        let subject = !based && first && (opens || follows || addressed || verb.is_some() || prev_subject);
        out.refs.push(BodyRef {
            unquoted: !s[start..].starts_with('《'),
            issuer: verb.and_then(|(_, c)| issuer_before(c)),
            verb: verb.map(|(v, _)| v),
            quote,
            numbers,
            subject,
        });
        prev_end = after;
    }
    for (end, key) in title::doc_number_spans(s) {
        if attached.contains(&key) {
            continue;
        }
        // `某局印发某发〔2024〕3号文件`: a 文号 an issuing verb introduces is the subject's.
        let clause_start =
            s[..end].rfind(is_clause_break).map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
        let clause = &s[clause_start..end];
        let issued =
            ISSUING_VERBS.iter().any(|v| clause.contains(v)) && !BASIS_WORDS.iter().any(|w| clause.contains(w));
        if issued && !out.refs.iter().any(|r| r.subject) {
            out.subject_numbers.push(key);
        } else {
            out.loose_numbers.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Opening {
        read_opening(&opening(body, 600))
    }

    #[test]
    fn an_issuing_verb_makes_the_subject_and_a_basis_word_does_not() {
        let o = read("近日，市某某委印发了《关于甲乙丙的通知》（某某发〔2024〕3号）。根据《丁戊条例》，……");
        assert_eq!(o.refs.len(), 2);
        assert!(o.refs[0].subject);
        assert_eq!(o.refs[0].verb, Some("印发"));
        assert_eq!(o.refs[0].numbers, ["某发|2024|3"]);
        assert_eq!(o.refs[0].issuer.as_deref(), Some("市某某委"));
        assert!(!o.refs[1].subject);
    }

    #[test]
    fn a_title_that_opens_the_body_or_is_abbreviated_is_the_subject() {
        assert!(read("《甲乙丙办法》政策解读 一、背景").refs[0].subject);
        let o = read("为贯彻落实《丁戊意见》精神，结合实际，《甲乙丙办法》（以下简称《办法》）自发布之日起施行。");
        assert!(!o.refs[0].subject);
        assert!(o.refs[1].subject);
        let o = read("近日，《甲乙丙办法》印发，其中……。");
        assert!(o.refs[0].subject);
    }

    #[test]
    fn only_the_first_subject_counts_and_listed_titles_share_it() {
        let o = read("近日，市政府印发了《甲乙办法》。今年6月，市政府出台《丙丁措施》。");
        assert!(o.refs[0].subject);
        assert!(!o.refs[1].subject);
        let o = read("我市召开发布会，对《甲乙意见》《丙丁意见》等政策进行解读。");
        assert!(o.refs[0].subject && o.refs[1].subject);
    }

    #[test]
    fn loose_numbers_are_kept_apart() {
        let o = read("按照某办发〔2023〕7号文件要求，……");
        assert!(o.refs.is_empty());
        assert_eq!(o.loose_numbers, ["办发|2023|7"]);
    }

    #[test]
    fn a_title_without_quotes_after_an_issuing_verb_is_the_subject() {
        let o = read("3月27日，记者获悉，近日，某某市某某委员会印发关于甲乙丙丁的通知。在……方面，新政提出……");
        assert_eq!(o.refs.len(), 1);
        assert!(o.refs[0].subject);
        assert_eq!(o.refs[0].quote.full, "关于甲乙丙丁的通知");
        assert!(o.refs[0].unquoted);
        assert_eq!(o.refs[0].issuer.as_deref(), Some("某某市某某委员会"));
        // Not a title: no document type ends the clause, or it is quoted already.
        assert!(read("某局发布关于甲乙丙丁的通知精神解读").refs.is_empty());
        assert_eq!(read("某局印发《关于甲乙丙丁的通知》。").refs.len(), 1);
    }

    #[test]
    fn markup_is_dropped() {
        assert_eq!(html_text("<p>近日，<b>某局</b>印发&nbsp;《甲》</p>").trim(), "近日， 某局 印发 《甲》");
    }
}
