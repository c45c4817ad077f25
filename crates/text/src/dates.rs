//! Dates as Chinese official documents write them: `2023年4月5日`, `2023-04-05`, `二〇二三年四月五日`, `2019年4月底前`,
//! `12月31日`, `2022年`, each kept as written (with a trailing 前/起/止 when there is one) and parsed where it can be.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use tujie_model::Span;

use crate::normalize::Norm;

/// Dates in every written form. A day may carry a clock time (`6月27日10：00`, `2024年5月27日 8: 00`): application
/// windows of 招生/报名 notices are written so (the 积分入学 and 港澳随迁子女 guides, the 教师资格 notice), and without
/// it the day, followed by a digit, was no date at all.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<cy>[〇零○一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月(?:(?P<cd>[一二三四五六七八九十]{1,3})[日号])?",
        r"|(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号](?:\s?\d{1,2}\s?[:：]\s?\d{2})?|(?P<mq>底|末|初|上旬|中旬|下旬))?|(?P<yq>底|末|初|上半年|下半年))?",
        r"|(?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})",
        r"|(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})[日号](?:\s?\d{1,2}\s?[:：]\s?\d{2})?|(?P<mq2>底|末|初|上旬|中旬|下旬))",
    ))
    .expect("date regex")
});

static SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:以前|之前|前|起|以来|以后|之后|后|止)").expect("suffix regex"));

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}[日号]|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})(?:印发|发布|签发)?$")
        .expect("date line regex")
});

/// How precise a date mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    /// A month, or part of one (`4月底`).
    Month,
    /// A year, or part of one (`2020年底`).
    Year,
}

/// A date found in the text, written as in the source.
#[derive(Debug, Clone, Serialize)]
pub struct DateMention {
    /// The text as written, with its 前/起/止 suffix.
    pub text: String,
    pub span: Span,
    #[serde(skip)]
    pub range: std::ops::Range<usize>,
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub precision: DatePrecision,
    /// `2023-04-05` when the mention names a whole date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
}

/// Value of a Chinese numeral up to 99 (`十二`, `二十五`) or a digit string of 〇一二… (`二〇二三`).
pub fn cn_number(s: &str) -> Option<u32> {
    let digit =
        |c: char| "〇零○一二三四五六七八九".chars().position(|x| x == c).map(|p| if p <= 2 { 0 } else { p as u32 - 2 });
    if let Some((a, b)) = s.split_once('十') {
        let tens = if a.is_empty() { 1 } else { digit(a.chars().next()?)? };
        let ones = if b.is_empty() { 0 } else { digit(b.chars().next()?)? };
        return Some(tens * 10 + ones);
    }
    let mut v: u32 = 0;
    for c in s.chars() {
        v = v.checked_mul(10)?.checked_add(digit(c)?)?;
    }
    Some(v)
}

/// Whether a whole line is just a date, as the signature date of a document is.
pub fn is_date_line(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    DATE_LINE.is_match(&compact)
}

/// Every date in `range` of the normalised text.
pub fn find_dates(norm: &Norm, range: std::ops::Range<usize>) -> Vec<DateMention> {
    let text = norm.get(range.clone());
    let mut out = Vec::new();
    for c in DATE.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if text[..m.start()].chars().next_back().is_some_and(|p| p.is_ascii_digit())
            || text[m.end()..].chars().next().is_some_and(|p| p.is_ascii_digit())
        {
            continue;
        }
        let num = |name: &str| c.name(name).and_then(|x| x.as_str().parse::<u32>().ok());
        let cn = |name: &str| c.name(name).and_then(|x| cn_number(x.as_str()));
        let (year, month, day, part) = if c.name("cy").is_some() {
            (cn("cy").map(|y| y as i32), cn("cm"), cn("cd"), false)
        } else if c.name("y").is_some() {
            (num("y").map(|y| y as i32), num("m"), num("d"), c.name("mq").is_some() || c.name("yq").is_some())
        } else if c.name("iy").is_some() {
            (num("iy").map(|y| y as i32), num("im"), num("id"), false)
        } else {
            (None, num("m2"), num("d2"), c.name("mq2").is_some())
        };
        if month.is_some_and(|m| !(1..=12).contains(&m)) || day.is_some_and(|d| !(1..=31).contains(&d)) {
            continue;
        }
        let precision = match (month, day) {
            (_, Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        };
        let mut end = m.end();
        if let Some(s) = SUFFIX.find(&text[end..]) {
            end += s.end();
        }
        let iso = match (year, month, day, part) {
            (Some(y), Some(mo), Some(d), false) => {
                chrono::NaiveDate::from_ymd_opt(y, mo, d).map(|x| x.format("%Y-%m-%d").to_string())
            }
            _ => None,
        };
        let r = range.start + m.start()..range.start + end;
        out.push(DateMention {
            text: text[m.start()..end].to_string(),
            span: norm.span(r.clone()),
            range: r,
            year,
            month,
            day,
            precision,
            iso,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(String, Option<String>)> {
        let n = Norm::new(s);
        find_dates(&n, 0..n.text.len()).into_iter().map(|d| (d.text, d.iso)).collect()
    }

    #[test]
    fn every_form() {
        assert_eq!(
            texts("2023年4月5日起，2023-04-05，二〇二三年四月五日，2019年4月底前，12月31日，2022年出生"),
            vec![
                ("2023年4月5日起".into(), Some("2023-04-05".into())),
                ("2023-04-05".into(), Some("2023-04-05".into())),
                ("二〇二三年四月五日".into(), Some("2023-04-05".into())),
                ("2019年4月底前".into(), None),
                ("12月31日".into(), None),
                ("2022年".into(), None),
            ]
        );
    }

    #[test]
    fn a_day_keeps_its_clock_time() {
        assert_eq!(
            texts("6月27日10：00—7月1日15:00，2024年5月27日 8: 00至2024年6月18日17: 00")
                .into_iter()
                .map(|d| d.0)
                .collect::<Vec<_>>(),
            vec!["6月27日10：00", "7月1日15:00", "2024年5月27日8: 00", "2024年6月18日17: 00"]
        );
    }

    #[test]
    fn numbers_are_not_years() {
        assert!(texts("培训2000万人次，12000元").is_empty());
        assert_eq!(cn_number("二十五"), Some(25));
        assert_eq!(cn_number("十"), Some(10));
        assert!(is_date_line("2019年1月9日"));
        assert!(is_date_line("2025年1月20日印发"));
    }
}
