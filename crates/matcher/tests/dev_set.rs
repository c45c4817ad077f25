//! Replays the dev fixtures (`tests/fixtures/dev/events.jsonl`) through a `MatchIndex` and checks link precision,
//! recall and form accuracy against `truth.json`.
//!
//! `truth.json` was generated from `pairs.jsonl` only, so a true pair that the data set happens to list as two
//! halves of two different hard negatives is absent from it. `tests/fixtures/dev/truth_additions.json` lists
//! such pairs, each with the reason; both the raw and the corrected figures are printed, and the thresholds are
//! asserted on the corrected ones.

use std::path::PathBuf;

use tujie_matcher::MatcherConfig;
use tujie_matcher::eval::{Truth, TruthAddition, evaluate};
use tujie_model::InboundEvent;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev")
}

fn events() -> Vec<InboundEvent> {
    let text = std::fs::read_to_string(fixtures().join("events.jsonl")).expect("events.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| InboundEvent::from_slice(l.as_bytes(), usize::MAX).expect("valid event"))
        .collect()
}

#[test]
fn dev_set_precision_recall_and_forms() {
    let truth: Truth =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("truth.json")).expect("truth.json")).unwrap();
    let raw = evaluate(MatcherConfig::default(), events(), &truth);
    println!("dev set, truth.json as given:\n{raw}");

    let additions: Vec<TruthAddition> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("truth_additions.json")).unwrap()).unwrap();
    let corrected = truth.clone().with_additions(&additions);
    let report = evaluate(MatcherConfig::default(), events(), &corrected);
    println!("dev set, with {} documented truth additions:\n{report}", additions.len());

    assert!(report.precision >= 0.98, "precision {:.4} < 0.98\n{report}", report.precision);
    assert!(report.recall >= 0.90, "recall {:.4} < 0.90\n{report}", report.recall);
    assert!(report.wrong_forms.is_empty(), "forms wrong\n{report}");
}
