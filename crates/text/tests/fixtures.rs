//! Extraction over every dev fixture document, as the pipeline sees them (`doc_events.jsonl`): snapshots of the
//! content, the faithfulness invariant, and key-fact coverage.

use std::path::PathBuf;
use tujie_model::event::Payload;
use tujie_model::{Document, InboundEvent, InfographicContent};
use tujie_text::faithful::{numberish_tokens, unsupported_tokens};
use tujie_text::{Extraction, TextConfig, extract};

fn dev_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev")
}

/// `(slug, document)` for every policy event of the dev fixtures; the slug is the fixture file's stem.
fn documents() -> Vec<(String, Document)> {
    let events = std::fs::read_to_string(dev_dir().join("doc_events.jsonl")).expect("doc_events.jsonl");
    let facts = key_facts();
    events
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let ev = InboundEvent::from_slice(l.as_bytes(), 1 << 24).expect("valid event");
            let Payload::Published(doc) = ev.payload else { panic!("not a published event") };
            let slug = facts
                .iter()
                .find(|f| f.title == doc.title)
                .map(|f| f.file.trim_end_matches(".txt").to_string())
                .unwrap_or_else(|| doc.id.clone());
            (slug, doc)
        })
        .collect()
}

struct DocFacts {
    file: String,
    title: String,
    facts: Vec<(String, Vec<String>)>,
}

fn key_facts() -> Vec<DocFacts> {
    let s = std::fs::read_to_string(dev_dir().join("key_facts.jsonl")).expect("key_facts.jsonl");
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            DocFacts {
                file: v["file"].as_str().expect("file").to_string(),
                title: v["title"].as_str().expect("title").to_string(),
                facts: v["facts"]
                    .as_array()
                    .expect("facts")
                    .iter()
                    .map(|f| {
                        let any =
                            f["any_of"].as_array().expect("any_of").iter().map(|x| x.as_str().unwrap().to_string());
                        (f["label"].as_str().unwrap().to_string(), any.collect())
                    })
                    .collect(),
            }
        })
        .collect()
}

fn run(doc: &Document) -> Extraction {
    extract(doc, &TextConfig::default()).expect("extraction")
}

/// Width-folded, space-free text for comparisons.
fn fold(s: &str) -> String {
    tujie_text::normalize::fold_for_compare(s)
}

fn draft_text(c: &InfographicContent) -> String {
    fold(&c.texts().join("\n"))
}

#[test]
fn snapshots() {
    for (slug, doc) in documents() {
        let x = run(&doc);
        insta::assert_yaml_snapshot!(slug.clone(), x.content);
    }
}

/// Every number, amount, percentage, date and 文号 of the content occurs in the source; every bullet, step, date
/// and figure has spans inside the source, and its pieces of text come from those spans.
#[test]
fn faithfulness() {
    for (slug, doc) in documents() {
        let x = run(&doc);
        let src = fold(&x.source_text);
        let meta_src = fold(&format!(
            "{} {} {} {}",
            doc.title,
            doc.doc_number.clone().unwrap_or_default(),
            doc.issuer.clone().unwrap_or_default(),
            x.metadata.written_date.clone().unwrap_or_default()
        ));
        let c = &x.content;
        // Subtitle comes from metadata (event or text); everything else from the body.
        for t in c.texts().into_iter().skip(2) {
            let invented = unsupported_tokens(t, &x.source_text);
            assert!(invented.is_empty(), "{slug}: {invented:?} in `{t}` is not in the source");
        }
        for m in numberish_tokens(&c.subtitle) {
            let ok = src.contains(&m) || meta_src.contains(&m) || fold(&meta_src.replace('-', "")).contains(&m);
            assert!(ok, "{slug}: subtitle `{m}` not in source or metadata");
        }
        let check = |what: &str, text: &str, spans: &[tujie_model::Span]| {
            assert!(!spans.is_empty(), "{slug}: {what} `{text}` has no span");
            let mut joined = String::new();
            for s in spans {
                let piece = s.slice(&x.source_text).unwrap_or_else(|| panic!("{slug}: bad span {s:?} for `{text}`"));
                joined.push_str(piece);
            }
            // Every CJK character of the text occurs in what its spans cover.
            let cover = fold(&joined);
            for ch in fold(text).chars().filter(|c| tujie_text::normalize::is_wide(*c) && !"：，…".contains(*c)) {
                assert!(cover.contains(ch), "{slug}: {what} `{text}` has `{ch}` outside its spans `{joined}`");
            }
        };
        for s in &c.sections {
            for b in &s.bullets {
                check("bullet", &b.text, &b.spans);
            }
            for st in &s.steps {
                check("step", &st.text, &st.spans);
            }
            for d in &s.dates {
                check("date", &format!("{}{}", d.date, d.label), &d.spans);
            }
            for f in &s.figures {
                check("figure", &format!("{}{}{}", f.value, f.unit, f.label), &f.spans);
            }
            if !s.heading.is_empty() && s.heading != s.kind.default_heading() {
                assert!(src.contains(&fold(&s.heading)), "{slug}: heading `{}` is not in the source", s.heading);
            }
        }
        for f in &c.figures {
            check("figure", &format!("{}{}{}", f.value, f.unit, f.label), &f.spans);
        }
    }
}

/// Share of key facts each draft shows; ≥80% overall and ≥60% per document.
#[test]
fn key_fact_coverage() {
    let docs = documents();
    let (mut hit_all, mut total_all) = (0usize, 0usize);
    let mut worst = 1.0f64;
    for kf in key_facts() {
        let Some((_, doc)) = docs.iter().find(|(_, d)| d.title == kf.title) else {
            panic!("no event for {}", kf.file);
        };
        let x = run(doc);
        let text = draft_text(&x.content);
        let mut hit = 0;
        for (label, any) in &kf.facts {
            if any.iter().any(|a| text.contains(&fold(a))) {
                hit += 1;
            } else {
                println!("  missing in {}: {label}", kf.file);
            }
        }
        let share = hit as f64 / kf.facts.len() as f64;
        println!("{:>5.1}%  {hit}/{}  {}", share * 100.0, kf.facts.len(), kf.file);
        worst = worst.min(share);
        hit_all += hit;
        total_all += kf.facts.len();
    }
    let overall = hit_all as f64 / total_all as f64;
    println!("overall {:.1}% ({hit_all}/{total_all})", overall * 100.0);
    assert!(overall >= 0.8, "overall key-fact coverage {overall:.3} < 0.8");
    assert!(worst >= 0.6, "a document's key-fact coverage {worst:.3} < 0.6");
}

/// Each section keeps its limits.
#[test]
fn limits_hold() {
    let cfg = TextConfig::default();
    for (slug, doc) in documents() {
        let c = run(&doc).content;
        assert!(c.sections.len() <= cfg.max_sections, "{slug}");
        assert!(c.figures.len() <= cfg.max_figures, "{slug}");
        for s in &c.sections {
            assert!(s.bullets.len() <= cfg.max_bullets_per_section, "{slug}: {}", s.heading);
            for b in &s.bullets {
                assert!(b.text.chars().count() <= cfg.max_bullet_chars, "{slug}: long bullet `{}`", b.text);
            }
        }
    }
}
