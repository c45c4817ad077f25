//! Renders content JSON files to SVG + PNGs, or SVG files to PNGs with per-image timings.
//!
//! ```text
//! cargo run --release -p tujie-render --example render_files -- content OUT_DIR a.json b.json   # draft mode
//! cargo run --release -p tujie-render --example render_files -- approved OUT_DIR a.json
//! cargo run --release -p tujie-render --example render_files -- svg2png OUT_DIR WIDTH a.svg b.svg
//! ```
//! `RENDER_CONFIG=cfg.json` renders with that config instead of the defaults.
//! `svg2png` is what `bench/render_compare.sh` times against rsvg-convert and Chromium: one process, fonts
//! loaded once, each file parsed, rendered and PNG-encoded; prints `file<TAB>ms` per image.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tujie_model::content::InfographicContent;
use tujie_render::{Mode, RenderConfig, Renderer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, out) = match args.as_slice() {
        [cmd, out, ..] => (cmd.as_str(), PathBuf::from(out)),
        _ => {
            eprintln!("usage: render_files content|approved|svg2png OUT_DIR [WIDTH] FILES...");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(&out).expect("create output dir");
    let t0 = Instant::now();
    // RENDER_CONFIG=path.json picks a config (as JSON, the same keys as pipeline.toml's render table).
    let cfg: RenderConfig = match std::env::var("RENDER_CONFIG") {
        Ok(path) => serde_json::from_str(&std::fs::read_to_string(path).expect("read config")).expect("parse config"),
        Err(_) => RenderConfig::default(),
    };
    let renderer = Renderer::new(cfg, Vec::new()).expect("renderer");
    eprintln!("renderer ready in {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    match cmd {
        "content" | "approved" => {
            let mode = if cmd == "content" { Mode::Draft } else { Mode::Approved };
            for file in &args[2..] {
                let json = std::fs::read_to_string(file).expect("read content json");
                let content: InfographicContent = serde_json::from_str(&json).expect("parse content json");
                let t = Instant::now();
                let r = renderer.render(&content, None, mode).expect("render");
                let ms = t.elapsed().as_secs_f64() * 1e3;
                let stem = stem(file);
                std::fs::write(out.join(format!("{stem}.svg")), &r.svg).expect("write svg");
                std::fs::write(out.join(format!("{stem}.png")), &r.png).expect("write png");
                std::fs::write(out.join(format!("{stem}.preview.png")), &r.preview_png).expect("write preview");
                println!(
                    "{stem}\t{ms:.1} ms\t{}\twarnings={:?}\tmissing={:?}",
                    r.template, r.warnings, r.missing_glyphs
                );
            }
        }
        "svg2png" => {
            let width: u32 = args.get(2).and_then(|w| w.parse().ok()).expect("WIDTH");
            for file in &args[3..] {
                let svg = std::fs::read_to_string(file).expect("read svg");
                let t = Instant::now();
                let png = renderer.rasterize(&svg, width).expect("rasterize");
                let ms = t.elapsed().as_secs_f64() * 1e3;
                std::fs::write(out.join(format!("{}.png", stem(file))), png).expect("write png");
                println!("{file}\t{ms:.1}");
            }
        }
        other => panic!("unknown command {other}"),
    }
}

fn stem(file: &str) -> String {
    Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("out").to_string()
}
