//! The report's formats. The three tables (figures by department, columns, policies lacking a rich
//! interpretation) are defined once here as header + cells; each format only lays them out.

mod docx;
mod html;
mod markdown;
mod notice;
mod xlsx;

use chrono::NaiveDate;
use tujie_model::CoverageStatus;

use crate::figures::{Figures, PolicyLine, Report, ReportError};
use crate::freshness::{ColumnFreshness, Rule};

pub use docx::notice_docx;
pub use html::{charts, html};
pub use markdown::markdown;
pub use notice::{Notice, notice, notice_markdown};
pub use xlsx::xlsx;

/// The output formats of `tujie report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Csv,
    Json,
    Xlsx,
    /// The 通报 draft as Markdown.
    Notice,
    /// The 通报 draft as DOCX.
    NoticeDocx,
}

/// The report in `format`, as bytes ready to write.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Markdown => markdown(report).into_bytes(),
        Format::Html => html(report).into_bytes(),
        Format::Csv => csv(report).into_bytes(),
        Format::Json => serde_json::to_vec_pretty(report)
            .map_err(|e| ReportError::Write { format: "json", message: e.to_string() })?,
        Format::Xlsx => xlsx(report)?,
        Format::Notice => notice_markdown(report).into_bytes(),
        Format::NoticeDocx => notice_docx(report)?,
    })
}

/// One cell of a table: spreadsheets keep numbers as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(usize),
    /// A value that may be missing (a median of nothing), shown with one decimal.
    Number(Option<f64>),
    /// A share shown as a percentage.
    Ratio(Option<f64>),
}

impl Cell {
    /// The text form used by Markdown, CSV and HTML.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(Some(x)) => format!("{x:.1}"),
            Cell::Ratio(Some(x)) => format!("{:.1}%", x * 100.0),
            Cell::Number(None) | Cell::Ratio(None) => "—".into(),
        }
    }
}

/// A titled table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The title line of every format.
pub fn title(r: &Report) -> String {
    match &r.department {
        Some(d) => format!("{d}政策解读情况报告（{} 至 {}）", r.from, r.to),
        None => format!("政策解读情况报告（{} 至 {}）", r.from, r.to),
    }
}

/// The three tables of a report, in order.
pub fn tables(r: &Report) -> [Table; 3] {
    [figures_table(r), columns_table(r), lacking_table(r)]
}

fn figures_table(r: &Report) -> Table {
    let header = vec![
        "责任单位",
        "政策",
        "已解读",
        "多元化解读",
        "仅文字解读",
        "无解读",
        "多元化比例",
        "待审核草稿",
        "已通过草稿",
        "缺少正文",
        "同步",
        "按时",
        "逾期解读",
        "逾期未解读",
        "未到期",
        "解读用时中位数（工作日）",
        "多元化解读用时中位数（工作日）",
    ];
    let row = |f: &Figures| {
        vec![
            Cell::Text(f.department.clone()),
            Cell::Count(f.policies),
            Cell::Count(f.interpreted),
            Cell::Count(f.rich),
            Cell::Count(f.text_only),
            Cell::Count(f.none),
            Cell::Ratio(f.rich_ratio),
            Cell::Count(f.drafts_pending),
            Cell::Count(f.drafts_approved),
            Cell::Count(f.text_missing),
            Cell::Count(f.synchronous),
            Cell::Count(f.on_time),
            Cell::Count(f.late),
            Cell::Count(f.overdue),
            Cell::Count(f.pending),
            Cell::Number(f.median_delay),
            Cell::Number(f.median_rich_delay),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = r.departments.iter().map(row).collect();
    rows.push(row(&r.total));
    Table { title: "一、解读覆盖与时效", header, rows }
}

fn columns_table(r: &Report) -> Table {
    let header =
        vec!["责任单位", "站点或账号", "类型", "栏目", "更新要求", "最近更新", "距今（天）", "本期发布", "状态"];
    let rows = r.columns.iter().map(column_row).collect();
    Table { title: "二、栏目更新情况", header, rows }
}

fn column_row(c: &ColumnFreshness) -> Vec<Cell> {
    let rule = match c.rule {
        Rule::Days(d) => format!("{d}天内"),
        Rule::Months(m) => format!("{m}个月内"),
        Rule::Untracked => "—".into(),
    };
    vec![
        Cell::Text(c.unit.clone().unwrap_or_default()),
        Cell::Text(c.site.clone()),
        Cell::Text(c.site_kind.label().into()),
        Cell::Text(c.column.clone().unwrap_or_else(|| "（整个账号）".into())),
        Cell::Text(rule),
        Cell::Text(date(c.last)),
        c.days_since.map_or(Cell::Text("—".into()), |d| Cell::Count(d.max(0) as usize)),
        Cell::Count(c.in_period),
        Cell::Text(c.state.label().into()),
    ]
}

/// Columns of the list of policies lacking a rich interpretation. A future `reason` column goes here and in
/// [`PolicyLine`].
fn lacking_table(r: &Report) -> Table {
    let header = vec!["责任单位", "政策标题", "文号", "发布日期", "解读情况", "首次解读", "时效", "图解草稿"];
    let rows = r.lacking().map(lacking_row).collect();
    Table { title: "三、尚缺多元化解读的政策", header, rows }
}

fn lacking_row(p: &PolicyLine) -> Vec<Cell> {
    let delay = match p.timeliness.working_days() {
        None => p.timeliness.label().to_owned(),
        Some(d) => format!("{}（{d}个工作日）", p.timeliness.label()),
    };
    vec![
        Cell::Text(p.department.clone()),
        Cell::Text(p.title.clone()),
        Cell::Text(p.doc_number.clone().unwrap_or_default()),
        Cell::Text(p.published.to_string()),
        Cell::Text(status_label(p.status).into()),
        Cell::Text(date(p.first_interpretation)),
        Cell::Text(delay),
        Cell::Text(match (&p.draft_id, &p.no_draft) {
            (Some(id), _) => id.clone(),
            (None, Some(reason)) => format!("无：{}", reason.describe_zh()),
            (None, None) => "无".into(),
        }),
    ]
}

pub fn status_label(s: CoverageStatus) -> &'static str {
    match s {
        CoverageStatus::Rich => "已有多元化解读",
        CoverageStatus::TextOnly => "仅文字解读",
        CoverageStatus::None => "无解读",
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".into(), |d| d.to_string())
}

/// The header lines every document format opens with: period, rule and calendar.
pub fn preamble(r: &Report) -> Vec<String> {
    vec![
        format!("统计期间：{} 至 {}（按中国标准时间的发布日期）。", r.from, r.to),
        format!(
            "时效口径：与政策同日发布的解读为“同步”；政策发布后 {} 个工作日内为“按时”，超过为“逾期”。\
             工作日按国务院办公厅每年的节假日安排通知（含调休上班日）计算。",
            r.late_after_working_days
        ),
        "多元化比例：已解读的政策中有图解、音视频、漫画或 H5 解读的比例。".into(),
    ]
}

/// CSV (RFC 4180): each table under a line with its title, separated by an empty line.
pub fn csv(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&csv_line(&[title(r)]));
    for t in tables(r) {
        out.push('\n');
        out.push_str(&csv_line(&[t.title.to_owned()]));
        out.push_str(&csv_line(&t.header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()));
        for row in &t.rows {
            out.push_str(&csv_line(&row.iter().map(Cell::text).collect::<Vec<_>>()));
        }
    }
    out
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() })
        .collect();
    format!("{}\r\n", quoted.join(","))
}
