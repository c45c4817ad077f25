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

#[path = "faults/bad_input.rs"]
mod bad_input;
mod support;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU32, Ordering},
};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Proc, TestEnv, account, fixture, policy_variants, read_events, request, wait_until};

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
    dead_expected: u32,
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
    assert_eq!(row.dead, dead_expected, "{case}: messages dead-lettered");
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
        0,
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
    settle(&env, "every event published again", &published, &policies, drain, note, 0);
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
        0,
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
        0,
    );
}

/// A tmpfs mounted over a folder for one case, unmounted when dropped. Mounting needs root (`scripts/faults.sh`
/// runs as root); where it is refused the case fails with the reason, it is never skipped.
struct Tmpfs {
    dir: std::path::PathBuf,
}

impl Tmpfs {
    fn mount(dir: &std::path::Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("create the mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tujie-faults"])
            .arg(dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run mount ({e}): the disk-full case needs mount(8) and root"));
        assert!(
            out.status.success(),
            "cannot mount a {size} tmpfs at {} ({}): the disk-full case needs root or CAP_SYS_ADMIN; run \
             scripts/faults.sh as root on a host that allows mounts",
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        Tmpfs { dir: dir.to_owned() }
    }

    /// Gives the file system `size` without touching its files: the operator freeing space.
    fn grow(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.dir)
            .status()
            .expect("run mount -o remount");
        assert!(status.success(), "remounting {} with size {size} failed: {status}", self.dir.display());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let status = Command::new("umount").arg(&self.dir).status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("could not unmount the tmpfs at {} ({status:?}); unmount it by hand", self.dir.display());
        }
    }
}

/// Two workers write draft images to an asset folder on a 4 MiB tmpfs until it is full. They must say why
/// (ENOSPC, with the path), keep the messages (backing off, parking them in retry queues, never dead-lettering
/// them) and write no row naming a file that is not there; once the file system is given room, everything drains.
#[test]
fn asset_folder_disk_full() {
    let mut env = world();
    let assets = env.dir.path().join("assets");
    let fs = Tmpfs::mount(&assets, "4m");
    env.set_env("TUJIE__DATABASE__ASSET_STORE", "directory")
        .set_env("TUJIE__DATABASE__ASSET_DIR", &assets.display().to_string());
    let (events, policies) = stream("disk", events_per_case());
    let published = publish(&env, &events);
    let started = Instant::now();
    let workers = spawn_workers(&env, 2, &["worker"]);
    let procs: Vec<&Proc> = workers.iter().collect();
    let full = |w: &Proc| w.stderr().contains("No space left on device");
    wait_until(
        "a worker to report the full asset folder",
        DRAIN_LIMIT,
        || procs.iter().any(|w| full(w)),
        || diagnose(&env, &procs),
    );
    let at_full = processed(&env);
    // Full for a while: long enough for backoffs to run out and messages to be parked in retry queues.
    std::thread::sleep(Duration::from_secs(45));
    let during = processed(&env);
    fs.grow("1g");
    wait_drained(&env, events.len(), &procs);
    let drain = started.elapsed();
    let reported = workers.iter().filter(|w| full(w)).count();
    let line = workers
        .iter()
        .flat_map(|w| w.stderr().lines().map(str::to_owned).collect::<Vec<_>>())
        .find(|l| l.contains("No space left on device"))
        .unwrap_or_default();
    assert!(line.contains(&assets.display().to_string()), "the error names the asset path: {line}");
    stop_all(workers);
    let named = env.strings(
        "SELECT png_key FROM drafts WHERE png_key IS NOT NULL UNION ALL \
         SELECT preview_key FROM drafts WHERE preview_key IS NOT NULL",
    );
    let missing: Vec<&String> =
        named.iter().filter(|k| !assets.join(&k[..2]).join(&k[2..4]).join(k.as_str()).is_file()).collect();
    settle(
        &env,
        "2 workers, asset folder full (4 MiB tmpfs, then 1 GiB)",
        &published,
        &policies,
        drain,
        format!(
            "full at {at_full} processed, {during} after 45 s full; {reported} workers reported ENOSPC; {} files named, \
             {} missing",
            named.len(),
            missing.len()
        ),
        0,
    );
    assert!(!named.is_empty(), "drafts name their files in the asset folder");
    assert!(missing.is_empty(), "rows name files that are not in the asset folder: {missing:?}");
}

