//! Report figures on a fixture spanning New Year 2026 and the 2026 Spring Festival, each checked against a value
//! worked out by hand on the official calendar (the working days are spelled out beside each policy), and the
//! same figures read back from every format, the XLSX with calamine.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use tujie_model::{CoverageStatus, Form, NoDraftReason, SiteKind};
use tujie_report::config::{ColumnConfig, ColumnKind, SiteConfig};
use tujie_report::{
    Format, InterpretationFacts, PolicyFacts, Publication, Report, ReportConfig, ReportError, ReportRequest,
    Timeliness, UNASSIGNED, WorkCalendar, build, render,
};

const EDU: &str = "县教育局";
const HRSS: &str = "县人社局";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn policy(id: &str, department: Option<&str>, published: &str, interps: &[(Form, &str)]) -> PolicyFacts {
    PolicyFacts {
        id: id.into(),
        title: format!("关于{id}的通知"),
        department: department.map(Into::into),
        doc_number: None,
        published: d(published),
        interpretations: interps
            .iter()
            .enumerate()
            .map(|(i, (form, day))| InterpretationFacts {
                id: format!("{id}-i{i}"),
                form: Some(*form),
                published: d(day),
            })
            .collect(),
        drafts_pending: 0,
        drafts_approved: 0,
        draft_id: None,
        no_draft: None,
    }
}

fn fixture() -> Vec<PolicyFacts> {
    let mut b1 = policy("b1", Some(HRSS), "2025-12-26", &[]);
    b1.drafts_pending = 1;
    b1.draft_id = Some("dr-b1".into());
    // A reason recorded for an older version does not count once a draft exists.
    b1.no_draft = Some(NoDraftReason::NoText);
    let mut b2 = policy("b2", Some(HRSS), "2026-02-26", &[]);
    b2.no_draft = Some(NoDraftReason::FetchFailed("http://127.0.0.1:1/a.pdf: HTTP 404".into()));
    let mut c1 = policy("c1", None, "2026-01-20", &[(Form::Text, "2026-01-20")]);
    c1.no_draft = Some(NoDraftReason::NoText);
    let mut a1 = policy("a1", Some(EDU), "2025-12-31", &[(Form::Text, "2026-01-05")]);
    a1.drafts_approved = 1;
    vec![
        // Outside the period.
        policy("old", Some(EDU), "2025-11-28", &[]),
        // Fri 12-26, nothing by 02-28: Dec 29–31 (3) + Jan 4 make-up Sunday and 20 weekdays (21) + Feb 2–13 (10),
        // make-up Sat 14 (1), 24–27 (4), make-up Sat 28 (1) = 40 working days, overdue.
        b1,
        // Wed 12-31 → Mon 01-05: Jan 1–3 off, Sun 01-04 make-up (1), Mon (2): on time; text only.
        a1,
        // Fri 01-09, graphic the same day: 同步, rich after 0.
        policy("a4", Some(EDU), "2026-01-09", &[(Form::Graphic, "2026-01-09")]),
        // No department, text the same day: 同步.
        c1,
        // Fri 02-13 before the Spring Festival, graphic on the make-up Saturday 02-14: 1 working day.
        policy("a2", Some(EDU), "2026-02-13", &[(Form::Graphic, "2026-02-14")]),
        // Fri 02-13, text on Thu 02-26: Sat 14 (1), 15–23 off, 24 (2), 25 (3), 26 (4): late; its video of 03-02
        // is after the period and does not count.
        policy("a3", Some(EDU), "2026-02-13", &[(Form::Text, "2026-02-26"), (Form::Video, "2026-03-02")]),
        // Thu 02-26, nothing yet on Sat 02-28: Fri 27 (1), make-up Sat 28 (2): not due.
        b2,
    ]
}

fn config() -> ReportConfig {
    ReportConfig {
        sites: vec![
            SiteConfig {
                name: "edu.example.gov.cn".into(),
                kind: SiteKind::Website,
                unit: Some(EDU.into()),
                columns: vec![
                    ColumnConfig { name: "政策文件".into(), kind: ColumnKind::Documents },
                    ColumnConfig { name: "工作动态".into(), kind: ColumnKind::News },
                ],
            },
            SiteConfig {
                name: "某县人社".into(), kind: SiteKind::Wechat, unit: Some(HRSS.into()), columns: vec![]
            },
        ],
        ..Default::default()
    }
}

