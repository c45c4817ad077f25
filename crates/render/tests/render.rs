//! End-to-end tests of the public API on hand-written content fixtures (independent of tujie-text): golden
//! SVGs, geometry checked with usvg's own text bounding boxes, Chinese line-breaking rules on the emitted
//! lines, escaping, missing glyphs, the height cap and the draft mark in pixels.

use std::sync::OnceLock;

use tujie_model::content::{Bullet, Cell, DateItem, Figure, InfographicContent, Section, SectionKind, Step, Table};
use tujie_render::{Mode, RenderConfig, Renderer, SlideCard};

use tujie_test_support::geometry::{assert_lines_inside_boxes, parse};

fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| Renderer::new(RenderConfig::default(), Vec::new()).expect("renderer"))
}

fn fixtures() -> Vec<(String, InfographicContent)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let content = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (name, content)
        })
        .collect()
}

/// The text of every `<text id="t…">` line in document order, entities decoded.
fn svg_lines(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in svg.split("<text id=\"t").skip(1) {
        let body = &chunk[chunk.find('>').unwrap() + 1..chunk.find("</text>").unwrap()];
        let mut text = String::new();
        let mut in_tag = false;
        for c in body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&");
        out.push(text);
    }
    out
}

#[test]
fn golden_svgs_for_every_fixture() {
    for (name, content) in fixtures() {
        let draft = renderer().to_svg(&content, None, Mode::Draft).unwrap();
        assert!(draft.warnings.is_empty(), "{name}: {:?}", draft.warnings);
        assert!(draft.missing_glyphs.is_empty(), "{name}: {:?}", draft.missing_glyphs);
        insta::assert_snapshot!(name.clone(), draft.svg);
        // Same input → byte-identical SVG.
        assert_eq!(renderer().to_svg(&content, None, Mode::Draft).unwrap().svg, draft.svg, "{name}");
    }
}

#[test]
fn no_line_leaves_its_box_in_any_fixture() {
    for (name, content) in fixtures() {
        for mode in [Mode::Draft, Mode::Approved] {
            let draft = renderer().to_svg(&content, None, mode).unwrap();
            assert_lines_inside_boxes(&name, &draft.svg);
        }
    }
}

