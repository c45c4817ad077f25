//! A broker restart in the middle of consumption loses nothing.
//!
//! Its own test binary with a single test: it stops and starts the RabbitMQ application of the shared local
//! broker, and cargo runs test binaries one after another, so no other test of this crate sees the outage.
//! Needs `rabbitmqctl` with the rights to control the local node (root, or the rabbitmq user).

mod common;

use std::{
    collections::HashSet,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use common::{Broker, TestHandler, event, test_config};
use tujie_queue::{Shutdown, run_worker};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_restart_mid_stream_loses_nothing() {
    rabbitmqctl(&["status"])
        .expect("rabbitmqctl must work on this machine; start the broker with `rabbitmq-server -detached`");
    let broker = Broker::new(test_config("restart")).await;
    let ids: Vec<String> = (0..60).map(|i| format!("slow-{i}")).collect();
    for id in &ids {
        broker.publish_raw("policy.published", &event(id)).await;
    }

    let handler = Arc::new(TestHandler::default());
    let cfg = broker.cfg.clone();
    let h = handler.clone();
    let worker =
        tokio::spawn(async move { run_worker(&cfg, h, Shutdown::never(), Some(Duration::from_secs(3))).await });

    // Let some get handled, then take the broker away under the worker's feet.
    let started = Instant::now();
    while handler.applied().len() < 10 {
        assert!(started.elapsed() < Duration::from_secs(20), "worker made no progress before the restart");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    {
        let _guard = RestartGuard;
        tokio::task::spawn_blocking(|| rabbitmqctl(&["stop_app"])).await.unwrap().unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }

    let stats = tokio::time::timeout(Duration::from_secs(120), worker)
        .await
        .expect("worker did not finish within 120 s of the restart")
        .unwrap()
        .unwrap();
    let applied: HashSet<String> = handler.applied().into_iter().collect();
    let missing: Vec<_> = ids.iter().filter(|id| !applied.contains(*id)).collect();
    assert!(missing.is_empty(), "lost across the restart: {missing:?}; {stats:?}");
    assert_eq!(handler.applied().len(), ids.len(), "an event was applied twice");
    assert!(stats.reconnects >= 1 || stats.unacked_after_recovery >= 1 || stats.deliveries > 60, "{stats:?}");
    // The test's own connection died with the broker; reconnect to check the queues.
    let after = Broker { cfg: broker.cfg.clone(), conn: common::connect().await, extra_queues: Default::default() };
    assert_eq!(after.count(&after.cfg.input_queue()).await, 0);
    assert_eq!(after.count(&after.cfg.dead_queue()).await, 0);
    eprintln!("restart test: {stats:?}, duplicates seen by the handler: {:?}", handler.duplicates);
}