fn publications() -> Vec<Publication> {
    let at = |site: &str, kind, column: Option<&str>, day: &str| Publication {
        site: site.into(),
        site_kind: kind,
        column: column.map(Into::into),
        published: d(day),
    };
    vec![
        at("edu.example.gov.cn", SiteKind::Website, Some("政策文件"), "2026-02-13"),
        at("edu.example.gov.cn", SiteKind::Website, Some("政策文件"), "2025-12-31"),
        // Last post 02-13: 15 days before 02-28, stale.
        at("某县人社", SiteKind::Wechat, None, "2026-02-13"),
    ]
}

fn report(department: Option<&str>) -> Report {
    let req = ReportRequest { from: d("2025-12-01"), to: d("2026-02-28"), department: department.map(Into::into) };
    build(&config(), WorkCalendar::official(), &req, &fixture(), &publications()).unwrap()
}

#[test]
fn figures_by_department_match_the_hand_count() {
    let r = report(None);
    let names: Vec<&str> = r.departments.iter().map(|f| f.department.as_str()).collect();
    assert_eq!(names, [HRSS, EDU, UNASSIGNED]);
    let [hrss, edu, none] = &r.departments[..] else { panic!("three departments") };

    assert_eq!((edu.policies, edu.interpreted, edu.rich, edu.text_only, edu.none), (4, 4, 2, 2, 0));
    assert_eq!(edu.rich_ratio, Some(0.5));
    assert_eq!((edu.synchronous, edu.on_time, edu.late, edu.overdue, edu.pending), (1, 2, 1, 0, 0));
    // Delays 2, 0, 1, 4 → median 1.5; to a rich one 0 and 1 → 0.5.
    assert_eq!((edu.median_delay, edu.median_rich_delay), (Some(1.5), Some(0.5)));
    assert_eq!((edu.drafts_pending, edu.drafts_approved), (0, 1));

    assert_eq!((hrss.policies, hrss.interpreted, hrss.none, hrss.rich_ratio), (2, 0, 2, None));
    assert_eq!((hrss.overdue, hrss.pending, hrss.median_delay), (1, 1, None));
    assert_eq!((hrss.drafts_pending, hrss.drafts_approved), (1, 0));

    assert_eq!((none.policies, none.text_only, none.synchronous, none.rich_ratio), (1, 1, 1, Some(0.0)));
    // Text missing: b2 (fetch failed) and c1 (no text); b1's old reason does not count beside its draft.
    assert_eq!((hrss.text_missing, edu.text_missing, none.text_missing, r.total.text_missing), (1, 0, 1, 2));

    let t = &r.total;
    assert_eq!((t.policies, t.interpreted, t.rich, t.text_only, t.none), (7, 5, 2, 3, 2));
    assert_eq!(t.rich_ratio, Some(0.4));
    assert_eq!((t.synchronous, t.on_time, t.late, t.overdue, t.pending), (2, 2, 1, 1, 1));
    // Delays 0, 0, 1, 2, 4 → 1.
    assert_eq!((t.median_delay, t.median_rich_delay), (Some(1.0), Some(0.5)));
}

#[test]
fn each_policy_is_judged_on_the_official_calendar() {
    let r = report(None);
    let verdicts: Vec<(&str, Timeliness)> = r.policies.iter().map(|p| (p.policy_id.as_str(), p.timeliness)).collect();
    assert_eq!(
        verdicts,
        [
            ("b1", Timeliness::Overdue { working_days: 40 }),
            ("a1", Timeliness::OnTime { working_days: 2 }),
            ("a4", Timeliness::Synchronous),
            ("c1", Timeliness::Synchronous),
            ("a2", Timeliness::OnTime { working_days: 1 }),
            ("a3", Timeliness::Late { working_days: 4 }),
            ("b2", Timeliness::Pending { working_days: 2 }),
        ]
    );
    let a3 = r.policies.iter().find(|p| p.policy_id == "a3").unwrap();
    assert_eq!((a3.status, a3.first_rich), (CoverageStatus::TextOnly, None));
    let lacking: Vec<&str> = r.lacking().map(|p| p.policy_id.as_str()).collect();
    assert_eq!(lacking, ["b1", "a1", "c1", "a3", "b2"]);
    let buckets: Vec<usize> = r.delay_distribution.iter().map(|(_, n)| *n).collect();
    // 同步, 1, 2, 3, 4–10, over 10, overdue.
    assert_eq!(buckets, [2, 1, 1, 0, 1, 0, 1]);
}

