//! Test scaffolding shared by every test binary of the workspace; a dev-dependency only, never linked into a
//! program.
//!
//! - [`TestDb`]: a database that exists for one test, SQLite or PostgreSQL, and [`both_backends!`], which runs a
//!   scenario on each.
//! - [`postgres_admin_url`], [`amqp_url`]: the real services tests use, from the environment or the local
//!   defaults; [`connect_postgres`] fails (never skips) saying how to start the server.
//! - [`unique`]: a name no other test, in this process or a concurrent one, uses (databases, queue prefixes).
//! - [`serve_on_free_port`]: an axum router on 127.0.0.1 and a port the system picks.
//! - [`fixture`], [`read_jsonl`]: files under the repository's `tests/fixtures/`.
//! - [`s3`]: the S3-API server (moto) of the asset-store tests, a bucket per test, and a folder store's files.
//! - [`geometry`]: every text line of a rendered SVG inside its box, by usvg's measurements of the shipped fonts.
//!
//! Architecture invariant: nothing here is a test double of a service; tests reach the real PostgreSQL and
//! RabbitMQ through these helpers.

mod db;
mod fixtures;
pub mod geometry;
pub mod s3;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

pub use db::TestDb;
pub use fixtures::{fixture, read_jsonl, repo_dir};

/// How to start the local PostgreSQL, for failure messages.
pub const START_POSTGRES: &str = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
/// How to start the local RabbitMQ, for failure messages.
pub const START_RABBITMQ: &str = "rabbitmq-server -detached (then `rabbitmqctl await_startup`)";

/// The PostgreSQL server tests use: `TUJIE_TEST_POSTGRES_URL`, else the local server. Must end in `/DATABASE`
/// and its user must be allowed to `CREATE DATABASE`.
pub fn postgres_admin_url() -> String {
    std::env::var("TUJIE_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The broker tests use: `TUJIE_AMQP_URL`, else the local RabbitMQ with guest/guest.
pub fn amqp_url() -> String {
    std::env::var("TUJIE_AMQP_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

/// `{pid}{sep}{n}{sep}{nanos}`: unique within this process by the counter and across concurrent test processes
/// by the process id. Prefix it with what it names (`tujie_test_`, `tujie-test-`).
pub fn unique(sep: char) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{}{sep}{}{sep}{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A pool on `url` (PostgreSQL); panics saying how to start the server when it is unreachable.
pub async fn connect_postgres(url: &str, max_connections: u32) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    match sqlx::any::AnyPoolOptions::new().max_connections(max_connections).connect(url).await {
        Ok(pool) => pool,
        Err(e) => panic!(
            "PostgreSQL is required for this test but {url} is unreachable ({e}).\n\
             Start it with: {START_POSTGRES}\n\
             or point TUJIE_TEST_POSTGRES_URL at a server where the user may CREATE DATABASE."
        ),
    }
}

/// The URL of database `name` on the server of `admin_url` (which ends in `/DATABASE`).
pub fn database_url(admin_url: &str, name: &str) -> String {
    match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("TUJIE_TEST_POSTGRES_URL must end with /DATABASE, got {admin_url}"),
    }
}

/// Serves `app` on 127.0.0.1 and a free port (port 0) in the background; returns the address.
pub async fn serve_on_free_port(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// One `#[tokio::test]` per scenario and backend, `sqlite::name` and `postgres::name`, each on a fresh
/// [`TestDb`]. The generated modules see the calling module's items.
///
/// - `both_backends!(a, b)`: each scenario is an `async fn(&TestDb)`; the database is removed afterwards.
/// - `both_backends!(|db, scenario| expr; a, b)`: `expr` is a future made from the fresh `db` and the scenario
///   function, e.g. `async move { scenario(setup(db).await).await }`; it owns the database and removes it.
#[macro_export]
macro_rules! both_backends {
    (|$db:ident, $scenario:ident| $run:expr; $($name:ident),+ $(,)?) => {
        #[allow(unused_imports)]
        mod sqlite {
            use super::*;
            $( #[tokio::test] async fn $name() { let $db = $crate::TestDb::sqlite().await; let $scenario = super::$name; $run.await; } )+
        }
        #[allow(unused_imports)]
        mod postgres {
            use super::*;
            $( #[tokio::test] async fn $name() { let $db = $crate::TestDb::postgres().await; let $scenario = super::$name; $run.await; } )+
        }
    };
    ($($name:ident),+ $(,)?) => {
        $crate::both_backends!(|db, scenario| async move { scenario(&db).await; db.finish().await; }; $($name),+);
    };
}
