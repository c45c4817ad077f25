//! Shared helpers for the end-to-end tests in `tests/`: each test gets a fresh PostgreSQL database, a fresh AMQP
//! prefix and a scratch folder, and runs the real `tujie` binary configured purely through the environment.
//!
//! A missing service is a failure, never a skip: the panic message says how to start it. Everything a test
//! creates (database, exchanges, queues, child processes) is removed when its [`TestEnv`] or [`Proc`] is dropped,
//! also when the test panics.
//!
//! The helpers are synchronous (each `TestEnv` owns a small tokio runtime for its database and broker calls), so
//! plain `#[test]` functions can use them and child processes can be waited on without an async runtime.
#![allow(dead_code)] // reason: each test binary uses a different subset of the helpers

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tujie_queue::AmqpConfig;
use tujie_queue::lapin::{
    self, BasicProperties, Connection, ConnectionProperties,
    options::{
        BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions, QueueBindOptions, QueueDeclareOptions,
        QueueDeleteOptions,
    },
    types::{AMQPValue, FieldTable},
};

/// The `tujie` binary cargo built for this test run.
pub fn tujie_bin() -> &'static str {
    env!("CARGO_BIN_EXE_tujie")
}

pub use tujie_test_support::{START_RABBITMQ, amqp_url, fixture, postgres_admin_url, unique};

/// One test's world: a database, a queue prefix, a scratch folder, and the environment for the binary.
#[derive(Debug)]
pub struct TestEnv {
    rt: tokio::runtime::Runtime,
    /// Queue prefix of this test (`tujie-test-<pid>-<n>-<nanos>`).
    pub prefix: String,
    pub amqp_url: String,
    /// URL of this test's own database.
    pub database_url: String,
    admin_url: String,
    db_name: String,
    pool: Option<sqlx::AnyPool>,
    /// Scratch folder; also the working directory of every child, so no `pipeline.toml` is picked up.
    pub dir: tempfile::TempDir,
    /// Extra `KEY=VALUE` for every child, after the defaults (so they win).
    env: BTreeMap<String, String>,
    /// Whether this test touched the broker, so teardown deletes the topology.
    uses_broker: bool,
    /// Queues made by [`TestEnv::observe`], deleted at teardown.
    extra_queues: Vec<String>,
}

