//! Builders of the changes the store tests apply: documents, links and drafts. Shared by the storage suite
//! (`tests/backends.rs`) and the unit tests of `src/apply.rs`, which include this file; the store's own types
//! come from the including module, so the same text compiles inside and outside the crate.

use serde_json::json;
use tujie_model::{Document, Evidence, Form, InboundEvent, InfographicContent, Link, RenderedDraft, event::Payload};

use super::{Change, DocumentAction, NewDocument, NewDraft};

pub fn doc(kind: &str, id: &str, title: &str, date: &str) -> Document {
    let v = json!({"event_id": format!("e-{id}"), "type": format!("{kind}.published"),
                   "document": {"id": id, "title": title, "published_at": date, "department": "县发展改革局"}});
    match InboundEvent::from_value(v).expect("valid test event").payload {
        Payload::Published(d) => d,
        Payload::Withdrawn { .. } => unreachable!("published event"),
    }
}

pub fn upsert(event_id: &str, document: Document, form: Option<Form>) -> Change {
    Change {
        event_id: event_id.into(),
        event_type: "test".into(),
        occurred_at: document.published_at,
        action: DocumentAction::Upsert(Box::new(NewDocument {
            document,
            form,
            form_cue: form.map(|_| "test".into()),
            no_draft: None,
            fetched_from: vec![],
        })),
        links: vec![],
        draft: None,
    }
}

pub fn link(policy: &str, interp: &str) -> Link {
    Link {
        policy_id: policy.into(),
        interpretation_id: interp.into(),
        score: 0.97,
        method: "doc_number".into(),
        evidence: vec![Evidence { signal: "doc_number".into(), detail: "同文号".into(), weight: 0.9 }],
    }
}

pub fn draft(id: &str, policy: &str) -> NewDraft {
    NewDraft {
        id: id.into(),
        policy_id: policy.into(),
        content: InfographicContent {
            title: "图解".into(),
            subtitle: String::new(),
            source_title: None,
            source_url: None,
            figures: vec![],
            sections: vec![],
        },
        source_text: "正文".into(),
        rendered: RenderedDraft {
            template: "long".into(),
            warnings: vec!["w".into()],
            missing_glyphs: vec![],
            svg: "<svg/>".into(),
            png: vec![1, 2, 3],
            preview_png: vec![4],
        },
    }
}
