//! `POST /api/events` of `tujie serve` (issue 13, item 6) against the real RabbitMQ and PostgreSQL: JSON Lines
//! with good and bad lines are answered line by line with the queue path's field errors, the good events are
//! published with confirms and become drafts in a worker on the same prefix, a repeated event has no second
//! effect, and a body over the limit and a missing, wrong or non-service token are refused in Chinese. Without a
//! broker, `tujie serve` processes the good lines itself before it answers.
//!
//! Each test has its own database and queue prefix ([`support::TestEnv`]); a missing service fails the test.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::{Reply, TestEnv, account, fixture, read_events, request, serve};

const SERVICE: &str = "网站CMS";

/// An environment whose `tujie serve` publishes to the broker and knows [`SERVICE`] as its service account.
fn intake_env() -> (TestEnv, String) {
    let mut env = TestEnv::with_broker();
    env.set_env("TUJIE__PIPELINE__USE_BROKER", "true");
    with_service_account(env)
}

fn with_service_account(mut env: TestEnv) -> (TestEnv, String) {
    env.set_env("TUJIE__REVIEW__INTAKE_ACCOUNTS", &format!("[\"{SERVICE}\"]")).set_env("RUST_LOG", "warn");
    let token = account(&env, &[SERVICE, "--role", "supervisor"]);
    (env, token)
}

/// `POST /api/events` over a fresh connection.
fn post_events(address: &str, token: Option<&str>, content_type: &str, body: &[u8]) -> Reply {
    request(address, "POST /api/events", token, content_type, body)
}

fn line(event: &Value) -> String {
    serde_json::to_string(event).unwrap()
}

#[test]
fn good_lines_become_drafts_and_bad_lines_get_their_field_errors() {
    let (env, token) = intake_env();
    let (_server, address) = serve(&env);
    let events: Vec<Value> = read_events(&fixture("dev/doc_events.jsonl")).into_iter().take(3).collect();

    let mut untitled = events[0].clone();
    untitled["event_id"] = "e-untitled".into();
    untitled["document"].as_object_mut().unwrap().remove("title");
    let mut unknown_type = events[1].clone();
    unknown_type["event_id"] = "e-unknown-type".into();
    unknown_type["type"] = "policy.updated".into();
    let body = [
        line(&events[0]),         // 1
        line(&untitled),          // 2: no document.title
        line(&events[1]),         // 3
        "{\"event_id\": ".into(), // 4: not JSON
        String::new(),            // 5: blank, skipped
        line(&events[2]),         // 6
        line(&unknown_type),      // 7: unknown type
    ]
    .join("\n");
    let reply = post_events(&address, Some(&token), "application/x-ndjson", body.as_bytes());
    assert_eq!(reply.status, 400, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["accepted"], 3, "{answer:#}");
    assert_eq!(answer["invalid"], 3, "{answer:#}");
    assert!(answer["message"].as_str().unwrap().contains("3 条已接收"), "{answer:#}");
    let results = answer["results"].as_array().unwrap();
    let by_line = |n: u64| results.iter().find(|r| r["line"] == n).unwrap_or_else(|| panic!("no line {n}: {answer:#}"));
    for (n, event) in [(1, &events[0]), (3, &events[1]), (6, &events[2])] {
        assert_eq!(by_line(n)["status"], "accepted", "{answer:#}");
        assert_eq!(by_line(n)["event_id"], event["event_id"], "{answer:#}");
    }
    for (n, field) in [(2, "document.title"), (4, "not valid JSON"), (7, "type")] {
        let error = by_line(n)["error"].as_str().unwrap_or_else(|| panic!("line {n} has no error: {answer:#}"));
        assert_eq!(by_line(n)["status"], "invalid", "{answer:#}");
        assert!(error.starts_with(&format!("第{n}行：")), "{error}");
        assert!(error.contains(field), "line {n} should name {field}: {error}");
    }
    assert_eq!(by_line(2)["fields"][0]["path"], "document.title", "{answer:#}");
    assert!(by_line(7)["error"].as_str().unwrap().contains("unknown event type `policy.updated`"), "{answer:#}");
    assert_eq!(results.len(), 6, "the blank line has no result: {answer:#}");

    // The same event again, as one JSON object: accepted, and harmless.
    let again = post_events(&address, Some(&token), "application/json", line(&events[0]).as_bytes());
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(again.json()["results"][0]["line"], 1);
    assert!(again.json()["message"].as_str().unwrap().contains("已接收全部 1 条事件"), "{}", again.body);

    let mut worker = env.spawn("worker", &["worker", "--until-idle", "3"]);
    worker.expect_success(Duration::from_secs(120));
    let mut expected: Vec<String> = events.iter().map(|e| e["document"]["id"].as_str().unwrap().to_owned()).collect();
    expected.sort();
    assert_eq!(env.strings("SELECT policy_id FROM drafts ORDER BY policy_id"), expected, "{}", worker.stderr());
    assert_eq!(env.count("SELECT COUNT(*) FROM processed_events"), 3, "the repeated event had no second effect");
    assert_eq!(env.count("SELECT COUNT(*) FROM processed_events WHERE event_id LIKE 'e-un%'"), 0);
}

