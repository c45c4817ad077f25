//! Tables written one cell per line: a page's `<table>` copied as text, or a crawler's text of it, puts every cell
//! on a line of its own, header first, then each row's cells in order:
//! `区域类别` · `土地使用权基价` · `价格补贴` · `合计` · `一` · `900` · `900` · `1800` · `二` · …
//! Seen in three fixture documents (a district's compensation base prices by region class, a township's weights of
//! its assessing parties in rows numbered by `序号`, and a township's compensation prices per floor, whose header
//! the normaliser joins to its caption, so that it is refused). Read as sentences, the lines were lost: a bare
//! number says nothing.
//!
//! A run of 2 to 6 distinct header lines (short, without digits or punctuation) followed by at least two rows of as
//! many lines, each row with its numbers in the same columns, is a table. A first column of numbers is a `序号`: it
//! counts up by one.

use std::ops::Range;

use tujie_model::{Cell, Table};

use super::{MAX_PAGE_CELL_CHARS, MAX_PAGE_ROWS, cell};
use crate::normalize::Norm;

mod labelled;

/// Longest header cell, in characters.
const MAX_HEADER_CHARS: usize = 12;
/// Most columns.
const MAX_COLUMNS: usize = 6;

/// The tables written one cell per line in `lines`, each with its source range.
pub(super) fn find(norm: &Norm, lines: &[Range<usize>]) -> Vec<(Table, Range<usize>)> {
    let lines: Vec<Range<usize>> = lines.iter().map(|l| without_bar(norm, l.clone())).collect();
    let lines = &lines[..];
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match table_at(norm, lines, i).or_else(|| labelled::table_at(norm, lines, i)) {
            Some((t, range, used)) => {
                out.push((t, range));
                i += used;
            }
            None => i += 1,
        }
    }
    out
}

/// The table whose header starts at line `i`, with its range and the number of lines it takes. A header run may
/// reach into the first row (`层次` · `单价` · `一楼` · `2330`), so shorter headers are tried too.
fn table_at(norm: &Norm, lines: &[Range<usize>], i: usize) -> Option<(Table, Range<usize>, usize)> {
    let text = |k: usize| norm.get(lines[k].clone());
    let run = (i..lines.len()).take_while(|&k| is_header(text(k))).take(MAX_COLUMNS).count();
    (2..=run).rev().find_map(|width| {
        let distinct = (i..i + width).all(|a| (i..a).all(|b| text(a) != text(b)));
        let rows = rows(norm, &lines[i + width..], width);
        if !distinct || rows.len() < 2 {
            return None;
        }
        let cells = |r: &[Range<usize>]| r.iter().map(|l| cell(norm, l.clone())).collect::<Vec<Cell>>();
        let last = i + width + rows.len() * width - 1;
        let table = Table {
            caption: caption(norm, lines, i),
            header: cells(&lines[i..i + width]),
            rows: rows.into_iter().map(cells).collect(),
        };
        Some((table, lines[i].start..lines[last].end, last + 1 - i))
    })
}

/// The rows of `width` lines from the start of `lines`: each cell short, and numbers in the same columns as the
/// first row's (at least one), up to [`MAX_PAGE_ROWS`].
fn rows<'a>(norm: &Norm, lines: &'a [Range<usize>], width: usize) -> Vec<&'a [Range<usize>]> {
    let shape = |row: &[Range<usize>]| -> Option<Vec<bool>> {
        let texts: Vec<&str> = row.iter().map(|l| norm.get(l.clone())).collect();
        let cell = |t: &&str| (1..=MAX_PAGE_CELL_CHARS).contains(&t.chars().count()) && !t.contains('。');
        // A cell opening with an aside is a line the normaliser joined to the next: the columns are off.
        let fits = texts.iter().all(|t| cell(t) && !t.starts_with('（'));
        fits.then(|| texts.iter().map(|t| t.starts_with(|c: char| c.is_ascii_digit())).collect())
    };
    let mut out: Vec<&[Range<usize>]> = Vec::new();
    let mut first: Option<Vec<bool>> = None;
    for row in lines.chunks_exact(width).take(MAX_PAGE_ROWS) {
        let Some(s) = shape(row) else { break };
        // A first column of numbers is a `序号`: it counts the rows.
        let misnumbered = s[0] && leading_number(norm.get(row[0].clone())) != Some(out.len() + 1);
        if !s.iter().any(|n| *n) || first.as_ref().is_some_and(|f| *f != s) || misnumbered {
            break;
        }
        first.get_or_insert(s);
        out.push(row);
    }
    out
}

/// A line without the bar a page's text may close each cell with (`救助对象类别 |`, `90% |`).
fn without_bar(norm: &Norm, l: Range<usize>) -> Range<usize> {
    let t = norm.get(l.clone());
    let kept = t.trim_end_matches(['|', ' ']);
    if kept.len() < t.len() && !kept.is_empty() { l.start..l.start + kept.len() } else { l }
}

