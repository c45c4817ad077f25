//! End-to-end tests of the tujie command line, on SQLite and PostgreSQL, without a broker.
//!
//! They run the real binary with the environment as its only configuration, the way operators and CI do.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tujie_test_support::{TestDb, both_backends};

const BIN: &str = env!("CARGO_BIN_EXE_tujie");

fn fixtures() -> PathBuf {
    tujie_test_support::fixture("dev")
}

/// Runs tujie against `db_url` in a scratch directory, with no pipeline.toml and no stray TUJIE_ variables.
fn tujie(db_url: &str, args: &[&str]) -> Output {
    tujie_with(db_url, args, &[])
}

/// `tujie` with extra environment variables (configuration overrides).
fn tujie_with(db_url: &str, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir.path()).env("TUJIE_DATABASE_URL", db_url).env("RUST_LOG", "warn");
    for (k, _) in std::env::vars() {
        if k.starts_with("TUJIE__") || k == "TUJIE_CONFIG" || k == "TUJIE_AMQP_URL" {
            cmd.env_remove(k);
        }
    }
    cmd.envs(vars.iter().copied());
    cmd.output().expect("run tujie")
}

/// `[review] departments` naming the department the account tests use.
const DEPARTMENTS: [(&str, &str); 1] = [("TUJIE__REVIEW__DEPARTMENTS", "[\"县教育局\"]")];

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn policy_event_count(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().filter(|l| l.contains("\"policy.published\"")).count()
}

/// The issue's acceptance run: ingest the dev events without drafts, then one coverage line per policy.
async fn ingest_then_coverage(db: &TestDb) {
    let events = fixtures().join("events.jsonl");
    let out = tujie(&db.url, &["ingest", "--no-drafts", events.to_str().unwrap()]);
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));
    assert!(stderr(&out).contains("0 failed"), "{}", stderr(&out));

    let out = tujie(&db.url, &["coverage", "--format", "jsonl"]);
    assert!(out.status.success(), "coverage failed: {}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), policy_event_count(&events));
    for line in &lines {
        for key in ["policy_id", "site", "title", "status", "interpretations", "draft_id"] {
            assert!(line.get(key).is_some(), "{key} missing in {line}");
        }
        let status = line["status"].as_str().unwrap();
        assert!(["rich", "text_only", "none"].contains(&status), "{line}");
        let forms: Vec<&str> =
            line["interpretations"].as_array().unwrap().iter().map(|i| i["form"].as_str().unwrap()).collect();
        let expected = if forms.iter().any(|f| *f != "text") {
            "rich"
        } else if forms.is_empty() {
            "none"
        } else {
            "text_only"
        };
        assert_eq!(status, expected, "status disagrees with the linked forms: {line}");
        assert!(line["draft_id"].is_null(), "--no-drafts made a draft: {line}");
        // Every policy without a draft says why: covered by its rich interpretation, or drafts were off (or there
        // was no text to draft from).
        let why = line["no_draft"].as_str().unwrap_or_else(|| panic!("no reason given: {line}"));
        let interpretation = line["interpretations"].as_array().unwrap().iter().find(|i| i["form"] != "text");
        match interpretation {
            Some(rich) => assert_eq!(why, format!("covered_by: {}", rich["id"].as_str().unwrap()), "{line}"),
            None => assert!(["drafts_off", "no_text"].contains(&why), "{line}"),
        }
    }
    assert!(lines.iter().any(|l| l["status"] == "rich"), "no policy is covered at all");

    // Ingesting the same events again changes nothing.
    let out = tujie(&db.url, &["ingest", "--no-drafts", events.to_str().unwrap()]);
    assert!(stderr(&out).contains(" 0 applied"), "{}", stderr(&out));
    assert_eq!(stdout(&tujie(&db.url, &["coverage", "--format", "jsonl"])).lines().count(), lines.len());
}

