//! End-to-end tests of the worker against the real RabbitMQ and PostgreSQL (issue 6, "Done when").
//!
//! Each test gets its own database and queue prefix (see `support`), drives the real `tujie` binary as child
//! processes configured only through the environment, and removes what it created. A missing service fails the
//! test with the command that starts it; nothing is skipped.
//!
//! Every test takes [`BROKER`]: ordinary tests as readers (they run side by side), the broker-restart test as
//! the writer, so no other test sees the broker go away.

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Proc, TestEnv, fixture, policy_variants, read_events, wait_until};

/// Readers need the broker up; the writer takes it down.
static BROKER: RwLock<()> = RwLock::new(());

fn broker_up() -> RwLockReadGuard<'static, ()> {
    BROKER.read().unwrap_or_else(|p| p.into_inner())
}

fn broker_exclusive() -> RwLockWriteGuard<'static, ()> {
    BROKER.write().unwrap_or_else(|p| p.into_inner())
}

const DOC_EVENTS: &str = "dev/doc_events.jsonl";

fn doc_events_path() -> String {
    fixture(DOC_EVENTS).display().to_string()
}

/// Document ids of the fixture's events, sorted.
fn doc_ids(events: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> =
        events.iter().map(|e| e["document"]["id"].as_str().expect("document.id").to_owned()).collect();
    ids.sort();
    ids
}

/// `n` metadata-only events (no body, so no drafts) from `tests/fixtures/dev/events.jsonl`.
fn metadata_events(n: usize) -> Vec<Value> {
    let events = read_events(&fixture("dev/events.jsonl"));
    assert!(events.len() >= n, "events.jsonl has only {} events", events.len());
    events.into_iter().take(n).collect()
}

/// Current counts, for failure messages.
fn state(env: &TestEnv) -> String {
    format!(
        "drafts={} processed_events={} outbox={} (unsent {})",
        env.count("SELECT COUNT(*) FROM drafts"),
        env.count("SELECT COUNT(*) FROM processed_events"),
        env.count("SELECT COUNT(*) FROM outbox"),
        env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"),
    )
}

fn diagnose(env: &TestEnv, procs: &[&Proc]) -> String {
    let mut out = state(env);
    for p in procs {
        out.push_str(&format!("\n--- worker {} stderr\n{}", p.id(), p.stderr()));
    }
    out
}

/// The counts the worker prints when it stops: `worker stopped: D deliveries, A applied, U duplicates, …`.
fn worker_summary(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .find_map(|l| l.find("worker stopped:").map(|i| l[i..].to_owned()))
        .unwrap_or_else(|| panic!("no `worker stopped:` line in the worker's stderr:\n{stderr}"))
}

/// Every produced-draft invariant after all events were processed and the relay drained: `expected` policies
/// each have exactly one draft and one `draft.created` outbox row, nothing is left unsent, and `events` events
/// were recorded once each.
fn assert_exactly_once(env: &TestEnv, expected_policies: &[String], events: usize) {
    let draft_policies = env.strings("SELECT policy_id FROM drafts ORDER BY policy_id");
    assert_eq!(draft_policies, expected_policies, "one draft per policy event, none missing, none doubled");
    let distinct = env.count("SELECT COUNT(DISTINCT id) FROM drafts");
    assert_eq!(distinct as usize, expected_policies.len(), "distinct draft ids");
    assert_eq!(
        env.count("SELECT COUNT(*) FROM outbox WHERE routing_key = 'draft.created'") as usize,
        expected_policies.len(),
        "one draft.created outbox row per draft"
    );
    assert_eq!(
        env.count(
            "SELECT COUNT(*) FROM drafts d WHERE NOT EXISTS
               (SELECT 1 FROM outbox o WHERE o.event_id LIKE 'draft.created:' || d.id || ':%')"
        ),
        0,
        "every draft has its draft.created row"
    );
    assert_eq!(env.count("SELECT COUNT(*) FROM processed_events") as usize, events, "processed_events rows");
    assert_eq!(env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), 0, "outbox fully relayed");
}

