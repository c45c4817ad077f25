//! The 表格 section: a section's [`Table`] (tiers, per-group standards, schedules) as a grid whose columns are
//! sized by their measured content, or, past [`MAX_COLS`] columns, as one line per row (`表头：值；表头：值`).
//!
//! Every cell is its own box: its text is wrapped to the cell's inner width by the same measured line
//! breaking as all other text, a row is as tall as its tallest cell, and the table is cut only between rows.

use serde::Serialize;
use tujie_model::content::Table;

use super::{
    BulletItem, C_ON_PRIMARY, C_PRIMARY, C_TEXT, Ctx, FIT_SLACK, INNER_W, INNER_X, Line, PAGE_W, Part, Rect, Styled,
};
use crate::linebreak;

/// Cell text size and line height.
const SIZE: u32 = 28;
const LH: i32 = 42;
const PAD_X: i32 = 18;
const PAD_Y: i32 = 16;
/// Fewest and most columns drawn as a grid; other tables become lines.
const MIN_COLS: usize = 2;
pub(super) const MAX_COLS: usize = 5;
/// Narrowest column: two characters plus padding, so an empty or tiny column still reads as a column.
const MIN_COL_W: f32 = (2 * SIZE as i32 + 2 * PAD_X) as f32;

/// One cell of a drawn table; `header` cells are shaded in the theme colour, body rows alternate (`band`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableCell {
    pub rect: Rect,
    pub header: bool,
    pub band: bool,
    pub lines: Vec<Line>,
}

/// A thin rule between rows or columns.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rule {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
}

/// Cell texts styled for drawing: the header row (if the table has one) first.
struct Grid {
    header: Option<Vec<Vec<Styled>>>,
    rows: Vec<Vec<Vec<Styled>>>,
}