#[test]
fn draft_mark_is_in_draft_pixels_and_absent_in_approved() {
    let (_, content) = fixtures().into_iter().next().unwrap();
    let draft = renderer().render(&content, None, Mode::Draft).unwrap();
    let approved = renderer().render(&content, None, Mode::Approved).unwrap();
    let d = image::load_from_memory(&draft.png).unwrap().to_rgb8();
    let a = image::load_from_memory(&approved.png).unwrap().to_rgb8();
    assert_eq!((d.width(), d.height()), (a.width(), a.height()), "modes share geometry");
    assert_eq!(d.width(), 1080);
    // The banner: amber top strip in Draft only.
    assert_eq!(d.get_pixel(10, 10).0, [0xFF, 0xC4, 0x00]);
    assert_ne!(a.get_pixel(10, 10).0, [0xFF, 0xC4, 0x00]);
    // The watermark: many pixels below the banner differ between the modes.
    let differing = (100..d.height())
        .flat_map(|y| (0..d.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| d.get_pixel(x, y) != a.get_pixel(x, y))
        .count();
    assert!(differing > 20_000, "watermark covers too little: {differing} px");
    assert!(draft.svg.contains("草稿") && !approved.svg.contains("草稿"));
    let p = image::load_from_memory(&draft.preview_png).unwrap();
    assert_eq!(p.width(), 360);
}

fn stress_content() -> InfographicContent {
    let title = "关于进一步优化营商环境、降低制度性交易成本，支持“专精特新”中小企业高质量发展的若干政策措施（2025—2027年）实施细则及配套办法的通知——试行（征求意见稿）及申报条件、补贴标准、办理流程说明".to_string();
    let mut bullet = String::new();
    while bullet.chars().count() < 400 {
        bullet.push_str(
            "对符合条件的企业，按照R&D投入的15%给予补助，最高不超过300万元（含300万元）；“首台套”产品、《目录》内项目优先支持——具体以公告为准……申报时间：2025年3月1日至4月30日，咨询电话：0591-87654321，网址：https://www.example.gov.cn/zwgk/tzgg/2025/notice_12345.html。",
        );
    }
    InfographicContent {
        title,
        subtitle: "某某县人民政府办公室 · 某政办〔2025〕12号 · 2025年2月18日".into(),
        source_title: Some("R&D <script>alert(1)</script> & “引号” 测试".into()),
        source_url: Some("https://www.example.gov.cn/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0123456789abcdefghijklmnopqrstuvwxyz.html?x=1&y=<2>".into()),
        figures: vec![
            Figure { value: "12345678901234567890".into(), unit: "万元/年·户".into(), label: "超长数字".into(), spans: vec![] },
            Figure { value: "R&D".into(), unit: "<b>".into(), label: "escaping".into(), spans: vec![] },
        ],
        sections: vec![Section {
            kind: SectionKind::MainContent,
            heading: "支持措施（一）：研发费用加计扣除、首台套保险补偿、专精特新奖励等".into(),
            bullets: vec![
                Bullet { text: bullet, spans: vec![] },
                Bullet { text: "Latin words such as internationalization and interoperability stay whole, 3600元、50%、0.5‰ stay with units.".into(), spans: vec![] },
            ],
            figures: vec![],
            steps: vec![Step { text: "提交申请：通过“闽政通”APP或https://zwfw.fujian.gov.cn/提交《申请表》（附件1）。".into(), spans: vec![] }],
            dates: vec![DateItem { date: "2025年3月1日—2025年4月30日".into(), label: "集中申报（逾期不予受理）……".into(), spans: vec![] }],
            tables: vec![],
        }],
    }
}

/// A timeline of one date draws no line from the date to itself: a zero-length stroke makes the rasterizer log
/// `path stroking failed` for every such draft (eight of the sample inbox's drafts did).
#[test]
fn a_one_date_timeline_draws_no_empty_line() {
    let mut content = stress_content();
    content.sections[0].bullets.truncate(1);
    content.sections[0].bullets[0].text = "申报时间以公告为准。".into();
    let draft = renderer().to_svg(&content, None, Mode::Draft).unwrap();
    let timeline = draft.svg.split("<g class=\"timeline\">").nth(1).expect("a timeline group");
    let timeline = &timeline[..timeline.find("</g>").unwrap()];
    assert!(timeline.contains("<circle"), "the date is drawn: {timeline}");
    assert!(!timeline.contains("<line"), "a one-date timeline has no line: {timeline}");
}

#[test]
fn long_text_wraps_by_clreq_and_stays_inside() {
    let content = stress_content();
    let draft = renderer().to_svg(&content, None, Mode::Draft).unwrap();
    assert_lines_inside_boxes("stress", &draft.svg);
    let lines = svg_lines(&draft.svg);
    assert!(lines.len() > 20, "{lines:?}");
    for l in &lines {
        let first = l.chars().next().unwrap();
        let last = l.chars().last().unwrap();
        assert!(!"、，。：；！？）》」』”’·".contains(first), "line starts with {first}: {l:?}");
        assert!(!"（《「『“‘".contains(last), "line ends with {last}: {l:?}");
        assert!(!l.ends_with('—') || l.ends_with("——"), "split dash: {l:?}");
        assert!(!l.starts_with('—') || l.starts_with("——"), "split dash: {l:?}");
        assert!(!l.ends_with('…') || l.ends_with("……"), "split ellipsis: {l:?}");
        assert!(!l.starts_with('…') || l.starts_with("……"), "split ellipsis: {l:?}");
    }
    for word in ["internationalization", "interoperability", "3600元", "50%", "300万元"] {
        assert!(lines.iter().any(|l| l.contains(word)), "{word} was split: {lines:?}");
    }
    // The title (80 characters) stepped down and wrapped instead of overflowing.
    assert!(content.title.chars().count() >= 80);
    assert!(!draft.warnings.iter().any(|w| w.contains("已截短")), "{:?}", draft.warnings);
}

#[test]
fn markup_in_content_is_escaped() {
    let draft = renderer().to_svg(&stress_content(), None, Mode::Approved).unwrap();
    assert!(!draft.svg.contains("<script"), "raw markup leaked");
    assert!(!draft.svg.contains("<b>"), "raw markup leaked");
    assert!(draft.svg.contains("R&amp;D &lt;script&gt;"));
    let tree = parse(&draft.svg);
    assert!(tree.root().has_children());
    let lines = svg_lines(&draft.svg);
    assert!(lines.iter().any(|l| l.contains("R&D <script>alert(1)<")), "{lines:?}");
}

#[test]
fn missing_glyphs_are_listed_and_replaced_visibly() {
    let mut content = fixtures().remove(0).1;
    content.sections[0].bullets[0].text = "补贴对象：😀 和 𠀀（扩展B）及 𪚥 人".into();
    let draft = renderer().to_svg(&content, None, Mode::Draft).unwrap();
    assert_eq!(draft.missing_glyphs, ["😀", "𠀀", "𪚥"]);
    assert_eq!(draft.warnings.len(), 3, "{:?}", draft.warnings);
    assert!(draft.warnings[0].contains("U+1F600"), "{:?}", draft.warnings);
    let lines = svg_lines(&draft.svg);
    assert!(lines.iter().any(|l| l.contains("〓 和 〓（扩展B）及 〓 人")), "{lines:?}");
    assert!(!draft.svg.contains('😀'));
}

#[test]
fn content_past_max_height_is_cut_at_an_item_with_a_warning() {
    let cfg = RenderConfig { max_height: 2400, ..RenderConfig::default() };
    let r = Renderer::new(cfg, Vec::new()).unwrap();
    let mut content = fixtures().remove(0).1;
    for s in &mut content.sections {
        for i in 0..12 {
            s.bullets
                .push(Bullet {
                    text: format!("第{i}条补充说明：每孩每年3600元，按年一次性发放。"), spans: vec![]
                });
        }
    }
    let draft = r.to_svg(&content, None, Mode::Draft).unwrap();
    assert!(draft.height <= 2400, "{}", draft.height);
    assert!(draft.warnings.iter().any(|w| w.contains("最大高度")), "{:?}", draft.warnings);
    assert!(svg_lines(&draft.svg).iter().any(|l| l.contains("篇幅所限")));
    assert_lines_inside_boxes("cut", &draft.svg);
    // Every bullet drawn is whole: its last line ends the sentence.
    let lines = svg_lines(&draft.svg);
    let bullets: Vec<&String> = lines.iter().filter(|l| l.starts_with("第")).collect();
    assert!(!bullets.is_empty() && bullets.iter().all(|l| l.ends_with('。')), "{bullets:?}");
}

#[test]
fn edited_content_gives_the_edited_image() {
    let mut content = fixtures().remove(0).1;
    let before = renderer().to_svg(&content, None, Mode::Draft).unwrap();
    content.figures[0].value = "4800".into();
    let after = renderer().to_svg(&content, None, Mode::Draft).unwrap();
    assert!(before.svg.contains(">3600<") && !after.svg.contains(">3600<") && after.svg.contains(">4800<"));
}

#[test]
fn site_themes_apply() {
    let mut cfg = RenderConfig::default();
    let theme = tujie_render::Theme {
        primary: "#1E5AA8".into(),
        logo_text: "某某县人民政府".into(),
        footer_text: "某某县人民政府办公室 制".into(),
        ..Default::default()
    };
    cfg.site_themes.insert("mouxian".into(), theme);
    let r = Renderer::new(cfg, Vec::new()).unwrap();
    let content = fixtures().remove(0).1;
    let svg = r.to_svg(&content, Some("mouxian"), Mode::Approved).unwrap().svg;
    assert!(svg.contains("#1E5AA8") && svg.contains("某某县人民政府办公室 制"));
    let other = r.to_svg(&content, Some("elsewhere"), Mode::Approved).unwrap().svg;
    assert!(!other.contains("#1E5AA8"));
}

#[test]
fn rasterize_loads_no_external_resources() {
    let base = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100"><rect width="200" height="100" fill="#eee"/>"##;
    let with_images = format!(
        "{base}<image href=\"file:///etc/hostname\" width=\"100\" height=\"100\"/><image xlink:href=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\" width=\"100\" height=\"100\"/><image href=\"https://example.com/x.png\" width=\"100\" height=\"100\"/></svg>"
    );
    let plain = format!("{base}</svg>");
    let a = renderer().rasterize(&with_images, 200).unwrap();
    let b = renderer().rasterize(&plain, 200).unwrap();
    assert_eq!(a, b, "an image was loaded");
    assert!(renderer().rasterize("<svg", 200).is_err());
    assert!(matches!(renderer().rasterize(&plain, 100_000), Err(tujie_render::RenderError::TooLarge { .. })));
}

#[test]
fn bad_config_is_refused_with_keys() {
    let cfg = RenderConfig { width: 5, ..RenderConfig::default() };
    let err = Renderer::new(cfg, Vec::new()).unwrap_err();
    assert!(err.to_string().contains("width"), "{err}");
}

#[test]
fn extra_fonts_fill_in_missing_glyphs() {
    // A 968-byte font whose only glyphs are 😀 and 𠀀 (made by tests/fixtures/fallback-test.py).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fallback-test.ttf");
    let r = Renderer::new(RenderConfig::default(), vec![std::fs::read(path).unwrap()]).unwrap();
    let mut content = fixtures().remove(0).1;
    content.sections[0].bullets[0].text = "补贴对象：😀 和 𠀀（扩展B）及 𪚥 人".into();
    let draft = r.to_svg(&content, None, Mode::Draft).unwrap();
    assert_eq!(draft.missing_glyphs, ["𪚥"], "{:?}", draft.warnings);
    assert!(svg_lines(&draft.svg).iter().any(|l| l.contains("😀 和 𠀀（扩展B）及 〓 人")));
    // The fallback face is measured too: the test font's glyphs are 1 em wide like CJK, so lines still fit.
    assert!(r.rasterize(&draft.svg, 360).is_ok());
}

#[test]
fn empty_and_oversized_content_render_without_panics() {
    let empty = InfographicContent {
        title: String::new(),
        subtitle: String::new(),
        source_title: None,
        source_url: None,
        figures: vec![],
        sections: vec![],
    };
    let draft = renderer().to_svg(&empty, None, Mode::Approved).unwrap();
    assert_eq!(draft.template, "long/v1:header");
    assert_lines_inside_boxes("empty", &draft.svg);

    let bullet = |i: usize| Bullet { text: format!("第{i}项：{}", "很长的内容".repeat(200)), spans: vec![] };
    let section = Section {
        kind: SectionKind::MainContent,
        heading: "标".repeat(300),
        bullets: (0..100).map(bullet).collect(),
        figures: (0..100)
            .map(|i| Figure {
                value: i.to_string().repeat(50),
                unit: "元".into(),
                label: "x".repeat(900),
                spans: vec![],
            })
            .collect(),
        steps: (0..100).map(|i| Step { text: format!("步骤{i}"), spans: vec![] }).collect(),
        dates: vec![],
        tables: Vec::new(),
    };
    let huge = InfographicContent {
        title: "题".repeat(1000),
        sections: vec![section; 50],
        figures: vec![Figure { value: "9".repeat(300), unit: String::new(), label: String::new(), spans: vec![] }],
        ..empty
    };
    let r = renderer().render(&huge, None, Mode::Draft).unwrap();
    let png = image::load_from_memory(&r.png).unwrap();
    assert!(png.height() <= RenderConfig::default().max_height);
    // Chinese for: past max_sections, past max_items_per_section, cut at max_height, a text shortened.
    for key in ["节未画出", "每节最多", "最大高度", "已截短"] {
        assert!(r.warnings.iter().any(|w| w.contains(key)), "no {key} warning in {:?}", r.warnings);
    }
    assert_lines_inside_boxes("huge", &r.svg);
}

/// The fixture with a tier table and a per-group table.
fn tables_fixture() -> InfographicContent {
    fixtures().into_iter().find(|(n, _)| n == "tables_butie").expect("tables_butie.json").1
}

/// A cell of a drawn table: its rect and how many text lines it holds.
#[derive(Debug)]
struct DrawnCell {
    x: i32,
    y: i32,
    w: i32,
    h: i32,
    lines: usize,
}

fn attr(tag: &str, name: &str) -> i32 {
    let at = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
    tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
}

/// The cells of every `<g class="table">` grid in the SVG, table by table.
fn drawn_tables(svg: &str) -> Vec<Vec<DrawnCell>> {
    let mut out = Vec::new();
    for chunk in svg.split("<g class=\"table\">").skip(1) {
        let chunk = &chunk[..chunk.find("fill=\"none\"").unwrap_or(0)];
        let cells = chunk
            .split("<rect id=\"b")
            .skip(1)
            .filter_map(|tag| {
                // The frame, cut off above, is no cell.
                let tag = &tag[..tag.find("/>")?];
                let id = &tag[..tag.find('"').unwrap()];
                let lines = svg.matches(&format!("<text id=\"t{id}_")).count();
                Some(DrawnCell {
                    x: attr(tag, "x"),
                    y: attr(tag, "y"),
                    w: attr(tag, "width"),
                    h: attr(tag, "height"),
                    lines,
                })
            })
            .collect::<Vec<_>>();
        if !cells.is_empty() {
            out.push(cells);
        }
    }
    out
}

/// Rows of a drawn table: cells grouped by their top.
fn rows_of(cells: &[DrawnCell]) -> Vec<Vec<&DrawnCell>> {
    let mut rows: Vec<Vec<&DrawnCell>> = Vec::new();
    for c in cells {
        match rows.last_mut() {
            Some(r) if r[0].y == c.y => r.push(c),
            _ => rows.push(vec![c]),
        }
    }
    rows
}

#[test]
fn table_text_stays_inside_its_cells_and_rows_are_as_tall_as_their_tallest_cell() {
    let content = tables_fixture();
    for mode in [Mode::Draft, Mode::Approved] {
        let draft = renderer().to_svg(&content, None, mode).unwrap();
        assert!(draft.template.contains("table"), "{}", draft.template);
        // Every line of every cell inside that cell's rect, by usvg's glyph bounding boxes.
        assert_lines_inside_boxes("tables", &draft.svg);
        let tables = drawn_tables(&draft.svg);
        assert_eq!(tables.len(), 2, "a tier table and a per-group table");
        for (t, cells) in tables.iter().enumerate() {
            let rows = rows_of(cells);
            let ncols = content.sections[t].tables[0].header.len();
            assert_eq!(rows.len(), 4, "header and three rows");
            let mut y = rows[0][0].y;
            for row in &rows {
                assert_eq!(row.len(), ncols);
                assert_eq!(row[0].y, y, "rows follow each other without gaps");
                assert_eq!((row[0].x, row.iter().map(|c| c.w).sum::<i32>()), (80, 920), "rows span the card");
                assert!(row.windows(2).all(|p| p[0].x + p[0].w == p[1].x), "columns adjoin");
                let tallest = row.iter().map(|c| c.lines.max(1)).max().unwrap() as i32;
                assert!(row.iter().all(|c| c.h == tallest * 42 + 32), "row height = tallest cell: {row:?}");
                y += row[0].h;
            }
            // Columns keep their width down the table.
            assert!(rows.iter().all(|r| r.iter().zip(&rows[0]).all(|(a, b)| (a.x, a.w) == (b.x, b.w))));
        }
        let groups = rows_of(&tables[1]);
        assert!(groups[0][0].w < groups[0][1].w, "the group column is the narrow one: {:?}", groups[0]);
        assert!(groups[3][1].lines > 1, "the long standard wraps inside its cell");
    }
}

#[test]
fn tables_render_to_png_with_the_bundled_font() {
    let r = renderer().render(&tables_fixture(), None, Mode::Draft).unwrap();
    assert!(r.warnings.is_empty() && r.missing_glyphs.is_empty(), "{:?}", r.warnings);
    let png = image::load_from_memory(&r.png).unwrap().to_rgb8();
    assert_eq!(png.width(), 1080);
    // The header row is shaded in the theme colour (#C62828) somewhere down the page.
    let red = png.pixels().filter(|p| p.0 == [0xC6, 0x28, 0x28]).count();
    assert!(red > 20_000, "{red}");
    let lines = svg_lines(&r.svg);
    for cell in ["5000元以上", "补贴15%", "每人每月810元", "城市居民", "2025年1月1日起"] {
        assert!(lines.iter().any(|l| l == cell), "{cell} is one line of its own: {lines:?}");
    }
}

fn tier_table(rows: usize, cols: usize) -> Table {
    let header = (0..cols).map(|j| Cell::new(if j == 0 { "档次".to_string() } else { format!("标准{j}") }, vec![]));
    Table {
        caption: "分档补贴标准".into(),
        header: header.collect(),
        rows: (1..=rows)
            .map(|i| {
                (0..cols)
                    .map(|j| {
                        Cell::new(if j == 0 { format!("第{i}档") } else { format!("补贴{}元", i * 100 + j) }, vec![])
                    })
                    .collect()
            })
            .collect(),
    }
}

fn content_with(table: Table) -> InfographicContent {
    let mut section = Section::new(SectionKind::Standards, "补贴标准");
    section.tables.push(table);
    InfographicContent {
        title: "某某县分档补贴".into(),
        subtitle: String::new(),
        source_title: None,
        source_url: None,
        figures: vec![],
        sections: vec![section],
    }
}

#[test]
fn a_table_taller_than_the_page_is_cut_between_rows_with_a_warning() {
    let r = Renderer::new(RenderConfig { max_height: 2400, ..RenderConfig::default() }, Vec::new()).unwrap();
    let draft = r.to_svg(&content_with(tier_table(36, 3)), None, Mode::Draft).unwrap();
    assert!(draft.height <= 2400, "{}", draft.height);
    assert!(draft.warnings.iter().any(|w| w.contains("最大高度")), "{:?}", draft.warnings);
    assert_lines_inside_boxes("cut table", &draft.svg);
    let lines = svg_lines(&draft.svg);
    assert!(lines.iter().any(|l| l.contains("篇幅所限")));
    let rows = rows_of(&drawn_tables(&draft.svg)[0]).len() - 1;
    assert!((5..36).contains(&rows), "{rows} rows drawn");
    // Whole rows only: the last row drawn has its condition and both of its values.
    for text in [format!("第{rows}档"), format!("补贴{}元", rows * 100 + 1), format!("补贴{}元", rows * 100 + 2)]
    {
        assert!(lines.contains(&text), "{text} missing: {lines:?}");
    }
    assert!(!lines.contains(&format!("第{}档", rows + 1)));
}

#[test]
fn a_table_of_more_than_five_columns_becomes_one_line_per_row() {
    let draft = renderer().to_svg(&content_with(tier_table(3, 6)), None, Mode::Approved).unwrap();
    assert!(drawn_tables(&draft.svg).is_empty(), "no grid");
    assert!(draft.template.contains("table"), "{}", draft.template);
    assert_lines_inside_boxes("wide table", &draft.svg);
    let joined = svg_lines(&draft.svg).concat();
    assert!(joined.contains("档次：第2档；标准1：补贴201元；标准2：补贴202元"), "{joined}");
    assert!(joined.contains("标准5：补贴305元"), "{joined}");
}

/// The video's slides: every card of every fixture stays inside its boxes on a 1080×1920 frame, with and
/// without a two-line caption and in both modes; the slides of one fixture are golden.
#[test]
fn slides_are_measured_frames_and_golden() {
    let caption = ["对按照育儿补贴制度规定".to_string(), "发放的育儿补贴免征个人所得税".to_string()];
    for (name, content) in fixtures() {
        let cards = std::iter::once(SlideCard::Title)
            .chain((0..content.sections.len()).map(SlideCard::Section))
            .chain(std::iter::once(SlideCard::Closing));
        for card in cards {
            for (mode, lines) in [(Mode::Draft, &caption[..]), (Mode::Approved, &[][..])] {
                let slide = renderer().slide_svg(&content, card, lines, None, mode).unwrap();
                assert_eq!(slide.height, 1920, "{name} {card:?}");
                assert!(slide.svg.contains("viewBox=\"0 0 1080 1920\""), "{name} {card:?}");
                assert_eq!(slide.svg.contains("draft-mark"), mode == Mode::Draft, "{name} {card:?}");
                assert_eq!(slide.svg.contains("id=\"caption\""), !lines.is_empty(), "{name} {card:?}");
                assert_lines_inside_boxes(&format!("{name} {card:?}"), &slide.svg);
                if name == "fujian_yuer_butie" && mode == Mode::Draft {
                    insta::assert_snapshot!(format!("slide_{name}_{card:?}"), slide.svg);
                }
            }
        }
    }
}
