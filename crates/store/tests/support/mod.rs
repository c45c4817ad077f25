//! Per-test databases for the storage suite.
#![allow(dead_code)] // reason: each test binary uses a different subset of the helpers

use tujie_store::{DatabaseConfig, Store};

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    /// The database URL, for tests that hand it to the `tujie` binary.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

/// The PostgreSQL server tests use: `TUJIE_TEST_POSTGRES_URL`, else the local server.
pub fn postgres_admin_url() -> String {
    std::env::var("TUJIE_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{}", std::process::id(), nanos, N.fetch_add(1, Ordering::Relaxed))
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique("tujie_test")));
        let cfg = DatabaseConfig { url: format!("sqlite://{}", path.display()), ..Default::default() };
        let store = Store::connect(&cfg).await.expect("open SQLite test database");
        TestDb { store, url: cfg.url, cleanup: Cleanup::Sqlite(path) }
    }

    pub async fn postgres() -> Self {
        let admin_url = postgres_admin_url();
        let name = unique("tujie_test");
        let admin = connect_admin(&admin_url).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create PostgreSQL test database");
        admin.close().await;
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("TUJIE_TEST_POSTGRES_URL must end with /DATABASE"),
        };
        let store = Store::connect(&DatabaseConfig { url: url.clone(), ..Default::default() })
            .await
            .expect("open PostgreSQL test database");
        TestDb { store, url, cleanup: Cleanup::Postgres { admin_url, name } }
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let admin = connect_admin(&admin_url).await;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&admin)
                    .await
                    .expect("drop PostgreSQL test database");
                admin.close().await;
            }
        }
    }
}

async fn connect_admin(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    match sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await {
        Ok(pool) => pool,
        Err(e) => panic!(
            "PostgreSQL is required for this test but {url} is unreachable ({e}).\n\
             Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
             or point TUJIE_TEST_POSTGRES_URL at a server where user may CREATE DATABASE."
        ),
    }
}

/// The S3-API server the asset-store tests use: `TUJIE_TEST_S3_URL`, which `scripts/test.sh` sets after starting
/// moto's server on a free port. There is no default: without it the test fails saying how to start one.
pub fn s3_url() -> String {
    std::env::var("TUJIE_TEST_S3_URL").unwrap_or_else(|_| {
        panic!(
            "TUJIE_TEST_S3_URL is not set: these tests need an S3-API server.\n\
             Run them through scripts/test.sh (it starts one), or start moto yourself:\n\
             pip install 'moto[server]' && moto_server -H 127.0.0.1 -p 0   # prints http://127.0.0.1:PORT\n\
             then export TUJIE_TEST_S3_URL=http://127.0.0.1:PORT"
        )
    })
}

/// Creates a bucket of its own for one test and returns its name. Bucket creation is an operator's job, not the
/// store's, so it is a bare S3 `PUT /bucket` here (moto does not check signatures).
pub fn s3_bucket() -> String {
    use std::io::{Read, Write};
    let url = s3_url();
    let host = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let bucket = unique("tujie-test").replace('_', "-");
    let mut conn = std::net::TcpStream::connect(&host)
        .unwrap_or_else(|e| panic!("the S3-API server at {url} (TUJIE_TEST_S3_URL) is unreachable: {e}"));
    write!(conn, "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "creating bucket {bucket} at {url}: {answer}");
    bucket
}

/// A database configuration that keeps drafts' files in `bucket` on the test S3 server.
pub fn s3_config(url: &str, bucket: &str) -> DatabaseConfig {
    DatabaseConfig {
        url: url.into(),
        asset_store: tujie_store::AssetBackend::S3,
        s3_endpoint: s3_url(),
        s3_bucket: bucket.into(),
        s3_allow_http: true,
        s3_access_key_id: "tujie-test".into(),
        s3_secret_access_key: "tujie-test".into(),
        ..Default::default()
    }
}

/// Every file under `dir`, recursively, sorted: what a folder asset store holds.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(files_under(&path)) } else { out.push(path) }
    }
    out.sort();
    out
}
