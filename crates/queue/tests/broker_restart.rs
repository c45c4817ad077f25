//! Broker restarts in the middle of consumption lose nothing and strand nothing.
//!
//! Its own test binary with a single test: it stops and starts the RabbitMQ application of the shared local
//! broker, and cargo runs test binaries one after another, so no other test of this crate sees the outages.
//! Needs `rabbitmqctl` with the rights to control the local node (root, or the rabbitmq user).
//!
//! What it guards against (issue 14): with lapin's auto-recovery *and* the worker's supervising loop, a session
//! that ended while lapin was still reconnecting left its connection behind; lapin revived it, replayed its
//! consumer and qos, and the broker delivered a prefetch window to a consumer nothing read. The worker then went
//! idle with those messages unacknowledged. Two workers, a prefetch window larger than what they can work on,
//! and several restarts make that visible three ways: more consumers on the input queue than workers, events
//! never applied, or a consumer left on the queue after both workers returned.

mod common;

use std::{
    collections::HashSet,
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use common::{Broker, TestHandler, event, test_config};
use tujie_queue::{
    AmqpConfig, Shutdown,
    lapin::{options::QueueDeclareOptions, types::FieldTable},
    run_worker,
};

const WORKERS: usize = 2;
const EVENTS: usize = 1200;
const RESTARTS: usize = 3;

fn rabbitmqctl(args: &[&str]) -> Result<(), String> {
    let out = Command::new("rabbitmqctl")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run rabbitmqctl ({e}); install rabbitmq-server or put it on PATH"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("rabbitmqctl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// Starts the app again however the test ends, so a failure cannot leave the shared broker down.
struct RestartGuard;

impl Drop for RestartGuard {
    fn drop(&mut self) {
        if let Err(e) = rabbitmqctl(&["start_app"]) {
            eprintln!("could not restart RabbitMQ: {e}");
        }
        let _ = rabbitmqctl(&["await_startup"]);
    }
}

/// Consumers on the input queue, or `None` while the broker cannot be asked (it is down, or starting up and not
/// answering yet: hence the time limit).
async fn consumers(cfg: &AmqpConfig) -> Option<u32> {
    let ask = async {
        let props = tujie_queue::lapin::ConnectionProperties::default();
        let conn = tujie_queue::lapin::Connection::connect(&cfg.url, props).await.ok()?;
        let ch = conn.create_channel().await.ok()?;
        let opts = QueueDeclareOptions { passive: true, ..Default::default() };
        let q = ch.queue_declare(cfg.input_queue().as_str().into(), opts, FieldTable::default()).await.ok()?;
        let _ = conn.close(200, "bye".into()).await;
        Some(q.consumer_count())
    };
    tokio::time::timeout(Duration::from_secs(5), ask).await.ok().flatten()
}

/// Samples the input queue's consumer count until `stop`, keeping the largest seen.
fn watch_consumers(cfg: AmqpConfig, stop: Arc<AtomicBool>, most: Arc<AtomicU32>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            if let Some(n) = consumers(&cfg).await {
                most.fetch_max(n, Ordering::Relaxed);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn broker_restarts_strand_nothing() {
    let _ = tracing_subscriber::fmt().with_env_filter("tujie_queue=info,lapin=warn").try_init();
    rabbitmqctl(&["status"])
        .expect("rabbitmqctl must work on this machine; start the broker with `rabbitmq-server -detached`");
    // A prefetch window far larger than the two tasks each worker runs: most of what a consumer holds is waiting
    // in its window, which is what a stranded consumer keeps.
    let cfg = AmqpConfig { prefetch: 50, ..test_config("restart") };
    let broker = Broker::new(cfg).await;
    let ids: Vec<String> = (0..EVENTS).map(|i| format!("slow-{i}")).collect();
    for id in &ids {
        broker.publish_raw("policy.published", &event(id)).await;
    }

    let handler = Arc::new(TestHandler::default());
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (cfg, h) = (broker.cfg.clone(), handler.clone());
            tokio::spawn(async move { run_worker(&cfg, h, Shutdown::never(), Some(Duration::from_secs(3))).await })
        })
        .collect();
    let (stop, most) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU32::new(0)));
    let watcher = watch_consumers(broker.cfg.clone(), stop.clone(), most.clone());

    // Take the broker away under the workers' feet several times, each after some more progress.
    for round in 1..=RESTARTS {
        let target = round * EVENTS / (RESTARTS + 2);
        let started = Instant::now();
        while handler.applied().len() < target {
            assert!(started.elapsed() < Duration::from_secs(60), "no progress to {target} before restart {round}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _guard = RestartGuard;
        tokio::task::spawn_blocking(|| rabbitmqctl(&["stop_app"])).await.unwrap().unwrap();
        tokio::time::sleep(Duration::from_secs(2)).await;
        // The guard's drop starts the app again and waits for it.
    }

    let mut stats = Vec::new();
    for worker in workers {
        let Ok(s) = tokio::time::timeout(Duration::from_secs(180), worker).await else {
            // Say what was going on, so that a failure under load can be told from a stranded window.
            panic!(
                "a worker did not finish within 180 s of the last restart: {} of {EVENTS} applied, {:?} consumers \
                 on the input queue, at most {} seen",
                handler.applied().len(),
                consumers(&broker.cfg).await,
                most.load(Ordering::Relaxed)
            );
        };
        let s = s.unwrap().unwrap();
        stats.push(s);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    watcher.await.unwrap();
    let left = consumers(&broker.cfg).await.expect("broker is back");

    let applied: HashSet<String> = handler.applied().into_iter().collect();
    let missing: Vec<_> = ids.iter().filter(|id| !applied.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "{} events never applied (stranded on a revived consumer?), first {:?}; {stats:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert_eq!(handler.applied().len(), ids.len(), "an event was applied twice");
    let most = most.load(Ordering::Relaxed);
    assert!(most as usize <= WORKERS, "{most} consumers on the input queue at once with {WORKERS} workers: {stats:?}");
    assert_eq!(left, 0, "a consumer is still attached after every worker returned: {stats:?}");
    assert!(stats.iter().map(|s| s.reconnects).sum::<u64>() >= RESTARTS as u64, "{stats:?}");
    // The test's own connection died with the broker; reconnect to check the queues.
    let after = Broker { cfg: broker.cfg.clone(), conn: common::connect().await, extra_queues: Default::default() };
    assert_eq!(after.count(&after.cfg.input_queue()).await, 0);
    assert_eq!(after.count(&after.cfg.dead_queue()).await, 0);
    eprintln!("restart test: {stats:?}, duplicates seen by the handler: {:?}", handler.duplicates);
}
