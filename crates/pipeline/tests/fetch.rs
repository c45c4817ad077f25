//! Policies that arrive without a body: their text is fetched from a real HTTP server on 127.0.0.1 (port 0)
//! serving real government documents, through the same path as every event, and a fetch the rules refuse
//! becomes the policy's recorded reason, never a failed event.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;
use tujie_fetch::{FetchConfig, Fetcher};
use tujie_model::NoDraftReason;
use tujie_pipeline::{Outcome, Pipeline, PipelineOptions};
use tujie_render::{RenderConfig, Renderer};
use tujie_test_support::TestDb;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fetch/tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Serves the PDF at `/files/policy.pdf`, a 404 at `/missing.pdf`; returns the base URL.
async fn serve() -> String {
    use axum::http::header::CONTENT_TYPE;
    let pdf = fixture("fujian_yuer_butie.pdf");
    let app = axum::Router::new()
        .route(
            "/files/policy.pdf",
            axum::routing::get(move || async move { ([(CONTENT_TYPE, "application/pdf")], pdf) }),
        )
        .route("/page.html", axum::routing::get(|| async { axum::http::StatusCode::NOT_FOUND }));
    format!("http://{}", tujie_test_support::serve_on_free_port(app).await)
}

async fn pipeline(db: &TestDb, fetch: FetchConfig) -> Pipeline {
    let renderer = Arc::new(Renderer::new(RenderConfig::default(), vec![]).unwrap());
    let options = PipelineOptions::default();
    Pipeline::new(db.store.clone(), Some(renderer), options).await.unwrap().with_fetcher(Arc::new(Fetcher::new(fetch)))
}

fn loopback_allowed() -> FetchConfig {
    FetchConfig {
        hosts: vec!["127.0.0.1".into()],
        private_hosts: vec!["127.0.0.1".into()],
        retry_delays_ms: vec![10],
        ..FetchConfig::default()
    }
}

/// A policy event with neither `body_text` nor `body_html`, its document behind `attachment`.
fn bodiless_policy(base: &str, attachment: &str) -> Vec<u8> {
    json!({"event_id": "e-bodiless", "type": "policy.published", "document": {
        "id": "p-fj", "title": "福建省育儿补贴制度实施方案", "published_at": "2025-12-12",
        "issuer": "福建省卫生健康委员会", "department": "省卫健委", "url": format!("{base}/page.html"),
        "attachments": [{"title": "福建省育儿补贴制度实施方案.pdf", "url": attachment, "media_type": "application/pdf"}]}})
    .to_string()
    .into_bytes()
}

/// The paragraphs of the text the PDF was made from (see crates/fetch/tests/fixtures/README.md).
fn source_paragraphs() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/dev/docs/fujian_2025_yuer_butie_zhidu_shishifangan.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text.split_once(&format!("\n{}\n", "-".repeat(40))).expect("header line").1;
    body.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

/// Every `{start, end}` under a `spans` key of the content.
fn spans(v: &serde_json::Value, out: &mut Vec<(usize, usize)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                if k == "spans" {
                    for s in child.as_array().unwrap() {
                        out.push((s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize));
                    }
                } else {
                    spans(child, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| spans(i, out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_bodiless_policy_with_a_pdf_attachment_ends_with_a_draft() {
    let db = TestDb::sqlite().await;
    let base = serve().await;
    let pipeline = pipeline(&db, loopback_allowed()).await;
    let url = format!("{base}/files/policy.pdf");
    let Outcome::Applied { draft_created: Some(draft_id), .. } =
        pipeline.handle_bytes(&bodiless_policy(&base, &url)).await.unwrap()
    else {
        panic!("the fetched PDF gives the policy its draft")
    };

    // The PDF's text is the policy's body now, and the draft's spans point into exactly that text.
    let stored = db.store.document("p-fj").await.unwrap().unwrap().document;
    let body = stored.body_text.expect("the fetched text is stored as the body");
    let detail = db.store.draft_detail(&draft_id).await.unwrap().unwrap();
    assert_eq!(detail.source_text, body);
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for line in source_paragraphs() {
        assert!(
            squeeze(&body).contains(&squeeze(&line)),
            "every paragraph of the document is in the fetched text: {line}"
        );
    }
    let mut all = Vec::new();
    spans(&serde_json::to_value(&detail.content).unwrap(), &mut all);
    assert!(all.len() > 5, "the draft's items carry spans: {all:?}");
    for (start, end) in all {
        assert!(start < end && body.get(start..end).is_some(), "span {start}..{end} lies in the fetched text");
    }
    let text = serde_json::to_string(&detail.content).unwrap();
    assert!(text.contains("3600元"), "the amount of the PDF is in the draft with its unit: {text}");

    let row = db.store.coverage().await.unwrap().remove(0);
    assert_eq!((row.draft_id.as_deref(), row.no_draft), (Some(draft_id.as_str()), None));
    assert_eq!(row.fetched_from, [url]);
    db.finish().await;
}

#[tokio::test]
async fn a_fetch_the_rules_refuse_is_the_recorded_reason_not_a_failed_event() {
    let db = TestDb::postgres().await;
    let base = serve().await;
    // The server is up, but its host is not on the list.
    let only_elsewhere = FetchConfig { hosts: vec!["www.example.gov.cn".into()], ..FetchConfig::default() };
    let refusing = pipeline(&db, only_elsewhere).await;
    let Outcome::Applied { draft_created: None, draft_skipped: Some(why), .. } =
        refusing.handle_bytes(&bodiless_policy(&base, &format!("{base}/files/policy.pdf"))).await.unwrap()
    else {
        panic!("the policy is stored without a draft")
    };
    assert!(why.starts_with("fetch_failed: ") && why.contains("host `127.0.0.1` is not allowed"), "{why}");
    assert!(why.contains("[fetch] hosts"), "the message says which setting allows it: {why}");
    let row = db.store.coverage().await.unwrap().remove(0);
    assert_eq!(row.no_draft.as_ref().map(NoDraftReason::kind), Some("fetch_failed"));
    assert_eq!(db.store.department_report().await.unwrap()[0].text_missing, 1);

    // A 404 after the attachment: the attachment's error is the one recorded, and nothing was retried into poison.
    let loopback = pipeline(&db, loopback_allowed()).await;
    let event = json!({"event_id": "e-missing", "type": "policy.published", "document": {
        "id": "p-missing", "title": "某通知", "published_at": "2025-12-13",
        "attachments": [{"url": format!("{base}/missing.pdf")}]}});
    let Outcome::Applied { draft_skipped: Some(why), .. } =
        loopback.handle_bytes(event.to_string().as_bytes()).await.unwrap()
    else {
        panic!("applied")
    };
    assert!(why.contains("/missing.pdf: HTTP 404"), "{why}");
    db.finish().await;
}
