//! 文号 (document numbers): 机关代字〔年份〕序号号, e.g. `粤府办〔2024〕12号`.
//!
//! GB/T 9704-2012 writes the year in 六角括号 〔〕 and the number without leading zeros or 第. Sites also type
//! `[]`, `［］`, `（）`, `()`, `﹝﹞`, `【】` or `〖〗`, spaces between the parts and full-width digits; the one
//! [`pattern`] here accepts all of them, and [`DocNumber::canonical`] writes the standard form.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::width;

/// The 机关代字: a Han character, then up to 13 Han characters or Latin letters (`TJ`, `XZ`). A match in running
/// text may take up words before the 代字 too (`依据某政办发〔2023〕5号`); [`DocNumber::ends_like`] allows for it.
const AGENCY: &str = r"\p{Han}[\p{Han}A-Za-z]{0,13}";
/// Brackets around the year, in every form seen on government sites.
const OPEN: &str = r"〔\[［（(﹝【〖";
const CLOSE: &str = r"〕\]］）)﹞】〗";

/// Bracketed year, number and 号, without capture groups, for embedding in other expressions.
static YEAR_NUMBER: LazyLock<String> =
    LazyLock::new(|| format!(r"\s*[{OPEN}]\s*(?:19|20)\d{{2}}\s*[{CLOSE}]\s*第?\s*\d{{1,5}}\s*号"));

/// A whole 文号 with the groups `agency`, `year` and `number` (leading zeros outside `number`).
static PATTERN: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?P<agency>{AGENCY})\s*[{OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{CLOSE}]\s*第?\s*0*(?P<number>\d{{1,5}})\s*号"
    )
});

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(pattern()).expect("文号 regex"));

/// The regex source of one 文号, with the capture groups `agency`, `year` and `number`. Expressions that need a
/// 文号 in a context (a whole line, a parenthetical) embed it; it may appear once per expression.
pub fn pattern() -> &'static str {
    &PATTERN
}

/// The regex source of a 文号's bracketed year, number and 号 without the 代字 and without capture groups.
pub fn year_number_pattern() -> &'static str {
    &YEAR_NUMBER
}

/// One 文号 found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber<'a> {
    /// Byte range of the whole match in the searched text.
    pub range: Range<usize>,
    pub agency: &'a str,
    pub year: &'a str,
    /// Without leading zeros.
    pub number: &'a str,
}

impl<'a> DocNumber<'a> {
    /// The 文号 that an expression embedding [`pattern`] captured, or `None` if its other branch matched.
    pub fn from_captures(c: &regex::Captures<'a>) -> Option<Self> {
        let whole = c.get(0)?;
        Some(DocNumber {
            range: whole.range(),
            agency: c.name("agency")?.as_str(),
            year: c.name("year")?.as_str(),
            number: c.name("number")?.as_str(),
        })
    }

    /// The standard spelling: `代字〔年份〕序号号`.
    pub fn canonical(&self) -> String {
        format!("{}〔{}〕{}号", self.agency, self.year, self.number)
    }

    /// The last `n` characters of the 代字: enough to tell 国发 from 国办发, and stable when the match swallowed
    /// the words before the 代字.
    pub fn agency_tail(&self, n: usize) -> &str {
        let start = self.agency.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
        &self.agency[start..]
    }
}

/// Every 文号 in `text`, in order. Full-width digits are not folded here: search a folded text.
pub fn find_iter(text: &str) -> impl Iterator<Item = DocNumber<'_>> {
    DOC_NUMBER.captures_iter(text).filter_map(|c| DocNumber::from_captures(&c))
}

/// The first 文号 in `s` in its standard spelling (full-width digits folded first), or `None` if `s` holds none.
pub fn normalize(s: &str) -> Option<String> {
    let folded: String = s.chars().map(width::half).collect();
    find_iter(&folded).next().map(|d| d.canonical())
}

/// `text` with every 文号 rewritten in its standard spelling, so texts that spell one differently compare equal.
pub fn canonicalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for d in find_iter(text) {
        out.push_str(&text[at..d.range.start]);
        out.push_str(&d.canonical());
        at = d.range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spellings found in tests/fixtures (and the bracket forms GB/T 9704 readers meet), with their standard form.
    const VARIANTS: &[(&str, &str)] = &[
        ("鲁商字〔2025〕1号", "鲁商字〔2025〕1号"),
        ("鲁商字 [2025] 1号", "鲁商字〔2025〕1号"),
        ("鲁商字［２０２５］１号", "鲁商字〔2025〕1号"),
        ("鲁商字（2025）1号", "鲁商字〔2025〕1号"),
        ("马金委【2020】2号", "马金委〔2020〕2号"),
        ("马发【2021】8号", "马发〔2021〕8号"),
        ("闽教师﹝2018﹞20号", "闽教师〔2018〕20号"),
        ("辽住建发〔2021〕５号", "辽住建发〔2021〕5号"),
        ("沪规划资源产〔2025〕28 号", "沪规划资源产〔2025〕28号"),
        ("国办发明电〔2020〕1号", "国办发明电〔2020〕1号"),
        ("国办发〖2019〗3号", "国办发〔2019〕3号"),
        ("某政发(2024)第07号", "某政发〔2024〕7号"),
        ("津XZ发〔2023〕4号", "津XZ发〔2023〕4号"),
    ];

    #[test]
    fn every_variant_has_one_standard_spelling() {
        for (written, standard) in VARIANTS {
            assert_eq!(normalize(written).as_deref(), Some(*standard), "{written}");
        }
    }

    #[test]
    fn not_a_doc_number() {
        for s in ["没有文号", "2024年第3号", "〔2024〕3号", "某发〔1899〕3号", "某发〔2024〕号", "某发〔2024〕3"]
        {
            assert_eq!(normalize(s), None, "{s}");
        }
    }

    #[test]
    fn found_in_running_text() {
        let text = "近日，市某委印发了《关于甲的通知》（某某发〔2024〕3号）。按照国办发[2019]14号文件要求";
        let found: Vec<_> = find_iter(text).collect();
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.clone()], "某某发〔2024〕3号");
        assert_eq!(found[1].agency, "按照国办发", "the match takes up the words before the 代字");
        assert_eq!(found[1].agency_tail(2), "办发");
        assert_eq!(found[1].agency_tail(9), "按照国办发");
        assert_eq!(canonicalize("见国办发[2019]14号。"), "见国办发〔2019〕14号。");
    }

    #[test]
    fn year_number_pattern_embeds() {
        let re = Regex::new(&format!(r"^\({}\)$", year_number_pattern())).expect("embeds");
        assert!(re.is_match("(〔2023〕5号)"));
        let line = Regex::new(&format!("^{}$", pattern())).expect("embeds");
        assert!(line.is_match("某政办发 〔2023〕 5 号"));
        assert!(!line.is_match("见某政办发〔2023〕5号。"));
    }
}
