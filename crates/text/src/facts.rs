//! Facts in the content: money amounts, percentages, counts and durations, dates, validity, target groups,
//! procedures, contacts and responsible units, each located in the source.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use tujie_model::Span;

use crate::clauses;
use crate::dates::{self, DateMention};
use crate::normalize::Norm;

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    Money,
    Percent,
    /// Counts of things or people: `50所`, `2000万人次`.
    Count,
    /// Lengths of time: `6个月`, `15日内`, `3年以上`.
    Duration,
}

/// A number with its unit, as written.
#[derive(Debug, Clone, Serialize)]
pub struct Quantity {
    pub kind: QuantityKind,
    /// The number as written, with a range dash if any (`5—10`).
    pub value: String,
    /// The unit as written (`万元`, `元/年`, `%`, `个月`).
    pub unit: String,
    pub span: Span,
    #[serde(skip)]
    pub range: Range<usize>,
    #[serde(skip)]
    pub value_range: Range<usize>,
}

/// A located piece of text.
#[derive(Debug, Clone, Serialize)]
pub struct Located {
    pub text: String,
    pub span: Span,
    #[serde(skip)]
    pub range: Range<usize>,
}

impl Located {
    pub fn new(norm: &Norm, r: Range<usize>) -> Self {
        Located { text: norm.get(r.clone()).to_string(), span: norm.span(r.clone()), range: r }
    }
}

/// Everything factual found in the content.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    pub amounts: Vec<Quantity>,
    pub percentages: Vec<Quantity>,
    pub counts: Vec<Quantity>,
    pub durations: Vec<Quantity>,
    pub dates: Vec<DateMention>,
    /// Sentences that set a deadline (`…前完成`, `截止…`).
    pub deadlines: Vec<Located>,
    /// Sentences on who is covered (对象, 范围, 条件).
    pub target_groups: Vec<Located>,
    /// Sentences on how to apply (流程, 程序, 申报, 办理).
    pub procedures: Vec<Located>,
    /// Phone numbers, contact people, addresses, e-mail and web addresses, with their label.
    pub contacts: Vec<Located>,
    /// Units named as responsible (`（人力资源社会保障部、财政部负责）`, `由…负责`).
    pub responsible_units: Vec<Located>,
}

/// The length of the bound written right after a quantity, which belongs to it: `10万元（含）以下`, `50万元以上`,
/// `3000元以内`, `32吨以上（不含32吨）`. Without it a table cell or a figure tile would state the limit as the
/// quantity itself.
pub fn bound_after(text: &str) -> usize {
    static BOUND: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:（含(?:本数)?）)?(?:及?以[下上内](?:（不?含[^）]{0,8}）)?|（含）)?").expect("bound regex")
    });
    BOUND.find(text).map_or(0, |m| m.end())
}

/// The length of the rate written right after an amount, which belongs to its value: `/千瓦时`, `/半年/个`, `/瓦`.
/// A piece is letters and digits (`/m2`, `/kWh`) or up to three other characters that are not the measure after
/// the rate (`/平方米/月`, `/生•年`, not `补助` of `/m2补助`). Without it a table cell or a figure tile would state
/// a rate as a sum (`0.25元` for `0.25元/千瓦时`).
pub fn rate_after(text: &str) -> usize {
    static RATE: LazyLock<Regex> = LazyLock::new(|| {
        // A time unit is one character: `/㎡/月` of `0.35元/㎡/月进行补贴`, not `/月进行`.
        let other = r"[^/的，。；、：（）\sA-Za-z0-9补贴助奖励费资金扶持支进给]";
        let piece = format!(r"/(?:[A-Za-z0-9²³]+|[月年日天]|{other}{{1,3}})");
        Regex::new(&format!("^(?:{piece})+")).expect("rate regex")
    });
    RATE.find(text).map_or(0, |m| m.end())
}

