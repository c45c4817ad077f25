//! Prints the time to make one video draft, split into speech, slides and encoding, and the same scaled to a
//! 60-second video: `nice cargo build --workspace --examples && target/debug/examples/video_bench [FILE]`
//! (FILE: a plain-text policy, default the Fujian 育儿补贴 fixture). Uses the default `[media]` settings
//! (espeak-ng, libx264 `veryfast`, 10 fps); needs espeak-ng and ffmpeg.

use std::time::Instant;

use tujie_media::{MediaConfig, from_config, video};
use tujie_render::{Mode, RenderConfig, Renderer};

fn main() {
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/dev/docs/fujian_2025_yuer_butie_zhidu_shishifangan.txt"
    );
    let path = std::env::args().nth(1).unwrap_or_else(|| default.to_string());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = tujie_text::document_from_plain_text("bench", &text);
    let x = tujie_text::extract(&doc, &tujie_text::TextConfig::default()).expect("extract");
    let renderer = Renderer::new(RenderConfig::default(), Vec::new()).expect("renderer");
    let cfg = MediaConfig::default();
    let tts = from_config(&cfg);
    let dir = tempfile::tempdir().expect("tempdir");
    let req = video::Request {
        content: &x.content,
        source_text: Some(&x.source_text),
        site: None,
        mode: Mode::Draft,
        out_dir: dir.path(),
        script: None,
    };
    let started = Instant::now();
    let made = video::make(&cfg, tts.as_ref(), &renderer, &req).expect("video");
    let total = started.elapsed().as_secs_f64();
    let secs = made.duration_ms as f64 / 1000.0;
    let t = made.timings;
    let per60 = |d: f64| d * 60.0 / secs;
    println!("narration      {secs:7.1} s  ({} sentences, {} cues/frames)", made.script.sentences.len(), made.frames);
    println!("stage          {:>9} {:>14}", "measured", "per 60 s video");
    for (name, d) in [("speech", t.speech), ("slides", t.slides), ("encoding", t.encoding)] {
        println!("{name:<14} {:7.2} s {:12.2} s", d.as_secs_f64(), per60(d.as_secs_f64()));
    }
    println!("total          {total:7.2} s {:12.2} s", per60(total));
}
