//! Dates worth a place on the timeline, each labelled with the clause it sits in (part of the select pass).
//!
//! A period written `甲至乙` is one entry; a date mentioned twice is one entry, the mention that sets a deadline
//! (`前`, `起`, `止`) winning; dates in the preamble are history unless they start or end something; dates inside
//! 《titles》 are names. When there are more dates than fit, deadline-like ones are kept first.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use tujie_model::{DateItem, Span};

use super::candidates::{pieces_bullet, whole};
use crate::TextConfig;
use crate::clauses;
use crate::dates::{DateMention, DatePrecision};
use crate::facts::{self, Facts};
use crate::normalize::Norm;

static DEADLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"前|截止|起|止|完成|施行|实施|发放|申领|申请").expect("deadline regex"));

/// Suffixes that make a date a start or an end.
const EDGE: &str = "以之前起来后止";

/// Timeline entries with the source range of their labels, in source order.
pub fn dates(
    norm: &Norm,
    facts: &Facts,
    cfg: &TextConfig,
    content: Range<usize>,
    preamble_end: usize,
) -> Vec<(DateItem, Range<usize>)> {
    let text = &norm.text;
    let titles = facts::title_ranges(text);
    let ds: Vec<&DateMention> = facts
        .dates
        .iter()
        .filter(|d| content.start <= d.range.start && d.range.end <= content.end)
        .filter(|d| d.precision != DatePrecision::Year || d.text.ends_with(['前', '起', '止']))
        // Dates in the preamble are history unless they start or end something.
        .filter(|d| d.range.start >= preamble_end || d.text.ends_with(['前', '起', '止']))
        .filter(|d| !titles.iter().any(|t| t.contains(&d.range.start)))
        .filter(|d| !signs(text, d) && !births(text, d))
        .collect();
    let lines = norm.lines();
    let all: Vec<Range<usize>> = ds.iter().map(|d| d.range.clone()).collect();
    let mut items: Vec<(DateItem, i32, Range<usize>)> = Vec::new();
    let mut i = 0;
    while i < ds.len() {
        let d = ds[i];
        let mut range = d.range.clone();
        // `2019年1月1日至2020年12月31日` is one period.
        if let Some(e) = ds.get(i + 1)
            && matches!(&text[d.range.end..e.range.start], "至" | "到" | "—" | "-" | "~" | "～")
        {
            range = d.range.start..e.range.end;
            i += 1;
        }
        i += 1;
        let date = norm.get(range.clone()).to_string();
        let core = date.trim_end_matches(|c: char| EDGE.contains(c)).to_string();
        if let Some(pos) =
            items.iter().position(|(x, _, _)| x.date.trim_end_matches(|c: char| EDGE.contains(c)) == core)
        {
            // Keep one entry per date; a later mention that sets a deadline replaces a plain one.
            if date.len() != core.len() && items[pos].0.date == core {
                items.remove(pos);
            } else {
                continue;
            }
        }
        let Some((label, mut spans, label_range)) = label(norm, &lines, &range, &all, cfg.max_bullet_chars) else {
            continue;
        };
        let score = i32::from(DEADLINE.is_match(norm.get(label_range.clone()))) * 2
            + i32::from(d.precision == DatePrecision::Day);
        spans.insert(0, norm.span(range.clone()));
        spans.dedup();
        items.push((DateItem { date, label, spans }, score, label_range));
    }
    keep_best(items, cfg.max_dates)
}

/// Whether a date signs the text rather than sets a time: a plain day right after an issuing body's name, as six
/// fixture pages (their signature run into the body with the page's 来源 bar) write it. That date is the
/// subtitle's; on the timeline it is no event.
fn signs(text: &str, d: &DateMention) -> bool {
    let opens_period = ["至", "到", "—", "-", "~", "～"].iter().any(|w| text[d.range.end..].starts_with(w));
    d.precision == DatePrecision::Day
        && !d.text.ends_with(|c: char| EDGE.contains(c))
        && !opens_period
        && crate::normalize::ends_with_organ(text[..d.range.start].trim_end())
}

/// Whether a date bounds when someone was born (`2019年8月31日前出生`, `2016年1月1日以后出生的二孩`, `2022年9月1日至
/// 2023年8月31日期间出生`): an age condition of who qualifies, not an event (seven fixture documents: 育儿补贴, 幼儿园
/// 招生, 公租房 老龄优先, four 二孩/三孩 housing subsidies).
fn births(text: &str, d: &DateMention) -> bool {
    static BORN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:至|到|—|-)[\d年月日]{2,12})?(?:（含）)?(?:以前|之前|以后|之后|及之后|前|后|起|期间)?(?:（含）)?的?出生")
            .expect("born regex")
    });
    BORN.is_match(&text[d.range.end..])
}