#[cfg(test)]
mod rate_tests {
    #[test]
    fn a_rate_ends_at_its_unit() {
        for (text, rate) in [
            ("/千瓦时，", "/千瓦时"),
            ("/㎡/月进行补贴", "/㎡/月"),
            ("/m2补助", "/m2"),
            ("/生•年；", "/生•年"),
            ("/人/日", "/人/日"),
            ("，每户", ""),
            ("/美元扶持", "/美元"),
            ("/亩进行扶持", "/亩"),
        ] {
            assert_eq!(&text[..super::rate_after(text)], rate, "{text}");
        }
    }
}

static QTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<v>\d+(?:\.\d+)?(?:[—\-~～至到]\d+(?:\.\d+)?)?)",
        r"(?P<u>(?:万亿|千万|百万|万|亿|千)?元(?:/(?:人·年|人·月|人|户|年|月|次|件|台|套|个|平方米|亩|吨|天|日|辆|孩))?",
        r"|%|‰|个百分点",
        r"|(?:万|亿)?(?:人次|名|人|户|家)",
        r"|个工作日|个月|周岁|岁|小时|天|日|年|周",
        // `0.35万亩`, `30万辆`: 万 and 亿 multiply counts and measures as they do money.
        r"|(?:万|亿)?(?:所|个|项|类|件|台|批|条|种|套|辆|根|座|艘|间|栋|株|棵|次)",
        r"|(?:万|亿)?(?:平方公里|平方米|立方米|公顷|亩|千瓦时|千瓦|兆瓦|公斤|千克|公里|千米|米|吨|张|份)|倍|期)"
    ))
    .expect("quantity regex")
});

/// The labels a phone number is written after (`咨询电话：`), as alternatives of a regex.
pub(crate) const PHONE_LABELS: &str =
    "联系电话|咨询电话|服务电话|监督电话|投诉电话|举报电话|服务热线|热线电话|电话|传真";

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&[
        &format!(r"(?:{PHONE_LABELS})[：:]?\s*[0-9\-（）()、，转 ]{{7,40}}\d"),
        r"|联系人[：:]\s*\p{Han}{2,4}",
        // An address ends at a comma or a space (the three addresses of the fixtures run on into the next
        // clause or the signature otherwise).
        r"|(?:联系地址|办公地址|地址|受理地点|办理地点)[：:][^。；：，,\s]{4,40}",
        r"|(?:电子邮箱|邮箱|E-?mail)(?:地址)?[：:]?\s*[\w.\-]+@[\w.\-]+",
        r"|(?:网址|网站)[：:]?\s*(?:https?://)?[\w.\-/]+\.[a-z]{2,}[\w./\-]*",
        // Office hours, up to the last clock time (`来电时间：08:00-12:00，15:00-18:00`, `办理时间：工作日（周一至周五）
        // 上午9:00-12:00；下午13:00-17:00`): when to call or come is part of where to ask. Three fixture documents
        // state hours beside their phone or window (two with such a label, one as `工作日上午 8:30-12:00, 下午…`).
        r"|(?:来电|办理|办公|受理|咨询|接待|工作)时间[：:][^。：:]{0,16}?\d{1,2}[:：]\d{2}(?:[^。：:\d]{0,6}\d{1,2}[:：]\d{2})*",
    ]
    .concat())
    .expect("contact regex")
});

static RESPONSIBLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"（([^（）]{2,120}?)(?:按职责分工|按职责)?负责[^（）]{0,30}）").expect("resp regex"));

static DEADLINE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"前完成|之前完成|截止|截至|之日起|起施行|起实施|内完成|前提出|前报送|为止|止$").expect("dl regex")
});
static TARGET_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"对象|适用于|适用范围|申请条件|申领条件|符合.{0,20}条件的|范围包括|范围为").expect("tg regex")
});
static PROCEDURE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"流程|程序|申报|办理|申领|申请|提交|受理|审核|登录|小程序|线上|现场").expect("proc regex")
});

/// Byte ranges of 《…》 titles: numbers inside a cited title are not facts of this document.
pub fn title_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        match c {
            '《' => open = Some(i),
            '》' => {
                if let Some(s) = open.take() {
                    out.push(s..i + c.len_utf8());
                }
            }
            _ => {}
        }
    }
    out
}

