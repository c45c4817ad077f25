//! The attacks of issue 13 over real HTTP, against a server listening on a free port of 127.0.0.1: a page on
//! another port of the same host posting forms and `fetch(no-cors)` calls with the editor's cookie, framing, pages
//! kept in caches after logout, and guessing login codes. Each is refused, and the normal flow still works.

#[macro_use]
mod support;

use serde_json::json;
use support::{Fixture, HttpReply, Server, csrf_of, form_body, http, setup};
use tujie_model::DraftStatus;
use tujie_review::ReviewConfig;

const FORM: &str = "application/x-www-form-urlencoded";

/// Logs `who` in through the real login form; returns the session cookie.
async fn login(server: &Server, name: &str, token: &str) -> String {
    let reply = post(server, "/login", None, &[], &form_body(&[("name", name), ("token", token)])).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    reply.cookie().expect("a session cookie")
}

async fn post(server: &Server, path: &str, cookie: Option<&str>, extra: &[(&str, &str)], body: &str) -> HttpReply {
    let mut headers = vec![("Content-Type", FORM)];
    if let Some(c) = cookie {
        headers.push(("Cookie", c));
    }
    for (k, v) in extra {
        if k.eq_ignore_ascii_case("content-type") {
            headers[0].1 = v;
        } else {
            headers.push((k, v));
        }
    }
    http(server.addr, "POST", path, &headers, body.as_bytes()).await
}

async fn status(f: &Fixture, id: &str) -> (DraftStatus, i64) {
    let d = f.store().draft_detail(id).await.unwrap().unwrap();
    (d.status, d.revision)
}

async fn a_page_on_another_port_cannot_change_a_draft(f: Fixture) {
    let server = Server::start(f.app.clone()).await;
    let attacker = "http://127.0.0.1:1"; // another port of the same host: same site, another origin
    let cookie = login(&server, &f.editor_a.name, &f.editor_a.token).await;
    let csrf = csrf_of(&cookie);
    let approve = format!("/drafts/{}/approve", f.draft_a);
    let reject = format!("/drafts/{}/reject", f.draft_a);
    let edit = format!("/drafts/{}/edit", f.draft_a);
    let api_approve = format!("/api/drafts/{}/approve", f.draft_a);
    let refused: Vec<(&str, HttpReply)> = vec![
        ("a form without the token", post(&server, &approve, Some(&cookie), &[], "").await),
        (
            "a rejection without the token",
            post(&server, &reject, Some(&cookie), &[], &form_body(&[("comment", "x")])).await,
        ),
        (
            "an edit without the token",
            post(&server, &edit, Some(&cookie), &[], &form_body(&[("base_revision", "1")])).await,
        ),
        (
            "a form with a token from another session",
            post(&server, &approve, Some(&cookie), &[], &form_body(&[("_csrf", &csrf_of("tujie_session=other"))]))
                .await,
        ),
        (
            "a foreign Origin, even with the token",
            post(&server, &approve, Some(&cookie), &[("Origin", attacker)], &form_body(&[("_csrf", &csrf)])).await,
        ),
        (
            "Sec-Fetch-Site: same-site, even with the token",
            post(&server, &approve, Some(&cookie), &[("Sec-Fetch-Site", "same-site")], &form_body(&[("_csrf", &csrf)]))
                .await,
        ),
        (
            "a foreign Referer",
            post(
                &server,
                &approve,
                Some(&cookie),
                &[("Referer", &format!("{attacker}/evil.html"))],
                &form_body(&[("_csrf", &csrf)]),
            )
            .await,
        ),
        (
            "fetch(no-cors) to the JSON API without the token header",
            post(&server, &api_approve, Some(&cookie), &[("Content-Type", "application/json")], "{}").await,
        ),
    ];
    for (what, reply) in &refused {
        assert_eq!(reply.status, 403, "{what}: {}", reply.text());
        assert!(reply.text().contains("拒绝") || reply.text().contains("校验码"), "{what}: a Chinese reason");
    }
    for content_type in [FORM, "text/plain", "multipart/form-data; boundary=x"] {
        let reply = post(&server, &api_approve, Some(&cookie), &[("Content-Type", content_type)], "a=1").await;
        assert_eq!(reply.status, 415, "the JSON route refuses a {content_type} body: {}", reply.text());
        assert_eq!(reply.json()["code"], "unsupported_media_type");
    }
    assert_eq!(status(&f, &f.draft_a).await, (DraftStatus::Pending, 1), "nothing changed");
    assert!(f.store().outbox_unsent(100).await.unwrap().iter().all(|r| r.routing_key != "draft.approved"));

    // The workspace's own pages and scripts still work: the API with cookie and token header, then the form.
    let own = server.url("");
    let headers = [("Content-Type", "application/json"), ("X-CSRF-Token", csrf.as_str()), ("Origin", &own)];
    let view = http(server.addr, "GET", &format!("/api/drafts/{}", f.draft_a), &[("Cookie", &cookie)], b"").await;
    let item = view.json()["items"]["sections"][0]["items"][0].clone();
    let text = item["fields"][0][1].as_str().unwrap().to_owned();
    let body = json!({"base_revision": 1, "items": [{"id": item["id"], "text": format!("{text}（核）")}]});
    let mut with_cookie = headers.to_vec();
    with_cookie.push(("Cookie", &cookie));
    let saved = http(
        server.addr,
        "POST",
        &format!("/api/drafts/{}/edit", f.draft_a),
        &with_cookie,
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.text());
    let ok = post(
        &server,
        &approve,
        Some(&cookie),
        &[("Origin", &own), ("Sec-Fetch-Site", "same-origin")],
        &form_body(&[("_csrf", &csrf)]),
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.text());
    assert_eq!(status(&f, &f.draft_a).await.0, DraftStatus::Approved);
    f.db.finish().await;
}

