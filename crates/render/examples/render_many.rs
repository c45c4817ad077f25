//! Render-alone throughput: renders `N` drafts from content JSON files (round robin) on `THREADS` threads sharing
//! one renderer, in draft mode, exactly the call the pipeline makes per policy, and prints drafts per second.
//!
//! ```text
//! cargo run --release -p tujie-render --example render_many -- N THREADS a.json b.json ...
//! ```
//! `bench/pipeline_throughput.sh` uses it as the baseline the broker pipeline is compared with: the same
//! documents, the same cores, no broker and no database. Output (stdout): `renders=N threads=T secs=S per_sec=R`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tujie_model::content::InfographicContent;
use tujie_render::{Mode, RenderConfig, Renderer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, threads, files) = match args.as_slice() {
        [n, t, files @ ..] if !files.is_empty() => {
            (n.parse::<usize>().expect("N is a count"), t.parse::<usize>().expect("THREADS is a count").max(1), files)
        }
        _ => {
            eprintln!("usage: render_many N THREADS CONTENT.json...");
            std::process::exit(2);
        }
    };
    // Bare content, or the record `tujie draft --out` writes (content under "content").
    let contents: Vec<InfographicContent> = files
        .iter()
        .map(|f| {
            let mut v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(f).expect("read content json")).expect("parse json");
            let content = v.get_mut("content").map(serde_json::Value::take).unwrap_or(v);
            serde_json::from_value(content).expect("parse content")
        })
        .collect();
    let renderer = Renderer::new(RenderConfig::default(), Vec::new()).expect("renderer");
    // One warm-up render, as the worker has rendered before it reaches steady state.
    renderer.render(&contents[0], None, Mode::Draft).expect("render");
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let r = renderer.render(&contents[i % contents.len()], None, Mode::Draft).expect("render");
                    bytes.fetch_add(r.png.len() + r.preview_png.len() + r.svg.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "renders={n} threads={threads} secs={secs:.3} per_sec={:.2} mean_output_kb={:.0}",
        n as f64 / secs,
        bytes.load(Ordering::Relaxed) as f64 / n.max(1) as f64 / 1024.0
    );
}
