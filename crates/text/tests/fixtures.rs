//! Extraction over every dev fixture document, as the pipeline sees them (`doc_events.jsonl`): snapshots of the
//! content, the faithfulness invariant, and key-fact coverage.

use std::path::PathBuf;
use tujie_model::event::Payload;
use tujie_model::{Document, InboundEvent};
use tujie_text::faithful::numberish_tokens;
use tujie_text::{Extraction, TextConfig, extract};

/// The fixture sets with documents and key facts: the development sets and the field corpus gathered for the
/// understanding work (each with `doc_events.jsonl`, `key_facts.jsonl` and `docs/`).
const SETS: [&str; 28] = [
    "dev", "dev2", "field", "field2", "field3", "field4", "field5", "field6", "field7", "field8", "field9", "field10",
    "field11", "field12", "field13", "field14", "field15", "field16", "field17", "field18", "field19", "field20",
    "field21", "field22", "field23", "field25", "field26", "field27",
];

fn set_dir(set: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(set)
}

/// A fixture document with its key facts.
struct Fixture {
    /// `set/file-stem`, the snapshot name.
    slug: String,
    doc: Document,
    facts: Vec<(String, Vec<String>)>,
    /// Page chrome that must not reach the source text (HTML fixtures of the field corpus).
    chrome_absent: Vec<String>,
    /// The document sets amounts by tier or group, so its draft must draw a table.
    tiered: bool,
}

/// The `标题：` line of a fixture document's header block.
fn header_title(path: &std::path::Path) -> String {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    raw.lines()
        .find_map(|l| l.strip_prefix("标题："))
        .unwrap_or_else(|| panic!("{}: no 标题 line", path.display()))
        .trim()
        .to_string()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// Every document of every set that has key facts, as the pipeline receives it (`doc_events.jsonl`).
fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for set in SETS {
        let dir = set_dir(set);
        let Ok(events) = std::fs::read_to_string(dir.join("doc_events.jsonl")) else {
            assert_ne!(set, "dev", "the dev set must be present");
            continue;
        };
        let docs: Vec<Document> = events
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let ev = InboundEvent::from_slice(l.as_bytes(), 1 << 24).expect("valid event");
                let Payload::Published(doc) = ev.payload else { panic!("not a published event") };
                doc
            })
            .collect();
        let kf = std::fs::read_to_string(dir.join("key_facts.jsonl")).expect("key_facts.jsonl");
        for line in kf.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let file = v["file"].as_str().expect("file").to_string();
            let title = match v["title"].as_str() {
                Some(t) => t.to_string(),
                None => header_title(&dir.join("docs").join(&file)),
            };
            let doc =
                docs.iter().find(|d| d.title == title).unwrap_or_else(|| panic!("{set}: no event for {file}")).clone();
            let facts = v["facts"]
                .as_array()
                .expect("facts")
                .iter()
                .map(|f| {
                    let label = f["label"].as_str().or(f["fact"].as_str()).expect("label or fact");
                    (label.to_string(), strings(&f["any_of"]))
                })
                .collect();
            let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            out.push(Fixture {
                slug: format!("{set}__{stem}"),
                doc,
                facts,
                chrome_absent: strings(&v["chrome_absent"]),
                tiered: v["tiered"].as_bool().unwrap_or(false),
            });
        }
    }
    out
}

fn run(doc: &Document) -> Extraction {
    extract(doc, &TextConfig::default()).expect("extraction")
}

/// Width-folded, space-free text for comparisons.
fn fold(s: &str) -> String {
    tujie_text::normalize::fold_for_compare(s)
}

#[test]
fn snapshots() {
    for Fixture { slug, doc, .. } in fixtures() {
        let x = run(&doc);
        insta::assert_yaml_snapshot!(slug.clone(), x.content);
    }
}