#[tokio::test]
async fn bad_lines_are_reported_by_number_and_the_rest_go_in() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.jsonl");
    let good = r#"{"event_id":"e1","type":"policy.published","document":{"id":"p1","title":"关于某事的通知","published_at":"2024-01-02"}}"#;
    let no_title = r#"{"event_id":"e2","type":"policy.published","document":{"id":"p2","published_at":"2024-01-02"}}"#;
    let good2 = r#"{"event_id":"e3","type":"policy.published","document":{"id":"p3","title":"关于另一事的通知","published_at":"2024-01-03"}}"#;
    std::fs::write(&file, format!("{good}\n{{not json\n\n{no_title}\n{good2}\n")).unwrap();
    let out = tujie(&db.url, &["ingest", "--no-drafts", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!out.status.success(), "a failed line must make the exit status non-zero");
    assert!(err.contains("mixed.jsonl:2: message is not valid JSON"), "{err}");
    assert!(err.contains("mixed.jsonl:4: invalid event: document.title: is required"), "{err}");
    assert!(err.contains("2 applied, 0 duplicates, 0 stale, 2 failed"), "{err}");
    let covered = stdout(&tujie(&db.url, &["coverage", "--format", "jsonl"]));
    assert_eq!(covered.lines().count(), 2);
    db.finish().await;
}

