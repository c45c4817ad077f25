//! The consumed half of the event contract: parsing and validating what the CMS publishes.
//!
//! Validation is done by hand over a `serde_json::Value` rather than by serde alone, so that one bad message
//! yields *every* problem at once, each naming its JSON path (`document.title`), which is what goes into the
//! dead-letter headers and the `tujie ingest` report. Unknown fields are ignored, as the contract promises.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Document, DocumentKind, Form, SiteKind, Timestamp};

/// Types of events tujie consumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "policy.published")]
    PolicyPublished,
    #[serde(rename = "interpretation.published")]
    InterpretationPublished,
    /// The page was taken down; its links no longer count and its pending drafts are superseded.
    #[serde(rename = "document.withdrawn")]
    DocumentWithdrawn,
}

impl EventType {
    pub const ALL: [EventType; 3] =
        [EventType::PolicyPublished, EventType::InterpretationPublished, EventType::DocumentWithdrawn];

    /// The wire name, which is also the AMQP routing key.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::PolicyPublished => "policy.published",
            EventType::InterpretationPublished => "interpretation.published",
            EventType::DocumentWithdrawn => "document.withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// What a consumed event carries.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one payload per message, moved once; boxing would only add an allocation"
)]
pub enum Payload {
    /// A policy or an interpretation went online (or was re-published with changes).
    Published(Document),
    /// A document was taken down.
    Withdrawn { document_id: String },
}

/// A validated consumed event.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundEvent {
    pub event_id: String,
    pub event_type: EventType,
    pub occurred_at: Option<Timestamp>,
    pub payload: Payload,
}

/// One problem with one field of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path such as `document.title` or `document.related[2].url`; empty for the message as a whole.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() { f.write_str(&self.problem) } else { write!(f, "{}: {}", self.path, self.problem) }
    }
}

/// Why a message is not a valid event. Never retryable: the same bytes will fail the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("message is not valid JSON: {0}")]
    Json(String),
    #[error("message is {size} bytes, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("invalid event: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Fields(Vec<FieldError>),
}

impl ValidationError {
    /// A short machine-readable reason for dead-letter headers and metrics labels.
    pub fn reason(&self) -> &'static str {
        match self {
            ValidationError::Json(_) => "malformed_json",
            ValidationError::TooLarge { .. } => "too_large",
            ValidationError::Fields(_) => "schema_violation",
        }
    }
}

impl InboundEvent {
    /// Parses and validates one message. `limit` bounds the size in bytes.
    pub fn from_slice(bytes: &[u8], limit: usize) -> Result<Self, ValidationError> {
        if bytes.len() > limit {
            return Err(ValidationError::TooLarge { size: bytes.len(), limit });
        }
        let value: Value = serde_json::from_slice(bytes).map_err(|e| ValidationError::Json(e.to_string()))?;
        Self::from_value(value)
    }

    /// Validates an already-parsed JSON value.
    pub fn from_value(value: Value) -> Result<Self, ValidationError> {
        let mut errors = Vec::new();
        let Value::Object(mut top) = value else {
            return Err(fields_error("", "expected a JSON object"));
        };
        let event_id = required_string(&top, "", "event_id", &mut errors);
        let event_type = match top.get("type") {
            None | Some(Value::Null) => {
                errors.push(field("type", "is required"));
                None
            }
            Some(Value::String(s)) => EventType::parse(s).or_else(|| {
                let known = EventType::ALL.map(EventType::as_str).join(", ");
                errors.push(field("type", &format!("unknown event type `{s}` (expected one of {known})")));
                None
            }),
            Some(other) => {
                errors.push(field("type", &format!("expected a string, got {}", type_name(other))));
                None
            }
        };
        let occurred_at = optional_time(&top, "", "occurred_at", &mut errors);
        let document = match top.remove("document") {
            Some(Value::Object(doc)) => Some(doc),
            None | Some(Value::Null) => {
                errors.push(field("document", "is required"));
                None
            }
            Some(other) => {
                errors.push(field("document", &format!("expected an object, got {}", type_name(&other))));
                None
            }
        };
        let payload = match (event_type, document) {
            (Some(EventType::DocumentWithdrawn), Some(doc)) => required_string(&doc, "document.", "id", &mut errors)
                .map(|id| Payload::Withdrawn { document_id: id.trim().to_owned() }),
            (Some(t), Some(doc)) => {
                let kind =
                    if t == EventType::PolicyPublished { DocumentKind::Policy } else { DocumentKind::Interpretation };
                validate_document(doc, kind, &mut errors).map(Payload::Published)
            }
            _ => None,
        };
        match (event_id, event_type, payload) {
            (Some(event_id), Some(event_type), Some(payload)) if errors.is_empty() => {
                Ok(InboundEvent { event_id, event_type, occurred_at, payload })
            }
            _ => Err(ValidationError::Fields(errors)),
        }
    }

