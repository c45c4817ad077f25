//! The text crate's full extraction (`document_from_plain_text` + `extract`, as `tujie extract FILE.txt` runs it;
//! input starting with `<` goes in as `body_html`) on arbitrary text: never panics, and what the draft shows is
//! faithful to the source (`tujie_text::faithful::draft_defects`, which `crates/text/tests/fuzz_corpus.rs` also
//! applies to this corpus on the stable toolchain):
//! - every number, amount, percentage, year and 文号 of every text after the title and subtitle is supported by
//!   the source text (`tujie_text::faithful::unsupported_tokens`, the check `tests/fixtures.rs` and the review
//!   workspace apply);
//! - every span of every bullet, step, date, figure and table cell lies inside the source text on character
//!   boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tujie_text::{TextConfig, TextError, document_from_input, extract};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = document_from_input("fuzz", &text);
    let x = match extract(&doc, &TextConfig::default()) {
        Ok(x) => x,
        Err(TextError::NoText) => return,
        Err(e) => panic!("unexpected extraction error: {e}"),
    };
    let defects = tujie_text::faithful::draft_defects(&x.source_text, &x.content);
    assert!(defects.is_empty(), "{defects:?}");
});
