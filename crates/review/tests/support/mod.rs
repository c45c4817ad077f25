//! What the workspace's test binaries share: a database whose drafts the real pipeline made from real policy
//! documents, accounts of two departments, a server on a free port, and a small HTTP/1.1 client over a plain TCP
//! stream (the tests speak real HTTP to a real socket, and need no HTTP client library for it).
#![allow(dead_code, unused_macros)] // reason: each test binary uses a different subset of the helpers

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tujie_model::InboundEvent;
use tujie_pipeline::{Outcome, Pipeline, PipelineOptions};
use tujie_render::{RenderConfig, Renderer};
use tujie_report::ReportConfig;
use tujie_review::ReviewConfig;
use tujie_review::auth::{hash_secret, new_secret};
use tujie_store::{Role, Store};
use tujie_text::TextConfig;

pub use tujie_test_support::TestDb;

/// [`tujie_test_support::both_backends!`] with each scenario given a fresh [`setup`] on its backend; the scenario
/// removes the database (`f.db.finish()`). The test file must have `setup` in scope.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        tujie_test_support::both_backends!(|db, scenario| async move { scenario(setup(db).await).await }; $($name),*);
    };
}

pub const DEPT_A: &str = "县卫生健康局";
pub const DEPT_B: &str = "县教育局";

pub struct Account {
    pub name: String,
    pub token: String,
}

pub struct Fixture {
    pub db: TestDb,
    pub app: Router,
    pub renderer: Arc<Renderer>,
    /// The pending draft of each department.
    pub draft_a: String,
    pub draft_b: String,
    pub editor_a: Account,
    pub editor_b: Account,
    pub supervisor: Account,
}

impl Fixture {
    pub fn store(&self) -> &Store {
        &self.db.store
    }

    /// The same workspace with another configuration (fresh login throttle).
    pub fn app_with(&self, config: ReviewConfig) -> Router {
        tujie_review::router(
            self.db.store.clone(),
            self.renderer.clone(),
            config,
            TextConfig::default(),
            ReportConfig::default(),
        )
    }
}

/// The two shortest policy documents of the dev set (rendering is the slow part), one per department.
pub fn policy_events() -> Vec<Value> {
    let mut events = tujie_test_support::read_jsonl(&tujie_test_support::fixture("dev/doc_events.jsonl"));
    events.sort_by_key(|e| e["document"]["body_text"].as_str().map_or(usize::MAX, str::len));
    events.truncate(2);
    events
}

pub async fn account(store: &Store, name: &str, department: Option<&str>, role: Role) -> Account {
    let token = new_secret().unwrap();
    store.add_user(name, department, role, &hash_secret(&token)).await.unwrap();
    Account { name: name.into(), token }
}

pub async fn setup(db: TestDb) -> Fixture {
    let renderer = Arc::new(Renderer::new(RenderConfig::default(), vec![]).unwrap());
    let options = PipelineOptions::default();
    let pipeline = Pipeline::new(db.store.clone(), Some(renderer.clone()), options).await.unwrap();
    let mut drafts = Vec::new();
    for (mut event, department) in policy_events().into_iter().zip([DEPT_A, DEPT_B]) {
        event["document"]["department"] = department.into();
        let event = InboundEvent::from_value(event).unwrap();
        let Outcome::Applied { draft_created: Some(id), .. } = pipeline.handle(event).await.unwrap() else {
            panic!("a policy with a body and no interpretation gets a draft")
        };
        drafts.push(id);
    }
    let store = &db.store;
    let editor_a = account(store, "编辑甲", Some(DEPT_A), Role::Editor).await;
    let editor_b = account(store, "编辑乙", Some(DEPT_B), Role::Editor).await;
    let supervisor = account(store, "督查丙", None, Role::Supervisor).await;
    let app = tujie_review::router(
        db.store.clone(),
        renderer.clone(),
        ReviewConfig::default(),
        TextConfig::default(),
        ReportConfig::default(),
    );
    let draft_b = drafts.pop().unwrap();
    let draft_a = drafts.pop().unwrap();
    Fixture { db, app, renderer, draft_a, draft_b, editor_a, editor_b, supervisor }
}

/// A running server on 127.0.0.1 and a free port; stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    pub async fn start(app: Router) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(tujie_review::serve(listener, app, async move {
            let _ = stopped.await;
        }));
        Server { addr, stop: Some(stop) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An answer read off the socket.
#[derive(Debug)]
pub struct HttpReply {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// `name=value` of the cookie the answer sets, if any.
    pub fn cookie(&self) -> Option<String> {
        let set = self.header("set-cookie");
        set.split(';').next().filter(|c| !c.is_empty()).map(str::to_owned)
    }
}

/// Sends one request (`Connection: close`) to `addr` and reads the whole answer. `headers` are `(name, value)`.
pub async fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpReply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect to the test server");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    // Read until the body is complete by its Content-Length: some servers (chromedriver) keep the connection open.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut buf).await.expect("read the answer");
        raw.extend_from_slice(&buf[..n]);
        if n == 0 || complete(&raw) {
            break;
        }
    }
    parse_reply(&raw)
}

/// Whether `raw` holds a whole answer with a `Content-Length` (others are read to the end of the connection).
fn complete(raw: &[u8]) -> bool {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok());
    length.is_some_and(|n: usize| raw.len() >= split + 4 + n)
}

fn parse_reply(raw: &[u8]) -> HttpReply {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP head");
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked { dechunk(rest) } else { rest.to_vec() };
    HttpReply { status, headers, body }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        body.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
    body
}

/// `application/x-www-form-urlencoded` of `fields`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The CSRF token of a `tujie_session=…` cookie, as the pages put it in their forms.
pub fn csrf_of(cookie: &str) -> String {
    tujie_review::security::csrf_token(cookie.split_once('=').map_or("", |(_, v)| v))
}
