//! The XLSX workbook (rust_xlsxwriter, written to memory): one sheet per table, numbers as numbers, ratios as
//! percentages, so an office can sort and sum.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Table, preamble, tables, title};
use crate::figures::{Report, ReportError};

pub fn xlsx(r: &Report) -> Result<Vec<u8>, ReportError> {
    write(r).map_err(|e| ReportError::Write { format: "xlsx", message: e.to_string() })
}

fn write(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let [figures, columns, lacking] = tables(r);
    let sheet = book.add_worksheet().set_name("解读覆盖与时效")?;
    sheet.write_string(0, 0, title(r))?;
    for (i, line) in preamble(r).iter().enumerate() {
        sheet.write_string(1 + i as u32, 0, line)?;
    }
    sheet_table(sheet, 5, &figures)?;
    sheet_table(book.add_worksheet().set_name("栏目更新情况")?, 0, &columns)?;
    sheet_table(book.add_worksheet().set_name("尚缺多元化解读的政策")?, 0, &lacking)?;
    book.save_to_buffer()
}

fn sheet_table(sheet: &mut Worksheet, top: u32, t: &Table) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.0");
    for (c, h) in t.header.iter().enumerate() {
        sheet.write_string_with_format(top, c as u16, *h, &bold)?;
    }
    for (i, row) in t.rows.iter().enumerate() {
        let y = top + 1 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let x = c as u16;
            match cell {
                Cell::Text(s) => sheet.write_string(y, x, s)?,
                Cell::Count(n) => sheet.write_number(y, x, *n as f64)?,
                Cell::Number(Some(v)) => sheet.write_number_with_format(y, x, *v, &decimal)?,
                Cell::Ratio(Some(v)) => sheet.write_number_with_format(y, x, *v, &percent)?,
                Cell::Number(None) | Cell::Ratio(None) => sheet.write_string(y, x, "—")?,
            };
        }
    }
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 30)?;
    Ok(())
}