fn assert_protected(reply: &HttpReply, what: &str) {
    let csp = reply.header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(reply.header("x-frame-options"), "DENY", "{what}");
    assert_eq!(reply.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(reply.header("cache-control"), "no-store", "{what}");
    assert_eq!(reply.header("referrer-policy"), "same-origin", "{what}");
}

async fn pages_cannot_be_framed_or_kept_after_logout(f: Fixture) {
    let server = Server::start(f.app.clone()).await;
    let cookie = login(&server, &f.supervisor.name, &f.supervisor.token).await;
    let get = |path: String| {
        let cookie = cookie.clone();
        let addr = server.addr;
        async move { http(addr, "GET", &path, &[("Cookie", &cookie)], b"").await }
    };
    for path in [
        "/drafts".to_owned(),
        format!("/drafts/{}", f.draft_a),
        "/report".to_owned(),
        "/api/drafts".to_owned(),
        format!("/api/drafts/{}", f.draft_b),
        format!("/drafts/{}/image.png", f.draft_a),
        format!("/drafts/{}/image.svg", f.draft_a),
        "/drafts/dr-nothing".to_owned(),
    ] {
        let reply = get(path.clone()).await;
        assert!(reply.status == 200 || reply.status == 404, "{path}: {}", reply.status);
        assert_protected(&reply, &path);
        if reply.header("content-type").starts_with("text/html") {
            let csp = reply.header("content-security-policy");
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            let text = reply.text();
            assert!(!text.contains("<script>") && !text.contains(" style=\""), "{path}: no inline script or style");
        }
    }
    let anonymous = http(server.addr, "GET", "/login", &[], b"").await;
    assert_protected(&anonymous, "/login");
    let script = http(server.addr, "GET", "/static/app.js", &[], b"").await;
    assert_eq!((script.status, script.header("content-type")), (200, "text/javascript; charset=utf-8"));
    // After logout the draft page is gone, not served from anywhere.
    let out = post(&server, "/logout", Some(&cookie), &[], &form_body(&[("_csrf", &csrf_of(&cookie))])).await;
    assert_eq!(out.status, 303);
    let after = get(format!("/drafts/{}", f.draft_a)).await;
    assert_eq!(after.status, 303, "{}", after.text());
    assert!(after.header("location").starts_with("/login?next="));
    f.db.finish().await;
}

async fn wrong_logins_are_throttled(f: Fixture) {
    let config = ReviewConfig {
        login_max_failures_per_account: 3,
        login_max_failures_per_address: 6,
        ..ReviewConfig::default()
    };
    let server = Server::start(f.app_with(config)).await;
    let try_login = |name: String, token: String| {
        let addr = server.addr;
        async move {
            let body = form_body(&[("name", &name), ("token", &token)]);
            http(addr, "POST", "/login", &[("Content-Type", FORM)], body.as_bytes()).await
        }
    };
    let a = &f.editor_a;
    for _ in 0..3 {
        let reply = try_login(a.name.clone(), "0".repeat(40)).await;
        assert_eq!(reply.status, 401, "{}", reply.text());
        assert!(reply.text().contains("登录码无效"));
    }
    let locked = try_login(a.name.clone(), a.token.clone()).await;
    assert_eq!(locked.status, 429, "the account is locked even for the right code: {}", locked.text());
    assert!(locked.text().contains("登录失败次数过多") && locked.text().contains("分钟"), "{}", locked.text());
    assert!(locked.cookie().is_none());
    let wrong_name = try_login(f.editor_b.name.clone(), a.token.clone()).await;
    assert_eq!(wrong_name.status, 401, "a code works only with its own account name");
    let b = try_login(f.editor_b.name.clone(), f.editor_b.token.clone()).await;
    assert_eq!(b.status, 303, "another account still logs in: {}", b.text());
    for n in 0..2 {
        assert_eq!(try_login(format!("不存在{n}"), "x".into()).await.status, 401);
    }
    let from_here = try_login(f.supervisor.name.clone(), f.supervisor.token.clone()).await;
    assert_eq!(from_here.status, 429, "six failures from one address lock the address: {}", from_here.text());
    f.db.finish().await;
}

both_backends!(
    a_page_on_another_port_cannot_change_a_draft,
    pages_cannot_be_framed_or_kept_after_logout,
    wrong_logins_are_throttled
);
