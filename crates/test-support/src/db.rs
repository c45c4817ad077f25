//! Per-test databases: a temporary SQLite file, or a PostgreSQL database created for the test and dropped after.

use tujie_store::{DatabaseConfig, Store};

use crate::{connect_postgres, database_url, postgres_admin_url, unique};

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

impl TestDb {
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("tujie_test_{}.db", unique('_')));
        let cfg = DatabaseConfig { url: format!("sqlite://{}", path.display()), ..Default::default() };
        let store = Store::connect(&cfg).await.expect("open SQLite test database");
        TestDb { store, url: cfg.url, cleanup: Cleanup::Sqlite(path) }
    }

    /// A fresh database on [`postgres_admin_url`]'s server; panics saying how to start PostgreSQL when it is
    /// unreachable.
    pub async fn postgres() -> Self {
        let admin_url = postgres_admin_url();
        let name = format!("tujie_test_{}", unique('_'));
        let admin = connect_postgres(&admin_url, 1).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot CREATE DATABASE {name} on {admin_url}: {e}"));
        admin.close().await;
        let url = database_url(&admin_url, &name);
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
                let admin = connect_postgres(&admin_url, 1).await;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&admin)
                    .await
                    .expect("drop PostgreSQL test database");
                admin.close().await;
            }
        }
    }
}
