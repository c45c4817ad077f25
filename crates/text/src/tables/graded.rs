//! Grades whose benefit is written in words for some of them: consecutive provisions that each state a condition,
//! then what it gets, where at least one grade gets a benefit in words (`全额补贴`, `不予补贴`) and the others an
//! amount. Seen in three fixture documents:
//! - `考核为优秀的住宅小区按照基本补贴资金总额予以全额补贴；考核为达标的住宅小区按照基本补贴资金总额的80%予以补贴；
//!   …；考核为不达标的住宅小区不予补贴。` (a township's 物业 subsidy rules, one grade per line);
//! - `完税税率为1%、1.5%的住房,按契税完税额度全额补贴。完税税率为2%、3%的住房,按计税额度的1.5%进行补贴。` (a county's
//!   house-purchase subsidy);
//! - `对…申请的首件（套）辅助器具，实行全额补贴；对申请的第二件（套）辅助器具，补贴60%` (a city's assistive-device
//!   rules).
//!
//! The number-only tier finders ([`super::find`]) need an amount in every row, so these grades lost the ones in
//! words, and with them the table.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use tujie_model::{Cell, Table};

use super::{MAX_CONDITION_CHARS, MAX_ROWS, MEASURE_WORDS, cell, trim};
use crate::clauses;
use crate::compose::frames::WORD_AMOUNT;
use crate::facts::Quantity;
use crate::faithful::fragment_defects;
use crate::normalize::Norm;

/// Words that open what a grade gets, after its condition: `按照…予以`, `按…补贴`, `实行全额补贴`, `不予补贴`, `补贴60%`.
static GETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"按照|按|予以|不予|实行|给予|补贴|补助|奖励").expect("gets regex"));

/// One grade: its condition and what it gets, and whether that is written in words.
struct Grade {
    condition: Range<usize>,
    value: Range<usize>,
    worded: bool,
}

/// Tables of consecutive graded provisions (see the module documentation), in source order with their ranges.
pub(super) fn find(norm: &Norm, lines: &[Range<usize>], amounts: &[&Quantity]) -> Vec<(Table, Range<usize>)> {
    let mut out = Vec::new();
    let mut run: Vec<Grade> = Vec::new();
    for s in lines.iter().flat_map(|l| clauses::sentences(norm, l.clone())) {
        match grade(norm, s, amounts) {
            Some(g) => run.push(g),
            None => out.extend(table(norm, &std::mem::take(&mut run))),
        }
    }
    out.extend(table(norm, &run));
    out
}

/// A sentence as a grade: a condition that holds a `的` (or opens with `对`), then, from the first word that opens
/// a benefit, the clause that states an amount or a benefit in words.
fn grade(norm: &Norm, s: Range<usize>, amounts: &[&Quantity]) -> Option<Grade> {
    let t = norm.get(s.clone());
    // The condition starts after a run-in label (`1.住宅补贴:完税税率为…`).
    let start = t.rfind(['：', ':']).map_or(0, |i| i + t[i..].chars().next().map_or(0, char::len_utf8));
    let de = t[start..].find('的').map(|i| start + i)?;
    let split = de + GETS.find(&t[de..])?.start();
    let clause_end = |from: usize| t[from..].find(['，', ',']).map_or(t.len(), |i| from + i);
    let word = WORD_AMOUNT.find(&t[split..]).map(|m| split + m.start());
    let amount =
        amounts.iter().map(|q| q.range.start).find(|&a| s.start + split <= a && a < s.end).map(|a| a - s.start);
    let (at, worded) = match (word, amount) {
        (Some(w), Some(a)) if a < w => (a, false),
        (Some(w), _) => (w, true),
        (None, Some(a)) => (a, false),
        (None, None) => return None,
    };
    // What it gets is one clause: the benefit's own.
    if t[split..at].contains(['，', ',']) {
        return None;
    }
    let value = s.start + split..s.start + clause_end(at);
    let cond_end = start + t[start..split].trim_end_matches(['，', ',']).len();
    let condition = trim(norm, s.start + start..s.start + cond_end);
    Some(Grade { condition, value, worded })
}

/// The table of a run of grades: 2 to [`MAX_ROWS`] of them with distinct, short conditions that read as phrases,
/// at least one benefit in words, and one measure word (`补贴`) that every benefit names, which heads the column.
fn table(norm: &Norm, run: &[Grade]) -> Option<(Table, Range<usize>)> {
    if !(2..=MAX_ROWS).contains(&run.len()) || !run.iter().any(|g| g.worded) {
        return None;
    }
    let conds: Vec<&str> = run.iter().map(|g| norm.get(g.condition.clone())).collect();
    let ok = conds.iter().enumerate().all(|(i, c)| {
        (2..=MAX_CONDITION_CHARS).contains(&c.chars().count())
            && fragment_defects(c).is_empty()
            && !conds[..i].contains(c)
    });
    let measure = MEASURE_WORDS.iter().find(|m| run.iter().all(|g| norm.get(g.value.clone()).contains(*m)))?;
    if !ok {
        return None;
    }
    let rows = run.iter().map(|g| vec![cell(norm, g.condition.clone()), cell(norm, g.value.clone())]).collect();
    let header = vec![Cell::new("条件", Vec::new()), Cell::new(*measure, Vec::new())];
    let range = run[0].condition.start..run[run.len() - 1].value.end;
    Some((Table { caption: String::new(), header, rows }, range))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables the whole finder draws from `text`.
    fn tables(text: &str) -> Vec<Table> {
        let n = Norm::new(text);
        let lines = n.lines();
        let f = crate::facts::collect(&n, &lines);
        super::super::find(&n, &lines, &f).into_iter().map(|t| t.0).collect()
    }

    fn rows(t: &Table) -> Vec<Vec<&str>> {
        t.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect()).collect()
    }

    #[test]
    fn grades_in_words_and_amounts_make_one_table() {
        let t = tables(
            "评定为优秀的项目按照年度补贴总额予以全额补贴；\n评定为合格的项目按照年度补贴总额的60%予以补贴；\n评定为不合格的项目不予补贴。",
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header[1].text, "补贴");
        assert_eq!(
            rows(&t[0]),
            [
                ["评定为优秀的项目", "按照年度补贴总额予以全额补贴"],
                ["评定为合格的项目", "按照年度补贴总额的60%予以补贴"],
                ["评定为不合格的项目", "不予补贴"]
            ]
        );
    }

    #[test]
    fn a_run_in_label_and_a_comma_before_the_benefit_are_not_the_condition() {
        let t = tables(
            "2.车位补贴：契税税率为1%、1.5%的车位，按已缴契税全额补贴。契税税率为3%的车位，按计税价格的1%给予补贴。",
        );
        assert_eq!(t.len(), 1);
        assert_eq!(
            rows(&t[0]),
            [["契税税率为1%、1.5%的车位", "按已缴契税全额补贴"], ["契税税率为3%的车位", "按计税价格的1%给予补贴"]]
        );
    }

    #[test]
    fn without_a_grade_in_words_there_is_no_graded_table() {
        let norm = Norm::new("考核为优秀的小区按照总额的100%予以补贴；考核为达标的小区按照总额的80%予以补贴。");
        let lines = norm.lines();
        let f = crate::facts::collect(&norm, &lines);
        let amounts: Vec<&Quantity> = f.amounts.iter().chain(&f.percentages).collect();
        assert!(find(&norm, &lines, &amounts).is_empty());
    }
}
