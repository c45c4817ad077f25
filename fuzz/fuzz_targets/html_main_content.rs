//! The HTML path of the text crate (`tujie_text::html::extract_page`, which `html_to_text` and `extract` use for
//! `body_html`) on arbitrary bytes read as UTF-8 lossily: never panics, and `html_to_text` is
//! `extract_page`'s text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let page = tujie_text::html::extract_page(&html);
    let _ = format!("{:?}", page.meta);
    assert_eq!(tujie_text::html::html_to_text(&html), page.text, "html_to_text is extract_page's text");
});