/// Quantities in a range of the normalised text.
pub fn quantities(norm: &Norm, r: Range<usize>) -> Vec<Quantity> {
    let t = norm.get(r.clone());
    let titles = title_ranges(t);
    let mut out = Vec::new();
    for c in QTY.captures_iter(t) {
        let m = c.get(0).expect("match");
        let v = c.name("v").expect("value");
        let u = c.name("u").expect("unit").as_str();
        let before = t[..m.start()].chars().next_back();
        if before.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == '〔' || p == '[')
            || titles.iter().any(|tr| tr.contains(&m.start()))
        {
            continue;
        }
        let after = &t[m.end()..];
        let vs = v.as_str();
        let kind = if u.contains('元') {
            QuantityKind::Money
        } else if matches!(u, "%" | "‰" | "个百分点") {
            QuantityKind::Percent
        } else if matches!(u, "个工作日" | "个月" | "小时" | "天" | "日" | "年" | "周") {
            // `2019年` is a year and `1日` after 月 is a date, not a duration.
            let year_like = vs.len() == 4 && (vs.starts_with("19") || vs.starts_with("20"));
            if (u == "年" && (year_like || after.starts_with(|c: char| c.is_ascii_digit())))
                || ((u == "日" || u == "天") && before == Some('月'))
                || (u == "年" && after.starts_with('度'))
                || (u == "日" && after.starts_with('起'))
                || (u == "号")
            {
                continue;
            }
            QuantityKind::Duration
        } else if matches!(u, "周岁" | "岁") {
            QuantityKind::Duration
        } else {
            if before == Some('第') || after.starts_with("月") {
                continue;
            }
            QuantityKind::Count
        };
        if kind == QuantityKind::Duration && u == "日" && after.starts_with(['前', '止']) {
            continue;
        }
        let range = r.start + m.start()..r.start + m.end();
        out.push(Quantity {
            kind,
            value: vs.to_string(),
            unit: u.to_string(),
            span: norm.span(range.clone()),
            value_range: r.start + v.start()..r.start + v.end(),
            range,
        });
    }
    out
}

