//! Tables written one cell per line whose rows open with a name and go on with numbers only, where the header does
//! not have one line per column: the names' column has no heading, a row's name may take two lines (`小麦完全` ·
//! `成本`), and a heading of two rows puts its second row after the first (`中央财政` · `省级财政` · `农户承担` · `补贴`
//! · `补贴` · `比例`: the short lines complete the ones before them, `中央财政补贴` … `农户承担比例`).
//! Seen in a township's table of insurance premiums and cost shares by crop (a page's `<table>` copied as text); the
//! rows of names and numbers are those of the district and township tables [`super`] reads. A township's sewage
//! assessment table, whose rowspans leave rows of different widths, is still no table.
//!
//! A header of 2 or more lines (short names, brackets allowed: `保险金额（/亩、头）`), then at least two rows, each a
//! name of one or two lines and the same number of number cells (at least two), is a table when the header folds to
//! one heading per number column, with or without one for the names.

use std::ops::Range;

use tujie_model::{Cell, Span, Table};

use super::super::MAX_PAGE_ROWS;
use crate::normalize::Norm;

/// Longest header or name line, in characters.
const MAX_NAME_CHARS: usize = 16;
/// Longest line of a heading's second row (`补贴`, `比例`).
const MAX_SECOND_ROW_CHARS: usize = 3;
/// Most number columns.
const MAX_NUMBER_COLUMNS: usize = 10;

/// The table whose header starts at line `i`, with its range and the number of lines it takes. The header run may
/// reach into the first row's name (`小麦`), so shorter headers are tried too.
pub(super) fn table_at(norm: &Norm, lines: &[Range<usize>], i: usize) -> Option<(Table, Range<usize>, usize)> {
    let text = |k: usize| norm.get(lines[k].clone());
    // A header starts after a line that is none of it: a run started inside it reads its tail as the header.
    if i > 0 && is_name(text(i - 1)) {
        return None;
    }
    let run = (i..lines.len()).take_while(|&k| is_name(text(k))).take(2 * MAX_NUMBER_COLUMNS + 2).count();
    (2..=run).rev().find_map(|width| {
        let rows = rows(norm, &lines[i + width..]);
        let numbers = rows.first()?.1.len();
        let header = header(norm, &lines[i..i + width], numbers)?;
        let used = width + rows.iter().map(|(name, values)| name.len() + values.len()).sum::<usize>();
        let range = lines[i].start..lines[i + used - 1].end;
        let cells = rows
            .iter()
            .map(|(name, values)| {
                std::iter::once(joined(norm, name))
                    .chain(values.iter().map(|v| joined(norm, std::slice::from_ref(v))))
                    .collect()
            })
            .collect();
        Some((Table { caption: super::caption(norm, lines, i), header, rows: cells }, range, used))
    })
}

/// One row's lines: its name (one or two lines) and its number cells.
type Row = (Vec<Range<usize>>, Vec<Range<usize>>);

/// The rows from the start of `lines`: a name of one or two lines, then number cells, as many in every row (at
/// least two), up to [`MAX_PAGE_ROWS`]; none unless there are two rows.
fn rows(norm: &Norm, lines: &[Range<usize>]) -> Vec<Row> {
    let text = |l: &Range<usize>| norm.get(l.clone());
    let mut out: Vec<Row> = Vec::new();
    let mut at = 0;
    while out.len() < MAX_PAGE_ROWS {
        let name = lines[at..].iter().take_while(|l| is_name(text(l))).take(3).count();
        let values = lines[at + name..].iter().take_while(|l| is_number(text(l))).take(MAX_NUMBER_COLUMNS + 1).count();
        let same = out.first().is_none_or(|(_, v)| v.len() == values);
        if !(1..=2).contains(&name) || !(2..=MAX_NUMBER_COLUMNS).contains(&values) || !same {
            break;
        }
        out.push((lines[at..at + name].to_vec(), lines[at + name..at + name + values].to_vec()));
        at += name + values;
    }
    if out.len() < 2 { Vec::new() } else { out }
}

