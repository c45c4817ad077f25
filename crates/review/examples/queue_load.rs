//! How long the review workspace's draft pages take with 10,000 drafts in PostgreSQL (issue 13: "The draft page
//! loads in under 200 ms with 10,000 drafts in PostgreSQL"). Prints figures; it asserts nothing.
//!
//! ```sh
//! cargo run --release -p tujie-review --example queue_load            # 10,000 drafts, 20 requests per page
//! cargo run --release -p tujie-review --example queue_load -- 2000 10 # drafts, requests per page
//! ```
//!
//! It creates a scratch database on `TUJIE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`),
//! stores the drafts through `Store::apply` (the pipeline's write path; the images are a few bytes, since no page
//! reads them), spread over 10 departments, and asks the router for each page as the supervisor (all departments)
//! and as an editor (one department) in-process, timing from request to the last byte of the body. The database
//! is dropped at the end.
//!
//! On the 2-core development machine (release build, 10,000 drafts, 20 requests per line, commit 71eec8c): the
//! supervisor's `/drafts` (all 10,000 rows, 2.5 MB) 148 ms median and 176 ms p95; an editor's `/drafts` (1,000
//! rows) 26 ms; `/api/drafts` 116 ms (supervisor) and 13 ms (editor); a draft page 0.6 ms. `Store::department_report`
//! alone takes 1.9 s at this size, which is why the queue page no longer calls it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use tower::ServiceExt as _;
use tujie_model::event::Payload;
use tujie_model::{InboundEvent, InfographicContent, RenderedDraft};
use tujie_render::{RenderConfig, Renderer};
use tujie_review::ReviewConfig;
use tujie_review::auth::{hash_secret, new_secret};
use tujie_store::{Change, DocumentAction, NewDocument, NewDraft, Role, Store};

const DEPARTMENTS: usize = 10;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let drafts: usize = args.next().map_or(10_000, |a| a.parse().expect("number of drafts"));
    let requests: usize = args.next().map_or(20, |a| a.parse().expect("requests per page"));

    let db = tujie_test_support::TestDb::postgres().await;
    let store = db.store.clone();
    let started = Instant::now();
    let mut last_draft = String::new();
    for i in 0..drafts {
        last_draft = store_draft(&store, i).await;
        if (i + 1).is_multiple_of(2000) {
            eprintln!("{} drafts stored ({:.0} s)", i + 1, started.elapsed().as_secs_f64());
        }
    }
    eprintln!("{drafts} drafts stored in {:.1} s", started.elapsed().as_secs_f64());

    let supervisor = account(&store, "督查", None, Role::Supervisor).await;
    let editor = account(&store, "编辑", Some(&department(0)), Role::Editor).await;
    let renderer = Arc::new(Renderer::new(RenderConfig::default(), vec![]).expect("renderer"));
    let app = tujie_review::router(
        store.clone(),
        renderer,
        ReviewConfig::default(),
        tujie_text::TextConfig::default(),
        tujie_report::ReportConfig::default(),
    );

    println!(
        "{drafts} drafts in PostgreSQL, {DEPARTMENTS} departments; {requests} requests per line after one warm-up"
    );
    println!("| page | as | bytes | median ms | p95 ms | max ms |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    let pages = [
        ("/drafts", "supervisor", &supervisor),
        ("/drafts", "editor (1 department)", &editor),
        ("/api/drafts", "supervisor", &supervisor),
        ("/api/drafts", "editor (1 department)", &editor),
    ];
    let show = format!("/drafts/{last_draft}");
    for (path, who, token) in pages.iter().copied().chain([(show.as_str(), "supervisor", &supervisor)]) {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..=requests {
            let (took, size) = time(&app, path, token).await;
            times.push(took);
            bytes = size;
        }
        times.remove(0); // the warm-up
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let p95 = times[(times.len() * 95).div_ceil(100).saturating_sub(1)];
        println!(
            "| `{}` | {who} | {bytes} | {:.1} | {:.1} | {:.1} |",
            if path.starts_with("/drafts/dr-") { "/drafts/{id}" } else { path },
            ms(times[times.len() / 2]),
            ms(p95),
            ms(*times.last().unwrap())
        );
    }
    // Where the supervisor's queue page spends its time: the queue query, and the department list of its filter.
    println!();
    println!("| store call | median ms |");
    println!("| --- | ---: |");
    let median = |mut t: Vec<Duration>| {
        t.sort();
        t[t.len() / 2].as_secs_f64() * 1000.0
    };
    let mut queue = Vec::new();
    let mut departments = Vec::new();
    let mut known = Vec::new();
    for _ in 0..requests.max(1) {
        let started = Instant::now();
        store.review_queue(None, tujie_store::DepartmentFilter::All).await.expect("queue");
        queue.push(started.elapsed());
        let started = Instant::now();
        store.department_report().await.expect("department report");
        departments.push(started.elapsed());
        let started = Instant::now();
        store.known_departments().await.expect("known departments");
        known.push(started.elapsed());
    }
    println!("| `review_queue` (all departments) | {:.1} |", median(queue));
    println!("| `department_report` | {:.1} |", median(departments));
    println!("| `known_departments` | {:.1} |", median(known));
    db.finish().await;
}