#[test]
fn columns_stale_and_blank_as_of_the_last_day() {
    let r = report(None);
    let states: Vec<(String, &str, usize)> =
        r.columns.iter().map(|c| (c.place(), c.state.label(), c.in_period)).collect();
    assert_eq!(
        states,
        [
            ("edu.example.gov.cn“政策文件”栏目".to_string(), "正常更新", 2),
            ("edu.example.gov.cn“工作动态”栏目".to_string(), "空白栏目", 0),
            ("微信公众号“某县人社”".to_string(), "未及时更新", 1),
        ]
    );
}

#[test]
fn one_department_gets_its_own_figures_and_sites() {
    let r = report(Some(EDU));
    assert_eq!(r.departments.len(), 1);
    assert_eq!(r.total.policies, 4);
    assert_eq!(r.total.median_delay, Some(1.5));
    assert!(r.columns.iter().all(|c| c.unit.as_deref() == Some(EDU)));
    assert_eq!(r.columns.len(), 2);
}

#[test]
fn bad_periods_and_dates_outside_the_calendar_are_errors() {
    let cfg = config();
    let cal = WorkCalendar::official();
    let backwards = ReportRequest { from: d("2026-02-01"), to: d("2026-01-01"), department: None };
    assert!(matches!(build(&cfg, cal, &backwards, &[], &[]), Err(ReportError::Period { .. })));
    let old = ReportRequest { from: d("2009-01-01"), to: d("2009-12-31"), department: None };
    let err = build(&cfg, cal, &old, &[policy("p", None, "2009-06-01", &[])], &[]).unwrap_err();
    assert!(err.to_string().contains("2009-06-01 is outside the working-day calendar"), "{err}");
}

#[test]
fn the_xlsx_holds_the_figures_as_numbers() {
    let r = report(None);
    let bytes = render(&r, Format::Xlsx).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["解读覆盖与时效", "栏目更新情况", "尚缺多元化解读的政策"]);
    let sheet = book.worksheet_range("解读覆盖与时效").unwrap();
    let row = |name: &str| -> Vec<Data> {
        sheet.rows().find(|row| row.first() == Some(&Data::String(name.into()))).unwrap().to_vec()
    };
    let header = sheet.rows().find(|row| row.first() == Some(&Data::String("责任单位".into()))).unwrap().to_vec();
    let col = |h: &str| header.iter().position(|c| *c == Data::String(h.into())).unwrap();
    let total = row("合计");
    assert_eq!(total[col("政策")], Data::Float(7.0));
    assert_eq!(total[col("多元化比例")], Data::Float(0.4));
    assert_eq!(total[col("逾期解读")], Data::Float(1.0));
    assert_eq!(total[col("解读用时中位数（工作日）")], Data::Float(1.0));
    assert_eq!(row(EDU)[col("解读用时中位数（工作日）")], Data::Float(1.5));
    assert_eq!(row(HRSS)[col("多元化比例")], Data::String("—".into()));
    let lacking = book.worksheet_range("尚缺多元化解读的政策").unwrap();
    assert_eq!(lacking.rows().count(), 1 + 5);
    let columns = book.worksheet_range("栏目更新情况").unwrap();
    assert!(columns.rows().any(|row| row.contains(&Data::String("空白栏目".into()))));
}

