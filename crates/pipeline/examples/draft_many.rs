//! Draft-making throughput without broker or database: what `tujie draft` does per policy (text extraction, then
//! rendering SVG, PNG and preview), `N` times round robin over policy events, on `THREADS` threads sharing one
//! renderer. `--render-only` extracts each document once up front and times rendering alone.
//!
//! ```text
//! cargo run --release -p tujie-pipeline --example draft_many -- N THREADS [--render-only] event.json ...
//! ```
//! `bench/pipeline_throughput.sh` uses both modes as the baselines the broker pipeline is compared with: the same
//! documents, the same cores, no broker and no database. Output (stdout):
//! `mode=M drafts=N threads=T secs=S per_sec=R mean_output_kb=K`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use tujie_model::{Document, InboundEvent, event::Payload};
use tujie_render::{Mode, RenderConfig, Renderer};
use tujie_text::TextConfig;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let render_only = args.iter().any(|a| a == "--render-only");
    args.retain(|a| a != "--render-only");
    let (n, threads, files) = match args.as_slice() {
        [n, t, files @ ..] if !files.is_empty() => {
            (n.parse::<usize>().expect("N is a count"), t.parse::<usize>().expect("THREADS is a count").max(1), files)
        }
        _ => {
            eprintln!("usage: draft_many N THREADS [--render-only] EVENT.json...");
            std::process::exit(2);
        }
    };
    let documents: Vec<Document> = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).expect("read event json");
            match InboundEvent::from_slice(&bytes, usize::MAX).expect("valid policy event").payload {
                Payload::Published(doc) => doc,
                Payload::Withdrawn { .. } => panic!("{f}: a published policy event is needed"),
            }
        })
        .collect();
    let text = TextConfig::default();
    let extracted: Vec<_> =
        documents.iter().map(|d| tujie_text::extract(d, &text).expect("extractable policy").content).collect();
    let renderer = Renderer::new(RenderConfig::default(), Vec::new()).expect("renderer");
    // One warm-up render, as the worker has rendered before it reaches steady state.
    renderer.render(&extracted[0], None, Mode::Draft).expect("render");
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
                    let k = i % documents.len();
                    let fresh;
                    let content = if render_only {
                        &extracted[k]
                    } else {
                        fresh = tujie_text::extract(&documents[k], &text).expect("extractable policy").content;
                        &fresh
                    };
                    let site = documents[k].site.as_deref();
                    let r = renderer.render(content, site, Mode::Draft).expect("render");
                    bytes.fetch_add(r.png.len() + r.preview_png.len() + r.svg.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "mode={} drafts={n} threads={threads} secs={secs:.3} per_sec={:.2} mean_output_kb={:.0}",
        if render_only { "render-only" } else { "extract+render" },
        n as f64 / secs,
        bytes.load(Ordering::Relaxed) as f64 / n.max(1) as f64 / 1024.0
    );
}
