//! The 通报 draft as DOCX (docx-rs, written to memory), for the office to edit in a word processor: title,
//! opening paragraph, 一、存在的问题 with a paragraph per unit, and the figures table.

use std::io::Cursor;

use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow};

use super::notice::notice;
use crate::figures::{Report, ReportError};

/// Half-points: 二号 title, 三号 headings, 四号 text, 小五 table cells (the sizes of a Chinese official notice).
const TITLE: usize = 44;
const HEADING: usize = 32;
const TEXT: usize = 28;
const CELL: usize = 18;

pub fn notice_docx(r: &Report) -> Result<Vec<u8>, ReportError> {
    let n = notice(r);
    let mut doc = Docx::new()
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(&n.title, TITLE).bold()))
        .add_paragraph(Paragraph::new().add_run(run(&n.opening, TEXT)))
        .add_paragraph(Paragraph::new().add_run(run("一、存在的问题", HEADING).bold()));
    for (head, body) in &n.units {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(head, TEXT).bold()).add_run(run(body, TEXT)));
    }
    doc = doc.add_paragraph(Paragraph::new().add_run(run(n.figures.title, HEADING).bold()));
    let mut rows = vec![TableRow::new(n.figures.header.iter().map(|h| cell(h, true)).collect())];
    rows.extend(n.figures.rows.iter().map(|row| TableRow::new(row.iter().map(|c| cell(&c.text(), false)).collect())));
    doc = doc.add_table(Table::new(rows));
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| ReportError::Write { format: "docx", message: e.to_string() })?;
    Ok(out.into_inner())
}

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(RunFonts::new().east_asia("仿宋_GB2312"))
}

fn cell(text: &str, bold: bool) -> TableCell {
    let r = run(text, CELL);
    TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { r.bold() } else { r }))
}