/// An editor saves a draft's title again and again through the API while `tujie serve` is SIGKILLed mid-save and
/// started again, three times. Every save answered 200 must be a stored revision; a save left unanswered by the
/// kill is found out by reading the draft back, as the editor's page does after a reload. Revisions run without a
/// gap, and the draft ends with the last saved title.
#[test]
fn workspace_restarted_while_a_draft_is_edited() {
    let env = world();
    let events = policy_variants("edit", 1);
    publish(&env, &events);
    env.spawn("worker", &["worker", "--until-idle", "3"]).expect_success(Duration::from_secs(300));
    let draft = env.strings("SELECT id FROM drafts").pop().expect("the policy has a draft");
    let token = account(&env, &["编辑甲", "--role", "supervisor"]);
    let show = format!("GET /api/drafts/{draft}");
    let edit = format!("POST /api/drafts/{draft}/edit");
    let read_back = |address: &str| {
        let view = request(address, &show, Some(&token), "application/json", b"").json();
        (view["revision"].as_i64().expect("revision"), view["content"]["title"].as_str().unwrap_or("").to_owned())
    };
    let started = Instant::now();
    let (mut saved, mut answered, mut unanswered, mut kills) = (Vec::<(i64, String)>::new(), 0, 0, 0);
    let mut n = 0;
    for round in 1..=4 {
        let (mut server, address) = support::serve_named(&env, &format!("serve-{round}"));
        let (mut revision, _) = read_back(&address);
        let killer = (round < 4).then(|| {
            let pid = server.id();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(1500 + 700 * round));
                let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            })
        });
        let mut this_round = 0;
        loop {
            n += 1;
            // No digits: the workspace refuses a number that is not in the policy's text.
            let stems: String = n
                .to_string()
                .chars()
                .map(|d| "甲乙丙丁戊己庚辛壬癸".chars().nth(d as usize - '0' as usize).unwrap())
                .collect();
            let title = format!("育儿补贴制度实施方案（修订稿{stems}）");
            let body = serde_json::json!({"base_revision": revision, "note": format!("修订 {n}"),
                "items": [{"id": "title", "text": title}]});
            match support::try_request(&address, &edit, Some(&token), "application/json", body.to_string().as_bytes()) {
                Ok(reply) => {
                    assert_eq!(reply.status, 200, "save {n}: {}", reply.body);
                    revision = reply.json()["revision"].as_i64().expect("the answer names the revision");
                    saved.push((revision, title));
                    answered += 1;
                    this_round += 1;
                    if round == 4 && this_round == 10 {
                        break;
                    }
                }
                Err(_) if killer.is_some() => {
                    kills += 1;
                    assert!(server.wait_timeout(Duration::from_secs(10)).is_some(), "the killed server exited");
                    let (checker, at) = support::serve_named(&env, &format!("serve-{round}-check"));
                    let (now, now_title) = read_back(&at);
                    drop(checker);
                    if now == revision + 1 && now_title == title {
                        unanswered += 1;
                        saved.push((now, title));
                    } else {
                        assert_eq!(now, revision, "save {n}: neither stored nor absent (now {now}, `{now_title}`)");
                    }
                    break;
                }
                Err(e) => panic!(
                    "save {n}: no answer from a server nobody killed: {e} (exit: {:?})\n--- its log\n{}",
                    server.try_wait(),
                    server.stderr()
                ),
            }
        }
        if let Some(k) = killer {
            k.join().unwrap();
        } else {
            server.terminate();
            server.expect_success(Duration::from_secs(30));
        }
    }
    let elapsed = started.elapsed();
    let mut stored: Vec<i64> = env
        .strings(&format!("SELECT revision::text FROM draft_revisions WHERE draft_id = '{draft}'"))
        .iter()
        .map(|r| r.parse().unwrap())
        .collect();
    stored.sort_unstable();
    let lost: Vec<&(i64, String)> = saved
        .iter()
        .filter(|(r, title)| {
            env.count(&format!(
                "SELECT COUNT(*) FROM draft_revisions WHERE draft_id = '{draft}' AND revision = {r} \
                 AND content_json LIKE '%{title}%'"
            )) != 1
        })
        .collect();
    let gaps = stored.windows(2).filter(|w| w[1] != w[0] + 1).count();
    let last = saved.last().expect("saves").clone();
    let final_title = env.strings(&format!("SELECT content_json FROM drafts WHERE id = '{draft}'")).pop().unwrap();
    println!(
        "FAULTS-ROW|workspace SIGKILLed 3 × while a draft is edited|{} saves|–|–|1|0|{}|0|{:.0} s|{answered} answered, \
         {unanswered} unanswered but stored, {kills} kills; revisions {}..={}, {gaps} gaps",
        answered + unanswered,
        lost.len(),
        elapsed.as_secs_f64(),
        stored.first().copied().unwrap_or(0),
        stored.last().copied().unwrap_or(0),
    );
    assert_eq!(kills, 3, "each of the three kills interrupted the editing");
    assert!(lost.is_empty(), "saved revisions missing from draft_revisions: {lost:?}");
    assert_eq!(gaps, 0, "revisions with a gap: {stored:?}");
    assert_eq!(stored.last(), Some(&last.0), "the last stored revision is the last save");
    assert!(final_title.contains(&last.1), "the draft shows the last saved title `{}`", last.1);
}

/// Sets a `rabbit` application variable on the private node for one case and puts the old value back when dropped.
struct BrokerSetting {
    key: &'static str,
    old: Option<String>,
}

impl BrokerSetting {
    fn set(key: &'static str, value: u64) -> BrokerSetting {
        let old = rabbitmqctl_eval(&format!("application:get_env(rabbit, {key})."));
        let old = old.trim().strip_prefix("{ok,").and_then(|v| v.strip_suffix('}')).map(str::to_owned);
        rabbitmqctl_eval(&format!("application:set_env(rabbit, {key}, {value})."));
        BrokerSetting { key, old }
    }
}

