//! The fetcher against a real HTTP server on 127.0.0.1 (port 0) serving real government documents: a PDF and a
//! DOCX made from real policy texts, and a saved CMS page (see `fixtures/README.md`), plus the limits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::response::IntoResponse;
use axum::routing::get;
use tujie_fetch::{Extracted, FetchConfig, FetchError, Fetcher};
use tujie_model::{Attachment, Document, DocumentKind, Timestamp};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The body of a collected document (after its header block), as paragraphs.
fn paragraphs(path: &str) -> Vec<String> {
    let text = String::from_utf8(read(path)).unwrap();
    let body = text.split_once(&format!("\n{}\n", "-".repeat(40))).expect("header line").1;
    body.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

const PDF_SOURCE: &str = "tests/fixtures/dev/docs/fujian_2025_yuer_butie_zhidu_shishifangan.txt";
const DOCX_SOURCE: &str =
    "tests/fixtures/field/docs/district_2021_shanghai_changning_quchou_gonggong_zulin_zhufang_guanli_banfa.txt";
const PAGE: &str =
    "tests/fixtures/field/docs/city_2025_guangzhou_gaoxiao_biyesheng_chuangye_butie_yuexiu_zhuanzai.html";

struct Server {
    base: String,
    flaky_calls: Arc<AtomicUsize>,
}

async fn serve() -> Server {
    let pdf = read("crates/fetch/tests/fixtures/fujian_yuer_butie.pdf");
    let docx = read("crates/fetch/tests/fixtures/changning_gongzufang.docx");
    let page = String::from_utf8(read(PAGE)).unwrap();
    let page = page.split_once(&format!("\n{}\n", "-".repeat(40))).unwrap().1.to_owned();
    let flaky_calls = Arc::new(AtomicUsize::new(0));
    let calls = flaky_calls.clone();
    let pdf2 = pdf.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        // Attachments are often served as octet-stream; the bytes say what they are.
        .route("/a.pdf", get(move || async move { ([(CONTENT_TYPE, "application/octet-stream")], pdf) }))
        .route("/a.docx", get(move || async move { docx }))
        .route("/page.html", get(move || async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], page) }))
        .route("/moved", get(|| async { (StatusCode::FOUND, [(LOCATION, "/a.pdf")]) }))
        .route("/loop", get(|| async { (StatusCode::FOUND, [(LOCATION, "/loop")]) }))
        .route(
            "/offsite",
            get(move || async move {
                (StatusCode::MOVED_PERMANENTLY, [(LOCATION, format!("http://localhost:{}/a.pdf", addr.port()))])
            }),
        )
        .route("/big", get(|| async { vec![b'x'; 64 * 1024] }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                "late"
            }),
        )
        // A scan served under a name that does not say what it is.
        .route("/download", get(|| async { ([(CONTENT_TYPE, "image/png")], b"\x89PNG\r\n\x1a\n".to_vec()) }))
        .route(
            "/flaky.pdf",
            get(move || {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                let pdf = pdf2.clone();
                async move { if n < 2 { StatusCode::SERVICE_UNAVAILABLE.into_response() } else { pdf.into_response() } }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base: format!("http://{addr}"), flaky_calls }
}

fn loopback() -> FetchConfig {
    FetchConfig {
        hosts: vec!["127.0.0.1".into()],
        private_hosts: vec!["127.0.0.1".into()],
        retry_delays_ms: vec![10, 10],
        ..FetchConfig::default()
    }
}

fn policy(url: Option<String>, attachments: &[String]) -> Document {
    let mut doc = Document::new("p", DocumentKind::Policy, "通知", Timestamp::parse("2025-01-01").unwrap());
    doc.url = url;
    doc.attachments =
        attachments.iter().map(|u| Attachment { title: None, url: Some(u.clone()), media_type: None }).collect();
    doc
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_has_every_paragraph(text: &str, source: &str) {
    let got = squeeze(text);
    for p in paragraphs(source) {
        // The source's markdown heading marker is not part of the document.
        let p = p.trim_start_matches("# ");
        assert!(got.contains(&squeeze(p)), "missing from the extracted text: {p}\n---\n{text}");
    }
}

#[tokio::test]
async fn pdf_and_docx_attachments_become_text_with_every_paragraph() {
    let server = serve().await;
    let fetcher = Fetcher::new(loopback());
    for (file, source) in [("a.pdf", PDF_SOURCE), ("a.docx", DOCX_SOURCE)] {
        let url = format!("{}/{file}", server.base);
        let fetched = fetcher.fetch(&policy(None, std::slice::from_ref(&url))).await.unwrap();
        assert_eq!(fetched.sources, [url]);
        let Extracted::Text(text) = fetched.body else { panic!("{file} gives plain text") };
        assert_has_every_paragraph(&text, source);
    }
}

#[tokio::test]
async fn a_page_is_handed_on_as_html_and_attachments_come_first() {
    let server = serve().await;
    let fetcher = Fetcher::new(loopback());
    let page = format!("{}/page.html", server.base);
    let fetched = fetcher.fetch(&policy(Some(page.clone()), &[])).await.unwrap();
    let Extracted::Html(html) = &fetched.body else { panic!("a page stays HTML for the main-content extraction") };
    let saved = String::from_utf8(read(PAGE)).unwrap();
    assert!(saved.ends_with(html.as_str()), "the page exactly as served");
    // With attachments and a page, the attachments are the document: an image attachment is not fetched, an
    // unreadable one is skipped.
    let attachments = ["/photo.png", "/download", "/a.docx"].map(|p| format!("{}{p}", server.base));
    let both = policy(Some(page), &attachments);
    let fetched = fetcher.fetch(&both).await.unwrap();
    assert_eq!(fetched.sources, [format!("{}/a.docx", server.base)]);
    let mut doc = both.clone();
    fetched.apply_to(&mut doc);
    assert!(doc.body_text.is_some() && doc.body_html.is_none());
}

#[tokio::test]
async fn a_host_not_allowed_is_refused_with_a_clear_message() {
    let server = serve().await;
    let fetcher = Fetcher::new(FetchConfig { hosts: vec!["www.example.gov.cn".into()], ..FetchConfig::default() });
    let err = fetcher.fetch(&policy(None, &[format!("{}/a.pdf", server.base)])).await.unwrap_err();
    assert!(matches!(err, FetchError::HostNotAllowed { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("{}/a.pdf: host `127.0.0.1` is not allowed; add it to [fetch] hosts to fetch from it", server.base)
    );
    assert!(!err.is_retryable());

    // A redirect to a host that is not listed is refused the same way, even on the same machine.
    let err = Fetcher::new(loopback()).fetch(&policy(None, &[format!("{}/offsite", server.base)])).await.unwrap_err();
    assert!(matches!(&err, FetchError::HostNotAllowed { host, .. } if host == "localhost"), "{err}");
}

#[tokio::test]
async fn an_allowed_host_on_a_private_address_needs_its_own_permission() {
    let server = serve().await;
    let public_only = FetchConfig { hosts: vec!["127.0.0.1".into()], ..FetchConfig::default() };
    let err = Fetcher::new(public_only).fetch(&policy(None, &[format!("{}/a.pdf", server.base)])).await.unwrap_err();
    assert!(matches!(err, FetchError::PrivateAddress { .. }), "{err}");
    assert!(err.to_string().contains("[fetch] private_hosts"), "{err}");
}

#[tokio::test]
async fn redirects_sizes_and_time_are_bounded() {
    let server = serve().await;
    let fetch_one = |cfg: FetchConfig, path: &str| {
        let doc = policy(None, &[format!("{}{path}", server.base)]);
        async move { Fetcher::new(cfg).fetch(&doc).await }
    };
    let moved = fetch_one(loopback(), "/moved").await.unwrap();
    assert_eq!(moved.sources, [format!("{}/a.pdf", server.base)], "the source is where the body came from");

    let err = fetch_one(loopback(), "/loop").await.unwrap_err();
    assert!(err.to_string().contains("more than 5 redirects"), "{err}");

    let small = FetchConfig { max_bytes: 32 * 1024, ..loopback() };
    let err = fetch_one(small, "/big").await.unwrap_err();
    assert!(matches!(err, FetchError::TooLarge { limit: 32768, .. }), "{err}");

    let hasty = FetchConfig { timeout_ms: 200, connect_timeout_ms: 100, retry_delays_ms: vec![], ..loopback() };
    let err = fetch_one(hasty, "/slow").await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { ms: 200, .. }) && err.is_retryable(), "{err}");

    let err = fetch_one(loopback(), "/download").await.unwrap_err();
    assert!(matches!(err, FetchError::Unsupported { .. }), "{err}");
}

#[tokio::test]
async fn a_failure_that_may_pass_is_retried_and_one_that_cannot_is_not() {
    let server = serve().await;
    let flaky = policy(None, &[format!("{}/flaky.pdf", server.base)]);
    let fetched = Fetcher::new(loopback()).fetch(&flaky).await.unwrap();
    assert!(matches!(fetched.body, Extracted::Text(_)));
    assert_eq!(server.flaky_calls.load(Ordering::SeqCst), 3, "two 503s, then the file");

    server.flaky_calls.store(0, Ordering::SeqCst);
    let once = FetchConfig { retry_delays_ms: vec![10], ..loopback() };
    let err = Fetcher::new(once).fetch(&flaky).await.unwrap_err();
    assert!(matches!(err, FetchError::Status { status: 503, .. }), "{err}");
    assert_eq!(server.flaky_calls.load(Ordering::SeqCst), 2, "one retry, then the failure is returned");
}
