//! The Markdown report: title, the counting rules, then the three tables.

use super::{Cell, Table, preamble, tables, title};
use crate::figures::Report;

pub fn markdown(r: &Report) -> String {
    let mut out = format!("# {}\n\n", title(r));
    for line in preamble(r) {
        out.push_str(&format!("{line}\n\n"));
    }
    for t in tables(r) {
        out.push_str(&table(&t));
    }
    out
}

pub(super) fn table(t: &Table) -> String {
    let mut out = format!("## {}\n\n", t.title);
    if t.rows.is_empty() {
        out.push_str("无。\n\n");
        return out;
    }
    out.push_str(&format!("| {} |\n", t.header.join(" | ")));
    out.push_str(&format!("|{}\n", " --- |".repeat(t.header.len())));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    out
}

/// A cell's text with the characters that would break a Markdown table escaped.
fn cell(c: &Cell) -> String {
    c.text().replace('|', "\\|").replace(['\n', '\r'], " ")
}
