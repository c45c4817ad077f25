//! The fault suite of issue 14: a thousand events per case through real `tujie worker` processes, RabbitMQ and
//! PostgreSQL, with a fault in the middle, and a row of figures per case: events published, documents, links and
//! drafts stored, duplicates, losses, dead letters and the time to drain.
//!
//! Not part of `cargo test` (registered with `test = false`: it takes minutes and stops services): run it with
//! `scripts/faults.sh`, which starts a private RabbitMQ node and a private PostgreSQL cluster on loopback ports,
//! points this suite at them through `TUJIE_AMQP_URL`, `RABBITMQ_NODENAME`, `TUJIE_TEST_POSTGRES_URL` and
//! `TUJIE_FAULTS_PG_STOP`/`TUJIE_FAULTS_PG_START`, and removes them afterwards. The shared services of the
//! machine are never stopped. Each case prints a `FAULTS-ROW|…` line that the script turns into a table.
//!
//! Every case asserts: every published event processed exactly once (`processed_events` holds exactly the
//! published ids), one draft per policy with a body, no draft, link or produced event twice (by id), nothing
//! dead-lettered, nothing left in the input queue, the outbox fully relayed.

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU32, Ordering},
};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Proc, TestEnv, fixture, policy_variants, read_events, wait_until};