impl TestEnv {
    /// A fresh PostgreSQL database (migrated by the binary on first use) and a fresh prefix. Panics with the
    /// command to start PostgreSQL when it is unreachable.
    pub fn new() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("build a tokio runtime for the test helpers");
        let admin_url = postgres_admin_url();
        let db_name = format!("tujie_e2e_{}", unique('_'));
        let database_url = tujie_test_support::database_url(&admin_url, &db_name);
        let pool = rt.block_on(async {
            let admin = connect_pg(&admin_url).await;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db_name}")))
                .execute(&admin)
                .await
                .unwrap_or_else(|e| panic!("cannot CREATE DATABASE {db_name} on {admin_url}: {e}"));
            admin.close().await;
            connect_pg(&database_url).await
        });
        TestEnv {
            rt,
            prefix: format!("tujie-test-{}", unique('-')),
            amqp_url: amqp_url(),
            database_url,
            admin_url,
            db_name,
            pool: Some(pool),
            dir: tempfile::tempdir().expect("create a scratch folder"),
            env: BTreeMap::new(),
            uses_broker: false,
            extra_queues: Vec::new(),
        }
    }

    /// [`TestEnv::new`] plus a reachable broker with this prefix's topology declared (so publishes route to the
    /// input queue before any worker ran). Panics with the command to start RabbitMQ when it is unreachable.
    pub fn with_broker() -> Self {
        let mut env = Self::new();
        env.uses_broker = true;
        let cfg = env.amqp_config();
        env.rt.block_on(async {
            let conn = connect_amqp(&cfg.url).await;
            let channel = conn.create_channel().await.expect("open an AMQP channel");
            tujie_queue::declare_topology(&channel, &cfg).await.expect("declare the test topology");
            let _ = conn.close(200, "test setup done".into()).await;
        });
        env
    }

    /// Sets an extra environment variable for every child started afterwards (`TUJIE__AMQP__CONCURRENCY`, …).
    pub fn set_env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    /// The queue settings the children use, for calling `tujie_queue` directly.
    pub fn amqp_config(&self) -> AmqpConfig {
        let mut cfg = AmqpConfig { url: self.amqp_url.clone(), prefix: self.prefix.clone(), ..AmqpConfig::default() };
        if let Some(t) = self.env.get("TUJIE__AMQP__QUEUE_TYPE") {
            cfg.queue_type = t.clone();
        }
        cfg
    }

    /// The binary with this test's environment: inherited `TUJIE*` variables removed, database, broker and prefix
    /// set, metrics server off, working directory the scratch folder.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(tujie_bin());
        cmd.args(args).current_dir(self.dir.path());
        for (key, _) in std::env::vars() {
            if key.starts_with("TUJIE") || key == "RUST_LOG" {
                cmd.env_remove(key);
            }
        }
        cmd.env("TUJIE_DATABASE_URL", &self.database_url)
            .env("TUJIE_AMQP_URL", &self.amqp_url)
            .env("TUJIE__AMQP__PREFIX", &self.prefix)
            .env("TUJIE__AMQP__METRICS_ADDR", "");
        cmd.envs(&self.env);
        cmd
    }

    /// Runs the binary to completion and returns its output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run {}: {e}", tujie_bin()))
    }

    /// Runs the binary and panics, with its stderr, unless it exits 0.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "`tujie {}` failed with {}\n--- stdout\n{}\n--- stderr\n{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Starts the binary in the background; its stderr goes to `<scratch>/<name>.log` (see [`Proc::stderr`]).
    pub fn spawn(&self, name: &str, args: &[&str]) -> Proc {
        let log = self.dir.path().join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("create a log file");
        let child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tujie_bin()));
        Proc { child: Some(child), log, label: format!("tujie {}", args.join(" ")) }
    }

    /// Writes events as JSON Lines into the scratch folder and returns the path.
    pub fn write_jsonl(&self, name: &str, events: &[Value]) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut text = String::new();
        for e in events {
            text.push_str(&serde_json::to_string(e).expect("serialise an event"));
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write a JSON Lines file");
        path
    }

    // ---- database -------------------------------------------------------------------------------------------

    fn pool(&self) -> &sqlx::AnyPool {
        self.pool.as_ref().expect("the pool lives until drop")
    }

    /// A single integer (`SELECT COUNT(*) …`). A missing table (the binary has not migrated yet) counts as 0.
    pub fn count(&self, sql: &str) -> i64 {
        self.rt.block_on(async {
            match sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(self.pool()).await {
                Ok(n) => n,
                Err(e) if e.to_string().contains("does not exist") => 0,
                Err(e) => panic!("query `{sql}` failed: {e}"),
            }
        })
    }

    /// Runs a statement that returns no rows: setup the binary has no command for.
    pub fn execute(&self, sql: &str) {
        self.rt.block_on(async {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(self.pool())
                .await
                .unwrap_or_else(|e| panic!("statement `{sql}` failed: {e}"));
        });
    }

    /// The first column of every row, as text (`SELECT id FROM drafts ORDER BY id`).
    pub fn strings(&self, sql: &str) -> Vec<String> {
        self.rt.block_on(async {
            sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(self.pool())
                .await
                .unwrap_or_else(|e| panic!("query `{sql}` failed: {e}"))
        })
    }

    // ---- broker ---------------------------------------------------------------------------------------------

    /// Declares a queue `{prefix}.observe.<n>` bound to `{prefix}.events` with `binding_key` (e.g. `draft.*`)
    /// and returns its name; it is deleted at teardown. Bind before publishing: the exchange keeps nothing.
    pub fn observe(&mut self, binding_key: &str) -> String {
        self.uses_broker = true;
        let queue = format!("{}.observe.{}", self.prefix, self.extra_queues.len() + 1);
        let cfg = self.amqp_config();
        self.rt.block_on(async {
            let conn = connect_amqp(&cfg.url).await;
            let channel = conn.create_channel().await.expect("open an AMQP channel");
            tujie_queue::declare_topology(&channel, &cfg).await.expect("declare the test topology");
            channel
                .queue_declare(queue.as_str().into(), QueueDeclareOptions::durable(), FieldTable::default())
                .await
                .expect("declare the observer queue");
            channel
                .queue_bind(
                    queue.as_str().into(),
                    cfg.events_exchange().as_str().into(),
                    binding_key.into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await
                .expect("bind the observer queue");
            let _ = conn.close(200, "observer declared".into()).await;
        });
        self.extra_queues.push(queue.clone());
        queue
    }

    /// Takes every message currently in `queue` (acknowledged, so they are gone afterwards).
    pub fn drain(&self, queue: &str) -> Vec<Message> {
        self.rt.block_on(async {
            let conn = connect_amqp(&self.amqp_url).await;
            let channel = conn.create_channel().await.expect("open an AMQP channel");
            let mut out = Vec::new();
            while let Some(got) = channel
                .basic_get(queue.into(), BasicGetOptions { no_ack: true })
                .await
                .unwrap_or_else(|e| panic!("basic.get from {queue} failed: {e}"))
            {
                out.push(Message::from_delivery(&got.delivery));
            }
            let _ = conn.close(200, "drained".into()).await;
            out
        })
    }

    /// Publishes raw bytes to `{prefix}.events` with `routing_key`, confirmed and mandatory (so an unbound key
    /// fails the test instead of vanishing).
    pub fn publish_raw(&self, routing_key: &str, body: &[u8]) {
        let exchange = self.amqp_config().events_exchange();
        self.rt.block_on(async {
            let conn = connect_amqp(&self.amqp_url).await;
            let channel = conn.create_channel().await.expect("open an AMQP channel");
            channel.confirm_select(ConfirmSelectOptions::default()).await.expect("confirm.select");
            let confirm = channel
                .basic_publish(
                    exchange.as_str().into(),
                    routing_key.into(),
                    BasicPublishOptions { mandatory: true, ..BasicPublishOptions::default() },
                    body,
                    BasicProperties::default().with_delivery_mode(2),
                )
                .await
                .expect("publish")
                .await
                .expect("publisher confirm");
            assert!(
                matches!(confirm, lapin::Confirmation::Ack(None)),
                "raw publish to {exchange} with key {routing_key} was not routed: {confirm:?}"
            );
            let _ = conn.close(200, "published".into()).await;
        });
    }

    /// Ready messages in `queue` (passive declare).
    pub fn queue_len(&self, queue: &str) -> u32 {
        self.rt.block_on(async {
            let conn = connect_amqp(&self.amqp_url).await;
            let channel = conn.create_channel().await.expect("open an AMQP channel");
            let q = channel
                .queue_declare(
                    queue.into(),
                    QueueDeclareOptions { passive: true, ..QueueDeclareOptions::default() },
                    FieldTable::default(),
                )
                .await
                .unwrap_or_else(|e| panic!("inspect queue {queue}: {e}"));
            let _ = conn.close(200, "inspected".into()).await;
            q.message_count()
        })
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let pool = self.pool.take();
        let cfg = self.amqp_config();
        let (uses_broker, extra, admin_url, db_name) =
            (self.uses_broker, std::mem::take(&mut self.extra_queues), self.admin_url.clone(), self.db_name.clone());
        let result: Result<(), String> = self.rt.block_on(async move {
            if let Some(pool) = pool {
                pool.close().await;
            }
            let mut problems = Vec::new();
            if uses_broker {
                match Connection::connect(&cfg.url, ConnectionProperties::default()).await {
                    Ok(conn) => {
                        if let Ok(channel) = conn.create_channel().await {
                            for q in &extra {
                                let _ = channel.queue_delete(q.as_str().into(), QueueDeleteOptions::default()).await;
                            }
                            if let Err(e) = tujie_queue::delete_topology(&channel, &cfg).await {
                                problems.push(format!("delete topology {}: {e}", cfg.prefix));
                            }
                        }
                        let _ = conn.close(200, "test teardown".into()).await;
                    }
                    Err(e) => problems.push(format!("connect for teardown: {e}")),
                }
            }
            match sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&admin_url).await {
                Ok(admin) => {
                    let drop = format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)");
                    if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&admin).await {
                        problems.push(format!("drop database {db_name}: {e}"));
                    }
                    admin.close().await;
                }
                Err(e) => problems.push(format!("connect for teardown: {e}")),
            }
            if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
        });
        if let Err(e) = result {
            // Never panic in drop (it would abort a test that is already unwinding); leftovers are named instead.
            eprintln!("test teardown incomplete: {e}");
        }
    }
}

