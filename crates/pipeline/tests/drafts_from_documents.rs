//! Drafts made from the real fixture documents, the way the pipeline makes them (text extraction, then rendering):
//! golden SVGs, every line inside its box by usvg's measurements, no missing glyphs, the draft mark only in
//! drafts, and byte-identical output for the same input.

use std::path::PathBuf;

use tujie_model::InboundEvent;
use tujie_model::event::Payload;
use tujie_render::{Mode, RenderConfig, Renderer};
use tujie_text::TextConfig;

fn documents() -> Vec<tujie_model::Document> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev/doc_events.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| match InboundEvent::from_slice(l.as_bytes(), usize::MAX).unwrap().payload {
            Payload::Published(d) => d,
            Payload::Withdrawn { .. } => unreachable!("fixtures are published documents"),
        })
        .collect()
}

#[test]
fn every_fixture_document_gives_a_clean_golden_draft() {
    let renderer = Renderer::new(RenderConfig::default(), vec![]).unwrap();
    let docs = documents();
    assert_eq!(docs.len(), 7);
    for doc in docs {
        let content = tujie_text::extract(&doc, &TextConfig::default()).unwrap().content;
        let draft = renderer.to_svg(&content, doc.site.as_deref(), Mode::Draft).unwrap();
        assert!(draft.missing_glyphs.is_empty(), "{}: {:?}", doc.id, draft.missing_glyphs);
        assert!(draft.warnings.is_empty(), "{}: {:?}", doc.id, draft.warnings);
        tujie_test_support::geometry::assert_lines_inside_boxes(&doc.id, &draft.svg);
        let approved = renderer.to_svg(&content, doc.site.as_deref(), Mode::Approved).unwrap();
        tujie_test_support::geometry::assert_lines_inside_boxes(&doc.id, &approved.svg);
        assert!(draft.svg.contains("草稿") && !approved.svg.contains("草稿"), "{}: draft mark", doc.id);
        assert_eq!(renderer.to_svg(&content, doc.site.as_deref(), Mode::Draft).unwrap().svg, draft.svg);
        insta::assert_snapshot!(doc.id.clone(), draft.svg);
    }
}
