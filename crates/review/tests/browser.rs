//! An editor's day in a real browser: headless Chromium driven through chromedriver's WebDriver HTTP API (a few
//! JSON calls over the same small HTTP client the other tests use; no browser-automation library).
//!
//! Log in through a deep link to a draft, see the draft page (not the list), find a long bullet in a textarea that
//! shows all of it, try a number the policy does not contain and see the refusal inline with the input kept, save a
//! faithful edit and see the new preview, approve after the confirmation dialog, and download the PNG: it is the
//! approved rendering, without the draft mark. Screenshots go to `target/browser-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/test.sh` installs them); without them the test fails
//! saying so, it never skips.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use support::{Account, DEPT_A, DEPT_B, Fixture, Server, TestDb, http, setup};
use tujie_model::DraftStatus;
use tujie_render::Mode;

const INSTALL: &str = "install Chromium and its WebDriver: apt-get install -y chromium chromium-driver";

/// The first of `names` found on `PATH` or in `/usr/bin`.
fn program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]).collect();
    names.iter().flat_map(|n| dirs.iter().map(move |d| d.join(n))).find(|p| p.is_file())
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    addr: std::net::SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let driver = program(&["chromedriver"]).unwrap_or_else(|| panic!("chromedriver not found: {INSTALL}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start chromedriver ({e}): {INSTALL}"));
        let addr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                let status = http(addr, "GET", "/status", &[], b"").await;
                if status.status == 200 && status.json()["value"]["ready"] == true {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready within 20 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Driver { child, addr }
    }
}

/// One WebDriver session.
struct Browser {
    driver: Driver,
    session: String,
    shots: PathBuf,
}