#[test]
fn markdown_csv_json_and_html_carry_the_same_figures() {
    let r = report(None);
    let md = String::from_utf8(render(&r, Format::Markdown).unwrap()).unwrap();
    assert!(md.contains("| 合计 | 7 | 5 | 2 | 3 | 2 | 40.0% | 1 | 1 | 2 | 2 | 2 | 1 | 1 | 1 | 1.0 | 0.5 |"), "{md}");
    let csv = String::from_utf8(render(&r, Format::Csv).unwrap()).unwrap();
    assert!(csv.contains("合计,7,5,2,3,2,40.0%,1,1,2,2,2,1,1,1,1.0,0.5\r\n"), "{csv}");
    let json: serde_json::Value = serde_json::from_slice(&render(&r, Format::Json).unwrap()).unwrap();
    assert_eq!(json["total"]["late"], 1);
    assert_eq!(json["policies"][0]["timeliness"]["verdict"], "overdue");
    let html = String::from_utf8(render(&r, Format::Html).unwrap()).unwrap();
    assert!(!html.contains("<script"), "no JavaScript");
    assert_eq!(html.matches("<svg").count(), 2, "two server-drawn charts");
    // The ratio bar of 县教育局 is half of 300 units wide.
    assert!(html.contains("width=\"150\" height=\"18\""), "{html}");
    insta::assert_snapshot!("report_markdown", md);
}

#[test]
fn the_notice_names_each_units_problems_from_the_data() {
    let n = tujie_report::format::notice(&report(None));
    assert_eq!(
        n.opening,
        "2025-12-01至2026-02-28，共发布政策文件7件，已解读5件，其中多元化解读2件（多元化比例40.0%）；同步解读2件，\
         按时解读2件，逾期解读1件，逾期未解读1件。检查栏目和政务新媒体账号3个，未及时更新1个，空白栏目1个。"
    );
    let units: Vec<(&str, &str)> = n.units.iter().map(|(h, b)| (h.as_str(), b.as_str())).collect();
    assert_eq!(
        units,
        [
            (
                "（一）县人社局。",
                "未及时更新1个：微信公众号“某县人社”（最近更新2026-02-13，已15天）。\
                 逾期未解读的政策1件：《关于b1的通知》（已40个工作日）。"
            ),
            (
                "（二）县教育局。",
                "空白栏目1个：edu.example.gov.cn“工作动态”栏目。超过3个工作日才发布解读的政策1件：《关于a3的通知》\
                 （4个工作日）。仅有文字解读、尚无多元化解读的政策2件：《关于a1的通知》、《关于a3的通知》。"
            ),
            ("（三）（未标注责任单位）。", "仅有文字解读、尚无多元化解读的政策1件：《关于c1的通知》。"),
        ]
    );
    let md = String::from_utf8(render(&report(None), Format::Notice).unwrap()).unwrap();
    assert!(md.contains("## 一、存在的问题"), "{md}");
    assert!(md.contains("## 二、各单位情况统计"), "{md}");
}

#[test]
fn the_docx_notice_holds_the_paragraphs_and_the_figures() {
    let bytes = render(&report(None), Format::NoticeDocx).unwrap();
    let doc = docx_rs::read_docx(&bytes).unwrap();
    let mut paragraphs = Vec::new();
    let mut cells: Vec<Vec<String>> = Vec::new();
    for child in &doc.document.children {
        match child {
            docx_rs::DocumentChild::Paragraph(p) => paragraphs.push(p.raw_text()),
            docx_rs::DocumentChild::Table(t) => {
                for docx_rs::TableChild::TableRow(row) in &t.rows {
                    let texts = row
                        .cells
                        .iter()
                        .map(|docx_rs::TableRowChild::TableCell(c)| {
                            c.children
                                .iter()
                                .filter_map(|x| match x {
                                    docx_rs::TableCellContent::Paragraph(p) => Some(p.raw_text()),
                                    _ => None,
                                })
                                .collect::<String>()
                        })
                        .collect();
                    cells.push(texts);
                }
            }
            _ => {}
        }
    }
    assert!(paragraphs.iter().any(|p| p == "一、存在的问题"), "{paragraphs:?}");
    assert!(paragraphs.iter().any(|p| p.starts_with("（二）县教育局。空白栏目1个")), "{paragraphs:?}");
    let total = cells.iter().find(|row| row[0] == "合计").expect("a 合计 row");
    assert_eq!(total[1..7], ["7", "5", "2", "3", "2", "40.0%"]);
}
