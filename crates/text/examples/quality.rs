//! Prints, per fixture document, the share of its key facts the draft shows, the figure labels that fail the
//! meaning checks, whether it draws a table, and the extraction time:
//! `cargo run --release -p tujie-text --example quality -- tests/fixtures/dev tests/fixtures/dev2 tests/fixtures/field tests/fixtures/field2`.
//!
//! With `MISSES=1` it also prints each key fact the draft leaves out, with where it sits in the source text and
//! which frames hold it (`+key shown`: a bullet shows the frame's key; `+bullet lacks it`: the frame's bullet
//! would not show the fact), `no frame`, or `outside the content lines`. A missed fact whose every number sits in
//! one table row (`给予举报人300元人民币奖励` beside the row `…情形 | 300元`) is counted apart: the row may well say it,
//! but a sentence does not match a row, so it is not counted as shown. Facts are matched against
//! [`tujie_text::shown::reading`] (figure tiles and table rows read as a person reads them). The jieba dictionary is loaded before timing: the times are
//! extraction per document, and the load is printed once.
//!
//! Each folder holds `doc_events.jsonl`, `key_facts.jsonl` (`file`, `facts[].any_of`, optional `title`) and
//! `docs/` with the header block of each document (its `标题：` line finds the event).

use std::path::Path;
use std::time::Instant;

use tujie_model::event::Payload;
use tujie_model::{Document, InboundEvent};
use tujie_text::normalize::fold_for_match as fold_for_compare;
use tujie_text::{TextConfig, extract, faithful};

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: quality FIXTURE-DIR...");
        std::process::exit(2);
    }
    // The dictionary load is a once-per-process cost (a worker warms it at start), not a per-document one.
    let t0 = Instant::now();
    tujie_zh::warm();
    let warm_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let (mut hit, mut total, mut defects, mut figures) = (0, 0, 0, 0);
    let (mut tiered_docs, mut tiered_tables) = (0, 0);
    let mut in_rows = 0;
    let mut times: Vec<f64> = Vec::new();
    println!("{:>6} {:>7} {:>6} {:>5} {:>8}  document", "facts", "shown", "labels", "table", "ms");
    for d in &dirs {
        let (set_hit, set_total) = (hit, total);
        for (name, doc, facts, tiered) in load(Path::new(d)) {
            let t0 = Instant::now();
            let x = match extract(&doc, &TextConfig::default()) {
                Ok(x) => x,
                Err(e) => {
                    // Counted as nothing shown, so a document the extractor refuses lowers the figure.
                    println!("{:>6} {:>7} {:>6} {:>5} {:>8}  {name}: {e}", facts.len(), "ERROR", "-", "-", "-");
                    total += facts.len();
                    tiered_docs += usize::from(tiered);
                    continue;
                }
            };
            let ms = t0.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            let text = tujie_text::shown::reading(&x.content);
            let is_shown = |any: &Vec<String>| tujie_text::shown::shows(&text, any);
            let shown = facts.iter().filter(|any| is_shown(any)).count();
            in_rows += facts.iter().filter(|any| !is_shown(any) && numbers_in_a_row(any, &x.content)).count();
            let bad =
                x.content.figures.iter().filter(|f| !faithful::figure_defects(&f.label, &f.unit).is_empty()).count();
            let table = x.content.sections.iter().any(|s| !s.tables.is_empty());
            (tiered_docs, tiered_tables) =
                (tiered_docs + usize::from(tiered), tiered_tables + usize::from(tiered && table));
            println!(
                "{:>6} {:>6.0}% {:>3}/{:<2} {:>5} {ms:>8.1}  {name}",
                facts.len(),
                pct(shown, facts.len()),
                bad,
                x.content.figures.len(),
                table
            );
            if std::env::var_os("MISSES").is_some() {
                let src = fold_for_compare(&x.source_text);
                for any in facts.iter().filter(|any| !is_shown(any)) {
                    let at = any.iter().find_map(|a| src.find(&fold_for_compare(a)).map(|i| (a, i)));
                    match at {
                        Some((a, i)) => println!(
                            "      miss `{a}` at {}% ({}){}",
                            i * 100 / src.len().max(1),
                            frame_of(&x.source_text, a, &x.content),
                            if numbers_in_a_row(any, &x.content) { " [numbers in a table row]" } else { "" }
                        ),
                        None => println!("      miss `{}` not in source text", any.join("` | `")),
                    }
                }
            }
            (hit, total, defects, figures) =
                (hit + shown, total + facts.len(), defects + bad, figures + x.content.figures.len());
        }
        println!(
            "  {d}: key facts shown {:.1}% ({}/{})",
            pct(hit - set_hit, total - set_total),
            hit - set_hit,
            total - set_total
        );
    }
    println!(
        "key facts shown {:.1}% ({hit}/{total}); headline labels failing the checks {defects}/{figures}; \
         tables in {tiered_tables} of {tiered_docs} tiered documents; {in_rows} facts missed have every number \
         in one table row",
        pct(hit, total)
    );
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let sum: f64 = times.iter().sum();
    let max = times.last().copied().unwrap_or(0.0);
    println!(
        "extraction per document: median {median:.1} ms, mean {:.1} ms, max {max:.1} ms; dictionary load {warm_ms:.0} ms once",
        sum / times.len().max(1) as f64
    );
}