impl Browser {
    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let bytes = if method == "GET" { Vec::new() } else { body.to_string().into_bytes() };
        let reply = http(self.driver.addr, method, &path, &[("Content-Type", "application/json")], &bytes).await;
        let json = reply.json();
        assert_eq!(reply.status, 200, "{method} {path}: {json}");
        json["value"].clone()
    }

    async fn open(driver: Driver, downloads: &Path, profile: &Path) -> Browser {
        let chromium =
            program(&["chromium", "chromium-browser"]).unwrap_or_else(|| panic!("chromium not found: {INSTALL}"));
        let capabilities = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                     format!("--user-data-dir={}", profile.display()), "--window-size=1400,1000", "--lang=zh-CN"],
            "prefs": {"download.default_directory": downloads, "download.prompt_for_download": false},
        }}}});
        let reply = http(
            driver.addr,
            "POST",
            "/session",
            &[("Content-Type", "application/json")],
            capabilities.to_string().as_bytes(),
        )
        .await;
        assert_eq!(reply.status, 200, "cannot open a Chromium session: {}", reply.text());
        let session = reply.json()["value"]["sessionId"].as_str().expect("a session id").to_owned();
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        let browser = Browser { driver, session, shots };
        // Let the headless browser save downloads (Chrome DevTools command through chromedriver).
        browser
            .call(
                "POST",
                "/chromium/send_command",
                json!({"cmd": "Page.setDownloadBehavior",
                "params": {"behavior": "allow", "downloadPath": downloads}}),
            )
            .await;
        browser
    }

    async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    async fn url(&self) -> String {
        self.call("GET", "/url", Value::Null).await.as_str().unwrap().to_owned()
    }

    async fn find(&self, css: &str) -> String {
        let found = self.call("POST", "/element", json!({"using": "css selector", "value": css})).await;
        found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("an element id").to_owned()
    }

    async fn type_into(&self, element: &str, text: &str) {
        self.call("POST", &format!("/element/{element}/clear"), json!({})).await;
        self.call("POST", &format!("/element/{element}/value"), json!({ "text": text })).await;
    }

    async fn click(&self, element: &str) {
        self.call("POST", &format!("/element/{element}/click"), json!({})).await;
    }

    async fn script(&self, source: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", json!({ "script": source, "args": args })).await
    }

    async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.call("GET", &format!("/element/{element}/text"), Value::Null).await.as_str().unwrap().to_owned()
    }

    /// Waits until the page at a URL containing `part` has loaded.
    async fn wait_for_url(&self, part: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let url = self.url().await;
            let ready = self.script("return document.readyState", json!([])).await;
            if url.contains(part) && ready == "complete" {
                return url;
            }
            assert!(Instant::now() < deadline, "never reached a URL with {part}; at {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Fills and sends the login form on the page.
    async fn log_in(&self, who: &Account) {
        let name = self.find("input[name=name]").await;
        self.type_into(&name, &who.name).await;
        let token = self.find("input[name=token]").await;
        self.type_into(&token, &who.token).await;
        let login = self.find("form.login button").await;
        self.click(&login).await;
    }

    async fn screenshot(&self, name: &str) {
        let data = self.call("GET", "/screenshot", Value::Null).await;
        let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap()).unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    async fn close(self) {
        let path = format!("/session/{}", self.session);
        http(self.driver.addr, "DELETE", &path, &[], b"").await;
    }
}

/// A number that does not occur in `source`.
fn invented(source: &str) -> String {
    (7301..).map(|n| n.to_string()).find(|n| !source.contains(n.as_str())).unwrap()
}

async fn an_editors_day(f: Fixture) {
    let server = Server::start(f.app.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let (downloads, profile) = (dir.path().join("downloads"), dir.path().join("profile"));
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::open(Driver::start().await, &downloads, &profile).await;
    let id = f.draft_a.clone();

    // A deep link to the draft asks for a login and then shows the draft, not the list.
    browser.goto(&server.url(&format!("/drafts/{id}"))).await;
    browser.wait_for_url("/login?next=").await;
    browser.screenshot("01-login").await;
    browser.log_in(&f.editor_a).await;
    browser.wait_for_url(&format!("/drafts/{id}")).await;
    browser.screenshot("02-draft").await;

    // The longest bullet sits in a textarea that shows all of it.
    let detail = f.store().draft_detail(&id).await.unwrap().unwrap();
    let (field, text) = longest_bullet(&detail.content);
    let selector = format!("textarea[name='{field}']");
    let area = browser.find(&selector).await;
    let sizes = browser
        .script(
            "var t=document.querySelector(arguments[0]); return [t.scrollHeight, t.clientHeight, t.value];",
            json!([selector]),
        )
        .await;
    assert_eq!(sizes[2], text.as_str(), "the textarea holds the whole bullet: {sizes}");
    assert!(sizes[0].as_i64() <= sizes[1].as_i64().map(|h| h + 4), "the textarea shows all of it: {sizes}");

    // A number the policy does not contain is refused inline, with the input kept.
    let number = invented(&detail.source_text);
    let refused_text = format!("{text}，补贴{number}元");
    browser.type_into(&area, &refused_text).await;
    let save = browser.find("#save").await;
    browser.click(&save).await;
    browser.wait_for_url("/edit").await;
    let alert = browser.text("div.msg.bad[role=alert]").await;
    assert!(alert.contains(&number) && alert.contains("原文"), "{alert}");
    let kept = browser.script("return document.querySelector(arguments[0]).value", json!([selector])).await;
    assert_eq!(kept, refused_text.as_str(), "the editor's input is kept");
    assert!(!browser.find("mark.bad").await.is_empty(), "the offending number is highlighted");
    browser.screenshot("03-refused").await;
    assert_eq!(f.store().draft_detail(&id).await.unwrap().unwrap().revision, 1);

    // A faithful edit is saved and the preview shows the new revision.
    let area = browser.find(&selector).await;
    browser.type_into(&area, &format!("{text}（已核对）")).await;
    let save = browser.find("#save").await;
    browser.click(&save).await;
    browser.wait_for_url("msg=saved").await;
    let preview = browser
        .script(
            "var i=document.getElementById('preview'); return [i.getAttribute('src'), i.complete, i.naturalWidth];",
            json!([]),
        )
        .await;
    assert!(preview[0].as_str().unwrap().ends_with("v=2"), "{preview}");
    assert_eq!(preview[2], 360, "the new preview loaded: {preview}");
    assert!(browser.text("p.msg.ok").await.contains("已保存"));
    browser.screenshot("04-saved").await;

    // 通过 asks first; dismissing changes nothing, accepting approves.
    let approve = browser.find("#approve").await;
    browser.click(&approve).await;
    let question = browser.call("GET", "/alert/text", Value::Null).await;
    assert!(question.as_str().unwrap().contains("确认通过"), "{question}");
    browser.call("POST", "/alert/dismiss", json!({})).await;
    assert_eq!(f.store().draft_detail(&id).await.unwrap().unwrap().status, DraftStatus::Pending);
    let approve = browser.find("#approve").await;
    browser.click(&approve).await;
    browser.call("POST", "/alert/accept", json!({})).await;
    browser.wait_for_url("msg=approved").await;
    browser.screenshot("05-approved").await;
    let approved = f.store().draft_detail(&id).await.unwrap().unwrap();
    assert_eq!(approved.status, DraftStatus::Approved);

    // The downloaded PNG is the approved rendering: no banner, no watermark.
    let link = browser.find("#download-png").await;
    browser.click(&link).await;
    let png = downloaded(&downloads, Duration::from_secs(30));
    let expected = f.renderer.render(&approved.content, approved.policy.site.as_deref(), Mode::Approved).unwrap();
    assert_eq!(png, expected.png, "the download is the approved rendering of the edited content");
    let pixels = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_ne!(pixels.get_pixel(10, 10).0, [0xFF, 0xC4, 0x00], "no amber draft banner");
    browser.close().await;
    f.db.finish().await;
}

/// A supervisor opens the report page, sets the period and the department, and sees the charts and the figures.
async fn a_supervisors_report(f: Fixture) {
    let facts = f.store().report_facts().await.unwrap();
    let policy = |d: &str| facts.policies.iter().find(|p| p.department.as_deref() == Some(d)).unwrap().clone();
    let (a, b) = (policy(DEPT_A), policy(DEPT_B));
    let (from, to) = (a.published.min(b.published), a.published.max(b.published));
    let request = tujie_report::ReportRequest { from, to, department: Some(DEPT_A.to_owned()) };
    let cal = tujie_report::WorkCalendar::official();
    let expected = tujie_report::build(&Default::default(), cal, &request, &facts.policies, &facts.publications);
    let expected = expected.unwrap();

    let server = Server::start(f.app.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let browser = Browser::open(Driver::start().await, &dir.path().join("downloads"), &dir.path().join("p")).await;
    browser.goto(&server.url("/report")).await;
    browser.wait_for_url("/login?next=").await;
    browser.log_in(&f.supervisor).await;
    browser.wait_for_url("/report").await;
    let set =
        "document.querySelector(arguments[0]).value = arguments[1]; return document.querySelector(arguments[0]).value;";
    for (field, value) in [("input[name=from]", from.to_string()), ("input[name=to]", to.to_string())] {
        assert_eq!(browser.script(set, json!([field, value])).await, value.as_str(), "{field} takes the date");
    }
    assert_eq!(browser.script(set, json!(["select[name=department]", DEPT_A])).await, DEPT_A);
    let filter = browser.find("#period button").await;
    browser.click(&filter).await;
    browser.wait_for_url(&format!("to={to}")).await;
    browser.screenshot("10-report").await;

    let charts = browser
        .script(
            "return Array.from(document.querySelectorAll('.charts svg')).map(s => s.getBoundingClientRect().width);",
            json!([]),
        )
        .await;
    let widths: Vec<f64> = charts.as_array().unwrap().iter().filter_map(Value::as_f64).collect();
    assert!(widths.len() == 2 && widths.iter().all(|w| *w > 50.0), "both charts are drawn: {charts}");
    let cells = "return Array.from(document.querySelector('table tbody tr').cells).map(c => c.textContent);";
    let first_row = browser.script(cells, json!([])).await;
    let figures = &expected.departments[0];
    assert_eq!(first_row[0], figures.department.as_str(), "{first_row}");
    assert_eq!(first_row[1], figures.policies.to_string().as_str(), "the figures of the period: {first_row}");
    let page = browser.text("main").await;
    assert!(page.contains(&a.title) && !page.contains(&b.title), "only {DEPT_A}'s policy is listed");
    assert_eq!(
        browser.script("return document.querySelector('input[name=from]').value", json!([])).await,
        from.to_string().as_str()
    );
    browser.close().await;
    f.db.finish().await;
}

/// The id and text of the longest bullet of a draft.
fn longest_bullet(content: &tujie_model::InfographicContent) -> (String, String) {
    content
        .sections
        .iter()
        .enumerate()
        .flat_map(|(s, sec)| {
            sec.bullets.iter().enumerate().map(move |(b, x)| (format!("s{s}.b{b}.text"), x.text.clone()))
        })
        .max_by_key(|(_, t)| t.chars().count())
        .expect("the draft has a bullet")
}

/// The bytes of the first finished download in `dir`.
fn downloaded(dir: &Path, within: Duration) -> Vec<u8> {
    let deadline = Instant::now() + within;
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "png"));
        if let Some(path) = done {
            return std::fs::read(path).unwrap();
        }
        assert!(Instant::now() < deadline, "no PNG was downloaded to {}", dir.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editors_day_in_chromium() {
    an_editors_day(setup(TestDb::sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisors_report_in_chromium() {
    a_supervisors_report(setup(TestDb::sqlite().await).await).await;
}