/// A message taken from a queue by [`TestEnv::drain`].
#[derive(Debug, Clone)]
pub struct Message {
    pub routing_key: String,
    pub message_id: Option<String>,
    /// String-valued headers (`x-tujie-reason`, …).
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Message {
    fn from_delivery(d: &lapin::message::Delivery) -> Self {
        let mut headers = BTreeMap::new();
        if let Some(table) = d.properties.headers() {
            for (k, v) in table.inner() {
                let text = match v {
                    AMQPValue::LongString(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
                    AMQPValue::ShortString(s) => s.as_str().to_owned(),
                    other => format!("{other:?}"),
                };
                headers.insert(k.as_str().to_owned(), text);
            }
        }
        Message {
            routing_key: d.routing_key.as_str().to_owned(),
            message_id: d.properties.message_id().as_ref().map(|m| m.as_str().to_owned()),
            headers,
            body: d.data.clone(),
        }
    }

    /// The body as JSON; panics (naming the body) when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("message body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// A background `tujie` process. Dropping it kills the process if it is still running.
#[derive(Debug)]
pub struct Proc {
    child: Option<Child>,
    log: PathBuf,
    label: String,
}

impl Proc {
    pub fn id(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Everything the process wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The process's exit status if it has exited.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        self.child.as_mut()?.try_wait().expect("poll a child process")
    }

    /// Waits up to `timeout` for the process to exit.
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL, and reap it.
    pub fn kill(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM (through `kill -TERM`, since the workspace forbids `unsafe`); does not wait.
    pub fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.id().to_string()]).status().expect("run kill -TERM");
        assert!(status.success(), "kill -TERM {} failed: {status}", self.id());
    }

    /// Panics with the process's stderr unless it exits 0 within `timeout`.
    pub fn expect_success(&mut self, timeout: Duration) {
        match self.wait_timeout(timeout) {
            Some(status) if status.success() => {}
            Some(status) => panic!("`{}` exited with {status}\n--- stderr\n{}", self.label, self.stderr()),
            None => {
                self.kill();
                panic!("`{}` did not exit within {timeout:?}\n--- stderr\n{}", self.label, self.stderr())
            }
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take()
            && child.try_wait().ok().flatten().is_none()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Polls `cond` every 200 ms until it holds; after `timeout`, panics with `what` and the text `diagnose` returns
/// (typically the worker's stderr and current counts).
pub fn wait_until(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool, diagnose: impl FnOnce() -> String) {
    let deadline = Instant::now() + timeout;
    while !cond() {
        if Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for {what}\n{}", diagnose());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Events of a JSON Lines fixture, in file order.
pub use tujie_test_support::read_jsonl as read_events;

/// `n` policy events with body text, cycling over `tests/fixtures/dev/doc_events.jsonl`, each with a new
/// `event_id` (`e-<tag>-<i>`) and `document.id` (`d-<tag>-<i>`), so every one yields its own draft.
pub fn policy_variants(tag: &str, n: usize) -> Vec<Value> {
    let base = read_events(&fixture("dev/doc_events.jsonl"));
    (0..n)
        .map(|i| {
            let mut e = base[i % base.len()].clone();
            e["event_id"] = Value::String(format!("e-{tag}-{i}"));
            e["document"]["id"] = Value::String(format!("d-{tag}-{i}"));
            e
        })
        .collect()
}

async fn connect_pg(url: &str) -> sqlx::AnyPool {
    tujie_test_support::connect_postgres(url, 2).await
}

async fn connect_amqp(url: &str) -> Connection {
    match Connection::connect(url, ConnectionProperties::default()).await {
        Ok(conn) => conn,
        Err(e) => panic!(
            "RabbitMQ is required for this test but {url} is unreachable ({e}).\n\
             Start it with: {START_RABBITMQ}\n\
             or point TUJIE_AMQP_URL at a broker (guest/guest on 127.0.0.1:5672 by default)."
        ),
    }
}

// ---- the workspace over HTTP ------------------------------------------------------------------------------

/// `tujie serve` on a free port (`--listen 127.0.0.1:0`), its log named `name`; returns it with its address once it
/// listens.
pub fn serve_named(env: &TestEnv, name: &str) -> (Proc, String) {
    let proc = env.spawn(name, &["serve", "--listen", "127.0.0.1:0"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = proc.stderr();
        if let Some(rest) = log.split("listening on http://").nth(1) {
            let address = rest.split('/').next().unwrap().to_owned();
            return (proc, address);
        }
        assert!(Instant::now() < deadline, "tujie serve did not start listening within 60 s:\n{log}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// [`serve_named`] with the log `serve.log`.
pub fn serve(env: &TestEnv) -> (Proc, String) {
    serve_named(env, "serve")
}

/// Creates an account (`tujie user add …`) and returns its login token.
pub fn account(env: &TestEnv, args: &[&str]) -> String {
    let mut all = vec!["user", "add"];
    all.extend_from_slice(args);
    String::from_utf8_lossy(&env.run_ok(&all).stdout).trim().to_owned()
}

/// An HTTP answer: status and body.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("answer is not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request (`"METHOD /path"`) over a fresh connection; panics when there is no answer.
pub fn request(address: &str, target: &str, token: Option<&str>, content_type: &str, body: &[u8]) -> Reply {
    try_request(address, target, token, content_type, body)
        .unwrap_or_else(|e| panic!("{target} to {address}: no answer ({e})"))
}

/// [`request`], with a refused connection or a connection closed before the status line as an error (a server
/// that is restarting).
pub fn try_request(
    address: &str,
    target: &str,
    token: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<Reply> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: {content_type}\r\n\
         {auth}Content-Length: {}\r\n\r\n",
        body.len()
    );
    // A refused body may be answered before it is all sent; the answer is what counts.
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status =
        raw.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("no status line in {raw:?}"))
        })?;
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Ok(Reply { status, body })
}
