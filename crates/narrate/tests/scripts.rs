//! Narration scripts of the fixture documents: snapshots of a few, and over every document of the dev, dev2 and
//! field sets the faithfulness check, spans inside the source, digit-free spoken text and subtitle properties.

use std::path::PathBuf;

use tujie_model::InboundEvent;
use tujie_model::event::Payload;
use tujie_narrate::{Script, ScriptOptions, Timeline, build, check, cues, slide_times};
use tujie_text::{Extraction, TextConfig, extract};

fn extractions() -> Vec<(String, Extraction)> {
    let mut out = Vec::new();
    for set in ["dev", "dev2", "field"] {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(set).join("doc_events.jsonl");
        let events = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in events.lines().filter(|l| !l.trim().is_empty()) {
            let ev = InboundEvent::from_slice(line.as_bytes(), 1 << 24).expect("valid event");
            let Payload::Published(doc) = ev.payload else { continue };
            if let Ok(x) = extract(&doc, &TextConfig::default()) {
                out.push((format!("{set}__{}", doc.id), x));
            }
        }
    }
    assert!(out.len() >= 20, "expected the fixture sets, found {} documents", out.len());
    out
}

/// The snapshot view: each sentence's part, slide, written and spoken forms and span count.
fn view(script: &Script) -> Vec<String> {
    script
        .sentences
        .iter()
        .map(|s| format!("{:?}/{:?} [{} spans] {} ⇒ {}", s.part, s.slide, s.spans.len(), s.written, s.spoken))
        .collect()
}

#[test]
fn scripts_of_the_first_documents_of_each_set() {
    let mut per_set = std::collections::HashMap::new();
    for (slug, x) in extractions() {
        let set = slug.split("__").next().unwrap_or_default().to_string();
        let n = per_set.entry(set).or_insert(0);
        *n += 1;
        if *n > 2 {
            continue;
        }
        let script = build(&x.content, &ScriptOptions::default());
        insta::assert_yaml_snapshot!(slug, view(&script));
    }
    assert_eq!(per_set.len(), 3, "dev, dev2 and field must all be present");
}

#[test]
fn every_script_is_faithful_and_speakable() {
    let opts = ScriptOptions::default();
    for (slug, x) in extractions() {
        let script = build(&x.content, &opts);
        assert!(script.sentences.len() >= 3, "{slug}: opening, content and closing expected");
        assert_eq!(script.sentences.first().map(|s| s.part), Some(tujie_narrate::Part::Opening), "{slug}");
        assert_eq!(script.sentences.last().map(|s| s.part), Some(tujie_narrate::Part::Closing), "{slug}");
        let bad = check(&script, &x.content, &x.source_text);
        assert!(bad.is_empty(), "{slug}: unsupported tokens {bad:#?}");
        for s in &script.sentences {
            assert!(s.spans.iter().all(|sp| sp.slice(&x.source_text).is_some()), "{slug}: span outside source");
            assert!(!s.spoken.chars().any(|c| c.is_ascii_digit()), "{slug}: digits left in {}", s.spoken);
            let joined: String = s.phrases.iter().map(|p| p.written.as_str()).collect();
            assert_eq!(joined, s.written, "{slug}: phrases must concatenate to the sentence");
            // Parts come in the order opening, who, how much, how, when, main, closing.
        }
        let parts: Vec<_> = script.sentences.iter().map(|s| s.part).collect();
        assert!(parts.is_sorted(), "{slug}: parts out of order {parts:?}");
    }
}

#[test]
fn cues_cover_the_speech_without_gaps_or_overlaps() {
    let opts = ScriptOptions::default();
    for (slug, x) in extractions().into_iter().take(12) {
        let script = build(&x.content, &opts);
        // Durations that vary with the phrase (as real speech does): 180 ms per character at 22050 Hz.
        let durations: Vec<u64> = script.phrases().map(|(_, p)| p.spoken.chars().count() as u64 * 3969).collect();
        let tl = Timeline::new(&script, &durations, 5512, 22050).expect("one duration per phrase");
        let cs = cues(&script, &tl, opts.line_chars);
        assert_eq!(cs.len(), durations.len(), "{slug}");
        assert_eq!(cs[0].start_ms, 0, "{slug}");
        assert_eq!(cs.last().map(|c| c.end_ms), Some(tl.total_ms()), "{slug}");
        for w in cs.windows(2) {
            assert!(w[0].start_ms < w[0].end_ms, "{slug}: empty cue {:?}", w[0]);
            assert_eq!(w[0].end_ms, w[1].start_ms, "{slug}: gap or overlap between {:?} and {:?}", w[0], w[1]);
        }
        for c in &cs {
            assert!((1..=2).contains(&c.lines.len()), "{slug}: {:?}", c.lines);
            for l in &c.lines {
                assert!(l.chars().count() <= opts.line_chars + 2, "{slug}: line too long: {l}");
            }
        }
        let slides = slide_times(&cs);
        assert_eq!(slides.first().map(|s| s.1), Some(0));
        assert_eq!(slides.last().map(|s| s.2), Some(tl.total_ms()));
    }
}
