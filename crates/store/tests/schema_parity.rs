//! The two migration folders must build the same schema.
//!
//! `migrations/sqlite` and `migrations/postgres` are kept by hand, one file per step in each. This test applies
//! both (by opening a store on each backend) and compares what a query can see: the tables, their columns, which
//! columns may be NULL, and the indexes (their columns and whether they are unique). Column types are not compared:
//! they differ by design (`TEXT` timestamps against `timestamptz`, `BLOB` against `bytea`).

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use tujie_test_support::TestDb;

/// One table as both backends can describe it.
#[derive(Debug, PartialEq, Eq, Default)]
struct Table {
    /// Column name → may it hold NULL?
    columns: BTreeMap<String, bool>,
    /// The primary key's columns in order.
    primary_key: Vec<String>,
    /// Each other index as its columns in order, and whether it is unique.
    indexes: BTreeSet<(Vec<String>, bool)>,
}

type Schema = BTreeMap<String, Table>;

async fn pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new().max_connections(1).connect(url).await.expect("connect to the test database")
}

async fn strings(pool: &AnyPool, sql: &str) -> Vec<Vec<String>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(pool).await.expect(sql);
    rows.iter()
        .map(|row| (0..row.len()).map(|i| row.try_get::<String, _>(i).unwrap_or_else(|_| int_text(row, i))).collect())
        .collect()
}

fn int_text(row: &sqlx::any::AnyRow, i: usize) -> String {
    row.try_get::<i64, _>(i).map(|n| n.to_string()).unwrap_or_default()
}

async fn sqlite_schema(url: &str) -> Schema {
    let pool = pool(url).await;
    let names = strings(
        &pool,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .await;
    let mut schema = Schema::new();
    for name in names.into_iter().map(|r| r[0].clone()) {
        let mut table = Table::default();
        let columns =
            strings(&pool, &format!("SELECT name, \"notnull\", pk FROM pragma_table_info('{name}') ORDER BY pk")).await;
        for col in columns {
            // A primary-key column never holds NULL, whatever `notnull` says.
            table.columns.insert(col[0].clone(), col[1] == "0" && col[2] == "0");
            if col[2] != "0" {
                table.primary_key.push(col[0].clone());
            }
        }
        let indexes =
            strings(&pool, &format!("SELECT name, \"unique\" FROM pragma_index_list('{name}') WHERE origin <> 'pk'"))
                .await;
        for index in indexes {
            let cols = strings(&pool, &format!("SELECT name FROM pragma_index_info('{}') ORDER BY seqno", index[0]))
                .await
                .into_iter()
                .map(|r| r[0].clone())
                .collect();
            table.indexes.insert((cols, index[1] == "1"));
        }
        schema.insert(name, table);
    }
    pool.close().await;
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let pool = pool(url).await;
    let mut schema = Schema::new();
    let columns = strings(
        &pool,
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .await;
    for col in columns {
        let table: &mut Table = schema.entry(col[0].clone()).or_default();
        table.columns.insert(col[1].clone(), col[2] == "YES");
    }
    let indexes = strings(
        &pool,
        "SELECT t.relname::text, CASE WHEN i.indisunique THEN '1' ELSE '0' END,
                CASE WHEN i.indisprimary THEN '1' ELSE '0' END,
                array_to_string(array_agg(a.attname::text ORDER BY k.ord), ',')
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         WHERE t.relname NOT LIKE '_sqlx%'
         GROUP BY i.indexrelid, t.relname, i.indisunique, i.indisprimary",
    )
    .await;
    for index in indexes {
        let cols: Vec<String> = index[3].split(',').map(str::to_owned).collect();
        let table = schema.entry(index[0].clone()).or_default();
        if index[2] == "1" {
            table.primary_key = cols;
        } else {
            table.indexes.insert((cols, index[1] == "1"));
        }
    }
    pool.close().await;
    schema
}

#[tokio::test]
async fn both_migration_folders_build_the_same_schema() {
    let lite = TestDb::sqlite().await;
    let pg = TestDb::postgres().await;
    let lite_schema = sqlite_schema(&lite.url).await;
    let pg_schema = postgres_schema(&pg.url).await;
    lite.finish().await;
    pg.finish().await;

    assert!(!lite_schema.is_empty(), "the SQLite migrations created no table");
    let lite_tables: BTreeSet<_> = lite_schema.keys().collect();
    let pg_tables: BTreeSet<_> = pg_schema.keys().collect();
    assert_eq!(lite_tables, pg_tables, "the two migration folders create different tables");
    for (name, table) in &lite_schema {
        let other = &pg_schema[name];
        assert_eq!(table.primary_key, other.primary_key, "table {name}: primary keys differ (SQLite left)");
        assert_eq!(table.columns, other.columns, "table {name}: columns or nullability differ (SQLite left)");
        assert_eq!(table.indexes, other.indexes, "table {name}: indexes differ (SQLite left)");
    }
}
