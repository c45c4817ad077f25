//! Times `Fetcher::fetch` on the test documents served from 127.0.0.1 (port 0): request, transfer and text
//! extraction together, per file kind. Prints one line per document with the median and slowest of `RUNS` runs.
//!
//! `cargo run --workspace --example fetch_time` is ambiguous in a workspace with other examples; build them and run
//! the binary: `nice cargo build --workspace --examples && target/debug/examples/fetch_time` (add `--release` to
//! both for production figures).

use std::path::PathBuf;
use std::time::Instant;

use tujie_fetch::{Extracted, FetchConfig, Fetcher};
use tujie_model::{Attachment, Document, DocumentKind, Timestamp};

const RUNS: usize = 20;

#[tokio::main]
async fn main() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let mut app = axum::Router::new();
    for name in ["fujian_yuer_butie.pdf", "changning_gongzufang.docx"] {
        let bytes = std::fs::read(fixtures.join(name)).expect("fixture");
        app = app.route(&format!("/{name}"), axum::routing::get(move || async move { bytes }));
    }
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });

    let cfg = FetchConfig {
        hosts: vec!["127.0.0.1".into()],
        private_hosts: vec!["127.0.0.1".into()],
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(cfg);
    for name in ["fujian_yuer_butie.pdf", "changning_gongzufang.docx"] {
        let mut doc = Document::new("p", DocumentKind::Policy, "t", Timestamp::parse("2025-01-01").expect("date"));
        let url = format!("{base}/{name}");
        doc.attachments = vec![Attachment { title: None, url: Some(url), media_type: None }];
        let size = std::fs::metadata(fixtures.join(name)).expect("fixture").len();
        let mut times = Vec::with_capacity(RUNS);
        let mut chars = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let fetched = fetcher.fetch(&doc).await.expect("fetch");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            if let Extracted::Text(t) = fetched.body {
                chars = t.chars().count();
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name}: {size} bytes -> {chars} characters; fetch+extract median {:.1} ms, slowest {:.1} ms ({RUNS} runs)",
            times[RUNS / 2],
            times[RUNS - 1]
        );
    }
}
