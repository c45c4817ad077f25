//! The text crate's full extraction (`document_from_plain_text` + `extract`, as `tujie extract FILE.txt` runs it;
//! input starting with `<` goes in as `body_html`) on arbitrary text: never panics, and what the draft shows is
//! faithful to the source:
//! - every number, amount, percentage, year and 文号 of every text after the title and subtitle is supported by
//!   the source text (`tujie_text::faithful::unsupported_tokens`, the check `tests/fixtures.rs` and the review
//!   workspace apply);
//! - every span of every bullet, step, date, figure and table cell lies inside the source text on character
//!   boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tujie_model::{Document, Span, Timestamp};
use tujie_text::faithful::unsupported_tokens;
use tujie_text::{TextConfig, TextError, document_from_plain_text, extract};

fn document(text: &str) -> Document {
    if text.trim_start().starts_with('<') {
        let mut doc = document_from_plain_text("fuzz", "");
        doc.body_text = None;
        doc.body_html = Some(text.to_string());
        doc.published_at = Timestamp::parse("2024-01-01").expect("valid date");
        doc
    } else {
        document_from_plain_text("fuzz", text)
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = document(&text);
    let x = match extract(&doc, &TextConfig::default()) {
        Ok(x) => x,
        Err(TextError::NoText) => return,
        Err(e) => panic!("unexpected extraction error: {e}"),
    };
    let src = &x.source_text;
    let c = &x.content;
    // The title and subtitle come from metadata (the event or the text's header); everything else from the body.
    for t in c.texts().into_iter().skip(2) {
        let invented = unsupported_tokens(t, src);
        assert!(invented.is_empty(), "{invented:?} in `{t}` is not in the source");
    }
    let in_source = |what: &str, text: &str, spans: &[Span]| {
        for s in spans {
            assert!(s.start <= s.end && s.slice(src).is_some(), "{what} `{text}`: span {s:?} is not in the source");
        }
    };
    let figures = c.figures.iter().chain(c.sections.iter().flat_map(|s| s.figures.iter()));
    for f in figures {
        in_source("figure", &f.value, &f.spans);
        assert!(!f.value.trim().is_empty(), "figure with an empty value: {f:?}");
    }
    for s in &c.sections {
        for b in &s.bullets {
            in_source("bullet", &b.text, &b.spans);
        }
        for st in &s.steps {
            in_source("step", &st.text, &st.spans);
        }
        for d in &s.dates {
            in_source("date", &d.date, &d.spans);
        }
        for t in &s.tables {
            for cell in t.header.iter().chain(t.rows.iter().flatten()) {
                in_source("cell", &cell.text, &cell.spans);
            }
            assert!(t.rows.iter().all(|r| r.len() == t.header.len()), "table row width differs from its header");
        }
    }
});