/// Every number, amount, percentage, date and 文号 of the content occurs in the source; every bullet, step, date
/// and figure has spans inside the source, and its pieces of text come from those spans.
#[test]
fn faithfulness() {
    for Fixture { slug, doc, .. } in fixtures() {
        let x = run(&doc);
        // 文号 compare in their standard spelling (`京建发【2014】343号` in a page, `〔2014〕` in a subtitle).
        let src = tujie_zh::doc_number::canonicalize(&fold(&x.source_text));
        let src_words = tujie_text::normalize::fold_for_match(&x.source_text);
        let meta_src = fold(&format!(
            "{} {} {} {}",
            doc.title,
            doc.doc_number.clone().unwrap_or_default(),
            doc.issuer.clone().unwrap_or_default(),
            x.metadata.written_date.clone().unwrap_or_default()
        )) + &fold(x.metadata.page_published.as_deref().unwrap_or_default());
        let c = &x.content;
        // Subtitle comes from metadata (event or text); everything else from the body (`draft_defects`).
        let defects = tujie_text::faithful::draft_defects(&x.source_text, c);
        assert!(defects.is_empty(), "{slug}: {defects:?}");
        for m in numberish_tokens(&c.subtitle) {
            let ok = src.contains(&m) || meta_src.contains(&m) || fold(&meta_src.replace('-', "")).contains(&m);
            assert!(ok, "{slug}: subtitle `{m}` not in source or metadata");
        }
        let check = |what: &str, text: &str, spans: &[tujie_model::Span]| {
            assert!(!spans.is_empty(), "{slug}: {what} `{text}` has no span");
            let mut joined = String::new();
            for s in spans {
                let piece = s.slice(&x.source_text).unwrap_or_else(|| panic!("{slug}: bad span {s:?} for `{text}`"));
                joined.push_str(piece);
            }
            // Every CJK character of the text occurs in what its spans cover.
            // The normalised text writes brackets and `;` in Chinese text full-width; the source may not.
            let cover = fold(&joined).replace('(', "（").replace(')', "）").replace(';', "；");
            for ch in fold(text).chars().filter(|c| tujie_text::normalize::is_wide(*c) && !"：，、…".contains(*c))
            {
                assert!(cover.contains(ch), "{slug}: {what} `{text}` has `{ch}` outside its spans `{joined}`");
            }
        };
        for s in &c.sections {
            for b in &s.bullets {
                check("bullet", &b.text, &b.spans);
            }
            for st in &s.steps {
                check("step", &st.text, &st.spans);
            }
            for d in &s.dates {
                check("date", &format!("{}{}", d.date, d.label), &d.spans);
            }
            for f in &s.figures {
                check("figure", &format!("{}{}{}", f.value, f.unit, f.label), &f.spans);
            }
            // A heading reads as the normalised text writes it (`，` for a page's `,` in Chinese text).
            if !s.heading.is_empty() && s.heading != s.kind.default_heading() {
                let shown = tujie_text::normalize::fold_for_match(&s.heading);
                assert!(src_words.contains(&shown), "{slug}: heading `{}` is not in the source", s.heading);
            }
        }
        for f in &c.figures {
            check("figure", &format!("{}{}{}", f.value, f.unit, f.label), &f.spans);
        }
    }
}

/// Share of key facts each draft shows, per document and overall. The issue asks for 90%, and that is the floor:
/// over all twenty-eight sets the extractor shows 90.2% (2,841 of 3,150; 42 more missed facts have every number in
/// one table row, which `shown::reading` cannot match to a fact written as a sentence). Held out on arrival: field5
/// 66.1%, field6 77.2% at 0c8207f, field7 91.0% at 6837df4, field8 80.5% at 5483be5, field9 84.5% at e7348fa,
/// field10 74.3% at e6b7ef1, field11 70.4% and field12 85.4% at 09f6990, field13 93.0% at 99fdd1a, field14 79.4% at
/// def1a59, field15 80.7% at e3f250c, field16 68.6% at fe5332d, field17 86.0% at 362b90c, field18 81.5% at c62ba19,
/// field19 95.0% at 3c9e1c8, field20 91.7% at b22d157, field21 73.9% at a3f51ff, field22 81.5% at d51f91d, field23 79.8% at 49af5a1,
/// field25 84.8% at f5e179a, field26 81.3% at 4410204, field27 80.8% at 495bac7.
#[test]
fn key_fact_coverage() {
    let (mut hit_all, mut total_all) = (0usize, 0usize);
    let mut worst = (1.0f64, String::new());
    for fx in fixtures() {
        let x = run(&fx.doc);
        let text = tujie_text::shown::reading(&x.content);
        let mut hit = 0;
        for (label, any) in &fx.facts {
            if tujie_text::shown::shows(&text, any) {
                hit += 1;
            } else {
                println!("  missing in {}: {label}", fx.slug);
            }
        }
        let share = hit as f64 / fx.facts.len() as f64;
        println!("{:>5.1}%  {hit}/{}  {}", share * 100.0, fx.facts.len(), fx.slug);
        if share < worst.0 {
            worst = (share, fx.slug.clone());
        }
        hit_all += hit;
        total_all += fx.facts.len();
    }
    let overall = hit_all as f64 / total_all as f64;
    println!("overall {:.1}% ({hit_all}/{total_all})", overall * 100.0);
    assert!(overall >= 0.90, "overall key-fact coverage {overall:.3} < 0.90");
    assert!(worst.0 >= 0.3, "{}: key-fact coverage {:.3} < 0.3", worst.1, worst.0);
}