impl Drop for BrokerSetting {
    fn drop(&mut self) {
        let restore = match &self.old {
            Some(v) => format!("application:set_env(rabbit, {}, {v}).", self.key),
            None => format!("application:unset_env(rabbit, {}).", self.key),
        };
        rabbitmqctl_eval(&restore);
    }
}

fn rabbitmqctl_eval(expr: &str) -> String {
    let node = std::env::var("RABBITMQ_NODENAME")
        .unwrap_or_else(|_| panic!("RABBITMQ_NODENAME is not set: run the fault suite with scripts/faults.sh"));
    let out = Command::new("rabbitmqctl").args(["-n", &node, "eval", expr]).output().expect("run rabbitmqctl eval");
    assert!(out.status.success(), "rabbitmqctl eval {expr} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Messages in a queue, ready and unacknowledged (`rabbitmqctl list_queues`), which a passive declare does not give.
fn queue_total(queue: &str) -> u64 {
    let node = std::env::var("RABBITMQ_NODENAME").expect("RABBITMQ_NODENAME (scripts/faults.sh sets it)");
    let out = Command::new("rabbitmqctl")
        .args(["-n", &node, "list_queues", "-q", "--no-table-headers", "name", "messages"])
        .output()
        .expect("run rabbitmqctl list_queues");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(name, _)| *name == queue)
        .and_then(|(_, n)| n.trim().parse().ok())
        .unwrap_or(0)
}

/// A policy whose attachment comes from a server that sends it a little at a time for 40 s, so processing it
/// holds its delivery far longer than the broker's consumer timeout (set to 15 s, checked every second, for this
/// case: RabbitMQ 3.10 reads both when a channel opens). The broker closes the worker's channel and redelivers
/// the message while the first processing still runs. It must still be processed once: one draft, one
/// processed event, one `draft.created` in the outbox; the good events around it once each.
#[test]
fn processing_slower_than_the_consumer_timeout() {
    let _timeout = BrokerSetting::set("consumer_timeout", 15_000);
    let _tick = BrokerSetting::set("channel_tick_interval", 1_000);
    let mut env = world();
    env.set_env("TUJIE__FETCH__HOSTS", "[\"127.0.0.1\"]")
        .set_env("TUJIE__FETCH__PRIVATE_HOSTS", "[\"127.0.0.1\"]")
        .set_env("TUJIE__FETCH__TIMEOUT_MS", "120000")
        .set_env("TUJIE__FETCH__RETRY_DELAYS_MS", "[]");
    let pdf = std::fs::read(fixture("../../crates/fetch/tests/fixtures/fujian_yuer_butie.pdf"))
        .expect("the fetch crate's PDF fixture");
    let base = bad_input::serve_slowly("/slow.pdf", "application/pdf", pdf, Duration::from_secs(40));
    let slow = serde_json::json!({"event_id": "e-slow", "type": "policy.published", "document": {
        "id": "d-slow", "title": "福建省育儿补贴制度实施方案", "published_at": "2025-12-12",
        "attachments": [{"url": format!("{base}/slow.pdf"), "media_type": "application/pdf"}]}});
    let (mut events, mut policies) = stream("slow", 40);
    events.insert(1, slow);
    policies.push("d-slow".into());
    policies.sort();
    let published = publish(&env, &events);
    let started = Instant::now();
    let workers = spawn_workers(&env, 2, &["worker"]);
    let procs: Vec<&Proc> = workers.iter().collect();
    let input = env.amqp_config().input_queue();
    wait_until(
        "every event processed and nothing left in the input queue, ready or unacknowledged",
        DRAIN_LIMIT,
        || processed(&env) >= events.len() && queue_total(&input) == 0,
        || diagnose(&env, &procs),
    );
    let drain = started.elapsed();
    stop_all(workers);
    let logs: Vec<String> = (1..=2)
        .map(|i| std::fs::read_to_string(env.dir.path().join(format!("worker-{i}.log"))).unwrap_or_default())
        .collect();
    let timed_out: usize =
        logs.iter().map(|l| l.matches("timed out").count() + l.matches("ack not sent").count()).sum();
    let duplicates: u64 = logs.iter().map(|l| summary_count(l, "duplicates")).sum();
    let draft_created =
        env.count("SELECT COUNT(*) FROM outbox WHERE routing_key = 'draft.created' AND payload LIKE '%\"d-slow\"%'");
    let row = settle(
        &env,
        "a processing longer than the consumer timeout (15 s)",
        &published,
        &policies,
        drain,
        format!(
            "{timed_out} timeout or unsent-ack lines in the worker logs; {duplicates} redeliveries recognised as \
             duplicates; draft.created for it: {draft_created}"
        ),
        0,
    );
    assert!(timed_out > 0, "{}: the broker never timed the delivery out, so the case proved nothing", row.case);
    assert_eq!(env.count("SELECT COUNT(*) FROM drafts WHERE policy_id = 'd-slow'"), 1, "one draft for the slow one");
    assert_eq!(draft_created, 1, "one draft.created event for the slow one");
}
