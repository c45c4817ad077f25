//! Scores the matcher on any labelled event stream:
//! `cargo run -p tujie-matcher --example evaluate -- EVENTS.jsonl TRUTH.json [CONFIG.json] [--explain POLICY_ID…]`.
//!
//! EVENTS holds one inbound event per line in publication order; TRUTH is
//! `{"links": {policy_id: [interpretation_id…]}, "forms": {interpretation_id: form}}`; CONFIG optionally overrides
//! matcher settings (the `[matcher]` table as JSON). Prints precision, recall, form accuracy and every mistake;
//! `--explain` first prints, for each policy id given, every candidate with its evidence (after all events).
//! When a `truth_additions.json` (documented true pairs the truth file lacks) sits next to TRUTH, the figures are
//! printed for the truth as given and again with the additions, as `tests/dev_set.rs` asserts them.

use std::process::ExitCode;

use tujie_matcher::eval::{Truth, TruthAddition, evaluate};
use tujie_matcher::{MatchIndex, MatcherConfig};
use tujie_model::InboundEvent;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let explain: Vec<String> = match args.iter().position(|a| a == "--explain") {
        Some(k) => args.split_off(k).into_iter().skip(1).collect(),
        None => Vec::new(),
    };
    if args.len() < 2 {
        eprintln!("usage: evaluate EVENTS.jsonl TRUTH.json [CONFIG.json]");
        return ExitCode::from(2);
    }
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {p}: {e}"));
    let cfg: MatcherConfig = match args.get(2) {
        Some(p) => serde_json::from_str(&read(p)).unwrap_or_else(|e| panic!("bad config {p}: {e}")),
        None => MatcherConfig::default(),
    };
    let problems = cfg.validate();
    if !problems.is_empty() {
        for (k, p) in problems {
            eprintln!("config: {k}: {p}");
        }
        return ExitCode::from(2);
    }
    let mut events = Vec::new();
    for (n, line) in read(&args[0]).lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match InboundEvent::from_slice(line.as_bytes(), usize::MAX) {
            Ok(e) => events.push(e),
            Err(e) => eprintln!("{}:{}: skipped: {e}", args[0], n + 1),
        }
    }
    let truth: Truth = serde_json::from_str(&read(&args[1])).unwrap_or_else(|e| panic!("bad truth {}: {e}", args[1]));
    let mut index = MatchIndex::new(cfg.clone());
    for e in &events {
        if let tujie_model::event::Payload::Published(doc) = &e.payload {
            index.upsert(doc);
        }
    }
    for id in &explain {
        match index.explain(id) {
            Some(x) => println!("{}", serde_json::to_string_pretty(&x).unwrap_or_default()),
            None => println!("no policy {id}"),
        }
    }
    let additions = std::path::Path::new(&args[1]).with_file_name("truth_additions.json");
    match std::fs::read_to_string(&additions) {
        Ok(text) => {
            let list: Vec<TruthAddition> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad {}: {e}", additions.display()));
            println!("truth as given:");
            print!("{}", evaluate(cfg.clone(), events.clone(), &truth));
            println!("with {} documented truth additions ({}):", list.len(), additions.display());
            print!("{}", evaluate(cfg, events, &truth.with_additions(&list)));
        }
        Err(_) => print!("{}", evaluate(cfg, events, &truth)),
    }
    ExitCode::SUCCESS
}
