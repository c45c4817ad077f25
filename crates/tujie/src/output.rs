//! Printing rows as JSON Lines or as an aligned table for people.

use std::io::Write;

use serde::Serialize;

/// Writes one JSON object per line.
pub fn jsonl<T: Serialize>(rows: &[T]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for row in rows {
        serde_json::to_writer(&mut out, row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Widest table a terminal is assumed to show without wrapping.
pub const TABLE_COLUMNS: usize = 120;

/// Columns between two cells.
const GAP: usize = 2;

/// Narrowest a column is squeezed to when the table is too wide.
const MIN_COLUMN: usize = 8;

/// Writes a table with a header; columns are padded by display width (CJK characters count as two) and the
/// widest columns are cut (ending in `…`) until the table fits [`TABLE_COLUMNS`].
pub fn table(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(render_table(header, rows, TABLE_COLUMNS).as_bytes())?;
    Ok(())
}

/// The text of [`table`], at most `max` columns wide where every column can shrink to [`MIN_COLUMN`].
fn render_table(header: &[&str], rows: &[Vec<String>], max: usize) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let gaps = GAP * widths.len().saturating_sub(1);
    while widths.iter().sum::<usize>() + gaps > max {
        let Some(widest) = widths.iter_mut().filter(|w| **w > MIN_COLUMN).max_by_key(|w| **w) else { break };
        *widest -= 1;
    }
    let mut text = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let cell = clip_width(cell, *w);
            l.push_str(&cell);
            if i + 1 < cells.len() {
                l.push_str(&" ".repeat(w - width(&cell) + GAP));
            }
        }
        text.push_str(l.trim_end());
        text.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    text
}

/// `s` cut to at most `max` display columns, ending in `…` when cut.
fn clip_width(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Terminal display width: East Asian wide characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2000..=0x206F) { 2 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_table_fits_the_terminal() {
        let header = ["policy_id", "status", "title", "interpretations", "draft_id or why none"];
        let row = vec![
            "d-e2c914e3e5d1".to_owned(),
            "text_only".to_owned(),
            "平潭综合实验区管委会关于城乡居民社会养老保险制度一体化的实施办法".to_owned(),
            "text doc_number 0.97; chart quoted_title 0.91; video body_subject 0.88".to_owned(),
            "正文为空：事件既没有 body_text 也没有 body_html，抓取也没有取回正文".to_owned(),
        ];
        let text = render_table(&header, &[row.clone(), row], TABLE_COLUMNS);
        for line in text.lines() {
            assert!(width(line) <= TABLE_COLUMNS, "{} columns: {line}", width(line));
        }
        assert!(text.lines().nth(1).unwrap().starts_with("d-e2c914e3e5d1  text_only  平潭"), "{text}");
        assert!(text.contains('…'), "long cells are cut visibly: {text}");
    }

    #[test]
    fn a_narrow_table_is_left_alone() {
        let text = render_table(&["a", "b"], &[vec!["一二".into(), "x".into()]], TABLE_COLUMNS);
        assert_eq!(text, "a     b\n一二  x\n");
    }
}