/// The label of a date: its whole sentence when that fits `max` chars and holds no other date of the timeline;
/// else its clause, with a neighbour when the clause is little more than the date or when the clause before fits
/// too, shortened to `max` chars. (`本办法自2023年3月16日起施行，有效期至2027年12月31日`: each date is labelled by
/// its own clause, not both by the same sentence.)
fn label(
    norm: &Norm,
    lines: &[Range<usize>],
    range: &Range<usize>,
    dates: &[Range<usize>],
    max: usize,
) -> Option<(String, Vec<Span>, Range<usize>)> {
    let mut line =
        lines.iter().find(|l| l.start <= range.start && range.end <= l.end).cloned().unwrap_or(range.clone());
    line.start += crate::outline::item_mark_len(norm.get(line.clone()));
    let sent = clauses::sentences(norm, line).into_iter().find(|s| s.start <= range.start && range.end <= s.end)?;
    let cls = clauses::clauses(norm, sent);
    let k = cls.iter().position(|(c, _)| c.start <= range.start && range.end <= c.end)?;
    let mut label = cls[k].0.clone();
    let rest_len = clauses::chars(norm, &label) - norm.get(range.clone()).chars().count();
    let fits = |r: Range<usize>| clauses::chars(norm, &r) <= max;
    let whole_sentence = cls[0].0.start..cls[cls.len() - 1].0.end;
    // Another date of the timeline inside `r` (not the labelled one).
    let dated = |r: &Range<usize>| {
        dates.iter().any(|d| r.start <= d.start && d.end <= r.end && (d.end <= range.start || d.start >= range.end))
    };
    // A neighbouring clause that fits beside the label and holds no other date.
    let joins = |r: Range<usize>, n: &Range<usize>| fits(r) && !dated(n);
    if cls.len() > 1 && fits(whole_sentence.clone()) && !dated(&whole_sentence) {
        // A short sentence is its own best label: what follows the dated clause is often what happens on the date
        // (`2025年12月1日起生育津贴由参保职工本人申请，直接发放至个人`).
        label = whole_sentence;
    } else if rest_len < 6 {
        // The clause is little more than the date: take its neighbour for meaning, the one after it shortened
        // when it is long (`2023年7月27日，上海市绿化市容行业…发布…`: what happened on the date).
        if let Some((n, _)) = cls.get(k + 1).filter(|(n, _)| joins(label.start..n.end, n)) {
            label = label.start..n.end;
        } else if k > 0 && joins(cls[k - 1].0.start..label.end, &cls[k - 1].0) {
            label = cls[k - 1].0.start..label.end;
        } else if let Some((n, _)) = cls.get(k + 1).filter(|(n, _)| !dated(n)) {
            label = label.start..n.end;
        }
    } else if k > 0 && joins(cls[k - 1].0.start..label.end, &cls[k - 1].0) {
        label = cls[k - 1].0.start..label.end;
    }
    // A clause that continues the one before it (`…网签备案，但在6月1日至12月31日撤销合同…的`) is read with it,
    // even when that one holds another date.
    if label.start == cls[k].0.start
        && k > 0
        && crate::faithful::continues_a_clause(norm.get(label.clone()))
        && !["并", "且"].iter().any(|w| norm.get(label.clone()).starts_with(w))
        && fits(cls[k - 1].0.start..label.end)
    {
        label = cls[k - 1].0.start..label.end;
    }
    // `并…前报送` as a date's label: the date says what follows it, not the clause before, so the joining word goes.
    for w in ["并", "且"] {
        if norm.get(label.clone()).starts_with(w) && label.start + w.len() < range.start {
            label.start += w.len();
        }
    }
    let mut pieces = if clauses::chars(norm, &label) > max {
        clauses::shorten_clause(norm, label.clone(), max)?
    } else {
        whole(label.clone())
    };
    // A label shows its date: when shortening kept the other end of a long clause (an unclosed aside after
    // `网报时间2024年5月27日8: 00至…17: 00(…`), the clause up to the date is the label.
    let shows_date = pieces.parts.iter().any(|(r, _)| r.start <= range.start && range.end <= r.end);
    if !shows_date && fits(cls[k].0.start..range.end) {
        label = cls[k].0.start..range.end;
        pieces = whole(label.clone());
    }
    // A line that is the date alone (`三、申请时间` · `2025年3月1日至3月31日。`) is labelled by its heading.
    if clauses::chars(norm, &label) < norm.get(range.clone()).chars().count() + 2
        && let Some(h) = heading_before(norm, lines, range)
    {
        return Some((norm.get(h.clone()).to_string(), vec![norm.span(h.clone())], h));
    }
    let (text, spans) = pieces_bullet(norm, &pieces);
    Some((text, spans, label))
}