/// The phone numbers, contact people and addresses of one line.
pub fn contacts_in(norm: &Norm, l: Range<usize>) -> Vec<Located> {
    let t = norm.get(l.clone());
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(m) = CONTACT.find_at(t, at) {
        let end = person_end(t, m.range());
        if blank_person(&t[m.start()..end]) {
            // A form's empty field (`联系人：联系电话：`): no person; the next label may still hold a number.
            at = m.start() + t[m.start()..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        out.push(Located::new(norm, l.start + m.start()..l.start + end));
        at = end;
    }
    out
}

/// Whether a `联系人：` or `地址：` match names no one and nowhere: what follows the colon is the next label of a
/// blank form (`联系人：联系电话：`, `地址：填表日期：`).
fn blank_person(found: &str) -> bool {
    let Some(rest) = ["联系人", "地址"].iter().find_map(|l| found.strip_prefix(l)) else { return false };
    let rest = rest.trim_start_matches(['：', ':']).trim();
    ["联系", "电话", "手机", "地址", "填表", "填报", "日期"].iter().any(|w| rest.starts_with(w))
}

/// Where a `联系人：` match in `t` really ends: a name written right before the next label (`联系人：陈丽云
/// 联系电话：…`, the space gone once normalised) must not take the label's first character, or the phone number is
/// read from `电话` on and its `联系` lost.
fn person_end(t: &str, m: Range<usize>) -> usize {
    let found = &t[m.clone()];
    if !found.starts_with("联系人") {
        return m.end;
    }
    let name = found.char_indices().find(|(_, c)| matches!(c, '：' | ':')).map_or(0, |(i, c)| i + c.len_utf8());
    let label_at = |i: &usize| ["联系", "电话", "手机"].iter().any(|w| t[m.start + i..].starts_with(w));
    found.char_indices().map(|(i, _)| i).skip_while(|&i| i <= name + 3).find(label_at).map_or(m.end, |i| m.start + i)
}

/// Collects the facts of the content lines.
pub fn collect(norm: &Norm, lines: &[Range<usize>]) -> Facts {
    let mut f = Facts::default();
    for l in lines {
        for q in quantities(norm, l.clone()) {
            match q.kind {
                QuantityKind::Money => f.amounts.push(q),
                QuantityKind::Percent => f.percentages.push(q),
                QuantityKind::Count => f.counts.push(q),
                QuantityKind::Duration => f.durations.push(q),
            }
        }
        f.dates.extend(dates::find_dates(norm, l.clone()));
        let t = norm.get(l.clone());
        f.contacts.extend(contacts_in(norm, l.clone()));
        for c in RESPONSIBLE.captures_iter(t) {
            let g = c.get(1).expect("group");
            f.responsible_units.push(Located::new(norm, l.start + g.start()..l.start + g.end()));
        }
        for s in clauses::sentences(norm, l.clone()) {
            let st = norm.get(s.clone());
            if DEADLINE_WORDS.is_match(st) {
                f.deadlines.push(Located::new(norm, s.clone()));
            }
            if TARGET_WORDS.is_match(st) {
                f.target_groups.push(Located::new(norm, s.clone()));
            }
            if PROCEDURE_WORDS.is_match(st) {
                f.procedures.push(Located::new(norm, s.clone()));
            }
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<(String, String)> {
        let n = Norm::new(s);
        quantities(&n, 0..n.text.len()).into_iter().map(|q| (q.value, q.unit)).collect()
    }

    #[test]
    fn amounts_and_counts() {
        assert_eq!(q("每孩每年3600元"), vec![("3600".into(), "元".into())]);
        assert_eq!(q("最高不超过15万元的贷款"), vec![("15".into(), "万元".into())]);
        assert_eq!(q("补贴５０元/人"), vec![("50".into(), "元/人".into())]);
        assert_eq!(q("价格的 15% ，"), vec![("15".into(), "%".into())]);
        assert_eq!(q("3—12个月"), vec![("3—12".into(), "个月".into())]);
        assert!(q("2019年1月1日起").is_empty());
        assert!(q("《某省2025年实施方案》").is_empty());
        assert_eq!(q("建设50所学校"), vec![("50".into(), "所".into())]);
    }

    #[test]
    fn wan_multiplies_counts_and_measures() {
        let n = Norm::new("示范推广商品有机肥0.35万亩，更新车辆30万辆。");
        let f = collect(&n, &n.lines());
        let got: Vec<String> = f.counts.iter().map(|q| format!("{}{}", n.get(q.value_range.clone()), q.unit)).collect();
        assert_eq!(got, ["0.35万亩", "30万辆"]);
    }

    #[test]
    fn a_blank_contact_field_names_no_one() {
        let n = Norm::new("联系人：联系电话：填报日期");
        assert!(contacts_in(&n, 0..n.text.len()).is_empty());
        let n = Norm::new("地址：填表日期：");
        assert!(contacts_in(&n, 0..n.text.len()).is_empty());
    }

    #[test]
    fn contacts() {
        let n = Norm::new("咨询电话：0591-87654321。联系人：张三");
        let f = collect(&n, &n.lines());
        assert_eq!(f.contacts.len(), 2);
        let n = Norm::new("电子邮箱地址：abc@163.com，书面信函地址：某县某路7号楼512室。");
        let f = collect(&n, &n.lines());
        let texts: Vec<&str> = f.contacts.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["电子邮箱地址：abc@163.com", "地址：某县某路7号楼512室"]);
        let n = Norm::new("（联系人：陈丽云 联系电话：86163983）");
        let f = collect(&n, &n.lines());
        let texts: Vec<&str> = f.contacts.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["联系人：陈丽云", "联系电话：86163983"]);
    }

    #[test]
    fn office_hours_are_part_of_where_to_ask() {
        let n = Norm::new("咨询电话：0591-87654321。办理时间：工作日（周一至周五）上午9:00-12:00；下午13:00-17:00。");
        let f = collect(&n, &n.lines());
        let texts: Vec<&str> = f.contacts.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts[1], "办理时间：工作日（周一至周五）上午9:00-12:00；下午13:00-17:00");
    }
}