    /// The document id the event is about.
    pub fn document_id(&self) -> &str {
        match &self.payload {
            Payload::Published(doc) => &doc.id,
            Payload::Withdrawn { document_id } => document_id,
        }
    }
}

const OPTIONAL_STRINGS: [&str; 10] =
    ["site", "url", "doc_number", "index_no", "issuer", "department", "column", "topic", "body_text", "body_html"];

fn validate_document(
    mut doc: Map<String, Value>,
    kind: DocumentKind,
    errors: &mut Vec<FieldError>,
) -> Option<Document> {
    let before = errors.len();
    required_string(&doc, "document.", "id", errors);
    required_string(&doc, "document.", "title", errors);
    match doc.get("published_at") {
        None | Some(Value::Null) => errors.push(field("document.published_at", "is required")),
        _ => {
            optional_time(&doc, "document.", "published_at", errors);
        }
    }
    optional_time(&doc, "document.", "written_at", errors);
    for key in OPTIONAL_STRINGS {
        match doc.get(key) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(other) => {
                errors.push(field(&format!("document.{key}"), &format!("expected a string, got {}", type_name(other))))
            }
        }
    }
    if let Some(v) = doc.get("form")
        && !v.is_null()
    {
        match v.as_str().and_then(Form::parse) {
            Some(_) => {}
            None => errors.push(field(
                "document.form",
                &format!("expected one of {}, got {v}", Form::ALL.map(Form::as_str).join(", ")),
            )),
        }
    }
    if let Some(v) = doc.get("site_kind")
        && !v.is_null()
        && v.as_str().and_then(SiteKind::parse).is_none()
    {
        errors.push(field(
            "document.site_kind",
            &format!("expected one of {}, got {v}", SiteKind::ALL.map(SiteKind::as_str).join(", ")),
        ));
    }
    // Attachments may be given as bare URLs; normalise them to objects so serde sees one shape.
    if let Some(Value::Array(items)) = doc.get_mut("attachments") {
        for item in items.iter_mut() {
            if let Value::String(url) = item {
                *item = serde_json::json!({ "url": url });
            }
        }
    }
    for (key, members) in [
        ("attachments", &["title", "url", "media_type"][..]),
        ("related", &["url", "title", "relation"][..]),
        ("interprets", &["id", "url", "doc_number", "title"][..]),
    ] {
        match doc.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("document.{key}[{i}]");
                    match item {
                        Value::Object(obj) => {
                            for m in members {
                                if let Some(v) = obj.get(*m)
                                    && !(v.is_null() || v.is_string())
                                {
                                    errors.push(field(
                                        &format!("{path}.{m}"),
                                        &format!("expected a string, got {}", type_name(v)),
                                    ));
                                }
                            }
                        }
                        other => errors.push(field(&path, &format!("expected an object, got {}", type_name(other)))),
                    }
                }
            }
            Some(other) => {
                errors.push(field(&format!("document.{key}"), &format!("expected an array, got {}", type_name(other))))
            }
        }
    }
    if errors.len() > before {
        return None;
    }
    // Null collections mean "none": serde's `default` only covers absent keys.
    for key in ["attachments", "related", "interprets"] {
        if doc.get(key).is_some_and(Value::is_null) {
            doc.remove(key);
        }
    }
    doc.insert("kind".into(), Value::String(kind.as_str().into()));
    let known: Map<String, Value> = doc
        .into_iter()
        .filter(|(k, _)| {
            OPTIONAL_STRINGS.contains(&k.as_str())
                || [
                    "id",
                    "kind",
                    "title",
                    "published_at",
                    "written_at",
                    "form",
                    "site_kind",
                    "attachments",
                    "related",
                    "interprets",
                ]
                .contains(&k.as_str())
        })
        .collect();
    match serde_json::from_value::<Document>(Value::Object(known)) {
        Ok(mut d) => {
            d.id = d.id.trim().to_owned();
            d.title = d.title.trim().to_owned();
            Some(d)
        }
        Err(e) => {
            errors.push(field("document", &e.to_string()));
            None
        }
    }
}