/// Without a broker, `tujie serve` processes the good lines itself, through the pipeline, before it answers.
#[test]
fn without_a_broker_good_lines_are_processed_before_the_answer() {
    let (env, token) = with_service_account(TestEnv::new());
    let (_server, address) = serve(&env);
    let event = read_events(&fixture("dev/doc_events.jsonl")).swap_remove(0);
    let mut undated = event.clone();
    undated["event_id"] = "e-undated".into();
    undated["document"]["published_at"] = "5月1日".into();
    let body = format!("{}\n{}\n", line(&undated), line(&event));
    let reply = post_events(&address, Some(&token), "text/plain", body.as_bytes());
    assert_eq!(reply.status, 400, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["results"][0]["status"], "invalid", "{answer:#}");
    let error = answer["results"][0]["error"].as_str().unwrap();
    assert!(error.starts_with("第1行：") && error.contains("document.published_at"), "{error}");
    assert_eq!(answer["results"][1]["status"], "accepted", "{answer:#}");
    assert_eq!(
        env.strings("SELECT policy_id FROM drafts"),
        [event["document"]["id"].as_str().unwrap()],
        "the draft exists when the answer comes"
    );
}

#[test]
fn a_body_over_the_limit_is_refused_with_413() {
    let (mut env, token) = intake_env();
    env.set_env("TUJIE__REVIEW__INTAKE_MAX_BODY_BYTES", "4096");
    let (_server, address) = serve(&env);
    let event = &read_events(&fixture("dev/events.jsonl"))[0];
    let small = line(event);
    assert!(small.len() < 4096);
    let mut big = String::new();
    while big.len() <= 4096 {
        big.push_str(&small);
        big.push('\n');
    }
    let reply = post_events(&address, Some(&token), "application/x-ndjson", big.as_bytes());
    assert_eq!(reply.status, 413, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["code"], "payload_too_large");
    assert!(answer["error"].as_str().unwrap().contains("超过 4096 字节的上限"), "{answer}");
    assert_eq!(env.queue_len(&format!("{}.input", env.prefix)), 0, "nothing of a refused body was published");

    let reply = post_events(&address, Some(&token), "application/x-ndjson", small.as_bytes());
    assert_eq!(reply.status, 202, "a body under the limit passes: {}", reply.body);
}

#[test]
fn a_missing_wrong_or_non_service_token_is_refused() {
    let (env, service) = intake_env();
    let supervisor = account(&env, &["督查员", "--role", "supervisor"]);
    let (_server, address) = serve(&env);
    let body = line(&read_events(&fixture("dev/events.jsonl"))[0]);

    let missing = post_events(&address, None, "application/json", body.as_bytes());
    assert_eq!(missing.status, 401, "{}", missing.body);
    assert!(missing.json()["error"].as_str().unwrap().contains("Authorization: Bearer"), "{}", missing.body);

    let wrong = post_events(&address, Some("0123456789abcdef"), "application/json", body.as_bytes());
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert!(wrong.json()["error"].as_str().unwrap().contains("登录码无效"), "{}", wrong.body);

    let not_service = post_events(&address, Some(&supervisor), "application/json", body.as_bytes());
    assert_eq!(not_service.status, 403, "{}", not_service.body);
    assert!(not_service.json()["error"].as_str().unwrap().contains("不是事件接收服务账号"), "{}", not_service.body);

    assert_eq!(env.queue_len(&format!("{}.input", env.prefix)), 0, "nothing refused was published");

    // The service account posts events and does nothing else.
    let me = request(&address, "GET /api/me", Some(&service), "application/json", b"");
    assert_eq!(me.status, 403, "{}", me.body);
    assert!(me.json()["error"].as_str().unwrap().contains("只能调用 POST /api/events"), "{}", me.body);
}