/// Events per case (`TUJIE_FAULTS_EVENTS`, default 1,000).
fn events_per_case() -> usize {
    std::env::var("TUJIE_FAULTS_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

/// One event in this many is a policy with a body (a draft is rendered for it); the rest are the dev set's
/// metadata-only policies and interpretations (`TUJIE_FAULTS_BODY_EVERY`, default 4).
fn body_every() -> usize {
    std::env::var("TUJIE_FAULTS_BODY_EVERY").ok().and_then(|v| v.parse().ok()).unwrap_or(4).max(1)
}

/// Longest a case may take to drain after its fault.
const DRAIN_LIMIT: Duration = Duration::from_secs(900);

/// `n` distinct events from the dev data: policy variants with bodies (`support::policy_variants`) interleaved
/// with copies of `dev/events.jsonl`, each copy with its own event and document ids. Returns the events and the
/// document ids of the policies with a body (each must get exactly one draft).
fn stream(tag: &str, n: usize) -> (Vec<Value>, Vec<String>) {
    let bodies = policy_variants(tag, n / body_every());
    let metadata = read_events(&fixture("dev/events.jsonl"));
    let mut out = Vec::with_capacity(n);
    let (mut b, mut m) = (0, 0);
    while out.len() < n {
        if out.len() % body_every() == 0 && b < bodies.len() {
            out.push(bodies[b].clone());
            b += 1;
        } else {
            let mut e = metadata[m % metadata.len()].clone();
            let copy = m / metadata.len();
            let (eid, did) =
                (e["event_id"].as_str().unwrap().to_owned(), e["document"]["id"].as_str().unwrap().to_owned());
            e["event_id"] = Value::String(format!("{eid}-{tag}-{copy}"));
            e["document"]["id"] = Value::String(format!("{did}-{tag}-{copy}"));
            out.push(e);
            m += 1;
        }
    }
    let mut policies: Vec<String> =
        bodies[..b].iter().map(|e| e["document"]["id"].as_str().unwrap().to_owned()).collect();
    policies.sort();
    (out, policies)
}

/// The figures of one case.
struct Row {
    case: &'static str,
    published: usize,
    documents: i64,
    links: i64,
    drafts: i64,
    duplicates: i64,
    lost: usize,
    dead: u32,
    drain: Duration,
    note: String,
}

impl Row {
    fn print(&self) {
        println!(
            "FAULTS-ROW|{}|{}|{}|{}|{}|{}|{}|{}|{:.0} s|{}",
            self.case,
            self.published,
            self.documents,
            self.links,
            self.drafts,
            self.duplicates,
            self.lost,
            self.dead,
            self.drain.as_secs_f64(),
            self.note
        );
    }
}

/// Publishes the case's stream and returns the published event ids.
fn publish(env: &TestEnv, events: &[Value]) -> BTreeSet<String> {
    let path = env.write_jsonl("stream.jsonl", events);
    let out = env.run_ok(&["publish", &path.display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("published {} events", events.len())), "{stderr}");
    events.iter().map(|e| e["event_id"].as_str().unwrap().to_owned()).collect()
}

fn diagnose(env: &TestEnv, procs: &[&Proc]) -> String {
    let mut out = format!(
        "processed_events={} drafts={} outbox unsent={} input ready={}",
        env.count("SELECT COUNT(*) FROM processed_events"),
        env.count("SELECT COUNT(*) FROM drafts"),
        env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"),
        env.queue_len(&env.amqp_config().input_queue()),
    );
    for p in procs {
        let log = p.stderr();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        out.push_str(&format!(
            "\n--- worker {} (last lines)\n{}",
            p.id(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    out
}

/// Processed events, as a fraction of `total`.
fn processed(env: &TestEnv) -> usize {
    env.count("SELECT COUNT(*) FROM processed_events") as usize
}

fn wait_for_progress(env: &TestEnv, at_least: usize, procs: &[&Proc]) {
    wait_until(
        &format!("{at_least} events processed"),
        DRAIN_LIMIT,
        || processed(env) >= at_least,
        || diagnose(env, procs),
    );
}

fn wait_drained(env: &TestEnv, total: usize, procs: &[&Proc]) {
    wait_until(
        "every event processed and the outbox relayed",
        DRAIN_LIMIT,
        || processed(env) >= total && env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0,
        || diagnose(env, procs),
    );
}

/// Checks the exactly-once invariants and returns the case's figures.
fn settle(
    env: &TestEnv,
    case: &'static str,
    published: &BTreeSet<String>,
    policies: &[String],
    drain: Duration,
    note: String,
) -> Row {
    let stored: BTreeSet<String> = env.strings("SELECT event_id FROM processed_events").into_iter().collect();
    let lost = published.difference(&stored).count();
    let dup = |sql: &str| env.count(sql);
    let duplicates = dup("SELECT COUNT(*) - COUNT(DISTINCT policy_id) FROM drafts WHERE status <> 'superseded'")
        + dup("SELECT COUNT(*) - COUNT(DISTINCT id) FROM drafts")
        + dup("SELECT COUNT(*) - COUNT(DISTINCT (interpretation_id, policy_id)) FROM links")
        + dup("SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM outbox")
        + dup("SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM processed_events");
    let cfg = env.amqp_config();
    let row = Row {
        case,
        published: published.len(),
        documents: env.count("SELECT COUNT(*) FROM documents"),
        links: env.count("SELECT COUNT(*) FROM links"),
        drafts: env.count("SELECT COUNT(*) FROM drafts"),
        duplicates,
        lost,
        dead: env.queue_len(&cfg.dead_queue()),
        drain,
        note,
    };
    row.print();
    assert_eq!(lost, 0, "{case}: {lost} published events never processed");
    assert_eq!(stored.len(), published.len(), "{case}: processed events that were not published");
    assert_eq!(duplicates, 0, "{case}: duplicated drafts, links, outbox rows or processed events");
    let mut with_drafts = env.strings("SELECT DISTINCT policy_id FROM drafts ORDER BY policy_id");
    with_drafts.retain(|p| policies.binary_search(p).is_ok());
    assert_eq!(with_drafts.len(), policies.len(), "{case}: a policy with a body has no draft");
    assert_eq!(row.dead, 0, "{case}: messages were dead-lettered");
    assert_eq!(env.queue_len(&cfg.input_queue()), 0, "{case}: messages left in the input queue");
    assert_eq!(env.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), 0, "{case}: outbox not relayed");
    row
}

/// A fresh world for one case: own database, prefix and scratch folder; workers settings through the
/// environment. Migrated before any worker starts, as `tujie-migrate.service` does.
fn world() -> TestEnv {
    let mut env = TestEnv::with_broker();
    env.set_env("TUJIE__DATABASE__AUTO_MIGRATE", "false");
    env.run_ok(&["migrate"]);
    env
}

fn spawn_workers(env: &TestEnv, n: usize, args: &[&str]) -> Vec<Proc> {
    (1..=n).map(|i| env.spawn(&format!("worker-{i}"), args)).collect()
}

fn stop_all(mut procs: Vec<Proc>) {
    for p in &procs {
        p.terminate();
    }
    for p in &mut procs {
        p.expect_success(Duration::from_secs(60));
    }
}

/// Runs a shell command from the environment (`TUJIE_FAULTS_PG_STOP`, …), which `scripts/faults.sh` sets.
fn run_env_command(var: &str) {
    let cmd = std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run the fault suite with scripts/faults.sh, which starts private services for it")
    });
    let status = Command::new("sh").arg("-c").arg(&cmd).status().unwrap_or_else(|e| panic!("cannot run {var}: {e}"));
    assert!(status.success(), "{var} (`{cmd}`) failed: {status}");
}

fn rabbitmqctl(args: &[&str]) {
    let node = std::env::var("RABBITMQ_NODENAME").unwrap_or_else(|_| {
        panic!(
            "RABBITMQ_NODENAME is not set: run the fault suite with scripts/faults.sh (it stops its own broker node)"
        )
    });
    let out = Command::new("rabbitmqctl")
        .args(["-n", &node])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run rabbitmqctl ({e}); install rabbitmq-server"));
    assert!(out.status.success(), "rabbitmqctl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Samples the input queue's consumer count until `stop` and keeps the largest: a revived old consumer (the
/// stranded-prefetch defect) shows as more consumers than worker processes.
fn watch_consumers(env: &TestEnv, stop: Arc<AtomicBool>) -> (std::thread::JoinHandle<()>, Arc<AtomicU32>) {
    let most = Arc::new(AtomicU32::new(0));
    let (url, queue, seen) = (env.amqp_url.clone(), env.amqp_config().input_queue(), most.clone());
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        while !stop.load(Ordering::Relaxed) {
            let n = rt.block_on(async {
                use tujie_queue::lapin::{
                    Connection, ConnectionProperties, options::QueueDeclareOptions, types::FieldTable,
                };
                let conn = Connection::connect(&url, ConnectionProperties::default()).await.ok()?;
                let ch = conn.create_channel().await.ok()?;
                let opts = QueueDeclareOptions { passive: true, ..Default::default() };
                let q = ch.queue_declare(queue.as_str().into(), opts, FieldTable::default()).await.ok()?;
                let _ = conn.close(200, "sampled".into()).await;
                Some(q.consumer_count())
            });
            if let Some(n) = n {
                seen.fetch_max(n, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    });
    (handle, most)
}

/// Three workers; one is SIGKILLed a third of the way through and started again.
#[test]
fn sigkill_one_of_three_workers() {
    let env = world();
    let (events, policies) = stream("kill", events_per_case());
    let published = publish(&env, &events);
    let started = Instant::now();
    let mut workers = spawn_workers(&env, 3, &["worker"]);
    wait_for_progress(&env, events.len() / 3, &workers.iter().collect::<Vec<_>>());
    workers[1].kill();
    let at_kill = processed(&env);
    workers[1] = env.spawn("worker-2-again", &["worker"]);
    wait_drained(&env, events.len(), &workers.iter().collect::<Vec<_>>());
    let drain = started.elapsed();
    stop_all(workers);
    settle(
        &env,
        "3 workers, one SIGKILLed and restarted",
        &published,
        &policies,
        drain,
        format!("killed at {at_kill} processed"),
    );
}

/// Every event published a second time after the first pass: the second pass, by fresh one-shot workers, finds
/// only duplicates (their `worker stopped:` summaries count them) and changes nothing.
#[test]
fn every_event_published_again() {
    let env = world();
    let (events, policies) = stream("again", events_per_case());
    let published = publish(&env, &events);
    let workers = spawn_workers(&env, 2, &["worker"]);
    wait_drained(&env, events.len(), &workers.iter().collect::<Vec<_>>());
    stop_all(workers);
    let before = (env.count("SELECT COUNT(*) FROM drafts"), env.count("SELECT COUNT(*) FROM outbox"));
    publish(&env, &events);
    let started = Instant::now();
    let idle = 3;
    let mut again = spawn_workers(&env, 2, &["worker", "--until-idle", &idle.to_string()]);
    for w in &mut again {
        w.expect_success(DRAIN_LIMIT);
    }
    let drain = started.elapsed().saturating_sub(Duration::from_secs(idle));
    let duplicates: u64 = again.iter().map(|w| summary_count(&w.stderr(), "duplicates")).sum();
    let after = (env.count("SELECT COUNT(*) FROM drafts"), env.count("SELECT COUNT(*) FROM outbox"));
    assert_eq!(before, after, "the second pass changed drafts or outbox");
    assert_eq!(duplicates, events.len() as u64, "every republished event recognised as a duplicate");
    let note = format!("second pass: {duplicates} duplicates recognised, drain without the idle wait");
    settle(&env, "every event published again", &published, &policies, drain, note);
}

/// A count from the `worker stopped: D deliveries, A applied, U duplicates, …` line a worker prints on exit.
fn summary_count(stderr: &str, what: &str) -> u64 {
    let line = stderr
        .lines()
        .rev()
        .find(|l| l.contains("worker stopped:"))
        .unwrap_or_else(|| panic!("no `worker stopped:` line in the worker's stderr:\n{stderr}"));
    line.split(',')
        .find_map(|part| part.trim().strip_suffix(what).and_then(|n| n.trim().rsplit(' ').next()?.parse().ok()))
        .unwrap_or_else(|| panic!("no `{what}` count in `{line}`"))
}

/// Two one-shot workers (`--until-idle`) while the broker is stopped three times for 12 s. They must not go
/// idle with messages stranded on a revived consumer, nor ever show more consumers than processes.
#[test]
fn broker_stopped_three_times() {
    let env = world();
    let (events, policies) = stream("broker", events_per_case());
    let published = publish(&env, &events);
    let stop = Arc::new(AtomicBool::new(false));
    let (watcher, most) = watch_consumers(&env, stop.clone());
    let started = Instant::now();
    let mut workers = spawn_workers(&env, 2, &["worker", "--until-idle", "10"]);
    for round in 1..=3 {
        wait_for_progress(&env, round * events.len() / 5, &workers.iter().collect::<Vec<_>>());
        rabbitmqctl(&["stop_app"]);
        std::thread::sleep(Duration::from_secs(12));
        rabbitmqctl(&["start_app"]);
        rabbitmqctl(&["await_startup"]);
    }
    for w in &mut workers {
        w.expect_success(DRAIN_LIMIT);
    }
    let drain = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    let most = most.load(Ordering::Relaxed);
    let row = settle(
        &env,
        "2 workers, RabbitMQ stopped 3 × 12 s",
        &published,
        &policies,
        drain,
        format!("most consumers seen: {most}"),
    );
    assert!(most <= 2, "{} consumers on the input queue with 2 workers: a revived old consumer", row.case);
}

/// Two workers while PostgreSQL is stopped for 18 s: they back off and resume; nothing is dead-lettered for it.
#[test]
fn postgres_stopped_for_18_seconds() {
    let env = world();
    let (events, policies) = stream("pg", events_per_case());
    let published = publish(&env, &events);
    let started = Instant::now();
    let workers = spawn_workers(&env, 2, &["worker"]);
    wait_for_progress(&env, events.len() * 2 / 5, &workers.iter().collect::<Vec<_>>());
    run_env_command("TUJIE_FAULTS_PG_STOP");
    std::thread::sleep(Duration::from_secs(18));
    run_env_command("TUJIE_FAULTS_PG_START");
    wait_drained(&env, events.len(), &workers.iter().collect::<Vec<_>>());
    let drain = started.elapsed();
    let transient = workers.iter().filter(|w| w.stderr().contains("dependency unavailable")).count();
    stop_all(workers);
    settle(
        &env,
        "2 workers, PostgreSQL stopped 18 s",
        &published,
        &policies,
        drain,
        format!("{transient} workers backed off"),
    );
}