fn required_string(obj: &Map<String, Value>, prefix: &str, key: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let path = format!("{prefix}{key}");
    match obj.get(key) {
        None | Some(Value::Null) => {
            errors.push(field(&path, "is required"));
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.push(field(&path, "must not be empty"));
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(field(&path, &format!("expected a string, got {}", type_name(other))));
            None
        }
    }
}

fn optional_time(obj: &Map<String, Value>, prefix: &str, key: &str, errors: &mut Vec<FieldError>) -> Option<Timestamp> {
    let path = format!("{prefix}{key}");
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Timestamp::parse(s).or_else(|| {
            errors.push(field(&path, &format!("`{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time")));
            None
        }),
        Some(other) => {
            errors.push(field(&path, &format!("expected a date string, got {}", type_name(other))));
            None
        }
    }
}

fn field(path: &str, problem: &str) -> FieldError {
    FieldError { path: path.to_owned(), problem: problem.to_owned() }
}

fn fields_error(path: &str, problem: &str) -> ValidationError {
    ValidationError::Fields(vec![field(path, problem)])
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy() -> Value {
        json!({
            "event_id": "e-1",
            "type": "policy.published",
            "document": {
                "id": "p-1", "title": "关于印发某某实施方案的通知", "published_at": "2023-04-05",
                "doc_number": "通政办发〔2023〕5号", "unknown_field": 42,
                "attachments": ["https://example.gov.cn/a.pdf"],
                "related": [{"url": "https://example.gov.cn/j.html", "title": "图解", "relation": "相关解读"}]
            }
        })
    }

    #[test]
    fn accepts_a_policy_and_ignores_unknown_fields() {
        let e = InboundEvent::from_value(policy()).unwrap();
        assert_eq!(e.event_type, EventType::PolicyPublished);
        let Payload::Published(doc) = e.payload else { panic!("expected a document") };
        assert_eq!(doc.kind, DocumentKind::Policy);
        assert_eq!(doc.attachments[0].url.as_deref(), Some("https://example.gov.cn/a.pdf"));
        assert_eq!(doc.related.len(), 1);
    }

    #[test]
    fn reports_every_bad_field_by_path() {
        let mut v = policy();
        v["document"].as_object_mut().unwrap().remove("title");
        v["document"]["published_at"] = json!("yesterday");
        v["document"]["related"][0]["url"] = json!(5);
        v["document"]["form"] = json!("poster");
        let Err(ValidationError::Fields(errs)) = InboundEvent::from_value(v) else { panic!("expected field errors") };
        let paths: Vec<_> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["document.title", "document.published_at", "document.form", "document.related[0].url"]);
    }

    #[test]
    fn malformed_json_and_oversize_are_classified() {
        assert_eq!(InboundEvent::from_slice(b"{not json", 1000).unwrap_err().reason(), "malformed_json");
        assert_eq!(InboundEvent::from_slice(&[b' '; 20], 10).unwrap_err().reason(), "too_large");
    }

    #[test]
    fn unknown_type_names_the_alternatives() {
        let mut v = policy();
        v["type"] = json!("policy.deleted");
        let err = InboundEvent::from_value(v).unwrap_err().to_string();
        assert!(err.contains("type: unknown event type `policy.deleted`"), "{err}");
    }

    #[test]
    fn withdrawn_needs_only_the_id() {
        let e =
            InboundEvent::from_value(json!({"event_id": "w", "type": "document.withdrawn", "document": {"id": "p-1"}}))
                .unwrap();
        assert_eq!(e.payload, Payload::Withdrawn { document_id: "p-1".into() });
    }
}
