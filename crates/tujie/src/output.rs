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

/// Writes a table with a header; columns are padded by display width (CJK characters count as two).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = std::io::stdout().lock();
    let line = |cells: Vec<&str>, out: &mut dyn Write| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(w - width(cell) + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(header.to_vec(), &mut out)?;
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out)?;
    }
    Ok(())
}

/// Terminal display width: East Asian wide characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2000..=0x206F) { 2 } else { 1 }).sum()
}

/// Shortens `s` to at most `max` characters for table cells.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { s.chars().take(max - 1).chain(['…']).collect() }
}