/// The header of `numbers` number columns and a names' column from its lines: one per column, or with a second
/// row that completes the lines before it, and `项目` over the names when the header has none for them.
fn header(norm: &Norm, lines: &[Range<usize>], numbers: usize) -> Option<Vec<Cell>> {
    let texts: Vec<&str> = lines.iter().map(|l| norm.get(l.clone())).collect();
    let second = second_row(&texts);
    let mut cells: Vec<Cell> = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        match &second {
            Some(r) if r.contains(&k) => {}
            Some(r) if (r.start - r.len()..r.start).contains(&k) => {
                cells.push(joined(norm, &[l.clone(), lines[k + r.len()].clone()]));
            }
            _ => cells.push(joined(norm, std::slice::from_ref(l))),
        }
    }
    if cells.len() == numbers {
        cells.insert(0, Cell::new("项目", Vec::new()));
    }
    let distinct = cells.iter().enumerate().all(|(a, c)| cells[..a].iter().all(|b| b.text != c.text));
    (cells.len() == numbers + 1 && distinct).then_some(cells)
}

/// The lines of a heading's second row: the one run of two or more short lines after the first line, no longer
/// than the lines before it, when there is exactly one.
fn second_row(texts: &[&str]) -> Option<Range<usize>> {
    let short = |t: &&str| t.chars().count() <= MAX_SECOND_ROW_CHARS;
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (k, t) in texts.iter().enumerate().skip(1) {
        match runs.last_mut() {
            Some(r) if short(t) && r.end == k => r.end = k + 1,
            _ if short(t) => runs.push(k..k + 1),
            _ => {}
        }
    }
    runs.retain(|r| r.len() >= 2);
    match runs.as_slice() {
        [r] if r.start >= r.len() && texts[r.start - r.len()..r.start].iter().all(|t| !short(t)) => Some(r.clone()),
        _ => None,
    }
}

/// One cell of the text of `lines` run together, with a span for each.
fn joined(norm: &Norm, lines: &[Range<usize>]) -> Cell {
    let text: String = lines.iter().map(|l| norm.get(l.clone())).collect();
    let spans: Vec<Span> = lines.iter().map(|l| norm.span(l.clone())).collect();
    Cell::new(text, spans)
}

/// Whether a line can be a header cell or a row's name: short, without digits or sentence punctuation, not a list
/// item; brackets may give a unit (`自交保费（元/亩、头）`).
fn is_name(t: &str) -> bool {
    (2..=MAX_NAME_CHARS).contains(&t.chars().count())
        && !t.contains(|c: char| c.is_ascii_digit() || "，。；：:|".contains(c))
        && crate::outline::marker_of(t).is_none()
}

/// Whether a line is one number cell: `367`, `16.515`, `4.5%`, `18.00`, or `--` for none.
fn is_number(t: &str) -> bool {
    let digits = t.strip_suffix('%').unwrap_or(t);
    let number = !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    number || (!t.is_empty() && t.chars().all(|c| "-—－–".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str) -> Vec<Vec<Vec<String>>> {
        let n = Norm::new(text);
        let lines = n.lines();
        let texts = |r: &[Cell]| r.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
        (0..lines.len())
            .filter_map(|i| table_at(&n, &lines, i))
            .take(1)
            .map(|(t, _, _)| std::iter::once(texts(&t.header)).chain(t.rows.iter().map(|r| texts(r))).collect())
            .collect()
    }

    /// Names without a heading and of two lines, and a heading of two rows.
    #[test]
    fn rows_of_a_name_and_numbers_make_a_table() {
        let t = tables(
            "保险金额（元/亩）\n保费\n县级财政\n农户承担\n补贴\n比例\n玉米\n400\n20\n30%\n20%\n玉米完全\n成本\n900\n45\n25%\n30%\n以上为2023年标准。",
        );
        assert_eq!(t[0][0], ["项目", "保险金额（元/亩）", "保费", "县级财政补贴", "农户承担比例"]);
        assert_eq!(t[0][1], ["玉米", "400", "20", "30%", "20%"]);
        assert_eq!(t[0][2], ["玉米完全成本", "900", "45", "25%", "30%"]);
    }

    /// Rows of different widths, or a header that does not fold to the number columns, are no table.
    #[test]
    fn uneven_rows_or_headers_are_no_table() {
        assert!(tables("品种\n保额\n保费\n玉米\n400\n20\n大豆\n300").is_empty());
        assert!(tables("品种\n保额\n保费\n费率\n备注\n玉米\n400\n20\n大豆\n300\n15").is_empty());
    }
}
