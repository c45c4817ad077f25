//! A cloneable shutdown signal, and a helper that fires it on SIGTERM or SIGINT.
//!
//! A `watch` channel rather than `tokio_util::CancellationToken` keeps the dependency list short; the semantics
//! are the same: trigger once, every clone sees it, waiting after the fact returns at once.

use std::sync::Arc;

use tokio::sync::watch;

/// Held by whoever decides to stop (the binary's signal handler, a test).
#[derive(Debug, Clone)]
pub struct ShutdownTrigger(Arc<watch::Sender<bool>>);

/// Observed by the long-running loops.
#[derive(Debug, Clone)]
pub struct Shutdown {
    rx: watch::Receiver<bool>,
    // Keeps the channel open for `Shutdown::never()`, whose trigger nobody holds.
    _keep: Option<Arc<watch::Sender<bool>>>,
}

/// A new trigger and the signal it controls.
pub fn shutdown_pair() -> (ShutdownTrigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (ShutdownTrigger(Arc::new(tx)), Shutdown { rx, _keep: None })
}

impl ShutdownTrigger {
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }
}

impl Shutdown {
    /// A signal that never fires (one-shot commands and tests that stop via `until_idle`).
    pub fn never() -> Self {
        let (tx, rx) = watch::channel(false);
        Shutdown { rx, _keep: Some(Arc::new(tx)) }
    }

    pub fn is_triggered(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once the trigger fires. If every trigger is dropped without firing, it never resolves: losing
    /// the handle is not a request to stop.
    pub async fn wait(&self) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|stop| *stop).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// A signal that fires on the first SIGTERM or SIGINT (Ctrl-C). Must be called inside a tokio runtime.
pub fn shutdown_on_signals() -> Shutdown {
    let (trigger, shutdown) = shutdown_pair();
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).expect("cannot install SIGTERM handler");
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
                _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: shutting down"),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Ctrl-C: shutting down");
        }
        trigger.trigger();
    });
    shutdown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_clone_sees_the_trigger() {
        let (trigger, shutdown) = shutdown_pair();
        let other = shutdown.clone();
        assert!(!other.is_triggered());
        trigger.trigger();
        other.wait().await;
        assert!(shutdown.is_triggered());
    }

    #[tokio::test]
    async fn never_stays_pending() {
        let s = Shutdown::never();
        assert!(tokio::time::timeout(std::time::Duration::from_millis(20), s.wait()).await.is_err());
    }
}