/// Case 1: Publish → drafts in the database, and one `draft.created` per draft on the exchange with
/// `message_id` = the produced event's id.
#[test]
fn published_policies_become_drafts_and_draft_created_events() {
    let _broker = broker_up();
    let mut env = TestEnv::with_broker();
    let observer = env.observe("draft.*");
    let events = read_events(&fixture(DOC_EVENTS));

    let out = env.run_ok(&["publish", &doc_events_path()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("published 7 events"), "{out:?}");
    let mut worker = env.spawn("worker", &["worker", "--until-idle", "3"]);
    worker.expect_success(Duration::from_secs(90));
    assert!(worker_summary(&worker.stderr()).contains("7 applied"), "{}", worker.stderr());

    assert_exactly_once(&env, &doc_ids(&events), events.len());
    let draft_ids: BTreeSet<String> = env.strings("SELECT id FROM drafts").into_iter().collect();

    // The same rows through the command line, with the same environment.
    let listed = env.run_ok(&["drafts", "list", "--format", "jsonl"]);
    let listed: BTreeSet<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("drafts list line is JSON")["draft_id"].as_str().unwrap().into()
        })
        .collect();
    assert_eq!(listed, draft_ids, "`tujie drafts list` shows the stored drafts");

    let messages = env.drain(&observer);
    let created: Vec<_> = messages.iter().filter(|m| m.routing_key == "draft.created").collect();
    assert_eq!(created.len(), draft_ids.len(), "one draft.created per draft: {messages:#?}");
    let mut announced = BTreeSet::new();
    for m in created {
        let body = m.json();
        let draft_id = body["data"]["draft_id"].as_str().expect("data.draft_id").to_owned();
        assert_eq!(body["type"], "draft.created");
        assert_eq!(m.message_id.as_deref(), body["event_id"].as_str(), "message_id is the event id");
        let id = m.message_id.as_deref().unwrap_or_default();
        assert!(id.starts_with(&format!("draft.created:{draft_id}:")), "draft.created:<draft>:<cause>, got {id}");
        announced.insert(draft_id);
    }
    assert_eq!(announced, draft_ids, "the announced drafts are exactly the stored ones");
}

/// Case 2: The same event id twice in one publish and the whole file published again: one draft, one outbox row
/// per produced event, processed_events unchanged; the worker reports the copies as duplicates.
#[test]
fn duplicate_events_have_no_second_effect() {
    let _broker = broker_up();
    let mut env = TestEnv::with_broker();
    let observer = env.observe("draft.*");
    let events = read_events(&fixture(DOC_EVENTS));
    let twice = env.write_jsonl("twice.jsonl", &[events[0].clone(), events[0].clone()]);

    env.run_ok(&["publish", &doc_events_path(), &twice.display().to_string()]);
    let mut first = env.spawn("worker-1", &["worker", "--until-idle", "3"]);
    first.expect_success(Duration::from_secs(90));
    let summary = worker_summary(&first.stderr());
    assert!(summary.contains("9 deliveries, 7 applied, 2 duplicates"), "{summary}");
    assert_exactly_once(&env, &doc_ids(&events), events.len());
    let outbox_before = env.strings("SELECT event_id FROM outbox ORDER BY event_id");
    let processed_before = env.strings("SELECT event_id FROM processed_events ORDER BY event_id");

    env.run_ok(&["publish", &doc_events_path()]);
    let mut second = env.spawn("worker-2", &["worker", "--until-idle", "3"]);
    second.expect_success(Duration::from_secs(60));
    let summary = worker_summary(&second.stderr());
    assert!(summary.contains("7 deliveries, 0 applied, 7 duplicates"), "{summary}");
    assert_exactly_once(&env, &doc_ids(&events), events.len());
    assert_eq!(env.strings("SELECT event_id FROM outbox ORDER BY event_id"), outbox_before, "no new outbox rows");
    assert_eq!(env.strings("SELECT event_id FROM processed_events ORDER BY event_id"), processed_before);

    let created: Vec<_> = env.drain(&observer).into_iter().filter(|m| m.routing_key == "draft.created").collect();
    let ids: BTreeSet<_> = created.iter().filter_map(|m| m.message_id.clone()).collect();
    assert_eq!((created.len(), ids.len()), (events.len(), events.len()), "draft.created sent once per draft");
}

