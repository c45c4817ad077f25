//! Groups written in brackets after their amounts: `按照所缴纳契税总额80%（二孩）、100%（三孩）给予补贴`, `消费券面额
//! 分别为1000元（消费满5000元可使用）、3000元（消费满10000元可使用）和5000元（…）`, `补贴0.1元/千瓦时（非学校类…用户）、
//! 0.15元/千瓦时（学校用户）`. Two or more amounts in one unit, each followed by its bracket and joined by `、`, `和`,
//! `或` or `及`, are a table: the bracket is the row's group, the words before the first amount in its clause head the
//! values. Seen in three fixture documents (a district's 契税 subsidy by number of children, a county's appliance
//! vouchers by spending threshold, a photovoltaic subsidy by kind of user); the photovoltaic one states old
//! standards (`由…均调整至`), which are no table.
//!
//! A bracket that explains its amount rather than naming a group (`（含）`, `（即每吨…）`, `（其中接尸费…）`,
//! `（每生每学期2500元）`, `（最高不超过…）`) is no row.

use std::ops::Range;

use tujie_model::{Cell, Table};

use super::{MAX_CONDITION_CHARS, MAX_ROWS, bracketed, cell, measure_after};
use crate::facts::{Quantity, rate_after};
use crate::faithful::{fragment_defects, heading_defects};
use crate::normalize::Norm;

/// Words that open a bracket explaining its amount, not naming a group.
const ASIDES: [&str; 16] =
    ["含", "不含", "即", "其中", "每", "最高", "最低", "不", "按", "以", "详见", "见", "同口径", "合", "约", "下同"];

/// Words that join one bracketed amount to the next.
const JOINS: [&str; 4] = ["、", "和", "或", "及"];

/// Tables of bracketed groups in sentence `s` (see the module documentation), with their ranges.
pub(super) fn find(norm: &Norm, s: Range<usize>, amounts: &[&Quantity]) -> Option<(Table, Range<usize>)> {
    let own: Vec<&Quantity> = amounts
        .iter()
        .copied()
        .filter(|q| s.start <= q.range.start && q.range.end <= s.end)
        .filter(|q| !bracketed(norm.get(s.start..q.range.start)))
        .collect();
    let mut rows: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for q in own {
        let next = row(norm, q, s.end);
        let joined =
            rows.last().is_some_and(|(_, g)| JOINS.contains(&norm.get(g.end + '）'.len_utf8()..q.range.start)));
        if next.is_none() || !joined {
            if rows.len() >= 2 {
                break;
            }
            rows.clear();
        }
        rows.extend(next);
    }
    table(norm, s, &rows)
}

/// The value of amount `q` with its rate, and the group in the bracket right after it, when it names one.
fn row(norm: &Norm, q: &Quantity, end: usize) -> Option<(Range<usize>, Range<usize>)> {
    let value = q.range.start..q.range.end + rate_after(norm.get(q.range.end..end));
    let rest = norm.get(value.end..end);
    let inner = rest.strip_prefix('（')?;
    let close = inner.find('）')?;
    let group = &inner[..close];
    let names = (2..=MAX_CONDITION_CHARS).contains(&group.chars().count())
        && !group.contains('（')
        && !ASIDES.iter().any(|w| group.starts_with(w))
        && fragment_defects(group).is_empty();
    let start = value.end + '（'.len_utf8();
    names.then(|| (value, start..start + group.len()))
}

/// The table of a run of bracketed rows: distinct groups, amounts of one unit, and not the old values of a change.
fn table(norm: &Norm, s: Range<usize>, rows: &[(Range<usize>, Range<usize>)]) -> Option<(Table, Range<usize>)> {
    if rows.len() < 2 || rows.len() > MAX_ROWS {
        return None;
    }
    let groups: Vec<&str> = rows.iter().map(|(_, g)| norm.get(g.clone())).collect();
    let unit = |v: &Range<usize>| norm.get(v.clone()).trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let one_unit = rows.iter().all(|(v, _)| unit(v) == unit(&rows[0].0));
    if !one_unit || groups.iter().enumerate().any(|(i, g)| groups[..i].contains(g)) {
        return None;
    }
    let first = &rows[0].0;
    let before = norm.get(s.start..first.start);
    let clause = before.rfind(['，', '；', '：']).map_or(0, |i| i + '，'.len_utf8());
    let lead = &before[clause..];
    // `标准由0.1元/千瓦时（…）、0.15元/千瓦时（…），均调整至…`: the old standards of a change.
    if lead.ends_with('由') || lead.ends_with('从') {
        return None;
    }
    let last = &rows[rows.len() - 1].1;
    let end = last.end + '）'.len_utf8();
    let head_cell = match value_heading(lead) {
        Some((from, h)) => {
            let at = s.start + clause + from;
            Cell::new(h, vec![norm.span(at..at + h.len())])
        }
        // `…、100%（三孩）给予补贴`: the measure written right after the run, else `标准`.
        None => match measure_after(norm, end..s.end) {
            m if m.is_empty() => Cell::new("标准", Vec::new()),
            m => cell(norm, m),
        },
    };
    let cells = rows.iter().map(|(v, g)| vec![cell(norm, g.clone()), cell(norm, v.clone())]).collect();
    let range = first.start..end;
    Some((Table { caption: String::new(), header: vec![Cell::new("类别", Vec::new()), head_cell], rows: cells }, range))
}

/// What the values measure: the words of the clause before the first amount, without `按照` and the seam
/// (`按照所缴纳契税总额` gives `所缴纳契税总额`, `消费券面额分别为` gives `消费券面额`), when they read whole.
fn value_heading(lead: &str) -> Option<(usize, &str)> {
    let t = ["按照", "按"].iter().find_map(|w| lead.strip_prefix(w)).unwrap_or(lead);
    let from = lead.len() - t.len();
    let t = t.strip_suffix("分别为").or_else(|| t.strip_suffix("分别")).unwrap_or(t);
    let t = crate::figures::trim_seam(t);
    ((2..=16).contains(&t.chars().count()) && heading_defects(t).is_empty()).then_some((from, t))
}
