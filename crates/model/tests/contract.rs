//! The documented event contract and the code agree: every example message under `docs/examples/events/`
//! validates against its JSON Schema under `schemas/`, consumed ones parse with [`InboundEvent`], produced ones
//! with [`OutboundEvent`], and a message the schema rejects the parser rejects too.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tujie_model::{InboundEvent, OutboundEvent};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(event_type: &str) -> jsonschema::Validator {
    let schema = read_json(&root().join(format!("schemas/{event_type}.schema.json")));
    // Formats (date-time) are only annotations unless asked for; the contract means them as rules.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema {event_type}: {e}"))
}

#[test]
fn a_new_media_account_is_accepted_by_schema_and_parser() {
    let mut event = read_json(&root().join("docs/examples/events/interpretation.published.json"));
    event["document"]["site"] = Value::String("某县发布".into());
    event["document"]["site_kind"] = Value::String("wechat".into());
    assert!(validator("interpretation.published").is_valid(&event));
    let parsed = InboundEvent::from_value(event).unwrap();
    let tujie_model::event::Payload::Published(doc) = parsed.payload else { panic!("expected a document") };
    assert_eq!(doc.site_kind, Some(tujie_model::SiteKind::Wechat));
}

#[test]
fn every_example_matches_its_schema_and_the_parser() {
    let dir = root().join("docs/examples/events");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let example = read_json(&path);
        let event_type = example["type"].as_str().unwrap().to_owned();
        let errors: Vec<String> = validator(&event_type).iter_errors(&example).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{} does not match its schema: {errors:?}", path.display());
        match event_type.as_str() {
            "policy.published" | "interpretation.published" | "document.withdrawn" => {
                InboundEvent::from_value(example).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
            _ => {
                serde_json::from_value::<OutboundEvent>(example).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
        seen += 1;
    }
    let schemas = std::fs::read_dir(root().join("schemas"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".schema.json"))
        .count();
    assert!(schemas >= 9, "only {schemas} schemas under schemas/");
    assert_eq!(seen, schemas, "one example per event type (one per schema)");
}

/// A description and a way to break a valid message.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn schema_and_parser_reject_the_same_broken_messages() {
    let good = read_json(&root().join("docs/examples/events/policy.published.json"));
    let validator = validator("policy.published");
    let breakages: [Breakage; 6] = [
        ("no title", |v| {
            v["document"].as_object_mut().unwrap().remove("title");
        }),
        ("blank id", |v| v["document"]["id"] = Value::String("  ".into())),
        ("published_at not a date", |v| v["document"]["published_at"] = Value::String("2023年4月5日".into())),
        ("related not an array", |v| v["document"]["related"] = Value::String("x".into())),
        ("doc_number a number", |v| v["document"]["doc_number"] = Value::from(5)),
        ("an unknown site_kind", |v| v["document"]["site_kind"] = Value::String("twitter".into())),
    ];
    for (what, breakage) in breakages {
        let mut bad = good.clone();
        breakage(&mut bad);
        assert!(!validator.is_valid(&bad), "schema accepts a message with {what}");
        assert!(InboundEvent::from_value(bad).is_err(), "parser accepts a message with {what}");
    }
}