/// Case 3: A body that is not JSON and one that breaks the schema go to `{prefix}.dead` with their reason header,
/// and the good message behind them is processed.
#[test]
fn malformed_messages_are_dead_lettered_and_the_next_is_processed() {
    let _broker = broker_up();
    let env = TestEnv::with_broker();
    let events = read_events(&fixture(DOC_EVENTS));

    let mut no_title = events[0].clone();
    no_title["event_id"] = Value::String("e-no-title".into());
    no_title["document"].as_object_mut().expect("document object").remove("title");
    env.publish_raw("policy.published", b"{\"event_id\": \"e-broken\", this is not JSON");
    env.publish_raw("policy.published", &serde_json::to_vec(&no_title).unwrap());
    let good = &events[1];
    env.publish_raw("policy.published", &serde_json::to_vec(good).unwrap());

    let mut worker = env.spawn("worker", &["worker", "--until-idle", "3"]);
    worker.expect_success(Duration::from_secs(60));
    assert!(worker_summary(&worker.stderr()).contains("2 dead-lettered"), "{}", worker.stderr());

    let dead = env.drain(&env.amqp_config().dead_queue());
    let mut reasons: Vec<(String, String)> = dead
        .iter()
        .map(|m| {
            let reason = m.headers.get("x-tujie-reason").cloned().unwrap_or_default();
            assert!(!m.headers.get("x-tujie-error").is_none_or(String::is_empty), "error text: {m:?}");
            assert_eq!(m.headers.get("x-tujie-routing-key").map(String::as_str), Some("policy.published"));
            (reason, String::from_utf8_lossy(&m.body).into_owned())
        })
        .collect();
    reasons.sort();
    assert_eq!(reasons.len(), 2, "exactly the two bad messages are dead: {dead:#?}");
    assert_eq!(reasons[0].0, "malformed_json");
    assert!(reasons[0].1.contains("e-broken"), "the original body is kept: {}", reasons[0].1);
    assert_eq!(reasons[1].0, "schema_violation");
    assert!(reasons[1].1.contains("e-no-title"), "the original body is kept: {}", reasons[1].1);

    let good_id = good["document"]["id"].as_str().unwrap();
    assert_eq!(env.strings("SELECT policy_id FROM drafts"), [good_id], "the good message was processed");
    assert_eq!(env.strings("SELECT event_id FROM processed_events"), [good["event_id"].as_str().unwrap()]);
}

