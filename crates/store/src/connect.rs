//! Opening the database: backend detection, SQLite pragmas, the single writer connection, migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::assets::AssetStore;
use crate::{DatabaseConfig, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The storage handle. Cheap to clone; every clone shares the pools.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// Reads. On PostgreSQL also writes.
    pub(crate) pool: AnyPool,
    /// Writes. On SQLite a pool of exactly one connection, so writers queue in-process instead of fighting over
    /// the file lock; together with `BEGIN IMMEDIATE` this means a write transaction never fails with SQLITE_BUSY
    /// because of another of our own writers.
    pub(crate) writer: AnyPool,
    /// Where drafts' PNG files go.
    pub(crate) assets: AssetStore,
}

impl Store {
    /// Connects (creating the SQLite file and its folder if needed) and, if configured, migrates.
    pub async fn connect(cfg: &DatabaseConfig) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(&cfg.url).ok_or_else(|| StoreError::UnsupportedUrl(cfg.url.clone()))?;
        let assets = AssetStore::new(cfg)?;
        let store = match backend {
            Backend::Sqlite => {
                let url = sqlite_url(&cfg.url)?;
                let options = AnyConnectOptions::from_str(&url)?;
                let busy = cfg.busy_timeout_ms;
                let pool_options = move |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .acquire_timeout(Duration::from_millis(cfg.acquire_timeout_ms))
                        .after_connect(move |conn, _meta| {
                            Box::pin(async move {
                                // WAL lets readers proceed while the writer writes; sqlx does not set it for us.
                                conn.execute("PRAGMA journal_mode = WAL").await?;
                                conn.execute("PRAGMA synchronous = NORMAL").await?;
                                conn.execute("PRAGMA foreign_keys = ON").await?;
                                conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {busy}"))).await?;
                                Ok(())
                            })
                        })
                };
                let writer = pool_options(1).connect_with(options.clone()).await?;
                let pool = pool_options(cfg.max_connections).connect_with(options).await?;
                Store { backend, pool, writer, assets }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(cfg.max_connections)
                    .acquire_timeout(Duration::from_millis(cfg.acquire_timeout_ms))
                    .connect(&cfg.url)
                    .await?;
                Store { backend, writer: pool.clone(), pool, assets }
            }
        };
        if cfg.auto_migrate {
            store.migrate().await?;
        }
        Ok(store)
    }

    /// Applies pending migrations for this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.writer).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.writer).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Cheap liveness probe for `/readyz` and for waiting out an outage.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection, waiting for them to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// Begins a write transaction. SQLite takes the write lock up front (`BEGIN IMMEDIATE`): a deferred
    /// transaction that reads and then writes can fail with SQLITE_BUSY whatever the busy timeout.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }
}

/// Makes sure the SQLite file can be created: its folder exists and the URL asks for create-if-missing.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let (file, query) = path.split_once('?').unwrap_or((path, ""));
    if file != ":memory:"
        && let Some(parent) = std::path::Path::new(file).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|source| StoreError::CreateDir { path: parent.display().to_string(), source })?;
    }
    Ok(if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("sqlite://{file}?mode=rwc")
    } else {
        format!("sqlite://{file}?{query}&mode=rwc")
    })
}