impl Ctx<'_> {
    /// Lays out `t` from `top` above `limit`; returns the part, its bottom and the body rows placed.
    pub(super) fn table(&mut self, top: i32, t: &Table, what: &str, limit: i32) -> (Part, i32, usize) {
        let ncols = column_count(t);
        let rows = self.cap(&t.rows, what);
        if !(MIN_COLS..=MAX_COLS).contains(&ncols) {
            return self.table_lines(top, t, rows, limit);
        }
        let (caption, mut y) = self.caption(top, &t.caption);
        let grid = self.grid(t, rows, ncols);
        let cols = self.columns(&grid, ncols);
        let frame = self.rect(INNER_X, y, INNER_W, 0);
        let mut cells = Vec::new();
        if let Some(header) = &grid.header {
            let (row, h) = self.table_row(header, &cols, y, true, false);
            cells.extend(row);
            y += h;
        }
        let body_top = y;
        let mut rules = Vec::new();
        let mut placed = 0;
        for (r, texts) in grid.rows.iter().enumerate() {
            let (row, h) = self.table_row(texts, &cols, y, false, r % 2 == 1);
            if y + h > limit {
                break;
            }
            if r > 0 {
                rules.push(Rule { x1: INNER_X, y1: y, x2: INNER_X + INNER_W, y2: y });
            }
            cells.extend(row);
            y += h;
            placed += 1;
        }
        if placed == 0 {
            return (Part::Table { caption: Vec::new(), frame, cells: Vec::new(), rules }, top, 0);
        }
        rules.extend(cols[1..].iter().map(|&(x, _)| Rule { x1: x, y1: body_top, x2: x, y2: y }));
        let mut frame = frame;
        frame.h = y - frame.y;
        (Part::Table { caption, frame, cells, rules }, y, placed)
    }

    /// The caption above a table, centred in bold; returns its lines and the y below it.
    fn caption(&mut self, top: i32, caption: &str) -> (Vec<Line>, i32) {
        let card = self.current_card.clone();
        let text = self.styled(caption, true, 30, C_PRIMARY);
        let (lines, h) = self.lines(&card, &text, PAGE_W / 2, top, INNER_W, 44, "middle");
        (lines, if h > 0 { top + h + 12 } else { top })
    }

    /// Styles every cell: header bold on the theme colour, the first column (condition or group) bold.
    fn grid(&mut self, t: &Table, rows: &[Vec<tujie_model::content::Cell>], ncols: usize) -> Grid {
        let has_header = t.header.iter().any(|c| !c.text.trim().is_empty());
        let header = has_header.then(|| {
            (0..ncols)
                .map(|j| self.styled(t.header.get(j).map_or("", |c| c.text.as_str()), true, SIZE, C_ON_PRIMARY))
                .collect()
        });
        let rows = rows
            .iter()
            .map(|row| {
                (0..ncols)
                    .map(|j| self.styled(row.get(j).map_or("", |c| c.text.as_str()), j == 0, SIZE, C_TEXT))
                    .collect()
            })
            .collect();
        Grid { header, rows }
    }

    /// Column `(x, width)`s filling the inner width, from each column's widest text on one line and its
    /// longest piece between word breaks: of the candidate sharings ([`column_candidates`]), the one whose
    /// table has the fewest lines, then the fewest wrapped cells.
    fn columns(&self, grid: &Grid, ncols: usize) -> Vec<(i32, i32)> {
        let pad = 2.0 * PAD_X as f32 + FIT_SLACK;
        let mut min = vec![MIN_COL_W; ncols];
        let mut max = vec![MIN_COL_W; ncols];
        let mut measured: Vec<Vec<(String, Vec<f32>)>> = Vec::new();
        for row in grid.header.iter().chain(&grid.rows) {
            let mut cells = Vec::with_capacity(ncols);
            for (j, text) in row.iter().enumerate() {
                let widths: Vec<f32> = text.iter().map(|s| self.advance(s)).collect();
                let plain: String = text.iter().map(|s| s.ch).collect();
                let longest =
                    linebreak::segments(&plain).into_iter().map(|r| widths[r].iter().sum::<f32>()).fold(0.0, f32::max);
                min[j] = min[j].max(longest + pad);
                max[j] = max[j].max(widths.iter().sum::<f32>() + pad);
                cells.push((plain, widths));
            }
            measured.push(cells);
        }
        let candidates = column_candidates(&min, &max, INNER_W as f32).into_iter().map(|w| whole_units(&w));
        // (lines of the table, cells wrapped): the table's height first, then as few broken cells as may be.
        let cost = |cols: &Vec<(i32, i32)>| -> (usize, usize) {
            let cell_lines = |(plain, widths): &(String, Vec<f32>), w: i32| {
                super::shape_paragraph(plain, widths, (w - 2 * PAD_X) as f32 - FIT_SLACK, true).len()
            };
            let mut total = (0, 0);
            for row in &measured {
                let counts: Vec<usize> = row.iter().zip(cols).map(|(c, &(_, w))| cell_lines(c, w)).collect();
                total.0 += counts.iter().copied().max().unwrap_or(0);
                total.1 += counts.iter().filter(|&&n| n > 1).count();
            }
            total
        };
        // `min_by_key` keeps the first of equals: the even sharing.
        candidates.min_by_key(cost).expect("at least one candidate")
    }

    /// One row of cells at `y`, every cell as tall as the tallest, texts centred in both directions.
    fn table_row(
        &mut self,
        texts: &[Vec<Styled>],
        cols: &[(i32, i32)],
        y: i32,
        header: bool,
        band: bool,
    ) -> (Vec<TableCell>, i32) {
        let mut cells = Vec::with_capacity(cols.len());
        let mut heights = Vec::with_capacity(cols.len());
        for (text, &(x, w)) in texts.iter().zip(cols) {
            let rect = self.rect(x, y, w, 0);
            let (lines, h) = self.lines(&rect.id, text, x + w / 2, y + PAD_Y, w - 2 * PAD_X, LH, "middle");
            cells.push(TableCell { rect, header, band, lines });
            heights.push(h);
        }
        let inner = heights.iter().copied().max().unwrap_or(0).max(LH);
        for (cell, h) in cells.iter_mut().zip(heights) {
            cell.rect.h = inner + 2 * PAD_Y;
            let dy = (inner - h) / 2;
            for l in &mut cell.lines {
                l.y += dy;
            }
        }
        (cells, inner + 2 * PAD_Y)
    }

    /// A table too wide for a grid: one bulleted line per row, `表头：值；表头：值`.
    fn table_lines(
        &mut self,
        top: i32,
        t: &Table,
        rows: &[Vec<tujie_model::content::Cell>],
        limit: i32,
    ) -> (Part, i32, usize) {
        let (caption, mut y) = self.caption(top, &t.caption);
        let card = self.current_card.clone();
        let mut items = Vec::new();
        let mut placed = 0;
        for row in rows {
            let text = self.row_as_line(t, row);
            let (lines, h) = self.lines(&card, &text, INNER_X + 32, y, INNER_W - 32, 52, "start");
            if y + h > limit {
                break;
            }
            placed += 1;
            if !lines.is_empty() {
                items.push(BulletItem { cx: INNER_X + 10, cy: y + 26, lines });
                y += h + 14;
            }
        }
        if placed == 0 {
            return (Part::TableLines { caption: Vec::new(), items }, top, 0);
        }
        (Part::TableLines { caption, items }, y - 14, placed)
    }

    /// `表头：值；表头：值` with the headers in bold theme colour; empty cells are left out.
    fn row_as_line(&mut self, t: &Table, row: &[tujie_model::content::Cell]) -> Vec<Styled> {
        let mut out: Vec<Styled> = Vec::new();
        for (j, cell) in row.iter().enumerate() {
            let value = self.styled(&cell.text, false, 32, C_TEXT);
            if value.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.extend(self.styled("；", false, 32, C_TEXT));
            }
            let head = self.styled(t.header.get(j).map_or("", |c| c.text.as_str()), true, 32, C_PRIMARY);
            if !head.is_empty() {
                out.extend(head);
                out.extend(self.styled("：", true, 32, C_PRIMARY));
            }
            out.extend(value);
        }
        out
    }
}