/// The short heading naming a time on the line right before the line of `range` (`申请时间` of `三、申请时间`),
/// without its marker.
fn heading_before(norm: &Norm, lines: &[Range<usize>], range: &Range<usize>) -> Option<Range<usize>> {
    let at = lines.iter().position(|l| l.start <= range.start && range.end <= l.end)?;
    let mut h = lines.get(at.checked_sub(1)?)?.clone();
    h.start += crate::outline::item_mark_len(norm.get(h.clone()));
    let t = norm.get(h.clone()).trim_end_matches(['：', ':']);
    // A heading that names a time (`报名时间`, `受理期限`); a table's cell before a date (`各街镇`) names no event.
    let names_time = ["时间", "日期", "期限", "时限", "期间"].iter().any(|w| t.ends_with(w));
    let short = (2..=12).contains(&t.chars().count());
    (short && names_time && !t.contains(|c: char| c.is_ascii_digit() || "。，；".contains(c)))
        .then(|| h.start..h.start + t.len())
}

/// At most `max` items, deadline-like ones first, in source order.
fn keep_best(items: Vec<(DateItem, i32, Range<usize>)>, max: usize) -> Vec<(DateItem, Range<usize>)> {
    let keep: HashSet<usize> = if items.len() > max {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        idx.sort_by(|&a, &b| items[b].1.cmp(&items[a].1).then(a.cmp(&b)));
        idx.into_iter().take(max).collect()
    } else {
        (0..items.len()).collect()
    };
    items.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, x)| (x.0, x.2)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<(String, String)> {
        let n = Norm::new(text);
        let lines = n.lines();
        let f = facts::collect(&n, &lines);
        dates(&n, &f, &TextConfig::default(), 0..n.text.len(), 0).into_iter().map(|(d, _)| (d.date, d.label)).collect()
    }

    #[test]
    fn a_period_is_one_entry_with_its_clause() {
        let it = items("申报时间为2024年6月1日至2024年6月30日，逾期不予受理。");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].0, "2024年6月1日至2024年6月30日");
        assert!(it[0].1.contains("申报时间"), "{it:?}");
    }

    /// Two dates of one sentence are each labelled by their own clause, never both by the whole sentence.
    #[test]
    fn dates_of_one_sentence_keep_their_own_clauses() {
        let it = items("本办法自2023年3月16日起施行，有效期至2027年12月31日。");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].1, "本办法自2023年3月16日起施行");
        assert_eq!(it[1].1, "有效期至2027年12月31日");
        // A sentence with one date is still its label.
        let it = items("2025年12月1日起生育津贴由本人申请，直接发放至个人。");
        assert!(it[0].1.contains("直接发放至个人"), "{it:?}");
    }

    /// A date that opens a long sentence is labelled with what happened on it, shortened, not by itself.
    #[test]
    fn a_bare_date_takes_the_clause_after_it() {
        let it = items(
            "2023年7月27日，本市绿化市容行业工会与本市园林绿化行业协会就绿化养护行业月最低工资标准、一线职工工资增长指导线、加强职工技能培训、改善职工作业休息条件等多项事项进行了集体协商。",
        );
        assert_eq!(it.len(), 1, "{it:?}");
        assert!(it[0].1.starts_with("2023年7月27日，本市绿化市容行业工会"), "{it:?}");
    }

    /// A line that is the date alone is labelled by the heading above it when that names a time.
    #[test]
    fn a_date_alone_under_a_time_heading_is_labelled_by_the_heading() {
        let it = items("一、报名对象\n本区户籍适龄儿童。\n二、报名时间\n2014年11月13日至11月26日。");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].1, "报名时间");
        // A cell before a date in a flattened table names no event.
        let it = items("各街镇\n2019年3月底前。");
        assert_ne!(it.first().map(|i| i.1.as_str()), Some("各街镇"));
    }

    #[test]
    fn a_signature_is_no_event() {
        let it = items(
            "方案征集时间：2023年4月18日至4月25日。联系人：周小姐 23136852 某区社会事业局 2023年4月18日 来源：某区社会事业局",
        );
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].0, "2023年4月18日至4月25日");
    }

    #[test]
    fn a_deadline_mention_replaces_a_plain_one() {
        let it = items("2024年6月1日召开会议。请于2024年6月1日前提交材料。");
        assert_eq!(it.len(), 1, "{it:?}");
        assert!(it[0].0.ends_with('前'), "{it:?}");
    }
}