/// The number a first cell opens with (`3`, `1.湘西自治州…申请审批表`): a row's 序号.
fn leading_number(t: &str) -> Option<usize> {
    let digits = &t[..t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len())];
    digits.parse().ok()
}

/// What the line before a table's header says of it: the unit of its numbers (`单位：元/平方米`), or, for a heading
/// item (`（一）住院救助标准（含…）`, `（二）常见慢性病和大额普通门诊救助标准如下：`), what the table is. Two tables with
/// the same header (a county's 住院 and 门诊 aid) read as one contradicting the other without theirs.
fn caption(norm: &Norm, lines: &[Range<usize>], i: usize) -> String {
    if let Some(u) = unit_note(norm, lines, i) {
        return u.to_string();
    }
    let Some(before) = i.checked_sub(1).map(|k| norm.get(lines[k].clone())) else { return String::new() };
    let Some((_, len)) = crate::outline::marker_of(before) else { return String::new() };
    let heading = before[len..].trim_end_matches(['：', ':']);
    let heading = heading.strip_suffix("如下").unwrap_or(heading);
    if (2..=40).contains(&heading.chars().count()) && !heading.contains('。') {
        heading.to_string()
    } else {
        String::new()
    }
}

/// The line before the header when it states the unit of the numbers (`单位：元/平方米`): without it a cell of
/// `900` says nothing, so it captions the table.
fn unit_note<'a>(norm: &'a Norm, lines: &[Range<usize>], i: usize) -> Option<&'a str> {
    let t = norm.get(lines.get(i.checked_sub(1)?)?.clone());
    (t.starts_with("单位") && t.chars().count() <= 20).then_some(t)
}

/// Whether a line can be a header cell: a short name, no number, no sentence punctuation, no list marker.
fn is_header(t: &str) -> bool {
    (2..=MAX_HEADER_CHARS).contains(&t.chars().count())
        && !t.contains(|c: char| c.is_ascii_digit() || "，。；：:、（）()|".contains(c))
        && crate::outline::marker_of(t).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str) -> Vec<Vec<Vec<String>>> {
        let n = Norm::new(text);
        let texts = |r: &[Cell]| r.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
        find(&n, &n.lines())
            .into_iter()
            .map(|(t, _)| std::iter::once(texts(&t.header)).chain(t.rows.iter().map(|r| texts(r))).collect())
            .collect()
    }

    #[test]
    fn cells_one_per_line_make_a_table() {
        let t = tables(
            "单位：元/平方米\n区域类别\n基价\n合计\n一\n900\n1800\n二\n800\n1550\n各镇行政区域是指本区的区域范围。",
        );
        assert_eq!(t, [[["区域类别", "基价", "合计"], ["一", "900", "1800"], ["二", "800", "1550"]]]);
        let n = Norm::new("单位：元/平方米\n区域类别\n基价\n一\n900\n二\n800");
        assert_eq!(find(&n, &n.lines())[0].0.caption, "单位：元/平方米");
        // Rows numbered by 序号, numbers in the same columns.
        let t = tables("序号\n考核单位\n权重比例\n1\n第三方\n50%\n2\n房管办\n30%\n分值计算为：第三方考核分×50%。");
        assert_eq!(t[0][1..], [["1", "第三方", "50%"], ["2", "房管办", "30%"]]);
    }

    /// Cells closed by a bar, a first column numbered like list items, and a heading item before the header as the
    /// caption.
    #[test]
    fn barred_cells_numbered_rows_and_a_heading_caption() {
        let t = tables("申请材料 |\n份数 |\n1.申请表 |\n3份 |\n2.身份证 |\n1份 |");
        assert_eq!(t, [[["申请材料", "份数"], ["1.申请表", "3份"], ["2.身份证", "1份"]]]);
        let n = Norm::new("（一）住院救助标准如下：\n对象类别 |\n比例 |\n特困人员 |\n90% |\n低保对象 |\n70% |");
        assert_eq!(find(&n, &n.lines())[0].0.caption, "住院救助标准");
    }

    #[test]
    fn a_header_run_into_the_first_row_is_cut_to_the_rows_width() {
        let t = tables("层次\n单价\n一楼\n2330\n二楼\n2500\n三楼\n2700");
        assert_eq!(t, [[["层次", "单价"], ["一楼", "2330"], ["二楼", "2500"], ["三楼", "2700"]]]);
    }

    #[test]
    fn short_lines_without_numbers_in_columns_are_no_table() {
        assert!(tables("联系人\n联系电话\n张三\n李四\n王五\n赵六").is_empty());
        assert!(tables("类别\n金额\n一类\n900\n二类\n八百元").is_empty());
        // Units repeated over the columns are no header, and a first column of numbers must count rows.
        assert!(tables("吨/日\n吨/日\n1\n吴淞\n2\n宝山").is_empty());
        assert!(tables("序号\n街道\n1\n吴淞\n40\n宝山").is_empty());
    }
}