/// Columns of `t`: the header's or the longest row's, whichever is more.
fn column_count(t: &Table) -> usize {
    t.rows.iter().map(Vec::len).chain([t.header.len()]).max().unwrap_or(0)
}

/// `(x, width)` in whole units from `INNER_X`, rounded up so that a column measured to fit its text on one line
/// still does; the widest column takes what rounding left, so that the table is exactly `INNER_W` wide.
fn whole_units(widths: &[f32]) -> Vec<(i32, i32)> {
    let widest = (0..widths.len()).max_by(|&a, &b| widths[a].total_cmp(&widths[b])).unwrap_or(0);
    let mut whole: Vec<i32> = widths.iter().map(|w| w.ceil() as i32).collect();
    whole[widest] = INNER_W - whole.iter().enumerate().filter(|&(j, _)| j != widest).map(|(_, w)| w).sum::<i32>();
    let mut x = INNER_X;
    whole
        .into_iter()
        .map(|w| {
            x += w;
            (x - w, w)
        })
        .collect()
}

/// Ways to give columns whose content needs at least `min` and at most `max` (on one line) the width `avail`.
/// When every column fits on one line there is one: each gets the same extra. When even the minimums do not
/// fit there is one: they shrink in proportion (and long pieces break between characters). Otherwise every
/// column starts at its minimum and the space left is handed out narrowest need first, each column taking
/// what it could use, either up to an even share of what is still left (so that the long columns keep some)
/// or in full (so that short cells such as a price band or `补贴15%` stay on one line).
pub(super) fn column_candidates(min: &[f32], max: &[f32], avail: f32) -> Vec<Vec<f32>> {
    let n = min.len();
    let (smin, smax): (f32, f32) = (min.iter().sum(), max.iter().sum());
    if smax <= avail {
        return vec![max.iter().map(|m| m + (avail - smax) / n as f32).collect()];
    }
    if smin > avail {
        return vec![min.iter().map(|lo| avail * lo / smin).collect()];
    }
    vec![hand_out(min, max, avail, true), hand_out(min, max, avail, false)]
}

/// Minimums plus the rest of `avail` handed out narrowest need first; see [`column_candidates`].
fn hand_out(min: &[f32], max: &[f32], avail: f32, even_share: bool) -> Vec<f32> {
    let n = min.len();
    let need = |j: usize| max[j] - min[j];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| need(a).total_cmp(&need(b)));
    let mut widths = min.to_vec();
    let mut rest = avail - min.iter().sum::<f32>();
    for (k, &j) in order.iter().enumerate() {
        let cap = if even_share && k + 1 < n { rest / (n - k) as f32 } else { rest };
        let give = need(j).min(cap);
        widths[j] += give;
        rest -= give;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_that_fit_share_the_extra_evenly() {
        assert_eq!(column_candidates(&[100.0, 100.0], &[200.0, 500.0], 900.0), [[300.0, 600.0]]);
    }

    #[test]
    fn narrow_columns_get_what_they_need_first() {
        // 300 to hand out among needs 60, 400, 500: 60 first, then an even share each, or all to the next.
        let c = column_candidates(&[100.0; 3], &[160.0, 500.0, 600.0], 600.0);
        assert_eq!(c, [[160.0, 220.0, 220.0], [160.0, 340.0, 100.0]]);
        // Every candidate fills the width exactly.
        assert!(c.iter().all(|w| (w.iter().sum::<f32>() - 600.0).abs() < 1e-3));
    }

    #[test]
    fn minimums_past_the_width_shrink_in_proportion() {
        assert_eq!(column_candidates(&[400.0, 800.0], &[500.0, 900.0], 600.0), [[200.0, 400.0]]);
    }
}
