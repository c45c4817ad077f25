//! The 通报 draft: the shape of a county's quarterly notice, every sentence made from the report's data and
//! nothing else (the tool has no opinions; the office edits the draft). An opening paragraph of totals,
//! 一、存在的问题 with one paragraph per unit, then 二、 the figures table. Markdown and DOCX share [`Notice`].

use std::collections::BTreeMap;

use tujie_model::CoverageStatus;

use super::{Cell, Table, tables};
use crate::figures::{PolicyLine, Report};
use crate::freshness::{ColumnFreshness, State};
use crate::timeliness::Timeliness;

/// The notice as structured text.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub title: String,
    pub opening: String,
    /// `（一）单位。` heading and the sentences about it.
    pub units: Vec<(String, String)>,
    pub figures: Table,
}

/// Builds the notice of a report.
pub fn notice(r: &Report) -> Notice {
    let t = &r.total;
    let failing: Vec<&ColumnFreshness> = r.failing_columns().collect();
    let stale = failing.iter().filter(|c| c.state == State::Stale).count();
    let opening = format!(
        "{}至{}，共发布政策文件{}件，已解读{}件，其中多元化解读{}件（多元化比例{}）；同步解读{}件，按时解读{}件，\
         逾期解读{}件，逾期未解读{}件。检查栏目和政务新媒体账号{}个，未及时更新{}个，空白栏目{}个。",
        r.from,
        r.to,
        t.policies,
        t.interpreted,
        t.rich,
        Cell::Ratio(t.rich_ratio).text(),
        t.synchronous,
        t.on_time,
        t.late,
        t.overdue,
        r.columns.iter().filter(|c| c.state != State::Untracked).count(),
        stale,
        failing.len() - stale,
    );
    let mut by_unit: BTreeMap<&str, (Vec<&PolicyLine>, Vec<&ColumnFreshness>)> = BTreeMap::new();
    for p in &r.policies {
        by_unit.entry(p.department.as_str()).or_default().0.push(p);
    }
    for c in &failing {
        let unit = c.unit.as_deref().unwrap_or(c.site.as_str());
        by_unit.entry(unit).or_default().1.push(c);
    }
    let units = by_unit
        .into_iter()
        .enumerate()
        .map(|(i, (unit, (policies, columns)))| {
            (format!("（{}）{unit}。", ordinal(i + 1)), problems(&policies, &columns, r.late_after_working_days))
        })
        .collect();
    let [figures, ..] = tables(r);
    Notice {
        title: format!("关于{}至{}政策解读和网站栏目更新情况的通报（草稿）", r.from, r.to),
        opening,
        units,
        figures: Table { title: "二、各单位情况统计", ..figures },
    }
}

/// The sentences about one unit, in the order of a county notice: columns, then interpretations.
fn problems(policies: &[&PolicyLine], columns: &[&ColumnFreshness], limit: u32) -> String {
    let mut out = Vec::new();
    let blank: Vec<String> = columns.iter().filter(|c| c.state == State::Blank).map(|c| c.place()).collect();
    if !blank.is_empty() {
        out.push(format!("空白栏目{}个：{}。", blank.len(), blank.join("、")));
    }
    let stale: Vec<String> = columns
        .iter()
        .filter(|c| c.state == State::Stale)
        .map(|c| match (c.last, c.days_since) {
            (Some(last), Some(days)) => format!("{}（最近更新{last}，已{days}天）", c.place()),
            _ => c.place(),
        })
        .collect();
    if !stale.is_empty() {
        out.push(format!("未及时更新{}个：{}。", stale.len(), stale.join("、")));
    }
    let late = titled(policies, |p| match p.timeliness {
        Timeliness::Late { working_days } => Some(format!("（{working_days}个工作日）")),
        _ => None,
    });
    if !late.is_empty() {
        out.push(format!("超过{limit}个工作日才发布解读的政策{}件：{}。", late.len(), late.join("、")));
    }
    let overdue = titled(policies, |p| match p.timeliness {
        Timeliness::Overdue { working_days } => Some(format!("（已{working_days}个工作日）")),
        _ => None,
    });
    if !overdue.is_empty() {
        out.push(format!("逾期未解读的政策{}件：{}。", overdue.len(), overdue.join("、")));
    }
    let text_only = titled(policies, |p| (p.status == CoverageStatus::TextOnly).then(String::new));
    if !text_only.is_empty() {
        out.push(format!("仅有文字解读、尚无多元化解读的政策{}件：{}。", text_only.len(), text_only.join("、")));
    }
    if out.is_empty() {
        out.push(format!("本期发布政策{}件，未发现上述问题。", policies.len()));
    }
    out.concat()
}

fn titled(policies: &[&PolicyLine], detail: impl Fn(&PolicyLine) -> Option<String>) -> Vec<String> {
    policies.iter().filter_map(|p| detail(p).map(|d| format!("《{}》{d}", p.title))).collect()
}

/// 一, 二 … 九十九: unit numbers in a notice.
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].into(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The notice as Markdown.
pub fn notice_markdown(r: &Report) -> String {
    let n = notice(r);
    let mut out = format!("# {}\n\n{}\n\n## 一、存在的问题\n\n", n.title, n.opening);
    for (head, body) in &n.units {
        out.push_str(&format!("**{head}**{body}\n\n"));
    }
    out.push_str(&super::markdown::table(&n.figures));
    out
}

#[cfg(test)]
mod tests {
    use super::ordinal;

    #[test]
    fn unit_numbers() {
        assert_eq!(
            [ordinal(1), ordinal(10), ordinal(12), ordinal(20), ordinal(35)],
            ["一", "十", "十二", "二十", "三十五"]
        );
    }
}
