//! What a draft shows, read the way a person reads the image: every text as it stands, a figure tile as its label
//! followed by its value and unit (`个人缴费标准为每人` over `413元` reads `个人缴费标准为每人413元`), and a table
//! row by row (cells run together, rows joined by `，`; and each cell after its column heading) and column by column (cells joined by `、`).
//!
//! The quality example and `tests/fixtures.rs` both ask whether a draft shows a key fact against this one reading,
//! so a fact that a draft really shows as a tile or in table cells is counted, and only then.

use tujie_model::{InfographicContent, Table};

use crate::normalize::fold_for_match;

/// The draft's reading: each piece folded with [`fold_for_match`] (which drops spaces and line breaks), then the
/// pieces joined by line breaks, so a match never runs from one piece into the next.
pub fn reading(c: &InfographicContent) -> String {
    let mut out: Vec<String> = c.texts().iter().map(|t| t.to_string()).collect();
    let figures = c.figures.iter().chain(c.sections.iter().flat_map(|s| &s.figures));
    out.extend(figures.map(|f| format!("{}{}{}", f.label, f.value, f.unit)));
    for t in c.sections.iter().flat_map(|s| &s.tables) {
        out.extend(table_reading(t));
    }
    out.iter().map(|t| fold_for_match(t)).collect::<Vec<_>>().join("\n")
}

/// Each row run together, all rows joined by `，`, each column joined by `、`, and each row with its columns'
/// headings before their cells (`3口及以下` · `家庭年收入` · `10万元（含）以下`), as a reader follows a row.
fn table_reading(t: &Table) -> Vec<String> {
    let rows: Vec<String> = t.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect()).collect();
    let headed = t.rows.iter().map(|r| {
        let mut line = r.first().map_or(String::new(), |c| c.text.clone());
        for (h, c) in t.header.iter().zip(r).skip(1) {
            line.push_str(&h.text);
            line.push_str(&c.text);
        }
        line
    });
    let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
    let columns =
        (0..width).map(|i| t.rows.iter().filter_map(|r| r.get(i)).map(|c| c.text.as_str()).collect::<Vec<_>>());
    let mut out = vec![rows.join("，")];
    out.extend(rows);
    out.extend(columns.map(|c| c.join("、")));
    out.extend(headed);
    out
}

/// Whether the draft `reading` shows one of the phrasings `any_of` of a key fact.
pub fn shows(reading: &str, any_of: &[String]) -> bool {
    any_of.iter().any(|a| reading.contains(&fold_for_match(a)))
}

#[cfg(test)]
mod tests {
    use tujie_model::{Cell, Figure, InfographicContent, Section, SectionKind};

    use super::*;

    fn cell(t: &str) -> Cell {
        Cell::new(t, vec![])
    }

    #[test]
    fn figures_read_label_first_and_tables_by_row_and_column() {
        let mut s = Section::new(SectionKind::Standards, "标准");
        s.tables.push(Table {
            caption: String::new(),
            header: vec![cell("类别"), cell("标准")],
            rows: vec![vec![cell("一等奖"), cell("20万元")], vec![cell("二等奖"), cell("15万元")]],
        });
        let tile = Figure {
            value: "413".into(), unit: "元".into(), label: "个人缴费标准为每人".into(), spans: vec![]
        };
        let c = InfographicContent {
            title: "标题".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![tile],
            sections: vec![s],
        };
        let r = reading(&c);
        for fact in ["个人缴费标准为每人413元", "一等奖20万元，二等奖15万元", "20万元、15万元", "二等奖标准15万元"]
        {
            assert!(shows(&r, &[fact.to_string()]), "{fact} not read in {r}");
        }
        // A match never runs across pieces: the header and the first row are not one phrase.
        assert!(!shows(&r, &["标准一等奖".to_string()]));
    }
}