/// Whether a missed fact's numbers (at least one) all sit in one row of a table the draft shows.
fn numbers_in_a_row(any: &[String], content: &tujie_model::InfographicContent) -> bool {
    let numbers = |t: &str| -> Vec<String> {
        t.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|n| !n.is_empty()).map(str::to_string).collect()
    };
    let rows: Vec<String> = content
        .sections
        .iter()
        .flat_map(|s| &s.tables)
        .flat_map(|t| t.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect::<String>()))
        .collect();
    any.iter().any(|a| {
        let ns = numbers(a);
        !ns.is_empty() && rows.iter().any(|r| ns.iter().all(|n| numbers(r).contains(n)))
    })
}

/// The frame kinds of the sentence holding `fact`, or where the fact sits when no frame holds it.
fn frame_of(source: &str, fact: &str, content: &tujie_model::InfographicContent) -> String {
    let norm = tujie_text::normalize::Norm::new(source);
    let lay = tujie_text::outline::layout(&norm);
    let lines: Vec<_> = lay.content.clone().map(|i| lay.lines[i].clone()).collect();
    let facts = tujie_text::facts::collect(&norm, &lines);
    let needle = tujie_text::normalize::Norm::new(fact).text;
    let Some(at) = norm.text.find(&needle) else { return "not found in normalised text".into() };
    if !lines.iter().any(|l| l.start <= at && at < l.end) {
        return "outside the content lines".into();
    }
    let kinds: Vec<String> = tujie_text::compose::frames::find(&norm, &lines, &facts)
        .into_iter()
        .filter(|f| f.sentence.start <= at && at < f.sentence.end)
        .map(|f| {
            let key = norm.span(f.key.clone());
            let shown = content
                .sections
                .iter()
                .flat_map(|s| &s.bullets)
                .any(|b| b.spans.iter().any(|s| s.start <= key.start && key.end <= s.end));
            let bullet = tujie_text::compose::fit::frame_bullet(&norm, &f, 56, &[]).map(|b| b.0).unwrap_or_default();
            let fits = fold_for_compare(&bullet).contains(&fold_for_compare(fact));
            format!(
                "{:?}{}{}",
                f.kind,
                if shown { "+key shown" } else { "" },
                if fits { "" } else { "+bullet lacks it" }
            )
        })
        .collect();
    if kinds.is_empty() { "no frame".into() } else { format!("frame {}", kinds.join("/")) }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 * 100.0 / b as f64 }
}

/// `(name, document, facts)` for every document of a fixture folder that has key facts.
/// Per document: file name, event document, key facts (each a list of alternatives), whether it is tiered.
fn load(dir: &Path) -> Vec<(String, Document, Vec<Vec<String>>, bool)> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", dir.display()));
    let docs: Vec<Document> = read("doc_events.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| match InboundEvent::from_slice(l.as_bytes(), 1 << 24).expect("valid event").payload {
            Payload::Published(d) => Some(d),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for line in read("key_facts.jsonl").lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let file = v["file"].as_str().expect("file");
        let title = v["title"].as_str().map(str::to_string).unwrap_or_else(|| {
            let raw = std::fs::read_to_string(dir.join("docs").join(file)).expect("doc file");
            raw.lines().find_map(|l| l.strip_prefix("标题：")).unwrap_or_default().trim().to_string()
        });
        let Some(doc) = docs.iter().find(|d| d.title == title) else { continue };
        let facts = v["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .map(|f| {
                f["any_of"].as_array().expect("any_of").iter().filter_map(|a| a.as_str().map(str::to_string)).collect()
            })
            .collect();
        out.push((file.to_string(), doc.clone(), facts, v["tiered"].as_bool().unwrap_or(false)));
    }
    out
}