fn department(i: usize) -> String {
    format!("县第{}局", i % DEPARTMENTS + 1)
}

/// One policy with one pending draft, through the pipeline's write path.
async fn store_draft(store: &Store, i: usize) -> String {
    let event = json!({"event_id": format!("e-{i}"), "type": "policy.published", "document": {
        "id": format!("p-{i}"), "title": format!("关于印发某县第{i}号惠民补贴实施办法的通知"),
        "published_at": format!("2025-{:02}-{:02}", i % 12 + 1, i % 28 + 1), "department": department(i),
        "body_text": "一、补贴对象\n本县户籍居民。\n二、补贴标准\n每人每月100元。"}});
    let event = InboundEvent::from_value(event).expect("a valid event");
    let Payload::Published(document) = event.payload else { unreachable!("a policy event") };
    let draft_id = format!("dr-p-{i}-bench");
    let content = InfographicContent {
        title: document.title.clone(),
        subtitle: String::new(),
        source_title: None,
        source_url: None,
        figures: vec![],
        sections: vec![],
    };
    let change = Change {
        event_id: event.event_id,
        event_type: "policy.published".into(),
        occurred_at: document.published_at,
        draft: Some(NewDraft {
            id: draft_id.clone(),
            policy_id: document.id.clone(),
            content,
            source_text: document.body_text.clone().unwrap_or_default(),
            rendered: RenderedDraft {
                template: "long".into(),
                warnings: if i.is_multiple_of(3) { vec!["提示".into()] } else { vec![] },
                svg: "<svg/>".into(),
                png: vec![1],
                preview_png: vec![1],
                ..RenderedDraft::default()
            },
        }),
        action: DocumentAction::Upsert(Box::new(NewDocument {
            document,
            form: None,
            form_cue: None,
            no_draft: None,
            fetched_from: vec![],
        })),
        links: vec![],
    };
    store.apply(change).await.expect("store a draft");
    draft_id
}

async fn account(store: &Store, name: &str, department: Option<&str>, role: Role) -> String {
    let token = new_secret().expect("a token");
    store.add_user(name, department, role, &hash_secret(&token)).await.expect("add an account");
    token
}

/// One GET with a bearer token; the time until the whole body was read, and its size.
async fn time(app: &axum::Router, path: &str, token: &str) -> (Duration, usize) {
    let request = Request::get(path).header("Authorization", format!("Bearer {token}")).body(Body::empty()).unwrap();
    let started = Instant::now();
    let response = app.clone().oneshot(request).await.expect("a response");
    assert!(response.status().is_success(), "GET {path}: {}", response.status());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the body");
    (started.elapsed(), body.len())
}
