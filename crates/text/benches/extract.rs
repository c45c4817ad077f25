//! Extraction time for the largest dev fixture (~27 KB) and a ~30 KB document built from fixtures.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tujie_text::{TextConfig, document_from_plain_text, extract};

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev/docs");
    let big = std::fs::read_to_string(dir.join("guofa_2014_40_nongmingong_fuwu_yijian.txt")).expect("fixture");
    let doc = document_from_plain_text("bench", &big);
    let cfg = TextConfig::default();
    c.bench_function("extract_27kb", |b| b.iter(|| extract(black_box(&doc), &cfg).expect("extracts")));
    let mut thirty =
        std::fs::read_to_string(dir.join("guofa_2019_4_guojia_zhiye_jiaoyu_gaige_shishifangan.txt")).expect("fixture");
    thirty.push_str(
        &std::fs::read_to_string(dir.join("guofa_2018_44_2018niandu_keji_jiangli_jueding.txt")).expect("fixture"),
    );
    let doc30 = document_from_plain_text("bench30", &thirty);
    c.bench_function("extract_30kb", |b| b.iter(|| extract(black_box(&doc30), &cfg).expect("extracts")));
}

criterion_group!(benches, bench);
criterion_main!(benches);
