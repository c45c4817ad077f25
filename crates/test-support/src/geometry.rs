//! Geometry checks on rendered SVGs, judged by the text bounding boxes usvg computes from the real glyph
//! metrics. Shared by the render tests and the pipeline's tests of drafts made from real documents.

use std::collections::HashMap;

use resvg::usvg;

pub fn parse(svg: &str) -> usvg::Tree {
    let opt = usvg::Options { fontdb: std::sync::Arc::new(fontdb_of_embedded()), ..Default::default() };
    usvg::Tree::from_str(svg, &opt).expect("our SVG parses")
}

/// A database with only the shipped fonts, read from the repo as the renderer embeds them.
pub fn fontdb_of_embedded() -> usvg::fontdb::Database {
    let mut db = usvg::fontdb::Database::new();
    for f in ["NotoSansSC-Regular-subset.ttf", "NotoSansSC-Bold-subset.ttf"] {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../render/assets/fonts/").to_owned() + f;
        db.load_font_data(std::fs::read(path).unwrap());
    }
    db.set_serif_family("Noto Sans SC");
    db.set_sans_serif_family("Noto Sans SC");
    db
}

/// Every text line (`t{box}_{n}`) must sit inside its box rect (`b{box}`) and the canvas, judged by the
/// bounding boxes usvg computes from the real glyph metrics.
pub fn assert_lines_inside_boxes(name: &str, svg: &str) {
    let tree = parse(svg);
    let (w, h) = (tree.size().width(), tree.size().height());
    let mut rects = HashMap::new();
    let mut texts = Vec::new();
    fn walk(g: &usvg::Group, rects: &mut HashMap<String, usvg::Rect>, texts: &mut Vec<(String, usvg::Rect)>) {
        for node in g.children() {
            match node {
                usvg::Node::Group(g) => walk(g, rects, texts),
                usvg::Node::Path(p) if !p.id().is_empty() => {
                    rects.insert(p.id().to_string(), p.abs_bounding_box());
                }
                usvg::Node::Text(t) => texts.push((t.id().to_string(), t.abs_bounding_box())),
                _ => {}
            }
        }
    }
    walk(tree.root(), &mut rects, &mut texts);
    let lines: Vec<_> = texts.iter().filter(|(id, _)| id.starts_with('t')).collect();
    assert!(!lines.is_empty(), "{name}: no text lines found");
    for (id, bb) in lines {
        let box_id = format!("b{}", id[1..].split('_').next().unwrap());
        let b = rects.get(&box_id).unwrap_or_else(|| panic!("{name}: {id} has no box {box_id}"));
        let tol = 0.5;
        assert!(
            bb.left() >= b.left() - tol && bb.right() <= b.right() + tol,
            "{name}: line {id} ({bb:?}) leaves its box {box_id} ({b:?}) horizontally"
        );
        assert!(
            bb.top() >= b.top() - tol && bb.bottom() <= b.bottom() + tol,
            "{name}: line {id} ({bb:?}) leaves its box {box_id} ({b:?}) vertically"
        );
        assert!(bb.left() >= 0.0 && bb.right() <= w && bb.top() >= 0.0 && bb.bottom() <= h, "{name}: {id} off canvas");
    }
}