/// No chrome of a saved CMS page reaches the source text.
#[test]
fn html_chrome_stays_out() {
    for fx in fixtures().into_iter().filter(|f| f.doc.body_html.is_some()) {
        let src = fold(&run(&fx.doc).source_text);
        for s in &fx.chrome_absent {
            assert!(!src.contains(&fold(s)), "{}: page chrome `{s}` is in the source text", fx.slug);
        }
    }
}

/// No draft shows what only a site's footer or its widgets say, whether the page came as HTML or as a crawler's
/// text with the page's foot still in it (the 邵东 page of field23 ends with its 备案 numbers and site phone).
#[test]
fn no_draft_shows_a_site_footer() {
    const FOOTER: [&str; 6] = ["ICP备", "公网安备", "网站标识码", "设为首页", "打印本页", "关闭窗口"];
    for fx in fixtures() {
        let x = run(&fx.doc);
        for t in x.content.texts() {
            let hit = FOOTER.iter().find(|f| t.contains(*f));
            assert!(hit.is_none(), "{}: the draft shows the site footer `{t}`", fx.slug);
        }
    }
}

/// The text a PDF gives: every paragraph of a fixture's `body_text` hard-wrapped at `width` characters, as
/// a 公文 is at 28, wherever the width runs out (inside numbers, titles and words). A page a crawler flattened into
/// one run-on line is left as it is: a PDF's text never is one.
fn wrapped(doc: &Document, width: usize) -> Option<Document> {
    let body = doc.body_text.as_deref()?;
    if body.lines().any(|l| l.chars().count() > 400) {
        return None;
    }
    let mut lines = Vec::new();
    for para in body.lines() {
        let chars: Vec<char> = para.chars().collect();
        if chars.len() <= width || para.starts_with('#') {
            lines.push(para.to_string());
        } else {
            lines.extend(chars.chunks(width).map(|c| c.iter().collect::<String>()));
        }
    }
    Some(Document { body_text: Some(lines.join("\n")), ..doc.clone() })
}

/// Key facts shown and tables drawn from a text wrapped like a PDF's are nearly those of the page's own text:
/// the lines a fixed width broke are joined again (`normalize::wrap_width`). Over the 893 facts of the fixtures
/// with a `body_text`: the page's text shows 87.0%, wrapped at 28 85.4%, 34 and 33 tables; before the joins
/// reached inside numbers and titles (`d78659b`) the wrapped text showed 78.7% and drew 26 tables.
#[test]
fn text_wrapped_like_a_pdf_reads_like_the_page() {
    let (mut plain, mut wrapped_hits, mut total) = (0usize, 0usize, 0usize);
    let (mut plain_tables, mut wrapped_tables) = (0usize, 0usize);
    for fx in fixtures() {
        let Some(doc) = wrapped(&fx.doc, 28) else { continue };
        for (d, hits, tables) in
            [(&fx.doc, &mut plain, &mut plain_tables), (&doc, &mut wrapped_hits, &mut wrapped_tables)]
        {
            let c = run(d).content;
            let text = tujie_text::shown::reading(&c);
            *hits += fx.facts.iter().filter(|(_, any)| tujie_text::shown::shows(&text, any)).count();
            *tables += usize::from(c.sections.iter().any(|s| !s.tables.is_empty()));
        }
        total += fx.facts.len();
    }
    let share = |n: usize| n as f64 / total as f64;
    println!(
        "page text {:.3}, wrapped at 28 {:.3} of {total}; tables {plain_tables} and {wrapped_tables}",
        share(plain),
        share(wrapped_hits)
    );
    assert!(
        share(wrapped_hits) + 0.025 >= share(plain),
        "wrapped text shows {wrapped_hits} of {total} facts, the page {plain}"
    );
    assert!(wrapped_tables + 2 >= plain_tables, "wrapped text draws {wrapped_tables} tables, the page {plain_tables}");
}

/// Documents with tiered or per-group amounts draw a table. Not every one does yet: the floor is what the
/// table finder reaches today (98 of 141 over the twenty-seven sets; held out: none of field4's five, one of field5's
/// seven, one of field6's six, four of field7's six, five of field8's seven, four of field9's eight, one of
/// field10's three, four of field12's six, two of field13's eight, one of field14's two, three of field15's five,
/// one of field16's five, two of field17's six, six of field18's seven, five of field19's six, five of field20's seven, two of field21's five, two of field22's four, none of field23's four, none of field25's one, three of field26's three) less a margin, and
/// each miss is printed.
#[test]
fn tiered_standards_draw_tables() {
    let (mut with, mut all) = (0, 0);
    for fx in fixtures().into_iter().filter(|f| f.tiered) {
        let c = run(&fx.doc).content;
        all += 1;
        if c.sections.iter().any(|s| !s.tables.is_empty()) {
            with += 1;
        } else {
            println!("no table: {}", fx.slug);
        }
    }
    println!("tables drawn for {with} of {all} tiered documents");
    assert!(with * 100 >= all * 65, "only {with} of {all} tiered documents draw a table");
}

