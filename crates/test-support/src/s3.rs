//! The S3-API server the asset-store tests use (moto's server mode, started by `scripts/test.sh`), and what a
//! folder asset store holds.

use tujie_store::DatabaseConfig;

use crate::unique;

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
    let bucket = format!("tujie-test-{}", unique('-'));
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
