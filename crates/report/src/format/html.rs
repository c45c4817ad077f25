//! The HTML report: one self-contained page (inline CSS, no JavaScript, nothing fetched) with two charts drawn
//! as SVG on the server: the rich-form ratio by department and the distribution of delays.

use std::fmt::Write;

use super::{Table, preamble, tables, title};
use crate::figures::Report;

pub fn html(r: &Report) -> String {
    let mut out = String::from("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    let _ = write!(out, "<title>{}</title><style>{CSS}</style></head><body>", esc(&title(r)));
    let _ = write!(out, "<h1>{}</h1>", esc(&title(r)));
    for line in preamble(r) {
        let _ = write!(out, "<p class=\"muted\">{}</p>", esc(&line));
    }
    out.push_str(&charts(r));
    for t in tables(r) {
        out.push_str(&table(&t));
    }
    out.push_str("</body></html>");
    out
}

const CSS: &str = "body{font-family:'Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px}\
th{background:#f0f4f8}td.num{text-align:right}.muted{color:#666;font-size:13px}\
.charts{display:flex;flex-wrap:wrap;gap:2em}figure{margin:0}figcaption{font-weight:bold;margin-bottom:.5em}";

/// The two charts, for the report page of the review workspace too.
pub fn charts(r: &Report) -> String {
    format!(
        "<div class=\"charts\"><figure><figcaption>各单位多元化解读比例</figcaption>{}</figure>\
         <figure><figcaption>解读用时分布（工作日）</figcaption>{}</figure></div>",
        ratio_chart(r),
        delay_chart(r)
    )
}

const BAR: &str = "#2f6fb3";
const LATE: &str = "#c0392b";

/// Horizontal bars, one per department, 0–100 %.
fn ratio_chart(r: &Report) -> String {
    let (label_w, bar_w, row_h) = (220, 300, 28);
    let h = row_h * r.departments.len().max(1) as i32 + 24;
    let mut svg = svg_open(label_w + bar_w + 70, h);
    for (i, f) in r.departments.iter().enumerate() {
        let y = 8 + row_h * i as i32;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 8,
            y + 16,
            esc(&f.department)
        );
        let (w, text) = match f.rich_ratio {
            Some(x) => (((x * f64::from(bar_w)).round() as i32).max(1), format!("{:.1}%", x * 100.0)),
            None => (0, "—（无解读）".into()),
        };
        let _ = write!(
            svg,
            "<rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"18\" fill=\"#eef2f6\"/>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{w}\" height=\"18\" fill=\"{BAR}\"/>\
             <text x=\"{}\" y=\"{}\">{text}</text>",
            y + 3,
            y + 3,
            label_w + bar_w + 6,
            y + 16
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical bars, one per delay bucket, the overdue ones in red.
fn delay_chart(r: &Report) -> String {
    let (col_w, plot_h, top) = (96, 160, 20);
    let n = r.delay_distribution.len() as i32;
    let max = r.delay_distribution.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1);
    let mut svg = svg_open(col_w * n + 20, plot_h + top + 44);
    for (i, (label, count)) in r.delay_distribution.iter().enumerate() {
        let x = 10 + col_w * i as i32;
        let h = (*count as f64 / max as f64 * f64::from(plot_h)).round() as i32;
        let fill = if i + 1 == r.delay_distribution.len() { LATE } else { BAR };
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{fill}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{count}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
            x + 8,
            top + plot_h - h,
            col_w - 16,
            x + col_w / 2,
            top + plot_h - h - 4,
            x + col_w / 2,
            top + plot_h + 18,
            esc(label)
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"10\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#888\"/>",
        col_w * n + 10,
        top + plot_h,
        top + plot_h
    );
    svg.push_str("</svg>");
    svg
}

fn svg_open(w: i32, h: i32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-size=\"13\" role=\"img\">"
    )
}

fn table(t: &Table) -> String {
    let mut out = format!("<h2>{}</h2>", esc(t.title));
    if t.rows.is_empty() {
        out.push_str("<p>无。</p>");
        return out;
    }
    out.push_str("<table><thead><tr>");
    for h in &t.header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            let class = if matches!(c, super::Cell::Text(_)) { "" } else { " class=\"num\"" };
            let _ = write!(out, "<td{class}>{}</td>", esc(&c.text()));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// HTML and SVG text escaping.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