/// No headline or section figure has a misleading label by the rules of `faithful::figure_defects`, no label is
/// shown twice in the 看板 or in one section, and no number is torn out of a larger expression.
#[test]
fn figure_labels_say_what_their_number_is() {
    for fx in fixtures() {
        let x = run(&fx.doc);
        let c = &x.content;
        for group in std::iter::once(&c.figures).chain(c.sections.iter().map(|s| &s.figures)) {
            let mut seen = std::collections::HashSet::new();
            for f in group {
                assert!(seen.insert(f.label.clone()), "{}: label `{}` shown twice in a group", fx.slug, f.label);
            }
        }
        for f in c.figures.iter().chain(c.sections.iter().flat_map(|s| &s.figures)) {
            let d = tujie_text::faithful::figure_defects(&f.label, &f.unit);
            assert!(d.is_empty(), "{}: `{}{}` labelled `{}`: {d:?}", fx.slug, f.value, f.unit, f.label);
            let at = f.spans[0];
            let src = &x.source_text;
            let _ = src.get(at.start..at.end).expect("figure span in source");
        }
    }
}

/// No bullet, step or date label opens with a word that continues the clause before it (`并向…提交`, `且…`)
/// unless its sentence does: cut from that clause, it is torn out of its context.
#[test]
fn nothing_opens_with_half_a_sentence() {
    for Fixture { slug, doc, .. } in fixtures() {
        let x = run(&doc);
        let src = &x.source_text;
        let c = &x.content;
        let bullets = c.sections.iter().flat_map(|s| &s.bullets).map(|b| (b.text.as_str(), &b.spans));
        let steps = c.sections.iter().flat_map(|s| &s.steps).map(|b| (b.text.as_str(), &b.spans));
        let dates = c.sections.iter().flat_map(|s| &s.dates).map(|d| (d.label.as_str(), &d.spans));
        for (text, spans) in bullets.chain(steps).chain(dates) {
            if !tujie_text::faithful::continues_a_clause(text) {
                continue;
            }
            let before = spans.first().and_then(|sp| src.get(..sp.start)).unwrap_or("").trim_end();
            let opens_sentence =
                before.is_empty() || before.ends_with(['。', '！', '？', '；', '：', ';', '!', '?', ':']);
            assert!(opens_sentence, "{slug}: `{text}` is cut from the clause before it (`…{}`)", tail(before));
        }
    }
}

fn tail(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(12)).collect()
}

/// No bullet repeats part of another: two cuts of one sentence would read twice.
#[test]
fn bullets_never_overlap() {
    for Fixture { slug, doc, .. } in fixtures() {
        let c = run(&doc).content;
        let bullets: Vec<&tujie_model::Bullet> = c.sections.iter().flat_map(|s| &s.bullets).collect();
        for (i, a) in bullets.iter().enumerate() {
            for b in &bullets[i + 1..] {
                let clash = a.spans.iter().any(|x| b.spans.iter().any(|y| x.start < y.end && y.start < x.end));
                assert!(!clash, "{slug}: `{}` and `{}` share source text", a.text, b.text);
            }
        }
    }
}

/// Each section keeps its limits; a section grows past its own only in a draft that keeps the draft's.
#[test]
fn limits_hold() {
    let cfg = TextConfig::default();
    for Fixture { slug, doc, .. } in fixtures() {
        let c = run(&doc).content;
        assert!(c.sections.len() <= cfg.max_sections, "{slug}");
        assert!(c.figures.len() <= cfg.max_figures, "{slug}");
        let bullets: usize = c.sections.iter().map(|s| s.bullets.len()).sum();
        assert!(bullets <= cfg.max_bullets, "{slug}: {bullets} bullets");
        for s in &c.sections {
            let cap = cfg.max_bullets_per_section + cfg.max_fact_bullets;
            // Past its limit only when every fact of the document fits the draft (`fit::section_cap`).
            assert!(s.bullets.len() <= cap || bullets < cfg.max_bullets, "{slug}: {}", s.heading);
            for b in &s.bullets {
                assert!(b.text.chars().count() <= cfg.max_bullet_chars, "{slug}: long bullet `{}`", b.text);
            }
        }
    }
}