/// Runs `rabbitmqctl` and panics with its output on failure.
fn rabbitmqctl(args: &[&str]) {
    let out = Command::new("rabbitmqctl").args(args).output().unwrap_or_else(|e| {
        panic!("cannot run rabbitmqctl ({e}); the broker-restart test needs it on PATH next to the broker")
    });
    assert!(
        out.status.success(),
        "rabbitmqctl {} failed: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Stops the RabbitMQ application and starts it again when dropped, so a failing test never leaves the broker
/// down for the tests after it.
struct BrokerStopped;

impl BrokerStopped {
    fn stop() -> Self {
        rabbitmqctl(&["stop_app"]);
        BrokerStopped
    }
}

impl Drop for BrokerStopped {
    fn drop(&mut self) {
        let started = Command::new("rabbitmqctl").arg("start_app").output();
        let ready = Command::new("rabbitmqctl").args(["await_startup", "--timeout", "60"]).output();
        if !matches!((&started, &ready), (Ok(s), Ok(r)) if s.status.success() && r.status.success()) {
            eprintln!("could not restart RabbitMQ ({started:?}, {ready:?}); run `rabbitmqctl start_app`");
        }
    }
}

/// A stream of policy events plus metadata-only ones: `bodies` produce drafts, the rest only store documents.
fn mixed_stream(env: &TestEnv, tag: &str, bodies: usize, metadata: usize) -> (Vec<String>, usize) {
    let policies = policy_variants(tag, bodies);
    let metadata = metadata_events(metadata);
    // Interleaved, so that drafts are being rendered throughout the stream.
    let mut all = Vec::with_capacity(policies.len() + metadata.len());
    for i in 0..policies.len().max(metadata.len()) {
        all.extend(policies.get(i).cloned());
        all.extend(metadata.get(i).cloned());
    }
    let path = env.write_jsonl("stream.jsonl", &all);
    let out = env.run_ok(&["publish", &path.display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("published {} events", all.len())), "{stderr}");
    (doc_ids(&policies), all.len())
}

/// Starts a long-running worker and returns once it has stored a few drafts, i.e. is in the middle of the stream.
fn start_worker_mid_stream(env: &TestEnv, name: &str) -> Proc {
    let worker = env.spawn(name, &["worker"]);
    wait_until(
        "the worker to store its first drafts",
        Duration::from_secs(60),
        || env.count("SELECT COUNT(*) FROM drafts") >= 3,
        || diagnose(env, &[&worker]),
    );
    worker
}

/// Case 4: A broker restart in the middle of the stream loses nothing and duplicates nothing: the running worker
/// reconnects by itself and every event ends up applied exactly once.
#[test]
fn broker_restart_mid_stream_loses_nothing() {
    let _broker = broker_exclusive();
    let mut env = TestEnv::with_broker();
    // A small window, so that most of the stream is still in the broker when it goes down.
    env.set_env("TUJIE__AMQP__PREFETCH", "4").set_env("TUJIE__AMQP__CONCURRENCY", "2");
    let (policies, events) = mixed_stream(&env, "restart", 20, 20);

    let mut worker = start_worker_mid_stream(&env, "worker");
    let stopped = BrokerStopped::stop();
    let at_stop = env.count("SELECT COUNT(*) FROM drafts") as usize;
    assert!(at_stop < policies.len(), "the broker must go down mid-stream, but all {at_stop} drafts were done");
    std::thread::sleep(Duration::from_secs(3));
    drop(stopped); // start_app + await_startup
    assert!(worker.try_wait().is_none(), "the worker must survive the restart:\n{}", worker.stderr());

    wait_until(
        "every event processed after the broker restart",
        Duration::from_secs(120),
        || {
            env.count("SELECT COUNT(*) FROM processed_events") as usize == events
                && env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0
        },
        || diagnose(&env, &[&worker]),
    );
    worker.terminate();
    worker.expect_success(Duration::from_secs(40));
    let summary = worker_summary(&worker.stderr());
    assert!(summary.contains(&format!("{events} applied")), "the same worker applied every event: {summary}");
    assert_exactly_once(&env, &policies, events);
    assert_eq!(env.queue_len(&env.amqp_config().dead_queue()), 0, "nothing dead-lettered:\n{}", worker.stderr());
    assert_eq!(env.queue_len(&env.amqp_config().input_queue()), 0, "nothing left in the input queue");
}

/// Case 5: `kill -9` of a worker in the middle of the stream, then a fresh worker: nothing lost, nothing doubled.
#[test]
fn killed_worker_loses_and_duplicates_nothing() {
    let _broker = broker_up();
    let env = TestEnv::with_broker();
    let (policies, events) = mixed_stream(&env, "kill", 20, 20);

    let mut doomed = start_worker_mid_stream(&env, "worker-killed");
    doomed.kill(); // SIGKILL
    let at_kill = env.count("SELECT COUNT(*) FROM drafts") as usize;
    assert!(at_kill < policies.len(), "the kill must land mid-stream, but all {at_kill} drafts were done");

    let mut survivor = env.spawn("worker-after", &["worker", "--until-idle", "5"]);
    survivor.expect_success(Duration::from_secs(120));
    if env.count("SELECT COUNT(*) FROM processed_events") as usize != events {
        panic!("events lost after kill -9: {}", diagnose(&env, &[&doomed, &survivor]));
    }
    assert_exactly_once(&env, &policies, events);
    assert_eq!(env.queue_len(&env.amqp_config().dead_queue()), 0, "nothing dead-lettered");
}

/// Case 6: SIGTERM while drafts are in flight: the worker exits 0 within the grace period, and what it had not
/// finished is processed by the next worker (nothing lost).
#[test]
fn sigterm_stops_the_worker_cleanly_within_the_grace_period() {
    let _broker = broker_up();
    let grace = 5;
    let mut env = TestEnv::with_broker();
    env.set_env("TUJIE__AMQP__SHUTDOWN_GRACE_SECS", &grace.to_string());
    let policies = policy_variants("term", 12);
    let path = env.write_jsonl("policies.jsonl", &policies);
    env.run_ok(&["publish", &path.display().to_string()]);

    let mut worker = env.spawn("worker", &["worker"]);
    wait_until(
        "a first draft before SIGTERM",
        Duration::from_secs(60),
        || env.count("SELECT COUNT(*) FROM drafts") >= 1,
        || diagnose(&env, &[&worker]),
    );
    let sent = Instant::now();
    worker.terminate();
    let limit = Duration::from_secs(grace + 3);
    let status = worker.wait_timeout(limit);
    let took = sent.elapsed();
    match status {
        Some(s) => assert!(s.success(), "worker exited with {s} after SIGTERM:\n{}", worker.stderr()),
        None => panic!("worker still running {limit:?} after SIGTERM (grace {grace} s):\n{}", worker.stderr()),
    }
    assert!(worker.stderr().contains("worker stopped:"), "{}", worker.stderr());
    let done = env.count("SELECT COUNT(*) FROM processed_events") as usize;
    assert!(done < policies.len(), "SIGTERM must arrive mid-stream, but all {done} events were done");
    eprintln!("worker exited {took:?} after SIGTERM with {done} of {} events done", policies.len());

    let mut next = env.spawn("worker-next", &["worker", "--until-idle", "3"]);
    next.expect_success(Duration::from_secs(90));
    assert_exactly_once(&env, &doc_ids(&policies), policies.len());
}

/// Case 7: Every worker runs an outbox relay over the same rows. Two workers relaying one outbox at the same time
/// publish each produced event once: the relays claim disjoint rows.
#[test]
fn two_workers_relay_each_produced_event_once() {
    let _broker = broker_up();
    let mut env = TestEnv::with_broker();
    // Fast polls and small batches: both relays see the rows within milliseconds and take many turns each.
    env.set_env("TUJIE__AMQP__OUTBOX_POLL_MS", "20").set_env("TUJIE__AMQP__OUTBOX_BATCH", "10");
    let observer = env.observe("draft.*");
    env.run_ok(&["migrate"]);
    let mut workers: Vec<Proc> =
        (1..=2).map(|n| env.spawn(&format!("worker-{n}"), &["worker", "--until-idle", "4"])).collect();
    wait_until(
        "both outbox relays running",
        Duration::from_secs(60),
        || workers.iter().all(|w| w.stderr().contains("outbox relay running")),
        || diagnose(&env, &workers.iter().collect::<Vec<_>>()),
    );
    // All rows become visible at once, as a burst of commits leaves them, while both relays poll.
    let rows = 300;
    env.execute(&format!(
        "INSERT INTO outbox (event_id, routing_key, payload, created_at)
         SELECT 'draft.created:e2e-' || n, 'draft.created', '{{\"event_id\": \"draft.created:e2e-' || n || '\"}}',
                '2024-03-01T00:00:00Z'
         FROM generate_series(1, {rows}) AS n"
    ));
    for w in &mut workers {
        w.expect_success(Duration::from_secs(60));
    }
    assert_eq!(env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), 0, "outbox fully relayed");

    let messages = env.drain(&observer);
    let ids: BTreeSet<String> = messages.iter().filter_map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), rows, "every row published");
    assert_eq!(messages.len(), rows, "no row published twice: {} messages for {rows} rows", messages.len());
    let relays = env.count("SELECT COUNT(DISTINCT claimed_by) FROM outbox");
    eprintln!("{rows} rows published by {relays} relay(s)");
}
