//! The review workspace over HTTP, on SQLite and PostgreSQL: every scenario runs against a fresh database whose
//! drafts the real pipeline made from real policy documents (`tests/fixtures/dev/doc_events.jsonl`), through the
//! whole router (`tower::ServiceExt::oneshot`), with real logins.
//!
//! PostgreSQL never skips: when the server is missing the tests fail saying how to start it.

#[macro_use]
mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::Datelike as _;
use serde_json::{Value, json};
use support::{Account, DEPT_A, DEPT_B, Fixture, csrf_of, encode, setup};
use tower::ServiceExt as _;
use tujie_model::DraftStatus;
use tujie_render::Mode;
use tujie_review::auth::{hash_secret, new_secret};
use tujie_review::pages::esc;

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
    Reply { status, headers, body }
}

/// An API call authenticated with the account's login token; a `POST` without a body sends `{}`.
async fn api(f: &Fixture, who: &Account, method: Method, path: &str, body: Option<Value>) -> Reply {
    let body = if method == Method::POST { Some(body.unwrap_or_else(|| json!({}))) } else { body };
    let mut request =
        Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {}", who.token));
    let body = match body {
        Some(v) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(&f.app, request.body(body).unwrap()).await
}

/// Logs in through the login form; returns the `name=value` of the session cookie.
async fn login(f: &Fixture, who: &Account) -> String {
    let reply = send(&f.app, form_request("/login", None, &[("name", &who.name), ("token", &who.token)])).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let cookie = reply.header("set-cookie").to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

/// A form post; with a session cookie it carries the session's CSRF token, as the pages' forms do.
fn form_request(path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Request<Body> {
    let csrf = cookie.map(csrf_of);
    let mut fields = fields.to_vec();
    if let Some(token) = &csrf {
        fields.push(("_csrf", token));
    }
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    request.body(Body::from(support::form_body(&fields))).unwrap()
}

async fn page(f: &Fixture, cookie: &str, path: &str) -> Reply {
    send(&f.app, Request::builder().uri(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

async fn post_form(f: &Fixture, cookie: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
    send(&f.app, form_request(path, Some(cookie), fields)).await
}

/// The draft as the API returns it.
async fn draft(f: &Fixture, who: &Account, id: &str) -> Value {
    let reply = api(f, who, Method::GET, &format!("/api/drafts/{id}"), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

/// The first text item (bullet or step) of a draft view with at least one source span: `(id, text)`.
fn first_text_item(view: &Value) -> (String, String) {
    for section in view["items"]["sections"].as_array().unwrap() {
        for item in section["items"].as_array().unwrap() {
            let fields = item["fields"].as_array().unwrap();
            if fields.len() == 1 && !item["sources"].as_array().unwrap().is_empty() {
                return (item["id"].as_str().unwrap().into(), fields[0][1].as_str().unwrap().into());
            }
        }
    }
    panic!("the draft has no bullet or step: {view}")
}

/// A list (by id prefix) with at least two items, for reordering: the ids in order.
fn a_list_of_two(view: &Value) -> Vec<String> {
    for section in view["items"]["sections"].as_array().unwrap() {
        let ids: Vec<String> =
            section["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
        for prefix in ids.iter().map(|id| id.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()) {
            let same: Vec<String> =
                ids.iter().filter(|id| id.trim_end_matches(|c: char| c.is_ascii_digit()) == prefix).cloned().collect();
            if same.len() >= 2 {
                return same;
            }
        }
    }
    panic!("no list with two items in {view}")
}

/// The text fields of an item, joined.
fn item_text(view: &Value, id: &str) -> String {
    let items =
        view["items"]["sections"].as_array().unwrap().iter().flat_map(|s| s["items"].as_array().unwrap().iter());
    let item = items.clone().find(|i| i["id"] == id).unwrap_or_else(|| panic!("no item {id}"));
    item["fields"].as_array().unwrap().iter().map(|f| f[1].as_str().unwrap()).collect::<Vec<_>>().join("")
}

async fn png_of(f: &Fixture, id: &str) -> Vec<u8> {
    f.store().draft_assets(id).await.unwrap().unwrap().rendered.png
}

async fn queue_lists_pending_drafts_by_department(f: Fixture) {
    let mine = api(&f, &f.editor_a, Method::GET, "/api/drafts", None).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text());
    let mine = mine.json();
    let ids: Vec<&str> = mine.as_array().unwrap().iter().map(|d| d["draft_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [f.draft_a.as_str()], "an editor sees the pending drafts of their own department only");
    let item = &mine[0];
    assert_eq!(item["department"], DEPT_A);
    let detail = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    assert_eq!(item["policy_title"], detail.policy.title.as_str());
    assert_eq!(item["warnings"], detail.warnings.len());

    let all = api(&f, &f.supervisor, Method::GET, "/api/drafts", None).await.json();
    assert_eq!(all.as_array().unwrap().len(), 2, "a supervisor sees every department");
    let path = format!("/api/drafts?department={}", encode(DEPT_B));
    let only_b = api(&f, &f.supervisor, Method::GET, &path, None).await.json();
    assert_eq!(
        only_b.as_array().unwrap().iter().map(|d| d["draft_id"].as_str().unwrap()).collect::<Vec<_>>(),
        [f.draft_b.as_str()]
    );
    let refused = api(&f, &f.editor_a, Method::GET, &path, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.json()["error"].as_str().unwrap().contains(DEPT_B), "{}", refused.text());
    let approved = api(&f, &f.supervisor, Method::GET, "/api/drafts?status=approved", None).await.json();
    assert_eq!(approved.as_array().unwrap().len(), 0);
    let bogus = api(&f, &f.supervisor, Method::GET, "/api/drafts?status=done", None).await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);
    assert!(bogus.json()["error"].as_str().unwrap().contains("done"));

    let cookie = login(&f, &f.editor_a).await;
    let html = page(&f, &cookie, "/drafts").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.header("content-type").starts_with("text/html"));
    let other = f.store().draft_detail(&f.draft_b).await.unwrap().unwrap();
    assert!(html.text().contains(&esc(&detail.policy.title)), "{}", html.text());
    assert!(!html.text().contains(&esc(&other.policy.title)), "another department's draft is listed");
    assert!(html.text().contains("已等待") && html.text().contains("0 天"));
    f.db.finish().await;
}

async fn draft_page_shows_every_item_with_its_source(f: Fixture) {
    let detail = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    let cookie = login(&f, &f.editor_a).await;
    let html = page(&f, &cookie, &format!("/drafts/{}", f.draft_a)).await;
    assert_eq!(html.status, StatusCode::OK, "{}", html.text());
    let text = html.text();
    assert!(text.contains(&esc(&detail.policy.title)));
    assert!(text.contains(&format!("/drafts/{}/preview.png", f.draft_a)));
    for w in &detail.warnings {
        assert!(text.contains(&esc(w)), "warning `{w}` is shown");
    }
    let mut excerpts = 0;
    for section in &detail.content.sections {
        for b in &section.bullets {
            assert!(text.contains(&format!(">{}</textarea>", esc(&b.text))), "bullet `{}` is in a textarea", b.text);
            for span in &b.spans {
                let source = span.slice(&detail.source_text).expect("span inside the source");
                assert!(text.contains(&format!("<mark>{}</mark>", esc(source))), "source of `{}` shown", b.text);
                excerpts += 1;
            }
        }
    }
    assert!(excerpts > 0, "the draft has bullets with spans");
    let view = draft(&f, &f.editor_a, &f.draft_a).await;
    assert_eq!(view["revision"], 1);
    assert_eq!(view["policy"]["department"], DEPT_A);
    let (id, _) = first_text_item(&view);
    assert!(text.contains(&format!("name=\"{id}.text\"")));
    f.db.finish().await;
}

async fn edit_makes_a_new_revision_and_rerenders(f: Fixture) {
    let before = draft(&f, &f.editor_a, &f.draft_a).await;
    let png_before = png_of(&f, &f.draft_a).await;
    let (id, text) = first_text_item(&before);
    let edited = format!("{text}（已核对）");
    let order = a_list_of_two(&before);
    let body = json!({"base_revision": 1, "note": "核对原文", "items": [
        {"id": id, "text": edited},
        {"id": order[1], "order": 1},
    ]});
    let reply = api(&f, &f.editor_a, Method::POST, &format!("/api/drafts/{}/edit", f.draft_a), Some(body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["revision"], 2);

    let after = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    assert_eq!(after.revision, 2);
    let view_after = draft(&f, &f.editor_a, &f.draft_a).await;
    let edited_id = if id == order[0] {
        &order[1]
    } else if id == order[1] {
        &order[0]
    } else {
        &id
    };
    assert_eq!(item_text(&view_after, edited_id), edited, "the edited text is stored");
    let expected = |old_id: &str| if old_id == id { edited.clone() } else { item_text(&before, old_id) };
    assert_eq!(item_text(&view_after, &order[0]), expected(&order[1]), "the moved item comes first");
    assert_eq!(item_text(&view_after, &order[1]), expected(&order[0]));
    let spans_before: Vec<Value> =
        before["content"]["sections"].as_array().unwrap().iter().map(|s| s["bullets"].clone()).collect();
    let spans_after: Vec<Value> =
        view_after["content"]["sections"].as_array().unwrap().iter().map(|s| s["bullets"].clone()).collect();
    let span_sets = |v: &[Value]| -> Vec<Value> {
        let mut all: Vec<Value> =
            v.iter().flat_map(|b| b.as_array().unwrap().iter().map(|x| x["spans"].clone())).collect();
        all.sort_by_key(|s| s.to_string());
        all
    };
    assert_eq!(span_sets(&spans_before), span_sets(&spans_after), "edited and moved items keep their spans");
    assert_ne!(png_of(&f, &f.draft_a).await, png_before, "the PNG was re-rendered from the edited content");
    let revisions = f.store().draft_revisions(&f.draft_a).await.unwrap();
    assert_eq!(revisions, [(1, "system".to_owned()), (2, f.editor_a.name.clone())]);
    let history = f.store().draft_history(&f.draft_a).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("edit", f.editor_a.name.as_str()));
    assert!(last.comment.as_deref().unwrap().contains("核对原文"));

    // The same through the page's form: every field posted, only changes count.
    let cookie = login(&f, &f.editor_a).await;
    let html = page(&f, &cookie, &format!("/drafts/{}", f.draft_a)).await;
    assert!(html.text().contains("name=\"base_revision\" value=\"2\""), "the form carries the revision it shows");
    let again = format!("{edited}（二审）");
    let reply = post_form(
        &f,
        &cookie,
        &format!("/drafts/{}/edit", f.draft_a),
        &[("base_revision", "2"), (&format!("{id}.text"), &again), ("title.text", &after.content.title), ("note", "")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(reply.header("location"), format!("/drafts/{}?msg=saved", f.draft_a));
    let third = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    assert_eq!(third.revision, 3);
    assert_eq!(third.content.title, after.content.title);
    f.db.finish().await;
}

async fn a_stale_edit_is_refused(f: Fixture) {
    let view = draft(&f, &f.editor_a, &f.draft_a).await;
    let (id, text) = first_text_item(&view);
    let path = format!("/api/drafts/{}/edit", f.draft_a);
    let first = json!({"base_revision": 1, "items": [{"id": id, "text": format!("{text}（甲）")}]});
    assert_eq!(api(&f, &f.supervisor, Method::POST, &path, Some(first)).await.status, StatusCode::OK);
    let second = json!({"base_revision": 1, "items": [{"id": id, "text": format!("{text}（乙）")}]});
    let reply = api(&f, &f.editor_a, Method::POST, &path, Some(second)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
    let message = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(message.contains(&f.supervisor.name), "the message says who edited: {message}");
    assert!(message.contains("刷新"), "{message}");
    let stored = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    assert_eq!(stored.revision, 2);
    assert!(serde_json::to_string(&stored.content).unwrap().contains("（甲）"));

    let cookie = login(&f, &f.editor_a).await;
    let form = post_form(
        &f,
        &cookie,
        &format!("/drafts/{}/edit", f.draft_a),
        &[("base_revision", "1"), (&format!("{id}.text"), "x")],
    )
    .await;
    assert_eq!(form.status, StatusCode::CONFLICT);
    assert!(form.text().contains("刷新页面"), "{}", form.text());
    f.db.finish().await;
}

async fn an_invented_number_is_refused(f: Fixture) {
    let detail = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    let view = draft(&f, &f.editor_a, &f.draft_a).await;
    let (id, text) = first_text_item(&view);
    let invented = (9000..).map(|n| n.to_string()).find(|n| !detail.source_text.contains(n.as_str())).unwrap();
    let body = json!({"base_revision": 1, "items": [{"id": id, "text": format!("{text}，补贴{invented}元")}]});
    let reply = api(&f, &f.editor_a, Method::POST, &format!("/api/drafts/{}/edit", f.draft_a), Some(body)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
    let json = reply.json();
    assert_eq!(json["tokens"], json!([invented]));
    assert!(json["error"].as_str().unwrap().contains(&invented));
    assert_eq!(f.store().draft_detail(&f.draft_a).await.unwrap().unwrap().revision, 1, "nothing was stored");

    let cookie = login(&f, &f.editor_a).await;
    let field = format!("{id}.text");
    let with = format!("{invented}人");
    let form =
        post_form(&f, &cookie, &format!("/drafts/{}/edit", f.draft_a), &[("base_revision", "1"), (&field, &with)])
            .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.text().contains(&invented) && form.text().contains("原文"), "{}", form.text());

    let malformed = send(
        &f.app,
        Request::builder()
            .method(Method::POST)
            .uri(format!("/api/drafts/{}/edit", f.draft_a))
            .header(header::AUTHORIZATION, format!("Bearer {}", f.editor_a.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"base_revision\": \"one\"}"))
            .unwrap(),
    )
    .await;
    assert!(malformed.status.is_client_error(), "{}", malformed.status);
    assert!(malformed.json()["error"].as_str().unwrap().contains("base_revision"), "{}", malformed.text());
    f.db.finish().await;
}

async fn approving_queues_draft_approved_once(f: Fixture) {
    let path = format!("/api/drafts/{}/approve", f.draft_a);
    let reply = api(&f, &f.editor_a, Method::POST, &path, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["status"], "approved");
    let outbox = f.store().outbox_unsent(1000).await.unwrap();
    let approved: Vec<_> = outbox.iter().filter(|r| r.routing_key == "draft.approved").collect();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0].event_id, format!("draft.approved:{}", f.draft_a));
    let payload: Value = serde_json::from_str(&approved[0].payload).unwrap();
    assert_eq!(payload["data"]["approved_by"], f.editor_a.name.as_str());

    let again = api(&f, &f.editor_a, Method::POST, &path, None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.json()["error"].as_str().unwrap().contains("已通过"));
    let edit = json!({"base_revision": 1, "items": []});
    let late = api(&f, &f.editor_a, Method::POST, &format!("/api/drafts/{}/edit", f.draft_a), Some(edit)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(f.store().outbox_unsent(1000).await.unwrap().len(), outbox.len(), "nothing more was queued");

    // Through the page too, for the other department's editor.
    let cookie = login(&f, &f.editor_b).await;
    let reply = post_form(&f, &cookie, &format!("/drafts/{}/approve", f.draft_b), &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let reply = post_form(&f, &cookie, &format!("/drafts/{}/approve", f.draft_b), &[]).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("已通过"));
    let history = f.store().draft_history(&f.draft_b).await.unwrap();
    assert_eq!(
        (history.last().unwrap().action.as_str(), history.last().unwrap().actor.as_str()),
        ("approve", f.editor_b.name.as_str())
    );
    f.db.finish().await;
}

async fn a_rejection_needs_a_comment(f: Fixture) {
    let path = format!("/api/drafts/{}/reject", f.draft_a);
    for body in [json!({}), json!({"comment": "   "})] {
        let reply = api(&f, &f.editor_a, Method::POST, &path, Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        assert!(reply.json()["error"].as_str().unwrap().contains("退回意见"));
    }
    let cookie = login(&f, &f.editor_a).await;
    let form = post_form(&f, &cookie, &format!("/drafts/{}/reject", f.draft_a), &[("comment", "")]).await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(f.store().draft_detail(&f.draft_a).await.unwrap().unwrap().status, DraftStatus::Pending);

    let form = post_form(&f, &cookie, &format!("/drafts/{}/reject", f.draft_a), &[("comment", "补贴标准不全")]).await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.text());
    assert_eq!(f.store().draft_detail(&f.draft_a).await.unwrap().unwrap().status, DraftStatus::Rejected);
    let last = f.store().draft_history(&f.draft_a).await.unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str(), last.comment.as_deref()),
        ("reject", f.editor_a.name.as_str(), Some("补贴标准不全"))
    );
    assert!(!f.store().outbox_unsent(1000).await.unwrap().iter().any(|r| r.routing_key == "draft.approved"));
    f.db.finish().await;
}

async fn another_departments_draft_is_forbidden(f: Fixture) {
    let other = &f.draft_b;
    for (method, path, body) in [
        (Method::GET, format!("/api/drafts/{other}"), None),
        (Method::POST, format!("/api/drafts/{other}/approve"), None),
        (Method::POST, format!("/api/drafts/{other}/reject"), Some(json!({"comment": "不行"}))),
        (Method::POST, format!("/api/drafts/{other}/edit"), Some(json!({"base_revision": 1, "items": []}))),
        (Method::GET, "/api/report".to_owned(), None),
    ] {
        let reply = api(&f, &f.editor_a, method, &path, body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.text());
        assert!(reply.json()["error"].is_string());
    }
    let cookie = login(&f, &f.editor_a).await;
    for path in [format!("/drafts/{other}"), format!("/drafts/{other}/image.png"), "/report".to_owned()] {
        let reply = page(&f, &cookie, &path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(reply.text().contains("无法完成操作"), "{path}: a Chinese page");
    }
    let form = post_form(&f, &cookie, &format!("/drafts/{other}/approve"), &[]).await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    let stored = f.store().draft_detail(other).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.revision), (DraftStatus::Pending, 1), "nothing changed");
    f.db.finish().await;
}

async fn without_a_session_nothing_is_shown(f: Fixture) {
    let anonymous = |path: &str| Request::builder().uri(path).body(Body::empty()).unwrap();
    let reply = send(&f.app, anonymous("/drafts")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/login?next=%2Fdrafts", "the login page returns to the page asked for");
    let reply = send(&f.app, anonymous(&format!("/drafts/{}/image.png", f.draft_a))).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = send(&f.app, anonymous("/api/drafts")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json()["error"].is_string());
    let forged = page(&f, "tujie_session=0123456789abcdef", "/drafts").await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
    let expired = new_secret().unwrap();
    let user = f.store().user_by_token(&hash_secret(&f.editor_a.token)).await.unwrap().unwrap();
    f.store().create_session(&hash_secret(&expired), user.id, std::time::Duration::ZERO).await.unwrap();
    let reply = page(&f, &format!("tujie_session={expired}"), "/drafts").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "an expired session is no session");
    let login_page = send(&f.app, anonymous("/login")).await;
    assert_eq!(login_page.status, StatusCode::OK);
    assert!(login_page.text().contains("登录码"));

    let bad = send(&f.app, form_request("/login", None, &[("name", &f.editor_a.name), ("token", "not-a-token")])).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.text().contains("登录码无效"));
    assert_eq!(bad.header("set-cookie"), "");

    let spaced = format!(" {} ", f.editor_a.token);
    let reply = send(&f.app, form_request("/login", None, &[("name", &f.editor_a.name), ("token", &spaced)])).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let set_cookie = reply.header("set-cookie").to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
    }
    assert!(!set_cookie.contains(&f.editor_a.token), "the session is not the login token");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert_eq!(page(&f, &cookie, "/drafts").await.status, StatusCode::OK);
    let out = post_form(&f, &cookie, "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(page(&f, &cookie, "/drafts").await.status, StatusCode::SEE_OTHER, "the session ended");
    f.db.finish().await;
}

async fn an_unknown_draft_is_404(f: Fixture) {
    let reply = api(&f, &f.supervisor, Method::GET, "/api/drafts/dr-nothing", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.json()["error"].as_str().unwrap().contains("dr-nothing"));
    let reply = api(&f, &f.supervisor, Method::POST, "/api/drafts/dr-nothing/approve", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = api(&f, &f.supervisor, Method::GET, "/api/nothing", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.json()["error"].is_string());
    let cookie = login(&f, &f.editor_a).await;
    for path in ["/drafts/dr-nothing", "/drafts/dr-nothing/image.svg", "/nothing"] {
        let reply = page(&f, &cookie, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.header("content-type").starts_with("text/html"));
    }
    f.db.finish().await;
}

async fn assets_have_their_content_types(f: Fixture) {
    let cookie = login(&f, &f.editor_a).await;
    let stored = f.store().draft_assets(&f.draft_a).await.unwrap().unwrap();
    for (path, content_type, expected) in [
        ("image.png", "image/png", stored.rendered.png.clone()),
        ("preview.png", "image/png", stored.rendered.preview_png.clone()),
        ("image.svg", "image/svg+xml", stored.rendered.svg.clone().into_bytes()),
    ] {
        let reply = page(&f, &cookie, &format!("/drafts/{}/{path}", f.draft_a)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.header("content-type"), content_type, "{path}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
        assert_eq!(reply.body, expected, "{path} serves the stored file");
    }
    assert!(stored.rendered.png.starts_with(b"\x89PNG"));
    assert!(stored.rendered.preview_png.len() < stored.rendered.png.len(), "the preview is the small one");
    f.db.finish().await;
}

async fn the_report_is_the_stores(f: Fixture) {
    let reply = api(&f, &f.supervisor, Method::GET, "/api/report", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let expected = serde_json::to_value(f.store().department_report().await.unwrap()).unwrap();
    assert_eq!(reply.json(), expected);
    let lines = expected.as_array().unwrap();
    let pending: u64 = lines.iter().map(|l| l["drafts_pending_review"].as_u64().unwrap()).sum();
    assert_eq!(pending, 2);
    for department in [DEPT_A, DEPT_B] {
        let line = lines.iter().find(|l| l["department"] == department).unwrap();
        assert_eq!((line["policies"].as_u64(), line["none"].as_u64()), (Some(1), Some(1)));
        assert_eq!(line["text_missing"].as_u64(), Some(0), "both policies came with their text");
    }
    let approve = api(&f, &f.supervisor, Method::POST, &format!("/api/drafts/{}/approve", f.draft_b), None).await;
    assert_eq!(approve.status, StatusCode::OK);
    let after = api(&f, &f.supervisor, Method::GET, "/api/report", None).await.json();
    let line = after.as_array().unwrap().iter().find(|l| l["department"] == DEPT_B).unwrap().clone();
    assert_eq!((line["drafts_pending_review"].as_u64(), line["drafts_approved"].as_u64()), (Some(0), Some(1)));

    let cookie = login(&f, &f.supervisor).await;
    let html = page(&f, &cookie, "/report").await;
    assert_eq!(html.status, StatusCode::OK);
    for department in [DEPT_A, DEPT_B] {
        assert!(html.text().contains(department));
    }
    assert!(html.text().contains("缺少正文"), "the report counts policies whose text is missing");
    f.db.finish().await;
}

/// The report page is `tujie report`'s period report: figures, charts and the policies lacking a rich
/// interpretation, filtered by period and department; a date it cannot read is refused in Chinese.
async fn the_report_page_shows_the_period(f: Fixture) {
    let facts = f.store().report_facts().await.unwrap();
    let dated = |d: &str| facts.policies.iter().find(|p| p.department.as_deref() == Some(d)).unwrap().clone();
    let (a, b) = (dated(DEPT_A), dated(DEPT_B));
    let (from, to) = (a.published.min(b.published), a.published.max(b.published));
    let expected = |from, to, department: Option<&str>| {
        let request = tujie_report::ReportRequest { from, to, department: department.map(str::to_owned) };
        let cal = tujie_report::WorkCalendar::official();
        tujie_report::build(&Default::default(), cal, &request, &facts.policies, &facts.publications).unwrap()
    };
    let period = format!("/api/report?from={from}&to={to}");
    let reply = api(&f, &f.supervisor, Method::GET, &period, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let whole = expected(from, to, None);
    assert_eq!(reply.json(), serde_json::to_value(&whole).unwrap(), "the API answers the period report");
    assert_eq!(whole.total.policies, 2, "both policies fall in the period");

    let cookie = login(&f, &f.supervisor).await;
    let html = page(&f, &cookie, &format!("/report?from={from}&to={to}")).await;
    assert_eq!(html.status, StatusCode::OK, "{}", html.text());
    let text = html.text();
    assert!(text.matches("<svg").count() >= 2, "both charts are drawn");
    assert!(text.contains(&format!("value=\"{from}\"")) && text.contains(&format!("value=\"{to}\"")));
    for policy in [&a, &b] {
        let figures = whole.departments.iter().find(|d| Some(&d.department) == policy.department.as_ref()).unwrap();
        assert!(text.contains(&esc(&policy.title)), "{} is listed as lacking a rich interpretation", policy.title);
        let row = format!("<td>{}</td><td class=\"num\">{}</td>", esc(&figures.department), figures.policies);
        assert!(text.contains(&row), "the figures row of {}: {row}", figures.department);
    }
    let reasons: Vec<String> = whole.lacking().filter_map(|p| p.no_draft.as_ref()).map(|r| r.describe_zh()).collect();
    assert!(reasons.iter().all(|r| text.contains(&esc(r))), "every reason without a draft is shown");

    let only_a = page(&f, &cookie, &format!("/report?from={from}&to={to}&department={}", encode(DEPT_A))).await;
    let only_a = only_a.text();
    assert!(only_a.contains(&esc(&a.title)) && !only_a.contains(&esc(&b.title)), "the department filter holds");
    assert_eq!(expected(from, to, Some(DEPT_A)).total.policies, 1);
    let before = from.pred_opt().unwrap();
    let empty = page(&f, &cookie, &format!("/report?from={}&to={before}", before.with_day(1).unwrap())).await.text();
    assert!(!empty.contains(&esc(&a.title)) && !empty.contains(&esc(&b.title)), "the period filter holds");

    for bad in ["/report?from=2019-13-40", "/report?to=yesterday", &format!("/report?from={to}&to={from}")] {
        let reply = page(&f, &cookie, bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(reply.text().contains("日期"), "{bad}: {}", reply.text());
    }
    let bad = api(&f, &f.supervisor, Method::GET, "/api/report?from=2019-02-30", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["error"].as_str().unwrap().contains("2019-02-30"), "{}", bad.text());
    f.db.finish().await;
}

async fn an_approved_draft_is_publishable(f: Fixture) {
    let before = f.store().draft_assets(&f.draft_a).await.unwrap().unwrap();
    let reply = api(&f, &f.editor_a, Method::POST, &format!("/api/drafts/{}/approve", f.draft_a), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let detail = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    let expected = f.renderer.render(&detail.content, detail.policy.site.as_deref(), Mode::Approved).unwrap();
    let cookie = login(&f, &f.editor_a).await;
    let png = page(&f, &cookie, &format!("/drafts/{}/image.png", f.draft_a)).await.body;
    let svg = page(&f, &cookie, &format!("/drafts/{}/image.svg", f.draft_a)).await.text();
    let preview = page(&f, &cookie, &format!("/drafts/{}/preview.png", f.draft_a)).await.body;
    assert_eq!(png, expected.png, "the served PNG is the approved rendering");
    assert_eq!(preview, expected.preview_png);
    assert!(
        before.rendered.svg.contains("草稿") && !svg.contains("草稿"),
        "the SVG lost its draft banner and watermark"
    );
    let (draft, approved) =
        (image::load_from_memory(&before.rendered.png).unwrap(), image::load_from_memory(&png).unwrap());
    let amber = [0xFF, 0xC4, 0x00];
    assert_eq!(draft.to_rgb8().get_pixel(10, 10).0, amber, "pending drafts carry the amber banner");
    assert_ne!(approved.to_rgb8().get_pixel(10, 10).0, amber, "approved ones do not");
    let stored = f.store().draft_assets(&f.draft_a).await.unwrap().unwrap();
    assert_eq!(stored.rendered.png, expected.png, "what `drafts export` writes is the approved rendering too");
    f.db.finish().await;
}

async fn a_refused_edit_is_shown_on_the_draft_page(f: Fixture) {
    let detail = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    let view = draft(&f, &f.editor_a, &f.draft_a).await;
    let (id, text) = first_text_item(&view);
    let invented = (9000..).map(|n| n.to_string()).find(|n| !detail.source_text.contains(n.as_str())).unwrap();
    let typed = format!("{text}，每人补贴{invented}元");
    let cookie = login(&f, &f.editor_a).await;
    let path = format!("/drafts/{}/edit", f.draft_a);
    let field = format!("{id}.text");
    let reply = post_form(&f, &cookie, &path, &[("base_revision", "1"), (&field, &typed), ("note", "我的说明")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = reply.text();
    assert!(html.contains("未保存") && html.contains(&format!("<mark class=\"bad\">{invented}</mark>")), "{html}");
    assert!(html.contains(&format!(">{}</textarea>", esc(&typed))), "the editor's input is kept");
    assert!(html.contains("value=\"我的说明\""), "the note is kept");
    assert!(html.contains("href=\"/drafts\"") && html.contains("保存修改"), "the page has navigation and the form");

    // Saving the same text again changes nothing: no new revision, no re-render.
    let same = json!({"base_revision": 1, "items": [{"id": id, "text": text}]});
    let reply = api(&f, &f.editor_a, Method::POST, &format!("/api/drafts/{}/edit", f.draft_a), Some(same)).await;
    assert_eq!((reply.status, reply.json()["changed"].clone()), (StatusCode::OK, json!(false)), "{}", reply.text());
    let reply = post_form(&f, &cookie, &path, &[("base_revision", "1"), (&field, &text), ("at", "s0")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.header("location").ends_with("msg=unchanged#s0"), "{}", reply.header("location"));
    assert_eq!(f.store().draft_revisions(&f.draft_a).await.unwrap().len(), 1, "no new revision");
    f.db.finish().await;
}

async fn the_draft_page_speaks_chinese_in_china_time(f: Fixture) {
    let edit = json!({"base_revision": 1, "note": "核对", "items": [{"id": "title", "text": "一图读懂"}]});
    api(&f, &f.editor_a, Method::POST, &format!("/api/drafts/{}/edit", f.draft_a), Some(edit)).await;
    let cookie = login(&f, &f.editor_a).await;
    let html = page(&f, &cookie, &format!("/drafts/{}", f.draft_a)).await.text();
    let detail = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    for internal in ["版式", &detail.template, "revision ", &detail.created_at, "+00:00"] {
        assert!(!html.contains(internal), "the page shows `{internal}`");
    }
    for entry in f.store().draft_history(&f.draft_a).await.unwrap() {
        assert!(html.contains(&tujie_model::display_time(&entry.created_at)), "{}", entry.created_at);
    }
    assert!(html.contains("data-confirm=\"确认通过"), "通过 asks for confirmation");
    f.db.finish().await;
}

async fn a_rejection_is_an_event_and_can_be_regenerated(f: Fixture) {
    let path = format!("/api/drafts/{}/reject", f.draft_a);
    let reply = api(&f, &f.editor_a, Method::POST, &path, Some(json!({"comment": "标准不全"}))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let outbox = f.store().outbox_unsent(1000).await.unwrap();
    let rejected: Vec<_> = outbox.iter().filter(|r| r.routing_key == "draft.rejected").collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].event_id, format!("draft.rejected:{}:1", f.draft_a));
    let payload: Value = serde_json::from_str(&rejected[0].payload).unwrap();
    assert_eq!(
        (payload["data"]["rejected_by"].as_str(), payload["data"]["comment"].as_str()),
        (Some("编辑甲"), Some("标准不全"))
    );

    let cookie = login(&f, &f.editor_a).await;
    let html = page(&f, &cookie, &format!("/drafts/{}", f.draft_a)).await.text();
    assert!(html.contains("重新生成") && html.contains("标准不全"), "the page offers 重新生成 and shows why");
    let reply = post_form(&f, &cookie, &format!("/drafts/{}/regenerate", f.draft_a), &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let after = f.store().draft_detail(&f.draft_a).await.unwrap().unwrap();
    assert_eq!((after.status, after.revision), (DraftStatus::Pending, 2));
    let last = f.store().draft_history(&f.draft_a).await.unwrap().pop().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("regenerate", "编辑甲"));
    let again = post_form(&f, &cookie, &format!("/drafts/{}/regenerate", f.draft_a), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "only rejected drafts are regenerated");
    f.db.finish().await;
}

async fn drafts_without_a_department_reach_supervisors(f: Fixture) {
    let policy = f.store().draft_detail(&f.draft_b).await.unwrap().unwrap().policy.id;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&f.db.url).await.unwrap();
    sqlx::query("UPDATE documents SET department = NULL WHERE id = $1").bind(&policy).execute(&pool).await.unwrap();
    pool.close().await;
    let path = format!("/api/drafts?department={}", encode(tujie_store::UNASSIGNED_DEPARTMENT));
    let listed = api(&f, &f.supervisor, Method::GET, &path, None).await.json();
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|d| d["draft_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [f.draft_b.as_str()], "the 未指定单位 filter finds the draft");
    let cookie = login(&f, &f.supervisor).await;
    let html = page(&f, &cookie, &format!("/drafts?department={}", encode(tujie_store::UNASSIGNED_DEPARTMENT))).await;
    assert!(html.text().contains(&format!("/drafts/{}", f.draft_b)), "{}", html.text());
    f.db.finish().await;
}

async fn a_deep_link_survives_the_login(f: Fixture) {
    let target = format!("/drafts/{}", f.draft_a);
    let anonymous = send(&f.app, Request::builder().uri(&target).body(Body::empty()).unwrap()).await;
    let location = anonymous.header("location").to_owned();
    assert_eq!(location, format!("/login?next={}", tujie_review::pages::url_part(&target)));
    let form = send(&f.app, Request::builder().uri(&location).body(Body::empty()).unwrap()).await.text();
    assert!(form.contains(&format!("name=\"next\" value=\"{target}\"")), "{form}");
    let fields = [("name", f.editor_a.name.as_str()), ("token", f.editor_a.token.as_str()), ("next", target.as_str())];
    let reply = send(&f.app, form_request("/login", None, &fields)).await;
    assert_eq!((reply.status, reply.header("location")), (StatusCode::SEE_OTHER, target.as_str()));
    for evil in ["//evil.example/x", "https://evil.example/", "/\\evil.example"] {
        let fields = [("name", f.editor_a.name.as_str()), ("token", f.editor_a.token.as_str()), ("next", evil)];
        let reply = send(&f.app, form_request("/login", None, &fields)).await;
        assert_eq!(reply.header("location"), "/drafts", "`{evil}` is not followed");
    }
    f.db.finish().await;
}

/// `/metrics` times requests under their route pattern, not their ids, counts a re-render per edit, and counts the
/// stored drafts by template and status from the database.
async fn metrics_report_routes_draws_and_drafts(f: Fixture) {
    let path = format!("/api/drafts/{}", f.draft_a);
    for _ in 0..2 {
        assert_eq!(api(&f, &f.editor_a, Method::GET, &path, None).await.status, StatusCode::OK);
    }
    let before = draft(&f, &f.editor_a, &f.draft_a).await;
    let (id, text) = first_text_item(&before);
    let body = json!({"base_revision": 1, "items": [{"id": id, "text": format!("{text}（已核对）")}]});
    let reply = api(&f, &f.editor_a, Method::POST, &format!("{path}/edit"), Some(body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    let reply = send(&f.app, Request::builder().uri("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/plain"), "{}", reply.header("content-type"));
    let text = reply.text();
    let value = |series: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(series)).unwrap_or_else(|| panic!("no {series}:\n{text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    // `draft()` above read the same route a third time.
    let route = r#"tujie_workspace_request_seconds_count{method="GET",route="/api/drafts/{id}",status="2xx"}"#;
    assert_eq!(value(route), 3.0);
    assert!(!text.contains(&f.draft_a), "a draft id became a label:\n{text}");
    assert_eq!(value(r#"tujie_workspace_draw_seconds_count{action="edit",step="render"}"#), 1.0);
    let stored = f.store().draft_counts_by_template().await.unwrap();
    assert!(!stored.is_empty());
    for (template, status, n) in &stored {
        assert!(!template.contains(':'), "{template}");
        assert_eq!(value(&format!("tujie_drafts{{template=\"{template}\",status=\"{status}\"}}")), *n as f64);
    }
    f.db.finish().await;
}

both_backends!(
    queue_lists_pending_drafts_by_department,
    draft_page_shows_every_item_with_its_source,
    edit_makes_a_new_revision_and_rerenders,
    a_stale_edit_is_refused,
    an_invented_number_is_refused,
    approving_queues_draft_approved_once,
    a_rejection_needs_a_comment,
    another_departments_draft_is_forbidden,
    without_a_session_nothing_is_shown,
    an_unknown_draft_is_404,
    assets_have_their_content_types,
    the_report_is_the_stores,
    the_report_page_shows_the_period,
    an_approved_draft_is_publishable,
    a_refused_edit_is_shown_on_the_draft_page,
    the_draft_page_speaks_chinese_in_china_time,
    a_rejection_is_an_event_and_can_be_regenerated,
    drafts_without_a_department_reach_supervisors,
    a_deep_link_survives_the_login,
    metrics_report_routes_draws_and_drafts,
);
