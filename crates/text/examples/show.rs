//! Prints what a draft would say for each policy event of a JSON Lines file, section by section, for reading
//! extraction results by eye: `cargo run -p tujie-text --example show -- EVENTS.jsonl [TITLE-SUBSTRING]`.
//! `SHOW_FACTS=1` also prints the amounts and the content lines; `SHOW_TABLES=1` every table found, placed or not; `SHOW_JSON=DIR` writes each draft's content as
//! `DIR/<document id>.json`, which `tujie-render`'s `render_files` example draws.

use tujie_model::InboundEvent;
use tujie_model::event::Payload;
use tujie_text::{TextConfig, extract};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: show EVENTS.jsonl [TITLE-SUBSTRING]");
        std::process::exit(2);
    };
    let filter = args.get(1).map(String::as_str).unwrap_or("");
    let events = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    for line in events.lines().filter(|l| !l.trim().is_empty()) {
        let ev = InboundEvent::from_slice(line.as_bytes(), 1 << 24).expect("valid event");
        let Payload::Published(doc) = ev.payload else { continue };
        if !doc.title.contains(filter) {
            continue;
        }
        match extract(&doc, &TextConfig::default()) {
            Ok(x) => {
                if std::env::var_os("SHOW_FACTS").is_some() {
                    for q in &x.outline.facts.amounts {
                        println!("  amount {}{} at {:?}", q.value, q.unit, q.span);
                    }
                    println!("  content {:?}", x.outline.content_span);
                    let norm = tujie_text::normalize::Norm::new(&x.source_text);
                    let lay = tujie_text::outline::layout(&norm);
                    for (i, l) in lay.lines.iter().enumerate() {
                        let t: String = norm.get(l.clone()).chars().take(60).collect();
                        let mark = if lay.content.contains(&i) { "C" } else { " " };
                        println!("  {mark}{i:>3} {t}");
                    }
                }
                if std::env::var_os("SHOW_TABLES").is_some() {
                    // Every table the finder reads, placed in the draft or not.
                    let norm = tujie_text::normalize::Norm::new(&x.source_text);
                    let lay = tujie_text::outline::layout(&norm);
                    let lines: Vec<_> = lay.content.clone().map(|i| lay.lines[i].clone()).collect();
                    for (t, r) in tujie_text::tables::find(&norm, &lines, &x.outline.facts) {
                        let head: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
                        println!("  found table at {r:?} {}: {}", t.caption, head.join(" | "));
                        for row in &t.rows {
                            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
                            println!("    {}", cells.join(" | "));
                        }
                    }
                }
                if let Some(dir) = std::env::var_os("SHOW_JSON") {
                    // The content as JSON, for `tujie-render`'s `render_files` example.
                    let file = std::path::Path::new(&dir).join(format!("{}.json", doc.id));
                    let json = serde_json::to_string_pretty(&x.content).expect("content serialises");
                    std::fs::write(&file, json).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                }
                print_content(&x.content)
            }
            Err(e) => println!("# {}: {e}", doc.title),
        }
    }
}

fn print_content(c: &tujie_model::InfographicContent) {
    println!("# {}\n  {}", c.title, c.subtitle);
    for f in &c.figures {
        println!("  [{}{}] {}", f.value, f.unit, f.label);
    }
    for s in &c.sections {
        println!("  ## {} ({:?})", s.heading, s.kind);
        for f in &s.figures {
            println!("    [{}{}] {}", f.value, f.unit, f.label);
        }
        for t in &s.tables {
            println!(
                "    table {}: {}",
                t.caption,
                t.header.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ")
            );
            for r in &t.rows {
                println!("      {}", r.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | "));
            }
        }
        for b in &s.bullets {
            println!("    - {}", b.text);
        }
        for st in &s.steps {
            println!("    > {}", st.text);
        }
        for d in &s.dates {
            println!("    @ {} {}", d.date, d.label);
        }
    }
}