#[tokio::test]
async fn drafts_are_made_for_policies_with_text_and_listed() {
    let db = TestDb::sqlite().await;
    let docs = fixtures().join("doc_events.jsonl");
    let out = tujie(&db.url, &["ingest", docs.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let drafts: Vec<serde_json::Value> = stdout(&tujie(&db.url, &["drafts", "list", "--format", "jsonl"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(drafts.len(), policy_event_count(&docs), "one draft per policy with a body");
    for d in &drafts {
        assert_eq!(d["status"], "pending");
        for key in ["draft_id", "policy_id", "template", "warnings", "created_at"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
    let coverage: Vec<serde_json::Value> = stdout(&tujie(&db.url, &["coverage", "--format", "jsonl"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(coverage.iter().all(|c| c["draft_id"].is_string()), "every uncovered policy shows its draft");

    // Export and approve one; the audit trail refuses a second decision.
    let id = drafts[0]["draft_id"].as_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = tujie(&db.url, &["drafts", "export", id, "--out", out_dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let png = std::fs::read(out_dir.path().join(format!("{id}.png"))).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let svg = |dir: &tempfile::TempDir| std::fs::read_to_string(dir.path().join(format!("{id}.svg"))).unwrap();
    assert!(svg(&out_dir).contains("草稿"), "a pending draft carries the draft mark");
    assert!(tujie(&db.url, &["drafts", "approve", id, "--by", "编辑甲"]).status.success());
    let approved_dir = tempfile::tempdir().unwrap();
    let out = tujie(&db.url, &["drafts", "export", id, "--out", approved_dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!svg(&approved_dir).contains("草稿"), "an approved export carries no draft mark");
    assert_ne!(std::fs::read(approved_dir.path().join(format!("{id}.png"))).unwrap(), png);
    let again = tujie(&db.url, &["drafts", "reject", id]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("only pending drafts can be reviewed"), "{}", stderr(&again));
    db.finish().await;
}

#[test]
fn a_mistyped_config_key_is_named_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pipeline.toml");
    std::fs::write(&file, "[database]\nurl = \"sqlite://x.db\"\nbusy_timeot_ms = 10\n[amqp]\nprefetch = \"lots\"\n")
        .unwrap();
    let out = tujie("sqlite://unused.db", &["config", "check", "--config", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(&format!("{}: unknown key `database.busy_timeot_ms`", file.display())), "{err}");
    assert!(err.contains("amqp"), "the second problem is reported too: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn config_check_prints_the_effective_configuration_without_secrets() {
    let out = tujie("postgres://tujie:hunter2@127.0.0.1/tujie", &["config", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(printed.contains("url = \"postgres://tujie:***@127.0.0.1/tujie\""), "{printed}");
    assert!(!printed.contains("hunter2"));
    assert!(printed.contains("prefix = \"tujie\""));
}

#[test]
fn draft_renders_one_document_without_database_and_rerenders_edited_content() {
    let dir = tempfile::tempdir().unwrap();
    let event_line = std::fs::read_to_string(fixtures().join("doc_events.jsonl")).unwrap();
    let event_path = dir.path().join("event.json");
    std::fs::write(&event_path, event_line.lines().next().unwrap()).unwrap();
    let id = serde_json::from_str::<serde_json::Value>(event_line.lines().next().unwrap()).unwrap()["document"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out_dir = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec!["draft", event_path.to_str().unwrap(), "--out", out_dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = tujie("sqlite:///nonexistent/dir/never-opened.db", &args);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    run(&[]);
    let svg = std::fs::read_to_string(out_dir.join(format!("{id}.svg"))).unwrap();
    for ext in ["png", "preview.png", "json"] {
        assert!(out_dir.join(format!("{id}.{ext}")).exists(), "{ext} missing");
    }
    run(&[]);
    assert_eq!(std::fs::read_to_string(out_dir.join(format!("{id}.svg"))).unwrap(), svg, "rendering is deterministic");

    // An editor changes the title in the JSON; re-rendering shows the edit.
    let json_path = out_dir.join(format!("{id}.json"));
    let mut record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert!(record["content"]["sections"].as_array().is_some_and(|s| !s.is_empty()));
    record["content"]["title"] = serde_json::json!("编辑修改后的标题");
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, record.to_string()).unwrap();
    run(&["--content", edited.to_str().unwrap()]);
    let svg2 = std::fs::read_to_string(out_dir.join(format!("{id}.svg"))).unwrap();
    assert!(svg2.contains("编辑修改后的标题") && !svg.contains("编辑修改后的标题"));

    // An amount the source never states is refused, as in the workspace, and names the token.
    record["content"]["title"] = serde_json::json!("每人补贴98765432元");
    std::fs::write(&edited, record.to_string()).unwrap();
    let mut args = vec!["draft", event_path.to_str().unwrap(), "--out", out_dir.to_str().unwrap()];
    args.extend_from_slice(&["--content", edited.to_str().unwrap()]);
    let out = tujie("sqlite:///nonexistent/dir/never-opened.db", &args);
    assert!(!out.status.success(), "an unfaithful edit was rendered");
    assert!(stderr(&out).contains("98765432"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(out_dir.join(format!("{id}.svg"))).unwrap(), svg2, "nothing was overwritten");
}

#[test]
fn extract_prints_outline_and_content_for_plain_text() {
    let doc = std::fs::read_dir(fixtures().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.to_string_lossy().contains("interpretation"))
        .unwrap();
    let out = tujie("sqlite://unused.db", &["extract", doc.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(value["content"]["sections"].as_array().is_some_and(|s| s.len() >= 3));
    assert!(value["outline"].is_object());
}

#[test]
fn errors_are_one_sentence_not_a_panic() {
    let out = tujie("sqlite://unused.db", &["draft", "/definitely/not/here.json"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.starts_with("tujie: cannot read /definitely/not/here.json"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
    let out = tujie("mysql://nope", &["coverage"]);
    assert!(stderr(&out).contains("database.url"), "{}", stderr(&out));
}

/// `tujie user add` prints a login token once and stores only its hash; `tujie user list` never shows it.
async fn user_accounts(db: &TestDb) {
    let unknown = tujie(&db.url, &["user", "add", "编辑甲", "--department", "县教育局"]);
    assert!(!unknown.status.success(), "no department is known yet");
    assert!(stderr(&unknown).contains("县教育局") && stderr(&unknown).contains("departments"), "{}", stderr(&unknown));
    let typo = tujie_with(&db.url, &["user", "add", "编辑甲", "--department", "县教育厅"], &DEPARTMENTS);
    assert!(!typo.status.success(), "a mistyped department is refused");
    assert!(stderr(&typo).contains("已知的部门：县教育局"), "the known ones are listed: {}", stderr(&typo));
    let out = tujie_with(&db.url, &["user", "add", "编辑甲", "--department", "县教育局"], &DEPARTMENTS);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_owned();
    assert_eq!(token.len(), 40, "one token on stdout: {token}");
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    let out = tujie(&db.url, &["user", "add", "督查乙", "--role", "supervisor"]);
    assert!(out.status.success(), "a supervisor needs no department: {}", stderr(&out));
    assert_ne!(stdout(&out).trim(), token);

    let again = tujie_with(&db.url, &["user", "add", "编辑甲", "--department", "县教育局"], &DEPARTMENTS);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let no_department = tujie(&db.url, &["user", "add", "编辑丙"]);
    assert!(!no_department.status.success());
    assert!(stderr(&no_department).contains("--department"), "{}", stderr(&no_department));

    let out = tujie(&db.url, &["user", "list", "--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let users: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let names: Vec<(&str, &str)> =
        users.iter().map(|u| (u["name"].as_str().unwrap(), u["role"].as_str().unwrap())).collect();
    assert_eq!(names, [("督查乙", "supervisor"), ("编辑甲", "editor")]);
    assert!(!stdout(&out).contains(&token), "the token is never shown again");
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM users").fetch_all(&any_pool(&db.url).await).await.unwrap();
    assert!(!stored.contains(&token), "only a hash is stored");

    let out = tujie(&db.url, &["user", "reset-token", "编辑甲"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(stdout(&out).trim(), token);
    assert!(!tujie(&db.url, &["user", "reset-token", "无此人"]).status.success());
}

async fn any_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await.unwrap()
}

/// One HTTP/1.1 request over a fresh connection; returns the whole response as text.
fn http(address: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// `tujie serve` listens where it says, takes a login, serves the queue and stops cleanly on SIGTERM.
#[tokio::test]
async fn serve_logs_in_and_stops_on_sigterm() {
    use std::io::BufRead;
    let db = TestDb::sqlite().await;
    let out = tujie_with(&db.url, &["user", "add", "编辑甲", "--department", "县教育局"], &DEPARTMENTS);
    let token = stdout(&out).trim().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("TUJIE_DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("tujie serve ended before listening").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    assert!(http(&address, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ends_with("ok"));
    let anonymous = http(&address, "GET /drafts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(anonymous.starts_with("HTTP/1.1 303"), "{anonymous}");
    let body = format!("name=%E7%BC%96%E8%BE%91%E7%94%B2&token={token}"); // name=编辑甲
    let login = http(
        &address,
        &format!(
            "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(login.starts_with("HTTP/1.1 303"), "{login}");
    let cookie = login
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie in {login}"))
        .to_owned();
    let queue =
        http(&address, &format!("GET /drafts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"));
    assert!(queue.starts_with("HTTP/1.1 200"), "{queue}");
    assert!(queue.contains("没有符合条件的草稿"), "{queue}");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "tujie serve did not stop within 20 s of SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("review workspace stopped")), "{rest:?}");
    db.finish().await;
}

#[tokio::test]
async fn reconcile_makes_the_drafts_no_event_asked_for_once() {
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.jsonl");
    let event = serde_json::json!({"event_id": "e-p", "type": "policy.published", "document": {
        "id": "p-1", "title": "关于印发某县养老服务补贴办法的通知", "published_at": "2024-05-06",
        "body_text": "一、补贴对象\n本县户籍年满80周岁的老年人。\n二、补贴标准\n每人每月100元。"}});
    std::fs::write(&file, format!("{event}\n")).unwrap();
    assert!(tujie(&db.url, &["ingest", "--no-drafts", file.to_str().unwrap()]).status.success());

    let first = tujie(&db.url, &["reconcile"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let made: Vec<String> = stdout(&first).lines().map(str::to_owned).collect();
    assert_eq!(made.len(), 1, "one draft for the one policy without one: {made:?}");
    assert!(made[0].starts_with("dr-p-1-"), "{made:?}");
    assert!(stderr(&first).contains("1 drafts made"), "{}", stderr(&first));
    let again = tujie(&db.url, &["reconcile"]);
    assert!(again.status.success() && stdout(&again).is_empty(), "{}", stderr(&again));
    assert!(stderr(&again).contains("0 drafts made"), "{}", stderr(&again));
    db.finish().await;
}

/// The README's main command on the sample inbox gives most policies a draft, and names a department that has some.
#[tokio::test]
async fn the_readme_sample_gives_most_policies_a_draft() {
    let db = TestDb::sqlite().await;
    let inbox = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/inbox");
    let out = tujie(&db.url, &["run", "--once", "--inbox", inbox.to_str().unwrap()]);
    assert!(out.status.success(), "run --once failed: {}", stderr(&out));
    let out = tujie(&db.url, &["coverage", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let policies = policy_event_count(&inbox.join("sample-events.jsonl"));
    assert_eq!(rows.len(), policies);
    let drafted = rows.iter().filter(|r| !r["draft_id"].is_null()).count();
    assert!(drafted * 2 > policies, "only {drafted} of {policies} sample policies got a draft");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let department =
        readme.split("user add 张三 --department ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap();
    let sample = std::fs::read_to_string(inbox.join("sample-events.jsonl")).unwrap();
    let of_department: Vec<String> = sample
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["document"]["department"] == department)
        .map(|e| e["document"]["id"].as_str().unwrap().to_owned())
        .collect();
    let drafted_there = rows
        .iter()
        .filter(|r| !r["draft_id"].is_null())
        .filter(|r| r["policy_id"].as_str().is_some_and(|id| of_department.iter().any(|d| d == id)))
        .count();
    assert!(drafted_there > 0, "the README's editor department {department} has no draft");
    db.finish().await;
}

/// `tujie report` on a fixture event stream across New Year 2026 and the Spring Festival, every figure worked out
/// by hand on the official calendar: 县教育局's policy of Wed 12-31 interpreted (text) Mon 01-05 at 23:50 China
/// time (Jan 1–3 off, Sun 01-04 a make-up day: 2 working days), its policy of Friday 02-13 interpreted (图解) on
/// the make-up Saturday 02-14 (1); 县人社局's policy of 12-26 has only a video after the period (overdue, 40
/// working days by 02-28). The WeChat account's only post is after the period too: blank.
async fn report_figures_from_an_event_stream(db: &TestDb) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/report");
    let out = tujie(&db.url, &["ingest", "--no-drafts", dir.join("events.jsonl").to_str().unwrap()]);
    assert!(out.status.success() && stderr(&out).contains("0 failed"), "ingest: {}", stderr(&out));
    let config = dir.join("report.toml");
    let args = ["-c", config.to_str().unwrap(), "report", "--from", "2025-12-01", "--to", "2026-02-28"];
    let out = tujie(&db.url, &[&args[..], &["--format", "json"]].concat());
    assert!(out.status.success(), "report: {}", stderr(&out));
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let edu = &r["departments"][1];
    assert_eq!(edu["department"], "县教育局");
    let figures = |f: &serde_json::Value, keys: &[&str]| keys.iter().map(|k| f[*k].clone()).collect::<Vec<_>>();
    let expected = serde_json::json!([2, 2, 1, 1, 2, 0, 1.5]).as_array().unwrap().clone();
    assert_eq!(
        figures(edu, &["policies", "interpreted", "rich", "text_only", "on_time", "late", "median_delay"]),
        expected
    );
    assert_eq!(edu["rich_ratio"], 0.5);
    assert_eq!(edu["median_rich_delay"], 1.0);
    let hrss = &r["departments"][0];
    assert_eq!(
        figures(hrss, &["department", "policies", "none", "overdue"]),
        serde_json::json!(["县人社局", 1, 1, 1]).as_array().unwrap().clone()
    );
    let b1 = r["policies"].as_array().unwrap().iter().find(|p| p["policy_id"] == "p-b1").unwrap();
    assert_eq!(b1["timeliness"], serde_json::json!({"verdict": "overdue", "working_days": 40}));
    let a1 = r["policies"].as_array().unwrap().iter().find(|p| p["policy_id"] == "p-a1").unwrap();
    assert_eq!(a1["first_interpretation"], "2026-01-05", "23:50 China time is still the 5th");
    let states: Vec<(String, String)> = r["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["column"].as_str().unwrap_or("（账号）").to_owned(), c["state"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        states[..3],
        [("政策文件".into(), "fresh".into()), ("工作动态".into(), "blank".into()), ("（账号）".into(), "blank".into())]
    );

    let xlsx = tempfile::tempdir().unwrap();
    let file = xlsx.path().join("r.xlsx");
    let out = tujie(&db.url, &[&args[..], &["--format", "xlsx", "--out", file.to_str().unwrap()]].concat());
    assert!(out.status.success() && std::fs::metadata(&file).unwrap().len() > 0, "xlsx: {}", stderr(&out));
    let out = tujie(&db.url, &[&args[..], &["--format", "xlsx"]].concat());
    assert!(!out.status.success() && stderr(&out).contains("--out"), "xlsx without --out: {}", stderr(&out));
}

#[tokio::test]
async fn run_once_on_an_empty_inbox_says_so() {
    let db = TestDb::sqlite().await;
    let inbox = tempfile::tempdir().unwrap();
    let out = tujie(&db.url, &["run", "--once", "--inbox", inbox.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing to do"), "{}", stderr(&out));
    db.finish().await;
}

both_backends!(ingest_then_coverage, user_accounts, report_figures_from_an_event_stream);

/// `tujie assets gc` on the folder store: a dry run only names the old orphan; the real run removes it and keeps
/// the files drafts name and the orphan too young to judge; a bound under a minute is refused.
#[tokio::test]
async fn assets_gc_removes_only_old_orphans() {
    let files_in = |dir: &Path| -> Vec<String> {
        let names = tujie_test_support::s3::files_under(dir)
            .into_iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned());
        let mut names: Vec<String> = names.collect();
        names.sort();
        names
    };
    let db = TestDb::sqlite().await;
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    let vars = [("TUJIE__DATABASE__ASSET_STORE", "directory"), ("TUJIE__DATABASE__ASSET_DIR", dir)];
    let docs = fixtures().join("doc_events.jsonl");
    assert!(tujie_with(&db.url, &["ingest", docs.to_str().unwrap()], &vars).status.success());
    let named = files_in(folder.path());
    assert_eq!(named.len(), 2 * policy_event_count(&docs), "two files per draft");

    let plant = |name: &str, age_secs: u64| {
        let path = folder.path().join(&name[..2]).join(&name[2..4]).join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = std::fs::File::create(&path).unwrap();
        file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(age_secs)).unwrap();
        name.to_owned()
    };
    let old = plant(&format!("{}-0000000000000001.png", "a".repeat(64)), 2 * 86_400);
    let young = plant(&format!("{}-0000000000000002.png", "b".repeat(64)), 3_600);

    let dry = tujie_with(&db.url, &["assets", "gc", "--dry-run"], &vars);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert_eq!(stdout(&dry).trim(), old);
    assert!(stderr(&dry).contains("would remove 1 files"), "{}", stderr(&dry));
    assert_eq!(files_in(folder.path()).len(), named.len() + 2, "a dry run removes nothing");

    let run = tujie_with(&db.url, &["assets", "gc"], &vars);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(&format!(
            "removed 1 files (0 bytes) that no draft names and older than 1d; kept {} named and 1 younger",
            named.len()
        )),
        "{}",
        stderr(&run)
    );
    let mut left = named.clone();
    left.push(young);
    left.sort();
    assert_eq!(files_in(folder.path()), left);

    let refused = tujie_with(&db.url, &["assets", "gc", "--older-than", "10s"], &vars);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("under a minute"), "{}", stderr(&refused));
    db.finish().await;
}
