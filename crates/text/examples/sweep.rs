//! A robustness sweep over many real pages that have no key facts written: which ones the extractor refuses,
//! which give a source text much shorter than the page's prose, and which let typical page chrome through.
//! `cargo run -p tujie-text --example sweep -- EVENTS.jsonl` prints one line per suspicious document and a
//! summary; it reads nothing but the events (HTML bodies go in as `body_html`).
//!
//! First run (2026-12-01) on 360 saved pages of `lvxiao9856/MyProject` (`TextProcessProject/htmldata/`, commit
//! 51cfa80: 120 each of its Beijing, Shanghai and central folders, drawn at random; the pages are not committed):
//! 40 refused, 4 of them with an article (a DotNetNuke template whose empty `…_ModuleContent` module outscored
//! the article); after the minimum-text rule of `html/main_content.rs`, 37 refused, none with prose. The pages
//! still flagged thin or with chrome are news-portal pages (新浪 error and copyright pages, gov.cn 概况 lists),
//! not policy documents.

use tujie_model::InboundEvent;
use tujie_model::event::Payload;
use tujie_text::{TextConfig, extract};

/// Strings of site chrome that are never part of a policy's text (breadcrumbs, page tools, footers).
const CHROME: [&str; 10] = [
    "当前位置",
    "您现在的位置",
    "【打印】",
    "【关闭】",
    "打印本页",
    "关闭窗口",
    "分享到",
    "版权所有",
    "ICP备",
    "网站地图",
];

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: sweep EVENTS.jsonl");
        std::process::exit(2);
    };
    let events = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut n, mut refused, mut thin, mut leaky) = (0, 0, 0, 0);
    for line in events.lines().filter(|l| !l.trim().is_empty()) {
        let ev = InboundEvent::from_slice(line.as_bytes(), 1 << 24).expect("valid event");
        let Payload::Published(doc) = ev.payload else { continue };
        n += 1;
        let prose = doc.body_html.as_deref().map_or(0, prose_chars);
        match extract(&doc, &TextConfig::default()) {
            Err(e) => {
                refused += 1;
                println!("REFUSED {} ({prose} chars of prose on the page): {e}", doc.id);
            }
            Ok(x) => {
                let got = x.source_text.chars().filter(|c| !c.is_whitespace()).count();
                if got * 2 < prose {
                    thin += 1;
                    println!("THIN    {}: source text {got} chars, page prose {prose}", doc.id);
                }
                let hits: Vec<&str> = CHROME.iter().copied().filter(|c| x.source_text.contains(c)).collect();
                if !hits.is_empty() {
                    leaky += 1;
                    println!("CHROME  {}: {hits:?}", doc.id);
                }
            }
        }
    }
    println!("{n} documents: {refused} refused, {thin} thin, {leaky} with chrome");
}

/// Characters of the page's paragraphs that read as prose (a Chinese sentence mark inside), tags stripped: a
/// rough upper bound of what the article holds.
fn prose_chars(html: &str) -> usize {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push('\n');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.lines()
        .filter(|l| l.contains('。') || l.contains('；'))
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}
