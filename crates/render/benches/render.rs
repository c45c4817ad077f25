//! Criterion benches: content → SVG (target < 5 ms) and SVG → PNG for a 1080×2400 page including PNG
//! encoding (target < 50 ms), on the Fujian fixture.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tujie_model::content::{Bullet, InfographicContent};
use tujie_render::{Mode, RenderConfig, Renderer};

fn fixture() -> InfographicContent {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fujian_yuer_butie.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn benches(c: &mut Criterion) {
    let renderer = Renderer::new(RenderConfig::default(), Vec::new()).unwrap();
    let content = fixture();
    c.bench_function("content_to_svg", |b| b.iter(|| renderer.to_svg(black_box(&content), None, Mode::Draft).unwrap()));

    // Trim the fixture to a page of about 1080×2400 (the size the targets are stated for).
    let mut page = content.clone();
    page.sections.truncate(2);
    for text in ["每年申领一次，截止时间为当年的12月31日。", "未在规定的年度内提出申领的，视为自动放弃当年的补贴。"]
    {
        page.sections[0].bullets.push(Bullet { text: text.into(), spans: vec![] });
    }
    let svg = renderer.to_svg(&page, None, Mode::Draft).unwrap();
    eprintln!("svg_to_png page height: {}", svg.height);
    c.bench_function("svg_to_png_1080", |b| b.iter(|| renderer.rasterize(black_box(&svg.svg), 1080).unwrap()));
    c.bench_function("render_all_outputs", |b| {
        b.iter(|| renderer.render(black_box(&page), None, Mode::Draft).unwrap())
    });
}

criterion_group! {
    name = render;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(render);
